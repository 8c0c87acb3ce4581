// Package fault holds black-box tests and benchmarks of bounceproc with real parts: the
// built command run as separate processes, a real Dovecot with several mailboxes, a store
// shared by several workers, workers killed with SIGKILL at random moments, and the IMAP
// server behind a proxy that adds network latency. It has no code of its own; see the tests.
//
// Sizes: the fault tests fill 6 mailboxes with $FAULT_MAILS mails each (default 2,000, the
// issue's size; 200 with -short). The workers benchmark fills 4 mailboxes
// with $BENCH_WORKERS_MAILS each (default 10,000; 1,000 with -short). $FAULT_SEED replays the
// kills of an earlier run (each test logs its seed).
package fault

package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunDryRunPredictsTheRun: a dry run and then a real run on the same mailbox, each on a
// fresh store, count the same. The mailbox bounces the same addresses in several store
// transactions, and holds the same mail twice: a dry run whose transactions were each rolled
// back did not see the suppressions and mails of the ones before, and predicted more new
// suppressions (and fewer repeats) than the run made.
func TestRunDryRunPredictsTheRun(t *testing.T) {
	env := memRunEnv(t)
	first := manyBounces(t, 6)
	var again [][]byte
	for i, m := range first {
		again = append(again, marked(m, fmt.Sprintf("X-Again: %d", i))) // another bounce, the same address
	}
	env.seed(t, append(append(first, again...), first[0])...) // and the first mail once more
	dir := t.TempDir()

	o := runOpts(env, filepath.Join(dir, "dry.db"))
	o.dryRun = true
	dry, _ := doRun(t, o)
	real, _ := doRun(t, runOpts(env, filepath.Join(dir, "real.db")))
	if real.NewlySuppressed != 6 || real.Repeats != 1 || real.AlreadyRecorded != 0 {
		t.Errorf("the run: %d suppressed, %d repeats, %d already known; want 6, 1 (the mail seen twice), 0 (the store was new)",
			real.NewlySuppressed, real.Repeats, real.AlreadyRecorded)
	}
	dry.Marked = real.Marked // a dry run marks nothing
	if dry != real {
		t.Errorf("dry run predicted %+v\nthe run did      %+v", dry, real)
	}
}

// TestRunProgressBarAndLogLines: with the bar on, each log line is on a line of its own (the
// bar's line is cleared before it and the bar drawn again after), and -v logs every mail.
// (Log lines used to follow the bar on its line, and -v logged no mail while the bar showed.)
func TestRunProgressBarAndLogLines(t *testing.T) {
	env := memRunEnv(t)
	env.seed(t, samples(t, mixedSamples...)...)
	t.Setenv(passwordEnv, env.cfg.Password)
	var stdout, stderr strings.Builder
	args := []string{"run", "--imap", env.cfg.Addr, "--user", env.cfg.User, "--tls", "none", "--batch", "3",
		"--db", filepath.Join(t.TempDir(), "store.db"), "--progress", "always", "-v"}
	if code := runMain(context.Background(), args, &stdout, &stderr); code != exitProblems {
		t.Fatalf("exit %d, want %d (the damaged sample); stderr:\n%s", code, exitProblems, stderr.String())
	}
	mails := 0
	for _, line := range strings.Split(stderr.String(), "\n") {
		if !strings.Contains(line, "level=") {
			continue
		}
		// What a terminal shows of the line: the text after the last carriage return, less
		// an erase-line sequence at its start.
		shown := strings.TrimPrefix(line[strings.LastIndex(line, "\r")+1:], "\x1b[K")
		if !strings.HasPrefix(shown, "time=") {
			t.Errorf("a log line shares its line with the bar: %q", line)
		}
		if strings.Contains(line, "msg=mail ") || strings.Contains(line, `msg="mail with problems"`) {
			mails++
		}
	}
	if mails != len(mixedSamples) {
		t.Errorf("-v logged %d mails, want %d; stderr:\n%s", mails, len(mixedSamples), stderr.String())
	}
	if !strings.Contains(stderr.String(), "9/9 mails") {
		t.Errorf("no bar drawn:\n%q", stderr.String())
	}
}

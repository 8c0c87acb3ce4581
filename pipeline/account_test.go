package pipeline

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestAccountsShareAStore runs two IMAP accounts, each with its own INBOX of different
// bounces, into one store, twice each and interleaved. With Account set, each INBOX keeps its
// own checkpoint and ledger rows: every mail is recorded once and the second runs fetch
// nothing. Without it the two INBOXes are one mailbox to the store: a run of the second account
// rescans (a different UIDVALIDITY) or, with the same one, skips its mails below the first
// account's checkpoint; the last part shows it.
func TestAccountsShareAStore(t *testing.T) {
	ctx := context.Background()
	const perBox = 6
	one, two := newWorkerEnv(t, 0, 0), newWorkerEnv(t, 0, 0)
	mails := manyBounces(t, 2*perBox)
	one.dovecot.Seed(t, "INBOX", mails[:perBox]...)
	two.dovecot.Seed(t, "INBOX", mails[perBox:]...)
	db := filepath.Join(t.TempDir(), "shared.db")
	const warning = "another IMAP account processed this mailbox"
	var log strings.Builder // the runs' log
	var logMu sync.Mutex
	run := func(env *workerEnv, account string) Summary {
		t.Helper()
		env.db = db
		w := env.worker(t, account, 5*time.Second)
		w.cfg.Logger = slog.New(slog.NewTextHandler(lockedWriter{mu: &logMu, w: &log}, nil))
		w.cfg.Mailboxes, w.cfg.Mark, w.cfg.Account = []string{"INBOX"}, w.cfg.OtherMark, account
		w.cfg.InflightPath = db + "." + account + ".inflight"
		sum, err := Run(ctx, w.cfg, w.st, w.c)
		if err != nil {
			t.Fatalf("run of account %q: %v", account, err)
		}
		return sum
	}
	for round := range 2 {
		for _, a := range []struct {
			env  *workerEnv
			name string
		}{{one, "one"}, {two, "two"}} {
			sum := run(a.env, a.name)
			want := perBox
			if round == 1 {
				want = 0
			}
			if sum.Fetched != want || newMails(sum) != want {
				t.Errorf("round %d, account %s: fetched %d, recorded %d new; want %d", round+1, a.name, sum.Fetched, newMails(sum), want)
			}
		}
	}
	st := checkStoreHolds(t, db, 2*perBox)
	for _, key := range []string{"one/INBOX", "two/INBOX"} {
		if _, last, err := st.Checkpoint(ctx, key); err != nil || last == 0 {
			t.Errorf("checkpoint of %s: last UID %d, %v; want one", key, last, err)
		}
	}
	if strings.Contains(log.String(), warning) {
		t.Errorf("runs with their own Account warned of another account:\n%s", log.String())
	}
	if _, last, _ := st.Checkpoint(ctx, "INBOX"); last != 0 {
		t.Errorf("a checkpoint of the bare INBOX (last UID %d): the accounts' mailboxes were not kept apart", last)
	}

	// The same two accounts without Account: the store takes the second INBOX for the first.
	// Either the second run starts from the first account's checkpoint (same UIDVALIDITY: it
	// skips its mails) or it rescans and moves the checkpoint, so the first account's next run
	// rescans too. Both kept apart would be: the second fetches all its mails, the first's
	// rerun nothing.
	db = filepath.Join(t.TempDir(), "bare.db")
	log.Reset()
	run(one, "")
	if strings.Contains(log.String(), warning) {
		t.Errorf("the first run on a new store warned of another account:\n%s", log.String())
	}
	second := run(two, "")
	rerun := run(one, "")
	// Each run after the other account's warns, naming both.
	if n := strings.Count(log.String(), warning); n != 2 {
		t.Errorf("%d warnings of another account, want 2 (the second account's run, the first's rerun):\n%s", n, log.String())
	}
	if second.Fetched == perBox && rerun.Fetched == 0 {
		t.Errorf("without Account the two INBOXes did not collide (fetched %d, then %d): this test no longer shows why Account is needed",
			second.Fetched, rerun.Fetched)
	}
}

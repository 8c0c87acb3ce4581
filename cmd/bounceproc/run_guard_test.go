package main

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/imapfetch"
)

// A run whose mailbox is also its --move-to or --others-to folder would process the mails it
// moved again, forever under --watch: it is refused at start as a usage error, before any
// connection or store.
func TestRunRefusesItsOwnDestination(t *testing.T) {
	move := imapfetch.Mark{Action: imapfetch.MarkMove, Folder: "Processed"}
	for _, tc := range []struct {
		name      string
		mailboxes []string
		mark      imapfetch.Mark
		other     imapfetch.Mark
	}{
		{"move-to", []string{"INBOX", "Processed"}, move, imapfetch.Mark{}},
		{"others-to", []string{"Bounces"}, imapfetch.Mark{}, imapfetch.Mark{Action: imapfetch.MarkMove, Folder: "Bounces"}},
		{"inbox any case", []string{"INBOX"}, imapfetch.Mark{Action: imapfetch.MarkMove, Folder: "inbox"}, imapfetch.Mark{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := runOptions{
				imap:      imapfetch.Config{Addr: "127.0.0.1:1", User: "u", Password: "p"},
				mailboxes: tc.mailboxes, mark: tc.mark, otherMark: tc.other,
				db: filepath.Join(t.TempDir(), "store.db"), progress: -1,
			}
			err := runRun(context.Background(), o, io.Discard, io.Discard)
			var ue *usageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), "again") {
				t.Fatalf("runRun = %v, want a usage error naming the loop", err)
			}
		})
	}
}

// A --move-to folder that cannot be created is found before any mail is fetched: nothing is
// recorded and the store keeps no ledger rows.
func TestRunChecksFoldersBeforeFetching(t *testing.T) {
	env := dovecotRunEnv(t)
	env.seed(t, samples(t, mixedSamples...)...)
	db := filepath.Join(t.TempDir(), "store.db")
	o := runOpts(env, db)
	// A maildir folder is a directory: Dovecot refuses a name longer than a file name may be.
	o.mark = imapfetch.Mark{Action: imapfetch.MarkMove, Folder: strings.Repeat("d", 300)}
	var sum runSummary
	o.summary = &sum
	err := runRun(context.Background(), o, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "create folder") {
		t.Fatalf("runRun = %v, want the folder's creation error", err)
	}
	if sum.Fetched != 0 {
		t.Errorf("fetched %d mails before finding the folder could not be created", sum.Fetched)
	}
}

// Every line of the summary says what the run did with the mails it counts: moved when they
// were moved, "would" in a dry run, and "already known" (mails of earlier runs) is kept apart
// from repeats within the run.
func TestRunSummarySaysWhatHappened(t *testing.T) {
	sum := runSummary{Fetched: 10, Bounces: 7, NotBounces: 3, AlreadyRecorded: 2, Repeats: 1, Problems: 1}
	aside := imapfetch.Mark{Action: imapfetch.MarkMove, Folder: "Others"}
	for _, tc := range []struct {
		name string
		o    runOptions
		want string
	}{
		{"left", runOptions{}, "(recorded in the ledger, left in place)"},
		{"moved", runOptions{otherMark: aside}, `(recorded in the ledger, moved to "Others")`},
		{"dry run", runOptions{dryRun: true}, "(would be recorded in the ledger and left in place)"},
		{"dry run moved", runOptions{dryRun: true, otherMark: aside}, `(would be recorded in the ledger and moved to "Others")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			printSummary(&b, sum, tc.o)
			if !strings.Contains(b.String(), "not bounces          3  "+tc.want) {
				t.Errorf("summary:\n%s\nwant the not-bounces line to end %s", b.String(), tc.want)
			}
			if !strings.Contains(b.String(), "already known        2  (recorded by an earlier run)") ||
				!strings.Contains(b.String(), "repeats              1  (the same mail as one earlier in this run") {
				t.Errorf("summary:\n%s\nwant already known and repeats apart", b.String())
			}
		})
	}
}

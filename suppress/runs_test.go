package suppress

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/google/go-cmp/cmp"
)

func TestRecordRunAndLastRuns(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	if got, err := s.LastRuns(ctx); err != nil || len(got) != 0 {
		t.Fatalf("LastRuns on a new store = %v, %v; want none", got, err)
	}
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	runs := []RunRecord{
		{Mailbox: "INBOX", Worker: "w1", Started: at(0), Finished: at(1), Fetched: 10, Decoded: 8, Problems: 1, Recorded: 9, NewSuppressions: 3, OK: true},
		{Mailbox: "Bounces", Worker: "w2", Started: at(0), Finished: at(2), Fetched: 5, Decoded: 5, Recorded: 5, NewSuppressions: 1, OK: true},
		{Mailbox: "INBOX", Worker: "w1", Started: at(10), Finished: at(12), Fetched: 4, Decoded: 2, Problems: 2, Recorded: 4, OK: false},
	}
	for _, r := range runs {
		if err := s.RecordRun(ctx, r); err != nil {
			t.Fatalf("RecordRun(%+v) = %v", r, err)
		}
	}
	got, err := s.LastRuns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []RunSummary{
		{Mailbox: "Bounces", Last: runs[1], LastOK: at(2), Runs: 1, Fetched: 5, Decoded: 5, Recorded: 5, NewSuppressions: 1},
		{Mailbox: "INBOX", Last: runs[2], LastOK: at(1), Runs: 2, Failed: 1, Fetched: 14, Decoded: 10, Problems: 3, Recorded: 13, NewSuppressions: 3},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("LastRuns (-want +got):\n%s", d)
	}
	if d := got[1].Last.Duration(); d != 2*time.Minute {
		t.Errorf("last INBOX run took %v, want 2m", d)
	}

	for _, bad := range []RunRecord{{Finished: at(1)}, {Mailbox: "INBOX"}} {
		if err := s.RecordRun(ctx, bad); err == nil {
			t.Errorf("RecordRun(%+v) succeeded", bad)
		}
	}
}

func TestRecordRunDryRun(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	openAtPath(t, path, Options{}) // a dry run on PostgreSQL needs the schema
	s := openAtPath(t, path, Options{DryRun: true})
	if err := s.RecordRun(ctx, RunRecord{Mailbox: "INBOX", Finished: t0, OK: true}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM runs`); n != 0 {
		t.Errorf("a dry run left %d runs behind", n)
	}
}

func TestKindCounts(t *testing.T) {
	s := openTest(t, Options{Now: newClock(t0).Now})
	r := &recorder1{t: t, s: s}
	r.record("a@example.org", classify.KindHard, dayN(0))
	r.record("b@example.org", classify.KindHard, dayN(0))
	r.record("c@example.org", classify.KindSoft, dayN(0))
	got, err := s.KindCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []Count{{"hard", 2}, {"soft", 1}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("KindCounts (-want +got):\n%s", d)
	}
}

// TestFoldRuns records many passes over two mailboxes and checks that only the latest
// keptRuns of each keep a row while every sum, the counts of runs and failures and the last
// success stay what they were with every row kept.
func TestFoldRuns(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	at := func(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }
	want := map[string]*RunSummary{"A": {Mailbox: "A"}, "B": {Mailbox: "B"}}
	total := 3 * (keptRuns + 2*foldRunsEvery) / 2 // A has 2 of 3, enough to fold; B does not
	for i := range total {
		mb := "A"
		if i%3 == 0 {
			mb = "B"
		}
		r := RunRecord{Mailbox: mb, Worker: "w", Started: at(2 * i), Finished: at(2*i + 1),
			Fetched: i % 7, Decoded: i % 5, Problems: i % 2, Recorded: i % 5, NewSuppressions: i % 3, OK: i%11 != 0}
		if mb == "A" && i < 50 {
			r.OK = true // A's only successes long ago, in rows that are folded
		} else if mb == "A" {
			r.OK = false
		}
		if err := s.RecordRun(ctx, r); err != nil {
			t.Fatal(err)
		}
		w := want[mb]
		w.Runs++
		if !r.OK {
			w.Failed++
		} else {
			w.LastOK = r.Finished
		}
		w.Fetched += int64(r.Fetched)
		w.Decoded += int64(r.Decoded)
		w.Problems += int64(r.Problems)
		w.Recorded += int64(r.Recorded)
		w.NewSuppressions += int64(r.NewSuppressions)
		w.Last = r
	}
	got, err := s.LastRuns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]RunSummary{*want["A"], *want["B"]}, got); d != "" {
		t.Errorf("LastRuns after folding (-want +got):\n%s", d)
	}
	if n := count(t, s, `SELECT count(*) FROM runs WHERE mailbox = 'A'`); n < keptRuns || n >= keptRuns+foldRunsEvery {
		t.Errorf("mailbox A keeps %d runs, want %d to %d", n, keptRuns, keptRuns+foldRunsEvery-1)
	}
	if n := count(t, s, `SELECT count(*) FROM runs WHERE mailbox = 'B'`); n != want["B"].Runs {
		t.Errorf("mailbox B keeps %d runs, want all %d", n, want["B"].Runs)
	}
	if n := count(t, s, `SELECT count(*) FROM run_totals`); n != 1 {
		t.Errorf("run_totals has %d rows, want 1 (B has too few runs to fold)", n)
	}
}

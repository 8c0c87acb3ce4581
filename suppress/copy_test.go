package suppress

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/internal/testutil/pgtest"
	"github.com/google/go-cmp/cmp"
)

// fillForCopy gives s some of everything Copy copies: mails with events, a duplicate,
// suppressions by policy and by hand, a release, an allow-list entry, a checkpoint, a
// crash count and a run.
func fillForCopy(t *testing.T, s *SQLite) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.RecordMails(ctx, batchHistory()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Suppress(ctx, Manual{Address: "manual@example.org", Why: "asked", By: "tester"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Allow(ctx, Manual{Address: "@allowed.example", Why: "partner", By: "tester"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NoteCrash(ctx, MailID{Mailbox: "INBOX", UIDValidity: 7, UID: 500}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordRun(ctx, RunRecord{Mailbox: "INBOX", Worker: "w1", Started: t0, Finished: t0.Add(time.Minute),
		Fetched: 3, Decoded: 2, Recorded: 3, NewSuppressions: 1, OK: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordRun(ctx, RunRecord{Mailbox: "INBOX", Worker: "w2", Started: t0.Add(time.Hour),
		Finished: t0.Add(time.Hour + time.Minute), Fetched: 1, Problems: 1}); err != nil {
		t.Fatal(err)
	}
	// fold the first run into run_totals, as a long watch does with its oldest runs
	if err := s.write(ctx, false, func(tx *sql.Tx) error { return foldRuns(ctx, tx, "INBOX", 1, 1) }); err != nil {
		t.Fatal(err)
	}
	r := &recorder1{t: t, s: s, n: 1000}
	r.record("later@example.org", classify.KindHard, t0.Add(time.Hour))
}

// TestCopyRoundTrip copies an SQLite store to PostgreSQL and back to a new SQLite file and
// compares every table and the export: nothing is lost or changed either way. The store on
// PostgreSQL then records on as the original does (its ids continue after the copied ones).
func TestCopyRoundTrip(t *testing.T) {
	sqliteOnly(t, "it copies between the two engines itself")
	ctx := context.Background()
	orig := openAtPath(t, filepath.Join(t.TempDir(), "orig.db"), Options{Now: func() time.Time { return t0.Add(200 * time.Hour) }})
	fillForCopy(t, orig)
	pg, err := Open(ctx, pgtest.Start(t), Options{Now: func() time.Time { return t0.Add(200 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	counts, err := Copy(ctx, orig, pg)
	if err != nil {
		t.Fatalf("Copy to PostgreSQL: %v", err)
	}
	for _, c := range counts {
		if c.Table != "allow" && c.Table != "attempts" && c.Rows == 0 {
			t.Errorf("copied no rows of %s", c.Table)
		}
	}
	back := openAtPath(t, filepath.Join(t.TempDir(), "back.db"), Options{})
	if _, err := Copy(ctx, pg, back); err != nil {
		t.Fatalf("Copy back to SQLite: %v", err)
	}
	if diff := cmp.Diff(dumpTables(t, orig), dumpTables(t, back)); diff != "" {
		t.Errorf("tables after the round trip (-original +copy):\n%s", diff)
	}
	if diff := cmp.Diff(dumpTables(t, orig), dumpTables(t, pg)); diff != "" {
		t.Errorf("tables on PostgreSQL (-original +copy):\n%s", diff)
	}
	for _, st := range []*SQLite{orig, pg, back} {
		if n := count(t, st, "SELECT count(*) FROM allow"); n != 1 {
			t.Errorf("%s: %d allow rows, want 1", st.name(), n)
		}
		if n := count(t, st, "SELECT count(*) FROM attempts"); n != 1 {
			t.Errorf("%s: %d attempts rows, want 1", st.name(), n)
		}
	}
	if _, err := Copy(ctx, orig, pg); !errors.Is(err, ErrTargetNotEmpty) {
		t.Errorf("Copy into the filled PostgreSQL store = %v, want ErrTargetNotEmpty", err)
	}
	// Both go on alike: the next mail, a manual change (ids from the identity column).
	r1, r2 := &recorder1{t: t, s: orig, n: 2000}, &recorder1{t: t, s: pg, n: 2000}
	r1.record("next@example.org", classify.KindHard, t0.Add(2*time.Hour))
	r2.record("next@example.org", classify.KindHard, t0.Add(2*time.Hour))
	for _, st := range []*SQLite{orig, pg} {
		if _, err := st.Release(ctx, Manual{Address: "manual@example.org", Why: "ok", By: "tester"}); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(dumpTables(t, orig), dumpTables(t, pg)); diff != "" {
		t.Errorf("tables after recording on (-SQLite +PostgreSQL):\n%s", diff)
	}
}

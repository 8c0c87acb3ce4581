package suppress

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
)

// TestOpenPostgresConcurrent opens one empty PostgreSQL database from several handles at once:
// each must find the schema made exactly once.
func TestOpenPostgresConcurrent(t *testing.T) {
	if !onPostgres() {
		t.Skip("PostgreSQL only: concurrent creation of the schema in a database")
	}
	url := storeName(t, t.Name())
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			s, err := Open(context.Background(), url, Options{})
			if err == nil {
				err = s.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// TestIntegrityCheckPostgres: on PostgreSQL the check reports the schema version and size and
// finds nothing wrong with a sound store (the page checks are SQLite's).
func TestIntegrityCheckPostgres(t *testing.T) {
	if !onPostgres() {
		t.Skip("PostgreSQL only: the SQLite checks have their own tests")
	}
	s := openTest(t, Options{})
	(&recorder1{t: t, s: s}).record("x@example.org", classify.KindHard, t0)
	if err := s.QuickCheck(context.Background()); err != nil {
		t.Errorf("QuickCheck = %v", err)
	}
	in, err := s.IntegrityCheck(context.Background())
	if err != nil || !in.OK() || in.SchemaVersion != len(migrations) || in.PageSize == 0 || in.Pages == 0 {
		t.Errorf("IntegrityCheck = %+v, %v", in, err)
	}
}

// TestRaceSameAddresses has 8 workers, each with its own handle on one store, record bounces
// for the same 20 addresses at once (every worker its own mails), and compares each
// address's entry with a run that records the same mails one after another: count, first
// and last seen, latest kind and whether it is suppressed must be the same, whatever the
// interleaving. On
// PostgreSQL the handles are separate connection pools, as separate processes would be.
func TestRaceSameAddresses(t *testing.T) {
	ctx := context.Background()
	const workers, mailsEach, addrs = 8, 15, 20
	kinds := []classify.Kind{classify.KindSoft, classify.KindHard, classify.KindSoft, classify.KindComplaint, classify.KindBlocked}
	mails := func(w int) []MailEvents {
		var out []MailEvents
		for i := range mailsEach {
			n := w*mailsEach + i
			var evs []Event
			for j := range 3 {
				a := (n*7 + j*3) % addrs
				k := kinds[(n+j)%len(kinds)]
				ev := Event{Address: fmt.Sprintf("shared%d@example.org", a), Kind: k, OccurredAt: t0.Add(time.Duration(n*3+j) * 7 * time.Hour)}
				switch k {
				case classify.KindHard:
					ev.Hard, ev.Suppress = true, true
				case classify.KindComplaint:
					ev.Suppress = true
				}
				evs = append(evs, ev)
			}
			out = append(out, MailEvents{Mail: Mail{MailID: MailID{Mailbox: fmt.Sprintf("W%d", w), UIDValidity: 1, UID: uint32(i + 1)},
				MessageID: fmt.Sprintf("<%d@race>", n), Hash: HashRaw(fmt.Appendf(nil, "race %d", n))}, Events: evs})
		}
		return out
	}
	opts := Options{Now: func() time.Time { return t0.Add(2000 * time.Hour) }}
	seq := openAtPath(t, filepath.Join(t.TempDir(), "seq.db"), opts)
	for w := range workers {
		for _, m := range mails(w) {
			if _, err := seq.RecordMails(ctx, []MailEvents{m}); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "race.db")
	openAtPath(t, path, opts) // create the store before the race
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		s := openAtPath(t, path, opts)
		wg.Go(func() {
			for _, m := range mails(w) { // one mail per transaction, to interleave the most
				if _, err := s.RecordMails(ctx, []MailEvents{m}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	raced := openAtPath(t, path, opts)
	for a := range addrs {
		addr := fmt.Sprintf("shared%d@example.org", a)
		want, got := lookup(t, seq, addr), lookup(t, raced, addr)
		type view struct {
			Kind        classify.Kind
			Count       int
			First, Last time.Time
			Suppressed  bool
		}
		v := func(e Entry) view {
			return view{e.Kind, e.BounceCount, e.FirstSeen, e.LastSeen, e.Suppressed}
		}
		if v(got) != v(want) {
			t.Errorf("%s raced: %+v; one after another: %+v", addr, v(got), v(want))
		}
		// Which kind suppressed it depends on which suppressing bounce was recorded first,
		// as with one worker reading the mails in another order: any of them will do.
		if k := got.SuppressedKind; got.Suppressed && k != classify.KindHard && k != classify.KindComplaint && k != classify.KindSoft {
			t.Errorf("%s raced: suppressed as %q", addr, k)
		}
	}
}

// TestPlanned: on PostgreSQL a statement whose rows foreign keys check runs with the plan
// cache in its default mode (the checks are planned once, not per row), one that probes a
// key for each row without hash or merge joins, and the statements after them as the session
// says.
func TestPlanned(t *testing.T) {
	if !onPostgres() {
		t.Skip("PostgreSQL only: its planner settings")
	}
	ctx := context.Background()
	s := openTest(t, Options{})
	settings := func(tx *sql.Tx) string {
		var m, h, j string
		err := tx.QueryRowContext(ctx, `SELECT current_setting('plan_cache_mode'), current_setting('enable_hashjoin'),
			current_setting('enable_mergejoin')`).Scan(&m, &h, &j)
		if err != nil {
			t.Fatal(err)
		}
		return m + " " + h + " " + j
	}
	for _, c := range []struct {
		checked, probes bool
		during          string
	}{
		{true, false, "auto on on"},
		{false, true, "force_custom_plan off off"},
		{true, true, "auto off off"},
		{false, false, "force_custom_plan on on"},
	} {
		var before, during, after string
		err := s.write(ctx, false, func(tx *sql.Tx) error {
			before = settings(tx)
			exec := func(q string) error { _, err := tx.ExecContext(ctx, q); return err }
			if err := s.dialect.planned(c.checked, c.probes, exec, func() error { during = settings(tx); return nil }); err != nil {
				return err
			}
			after = settings(tx)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		const session = "force_custom_plan on on"
		if before != session || during != c.during || after != session {
			t.Errorf("checked %v, probes %v: settings before, during and after: %q, %q, %q; want %q, %q, %q",
				c.checked, c.probes, before, during, after, session, c.during, session)
		}
	}
}

package suppress

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
)

// TestLookupManyAgreesWithLookup: every address of a batch gets what Lookup says about it, in
// the order given, duplicates and invalid addresses included, with the allow list applied.
func TestLookupManyAgreesWithLookup(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{Now: newClock(t0).Now})
	lookupFixture(t, s)

	in := []string{"Hard@Example.ORG", "blocked@example.org", "released@example.org", "vip@example.net",
		"other@example.net", "manual@example.org", "nobody@example.org", "not an address", "hard@example.org", ""}
	// A batch long enough to use every chunk size, with the interesting ones spread out.
	for i := range 700 {
		in = append(in, fmt.Sprintf("filler%d@example.com", i))
		if i%100 == 0 {
			in = append(in, "hard@example.org")
		}
	}
	got, err := s.LookupMany(ctx, in)
	if err != nil {
		t.Fatalf("LookupMany = %v", err)
	}
	if len(got) != len(in) {
		t.Fatalf("LookupMany: %d results for %d addresses", len(got), len(in))
	}
	for i, res := range got {
		if res.Input != in[i] {
			t.Fatalf("result %d is for %q, want %q", i, res.Input, in[i])
		}
		want, err := s.Lookup(ctx, in[i])
		switch {
		case errors.Is(err, ErrInvalidAddress):
			if !errors.Is(res.Err, ErrInvalidAddress) {
				t.Errorf("LookupMany[%q].Err = %v, want invalid", in[i], res.Err)
			}
			continue
		case errors.Is(err, ErrNotFound):
			if res.Known || res.Err != nil || res.Suppressed() {
				t.Errorf("LookupMany[%q] = known %v, err %v, suppressed %v; want unknown", in[i], res.Known, res.Err, res.Suppressed())
			}
			want = Entry{Address: res.Address, Domain: domainOf(res.Address), Allowed: res.Address == "other@example.net"}
		case err != nil:
			t.Fatal(err)
		default:
			if !res.Known {
				t.Errorf("LookupMany[%q] unknown, Lookup knows it", in[i])
			}
		}
		if res.Entry != want {
			t.Errorf("LookupMany[%q].Entry = %+v\nwant %+v", in[i], res.Entry, want)
		}
	}
	// A few addresses at a time take another path (one statement for entries and allow
	// list): it must say the same.
	for i := 0; i < 10; i++ {
		few, err := s.LookupMany(ctx, in[i:i+3])
		if err != nil {
			t.Fatalf("LookupMany(%q) = %v", in[i:i+3], err)
		}
		for j, res := range few {
			if res.Input != got[i+j].Input || res.Known != got[i+j].Known || res.Entry != got[i+j].Entry ||
				(res.Err == nil) != (got[i+j].Err == nil) {
				t.Errorf("LookupMany(%q)[%d] = %+v\nin a large batch %+v", in[i:i+3], j, res, got[i+j])
			}
		}
	}
	suppressed := map[string]bool{"Hard@Example.ORG": true, "hard@example.org": true, "manual@example.org": true}
	for _, res := range got {
		if res.Suppressed() != suppressed[res.Input] {
			t.Errorf("LookupMany[%q].Suppressed() = %v, want %v", res.Input, res.Suppressed(), suppressed[res.Input])
		}
	}
}

// TestLookupResultAllowedNeverSuppressed: an entry still marked suppressed (the allow list
// was added behind the store's back, or by a future path that forgets to release) is not
// reported as suppressed while the allow list covers it.
func TestLookupResultAllowedNeverSuppressed(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{Now: newClock(t0).Now})
	r := &recorder1{t: t, s: s}
	r.record("a@example.org", classify.KindHard, dayN(0))
	if _, err := s.db.Exec(`INSERT INTO allow (pattern, at) VALUES ('@example.org', 1)`); err != nil {
		t.Fatal(err)
	}
	got, err := s.LookupMany(ctx, []string{"a@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if !got[0].Entry.Suppressed || !got[0].Entry.Allowed || got[0].Suppressed() {
		t.Errorf("LookupMany(allowed, still marked suppressed) = stored %v allowed %v Suppressed() %v; want true true false",
			got[0].Entry.Suppressed, got[0].Entry.Allowed, got[0].Suppressed())
	}
}

func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	name := storeName(t, path)
	if _, err := OpenReadOnly(ctx, name, Options{}); !errors.Is(err, ErrNoStore) {
		t.Fatalf("OpenReadOnly(no file) = %v, want ErrNoStore", err)
	}
	w := openAtPath(t, path, Options{Now: newClock(t0).Now})
	(&recorder1{t: t, s: w}).record("a@example.org", classify.KindHard, dayN(0))

	ro, err := OpenReadOnly(ctx, name, Options{})
	if err != nil {
		t.Fatalf("OpenReadOnly = %v", err)
	}
	defer ro.Close()
	if e := lookup(t, ro, "a@example.org"); !e.Suppressed {
		t.Errorf("read-only Lookup: %+v, want suppressed", e)
	}
	if _, err := ro.Suppress(ctx, Manual{Address: "b@example.org"}); err == nil {
		t.Error("Suppress through a read-only store succeeded")
	}
	if _, err := ro.db.ExecContext(ctx, `DELETE FROM entries`); err == nil {
		t.Error("DELETE through a read-only connection succeeded")
	}
	// What the writer records later is seen.
	(&recorder1{t: t, s: w, n: 10}).record("b@example.org", classify.KindHard, dayN(1))
	if e := lookup(t, ro, "b@example.org"); !e.Suppressed {
		t.Errorf("read-only Lookup after a later write: %+v, want suppressed", e)
	}
}

// lookupFixture records the addresses of every kind of answer LookupMany gives: suppressed
// by a hard bounce and by hand, blocked (not suppressed), released, allowed by domain.
func lookupFixture(t *testing.T, s *SQLite) *recorder1 {
	t.Helper()
	ctx := context.Background()
	r := &recorder1{t: t, s: s}
	r.record("hard@example.org", classify.KindHard, dayN(0))
	r.record("blocked@example.org", classify.KindBlocked, dayN(0))
	r.record("released@example.org", classify.KindHard, dayN(0))
	if _, err := s.Release(ctx, Manual{Address: "released@example.org", By: "t", Why: "asked"}); err != nil {
		t.Fatal(err)
	}
	r.record("vip@example.net", classify.KindHard, dayN(0))
	if _, err := s.Allow(ctx, Manual{Address: "@example.net", By: "t", Why: "ours"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Suppress(ctx, Manual{Address: "manual@example.org", By: "t", Why: "asked to stop"}); err != nil {
		t.Fatal(err)
	}
	return r
}

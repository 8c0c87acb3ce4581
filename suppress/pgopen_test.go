package suppress

import (
	"context"
	"sync"
	"testing"

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

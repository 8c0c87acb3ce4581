package suppress

import (
	"context"
	"sync"
	"testing"
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

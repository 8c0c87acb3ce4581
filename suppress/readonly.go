package suppress

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"runtime"
	"time"
)

// OpenReadOnly opens an existing store for reading only, for a process that answers questions
// about it (the lookup API, metrics) while `run` writes to it. The store must exist (as with
// Options.MustExist); it is checked and brought to the current schema like any store Open
// opens, and from then on every query runs on connections opened read-only (mode=ro) with
// query_only set, so nothing this handle does can change the file: every write method fails.
// The connections map the file (mmap_size 1 GiB) instead of copying pages into a cache of
// their own: lookups at random addresses touch pages all over a large store, and mapped
// pages are shared by all connections through the OS's cache.
func OpenReadOnly(ctx context.Context, path string, opts Options) (*SQLite, error) {
	opts.MustExist, opts.DryRun = true, false
	s, err := Open(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	if s.dialect == postgresDialect {
		return s.reopenReadOnlyPostgres(ctx)
	}
	busy := opts.BusyTimeout
	if busy <= 0 {
		busy = 10 * time.Second
	}
	ro, err := sql.Open("sqlite", dsn(path, busy)+"&mode=ro&_pragma=query_only(1)&_pragma=mmap_size(1073741824)")
	if err == nil {
		err = ro.PingContext(ctx)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("suppress: open %s read-only: %w", path, err)
	}
	// Keep the connections: database/sql closes all but two idle ones, and a new
	// connection reads the schema and prepares its statements again (at 16 concurrent
	// lookups, that was most of their CPU time).
	conns := max(4, 2*runtime.GOMAXPROCS(0))
	ro.SetMaxOpenConns(conns)
	ro.SetMaxIdleConns(conns)
	if err := s.db.Close(); err != nil {
		ro.Close()
		return nil, fmt.Errorf("suppress: open %s read-only: %w", path, err)
	}
	s.db = ro
	return s, nil
}

// reopenReadOnlyPostgres replaces the connections of a PostgreSQL store, once migrated, by
// ones whose transactions are all read-only (default_transaction_read_only), so that every
// write method fails there too.
func (s *DB) reopenReadOnlyPostgres(ctx context.Context) (*DB, error) {
	u, err := url.Parse(withParams(s.path))
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("suppress: open %s read-only: %w", redact(s.path), err)
	}
	q := u.Query()
	q.Set("default_transaction_read_only", "on")
	u.RawQuery = q.Encode()
	ro, err := sql.Open(pgDriverName, u.String())
	if err == nil {
		err = ro.PingContext(ctx)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("suppress: open %s read-only: %w", redact(s.path), err)
	}
	conns := max(4, 2*runtime.GOMAXPROCS(0))
	ro.SetMaxOpenConns(conns)
	ro.SetMaxIdleConns(conns)
	if err := s.db.Close(); err != nil {
		ro.Close()
		return nil, fmt.Errorf("suppress: open %s read-only: %w", redact(s.path), err)
	}
	s.db = ro
	return s, nil
}

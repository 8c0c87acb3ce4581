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
// pages are shared by all connections through the OS's cache. On PostgreSQL the connections
// make every transaction read-only (default_transaction_read_only).
func OpenReadOnly(ctx context.Context, path string, opts Options) (*SQLite, error) {
	opts.MustExist, opts.DryRun = true, false
	s, err := Open(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	busy := opts.BusyTimeout
	if busy <= 0 {
		busy = 10 * time.Second
	}
	driver, name, shown := "sqlite", dsn(path, busy)+"&mode=ro&_pragma=query_only(1)&_pragma=mmap_size(1073741824)", path
	if s.dialect == postgresDialect {
		driver, name, shown = pgDriverName, withParam(withParams(path), "default_transaction_read_only", "on"), redact(path)
	}
	ro, err := sql.Open(driver, name)
	if err == nil {
		err = ro.PingContext(ctx)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("suppress: open %s read-only: %w", shown, err)
	}
	// Keep the connections: database/sql closes all but two idle ones, and a new
	// connection reads the schema and prepares its statements again (at 16 concurrent
	// lookups, that was most of their CPU time).
	conns := max(4, 2*runtime.GOMAXPROCS(0))
	ro.SetMaxOpenConns(conns)
	ro.SetMaxIdleConns(conns)
	if err := s.db.Close(); err != nil {
		ro.Close()
		return nil, fmt.Errorf("suppress: open %s read-only: %w", shown, err)
	}
	s.db = ro
	return s, nil
}

// withParam returns the URL u with the query parameter key set to value; u as it is when it
// does not parse (the driver reports it).
func withParam(u, key, value string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	q := p.Query()
	q.Set(key, value)
	p.RawQuery = q.Encode()
	return p.String()
}

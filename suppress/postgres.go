package suppress

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
)

// IsURL reports whether a store name is a PostgreSQL URL (postgres:// or postgresql://)
// rather than an SQLite path.
func IsURL(name string) bool {
	return strings.HasPrefix(name, "postgres://") || strings.HasPrefix(name, "postgresql://")
}

// pgMigrations replace, for PostgreSQL, the steps of migrations that it cannot run as they are
// (nil: run the SQLite step through dialect.go's rewriting). Version numbers are the same.
var pgMigrations = []func(ctx context.Context, tx *sql.Tx) error{
	0: func(ctx context.Context, tx *sql.Tx) error {
		if err := execAll(ctx, tx, pgFunctions...); err != nil {
			return err
		}
		return migrateV1(ctx, tx)
	},
	// Version 6 renamed a column only an SQLite store of one release had.
	5: func(context.Context, *sql.Tx) error { return nil },
	6: nil,
}

// openPostgres connects s to the PostgreSQL database at s.path and migrates it to version
// target. The database must exist; an empty one gets the schema, unless opts.MustExist (then
// it is refused with ErrNoStore), and one with other tables but not this program's is refused
// with ErrNotStore. A dry run needs a database with the schema: it changes nothing, so it
// cannot create one.
func openPostgres(ctx context.Context, s *DB, opts Options, target int) (*DB, error) {
	s.dialect = postgresDialect
	name := redact(s.path)
	db, err := sql.Open(pgDriverName, withParams(s.path))
	if err != nil {
		return nil, fmt.Errorf("suppress: open %s: %w", name, err)
	}
	s.db = db
	fail := func(err error) (*DB, error) {
		db.Close()
		return nil, fmt.Errorf("suppress: open %s: %w", name, err)
	}
	v, err := s.dialect.readVersion(ctx, db)
	if err != nil {
		return fail(err)
	}
	if v == 0 {
		// Another opener may have made the schema since the version was read: the tables are
		// counted in one statement with the version table, so that its schema is not taken
		// for someone else's.
		var others int
		var ours bool
		if err := db.QueryRowContext(ctx, `SELECT count(*), coalesce(bool_or(table_name = 'schema_version'), false)
			FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`).Scan(&others, &ours); err != nil {
			return fail(err)
		}
		switch {
		case ours:
		case others > 0:
			return fail(fmt.Errorf("%w: a PostgreSQL database with %d table(s) but without bounceproc's schema (use an empty database)", ErrNotStore, others))
		case opts.MustExist:
			return fail(fmt.Errorf("%w: the PostgreSQL database has no bounceproc schema yet", ErrNoStore))
		case opts.DryRun:
			return fail(fmt.Errorf("%w: the PostgreSQL database has no bounceproc schema yet, and a dry run does not create one", ErrNoStore))
		}
	}
	if err := s.migrate(ctx, target); err != nil {
		return fail(err)
	}
	return s, nil
}

// redact returns a PostgreSQL URL without its password, for messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "the PostgreSQL URL (unparsable)"
	}
	return u.Redacted()
}

// withParams adds to a PostgreSQL URL the session settings the store needs, unless the URL
// sets them. plan_cache_mode=force_custom_plan: pgx keeps every statement prepared, and
// PostgreSQL would plan one once for all parameters after five runs, when the tables were
// still small; the plan then kept scanning the entries table whole for an address list
// (43 ms a batch of 250 mails at 10,000 entries, against 0.3 ms with the index).
func withParams(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s // pgx reports it
	}
	q := u.Query()
	if q.Get("plan_cache_mode") == "" {
		q.Set("plan_cache_mode", "force_custom_plan")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

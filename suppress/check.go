package suppress

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The errors about a store file that callers branch on (see also the sentinels in store.go).
var (
	// ErrNoStore says there is no store file at the path given, and none was to be created.
	ErrNoStore = errors.New("no suppression store there")
	// ErrNotStore says the file at the path given is not a bounceproc store: empty, not
	// SQLite, or SQLite without this program's schema. It is refused, never converted.
	ErrNotStore = errors.New("not a bounceproc suppression store")
	// ErrDamaged says the store file is damaged: SQLite found its structure corrupt.
	ErrDamaged = errors.New("the store file is damaged")
)

// sqliteMagic starts every SQLite 3 database file (https://sqlite.org/fileformat.html §1.3).
const sqliteMagic = "SQLite format 3\x00"

// ourTables are the tables every schema version has; a file without them is not ours.
var ourTables = []string{"ledger", "checkpoints", "events", "entries", "changes", "allow"}

// checkHeader refuses a file that cannot be a store before SQLite sees it: SQLite would take
// an empty file for a new database and write a schema into it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var h [100]byte
	n, err := io.ReadFull(f, h[:])
	switch {
	case n == 0 && (err == io.EOF || err == nil):
		return fmt.Errorf("%w: the file is empty", ErrNotStore)
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF):
		return err
	case n < len(h) || !bytes.HasPrefix(h[:], []byte(sqliteMagic)):
		return fmt.Errorf("%w: no SQLite header (the file is something else, or its first page is damaged)", ErrNotStore)
	}
	// The page size, big-endian at offset 16: a power of two from 512 to 32768, or 1 for 65536.
	if ps := int(h[16])<<8 | int(h[17]); ps != 1 && (ps < 512 || ps&(ps-1) != 0) {
		return fmt.Errorf("%w: the header's page size (%d) is invalid", ErrDamaged, ps)
	}
	return nil
}

// checkSchema refuses an SQLite file without this program's schema. It reads through a
// read-only connection of its own: the store's connection string turns a file to WAL mode,
// which would change a file that is not ours.
func checkSchema(ctx context.Context, path string, busy time.Duration) error {
	db, err := sql.Open("sqlite", fmt.Sprintf("file:%s?mode=ro&_pragma=busy_timeout(%d)", escapePath(path), busy.Milliseconds()))
	if err != nil {
		return err
	}
	defer db.Close()
	var v, n int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("read the schema version: %w", describe(err))
	}
	if v == 0 {
		return fmt.Errorf("%w: an SQLite database without bounceproc's schema", ErrNotStore)
	}
	q := `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('` + strings.Join(ourTables, "', '") + `')`
	if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return fmt.Errorf("read the schema: %w", describe(err))
	}
	if n != len(ourTables) {
		return fmt.Errorf("%w: an SQLite database (schema version %d) without bounceproc's tables", ErrNotStore, v)
	}
	return nil
}

// describe marks SQLite's "corrupt" and "not a database" errors as ErrDamaged, so that the
// message says what is wrong and callers can branch on it.
func describe(err error) error {
	if IsDamaged(err) && !errors.Is(err, ErrDamaged) {
		return fmt.Errorf("%w: %w", ErrDamaged, err)
	}
	return err
}

// IsDamaged reports whether err says the store file is damaged: ErrDamaged, or SQLite's
// SQLITE_CORRUPT or SQLITE_NOTADB from a query.
func IsDamaged(err error) bool {
	if errors.Is(err, ErrDamaged) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return true
		}
	}
	return false
}

// QuickCheck runs SQLite's quick_check over the whole file (on PostgreSQL, which keeps its
// own pages sound, it checks nothing): it reads every page and checks
// the b-trees' structure, but not that indexes match their tables (IntegrityCheck does). It
// costs about one read of the file, and returns an error wrapping ErrDamaged that names the
// first problems found.
func (s *DB) QuickCheck(ctx context.Context) error {
	problems, err := s.pragmaCheck(ctx, "quick_check", 10)
	if err != nil {
		return fmt.Errorf("suppress: check %s: %w", s.path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("suppress: check %s: %w: %s", s.path, ErrDamaged, summarize(problems, 3))
	}
	return nil
}

// Integrity is what IntegrityCheck found.
type Integrity struct {
	// SchemaVersion is the file's schema version; Current this program's.
	SchemaVersion, Current int
	// PageSize and Pages describe the file.
	PageSize, Pages int
	// Problems lists what is wrong, in SQLite's words or ours; empty when the store is sound.
	Problems []string
}

// OK reports whether no problem was found.
func (in Integrity) OK() bool { return len(in.Problems) == 0 }

// IntegrityCheck runs SQLite's full integrity_check (every page, every b-tree, every index
// against its table, NOT NULL and CHECK constraints), checks the references between tables
// (events to the ledger) and the schema version. It reads the whole file, several times over
// for the indexes. Problems go into the result; the error is for a check that could not run.
// Bit flips inside a row that no index covers are invisible to SQLite, which keeps no
// checksums.
func (s *DB) IntegrityCheck(ctx context.Context) (Integrity, error) {
	in := Integrity{Current: len(migrations)}
	var err error
	if in.SchemaVersion, err = s.SchemaVersion(ctx); err != nil {
		return in, err
	}
	switch {
	case in.SchemaVersion > in.Current:
		in.Problems = append(in.Problems, fmt.Sprintf("schema version %d is newer than this program's %d", in.SchemaVersion, in.Current))
	case in.SchemaVersion < in.Current:
		in.Problems = append(in.Problems, fmt.Sprintf("schema version %d, not migrated to this program's %d", in.SchemaVersion, in.Current))
	}
	if s.dialect.postgres {
		// PostgreSQL checks its own pages (and enforces the references between tables):
		// what is left to report is the schema version and the size.
		err := s.db.QueryRowContext(ctx, `SELECT current_setting('block_size')::bigint,
			pg_database_size(current_database()) / current_setting('block_size')::bigint`).Scan(&in.PageSize, &in.Pages)
		if err != nil {
			return in, fmt.Errorf("suppress: check %s: %w", s.name(), err)
		}
		return in, nil
	}
	if err := s.db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&in.PageSize); err != nil {
		return in, fmt.Errorf("suppress: check %s: %w", s.path, describe(err))
	}
	if err := s.db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&in.Pages); err != nil {
		return in, fmt.Errorf("suppress: check %s: %w", s.path, describe(err))
	}
	problems, err := s.pragmaCheck(ctx, "integrity_check", 100)
	if err != nil {
		return in, fmt.Errorf("suppress: check %s: %w", s.path, err)
	}
	in.Problems = append(in.Problems, problems...)
	rows, err := s.db.QueryContext(ctx, `SELECT "table", rowid, parent FROM pragma_foreign_key_check LIMIT 100`)
	if err != nil {
		in.Problems = append(in.Problems, "foreign key check: "+describe(err).Error())
		return in, nil
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid int64
		if err := rows.Scan(&table, &rowid, &parent); err != nil {
			return in, fmt.Errorf("suppress: check %s: %w", s.path, err)
		}
		in.Problems = append(in.Problems, fmt.Sprintf("%s row %d refers to a %s row that does not exist", table, rowid, parent))
	}
	if err := rows.Err(); err != nil {
		in.Problems = append(in.Problems, "foreign key check: "+describe(err).Error())
	}
	return in, nil
}

// pragmaCheck runs PRAGMA name(max) and returns its findings; none when it says "ok". An
// error SQLite raises on a damaged file is a finding too.
func (s *DB) pragmaCheck(ctx context.Context, name string, max int) ([]string, error) {
	if s.dialect.postgres {
		return nil, nil // PostgreSQL has no such check of a file: the server keeps its pages sound
	}
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf("PRAGMA %s(%d)", name, max))
	if err != nil {
		if IsDamaged(err) {
			return []string{err.Error()}, nil
		}
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		if line != "ok" {
			out = append(out, line)
		}
	}
	if err := rows.Err(); err != nil {
		if IsDamaged(err) {
			return append(out, err.Error()), nil
		}
		return nil, err
	}
	return out, nil
}

// summarize joins the first n problems, saying how many more there are.
func summarize(problems []string, n int) string {
	if len(problems) <= n {
		return strings.Join(problems, "; ")
	}
	return fmt.Sprintf("%s; and %d more", strings.Join(problems[:n], "; "), len(problems)-n)
}

// RowCounts are the sizes of a store's tables, for `bounceproc check`.
type RowCounts struct {
	Mails, Events, Addresses, Suppressed, Allowed int
}

// Counts counts the rows of the main tables.
func (s *DB) Counts(ctx context.Context) (RowCounts, error) {
	var c RowCounts
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM ledger), (SELECT count(*) FROM events),
		(SELECT count(*) FROM entries), (SELECT count(*) FROM entries WHERE suppressed = 1), (SELECT count(*) FROM allow)`).
		Scan(&c.Mails, &c.Events, &c.Addresses, &c.Suppressed, &c.Allowed)
	if err != nil {
		return c, fmt.Errorf("suppress: count rows of %s: %w", s.path, describe(err))
	}
	return c, nil
}

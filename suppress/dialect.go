package suppress

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// This file is the one place that knows SQLite and PostgreSQL apart. The store's SQL is
// written once, in SQLite's dialect with ? and ?N placeholders; on PostgreSQL it runs through
// the driver "bounceproc-pgx" below, a thin wrapper of pgx's database/sql driver that
// rewrites every statement on its way to the server:
//
//   - ? and ?N placeholders become $N, each with a cast to the type of its argument
//     (::bigint, ::text, ::bytea): PostgreSQL infers a parameter's type from its context, and a
//     parameter inside a VALUES list has none (it would be text, and comparing it with an
//     integer column fails). NULL stays uncast.
//   - Go bools are sent as 0 and 1: the schema keeps flags in INTEGER columns on both engines.
//   - The recorder's many-row statements and IN lists take one array per column (pgrows.go);
//     an array argument is cast to its array type (::bigint[], ::text[], ::bytea[]).
//   - INSERT OR IGNORE INTO ... becomes INSERT INTO ... ON CONFLICT DO NOTHING.
//   - A one-byte blob literal x'HH' becomes chr(0xHH) (the store joins text with it).
//   - CROSS JOIN ... ON (SQLite's way to fix the join order) becomes JOIN ... ON.
//   - In CREATE and ALTER statements: INTEGER becomes BIGINT (SQLite's integers are 64-bit),
//     INTEGER PRIMARY KEY an identity column, BLOB becomes BYTEA, and WITHOUT ROWID is dropped.
//
// The SQLite functions the store uses that PostgreSQL lacks, iif(c, a, b), hex(blob) and the
// two-argument max and min, are created in the PostgreSQL schema by its first migration (pgFunctions), so
// the statements need no rewriting for them. What cannot be rewritten this way is a method of
// dialect: the schema version (PRAGMA user_version, a table on PostgreSQL), the lock that
// makes write transactions run one at a time (BEGIN IMMEDIATE, an advisory lock), and the day
// of a millisecond time.
//
// Everything above the store sees one type, DB, whichever engine is below.

// dialect is what differs between the engines, for the code that cannot be rewritten.
type dialect struct {
	// postgres is true for PostgreSQL, false for SQLite.
	postgres bool
}

// postgresDialect is PostgreSQL's; the zero dialect is SQLite's.
var postgresDialect = dialect{postgres: true}

// String names the engine.
func (d dialect) String() string {
	if d.postgres {
		return "PostgreSQL"
	}
	return "SQLite"
}

// writeLockKey is the key of the PostgreSQL advisory lock every write transaction takes.
const writeLockKey = 0x626f756e6365 // "bounce"

// lockWrites makes tx the only writer until it ends. SQLite's BEGIN IMMEDIATE (the DSN's
// _txlock) already did that. On PostgreSQL a transaction-scoped advisory lock does the same
// across every connection, process and host on the database: the recorder reads an address's
// state, decides, and writes, and it gives ledger and event rows ids from max(id)+1, so two
// writers interleaving could decide on stale state or take the same ids. Holding one lock per
// write keeps the result of any number of workers that of one worker; the writes are short
// (a batch of a run), and workers spend their time on IMAP, not here.
func (d dialect) lockWrites(ctx context.Context, tx *sql.Tx) error {
	if !d.postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock("+strconv.Itoa(writeLockKey)+")"); err != nil {
		return fmt.Errorf("take the write lock: %w", err)
	}
	return nil
}

// readVersion returns the schema version within tx: PRAGMA user_version on SQLite, the row
// of schema_version on PostgreSQL (0 when the table does not exist yet).
func (d dialect) readVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var v int
	if !d.postgres {
		err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
		return v, err
	}
	// A scan of pg_tables, not to_regclass: the catalog cache to_regclass reads may not yet
	// know of a table another opener created while this one waited for the migration lock.
	var exists bool
	if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables
		WHERE schemaname = current_schema() AND tablename = 'schema_version')`).Scan(&exists); err != nil {
		return 0, err
	}
	if !exists {
		return 0, nil
	}
	err := q.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&v)
	return v, err
}

// setVersion records the schema version within tx.
func (d dialect) setVersion(ctx context.Context, tx *sql.Tx, v int) error {
	if !d.postgres {
		_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v))
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (?)`, v)
	return err
}

// lockMigrations makes concurrent openers of a PostgreSQL store migrate it one at a time (on
// SQLite the migration's BEGIN IMMEDIATE does).
func (d dialect) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	return d.lockWrites(ctx, tx)
}

// dayOf is the SQL expression for the UTC day (YYYY-MM-DD) of the millisecond time in column.
func (d dialect) dayOf(column string) string {
	if d.postgres {
		return "to_char(to_timestamp(" + column + " / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
	}
	return "strftime('%Y-%m-%d', " + column + " / 1000, 'unixepoch')"
}

// rowsPerStatement is the number of rows the recorder writes in one many-row statement, given
// SQLite's: on PostgreSQL its statements take arrays (see pgStatement), as many rows as a
// batch has, up to pgRowsPerStatement.
func (d dialect) rowsPerStatement(sqlite int) int {
	if d.postgres {
		return pgRowsPerStatement
	}
	return sqlite
}

// inList is query, whose "(IN)" stands for a list of values, as the statement to run, and its
// runs, with fixed the parameters before the list. On SQLite the list has inChunk
// parameters, and the last chunk is padded by repeating its last value, so the statement
// text never changes and its prepared form is reused. On PostgreSQL the list is one array
// ("= ANY (?)"), so one run takes all the values. No values, no runs.
func (d dialect) inList(query string, fixed, values []any) (string, []inRun, error) {
	if len(values) == 0 {
		return "", nil, nil
	}
	if d.postgres {
		vals := make([]any, len(values))
		for i, v := range values {
			var err error
			if vals[i], err = driver.DefaultParameterConverter.ConvertValue(v); err != nil {
				return "", nil, err
			}
		}
		a, err := pgArray(vals)
		if err != nil {
			return "", nil, err
		}
		args := append(append(make([]any, 0, len(fixed)+1), fixed...), a)
		return strings.Replace(query, " IN (IN)", " = ANY (?)", 1), []inRun{{args, values}}, nil
	}
	q := strings.Replace(query, "(IN)", "(?"+strings.Repeat(", ?", inChunk-1)+")", 1)
	var runs []inRun
	for i := 0; i < len(values); i += inChunk {
		chunk := values[i:min(i+inChunk, len(values))]
		args := append(append(make([]any, 0, len(fixed)+inChunk), fixed...), chunk...)
		for len(args) < len(fixed)+inChunk {
			args = append(args, args[len(args)-1])
		}
		runs = append(runs, inRun{args, chunk})
	}
	return q, runs, nil
}

// inRun is one run of an inList statement: its arguments, and the values of the list it
// holds.
type inRun struct {
	args, values []any
}

// inChunk is the number of values in one IN (...) list on SQLite.
const inChunk = 100

// queuesWrites reports whether the recorder sends its writes together at the end of a batch
// (recorder.write): PostgreSQL takes them in one round trip, SQLite runs each at once.
func (d dialect) queuesWrites() bool { return d.postgres }

// planned runs stmt, a statement whose rows foreign keys check when checked is set, and that
// joins its rows to a table by that table's key when probes is set, running the settings it
// needs around it with exec (in the same transaction, so that they end with it at the
// latest). PostgreSQL needs them:
//
//   - PostgreSQL checks each row's foreign key with a query of its own, planned as the
//     session says: withParams makes the session plan every statement for its parameters,
//     which for these checks, one per event, took 19 µs of the server's time a mail to plan a
//     lookup by primary key (and 3 to run it; pg_stat_statements with track=all). Around
//     such a statement the plan cache works as by default (the checks are planned once for
//     all rows), then as the session says again.
//   - For a batch's few hundred rows, PostgreSQL joins a table of a few ten thousand rows by
//     reading it whole into a hash table (the entries' state updates: every entry of a store
//     read for each batch, 4 ms at 10,000 entries and growing with the table), where probing
//     its key once per row reads a few pages each. Around such a statement it joins only by
//     nested loops, so by probing the key's index.
//
// SQLite needs neither: it does not enforce foreign keys (see dsn in sqlite.go), and its
// planner probes the key a batch's rows are joined on.
func (d dialect) planned(checked, probes bool, exec func(query string) error, stmt func() error) error {
	if !d.postgres {
		return stmt()
	}
	var settings []string
	if checked {
		settings = append(settings, "plan_cache_mode = auto")
	}
	if probes {
		settings = append(settings, "enable_hashjoin = off", "enable_mergejoin = off")
	}
	for _, set := range settings {
		if err := exec("SET LOCAL " + set); err != nil {
			return fmt.Errorf("set %s: %w", set, err)
		}
	}
	if err := stmt(); err != nil {
		return err
	}
	for _, set := range settings {
		name, _, _ := strings.Cut(set, " = ")
		if err := exec("SET LOCAL " + name + " = DEFAULT"); err != nil {
			return fmt.Errorf("reset %s: %w", name, err)
		}
	}
	return nil
}

// upsertsRowOnce reports whether one upsert statement may change a row only once: PostgreSQL
// refuses ON CONFLICT DO UPDATE for two rows with the same key in one statement, SQLite
// applies them in turn.
func (d dialect) upsertsRowOnce() bool { return d.postgres }

// snapshot is the transaction mode that reads the whole store as of one moment: any SQLite
// transaction does; PostgreSQL's default, read committed, sees each statement's own moment.
func (d dialect) snapshot() *sql.TxOptions {
	if d.postgres {
		return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return nil
}

// afterCopy runs after Copy wrote rows with their ids: PostgreSQL's identity columns then
// continue after the largest id copied.
func (d dialect) afterCopy(ctx context.Context, tx *sql.Tx) error {
	if !d.postgres {
		return nil
	}
	for _, t := range []string{"ledger", "events", "changes", "runs"} {
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), coalesce(max(id), 0) + 1, false) FROM `+t); err != nil {
			return fmt.Errorf("continue the ids of %s: %w", t, err)
		}
	}
	return nil
}

// pgFunctions are the SQLite functions the store's statements use, made for PostgreSQL.
// anycompatible (PostgreSQL 13) lets an integer literal meet a bigint column.
var pgFunctions = []string{
	`CREATE FUNCTION iif(boolean, anycompatible, anycompatible) RETURNS anycompatible
		LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN $1 THEN $2 ELSE $3 END'`,
	`CREATE FUNCTION iif(bigint, anycompatible, anycompatible) RETURNS anycompatible
		LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN $1 <> 0 THEN $2 ELSE $3 END'`,
	`CREATE FUNCTION hex(bytea) RETURNS text
		LANGUAGE sql IMMUTABLE AS 'SELECT upper(encode($1, ''hex''))'`,
	`CREATE FUNCTION max(anycompatible, anycompatible) RETURNS anycompatible
		LANGUAGE sql IMMUTABLE AS 'SELECT GREATEST($1, $2)'`,
	`CREATE FUNCTION min(anycompatible, anycompatible) RETURNS anycompatible
		LANGUAGE sql IMMUTABLE AS 'SELECT LEAST($1, $2)'`,
}

// pgDriverName is the database/sql driver of PostgreSQL stores.
const pgDriverName = "bounceproc-pgx"

func init() {
	sql.Register(pgDriverName, pgDriver{})
}

// pgDriver wraps pgx's database/sql driver and rewrites statements (see the top of this file).
type pgDriver struct{}

// Open opens a connection through pgx.
func (pgDriver) Open(name string) (driver.Conn, error) {
	c, err := stdlib.GetDefaultDriver().Open(name)
	if err != nil {
		return nil, err
	}
	return &pgConn{c: c.(*stdlib.Conn)}, nil
}

// pgConn is a pgx connection whose statements are rewritten.
type pgConn struct {
	c *stdlib.Conn
}

var (
	_ driver.ConnBeginTx        = (*pgConn)(nil)
	_ driver.ExecerContext      = (*pgConn)(nil)
	_ driver.QueryerContext     = (*pgConn)(nil)
	_ driver.ConnPrepareContext = (*pgConn)(nil)
	_ driver.NamedValueChecker  = (*pgConn)(nil)
	_ driver.SessionResetter    = (*pgConn)(nil)
	_ driver.Pinger             = (*pgConn)(nil)
	_ driver.StmtExecContext    = (*pgStmt)(nil)
	_ driver.StmtQueryContext   = (*pgStmt)(nil)
)

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext returns a statement that is rewritten and sent when it runs, with the types
// of its arguments then (pgx caches the server's prepared form per connection).
func (c *pgConn) PrepareContext(_ context.Context, query string) (driver.Stmt, error) {
	return &pgStmt{c: c, query: query}, nil
}

func (c *pgConn) Close() error { return c.c.Close() }
func (c *pgConn) Begin() (driver.Tx, error) {
	return c.c.BeginTx(context.Background(), driver.TxOptions{})
}
func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.c.BeginTx(ctx, opts)
}
func (c *pgConn) ResetSession(ctx context.Context) error { return c.c.ResetSession(ctx) }
func (c *pgConn) Ping(ctx context.Context) error         { return c.c.Ping(ctx) }

// CheckNamedValue converts an argument as database/sql would for a plain driver (so uint32
// and named integer types become int64), and a bool to 0 or 1. pgArray's arrays pass as they
// are.
func (c *pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	switch nv.Value.(type) {
	case []int64, []*int64, []string, []*string, [][]byte:
		return nil
	}
	v, err := driver.DefaultParameterConverter.ConvertValue(nv.Value)
	if err != nil {
		return err
	}
	if b, ok := v.(bool); ok {
		v = int64(0)
		if b {
			v = int64(1)
		}
	}
	nv.Value = v
	return nil
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	for i := range args {
		if err := c.CheckNamedValue(&args[i]); err != nil {
			return nil, err
		}
	}
	return c.c.ExecContext(ctx, rebind(query, args), args)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	for i := range args {
		if err := c.CheckNamedValue(&args[i]); err != nil {
			return nil, err
		}
	}
	return c.c.QueryContext(ctx, rebind(query, args), args)
}

// execBatch runs stmts in order, rewritten as ExecContext does, in one round trip to the
// server (a pgx batch), and returns the rows each changed. The first that fails ends the
// batch: n then holds the statements before it.
func (c *pgConn) execBatch(ctx context.Context, stmts []batchStmt) ([]int64, error) {
	var b pgx.Batch
	for _, st := range stmts {
		vals := make([]any, len(st.args))
		for i := range st.args {
			if err := c.CheckNamedValue(&st.args[i]); err != nil {
				return nil, err
			}
			vals[i] = st.args[i].Value
		}
		b.Queue(rebind(st.query, st.args), vals...)
	}
	br := c.c.Conn().SendBatch(ctx, &b)
	n := make([]int64, 0, len(stmts))
	for range stmts {
		tag, err := br.Exec()
		if err != nil {
			br.Close()
			return n, err
		}
		n = append(n, tag.RowsAffected())
	}
	return n, br.Close()
}

// batchStmt is a statement of execBatch and its arguments.
type batchStmt struct {
	query string
	args  []driver.NamedValue
}

// pgStmt is a statement of pgConn.
type pgStmt struct {
	c     *pgConn
	query string
}

func (s *pgStmt) Close() error                                { return nil }
func (s *pgStmt) NumInput() int                               { return -1 }
func (s *pgStmt) CheckNamedValue(nv *driver.NamedValue) error { return s.c.CheckNamedValue(nv) }
func (s *pgStmt) Exec(args []driver.Value) (driver.Result, error) {
	return nil, driver.ErrSkip
}
func (s *pgStmt) Query(args []driver.Value) (driver.Rows, error) {
	return nil, driver.ErrSkip
}
func (s *pgStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.c.ExecContext(ctx, s.query, args)
}
func (s *pgStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.c.QueryContext(ctx, s.query, args)
}

// rebound caches rewritten statements by their text and argument types.
var rebound sync.Map

// rebind rewrites query, in SQLite's dialect, for PostgreSQL with args (see the top of the
// file). Text in quotes and identifiers in double quotes is left alone.
func rebind(query string, args []driver.NamedValue) string {
	var key strings.Builder
	key.Grow(len(query) + len(args) + 1)
	key.WriteString(query)
	key.WriteByte(0)
	for _, a := range args {
		key.WriteByte(typeCode(a.Value))
	}
	if q, ok := rebound.Load(key.String()); ok {
		return q.(string)
	}
	q := rewrite(query, args)
	rebound.Store(key.String(), q)
	return q
}

// typeCode is a one-byte name of an argument's type for the cache key.
func typeCode(v any) byte {
	switch v.(type) {
	case int64:
		return 'i'
	case string:
		return 's'
	case []byte:
		return 'b'
	case float64:
		return 'f'
	case nil:
		return 'n'
	case []int64, []*int64:
		return 'I'
	case []string, []*string:
		return 'S'
	case [][]byte:
		return 'B'
	}
	return '?'
}

// cast is the PostgreSQL cast for an argument of v's type.
func cast(v any) string {
	switch v.(type) {
	case int64:
		return "::bigint"
	case string:
		return "::text"
	case []byte:
		return "::bytea"
	case float64:
		return "::float8"
	case []int64, []*int64:
		return "::bigint[]"
	case []string, []*string:
		return "::text[]"
	case [][]byte:
		return "::bytea[]"
	}
	return ""
}

// rewrite does rebind's work.
func rewrite(query string, args []driver.NamedValue) string {
	trimmed := strings.TrimSpace(query)
	upper := strings.ToUpper(trimmed[:min(len(trimmed), 32)])
	ignore := false
	if strings.HasPrefix(upper, "INSERT OR IGNORE INTO") {
		trimmed = "INSERT INTO" + trimmed[len("INSERT OR IGNORE INTO"):]
		ignore = true
	}
	ddl := strings.HasPrefix(upper, "CREATE ") || strings.HasPrefix(upper, "ALTER ")
	var b strings.Builder
	b.Grow(len(trimmed) + 8*len(args) + 32)
	next := 0 // the number of the last bare ?
	for i := 0; i < len(trimmed); i++ {
		ch := trimmed[i]
		switch {
		case ch == '\'' || ch == '"':
			j := i + 1
			for j < len(trimmed) {
				if trimmed[j] == ch {
					if j+1 < len(trimmed) && trimmed[j+1] == ch {
						j += 2
						continue
					}
					break
				}
				j++
			}
			end := min(j+1, len(trimmed))
			b.WriteString(trimmed[i:end])
			i = end - 1
		case ch == '?':
			j := i + 1
			for j < len(trimmed) && trimmed[j] >= '0' && trimmed[j] <= '9' {
				j++
			}
			n := next + 1
			if j > i+1 {
				n, _ = strconv.Atoi(trimmed[i+1 : j])
			} else {
				next = n
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			if n >= 1 && n <= len(args) {
				b.WriteString(cast(args[n-1].Value))
			}
			i = j - 1
		case ddl && isWordAt(trimmed, i, "INTEGER PRIMARY KEY"):
			// SQLite's rowid alias: the recorder gives ledger and event ids itself, changes
			// take the next one.
			b.WriteString("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
			i += len("INTEGER PRIMARY KEY") - 1
		case ddl && isWordAt(trimmed, i, "INTEGER"):
			b.WriteString("BIGINT")
			i += len("INTEGER") - 1
		case ddl && isWordAt(trimmed, i, "BLOB"):
			b.WriteString("BYTEA")
			i += len("BLOB") - 1
		case (ch == 'x' || ch == 'X') && i+4 < len(trimmed) && trimmed[i+1] == '\'' && trimmed[i+4] == '\'' && (i == 0 || !isIdent(trimmed[i-1])):
			// A one-byte blob literal, x'1f': the byte as text, which is how the store uses it.
			n, err := strconv.ParseUint(trimmed[i+2:i+4], 16, 8)
			if err != nil {
				b.WriteByte(ch)
				continue
			}
			b.WriteString("chr(" + strconv.FormatUint(n, 10) + ")")
			i += 4
		case isWordAt(trimmed, i, "CROSS JOIN"):
			b.WriteString("JOIN")
			i += len("CROSS JOIN") - 1
		case ddl && isWordAt(trimmed, i, "WITHOUT ROWID"):
			i += len("WITHOUT ROWID") - 1
		default:
			b.WriteByte(ch)
		}
	}
	if ignore {
		b.WriteString(" ON CONFLICT DO NOTHING")
	}
	return b.String()
}

// isWordAt reports whether s has the keyword w (upper case, any case in s) at i, as a whole
// word.
func isWordAt(s string, i int, w string) bool {
	if i+len(w) > len(s) || !strings.EqualFold(s[i:i+len(w)], w) {
		return false
	}
	if i > 0 && isIdent(s[i-1]) {
		return false
	}
	return i+len(w) == len(s) || !isIdent(s[i+len(w)])
}

func isIdent(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

package suppress

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// DB is the store: one SQLite file in WAL mode (Open with a path), or a PostgreSQL database
// (Open with a postgres:// URL). The engines differ only in dialect.go.
//
// Concurrency: every write transaction starts with BEGIN IMMEDIATE (the DSN's _txlock), so
// writers queue on SQLite's database lock instead of failing half-way, and busy_timeout makes
// a writer wait for the lock (Options.BusyTimeout) rather than fail at once. Two processes
// recording into the same file therefore serialise their transactions and lose nothing.
// Detecting a concurrent `run` is separate: AcquireLease keeps a lease row (name, holder,
// expiry) in the database itself, so it works across processes and hosts sharing the file.
type DB struct {
	db      *sql.DB
	path    string // the file, or the URL of a PostgreSQL database
	dialect dialect
	now     func() time.Time
	policy  Policy
	dryRun  bool

	beforeCommit func()

	// scratch is the temporary file a dry run on a store that does not exist works in,
	// removed on Close.
	scratch string

	// stmts caches statements prepared on the pool, keyed by their text; transactions use
	// them through Tx.StmtContext, so each connection parses a statement once.
	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt

	// Write transactions run one at a time on wconn, a connection kept for them, so that the
	// recorder can hand its many-row statements to the driver directly (see execRaw); raw
	// holds those statements, prepared on wconn. wmu guards all three.
	wmu   sync.Mutex
	wconn *sql.Conn
	raw   map[string]driver.Stmt
	// spareArgs are the argument slices of the last recorder's many-row statements, kept
	// for the next one (see recorder.close). wmu guards them.
	spareArgs [][]driver.NamedValue
}

// SQLite is the store's former name, kept for the code that uses it.
type SQLite = DB

var _ Store = (*DB)(nil)

// txStmt returns query prepared for use in tx, parsing it at most once per connection.
func (s *DB) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	st, ok := s.stmts[query]
	if !ok {
		var err error
		if st, err = s.db.PrepareContext(ctx, query); err != nil {
			s.stmtMu.Unlock()
			return nil, fmt.Errorf("prepare %q: %w", firstLine(query), err)
		}
		if s.stmts == nil {
			s.stmts = make(map[string]*sql.Stmt)
		}
		s.stmts[query] = st
	}
	s.stmtMu.Unlock()
	return tx.StmtContext(ctx, st), nil
}

// Open opens the store at path and applies any pending schema migrations: a PostgreSQL
// database when path is a postgres:// or postgresql:// URL (see openPostgres), else the SQLite
// file at path.
//
// For SQLite, Open opens the store at path and applies any pending schema migrations. When no file
// exists at path, Open creates a new store there, unless opts.MustExist is set; its directory
// must exist (Open never creates directories). A file that is not a bounceproc store (empty,
// not SQLite, or SQLite without this program's schema) is refused with an error wrapping
// ErrNotStore, and never converted.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	return open(ctx, path, opts, len(migrations))
}

// open opens the store and migrates it to schema version target (tests use older ones).
func open(ctx context.Context, path string, opts Options, target int) (*DB, error) {
	if path == "" {
		return nil, errors.New("suppress: open: empty path")
	}
	s := newDB(path, opts)
	if IsURL(path) {
		return openPostgres(ctx, s, opts, target)
	}
	busy := opts.BusyTimeout
	if busy <= 0 {
		busy = 10 * time.Second
	}
	setupPageCache()
	file := path
	switch fi, err := os.Stat(path); {
	case errors.Is(err, fs.ErrNotExist):
		if opts.MustExist {
			return nil, fmt.Errorf("suppress: open %s: %w", path, ErrNoStore)
		}
		if opts.DryRun {
			// A dry run shows what would happen to a new store without leaving one behind.
			if file, err = createStore(ctx, path, target, busy); err != nil {
				return nil, fmt.Errorf("suppress: create %s: %w", path, err)
			}
			s.scratch = file
			break
		}
		if err := createAt(ctx, path, target, busy); err != nil {
			return nil, fmt.Errorf("suppress: create %s: %w", path, err)
		}
	case err != nil:
		return nil, fmt.Errorf("suppress: open %s: %w", path, err)
	case fi.IsDir():
		return nil, fmt.Errorf("suppress: open %s: %w: it is a directory", path, ErrNotStore)
	}
	if err := checkHeader(file); err != nil {
		return nil, fmt.Errorf("suppress: open %s: %w", path, err)
	}
	if err := checkSchema(ctx, file, busy); err != nil {
		return nil, fmt.Errorf("suppress: open %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", dsn(file, busy))
	if err != nil {
		return nil, fmt.Errorf("suppress: open %s: %w", path, err)
	}
	s.db = db
	if err := s.migrate(ctx, target); err != nil {
		s.Close()
		return nil, fmt.Errorf("suppress: open %s: %w", path, describe(err))
	}
	return s, nil
}

// newDB returns a DB for path with opts, not yet connected.
func newDB(path string, opts Options) *DB {
	s := &DB{path: path, now: opts.Now, dryRun: opts.DryRun, beforeCommit: opts.beforeCommit}
	if s.now == nil {
		s.now = time.Now
	}
	if opts.Policy != nil {
		s.policy = *opts.Policy
	} else {
		s.policy = DefaultPolicy()
	}
	return s
}

// createAt creates a new store at path, which does not exist, in one step: the store is built
// under a temporary name next to it and then linked into place, so that no other process ever
// sees a half-made store (an empty file at path is never one of ours), and a store someone
// else created meanwhile is kept: then that one is opened.
func createAt(ctx context.Context, path string, target int, busy time.Duration) error {
	tmp, err := createStore(ctx, path, target, busy)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	err = os.Link(tmp, path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return nil
	}
	// A file system without hard links: rename, unless the store appeared meanwhile.
	if _, serr := os.Stat(path); serr == nil {
		return nil
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("move the new store into place: %w", err)
	}
	return nil
}

// createStore builds a new store under a temporary name in path's directory, with the schema
// up to version target, and returns that name. The file gets 16 KiB pages: a quarter of the
// b-tree pages, splits and WAL frames of SQLite's default 4 KiB for the same rows (recording a
// run's batch: 61 → 43 µs of CPU per mail). The size must be set before the first table and
// before the file turns to WAL; a store that exists keeps its pages.
func createStore(ctx context.Context, path string, target int, busy time.Duration) (name string, err error) {
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("directory %s does not exist (it is not created: check the path)", dir)
		}
		return "", err
	} else if !fi.IsDir() {
		return "", fmt.Errorf("%s is not a directory", dir)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".new-*")
	if err != nil {
		return "", err
	}
	name = f.Name()
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(name)
		}
	}()
	db, err := sql.Open("sqlite", fmt.Sprintf("file:%s?_pragma=busy_timeout(%d)", escapePath(name), busy.Milliseconds()))
	if err != nil {
		return name, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "PRAGMA page_size = 16384"); err != nil {
		return name, fmt.Errorf("set page size: %w", err)
	}
	tmp := &DB{db: db, path: name}
	if err := tmp.migrate(ctx, target); err != nil {
		return name, err
	}
	if _, err := db.ExecContext(ctx, "PRAGMA journal_mode = WAL"); err != nil {
		return name, fmt.Errorf("set WAL mode: %w", err)
	}
	if err := db.Close(); err != nil {
		return name, err
	}
	return name, nil
}

// dsn builds the connection string: WAL with FULL sync, so that a transaction is on disk when
// its commit returns (a run marks mails on the server right after: with NORMAL, a power cut
// could take back results whose mails were already moved; the fsync per transaction did not
// show in the run benchmark, 0.3 ms on the project's machine), a busy timeout, a 4 MiB page
// cache, temporary data in memory, and BEGIN IMMEDIATE for every transaction.
//
// The cache is small on purpose. A run pays for every page it ever caches: a page fault per
// 4 KiB when filling it, and (before setupPageCache) a madvise call per page when closing
// (32 MiB: 660 calls, 30–40 ms of CPU at the end of a run). With 4 MiB, a run of 10,000
// mails into a fresh store recorded at 26 instead of 29 µs of CPU per mail and closed in
// 15–30 instead of 35–55 ms. Smaller is not better: 10,000 mails to random
// addresses record at 47–49 µs per mail with 4 MiB, 54 with 2 and 58 with 1. Into a store
// already holding 150,000 such mails, 1, 4 and 32 MiB record alike, 176–200 µs per mail:
// reading and writing scattered index pages dominates there, which no cache this size holds.
//
// Foreign keys are declared but not enforced by SQLite: the recorder keeps them (ledger rows
// are written before their events), and enforcing them would make every batched insert keep
// a statement journal.
func dsn(path string, busy time.Duration) string {
	return fmt.Sprintf("file:%s?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"+
		"&_pragma=foreign_keys(0)&_pragma=cache_size(-%d)&_pragma=temp_store(MEMORY)&_txlock=immediate",
		escapePath(path), busy.Milliseconds(), cacheKiB)
}

// escapePath escapes path for a file: URI.
func escapePath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// Close closes the store.
func (s *DB) Close() error {
	s.wmu.Lock()
	if s.wconn != nil {
		s.wconn.Raw(func(any) error {
			for _, st := range s.raw {
				st.Close()
			}
			return nil
		})
		s.raw = nil
		s.wconn.Close()
		s.wconn = nil
	}
	s.wmu.Unlock()
	s.stmtMu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.stmtMu.Unlock()
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	if s.scratch != "" {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(s.scratch + suffix)
		}
	}
	if err != nil {
		return fmt.Errorf("suppress: close %s: %w", s.path, err)
	}
	return nil
}

// CheckpointWAL copies into the database file what the write-ahead log holds, as far as no
// reader still needs it, without waiting for anyone (a passive checkpoint). Closing the store
// does this for the whole log, and syncs the file; a caller with idle time before it closes
// (a run while the server marks its last mails) can take that work off the close.
func (s *DB) CheckpointWAL(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
		return fmt.Errorf("suppress: checkpoint %s: %w", s.path, err)
	}
	return nil
}

// Path returns the file the store lives in.
func (s *DB) Path() string { return s.path }

// SchemaVersion returns the schema version of the open store.
func (s *DB) SchemaVersion(ctx context.Context) (int, error) {
	v, err := s.dialect.readVersion(ctx, s.db)
	if err != nil {
		return 0, fmt.Errorf("suppress: read schema version: %w", err)
	}
	return v, nil
}

// write runs fn in one write transaction. In dry-run mode the transaction is rolled back
// after fn succeeded, unless always is set (leases).
func (s *DB) write(ctx context.Context, always bool, fn func(tx *sql.Tx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if s.dryRun && !always {
		if err := tx.Rollback(); err != nil {
			return fmt.Errorf("roll back dry run: %w", err)
		}
		return nil
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// beginWrite begins a transaction on wconn, taking a connection from the pool first if there
// is none. database/sql closes a Conn whose driver reported it broken; then a fresh one
// replaces it (with none of the old one's statements), so that one bad connection does not
// fail every later write. s.wmu must be held.
func (s *DB) beginWrite(ctx context.Context) (*sql.Tx, error) {
	if s.wconn != nil {
		tx, err := s.wconn.BeginTx(ctx, nil)
		if !errors.Is(err, sql.ErrConnDone) {
			return s.locked(ctx, tx, err)
		}
		s.wconn, s.raw = nil, nil
	}
	c, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	s.wconn = c
	tx, err := c.BeginTx(ctx, nil)
	return s.locked(ctx, tx, err)
}

// locked takes the dialect's write lock in a transaction just begun (BeginTx's results).
func (s *DB) locked(ctx context.Context, tx *sql.Tx, err error) (*sql.Tx, error) {
	if err != nil {
		return nil, err
	}
	if err := s.dialect.lockWrites(ctx, tx); err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}

// execRaw runs query with args in the transaction open on wconn (so only within write's fn),
// giving them to the driver as they are, and returns the number of rows it changed. The
// recorder's many-row statements take thousands of arguments per transaction; database/sql
// would copy each into a fresh slice and convert it again on every call. Statements are
// prepared on the connection once, when first used.
func (s *DB) execRaw(ctx context.Context, query string, args []driver.NamedValue) (int64, error) {
	var n int64
	err := s.wconn.Raw(func(dc any) error {
		if s.dialect.postgres {
			// No statement to keep: pgConn rewrites the query, and pgx keeps its prepared form.
			x, ok := dc.(driver.ExecerContext)
			if !ok {
				return fmt.Errorf("driver connection %T cannot execute with a context", dc)
			}
			res, err := x.ExecContext(ctx, query, args)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		}
		st, ok := s.raw[query]
		if !ok {
			pc, ok := dc.(driver.ConnPrepareContext)
			if !ok {
				return fmt.Errorf("driver connection %T cannot prepare with a context", dc)
			}
			var err error
			if st, err = pc.PrepareContext(ctx, query); err != nil {
				return fmt.Errorf("prepare %q: %w", firstLine(query), err)
			}
			if s.raw == nil {
				s.raw = make(map[string]driver.Stmt)
			}
			s.raw[query] = st
		}
		x, ok := st.(driver.StmtExecContext)
		if !ok {
			return fmt.Errorf("driver statement %T cannot execute with a context", st)
		}
		res, err := x.ExecContext(ctx, args)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// execBatch runs stmts in order in the transaction open on wconn, as execRaw does each, in
// one round trip to a PostgreSQL server, and returns the rows each changed: up to the one that
// failed, when one did.
func (s *DB) execBatch(ctx context.Context, stmts []batchStmt) ([]int64, error) {
	var n []int64
	err := s.wconn.Raw(func(dc any) error {
		c, ok := dc.(*pgConn)
		if !ok {
			return fmt.Errorf("driver connection %T cannot run a batch", dc)
		}
		var err error
		n, err = c.execBatch(ctx, stmts)
		return err
	})
	return n, err
}

// Times are stored as integer Unix milliseconds, UTC; 0 or NULL means unset.
func toMS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// migrations are the schema versions in order: migrations[i] takes a store from version i to
// i+1. An SQLite file's version is its PRAGMA user_version, a PostgreSQL store's the row of
// its schema_version table. PostgreSQL runs the same steps, rewritten by dialect.go, and
// pgMigrations replaces the ones it cannot run. Never edit a released migration: add one.
var migrations = []func(ctx context.Context, tx *sql.Tx) error{
	migrateV1,
	migrateV2,
	migrateV3,
	migrateV4,
	migrateV5,
	migrateV6,
	migrateV7,
	migrateV8,
	migrateV9,
}

// migrate brings the file up to version target, one transaction per step. BEGIN IMMEDIATE
// makes concurrent openers wait for each other, and the version is read again inside the
// transaction, so each step runs once.
func (s *DB) migrate(ctx context.Context, target int) error {
	for {
		done, err := s.migrateStep(ctx, target)
		if err != nil || done {
			return err
		}
	}
}

func (s *DB) migrateStep(ctx context.Context, target int) (done bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migrate: begin: %w", err)
	}
	defer tx.Rollback()
	if err := s.dialect.lockMigrations(ctx, tx); err != nil {
		return false, fmt.Errorf("migrate: %w", err)
	}
	v, err := s.dialect.readVersion(ctx, tx)
	if err != nil {
		return false, fmt.Errorf("migrate: read version: %w", err)
	}
	if v > len(migrations) {
		return false, fmt.Errorf("migrate: file has schema version %d, newer than this program's %d", v, len(migrations))
	}
	if v >= target {
		return true, nil
	}
	step := migrations[v]
	if s.dialect.postgres && v < len(pgMigrations) && pgMigrations[v] != nil {
		step = pgMigrations[v]
	}
	if err := step(ctx, tx); err != nil {
		return false, fmt.Errorf("migrate to version %d: %w", v+1, err)
	}
	if err := s.dialect.setVersion(ctx, tx, v+1); err != nil {
		return false, fmt.Errorf("migrate to version %d: set version: %w", v+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migrate to version %d: commit: %w", v+1, err)
	}
	return false, nil
}

func execAll(ctx context.Context, tx *sql.Tx, stmts ...string) error {
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", firstLine(q), err)
		}
	}
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// migrateV1 creates the first schema: ledger, checkpoints, events, entries (the per-address
// summary and suppression state), changes and the allow list.
func migrateV1(ctx context.Context, tx *sql.Tx) error {
	return execAll(ctx, tx,
		`CREATE TABLE ledger (
			id           INTEGER PRIMARY KEY,
			mailbox      TEXT    NOT NULL,
			uid_validity INTEGER NOT NULL,
			uid          INTEGER NOT NULL,
			message_id   TEXT    NOT NULL,
			content_hash BLOB    NOT NULL,
			problems     INTEGER NOT NULL DEFAULT 0,
			recorded_at  INTEGER NOT NULL,
			marked_at    INTEGER,
			duplicate_of INTEGER REFERENCES ledger(id),
			UNIQUE (mailbox, uid_validity, uid)
		)`,
		`CREATE UNIQUE INDEX ledger_content ON ledger(message_id, content_hash) WHERE duplicate_of IS NULL`,
		`CREATE INDEX ledger_unmarked ON ledger(mailbox, id) WHERE marked_at IS NULL`,
		`CREATE TABLE checkpoints (
			mailbox      TEXT PRIMARY KEY,
			uid_validity INTEGER NOT NULL,
			last_uid     INTEGER NOT NULL
		)`,
		`CREATE TABLE events (
			id               INTEGER PRIMARY KEY,
			ledger_id        INTEGER NOT NULL REFERENCES ledger(id),
			address          TEXT    NOT NULL,
			original_address TEXT    NOT NULL,
			kind             TEXT    NOT NULL,
			reason           TEXT    NOT NULL,
			status           TEXT    NOT NULL,
			reply_code       TEXT    NOT NULL,
			diagnostic       TEXT    NOT NULL,
			remote_mta       TEXT    NOT NULL,
			hard             INTEGER NOT NULL,
			suppress         INTEGER NOT NULL,
			occurred_at      INTEGER NOT NULL,
			recorded_at      INTEGER NOT NULL
		)`,
		`CREATE INDEX events_address ON events(address, occurred_at)`,
		`CREATE INDEX events_occurred ON events(occurred_at)`,
		`CREATE TABLE entries (
			address          TEXT PRIMARY KEY,
			kind             TEXT    NOT NULL DEFAULT '',
			reason           TEXT    NOT NULL DEFAULT '',
			status           TEXT    NOT NULL DEFAULT '',
			reply_code       TEXT    NOT NULL DEFAULT '',
			last_diagnostic  TEXT    NOT NULL DEFAULT '',
			first_seen       INTEGER NOT NULL DEFAULT 0,
			last_seen        INTEGER NOT NULL DEFAULT 0,
			bounce_count     INTEGER NOT NULL DEFAULT 0,
			suppressed       INTEGER NOT NULL DEFAULT 0,
			suppressed_kind  TEXT    NOT NULL DEFAULT '',
			suppressed_since INTEGER NOT NULL DEFAULT 0,
			source           TEXT    NOT NULL DEFAULT '',
			by               TEXT    NOT NULL DEFAULT '',
			why              TEXT    NOT NULL DEFAULT '',
			cause_event_id   INTEGER NOT NULL DEFAULT 0,
			reset_at         INTEGER NOT NULL DEFAULT 0
		) WITHOUT ROWID`,
		`CREATE INDEX entries_suppressed ON entries(suppressed, address)`,
		`CREATE TABLE changes (
			id       INTEGER PRIMARY KEY,
			address  TEXT    NOT NULL,
			action   TEXT    NOT NULL,
			source   TEXT    NOT NULL,
			kind     TEXT    NOT NULL DEFAULT '',
			by       TEXT    NOT NULL DEFAULT '',
			why      TEXT    NOT NULL DEFAULT '',
			event_id INTEGER NOT NULL DEFAULT 0,
			at       INTEGER NOT NULL
		)`,
		`CREATE INDEX changes_address ON changes(address, id)`,
		`CREATE TABLE allow (
			pattern TEXT PRIMARY KEY,
			by      TEXT    NOT NULL DEFAULT '',
			why     TEXT    NOT NULL DEFAULT '',
			at      INTEGER NOT NULL
		)`,
	)
}

// migrateV2 adds the receiving domain to events and entries (backfilled from the address, for
// stats by domain) and the leases table a run uses to detect another run on the same store,
// and reshapes the indexes for recording speed: the soft-bounce count reads (address, kind,
// occurred_at) from the index alone, the content index leads with the hash (a batch looks its
// mails up by hash, and many mails may lack a Message-ID), and indexes no query needed are
// dropped (exports walk entries in address order; stats scan events).
func migrateV2(ctx context.Context, tx *sql.Tx) error {
	// rtrim(a, replace(a, '@', '')) strips every trailing character but '@', leaving the
	// address up to its last '@'; what follows is the domain.
	const domainOf = `substr(address, length(rtrim(address, replace(address, '@', ''))) + 1)`
	return execAll(ctx, tx,
		`ALTER TABLE events ADD COLUMN domain TEXT NOT NULL DEFAULT ''`,
		`UPDATE events SET domain = `+domainOf,
		`ALTER TABLE entries ADD COLUMN domain TEXT NOT NULL DEFAULT ''`,
		`UPDATE entries SET domain = `+domainOf,
		`DROP INDEX ledger_content`,
		`CREATE UNIQUE INDEX ledger_content_hash ON ledger(content_hash, message_id) WHERE duplicate_of IS NULL`,
		`DROP INDEX entries_suppressed`,
		`DROP INDEX events_occurred`,
		`DROP INDEX events_address`,
		`CREATE INDEX events_address_kind ON events(address, kind, occurred_at)`,
		`CREATE TABLE leases (
			name       TEXT PRIMARY KEY,
			holder     TEXT    NOT NULL,
			expires_at INTEGER NOT NULL
		)`,
	)
}

// migrateV3 splits the index of changes by address for recording speed. A change the policy
// made names the event that caused it, and has that event's address: History finds those
// through the events of the address, and changeEvents indexes them by event, which grows at
// its end as events are recorded (the address index took a write at a random place per
// change). Changes made by hand (event id 0) keep an index by address, for History.
func migrateV3(ctx context.Context, tx *sql.Tx) error {
	return execAll(ctx, tx,
		`DROP INDEX changes_address`,
		`CREATE INDEX changes_manual ON changes(address, id) WHERE event_id = 0`,
		`CREATE INDEX changes_event ON changes(event_id) WHERE event_id != 0`,
	)
}

// migrateV4 replaces the content index, (content_hash, message_id), with one on the first 8
// bytes of the hash. A batch looks its mails up by hash, and hashes are random, so a
// transaction of a few hundred mails wrote to nearly every leaf of the old index, ~80 bytes
// an entry: about 14 bytes an entry now, a sixth of the pages to rewrite and log (recording a
// run's batch: 44 → 42 µs of CPU per mail with no content index at all, the bound of this).
// Lookups compare the whole hash and Message-ID of what the prefix finds. The old index was
// also unique; the recorder already looks every mail's content up in its write transaction
// before inserting it (preload), so duplicates are recognised without it.
func migrateV4(ctx context.Context, tx *sql.Tx) error {
	return execAll(ctx, tx,
		`DROP INDEX ledger_content_hash`,
		`CREATE INDEX ledger_content_prefix ON ledger(substr(content_hash, 1, 8)) WHERE duplicate_of IS NULL`,
	)
}

// migrateV5 keeps the content hash's first 8 bytes in a column of their own, hash_prefix, and
// indexes that instead of the expression substr(content_hash, 1, 8): the same index, but an
// index on an expression makes SQLite keep a statement journal for every many-row insert
// into the ledger (the expression might fail half-way through the statement), copying each
// page the statement changes first (3.7 % of the CPU of recording a run's batch).
func migrateV5(ctx context.Context, tx *sql.Tx) error {
	return execAll(ctx, tx,
		`ALTER TABLE ledger ADD COLUMN hash_prefix BLOB`,
		`UPDATE ledger SET hash_prefix = substr(content_hash, 1, 8)`,
		`DROP INDEX ledger_content_prefix`,
		`CREATE INDEX ledger_hash_prefix ON ledger(hash_prefix) WHERE duplicate_of IS NULL`,
	)
}

// migrateV6 repairs the stores that schema version 5 was first released with (commit
// 12fdc60, landed on main), whose ledger column was named content_key and its index
// ledger_content_key: version 5 was later renamed in place to hash_prefix, which such a store
// lacks, so the recorder could not write to it ("no such column: hash_prefix"). Every other
// store already has hash_prefix and is left as it is.
func migrateV6(ctx context.Context, tx *sql.Tx) error {
	var old int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('ledger') WHERE name = 'content_key'`).Scan(&old); err != nil {
		return err
	}
	if old == 0 {
		return nil
	}
	return execAll(ctx, tx,
		`DROP INDEX IF EXISTS ledger_content_key`,
		`ALTER TABLE ledger RENAME COLUMN content_key TO hash_prefix`,
		`CREATE INDEX ledger_hash_prefix ON ledger(hash_prefix) WHERE duplicate_of IS NULL`,
	)
}

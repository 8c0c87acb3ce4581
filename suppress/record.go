package suppress

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/bounceproc/bounceproc/classify"
)

// RecordMail records one processed mail and its events in one transaction; see Store.
func (s *DB) RecordMail(ctx context.Context, mail Mail, events []Event) (Result, error) {
	rs, err := s.RecordMails(ctx, []MailEvents{{Mail: mail, Events: events}})
	if err != nil {
		return Result{}, err
	}
	return rs[0], nil
}

// RecordMails records many mails in one transaction; see Store.
func (s *DB) RecordMails(ctx context.Context, batch []MailEvents) ([]Result, error) {
	return s.RecordMailsMarkDone(ctx, batch, nil)
}

// RecordMailsMarkDone records batch as RecordMails does and, in the same transaction, marks
// the mails done names as MarkDoneMany would (done may name mails of the batch): a run settles
// the mails the server confirmed as marked with its next batch instead of in a transaction of
// their own. Unknown mails in done are skipped and counted in the error, which wraps
// ErrNotFound, after everything else was committed.
func (s *DB) RecordMailsMarkDone(ctx context.Context, batch []MailEvents, done []MailID) ([]Result, error) {
	if len(batch) == 0 {
		return nil, s.MarkDoneMany(ctx, done)
	}
	batch = validBatch(batch)
	results := make([]Result, 0, len(batch))
	var missing []MailID
	err := s.write(ctx, false, func(tx *sql.Tx) error {
		r := newRecorder(ctx, s, tx, s.now().UTC())
		defer r.close()
		r.doneNew = doneSet(done)
		if err := r.preload(batch); err != nil {
			return err
		}
		for _, me := range batch {
			res, err := r.mail(me.Mail, me.Events)
			if err != nil {
				return fmt.Errorf("mail %s/%d/%d: %w", me.Mail.Mailbox, me.Mail.UIDValidity, me.Mail.UID, err)
			}
			results = append(results, res)
		}
		if err := r.flushStates(); err != nil {
			return err
		}
		if err := r.flush(); err != nil {
			return err
		}
		if rest := notMarkedAtInsert(done, r.doneNew); len(rest) > 0 {
			var err error
			if missing, err = s.markDone(ctx, tx, rest); err != nil {
				return fmt.Errorf("mark done: %w", err)
			}
		}
		if s.beforeCommit != nil {
			s.beforeCommit()
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("suppress: record: %w", err)
	}
	return results, missingErr(len(done), missing)
}

// recorder applies mails to one transaction with prepared statements.
type recorder struct {
	ctx    context.Context
	s      *DB
	tx     *sql.Tx
	policy Policy
	now    time.Time

	stmts [numQueries]*sql.Stmt
	moves []checkpointMove

	allowLoaded bool
	allow       map[string]bool // nil when the list is too long to cache

	// Read once per batch by preload and kept up to date by the recorder's own writes:
	// normalised addresses, the suppression state of the batch's addresses (absent ones
	// have no key), and the ledger rows the batch's contents already have.
	normal  map[string]normalized
	states  map[string]entryState
	content map[string]int64
	// known holds the ledger rows of the batch's MailIDs; lastLedgerID and lastEventID are
	// the highest ids used. The transaction holds the write lock, so the recorder numbers
	// new rows itself and inserts them many to a statement (ledgerRows, eventRows).
	known                     map[MailID]knownMail
	lastLedgerID, lastEventID int64
	ledgerRows, eventRows     rowBatch
	// newEntryRows are the entries failure events create (the address had none), each with
	// the suppression the policy decided for its event, entryRows the upserts of the other
	// failure events, and changeRows the change log rows, all written many to a statement.
	// Creating an entry is a plain insert: an upsert may fail half-way, so SQLite keeps a
	// statement journal for it, a copy of every page it changes. stateOps is each address's
	// last change of its suppression state in the batch after its entry existed (and its
	// latest reset), written once per address after the upserts (see flushStates). Nothing
	// reads entries back within the transaction: the recorder's states map is what the
	// policy sees.
	newEntryRows, entryRows, changeRows rowBatch
	stateOps                            map[string]*stateOp
	// pendingEntries are the addresses with a row in entryRows, where the dialect allows one
	// per statement.
	pendingEntries map[string]bool
	stateOrder     []string

	// doneNew holds the mails to mark done in the transaction, each true once inserted as
	// marked: a mail of the batch that is marked done in the same transaction (a run settles
	// so the mails it leaves in place) gets its ledger row with marked_at set, instead of an
	// update of the row just inserted. BenchmarkRecordRunBatch/mark=none, five paired rounds:
	// 39.6–51.0 → 35.4–46.6 µs of CPU per mail, 3.3 less on average.
	doneNew map[MailID]bool

	// soft holds, for the batch's addresses, the times of their soft bounces from SoftWindow
	// before the batch's earliest event on.
	soft map[string][]int64
}

// doneSet is the set of ids, for recorder.doneNew; nil when there are none.
func doneSet(ids []MailID) map[MailID]bool {
	if len(ids) == 0 {
		return nil
	}
	set := make(map[MailID]bool, len(ids))
	for _, id := range ids {
		set[id] = false
	}
	return set
}

// notMarkedAtInsert returns the ids the recorder did not insert as marked (see
// recorder.doneNew), in order.
func notMarkedAtInsert(ids []MailID, set map[MailID]bool) []MailID {
	var rest []MailID
	for _, id := range ids {
		if !set[id] {
			rest = append(rest, id)
		}
	}
	return rest
}

type knownMail struct {
	id     int64
	marked bool
}

// rowBatch collects rows for a multi-row statement: head, then one parenthesised tuple of
// width parameters per row, then tail.
type rowBatch struct {
	name       string // for errors
	head, tail string
	width      int
	chunk      int // rows per statement
	args       []driver.NamedValue
	rows       int
	queries    map[int]string
	err        error // from add
}

// insertBatch is a multi-row INSERT into table. OR IGNORE makes SQLite skip the statement
// journal it would otherwise keep for a statement that may fail half-way; insert checks that
// every row went in, so nothing is ignored unseen.
func insertBatch(table string, chunk int, columns ...string) rowBatch {
	return rowBatch{name: "insert into " + table, chunk: chunk, width: len(columns),
		head: "INSERT OR IGNORE INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES "}
}

// add adds a row. Its values are converted to the driver's types here (UIDs, for one, are
// uint32), as database/sql would, since insert bypasses it; a value that cannot be converted
// fails the next insert.
func (b *rowBatch) add(values ...any) {
	for _, v := range values {
		if !driver.IsValue(v) {
			var err error
			if v, err = driver.DefaultParameterConverter.ConvertValue(v); err != nil && b.err == nil {
				b.err = fmt.Errorf("%s: %w", b.name, err)
			}
		}
		b.args = append(b.args, driver.NamedValue{Value: v})
	}
	b.rows++
}

// query is the statement for rows rows.
func (b *rowBatch) query(rows int) string {
	if q, ok := b.queries[rows]; ok {
		return q
	}
	one := "(?" + strings.Repeat(", ?", b.width-1) + ")"
	q := b.head + one + strings.Repeat(", "+one, rows-1) + b.tail
	if b.queries == nil {
		b.queries = make(map[int]string)
	}
	b.queries[rows] = q
	return q
}

// insert runs the batch's rows, whole chunks only unless all is set, and checks that each row
// changed one row of the table. Statements come in a few sizes (the chunk, 16, 4 and 1 rows)
// so that their prepared forms are reused.
func (b *rowBatch) insert(r *recorder, all bool) error {
	if b.err != nil {
		return b.err
	}
	n := b.width
	for b.rows >= b.chunk || (all && b.rows > 0) {
		rows := b.chunk
		for _, size := range []int{b.chunk, 16, 4, 1} {
			if b.rows >= size {
				rows = size
				break
			}
		}
		args := b.args[:rows*n]
		for i := range args {
			args[i].Ordinal = i + 1
		}
		got, err := r.s.execRaw(r.ctx, b.query(rows), args)
		if err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
		if got != int64(rows) {
			return fmt.Errorf("%s: %d of %d rows changed (a constraint ignored the rest)", b.name, got, rows)
		}
		b.args = append(b.args[:0], b.args[rows*n:]...)
		b.rows -= rows
	}
	return nil
}

// entryOncePerStatement keeps an address to one row of an entry upsert statement where the
// dialect needs it (see dialect.upsertsRowOnce): when addr already has a pending row, the
// pending rows go in first.
func (r *recorder) entryOncePerStatement(addr string) error {
	if !r.s.dialect.upsertsRowOnce() {
		return nil
	}
	if r.entryRows.rows == 0 {
		clear(r.pendingEntries)
	}
	if r.pendingEntries[addr] {
		if err := r.flushRows(true); err != nil {
			return err
		}
		clear(r.pendingEntries)
	}
	if r.pendingEntries == nil {
		r.pendingEntries = make(map[string]bool)
	}
	r.pendingEntries[addr] = true
	return nil
}

// flushRows inserts the pending rows, ledger rows first (events refer to them) and new
// entries before entry upserts (which may update them): only full chunks of events, entries
// and changes unless all is set.
func (r *recorder) flushRows(all bool) error {
	if !all && r.eventRows.rows < r.eventRows.chunk && r.ledgerRows.rows < r.ledgerRows.chunk &&
		r.newEntryRows.rows < r.newEntryRows.chunk && r.entryRows.rows < r.entryRows.chunk &&
		r.changeRows.rows < r.changeRows.chunk {
		return nil
	}
	if err := r.ledgerRows.insert(r, true); err != nil {
		return err
	}
	upserts := all || r.entryRows.rows >= r.entryRows.chunk
	// Entry and change rows are read from their events' rows (see fromEvents): all pending
	// events go in before any of those does.
	dependents := upserts || r.newEntryRows.rows >= r.newEntryRows.chunk || r.changeRows.rows >= r.changeRows.chunk
	if err := r.eventRows.insert(r, all || dependents); err != nil {
		return err
	}
	if err := r.newEntryRows.insert(r, upserts); err != nil {
		return err
	}
	if err := r.entryRows.insert(r, all); err != nil {
		return err
	}
	return r.changeRows.insert(r, all)
}

// stateOp is what a batch does to an address's suppression state: set sets it to the fields
// below (a suppression or a release), resetAt raises reset_at.
type stateOp struct {
	set        bool
	suppressed bool
	kind       string
	since      int64
	source     string
	why        string
	causeEvent int64
	resetAt    int64
}

// op returns the pending state change of addr, adding one.
func (r *recorder) op(addr string) *stateOp {
	o, ok := r.stateOps[addr]
	if !ok {
		o = &stateOp{}
		r.stateOps[addr] = o
		r.stateOrder = append(r.stateOrder, addr)
	}
	return o
}

// qSetStates applies stateOps many addresses to a statement. Every address has an entry by
// then: ops follow a failure event's upsert or a preloaded entry.
const qSetStates = `UPDATE entries SET
		suppressed       = iif(v.column2, v.column3, suppressed),
		suppressed_kind  = iif(v.column2, v.column4, suppressed_kind),
		suppressed_since = iif(v.column2, v.column5, suppressed_since),
		source           = iif(v.column2, v.column6, source),
		by               = iif(v.column2, '', by),
		why              = iif(v.column2, v.column7, why),
		cause_event_id   = iif(v.column2, v.column8, cause_event_id),
		reset_at         = max(reset_at, v.column9)
	FROM (VALUES `

// flushStates writes the entry upserts and change rows still pending, then the suppression
// state of every address the batch changed after creating its entry.
func (r *recorder) flushStates() error {
	if err := r.flushRows(true); err != nil {
		return err
	}
	b := rowBatch{name: "update entries", head: qSetStates, tail: `) AS v WHERE entries.address = v.column1`,
		width: 9, chunk: 100}
	for _, addr := range r.stateOrder {
		o := r.stateOps[addr]
		b.add(addr, o.set, o.suppressed, o.kind, o.since, o.source, o.why, o.causeEvent, o.resetAt)
	}
	if err := b.insert(r, true); err != nil {
		return err
	}
	clear(r.stateOps)
	r.stateOrder = r.stateOrder[:0]
	return nil
}

type normalized struct {
	addr string
	err  error
}

// entryState is the part of an entry the policy reads.
type entryState struct {
	suppressed     bool
	kind, source   string
	since, resetAt int64
}

// preloadChunk is the number of values in one IN (...) list of preload's queries.
const preloadChunk = 100

// queryIn runs query, whose "(IN)" stands for a list of preloadChunk parameters, for values in
// chunks, with fixed as the parameters before the list. The last chunk is padded by repeating
// its last value, so the statement text never changes and its prepared form is reused. scan
// is called for every row.
func (r *recorder) queryIn(query string, fixed, values []any, scan func(*sql.Rows) error) error {
	q := strings.Replace(query, "(IN)", "(?"+strings.Repeat(", ?", preloadChunk-1)+")", 1)
	st, err := r.s.txStmt(r.ctx, r.tx, q)
	if err != nil {
		return err
	}
	args := make([]any, 0, len(fixed)+preloadChunk)
	for i := 0; i < len(values); i += preloadChunk {
		args = append(append(args[:0], fixed...), values[i:min(i+preloadChunk, len(values))]...)
		for len(args) < len(fixed)+preloadChunk {
			args = append(args, args[len(args)-1])
		}
		rows, err := st.QueryContext(r.ctx, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// preload reads in a few queries what the batch's mails and events would otherwise look up
// one by one: the highest ids, the ledger rows of its MailIDs and of its contents, the
// entries of its addresses and their recent soft bounces.
func (r *recorder) preload(batch []MailEvents) error {
	if err := r.scan(qMaxLedgerID, nil, &r.lastLedgerID); err != nil {
		return fmt.Errorf("read ledger: %w", err)
	}
	if err := r.scan(qMaxEventID, nil, &r.lastEventID); err != nil {
		return fmt.Errorf("read events: %w", err)
	}
	// The batch's MailIDs that are in the ledger, per mailbox and UIDVALIDITY.
	r.known = make(map[MailID]knownMail)
	ids := make([]MailID, len(batch))
	var prefixes []any
	for i, me := range batch {
		ids[i] = me.Mail.MailID
		prefixes = append(prefixes, me.Mail.Hash[:contentPrefix])
	}
	boxes, uids := uidsByBox(ids)
	for _, b := range boxes {
		// Only UIDs up to the highest one recorded can be known: in a run, new mails are all
		// above it, and one lookup of the highest spares looking each of them up.
		var top int64
		err := r.scan(qTopUID, []any{b.mailbox, b.uidv}, &top)
		if err != nil {
			return fmt.Errorf("read ledger: %w", err)
		}
		var maybe []any
		for _, u := range uids[b] {
			if int64(u.(uint32)) <= top {
				maybe = append(maybe, u)
			}
		}
		err = r.queryIn(`SELECT uid, id, marked_at IS NOT NULL FROM ledger WHERE mailbox = ? AND uid_validity = ? AND uid IN (IN)`,
			[]any{b.mailbox, b.uidv}, maybe, func(rows *sql.Rows) error {
				var uid uint32
				var k knownMail
				if err := rows.Scan(&uid, &k.id, &k.marked); err != nil {
					return err
				}
				r.known[MailID{b.mailbox, b.uidv, uid}] = k
				return nil
			})
		if err != nil {
			return fmt.Errorf("read ledger: %w", err)
		}
	}
	r.content = make(map[string]int64)
	// The index holds the hashes' first bytes (see migrateV4 and V5): what it finds is matched
	// on the whole hash and Message-ID by the map's key.
	err := r.queryIn(`SELECT id, message_id, content_hash FROM ledger WHERE hash_prefix IN (IN) AND duplicate_of IS NULL AND quarantine = ''`,
		nil, prefixes, func(rows *sql.Rows) error {
			var id int64
			var mid string
			var h []byte
			if err := rows.Scan(&id, &mid, &h); err != nil {
				return err
			}
			r.content[contentKey(mid, h)] = id
			return nil
		})
	if err != nil {
		return fmt.Errorf("read ledger: %w", err)
	}

	r.normal = make(map[string]normalized)
	var addrs []any
	seen := make(map[string]bool)
	earliest := int64(math.MaxInt64)
	for _, me := range batch {
		for _, ev := range me.Events {
			n := r.normalize(ev.Address)
			if n.err == nil && !seen[n.addr] {
				seen[n.addr] = true
				addrs = append(addrs, n.addr)
			}
			at := ev.OccurredAt
			if at.IsZero() {
				at = r.now
			}
			earliest = min(earliest, toMS(at))
		}
	}
	r.states = make(map[string]entryState)
	err = r.queryIn(`SELECT address, suppressed, suppressed_kind, suppressed_since, source, reset_at FROM entries WHERE address IN (IN)`,
		nil, addrs, func(rows *sql.Rows) error {
			var a string
			var e entryState
			if err := rows.Scan(&a, &e.suppressed, &e.kind, &e.since, &e.source, &e.resetAt); err != nil {
				return err
			}
			r.states[a] = e
			return nil
		})
	if err != nil {
		return fmt.Errorf("read entries: %w", err)
	}
	r.soft = make(map[string][]int64)
	if r.policy.SoftDays > 0 {
		// A soft bounce is a failure, and every failure event upserts its address's entry:
		// only addresses with an entry can have soft bounces. The (address, kind,
		// occurred_at) index answers this alone.
		var known []any
		for _, a := range addrs {
			if _, ok := r.states[a.(string)]; ok {
				known = append(known, a)
			}
		}
		softFrom := earliest - r.policy.SoftWindow.Milliseconds()
		err = r.queryIn(`SELECT address, occurred_at FROM events WHERE kind = 'soft' AND occurred_at > ? AND address IN (IN)`,
			[]any{softFrom}, known, func(rows *sql.Rows) error {
				var a string
				var at int64
				if err := rows.Scan(&a, &at); err != nil {
					return err
				}
				r.soft[a] = append(r.soft[a], at)
				return nil
			})
		if err != nil {
			return fmt.Errorf("read soft bounces: %w", err)
		}
	}
	return nil
}

// contentPrefix is the number of leading bytes of a content hash the ledger indexes, in its
// column hash_prefix.
const contentPrefix = 8

func contentKey(messageID string, hash []byte) string { return messageID + "\x00" + string(hash) }

// normalize is Normalize, remembered for the batch.
func (r *recorder) normalize(address string) normalized {
	n, ok := r.normal[address]
	if !ok {
		n.addr, n.err = Normalize(address)
		r.normal[address] = n
	}
	return n
}

// The recorder's statements, parsed once per connection (see txStmt) and bound to the
// transaction on first use.
const (
	qAllowed = iota
	qSetCheckpoint
	qMaxLedgerID
	qMaxEventID
	qTopUID
	qAllowCount
	qAllowList
	numQueries
)

// entryUpsert is the tail of the multi-row entry upsert: the latest failure event (by
// occurrence) gives the entry its kind, reason and codes. Rows of one statement that name the
// same address apply in turn, as separate statements would.
const entryUpsert = `
		ON CONFLICT (address) DO UPDATE SET
			kind            = iif(excluded.last_seen >= entries.last_seen, excluded.kind, entries.kind),
			reason          = iif(excluded.last_seen >= entries.last_seen, excluded.reason, entries.reason),
			status          = iif(excluded.last_seen >= entries.last_seen, excluded.status, entries.status),
			reply_code      = iif(excluded.last_seen >= entries.last_seen, excluded.reply_code, entries.reply_code),
			last_diagnostic = iif(excluded.last_seen >= entries.last_seen, excluded.last_diagnostic, entries.last_diagnostic),
			first_seen      = iif(entries.first_seen = 0 OR excluded.last_seen < entries.first_seen, excluded.last_seen, entries.first_seen),
			last_seen       = max(entries.last_seen, excluded.last_seen),
			bounce_count    = entries.bounce_count + 1`

// An entry's row repeats most of its latest failure event's, and a change the policy makes
// names its event and that event's address: the statements that write entries and changes
// take those values from the event's row, just inserted, and are given only the event's id
// and what the event's row lacks. For a new entry that is why the policy suppresses the
// address ("" when it does not); for a change, its action, kind, why and time. Binding the
// values again cost more than reading them back (13 fewer values per new address, 3 per
// change). VALUES drives the join (CROSS JOIN keeps it the outer loop), so rows apply in the
// order given, as upserts and the change log need. WHERE true lets SQLite parse the upsert's
// ON CONFLICT after a join.
const (
	entryFromEvent = `SELECT e.address, e.domain, e.kind, e.reason, e.status, e.reply_code, e.diagnostic,
		e.occurred_at, e.occurred_at, 1 FROM (VALUES `
	newEntryFromEvent = `SELECT e.address, e.domain, e.kind, e.reason, e.status, e.reply_code, e.diagnostic,
		e.occurred_at, e.occurred_at, 1,
		iif(v.column2 != '', 1, 0), iif(v.column2 != '', e.kind, ''), iif(v.column2 != '', e.occurred_at, 0),
		iif(v.column2 != '', '` + string(SourcePolicy) + `', ''), v.column2, iif(v.column2 != '', e.id, 0) FROM (VALUES `
	changeFromEvent = `SELECT e.address, v.column2, '` + string(SourcePolicy) + `', v.column3, '', v.column4, e.id, v.column5 FROM (VALUES `
	fromEvents      = `) AS v CROSS JOIN events AS e ON e.id = v.column1`
)

var recorderQueries = [numQueries]string{
	qAllowed: `SELECT count(*) FROM allow WHERE pattern IN (?, ?)`,
	qSetCheckpoint: `INSERT INTO checkpoints (mailbox, uid_validity, last_uid) VALUES (?1, ?2, ?3)
		ON CONFLICT (mailbox) DO UPDATE SET last_uid = iif(checkpoints.uid_validity = ?2, max(checkpoints.last_uid, ?3), ?3), uid_validity = ?2`,
	qMaxLedgerID: `SELECT coalesce(max(id), 0) FROM ledger`,
	qMaxEventID:  `SELECT coalesce(max(id), 0) FROM events`,
	qTopUID:      `SELECT coalesce(max(uid), -1) FROM ledger WHERE mailbox = ? AND uid_validity = ?`,
	qAllowCount:  `SELECT count(*) FROM allow`,
	qAllowList:   `SELECT pattern FROM allow`,
}

func newRecorder(ctx context.Context, s *DB, tx *sql.Tx, now time.Time) *recorder {
	entryColumns := []string{"address", "domain", "kind", "reason", "status", "reply_code", "last_diagnostic",
		"first_seen", "last_seen", "bounce_count"}
	newEntryColumns := append(entryColumns[:len(entryColumns):len(entryColumns)],
		"suppressed", "suppressed_kind", "suppressed_since", "source", "why", "cause_event_id")
	return &recorder{ctx: ctx, s: s, tx: tx, policy: s.policy, now: now,
		ledgerRows: insertBatch("ledger", 100, "id", "mailbox", "uid_validity", "uid",
			"message_id", "content_hash", "hash_prefix", "problems", "recorded_at", "duplicate_of", "marked_at", "quarantine"),
		eventRows: insertBatch("events", 60, "id", "ledger_id", "address", "domain",
			"original_address", "kind", "reason", "status", "reply_code", "diagnostic", "remote_mta", "hard",
			"suppress", "occurred_at", "recorded_at"),
		newEntryRows: rowBatch{name: "insert into entries", chunk: 100, width: 2,
			head: "INSERT OR IGNORE INTO entries (" + strings.Join(newEntryColumns, ", ") + ") " + newEntryFromEvent,
			tail: fromEvents},
		entryRows: rowBatch{name: "upsert entries", chunk: 100, width: 1,
			head: "INSERT INTO entries (" + strings.Join(entryColumns, ", ") + ") " + entryFromEvent,
			tail: fromEvents + " WHERE true" + entryUpsert},
		changeRows: rowBatch{name: "insert into changes", chunk: 100, width: 5,
			head: "INSERT OR IGNORE INTO changes (address, action, source, kind, by, why, event_id, at) " + changeFromEvent,
			tail: fromEvents},
		stateOps: make(map[string]*stateOp),
	}
}

// stmt returns query q prepared in the transaction, preparing it on first use.
func (r *recorder) stmt(q int) (*sql.Stmt, error) {
	if r.stmts[q] == nil {
		st, err := r.s.txStmt(r.ctx, r.tx, recorderQueries[q])
		if err != nil {
			return nil, err
		}
		r.stmts[q] = st
	}
	return r.stmts[q], nil
}

func (r *recorder) exec(q int, args ...any) (sql.Result, error) {
	st, err := r.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(r.ctx, args...)
}

func (r *recorder) scan(q int, args []any, dst ...any) error {
	st, err := r.stmt(q)
	if err != nil {
		return err
	}
	return st.QueryRowContext(r.ctx, args...).Scan(dst...)
}

func (r *recorder) close() {
	for _, st := range r.stmts {
		if st != nil {
			st.Close()
		}
	}
}

func (r *recorder) mail(m Mail, events []Event) (Result, error) {
	var res Result
	// Identity two: the same mail elsewhere (after a UIDVALIDITY change, or copied) gets a
	// ledger row of its own, to be marked, and no events.
	if k, ok := r.known[m.MailID]; ok {
		// Identity one: this mailbox, UIDVALIDITY and UID were recorded before.
		res.LedgerID, res.Duplicate, res.Marked = k.id, true, k.marked
		r.advance(m)
		return res, nil
	}
	key := contentKey(m.MessageID, m.Hash[:])
	original := int64(0)
	if m.Quarantine == "" {
		original = r.content[key]
	}
	dup := sql.NullInt64{Int64: original, Valid: original != 0}
	r.lastLedgerID++
	res.LedgerID = r.lastLedgerID
	var markedAt sql.NullInt64
	if _, ok := r.doneNew[m.MailID]; ok {
		markedAt = sql.NullInt64{Int64: toMS(r.now), Valid: true}
		r.doneNew[m.MailID] = true
	}
	r.known[m.MailID] = knownMail{id: res.LedgerID, marked: markedAt.Valid}
	if original == 0 && m.Quarantine == "" {
		r.content[key] = res.LedgerID
	}
	r.ledgerRows.add(res.LedgerID, m.Mailbox, m.UIDValidity, m.UID, m.MessageID, m.Hash[:], m.Hash[:contentPrefix], m.Problems,
		toMS(r.now), dup, markedAt, m.Quarantine)
	res.Duplicate = original != 0
	if !res.Duplicate && m.Quarantine == "" {
		for _, ev := range events {
			d, err := r.event(res.LedgerID, ev)
			if err != nil {
				return res, err
			}
			res.Decisions = append(res.Decisions, d)
			switch d.Action {
			case ActionSuppressed:
				res.Suppressed = append(res.Suppressed, d.Address)
			case ActionReleased:
				res.Released = append(res.Released, d.Address)
			}
		}
	}
	r.advance(m)
	return res, nil
}

// checkpointMove is a pending change of a mailbox's checkpoint.
type checkpointMove struct {
	mailbox          string
	uidValidity, uid uint32
}

// advance notes the checkpoint move a mail asks for. Moves are collapsed (the highest UID per
// run of the same mailbox and UIDVALIDITY) and written once per transaction by flush.
func (r *recorder) advance(m Mail) {
	if !m.Checkpoint {
		return
	}
	for i := len(r.moves) - 1; i >= 0; i-- {
		mv := &r.moves[i]
		if mv.mailbox != m.Mailbox {
			continue
		}
		if mv.uidValidity == m.UIDValidity {
			mv.uid = max(mv.uid, m.UID)
			return
		}
		break
	}
	r.moves = append(r.moves, checkpointMove{m.Mailbox, m.UIDValidity, m.UID})
}

// flush writes the pending checkpoint moves, in order.
func (r *recorder) flush() error {
	for _, mv := range r.moves {
		if _, err := r.exec(qSetCheckpoint, mv.mailbox, mv.uidValidity, mv.uid); err != nil {
			return fmt.Errorf("advance checkpoint of %q: %w", mv.mailbox, err)
		}
	}
	r.moves = r.moves[:0]
	return nil
}

// isAllowed reports whether addr or its domain is on the allow list. The list is read once
// per transaction when it is small, and asked per address otherwise.
func (r *recorder) isAllowed(addr, domain string) (bool, error) {
	if !r.allowLoaded {
		r.allowLoaded = true
		var n int
		if err := r.scan(qAllowCount, nil, &n); err != nil {
			return false, fmt.Errorf("read allow list: %w", err)
		}
		if n <= maxCachedAllow {
			r.allow = make(map[string]bool, n)
			st, err := r.stmt(qAllowList)
			if err != nil {
				return false, fmt.Errorf("read allow list: %w", err)
			}
			rows, err := st.QueryContext(r.ctx)
			if err != nil {
				return false, fmt.Errorf("read allow list: %w", err)
			}
			defer rows.Close()
			for rows.Next() {
				var p string
				if err := rows.Scan(&p); err != nil {
					return false, fmt.Errorf("read allow list: %w", err)
				}
				r.allow[p] = true
			}
			if err := rows.Err(); err != nil {
				return false, fmt.Errorf("read allow list: %w", err)
			}
		}
	}
	if r.allow != nil {
		return r.allow[addr] || r.allow["@"+domain], nil
	}
	var n int
	if err := r.scan(qAllowed, []any{addr, "@" + domain}, &n); err != nil {
		return false, fmt.Errorf("check allow list: %w", err)
	}
	return n > 0, nil
}

const maxCachedAllow = 10000

func isFailure(k classify.Kind) bool {
	switch k {
	case classify.KindHard, classify.KindSoft, classify.KindBlocked, classify.KindComplaint:
		return true
	}
	return false
}

// event stores one event and applies the policy to it.
func (r *recorder) event(ledgerID int64, ev Event) (Decision, error) {
	d := Decision{Address: ev.Address, Kind: ev.Kind}
	n := r.normalize(ev.Address)
	if n.err != nil {
		d.Action, d.Note = ActionInvalid, n.err.Error()
		return d, nil
	}
	addr := n.addr
	d.Address = addr
	orig := ""
	if ev.OriginalAddress != "" {
		if o := r.normalize(ev.OriginalAddress); o.err == nil {
			orig = o.addr
		} else {
			d.Note = "original address dropped: " + o.err.Error() + "; "
		}
	}
	// Codes are kept only when valid, and names only without control characters, so nothing
	// malformed is stored.
	if strings.ContainsFunc(string(ev.Kind), unicode.IsControl) {
		d.Note += fmt.Sprintf("kind %q dropped: control characters; ", string(ev.Kind))
		ev.Kind, d.Kind = classify.KindUndetermined, classify.KindUndetermined
	}
	if strings.ContainsFunc(string(ev.Reason), unicode.IsControl) {
		d.Note += fmt.Sprintf("reason %q dropped: control characters; ", string(ev.Reason))
		ev.Reason = classify.ReasonUndefined
	}
	if ev.Status != "" && !ev.Status.Valid() {
		d.Note += fmt.Sprintf("status %q dropped: not an enhanced status code; ", string(ev.Status))
		ev.Status = ""
	}
	if ev.Reply != "" && !ev.Reply.Valid() {
		d.Note += fmt.Sprintf("reply code %q dropped: not an SMTP reply code; ", string(ev.Reply))
		ev.Reply = ""
	}
	at := ev.OccurredAt
	if at.IsZero() {
		at = r.now
	}
	atMS := toMS(at)
	domain := domainOf(addr)
	r.lastEventID++
	eventID := r.lastEventID
	r.eventRows.add(eventID, ledgerID, addr, domain, orig, string(ev.Kind), string(ev.Reason),
		string(ev.Status), string(ev.Reply), ev.Diagnostic, ev.RemoteMTA, ev.Hard, ev.Suppress, atMS, toMS(r.now))
	if err := r.flushRows(false); err != nil {
		return d, err
	}
	d.Action = ActionRecorded
	if ev.Kind == classify.KindSoft {
		r.soft[addr] = append(r.soft[addr], atMS)
	}

	e, known := r.states[addr]
	if isFailure(ev.Kind) {
		if !known {
			r.states[addr] = e
		}
		why, err := r.failure(&d, addr, domain, ev.Kind, atMS, e)
		if err != nil {
			return d, err
		}
		if known {
			if err := r.entryOncePerStatement(addr); err != nil {
				return d, err
			}
			r.entryRows.add(eventID)
			if why != "" {
				r.suppress(addr, ev.Kind, atMS, why, eventID)
			}
			return d, r.flushRows(false)
		}
		// No entry yet, nor one this batch creates: the new entry carries the suppression the
		// policy decided, if any (no state update follows), by this event, of its kind, since
		// it occurred (see newEntryFromEvent).
		if why != "" {
			r.noteSuppressed(addr, ev.Kind, atMS, why, eventID)
		}
		r.newEntryRows.add(eventID, why)
		return d, r.flushRows(false)
	}
	if !known {
		d.Note += fmt.Sprintf("%s: recorded", ev.Kind)
		return d, nil // a delivered or informational event for an address with no failures
	}

	if ev.Kind == classify.KindDelivered {
		if !r.policy.DeliveredReleasesSoft {
			d.Note += "delivered: recorded"
			return d, nil
		}
		// A delivery shows the mailbox takes mail: soft bounces before it stop counting.
		o := r.op(addr)
		o.resetAt = max(o.resetAt, atMS)
		e.resetAt = max(e.resetAt, atMS)
		r.states[addr] = e
		if e.suppressed && e.source == string(SourcePolicy) && e.kind == string(classify.KindSoft) && atMS > e.since {
			if err := r.release(addr, eventID, "a later delivered report"); err != nil {
				return d, err
			}
			d.Action, d.Note = ActionReleased, d.Note+"delivered after a soft suppression: released"
			return d, nil
		}
		d.Note += "delivered: soft bounces before it stop counting"
		return d, nil
	}
	d.Note += fmt.Sprintf("%s: recorded, never suppresses", ev.Kind)
	return d, nil
}

// failure applies the policy to a failure event (hard, soft, blocked or complaint) of addr,
// whose state before it is e, and notes the decision in d. It returns why the event
// suppresses addr, or "" when it does not.
func (r *recorder) failure(d *Decision, addr, domain string, kind classify.Kind, atMS int64, e entryState) (string, error) {
	allowed, err := r.isAllowed(addr, domain)
	if err != nil {
		return "", err
	}
	if allowed && kind != classify.KindBlocked {
		d.Action, d.Note = ActionAllowed, d.Note+fmt.Sprintf("%s: counted; on the allow list, never suppressed", kind)
		return "", nil
	}
	if atMS <= e.resetAt {
		d.Note += fmt.Sprintf("%s: counted; occurred before the last release, does not suppress", kind)
		return "", nil
	}

	var suppress bool
	var why string
	switch kind {
	case classify.KindHard:
		suppress, why = r.policy.SuppressHard, "hard bounce"
	case classify.KindComplaint:
		suppress, why = r.policy.SuppressComplaint, "complaint"
	case classify.KindBlocked:
		d.Note += "blocked: counted; the sender's problem, never suppresses the recipient"
		return "", nil
	case classify.KindSoft:
		if r.policy.SoftDays <= 0 {
			d.Note += "soft: counted; soft bounces never suppress under this policy"
			return "", nil
		}
		from := atMS - r.policy.SoftWindow.Milliseconds()
		days := r.softDays(addr, from, atMS, e.resetAt)
		why = fmt.Sprintf("soft bounces on %d different days within %s", days, windowText(r.policy.SoftWindow))
		suppress = days >= r.policy.SoftDays
		if !suppress {
			d.Note += fmt.Sprintf("soft: soft bounces on %d of %d days within %s", days, r.policy.SoftDays, windowText(r.policy.SoftWindow))
			return "", nil
		}
	}
	if !suppress {
		d.Note += fmt.Sprintf("%s: counted; this policy does not suppress it", kind)
		return "", nil
	}
	if e.suppressed {
		// A hard bounce or complaint turns a soft suppression into one only a person lifts.
		if e.kind == string(classify.KindSoft) && e.source == string(SourcePolicy) && kind != classify.KindSoft {
			d.Note += fmt.Sprintf("%s: already suppressed (soft); now suppressed as %s", kind, kind)
			return why, nil
		}
		d.Note += fmt.Sprintf("%s: counted; already suppressed", kind)
		return "", nil
	}
	d.Action, d.Note = ActionSuppressed, d.Note+why+": suppressed"
	return why, nil
}

// softDays counts the different UTC days with a soft bounce for addr in (from, to], after
// resetAt, from the soft bounces preload read and those recorded since. Days are whole
// multiples of 86,400,000 ms since the epoch.
func (r *recorder) softDays(addr string, from, to, resetAt int64) int {
	from = max(from, resetAt)
	days := make(map[int64]bool)
	for _, at := range r.soft[addr] {
		if at > from && at <= to {
			days[at/86400000] = true
		}
	}
	return len(days)
}

// suppress notes that the policy suppresses addr, which has an entry, through event eventID:
// the state update, the change row and the state the policy sees next.
func (r *recorder) suppress(addr string, kind classify.Kind, atMS int64, why string, eventID int64) {
	o := r.op(addr)
	o.set, o.suppressed, o.kind, o.since, o.source, o.why, o.causeEvent = true, true, string(kind), atMS, string(SourcePolicy), why, eventID
	r.noteSuppressed(addr, kind, atMS, why, eventID)
}

// noteSuppressed notes that the policy suppressed addr through event eventID: the change row and
// the state the policy sees next.
func (r *recorder) noteSuppressed(addr string, kind classify.Kind, atMS int64, why string, eventID int64) {
	r.changeRows.add(eventID, string(ActionSuppressed), string(kind), why, toMS(r.now))
	e := r.states[addr]
	e.suppressed, e.kind, e.since, e.source = true, string(kind), atMS, string(SourcePolicy)
	r.states[addr] = e
}

func (r *recorder) release(addr string, eventID int64, why string) error {
	o := r.op(addr)
	o.set, o.suppressed, o.kind, o.since, o.source, o.why, o.causeEvent = true, false, "", 0, "", "", 0
	r.changeRows.add(eventID, string(ActionReleased), string(classify.KindDelivered), why, toMS(r.now))
	e := r.states[addr]
	e.suppressed, e.kind, e.since, e.source = false, "", 0, ""
	r.states[addr] = e
	return r.flushRows(false)
}

func windowText(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}

// MarkDone notes that the mail's IMAP move or flag succeeded; see Store.
func (s *DB) MarkDone(ctx context.Context, id MailID) error {
	err := s.write(ctx, false, func(tx *sql.Tx) error {
		x, err := tx.ExecContext(ctx, `UPDATE ledger SET marked_at = coalesce(marked_at, ?)
			WHERE mailbox = ? AND uid_validity = ? AND uid = ?`, toMS(s.now()), id.Mailbox, id.UIDValidity, id.UID)
		if err != nil {
			return err
		}
		if n, err := x.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("suppress: mark %s/%d/%d done: %w", id.Mailbox, id.UIDValidity, id.UID, err)
	}
	return nil
}

// MarkDoneMany marks many mails in one transaction; see Store. The mails of one mailbox and
// UIDVALIDITY are updated a hundred UIDs to a statement; only when some are missing are they
// looked up one by one to name them.
func (s *DB) MarkDoneMany(ctx context.Context, ids []MailID) error {
	if len(ids) == 0 {
		return nil
	}
	var missing []MailID
	err := s.write(ctx, false, func(tx *sql.Tx) (err error) {
		missing, err = s.markDone(ctx, tx, ids)
		return err
	})
	if err != nil {
		return fmt.Errorf("suppress: mark %d mails done: %w", len(ids), err)
	}
	return missingErr(len(ids), missing)
}

// missingErr reports the mails that were not in the ledger, of n to be marked done.
func missingErr(n int, missing []MailID) error {
	if len(missing) == 0 {
		return nil
	}
	m := missing[0]
	return fmt.Errorf("suppress: mark %d mails done: %d not in the ledger (first %s/%d/%d): %w",
		n, len(missing), m.Mailbox, m.UIDValidity, m.UID, ErrNotFound)
}

// box is a mailbox at one UIDVALIDITY, the scope of a UID.
type box struct {
	mailbox string
	uidv    uint32
}

// uidsByBox groups the UIDs of ids by box, each once, with the boxes in the order they first
// appear; the UIDs are query arguments.
func uidsByBox(ids []MailID) ([]box, map[box][]any) {
	var boxes []box
	uids := make(map[box][]any)
	seen := make(map[MailID]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		b := box{id.Mailbox, id.UIDValidity}
		if _, ok := uids[b]; !ok {
			boxes = append(boxes, b)
		}
		uids[b] = append(uids[b], id.UID)
	}
	return boxes, uids
}

// markDone sets marked_at on the ledger rows of ids within tx and returns the ids that have
// none.
func (s *DB) markDone(ctx context.Context, tx *sql.Tx, ids []MailID) ([]MailID, error) {
	var missing []MailID
	boxes, uids := uidsByBox(ids)
	q := `UPDATE ledger SET marked_at = coalesce(marked_at, ?) WHERE mailbox = ? AND uid_validity = ? AND uid IN (?` +
		strings.Repeat(", ?", preloadChunk-1) + `)`
	st, err := s.txStmt(ctx, tx, q)
	if err != nil {
		return nil, err
	}
	now := toMS(s.now())
	args := make([]any, 0, 3+preloadChunk)
	for _, b := range boxes {
		vals := uids[b]
		for i := 0; i < len(vals); i += preloadChunk {
			chunk := vals[i:min(i+preloadChunk, len(vals))]
			args = append(append(args[:0], now, b.mailbox, b.uidv), chunk...)
			for len(args) < 3+preloadChunk {
				args = append(args, args[len(args)-1])
			}
			x, err := st.ExecContext(ctx, args...)
			if err != nil {
				return nil, err
			}
			n, err := x.RowsAffected()
			if err != nil {
				return nil, err
			}
			if n == int64(len(chunk)) {
				continue
			}
			for _, u := range chunk {
				var one int
				err := tx.QueryRowContext(ctx, `SELECT 1 FROM ledger WHERE mailbox = ? AND uid_validity = ? AND uid = ?`,
					b.mailbox, b.uidv, u).Scan(&one)
				if errors.Is(err, sql.ErrNoRows) {
					missing = append(missing, MailID{b.mailbox, b.uidv, u.(uint32)})
				} else if err != nil {
					return nil, err
				}
			}
		}
	}
	return missing, nil
}

// Unmarked lists a mailbox's recorded but unmarked mails, oldest first; see Store.
func (s *DB) Unmarked(ctx context.Context, mailbox string) ([]LedgerEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, mailbox, uid_validity, uid, message_id, recorded_at, coalesce(duplicate_of, 0)
		FROM ledger WHERE mailbox = ? AND marked_at IS NULL ORDER BY id`, mailbox)
	if err != nil {
		return nil, fmt.Errorf("suppress: list unmarked mails of %q: %w", mailbox, err)
	}
	defer rows.Close()
	var out []LedgerEntry
	for rows.Next() {
		var l LedgerEntry
		var rec int64
		if err := rows.Scan(&l.ID, &l.Mailbox, &l.UIDValidity, &l.UID, &l.MessageID, &rec, &l.DuplicateOf); err != nil {
			return nil, fmt.Errorf("suppress: list unmarked mails of %q: %w", mailbox, err)
		}
		l.RecordedAt = fromMS(rec)
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("suppress: list unmarked mails of %q: %w", mailbox, err)
	}
	return out, nil
}

// Checkpoint returns the mailbox's UID checkpoint; see Store.
func (s *DB) Checkpoint(ctx context.Context, mailbox string) (uidValidity, lastUID uint32, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT uid_validity, last_uid FROM checkpoints WHERE mailbox = ?`, mailbox).Scan(&uidValidity, &lastUID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("suppress: read checkpoint of %q: %w", mailbox, err)
	}
	return uidValidity, lastUID, nil
}

// SetCheckpoint sets the mailbox's checkpoint outright; see Store.
func (s *DB) SetCheckpoint(ctx context.Context, mailbox string, uidValidity, lastUID uint32) error {
	err := s.write(ctx, false, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO checkpoints (mailbox, uid_validity, last_uid) VALUES (?1, ?2, ?3)
			ON CONFLICT (mailbox) DO UPDATE SET uid_validity = ?2, last_uid = ?3`, mailbox, uidValidity, lastUID)
		return err
	})
	if err != nil {
		return fmt.Errorf("suppress: set checkpoint of %q: %w", mailbox, err)
	}
	return nil
}

// AcquireLease takes or renews the named lease; see Store. Leases are written even in
// dry-run mode: they coordinate processes and hold no data.
func (s *DB) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) error {
	now := s.now()
	err := s.write(ctx, true, func(tx *sql.Tx) error {
		var cur string
		var exp int64
		err := tx.QueryRowContext(ctx, `SELECT holder, expires_at FROM leases WHERE name = ?`, name).Scan(&cur, &exp)
		switch {
		case err == nil:
			if cur != holder && exp > toMS(now) {
				return fmt.Errorf("%w: %s until %s", ErrLeaseHeld, cur, fromMS(exp).Format(time.RFC3339))
			}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES (?1, ?2, ?3)
			ON CONFLICT (name) DO UPDATE SET holder = ?2, expires_at = ?3`, name, holder, toMS(now.Add(ttl)))
		return err
	})
	if err != nil {
		return fmt.Errorf("suppress: acquire lease %q: %w", name, err)
	}
	return nil
}

// ReleaseLease gives up the named lease if holder has it; see Store.
func (s *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	err := s.write(ctx, true, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder)
		return err
	})
	if err != nil {
		return fmt.Errorf("suppress: release lease %q: %w", name, err)
	}
	return nil
}

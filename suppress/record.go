package suppress

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"
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
	allowCount  int             // the allow list's length, read by preload
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
	// queued are the writes waiting to be sent together (see write).
	queued []queuedWrite
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

// The recorder's statements, parsed once per connection (see txStmt) and bound to the
// transaction on first use.
const (
	qAllowed = iota
	qTops
	qTopUID
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
// order given, as upserts and the change log need.
const (
	entryFromEvent = `SELECT e.address, e.domain, e.kind, e.reason, e.status, e.reply_code, e.diagnostic,
		e.occurred_at, e.occurred_at, 1 FROM `
	newEntryFromEvent = `SELECT e.address, e.domain, e.kind, e.reason, e.status, e.reply_code, e.diagnostic,
		e.occurred_at, e.occurred_at, 1,
		iif(v.column2 != '', 1, 0), iif(v.column2 != '', e.kind, ''), iif(v.column2 != '', e.occurred_at, 0),
		iif(v.column2 != '', '` + string(SourcePolicy) + `', ''), v.column2, iif(v.column2 != '', e.id, 0) FROM `
	changeFromEvent = `SELECT e.address, v.column2, '` + string(SourcePolicy) + `', v.column3, '', v.column4, e.id, v.column5 FROM `
	fromEvents      = ` CROSS JOIN events AS e ON e.id = v.column1`
)

// qSetCheckpoint moves a mailbox's checkpoint (see flush).
const qSetCheckpoint = `INSERT INTO checkpoints (mailbox, uid_validity, last_uid) VALUES (?1, ?2, ?3)
		ON CONFLICT (mailbox) DO UPDATE SET last_uid = iif(checkpoints.uid_validity = ?2, max(checkpoints.last_uid, ?3), ?3), uid_validity = ?2`

var recorderQueries = [numQueries]string{
	qAllowed: `SELECT count(*) FROM allow WHERE pattern IN (?, ?)`,
	qTops: `SELECT (SELECT coalesce(max(id), 0) FROM ledger), (SELECT coalesce(max(id), 0) FROM events),
		(SELECT count(*) FROM allow)`,
	// The highest UID as the first row of the index read backwards: PostgreSQL, with a table
	// it believes small, took max(uid) by reading every UID of the mailbox (13 ms at 10,000
	// mails, a batch's longest statement, and growing with the mailbox).
	qTopUID:    `SELECT coalesce((SELECT uid FROM ledger WHERE mailbox = ? AND uid_validity = ? ORDER BY uid DESC LIMIT 1), -1)`,
	qAllowList: `SELECT pattern FROM allow`,
}

func newRecorder(ctx context.Context, s *DB, tx *sql.Tx, now time.Time) *recorder {
	entryColumns := []string{"address", "domain", "kind", "reason", "status", "reply_code", "last_diagnostic",
		"first_seen", "last_seen", "bounce_count"}
	newEntryColumns := append(entryColumns[:len(entryColumns):len(entryColumns)],
		"suppressed", "suppressed_kind", "suppressed_since", "source", "why", "cause_event_id")
	rows := s.dialect.rowsPerStatement
	r := &recorder{ctx: ctx, s: s, tx: tx, policy: s.policy, now: now,
		ledgerRows: insertBatch("ledger", rows(100), "id", "mailbox", "uid_validity", "uid",
			"message_id", "content_hash", "hash_prefix", "problems", "recorded_at", "duplicate_of", "marked_at", "quarantine"),
		eventRows: insertBatch("events", rows(60), "id", "ledger_id", "address", "domain",
			"original_address", "kind", "reason", "status", "reply_code", "diagnostic", "remote_mta", "hard",
			"suppress", "occurred_at", "recorded_at"),
		newEntryRows: rowBatch{name: "insert into entries", chunk: rows(100), width: 2, joined: true,
			head: "INSERT OR IGNORE INTO entries (" + strings.Join(newEntryColumns, ", ") + ") " + newEntryFromEvent,
			join: fromEvents},
		entryRows: rowBatch{name: "upsert entries", chunk: rows(100), width: 1, joined: true,
			head: "INSERT INTO entries (" + strings.Join(entryColumns, ", ") + ") " + entryFromEvent,
			join: fromEvents, conflict: entryUpsert},
		changeRows: rowBatch{name: "insert into changes", chunk: rows(100), width: 5, joined: true,
			head: "INSERT OR IGNORE INTO changes (address, action, source, kind, by, why, event_id, at) " + changeFromEvent,
			join: fromEvents},
		stateOps: make(map[string]*stateOp),
	}
	r.eventRows.checked = true // events.ledger_id references ledger
	if spare := s.spareArgs; len(spare) == len(r.rowBatches()) {
		for i, b := range r.rowBatches() {
			b.args = spare[i]
		}
	}
	return r
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

func (r *recorder) scan(q int, args []any, dst ...any) error {
	st, err := r.stmt(q)
	if err != nil {
		return err
	}
	return st.QueryRowContext(r.ctx, args...).Scan(dst...)
}

// close closes the recorder's statements and keeps the argument slices of its many-row
// statements for the next recorder (the write lock is still held). A batch's rows of a table
// make one statement on PostgreSQL, so these grow to a batch's size: allocating them again for
// every batch was a third of the bytes a batch allocated (BenchmarkRecordRunBatch, PostgreSQL,
// mark=none: 4.2 of 13.8 KB a mail), the memory the garbage collector then marked, swept and
// gave back to the system.
func (r *recorder) close() {
	for _, st := range r.stmts {
		if st != nil {
			st.Close()
		}
	}
	r.s.spareArgs = r.s.spareArgs[:0]
	for _, b := range r.rowBatches() {
		clear(b.args[:cap(b.args)]) // the values of this batch
		r.s.spareArgs = append(r.s.spareArgs, b.args[:0])
	}
}

// rowBatches are the recorder's many-row statements, in a fixed order.
func (r *recorder) rowBatches() []*rowBatch {
	return []*rowBatch{&r.ledgerRows, &r.eventRows, &r.newEntryRows, &r.entryRows, &r.changeRows}
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

// flush writes the pending checkpoint moves, in order, and sends the queued writes.
func (r *recorder) flush() error {
	for _, mv := range r.moves {
		args := []driver.NamedValue{{Ordinal: 1, Value: mv.mailbox}, {Ordinal: 2, Value: int64(mv.uidValidity)},
			{Ordinal: 3, Value: int64(mv.uid)}}
		if err := r.write(fmt.Sprintf("advance checkpoint of %q", mv.mailbox), qSetCheckpoint, args, -1); err != nil {
			return err
		}
	}
	r.moves = r.moves[:0]
	return r.send()
}

package suppress

import (
	"database/sql/driver"
	"fmt"
	"strings"
)

// Writing a batch's rows: the many-row statements of ledger, event, entry and change rows, and
// the entry state changes applied at the end of a batch.

// rowBatch collects rows for a many-row statement: head, then the rows, then join and
// conflict. The rows are a VALUES list of one parenthesised tuple of width parameters per
// row; when joined is set they are a table v that join reads from, "(VALUES ...) AS v" with
// the columns column1, column2, ..., and rows apply in the order given (see fromEvents).
// conflict is an upsert's ON CONFLICT clause. On PostgreSQL the rows are one array per
// column instead (see pgStatement).
type rowBatch struct {
	name                 string // for errors
	head, join, conflict string
	joined               bool
	// checked says foreign keys check the rows, probes that join probes a table's key for
	// each row (see dialect.planned).
	checked, probes bool
	width           int
	chunk           int // rows per statement
	args            []driver.NamedValue
	rows            int
	queries         map[int]string
	err             error // from add
}

// insertBatch is a multi-row INSERT into table. OR IGNORE makes SQLite skip the statement
// journal it would otherwise keep for a statement that may fail half-way; insert checks that
// every row went in, so nothing is ignored unseen.
func insertBatch(table string, chunk int, columns ...string) rowBatch {
	return rowBatch{name: "insert into " + table, chunk: chunk, width: len(columns),
		head: "INSERT OR IGNORE INTO " + table + " (" + strings.Join(columns, ", ") + ") "}
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
	values := "VALUES " + one + strings.Repeat(", "+one, rows-1)
	q := b.head + values + b.conflict
	if b.joined {
		q = b.head + "(" + values + ") AS v" + b.join
		if b.conflict != "" {
			// WHERE true lets SQLite parse the upsert's ON CONFLICT after a join.
			q += " WHERE true" + b.conflict
		}
	}
	if b.queries == nil {
		b.queries = make(map[int]string)
	}
	b.queries[rows] = q
	return q
}

// insert runs the batch's rows, whole chunks only unless all is set, and checks that each row
// changed one row of the table. On SQLite, statements come in a few sizes (the chunk, 16, 4
// and 1 rows) so that their prepared forms are reused; on PostgreSQL the rows go in as one
// array per column (see pgStatement), so one statement takes any number of them.
func (b *rowBatch) insert(r *recorder, all bool) error {
	if b.err != nil {
		return b.err
	}
	n := b.width
	for b.rows >= b.chunk || (all && b.rows > 0) {
		rows := min(b.rows, b.chunk)
		var query string
		var args []driver.NamedValue
		if r.s.dialect.postgres {
			var err error
			if query, args, err = b.pgStatement(rows); err != nil {
				return err
			}
		} else {
			for _, size := range []int{b.chunk, 16, 4, 1} {
				if b.rows >= size {
					rows = size
					break
				}
			}
			query, args = b.query(rows), b.args[:rows*n]
			for i := range args {
				args[i].Ordinal = i + 1
			}
		}
		err := r.s.dialect.planned(b.checked, b.probes, func(q string) error {
			return r.write(q, q, nil, -1)
		}, func() error {
			return r.write(b.name, query, args, int64(rows))
		})
		if err != nil {
			return err
		}
		b.args = append(b.args[:0], b.args[rows*n:]...)
		b.rows -= rows
	}
	return nil
}

// queuedWrite is a write the recorder sends later (see write): name is for errors, and want
// the rows it must change (-1: any number).
type queuedWrite struct {
	name string
	stmt batchStmt
	want int64
}

// write runs query with args, named name in errors, and checks that it changed want rows
// (unless want is -1). Where the dialect queues writes (queuesWrites), it is only queued, and
// send runs it with the others: on PostgreSQL a batch's writes (the many-row statements, the
// state updates and the checkpoint) then take one round trip to the server instead of one
// each. Nothing the recorder reads in a transaction depends on its own writes (preload read
// everything before), and statements queued run in order, so the writes that read earlier
// ones (entries and changes from events) see them.
func (r *recorder) write(name, query string, args []driver.NamedValue, want int64) error {
	if r.s.dialect.queuesWrites() {
		r.queued = append(r.queued, queuedWrite{name, batchStmt{query, args}, want})
		return nil
	}
	got, err := r.s.execRaw(r.ctx, query, args)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return changedRows(name, got, want)
}

// send runs the queued writes.
func (r *recorder) send() error {
	if len(r.queued) == 0 {
		return nil
	}
	stmts := make([]batchStmt, len(r.queued))
	for i, q := range r.queued {
		stmts[i] = q.stmt
	}
	got, err := r.s.execBatch(r.ctx, stmts)
	if err != nil {
		if len(got) < len(r.queued) {
			return fmt.Errorf("%s: %w", r.queued[len(got)].name, err)
		}
		return err
	}
	for i, q := range r.queued {
		if err := changedRows(q.name, got[i], q.want); err != nil {
			return err
		}
	}
	r.queued = r.queued[:0]
	return nil
}

// changedRows checks that a write named name changed want rows (any number when want is -1).
func changedRows(name string, got, want int64) error {
	if want >= 0 && got != want {
		return fmt.Errorf("%s: %d of %d rows changed (a constraint ignored the rest)", name, got, want)
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
	FROM `

// flushStates writes the entry upserts and change rows still pending, then the suppression
// state of every address the batch changed after creating its entry.
func (r *recorder) flushStates() error {
	if err := r.flushRows(true); err != nil {
		return err
	}
	b := rowBatch{name: "update entries", head: qSetStates, joined: true, join: ` WHERE entries.address = v.column1`,
		probes: true, width: 9, chunk: r.s.dialect.rowsPerStatement(100)}
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

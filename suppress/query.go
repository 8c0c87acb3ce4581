package suppress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

const entryColumns = `e.address, e.domain, e.kind, e.reason, e.status, e.reply_code, e.last_diagnostic, e.first_seen,
	e.last_seen, e.bounce_count, e.suppressed, e.suppressed_kind, e.suppressed_since, e.source, e.by, e.why, e.cause_event_id`

// Lookup returns the entry for an address; see Store.
func (s *DB) Lookup(ctx context.Context, address string) (Entry, error) {
	var e Entry
	addr, err := Normalize(address)
	if err != nil {
		return e, err
	}
	row := s.db.QueryRowContext(ctx, `SELECT `+entryColumns+`,
		EXISTS (SELECT 1 FROM allow WHERE pattern IN (e.address, '@' || e.domain))
		FROM entries e WHERE e.address = ?`, addr)
	var sc entryAllowScanner
	sc.e = &e
	if err := row.Scan(sc.dst()...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return e, fmt.Errorf("suppress: look up %s: %w", addr, ErrNotFound)
		}
		return e, fmt.Errorf("suppress: look up %s: %w", addr, err)
	}
	sc.finish()
	return e, nil
}

// entryAllowScanner scans the entry columns plus the allowed flag in one row.
type entryAllowScanner struct {
	e                                     *Entry
	kind, reason, status, reply, skind, s string
	first, last, since                    int64
}

func (x *entryAllowScanner) dst() []any {
	e := x.e
	return []any{&e.Address, &e.Domain, &x.kind, &x.reason, &x.status, &x.reply, &e.LastDiagnostic, &x.first, &x.last,
		&e.BounceCount, &e.Suppressed, &x.skind, &x.since, &x.s, &e.By, &e.Why, &e.CauseEventID, &e.Allowed}
}

func (x *entryAllowScanner) finish() {
	e := x.e
	e.Kind, e.Reason, e.Status, e.Reply = classify.Kind(x.kind), classify.Reason(x.reason), classify.Status(x.status), classify.ReplyCode(x.reply)
	e.SuppressedKind, e.Source = classify.Kind(x.skind), Source(x.s)
	e.FirstSeen, e.LastSeen, e.SuppressedSince = fromMS(x.first), fromMS(x.last), fromMS(x.since)
}

// History returns an address's events and changes, oldest first; see Store. An address the
// store only knows from events without failures (a delivered report) has a zero Entry.
func (s *DB) History(ctx context.Context, address string) (History, error) {
	var h History
	addr, err := Normalize(address)
	if err != nil {
		return h, err
	}
	h.Entry, err = s.Lookup(ctx, addr)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return h, err
	}
	known := err == nil
	rows, err := s.db.QueryContext(ctx, `SELECT ev.id, ev.address, ev.original_address, ev.kind, ev.reason, ev.status,
		ev.reply_code, ev.diagnostic, ev.remote_mta, ev.hard, ev.suppress, ev.occurred_at, ev.recorded_at,
		l.mailbox, l.uid_validity, l.uid, l.message_id
		FROM events ev JOIN ledger l ON l.id = ev.ledger_id WHERE ev.address = ? ORDER BY ev.occurred_at, ev.id`, addr)
	if err != nil {
		return h, fmt.Errorf("suppress: history of %s: %w", addr, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r EventRecord
		var kind, reason, status, reply string
		var occ, rec int64
		if err := rows.Scan(&r.ID, &r.Address, &r.OriginalAddress, &kind, &reason, &status, &reply, &r.Diagnostic,
			&r.RemoteMTA, &r.Hard, &r.Suppress, &occ, &rec, &r.Mail.Mailbox, &r.Mail.UIDValidity, &r.Mail.UID, &r.MessageID); err != nil {
			return h, fmt.Errorf("suppress: history of %s: %w", addr, err)
		}
		r.Kind, r.Reason, r.Status, r.Reply = classify.Kind(kind), classify.Reason(reason), classify.Status(status), classify.ReplyCode(reply)
		r.OccurredAt, r.RecordedAt = fromMS(occ), fromMS(rec)
		h.Events = append(h.Events, r)
	}
	if err := rows.Err(); err != nil {
		return h, fmt.Errorf("suppress: history of %s: %w", addr, err)
	}
	rows.Close()
	crow, err := s.db.QueryContext(ctx, historyChanges, addr, "@"+domainOf(addr))
	if err != nil {
		return h, fmt.Errorf("suppress: history of %s: %w", addr, err)
	}
	defer crow.Close()
	for crow.Next() {
		var c ChangeRecord
		var action, src, kind string
		var at int64
		if err := crow.Scan(&c.ID, &c.Address, &action, &src, &kind, &c.By, &c.Why, &c.EventID, &at); err != nil {
			return h, fmt.Errorf("suppress: history of %s: %w", addr, err)
		}
		c.Action, c.Source, c.Kind, c.At = Action(action), Source(src), classify.Kind(kind), fromMS(at)
		h.Changes = append(h.Changes, c)
	}
	if err := crow.Err(); err != nil {
		return h, fmt.Errorf("suppress: history of %s: %w", addr, err)
	}
	if !known && len(h.Events) == 0 && len(h.Changes) == 0 {
		return h, fmt.Errorf("suppress: history of %s: %w", addr, ErrNotFound)
	}
	if !known {
		h.Entry = Entry{Address: addr, Domain: domainOf(addr)}
	}
	return h, nil
}

// historyChanges reads the changes of address ?1 (with domain ?2), oldest first. Changes by
// hand name the address or "@domain"; the policy's name the event that caused them, one of
// the address's (see migrateV3).
const historyChanges = `SELECT id, address, action, source, kind, by, why, event_id, at
		FROM changes WHERE event_id = 0 AND address IN (?1, ?2)
	UNION ALL
	SELECT id, address, action, source, kind, by, why, event_id, at
		FROM changes WHERE event_id != 0 AND event_id IN (SELECT id FROM events WHERE address = ?1) AND address = ?1
	ORDER BY id`

// entriesColumns read an entry in four columns: the fields that never hold free text joined by
// US (0x1f) into one, then the diagnostic, by and why. With this driver every column read
// costs several mutex round trips, so this reads a large list about twice as fast as one
// column per field.
const entriesColumns = `e.address || x'1f' || e.domain || x'1f' || e.kind || x'1f' || e.reason || x'1f' || e.status || x'1f' ||
	e.reply_code || x'1f' || e.first_seen || x'1f' || e.last_seen || x'1f' || e.bounce_count || x'1f' || e.suppressed || x'1f' ||
	e.suppressed_kind || x'1f' || e.suppressed_since || x'1f' || e.source || x'1f' || e.cause_event_id,
	e.last_diagnostic, e.by, e.why`

// parseEntry fills e from the first of entriesColumns.
func parseEntry(fixed string, e *Entry) error {
	var f [14]string
	rest := fixed
	for i := range f {
		var ok bool
		if f[i], rest, ok = strings.Cut(rest, "\x1f"); !ok && i < len(f)-1 {
			return fmt.Errorf("entry row %.40q: %d fields, want %d", fixed, i+1, len(f))
		}
	}
	var errs [6]error
	var first, last, since int64
	var suppressed int
	e.Address, e.Domain = f[0], f[1]
	e.Kind, e.Reason, e.Status, e.Reply = classify.Kind(f[2]), classify.Reason(f[3]), classify.Status(f[4]), classify.ReplyCode(f[5])
	first, errs[0] = strconv.ParseInt(f[6], 10, 64)
	last, errs[1] = strconv.ParseInt(f[7], 10, 64)
	e.BounceCount, errs[2] = strconv.Atoi(f[8])
	suppressed, errs[3] = strconv.Atoi(f[9])
	e.SuppressedKind = classify.Kind(f[10])
	since, errs[4] = strconv.ParseInt(f[11], 10, 64)
	e.Source = Source(f[12])
	e.CauseEventID, errs[5] = strconv.ParseInt(f[13], 10, 64)
	if err := errors.Join(errs[:]...); err != nil {
		return fmt.Errorf("entry row %.40q: %w", fixed, err)
	}
	e.Suppressed = suppressed != 0
	e.FirstSeen, e.LastSeen, e.SuppressedSince = fromMS(first), fromMS(last), fromMS(since)
	return nil
}

// Entries streams the matching entries by address; see Store.
func (s *DB) Entries(ctx context.Context, f Filter, fn func(Entry) error) error {
	rows, err := s.queryEntries(ctx, entriesColumns, f)
	if err != nil {
		return fmt.Errorf("suppress: list entries: %w", err)
	}
	defer rows.Close()
	var e Entry
	var fixed string
	for rows.Next() {
		e = Entry{}
		if err := rows.Scan(&fixed, &e.LastDiagnostic, &e.By, &e.Why); err != nil {
			return fmt.Errorf("suppress: list entries: %w", err)
		}
		if err := parseEntry(fixed, &e); err != nil {
			return fmt.Errorf("suppress: list entries: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("suppress: list entries: %w", err)
	}
	return nil
}

// queryEntries selects columns of the entries that match f, ordered by address.
func (s *DB) queryEntries(ctx context.Context, columns string, f Filter) (*sql.Rows, error) {
	var where []string
	var args []any
	if f.SuppressedOnly {
		// The unary + keeps SQLite walking the table in address order instead of going
		// through the suppressed index and looking every row up again.
		where = append(where, "+e.suppressed = 1")
	}
	if f.Kind != classify.KindUndetermined {
		where = append(where, "e.kind = ?")
		args = append(args, string(f.Kind))
	}
	if f.Cause != classify.KindUndetermined {
		where = append(where, "e.suppressed = 1 AND e.source = 'policy' AND e.suppressed_kind = ?")
		args = append(args, string(f.Cause))
	}
	if f.Source != SourceNone {
		where = append(where, "e.suppressed = 1 AND e.source = ?")
		args = append(args, string(f.Source))
	}
	if !f.Since.IsZero() {
		where = append(where, "(e.last_seen >= ? OR e.suppressed_since >= ?)")
		args = append(args, toMS(f.Since), toMS(f.Since))
	}
	q := `SELECT ` + columns + ` FROM entries e`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY e.address`
	return s.db.QueryContext(ctx, q, args...)
}

// exportRow is the part of an entry an export needs.
type exportRow struct {
	address, kind, source, reason, status, reply, diagnostic string
	suppressedKind                                           string
	first, last, since                                       int64
	count                                                    int
	suppressed                                               bool
}

// exportColumn is the whole export row as one text value, fields separated by US (0x1f) with
// the free-text diagnostic last: with this driver every column read costs several mutex round
// trips, so one column instead of ten halves the time of a large export. Addresses, kinds,
// reasons and codes never hold control characters (the store validates them).
const exportColumn = `e.address || x'1f' || e.kind || x'1f' || e.source || x'1f' || e.reason || x'1f' || e.status || x'1f' ||
	e.reply_code || x'1f' || e.first_seen || x'1f' || e.last_seen || x'1f' || e.bounce_count || x'1f' || e.suppressed || x'1f' ||
	e.suppressed_kind || x'1f' || e.suppressed_since || x'1f' || e.last_diagnostic`

// exportRows streams the export fields of the entries that match f: the fast path of Export.
func (s *DB) exportRows(ctx context.Context, f Filter, fn func(*exportRow) error) error {
	rows, err := s.queryEntries(ctx, exportColumn, f)
	if err != nil {
		return err
	}
	defer rows.Close()
	var r exportRow
	var line string
	for rows.Next() {
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if err := r.parse(line); err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// parse splits an exportColumn value into r.
func (r *exportRow) parse(line string) error {
	var f [12]string
	rest := line
	for i := range f {
		var ok bool
		if f[i], rest, ok = strings.Cut(rest, "\x1f"); !ok {
			return fmt.Errorf("export row %.40q: %d fields, want 13", line, i+1)
		}
	}
	var errs [5]error
	var suppressed int
	r.address, r.kind, r.source, r.reason, r.status, r.reply = f[0], f[1], f[2], f[3], f[4], f[5]
	r.first, errs[0] = strconv.ParseInt(f[6], 10, 64)
	r.last, errs[1] = strconv.ParseInt(f[7], 10, 64)
	r.count, errs[2] = strconv.Atoi(f[8])
	suppressed, errs[3] = strconv.Atoi(f[9])
	r.suppressedKind = f[10]
	r.since, errs[4] = strconv.ParseInt(f[11], 10, 64)
	r.suppressed = suppressed != 0
	r.diagnostic = rest
	if err := errors.Join(errs[:]...); err != nil {
		return fmt.Errorf("export row %.40q: %w", line, err)
	}
	return nil
}

// AllowList returns the allow list, sorted; see Store.
func (s *DB) AllowList(ctx context.Context) ([]AllowEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT pattern, by, why, at FROM allow ORDER BY pattern`)
	if err != nil {
		return nil, fmt.Errorf("suppress: read allow list: %w", err)
	}
	defer rows.Close()
	var out []AllowEntry
	for rows.Next() {
		var a AllowEntry
		var at int64
		if err := rows.Scan(&a.Pattern, &a.By, &a.Why, &at); err != nil {
			return nil, fmt.Errorf("suppress: read allow list: %w", err)
		}
		a.At = fromMS(at)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("suppress: read allow list: %w", err)
	}
	return out, nil
}

// Stats counts events by kind, reason, receiving domain and day; see Store.
func (s *DB) Stats(ctx context.Context, f StatsFilter) (Stats, error) {
	var st Stats
	since := toMS(f.Since)
	top := f.TopDomains
	if top <= 0 {
		top = 20
	}
	wrap := func(err error) error { return fmt.Errorf("suppress: stats: %w", err) }
	if err := s.db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT address) FROM events WHERE occurred_at >= ?`, since).
		Scan(&st.Events, &st.Addresses); err != nil {
		return st, wrap(err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM entries WHERE suppressed = 1`).Scan(&st.Suppressed); err != nil {
		return st, wrap(err)
	}
	var err error
	if st.ByKind, err = s.counts(ctx, `SELECT kind, count(*) FROM events WHERE occurred_at >= ? GROUP BY kind ORDER BY 2 DESC, 1`, since); err != nil {
		return st, wrap(err)
	}
	for i := range st.ByKind {
		st.ByKind[i].Label = classify.Kind(st.ByKind[i].Label).String()
	}
	if st.ByReason, err = s.counts(ctx, `SELECT reason, count(*) FROM events WHERE occurred_at >= ? GROUP BY reason ORDER BY 2 DESC, 1`, since); err != nil {
		return st, wrap(err)
	}
	for i := range st.ByReason {
		st.ByReason[i].Label = classify.Reason(st.ByReason[i].Label).String()
	}
	if st.ByDomain, err = s.counts(ctx, `SELECT domain, count(*) FROM events WHERE occurred_at >= ? GROUP BY domain ORDER BY 2 DESC, 1 LIMIT ?`, since, top); err != nil {
		return st, wrap(err)
	}
	if st.ByDay, err = s.counts(ctx, `SELECT `+s.dialect.dayOf("occurred_at")+`, count(*) FROM events
		WHERE occurred_at >= ? GROUP BY 1 ORDER BY 1`, since); err != nil {
		return st, wrap(err)
	}
	return st, nil
}

func (s *DB) counts(ctx context.Context, q string, args ...any) ([]Count, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Label, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return slices.Clip(out), rows.Err()
}

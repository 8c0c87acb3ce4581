package suppress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/bounceproc/bounceproc/classify"
)

// RecordMail records one processed mail and its events in one transaction; see Store.
func (s *SQLite) RecordMail(ctx context.Context, mail Mail, events []Event) (Result, error) {
	rs, err := s.RecordMails(ctx, []MailEvents{{Mail: mail, Events: events}})
	if err != nil {
		return Result{}, err
	}
	return rs[0], nil
}

// RecordMails records many mails in one transaction; see Store.
func (s *SQLite) RecordMails(ctx context.Context, batch []MailEvents) ([]Result, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	results := make([]Result, 0, len(batch))
	err := s.write(ctx, false, func(tx *sql.Tx) error {
		r := newRecorder(ctx, tx, s.policy, s.now().UTC())
		defer r.close()
		for _, me := range batch {
			res, err := r.mail(me.Mail, me.Events)
			if err != nil {
				return fmt.Errorf("mail %s/%d/%d: %w", me.Mail.Mailbox, me.Mail.UIDValidity, me.Mail.UID, err)
			}
			results = append(results, res)
		}
		if err := r.flush(); err != nil {
			return err
		}
		if s.beforeCommit != nil {
			s.beforeCommit()
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("suppress: record: %w", err)
	}
	return results, nil
}

// recorder applies mails to one transaction with prepared statements.
type recorder struct {
	ctx    context.Context
	tx     *sql.Tx
	policy Policy
	now    time.Time

	stmts [numQueries]*sql.Stmt
	moves []checkpointMove

	allowLoaded bool
	allow       map[string]bool // nil when the list is too long to cache
}

// The recorder's statements, prepared on first use within a transaction.
const (
	qLedgerByID = iota
	qLedgerByContent
	qInsertLedger
	qInsertEvent
	qGetEntry
	qUpsertEntry
	qSetSuppressed
	qSetReset
	qInsertChange
	qAllowed
	qSoftDays
	qSetCheckpoint
	numQueries
)

var recorderQueries = [numQueries]string{
	qLedgerByID:      `SELECT id, marked_at IS NOT NULL FROM ledger WHERE mailbox = ? AND uid_validity = ? AND uid = ?`,
	qLedgerByContent: `SELECT id FROM ledger WHERE message_id = ? AND content_hash = ? AND duplicate_of IS NULL`,
	// A known MailID inserts nothing. (Plain statements, not RETURNING: with this driver a
	// RETURNING statement costs about four plain ones.)
	qInsertLedger: `INSERT INTO ledger (mailbox, uid_validity, uid, message_id, content_hash, problems, recorded_at, duplicate_of)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (mailbox, uid_validity, uid) DO NOTHING`,
	qInsertEvent: `INSERT INTO events (ledger_id, address, domain, original_address, kind, reason, status, reply_code,
		diagnostic, remote_mta, hard, suppress, occurred_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	qGetEntry: `SELECT suppressed, suppressed_kind, suppressed_since, source, reset_at FROM entries WHERE address = ?`,
	// The latest failure event (by occurrence) gives the entry its kind, reason and codes.
	qUpsertEntry: `INSERT INTO entries (address, domain, kind, reason, status, reply_code, last_diagnostic,
			first_seen, last_seen, bounce_count)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, 1)
		ON CONFLICT (address) DO UPDATE SET
			kind            = iif(?8 >= last_seen, ?3, kind),
			reason          = iif(?8 >= last_seen, ?4, reason),
			status          = iif(?8 >= last_seen, ?5, status),
			reply_code      = iif(?8 >= last_seen, ?6, reply_code),
			last_diagnostic = iif(?8 >= last_seen, ?7, last_diagnostic),
			first_seen      = iif(first_seen = 0 OR ?8 < first_seen, ?8, first_seen),
			last_seen       = max(last_seen, ?8),
			bounce_count    = bounce_count + 1`,
	qSetSuppressed: `UPDATE entries SET suppressed = 1, suppressed_kind = ?2, suppressed_since = ?3,
		source = 'policy', by = '', why = ?4, cause_event_id = ?5 WHERE address = ?1`,
	qSetReset:     `UPDATE entries SET reset_at = max(reset_at, ?2) WHERE address = ?1`,
	qInsertChange: `INSERT INTO changes (address, action, source, kind, by, why, event_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
	qAllowed:      `SELECT count(*) FROM allow WHERE pattern IN (?, ?)`,
	// The soft bounces in the window, in order, from the index alone; softDays counts their
	// days.
	qSoftDays: `SELECT occurred_at FROM events
		WHERE address = ?1 AND kind = 'soft' AND occurred_at > max(?2, ?4) AND occurred_at <= ?3 ORDER BY occurred_at`,
	qSetCheckpoint: `INSERT INTO checkpoints (mailbox, uid_validity, last_uid) VALUES (?1, ?2, ?3)
		ON CONFLICT (mailbox) DO UPDATE SET last_uid = iif(uid_validity = ?2, max(last_uid, ?3), ?3), uid_validity = ?2`,
}

func newRecorder(ctx context.Context, tx *sql.Tx, policy Policy, now time.Time) *recorder {
	return &recorder{ctx: ctx, tx: tx, policy: policy, now: now}
}

// stmt returns query q prepared in the transaction, preparing it on first use.
func (r *recorder) stmt(q int) (*sql.Stmt, error) {
	if r.stmts[q] == nil {
		st, err := r.tx.PrepareContext(r.ctx, recorderQueries[q])
		if err != nil {
			return nil, fmt.Errorf("prepare %q: %w", firstLine(recorderQueries[q]), err)
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
	var original int64
	switch err := r.scan(qLedgerByContent, []any{m.MessageID, m.Hash[:]}, &original); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return res, fmt.Errorf("look up ledger by content: %w", err)
	}
	dup := sql.NullInt64{Int64: original, Valid: original != 0}
	x, err := r.exec(qInsertLedger, m.Mailbox, m.UIDValidity, m.UID, m.MessageID, m.Hash[:], m.Problems, toMS(r.now), dup)
	if err != nil {
		return res, fmt.Errorf("insert ledger row: %w", err)
	}
	n, err := x.RowsAffected()
	if err != nil {
		return res, fmt.Errorf("insert ledger row: %w", err)
	}
	if n == 0 {
		// Identity one: this mailbox, UIDVALIDITY and UID were recorded before.
		var marked bool
		if err := r.scan(qLedgerByID, []any{m.Mailbox, m.UIDValidity, m.UID}, &res.LedgerID, &marked); err != nil {
			return res, fmt.Errorf("look up ledger: %w", err)
		}
		res.Duplicate, res.Marked = true, marked
		r.advance(m)
		return res, nil
	}
	if res.LedgerID, err = x.LastInsertId(); err != nil {
		return res, fmt.Errorf("insert ledger row: %w", err)
	}
	res.Duplicate = original != 0
	if !res.Duplicate {
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
		if err := r.tx.QueryRowContext(r.ctx, `SELECT count(*) FROM allow`).Scan(&n); err != nil {
			return false, fmt.Errorf("read allow list: %w", err)
		}
		if n <= maxCachedAllow {
			r.allow = make(map[string]bool, n)
			rows, err := r.tx.QueryContext(r.ctx, `SELECT pattern FROM allow`)
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
	addr, err := Normalize(ev.Address)
	if err != nil {
		d.Action, d.Note = ActionInvalid, err.Error()
		return d, nil
	}
	d.Address = addr
	orig := ""
	if ev.OriginalAddress != "" {
		if o, err := Normalize(ev.OriginalAddress); err == nil {
			orig = o
		} else {
			d.Note = "original address dropped: " + err.Error() + "; "
		}
	}
	at := ev.OccurredAt
	if at.IsZero() {
		at = r.now
	}
	atMS := toMS(at)
	domain := domainOf(addr)
	x, err := r.exec(qInsertEvent, ledgerID, addr, domain, orig, string(ev.Kind), string(ev.Reason),
		string(ev.Status), string(ev.Reply), ev.Diagnostic, ev.RemoteMTA, ev.Hard, ev.Suppress, atMS, toMS(r.now))
	if err != nil {
		return d, fmt.Errorf("insert event for %s: %w", addr, err)
	}
	eventID, err := x.LastInsertId()
	if err != nil {
		return d, fmt.Errorf("insert event for %s: %w", addr, err)
	}
	d.Action = ActionRecorded

	var e struct {
		since, resetAt int64
		suppressed     bool
		kind, source   string
	}
	err = r.scan(qGetEntry, []any{addr}, &e.suppressed, &e.kind, &e.since, &e.source, &e.resetAt)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("read entry for %s: %w", addr, err)
	}
	if isFailure(ev.Kind) {
		if _, err := r.exec(qUpsertEntry, addr, domain, string(ev.Kind), string(ev.Reason), string(ev.Status),
			string(ev.Reply), ev.Diagnostic, atMS); err != nil {
			return d, fmt.Errorf("update entry for %s: %w", addr, err)
		}
	} else if !known {
		d.Note += fmt.Sprintf("%s: recorded", ev.Kind)
		return d, nil // a delivered or informational event for an address with no failures
	}

	if ev.Kind == classify.KindDelivered {
		if !r.policy.DeliveredReleasesSoft {
			d.Note += "delivered: recorded"
			return d, nil
		}
		// A delivery shows the mailbox takes mail: soft bounces before it stop counting.
		if _, err := r.exec(qSetReset, addr, atMS); err != nil {
			return d, fmt.Errorf("reset soft count for %s: %w", addr, err)
		}
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
	if !isFailure(ev.Kind) {
		d.Note += fmt.Sprintf("%s: recorded, never suppresses", ev.Kind)
		return d, nil
	}

	allowed, err := r.isAllowed(addr, domain)
	if err != nil {
		return d, err
	}
	if allowed && ev.Kind != classify.KindBlocked {
		d.Action, d.Note = ActionAllowed, d.Note+fmt.Sprintf("%s: counted; on the allow list, never suppressed", ev.Kind)
		return d, nil
	}
	if atMS <= e.resetAt {
		d.Note += fmt.Sprintf("%s: counted; occurred before the last release, does not suppress", ev.Kind)
		return d, nil
	}

	var suppress bool
	var why string
	switch ev.Kind {
	case classify.KindHard:
		suppress, why = r.policy.SuppressHard, "hard bounce"
	case classify.KindComplaint:
		suppress, why = r.policy.SuppressComplaint, "complaint"
	case classify.KindBlocked:
		d.Note += "blocked: counted; the sender's problem, never suppresses the recipient"
		return d, nil
	case classify.KindSoft:
		if r.policy.SoftDays <= 0 {
			d.Note += "soft: counted; soft bounces never suppress under this policy"
			return d, nil
		}
		from := atMS - r.policy.SoftWindow.Milliseconds()
		days, err := r.softDays(addr, from, atMS, e.resetAt)
		if err != nil {
			return d, fmt.Errorf("count soft bounces for %s: %w", addr, err)
		}
		why = fmt.Sprintf("soft bounces on %d different days within %s", days, windowText(r.policy.SoftWindow))
		suppress = days >= r.policy.SoftDays
		if !suppress {
			d.Note += fmt.Sprintf("soft: soft bounces on %d of %d days within %s", days, r.policy.SoftDays, windowText(r.policy.SoftWindow))
			return d, nil
		}
	}
	if !suppress {
		d.Note += fmt.Sprintf("%s: counted; this policy does not suppress it", ev.Kind)
		return d, nil
	}
	if e.suppressed {
		// A hard bounce or complaint turns a soft suppression into one only a person lifts.
		if e.kind == string(classify.KindSoft) && e.source == string(SourcePolicy) && ev.Kind != classify.KindSoft {
			if err := r.suppress(addr, ev.Kind, atMS, why, eventID); err != nil {
				return d, err
			}
			d.Note += fmt.Sprintf("%s: already suppressed (soft); now suppressed as %s", ev.Kind, ev.Kind)
			return d, nil
		}
		d.Note += fmt.Sprintf("%s: counted; already suppressed", ev.Kind)
		return d, nil
	}
	if err := r.suppress(addr, ev.Kind, atMS, why, eventID); err != nil {
		return d, err
	}
	d.Action, d.Note = ActionSuppressed, d.Note+why+": suppressed"
	return d, nil
}

// softDays counts the different UTC days with a soft bounce for addr in (from, to], after
// resetAt. Days are whole multiples of 86,400,000 ms since the epoch.
func (r *recorder) softDays(addr string, from, to, resetAt int64) (int, error) {
	st, err := r.stmt(qSoftDays)
	if err != nil {
		return 0, err
	}
	rows, err := st.QueryContext(r.ctx, addr, from, to, resetAt)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	days, last := 0, int64(-1)
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return 0, err
		}
		if d := at / 86400000; d != last {
			days, last = days+1, d
		}
	}
	return days, rows.Err()
}

func (r *recorder) suppress(addr string, kind classify.Kind, atMS int64, why string, eventID int64) error {
	if _, err := r.exec(qSetSuppressed, addr, string(kind), atMS, why, eventID); err != nil {
		return fmt.Errorf("suppress %s: %w", addr, err)
	}
	if _, err := r.exec(qInsertChange, addr, string(ActionSuppressed), string(SourcePolicy), string(kind), "", why, eventID, toMS(r.now)); err != nil {
		return fmt.Errorf("log suppression of %s: %w", addr, err)
	}
	return nil
}

func (r *recorder) release(addr string, eventID int64, why string) error {
	if _, err := r.tx.ExecContext(r.ctx, `UPDATE entries SET suppressed = 0, suppressed_kind = '', suppressed_since = 0,
		source = '', by = '', why = '', cause_event_id = 0 WHERE address = ?`, addr); err != nil {
		return fmt.Errorf("release %s: %w", addr, err)
	}
	if _, err := r.exec(qInsertChange, addr, string(ActionReleased), string(SourcePolicy), string(classify.KindDelivered), "", why, eventID, toMS(r.now)); err != nil {
		return fmt.Errorf("log release of %s: %w", addr, err)
	}
	return nil
}

func windowText(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}

// MarkDone notes that the mail's IMAP move or flag succeeded; see Store.
func (s *SQLite) MarkDone(ctx context.Context, id MailID) error {
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

// Unmarked lists a mailbox's recorded but unmarked mails, oldest first; see Store.
func (s *SQLite) Unmarked(ctx context.Context, mailbox string) ([]LedgerEntry, error) {
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
func (s *SQLite) Checkpoint(ctx context.Context, mailbox string) (uidValidity, lastUID uint32, err error) {
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
func (s *SQLite) SetCheckpoint(ctx context.Context, mailbox string, uidValidity, lastUID uint32) error {
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
func (s *SQLite) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) error {
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
func (s *SQLite) ReleaseLease(ctx context.Context, name, holder string) error {
	err := s.write(ctx, true, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder)
		return err
	})
	if err != nil {
		return fmt.Errorf("suppress: release lease %q: %w", name, err)
	}
	return nil
}

package suppress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Marking mails done, the unmarked ones, and the per-mailbox checkpoints.

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
	now := toMS(s.now())
	for _, b := range boxes {
		q, runs, err := s.dialect.inList(`UPDATE ledger SET marked_at = coalesce(marked_at, ?) WHERE mailbox = ? AND uid_validity = ? AND uid IN (IN)`,
			[]any{now, b.mailbox, b.uidv}, uids[b])
		if err != nil {
			return nil, err
		}
		if len(runs) == 0 {
			continue
		}
		st, err := s.txStmt(ctx, tx, q)
		if err != nil {
			return nil, err
		}
		for _, run := range runs {
			chunk := run.values
			x, err := st.ExecContext(ctx, run.args...)
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

package suppress

import (
	"context"
	"database/sql"
	"fmt"
)

// migrateV7 lets the ledger set mails aside: quarantine says why a mail was recorded without
// being decoded (or with its decoding stopped), and attempts counts, per mail, the runs that
// ended while decoding it (see NoteCrash), so that a mail that crashes every run is
// quarantined instead of retried forever.
func migrateV7(ctx context.Context, tx *sql.Tx) error {
	return execAll(ctx, tx,
		`ALTER TABLE ledger ADD COLUMN quarantine TEXT NOT NULL DEFAULT ''`,
		`CREATE TABLE attempts (
			mailbox      TEXT    NOT NULL,
			uid_validity INTEGER NOT NULL,
			uid          INTEGER NOT NULL,
			crashes      INTEGER NOT NULL,
			last_at      INTEGER NOT NULL,
			PRIMARY KEY (mailbox, uid_validity, uid)
		) WITHOUT ROWID`,
	)
}

// NoteCrash counts one more run that ended while decoding the mail id, and returns how many
// did so far.
func (s *DB) NoteCrash(ctx context.Context, id MailID) (int, error) {
	var n int
	err := s.write(ctx, false, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO attempts (mailbox, uid_validity, uid, crashes, last_at) VALUES (?, ?, ?, 1, ?)
			ON CONFLICT (mailbox, uid_validity, uid) DO UPDATE SET crashes = attempts.crashes + 1, last_at = excluded.last_at
			RETURNING crashes`, id.Mailbox, id.UIDValidity, id.UID, toMS(s.now())).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("suppress: note a crash on %s/%d/%d: %w", id.Mailbox, id.UIDValidity, id.UID, err)
	}
	return n, nil
}

// Quarantined returns the mails of a mailbox (under uidValidity) that must not be decoded,
// with why: those recorded as quarantined and not yet marked (the run that recorded them
// ended before moving them aside), and those not recorded during which at least crashes runs
// ended (see NoteCrash).
func (s *DB) Quarantined(ctx context.Context, mailbox string, uidValidity uint32, crashes int) (map[uint32]string, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT uid, quarantine FROM ledger
			WHERE mailbox = ?1 AND uid_validity = ?2 AND marked_at IS NULL AND quarantine != ''
		UNION ALL
		SELECT a.uid, 'the run ended ' || a.crashes || ' times while decoding it' FROM attempts a
			WHERE a.mailbox = ?1 AND a.uid_validity = ?2 AND a.crashes >= ?3
			AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.mailbox = ?1 AND l.uid_validity = ?2 AND l.uid = a.uid)`,
		mailbox, uidValidity, crashes)
	if err != nil {
		return nil, fmt.Errorf("suppress: list quarantined mails of %q: %w", mailbox, err)
	}
	defer rows.Close()
	out := map[uint32]string{}
	for rows.Next() {
		var uid uint32
		var why string
		if err := rows.Scan(&uid, &why); err != nil {
			return nil, fmt.Errorf("suppress: list quarantined mails of %q: %w", mailbox, err)
		}
		out[uid] = why
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("suppress: list quarantined mails of %q: %w", mailbox, err)
	}
	return out, nil
}

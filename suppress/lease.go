package suppress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Leases: which process runs on a store (or a mailbox) now.

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

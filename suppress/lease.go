package suppress

import (
	"cmp"
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
				return &LeaseHeldError{Holder: cur, Until: fromMS(exp)}
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

// LeaseHeldError is AcquireLease's error when another holder has the lease; it matches
// ErrLeaseHeld with errors.Is.
type LeaseHeldError struct {
	Holder string
	Until  time.Time
}

func (e *LeaseHeldError) Error() string {
	return fmt.Sprintf("%v: %s until %s", ErrLeaseHeld, e.Holder, e.Until.UTC().Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrLeaseHeld) true.
func (e *LeaseHeldError) Is(target error) bool { return target == ErrLeaseHeld }

// TakeOverLease gives the named lease to holder for ttl if from still holds it, whatever its
// expiry: for a holder known to be gone (a process of this host that no longer exists). It
// fails with ErrLeaseHeld when someone else holds the lease by now.
func (s *DB) TakeOverLease(ctx context.Context, name, from, holder string, ttl time.Duration) error {
	now := s.now()
	err := s.write(ctx, true, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE leases SET holder = ?, expires_at = ? WHERE name = ? AND holder = ?`,
			holder, toMS(now.Add(ttl)), name, from)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return cmp.Or(err, ErrLeaseHeld)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("suppress: take over lease %q from %s: %w", name, from, err)
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

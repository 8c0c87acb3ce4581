package suppress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// Suppress suppresses an address by hand; see Store.
func (s *SQLite) Suppress(ctx context.Context, m Manual) (Change, error) {
	var c Change
	err := s.write(ctx, false, func(tx *sql.Tx) error {
		var err error
		c, err = s.suppressOne(ctx, tx, m, SourceManual)
		return err
	})
	if err != nil {
		return c, fmt.Errorf("suppress: suppress %q: %w", m.Address, err)
	}
	return c, nil
}

// Import suppresses many addresses by hand in one transaction; see Store. An invalid or
// allowed address does not stop the import: its Change says why it was skipped.
func (s *SQLite) Import(ctx context.Context, ms []Manual) ([]Change, error) {
	out := make([]Change, 0, len(ms))
	err := s.write(ctx, false, func(tx *sql.Tx) error {
		for _, m := range ms {
			c, err := s.suppressOne(ctx, tx, m, SourceImport)
			switch {
			case errors.Is(err, ErrInvalidAddress):
				c = Change{Address: m.Address, Action: ActionInvalid, Note: err.Error()}
			case errors.Is(err, ErrAllowed):
				c = Change{Address: c.Address, Action: ActionAllowed, Note: "on the allow list: not suppressed"}
			case err != nil:
				return fmt.Errorf("%q: %w", m.Address, err)
			}
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("suppress: import: %w", err)
	}
	return out, nil
}

func (s *SQLite) suppressOne(ctx context.Context, tx *sql.Tx, m Manual, src Source) (Change, error) {
	m = m.valid()
	addr, err := Normalize(m.Address)
	if err != nil {
		return Change{Address: m.Address}, err
	}
	c := Change{Address: addr}
	if ok, err := isAllowed(ctx, tx, addr); err != nil {
		return c, err
	} else if ok {
		return c, ErrAllowed
	}
	var suppressed bool
	var kind, source string
	err = tx.QueryRowContext(ctx, `SELECT suppressed, suppressed_kind, source FROM entries WHERE address = ?`, addr).
		Scan(&suppressed, &kind, &source)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("read entry: %w", err)
	}
	// A soft suppression by the policy becomes one by hand, which a later delivery does not
	// lift; any other suppression stays as it is.
	if suppressed && !(source == string(SourcePolicy) && kind == string(classify.KindSoft)) {
		c.Action, c.Note = ActionUnchanged, "already suppressed"
		return c, nil
	}
	if suppressed {
		c.Note = "was suppressed by the policy after soft bounces; now by hand"
	}
	now := toMS(s.now())
	if _, err := tx.ExecContext(ctx, `INSERT INTO entries (address, domain, suppressed, suppressed_since, source, by, why)
		VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6)
		ON CONFLICT (address) DO UPDATE SET suppressed = 1, suppressed_kind = '', suppressed_since = ?3,
			source = ?4, by = ?5, why = ?6, cause_event_id = 0`,
		addr, domainOf(addr), now, string(src), m.By, m.Why); err != nil {
		return c, fmt.Errorf("suppress: %w", err)
	}
	if err := logChange(ctx, tx, addr, ActionSuppressed, src, m, now); err != nil {
		return c, err
	}
	c.Action = ActionSuppressed
	return c, nil
}

// Release lifts an address's suppression by hand; see Store. Soft bounces before the release
// stop counting, and no event that occurred before it suppresses the address again.
func (s *SQLite) Release(ctx context.Context, m Manual) (Change, error) {
	m = m.valid()
	c := Change{Address: m.Address}
	addr, err := Normalize(m.Address)
	if err != nil {
		return c, err
	}
	c.Address = addr
	err = s.write(ctx, false, func(tx *sql.Tx) error {
		var suppressed bool
		err := tx.QueryRowContext(ctx, `SELECT suppressed FROM entries WHERE address = ?`, addr).Scan(&suppressed)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("read entry: %w", err)
		}
		if !suppressed {
			c.Action, c.Note = ActionUnchanged, "not suppressed"
			return nil
		}
		now := toMS(s.now())
		if err := releaseEntry(ctx, tx, addr, now); err != nil {
			return err
		}
		if err := logChange(ctx, tx, addr, ActionReleased, SourceManual, m, now); err != nil {
			return err
		}
		c.Action = ActionReleased
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("suppress: release %q: %w", m.Address, err)
	}
	return c, nil
}

func releaseEntry(ctx context.Context, tx *sql.Tx, addr string, nowMS int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE entries SET suppressed = 0, suppressed_kind = '', suppressed_since = 0,
		source = '', by = '', why = '', cause_event_id = 0, reset_at = max(reset_at, ?2) WHERE address = ?1`, addr, nowMS); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	return nil
}

func logChange(ctx context.Context, tx *sql.Tx, addr string, a Action, src Source, m Manual, nowMS int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO changes (address, action, source, by, why, at) VALUES (?, ?, ?, ?, ?, ?)`,
		addr, string(a), string(src), m.By, m.Why, nowMS); err != nil {
		return fmt.Errorf("log change: %w", err)
	}
	return nil
}

func isAllowed(ctx context.Context, tx *sql.Tx, addr string) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM allow WHERE pattern IN (?, ?)`, addr, "@"+domainOf(addr)).Scan(&n); err != nil {
		return false, fmt.Errorf("check allow list: %w", err)
	}
	return n > 0, nil
}

// Allow puts an address or "@domain" on the allow list and releases the suppressions it
// covers; see Store.
func (s *SQLite) Allow(ctx context.Context, m Manual) (Change, error) {
	m = m.valid()
	c := Change{Address: m.Address}
	p, err := normalizePattern(m.Address)
	if err != nil {
		return c, err
	}
	c.Address = p
	err = s.write(ctx, false, func(tx *sql.Tx) error {
		now := toMS(s.now())
		x, err := tx.ExecContext(ctx, `INSERT INTO allow (pattern, by, why, at) VALUES (?, ?, ?, ?) ON CONFLICT (pattern) DO NOTHING`,
			p, m.By, m.Why, now)
		if err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		added, err := x.RowsAffected()
		if err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if added == 0 {
			c.Action, c.Note = ActionUnchanged, "already on the allow list"
			return nil
		}
		if err := logChange(ctx, tx, p, ActionAllowed, SourceManual, m, now); err != nil {
			return err
		}
		var covered []string
		q, arg := `SELECT address FROM entries WHERE suppressed = 1 AND address = ?`, p
		if strings.HasPrefix(p, "@") {
			q, arg = `SELECT address FROM entries WHERE suppressed = 1 AND domain = ?`, p[1:]
		}
		rows, err := tx.QueryContext(ctx, q, arg)
		if err != nil {
			return fmt.Errorf("find covered suppressions: %w", err)
		}
		for rows.Next() {
			var a string
			if err := rows.Scan(&a); err != nil {
				rows.Close()
				return fmt.Errorf("find covered suppressions: %w", err)
			}
			covered = append(covered, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find covered suppressions: %w", err)
		}
		rel := Manual{By: m.By, Why: "allow list " + p + ": " + m.Why}
		for _, a := range covered {
			if err := releaseEntry(ctx, tx, a, now); err != nil {
				return err
			}
			if err := logChange(ctx, tx, a, ActionReleased, SourceManual, rel, now); err != nil {
				return err
			}
		}
		c.Action = ActionAllowed
		if len(covered) > 0 {
			c.Note = fmt.Sprintf("released %d suppressed address(es): %s", len(covered), strings.Join(covered, ", "))
		}
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("suppress: allow %q: %w", m.Address, err)
	}
	return c, nil
}

// Disallow takes an address or "@domain" off the allow list; see Store.
func (s *SQLite) Disallow(ctx context.Context, m Manual) (Change, error) {
	m = m.valid()
	c := Change{Address: m.Address}
	p, err := normalizePattern(m.Address)
	if err != nil {
		return c, err
	}
	c.Address = p
	err = s.write(ctx, false, func(tx *sql.Tx) error {
		x, err := tx.ExecContext(ctx, `DELETE FROM allow WHERE pattern = ?`, p)
		if err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		if n, err := x.RowsAffected(); err != nil {
			return fmt.Errorf("delete: %w", err)
		} else if n == 0 {
			c.Action, c.Note = ActionUnchanged, "not on the allow list"
			return nil
		}
		c.Action = ActionDisallowed
		return logChange(ctx, tx, p, ActionDisallowed, SourceManual, m, toMS(s.now()))
	})
	if err != nil {
		return c, fmt.Errorf("suppress: disallow %q: %w", m.Address, err)
	}
	return c, nil
}

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
func (s *DB) Suppress(ctx context.Context, m Manual) (Change, error) {
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
func (s *DB) Import(ctx context.Context, ms []Manual) ([]Change, error) {
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

func (s *DB) suppressOne(ctx context.Context, tx *sql.Tx, m Manual, src Source) (Change, error) {
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
func (s *DB) Release(ctx context.Context, m Manual) (Change, error) {
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

// SourceAllowList marks the change rows of the suppressions an allow-list entry released, so
// that taking the entry off the list (Disallow) finds and restores them.
const SourceAllowList Source = "allow"

// allowPattern normalises an allow-list pattern: an address or "@domain", nothing else. A
// wildcard ("*@example.org", "@*.example.org") is refused rather than stored as a literal
// address: '*' and '?' are valid in a local part (RFC 5322 atext), but in an allow list they
// are meant as patterns, which the list does not support.
func allowPattern(p string) (string, error) {
	s := strings.TrimSpace(p)
	if strings.ContainsAny(s, "*?%") {
		return "", fmt.Errorf("suppress: pattern %q: %w: wildcards are not supported; give an address or @domain (which covers the domain, not its subdomains)", p, ErrInvalidAddress)
	}
	if !strings.Contains(s, "@") {
		return "", fmt.Errorf("suppress: pattern %q: %w: want an address or @domain (for a whole domain, write @%s)", p, ErrInvalidAddress, s)
	}
	return normalizePattern(s)
}

// Covered returns the suppressed addresses an allow-list pattern (an address or "@domain")
// covers: those Allow would release. It changes nothing.
func (s *DB) Covered(ctx context.Context, pattern string) ([]Entry, error) {
	p, err := allowPattern(pattern)
	if err != nil {
		return nil, err
	}
	addrs, err := coveredSuppressions(ctx, s.db, p)
	if err != nil {
		return nil, fmt.Errorf("suppress: covered by %s: %w", p, err)
	}
	out := make([]Entry, 0, len(addrs))
	for _, a := range addrs {
		e, err := s.Lookup(ctx, a)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// coveredSuppressions lists the suppressed addresses pattern p (normalised) covers, in order.
func coveredSuppressions(ctx context.Context, q querier, p string) ([]string, error) {
	query, arg := `SELECT address FROM entries WHERE suppressed = 1 AND address = ? ORDER BY address`, p
	if strings.HasPrefix(p, "@") {
		query, arg = `SELECT address FROM entries WHERE suppressed = 1 AND domain = ? ORDER BY address`, p[1:]
	}
	rows, err := q.QueryContext(ctx, query, arg)
	if err != nil {
		return nil, fmt.Errorf("find covered suppressions: %w", err)
	}
	defer rows.Close()
	var covered []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("find covered suppressions: %w", err)
		}
		covered = append(covered, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find covered suppressions: %w", err)
	}
	return covered, nil
}

// Allow puts an address or "@domain" on the allow list and releases the suppressions it
// covers (Covered lists them beforehand); see Store. Wildcards are refused. The releases are
// recorded with SourceAllowList, and Disallow restores them.
func (s *DB) Allow(ctx context.Context, m Manual) (Change, error) {
	m = m.valid()
	c := Change{Address: m.Address}
	p, err := allowPattern(m.Address)
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
		covered, err := coveredSuppressions(ctx, tx, p)
		if err != nil {
			return err
		}
		rel := Manual{By: m.By, Why: "allow list " + p + ": " + m.Why}
		for _, a := range covered {
			if err := releaseEntry(ctx, tx, a, now); err != nil {
				return err
			}
			if err := logChange(ctx, tx, a, ActionReleased, SourceAllowList, rel, now); err != nil {
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

// Disallow takes an address or "@domain" off the allow list and restores the suppressions
// its Allow released, as they were (kind, since, source, who and why), unless the address is
// still allowed by another entry or is suppressed again; see Store.
func (s *DB) Disallow(ctx context.Context, m Manual) (Change, error) {
	m = m.valid()
	c := Change{Address: m.Address}
	p, err := allowPattern(m.Address)
	if err != nil {
		return c, err
	}
	c.Address = p
	err = s.write(ctx, false, func(tx *sql.Tx) error {
		// The allow's own change row: the releases it made follow it.
		var allowedID int64
		err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM changes WHERE event_id = 0 AND address = ? AND action = ?`,
			p, string(ActionAllowed)).Scan(&allowedID)
		if err != nil {
			return fmt.Errorf("find the allow: %w", err)
		}
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
		now := toMS(s.now())
		if err := logChange(ctx, tx, p, ActionDisallowed, SourceManual, m, now); err != nil {
			return err
		}
		restored, err := restoreReleased(ctx, tx, p, allowedID, m, now)
		if err != nil {
			return err
		}
		if len(restored) > 0 {
			c.Note = fmt.Sprintf("restored %d suppression(s) it had released: %s", len(restored), strings.Join(restored, ", "))
		}
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("suppress: disallow %q: %w", m.Address, err)
	}
	return c, nil
}

// released is a release an allow-list entry made.
type released struct {
	id      int64 // its change row
	address string
}

// restoreReleased restores the suppressions that the allow of pattern p (change row
// allowedID) released: each gets back the state the latest suppression before the release
// gave it. Addresses still allowed, or suppressed meanwhile, are left as they are.
func restoreReleased(ctx context.Context, tx *sql.Tx, p string, allowedID int64, m Manual, nowMS int64) ([]string, error) {
	if allowedID == 0 {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, address FROM changes WHERE event_id = 0 AND id > ? AND action = ? AND source = ?
		ORDER BY id`, allowedID, string(ActionReleased), string(SourceAllowList))
	if err != nil {
		return nil, fmt.Errorf("find the releases: %w", err)
	}
	var rels []released
	for rows.Next() {
		var r released
		if err := rows.Scan(&r.id, &r.address); err != nil {
			rows.Close()
			return nil, fmt.Errorf("find the releases: %w", err)
		}
		if r.address == p || strings.HasPrefix(p, "@") && domainOf(r.address) == p[1:] {
			rels = append(rels, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find the releases: %w", err)
	}
	var restored []string
	for _, r := range rels {
		if ok, err := isAllowed(ctx, tx, r.address); err != nil {
			return nil, err
		} else if ok {
			continue
		}
		var suppressed bool
		if err := tx.QueryRowContext(ctx, `SELECT suppressed FROM entries WHERE address = ?`, r.address).Scan(&suppressed); err != nil {
			return nil, fmt.Errorf("read entry: %w", err)
		}
		if suppressed {
			continue
		}
		// The latest suppression before the release: one by hand names the address, one by
		// the policy its event (see historyChanges); a policy suppression dates from its event.
		var source, kind, by, why string
		var eventID, since int64
		err := tx.QueryRowContext(ctx, `SELECT c.source, c.kind, c.by, c.why, c.event_id, coalesce(ev.occurred_at, c.at)
			FROM changes c LEFT JOIN events ev ON c.event_id != 0 AND ev.id = c.event_id
			WHERE c.id < ?1 AND c.action = ?2 AND c.address = ?3
				AND (c.event_id = 0 OR c.event_id IN (SELECT id FROM events WHERE address = ?3))
			ORDER BY c.id DESC LIMIT 1`, r.id, string(ActionSuppressed), r.address).Scan(&source, &kind, &by, &why, &eventID, &since)
		if errors.Is(err, sql.ErrNoRows) {
			// A store from before changes were logged: suppress by hand, saying why.
			source, kind, by, why, eventID, since = string(SourceManual), "", m.By, "restored: allow list "+p+" removed", 0, nowMS
		} else if err != nil {
			return nil, fmt.Errorf("find the suppression before the release: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE entries SET suppressed = 1, suppressed_kind = ?2, suppressed_since = ?3,
			source = ?4, by = ?5, why = ?6, cause_event_id = ?7 WHERE address = ?1`,
			r.address, kind, since, source, by, why, eventID); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
		note := Manual{By: m.By, Why: "allow list " + p + " removed: suppression restored (" + why + ")"}
		if err := logChange(ctx, tx, r.address, ActionSuppressed, SourceAllowList, note, nowMS); err != nil {
			return nil, err
		}
		restored = append(restored, r.address)
	}
	return restored, nil
}

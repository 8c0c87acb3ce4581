package suppress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// ErrTargetNotEmpty says that Copy was asked to copy into a store that already holds data.
var ErrTargetNotEmpty = errors.New("the target store is not empty")

// copyTables are the tables Copy copies, in an order that keeps references valid (events
// refer to ledger rows), with the columns that order their rows.
var copyTables = []struct{ name, order string }{
	{"ledger", "id"},
	{"checkpoints", "mailbox"},
	{"events", "id"},
	{"entries", "address"},
	{"changes", "id"},
	{"allow", "pattern"},
	{"attempts", "mailbox, uid_validity, uid"},
	{"runs", "id"},
	{"run_totals", "mailbox"},
}

// TableCount is the number of rows of one table.
type TableCount struct {
	Table string
	Rows  int64
}

// copyChunk is the number of rows of one INSERT when copying: small enough for SQLite's
// parameter limit with the widest table (events, 16 columns).
const copyChunk = 200

// Copy copies the whole store from into to, with its history: ledger, checkpoints, events,
// entries, changes, the allow list, the crash counts and the runs (with their folded totals), ids included, in one transaction of
// to. Leases are not copied (they belong to running processes). to must be empty (a new
// store): otherwise Copy fails with ErrTargetNotEmpty and changes nothing. After the copy,
// Copy counts the rows of every table on both sides and fails when they differ. The engines
// may be the same or different: this is how a store moves from SQLite to PostgreSQL and
// back.
func Copy(ctx context.Context, from, to *DB) ([]TableCount, error) {
	var counts []TableCount
	err := to.write(ctx, false, func(tx *sql.Tx) error {
		for _, t := range copyTables {
			var n int64
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+t.name).Scan(&n); err != nil {
				return fmt.Errorf("count %s in the target: %w", t.name, err)
			}
			if n > 0 {
				return fmt.Errorf("%w: %s has %d rows", ErrTargetNotEmpty, t.name, n)
			}
		}
		// The source is read in one transaction, so that the copy is one moment of it.
		src, err := from.db.BeginTx(ctx, from.dialect.snapshot())
		if err != nil {
			return fmt.Errorf("read the source: %w", err)
		}
		defer src.Rollback()
		for _, t := range copyTables {
			n, err := copyTable(ctx, src, tx, t.name, t.order)
			if err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
			counts = append(counts, TableCount{Table: t.name, Rows: n})
		}
		if err := to.dialect.afterCopy(ctx, tx); err != nil {
			return err
		}
		for _, c := range counts {
			var n int64
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+c.Table).Scan(&n); err != nil {
				return fmt.Errorf("count %s in the target: %w", c.Table, err)
			}
			if n != c.Rows {
				return fmt.Errorf("copy %s: the target has %d rows, the source %d", c.Table, n, c.Rows)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("suppress: copy %s to %s: %w", from.name(), to.name(), err)
	}
	return counts, nil
}

// copyTable copies the rows of table, in order, from src to dst, and returns their number.
func copyTable(ctx context.Context, src, dst *sql.Tx, table, order string) (int64, error) {
	rows, err := src.QueryContext(ctx, "SELECT * FROM "+table+" ORDER BY "+order)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	one := "(?" + strings.Repeat(", ?", len(cols)-1) + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	var args []any
	var n, pending int64
	flush := func() error {
		if pending == 0 {
			return nil
		}
		q := head + one + strings.Repeat(", "+one, int(pending)-1)
		if _, err := dst.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		args, pending = args[:0], 0
		return nil
	}
	for rows.Next() {
		vals, err := scanAny(rows, len(cols))
		if err != nil {
			return n, err
		}
		args = append(args, vals...)
		n++
		if pending++; pending == copyChunk {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

// scanAny scans the current row of n columns into values of the driver's types.
func scanAny(rows *sql.Rows, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, rows.Scan(ptrs...)
}

// name is the store's file or URL for messages, without a password.
func (s *DB) name() string {
	if s.dialect.postgres {
		return redact(s.path)
	}
	return s.path
}

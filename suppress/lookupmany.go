package suppress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// LookupResult is what the store knows about one address of a LookupMany batch.
type LookupResult struct {
	// Input is the address as given.
	Input string
	// Err is set when the address cannot be normalised (it wraps ErrInvalidAddress); the
	// fields below are then empty.
	Err error
	// Address is the normalised address.
	Address string
	// Known says whether the store has an entry for the address; Entry holds it (with
	// Allowed set). For an unknown address, Entry holds only Address, Domain and Allowed.
	Known bool
	Entry Entry
}

// Suppressed says whether the address must not be mailed: it has a suppression and is not on
// the allow list, neither itself nor its domain. An allowed address is never suppressed.
func (r LookupResult) Suppressed() bool {
	return r.Err == nil && r.Known && r.Entry.Suppressed && !r.Entry.Allowed
}

// lookupChunks are the sizes of the IN lists LookupMany asks with. A batch is cut into the
// largest, and its rest goes in the smallest that holds it, padded with its last address:
// four statement texts, each prepared once per connection, serve any batch size.
var lookupChunks = []int{1, 16, 128, 512}

// LookupMany looks up many addresses at once, as Lookup would one by one, and returns one
// result per address, in the order given. An address that cannot be normalised gets a result
// with Err set and does not stop the others. The same address may appear more than once.
//
// The entries are read with IN lists (spread over GOMAXPROCS connections for a large batch) of a few fixed sizes and the allow list with the
// addresses and their "@domain" patterns the same way, so the SQL is the same on every
// database and the statements are prepared once.
func (s *SQLite) LookupMany(ctx context.Context, addresses []string) ([]LookupResult, error) {
	out := make([]LookupResult, len(addresses))
	idx := make(map[string][]int, len(addresses)) // normalised address → its results
	var addrs []string
	domains := map[string]bool{}
	var patterns []string
	for i, in := range addresses {
		out[i].Input = in
		a, err := Normalize(in)
		if err != nil {
			out[i].Err = err
			continue
		}
		out[i].Address = a
		out[i].Entry = Entry{Address: a, Domain: domainOf(a)}
		if _, seen := idx[a]; !seen {
			addrs = append(addrs, a)
			patterns = append(patterns, a)
			if d := out[i].Entry.Domain; !domains[d] {
				domains[d] = true
				patterns = append(patterns, "@"+d)
			}
		}
		idx[a] = append(idx[a], i)
	}
	if len(addrs) == 0 {
		return out, nil
	}
	entry := func(fixed, diag, by, why string) error {
		e := Entry{LastDiagnostic: diag, By: by, Why: why}
		if err := parseEntry(fixed, &e); err != nil {
			return err
		}
		for _, i := range idx[e.Address] {
			out[i].Known, out[i].Entry = true, e
		}
		return nil
	}
	var allowed map[string]bool
	var err error
	if small := lookupChunks[1]; len(addrs) <= small && len(patterns) <= 2*small {
		allowed, err = s.lookupFew(ctx, addrs, patterns, entry)
	} else {
		allowed, err = s.lookupBatch(ctx, addrs, patterns, entry)
	}
	if err != nil {
		return nil, fmt.Errorf("suppress: look up %d addresses: %w", len(addresses), err)
	}
	if len(allowed) > 0 {
		for i := range out {
			if r := &out[i]; r.Err == nil {
				r.Entry.Allowed = allowed[r.Address] || allowed["@"+r.Entry.Domain]
			}
		}
	}
	return out, nil
}

// lookupFew looks a few addresses and their allow-list patterns up in one statement, so in
// one read transaction: for a single address, starting the transaction costs as much as the
// lookup itself.
func (s *SQLite) lookupFew(ctx context.Context, addrs, patterns []string, entry func(fixed, diag, by, why string) error) (map[string]bool, error) {
	na, np := padSize(len(addrs)), padSize(len(patterns))
	args := make([]any, 0, na+np)
	args = appendPadded(args, addrs, na)
	args = appendPadded(args, patterns, np)
	st, err := s.poolStmt(ctx, fmt.Sprintf(lookupFewQuery, placeholders(na), placeholders(np)))
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	allowed := map[string]bool{}
	for rows.Next() {
		var fixed, diag, by, why string
		if err := rows.Scan(&fixed, &diag, &by, &why); err != nil {
			return nil, err
		}
		if fixed == "" { // an allow-list row: the pattern is in the second column
			allowed[diag] = true
			continue
		}
		if err := entry(fixed, diag, by, why); err != nil {
			return nil, err
		}
	}
	return allowed, rows.Err()
}

// lookupFewQuery reads the entries of the first IN list and the allow-list patterns of the
// second; an allow row has an empty first column.
const lookupFewQuery = `SELECT ` + entriesColumns + ` FROM entries e WHERE e.address IN (%s)
	UNION ALL SELECT '', pattern, '', '' FROM allow WHERE pattern IN (%s)`

// lookupBatch looks many addresses up: the entries in IN lists spread over connections, and
// the allow list as allowedAmong reads it.
func (s *SQLite) lookupBatch(ctx context.Context, addrs, patterns []string, entry func(fixed, diag, by, why string) error) (map[string]bool, error) {
	err := s.inChunks(ctx, addrs, lookupManyEntries, true, func(rows *sql.Rows) error {
		var fixed, diag, by, why string
		if err := rows.Scan(&fixed, &diag, &by, &why); err != nil {
			return err
		}
		return entry(fixed, diag, by, why)
	})
	if err != nil {
		return nil, err
	}
	allowed, err := s.allowedAmong(ctx, patterns)
	if err != nil {
		return nil, fmt.Errorf("the allow list: %w", err)
	}
	return allowed, nil
}

// padSize returns the smallest of lookupChunks that holds n values (the largest if none).
func padSize(n int) int {
	for _, c := range lookupChunks {
		if c >= n {
			return c
		}
	}
	return lookupChunks[len(lookupChunks)-1]
}

// appendPadded appends values to args, repeating the last one up to size values.
func appendPadded(args []any, values []string, size int) []any {
	for _, v := range values {
		args = append(args, v)
	}
	for i := len(values); i < size; i++ {
		args = append(args, values[len(values)-1])
	}
	return args
}

// lookupManyEntries reads the entries of an IN list of addresses, in the columns of Entries.
const lookupManyEntries = `SELECT ` + entriesColumns + ` FROM entries e WHERE e.address IN (%s)`

// allowedAmong returns the allow-list patterns among patterns (addresses and "@domain"s). An
// allow list no longer than patterns is read whole, which costs less than looking each
// pattern up (the usual case: a short list and a large batch); a longer one is asked for
// the patterns in IN lists.
func (s *SQLite) allowedAmong(ctx context.Context, patterns []string) (map[string]bool, error) {
	st, err := s.poolStmt(ctx, `SELECT pattern FROM allow LIMIT ?`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, len(patterns)+1)
	if err != nil {
		return nil, err
	}
	var all []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, p)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	allowed := map[string]bool{}
	if len(all) <= len(patterns) {
		for _, p := range all {
			allowed[p] = true
		}
		return allowed, nil
	}
	err = s.inChunks(ctx, patterns, `SELECT pattern FROM allow WHERE pattern IN (%s)`, false, func(rows *sql.Rows) error {
		var p string
		if err := rows.Scan(&p); err != nil {
			return err
		}
		allowed[p] = true
		return nil
	})
	return allowed, err
}

// inChunks runs query (with one %s for the IN list) over values in chunks of lookupChunks
// sizes and hands every row to fn. With parallel, the chunks are spread over up to GOMAXPROCS
// connections at once, and fn must be safe for concurrent use.
func (s *SQLite) inChunks(ctx context.Context, values []string, query string, parallel bool, fn func(*sql.Rows) error) error {
	var chunks [][]any
	for len(values) > 0 {
		size := padSize(len(values))
		n := min(size, len(values))
		chunks = append(chunks, appendPadded(make([]any, 0, size), values[:n], size))
		values = values[n:]
	}
	run := func(args []any) error {
		st, err := s.poolStmt(ctx, fmt.Sprintf(query, placeholders(len(args))))
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	workers := 1
	if parallel {
		workers = min(runtime.GOMAXPROCS(0), len(chunks))
	}
	if workers <= 1 {
		for _, args := range chunks {
			if err := run(args); err != nil {
				return err
			}
		}
		return nil
	}
	var next atomic.Int64
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(chunks) {
					return
				}
				if err := run(chunks[i]); err != nil {
					errs[w] = err
					next.Store(int64(len(chunks))) // the others stop at their next chunk
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// placeholders returns n comma-separated "?".
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// poolStmt returns query prepared on the pool, preparing it at most once per connection (the
// statements txStmt hands to transactions).
func (s *SQLite) poolStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", firstLine(query), err)
	}
	if s.stmts == nil {
		s.stmts = make(map[string]*sql.Stmt)
	}
	s.stmts[query] = st
	return st, nil
}

package suppress

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Index answers LookupMany from memory: every entry of a store and its allow list, kept
// fresh by a goroutine that reads what changed at a short interval. The lookup API uses it to
// answer in microseconds what the store answers in tens of them (a lookup in a large store
// touches a few b-tree pages, and with this driver every statement and column read costs
// mutex round trips and copies).
//
// How fresh: every Interval, the index reads the entries of the addresses named by events
// and changes rows newer than the ones it has seen (both tables only grow; every write to
// an entry adds a row to one of them), and the whole allow list. A write committed by
// another process is therefore answered at most Interval plus one refresh's duration after
// its commit. On SQLite, rows are numbered in commit order (one writer at a time), so that
// bound holds exactly. On PostgreSQL, ids come from sequences and a transaction can commit
// after one that took later ids; each refresh therefore reads again the rows of the last
// Overlap, which keeps the bound for transactions shorter than Overlap (except for one in
// flight when the index is first loaded, which the first full reload brings in). As a net
// under all of that, the whole store is read again every FullReload. A refresh that fails is logged
// and tried again at the next tick; the index answers from what it has meanwhile (Err
// reports the failure, and Age how old the data is).
//
// Memory: each entry's row as entriesColumns reads it, packed end to end in chunks that hold
// no pointers, and a table of 8-byte slots at most half full (rowTable): 210 MiB for the
// million entries of httpapi's benchmark store (Size reports it). A full reload holds two
// copies until it ends.
type Index struct {
	src  *DB
	opts IndexOptions

	// refreshing serialises reloads and refreshes.
	refreshing sync.Mutex

	mu      sync.RWMutex
	entries *rowTable       // normalised address → packed row (packRow)
	allowA  map[string]bool // allow-list addresses
	allowD  map[string]bool // allow-list domains ("@domain" patterns, without the @)
	marks   []mark          // high-water marks of the recent refreshes, oldest first
	at      time.Time       // when the last successful refresh started
	err     error           // the last refresh's error, if it failed

	stop chan struct{}
	done chan struct{}
}

// IndexOptions tune an Index; the zero value takes the defaults.
type IndexOptions struct {
	// Interval is how often the index reads what changed (default 1 s).
	Interval time.Duration
	// FullReload is how often it reads the whole store again (default 10 minutes).
	FullReload time.Duration
	// Overlap is how far back each refresh reads again on PostgreSQL (default 1 minute;
	// SQLite needs none).
	Overlap time.Duration
	// Log receives failed refreshes; nil discards them.
	Log *slog.Logger
}

// mark is where a refresh got to: the highest events and changes ids it saw.
type mark struct {
	at              time.Time
	events, changes int64
}

// NewIndex reads the store s into memory and keeps it fresh until Close. s stays open and
// owned by the caller; it must outlive the index.
func NewIndex(ctx context.Context, s *DB, opts IndexOptions) (*Index, error) {
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	if opts.FullReload <= 0 {
		opts.FullReload = 10 * time.Minute
	}
	if opts.Overlap <= 0 {
		opts.Overlap = time.Minute
	}
	if !s.dialect.postgres {
		opts.Overlap = 0
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	x := &Index{src: s, opts: opts, stop: make(chan struct{}), done: make(chan struct{})}
	if err := x.reload(ctx); err != nil {
		return nil, err
	}
	go x.loop()
	return x, nil
}

// Close stops the refreshes. It does not close the store.
func (x *Index) Close() error {
	select {
	case <-x.stop:
	default:
		close(x.stop)
	}
	<-x.done
	return nil
}

// Age says how old the index's data is: the time since the start of its last successful
// refresh (a write committed before that start is in it).
func (x *Index) Age() time.Duration {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return time.Since(x.at)
}

// Size returns how many entries the index holds and the bytes of memory they take (rows,
// replaced ones included until the next full reload, and the table that finds them).
func (x *Index) Size() (entries, bytes int) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.entries.n, x.entries.bytes()
}

// Err returns the error of the last refresh, or nil if it succeeded.
func (x *Index) Err() error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.err
}

func (x *Index) loop() {
	defer close(x.done)
	tick := time.NewTicker(x.opts.Interval)
	defer tick.Stop()
	lastFull := time.Now()
	for {
		select {
		case <-x.stop:
			return
		case <-tick.C:
		}
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			select {
			case <-x.stop:
			case <-ctx.Done():
			}
			cancel()
		}()
		var err error
		if time.Since(lastFull) >= x.opts.FullReload {
			lastFull = time.Now()
			err = x.reload(ctx)
		} else {
			err = x.refresh(ctx)
		}
		cancel()
		if err != nil {
			x.mu.Lock()
			x.err = err
			x.mu.Unlock()
			x.opts.Log.Error("suppress: refreshing the lookup index", "err", err)
		}
	}
}

// reload reads the whole store into new maps and puts them in place.
func (x *Index) reload(ctx context.Context) error {
	x.refreshing.Lock()
	defer x.refreshing.Unlock()
	start := time.Now()
	x.mu.RLock()
	hint := 0
	if x.entries != nil {
		hint = x.entries.n
	}
	x.mu.RUnlock()
	entries := newRowTable(hint)
	var m mark
	err := x.read(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = marks(ctx, tx); err != nil {
			return err
		}
		return readRows(ctx, tx, `SELECT `+entriesColumns+` FROM entries e`, entries.put)
	})
	if err != nil {
		return fmt.Errorf("suppress: load the lookup index: %w", err)
	}
	allowA, allowD, err := x.readAllow(ctx)
	if err != nil {
		return fmt.Errorf("suppress: load the lookup index: %w", err)
	}
	m.at = start
	x.mu.Lock()
	x.entries, x.allowA, x.allowD, x.at, x.err = entries, allowA, allowD, start, nil
	x.addMark(m)
	x.mu.Unlock()
	return nil
}

// addMark keeps m and the marks back to the newest one at least Overlap older than m (the
// marks of before a full reload too: on PostgreSQL, a transaction in flight during it may
// commit rows below its marks). x.mu is locked.
func (x *Index) addMark(m mark) {
	x.marks = append(x.marks, m)
	for len(x.marks) > 1 && m.at.Sub(x.marks[1].at) >= x.opts.Overlap {
		x.marks = x.marks[1:]
	}
}

// refresh reads the entries named by events and changes newer than the marks of Overlap
// ago (the last refresh's on SQLite), and the allow list.
func (x *Index) refresh(ctx context.Context) error {
	x.refreshing.Lock()
	defer x.refreshing.Unlock()
	start := time.Now()
	x.mu.RLock()
	from := x.marks[0]
	for _, m := range x.marks[1:] {
		if start.Sub(m.at) >= x.opts.Overlap {
			from = m
		}
	}
	x.mu.RUnlock()
	var changed [][]byte
	var m mark
	err := x.read(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = marks(ctx, tx); err != nil {
			return err
		}
		if m.events == from.events && m.changes == from.changes {
			return nil
		}
		return readRows(ctx, tx, `SELECT `+entriesColumns+` FROM entries e WHERE e.address IN (
			SELECT address FROM events WHERE id > ? UNION SELECT address FROM changes WHERE id > ?)`,
			func(row []byte) error { changed = append(changed, bytes.Clone(row)); return nil },
			from.events, from.changes)
	})
	if err != nil {
		return fmt.Errorf("suppress: refresh the lookup index: %w", err)
	}
	allowA, allowD, err := x.readAllow(ctx)
	if err != nil {
		return fmt.Errorf("suppress: refresh the lookup index: %w", err)
	}
	m.at = start
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, row := range changed {
		if err := x.entries.put(row); err != nil {
			return fmt.Errorf("suppress: refresh the lookup index: %w", err)
		}
	}
	x.allowA, x.allowD, x.at, x.err = allowA, allowD, start, nil
	x.addMark(m)
	return nil
}

// read runs fn in one read-only transaction, so that the marks and the rows agree.
func (x *Index) read(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := x.src.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// marks reads the highest events and changes ids.
func marks(ctx context.Context, tx *sql.Tx) (mark, error) {
	var m mark
	err := tx.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id), 0) FROM events), (SELECT coalesce(max(id), 0) FROM changes)`).
		Scan(&m.events, &m.changes)
	if err != nil {
		return m, fmt.Errorf("read the high-water marks: %w", err)
	}
	return m, nil
}

// readRows reads entries (in entriesColumns) and hands each to put, packed (packRow) in a
// buffer that put must not keep.
func readRows(ctx context.Context, tx *sql.Tx, query string, put func([]byte) error, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read the entries: %w", err)
	}
	defer rows.Close()
	var fixed, diag, by, why sql.RawBytes
	var buf []byte
	for rows.Next() {
		if err := rows.Scan(&fixed, &diag, &by, &why); err != nil {
			return fmt.Errorf("read the entries: %w", err)
		}
		buf = packRow(buf[:0], fixed, diag, by, why)
		if err := put(buf); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the entries: %w", err)
	}
	return nil
}

// readAllow reads the allow list: its addresses and its domains.
func (x *Index) readAllow(ctx context.Context) (addrs, domains map[string]bool, err error) {
	rows, err := x.src.db.QueryContext(ctx, `SELECT pattern FROM allow`)
	if err != nil {
		return nil, nil, fmt.Errorf("read the allow list: %w", err)
	}
	defer rows.Close()
	addrs, domains = map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, nil, fmt.Errorf("read the allow list: %w", err)
		}
		if d, ok := strings.CutPrefix(p, "@"); ok {
			domains[d] = true
		} else {
			addrs[p] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read the allow list: %w", err)
	}
	return addrs, domains, nil
}

// packRow appends the four columns of entriesColumns to b as one row: the lengths of diag,
// by and why as uvarints, then fixed, diag, by and why.
func packRow(b, fixed, diag, by, why []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(diag)))
	b = binary.AppendUvarint(b, uint64(len(by)))
	b = binary.AppendUvarint(b, uint64(len(why)))
	b = append(b, fixed...)
	b = append(b, diag...)
	b = append(b, by...)
	return append(b, why...)
}

// unpackRow splits a packRow string into its four columns.
func unpackRow(row string) (fixed, diag, by, why string, ok bool) {
	var n [3]uint64
	rest := row
	for i := range n {
		v, k := uvarintString(rest)
		if k <= 0 {
			return "", "", "", "", false
		}
		n[i], rest = v, rest[k:]
	}
	tail := n[0] + n[1] + n[2]
	if tail > uint64(len(rest)) {
		return "", "", "", "", false
	}
	fl := len(rest) - int(tail)
	fixed, rest = rest[:fl], rest[fl:]
	diag, rest = rest[:n[0]], rest[n[0]:]
	by, why = rest[:n[1]], rest[n[1]:]
	return fixed, diag, by, why, true
}

// uvarintString is binary.Uvarint over a string.
func uvarintString(s string) (uint64, int) {
	var v uint64
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}

// LookupMany answers as DB.LookupMany does, from memory. A large batch is cut into parts
// looked up side by side, one per GOMAXPROCS: most of a lookup's time is waiting for memory
// (the table and the rows are spread over hundreds of megabytes).
func (x *Index) LookupMany(ctx context.Context, addresses []string) ([]LookupResult, error) {
	out := make([]LookupResult, len(addresses))
	x.mu.RLock()
	defer x.mu.RUnlock()
	parts := min(runtime.GOMAXPROCS(0), len(addresses)/indexPart)
	if parts <= 1 {
		return out, x.lookupPart(addresses, out)
	}
	errs := make([]error, parts)
	var wg sync.WaitGroup
	size := (len(addresses) + parts - 1) / parts
	for p := range parts {
		lo, hi := p*size, min(len(addresses), (p+1)*size)
		wg.Go(func() { errs[p] = x.lookupPart(addresses[lo:hi], out[lo:hi]) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// indexPart is the fewest addresses worth a goroutine of their own.
const indexPart = 1000

// lookupPart fills out with the answers for addresses; x.mu is read-locked.
func (x *Index) lookupPart(addresses []string, out []LookupResult) error {
	for i, in := range addresses {
		r := &out[i]
		r.Input = in
		a, err := Normalize(in)
		if err != nil {
			r.Err = err
			continue
		}
		r.Address = a
		if row, ok := x.entries.get(a); ok {
			fixed, diag, by, why, ok := unpackRow(row)
			if !ok {
				return fmt.Errorf("suppress: look up %s in the index: a damaged row", a)
			}
			r.Entry = Entry{LastDiagnostic: diag, By: by, Why: why}
			if err := parseEntry(fixed, &r.Entry); err != nil {
				return fmt.Errorf("suppress: look up %s in the index: %w", a, err)
			}
			r.Known = true
		} else {
			r.Entry = Entry{Address: a, Domain: domainOf(a)}
		}
		r.Entry.Allowed = x.allowA[a] || x.allowD[r.Entry.Domain]
	}
	return nil
}

package suppress

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/internal/testutil/pgtest"
)

// clock is a settable clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// day returns t0 plus n days.
func dayN(n int) time.Time { return t0.AddDate(0, 0, n) }

// The store tests run on both engines: on SQLite in this process, and on PostgreSQL in a
// child process (TestPostgres) started with engineEnv=postgres, where every store the tests
// open through openTest or openAtPath is a fresh database on a private PostgreSQL server
// (internal/testutil/pgtest). Tests of what only SQLite has (the file, its header, WAL,
// PRAGMA checks, the page cache, SQLite's schema versions) call sqliteOnly.
const engineEnv = "SUPPRESS_TEST_ENGINE"

// onPostgres reports whether this process runs the suite on PostgreSQL, or the benchmark
// running now is the PostgreSQL one (onEngines).
func onPostgres() bool { return pgBench || os.Getenv(engineEnv) == "postgres" }

// pgBench is set while onEngines runs a benchmark on PostgreSQL.
var pgBench bool

// sqliteOnly skips t in the PostgreSQL run: what it tests exists only in SQLite.
func sqliteOnly(t testing.TB, what string) {
	t.Helper()
	if onPostgres() {
		t.Skip("SQLite only: " + what)
	}
}

// TestPostgres runs this package's tests again on PostgreSQL, in a child process of the
// test binary with engineEnv set (the same -run pattern). It is skipped in that child, and
// the child's tests skip themselves when PostgreSQL is not installed.
func TestPostgres(t *testing.T) {
	if onPostgres() {
		t.Skip("this is the PostgreSQL run")
	}
	if testing.Short() {
		t.Skip("-short: not running the suite again on PostgreSQL")
	}
	args := []string{"-test.count=1"}
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() != "" {
		args = append(args, "-test.run="+f.Value.String())
	}
	if testing.Verbose() {
		args = append(args, "-test.v")
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), engineEnv+"=postgres")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the suite on PostgreSQL: %v\n%s", err, out)
	}
	if testing.Verbose() {
		t.Logf("the suite on PostgreSQL:\n%s", out)
	}
}

// pgStores maps the paths tests open to their PostgreSQL databases, so that a test that
// reopens a path reopens its database.
var pgStores sync.Map

// storeName returns what to open for path: path itself on SQLite, its database on
// PostgreSQL.
func storeName(t testing.TB, path string) string {
	t.Helper()
	if !onPostgres() {
		return path
	}
	if u, ok := pgStores.Load(path); ok {
		return u.(string)
	}
	u, _ := pgStores.LoadOrStore(path, pgtest.Start(t))
	return u.(string)
}

func openTest(t testing.TB, opts Options) *SQLite {
	t.Helper()
	return openAtPath(t, filepath.Join(t.TempDir(), "store.db"), opts)
}

func openAtPath(t testing.TB, path string, opts Options) *SQLite {
	t.Helper()
	s, err := Open(context.Background(), storeName(t, path), opts)
	if err != nil {
		t.Fatalf("Open(%q) = %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// mailSeq makes distinct mails: mail n of mailbox INBOX, UIDVALIDITY 7.
func mailN(n int) Mail {
	return Mail{
		MailID:     MailID{Mailbox: "INBOX", UIDValidity: 7, UID: uint32(n)},
		MessageID:  fmt.Sprintf("<bounce-%d@mx.example.net>", n),
		Hash:       HashRaw([]byte(fmt.Sprintf("raw mail %d", n))),
		Checkpoint: true,
	}
}

// recorder1 records one event per mail, numbering mails itself.
type recorder1 struct {
	t testing.TB
	s *SQLite
	n int
}

func (r *recorder1) record(addr string, kind classify.Kind, at time.Time) Result {
	r.t.Helper()
	r.n++
	ev := Event{Address: addr, Kind: kind, OccurredAt: at}
	switch kind {
	case classify.KindHard:
		ev.Reason, ev.Status, ev.Reply, ev.Hard, ev.Suppress = classify.ReasonUserUnknown, "5.1.1", "550", true, true
		ev.Diagnostic = "550 5.1.1 <" + addr + ">: Recipient address rejected: User unknown"
	case classify.KindSoft:
		ev.Reason, ev.Status, ev.Reply = classify.ReasonMailboxFull, "4.2.2", "452"
		ev.Diagnostic = "452 4.2.2 Mailbox full"
	case classify.KindBlocked:
		ev.Reason, ev.Status, ev.Reply = classify.ReasonBlocked, "5.7.1", "554"
		ev.Diagnostic = "554 5.7.1 Service unavailable; client host blocked"
	case classify.KindComplaint:
		ev.Reason, ev.Suppress = classify.ReasonFeedback, true
	case classify.KindDelivered:
		ev.Reason, ev.Status = classify.ReasonDelivered, "2.0.0"
	}
	res, err := r.s.RecordMail(context.Background(), mailN(r.n), []Event{ev})
	if err != nil {
		r.t.Fatalf("RecordMail(%s %s at %s) = %v", kind, addr, at.Format(time.DateOnly), err)
	}
	return res
}

func lookup(t testing.TB, s Store, addr string) Entry {
	t.Helper()
	e, err := s.Lookup(context.Background(), addr)
	if err != nil {
		t.Fatalf("Lookup(%q) = %v", addr, err)
	}
	return e
}

func count(t testing.TB, s *SQLite, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

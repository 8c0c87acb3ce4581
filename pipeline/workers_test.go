package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
	"github.com/bounceproc/bounceproc/imapfetch"
	"github.com/bounceproc/bounceproc/internal/testutil"
	"github.com/bounceproc/bounceproc/suppress"
)

// workerEnv is a Dovecot whose user has the given mailboxes, each seeded with perBox distinct
// hard bounces, and the store path the workers share.
type workerEnv struct {
	imap      imapfetch.Config
	mailboxes []string
	db        string
	dovecot   *testutil.Dovecot
}

func newWorkerEnv(t *testing.T, boxes, perBox int) *workerEnv {
	d := testutil.StartDovecot(t)
	env := &workerEnv{
		imap: imapfetch.Config{Addr: d.Addr, TLS: imapfetch.TLSNone, AllowPlaintext: true, User: d.User,
			Password: d.Password, Timeout: 10 * time.Second, Backoff: 10 * time.Millisecond, BatchSize: 5,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
		db:      filepath.Join(t.TempDir(), "store.db"),
		dovecot: d,
	}
	mails := manyBounces(t, boxes*perBox)
	for b := range boxes {
		name := fmt.Sprintf("Box%d", b+1)
		env.mailboxes = append(env.mailboxes, name)
		d.Seed(t, name, mails[b*perBox:(b+1)*perBox]...)
	}
	return env
}

// worker is one run's connection and store handle, as a process of its own would have.
type worker struct {
	cfg Config
	st  *suppress.SQLite
	c   *imapfetch.Client
}

func (env *workerEnv) worker(t *testing.T, name string, lease time.Duration) *worker {
	ctx := context.Background()
	st, err := suppress.Open(ctx, env.db, suppress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c, err := imapfetch.Dial(ctx, env.imap)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &worker{st: st, c: c, cfg: Config{
		IMAP: env.imap, Mailboxes: env.mailboxes,
		Mark:         imapfetch.Mark{Action: imapfetch.MarkMove, Folder: "Processed"},
		InflightPath: env.db + ".inflight", Lease: lease, Holder: name,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}}
}

// newMails counts the mails a run recorded as new (not already known).
func newMails(s Summary) int {
	return s.Bounces + s.Complaints + s.AutoReplies + s.NotBounces + s.Quarantined
}

// checkAllOnce checks that the store and the server hold every mail exactly once: a ledger
// row, an event and a suppression per bounce, all moved to Processed.
func (env *workerEnv) checkAllOnce(t *testing.T, total int) {
	t.Helper()
	ctx := context.Background()
	checkStoreHolds(t, env.db, total)
	c, err := imapfetch.Dial(ctx, env.imap)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, mb := range env.mailboxes {
		if items, err := c.Inventory(ctx, mb); err != nil || len(items) != 0 {
			t.Errorf("%s: %d mails left (%v), want none", mb, len(items), err)
		}
	}
	items, err := c.Inventory(ctx, "Processed")
	seen := map[string]bool{}
	for _, it := range items {
		seen[it.Digest] = true
	}
	if err != nil || len(items) != total || len(seen) != total {
		t.Errorf("Processed: %d mails, %d distinct (%v); want %d", len(items), len(seen), err, total)
	}
}

// checkStoreHolds checks that the store at db holds total mails, each with one event and a
// suppression, and returns it open.
func checkStoreHolds(t *testing.T, db string, total int) *suppress.SQLite {
	t.Helper()
	ctx := context.Background()
	st, err := suppress.Open(ctx, db, suppress.Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	n, err := st.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.Mails != total || n.Events != total || n.Suppressed != total {
		t.Errorf("store: %+v; want %d mails, events and suppressions", n, total)
	}
	return st
}

// TestWorkersShareMailboxes: two runs on one store with the same four mailboxes share them
// out: each mailbox is worked on by one of them, both work, and nothing is counted twice.
func TestWorkersShareMailboxes(t *testing.T) {
	const boxes, perBox = 4, 15
	env := newWorkerEnv(t, boxes, perBox)
	a, b := env.worker(t, "a", 5*time.Second), env.worker(t, "b", 5*time.Second)
	// Each decodes its first mail only once the other has begun a mailbox: the two overlap
	// however the machine schedules them (one could otherwise finish all four mailboxes
	// before the other has logged in), so each finds the mailbox the other holds and takes
	// another.
	for _, pair := range [][2]*worker{{a, b}, {b, a}} {
		w, other := pair[0], pair[1]
		otherStarted := make(chan struct{})
		var once sync.Once
		other.cfg.OnMailbox = func(string, int) { once.Do(func() { close(otherStarted) }) }
		w.cfg.Decode = func(ctx context.Context, raw []byte) (*dsn.Report, []classify.Verdict) {
			select {
			case <-otherStarted:
			case <-time.After(10 * time.Second):
			}
			return Decode(ctx, raw)
		}
	}
	var mu sync.Mutex
	worked := map[string][]string{} // mailbox: the workers that recorded new mails of it
	for _, w := range []*worker{a, b} {
		w.cfg.OnMailboxDone = func(mb string, s Summary) {
			if newMails(s) > 0 {
				mu.Lock()
				worked[mb] = append(worked[mb], w.cfg.Holder)
				mu.Unlock()
			}
		}
	}
	sums := make([]Summary, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, w := range []*worker{a, b} {
		wg.Go(func() { sums[i], errs[i] = Run(context.Background(), w.cfg, w.st, w.c) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("worker %d: %v", i, err)
		}
	}
	if got := newMails(sums[0]) + newMails(sums[1]); got != boxes*perBox || sums[0].Hard+sums[1].Hard != boxes*perBox {
		t.Errorf("new mails a %d + b %d = %d, hard %d + %d; want %d each", newMails(sums[0]), newMails(sums[1]), got, sums[0].Hard, sums[1].Hard, boxes*perBox)
	}
	if sums[0].Fetched == 0 || sums[1].Fetched == 0 {
		t.Errorf("fetched a %d, b %d: one worker did everything", sums[0].Fetched, sums[1].Fetched)
	}
	for _, mb := range env.mailboxes {
		if len(worked[mb]) != 1 {
			t.Errorf("%s recorded by %v, want one worker", mb, worked[mb])
		}
	}
	env.checkAllOnce(t, boxes*perBox)
}

// frozenLeases is a store whose lease renewals fail once frozen, as when a worker is cut off
// from the store or stalls: its leases are not renewed.
type frozenLeases struct {
	*suppress.SQLite
	frozen atomic.Bool
}

func (f *frozenLeases) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) error {
	if f.frozen.Load() {
		return errors.New("store unreachable")
	}
	return f.SQLite.AcquireLease(ctx, name, holder, ttl)
}

// TestWorkerThatStopsRenewingLosesTheMailbox: a worker whose lease is not renewed stops
// working on its mailbox before the lease expires, and another worker takes the mailbox
// over once it has, finishing it: every mail recorded and moved once.
func TestWorkerThatStopsRenewingLosesTheMailbox(t *testing.T) {
	const total = 40
	env := newWorkerEnv(t, 1, total)
	const lease = 2 * time.Second
	a, b := env.worker(t, "a", lease), env.worker(t, "b", lease)
	fa := &frozenLeases{SQLite: a.st}
	var logs strings.Builder
	var logMu sync.Mutex
	a.cfg.Logger = slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logs}, nil))
	var aLast, bFirst atomic.Int64 // when a recorded its last mail, b its first (UnixNano)
	var sb Summary
	var errB error
	bDone := make(chan struct{})
	a.cfg.OnMail = func(m MailResult) {
		aLast.Store(time.Now().UnixNano())
		if m.N == 10 {
			// a stops renewing; b starts and waits for the mailbox.
			fa.frozen.Store(true)
			go func() {
				defer close(bDone)
				sb, errB = Run(context.Background(), b.cfg, b.st, b.c)
			}()
		}
	}
	// Once frozen, a's decoding waits for the end of the mail's context: a is in the middle
	// of the mailbox when its lease runs out.
	a.cfg.Decode = func(ctx context.Context, raw []byte) (*dsn.Report, []classify.Verdict) {
		if fa.frozen.Load() {
			select {
			case <-ctx.Done():
			case <-time.After(3 * lease): // (a worker that does not notice)
			}
		}
		return Decode(ctx, raw)
	}
	b.cfg.OnMail = func(MailResult) { bFirst.CompareAndSwap(0, time.Now().UnixNano()) }
	b.cfg.Wait = 5 * lease

	sa, err := Run(context.Background(), a.cfg, fa, a.c)
	if err != nil {
		t.Fatalf("worker a: %v", err)
	}
	<-bDone
	if errB != nil {
		t.Fatalf("worker b: %v", errB)
	}
	if sa.Held != 1 || newMails(sa) < 10 || newMails(sa) == total {
		t.Errorf("worker a: %+v; want at least 10 mails recorded, not all, and the mailbox left", sa)
	}
	if !strings.Contains(logs.String(), "lease was lost") {
		t.Errorf("worker a does not say it lost the mailbox:\n%s", logs.String())
	}
	if got := newMails(sa) + newMails(sb); got != total {
		t.Errorf("new mails a %d + b %d = %d, want %d", newMails(sa), newMails(sb), got, total)
	}
	if aLast.Load() > bFirst.Load() {
		t.Errorf("worker a recorded a mail after b began")
	}
	env.checkAllOnce(t, total)
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestWatchingWorkersTakeOverMailboxes: two watching runs share two mailboxes; when the one
// that works on a mailbox stops, the other takes it over and processes its new mail.
func TestWatchingWorkersTakeOverMailboxes(t *testing.T) {
	env := newWorkerEnv(t, 2, 5)
	env.imap.PollInterval = 100 * time.Millisecond
	const lease = time.Second
	ws := []*worker{env.worker(t, "a", lease), env.worker(t, "b", lease)}
	var mu sync.Mutex
	recorded := 0
	first := "" // the first worker to record a mail
	for _, w := range ws {
		w.cfg.Watch = true
		w.cfg.OnMailboxDone = func(mb string, s Summary) {
			mu.Lock()
			defer mu.Unlock()
			if newMails(s) > 0 && first == "" {
				first = w.cfg.Holder
			}
			recorded += newMails(s)
		}
	}
	waitFor := func(n int) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			mu.Lock()
			got := recorded
			mu.Unlock()
			if got >= n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d mails recorded, want %d", got, n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	ctxs := make([]context.Context, 2)
	stops := make([]context.CancelFunc, 2)
	errs := make([]chan error, 2)
	for i, w := range ws {
		ctxs[i], stops[i] = context.WithCancel(context.Background())
		defer stops[i]()
		errs[i] = make(chan error, 1)
		go func() {
			_, err := Run(ctxs[i], w.cfg, w.st, w.c)
			errs[i] <- err
		}()
	}
	waitFor(10)
	// Stop the worker that recorded first (it held a mailbox): the other takes it over.
	mu.Lock()
	gone := 0
	if first == "b" {
		gone = 1
	}
	mu.Unlock()
	stops[gone]()
	if err := <-errs[gone]; err != nil {
		t.Fatalf("stopped worker: %v", err)
	}
	more := manyBounces(t, 16)[10:]
	env.dovecot.Seed(t, env.mailboxes[0], more[:3]...)
	env.dovecot.Seed(t, env.mailboxes[1], more[3:]...)
	waitFor(16)
	stops[1-gone]()
	if err := <-errs[1-gone]; err != nil {
		t.Fatalf("remaining worker: %v", err)
	}
	env.checkAllOnce(t, 16)
}

// TestLapsedLeaseIsTakenAgain: a run whose renewals came too late (the store busy, the machine
// loaded) loses the mailbox's lease with no other run taking it; it takes the mailbox again at
// once and finishes it in the same run, rather than leaving its mails to the next one.
func TestLapsedLeaseIsTakenAgain(t *testing.T) {
	const total = 40
	env := newWorkerEnv(t, 1, total)
	const lease = 2 * time.Second
	a := env.worker(t, "a", lease)
	fa := &frozenLeases{SQLite: a.st}
	var logs strings.Builder
	var logMu sync.Mutex
	a.cfg.Logger = slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logs}, nil))
	a.cfg.OnMail = func(m MailResult) {
		if m.N == 10 {
			fa.frozen.Store(true)
		}
	}
	// Once frozen, decoding waits for the lease to lapse (the mail's context ends), then the
	// store answers again.
	a.cfg.Decode = func(ctx context.Context, raw []byte) (*dsn.Report, []classify.Verdict) {
		if fa.frozen.Load() {
			select {
			case <-ctx.Done():
				fa.frozen.Store(false)
			case <-time.After(3 * lease):
			}
		}
		return Decode(ctx, raw)
	}
	sum, err := Run(context.Background(), a.cfg, fa, a.c)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if sum.Held != 0 || newMails(sum) != total {
		t.Errorf("run: %+v; want all %d mails recorded and no mailbox left", sum, total)
	}
	if !strings.Contains(logs.String(), "lease lapsed") {
		t.Errorf("the run does not say its lease lapsed:\n%s", logs.String())
	}
	env.checkAllOnce(t, total)
}

// Package pipeline is the run: it fetches the mails of IMAP mailboxes above the store's
// checkpoint, decodes and classifies them, records the results in the suppression store, and
// only then marks each mail on the server. It batches the store's transactions, keeps the
// checkpoints, finishes the marking an earlier run left undone, bounds the decoding of each
// mail in time and memory, and sets aside a mail during which runs crashed.
//
// cmd/bounceproc wires it to flags and output; a test, a worker pool or another program can
// drive it the same way: open a store and an IMAP client, fill a Config, call Run.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
	"github.com/bounceproc/bounceproc/imapfetch"
	"github.com/bounceproc/bounceproc/suppress"
)

// Store is what the pipeline needs of the suppression store. *suppress.SQLite implements it.
// A store that also has CheckpointWAL(ctx) error gets its log copied into the database while
// the server marks the last mails of a stream.
type Store interface {
	// RecordMailsMarkDone records a batch of mails in one transaction and, in the same one,
	// notes the mails in done as marked (see suppress.Store.RecordMails and MarkDoneMany).
	RecordMailsMarkDone(ctx context.Context, batch []suppress.MailEvents, done []suppress.MailID) ([]suppress.Result, error)
	MarkDoneMany(ctx context.Context, ids []suppress.MailID) error
	Unmarked(ctx context.Context, mailbox string) ([]suppress.LedgerEntry, error)
	Checkpoint(ctx context.Context, mailbox string) (uidValidity, lastUID uint32, err error)
	SetCheckpoint(ctx context.Context, mailbox string, uidValidity, lastUID uint32) error
	// NoteCrash counts a run that ended while decoding the mail; Quarantined lists the mails
	// of a mailbox not to decode (see suppress).
	NoteCrash(ctx context.Context, id suppress.MailID) (int, error)
	Quarantined(ctx context.Context, mailbox string, uidValidity uint32, crashes int) (map[uint32]string, error)
	// AcquireLease and ReleaseLease lease a mailbox to one run (see Config.Lease and
	// suppress.Store).
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) error
	ReleaseLease(ctx context.Context, name, holder string) error
}

// runRecorder is a store that keeps what each run did with each mailbox, for a process that
// watches the runs (the metrics of `bounceproc serve`).
type runRecorder interface {
	RecordRun(ctx context.Context, r suppress.RunRecord) error
}

// walStore is a store with a write-ahead log to copy into the database (SQLite).
type walStore interface {
	CheckpointWAL(ctx context.Context) error
}

// Config is what a run does. The zero value of each field is a sensible default, except that
// a run without Mailboxes processes INBOX.
type Config struct {
	// IMAP is the connection's configuration; the run reads MaxSize, BatchSize and
	// PollInterval from it (the client is dialled by the caller).
	IMAP imapfetch.Config
	// Mailboxes are processed in order, each once per pass; none means INBOX.
	Mailboxes []string
	// Account, when set, names the IMAP account in the store: its mailboxes' checkpoints,
	// ledger rows, crash counts and runs are kept as "Account/Mailbox", so that runs on
	// different accounts (each with its own INBOX) can share one store. Empty keeps the
	// mailbox's own name, as a store with one account always has.
	Account string
	// Mark is applied to mails decoded as bounces, complaints or auto-replies; OtherMark to
	// ordinary mail and mails that could not be decoded (never a delete).
	Mark, OtherMark imapfetch.Mark
	// DryRun marks nothing on the server; the store should be opened with
	// suppress.Options.DryRun so that nothing is recorded either.
	DryRun bool
	// Watch stays connected and processes new mail as it arrives until ctx ends.
	Watch bool
	// MailBudget and MailMemory bound the decoding of one mail: a mail past them is set
	// aside as too costly. 0 means DefaultMailBudget and DefaultMailMemory, a negative
	// value no bound.
	MailBudget time.Duration
	MailMemory int64
	// InflightPath starts the names of the files (one per mailbox: InflightPath, '-' and a
	// hash of the mailbox's name) that name the mail being decoded, so that the next run can
	// count a crash against it (see crashesToQuarantine); "" keeps none. Ignored in a dry run.
	InflightPath string
	// Lease, when positive, makes the run lease each mailbox from the store for this long,
	// renewing the lease while it works, and skip the mailboxes other runs hold: several runs
	// with the same mailboxes share them out (see lease.go). 0 leases nothing: the caller
	// makes sure no other run works on the same mailboxes.
	Lease time.Duration
	// Holder names the run in the leases it takes; "" means host, process id and a random
	// part.
	Holder string
	// Wait is how long a run (without Watch) tries again to take the mailboxes other runs
	// hold before it ends without them.
	Wait time.Duration
	// Logger receives the run's operational messages; nil discards them.
	Logger *slog.Logger
	// Decode, when set (by tests), replaces Decode.
	Decode func(context.Context, []byte) (*dsn.Report, []classify.Verdict)

	// OnMailbox is called when the new mails of a mailbox are about to be read, with their
	// number; OnMail after each mail is recorded (in a dry run: would be); OnMailboxDone
	// after each mailbox of a pass, with what it did. They are called one at a time.
	OnMailbox     func(mailbox string, total int)
	OnMail        func(MailResult)
	OnMailboxDone func(mailbox string, s Summary)
}

// MailResult is what happened to one mail.
type MailResult struct {
	Mailbox string
	UID     uint32
	// Kind is the decoded report's kind, "unknown" when the mail was not decoded.
	Kind string
	// Recipients counts the events recorded from the mail.
	Recipients int
	// Result is what the store did with it (in a dry run: would do).
	Result suppress.Result
	// Problem lists the mail's problems ("" when none).
	Problem string
	// Mark is what is done to the mail on the server (in a dry run: would be).
	Mark imapfetch.Mark
	// N counts the mails handled by the run so far, this one included.
	N int
}

// Summary counts what a run did. Kinds count recipients of newly recorded mails.
type Summary struct {
	Fetched, Bounces, Hard, Soft, Blocked, Complaints, AutoReplies int
	// Reports counts the feedback reports that are not complaints (an authentication failure
	// or not-spam report).
	Reports                                              int
	Delayed, Delivered, Other, NewlySuppressed, Problems int
	NotBounces, Marked, Quarantined                      int
	// AlreadyRecorded counts the mails recorded by an earlier run; Repeats those that repeat
	// a mail this run recorded (the same mail delivered twice, or found again under a new
	// UIDVALIDITY). Neither adds events.
	AlreadyRecorded, Repeats int
	// Held counts the mailboxes the run left to other runs that held them (once each, by a
	// run without Watch).
	Held int
}

// Add adds o's counts to s.
func (s *Summary) Add(o Summary) {
	s.Fetched += o.Fetched
	s.Bounces += o.Bounces
	s.Hard += o.Hard
	s.Soft += o.Soft
	s.Blocked += o.Blocked
	s.Complaints += o.Complaints
	s.AutoReplies += o.AutoReplies
	s.Reports += o.Reports
	s.Delayed += o.Delayed
	s.Delivered += o.Delivered
	s.Other += o.Other
	s.NewlySuppressed += o.NewlySuppressed
	s.Problems += o.Problems
	s.NotBounces += o.NotBounces
	s.AlreadyRecorded += o.AlreadyRecorded
	s.Repeats += o.Repeats
	s.Marked += o.Marked
	s.Quarantined += o.Quarantined
	s.Held += o.Held
}

// Run processes every mailbox of cfg once (or, with cfg.Watch, until ctx ends) over the
// client c into the store st, and returns what it did. A run stopped by ctx records what it
// decoded and returns ctx's error (a watching run returns nil).
func Run(ctx context.Context, cfg Config, st Store, c *imapfetch.Client) (Summary, error) {
	if cfg.MailBudget == 0 {
		cfg.MailBudget = DefaultMailBudget
	}
	if cfg.MailMemory == 0 {
		cfg.MailMemory = DefaultMailMemory
	}
	if len(cfg.Mailboxes) == 0 {
		cfg.Mailboxes = []string{"INBOX"}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Mark.Action == imapfetch.MarkDelete && cfg.OtherMark.Action == imapfetch.MarkDelete {
		return Summary{}, errors.New("pipeline: mail that is not a bounce is never deleted")
	}
	if cfg.Holder == "" {
		cfg.Holder = defaultHolder()
	}
	r := &runner{o: cfg, st: st, leases: st, c: c, log: cfg.Logger, holder: cfg.Holder}
	if !cfg.DryRun {
		// A destination that cannot be created is found before any mail is fetched, not after
		// every mail was recorded.
		for _, m := range []imapfetch.Mark{cfg.Mark, cfg.OtherMark} {
			if m.Action == imapfetch.MarkMove {
				if err := c.EnsureFolder(ctx, m.Folder); err != nil {
					return Summary{}, err
				}
			}
		}
	}
	var total Summary
	var err error
	switch {
	case !cfg.Watch:
		total, err = r.once(ctx)
	case len(cfg.Mailboxes) == 1:
		total, err = r.watchOne(ctx)
	default:
		total, err = r.watchMany(ctx)
	}
	if cfg.Watch && ctx.Err() != nil {
		err = nil // stopped by a signal: a normal end of watching
	}
	return total, err
}

// maxLapses is how many times in one pass a run takes a mailbox again after its lease lapsed.
const maxLapses = 3

// once processes every mailbox once, each under its lease. Mailboxes held by other runs
// are tried again until cfg.Wait has passed; ErrHeld when every one stayed held, so that
// the run did nothing.
func (r *runner) once(ctx context.Context) (Summary, error) {
	var total Summary
	deadline := time.Now().Add(r.o.Wait)
	todo := r.o.Mailboxes
	took := false // a mailbox was worked on
	lapsed := map[string]int{}
	for {
		var held []string
		for i := 0; i < len(todo); i++ {
			mb := todo[i]
			l, err := r.take(ctx, mb)
			if errors.Is(err, suppress.ErrLeaseHeld) {
				held = append(held, mb)
				continue
			}
			if err != nil && lapsed[mb] > 0 && ctx.Err() == nil {
				// The store that did not answer the renewals does not answer now either:
				// the mailbox is left for a later run, as one held by another.
				r.log.Warn("the mailbox's lease was lost and cannot be taken again: leaving it", "mailbox", mb, "err", err)
				held = append(held, mb)
				continue
			}
			if err != nil {
				return total, err
			}
			took = true
			s, err := r.mailbox(l.ctx, mb)
			lost := l.lost()
			r.release(l)
			total.Add(s)
			r.mailboxDone(mb, s)
			if lost && ctx.Err() == nil {
				// A renewal that came too late (the store busy with other runs' writes, the
				// machine loaded) loses the lease without anyone taking the mailbox: it is
				// taken again at once, unless another run has it by now.
				if lapsed[mb] < maxLapses {
					lapsed[mb]++
					r.log.Warn("the mailbox's lease lapsed: taking it again unless another run has it", "mailbox", mb)
					i--
					continue
				}
				r.log.Warn("the mailbox's lease was lost again: leaving it", "mailbox", mb)
				held = append(held, mb)
				continue
			}
			if err != nil {
				return total, err
			}
		}
		if len(held) == 0 || !time.Now().Before(deadline) {
			total.Held = len(held)
			for _, mb := range held {
				r.log.Info("mailbox held by another run: left to it", "mailbox", mb)
			}
			if !took {
				return total, fmt.Errorf("%w (%s)", ErrHeld, strings.Join(held, ", "))
			}
			return total, nil
		}
		select {
		case <-ctx.Done():
			total.Held = len(held)
			return total, ctx.Err()
		case <-time.After(min(r.retryHeld(), time.Until(deadline))):
		}
		todo = held
	}
}

// watchOne watches the one mailbox with IDLE (polling where the server lacks it) while it
// holds its lease, and tries to take it again every retryHeld while another run holds it.
func (r *runner) watchOne(ctx context.Context) (Summary, error) {
	var total Summary
	mb := r.o.Mailboxes[0]
	for ctx.Err() == nil {
		l, err := r.take(ctx, mb)
		if errors.Is(err, suppress.ErrLeaseHeld) {
			r.log.Debug("mailbox held by another run", "mailbox", mb, "err", err)
			sleep(ctx, r.retryHeld())
			continue
		}
		if err != nil {
			return total, err
		}
		err = r.c.Watch(l.ctx, mb, func(ctx context.Context) error {
			s, err := r.mailbox(ctx, mb)
			total.Add(s)
			r.mailboxDone(mb, s)
			return err
		})
		lost := l.lost()
		r.release(l)
		if lost && ctx.Err() == nil {
			r.log.Warn("the mailbox's lease was lost: another run goes on with it", "mailbox", mb)
			continue
		}
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// watchMany polls the mailboxes every Config.IMAP.PollInterval (IDLE watches one selected
// mailbox only), keeping the leases it holds and trying to take the others at each pass.
func (r *runner) watchMany(ctx context.Context) (Summary, error) {
	var total Summary
	poll := r.o.IMAP.PollInterval
	if poll <= 0 {
		poll = imapfetch.DefaultPollInterval
	}
	held := map[string]*lease{}
	defer func() {
		for _, l := range held {
			r.release(l)
		}
	}()
	for ctx.Err() == nil {
		for _, mb := range r.o.Mailboxes {
			l := held[mb]
			if l != nil && l.ctx.Err() != nil {
				r.release(l)
				l = nil
			}
			if l == nil {
				var err error
				l, err = r.take(ctx, mb)
				if errors.Is(err, suppress.ErrLeaseHeld) {
					delete(held, mb)
					continue
				}
				if err != nil {
					return total, err
				}
				held[mb] = l
			}
			s, err := r.mailbox(l.ctx, mb)
			total.Add(s)
			r.mailboxDone(mb, s)
			if l.lost() && ctx.Err() == nil {
				r.log.Warn("the mailbox's lease was lost: another run goes on with it", "mailbox", mb)
				continue
			}
			if err != nil {
				return total, err
			}
		}
		sleep(ctx, poll)
	}
	return total, nil
}

// mailboxDone reports a mailbox's pass to Config.OnMailboxDone.
func (r *runner) mailboxDone(mb string, s Summary) {
	if r.o.OnMailboxDone != nil {
		r.o.OnMailboxDone(mb, s)
	}
}

// sleep waits for d or the end of ctx.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// noteCrash counts against a mail that the last run ended while decoding it.
func (r *runner) noteCrash(ctx context.Context, last crashed) error {
	if !last.busy {
		return nil
	}
	attrs := []any{"mailbox", last.id.Mailbox, "uid", last.id.UID}
	if last.abandoned > 0 {
		r.log.Warn("the last run ended while decoding a mail, with mails it had given up on still decoding: not counted against it", attrs...)
		return nil
	}
	n, err := r.st.NoteCrash(ctx, last.id)
	if err != nil {
		return err
	}
	attrs = append(attrs, "times", n)
	if n >= crashesToQuarantine {
		r.log.Warn("runs ended while decoding this mail again and again: it is set aside, not decoded", attrs...)
	} else {
		r.log.Warn("the last run ended while decoding this mail; it is tried again", attrs...)
	}
	return nil
}

// runner processes mailboxes over one connection into one store.
type runner struct {
	o      Config
	st     Store
	leases leaser
	holder string
	c      *imapfetch.Client
	log    *slog.Logger
	n      int // mails handled, for MailResult.N
	// recorded holds the mails this run recorded, to tell a repeat from a mail an earlier
	// run recorded.
	recorded recordedSet
	// flight names the mail being decoded for the next run, should this one die (nil in a
	// dry run).
	flight *inflight
	// accountNoted holds the mailboxes whose account noteAccount has marked (once a run).
	accountNoted sync.Map
}

// processed is one fetched mail with its decoded results, waiting for its transaction.
//
// It keeps what the commit needs and no more: the events' strings are copied out of the
// report, so that the mail's text and the report built from it (a few KB a mail) are freed
// once decoded, not held by the up to two fetch batches of mails waiting for a transaction.
// With the heap let grow to five times what is live, each MB held costs a fresh run process
// five MB of new memory to fault in.
type processed struct {
	uid     uint32
	mail    suppress.Mail
	events  []suppress.Event
	kind    dsn.Kind // the report's kind (when decoded)
	decoded bool     // false when decoding panicked
	bounce  bool     // decoded as a report about delivery: mark with o.Mark
	problem string
}

// mailbox processes one mailbox: first the mails recorded but not marked by an earlier run,
// then everything above the checkpoint. A UIDVALIDITY change restarts from the bottom.
func (r *runner) mailbox(ctx context.Context, name string) (sum Summary, err error) {
	started := time.Now()
	defer func() { r.recordRun(ctx, r.key(name), started, sum, err) }()
	if r.o.InflightPath != "" && !r.o.DryRun {
		fl, last, err := openInflight(inflightPath(r.o.InflightPath, r.key(name)))
		if err != nil {
			return sum, err
		}
		defer fl.close()
		r.flight = fl
		defer func() { r.flight = nil }()
		if err := r.noteCrash(ctx, last); err != nil {
			return sum, err
		}
	}
	for attempt := 0; ; attempt++ {
		s, err := r.mailboxOnce(ctx, name)
		sum.Add(s)
		if errors.Is(err, imapfetch.ErrUIDValidityChanged) && attempt < 3 {
			r.log.Warn("UIDVALIDITY changed during the run; rescanning", "mailbox", name)
			continue
		}
		return sum, err
	}
}

// key is how the store names the mailbox name of the run's account (see Config.Account).
func (r *runner) key(name string) string { return r.keyPrefix() + name }

// keyPrefix is what key puts before a mailbox's name: "Account/", or nothing.
func (r *runner) keyPrefix() string {
	if r.o.Account == "" {
		return ""
	}
	return r.o.Account + "/"
}

// recordRun records what a pass over a mailbox did in a store that keeps runs (not in a dry
// run). A failure to record it is logged: the run's own work is already committed.
func (r *runner) recordRun(ctx context.Context, name string, started time.Time, sum Summary, err error) {
	rr, ok := r.st.(runRecorder)
	if !ok || r.o.DryRun {
		return
	}
	decoded := sum.Bounces + sum.Complaints + sum.AutoReplies + sum.Reports
	rec := suppress.RunRecord{
		Mailbox: name, Worker: r.holder, Started: started, Finished: time.Now(),
		Fetched: sum.Fetched, Decoded: decoded, Problems: sum.Problems,
		Recorded:        decoded + sum.NotBounces + sum.Quarantined,
		NewSuppressions: sum.NewlySuppressed, OK: err == nil,
	}
	if rerr := rr.RecordRun(context.WithoutCancel(ctx), rec); rerr != nil {
		r.log.Warn("recording the run's counts", "mailbox", name, "err", rerr)
	}
}

// mailboxOnce makes one attempt at a mailbox (mailbox retries it when UIDVALIDITY changes).
func (r *runner) mailboxOnce(ctx context.Context, name string) (Summary, error) {
	var sum Summary
	mb, err := r.c.Select(ctx, name)
	if err != nil {
		return sum, err
	}
	key := r.key(name)
	r.noteAccount(ctx, key)
	validity, last, err := r.st.Checkpoint(ctx, key)
	if err != nil {
		return sum, err
	}
	if validity != 0 && validity != mb.UIDValidity {
		r.log.Warn("UIDVALIDITY changed: rescanning the mailbox; mails already recorded are recognised by Message-ID and content",
			"mailbox", name, "was", validity, "now", mb.UIDValidity)
		last = 0
	}
	var cur *pipe
	opts := imapfetch.StreamOptions{UIDValidity: mb.UIDValidity, OnMarked: r.onMarked(key, mb.UIDValidity, &cur), Logger: r.log}
	// Mails not to decode: quarantined and not yet moved aside, or unrecorded ones during
	// which runs crashed too often.
	if opts.Quarantine, err = r.st.Quarantined(ctx, key, mb.UIDValidity, crashesToQuarantine); err != nil {
		return sum, err
	}

	// Finish what a crashed run recorded but did not mark. Rows of an older UIDVALIDITY name
	// UIDs that mean nothing now: their mails are found again by the rescan, recognised by
	// content, and marked under their new UIDs; the old rows are settled once it is done.
	var stale []suppress.MailID
	if !r.o.DryRun {
		un, err := r.st.Unmarked(ctx, key)
		if err != nil {
			return sum, err
		}
		var uids []uint32
		for _, l := range un {
			if l.UIDValidity == mb.UIDValidity {
				uids = append(uids, l.UID)
			} else {
				stale = append(stale, l.MailID)
			}
		}
		if len(uids) > 0 {
			r.log.Info("finishing the marking of mails recorded by an earlier run", "mailbox", name, "mails", len(uids))
			s, err := r.c.OpenUIDs(ctx, name, uids, opts)
			if err != nil {
				return sum, err
			}
			cur = newPipe()
			if err := r.stream(ctx, s, cur, &sum); err != nil {
				return sum, err
			}
			// Rows whose mail is gone from the mailbox (moved by hand) cannot be marked: settle them.
			var ids []suppress.MailID
			for _, l := range un {
				if l.UIDValidity == mb.UIDValidity {
					ids = append(ids, l.MailID)
				}
			}
			if err := r.st.MarkDoneMany(ctx, ids); err != nil {
				return sum, err
			}
		}
	}

	s, err := r.c.Open(ctx, name, last, opts)
	if err != nil {
		return sum, err
	}
	if s.Total() == 0 && validity != mb.UIDValidity && !r.o.DryRun {
		if err := r.st.SetCheckpoint(ctx, key, mb.UIDValidity, 0); err != nil {
			s.Close()
			return sum, err
		}
	}
	if r.o.OnMailbox != nil {
		r.o.OnMailbox(name, s.Total())
	}
	cur = newPipe()
	if err := r.stream(ctx, s, cur, &sum); err != nil {
		return sum, err
	}
	if len(stale) > 0 && last == 0 {
		if err := r.st.MarkDoneMany(ctx, stale); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// onMarked queues the mails the server confirmed as marked; the committing goroutine notes
// them in the store with its next transaction, or on their own at the end (see commit and
// drainMarked).
func (r *runner) onMarked(mailbox string, validity uint32, p **pipe) func(context.Context, imapfetch.Mark, []uint32) error {
	return func(ctx context.Context, m imapfetch.Mark, uids []uint32) error {
		(*p).mu.Lock()
		for _, u := range uids {
			(*p).marked = append((*p).marked, suppress.MailID{Mailbox: mailbox, UIDValidity: validity, UID: u})
		}
		(*p).mu.Unlock()
		r.log.Debug("marked", "mailbox", mailbox, "mark", m.String(), "mails", len(uids))
		return nil
	}
}

// pipe joins the two halves of stream: a goroutine that owns the IMAP stream and reads mails
// off the connection, and one that decodes, commits and hands marks back. Network waits and
// decoding or store work overlap; bytes read but not yet decoded are capped.
type pipe struct {
	mu       sync.Mutex
	cond     *sync.Cond
	inflight int64 // bytes read and not yet decoded
	limit    int64
	aborted  bool
	done     []doneReq         // committed mails, to hand to the stream with their marks
	marked   []suppress.MailID // mails the server confirmed as marked
	finished chan struct{}     // closed when the committer will hand back nothing more
}

type doneReq struct {
	uid  uint32
	mark imapfetch.Mark
}

// fetchedMail is one mail read off the connection, not decoded yet.
type fetchedMail struct {
	msg imapfetch.Message // without Body
	raw []byte
}

// pipeBytes caps the bytes read ahead of decoding (one mail is always admitted).
const pipeBytes = 32 << 20

func newPipe() *pipe {
	p := &pipe{limit: pipeBytes, finished: make(chan struct{})}
	p.cond = sync.NewCond(&p.mu)
	return p
}

func (p *pipe) acquire(n int64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for !p.aborted && p.inflight > 0 && p.inflight+n > p.limit {
		p.cond.Wait()
	}
	p.inflight += n
	return !p.aborted
}

func (p *pipe) release(n int64) {
	p.mu.Lock()
	p.inflight -= n
	p.mu.Unlock()
	p.cond.Broadcast()
}

func (p *pipe) abort() {
	p.mu.Lock()
	p.aborted = true
	p.mu.Unlock()
	p.cond.Broadcast()
}

// stream reads the stream's mails, records them a batch per transaction, then hands each back
// to the stream with its mark: the mark happens only after the commit. It closes the stream.
func (r *runner) stream(ctx context.Context, s *imapfetch.Stream, p *pipe, sum *Summary) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batch := max(r.o.IMAP.BatchSize, 1)
	mails := make(chan fetchedMail, 2*batch)
	r.flight.mailbox(r.key(s.Mailbox().Name), s.Mailbox().UIDValidity)
	fetchErr := make(chan error, 1)
	go func() { fetchErr <- r.fetchLoop(ctx, s, p, mails) }()

	err := r.commitLoop(ctx, p, mails, batch, sum)
	if err != nil {
		cancel()
		p.abort()
		for range mails { // let the fetcher end
		}
	}
	close(p.finished)
	ferr := <-fetchErr
	// Everything is recorded: while the server marks the last mails, the store copies its
	// log into the database file, which closing it would otherwise do after the run.
	checkpointed := make(chan struct{})
	if wal, ok := r.st.(walStore); ok && err == nil && !r.o.DryRun {
		go func() {
			defer close(checkpointed)
			if cerr := wal.CheckpointWAL(ctx); cerr != nil {
				r.log.Debug("checkpoint before closing failed; closing the store does it", "err", cerr)
			}
		}()
	} else {
		close(checkpointed)
	}
	if errors.Is(context.Cause(ctx), errLeaseLost) {
		s.Drop() // another run marks them
	}
	cerr := s.Close() // applies the last marks
	<-checkpointed
	if derr := r.drainMarked(context.WithoutCancel(ctx), p, sum); err == nil {
		err = derr
	}
	if err == nil {
		err = ferr
	}
	if err == nil {
		err = cerr
	}
	return err
}

// fetchLoop is the only user of the stream until it returns: it hands committed mails back
// with Done, reads the next mail whole and passes it on (a quarantined one without a body).
// The stream never hands out twice a mail read whole.
func (r *runner) fetchLoop(ctx context.Context, s *imapfetch.Stream, p *pipe, mails chan<- fetchedMail) error {
	applyDone := func() {
		p.mu.Lock()
		reqs := p.done
		p.done = nil
		p.mu.Unlock()
		if errors.Is(context.Cause(ctx), errLeaseLost) {
			return // another run marks them
		}
		for _, d := range reqs {
			s.Done(d.uid, d.mark)
		}
	}
	err := func() error {
		defer close(mails)
		for {
			applyDone()
			msg, err := s.Next()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			var raw []byte
			if msg.Quarantined == "" {
				raw, err = readBody(msg.Body, msg.Length)
				if err != nil {
					// The connection dropped mid-mail: the stream hands it out again after
					// reconnecting.
					r.log.Warn("reading mail failed; will retry", "mailbox", msg.Mailbox, "uid", msg.UID, "err", err)
					continue
				}
			}
			if !p.acquire(int64(len(raw))) {
				return ctx.Err()
			}
			m := *msg
			m.Body = nil
			select {
			case mails <- fetchedMail{msg: m, raw: raw}:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}()
	<-p.finished
	applyDone()
	return err
}

// readBody reads r to its end into one buffer sized for the announced length (plus a byte to
// see the end), growing it only when the announcement was short.
func readBody(r io.Reader, length int64) ([]byte, error) {
	b := make([]byte, 0, max(min(length, 64<<20), 0)+1)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// commitLoop decodes mails as they come, on a goroutine of its own (see decoder), and records
// them whenever the store is free and a fetch batch's worth is decoded: one transaction takes
// everything decoded while the previous one was written (at least one fetch batch, or what
// is left when the stream ends, or what waited commitAfter; at most commitBatches fetch
// batches). The larger the
// transaction, the less each mail costs to record: the pages it changes are written once for
// all its mails, and its own work (the lookups before, the commit) is shared. A transaction
// of a few mails, which a committer that has caught up would otherwise make, costs nearly as
// much as one of a hundred. 10,000 mails from Dovecot, paired: 6 % less CPU, 2.5 % less time
// than taking whatever was decoded (and than waiting for 400 mails). Committed mails are
// handed back for marking.
func (r *runner) commitLoop(ctx context.Context, p *pipe, mails <-chan fetchedMail, batch int, sum *Summary) error {
	q := newCommitQueue(batch, commitBatches*batch)
	r.newDecoder(ctx, mails, q, p, r.flight)
	defer q.stop()
	// What is decoded is recorded even when the run is stopping, but not once the mailbox's
	// lease is lost: the run that took it over records it.
	leased := ctx
	ctx = context.WithoutCancel(ctx)
	for {
		pending := q.take()
		if len(pending) == 0 {
			return r.drainMarked(ctx, p, sum)
		}
		if cause := context.Cause(leased); errors.Is(cause, errLeaseLost) {
			return cause
		}
		sum.Fetched += len(pending)
		if err := r.commit(ctx, p, pending, sum); err != nil {
			return err
		}
	}
}

// commitBatches caps a transaction at this many fetch batches of mails. Four were no faster
// than two in the 10,000-mail benchmark and held more decoded mails (peak live heap 15.5 MiB
// against 10.6).
const commitBatches = 2

// commitQueue holds decoded mails until the committer takes them all at once.
type commitQueue struct {
	mu       sync.Mutex
	cond     *sync.Cond
	pending  []processed
	min, max int
	closed   bool // the decoder is done
	stopped  bool // the committer is done
	// first is when the oldest pending mail was put; timer wakes the committer commitAfter
	// later.
	first time.Time
	timer *time.Timer
}

// commitAfter is the longest a decoded mail waits for its transaction while fewer than min
// are pending: a slow stream, or a mail that takes long to decode, does not keep the mails
// before it from being recorded.
const commitAfter = time.Second

// newCommitQueue makes a queue that hands out at least least mails at once (fewer only when
// the decoder is done, or the oldest has waited commitAfter) and holds at most most
// (least <= most).
func newCommitQueue(least, most int) *commitQueue {
	q := &commitQueue{min: least, max: most}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// put adds a decoded mail, waiting while the queue is full. It returns false once the
// committer has stopped.
func (q *commitQueue) put(pr processed) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.pending) >= q.max && !q.stopped {
		q.cond.Wait()
	}
	if q.stopped {
		return false
	}
	if len(q.pending) == 0 {
		q.first = time.Now()
		if q.timer == nil {
			q.timer = time.AfterFunc(commitAfter, q.wake)
		} else {
			q.timer.Reset(commitAfter)
		}
	}
	q.pending = append(q.pending, pr)
	if len(q.pending) >= q.min {
		q.cond.Broadcast() // the committer waits for min mails: no need to wake it before
	}
	return true
}

// take waits for at least min decoded mails (or the decoder's end, or the oldest to have
// waited commitAfter) and returns all of them (at most max); none once the decoder is done
// and everything was taken.
func (q *commitQueue) take() []processed {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.pending) < max(q.min, 1) && !q.closed && (len(q.pending) == 0 || time.Since(q.first) < commitAfter) {
		q.cond.Wait()
	}
	out := q.pending
	q.pending = nil
	q.cond.Broadcast()
	return out
}

// wake wakes the committer, which checks the time under the lock: broadcasting under it
// too, the wake-up cannot fall between its check and its wait.
func (q *commitQueue) wake() {
	q.mu.Lock()
	q.cond.Broadcast()
	q.mu.Unlock()
}

func (q *commitQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

func (q *commitQueue) stop() {
	q.mu.Lock()
	q.stopped = true
	if q.timer != nil {
		q.timer.Stop()
	}
	q.mu.Unlock()
	q.cond.Broadcast()
}

// drainMarked notes in the store the mails the server confirmed as marked.
func (r *runner) drainMarked(ctx context.Context, p *pipe, sum *Summary) error {
	p.mu.Lock()
	ids := p.marked
	p.marked = nil
	p.mu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	if err := r.st.MarkDoneMany(ctx, ids); err != nil {
		return err
	}
	sum.Marked += len(ids)
	return nil
}

// process decodes one mail, without a budget (see decoder for the run's way).
func (r *runner) process(ctx context.Context, msg *imapfetch.Message, raw []byte) processed {
	return r.decodeMail(ctx, r.prepare(msg, raw), msg, raw)
}

// prepare makes the ledger identity of a mail, before decoding: ParseBytes may rewrite raw.
// A quarantined mail (which comes without a body) is set aside with why.
func (r *runner) prepare(msg *imapfetch.Message, raw []byte) processed {
	p := processed{uid: msg.UID, mail: suppress.Mail{
		MailID:     suppress.MailID{Mailbox: r.key(msg.Mailbox), UIDValidity: msg.UIDValidity, UID: msg.UID},
		Hash:       suppress.HashRaw(raw),
		Checkpoint: true,
	}}
	if msg.Quarantined != "" {
		p.setAside("quarantined", msg.Quarantined)
	}
	return p
}

// setAside makes p a mail recorded without events, left in place or moved with the other
// mail, for problem with the detail why.
func (p *processed) setAside(problem, why string) {
	p.events, p.bounce, p.decoded = nil, false, false
	p.problem = problem
	p.mail.Problems = max(p.mail.Problems, 1)
	p.mail.Quarantine = problem + ": " + why
}

// decodeMail decodes the prepared mail p; decoding stops when ctx ends. A panic while
// decoding becomes a problem of the mail.
func (r *runner) decodeMail(ctx context.Context, p processed, msg *imapfetch.Message, raw []byte) (out processed) {
	defer func() {
		if v := recover(); v != nil {
			out = p
			out.problem = fmt.Sprintf("panic while processing: %v", v)
			out.events, out.bounce, out.decoded = nil, false, false
			out.mail.Problems++
		}
	}()
	decode := Decode
	if r.o.Decode != nil {
		decode = r.o.Decode
	}
	rep, verdicts := decode(ctx, raw)
	if msg.Truncated {
		rep.Problems = append(rep.Problems, dsn.Problem{Code: dsn.ProblemTooLarge,
			Detail: fmt.Sprintf("the mail is %d bytes; only the first %d were fetched", msg.Size, r.o.IMAP.MaxSize), Lost: true})
	}
	for _, pr := range rep.Problems {
		if pr.Code == dsn.ProblemTooCostly {
			// Decoding stopped half-way: what it found is not to be acted on.
			p.mail.MessageID = strings.Clone(rep.MessageID)
			p.setAside(problemTooCostly, pr.Detail)
			return p
		}
	}
	p.kind, p.decoded = rep.Kind, true
	p.mail.MessageID = strings.Clone(rep.MessageID)
	p.mail.Problems = len(rep.Problems)
	if len(rep.Problems) > 0 {
		codes := make([]string, len(rep.Problems))
		for i, pr := range rep.Problems {
			codes[i] = string(pr.Code)
		}
		p.problem = strings.Join(codes, ", ")
	}
	switch rep.Kind {
	case dsn.KindDSN, dsn.KindBounce, dsn.KindFeedback, dsn.KindAutoReply:
		p.bounce = len(rep.Recipients) > 0
	}
	if !p.bounce {
		return p
	}
	// The bounce's own Received or Date header dates it; the server's INTERNALDATE, which costs
	// Dovecot two stat calls per maildir mail, is not fetched. A bounce with neither is dated
	// when it is recorded.
	when := rep.Arrived
	for i, rc := range rep.Recipients {
		v := verdicts[i]
		orig := strings.Clone(rc.OriginalAddress)
		addr := orig
		if rc.Address != "" && rc.Address != orig {
			addr = strings.Clone(rc.Address)
		}
		p.events = append(p.events, suppress.Event{
			Address: addr, OriginalAddress: orig,
			Kind: v.Kind, Reason: v.Reason,
			Status:     classify.Status(strings.Clone(string(rc.Status))),
			Reply:      classify.ReplyCode(strings.Clone(string(rc.Reply))),
			Diagnostic: strings.Clone(rc.Diagnostic), RemoteMTA: strings.Clone(rc.RemoteMTA),
			Hard: v.Hard, Suppress: v.Suppress, OccurredAt: when,
		})
	}
	return p
}

// commit records the pending mails in one transaction, then tells the stream how to mark each.
func (r *runner) commit(ctx context.Context, pp *pipe, pending []processed, sum *Summary) error {
	if len(pending) == 0 {
		return nil
	}
	batch := make([]suppress.MailEvents, len(pending))
	for i, p := range pending {
		batch[i] = suppress.MailEvents{Mail: p.mail, Events: p.events}
	}
	// Settled in the same transaction: the mails the server confirmed as marked since the
	// last one, and the mails of this batch that need nothing done on the server.
	pp.mu.Lock()
	marked := pp.marked
	pp.marked = nil
	pp.mu.Unlock()
	settle := marked
	marks := make([]imapfetch.Mark, len(pending))
	for i, p := range pending {
		marks[i] = r.o.OtherMark
		if p.bounce {
			marks[i] = r.o.Mark
		}
		if !r.o.DryRun && marks[i].Action == imapfetch.MarkNone {
			settle = append(settle, p.mail.MailID)
		}
	}
	results, err := r.st.RecordMailsMarkDone(ctx, batch, settle)
	if err != nil {
		return err
	}
	sum.Marked += len(marked)
	done := make([]doneReq, 0, len(pending))
	defer func() {
		pp.mu.Lock()
		pp.done = append(pp.done, done...)
		pp.mu.Unlock()
	}()
	for i, p := range pending {
		res, mark := results[i], marks[i]
		r.count(p, res, sum)
		r.n++
		if r.o.OnMail != nil {
			r.o.OnMail(r.result(p, res, mark))
		}
		if r.o.DryRun {
			mark = imapfetch.Mark{}
		}
		done = append(done, doneReq{uid: p.uid, mark: mark})
	}
	return nil
}

func (r *runner) count(p processed, res suppress.Result, sum *Summary) {
	if p.problem != "" {
		sum.Problems++
	}
	if res.Duplicate {
		if r.recorded.has(p.mail) {
			sum.Repeats++
		} else {
			sum.AlreadyRecorded++
		}
		return
	}
	r.recorded.add(p.mail)
	if p.mail.Quarantine != "" {
		sum.Quarantined++
		return
	}
	if !p.bounce {
		sum.NotBounces++
		return
	}
	switch p.kind {
	case dsn.KindFeedback:
		if slices.ContainsFunc(p.events, func(e suppress.Event) bool { return e.Kind == classify.KindComplaint }) {
			sum.Complaints++
		} else {
			sum.Reports++
		}
	case dsn.KindAutoReply:
		sum.AutoReplies++
	default:
		sum.Bounces++
	}
	for _, e := range p.events {
		switch e.Kind {
		case classify.KindHard:
			sum.Hard++
		case classify.KindSoft:
			sum.Soft++
		case classify.KindBlocked:
			sum.Blocked++
		case classify.KindDelayed:
			sum.Delayed++
		case classify.KindDelivered:
			sum.Delivered++
		case classify.KindComplaint, classify.KindAutoReply:
		default:
			sum.Other++
		}
	}
	sum.NewlySuppressed += len(res.Suppressed)
}

// recordedSet holds mails by the identities the store recognises a mail by (see
// suppress.Mail): its place and its content.
type recordedSet struct {
	places   map[suppress.MailID]struct{}
	contents map[contentID]struct{}
}

type contentID struct {
	messageID string
	hash      [32]byte
}

// recordedCap bounds a set: a run that watches for long forgets what it recorded long ago
// (a repeat of it is then counted as already recorded).
const recordedCap = 1 << 18

func (rs *recordedSet) add(m suppress.Mail) {
	if rs.places == nil || len(rs.places) >= recordedCap {
		rs.places, rs.contents = map[suppress.MailID]struct{}{}, map[contentID]struct{}{}
	}
	rs.places[m.MailID] = struct{}{}
	if m.Quarantine == "" {
		rs.contents[contentID{m.MessageID, m.Hash}] = struct{}{}
	}
}

func (rs *recordedSet) has(m suppress.Mail) bool {
	if _, ok := rs.places[m.MailID]; ok {
		return true
	}
	_, ok := rs.contents[contentID{m.MessageID, m.Hash}]
	return ok
}

// result says what happened to one mail, for OnMail.
func (r *runner) result(p processed, res suppress.Result, mark imapfetch.Mark) MailResult {
	kind := "unknown"
	if p.decoded {
		kind = p.kind.String()
	}
	return MailResult{Mailbox: strings.TrimPrefix(p.mail.Mailbox, r.keyPrefix()), UID: p.uid, Kind: kind, Recipients: len(p.events),
		Result: res, Problem: p.problem, Mark: mark, N: r.n}
}

package pipeline

import (
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
)

// The per-mail budget's defaults. A bounce decodes in well under a millisecond, a mail at the
// size cap (10 MiB) in a fraction of a second: ten seconds or a GiB of heap is a mail the
// decoder cannot cope with, and the run goes on without it.
const (
	DefaultMailBudget = 10 * time.Second
	DefaultMailMemory = 1 << 30
)

// problemTooCostly is the problem of a mail whose decoding was stopped for its budget.
const problemTooCostly = string(dsn.ProblemTooCostly)

// Decode decodes and classifies one mail, turning a panic into a problem; decoding
// stops when ctx ends (or the mail needs more work than dsn allows), with a
// dsn.ProblemTooCostly.
func Decode(ctx context.Context, data []byte) (rep *dsn.Report, verdicts []classify.Verdict) {
	defer func() {
		if p := recover(); p != nil {
			rep = &dsn.Report{Problems: []dsn.Problem{{Code: "panic", Detail: fmt.Sprint(p), Lost: true}}}
			verdicts = nil
		}
	}()
	rep = dsn.ParseBytesContext(ctx, data)
	verdicts = make([]classify.Verdict, len(rep.Recipients))
	for i := range rep.Recipients {
		verdicts[i] = classify.Classify(rep.Recipients[i].Facts(rep))
	}
	return rep, verdicts
}

// overBudget is why the decoding of a mail was stopped.
type overBudget struct{ detail string }

func (e *overBudget) Error() string { return e.detail }

// decoder decodes the mails of one stream in order, one at a time, each under the run's time
// and memory budget, and queues the results for the committer.
//
// A watchdog looks at the mail being decoded every tick. Past its time budget, or with the
// heap past the memory budget, the mail's context is cancelled with overBudget: the decoder
// stops (dsn.ParseBytesContext checks its context as it goes) and the mail is recorded as
// too costly, with no events, and left in place or moved with the other mail. A decode that
// does not stop within giveUpAfter of that is given up on: the mail is recorded as too
// costly all the same, a new goroutine goes on with the next mails, and the old one ends
// whenever its decode does, its result dropped. When the stream's context ends (a signal),
// the mail being decoded is dropped, not recorded: the next run decodes it again.
type decoder struct {
	r      *runner
	ctx    context.Context // the stream's
	in     <-chan fetchedMail
	q      *commitQueue
	p      *pipe
	flight *inflight
	budget time.Duration // 0: no time budget
	memory uint64        // 0: no memory budget

	mu        sync.Mutex
	gen       int        // the generation of the goroutine that decodes; bumped when one is given up on
	cur       *processed // the mail being decoded, as prepared; nil when idle
	curSize   int64      // its raw size
	seq       uint64     // counts mails begun
	mctx      context.Context
	cancel    context.CancelCauseFunc
	abandoned int           // decodes given up on that have not returned
	finished  chan struct{} // closed when the last mail is queued
}

// newDecoder starts decoding mails from in into q; wait for finished.
func (r *runner) newDecoder(ctx context.Context, in <-chan fetchedMail, q *commitQueue, p *pipe, flight *inflight) *decoder {
	d := &decoder{r: r, ctx: ctx, in: in, q: q, p: p, flight: flight,
		budget: max(r.o.MailBudget, 0), memory: uint64(max(r.o.MailMemory, 0)), finished: make(chan struct{})}
	d.mctx, d.cancel = context.WithCancelCause(ctx)
	go d.loop(0)
	if d.budget > 0 || d.memory > 0 {
		go d.watch()
	}
	return d
}

// loop decodes mails as generation gen until the input ends, the committer stops, or the
// watchdog gives up on a mail of it.
func (d *decoder) loop(gen int) {
	for fm := range d.in {
		if d.ctx.Err() != nil {
			d.p.release(int64(len(fm.raw))) // not recorded: fetched again next time
			continue
		}
		pr := d.r.prepare(&fm.msg, fm.raw)
		if fm.msg.Quarantined == "" {
			var ok bool
			if pr, ok = d.decode(gen, pr, &fm); !ok {
				return
			}
		}
		d.p.release(int64(len(fm.raw)))
		if d.ctx.Err() != nil {
			continue
		}
		if !d.q.put(pr) {
			break
		}
	}
	d.finish()
}

func (d *decoder) finish() {
	d.q.close()
	close(d.finished)
}

// decode decodes one mail under the budget. It returns false when the watchdog gave up on
// it meanwhile: this goroutine is no longer the decoder.
func (d *decoder) decode(gen int, pr processed, fm *fetchedMail) (processed, bool) {
	d.mu.Lock()
	if d.mctx.Err() != nil {
		d.mctx, d.cancel = context.WithCancelCause(d.ctx)
	}
	d.seq++
	prepared := pr
	d.cur, d.curSize = &prepared, int64(len(fm.raw))
	mctx := d.mctx
	d.flight.begin(fm.msg.UID)
	d.mu.Unlock()

	out := d.r.decodeMail(mctx, pr, &fm.msg, fm.raw)

	d.mu.Lock()
	if d.gen != gen {
		d.abandoned--
		d.flight.abandoned(d.abandoned)
		d.mu.Unlock()
		return out, false
	}
	d.cur = nil
	d.flight.end()
	d.mu.Unlock()
	var ob *overBudget
	if mctx.Err() != nil && errors.As(context.Cause(mctx), &ob) {
		out = prepared
		out.setAside(problemTooCostly, ob.detail)
	}
	return out, true
}

// tick is how often the watchdog looks: a tenth of the time budget, within 5 to 50 ms.
func (d *decoder) tick() time.Duration {
	if d.budget <= 0 {
		return 50 * time.Millisecond
	}
	return min(max(d.budget/10, 5*time.Millisecond), 50*time.Millisecond)
}

// giveUpAfter is how long a decode may go on once stopped before it is given up on.
func (d *decoder) giveUpAfter() time.Duration {
	if d.budget <= 0 {
		return 2 * time.Second
	}
	return min(d.budget, 2*time.Second)
}

// HeapMetric is the heap's size the memory budget applies to: live objects and those not
// yet swept.
const HeapMetric = "/memory/classes/heap/objects:bytes"

// watch is the watchdog; it ends with the decoding.
func (d *decoder) watch() {
	t := time.NewTicker(d.tick())
	defer t.Stop()
	sample := []metrics.Sample{{Name: HeapMetric}}
	var seen uint64
	var since, stopped time.Time
	for {
		var now time.Time
		select {
		case <-d.finished:
			return
		case now = <-t.C:
		}
		d.mu.Lock()
		if d.cur == nil {
			d.mu.Unlock()
			continue
		}
		if d.seq != seen {
			seen, since, stopped = d.seq, now, time.Time{}
		}
		switch {
		case stopped.IsZero() && d.ctx.Err() != nil:
			stopped = now // the run stops: one tick for the decode to notice
		case stopped.IsZero():
			var cause error
			if d.budget > 0 && now.Sub(since) >= d.budget {
				cause = &overBudget{fmt.Sprintf("decoding took longer than %v", d.budget)}
			} else if d.memory > 0 {
				metrics.Read(sample)
				if sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() > d.memory {
					cause = &overBudget{fmt.Sprintf("the heap grew past %d MiB while decoding", d.memory>>20)}
				}
			}
			if cause != nil {
				d.cancel(cause)
				stopped = now
			}
		case now.Sub(stopped) >= d.giveUpAfter() || d.ctx.Err() != nil:
			d.giveUp()
			continue // giveUp unlocked
		}
		d.mu.Unlock()
	}
}

// giveUp leaves the mail being decoded to its goroutine and starts another with the next
// mails; the mail is recorded as too costly, unless the run is stopping. d.mu is held, and
// released.
func (d *decoder) giveUp() {
	pr, size := *d.cur, d.curSize
	cause := context.Cause(d.mctx)
	d.gen++
	d.cur = nil
	d.abandoned++
	d.flight.abandoned(d.abandoned)
	d.flight.end()
	gen := d.gen
	d.mu.Unlock()
	d.p.release(size)
	if d.ctx.Err() == nil {
		d.r.log.Warn("decoding a mail does not stop: going on without it", "mailbox", pr.mail.Mailbox, "uid", pr.uid, "cause", cause)
		var ob *overBudget
		detail := "decoding did not stop"
		if errors.As(cause, &ob) {
			detail = ob.detail + ", and did not stop"
		}
		pr.setAside(problemTooCostly, detail)
		if !d.q.put(pr) {
			d.finish()
			return
		}
	} else {
		d.r.log.Debug("stopping without the mail being decoded", "mailbox", pr.mail.Mailbox, "uid", pr.uid)
	}
	go d.loop(gen)
}

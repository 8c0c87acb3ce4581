package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/bounceproc/bounceproc/imapfetch"
	"github.com/bounceproc/bounceproc/suppress"
)

// Several runs (workers) may share one store and one list of mailboxes: each mailbox is
// leased to one run at a time. A run takes the lease of a mailbox before it reads the
// mailbox's checkpoint and renews it every ttl/3 while it works on it; one that cannot renew
// it (another run took it after it expired, or the store did not answer for two thirds of
// the ttl) stops that mailbox before it records or marks another mail. A run that dies keeps
// its leases until they expire; then another run takes the mailbox and finishes the marking
// the dead one left undone.
//
// The lease spares work, it does not guard the data: a mail recorded by two runs (the one
// that lost the lease in the middle of a transaction, and the one that took it over) is
// recorded once, since the ledger recognises it in the transaction that records it.

// DefaultLease is how long a mailbox's lease lasts unless renewed: a run that dies holds its
// mailboxes this long at most.
const DefaultLease = time.Minute

// ErrHeld says that every mailbox of a run was held by other runs: the run did nothing.
var ErrHeld = errors.New("pipeline: every mailbox is held by another run")

// errLeaseLost is why a mailbox's context ends when its lease could not be renewed.
var errLeaseLost = errors.New("pipeline: the mailbox's lease was lost")

// errReleased is why a lease's context ends when the run gives the lease up.
var errReleased = errors.New("pipeline: lease released")

// leaser is a store that leases names (see suppress.Store.AcquireLease).
type leaser interface {
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) error
	ReleaseLease(ctx context.Context, name, holder string) error
}

// takeOverer is a store that can take a lease over from a holder that is gone.
type takeOverer interface {
	TakeOverLease(ctx context.Context, name, from, holder string, ttl time.Duration) error
}

// holderGone says whether a lease's holder, as defaultHolder names it, is a process of this
// host that no longer exists: a run killed or crashed on this machine, whose lease the next
// run may take over at once instead of waiting for it to expire. A holder on another host,
// or a process id that exists (perhaps reused), is not gone.
func holderGone(holder string) bool {
	i := strings.LastIndexByte(holder, ':') // before the random part
	if i < 0 {
		return false
	}
	j := strings.LastIndexByte(holder[:i], ':') // before the process id
	if j < 0 {
		return false
	}
	host := holder[:j]
	pid, err := strconv.Atoi(holder[j+1 : i])
	me, _ := os.Hostname()
	if err != nil || pid <= 0 || pid == os.Getpid() || me == "" || host != me {
		return false
	}
	return processGone(pid)
}

// lease is a mailbox's lease while the run holds it. Its context ends when the lease is lost
// (cause errLeaseLost) or released.
type lease struct {
	name   string
	ctx    context.Context
	cancel context.CancelCauseFunc
	done   chan struct{} // closed when the renewing goroutine has ended
}

// lost says whether the lease was lost (rather than released or never taken).
func (l *lease) lost() bool {
	return errors.Is(context.Cause(l.ctx), errLeaseLost)
}

// defaultHolder names this process for the leases it takes: host, process id and a random
// part, so that two runs in one process are told apart.
func defaultHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
}

// LeaseName is the name of the lease a run takes on a mailbox of the server and user of c.
// The server's host is compared without case (DNS names are case-insensitive), so runs given
// IMAP.example.com and imap.example.com share the lease.
func LeaseName(c imapfetch.Config, mailbox string) string {
	return "mailbox " + c.User + "@" + strings.ToLower(c.Addr) + "/" + mailbox
}

// ownerTTL is how long the mark of the account that last processed a mailbox lasts: for good.
const ownerTTL = 100 * 365 * 24 * time.Hour

// noteAccount marks the mailbox's name in the store (key) as processed from the run's IMAP
// account, and warns when another account processed it last: two accounts whose mailboxes the
// store knows by one name (each has an INBOX) share one checkpoint and undo each other's
// (see Config.Account). The mark is a lease that never expires, so a store of either engine
// keeps it without a schema of its own; a failure to read or write it only loses the warning.
func (r *runner) noteAccount(ctx context.Context, key string) {
	if _, done := r.accountNoted.LoadOrStore(key, true); done || r.o.DryRun {
		return
	}
	name := "account of mailbox " + key
	id := r.o.IMAP.User + "@" + strings.ToLower(r.o.IMAP.Addr)
	err := r.leases.AcquireLease(ctx, name, id, ownerTTL)
	var held *suppress.LeaseHeldError
	if !errors.As(err, &held) {
		return
	}
	r.log.Warn("another IMAP account processed this mailbox of the store last: if it is another account, "+
		"their mailboxes of the same name share one checkpoint; give each account its own --account",
		"mailbox", key, "last", held.Holder, "now", id)
	if t, ok := r.leases.(takeOverer); ok {
		if err := t.TakeOverLease(ctx, name, held.Holder, id, ownerTTL); err != nil {
			r.log.Debug("noting the mailbox's account", "mailbox", key, "err", err)
		}
	}
}

// take takes the mailbox's lease, failing with an error wrapping suppress.ErrLeaseHeld when
// another run holds it. Without leasing (Config.Lease is 0) it always succeeds.
func (r *runner) take(ctx context.Context, mailbox string) (*lease, error) {
	l := &lease{name: LeaseName(r.o.IMAP, mailbox), done: make(chan struct{})}
	l.ctx, l.cancel = context.WithCancelCause(ctx)
	if r.o.Lease <= 0 {
		close(l.done)
		return l, nil
	}
	start := time.Now()
	err := r.leases.AcquireLease(ctx, l.name, r.holder, r.o.Lease)
	var held *suppress.LeaseHeldError
	if t, ok := r.leases.(takeOverer); ok && errors.As(err, &held) && holderGone(held.Holder) {
		r.log.Info("the run that held the mailbox is gone: taking its lease over", "lease", l.name, "holder", held.Holder)
		err = t.TakeOverLease(ctx, l.name, held.Holder, r.holder, r.o.Lease)
	}
	if err != nil {
		l.cancel(err)
		return nil, err
	}
	go r.renew(l, start)
	return l, nil
}

// renew renews l every ttl/3 until it is released. The lease is lost when another run holds
// it, or when no renewal succeeded for five sixths of the ttl since the last one began: the
// run stops before the lease can expire under it.
func (r *runner) renew(l *lease, lastOK time.Time) {
	defer close(l.done)
	ttl := r.o.Lease
	margin := ttl - ttl/6
	expire := time.AfterFunc(margin-time.Since(lastOK), func() { l.cancel(errLeaseLost) })
	defer expire.Stop()
	tick := time.NewTicker(ttl / 3)
	defer tick.Stop()
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-tick.C:
		}
		start := time.Now()
		err := r.leases.AcquireLease(l.ctx, l.name, r.holder, ttl)
		switch {
		case l.ctx.Err() != nil:
			return
		case err == nil:
			expire.Reset(margin - time.Since(start))
		case errors.Is(err, suppress.ErrLeaseHeld):
			r.log.Warn("another run took the mailbox's lease: stopping it", "lease", l.name, "err", err)
			l.cancel(errLeaseLost)
			return
		default:
			r.log.Warn("renewing the mailbox's lease failed; trying again", "lease", l.name, "err", err)
		}
	}
}

// release gives the lease up: it stops the renewing and, unless the lease was lost, deletes
// it so that another run may take the mailbox at once.
func (r *runner) release(l *lease) {
	lost := l.lost()
	l.cancel(errReleased)
	<-l.done
	if lost || r.o.Lease <= 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(l.ctx), 10*time.Second)
	defer cancel()
	if err := r.leases.ReleaseLease(ctx, l.name, r.holder); err != nil {
		r.log.Warn("releasing the mailbox's lease failed; it expires", "lease", l.name, "err", err)
	}
}

// retryHeld is how long a run waits before it tries again to take mailboxes held by others.
func (r *runner) retryHeld() time.Duration {
	return min(max(r.o.Lease/6, 100*time.Millisecond), 5*time.Second)
}

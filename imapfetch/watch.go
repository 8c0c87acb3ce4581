package imapfetch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/emersion/go-imap/v2"
)

// idleRecheck bounds one IDLE wait: after it, fn runs anyway, so that a missed notification
// costs at most this long.
const idleRecheck = 10 * time.Minute

// Watch selects the mailbox, calls fn at once, and then again whenever the server reports new
// mail (IDLE, RFC 2177), or every Config.PollInterval when the server lacks IDLE; also right
// away when the mailbox's UIDNEXT moved while fn ran. It returns when ctx ends (with nil) or
// when fn fails. Dropped connections are redialled.
func (c *Client) Watch(ctx context.Context, mailbox string, fn func(ctx context.Context) error) error {
	var uidNext uint32 // as the last SELECT found it
	for {
		if err := fn(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		mb, err := c.Select(ctx, mailbox)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		// Mail that arrived while fn ran, after its search, is reported in this SELECT's
		// answer, which is no notification: IDLE would not wake for it. Run fn again instead
		// while UIDNEXT keeps moving (the first time round, once more: cheap, nothing new).
		if mb.UIDNext != uidNext {
			uidNext = mb.UIDNext
			continue
		}
		err = c.retry(ctx, func() error { return c.waitNew(ctx) })
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// waitNew blocks until new mail may have arrived in the selected mailbox.
func (c *Client) waitNew(ctx context.Context) error {
	if !c.ic.Caps().Has(imap.CapIdle) && !c.ic.Caps().Has(imap.CapIMAP4rev2) {
		c.log.Debug("imap server lacks IDLE, polling", "every", c.cfg.PollInterval)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(c.cfg.PollInterval):
		}
		done := c.guard(ctx)
		err := c.ic.Noop().Wait()
		done()
		if err != nil {
			return fmt.Errorf("imapfetch: poll %q: %w", c.selected, c.connErr(ctx, err))
		}
		return nil
	}
	done := c.guard(ctx)
	idle, err := c.ic.Idle()
	done()
	if err != nil {
		return fmt.Errorf("imapfetch: idle in %q: %w", c.selected, c.connErr(ctx, err))
	}
	c.log.Debug("imap idle", "mailbox", c.selected)
	closed := c.ic.Closed()
	select {
	case <-ctx.Done():
	case <-c.exists:
	case <-closed:
		return &lostError{err: errors.New("server closed the connection during IDLE")}
	case <-time.After(idleRecheck):
	}
	done = c.guard(context.WithoutCancel(ctx))
	err = idle.Close()
	if err == nil {
		err = idle.Wait()
	}
	done()
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("imapfetch: end idle in %q: %w", c.selected, c.connErr(ctx, err))
	}
	return nil
}

package imapfetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
)

// StreamOptions tune a Stream.
type StreamOptions struct {
	// UIDValidity is the value the caller's cursor belongs to. When it is not zero and the
	// mailbox reports another one, Open fails with ErrUIDValidityChanged.
	UIDValidity uint32
	// OnMarked is called after mails were marked on the server, with their UIDs; the caller
	// records there that marking is done. An error from it stops the stream.
	OnMarked func(ctx context.Context, m Mark, uids []uint32) error
	// InternalDate asks the server for each mail's INTERNALDATE (Message.InternalDate). It
	// costs Dovecot two stat calls per maildir mail: a fetch of 10,000 bounces took 10–13 %
	// longer with it.
	InternalDate bool
}

// Stream hands out the messages of one mailbox above a UID cursor, one at a time, in UID order,
// fetching them in batches of Config.BatchSize without holding more than one body. The caller
// reads each message, stores its result, then calls Done with how to mark it; marks are carried
// out in bulk between batches (once markBatches batches' worth have gathered) and at Close,
// never before Done. When the connection drops, the stream reconnects and goes on with the
// first message not yet Done.
type Stream struct {
	c    *Client
	ctx  context.Context
	opts StreamOptions
	mbox Mailbox

	todo  []uint32 // UIDs not yet handed out, ascending
	out   []uint32 // handed out, not yet Done
	total int
	cur   *batch
	marks []pendingMark
	err   error
}

type pendingMark struct {
	mark Mark
	uids []uint32
}

// Open selects the mailbox (unless it is the one selected) and lists the UIDs above after.
// Iterate with Next, end with Close.
func (c *Client) Open(ctx context.Context, mailbox string, after uint32, opts StreamOptions) (*Stream, error) {
	m, err := c.use(ctx, mailbox)
	if err != nil {
		return nil, err
	}
	if opts.UIDValidity != 0 && m.UIDValidity != opts.UIDValidity {
		return nil, fmt.Errorf("%w: mailbox %q was %d, now %d", ErrUIDValidityChanged, mailbox, opts.UIDValidity, m.UIDValidity)
	}
	uids, err := c.UIDs(ctx, after)
	if err != nil {
		return nil, err
	}
	return &Stream{c: c, ctx: ctx, opts: opts, mbox: m, todo: uids, total: len(uids)}, nil
}

// use returns the mailbox selected on this connection when it is name, and selects it
// otherwise: a caller that has just selected it (a run reads UIDVALIDITY first) saves a second
// SELECT, which costs a large mailbox a resynchronisation on some servers (Dovecot: 10–20 ms
// for 10,000 mails). What the mailbox holds now is asked for afresh by the commands that follow.
func (c *Client) use(ctx context.Context, name string) (Mailbox, error) {
	if c.selected == name && name != "" {
		return c.mbox, nil
	}
	return c.Select(ctx, name)
}

// OpenUIDs selects the mailbox (unless it is the one selected) and streams just the given
// UIDs (those still there), for instance mails recorded before a crash but not yet marked.
// Fails with ErrUIDValidityChanged as Open does.
func (c *Client) OpenUIDs(ctx context.Context, mailbox string, uids []uint32, opts StreamOptions) (*Stream, error) {
	m, err := c.use(ctx, mailbox)
	if err != nil {
		return nil, err
	}
	if opts.UIDValidity != 0 && m.UIDValidity != opts.UIDValidity {
		return nil, fmt.Errorf("%w: mailbox %q was %d, now %d", ErrUIDValidityChanged, mailbox, opts.UIDValidity, m.UIDValidity)
	}
	var todo []uint32
	if len(uids) > 0 {
		err = c.retry(ctx, func() (err error) {
			todo, err = c.existing(ctx, uids)
			return err
		})
		if err != nil {
			return nil, err
		}
		slices.Sort(todo)
	}
	return &Stream{c: c, ctx: ctx, opts: opts, mbox: m, todo: todo, total: len(todo)}, nil
}

// Mailbox returns what SELECT reported when the stream opened.
func (s *Stream) Mailbox() Mailbox { return s.mbox }

// Total is the number of messages the stream found to hand out.
func (s *Stream) Total() int { return s.total }

// Next returns the next message, or io.EOF when there is none left. Other errors are final:
// the server refused something, reconnecting failed, or ErrUIDValidityChanged.
func (s *Stream) Next() (*Message, error) {
	if s.err != nil {
		return nil, s.err
	}
	for {
		if s.cur == nil {
			if s.queued() >= markBatches*s.c.cfg.BatchSize || len(s.todo) == 0 {
				if err := s.flush(); err != nil {
					return nil, s.fail(err)
				}
			}
			if len(s.todo) == 0 {
				return nil, io.EOF
			}
			n := min(len(s.todo), s.c.cfg.BatchSize)
			s.cur = s.c.fetchBatch(s.ctx, s.todo[:n], s.opts.InternalDate)
			s.out = append(s.out, s.todo[:n]...)
			s.todo = s.todo[n:]
		}
		msg, err := s.cur.next()
		if msg != nil {
			return msg, nil
		}
		s.cur = nil
		if err == nil {
			continue
		}
		if !IsConnectionLost(err) {
			return nil, s.fail(fmt.Errorf("imapfetch: fetch from %q: %w", s.mbox.Name, err))
		}
		if err := s.recover(err); err != nil {
			return nil, s.fail(err)
		}
	}
}

// recover reconnects and puts every UID handed out but not Done back in front of the queue.
func (s *Stream) recover(cause error) error {
	if err := s.c.reconnect(s.ctx, cause); err != nil {
		return err
	}
	s.todo = append(slices.Clone(s.out), s.todo...)
	s.out = s.out[:0]
	return nil
}

func (s *Stream) fail(err error) error {
	s.err = err
	return err
}

// Done tells the stream that the caller is finished with the message uid (its result is
// stored) and how to mark it. Marks are applied later, in bulk.
func (s *Stream) Done(uid uint32, m Mark) {
	// Mails are usually done in the order they were handed out: the oldest first.
	if len(s.out) > 0 && s.out[0] == uid {
		s.out = s.out[1:]
	} else if i := slices.Index(s.out, uid); i >= 0 {
		s.out = slices.Delete(s.out, i, i+1)
	}
	if m.Action == MarkNone {
		return
	}
	for i := range s.marks {
		if s.marks[i].mark == m {
			s.marks[i].uids = append(s.marks[i].uids, uid)
			return
		}
	}
	s.marks = append(s.marks, pendingMark{mark: m, uids: []uint32{uid}})
}

// markBatches is how many fetch batches' worth of marks are queued before they are applied
// (and at the end): a server may take as long for one STORE or MOVE of a few mails as for one
// of a thousand (Dovecot spends some 6 ms per command on 250 flags), and the fetch waits for it.
const markBatches = 4

// queued is the number of mails with a mark waiting to be applied.
func (s *Stream) queued() int {
	n := 0
	for _, pm := range s.marks {
		n += len(pm.uids)
	}
	return n
}

// flush applies the queued marks and reports them through OnMarked.
func (s *Stream) flush() error {
	for len(s.marks) > 0 {
		pm := s.marks[0]
		if err := s.c.Apply(s.ctx, pm.mark, pm.uids); err != nil {
			return err
		}
		if s.opts.OnMarked != nil {
			if err := s.opts.OnMarked(s.ctx, pm.mark, pm.uids); err != nil {
				return fmt.Errorf("imapfetch: after marking: %w", err)
			}
		}
		s.marks = s.marks[1:]
	}
	return nil
}

// Close ends the current batch and applies the marks still queued. Mails handed out but not
// Done stay as they are.
func (s *Stream) Close() error {
	var errs []error
	if s.cur != nil {
		if err := s.cur.close(); err != nil && !IsConnectionLost(err) {
			errs = append(errs, err)
		}
		s.cur = nil
	}
	if s.err == nil || !errors.Is(s.err, ErrUIDValidityChanged) {
		if err := s.flush(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

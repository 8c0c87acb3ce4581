package imapfetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
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
	// Quarantine names mails not to fetch, with why: the stream hands each out in its turn
	// without a body (Message.Quarantined), for the caller to record as set aside.
	Quarantine map[uint32]string
	// Logger receives a warning for every connection lost while fetching; the client's
	// logger when nil.
	Logger *slog.Logger
}

// Stream hands out the messages of one mailbox above a UID cursor, one at a time, in UID order,
// fetching them in batches of Config.BatchSize without holding more than one body. The caller
// reads each message, stores its result, then calls Done with how to mark it; marks are carried
// out in bulk between batches (once markBatches batches' worth have gathered) and at Close,
// never before Done.
//
// When the connection drops, the stream reconnects and goes on with the first message it has
// not handed out whole: a message whose body the caller read to its end is the caller's, and
// is never handed out twice. A mail at which the connection was lost quarantineAfter times is
// quarantined: once a mail after it was read whole (proof that the connection holds beyond
// it), it is handed out without its body (Message.Quarantined), never fetched again. After
// maxFruitless losses in a row without a message read whole between them, the stream gives
// up.
type Stream struct {
	c    *Client
	ctx  context.Context
	opts StreamOptions
	mbox Mailbox
	log  *slog.Logger

	todo  []uint32 // UIDs not yet fetched, ascending
	out   []uint32 // fetched by the current batch and not yet handed out whole, ascending
	total int
	cur   *batch
	marks []pendingMark
	err   error

	quarantine map[uint32]string // UIDs handed out without a body, and why
	losses     map[uint32]int    // connections lost per UID being fetched when it happened
	fruitless  int               // connections lost in a row with no message read whole between
	progress   bool              // a message was read whole since the last loss
	// probe is a mail quarantined for lost connections and not yet handed out: it is handed
	// out once the first mail after it has been read whole, into held, which is handed out
	// next.
	probe uint32
	held  *Message
}

type pendingMark struct {
	mark Mark
	uids []uint32
}

// quarantineAfter is how many times the connection may be lost while a mail is fetched before
// the mail is quarantined. One loss can be chance; the same mail twice in a row is the mail
// (a server that crashes on it, a proxy or filter that cuts it off).
const quarantineAfter = 2

// maxFruitless is how many times in a row the connection may be lost without a message read
// whole between two losses before the stream gives up: a mail quarantined after two losses,
// then a probe past it that fails, then one more try. A server that drops every fetch thus
// ends the run without quarantining anything.
const maxFruitless = 4

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
	return c.newStream(ctx, m, uids, opts), nil
}

func (c *Client) newStream(ctx context.Context, m Mailbox, uids []uint32, opts StreamOptions) *Stream {
	s := &Stream{c: c, ctx: ctx, opts: opts, mbox: m, log: opts.Logger, todo: uids, total: len(uids)}
	if s.log == nil {
		s.log = c.log
	}
	if len(opts.Quarantine) > 0 {
		s.quarantine = maps.Clone(opts.Quarantine)
	}
	return s
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
	return c.newStream(ctx, m, todo, opts), nil
}

// Mailbox returns what SELECT reported when the stream opened.
func (s *Stream) Mailbox() Mailbox { return s.mbox }

// Total is the number of messages the stream found to hand out.
func (s *Stream) Total() int { return s.total }

// Next returns the next message, or io.EOF when there is none left. Other errors are final:
// the server refused something, reconnecting failed, the connection was lost too often without
// progress, or ErrUIDValidityChanged.
func (s *Stream) Next() (*Message, error) {
	if s.err != nil {
		return nil, s.err
	}
	s.settle()
	if m := s.held; m != nil {
		s.held = nil
		return m, nil
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
			if why, ok := s.quarantine[s.todo[0]]; ok && (s.todo[0] != s.probe || len(s.todo) == 1) {
				// Quarantined by the caller, or the last mail, with no mail after it to probe
				// the connection with.
				uid := s.todo[0]
				s.todo = s.todo[1:]
				s.probe = 0
				return s.quarantined(uid, why), nil
			}
			from := 0
			if s.todo[0] == s.probe {
				from = 1 // the probe is handed out before the first mail after it
			}
			n := min(len(s.todo), from+s.c.cfg.BatchSize)
			if len(s.quarantine) > 0 {
				for i := from; i < n; i++ {
					if _, ok := s.quarantine[s.todo[i]]; ok {
						n = i // a batch stops before a quarantined mail
						break
					}
				}
			}
			s.cur = s.c.fetchBatch(s.ctx, s.todo[from:n], s.opts.InternalDate)
			s.out = append(s.out, s.todo[from:n]...)
			if from == 0 {
				s.todo = s.todo[n:]
			} else {
				s.todo = append(s.todo[:from], s.todo[n:]...)
			}
		}
		msg, err := s.cur.next()
		if msg != nil {
			if s.probe == 0 {
				return msg, nil
			}
			return s.pastProbe(msg)
		}
		s.cur = nil
		if err == nil {
			// Every mail of the batch was handed out, or is gone from the mailbox.
			s.out = s.out[:0]
			if s.probe != 0 {
				// The batch after the probe ended without a message and without losing the
				// connection.
				why := s.quarantine[s.probe]
				return s.quarantined(s.takeProbe(), why), nil
			}
			continue
		}
		if !IsConnectionLost(err) {
			return nil, s.fail(fmt.Errorf("imapfetch: fetch from %q: %w", s.mbox.Name, err))
		}
		if err := s.lost(err); err != nil {
			return nil, s.fail(err)
		}
	}
}

// settle notes what became of the last message handed out from the connection: read whole,
// it is the caller's; otherwise it is fetched again after a reconnect.
func (s *Stream) settle() {
	if s.cur == nil || s.cur.body == nil || !s.cur.body.complete() {
		return
	}
	s.handedWhole(s.cur.body.uid)
}

func (s *Stream) handedWhole(uid uint32) {
	if len(s.out) > 0 && s.out[0] == uid {
		s.out = s.out[1:]
	} else if i := slices.Index(s.out, uid); i >= 0 {
		s.out = slices.Delete(s.out, i, i+1)
	}
	s.progress = true
}

// pastProbe is the first message after the probe: it is read whole here and held, and the
// probe is handed out first.
func (s *Stream) pastProbe(msg *Message) (*Message, error) {
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		// The connection is lost: the batch says so on its next step.
		return s.Next()
	}
	s.handedWhole(msg.UID)
	msg.Body = bytes.NewReader(body)
	s.held = msg
	why := s.quarantine[s.probe]
	return s.quarantined(s.takeProbe(), why), nil
}

// takeProbe removes the probe from the front of the queue and returns it.
func (s *Stream) takeProbe() uint32 {
	uid := s.probe
	if len(s.todo) > 0 && s.todo[0] == uid {
		s.todo = s.todo[1:]
	}
	s.probe = 0
	return uid
}

func (s *Stream) quarantined(uid uint32, why string) *Message {
	return &Message{Mailbox: s.mbox.Name, UIDValidity: s.mbox.UIDValidity, UID: uid, Quarantined: why}
}

// lost handles a connection lost while fetching: it blames the mail being fetched, gives up
// when the losses bring no progress, and reconnects.
func (s *Stream) lost(cause error) error {
	// The message the connection broke in, or else the next one the server was to send.
	suspect := uint32(0)
	if len(s.out) > 0 {
		suspect = s.out[0]
	}
	if s.progress {
		s.fruitless = 0
	}
	s.progress = false
	s.fruitless++
	s.log.Warn("imap connection lost while fetching", "mailbox", s.mbox.Name, "uid", suspect,
		"losses_in_a_row", s.fruitless, "cause", cause)
	if s.fruitless >= maxFruitless {
		return fmt.Errorf("imapfetch: fetch from %q: the connection was lost %d times in a row without a mail read in between; giving up: %w",
			s.mbox.Name, s.fruitless, cause)
	}
	if suspect != 0 {
		if s.losses == nil {
			s.losses = map[uint32]int{}
		}
		s.losses[suspect]++
		if n := s.losses[suspect]; n >= quarantineAfter && s.quarantine[suspect] == "" && s.probe == 0 {
			if s.quarantine == nil {
				s.quarantine = map[uint32]string{}
			}
			s.quarantine[suspect] = fmt.Sprintf("the connection was lost %d times while fetching it", n)
			s.probe = suspect
			s.log.Warn("quarantining a mail at which the connection was lost again and again", "mailbox", s.mbox.Name, "uid", suspect, "losses", n)
		}
	}
	return s.recover(cause)
}

// recover reconnects and puts every UID fetched but not handed out whole back in front of the
// queue (the probe stays in front of them).
func (s *Stream) recover(cause error) error {
	if err := s.c.reconnect(s.ctx, cause); err != nil {
		return err
	}
	if s.probe != 0 {
		if i := slices.Index(s.out, s.probe); i >= 0 {
			s.out = slices.Delete(s.out, i, i+1)
		}
		if len(s.todo) == 0 || s.todo[0] != s.probe {
			s.todo = append([]uint32{s.probe}, s.todo...)
		}
		s.todo = slices.Insert(s.todo, 1, s.out...)
	} else {
		s.todo = append(slices.Clone(s.out), s.todo...)
	}
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

// Drop forgets the marks not yet applied: the caller may no longer mark the mails (it lost
// its lease on the mailbox), and whoever goes on with the mailbox marks them.
func (s *Stream) Drop() {
	s.marks = nil
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

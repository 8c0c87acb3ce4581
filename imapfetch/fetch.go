package imapfetch

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Message is one mail as the server holds it. Nothing is parsed. Body streams from the
// connection: read it before asking for the next message; it is not valid afterwards.
type Message struct {
	Mailbox     string
	UIDValidity uint32
	UID         uint32
	// Size is the full size the server reports (RFC822.SIZE).
	Size int64
	// InternalDate is the server's arrival date of the mail, when the stream was asked for it
	// (StreamOptions.InternalDate); zero otherwise.
	InternalDate time.Time
	// Truncated is true when the mail is larger than the size cap and Body holds only its first
	// MaxSize bytes.
	Truncated bool
	// Length is the number of bytes Body holds, as the server announced them: enough to size
	// a buffer for the whole body at once.
	Length int64
	Body   io.Reader
	// Quarantined, when not empty, says why the stream hands the mail out without fetching
	// it (Body is nil): a run crashed while decoding it, or the connection was lost at it
	// again and again (see StreamOptions.Quarantine). The caller records it as set aside.
	Quarantined string
}

// batch is one UID FETCH command streaming its messages.
type batch struct {
	c    *Client
	ctx  context.Context
	cmd  *imapclient.FetchCommand
	max  int64
	body *bodyReader
	dog  *watchdog
	// broken is set when reading a body failed: the connection is gone, and go-imap must not
	// be asked for anything more on this command (a second read of a failed literal races
	// with its decoder).
	broken error
}

// fetchBatch starts UID FETCH uids (UID RFC822.SIZE [INTERNALDATE] BODY.PEEK[]<0.max+1>): one
// byte beyond the cap tells a mail that is exactly max bytes long from one that is cut.
func (c *Client) fetchBatch(ctx context.Context, uids []uint32, internalDate bool) *batch {
	max := c.cfg.MaxSize
	opts := &imap.FetchOptions{
		UID:          true,
		RFC822Size:   true,
		InternalDate: internalDate,
		BodySection: []*imap.FetchItemBodySection{{
			Peek:    true,
			Partial: &imap.SectionPartial{Offset: 0, Size: max + 1},
		}},
	}
	b := &batch{c: c, ctx: ctx, max: max, dog: c.newWatchdog(ctx)}
	b.dog.arm()
	b.cmd = c.ic.Fetch(uidSet(uids), opts)
	b.dog.disarm()
	return b
}

// next returns the next message, or nil and the command's outcome when the batch is over.
func (b *batch) next() (*Message, error) {
	if b.body != nil {
		b.body.finish()
		b.body = nil
	}
	if b.broken != nil {
		b.dog.stop()
		return nil, b.broken
	}
	b.dog.arm()
	defer b.dog.disarm()
	for {
		data := b.cmd.Next()
		if data == nil {
			err := b.c.connErr(b.ctx, b.cmd.Close())
			b.dog.stop()
			return nil, err
		}
		m := &Message{Mailbox: b.c.selected, UIDValidity: b.c.mbox.UIDValidity}
		for {
			item := data.Next()
			if item == nil {
				break
			}
			switch it := item.(type) {
			case imapclient.FetchItemDataUID:
				m.UID = uint32(it.UID)
			case imapclient.FetchItemDataRFC822Size:
				m.Size = it.Size
			case imapclient.FetchItemDataInternalDate:
				m.InternalDate = it.Time
			case imapclient.FetchItemDataBodySection:
				if it.Literal == nil || m.UID == 0 {
					continue
				}
				m.Truncated = it.Literal.Size() > b.max || m.Size > b.max
				m.Length = min(it.Literal.Size(), b.max)
				b.body = &bodyReader{b: b, uid: m.UID, lit: it.Literal, left: b.max}
				m.Body = b.body
				return m, nil
			}
		}
		// A FETCH response without a body (the mail vanished meanwhile, or a flags update):
		// nothing to hand out.
	}
}

// close ends the command, draining what is left.
func (b *batch) close() error {
	if b.body != nil {
		b.body.finish()
		b.body = nil
	}
	if b.broken != nil {
		b.dog.stop()
		return b.broken
	}
	b.dog.arm()
	err := b.cmd.Close()
	b.dog.stop()
	return b.c.connErr(b.ctx, err)
}

// bodyReader reads one message's literal, up to the cap, each read bounded by the timeout.
type bodyReader struct {
	b    *batch
	uid  uint32
	lit  imap.LiteralReader
	left int64
	read int64 // bytes of the literal read so far
	err  error
}

func (r *bodyReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if r.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	r.b.dog.arm()
	n, err := r.lit.Read(p)
	r.b.dog.disarm()
	r.left -= int64(n)
	r.read += int64(n)
	if err == io.EOF && r.read < r.lit.Size() {
		// go-imap reads a literal through an io.LimitReader, which reports the connection's
		// end as the literal's: a mail cut short by a dropped connection would pass as whole.
		err = fmt.Errorf("literal ended after %d of %d bytes: %w", r.read, r.lit.Size(), io.ErrUnexpectedEOF)
	}
	if err != nil && err != io.EOF {
		err = r.b.c.connErr(r.b.ctx, err)
		r.err = err
		r.b.broken = err
		if !IsConnectionLost(err) {
			r.b.broken = &lostError{err: err}
		}
		r.b.c.ic.Close()
	}
	return n, err
}

// complete reports whether the caller read the body to its end (or to the cap) without error.
func (r *bodyReader) complete() bool {
	return r.err == nil && (r.left <= 0 || r.read == r.lit.Size())
}

// finish drains what the caller left unread, so that the command can go on.
func (r *bodyReader) finish() {
	if r.err == nil {
		r.b.dog.arm()
		discard(r.lit)
		r.b.dog.disarm()
	}
	r.err = io.ErrClosedPipe
}

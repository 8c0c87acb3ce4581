package imapfetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Item is one mail as listed by Inventory: enough to compare mailboxes before and after a run.
type Item struct {
	UID uint32
	// Flags are the mail's flags and keywords, sorted, without the session-bound \Recent.
	Flags []string
	// Digest is the SHA-256 of the whole mail, in hex.
	Digest string
}

// Inventory lists every mail in the mailbox with its flags and a digest of its content, in UID
// order. It reads bodies with BODY.PEEK[], so nothing changes on the server. It is meant for
// checks and tests on small mailboxes; it selects the mailbox (EXAMINE would do, but the stream
// expects SELECT), so call Open again afterwards.
func (c *Client) Inventory(ctx context.Context, mailbox string) ([]Item, error) {
	var items []Item
	err := c.retry(ctx, func() error {
		items = nil
		if _, err := c.selectOnce(ctx, mailbox); err != nil {
			return err
		}
		done := c.guard(ctx)
		defer done()
		var all imap.SeqSet
		all.AddRange(1, 0)
		if c.mbox.Messages == 0 {
			return nil
		}
		cmd := c.ic.Fetch(all, &imap.FetchOptions{UID: true, Flags: true, BodySection: []*imap.FetchItemBodySection{{Peek: true}}})
		for {
			data := cmd.Next()
			if data == nil {
				break
			}
			var it Item
			for item := data.Next(); item != nil; item = data.Next() {
				switch v := item.(type) {
				case imapclient.FetchItemDataUID:
					it.UID = uint32(v.UID)
				case imapclient.FetchItemDataFlags:
					for _, f := range v.Flags {
						if !strings.EqualFold(string(f), `\Recent`) {
							it.Flags = append(it.Flags, string(f))
						}
					}
					slices.Sort(it.Flags)
				case imapclient.FetchItemDataBodySection:
					if v.Literal != nil {
						h := sha256.New()
						io.Copy(h, v.Literal)
						it.Digest = hex.EncodeToString(h.Sum(nil))
					}
				}
			}
			items = append(items, it)
		}
		if err := cmd.Close(); err != nil {
			return fmt.Errorf("imapfetch: list %q: %w", mailbox, c.connErr(ctx, err))
		}
		return nil
	})
	slices.SortFunc(items, func(a, b Item) int { return int(a.UID) - int(b.UID) })
	return items, err
}

// Folders lists the names of all mailboxes of the account, sorted.
func (c *Client) Folders(ctx context.Context) ([]string, error) {
	var names []string
	err := c.retry(ctx, func() error {
		names = nil
		done := c.guard(ctx)
		defer done()
		list, err := c.ic.List("", "*", nil).Collect()
		if err != nil {
			return fmt.Errorf("imapfetch: list folders: %w", c.connErr(ctx, err))
		}
		for _, l := range list {
			names = append(names, l.Mailbox)
		}
		return nil
	})
	slices.Sort(names)
	return names, err
}

package testutil

import (
	"io"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// BareFetch is the yardstick the run is measured against: go-imap alone, with nothing of the
// project's. It logs in over plain text, selects INBOX and reads every mail with UID FETCH
// (UID RFC822.SIZE BODY.PEEK[]) over the mailbox's UIDs in batches of batch, dropping the
// bodies. It returns the number of mails read.
func BareFetch(tb testing.TB, addr, user, password string, batch int) int {
	return BareFetchAndFlag(tb, addr, user, password, batch, "")
}

// BareFetchAndFlag is BareFetch that also flags each batch with keyword once it is read (UID
// STORE +FLAGS.SILENT), when keyword is not empty: the yardstick of a run that flags the
// mails it processed, the server doing the same marking for both.
func BareFetchAndFlag(tb testing.TB, addr, user, password string, batch int, keyword string) int {
	tb.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, password).Wait(); err != nil {
		tb.Fatal(err)
	}
	sel, err := c.Select("INBOX", nil).Wait()
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for start := imap.UID(1); start < sel.UIDNext; start += imap.UID(batch) {
		var set imap.UIDSet
		set.AddRange(start, min(start+imap.UID(batch), sel.UIDNext)-1)
		cmd := c.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true, BodySection: []*imap.FetchItemBodySection{{Peek: true}}})
		for m := cmd.Next(); m != nil; m = cmd.Next() {
			for it := m.Next(); it != nil; it = m.Next() {
				if body, ok := it.(imapclient.FetchItemDataBodySection); ok {
					io.Copy(io.Discard, body.Literal)
					n++
				}
			}
		}
		if err := cmd.Close(); err != nil {
			tb.Fatal(err)
		}
		if keyword == "" {
			continue
		}
		store := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.Flag(keyword)}}
		if err := c.Store(set, store, nil).Close(); err != nil {
			tb.Fatal(err)
		}
	}
	if err := c.Logout().Wait(); err != nil {
		tb.Fatal(err)
	}
	return n
}

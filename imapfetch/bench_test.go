package imapfetch_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/bounceproc/bounceproc/imapfetch"
	"github.com/bounceproc/bounceproc/internal/testutil"
)

// benchMails are n distinct bounces made from one sample: the same mails the run benchmark in
// cmd/bounceproc uses.
func benchMails(b *testing.B, n int) [][]byte {
	raw, err := os.ReadFile("../testdata/eml/exim/rcpt-rejected.eml")
	if err != nil {
		b.Fatal(err)
	}
	base := string(raw)
	out := make([][]byte, n)
	for i := range out {
		out[i] = []byte(strings.ReplaceAll(base, "dave@example.org", fmt.Sprintf("user%05d@example.org", i)))
	}
	return out
}

func benchDovecot(b *testing.B, n int) *testutil.Dovecot {
	d := testutil.StartDovecot(b)
	d.Seed(b, "", benchMails(b, n)...)
	// Let Dovecot index the new mails before timing.
	c, err := imapfetch.Dial(context.Background(), imapfetch.Config{Addr: d.Addr, TLS: imapfetch.TLSNone, AllowPlaintext: true, User: d.User, Password: d.Password})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Select(context.Background(), "INBOX"); err != nil {
		b.Fatal(err)
	}
	c.Close()
	return d
}

// BenchmarkBareFetch10k is the yardstick: go-imap alone, UID FETCH (UID RFC822.SIZE
// BODY.PEEK[]) in batches of DefaultBatchSize (as the stream fetches) over 10,000 bounces in
// Dovecot, bodies read and dropped.
func BenchmarkBareFetch10k(b *testing.B) {
	d := benchDovecot(b, 10000)
	b.ResetTimer()
	for b.Loop() {
		c, err := imapclient.DialInsecure(d.Addr, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Login(d.User, d.Password).Wait(); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Select("INBOX", nil).Wait(); err != nil {
			b.Fatal(err)
		}
		n := 0
		for start := uint32(1); start <= 10000; start += imapfetch.DefaultBatchSize {
			var set imap.UIDSet
			set.AddRange(imap.UID(start), imap.UID(start+imapfetch.DefaultBatchSize-1))
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
				b.Fatal(err)
			}
		}
		c.Logout().Wait()
		c.Close()
		if n != 10000 {
			b.Fatalf("fetched %d mails, want 10000", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/10000, "µs/mail")
}

// BenchmarkStream10k is the same fetch through imapfetch's stream.
func BenchmarkStream10k(b *testing.B) {
	d := benchDovecot(b, 10000)
	b.ResetTimer()
	for b.Loop() {
		c, err := imapfetch.Dial(context.Background(), imapfetch.Config{Addr: d.Addr, TLS: imapfetch.TLSNone, AllowPlaintext: true, User: d.User, Password: d.Password})
		if err != nil {
			b.Fatal(err)
		}
		s, err := c.Open(context.Background(), "INBOX", 0, imapfetch.StreamOptions{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			m, err := s.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, m.Body)
			s.Done(m.UID, imapfetch.Mark{})
			n++
		}
		s.Close()
		c.Close()
		if n != 10000 {
			b.Fatalf("streamed %d mails, want 10000", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/10000, "µs/mail")
}

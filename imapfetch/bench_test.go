package imapfetch_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

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

// BenchmarkBareFetch10k is the yardstick (testutil.BareFetch): go-imap alone, in batches of
// DefaultBatchSize (as the stream fetches) over 10,000 bounces in Dovecot.
func BenchmarkBareFetch10k(b *testing.B) {
	d := benchDovecot(b, 10000)
	b.ResetTimer()
	for b.Loop() {
		if n := testutil.BareFetch(b, d.Addr, d.User, d.Password, imapfetch.DefaultBatchSize); n != 10000 {
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

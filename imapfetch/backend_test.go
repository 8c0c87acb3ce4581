package imapfetch_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/imapfetch"
	"github.com/bounceproc/bounceproc/internal/testutil"
)

// backend is an IMAP server the suite runs against: go-imap's in-memory server or a real
// Dovecot.
type backend struct {
	name string
	// cfg dials the plain-text listener.
	cfg  imapfetch.Config
	seed func(t testing.TB, folder string, mails ...[]byte)
	// resetValidity gives the folder a new UIDVALIDITY.
	resetValidity func(t testing.TB, folder string)
	dovecot       *testutil.Dovecot
}

func memBackend(t testing.TB, opts imapfetch.MemServerOptions) *backend {
	srv, err := imapfetch.StartMemServer("bounce", "pw-mem", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &backend{
		name: "memserver",
		cfg:  imapfetch.Config{Addr: srv.Addr(), TLS: imapfetch.TLSNone, AllowPlaintext: true, User: "bounce", Password: "pw-mem", Timeout: 10 * time.Second, Backoff: 10 * time.Millisecond},
		seed: func(t testing.TB, folder string, mails ...[]byte) {
			if folder == "" {
				folder = "INBOX"
			}
			for _, m := range mails {
				if _, err := srv.Append(folder, m, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
		},
		resetValidity: func(t testing.TB, folder string) {
			// The in-memory server only changes UIDVALIDITY by recreating the mailbox, which
			// empties it: keep the mails and put them back.
			ctx := context.Background()
			c, err := imapfetch.Dial(ctx, imapfetch.Config{Addr: srv.Addr(), TLS: imapfetch.TLSNone, AllowPlaintext: true, User: "bounce", Password: "pw-mem"})
			if err != nil {
				t.Fatal(err)
			}
			bodies := allBodies(t, c, folder)
			c.Close()
			if err := srv.Recreate(folder); err != nil {
				t.Fatal(err)
			}
			for _, b := range bodies {
				if _, err := srv.Append(folder, b, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
		},
	}
}

func dovecotBackend(t testing.TB) *backend {
	d := testutil.StartDovecot(t)
	next := uint32(time.Now().Unix())
	return &backend{
		name:    "dovecot",
		cfg:     imapfetch.Config{Addr: d.Addr, TLS: imapfetch.TLSNone, AllowPlaintext: true, User: d.User, Password: d.Password, Timeout: 10 * time.Second, Backoff: 10 * time.Millisecond},
		seed:    d.Seed,
		dovecot: d,
		resetValidity: func(t testing.TB, folder string) {
			next += 1000
			d.ResetUIDValidity(t, folder, next)
		},
	}
}

// eachBackend runs f as a subtest against the in-memory server and against Dovecot.
func eachBackend(t *testing.T, f func(t *testing.T, b *backend)) {
	t.Run("memserver", func(t *testing.T) {
		t.Parallel()
		f(t, memBackend(t, imapfetch.MemServerOptions{}))
	})
	t.Run("dovecot", func(t *testing.T) {
		t.Parallel()
		f(t, dovecotBackend(t))
	})
}

func dial(t testing.TB, cfg imapfetch.Config) *imapfetch.Client {
	t.Helper()
	c, err := imapfetch.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Dial(%s): %v", cfg.Addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// testMail returns a small mail with a recognisable Message-ID and a body padded to about size
// bytes.
func testMail(i, size int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: MAILER-DAEMON@example.org\r\nTo: postmaster@example.com\r\nSubject: test %d\r\nMessage-ID: <test-%d@example.org>\r\nDate: Sun, 22 Nov 2026 09:00:00 +0000\r\n\r\n", i, i)
	line := strings.Repeat("x", 70) + "\r\n"
	for b.Len() < size {
		b.WriteString(line)
	}
	return b.Bytes()
}

func allBodies(t testing.TB, c *imapfetch.Client, folder string) [][]byte {
	t.Helper()
	s, err := c.Open(context.Background(), folder, 0, imapfetch.StreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out [][]byte
	for {
		m, err := s.Next()
		if err != nil {
			break
		}
		var buf bytes.Buffer
		buf.ReadFrom(m.Body)
		out = append(out, buf.Bytes())
	}
	return out
}

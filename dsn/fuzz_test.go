package dsn_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/bounceproc/bounceproc/dsn"
	"github.com/bounceproc/bounceproc/internal/testutil"
)

// FuzzParse checks that Parse never panics and that input it cannot make sense of leaves at
// least one problem behind.
func FuzzParse(f *testing.F) {
	for _, p := range testutil.Samples(f) {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte(""))
	f.Add([]byte("garbage"))
	f.Add([]byte("Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\n"))
	f.Add([]byte("From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\n\n<a@example.org>: host x said: 550 5.1.1 unknown\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := dsn.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("Parse returned an error for in-memory input: %v", err)
		}
		if rep.Kind == dsn.KindUnknown && len(rep.Recipients) == 0 && len(rep.Problems) == 0 {
			t.Errorf("input of %d bytes made no sense yet left no problem", len(data))
		}
		for _, p := range rep.Problems {
			if p.Code == dsn.ProblemInternal {
				t.Errorf("a decoder failed: %s", p.Detail)
			}
		}
		for _, r := range rep.Recipients {
			if r.Address == "" {
				t.Errorf("recipient without an address: %+v", r)
			}
		}
	})
}

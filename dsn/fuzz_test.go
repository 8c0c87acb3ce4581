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

// FuzzParseCost checks that decoding costs linear work and memory: the bytes allocated stay
// within allocPerByte per byte of input plus allocFixed, and the work counted against
// Limits.MaxWork within workPerByte per byte plus workFixed. A quadratic path shows up as
// an input that breaks one of them. The seeds are the shapes of costShapes.
func FuzzParseCost(f *testing.F) {
	for _, sh := range costShapes {
		f.Add(sh.mail(4 << 10))
	}
	for _, p := range testutil.Samples(f) {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		buf := bytes.Clone(data)
		if n := allocatedBy(func() { dsn.ParseBytes(buf) }); n > uint64(allocPerByte*len(data)+allocFixed) {
			t.Errorf("decoding %d bytes allocated %d bytes, more than %d per byte plus %d", len(data), n, allocPerByte, allocFixed)
		}
		lim := dsn.Limits{MaxWork: int64(workPerByte*len(data) + workFixed)}
		if p := tooCostly(dsn.ParseBytesLimits(t.Context(), bytes.Clone(data), lim)); p != nil {
			t.Errorf("decoding %d bytes: %s", len(data), p.Detail)
		}
	})
}

package dsn

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/internal/testutil"
)

// parseHeaderEach is appendHeaderString as it was before setUnfolded: each folded value is
// unfolded on its own. The tests hold appendHeaderString to it.
func parseHeaderEach(s string) (header, int) {
	var h header
	bad := 0
	for len(s) > 0 {
		var line string
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			line, s = s, ""
		}
		if len(line) == 0 {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(h) > 0 {
				h[len(h)-1].Value += " " + strings.TrimSpace(line)
				continue
			}
			bad++
			continue
		}
		colon := strings.IndexByte(line, ':')
		var name string
		if colon > 0 {
			name = strings.TrimRight(line[:colon], " \t")
		}
		if !isFieldName(name) {
			bad++
			continue
		}
		value := strings.TrimSpace(line[colon+1:])
		if n := foldedLines(s); n > 0 {
			value = unfold(value, s[:n])
			s = s[n:]
		}
		h = append(h, Field{Name: name, Value: value})
	}
	return h, bad
}

func checkHeader(t *testing.T, s string) {
	t.Helper()
	bad := 0
	got := appendHeaderString(nil, s, func(string) { bad++ })
	want, wantBad := parseHeaderEach(s)
	if !slices.Equal(got, want) || bad != wantBad {
		t.Errorf("appendHeaderString(%q) = %q (%d bad), want %q (%d bad)", s, got, bad, want, wantBad)
	}
}

var headerCases = []string{
	"", "\n", "A: b", "A: b\n c\n", "A: b\n c\nbad\n d\nE: f\n", "A: b\n\tc\n\n d\nB: x\n y",
	" lead\nA: b\n", "A: b\nbad\n c\n d\n", "A:\n \n\t\nB: c\n d",
}

func TestHeaderUnfoldAgrees(t *testing.T) {
	var many strings.Builder
	for i := range 40 {
		fmt.Fprintf(&many, "F%d: v%d\n\tw%d\n", i, i, i)
		if i%7 == 0 {
			many.WriteString("bad line\n  after bad\n")
		}
	}
	for _, s := range append(headerCases, many.String()) {
		checkHeader(t, s)
	}
	for _, p := range testutil.Samples(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		hdr, _ := splitHeader(normalizeEOL(b))
		checkHeader(t, string(hdr))
	}
}

func FuzzHeaderUnfold(f *testing.F) {
	for _, s := range headerCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkHeader(t, s)
	})
}

func TestArrived(t *testing.T) {
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC1123Z, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		name, header string
		want         time.Time
	}{
		{"newest Received wins", "Received: from mx.example.net by imap.example.org with LMTP id 7;\r\n" +
			"\tSun, 22 Nov 2026 18:24:19 +0000 (UTC)\r\nReceived: from a by b; Sun, 22 Nov 2026 18:20:00 +0000\r\n" +
			"Date: Sun, 22 Nov 2026 18:19:00 +0100\r\n", at("Sun, 22 Nov 2026 18:24:19 +0000")},
		{"Date when Received has no date", "Received: from a by b with ESMTP id 1\r\nDate: Mon, 2 Mar 2026 01:02:03 +0900\r\n",
			at("Mon, 02 Mar 2026 01:02:03 +0900")},
		{"Date when Received's date is garbage", "Received: from a by b; yesterday noon\r\nDate: Mon, 2 Mar 2026 01:02:03 -0500\r\n",
			at("Mon, 02 Mar 2026 01:02:03 -0500")},
		{"neither", "Received: from a by b\r\nDate: soon\r\n", time.Time{}},
		{"no such fields", "Subject: hello\r\n", time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := ParseBytes([]byte(tc.header + "From: MAILER-DAEMON@example.net\r\n\r\nbody\r\n"))
			if !rep.Arrived.Equal(tc.want) {
				t.Errorf("Arrived = %v, want %v", rep.Arrived, tc.want)
			}
		})
	}
}

package dsn

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/internal/testutil"
)

// TestParseReusesNothing decodes every sample in order, then all of them again at once, in
// reverse order: parseBytes reuses its mail structs (mailPool), and a report must not depend
// on the mail decoded before it or beside it.
func TestParseReusesNothing(t *testing.T) {
	paths := testutil.Samples(t)
	mails := make([][]byte, len(paths))
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		mails[i] = b
	}
	parse := func(i int) *Report { return ParseBytes(append([]byte(nil), mails[i]...)) }
	first := make([]*Report, len(mails))
	for i := range mails {
		first[i] = parse(i)
	}
	again := make([]*Report, len(mails))
	done := make(chan struct{})
	for i := len(mails) - 1; i >= 0; i-- {
		go func() {
			again[i] = parse(i)
			done <- struct{}{}
		}()
	}
	for range mails {
		<-done
	}
	for i, p := range paths {
		if !reflect.DeepEqual(first[i], again[i]) {
			t.Errorf("%s: decoded twice, the reports differ", p)
		}
	}
}

// TestEmptyTextParts checks that empty text parts, which addText keeps as line breaks, leave
// the main text as joining every part would.
func TestEmptyTextParts(t *testing.T) {
	for _, parts := range [][]string{
		{"a", "", "", "b", ""},
		{"", "", "a"},
		{"", ""},
		{"a", "", "<p>x</p>", "", "b"},
	} {
		var b strings.Builder
		b.WriteString("From: x@example.org\nContent-Type: multipart/mixed; boundary=b\n\n")
		var want []string
		for _, p := range parts {
			ct := "text/plain"
			if strings.HasPrefix(p, "<") {
				ct = "text/html"
			} else {
				want = append(want, p)
			}
			fmt.Fprintf(&b, "--b\nContent-Type: %s\n\n%s\n", ct, p)
		}
		b.WriteString("--b--\n")
		m := &mail{lim: Limits{}.withDefaults(), rep: &Report{}}
		hdr, body := splitHeader([]byte(b.String()))
		m.header = parseHeader(hdr, nil)
		m.walkAll(m.header, body, 0)
		if got := m.text(); got != strings.Join(want, "\n") {
			t.Errorf("parts %q: text() = %q, want %q", parts, got, strings.Join(want, "\n"))
		}
	}
}

package dsn

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

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

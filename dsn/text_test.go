package dsn

import (
	"os"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/internal/testutil"
)

// TestGramsNoFalseNegative checks that grams never rule out a substring of the text it
// summarises: every substring of every sample's lower-cased text, at every length up to 40.
func TestGramsNoFalseNegative(t *testing.T) {
	for _, p := range testutil.Samples(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s := lowerASCII(string(b))
		if len(s) > 4<<10 {
			s = s[:4<<10]
		}
		g := newGrams(s)
		for i := range len(s) {
			for n := 0; n <= 40 && i+n <= len(s); n++ {
				if sub := s[i : i+n]; !g.mayContain(sub) {
					t.Fatalf("%s: mayContain(%q) = false for a substring of the text", p, sub)
				}
			}
		}
	}
}

// TestGramsRuleOut checks that grams do their job: markers absent from a short text are
// mostly ruled out.
func TestGramsRuleOut(t *testing.T) {
	text := lowerASCII("This message was created automatically by mail delivery software.\n\n" +
		"A message that you sent could not be delivered to one or more of its recipients.\n")
	absent := []string{
		"diagnostic information for administrators", "delivery has failed to these recipients or groups:",
		"did not reach the following recipient(s):", "running the courier mail server",
		"this is the dragonfly mail agent", "----- transcript of session follows -----",
		"sorry, we were unable to deliver your message", "the group you tried to contact",
	}
	g := newGrams(text)
	ruledOut := 0
	for _, mk := range absent {
		if strings.Contains(text, mk) {
			t.Fatalf("test marker %q is in the text", mk)
		}
		if !g.mayContain(mk) {
			ruledOut++
		}
	}
	if ruledOut < len(absent)-1 {
		t.Errorf("grams ruled out %d of %d absent markers, want at least %d", ruledOut, len(absent), len(absent)-1)
	}
	for _, s := range []string{"", "a", "ab", "mail delivery", text} {
		if !g.mayContain(s) {
			t.Errorf("mayContain(%q) = false for a substring of the text", s)
		}
	}
}

func TestCollapseBlanks(t *testing.T) {
	tests := []string{
		"", " ", "a", " a", "a ", "a b", "a  b", "a\tb", "a\nb\n", "\v\fa\r\n b  ", "already clean text",
		"non\u00a0breaking", "next\u0085line", "ünïcödé  text", "\xff invalid  utf-8 ",
	}
	for _, s := range tests {
		if got, want := collapseBlanks(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseBlanks(%q) = %q, want %q", s, got, want)
		}
	}
	// Every line and paragraph of the samples.
	for _, p := range testutil.Samples(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range strings.Split(string(b), "\n\n") {
			if got, want := collapseBlanks(s), strings.Join(strings.Fields(s), " "); got != want {
				t.Fatalf("%s: collapseBlanks(%q) = %q, want %q", p, s, got, want)
			}
		}
	}
}

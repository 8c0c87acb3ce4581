package dsn

import (
	"os"
	"slices"
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

// bitGrams is the bit set that grams were before a byte per slot replaced it, kept as the
// oracle: for a text of up to pooledGramSlots/4 bytes both hash to the same places and must
// rule out the same markers.
type bitGrams struct {
	bits  []uint64
	shift uint
}

func newBitGrams(s string) bitGrams {
	logBits := uint(10)
	for logBits < 24 && 1<<logBits < 4*len(s) {
		logBits++
	}
	g := bitGrams{bits: make([]uint64, 1<<logBits/64), shift: 32 - logBits}
	if len(s) < 3 {
		return g
	}
	h := uint32(s[0])<<8 | uint32(s[1])
	for i := 2; i < len(s); i++ {
		h = h<<8 | uint32(s[i])
		x := gramHash(h, g.shift)
		g.bits[x>>6] |= 1 << (x & 63)
	}
	return g
}

func (g *bitGrams) mayContain(sub string) bool {
	if len(sub) < 3 {
		return true
	}
	h := uint32(sub[0])<<8 | uint32(sub[1])
	for i := 2; i < len(sub); i++ {
		h = h<<8 | uint32(sub[i])
		x := gramHash(h, g.shift)
		if g.bits[x>>6]&(1<<(x&63)) == 0 {
			return false
		}
	}
	return true
}

// checkGramsLikeBits checks grams against bitGrams of the lower-cased text, and against
// strings.Contains, for one text and marker.
func checkGramsLikeBits(t *testing.T, text, sub string) {
	t.Helper()
	lower := lowerASCII(text)
	g, old := newGrams(text), newBitGrams(lower)
	defer g.release()
	got := g.mayContain(sub)
	if len(text) <= pooledGramSlots/4 {
		if want := old.mayContain(sub); got != want {
			t.Errorf("newGrams(%.40q).mayContain(%q) = %v, the bit set says %v", text, sub, got, want)
		}
	}
	if !got && strings.Contains(lower, sub) {
		t.Errorf("newGrams(%.40q).mayContain(%q) = false for a substring", text, sub)
	}
}

// TestGramsLikeBits compares grams with the bit set they replaced on the samples' texts and
// the markers of the decoders, and checks a long text (past the pooled size) for false
// negatives.
func TestGramsLikeBits(t *testing.T) {
	markers := slices.Concat(bounceSubjects, failureWords, originalMarkers, exchange2003Starts, eximMarkers,
		[]string{"", "a", "ab", "abc", "mail delivery", "zzz"})
	for _, p := range testutil.Samples(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{0, 2, 3, 100, 4 << 10, len(b)} {
			text := lowerASCII(string(b[:min(n, len(b))]))
			for _, mk := range markers {
				checkGramsLikeBits(t, text, mk)
			}
		}
	}
	long := strings.Repeat("this message was created automatically by mail delivery software. ", 2000)
	for _, mk := range markers {
		checkGramsLikeBits(t, long, mk)
	}
}

// FuzzGrams compares grams with the bit set they replaced on arbitrary text and markers.
func FuzzGrams(f *testing.F) {
	f.Add("this message was created automatically by mail delivery software", "mail delivery")
	f.Add("This Message Was Created", "message was")
	f.Add("abc", "abd")
	f.Fuzz(func(t *testing.T, text, sub string) {
		checkGramsLikeBits(t, text, sub)
		lower := lowerASCII(text)
		for i := 0; i+3 <= len(text) && i < 64; i++ {
			checkGramsLikeBits(t, text, lower[i:min(len(text), i+3+i%7)])
		}
	})
}

// checkIndexLower checks indexLowerASCII, indexWrappedLower and firstOfLower against
// searching the lower-cased text.
func checkIndexLower(t *testing.T, s, sub string) {
	t.Helper()
	lower := lowerASCII(s)
	if got, want := indexLowerASCII(s, sub), strings.Index(lower, sub); got != want {
		t.Errorf("indexLowerASCII(%q, %q) = %d, want %d", s, sub, got, want)
	}
	if got, want := indexWrappedLower(s, sub), strings.Index(lowerASCII(strings.ReplaceAll(s, "\n", " ")), sub); got != want {
		t.Errorf("indexWrappedLower(%q, %q) = %d, want %d", s, sub, got, want)
	}
	markers := []string{sub, "delivery", "x"}
	gotAt, gotN := firstOfLower(s, markers)
	if wantAt, wantN := firstOf(lower, markers); gotAt != wantAt || gotN != wantN {
		t.Errorf("firstOfLower(%q, %q) = %d, %d, want %d, %d", s, markers, gotAt, gotN, wantAt, wantN)
	}
}

// TestIndexLowerASCII compares indexLowerASCII with a search of the lower-cased text.
func TestIndexLowerASCII(t *testing.T) {
	tests := []struct{ name, s, sub string }{
		{"empty both", "", ""},
		{"empty sub", "abc", ""},
		{"empty text", "", "a"},
		{"same case", "mail delivery failed", "delivery"},
		{"upper text", "MAIL DELIVERY FAILED", "delivery failed"},
		{"mixed text", "Mail Delivery Failed", "mail delivery"},
		{"capital in sub", "Mail Delivery", "Mail"},
		{"capital later in sub", "mail delivery", "mail Delivery"},
		{"not there", "mail delivery", "failed"},
		{"at the end", "abcXYZ", "xyz"},
		{"longer sub", "ab", "abc"},
		{"first byte no letter", "a --- copy ---", "--- copy"},
		{"non-ASCII kept", "ÉTÉ été", "été"},
		{"non-ASCII not folded", "ÉTÉ", "été"},
		{"kelvin", "Kelvin kelvin", "kelvin"},
		{"invalid UTF-8", "ÿABÿ ab", "ÿab"},
		{"many candidates", "aaaaaaaaaaaaaaaaaaaaAAAAAAAAAAAAAAab", "aab"},
		{"wrapped", "The following\nAddress(es) failed:", "following address(es) failed:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkIndexLower(t, tc.s, tc.sub) })
	}
}

// FuzzIndexLowerASCII compares indexLowerASCII with a search of the lower-cased text on
// arbitrary text and markers.
func FuzzIndexLowerASCII(f *testing.F) {
	f.Add("Mail Delivery Failed", "delivery")
	f.Add("Kelvin", "kelvin")
	f.Fuzz(func(t *testing.T, s, sub string) {
		checkIndexLower(t, s, sub)
		checkIndexLower(t, s, lowerASCII(sub))
		if len(s) > 2 {
			checkIndexLower(t, s, lowerASCII(s[len(s)/3:len(s)/3+len(s)/3]))
		}
	})
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

func TestHasPrefixLower(t *testing.T) {
	tests := []struct {
		s, prefix string
	}{
		{"Generated by x", "generated by "}, {"generated by", "generated by "}, {"HOST mx", "host "},
		{"", "host "}, {"hos", "host "}, {"(Ultimately generated from a)", "(ultimately generated from "},
		{"(ultİmately generated from a)", "(ultimately generated from "}, // U+0130 lower-cases to 'i'
		{"\u212Aey", "key"}, {"ho\xffst ", "host "}, {"host", ""},
	}
	for _, tt := range tests {
		if got, want := hasPrefixLower(tt.s, tt.prefix), strings.HasPrefix(strings.ToLower(tt.s), tt.prefix); got != want {
			t.Errorf("hasPrefixLower(%q, %q) = %v, want %v", tt.s, tt.prefix, got, want)
		}
	}
}

func TestEqualLower(t *testing.T) {
	for _, tt := range []struct{ s, lower string }{
		{"X-Mailer", "x-mailer"}, {"x-mailer", "x-mailer"}, {"X-Mailers", "x-mailer"}, {"", ""}, {"X", "x-mailer"},
		{"x-maİler", "x-mailer"}, // U+0130 lower-cases to 'i'
		{"\u212A", "k"}, {"\xff", "\xff"},
	} {
		if got, want := equalLower(tt.s, tt.lower), strings.ToLower(tt.s) == tt.lower; got != want {
			t.Errorf("equalLower(%q, %q) = %v, want %v", tt.s, tt.lower, got, want)
		}
	}
}

func TestLowerASCII(t *testing.T) {
	for _, s := range []string{"", "abc", "ABC", "MiXeD ÄÖ Straße \xff", strings.Repeat("Hello World ", 100), "already lower " + strings.Repeat("x", 600) + "END"} {
		want := []byte(s)
		for i, c := range want {
			if 'A' <= c && c <= 'Z' {
				want[i] = c + 'a' - 'A'
			}
		}
		if got := lowerASCII(s); got != string(want) {
			t.Errorf("lowerASCII(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestAppendLower(t *testing.T) {
	for _, s := range []string{"", "Final-Recipient", "x-foo", "X-LONG-" + strings.Repeat("NAME", 20)} {
		if got, want := string(appendLower(nil, s)), strings.ToLower(s); got != want {
			t.Errorf("appendLower(nil, %q) = %q, want %q", s, got, want)
		}
	}
}

func TestIndexWrappedLower(t *testing.T) {
	tests := []struct{ s, sub string }{
		{"the following address(es) failed:\n  a@example.org", "the following address(es) failed:"},
		{"The following\naddress(es) failed:", "following address(es) failed:"},
		{"x the following\naddress(es) failed: and the following address(es) failed:", "the following address(es) failed:"},
		{"the following address(es)\n\nfailed:", "the following address(es) failed:"},
		{"address(es) failed", "the following address(es) failed"},
		{"the following address(es) fail", "the following address(es) failed"},
		{"aaa aab aaa aaa", "aaa aaa"},
		{"a\nb", "a b"},
		{"a\nb", " "},
		{"ab", ""},
		{"", "a"},
		{"THE FOLLOWING\nADDRESS(ES) FAILED:", "the following address(es) failed:"},
		{"The Following address(es) failed:", "The following"},
		{"x\u00c9t\u00e9 \u00e9t\u00e9", "\u00e9t\u00e9"},
	}
	for _, tc := range tests {
		want := strings.Index(lowerASCII(strings.ReplaceAll(tc.s, "\n", " ")), tc.sub)
		if got := indexWrappedLower(tc.s, tc.sub); got != want {
			t.Errorf("indexWrappedLower(%q, %q) = %d, want %d", tc.s, tc.sub, got, want)
		}
	}
}

// TestLowerASCIIEveryByte checks the eight-bytes-at-a-time lower-casing against the
// byte-by-byte rule, for every byte value at every position among varied neighbours.
func TestLowerASCIIEveryByte(t *testing.T) {
	lower := func(c byte) byte {
		if 'A' <= c && c <= 'Z' {
			return c + 'a' - 'A'
		}
		return c
	}
	var in, want [264]byte
	for step := 1; step < 256; step += 2 { // odd steps visit every byte value
		for i := range in {
			in[i] = byte(i * step)
			want[i] = lower(in[i])
		}
		for off := 0; off < 8; off++ {
			s := string(in[off:])
			if got := lowerASCII(s); got != string(want[off:]) {
				t.Fatalf("lowerASCII(%q) = %q, want %q", s, got, want[off:])
			}
		}
	}
}

// TestIsMarkerLine checks that a line starting with a marker of the returned message's copy
// is one whatever its ASCII case, and that a report marker, a cut marker and prose are not.
func TestIsMarkerLine(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"----- Original Message ----- (kept)", true},
		{"------ THIS IS A COPY OF THE MESSAGE, including all the headers.", true},
		{"The original message was received at Mon, 1 Jan 2024", false}, // a report marker
		{"----- Original Messa", false},
		{"İ----- original message -----", false},
		{"550 user unknown", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := isMarkerLine(tc.line); got != tc.want {
			t.Errorf("isMarkerLine(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

// TestTextContainsAny checks that textContainsAny finds the same markers in the main text
// and its prefixes before and after the lower-cased copy of the text is made.
func TestTextContainsAny(t *testing.T) {
	text := "Delivery to the following recipient FAILED permanently:\n\n  a@example.org\n"
	tests := []struct {
		s       string
		markers []string
		want    bool
	}{
		{text, []string{"failed permanently"}, true},
		{text, []string{"no such marker", "following recipient"}, true},
		{text, []string{"FAILED"}, false}, // markers are lower-case
		{text[:20], []string{"failed permanently"}, false},
		{text, []string{"a@example.org\n"}, true},
	}
	for _, lowered := range []bool{false, true} {
		m := &mail{mainText: text}
		if lowered {
			m.lowerText()
		}
		for _, tc := range tests {
			if got := m.textContainsAny(tc.s, tc.markers); got != tc.want {
				t.Errorf("lowered %v: textContainsAny(%q, %q) = %v, want %v", lowered, tc.s, tc.markers, got, tc.want)
			}
		}
		m.grams.release()
	}
}

// TestRecent checks that recent computes a value once for a key asked again while it is
// among the last four, and again once it has dropped out.
func TestRecent(t *testing.T) {
	var c recent
	calls := 0
	f := func(k string) string { calls++; return strings.ToUpper(k) }
	for _, k := range []string{"a", "a", "b", "a", "c", "d", "b"} {
		if got := c.of(k, f); got != strings.ToUpper(k) {
			t.Fatalf("of(%q) = %q, want %q", k, got, strings.ToUpper(k))
		}
	}
	if calls != 4 {
		t.Errorf("4 keys asked 7 times: %d calls, want 4", calls)
	}
	c.of("e", f) // a, the first kept, drops out
	c.of("a", f)
	if calls != 6 {
		t.Errorf("after a fifth key and the first again: %d calls, want 6", calls)
	}
}

package dsn

import (
	"bytes"
	"io"
	"mime/quotedprintable"
	"strings"
	"testing"
)

func TestSplitMultipart(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		parts      []string
		wantClosed bool
	}{
		{"two parts", "preamble\n--b\nA: 1\n\none\n--b\n\ntwo\n--b--\nepilogue", []string{"A: 1\n\none", "\ntwo"}, true},
		{"no closing delimiter", "--b\n\none\n--b\n\ntwo\n", []string{"\none", "\ntwo\n"}, false},
		{"delimiter must start a line", "--b\n\nx --b y\n--b--", []string{"\nx --b y"}, true},
		{"transport padding", "--b  \n\none\n--b--  \n", []string{"\none"}, true},
		{"no delimiter at all", "just text", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts, closed := splitMultipart([]byte(tt.body), "b")
			var got []string
			for _, p := range parts {
				got = append(got, string(p))
			}
			if strings.Join(got, "|") != strings.Join(tt.parts, "|") || closed != tt.wantClosed {
				t.Errorf("splitMultipart(%q) = %q, %v, want %q, %v", tt.body, got, closed, tt.parts, tt.wantClosed)
			}
		})
	}
}

func TestNormalizeEOL(t *testing.T) {
	tests := map[string]string{
		"a\r\nb\r\n": "a\nb\n",
		"a\rb\r":     "a\nb\n",
		"a\nb":       "a\nb",
		"a\r\r\nb":   "a\n\nb",
	}
	for in, want := range tests {
		if got := string(normalizeEOL([]byte(in))); got != want {
			t.Errorf("normalizeEOL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNormalizeEOLEveryMix compares normalizeEOL with a byte-at-a-time reading of its rule
// on every string of up to eight bytes drawn from CR, LF and a letter.
func TestNormalizeEOLEveryMix(t *testing.T) {
	want := func(in []byte) string {
		var out []byte
		for i, c := range in {
			if c == '\r' {
				if i+1 < len(in) && in[i+1] == '\n' {
					continue
				}
				c = '\n'
			}
			out = append(out, c)
		}
		return string(out)
	}
	alphabet := []byte("\r\na")
	for n := 0; n <= 8; n++ {
		in := make([]byte, n)
		for k := 0; k < pow(len(alphabet), n); k++ {
			for i, x := 0, k; i < n; i, x = i+1, x/len(alphabet) {
				in[i] = alphabet[x%len(alphabet)]
			}
			w := want(in)
			if got := string(normalizeEOL(bytes.Clone(in))); got != w {
				t.Fatalf("normalizeEOL(%q) = %q, want %q", in, got, w)
			}
		}
	}
}

func pow(b, e int) int {
	r := 1
	for range e {
		r *= b
	}
	return r
}

func TestDecodeBase64(t *testing.T) {
	tests := []struct {
		name, in, want string
		damaged        bool
	}{
		{"clean", "aGVsbG8gd29ybGQ=", "hello world", false},
		{"line breaks", "aGVs\nbG8g\r\nd29y\nbGQ=", "hello world", false},
		{"truncated mid-unit", "aGVsbG8gd29yb", "hello wor", true},
		{"junk characters", "aGVs*bG8=", "hello", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, damaged := decodeBase64([]byte(tt.in))
			if string(got) != tt.want || damaged != tt.damaged {
				t.Errorf("decodeBase64(%q) = %q, %v, want %q, %v", tt.in, got, damaged, tt.want, tt.damaged)
			}
		})
	}
}

func TestTypedAddress(t *testing.T) {
	tests := []struct {
		in, typ, addr string
		global        bool
	}{
		{"rfc822; user@example.org", "rfc822", "user@example.org", false},
		{"RFC822; <User@Example.org>", "rfc822", "User@Example.org", false},
		{"rfc822; user+2Btag@example.org", "rfc822", "user+tag@example.org", false},
		{"rfc822; user@example.org (the boss)", "rfc822", "user@example.org", false},
		{"utf-8; j\\x{00F6}rg@b\\x{00FC}cher.example", "utf-8", "jörg@bücher.example", false},
		{"utf-8; 用户@例子.example", "utf-8", "用户@例子.example", true},
		{"user@example.org", "", "user@example.org", false},
	}
	for _, tt := range tests {
		typ, addr := typedAddress(tt.in, tt.global)
		if typ != tt.typ || addr != tt.addr {
			t.Errorf("typedAddress(%q) = %q, %q, want %q, %q", tt.in, typ, addr, tt.typ, tt.addr)
		}
	}
}

func TestFindAddresses(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"<a@example.org>: host said 550", []string{"a@example.org"}},
		{"mailto:b.c@example.net.", []string{"b.c@example.net"}},
		{"pipe |/usr/bin/x and 192.0.2.1", nil},
		{"user@localhost is not enough", nil},
		{"two: x@example.org, y@example.com", []string{"x@example.org", "y@example.com"}},
		{"utf8: ñandú@ejemplo.example", []string{"ñandú@ejemplo.example"}},
		{"version 1.2@3.4", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, a := range findAddresses(tt.in) {
			got = append(got, a.addr)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("findAddresses(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitMbox(t *testing.T) {
	in := "From a@example.org Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody\n>From quoted\n\nFrom b@example.org Mon Jan  1 00:00:00 2024\nSubject: two\n\nbody\n"
	msgs := SplitMbox([]byte(in))
	if len(msgs) != 2 {
		t.Fatalf("SplitMbox: %d messages, want 2", len(msgs))
	}
	if !strings.Contains(string(msgs[0]), "\nFrom quoted") {
		t.Errorf("SplitMbox did not undo >From quoting: %q", msgs[0])
	}
	if got := SplitMbox([]byte("Subject: x\n\nFrom here on\n")); len(got) != 1 {
		t.Errorf("a plain mail split into %d", len(got))
	}
}

func TestDecodeUTF7(t *testing.T) {
	tests := map[string]string{
		"Hi Mom -+Jjo--!":      "Hi Mom -☺-!",
		"A+ImIDkQ.":            "A≢Α.",
		"1 +- 1 = 2":           "1 + 1 = 2",
		"+ZeVnLIqe-":           "日本語",
		"plain ascii":          "plain ascii",
		"broken +!! stays put": "broken +!! stays put",
	}
	for in, want := range tests {
		if got := string(decodeUTF7([]byte(in))); got != want {
			t.Errorf("decodeUTF7(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHTMLToText(t *testing.T) {
	tests := map[string]string{
		"<p>Delivery has failed to:</p><p>a@example.org</p>":     "\nDelivery has failed to:\n\na@example.org\n",
		"<pre>From: a@example.org\nTo: b@example.org</pre>":      "\nFrom: a@example.org\nTo: b@example.org\n",
		"a\nb<br>c&amp;d<script>x()</script><style>p{}</style>e": "a b\nc&de",
		"<td>550</td><td>5.1.1</td>":                             " 550  5.1.1 ",
	}
	for in, want := range tests {
		if got := htmlToText(in); got != want {
			t.Errorf("htmlToText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVERPDecode(t *testing.T) {
	tests := map[string]string{
		"bounces+user=example.org":                "user@example.org",
		"list-bounces+jane.doe=example.com":       "jane.doe@example.com",
		"list-bounces-Jane.Doe=Example.COM":       "Jane.Doe@Example.COM",
		"list-return-1234-first-last=example.net": "first-last@example.net",
		"plain.user":             "",
		"a=b":                    "",
		"bounces+user=localhost": "",
	}
	for in, want := range tests {
		if got := verpDecode(in); got != want {
			t.Errorf("verpDecode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIndexFoldASCII(t *testing.T) {
	tests := []struct {
		s, sub string
		want   int
	}{
		{"abc</SCRIPT>", "</script", 3},
		{"</Style>", "</style", 0},
		{"nothing here", "</script", -1},
		{"x", "", 0},
	}
	for _, tt := range tests {
		if got := indexFoldASCII(tt.s, tt.sub); got != tt.want {
			t.Errorf("indexFoldASCII(%q, %q) = %d, want %d", tt.s, tt.sub, got, tt.want)
		}
	}
}

// FuzzQuotedPrintable holds decodeQuotedPrintable to mime/quotedprintable's Reader: the same
// text and the same verdict on damage, for input whose lines the Reader reads whole (it
// stops at a line longer than its 4 KB buffer).
func FuzzQuotedPrintable(f *testing.F) {
	for _, s := range []string{
		"caf=C3=A9 =3D\r\nsoft=\nbreak  \n", "a=4", "a=", "=", "a==\n", "a=\r", "x=zz\n=4\n", "tab\there \t\r\n",
		"bad \x01 byte", "del \x7f", "=\nend", "a= \t\nb", "a= x\nb", "h=e2=80=94t=\r\n", "\xff=ff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, l := range bytes.Split(in, []byte("\n")) {
			if len(l) >= 4000 {
				return
			}
		}
		want, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(in)))
		got, damaged := decodeQuotedPrintable(in)
		if !bytes.Equal(got, want) || damaged != (err != nil) {
			t.Errorf("decodeQuotedPrintable(%q) = %q, %v; the Reader gives %q, %v", in, got, damaged, want, err)
		}
	})
}

func TestQuotedPrintableLongLine(t *testing.T) {
	in := bytes.Repeat([]byte("a=3D"), 3000)
	got, damaged := decodeQuotedPrintable(in)
	if want := bytes.Repeat([]byte("a="), 3000); !bytes.Equal(got, want) || damaged {
		t.Errorf("decodeQuotedPrintable(a 12 KB line) = %d bytes, %v; want %d bytes, false", len(got), damaged, len(want))
	}
}

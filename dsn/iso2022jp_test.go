package dsn

import (
	"math/rand/v2"
	"testing"

	"golang.org/x/text/encoding/japanese"
)

// TestDecodeISO2022JPAsXText checks that decodeISO2022JP gives what x/text's decoder gives
// for the whole text: on named cases, and on 20,000 texts drawn (with a fixed seed) from the
// bytes that steer the decoder: escapes and their pieces, line breaks, 8-bit bytes.
func TestDecodeISO2022JPAsXText(t *testing.T) {
	want := func(b []byte) string {
		out, err := japanese.ISO2022JP.NewDecoder().Bytes(b)
		if err != nil {
			t.Fatalf("x/text on %q: %v", b, err)
		}
		return string(out)
	}
	cases := []struct{ name, in string }{
		{"ascii", "User unknown: <a@example.jp>\n"},
		{"kanji then ascii", "\x1b$B$3$N%a!<%k\x1b(B mail\n"},
		{"kanji to the line end", "\x1b$B$3$N\nnext line\n"},
		{"odd byte before the escape back", "\x1b$B$3$\x1b(Bafter\n"},
		{"pair across a line break", "\x1b$B$3$N%\nab\x1b(Bc\n"},
		{"katakana across lines", "\x1b(I12\n34\x1b(Bx"},
		{"jis x 0212", "\x1b$(D0!\x1b(B."},
		{"jis roman", "\x1b(J\\~\x1b(B"},
		{"unknown escape", "a\x1b$Zb\x1b(Zc"},
		{"escape cut at the end", "abc\x1b$"},
		{"escape cut after $(", "abc\x1b$("},
		{"8-bit bytes", "caf\xe9 \x1b$B\xff$3\x1b(B\x80"},
		{"8-bit bytes in long ascii runs", "0123456789abcdef\xe9ghijklmnopqrstu\x80\x81\x1b$B$3\x1b(Bvwxyz0123456789ABCDEF\xff"},
		{"empty", ""},
	}
	for _, c := range cases {
		if got, w := decodeISO2022JP([]byte(c.in)), want([]byte(c.in)); got != w {
			t.Errorf("%s: decodeISO2022JP(%q) = %q, want %q", c.name, c.in, got, w)
		}
	}
	pieces := []string{"\x1b", "$", "(", "B", "J", "I", "@", "D", "\x1b$B", "\x1b(B", "\x1b(I", "\x1b$(D", "\x1b(J",
		"\n", "a", "!", "$3", "%a", "0!", "\x80", "\xff", " ", "~", "\\", "User unknown: <a@example.jp>"}
	r := rand.New(rand.NewPCG(16, 12))
	for range 20000 {
		var b []byte
		for range r.IntN(24) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		if got, w := decodeISO2022JP(b), want(b); got != w {
			t.Fatalf("decodeISO2022JP(%q) = %q, want %q", b, got, w)
		}
	}
}

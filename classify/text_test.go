package classify

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// appendNormalizedByByte is appendNormalized as it was before it copied the rest of a word
// in a loop of its own, kept as the oracle.
func appendNormalizedByByte(dst []byte, s string) []byte {
	started := false // whether anything was written: blanks and markers before it are dropped
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		// The common case first: an ASCII byte that is kept, lower-cased.
		if lc := foldASCII[c]; lc != 0 && !(space && isDigit(c)) {
			if space && started {
				dst = append(dst, ' ', lc)
			} else {
				dst = append(dst, lc)
			}
			i++
			space, started = false, true
			continue
		}
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			space = true
			i++
			continue
		case isDigit(c) && started:
			if k := continuationMarker(s, i); k > 0 {
				i += k
				continue
			}
		}
		if space && started {
			dst = append(dst, ' ')
		}
		space, started = false, true
		if c < utf8.RuneSelf {
			dst = append(dst, c) // a digit that starts no marker, or a control byte
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += size
	}
	return dst
}

// checkNormalized compares appendNormalized with appendNormalizedByByte on s, appended to
// an empty buffer and to one that holds text already.
func checkNormalized(t *testing.T, s string) {
	t.Helper()
	for _, prefix := range []string{"", "x"} {
		got := string(appendNormalized([]byte(prefix), s))
		want := string(appendNormalizedByByte([]byte(prefix), s))
		if got != want {
			t.Errorf("appendNormalized(%q, %q) = %q, want %q", prefix, s, got, want)
		}
	}
}

// TestAppendNormalizedLikeByByte compares appendNormalized with the oracle on blanks, reply
// markers, digits, control bytes and non-ASCII text.
func TestAppendNormalizedLikeByByte(t *testing.T) {
	tests := []struct{ name, s string }{
		{"empty", ""},
		{"word", "Word"},
		{"blanks", "  a \t b\r\n\tc  "},
		{"reply markers", "550-5.7.26 This mail has been blocked\n550-5.7.26 because the sender is unauthenticated"},
		{"digits after a blank", "error 550 5.1.1 user unknown"},
		{"digits in a word", "abc123 x9y 4.4.7"},
		{"control bytes", "a\x00b\x7fc\x01"},
		{"non-ASCII", "Adresse IP source bloquée pour incident de spam, İSTANBUL \u212a"},
		{"invalid UTF-8", "\xff\xfe 550-\x00 5."},
		{"caseless scripts", "\u5b9b\u5148\u30e1\u30fc\u30eb\u30a2\u30c9\u30ec\u30b9 \ud55c\uad6d\uc5b4 ＡＢＣ \xe3\x81 550"},
		{"diagnostic", "host mx1.example.org [192.0.2.17] SMTP error from remote mail server after RCPT TO:<dave@example.org>: 550 5.1.1 <dave@example.org>: Recipient address rejected: User unknown in local recipient table"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkNormalized(t, tc.s) })
	}
}

// TestCaseless checks that every rune caseless accepts lowers to itself, and that it accepts
// none outside the blocks it names.
func TestCaseless(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if caseless(r) && unicode.ToLower(r) != r {
			t.Fatalf("caseless(%U), but it lowers to %U", r, unicode.ToLower(r))
		}
	}
	for _, r := range []rune{'A', 0x2e7f, 0xa640, 0xff21, 0xabff, 0xd800} {
		if caseless(r) {
			t.Errorf("caseless(%U), want false", r)
		}
	}
}

// FuzzAppendNormalized compares appendNormalized with the oracle on arbitrary text.
func FuzzAppendNormalized(f *testing.F) {
	f.Add("550-5.7.26 This mail has been blocked\n 550-5.7.26 because")
	f.Add("abc123 x9y \xff 4.4.7")
	f.Fuzz(checkNormalized)
}

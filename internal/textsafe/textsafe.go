// Package textsafe makes text from untrusted mail safe to print on a terminal or put in a
// file a person opens: control characters become visible escapes instead of acting.
//
// Anyone can send a bounce, and its diagnostic, remote MTA or Message-ID can carry terminal
// control sequences: ESC ] 0 ; … BEL retitles the window, ESC [ 2 J clears the screen, and
// others move the cursor to hide or forge lines (ECMA-48 §5). Unicode's bidirectional
// overrides (U+202A–U+202E, U+2066–U+2069) reorder what is shown the same way. Escape shows
// each of them, and every byte that is not UTF-8, as a Go-style escape.
package textsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape returns s with every character that would act on a terminal or reorder text written
// as a visible escape: C0 controls (\x00–\x1f, tab and newline included: callers that want a
// line break print it themselves), DEL, C1 controls (U+0080–U+009F), the bidirectional
// controls, and each byte of an invalid UTF-8 sequence (as \xNN). Everything else, backslashes
// included, is kept as it is. Escape returns s itself when there is nothing to escape.
func Escape(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Safe reports whether Escape would return s unchanged.
func Safe(s string) bool { return firstUnsafe(s) < 0 }

// firstUnsafe returns the index of the first byte Escape changes, or -1.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// unsafeRune reports whether a non-ASCII rune is a C1 control or a bidirectional control.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls, CSI (U+009B) and OSC (U+009D) among them
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

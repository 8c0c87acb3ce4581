package dsn

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// decodeISO2022JP decodes ISO-2022-JP text (RFC 1468) to UTF-8 exactly as x/text's decoder
// does, but copies the text in ASCII itself (most of a Japanese bounce: its English half,
// the addresses and the returned header) and hands the decoder only the runs that an escape
// sequence switches out of ASCII. The decoder costs about as much per ASCII byte as per
// kanji: a bounce of 6 KB with 700 bytes of Japanese cost four times its reading there.
func decodeISO2022JP(b []byte) string {
	// The text is written into a builder, whose buffer becomes the string without a copy;
	// the decoder writes each run into scratch first.
	var out strings.Builder
	out.Grow(len(b) + len(b)/2)
	var buf [512]byte
	scratch := buf[:0]
	var dec transform.Transformer
	for i := 0; i < len(b); {
		if b[i] != 0x1b {
			// A run in ASCII, up to the next escape: copied whole, a byte beyond ASCII
			// becoming U+FFFD as the decoder has it.
			end := bytes.IndexByte(b[i:], 0x1b)
			if end < 0 {
				end = len(b)
			} else {
				end += i
			}
			for run := b[i:end]; len(run) > 0; {
				n := asciiPrefix(run)
				out.Write(run[:n])
				if n < len(run) {
					out.WriteString("\uFFFD")
					n++
				}
				run = run[n:]
			}
			i = end
			continue
		}
		end := iso2022JPShiftEnd(b, i)
		if dec == nil {
			dec = japanese.ISO2022JP.NewDecoder()
		}
		// The decoder starts in ASCII, as the whole text's decoder is at i; it never fails
		// (a byte it cannot read becomes U+FFFD).
		scratch, _, _ = transform.Append(dec, scratch[:0], b[i:end])
		out.Write(scratch)
		i = end
	}
	return out.String()
}

// The states of iso2022JPShiftEnd, as x/text's decoder has them.
const (
	jpASCII = iota
	jpKatakana
	jpDoubleByte // JIS X 0208 or JIS X 0212: two bytes a character
)

// iso2022JPShiftEnd returns where the text that starts with the escape byte at b[i] is back
// in ASCII: after an escape to ASCII (ESC ( B, or ESC ( J, which the decoder reads as ASCII
// too), after a line break in a double-byte run (the decoder goes back to ASCII there), or at
// the end of b. It steps through b as x/text's ISO-2022-JP decoder does (its Transform, in
// golang.org/x/text/encoding/japanese/iso2022jp.go), with b whole as its input, so that the
// run b[i:end] decodes alone to what it decodes to within b.
func iso2022JPShiftEnd(b []byte, i int) int {
	state := jpASCII
	for i < len(b) {
		c0 := b[i]
		if c0 != 0x1b && state == jpASCII {
			return i
		}
		if c0 >= utf8.RuneSelf {
			i++ // U+FFFD, in any state
			continue
		}
		if c0 == 0x1b {
			if i+2 >= len(b) {
				i++
				continue
			}
			c1, c2 := b[i+1], b[i+2]
			switch {
			case c1 == '$' && (c2 == '@' || c2 == 'B'):
				state = jpDoubleByte
				i += 3
				continue
			case c1 == '$' && c2 == '(':
				if i+3 < len(b) && b[i+3] == 'D' {
					state = jpDoubleByte
					i += 4
					continue
				}
			case c1 == '(' && (c2 == 'B' || c2 == 'J'):
				return i + 3
			case c1 == '(' && c2 == 'I':
				state = jpKatakana
				i += 3
				continue
			}
			i++ // an escape the decoder does not know: U+FFFD for its first byte
			continue
		}
		switch {
		case state == jpKatakana:
			i++
		case c0 == '\n':
			return i + 1
		case i+1 >= len(b):
			i++
		default:
			i += 2
		}
	}
	return len(b)
}

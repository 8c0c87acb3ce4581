package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// normalize prepares diagnostic text for phrase matching: lower-case, every run of blanks
// (folded header lines included) turned into one space, and the "550-5.7.1 " markers that
// multi-line SMTP replies repeat at the start of each line removed, so that a phrase broken
// across reply lines still matches.
func normalize(s string) string {
	// One allocation: the builder's buffer becomes the string.
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if !space && plainByte(c) {
			// A run of bytes copied as they are; the cases below would do the same, one byte
			// at a time.
			j := i + 1
			for j < len(s) && plainByte(s[j]) {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			continue
		}
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			space = true
			i++
			continue
		case isDigit(c) && (space || i == 0) && b.Len() > 0:
			if n := continuationMarker(s, i); n > 0 {
				i += n
				space = true
				continue
			}
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		switch {
		case 'A' <= c && c <= 'Z':
			b.WriteByte(c + ('a' - 'A'))
			i++
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			b.WriteRune(unicode.ToLower(r))
			i += size
		}
	}
	return b.String()
}

// plainByte reports whether normalize copies c as it is when no blank precedes it: an ASCII
// byte that is neither a blank nor an upper-case letter. (A digit after something else than
// a blank cannot start a continuation marker.)
func plainByte(c byte) bool {
	return c < utf8.RuneSelf && c != ' ' && c != '\t' && c != '\r' && c != '\n' && (c < 'A' || c > 'Z')
}

// continuationMarker returns the length of a "550-5.7.1", "550-" or "550 5.7.1" marker at
// s[i:] followed by a blank (the line starts of RFC 5321 §4.2.1 multi-line replies), or 0.
func continuationMarker(s string, i int) int {
	if i+4 > len(s) || !isDigit(s[i]) || !isDigit(s[i+1]) || !isDigit(s[i+2]) || (s[i+3] != '-' && s[i+3] != ' ') {
		return 0
	}
	j := i + 4
	n := statusLen(s, j)
	if s[i+3] == ' ' && n == 0 {
		return 0 // "550 " alone may be ordinary prose; "550 5.7.1 " is a reply line's start
	}
	j += n
	if j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n') {
		return j - i
	}
	return 0
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// statusLen returns the length of an enhanced status code at s[i:], such as "5.7.1", or 0.
func statusLen(s string, i int) int {
	j := i
	for part := 0; part < 3; part++ {
		k := j
		for k < len(s) && isDigit(s[k]) && k-j < 3 {
			k++
		}
		if k == j {
			return 0
		}
		j = k
		if part < 2 {
			if j >= len(s) || s[j] != '.' {
				return 0
			}
			j++
		}
	}
	if !Status(s[i:j]).Valid() {
		return 0
	}
	return j - i
}

// phrase is a piece of wording to find in normalized text. Parts separated by "*" in the
// source must appear in that order with anything between them ("user * does not exist").
type phrase struct {
	parts []string
	ids   []int32 // the parts' ids in the matcher, set when it is built
}

func (p phrase) in(text string) bool {
	for _, part := range p.parts {
		i := strings.Index(text, part)
		if i < 0 {
			return false
		}
		text = text[i+len(part):]
	}
	return true
}

func (p phrase) String() string { return strings.Join(p.parts, "…") }

func compilePhrases(src []string) []phrase {
	out := make([]phrase, 0, len(src))
	for _, s := range src {
		var parts []string
		for _, p := range strings.Split(s, "*") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		if len(parts) > 0 {
			out = append(out, phrase{parts: parts})
		}
	}
	return out
}

// textRule picks a reason when one of its phrases is found.
type textRule struct {
	reason  Reason
	phrases []phrase
	// note is added to the evidence, such as "greylisting".
	note string
	// certain marks unknown-user wording that a mail system writes about its own directory
	// ("not listed in Domino Directory"): it stands without an SMTP command to back it.
	certain bool
	// afterData limits the rule to refusals not tied to RCPT TO or MAIL FROM: given after the
	// message data, or at an unknown point.
	afterData bool
}

// rule builds a textRule from plain phrases, written in lower case.
func rule(r Reason, phrases ...string) textRule {
	return textRule{reason: r, phrases: compilePhrases(phrases)}
}

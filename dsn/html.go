package dsn

import (
	"html"
	"strings"
)

// blankReplacer turns source line breaks and tabs into blanks, as HTML renders them.
var blankReplacer = strings.NewReplacer("\n", " ", "\t", " ")

// htmlToText turns an HTML body into plain text good enough to find addresses and replies in:
// tags are dropped, block elements end a line, entities are decoded, script and style are
// skipped. It is not a renderer.
func htmlToText(s string) string {
	var b strings.Builder
	b.Grow(len(s) / 2)
	pre := 0 // inside <pre>, line breaks are kept
	// The address of the mailto: link being read, and where its text starts in b.
	mailto, linkFrom := "", 0
	for i := 0; i < len(s); {
		c := s[i]
		if c != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			chunk := s[i : i+j]
			i += j
			// Source line breaks are blanks in HTML, except in preformatted text.
			if pre == 0 && strings.IndexByte(chunk, '&') < 0 {
				// No entity to decode: the blanks go straight into b, without the copies of
				// Replace and UnescapeString. (With entities, the order below matters: an
				// entity such as "&#10;" may stand for a line break, which is kept.)
				writeBlanked(&b, noBreakToBlank(chunk))
				continue
			}
			if pre == 0 {
				chunk = blankReplacer.Replace(chunk)
			}
			b.WriteString(noBreakToBlank(html.UnescapeString(chunk)))
			continue
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			break
		}
		// Only the tag's name is lower-cased: its attributes (AOL's are kilobytes of style)
		// are not read.
		tag := s[i+1 : i+end]
		i += end + 1
		name := tag
		if k := strings.IndexAny(name, " \t\n/"); k >= 0 {
			if k == 0 && strings.HasPrefix(name, "/") {
				name = name[1:]
				if k2 := strings.IndexAny(name, " \t\n"); k2 >= 0 {
					name = name[:k2]
				}
			} else {
				name = name[:k]
			}
		}
		if isASCII([]byte(name)) {
			name = lowerASCII(name)
		} else {
			name = strings.ToLower(name) // the Kelvin sign lowers to 'k'
		}
		switch name {
		case "script", "style", "head":
			if strings.HasPrefix(tag, "/") {
				continue
			}
			closeTag := "</" + name
			if k := indexFoldASCII(s[i:], closeTag); k >= 0 {
				i += k
			}
		case "pre":
			if strings.HasPrefix(tag, "/") {
				pre = max(pre-1, 0)
			} else {
				pre++
			}
			b.WriteByte('\n')
		case "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote", "hr":
			b.WriteByte('\n')
		case "td", "th":
			b.WriteByte(' ')
		case "a":
			// A link to a mailbox names it in its href; its text may be a display name only
			// (<a href="mailto:a@example.org">Alice</a>): the address is written after it.
			if strings.HasPrefix(tag, "/") {
				if mailto != "" && indexFoldASCII(b.String()[linkFrom:], mailto) < 0 {
					b.WriteString(" <" + mailto + ">")
				}
				mailto = ""
			} else {
				mailto, linkFrom = mailtoAddress(tag), b.Len()
			}
		}
	}
	return b.String()
}

// mailtoAddress returns the address of an <a> tag's href="mailto:..." attribute, or "".
func mailtoAddress(tag string) string {
	k := indexFoldASCII(tag, "mailto:")
	if k < 0 {
		return ""
	}
	v := tag[k+len("mailto:"):]
	if e := strings.IndexAny(v, "\"'? >"); e >= 0 {
		v = v[:e]
	}
	v = html.UnescapeString(v)
	if !validMailbox(v) {
		return ""
	}
	return v
}

// noBreakToBlank turns no-break spaces (&nbsp;, which HTML bounces put between the words of
// a reply: "550&nbsp;5.1.1") into blanks.
func noBreakToBlank(s string) string {
	if !strings.Contains(s, "\u00a0") {
		return s
	}
	return strings.ReplaceAll(s, "\u00a0", " ")
}

// writeBlanked writes s to b with its line breaks and tabs turned into blanks, as
// blankReplacer.Replace would.
func writeBlanked(b *strings.Builder, s string) {
	start := 0
	for k := 0; k < len(s); k++ {
		if c := s[k]; c == '\n' || c == '\t' {
			b.WriteString(s[start:k])
			b.WriteByte(' ')
			start = k + 1
		}
	}
	b.WriteString(s[start:])
}

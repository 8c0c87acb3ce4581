package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// explanationNear returns what the human-readable part says of addr when it says it without
// any code: the rest of the line that names the address ("user@example.org: Domain does not
// exist", OpenSMTPD) or, when that is empty, the lines under it indented deeper than it
// ("  user@example.org\n    Unrouteable address", Exim), up to the first blank line. When the
// address stands inside a sentence of prose, it is that line ("Your message wasn't delivered
// to user@example.org because the address couldn't be found.", Gmail). It is
// used only for a delivery-status record that gives no Diagnostic-Code and only a class-level
// status (X.0.0), where these words are all the mail says of the failure (RFC 3464 §2.1: the
// human-readable part explains the report).
func (m *mail) explanationNear(addr string) string {
	text := m.reportText()
	i := m.addressAt(addr)
	if i < 0 || i+len(addr) > len(text) {
		return ""
	}
	const most = 300
	ls := strings.LastIndexByte(text[:i], '\n') + 1
	indent := i - ls
	if head := strings.Trim(text[ls:i], " \t<"); head != "" {
		// The address stands inside a sentence, not at the head of its own entry: the
		// sentence is the explanation when what leads to the address is words, not a
		// field name or a code ("Final-Recipient: rfc822;", "550").
		if strings.ContainsAny(head, ":;<>()[]0123456789") || strings.Count(head, " ") < 2 {
			return ""
		}
		eol := strings.IndexByte(text[i:], '\n')
		if eol < 0 {
			eol = len(text) - i
		}
		return clipUTF8(strings.TrimSpace(text[ls:i+eol]), most)
	}
	rest := text[i+len(addr):]
	eol := strings.IndexByte(rest, '\n')
	if eol < 0 {
		eol = len(rest)
	}
	if same := strings.TrimSpace(strings.TrimLeft(rest[:eol], ">:;, \t")); same != "" {
		return clipUTF8(same, most)
	}
	var b strings.Builder
	rest = rest[min(len(rest), eol+1):]
	for n := 0; n < 3 && len(rest) > 0 && b.Len() < most; n++ {
		l := rest
		if j := strings.IndexByte(rest, '\n'); j >= 0 {
			l, rest = rest[:j], rest[j+1:]
		} else {
			rest = ""
		}
		tl := strings.TrimSpace(l)
		if tl == "" || len(l)-len(strings.TrimLeft(l, " \t")) <= indent {
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(clipUTF8(tl, most-b.Len()))
	}
	return b.String()
}

// expiredStatus reports whether s is X.4.7, delivery time expired (RFC 3463).
func expiredStatus(s classify.Status) bool {
	return s.Valid() && s[1:] == ".4.7"
}

// saysExpired reports whether a recipient's words say its envelope or message expired.
func saysExpired(d string) bool {
	d = strings.ToLower(d)
	return strings.Contains(d, "envelope expired") || strings.Contains(d, "message expired")
}

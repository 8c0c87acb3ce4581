package dsn

import (
	"strings"
	"unicode/utf8"

	"github.com/bounceproc/bounceproc/classify"
)

// providerFormats decode the free-text bounces of mailbox providers and corporate systems
// (Exchange, Office 365, Gmail, Yahoo, ...), in order. Each decoder lives in an mta_<name>.go
// file and returns nil for a mail that is not its own. None of them claims a mail whose
// delivery-status part names a recipient: those DSNs are right, and the generic RFC 3464
// decoder reads them (with the human-readable text as diagnostic when the part has none).
var providerFormats = []format{
	{"exchange2003", KindBounce, decodeExchange2003},
	{"exchange2007", KindBounce, decodeExchange2007},
	{"office365", KindBounce, decodeOffice365},
	{"googlegroups", KindBounce, decodeGoogleGroups},
	{"gmail", KindBounce, decodeGmail},
	{"outlook", KindBounce, decodeOutlook},
	{"googleworkspace", KindBounce, decodeGoogleWorkspace},
	{"yahoo", KindBounce, decodeYahoo},
	{"gmx", KindBounce, decodeGMX},
	{"einsundeins", KindBounce, decodeEinsUndEins},
	{"mailru", KindBounce, decodeMailRu},
	{"yandex", KindBounce, decodeYandex},
	{"zoho", KindBounce, decodeZoho},
	{"verizon", KindBounce, decodeVerizon},
	{"messagelabs", KindBounce, decodeMessageLabs},
}

// pvHasDSRecipient reports whether the mail has a delivery-status part that names at least
// one recipient address (in Final-Recipient or Original-Recipient); provider decoders leave
// such mails to the RFC 3464 decoder.
func (m *mail) pvHasDSRecipient() bool {
	if !m.dsFound {
		return false
	}
	for _, g := range m.dsRecips {
		for _, f := range g {
			if (strings.EqualFold(f.Name, "Final-Recipient") || strings.EqualFold(f.Name, "Original-Recipient")) && strings.IndexByte(f.Value, '@') >= 0 {
				return true
			}
		}
	}
	return false
}

// pvMentionCap is how far into the text pvMentions looks: the markers of a bounce stand in
// its first screens, and the copy of a long returned message need not be scanned.
const pvMentionCap = 16 << 10

// pvMentions reports whether the first pvMentionCap bytes of the mail's text hold one of
// markers (lower-case), a cheap test each decoder makes before anything else.
func (m *mail) pvMentions(markers []string) bool {
	text := m.text()
	if len(text) > pvMentionCap {
		text = text[:pvMentionCap]
	}
	return m.textContainsAny(text, markers)
}

// pvSection returns the text that follows the line holding the first of starts (lower-case
// markers) up to the first of ends after it, or the rest of the text when no end marker is
// found. ok is false when no start marker is in text.
func (m *mail) pvSection(text string, starts, ends []string) (section string, ok bool) {
	lower := m.lowerOf(text) // cut from lowerText for the main text or a prefix of it
	i, n := m.firstOf(lower, starts)
	if i < 0 {
		return "", false
	}
	from := i + n
	if j := strings.IndexByte(text[from:], '\n'); j >= 0 {
		from += j + 1
	} else {
		from = len(text)
	}
	to := len(text)
	if j, _ := firstOf(lower[from:], ends); j >= 0 {
		to = from + j
	}
	return text[from:to], true
}

// pvEntry is one recipient of a list in a free-text bounce: its address, what stands after
// the address on its own line, and the lines below it.
type pvEntry struct {
	addr   string
	rest   string
	detail []string
}

// pvLeadingAddress reads an address that starts line (after blanks), bare or inside <>, ""
// or ”, and returns it with the text after it, without the closing bracket and a colon.
func pvLeadingAddress(line string) (addr, rest string, ok bool) {
	t := strings.TrimLeft(line, " \t")
	if t == "" || strings.IndexByte(t, '@') < 0 {
		return "", "", false
	}
	var closer byte
	switch t[0] {
	case '<':
		closer = '>'
	case '"', '\'':
		closer = t[0]
	}
	if closer != 0 {
		t = t[1:]
	}
	as := findAddresses(t)
	if len(as) == 0 || as[0].start != 0 {
		return "", "", false
	}
	rest = t[as[0].end:]
	if closer != 0 {
		if rest == "" || rest[0] != closer {
			return "", "", false
		}
		rest = rest[1:]
	}
	rest = strings.TrimSpace(rest)
	rest = strings.TrimSpace(strings.TrimPrefix(rest, ":"))
	return as[0].addr, rest, true
}

// pvEntries splits a section into recipient entries. A line that starts with an address
// (and that accept approves, given the line and what follows the address) opens an entry; the lines below it
// belong to it up to a blank line that follows some of them, and lines after that are
// skipped until the next entry. The lines are kept as written (not trimmed).
func pvEntries(section string, accept func(line, rest string) bool) []pvEntry {
	var out []pvEntry
	open := false
	for len(section) > 0 {
		line := section
		if j := strings.IndexByte(section, '\n'); j >= 0 {
			line, section = section[:j], section[j+1:]
		} else {
			section = ""
		}
		if a, rest, ok := pvLeadingAddress(line); ok && accept(line, rest) {
			out = append(out, pvEntry{addr: a, rest: rest})
			open = true
			continue
		}
		if !open {
			continue
		}
		e := &out[len(out)-1]
		if strings.TrimSpace(line) == "" {
			if len(e.detail) > 0 {
				open = false
			}
			continue
		}
		if len(e.detail) < 20 {
			e.detail = append(e.detail, line)
		}
	}
	return out
}

// pvJoin joins trimmed non-empty lines with single blanks, up to pvMaxDiagnostic bytes.
func pvJoin(lines []string) string {
	return pvClip(joinLines(lines), pvMaxDiagnostic)
}

// pvAction says whether text reports a delay rather than a failure.
func (m *mail) pvAction(text string) classify.Action {
	if m.saysDelayed(text) {
		return classify.ActionDelayed
	}
	return classify.ActionFailed
}

// pvFromAny reports whether the bounce's From contains one of subs (lower-case).
func (m *mail) pvFromAny(subs ...string) bool {
	if !m.fromLowerDone {
		m.fromLower, m.fromLowerDone = lowerASCII(m.from), true
	}
	from := m.fromLower
	for _, s := range subs {
		if strings.Contains(from, s) {
			return true
		}
	}
	return false
}

// pvRecipients turns entries into recipients with the given action and source; diag makes
// each entry's diagnostic.
func pvRecipients(es []pvEntry, action classify.Action, source string, diag func(pvEntry) string) []Recipient {
	if len(es) == 0 {
		return nil
	}
	out := make([]Recipient, 0, len(es))
	for _, e := range es {
		out = append(out, Recipient{Address: e.addr, Action: action, Source: source, Diagnostic: diag(e)})
	}
	return out
}

// pvRestEmpty accepts an entry line that holds the address alone.
func pvRestEmpty(_, rest string) bool { return rest == "" }

// pvLeadingReply reads an SMTP reply code that opens a diagnostic in the forms
// classify.ExtractCodes leaves alone because a colon or dash follows it ("550: User
// unknown", "550 - Requested action not taken"), or "".
func pvLeadingReply(d string) classify.ReplyCode {
	d = strings.TrimSpace(d)
	if len(d) < 5 {
		return ""
	}
	rc, ok := classify.ParseReplyCode(d[:3])
	if !ok || (d[3] != ':' && !strings.HasPrefix(d[3:], " - ") && !strings.HasPrefix(d[3:], " :")) {
		return ""
	}
	return rc
}

// pvLineFrom returns text from i to the end of its line.
func pvLineFrom(text string, i int) string {
	if j := strings.IndexByte(text[i:], '\n'); j >= 0 {
		return text[i : i+j]
	}
	return text[i:]
}

// pvMaxDiagnostic caps a diagnostic made of a whole paragraph of prose.
const pvMaxDiagnostic = 2000

// pvClip cuts s to at most max bytes, at a character boundary.
func pvClip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max]
}

// pvHost returns the host name that follows marker in a diagnostic ("host: mx.example.org",
// "host mx.example.org [192.0.2.1]:", "host mx.example.org[192.0.2.1] said:"), or "".
func pvHost(d, marker string) string {
	i := strings.Index(d, marker)
	if i < 0 {
		return ""
	}
	h := d[i+len(marker):]
	if j := strings.IndexAny(h, " [(:,\n"); j >= 0 {
		h = h[:j]
	}
	h = strings.TrimRight(h, ".")
	if !validDomain(h) {
		return ""
	}
	return h
}

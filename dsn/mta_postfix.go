package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// Postfix bounce(8) notices. The introduction comes from src/bounce/bounce_template.c
// (Postfix 2.3 and later) or src/bounce/bounce_notify_util.c (older releases):
//
//	This is the mail system at host mx.example.org.
//	This is the Postfix program at host mx.example.org.
//
// and the per-recipient lines from bounce_notify_util.c (bounce_recipient_log), wrapped with
// four-space continuation lines:
//
//	<user@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 <user@example.org>:
//	    Recipient address rejected: User unknown (in reply to RCPT TO command)
//	<alias@example.org> (expanded from <list@example.org>): unknown user: "alias"
var postfixMarkers = []string{
	"this is the mail system at host",
	"this is the postfix program at host",
}

// postfixSubjects are the subjects of bounce_template.c's four templates, lower-cased.
var postfixSubjects = []string{
	"undelivered mail returned to sender",
	"delayed mail (still being retried)",
	"successful mail delivery report",
	"mail delivery status report",
}

// decodePostfix reads the recipient paragraphs of a Postfix notice. A notice with a usable
// delivery-status part is left to the RFC 3464 decoder, which takes the same paragraphs as
// diagnostics.
//
// Postfix's subject alone claims only a mail its sender wrote itself: a person's mail (see
// sentByPerson) that carries it ("Fwd: Undelivered Mail Returned to Sender") names the mail
// it forwards or answers, and the text below is whatever mail system's wrote it (Exim's,
// qmail's, an NDR of Exchange's), read by that system's reader; such a mail is Postfix's only
// by Postfix's own words (postfixMarkers).
func decodePostfix(m *mail) []Recipient {
	if !m.mentions(postfixMarkers...) && (m.sentByPerson() || !containsAny(m.subjLow, postfixSubjects)) {
		return nil
	}
	if m.dsUsable() {
		return nil
	}
	text := m.text()
	action := classify.ActionFailed
	switch {
	case m.postfixDelayNotice():
		action = classify.ActionDelayed
	// success template: "Your message was successfully delivered to the destination(s)"
	case m.mentions("your message was successfully delivered"):
		action = classify.ActionDelivered
	}
	out := postfixParagraphs(text, action)
	if len(out) > 0 {
		return out
	}
	// QUIRK: some Postfix relays send the notice with an empty delivery-status part and no
	// recipient paragraph (seen behind French ISP relays); the returned message's own To
	// then names the recipient, when it names exactly one.
	if m.origFound && m.mentions("could not") {
		if to := addressList(decodeWords(m.origHeader.get("To"))); len(to) == 1 && m.header.get("To") != "" && !strings.EqualFold(to[0], firstAddress(m.to)) {
			return []Recipient{{Address: to[0], Action: action, Source: "the To header of the returned message (the notice names no recipient)"}}
		}
	}
	return nil
}

// postfixDelayNotice reports whether the mail is Postfix's delay notice (bounce_template.c,
// delay template: "####### THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE.
// #######", subject "Delayed Mail (still being retried)"), whose warning stands above the
// recipient paragraphs.
func (m *mail) postfixDelayNotice() bool {
	return m.mentions("this is a warning only") || hasPrefixLower(m.subject, "delayed mail")
}

// postfixParagraphs finds every "<address>: text" paragraph that starts a line.
func postfixParagraphs(text string, action classify.Action) []Recipient {
	var out []Recipient
	// The lines are read in turn from p, the start of the next (p > len(text) past the last).
	p := 0
	next := func() string {
		l, _, _ := strings.Cut(text[p:], "\n")
		p += len(l) + 1
		return l
	}
	peek := func() (string, bool) {
		if p > len(text) {
			return "", false
		}
		l, _, _ := strings.Cut(text[p:], "\n")
		return l, true
	}
	for p <= len(text) {
		// On to the next line that starts with "<", after fewer blanks than the four of a
		// continuation line.
		//
		// QUIRK: bounce_notify_util.c starts the paragraph at the margin; a relay that
		// re-wraps the notice may leave a blank before it (" <user@example.org>: host ...",
		// lhost-postfix-66 of the dev corpus).
		if !paragraphStart(text[p:]) {
			j := strings.Index(text[p:], "\n")
			if j < 0 {
				break
			}
			p += j + 1
			continue
		}
		l := strings.TrimLeft(next(), " ")
		addr, end := leadingAddress(l)
		if addr == "" || end >= len(l) {
			continue
		}
		rest := l[end:]
		var orig string
		if strings.HasPrefix(rest, " (expanded") {
			// The "(expanded from <x>)" comment may be folded onto the next line, after
			// "(expanded" when the address is long.
			for !strings.Contains(rest, "):") {
				nl, ok := peek()
				if !ok || !strings.HasPrefix(nl, " ") {
					break
				}
				rest += " " + strings.TrimSpace(next())
			}
			j := strings.Index(rest, "):")
			if j < 0 || !strings.HasPrefix(rest, " (expanded from") {
				continue
			}
			orig = cleanAddress(rest[len(" (expanded from"):j])
			rest = rest[j+1:]
		}
		if !strings.HasPrefix(rest, ":") {
			continue
		}
		diag := []string{rest[1:]}
		// QUIRK: bounce_notify_util.c indents the lines that continue a paragraph; an HTML
		// rendering loses the indentation, but a line ending in "said:" is always followed by
		// the reply, so the lines after it, up to a blank one, continue the paragraph.
		unindented := strings.HasSuffix(strings.TrimSpace(rest), " said:")
		for {
			nl, ok := peek()
			if !ok || nl == "" || nl[0] != ' ' && nl[0] != '\t' && !(unindented && !paragraphStart(nl)) {
				break
			}
			if unindented && strings.TrimSpace(nl) == "" {
				break
			}
			diag = append(diag, next())
		}
		d := joinLines(diag)
		r := Recipient{Address: addr, Action: action, Diagnostic: d, RemoteMTA: hostSaid(d), Source: "the Postfix notice"}
		if orig != "" && !strings.EqualFold(orig, addr) {
			r.OriginalAddress = orig
		}
		out = append(out, r)
	}
	return out
}

// paragraphStart reports whether the line at the start of s opens a Postfix recipient
// paragraph: "<" after at most three blanks.
func paragraphStart(s string) bool {
	for i := 0; i < len(s) && i < 4; i++ {
		switch s[i] {
		case '<':
			return true
		case ' ':
		default:
			return false
		}
	}
	return false
}

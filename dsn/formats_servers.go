package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// serverFormats decode the free-text bounces of mail server software (Postfix, Exim,
// Sendmail, qmail, ...), in order. Each decoder lives in an mta_<name>.go file and returns nil
// for a mail that is not its own. Decoders whose mark is specific (a program's own sentence)
// come before those that read looser layouts.
var serverFormats = []format{
	{"exim", KindBounce, decodeExim},
	{"postfix", KindBounce, decodePostfix},
	{"activehunter", KindBounce, decodeActiveHunter}, // Sendmail's layout, so before it
	{"sendmail", KindBounce, decodeSendmail},
	{"qmail", KindBounce, decodeQmail},
	{"courier", KindBounce, decodeCourier},
	{"opensmtpd", KindBounce, decodeOpenSMTPD},
	{"dragonfly", KindBounce, decodeDragonFly},
	{"messagingserver", KindBounce, decodeMessagingServer},
	{"imailserver", KindBounce, decodeIMail},
	{"domino", KindBounce, decodeDomino},
	{"notes", KindBounce, decodeNotes},
	{"fml", KindBounce, decodeFML},
	{"mailman", KindBounce, decodeMailman},
	{"x2", KindBounce, decodeX2},
	{"x3", KindBounce, decodeX3},
	{"mfilter", KindBounce, decodeMFilter},
}

// The helpers below are shared by the server formats.

// dsUsable reports whether the mail has a delivery-status part naming at least one recipient
// with a mail address. Such a mail is left to the RFC 3464 decoder unless a server format knows
// its MTA's report to be wrong.
func (m *mail) dsUsable() bool {
	if !m.dsUsableKnown {
		m.dsUsableVal, m.dsUsableKnown = m.readDSUsable(), true
	}
	return m.dsUsableVal
}

func (m *mail) readDSUsable() bool {
	if !m.dsFound {
		// QUIRK: a delivery-status block pasted into the text (or left there by a broken
		// boundary) counts as well; this is the same look-up the RFC 3464 decoder makes.
		m.deliveryStatusInText()
	}
	if !m.dsFound {
		return false
	}
	for _, g := range m.dsRecips {
		if g == nil {
			continue
		}
		if r := dsRecipient(g, m.dsGlobal); isMailbox(r.Address) {
			return true
		}
	}
	return false
}

// dsNonMailbox reports whether the delivery-status part names a pipe or a file as a
// Final-Recipient, in place of the address that led to it.
func (m *mail) dsNonMailbox() bool {
	for _, g := range m.dsRecips {
		if g == nil {
			continue
		}
		if r := dsRecipient(g, m.dsGlobal); r.Address != "" && !isMailbox(r.Address) {
			return true
		}
	}
	return false
}

// mergeDSFields copies the Status field and Remote-MTA of the delivery-status part to the
// recipients read from the text, matched by address.
func (m *mail) mergeDSFields(out []Recipient) {
	for _, g := range m.dsRecips {
		if g == nil {
			continue
		}
		r := dsRecipient(g, m.dsGlobal)
		for k := range out {
			if strings.EqualFold(out[k].Address, r.Address) {
				out[k].FieldStatus = r.FieldStatus
				if out[k].RemoteMTA == "" {
					out[k].RemoteMTA = r.RemoteMTA
				}
			}
		}
	}
}

// isMailbox reports whether a names a mailbox, not a pipe or a file that a local delivery
// wrote in its place ("|/usr/bin/procmail -f x@example.org", "/var/mail/x").
func isMailbox(a string) bool {
	a = strings.TrimSpace(a)
	return strings.Contains(a, "@") && !strings.ContainsAny(a, " |") && !strings.HasPrefix(a, "/")
}

// cutBefore returns text up to the first of the (lower-case, ASCII) markers, searched without
// regard to case.
func (m *mail) cutBefore(text string, markers ...string) string {
	if i, _ := firstOfLower(text, markers); i >= 0 {
		return text[:i]
	}
	return text
}

// lineAt returns the line of text holding offset i, without its newline.
func lineAt(text string, i int) string {
	s := strings.LastIndexByte(text[:i], '\n') + 1
	e := strings.IndexByte(text[i:], '\n')
	if e < 0 {
		return text[s:]
	}
	return text[s : i+e]
}

// leadingAddress returns the address a line starts with (after blanks and an optional "<" or
// quote), and the offset just past it (and past a closing ">"), or "" and 0.
func leadingAddress(line string) (string, int) {
	t := strings.TrimLeft(line, " \t")
	off := len(line) - len(t)
	if t == "" {
		return "", 0
	}
	lead := 0
	if t[0] == '<' {
		lead = 1
	}
	a, _, ok := nextAddress(t, 0)
	if !ok || a.start > lead+1 || (a.start == 1 && t[0] != '<' && t[0] != '"') {
		return "", 0
	}
	if a.start == lead+1 && t[lead] != '"' {
		return "", 0
	}
	e := a.end
	if e < len(t) && t[e] == '"' {
		e++
	}
	if lead == 1 && e < len(t) && t[e] == '>' {
		e++
	}
	return a.addr, off + e
}

// replyAtStart returns the SMTP reply code a line starts with ("550 ...", "550-..."), or "".
func replyAtStart(line string) classify.ReplyCode {
	t := strings.TrimLeft(line, " \t")
	if len(t) < 3 {
		return ""
	}
	rc, ok := classify.ParseReplyCode(t[:3])
	if !ok || (len(t) > 3 && t[3] != ' ' && t[3] != '-' && t[3] != '\t') {
		return ""
	}
	return rc
}

// joinLines joins trimmed non-empty lines with single blanks.
func joinLines(lines []string) string {
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	var b strings.Builder
	b.Grow(n)
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	return b.String()
}

// failedOrDelayed returns ActionDelayed when the text says the server keeps trying, else
// ActionFailed.
func (m *mail) failedOrDelayed(text string) classify.Action {
	if m.saysDelayed(text) {
		return classify.ActionDelayed
	}
	return classify.ActionFailed
}

// hostSaid returns the host name in a "host mx.example.org[192.0.2.1] said:", "host
// mx.example.org [192.0.2.1]:" or "connect to mx.example.org[192.0.2.1]:25:" phrase, or "".
func hostSaid(s string) string {
	i, n := strings.Index(s, "host "), 5
	if i < 0 {
		// Postfix: "connect to mx.example.org[192.0.2.1]:25: Connection timed out"
		i, n = strings.Index(s, "connect to "), 11
	}
	if i < 0 {
		return ""
	}
	rest := s[i+n:]
	end := strings.IndexAny(rest, "[ :(\n")
	if end <= 0 {
		return ""
	}
	h := strings.TrimRight(rest[:end], ".")
	if !validDomain(h) {
		return ""
	}
	return h
}

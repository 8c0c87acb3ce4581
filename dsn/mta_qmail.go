package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// qmail bounces, from qmail-send.c (qmail 1.03, netqmail 1.06):
//
//	Hi. This is the qmail-send program at mx.example.org.
//	I'm afraid I wasn't able to deliver your message to the following addresses.
//	This is a permanent error; I've given up. Sorry it didn't work out.
//
//	<user@example.org>:
//	192.0.2.1 does not like recipient.
//	Remote host said: 550 5.1.1 <user@example.org>... User unknown
//	Giving up on 192.0.2.1.
//
//	--- Below this line is a copy of the message.
//
// Each recipient stands alone on a line as "<address>:", its explanation below it up to the
// next empty line. Patched and translated builds keep the layout and the closing marker
// ("--- Enclosed are the original headers of the message." with bounce-headers patches).
var qmailMarkers = []string{
	"this is the qmail-send program at",
	"i'm afraid i wasn't able to deliver your message to the following addresses",
	"--- below this line is a copy of the message",
	"--- enclosed are the original headers of the message",
}

// decodeQmail reads the "<address>:" paragraphs of a qmail bounce.
func decodeQmail(m *mail) []Recipient {
	if !m.mentions(qmailMarkers...) || m.dsUsable() {
		return nil
	}
	text := m.cutBefore(m.text(), "--- below this line is a copy of the message", "--- enclosed are the original headers")
	action := classify.ActionFailed
	// qmail-send.c warning text (qmail-send with the "bouncesaying" delay patches):
	// "This is a warning message only; your message has not been returned."
	if m.indexLower(m.text(), "this is a warning message only") >= 0 {
		action = classify.ActionDelayed
	}
	return qmailParagraphs(text, action, "the qmail bounce text")
}

// qmailParagraphs reads "<address>:" lines and the explanation below each, up to an empty
// line or the next address.
func qmailParagraphs(text string, action classify.Action, source string) []Recipient {
	var out []Recipient
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t")
		if !strings.HasPrefix(l, "<") {
			continue
		}
		addr, end := leadingAddress(l)
		if addr == "" || end >= len(l) || l[end] != ':' {
			continue
		}
		diag := []string{l[end+1:]}
		for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
			if a, e := leadingAddress(lines[i+1]); a != "" && strings.HasPrefix(lines[i+1], "<") && e < len(strings.TrimRight(lines[i+1], " ")) && lines[i+1][e] == ':' {
				break
			}
			i++
			diag = append(diag, lines[i])
		}
		out = append(out, Recipient{Address: addr, Action: action, Diagnostic: joinLines(diag), Source: source})
	}
	return out
}

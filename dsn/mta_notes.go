package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// Lotus Notes SMTP MTA (R4, R5) bounces, "Subject: Undeliverable message":
//
//	------- Failure Reasons  --------
//
//	User not listed in public Name & Address Book
//	user@example.org
//
//	------- Returned Message --------
//
// The reason comes first and the address it applies to on the line below.
func decodeNotes(m *mail) []Recipient {
	const head = "------- failure reasons"
	if !m.mentions(head) || m.dsUsable() {
		return nil
	}
	text := m.text()
	i := m.indexLower(text, head)
	if i < 0 {
		return nil
	}
	text = text[i:]
	if j := strings.IndexByte(text, '\n'); j >= 0 {
		text = text[j+1:]
	} else {
		return nil
	}
	text = m.cutBefore(text, "------- returned message")
	var out []Recipient
	var reason []string
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if a, e := leadingAddress(t); a != "" && e >= len(strings.TrimRight(t, " >")) {
			out = append(out, Recipient{Address: a, Action: classify.ActionFailed, Diagnostic: joinLines(reason), Source: "the Lotus Notes bounce text"})
			reason = nil
			continue
		}
		reason = append(reason, t)
	}
	return out
}

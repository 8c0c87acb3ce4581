package dsn

import (
	"strings"
)

// Ipswitch IMail Server bounces ("X-Mailer: <SMTP32 v8.22>", "Subject: Undeliverable Mail").
// The reason and the address share a line, and the remote answer follows:
//
//	Unknown user: user@example.org
//	User mailbox exceeds allowed size: user@example.org
//	Invalid final delivery userid: user@example.org
//	undeliverable to user@example.org
//
//	Body of message generated response:
//	550 5.1.1 User unknown
//
//	Original message follows.
var imailReasons = []string{
	"unknown user:", "user mailbox exceeds allowed size:", "invalid final delivery userid:",
	"undeliverable to ", "unknown host:", "requested action not taken:", "delivery failed ",
	"user not found:", "mailbox unavailable:",
}

func decodeIMail(m *mail) []Recipient {
	xm := strings.ToLower(m.header.get("X-Mailer"))
	subj := strings.ToLower(strings.TrimSpace(m.subject))
	if !strings.Contains(xm, "smtp32") && !strings.Contains(xm, "imail") && subj != "undeliverable mail" {
		return nil
	}
	if m.dsUsable() {
		return nil
	}
	text := m.cutBefore(m.text(), "original message follows.")
	response := ""
	if i := m.indexLower(text, "body of message generated response:"); i >= 0 {
		response = joinLines(strings.Split(text[i+len("body of message generated response:"):], "\n"))
		text = text[:i]
	}
	var out []Recipient
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		lower := strings.ToLower(t)
		hit := false
		for _, p := range imailReasons {
			if strings.HasPrefix(lower, p) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		as := findAddresses(t)
		if len(as) == 0 {
			continue
		}
		a := as[len(as)-1].addr
		d := t
		if response != "" {
			d += " " + response
		}
		out = append(out, Recipient{Address: a, Action: m.failedOrDelayed(t), Diagnostic: d, Source: "the IMail bounce text"})
	}
	return out
}

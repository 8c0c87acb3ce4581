package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// OpenSMTPD bounces, from usr.sbin/smtpd/bounce.c (OpenSMTPD 5.x to 7.x):
//
//	Hi!
//
//	This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.
//
//	An error has occurred while attempting to deliver a message for
//	the following list of recipients:
//
//	user@example.org: 550 5.1.1 <user@example.org>: Recipient address rejected
//
//	Below is a copy of the original message:
//
// The delay notice says "A message is delayed for more than 4 hours for the following list of
// recipients:", the success notice "Your message was successfully delivered to these
// recipients.", the relay notice (NOTIFY=SUCCESS for a next hop without DSN) "Your message was
// relayed to these recipients.". Each recipient line is "address: reason" at the start of the line.
var opensmtpdHeads = []struct {
	head   string // lower-case
	action classify.Action
}{
	{"an error has occurred while attempting to deliver a message for", classify.ActionFailed},
	{"for the following\n    list of recipients:", classify.ActionDelayed},
	{"your message was successfully delivered to these recipients", classify.ActionDelivered},
	{"your message was relayed to these recipients", classify.ActionRelayed},
}

func decodeOpenSMTPD(m *mail) []Recipient {
	if !m.mentions("this is the mailer-daemon, please do not reply to this") || m.dsUsable() {
		return nil
	}
	text := m.cutBefore(m.text(), "below is a copy of the original message")
	lt := m.lowerOf(text)
	action := classify.ActionFailed
	start := -1
	for _, h := range opensmtpdHeads {
		if i := strings.Index(lt, h.head); i >= 0 {
			action, start = h.action, i+len(h.head)
			break
		}
	}
	if start < 0 {
		if i := strings.Index(lt, "list of recipients:"); i >= 0 {
			start = i
			if strings.Contains(lt[:i], "is delayed") {
				action = classify.ActionDelayed
			}
		} else {
			return nil
		}
	}
	var out []Recipient
	for _, l := range strings.Split(text[start:], "\n") {
		if l == "" || l[0] == ' ' || l[0] == '\t' {
			continue
		}
		a, e := leadingAddress(l)
		if a == "" || e >= len(l) || l[e] != ':' {
			continue
		}
		out = append(out, Recipient{Address: a, Action: action, Diagnostic: strings.TrimSpace(l[e+1:]), Source: "the OpenSMTPD bounce text"})
	}
	return out
}

package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// fml mailing-list manager error notices (fml 4.0, kern/libkern.pl and the Japanese
// messages in messages/Japanese), sent from the list's "-admin" address, with a Message-ID
// holding ".FML" and often an "X-MLServer: fml [fml 4.0 ...]" header:
//
//	Subject: Loop Alert: Duplicated Message-ID (neko ML)
//	Duplicated Message-ID in <list@example.org>.
//
//	Subject: Rejected e-mail (Not member) (list ML)
//	You are not a member of this mailing list <list@example.org>.
//
// The report stops at "Original mail as follows:". The address named is the one the mail
// could not be delivered to or posted at.
var fmlSubjects = []string{
	"rejected e-mail", "loop alert", "loop back warning", "not member", "fml system error message",
	"security alert", "the following mail seems to be forwarded from ml",
}

func decodeFML(m *mail) []Recipient {
	mid := m.header.get("Message-ID")
	if !m.header.has("X-MLServer") && !strings.Contains(mid, ".FML") {
		return nil
	}
	if !strings.Contains(strings.ToLower(m.from), "-admin@") && !strings.Contains(strings.ToLower(m.from), "-owner@") {
		return nil
	}
	if !containsAny(strings.ToLower(m.subject), fmlSubjects) {
		return nil
	}
	text := m.cutBefore(m.text(), "original mail as follows:")
	own := m.ownAddresses()
	for _, a := range findAddresses(text) {
		if own[strings.ToLower(a.addr)] {
			continue
		}
		return []Recipient{{Address: a.addr, Action: classify.ActionFailed, Diagnostic: strings.TrimSpace(m.subject + ": " + lineAt(text, a.start)), Source: "the fml error notice"}}
	}
	return nil
}

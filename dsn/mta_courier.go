package dsn

import (
	"slices"
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// Courier delivery status notifications, from courier/module.dsn/dsn.c and its message
// templates (courier 0.6x):
//
//	This is a delivery status notification from mx.example.org,
//	running the Courier mail server, version 0.65.2.
//	...
//	Your message to the following recipients cannot be delivered:
//
//	<user@example.org>:
//	    mx.example.org [192.0.2.1]:
//	>>> RCPT TO:<user@example.org>
//	<<< 550 5.1.1 <user@example.org>... User unknown
//
// Delays read "has not yet been delivered to the following recipients" ("DELAYED MAIL"), and
// successes "has been delivered to the following recipients"; one notice may hold a section
// for each. Courier always adds a
// delivery-status part; the text is read only when that part is missing or unusable.
var courierHeads = []struct {
	head   string // lower-case
	action classify.Action
}{
	{"your message to the following recipients cannot be delivered:", classify.ActionFailed},
	{"has not yet been delivered to the following recipients:", classify.ActionDelayed},
	{"has not been delivered to the following recipients:", classify.ActionDelayed},
	{"has been delivered to the following recipients:", classify.ActionDelivered},
	{"has been relayed to the following recipients:", classify.ActionRelayed},
}

func decodeCourier(m *mail) []Recipient {
	if !m.mentions("running the courier mail server") || m.dsUsable() {
		return nil
	}
	text := m.text()
	lt := m.lowerOf(text)
	// One notice may hold several sections, one per action (UNDELIVERABLE MAIL, then
	// DELAYED DELIVERY, ...): each is read, in the order the notice gives them.
	type section struct {
		at     int
		action classify.Action
	}
	var secs []section
	for _, h := range courierHeads {
		if i := strings.Index(lt, h.head); i >= 0 {
			secs = append(secs, section{i + len(h.head), h.action})
		}
	}
	slices.SortFunc(secs, func(a, b section) int { return a.at - b.at })
	var out []Recipient
	for _, s := range secs {
		out = append(out, courierSection(text[s.at:], s.action)...)
	}
	return out
}

// courierSection reads the recipients of one section of a Courier notice, body starting
// after its head: "<address>:" lines, each followed by the host and the dialogue, up to the
// line of dashes that closes the section.
func courierSection(body string, action classify.Action) []Recipient {
	if j := strings.Index(body, "\n-----"); j >= 0 {
		body = body[:j]
	}
	var out []Recipient
	var diag []string
	flush := func() {
		if len(out) > 0 {
			r := &out[len(out)-1]
			r.Diagnostic = joinLines(diag)
			if r.RemoteMTA == "" && len(diag) > 0 {
				r.RemoteMTA = courierHost(diag[0])
			}
		}
		diag = nil
	}
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "<") {
			if a, e := leadingAddress(l); a != "" && e < len(l) && l[e] == ':' {
				flush()
				out = append(out, Recipient{Address: a, Action: action, Source: "the Courier notice"})
				continue
			}
		}
		if len(out) > 0 && strings.TrimSpace(l) != "" {
			diag = append(diag, l)
		}
	}
	flush()
	return out
}

// courierHost reads "    mx.example.org [192.0.2.1]:" (the host Courier talked to).
func courierHost(l string) string {
	t := strings.TrimSpace(l)
	if i := strings.Index(t, " ["); i > 0 && strings.HasSuffix(t, "]:") && validDomain(t[:i]) {
		return t[:i]
	}
	return ""
}

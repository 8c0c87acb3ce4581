package dsn

import "strings"

// The bounce of GMX, web.de and mail.com (United Internet's "Nemesis" mail system) is
// written after Exim's, with the failed address quoted and followed by a colon:
//
//	A message that you sent could not be delivered to one or more of
//	its recipients. This is a permanent error. The following address
//	failed:
//
//	"shironeko@example.jp":
//	SMTP error from remote server after RCPT command:
//	host: mx.example.jp
//	5.1.1 <shironeko@example.jp>... User Unknown
//
//	--- The header of the original message is following. ---
//
// 1&1 (kundenserver.de, IONOS) sends the same text with the address bare:
//
//	xxxx@example.fr:
//	SMTP error from remote server for TEXT command, host: smtp-in.example.fr
//	(192.0.2.65) reason: 550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506]

// nemesisStarts are the words that precede the list, lower-case; the list starts on the
// line after the next "failed:" (Nemesis wraps "The following address(es)\nfailed:").
var nemesisStarts = []string{
	"this message was created automatically by mail delivery software",
	"this is a permanent error.", "this is a temporary error.",
}

// nemesisEnds close the list, lower-case.
var nemesisEnds = []string{
	"--- the header of the original message is following",
	"--- the original message",
	"------ this is a copy of the message",
}

// nemesisSenders are the domains the GMX family's bounces come from, lower-case.
var gmxSenders = []string{"@gmx.", "@web.de", "@mail.com", ".gmx.net", ".gmx.com", ".web.de"}

// einsundeinsSenders are the domains 1&1 / IONOS bounces come from, lower-case.
var einsundeinsSenders = []string{"kundenserver.de", "1und1.", "1and1.", "ionos.", "@online.de", "schlund.de", "perfora.net"}

// decodeGMX reads the bounce of GMX, web.de and mail.com.
func decodeGMX(m *mail) []Recipient {
	if !m.pvFromAny(gmxSenders...) && !m.header.has("X-GMX-Antispam") {
		return nil
	}
	return m.decodeNemesis("the GMX bounce text")
}

// decodeEinsUndEins reads the bounce of 1&1 / IONOS.
func decodeEinsUndEins(m *mail) []Recipient {
	if !m.pvFromAny(einsundeinsSenders...) {
		return nil
	}
	return m.decodeNemesis("the 1&1 bounce text")
}

// decodeNemesis reads the list of a GMX / 1&1 bounce.
func (m *mail) decodeNemesis(source string) []Recipient {
	if m.pvHasDSRecipient() {
		return nil
	}
	text := m.text()
	lower := m.lowerOf(text)
	at, n := firstOf(lower, nemesisStarts)
	if at < 0 {
		return nil
	}
	f := strings.Index(lower[at+n:], "failed:")
	if f < 0 {
		return nil
	}
	sec, _ := m.pvSection(text[at+n+f:], []string{"failed:"}, nemesisEnds)
	es := pvEntries(sec, pvRestEmpty)
	action := m.pvAction(text[at:])
	out := make([]Recipient, 0, len(es))
	reason := nemesisReason(sec)
	for _, e := range es {
		d := pvJoin(e.detail)
		if d == "" || strings.HasSuffix(d, nemesisReasonMark) {
			d = strings.TrimSpace(strings.TrimSuffix(d, nemesisReasonMark) + " " + reason)
		}
		out = append(out, Recipient{Address: e.addr, Action: action, Source: source, Diagnostic: d, RemoteMTA: pvHost(d, "host: ")})
	}
	return out
}

// nemesisReasonMark introduces the reason in 1&1's older layout, where it stands below the
// address as a paragraph of its own:
//
//	The following address failed:
//
//	general@example.eu
//
//	For the following reason:
//
//	Mail size limit exceeded. For explanation visit
//	http://postmaster.1and1.com/en/error-messages?ip=%1s
const nemesisReasonMark = "For the following reason:"

// nemesisReason returns the paragraph under "For the following reason:", or "".
func nemesisReason(sec string) string {
	i := strings.Index(sec, nemesisReasonMark)
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(sec[i+len(nemesisReasonMark):], " \t\n")
	if j := strings.Index(rest, "\n\n"); j >= 0 {
		rest = rest[:j]
	}
	return pvJoin(strings.Split(rest, "\n"))
}

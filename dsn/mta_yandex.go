package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// Yandex.Mail's bounce is Postfix's, with a delivery-status part that the RFC 3464 decoder
// reads. When that part is missing (a forwarded bounce, or a gateway that dropped it), the
// text part still names each recipient the Postfix way, below "The mail system":
//
//	This is the mail system at host forward1h.mail.yandex.net.
//	...
//	                   The mail system
//
//	<kijitora@example.jp>: host mx.example.jp[192.0.2.222] said: 550 5.1.1
//	    <kijitora@example.jp>... User Unknown (in reply to RCPT TO command)
var yandexStarts = []string{"the mail system\n", "почтовая система\n"}

// yandexEnds close the list, lower-case.
var yandexEnds = []string{"\n--", "\ncontent-description:", "\nreporting-mta:"}

// yandexSenders are the domains of Yandex's bounces, lower-case.
var yandexSenders = []string{"yandex.", "@ya.ru"}

// decodeYandex reads the text of a Yandex.Mail bounce that lost its delivery-status part.
func decodeYandex(m *mail) []Recipient {
	if !m.pvFromAny(yandexSenders...) || m.pvHasDSRecipient() {
		return nil
	}
	sec, ok := m.pvSection(m.reportText(), yandexStarts, yandexEnds)
	if !ok {
		return nil
	}
	// An entry starts in column 0 ("<kijitora@example.jp>: host ..."); Postfix indents the
	// lines it wraps, which may start with an address too ("    <kijitora@example.jp>...").
	es := pvEntries(sec, func(line, rest string) bool { return strings.HasPrefix(line, "<") && rest != "" })
	action := m.pvAction(sec)
	if m.postfixDelayNotice() {
		// The delay template's warning stands above the section.
		action = classify.ActionDelayed
	}
	rs := pvRecipients(es, action, "the Yandex bounce text", func(e pvEntry) string {
		return pvJoin(append([]string{e.rest}, e.detail...))
	})
	for i := range rs {
		rs[i].RemoteMTA = pvHost(rs[i].Diagnostic, "host ")
	}
	return rs
}

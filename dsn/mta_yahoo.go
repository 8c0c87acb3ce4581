package dsn

// yahooStart opens the recipient list of the Yahoo! Mail (and AOL, since 2018) bounce,
// which comes with no delivery-status part:
//
//	Sorry, we were unable to deliver your message to the following address.
//
//	<kijitora@example.co.jp>:
//	Remote host said: 550 5.2.2 <kijitora@example.co.jp>... Mailbox Full [RCPT_TO]
//
//	--- Below this line is a copy of the message.
var yahooStarts = []string{
	"sorry, we were unable to deliver your message to the following address",
	"sorry, we were unable to deliver your message to the following addresses",
}

// yahooEnds close the list, lower-case.
var yahooEnds = []string{"--- below this line is a copy of the message"}

// decodeYahoo reads the Yahoo! Mail bounce.
func decodeYahoo(m *mail) []Recipient {
	if m.pvHasDSRecipient() || !m.pvMentions(yahooStarts) || !m.looksLikeBounce() {
		return nil
	}
	sec, ok := m.pvSection(m.text(), yahooStarts, yahooEnds)
	if !ok {
		return nil
	}
	rs := pvRecipients(pvEntries(sec, pvRestEmpty), m.pvAction(sec), "the Yahoo bounce text", func(e pvEntry) string { return pvJoin(e.detail) })
	for i := range rs {
		// QUIRK: Yahoo relays the remote answer as "550: <addr>: User unknown" (RFC 5321
		// §4.2 wants a blank or a dash after the code); the code is read all the same
		// (lhost-yahoo family).
		rs[i].Reply = pvLeadingReply(rs[i].Diagnostic)
	}
	return rs
}

package dsn

// An unnamed web-mail provider's MTA ("x2" in the sisimai corpus; a qmail derivative), which
// keeps qmail's "<address>:" paragraphs under its own introduction:
//
//	Message from example.com.
//	Unable to deliver message to the following address(es).
//
//	<user@example.com>:
//	This user doesn't have a example.com account (user@example.com) [0]
//
//	--- Original message follows.
func decodeX2(m *mail) []Recipient {
	const head = "unable to deliver message to the following address(es)."
	if !m.mentions(head) || m.dsUsable() {
		return nil
	}
	text := m.text()
	i := m.indexLower(text, head)
	if i < 0 {
		return nil
	}
	text = m.cutBefore(text[i+len(head):], "--- original message follows")
	return qmailParagraphs(text, m.failedOrDelayed(text), "the bounce text")
}

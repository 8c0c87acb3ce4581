package dsn

// Hotmail / Outlook.com and the SMTP service of Exchange 2000/2003 write a short text above
// their delivery-status part, with Gmail's old heading:
//
//	This is an automatically generated Delivery Status Notification.
//
//	Delivery to the following recipients failed.
//
//	       kijitora@example.jp
//
// The delivery-status part is read by the RFC 3464 decoder. decodeOutlook reads the text
// when that part is missing or names nobody.
var outlookMarks = []string{"this is an automatically generated delivery status notification"}

// decodeOutlook reads the text of a Microsoft DSN that lost its delivery-status part.
func decodeOutlook(m *mail) []Recipient {
	if m.pvHasDSRecipient() || !m.pvMentions(outlookMarks) || !m.pvMentions(gmailStarts) || !m.looksLikeBounce() {
		return nil
	}
	return m.readFollowingRecipients("the Microsoft DSN text")
}

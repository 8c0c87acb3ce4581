package dsn

import "strings"

// Symantec MessageLabs (Email Security.cloud) writes each failed recipient as two lines of
// text above its delivery-status part:
//
//	Could not deliver message to the following recipient(s):
//
//	Failed Recipient: kijitora@example.jp
//	Reason: Remote host said: 550 5.1.1 <kijitora@example.jp>... User Unknown
//
// decodeMessageLabs reads that text when the delivery-status part is missing or names
// nobody.
const (
	messageLabsStart     = "could not deliver message to the following recipient(s):"
	messageLabsRecipient = "Failed Recipient:"
	messageLabsReason    = "Reason:"
)

// decodeMessageLabs reads the text of a MessageLabs bounce.
func decodeMessageLabs(m *mail) []Recipient {
	if m.pvHasDSRecipient() || !m.pvMentions([]string{messageLabsStart}) || !m.looksLikeBounce() {
		return nil
	}
	var out []Recipient
	action := m.pvAction(m.reportText())
	for _, l := range strings.Split(m.text(), "\n") {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, messageLabsRecipient):
			if a := firstAddress(t[len(messageLabsRecipient):]); a != "" {
				out = append(out, Recipient{Address: a, Action: action, Source: "the MessageLabs bounce text"})
			}
		case strings.HasPrefix(t, messageLabsReason) && len(out) > 0 && out[len(out)-1].Diagnostic == "":
			out[len(out)-1].Diagnostic = strings.TrimSpace(t[len(messageLabsReason):])
		}
	}
	return out
}

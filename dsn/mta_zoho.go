package dsn

import "strings"

// Zoho Mail's bounce names each recipient on one line, with the remote answer after it in
// "ERROR_CODE :" fields, and has no delivery-status part:
//
//	This message was created automatically by mail delivery software.
//	A message that you sent could not be delivered to one or more of its recipients. This is a permanent error.
//
//	kijitora@example.co.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <kijitora@example.co.jp>... User Unknown
//	kijitora@7jo.example.jp Error, ERROR_CODE :421, ERROR_CODE :, Host not reachable.
const zohoErrorCode = "ERROR_CODE :"

// decodeZoho reads the bounce of Zoho Mail.
func decodeZoho(m *mail) []Recipient {
	if m.pvHasDSRecipient() {
		return nil
	}
	text := m.text()
	if !strings.Contains(text, zohoErrorCode) {
		return nil
	}
	var out []Recipient
	action := m.pvAction(text)
	for _, l := range strings.Split(text, "\n") {
		a, rest, ok := pvLeadingAddress(l)
		if !ok || !strings.Contains(rest, zohoErrorCode) {
			continue
		}
		out = append(out, Recipient{Address: a, Action: action, Source: "the Zoho bounce text", Diagnostic: rest})
	}
	return out
}

package dsn

import "strings"

// Verizon Wireless returns mail to its SMS/MMS gateways in two layouts, neither with a
// delivery-status part. vtext.com:
//
//	Error: Invalid user address
//
//	Error message below:
//	550 - Requested action not taken: no such user here
//
//	Message details:
//	  Subject: Test message
//	  RCPT TO: kijitora@vtext.com
//
// vzwpix.com:
//
//	Message could not be delivered to mobile.
//	Error: No valid recipients for this MM
//	...
//	  To: 5555551234@vzwpix.com
var verizonSenders = []string{"vtext.com", "vzwpix.com", "verizon"}

// decodeVerizon reads the bounces of Verizon's message gateways.
func decodeVerizon(m *mail) []Recipient {
	if !m.pvFromAny(verizonSenders...) || m.pvHasDSRecipient() {
		return nil
	}
	text := m.text()
	if !strings.Contains(text, "Error:") && !strings.Contains(text, "Message could not be delivered") {
		return nil
	}
	var rcptTo, to, answer, errorLine []string
	belowError, details := false, false
	// The vzwpix.com layout names the recipient in a To: line below the error.
	mobile := strings.Contains(text, "Message could not be delivered to mobile")
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "Error message below:"):
			belowError = true
		case strings.HasPrefix(t, "Message details:"):
			details, belowError = true, false
		case strings.HasPrefix(t, "Error:"):
			errorLine = append(errorLine, strings.TrimSpace(t[len("Error:"):]))
		case belowError && t != "":
			answer = append(answer, t)
		case belowError:
			belowError = false
		case details && strings.HasPrefix(t, "RCPT TO:"):
			rcptTo = append(rcptTo, addressList(t[len("RCPT TO:"):])...)
		case (details || mobile) && strings.HasPrefix(t, "To:"):
			to = append(to, addressList(t[len("To:"):])...)
		}
	}
	if len(rcptTo) == 0 {
		rcptTo = to
	}
	// The remote answer comes first, so that its reply code is the one read.
	d := pvJoin(append(answer, errorLine...))
	action := m.pvAction(text)
	out := make([]Recipient, 0, len(rcptTo))
	for _, a := range rcptTo {
		out = append(out, Recipient{Address: a, Action: action, Source: "the Verizon bounce text", Diagnostic: d})
	}
	return out
}

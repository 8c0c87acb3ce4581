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
	var addr, inDetails []string
	var diag []string
	afterErrorBelow := false
	details := false
	// The vzwpix.com layout names the recipient in a To: line below the error.
	mobile := strings.Contains(text, "Message could not be delivered to mobile")
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "Error message below:"):
			afterErrorBelow = true
			continue
		case strings.HasPrefix(t, "Message details:"):
			details, afterErrorBelow = true, false
			continue
		case strings.HasPrefix(t, "Error:"):
			diag = append(diag, strings.TrimSpace(t[len("Error:"):]))
		case afterErrorBelow && t != "":
			diag = append(diag, t)
		case afterErrorBelow:
			afterErrorBelow = false
		case details && strings.HasPrefix(t, "RCPT TO:"):
			addr = append(addr, addressList(t[len("RCPT TO:"):])...)
		case (details || mobile) && strings.HasPrefix(t, "To:"):
			inDetails = append(inDetails, addressList(t[len("To:"):])...)
		}
	}
	if len(addr) == 0 {
		addr = inDetails
	}
	out := make([]Recipient, 0, len(addr))
	// The answer comes first so that its reply code is the one read.
	d := pvJoin(append(diag[min(1, len(diag)):], diag[:min(1, len(diag))]...))
	for _, a := range addr {
		out = append(out, Recipient{Address: a, Action: m.pvAction(text), Source: "the Verizon bounce text", Diagnostic: d})
	}
	return out
}

package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// Zoho Mail's bounce names each recipient on one line, with the remote answer after it in
// "ERROR_CODE :" fields, and has no delivery-status part:
//
//	This message was created automatically by mail delivery software.
//	A message that you sent could not be delivered to one or more of its recipients. This is a permanent error.
//
//	kijitora@example.co.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <kijitora@example.co.jp>... User Unknown
//	kijitora@7jo.example.jp Error, ERROR_CODE :421, ERROR_CODE :, Host not reachable.
//
// When Zoho gives up after retrying, the line reads instead:
//
//	[Status: Error, Address: <kijitora@example.jp>, ResponseCode 421, , Host not reachable.]
const (
	zohoErrorCode = "ERROR_CODE :"
	zohoStatus    = "[Status: "
	zohoAddress   = "Address: <"
)

// decodeZoho reads the bounce of Zoho Mail.
func decodeZoho(m *mail) []Recipient {
	text := m.text()
	if (!strings.Contains(text, zohoErrorCode) && !(strings.Contains(text, zohoStatus) && m.pvFromAny("zoho"))) || m.pvHasDSRecipient() {
		return nil
	}
	var out []Recipient
	action := m.pvAction(text)
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t")
		var addr, diag string
		if a, rest, ok := pvLeadingAddress(l); ok && strings.Contains(rest, zohoErrorCode) {
			addr, diag = a, rest
		} else if t := strings.TrimSpace(l); strings.HasPrefix(t, zohoStatus) {
			if j := strings.Index(t, zohoAddress); j >= 0 {
				addr, diag = firstAddress(t[j:]), t
			}
		}
		if addr == "" {
			continue
		}
		// QUIRK: Zoho breaks a long line with a quoted-printable soft break ("=" at the end)
		// in a part it does not declare quoted-printable; the next line continues it
		// (lhost-zoho family).
		for strings.HasSuffix(diag, "=") && i+1 < len(lines) {
			i++
			diag = diag[:len(diag)-1] + strings.TrimRight(lines[i], " \t")
		}
		r := Recipient{Address: addr, Action: action, Source: "the Zoho bounce text", Diagnostic: diag}
		// "ResponseCode 421" is the remote reply code, in a form the code finder does not read.
		if j := strings.Index(diag, "ResponseCode "); j >= 0 && len(diag) >= j+16 {
			if rc, ok := classify.ParseReplyCode(diag[j+13 : j+16]); ok {
				r.Reply = rc
			}
		}
		out = append(out, r)
	}
	return out
}

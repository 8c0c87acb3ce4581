package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// An unnamed MTA's notices ("x3" in the sisimai corpus), framed by rows of "=":
//
//	      This is an automatically generated Delivery Status Notification.
//
//	Delivery to the following recipients failed permanently:
//
//	   * user@example.org
//
//	============================================================================
//	                             Technical details:
//
//	SMTP:RCPT host 192.0.2.8: 553 5.3.0 <user@example.org>... No such user here
//
// The same MTA writes "Delevery to the following recipients was aborted after 5.0 hour(s):"
// (sic) when it gives up, and "Delivery to the following recipients has been delayed".
func decodeX3(m *mail) []Recipient {
	if !m.mentions("this is an automatically generated delivery status notification") || !m.mentions("technical details:") || m.dsUsable() {
		return nil
	}
	text := m.text()
	lt := m.lowerOf(text)
	ti := strings.Index(lt, "technical details:")
	if ti < 0 {
		return nil
	}
	details := text[ti+len("technical details:"):]
	if j := strings.Index(details, "====="); j >= 0 {
		details = details[:j]
	}
	d := joinLines(strings.Split(details, "\n"))
	action := classify.ActionFailed
	if strings.Contains(lt[:ti], "has been delayed") {
		action = classify.ActionDelayed
	}
	var out []Recipient
	for _, l := range strings.Split(text[:ti], "\n") {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "* ") {
			continue
		}
		if a, _ := leadingAddress(t[2:]); a != "" {
			out = append(out, Recipient{Address: a, Action: action, Diagnostic: d, Source: "the notice text"})
		}
	}
	return out
}

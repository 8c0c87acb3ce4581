package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// Oracle Communications / Sun Java System Messaging Server (and its ancestor PMDF)
// notifications, from the default return-job templates (return_*.txt):
//
//	This report relates to a message you sent with the following header fields:
//	...
//	Your message cannot be delivered to the following recipients:
//
//	  Recipient address: user@example.org
//	  Original address: alias@example.org
//	  Reason: Remote SMTP server has rejected address
//	  Diagnostic code: smtp;550 5.1.1 <user@example.org>... User Unknown
//	  Remote system: dns;mx.example.org (TCP|192.0.2.2|47323|192.0.2.1|25) (mx ESMTP)
//
// Delays read "Your message has been enqueued and undeliverable for 1 day to the following
// recipients:" or "has been delayed", successes "has been delivered to the following
// recipients:". The server adds a delivery-status part, read instead when usable.
func decodeMessagingServer(m *mail) []Recipient {
	if !m.mentions("recipient address: ") || !m.mentions("to the following recipients") || m.dsUsable() {
		return nil
	}
	text := m.text()
	action := classify.ActionFailed
	switch {
	case m.mentions("enqueued and undeliverable for", "has been delayed", "still awaiting delivery"):
		action = classify.ActionDelayed
	case m.mentions("has been delivered to the following recipients"):
		action = classify.ActionDelivered
	}
	var out []Recipient
	var reason string
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		name, val, ok := strings.Cut(t, ": ")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch strings.ToLower(name) {
		case "recipient address":
			if a := firstAddress(val); a != "" {
				out = append(out, Recipient{Address: a, Action: action, Source: "the Messaging Server report text"})
				reason = ""
			}
		case "original address":
			if len(out) > 0 {
				if a := firstAddress(val); a != "" && !strings.EqualFold(a, out[len(out)-1].Address) {
					out[len(out)-1].OriginalAddress = a
				}
			}
		case "reason":
			reason = val
			if len(out) > 0 && out[len(out)-1].Diagnostic == "" {
				out[len(out)-1].Diagnostic = val
			}
		case "diagnostic code":
			if len(out) > 0 {
				typ, d := typedValue(val)
				r := &out[len(out)-1]
				r.DiagnosticType, r.Diagnostic = typ, d
				if reason != "" && !strings.Contains(d, reason) {
					r.Diagnostic = d + " (" + reason + ")"
				}
			}
		case "remote system":
			if len(out) > 0 {
				_, h := typedValue(val)
				if i := strings.IndexAny(h, " ("); i > 0 {
					h = h[:i]
				}
				out[len(out)-1].RemoteMTA = h
			}
		}
	}
	return out
}

package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// SendGrid's bounce mails are RFC 3464 reports (Return-Path <apps@sendgrid.net>, "This is an
// automatically generated message from SendGrid."), read by the generic decoder, except that
// SendGrid writes an action RFC 3464 §2.3.3 does not know for a message it gave up on after
// its retry period, as sisimai's Lhost::SendGrid also reads:
//
//	X-SendGrid-QueueID: 959479146
//	...
//	Action: expired
//	Status: 4.2.2
//
// decodeSendGrid claims only such reports and turns "expired" into "failed": SendGrid will
// not try again. Every other SendGrid report is left to the RFC 3464 decoder.
func decodeSendGrid(m *mail) []Recipient {
	if !m.dsFound || len(m.dsRecips) == 0 || !m.fromSendGrid() {
		return nil
	}
	expired := false
	for _, g := range m.dsRecips {
		if fieldValueIs(g, "Action", "expired") && strings.TrimSpace(fieldValue(g, "Final-Recipient")) != "" {
			expired = true
			break
		}
	}
	if !expired {
		return nil
	}
	out := decodeRFC3464(m)
	for i := range out {
		// QUIRK: RFC 3464 §2.3.3 lists failed, delayed, delivered, relayed and expanded;
		// SendGrid's "expired" (testdata/eml/sendgrid/action-expired.eml) means failed.
		if out[i].Action == classify.ActionUnknown && fieldValueIs(out[i].Fields, "Action", "expired") {
			out[i].Action = classify.ActionFailed
		}
	}
	return out
}

// fromSendGrid reports whether the mail is a SendGrid bounce.
func (m *mail) fromSendGrid() bool {
	if strings.Contains(strings.ToLower(m.header.get("Return-Path")), "@sendgrid.net") {
		return true
	}
	for _, f := range m.dsMessage {
		if hasPrefixLower(f.Name, "x-sendgrid-") {
			return true
		}
	}
	return strings.Contains(m.text(), "automatically generated message from SendGrid")
}

// fieldValue returns the value of the first field with the given name, or "".
func fieldValue(fs []Field, name string) string {
	for _, f := range fs {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// fieldValueIs reports whether the named field holds want, ignoring case, blanks and a comment.
func fieldValueIs(fs []Field, name, want string) bool {
	v := fieldValue(fs, name)
	if i := strings.IndexByte(v, '('); i >= 0 {
		v = v[:i]
	}
	return strings.EqualFold(strings.TrimSpace(v), want)
}

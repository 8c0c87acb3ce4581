package suppress

import (
	"strings"
	"unicode/utf8"
)

// validText returns s as the store keeps free text: valid UTF-8, each run of invalid bytes
// replaced by U+FFFD, and NUL bytes too (Dovecot hands a NUL in a mail over as 0x80, and
// SQLite's text functions stop at a NUL). A mail can carry any bytes; an export read as UTF-8
// must not fail on them.
func validText(s string) string {
	if textOK(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// textOK reports whether s is already as validText returns it.
func textOK(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// valid returns m with its free text valid for the store (see validText).
func (m Manual) valid() Manual {
	m.By, m.Why = validText(m.By), validText(m.Why)
	return m
}

// validBatch returns batch with every text a mail brings (Message-ID, diagnostic, remote
// MTA) valid for the store (see validText), copying only what changes. Addresses are
// normalised, which refuses invalid UTF-8, and mailbox names are identities kept as given.
func validBatch(batch []MailEvents) []MailEvents {
	var out []MailEvents
	for i, me := range batch {
		ok := textOK(me.Mail.MessageID)
		for _, ev := range me.Events {
			if ok = ok && textOK(ev.Diagnostic) && textOK(ev.RemoteMTA); !ok {
				break
			}
		}
		if ok {
			continue
		}
		if out == nil {
			out = append([]MailEvents(nil), batch...)
		}
		me.Mail.MessageID = validText(me.Mail.MessageID)
		evs := make([]Event, len(me.Events))
		for j, ev := range me.Events {
			ev.Diagnostic, ev.RemoteMTA = validText(ev.Diagnostic), validText(ev.RemoteMTA)
			evs[j] = ev
		}
		me.Events = evs
		out[i] = me
	}
	if out == nil {
		return batch
	}
	return out
}

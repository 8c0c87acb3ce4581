package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// au by KDDI's EZweb mail servers (ezweb.ne.jp, au.com) send "Subject: Mail System Error -
// Returned Mail" from Postmaster@ezweb.ne.jp: a Japanese paragraph, an English reason, and
// the recipients, either alone in angle brackets or with the SMTP transcript, as in
// lhost-ezweb-03/04 (compare sisimai's Lhost::EZweb):
//
//	The user(s) account is disabled.
//
//	<this-local-part-does-not-exist-on-the-site@ezweb.ne.jp>
//
// or
//
//	Each of the following recipients was rejected by a remote
//	mail server.
//
//	    Recipient: <this-local-part-does-not-exist-on-the-server@ezweb.ne.jp>
//	    >>> RCPT TO:<this-local-part-does-not-exist-on-the-server@ezweb.ne.jp>
//	    <<< 550 <this-local-part-does-not-exist-on-the-server@ezweb.ne.jp>: User unknown

// ezwebMarkers are the English sentences of an EZweb bounce, lower-cased.
var ezwebMarkers = []string{
	"each of the following recipients was rejected by a remote",
	"the following recipients did not receive this message",
	"the user(s) account is disabled",
	"the user(s) account is temporarily limited",
	"the user(s) account is temporarily over quota",
	"your message was not delivered within",
	"remote host is not responding",
}

// decodeEZweb reads an EZweb bounce.
func decodeEZweb(m *mail) []Recipient {
	if m.dsFound && len(m.dsRecips) > 0 {
		return nil
	}
	from := strings.ToLower(m.from)
	if !strings.Contains(from, "@ezweb.ne.jp") && !strings.Contains(from, "@au.com") &&
		!strings.EqualFold(strings.TrimSpace(m.subject), "Mail System Error - Returned Mail") {
		return nil
	}
	t := m.reportText()
	lower := strings.ToLower(t)
	found := false
	for _, mk := range ezwebMarkers {
		if strings.Contains(lower, mk) {
			found = true
			break
		}
	}
	if !found {
		return nil
	}
	var out []Recipient
	var para, transcript []string
	paraClosed := false
	flush := func() {
		if len(out) == 0 {
			return
		}
		r := &out[len(out)-1]
		if len(transcript) > 0 {
			r.Diagnostic = strings.Join(transcript, " ")
		}
		transcript = nil
	}
lines:
	for _, l := range strings.Split(t, "\n") {
		tl := strings.TrimSpace(l)
		switch {
		case tl == "":
			paraClosed = len(para) > 0
		case isDashLine(tl):
			// QUIRK: the copy of the message follows a line of dashes, not a MIME part,
			// in older EZweb bounces (sisimai's Lhost::EZweb lists it as a boundary).
			break lines
		case strings.HasPrefix(tl, "Recipient:") || bracketedAddressEnd(tl) > 0:
			addr := firstAddress(tl)
			if addr == "" {
				continue
			}
			flush()
			out = append(out, Recipient{Address: addr, Action: classify.ActionFailed, Diagnostic: strings.Join(para, " "),
				Source: "the EZweb bounce text"})
			// QUIRK: some EZweb bounces put the server's reply on the address line
			// ("<user@ezweb.ne.jp>: 550 user unknown"), as sisimai's Lhost::EZweb also reads.
			if e := bracketedAddressEnd(tl); e > 0 {
				if rest := strings.TrimSpace(strings.TrimPrefix(tl[e:], ":")); rest != "" {
					transcript = append(transcript, rest)
				}
			}
		case len(out) > 0 && (strings.HasPrefix(tl, ">>>") || strings.HasPrefix(tl, "<<<")):
			transcript = append(transcript, tl)
		case isASCII([]byte(tl)):
			// The English reason paragraph; the Japanese one above it says the same.
			if paraClosed {
				para, paraClosed = nil, false
			}
			para = append(para, tl)
		}
	}
	flush()
	// The reason may also stand below the addresses; a recipient left without one gets the
	// sentence that made this an EZweb bounce.
	for i := range out {
		if out[i].Diagnostic == "" {
			out[i].Diagnostic = ezwebReasonLine(t)
		}
	}
	return out
}

// ezwebReasonLine returns the first line of t holding one of the EZweb sentences.
func ezwebReasonLine(t string) string {
	for _, l := range strings.Split(t, "\n") {
		lower := strings.ToLower(l)
		for _, mk := range ezwebMarkers {
			if strings.Contains(lower, mk) {
				return strings.TrimSpace(l)
			}
		}
	}
	return ""
}

// bracketedAddressEnd returns the end of the address in angle brackets that starts the line
// ("<user@example.org>" or "<user@example.org>: reply"), or 0 when the line starts otherwise.
func bracketedAddressEnd(l string) int {
	if len(l) < 5 || l[0] != '<' {
		return 0
	}
	e := strings.IndexByte(l, '>')
	if e < 4 || strings.IndexByte(l[:e], '@') < 0 || strings.ContainsAny(l[1:e], "< ") {
		return 0
	}
	if rest := l[e+1:]; rest != "" && rest[0] != ':' {
		return 0
	}
	return e + 1
}

// isDashLine reports whether a line is a separator of 20 or more dashes.
func isDashLine(l string) bool {
	return len(l) >= 20 && strings.Trim(l, "-") == ""
}

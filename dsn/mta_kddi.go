package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// KDDI's au one net mail system (auone-net.jp, for dion.ne.jp and ezweb.ne.jp mailboxes)
// sends its bounces from no-reply@<host>.dion.ne.jp with Reply-To no-reply@app.auone-net.jp,
// a Japanese paragraph, and the server's English message, as in lhost-kddi-01/02:
//
//	Your mail sent on: Thu, 29 Apr 2013 23:45:22 +0900
//	     Could not be delivered to: <kijitora@x0000000000000.dion.ne.jp>
//	     As their mailbox is full.
//
// The reason lines that follow are, after sisimai's Lhost::KDDI: "As their mailbox is
// full.", "Due to the following SMTP relay error", "As the remote domain doesnt exist.".

const (
	kddiSentOn    = "Your mail sent on:"
	kddiNotTo     = "Could not be delivered to:"
	kddiSenderDom = "auone-net.jp"
)

// decodeKDDI reads an au one net bounce. The subject ("メールエラー通知", or just "Mail") and
// the no-reply sender say nothing of a bounce, so the body's wording is the detector.
func decodeKDDI(m *mail) []Recipient {
	if m.dsFound && len(m.dsRecips) > 0 {
		return nil
	}
	t := m.reportText()
	if !strings.Contains(t, kddiNotTo) {
		return nil
	}
	if !strings.Contains(t, kddiSentOn) && !m.fromKDDI() {
		return nil
	}
	var out []Recipient
	lines := strings.Split(t, "\n")
	for i := 0; i < len(lines); i++ {
		tl := strings.TrimSpace(lines[i])
		j := strings.Index(tl, kddiNotTo)
		if j < 0 {
			continue
		}
		addr := firstAddress(tl[j+len(kddiNotTo):])
		if addr == "" {
			continue
		}
		// The reason stands on the indented lines below, up to the next blank line.
		diag := []string{tl}
		for i+1 < len(lines) {
			next := strings.TrimSpace(lines[i+1])
			if next == "" || strings.Contains(next, kddiNotTo) {
				break
			}
			diag = append(diag, next)
			i++
		}
		out = append(out, Recipient{Address: addr, Action: classify.ActionFailed, Diagnostic: strings.Join(diag, " "),
			Source: "the au one net (KDDI) bounce text"})
	}
	return out
}

// fromKDDI reports whether the bounce comes from the au one net mail system.
func (m *mail) fromKDDI() bool {
	from := strings.ToLower(m.from + " " + m.header.get("Reply-To"))
	return strings.Contains(from, kddiSenderDom) || strings.Contains(from, ".dion.ne.jp")
}

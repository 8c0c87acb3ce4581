package dsn

import (
	"slices"
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// Sendmail error messages, from sendmail/savemail.c (errbody), 8.x:
//
//	The original message was received at Thu, 29 Apr 2009 23:45:01 +0900
//	from [192.0.2.31]
//
//	   ----- The following addresses had permanent fatal errors -----
//	<user@example.org>
//	    (reason: 550 5.1.1 <user@example.org>... User unknown)
//	    (expanded from: <alias@example.net>)
//
//	   ----- Transcript of session follows -----
//	... while talking to mx.example.org.:
//	>>> RCPT To:<user@example.org>
//	<<< 550 5.1.1 <user@example.org>... User unknown
//	550 5.1.1 <user@example.org>... User unknown
//
// The delay warning heads its list "had transient non-fatal errors", the success notice
// "had successful delivery notifications" (older releases "have delivery notifications"). Sendmail V5 and other old releases have no list: the
// transcript alone names each recipient ("554 <user@example.org>... 550 Host unknown"), and
// the copy follows "----- Unsent message follows -----". Some relays write "had permanent
// delivery errors".
var sendmailLists = []struct {
	head   string // lower-case
	action classify.Action
}{
	{"----- the following addresses had permanent fatal errors -----", classify.ActionFailed},
	{"----- the following addresses had permanent delivery errors -----", classify.ActionFailed},
	{"----- the following addresses had transient non-fatal errors -----", classify.ActionDelayed},
	{"----- the following addresses have delivery notifications -----", classify.ActionDelivered},
	{"----- the following addresses had successful delivery notifications -----", classify.ActionDelivered},
}

// sendmailSuccessNotes are the notes savemail.c writes after each address of its success
// list ("<user@example.org>  (relayed to non-DSN-aware mailer)"), lower-case, with the action
// each stands for (RFC 3464 §2.3.3); "successfully delivered to mailbox" and "to mailing
// list" keep the list's "delivered".
var sendmailSuccessNotes = []struct {
	note   string
	action classify.Action
}{
	{"(relayed to non-dsn-aware mailer)", classify.ActionRelayed},
	{"(expanded by alias)", classify.ActionExpanded},
}

// sendmailTranscripts head the session transcript, lower-case; some builds and gateways
// (InterScan) write "of the session".
var sendmailTranscripts = []string{"----- transcript of session follows -----", "----- transcript of the session follows -----"}

// indexTranscript returns where the transcript heading stands in lt and its length, or -1.
func indexTranscript(lt string) (int, int) {
	for _, h := range sendmailTranscripts {
		if i := strings.Index(lt, h); i >= 0 {
			return i, len(h)
		}
	}
	return -1, 0
}

// sendmailEnds start the copy of the returned message, lower-case.
var sendmailEnds = []string{
	"----- original message follows -----",
	"----- message header follows -----",
	"----- unsent message follows -----",
	"----- unsent message headers follow -----",
	"------- returned message",
}

// decodeSendmail reads a Sendmail error message without a usable delivery-status part,
// including one forwarded by a person ("> " quoted) and one wrapped as an attachment of
// another notice.
func decodeSendmail(m *mail) []Recipient {
	if !m.mentions(sendmailTranscripts...) && !m.mentions("----- the following addresses ha") {
		return nil
	}
	if m.dsUsable() {
		return m.sendmailWithDS()
	}
	text, lt := m.text(), m.lowerText()
	mark, _ := indexTranscript(lt)
	if mark < 0 {
		mark = strings.Index(lt, "----- the following addresses ha")
	}
	if strings.HasPrefix(lineAt(lt, mark), ">") {
		// QUIRK: a bounce forwarded by its reader arrives "> " quoted (RFC 3676 §4.5 style);
		// seen with Apple Mail forwards of Sendmail notices.
		text = unquoteLines(text)
	}
	out := m.sendmailRecipients(text, m.ownAddresses())
	if len(out) == 0 && m.origFound {
		// QUIRK: some gateways wrap the real notice as a message/rfc822 attachment of their
		// own, whose list is empty; the attachment's body holds the recipients.
		if from := strings.ToLower(m.origHeader.get("From")); strings.Contains(from, "mailer-daemon") || strings.Contains(from, "mail delivery") {
			out = m.sendmailRecipients(m.origBody, m.ownAddresses())
			sendmailInnerStatus(m.origBody, out)
		}
	}
	return out
}

// sendmailRecipients reads the address lists and the transcript of a Sendmail notice. own
// holds the addresses (lower-case) that are not recipients: the sender's, which Sendmail
// names in its own line when MAIL FROM is refused ("553 5.1.8 <a@example.org>... Domain of
// sender address a@example.org does not exist").
func (m *mail) sendmailRecipients(text string, own map[string]bool) []Recipient {
	text = m.cutBefore(text, sendmailEnds...)
	lt := m.lowerOf(text)
	var out []Recipient
	for _, h := range sendmailLists {
		i := strings.Index(lt, h.head)
		if i < 0 {
			continue
		}
		out = append(out, sendmailList(text[i+len(h.head):], h.action)...)
	}
	ti, tl := indexTranscript(lt)
	if ti < 0 {
		return out
	}
	tr := text[ti+tl:]
	if j := strings.Index(tr, "\n   -----"); j >= 0 {
		tr = tr[:j]
	}
	return sendmailSessions(tr, out, own)
}

// sendmailList reads the entries under one list heading, up to the next heading.
func sendmailList(s string, action classify.Action) []Recipient {
	var out []Recipient
	for _, l := range strings.Split(s, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "-----") {
			break
		}
		if t == "" {
			continue
		}
		indented := l[0] == ' ' || l[0] == '\t'
		lower := strings.ToLower(t)
		switch {
		case indented && len(out) > 0 && strings.HasPrefix(lower, "(reason:"):
			r := &out[len(out)-1]
			r.Diagnostic = strings.TrimSpace(r.Diagnostic + " " + strings.TrimSuffix(strings.TrimSpace(t[len("(reason:"):]), ")"))
		case indented && len(out) > 0 && strings.HasPrefix(lower, "(expanded from:"):
			r := &out[len(out)-1]
			a := firstAddress(t)
			if !strings.Contains(r.Address, "@") {
				r.Address = a
			} else if !strings.EqualFold(a, r.Address) {
				r.OriginalAddress = a
			}
		case !indented:
			a, _ := leadingAddress(t)
			if a == "" && (strings.HasPrefix(t, "\"|") || strings.HasPrefix(t, "|") || strings.HasPrefix(t, "/")) {
				// A pipe or file; "(expanded from: <user@example.org>)" follows.
				out = append(out, Recipient{Action: action, Source: "the Sendmail notice"})
				continue
			}
			if a != "" {
				act := action
				if action == classify.ActionDelivered {
					for _, n := range sendmailSuccessNotes {
						if strings.Contains(lower, n.note) {
							act = n.action
						}
					}
				}
				out = append(out, Recipient{Address: a, Action: act, Source: "the Sendmail notice"})
			}
		}
	}
	kept := out[:0]
	for _, r := range out {
		if r.Address != "" {
			kept = append(kept, r)
		}
	}
	return kept
}

// sendmailSessions adds the transcript to the recipients: the remote server's replies ("<<<")
// and Sendmail's own lines ("550 5.1.1 <user@example.org>... User unknown"). Recipients that
// only the transcript names (Sendmail V5) are added.
func sendmailSessions(tr string, out []Recipient, exclude map[string]bool) []Recipient {
	type session struct {
		host    string
		replies []string // "<<<" lines
	}
	var cur session
	own := map[int][]string{}
	remote := map[int][]string{} // "<<<" lines of the session that explain a recipient
	named := map[int][]string{}  // "<<<" lines that name the recipient
	var loose []string           // Sendmail's own lines that name no address
	var unnamed []string         // failure "<<<" lines that name no recipient
	find := func(a string) int {
		for i := range out {
			if strings.EqualFold(out[i].Address, a) || strings.EqualFold(out[i].OriginalAddress, a) {
				return i
			}
		}
		return -1
	}
	for _, l := range strings.Split(tr, "\n") {
		t := strings.TrimSpace(l)
		lower := strings.ToLower(t)
		switch {
		case t == "":
		case strings.HasPrefix(lower, "... while talking to ") || strings.HasPrefix(lower, "while talking to "):
			h := t[strings.Index(lower, "talking to ")+len("talking to "):]
			cur = session{host: strings.TrimRight(strings.TrimSuffix(h, ":"), ".")}
		case strings.HasPrefix(t, ">>>"):
		case strings.HasPrefix(t, "<<<"):
			cur.replies = append(cur.replies, t)
			namesOne := false
			for _, as := range findAddresses(t) {
				if i := find(as.addr); i >= 0 {
					namesOne = true
					remote[i] = append(remote[i], t)
					named[i] = append(named[i], t)
					if out[i].RemoteMTA == "" {
						out[i].RemoteMTA = cur.host
					}
				}
			}
			if rc := replyAtStart(t[3:]); !namesOne && (rc.Class() == '4' || rc.Class() == '5') {
				unnamed = append(unnamed, t)
			}
		case replyAtStart(t) != "":
			a, _ := leadingAddress(strings.TrimSpace(t[3:]))
			if a == "" {
				if st := strings.TrimSpace(t[3:]); strings.HasPrefix(st, "5.") || strings.HasPrefix(st, "4.") {
					a, _ = leadingAddress(strings.TrimSpace(st[strings.IndexByte(st, ' ')+1:]))
				}
			}
			if a == "" {
				if !strings.Contains(t, "... ") {
					loose = append(loose, t)
				} else if strings.Contains(t, " (smtp)... ") || strings.Contains(t, " (esmtp)... ") {
					// "550 example.org (smtp)... Host unknown": a host-level failure ends
					// the session the lines above belong to.
					cur = session{}
				}
				continue
			}
			i := find(a)
			if i < 0 && exclude[strings.ToLower(a)] {
				continue
			}
			if i < 0 {
				out = append(out, Recipient{Address: a, Action: classify.ActionFailed, Source: "the Sendmail transcript"})
				i = len(out) - 1
			}
			if len(remote[i]) == 0 && len(own[i]) == 0 {
				// The session's replies that name no other recipient explain this one.
				for _, rp := range cur.replies {
					other := false
					for _, as := range findAddresses(rp) {
						if j := find(as.addr); j >= 0 && j != i {
							other = true
						}
					}
					if !other {
						remote[i] = append(remote[i], rp)
					}
				}
			}
			own[i] = append(own[i], t)
			if out[i].RemoteMTA == "" {
				out[i].RemoteMTA = cur.host
			}
		}
	}
	// When no line of the transcript names a recipient, its failure replies and Sendmail's
	// own lines are every recipient's: a refused DATA or MAIL FROM is answered once for all
	// ("... while talking to mx.example.org.:", ">>> DATA", "<<< 554 5.7.1 Message rejected",
	// "554 5.0.0 Service unavailable").
	shared := len(remote) == 0 && len(own) == 0
	for i := range out {
		r := &out[i]
		parts := append(append([]string{}, remote[i]...), own[i]...)
		if shared {
			remote[i] = unnamed
			parts = append(slices.Clone(unnamed), loose...)
		}
		for _, p := range parts {
			// Sendmail repeats the remote reply in its own line and in "(reason: ...)".
			if p = strings.TrimSpace(p); !strings.Contains(r.Diagnostic, strings.TrimSpace(strings.TrimPrefix(p, "<<<"))) {
				r.Diagnostic = strings.TrimSpace(r.Diagnostic + " " + p)
			}
		}
		if r.Reply == "" {
			r.Reply = sendmailReply(named[i], own[i], remote[i])
		}
	}
	return out
}

// sendmailReply picks the remote server's reply for a recipient: a "<<<" line naming it, else
// the code inside Sendmail's own line ("554 <a@example.org>... 550 Host unknown": the 550 is
// the remote answer, the 554 Sendmail's summary), else the session's other "<<<" replies
// (a refused MAIL FROM refuses every recipient), else Sendmail's own code.
func sendmailReply(named, own, session []string) classify.ReplyCode {
	for _, rp := range named {
		if rc := replyAtStart(strings.TrimPrefix(rp, "<<<")); rc != "" && rc[0] != '2' && rc[0] != '3' {
			return rc
		}
	}
	for _, l := range own {
		if _, after, ok := strings.Cut(l, "... "); ok {
			if rc := replyAtStart(after); rc != "" {
				return rc
			}
		}
	}
	for _, rp := range session {
		if rc := replyAtStart(strings.TrimPrefix(rp, "<<<")); rc != "" && rc[0] != '2' && rc[0] != '3' {
			return rc
		}
	}
	for _, l := range own {
		if rc := replyAtStart(l); rc != "" {
			return rc
		}
	}
	return ""
}

// sendmailInnerStatus merges the delivery-status fields found in the raw body of a wrapped
// notice into the recipients read from its text.
func sendmailInnerStatus(body string, out []Recipient) {
	lb := lowerASCII(body)
	for off := 0; ; {
		i := strings.Index(lb[off:], "final-recipient:")
		if i < 0 {
			return
		}
		i += off
		start := strings.LastIndex(body[:i], "\n\n")
		if start < 0 {
			start = 0
		}
		end := strings.Index(body[i:], "\n\n")
		if end < 0 {
			end = len(body) - i
		}
		off = i + end
		r := dsRecipient(parseFieldBlock(body[start:i+end]), false)
		for k := range out {
			if strings.EqualFold(out[k].Address, r.Address) {
				if r.Diagnostic != "" {
					out[k].Diagnostic, out[k].DiagnosticType = r.Diagnostic, r.DiagnosticType
				}
				out[k].FieldStatus = r.FieldStatus
				if out[k].RemoteMTA == "" {
					out[k].RemoteMTA = r.RemoteMTA
				}
				if r.Action != classify.ActionUnknown {
					out[k].Action = r.Action
				}
			}
		}
	}
}

// sendmailWithDS handles a Sendmail notice whose delivery-status part says less than its
// text: a local delivery failure has "Status: 5.0.0" and "Diagnostic-Code: X-Unix; 255" (an
// exit status, not an SMTP reply), while the transcript holds "554 5.3.0 unknown mailer error
// 255". Other notices are left to the RFC 3464 decoder.
func (m *mail) sendmailWithDS() []Recipient {
	if !m.mentions(sendmailTranscripts...) {
		return nil
	}
	var out []Recipient
	weak := false
	for _, g := range m.dsRecips {
		if g == nil {
			continue
		}
		r := dsRecipient(g, m.dsGlobal)
		if r.Address == "" {
			continue
		}
		if strings.EqualFold(r.DiagnosticType, "x-unix") && (r.FieldStatus == "" || r.FieldStatus.Generic()) {
			weak = true
		}
		out = append(out, r)
	}
	if !weak {
		return nil
	}
	txt := m.sendmailRecipients(m.text(), m.ownAddresses())
	for i := range out {
		r := &out[i]
		if !strings.EqualFold(r.DiagnosticType, "x-unix") {
			continue
		}
		var tx string
		for _, t := range txt {
			if strings.EqualFold(t.Address, r.Address) {
				tx = t.Diagnostic
			}
		}
		if tx == "" && len(txt) == 1 && len(out) == 1 {
			tx = txt[0].Diagnostic
		}
		if tx == "" {
			continue
		}
		// The exit status moves behind the transcript's reply, so that the reply is read
		// as the code.
		r.Diagnostic = tx + " (" + r.DiagnosticType + "; " + r.Diagnostic + ")"
		r.Source = "the delivery-status part and the Sendmail transcript"
	}
	return out
}

// unquoteLines removes one level of "> " quoting from every line.
func unquoteLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "> "):
			lines[i] = l[2:]
		case strings.HasPrefix(l, ">"):
			lines[i] = l[1:]
		}
	}
	return strings.Join(lines, "\n")
}

package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// gmailStarts open the recipient list of Gmail's plain-text bounce (2010–2015, sent as
// "Mail Delivery Subsystem <mailer-daemon@googlemail.com>" with no delivery-status part),
// lower-case:
//
//	Delivery to the following recipient failed permanently:
//
//	     kijitora@example.jp
//
//	Technical details of permanent failure:
//	Google tried to deliver your message, but it was rejected by the server for the
//	recipient domain example.jp by mx.example.jp. [192.0.2.153].
//
//	The error that the other server returned was:
//	550 5.1.1 <kijitora@example.jp>... User Unknown
//
// The delay notice reads "Delivery to the following recipient has been delayed:" and
// "Message will be retried for 2 more day(s)" / "Technical details of temporary failure:".
//
// Google Apps wrote "Delivery to the following recipients failed." The heading's line says
// which: a failure, or a delay.
var gmailStarts = []string{"delivery to the following recipient"}

// gmailDetails open the explanation under the list, lower-case.
var gmailDetails = []string{
	"technical details of permanent failure:",
	"technical details of temporary failure:",
	"technical details of failure:",
}

// gmailDetailsFor open the explanation for one recipient, when the text gives each its own,
// lower-case: "Technical details of permanent failure for alice@example.org:".
var gmailDetailsFor = []string{
	"technical details of permanent failure for ",
	"technical details of temporary failure for ",
	"technical details of failure for ",
}

// gmailEnds close the bounce text: the copy of the returned message.
var gmailEnds = []string{"----- original message -----", "----- message header follows -----"}

// gmailMarks tell Gmail's text from Microsoft's, which shares its heading (see
// mta_outlook.go), lower-case.
var gmailMarks = []string{"google", "technical details of "}

// decodeGmail reads Gmail's plain-text bounce.
func decodeGmail(m *mail) []Recipient {
	if m.pvHasDSRecipient() || !m.pvMentions(gmailStarts) || !m.looksLikeBounce() ||
		!(m.pvFromAny("google") || m.pvMentions(gmailMarks)) {
		return nil
	}
	return m.readFollowingRecipients("the Gmail bounce text")
}

// readFollowingRecipients reads the addresses listed under "Delivery to the following
// recipient(s) ...", and the explanation below them.
func (m *mail) readFollowingRecipients(source string) []Recipient {
	text := m.text()
	lower := m.lowerOf(text)
	at, n := firstOf(lower, gmailStarts)
	if at < 0 {
		return nil
	}
	heading := pvLineFrom(lower, at)
	body := text[at+n:]
	if j := strings.IndexByte(body, '\n'); j >= 0 {
		body = body[j+1:]
	} else {
		body = ""
	}
	if j, _ := firstOf(m.lowerOf(body), gmailEnds); j >= 0 {
		body = body[:j]
	}
	// The list holds the addresses alone on their lines, up to the explanation.
	list := body
	dl := m.lowerOf(body)
	d, _ := firstOf(dl, gmailDetails)
	if d < 0 {
		d, _ = firstOf(dl, gmailDetailsFor)
	}
	if d < 0 {
		d, _ = firstOf(dl, []string{"message will be retried", "\n\n\n"})
	}
	diag := ""
	if d >= 0 {
		list = body[:d]
		diag = pvJoin(strings.Split(body[d:], "\n"))
	}
	action := classify.ActionFailed
	switch {
	case strings.Contains(heading, "delayed") || strings.Contains(dl, "technical details of temporary failure"):
		action = classify.ActionDelayed
	case strings.Contains(heading, "succeeded"):
		// Exchange's SMTP service: "Delivery to the following recipients succeeded."
		action = classify.ActionDelivered
	}
	var out []Recipient
	for _, l := range strings.Split(list, "\n") {
		if a, rest, ok := pvLeadingAddress(l); ok && rest == "" {
			r := Recipient{Address: a, Action: action, Source: source, Diagnostic: diag}
			if own, ok := detailsFor(body[max(d, 0):], a); ok {
				r.Diagnostic = own
			} else if own := detailsLine(body[max(d, 0):], a); own != "" {
				r.Diagnostic = own
			}
			out = append(out, r)
		}
	}
	return out
}

// detailsFor returns the explanation under the details heading that names addr ("Technical
// details of permanent failure for alice@example.org:"), up to the next such heading, when
// the text gives each recipient details of its own.
func detailsFor(details, addr string) (string, bool) {
	lower := lowerASCII(details)
	for from := 0; from < len(lower); {
		i, n := firstOf(lower[from:], gmailDetailsFor)
		if i < 0 {
			return "", false
		}
		i += from
		from = i + n
		line := pvLineFrom(details, i)
		if !strings.EqualFold(strings.TrimSpace(line[n:]), addr+":") {
			continue
		}
		end := len(details)
		if j, _ := firstOf(lower[i+len(line):], gmailDetailsFor); j >= 0 {
			end = i + len(line) + j
		}
		return pvJoin(strings.Split(details[i:end], "\n")), true
	}
	return "", false
}

// detailsLine returns the line of the details that starts with addr and says something
// after it ("alice@example.org: 550 5.1.1 Mailbox not found"), or "": when the details give
// each recipient a line of its own, that line is its explanation, not the others'.
func detailsLine(details, addr string) string {
	for l := range strings.Lines(details) {
		if a, rest, ok := pvLeadingAddress(l); ok && rest != "" && strings.EqualFold(a, addr) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// googleGroupsMarks are what the Google Groups rejection says in every language it comes
// in (the English sentence, and the Help Center link that the Japanese version has too),
// lower-case:
//
//	We're writing to let you know that the group you tried to contact (libsisimai) may not
//	exist, or you may not have permission to post messages to the group.
//	...
//	If you have questions related to this or any other Google Group, visit the Help Center
//	at https://groups.google.com/support/.
var googleGroupsMarks = []string{
	"the group you tried to contact",
	"groups.google.com/support",
}

// decodeGoogleGroups reads the bounce Google Groups sends for a post to a group that does
// not exist or does not accept the sender. The group is named in X-Failed-Recipients; the
// diagnostic is the paragraph that explains the refusal.
func decodeGoogleGroups(m *mail) []Recipient {
	if m.pvHasDSRecipient() || !m.pvMentions(googleGroupsMarks) || !m.looksLikeBounce() {
		return nil
	}
	xf := m.header.get("X-Failed-Recipients")
	text := m.reportText()
	lower := m.lowerOf(text)
	if !containsAny(lower, googleGroupsMarks) {
		return nil
	}
	// The group may live on the customer's own domain (Google Workspace), so every
	// address X-Failed-Recipients names is taken.
	addrs := addressList(xf)
	if len(addrs) == 0 && m.origFound {
		for _, a := range addressList(decodeWords(m.origHeader.get("To") + ", " + m.origHeader.get("Cc"))) {
			if strings.Contains(strings.ToLower(a), "@googlegroups.") {
				addrs = append(addrs, a)
			}
		}
	}
	if len(addrs) == 0 {
		return nil
	}
	diag := googleGroupsParagraph(text)
	out := make([]Recipient, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, Recipient{Address: a, Action: classify.ActionFailed, Source: "X-Failed-Recipients of the Google Groups bounce", Diagnostic: diag})
	}
	return out
}

// googleGroupsParagraph returns the paragraph that explains the refusal: the first one after
// the greeting ("Hello kijitora@example.jp," or "kijitora@example.jp 様").
func googleGroupsParagraph(text string) string {
	paras := strings.Split(strings.TrimSpace(text), "\n\n")
	for i, p := range paras {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if i == 0 && len(p) < 120 && strings.IndexByte(p, '@') >= 0 {
			continue // the greeting
		}
		return pvJoin(strings.Split(p, "\n"))
	}
	return ""
}

// googleNoticeMarks open the notice of Gmail and Google Workspace since 2015, lower-case:
//
//	** Message not delivered **
//	** Address not found **
//	** Message blocked **
//
// followed by "Your message wasn't delivered to kijitora@example.com because ..." and
// "The response was:" / "The response from the remote server was:" with the answer below.
var googleNoticeMarks = []string{
	"** message not delivered **", "** address not found **", "** message blocked **",
	"** delivery incomplete **", "** mail delivery failed **", "** domain not found **",
}

// googleDelayMarks are the title and first sentence of Gmail's delay notice ("Delivery
// Status Notification (Delay)"), lower-case. Its text goes on to promise a notice "if the
// delivery fails permanently", words that on their own would make it a failure:
//
//	** Delivery incomplete **
//
//	There was a temporary problem delivering your message to kijitora@example.com. Gmail will
//	retry for 47 more hours. You'll be notified if the delivery fails permanently.
var googleDelayMarks = []string{"** delivery incomplete **", "there was a temporary problem delivering"}

// googleRecipientLeads introduce the recipient in the notice's first paragraph,
// lower-case: "Your message wasn't delivered to kijitora@example.com because ...", "There
// was a (temporary) problem delivering your message to kijitora@example.com.", "Your
// message to kijitora@example.com has been blocked."
var googleRecipientLeads = []string{"wasn't delivered to ", "delivering your message to ", "your message to "}

// googleResponseMarks introduce the remote server's answer in the notice, lower-case.
var googleResponseMarks = []string{"the response from the remote server was:", "the response was:"}

// googleSendAsMark names a failure of Gmail's "Send mail as" feature: Gmail could not
// hand the message to the sender's own SMTP server, so it reached none of its recipients.
const googleSendAsMark = "'send mail as'"

// decodeGoogleWorkspace reads a Gmail / Google Workspace notice whose delivery-status part
// is missing or empty (Google leaves it empty when the message never left Gmail).
// Recipients come from "wasn't delivered to ADDRESS" sentences, else X-Failed-Recipients.
func decodeGoogleWorkspace(m *mail) []Recipient {
	if m.pvHasDSRecipient() || !m.pvMentions(googleNoticeMarks) || !m.looksLikeBounce() {
		return nil
	}
	text := m.reportText()
	lower := m.lowerOf(text)
	at, _ := firstOf(lower, googleNoticeMarks)
	if at < 0 {
		return nil
	}
	var addrs []string
	for _, lead := range googleRecipientLeads {
		for i := at; ; {
			j := strings.Index(lower[i:], lead)
			if j < 0 {
				break
			}
			i += j + len(lead)
			// The address comes right after the lead.
			if as := findAddresses(pvLineFrom(text, i)); len(as) > 0 && as[0].start == 0 {
				addrs = append(addrs, as[0].addr)
			}
		}
		if len(addrs) > 0 {
			break
		}
	}
	if len(addrs) == 0 {
		addrs = addressList(m.header.get("X-Failed-Recipients"))
	}
	if strings.Contains(lower, googleSendAsMark) && m.origFound {
		// The message went nowhere: every recipient of the original failed alike.
		addrs = append(addrs, addressList(decodeWords(m.origHeader.get("To")))...)
		addrs = append(addrs, addressList(decodeWords(m.origHeader.get("Cc")))...)
	}
	if len(addrs) == 0 {
		return nil
	}
	diag := googleNoticeDiagnostic(text[at:])
	action := m.pvAction(text)
	if containsAny(lower, googleDelayMarks) {
		action = classify.ActionDelayed
	}
	out := make([]Recipient, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, Recipient{Address: a, Action: action, Source: "the Google notice text", Diagnostic: diag})
	}
	return out
}

// googleNoticeDiagnostic returns the explanation paragraph under the "** ... **" title
// followed by the remote server's answer under "The response was:".
func googleNoticeDiagnostic(text string) string {
	lower := lowerASCII(text)
	explain, answer := "", ""
	if paras := strings.Split(strings.TrimSpace(text), "\n\n"); len(paras) > 1 {
		explain = pvJoin(strings.Split(paras[1], "\n"))
	}
	if i, n := firstOf(lower, googleResponseMarks); i >= 0 {
		rest := strings.TrimLeft(text[i+n:], " \t\n")
		if j := strings.Index(rest, "\n\n"); j >= 0 {
			rest = rest[:j]
		}
		answer = pvJoin(strings.Split(rest, "\n"))
	}
	switch {
	case answer == "":
		return explain
	case explain == "" || strings.HasPrefix(lowerASCII(explain), "the response"):
		return answer
	}
	return explain + " The response was: " + answer
}

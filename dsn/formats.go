package dsn

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// format is one way of reading the recipients out of a mail. decode returns nil when the mail
// is not of its kind (or it found nothing), and the next format is tried.
type format struct {
	name   string
	kind   Kind
	decode func(m *mail) []Recipient
}

// formats is the decode order, which is precedence: specific providers, mail servers and
// services first (a provider's bounce often travels through a server whose layout it
// shares, so the provider goes first) (their lists live in formats_*.go, one decoder per mta_*.go file), then the
// generic RFC 3464 decoder, feedback reports, automatic replies, and last the generic prose
// decoder.
var formats = slices.Concat(providerFormats, serverFormats, serviceFormats, genericFormats)

// genericFormats close the list.
var genericFormats = []format{
	{"rfc3464", KindDSN, decodeRFC3464},
	{"arf", KindFeedback, decodeARF},
	{"autoreply", KindAutoReply, decodeAutoReply},
	{"localpart", KindBounce, decodeBareLocal},
	{"generic", KindBounce, decodeGeneric},
}

// decode runs the formats in order and finishes the report.
func (m *mail) decode() {
	rep := m.rep
	m.fillMessageFields()
	// A bounce's text in a mail that is something else by its header is a quote: the
	// readers of bounce texts leave it (see quotesBounce).
	quoted := m.quotesBounce()
	for _, f := range formats {
		if quoted && f.kind == KindBounce {
			continue
		}
		recips := m.try(f)
		if len(recips) == 0 {
			continue
		}
		finished := m.finishRecipients(recips)
		if len(finished) == 0 {
			// Every recipient the format read was something other than a mail address
			// (an X.400 or X.500 address in Final-Recipient, RFC 3464 §2.3.2, kept as a
			// problem): the next formats may find the addresses the mail's text names.
			m.recipStarts = nil
			continue
		}
		rep.Format = f.name
		rep.Kind = f.kind
		rep.Recipients = finished
		break
	}
	m.fillOriginal()
	if len(rep.Recipients) > 0 {
		return
	}
	if quoted {
		if len(m.header) > 0 {
			rep.Kind = KindNotBounce
		}
		return
	}
	if in := m.carriedBounce(); in != nil {
		rep.Format, rep.Kind, rep.Recipients = in.Format, in.Kind, in.Recipients
		return
	}
	if v := m.verpRecipient(); v != "" && m.looksLikeBounce() {
		rep.Format, rep.Kind = "verp", KindBounce
		// The bounce names nobody, so its own words are the only diagnostic there is.
		diag := strings.Join(strings.Fields(m.reportText()), " ")
		rep.Recipients = m.finishRecipients([]Recipient{{Address: v, Action: classify.ActionFailed, Diagnostic: pvClip(diag, 500),
			Source: "the VERP address the bounce was sent to"}})
		return
	}
	switch {
	case m.fbFound:
		// decodeARF has said why the report names nobody; it is still a feedback report.
		rep.Kind, rep.Format = KindFeedback, "arf"
	case m.dsFound || m.looksLikeBounce():
		rep.Kind = KindBounce
		if m.dsFound {
			rep.Kind = KindDSN
		}
		m.problem(ProblemNoRecipient, "the mail looks like a bounce but names no recipient that could be read", false)
	case len(m.header) > 0:
		rep.Kind = KindNotBounce
	}
}

// try runs one format. A panic in it (a decoder bug: input never should cause one) becomes a
// problem on the report, and the next format gets its turn, so that one bad decoder costs
// one format, not the mail or the run.
func (m *mail) try(f format) (recips []Recipient) {
	m.checkContext()
	defer func() {
		if v := recover(); v != nil {
			if stop, ok := v.(stopDecoding); ok {
				panic(stop) // the mail is too costly, not the decoder wrong: parseBytes records it
			}
			m.problem(ProblemInternal, fmt.Sprintf("the %s decoder failed on this mail (%v); please report it with the mail", f.name, v), true)
			recips = nil
		}
	}()
	return f.decode(m)
}

// fillMessageFields copies the per-message fields of a delivery-status part to the report.
func (m *mail) fillMessageFields() {
	rep := m.rep
	rep.MessageFields = m.dsMessage
	var buf [64]byte
	for _, f := range m.dsMessage {
		switch string(appendLower(buf[:0], f.Name)) {
		case "reporting-mta":
			// RFC 3464 §2.1.1: text in parentheses is a comment.
			_, rep.ReportingMTA = typedValue(stripComments(f.Value))
		case "received-from-mta":
			_, rep.ReceivedFromMTA = typedValue(stripComments(f.Value))
		case "arrival-date":
			rep.ArrivalDate = f.Value
		case "original-envelope-id":
			rep.OriginalEnvelopeID = decodeXtext(f.Value)
		}
	}
}

// finishRecipients settles codes, cleans addresses, drops duplicates and applies the cap. It
// writes the result over in (a recipient is read before its place is written, since out
// never grows past the recipient being read): the decoders hand over slices of their own that
// nothing reads after this.
func (m *mail) finishRecipients(in []Recipient) []Recipient {
	out := in[:0]
	seen := make(map[string]int, len(in))
	for _, r := range in {
		m.spend(recipientWork + len(r.Diagnostic))
		raw := strings.TrimSpace(r.Address)
		r.Address = cleanAddress(r.Address)
		if o := cleanAddress(r.OriginalAddress); validMailbox(o) || o == "" {
			r.OriginalAddress = o
		} else {
			r.OriginalAddress = strings.TrimSpace(r.OriginalAddress) // the raw text, as written
		}
		if r.Address == "" {
			continue
		}
		if !validMailbox(r.Address) {
			m.problem(ProblemBadAddress, fmt.Sprintf("%q is not a mail address (RFC 5321 §4.1.2); not reported as a recipient", clipUTF8(raw, 200)), true)
			continue
		}
		settleCodes(&r)
		if r.Status == "" && r.Reply == "" {
			m.fromNestedBounce(&r)
		}
		r.Diagnostic = collapseBlanks(r.Diagnostic)
		if r.Command == "" {
			r.Command = m.commandFor(r, in)
		}
		key := strings.ToLower(r.Address)
		if i, ok := seen[key]; ok {
			mergeRecipient(&out[i], r)
			continue
		}
		if len(out) >= m.lim.MaxRecipients {
			m.problem(ProblemTooManyRecips, "more recipients than the cap; the rest were dropped", true)
			break
		}
		seen[key] = len(out)
		out = append(out, r)
	}
	return out
}

// actionAllows reports whether a status of class c can be that of a recipient with action a
// (RFC 3464 §2.3.3, RFC 3463 §3.1): delayed is class 4, delivered, relayed and expanded are
// class 2, failed is 4 or 5 (an MTA gives up on temporary answers too). An unknown action
// allows any class.
func actionAllows(a classify.Action, c byte) bool {
	switch a {
	case classify.ActionDelayed:
		return c == '4'
	case classify.ActionDelivered, classify.ActionRelayed, classify.ActionExpanded:
		return c == '2'
	case classify.ActionFailed:
		return c == '4' || c == '5'
	}
	return true
}

// settleCodes fills the reply and text codes from the diagnostic and picks the best status.
// The code in the diagnostic text is the receiving server's own answer, while the Status field
// is the reporting MTA's summary of it (often generic, X.0.0, or the give-up code X.4.7), so
// the text's code wins when it agrees with the reply code's class and with the action (RFC 3464
// §2.3.3: a delayed recipient's status is of class 4, a delivered, relayed or expanded one's of
// class 2; a reporting MTA that retries after a 5xx, as Postfix's soft_bounce does, says so in
// its own Status). Otherwise the Status field stands. Both stay visible in FieldStatus and TextStatus. When the mail holds no enhanced
// code at all, InferredStatus carries the class the reply code or the action implies.
func settleCodes(r *Recipient) {
	if r.Diagnostic != "" && (r.Reply == "" || r.TextStatus == "") {
		rc, st := classify.ExtractCodes(withoutSenderCallout(r.Diagnostic))
		if r.Reply == "" {
			r.Reply = rc
		}
		if r.TextStatus == "" {
			r.TextStatus = st
		}
	}
	src := r.Source
	if src == "" {
		src = "the mail"
	}
	textAgrees := r.TextStatus != "" && (r.Reply == "" || r.Reply.Class() == r.TextStatus.Class())
	switch {
	case textAgrees && (r.FieldStatus == "" || r.FieldStatus != r.TextStatus && actionAllows(r.Action, r.TextStatus.Class())):
		r.Status, r.StatusSource = r.TextStatus, "the diagnostic text"
	case r.FieldStatus != "":
		r.Status, r.StatusSource = r.FieldStatus, "the Status field of "+src
	case r.TextStatus != "":
		r.Status, r.StatusSource = r.TextStatus, "the diagnostic text"
	}
	r.InferredStatus = ""
	if r.Status == "" {
		switch {
		case r.Reply.Class() == '4' || r.Reply.Class() == '5':
			r.InferredStatus = classify.Status(string(r.Reply[0]) + ".0.0")
		case r.Action == classify.ActionFailed:
			r.InferredStatus = "5.0.0"
		case r.Action == classify.ActionDelayed:
			r.InferredStatus = "4.0.0"
		}
	}
}

// withoutSenderCallout returns diag without the answer a sender-verification callout got,
// which Exim's verify.c quotes inside its own refusal:
//
//	550-Verification failed for <sender@example.net>
//	550-Called:   192.0.2.9
//	550-Sent:     RCPT TO:<sender@example.net>
//	550-Response: 550 5.1.1 <sender@example.net>: Recipient address rejected
//	550 Sender verify failed
//
// The "Response:" line is what the sender's own server said about the sender's address: its
// codes are not the receiving server's answer about the recipient, which is the reply that
// ends the refusal ("550 Sender verify failed"). Anything else is returned as it is.
func withoutSenderCallout(diag string) string {
	end := indexFold(diag, "sender verify failed")
	if end < 0 {
		return diag
	}
	resp := indexFold(diag[:end], "response:")
	if resp < 0 {
		return diag
	}
	resp += len("response:")
	// The closing reply's own code stays: "550 Sender verify failed".
	if k := strings.TrimRight(diag[resp:end], " \t\n"); len(k) >= 3 && allDigits(k[len(k)-3:]) {
		end = resp + len(k) - 3
	}
	return diag[:resp] + " " + diag[end:]
}

// mergeRecipient fills what dst lacks from src, for a recipient reported twice.
func mergeRecipient(dst *Recipient, src Recipient) {
	if dst.Diagnostic == "" {
		dst.Diagnostic, dst.DiagnosticType = src.Diagnostic, src.DiagnosticType
	}
	if dst.Reply == "" {
		dst.Reply = src.Reply
	}
	if dst.Status == "" || (dst.Status.Generic() && src.Status != "" && !src.Status.Generic() && src.Status.Class() == dst.Status.Class()) {
		dst.Status, dst.StatusSource = src.Status, src.StatusSource
	}
	if dst.FieldStatus == "" {
		dst.FieldStatus = src.FieldStatus
	}
	if dst.TextStatus == "" {
		dst.TextStatus = src.TextStatus
	}
	if dst.Status != "" {
		dst.InferredStatus = ""
	}
	if len(dst.Fields) == 0 {
		dst.Fields = src.Fields
	}
	if dst.RemoteMTA == "" {
		dst.RemoteMTA = src.RemoteMTA
	}
	if dst.Action == classify.ActionUnknown {
		dst.Action = src.Action
	}
	if dst.OriginalAddress == "" {
		dst.OriginalAddress = src.OriginalAddress
	}
	if dst.FinalAddress == "" {
		dst.FinalAddress = src.FinalAddress
	}
}

// decodeRFC3464 reads the recipients of a delivery-status part (RFC 3464 §2.3).
func decodeRFC3464(m *mail) []Recipient {
	if !m.dsFound {
		m.deliveryStatusInText()
	}
	if !m.dsFound || len(m.dsRecips) == 0 {
		return nil
	}
	var out []Recipient
	bad := 0
	for _, g := range m.dsRecips {
		if g == nil {
			continue
		}
		r := dsRecipient(g, m.dsGlobal)
		if r.Address == "" {
			bad++
			continue
		}
		if r.Diagnostic == "" {
			// The human-readable part often says what the machine part leaves out.
			if d := m.diagnosticNear(r.Address); d != "" {
				r.Diagnostic = d
			} else if r.FieldStatus == "" || r.FieldStatus.Generic() || expiredStatus(r.FieldStatus) {
				r.Diagnostic = m.explanationNear(r.Address)
			}
		}
		if r.Action == classify.ActionDelayed && expiredStatus(r.FieldStatus) && saysExpired(r.Diagnostic) {
			// QUIRK: RFC 3464 §2.3.3 "delayed" means delivery is still being tried, but X.4.7
			// (RFC 3463: delivery time expired) with the words "expired" says the MTA gave the
			// message up. OpenSMTPD 6.8 sends its expiry in its delay template ("<rcpt>:
			// Envelope expired", Action: delayed, Status: 4.4.7; testdata/eml/opensmtpd/lab-*).
			r.Action = classify.ActionFailed
		}
		out = append(out, r)
	}
	if bad > 0 {
		m.problem(ProblemBadDSN, "a recipient group without Final-Recipient was skipped", true)
	}
	return out
}

// decodeARF reads a feedback report (RFC 5965 §3.2): the complained-about recipients are the
// Original-Rcpt-To and Removal-Recipient fields, else the returned message's
// X-HmXmrOriginalRecipient, else its To.
func decodeARF(m *mail) []Recipient {
	if !m.fbFound {
		return nil
	}
	fb := &Feedback{Fields: m.fbFields}
	var rcpts []string
	var buf [64]byte
	for _, f := range m.fbFields {
		switch string(appendLower(buf[:0], f.Name)) {
		case "feedback-type":
			fb.Type = strings.ToLower(strings.TrimSpace(f.Value))
		case "user-agent":
			fb.UserAgent = f.Value
		case "version":
			fb.Version = f.Value
		case "original-mail-from":
			fb.OriginalMailFrom = cleanAddress(f.Value)
		case "arrival-date", "received-date":
			fb.ArrivalDate = f.Value
		case "source-ip":
			fb.SourceIP = f.Value
		case "reporting-mta":
			_, fb.ReportingMTA = typedValue(f.Value)
		case "original-rcpt-to", "removal-recipient":
			rcpts = append(rcpts, cleanAddress(f.Value))
		}
	}
	if fb.Type == "" {
		fb.Type = "abuse"
	}
	m.rep.Feedback = fb
	if len(rcpts) == 0 && m.origFound {
		// Outlook.com's reports (JMRP) name the envelope recipient in a header of the returned
		// message; an envelope recipient is the one who complained, a To header may be a list.
		rcpts = addressList(decodeWords(m.origHeader.get("X-HmXmrOriginalRecipient")))
		if len(rcpts) == 0 {
			rcpts = addressList(decodeWords(m.origHeader.get("To")))
		}
	}
	out := make([]Recipient, 0, len(rcpts))
	for _, a := range rcpts {
		if strings.Contains(a, "@") {
			out = append(out, Recipient{Address: a, Source: "the feedback report", Diagnostic: strings.TrimSpace(m.firstLine())})
		}
	}
	if len(out) == 0 {
		// The report is still a feedback report (decode says so); it just names nobody.
		m.problem(ProblemNoRecipient, "feedback report names no recipient (no Original-Rcpt-To, and the returned message has no usable To)", false)
	}
	return out
}

// firstLine returns the first non-empty line of the main text, capped.
func (m *mail) firstLine() string {
	for _, l := range strings.Split(m.text(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if len(l) > 200 {
				l = l[:200]
			}
			return l
		}
	}
	return ""
}

// deliveryStatusInText looks for delivery-status fields written into a text part.
//
// QUIRK: RFC 3464 §2 puts them in a message/delivery-status part, but Amazon WorkMail,
// some Exchange gateways and mailing-list software paste them into text/plain
// ("Technical report:" followed by Reporting-MTA, Final-Recipient, Action, Status).
func (m *mail) deliveryStatusInText() {
	if m.dsTextTried {
		return
	}
	m.dsTextTried = true
	if !m.mentions("final-recipient:") {
		return
	}
	t := m.reportText()
	i := indexLineStartFold(t, "final-recipient:")
	if i < 0 {
		return
	}
	// Back up over the field lines and blank lines that belong to the block.
	start := i
	for start > 0 {
		ls := strings.LastIndexByte(t[:start-1], '\n') + 1
		line := strings.TrimSpace(t[ls : start-1])
		if line != "" && !isHeaderLine(line) {
			break
		}
		start = ls
	}
	// Run forward while lines are fields, continuations or blank.
	end := i
	for end < len(t) {
		j := strings.IndexByte(t[end:], '\n')
		next := len(t)
		if j >= 0 {
			next = end + j + 1
		}
		line := t[end:next]
		tl := strings.TrimSpace(line)
		if tl != "" && line[0] != ' ' && line[0] != '\t' && !isHeaderLine(tl) {
			break
		}
		end = next
	}
	m.parseDeliveryStatus(t[start:end], false)
}

// indexLineStartFold finds prefix (lower-case) at the start of a line of s, ignoring case.
func indexLineStartFold(s, prefix string) int {
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '\n')
		line := s[i:]
		if j >= 0 {
			line = s[i : i+j]
		}
		if len(line) >= len(prefix) && strings.EqualFold(line[:len(prefix)], prefix) {
			return i
		}
		if j < 0 {
			break
		}
		i += j + 1
	}
	return -1
}

// commandFor finds the SMTP command that the failure of r answered: in its diagnostic, else
// in the report text around its address (a Sendmail transcript's ">>> RCPT To:<addr>", a
// Postfix "(in reply to RCPT TO command)" on the next line), else, when the mail reports on
// one recipient only, anywhere in the report text. The text around the address ends where
// the next recipient's address stands and starts after the line of the one before: a command
// written there answered that recipient's failure, not this one's. all holds the recipients of
// the mail (some entries may already be finished; their addresses are the same, cleaned).
func (m *mail) commandFor(r Recipient, all []Recipient) string {
	if c := m.commandIn(r.Diagnostic); c != "" {
		return c
	}
	if !m.mayMentionCommand() {
		return ""
	}
	text := m.reportText()
	if i := m.addressAt(r.Address); i >= 0 {
		// From the line above the address's (the search is bounded: see lineStart).
		start := lineStart(text, i, max(0, i-800))
		if start > 0 {
			start = lineStart(text, start-1, max(0, start-801))
		}
		end := min(len(text), i+800)
		if len(all) > 1 {
			start, end = m.ownSpan(text, i, start, end, all)
		}
		if c := m.commandIn(text[start:end]); c != "" {
			return c
		}
	}
	if len(all) != 1 {
		return ""
	}
	if !m.textCommandDone {
		end := min(len(text), 8<<10)
		m.textCommand, m.textCommandDone = classify.CommandIn(text[:end]), true
	}
	return m.textCommand
}

// commandIn is classify.CommandIn, read once per text in a mail: recipients that share a
// diagnostic, or the lines around an address that several stand for, ask for it again.
func (m *mail) commandIn(text string) string { return m.commands.of(text, classify.CommandIn) }

// ownSpan narrows [start, end) around the address at i in text to the part that speaks of
// it alone: it ends at the start of the line where another recipient's address first stands
// after i, and starts after the line where one stands before i.
func (m *mail) ownSpan(text string, i, start, end int, all []Recipient) (int, int) {
	if m.recipStarts == nil {
		m.recipStarts = make([]int, 0, len(all))
		for _, o := range all {
			if p := m.addressAt(cleanAddress(o.Address)); p >= 0 {
				m.recipStarts = append(m.recipStarts, p)
			}
		}
		slices.Sort(m.recipStarts)
	}
	k, _ := slices.BinarySearch(m.recipStarts, i)
	if k > 0 {
		if p := m.recipStarts[k-1]; p >= start {
			if nl := strings.IndexByte(text[p:i], '\n'); nl >= 0 {
				start = p + nl + 1
			}
		}
	}
	for ; k < len(m.recipStarts); k++ {
		if p := m.recipStarts[k]; p > i {
			if p < end {
				end = max(i, lineStart(text, p, i))
			}
			break
		}
	}
	return start, end
}

// fromNestedBounce fills the codes of r from the returned message when that message is itself
// a bounce naming r with codes: security gateways and forwarders wrap the bounce they got
// ("The following mail could not be delivered", with the MTA's report attached).
func (m *mail) fromNestedBounce(r *Recipient) {
	if m.nested || len(m.origRaw) == 0 {
		return
	}
	for _, in := range m.nestedReport().Recipients {
		if strings.EqualFold(in.Address, r.Address) && (in.Status != "" || in.Reply != "") {
			r.Diagnostic, r.DiagnosticType = in.Diagnostic, in.DiagnosticType
			r.Reply, r.TextStatus, r.Status, r.InferredStatus = in.Reply, in.TextStatus, in.Status, ""
			r.StatusSource = "the bounce returned inside this one"
			if r.Command == "" {
				r.Command = in.Command
			}
			return
		}
	}
}

// nestedReport decodes the returned message as a mail of its own, once.
func (m *mail) nestedReport() *Report {
	if m.nestedRep == nil {
		inner := &mail{lim: m.lim, rep: &Report{}, nested: true, budget: m.budget}
		hdr, body := splitHeader(m.origRaw)
		inner.header = parseHeader(hdr, nil)
		inner.subject = decodeWords(inner.header.get("Subject"))
		inner.subjLow = strings.ToLower(strings.TrimSpace(inner.subject))
		inner.from = decodeWords(inner.header.get("From"))
		inner.to = decodeWords(inner.header.get("To"))
		inner.walkAll(inner.header, body, 1)
		inner.decode()
		inner.grams.release()
		m.nestedRep = inner.rep
	}
	return m.nestedRep
}

// carriedBounce returns the report of the message this mail carries when this mail names no
// recipient and that message is itself a bounce by its header (see headerSaysBounce): a
// notice that passes on a bounce it could not read (a list manager's "uncaught bounce"
// notification, a gateway's wrapper that lists nobody) reports what the carried bounce
// reports. Nil when there is none or it names nobody either.
func (m *mail) carriedBounce() *Report {
	if m.nested || len(m.origRaw) == 0 || !headerSaysBounce(m.origHeader) {
		return nil
	}
	if in := m.nestedReport(); len(in.Recipients) > 0 {
		return in
	}
	return nil
}

// commandWordings are the words of each wording classify.CommandIn knows.
var commandWordings = classify.CommandWordings()

// mayMentionCommand reports whether the main text may hold all the words of one of
// commandWordings: when it does not, no part of it names a command. Only ASCII case is
// ignored, so text with a non-ASCII letter that classify lowers to an ASCII one ('İ' to 'i',
// the Kelvin sign to 'k') always may.
func (m *mail) mayMentionCommand() bool {
	if !m.mayCommandKnown {
		m.mayCommand, m.mayCommandKnown = m.readMayMentionCommand(), true
	}
	return m.mayCommand
}

func (m *mail) readMayMentionCommand() bool {
	g := m.lowerGrams()
	for _, ws := range commandWordings {
		if !slices.ContainsFunc(ws, func(w string) bool { return !g.mayContain(w) }) {
			return true
		}
	}
	return lowersToASCII(m.text()) // lower-casing ASCII letters leaves both as they are
}

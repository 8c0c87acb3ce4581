package dsn

import (
	"iter"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bounceproc/bounceproc/classify"
)

// bounceSubjects are subject words that mark a delivery failure notice, lower-cased. They
// come from the subjects of Postfix, Exim, Sendmail, qmail, Exchange, Notes, Gmail and
// Japanese carrier bounces.
var bounceSubjects = []string{
	"undeliver", "undelivered", "delivery status notification", "delivery failure", "delivery failed",
	"failure notice", "returned mail", "mail delivery failed", "delivery notification", "nondeliverable",
	"non-deliverable", "non delivery", "non-delivery", "could not be delivered", "couldn't be delivered",
	"delivery has failed", "message not delivered", "mail system error", "returned to sender",
	"delivery problem", "mail delivery system", "rejected", "delivery report", "warning: could not send",
	"delayed mail", "delivery delayed", "delivery status", "unzustellbar", "non remis", "non recapitabile",
	"no entregado", "niet bezorgd", "problem delivering", "failed delivery", "mail failure",
	"permanent error", "error sending message", "message delivery", "undelivered mail",
	"returned message", "message you sent", "not delivered", "mail could not be delivered", "delivery error",
}

// bounceSenders are local parts and display names of the senders of bounces, lower-cased.
var bounceSenders = []string{
	"mailer-daemon", "postmaster", "mail delivery", "maildelivery", "mail-daemon", "mailer daemon",
	"delivery subsystem", "microsoftexchange", "mail administrator", "mail system", "delivery notification",
	"mdaemon", "mailerdaemon", "nobody@", "mail_delivery",
}

// weakBounceSenders are words, lower-cased, of senders' addresses and names that say where
// bounces go rather than who writes them: a return path (RFC 5321 §4.5.5) named for bounces,
// as a list's LIST-bounces address (Mailman), a sending service's bounces@ or a VERP address
// is. They count as a mail system's (fromMailSystem), but the software behind such an
// address also mails reports of its own about the bounces it has processed (see
// namedForBouncesOnly).
var weakBounceSenders = []string{"bounce"}

// looksLikeBounce reports whether the mail presents itself as a delivery failure notice, by
// its sender, subject, an empty return path or an X-Failed-Recipients header.
func (m *mail) looksLikeBounce() bool {
	// Many decoders ask; the answer only changes when a delivery-status part turns up.
	if !m.bounceKnown || m.bounceKnownDS != m.dsFound {
		m.bounce, m.bounceKnown, m.bounceKnownDS = m.readLooksLikeBounce(), true, m.dsFound
	}
	return m.bounce
}

// looksLikeBounceByHeader reports whether looksLikeBounce holds by presentsAsBounce, not by a
// bounce's body words alone.
func (m *mail) looksLikeBounceByHeader() bool {
	return m.looksLikeBounce() && m.bounceHeader
}

func (m *mail) readLooksLikeBounce() bool {
	m.bounceHeader = false
	if !m.dsFound && (m.subjectIsServerNotice() || m.subjectIsRecallReport()) {
		return false
	}
	if m.bounceHeader = m.presentsAsBounce(); m.bounceHeader {
		return true
	}
	// A returned message that reads like a bounce is one (a gateway wrapped it).
	return (m.nullReturnPath() || m.nested) && m.bodyHasFailureWords()
}

// nullReturnPath reports whether the mail's Return-Path is the null path "<>", which bounces
// and other delivery notices are sent with (RFC 5321 §4.5.5).
func (m *mail) nullReturnPath() bool {
	return strings.TrimSpace(m.header.get("Return-Path")) == "<>"
}

// presentsAsBounce reports whether the mail's header or a delivery-status part says it is a
// delivery failure notice: looksLikeBounce without reading the body.
func (m *mail) presentsAsBounce() bool {
	if m.dsFound || m.header.has("X-Failed-Recipients") {
		return true
	}
	return m.fromMailSystem() || m.subjectIsBounce()
}

// fromMailSystem reports whether the mail's sender is a mail system's address or name (one
// of bounceSenders).
func (m *mail) fromMailSystem() bool { return sentByMailSystem(m.from) }

// sentByMailSystem reports whether the decoded From value from names a mail system's
// address or name (one of bounceSenders).
func sentByMailSystem(from string) bool {
	from = strings.ToLower(from)
	return containsAny(from, bounceSenders) || containsAny(from, weakBounceSenders)
}

// namedForBouncesOnly reports whether the mail is a mail system's only by a sender named for
// bounces (weakBounceSenders, and none of bounceSenders) and says nothing else a bounce says:
// no bounce's words in its subject (bounceSubjects) and no returned message or header. The
// software behind an address where bounces go writes from it about the bounces it has
// processed (a daily summary of the addresses that failed); its notices about one member
// carry the bounce they act on, and a mail system that sends its bounces from such an
// address still calls them bounces in their subject, returns the message, or sends them
// with the null return path (which quotesBounce reads first).
func (m *mail) namedForBouncesOnly() bool {
	from := strings.ToLower(m.from)
	return !m.origFound && containsAny(from, weakBounceSenders) && !containsAny(from, bounceSenders) &&
		!containsAny(m.subjLow, bounceSubjects)
}

// serverNoticeSubjects are subject words of a mail server's notice to its postmaster about a
// session it received, lower-cased: Postfix's smtpd (smtpd_chat.c, notify_classes) writes
// "Subject: Postfix SMTP server: errors from unknown[192.0.2.7]" above the transcript of the
// session (" In:  RCPT TO:<nobody@example.org>", " Out: 550 5.1.1 ... User unknown"). The
// addresses it names were refused by this server to someone else: no mail of ours failed.
var serverNoticeSubjects = []string{"smtp server: errors from"}

// subjectIsServerNotice reports whether the subject is that of a notice in serverNoticeSubjects.
func (m *mail) subjectIsServerNotice() bool {
	for _, s := range serverNoticeSubjects {
		if indexLowerASCII(m.subject, s) >= 0 {
			return true
		}
	}
	return false
}

// recallSubjects are subject words of Outlook's and Exchange's reports on a message recall,
// lower-cased: "Message Recall Success: hello", "Message Recall Failure: hello", Exchange
// Online's "Message Recall Report for message: hello", German Outlook's "Nachrichtenrückruf".
// They report whether a delivered message could be removed from a mailbox again (it had been
// read, or it was moved), and name its recipients: no delivery failed.
var recallSubjects = []string{"message recall", "nachrichtenrückruf"}

// subjectIsRecallReport reports whether the subject is that of a recall report (recallSubjects).
func (m *mail) subjectIsRecallReport() bool { return containsAny(m.subjLow, recallSubjects) }

// weakBounceSubjects are subject words that people and newsletters use as a topic ("bounce
// rate", "a question about bounces"): they mark a bounce only in a mail that its header says
// was generated automatically or sent with a null return path.
var weakBounceSubjects = []string{"bounce"}

// subjectIsBounce reports whether the subject is a bounce's. The words of a subject that an
// automatic reply's prefix starts ("Automatic reply: Undeliverable: hello", an out-of-office
// reply to a bounce) are the answered mail's, as are those of a reply in a thread (see
// isThreadReply) and of a mail a person wrote in a mail program (see fromMailProgram). A
// one-way mass mailing's subject names its topic, not a failure ("Why your emails are
// undeliverable"): a mail with List-Unsubscribe but no List-Post (RFC 2369 §3.2, §3.4: an
// announcement list has none) is not taken for a bounce by its subject. A bounce that a
// discussion list passed on (sent to the list's address by a broken gateway) keeps its
// subject's words: the list adds List-Post.
func (m *mail) subjectIsBounce() bool {
	if m.header.has("List-Unsubscribe") && !m.header.has("List-Post") {
		return false
	}
	subj := m.subjLow
	if m.isThreadReply(subj) || m.answersAsPerson() || autoReplyPrefixed(strings.TrimSpace(subj)) || answerSubject(subj) || m.fromMailProgram() {
		return false
	}
	if containsAny(subj, bounceSubjects) {
		return !m.fromListServer()
	}
	if !containsAny(subj, weakBounceSubjects) {
		return false
	}
	as := strings.ToLower(strings.TrimSpace(m.header.get("Auto-Submitted")))
	return (as != "" && as != "no" || m.nullReturnPath()) && !m.fromListServer()
}

// mailPrograms name, lower-cased, the mail programs people write with, as their X-Mailer
// field does ("Microsoft Outlook 16.0", "Apple Mail (2.3774)", "iPhone Mail (20A362)").
var mailPrograms = []string{
	"outlook", "apple mail", "iphone mail", "ipad mail", "thunderbird", "evolution", "mutt", "roundcube",
	"squirrelmail", "sylpheed", "claws mail", "becky!", "em client", "mailbird", "the bat!", "kmail", "alpine",
}

// fromMailProgram reports whether a person wrote the mail in a mail program: it carries a
// User-Agent field (Thunderbird, Mutt, Evolution and webmail write one) or an X-Mailer that
// names one of mailPrograms. A bounce's subject words in such a mail are a person's topic
// ("Undeliverable mail to dave"); bounces come from mail servers and gateways, which name
// themselves otherwise, if at all, and whose sender says what they are (fromMailSystem).
func (m *mail) fromMailProgram() bool {
	return m.header.has("User-Agent") || containsAny(strings.ToLower(m.header.get("X-Mailer")), mailPrograms)
}

// quotesBounce reports whether the mail's own header says it is another kind of mail than a
// bounce, so that a bounce's text in it is quoted, not the mail's own report. It has neither
// a null return path (RFC 5321 §4.5.5) nor X-Failed-Recipients nor a delivery-status part,
// and it is the report of the software behind an address where bounces go
// (namedForBouncesOnly), or it does not come from a mail system (fromMailSystem), is not a
// person's forward (read as the mail it forwards), and it is an automatic reply by its header or subject (RFC 3834; an
// out-of-office reply quoting the bounce it answers), sorts addresses into hard and soft
// bounces (sortsBounces: a sending service's campaign report), is a person's account of a
// bounce in their own words (tellsOfOwnMail), opens by acknowledging a request
// (opensWithAcknowledgement: a ticket system's receipt quoting the customer's mail), answers
// a bounce by its subject
// (answerSubject: a ticket system's acknowledgement quoting the customer's mail), or is a
// list's distribution under a subject of no bounce's (List-Id, RFC 2919: a digest holding a
// bounce sent to the list; a list passes a bounce on with the mail system's From, and a
// bounce of a list's mail may keep its List-Id under a bounce's subject).
func (m *mail) quotesBounce() bool {
	if m.dsFound || m.header.has("X-Failed-Recipients") || m.nullReturnPath() {
		return false
	}
	if m.namedForBouncesOnly() {
		return true
	}
	if m.fromMailSystem() {
		return false
	}
	subj := m.subjLow
	if forwardPrefixed(subj) {
		return false
	}
	if m.header.has("List-Id") && !containsAny(subj, bounceSubjects) || answerSubject(subj) || m.subjectIsAutoReply() || m.sortsBounces() || m.tellsOfOwnMail() || m.opensWithAcknowledgement() {
		return true
	}
	as := strings.ToLower(strings.TrimSpace(m.header.get("Auto-Submitted")))
	prec := strings.ToLower(strings.TrimSpace(m.header.get("Precedence")))
	return m.declaresAutoReply(as, prec)
}

// bounceSorts are the words, lower-cased, in which software that has processed bounces sorts
// the addresses it reports on: a sending service's campaign report ("Hard bounces (2):",
// "dave@example.com (Hard bounce: Mailbox does not exist - 550 5.1.1)"), a list manager's or
// a CRM's. Mail systems' bounce templates report the receiving server's reply; they do not
// sort addresses into hard and soft bounces.
var bounceSorts = []string{"hard bounce", "soft bounce", "hard-bounce", "soft-bounce", "hardbounce", "softbounce"}

// sortsBounces reports whether the mail's own words, before any reply code it quotes, sort
// addresses into hard and soft bounces (bounceSorts): a report about bounces that software
// has already processed (after many sends: a campaign, a period), not a mail system's notice
// about one message. A server's reply may use the words ("550 5.1.1 ... hard bounce"); it
// follows its code.
func (m *mail) sortsBounces() bool {
	t := m.reportText()
	i, _ := m.firstOfText(t, bounceSorts)
	return i >= 0 && !hasCode(t[:i])
}

// ownMailWords are words, lower-cased, in which a person speaks of a mail of their own
// ("My mail to dave@example.com came back", "I sent the invoice"). A mail system reports on
// the reader's message, which it names as such (messageReferences) or returns.
var ownMailWords = []string{"my mail", "my message", "my email", "my e-mail", "i sent", "i've sent", "i have sent"}

// firstWordOf returns where in t the first of words (lower-case) stands as a word of its own
// start (no letter before it), ASCII case ignored, or -1.
func firstWordOf(t string, words []string) int {
	at := -1
	for _, w := range words {
		for from := 0; from < len(t) && (at < 0 || from < at); {
			i := indexLowerASCII(t[from:], w)
			if i < 0 {
				break
			}
			i += from
			if r, _ := utf8.DecodeLastRuneInString(t[:i]); i == 0 || !unicode.IsLetter(r) {
				if at < 0 || i < at {
					at = i
				}
				break
			}
			from = i + 1
		}
	}
	return at
}

// messageReferences are words, lower-cased, in which a bounce names the message it reports
// on: the reader's, or the one it shows or returns ("Your message could not be delivered",
// "The email below could not be delivered", "A message that you sent", "The following mail").
var messageReferences = []string{
	"your message", "your mail", "your email", "your e-mail", "your original message", "a message", "the message",
	"the following message", "the following mail", "the following email", "the email below", "the mail below",
	"the message below",
}

// tellsOfOwnMail reports whether the mail is a person's account of a bounce in their own
// words: it quotes no reply code and returns no message, and its text speaks of the writer's
// own mail (ownMailWords) before it names any message as a bounce does (messageReferences).
// A bounce reports on the sender's message: it names it so, returns it or quotes the
// server's reply.
func (m *mail) tellsOfOwnMail() bool {
	if m.origFound {
		return false
	}
	t := m.reportText()
	if !m.textContainsAny(t, ownMailWords) {
		return false
	}
	own := firstWordOf(t, ownMailWords)
	if own < 0 || hasCode(t) {
		return false
	}
	ref := firstWordOf(t, messageReferences)
	return ref < 0 || own < ref
}

// requestWords name, lower-cased, what a ticket system's acknowledgement says it received
// ("Your request (1240) has been received", "We have received your request", "Ticket 5123
// has been created"), and ackWords what became of it.
var (
	requestWords = []string{"your request", "your ticket", "your case", "support request", "ticket"}
	ackWords     = []string{"received", "created", "opened"}
)

// opensWithAcknowledgement reports whether the mail's first sentence acknowledges a request
// (requestWords and ackWords together): a ticket system's acknowledgement of a customer's
// mail, which quotes the mail below. A bounce opens with the failure it reports ("Your
// message to dave@example.com couldn't be delivered", "Delivery has failed to these
// recipients"), never with a receipt; a first sentence that names the returned message by
// its subject ("Your document: Ticket 4711 received was not delivered to") states the
// failure (failureWords).
func (m *mail) opensWithAcknowledgement() bool {
	t := strings.TrimSpace(m.reportText())
	end := len(t)
	if i := strings.IndexAny(t, ".!\n"); i >= 0 {
		end = i
	}
	first := lowerASCII(t[:min(end, 300)])
	return containsAny(first, requestWords) && containsAny(first, ackWords) && !containsAny(first, failureWords)
}

// answerSubject reports whether the lower-cased subject subj is that of a mail answering or
// acknowledging another whose subject was a bounce's: the first of bounceSubjects follows,
// with only blanks between, a reply prefix (replyPrefixes, RFC 5322 §3.6.5) or an automatic
// reply's (autoReplySubjects) that words of the mail's own may precede, a ticket system's
// acknowledgement label (ackLabels), or a forward prefix that words of its own precede
// ("[Ticket#123] Re: Undeliverable: invoice", "[example.org #1002] AutoReply: failure
// notice", "Request received: Returned mail", "Ticket Received - Fwd: Undelivered Mail
// Returned to Sender"). A mail system writes its own words first, or after the returned mail's subject
// ("RE: hello : non remis (delivery failed)"), never directly after a prefix of its own.
func answerSubject(subj string) bool {
	at := -1
	for _, w := range bounceSubjects {
		if i := strings.Index(subj, w); i >= 0 && (at < 0 || i < at) {
			at = i
		}
	}
	if at <= 0 {
		return false
	}
	head := strings.TrimRight(subj[:at], " \t:：")
	ends := func(p string) bool { return endsWithWord(head, strings.TrimRight(p, " :：")) }
	if slices.ContainsFunc(replyPrefixes, ends) || slices.ContainsFunc(autoReplySubjects, ends) {
		return true
	}
	if label := strings.TrimRight(head, " \t-–]"); slices.ContainsFunc(ackLabels, func(l string) bool { return endsWithWord(label, l) }) {
		return true
	}
	return slices.ContainsFunc(forwardPrefixes, func(p string) bool { return ends(p) && len(head) > len(p) })
}

// ackLabels end, lower-cased, the label a ticket system puts before the subject of the mail
// it acknowledges: osTicket's "Request received: ...", Freshdesk's "Ticket Received - ...",
// Zendesk's "[Request received] ...", ServiceNow's "Incident INC0012345 has been opened on
// your behalf: ...", OTRS's and Zammad's "new ticket created".
var ackLabels = []string{"request received", "ticket received", "ticket created", "ticket opened", "opened on your behalf", "case created"}

// endsWithWord reports whether s ends with w and w starts s or follows a character that is
// not a letter or digit (so "re:" does not end "are:").
func endsWithWord(s, w string) bool {
	if !strings.HasSuffix(s, w) {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:len(s)-len(w)])
	return len(s) == len(w) || !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// replyPrefixes start the subject of a reply, lower-cased: "Re:" (RFC 5322 §3.6.5) and the
// words mail programs use for it in other languages (German, Dutch, Scandinavian, Polish,
// Turkish, Portuguese, Italian, Chinese, Russian).
var replyPrefixes = []string{"re:", "re :", "aw:", "antw:", "sv:", "vs:", "odp:", "ynt:", "res:", "rif:", "回复:", "回复：", "答复:", "答复：", "回覆:", "отв:"}

// isThreadReply reports whether the mail is a reply in a thread: a subject that starts with a
// reply prefix and an In-Reply-To or References field (RFC 5322 §3.6.4). A person's answer
// keeps the words of the subject it answers ("Re: Undeliverable messages to example.com").
// subj is the subject lower-cased.
func (m *mail) isThreadReply(subj string) bool {
	subj = strings.TrimSpace(subj)
	return slices.ContainsFunc(replyPrefixes, func(p string) bool { return strings.HasPrefix(subj, p) }) &&
		(m.header.has("In-Reply-To") || m.header.has("References"))
}

// answersAsPerson reports whether the mail answers another (In-Reply-To or References, RFC
// 5322 §3.6.4) and comes neither from a mail system (fromMailSystem) nor with a null return
// path (RFC 5321 §4.5.5): a person's or a helpdesk's answer, whose subject is their own
// ("Returned mail", "Ticket Received - Undeliverable invoice"). The MTAs that thread their
// notices (Gmail, Exchange) send them from their mailer-daemon or postmaster.
func (m *mail) answersAsPerson() bool {
	return (m.header.has("In-Reply-To") || m.header.has("References")) && !m.fromMailSystem() && !m.nullReturnPath()
}

// listServers are the local parts, lower-cased, of list servers' command addresses: Sympa,
// LISTSERV, Majordomo, Mailman's site list, Lyris.
var listServers = []string{"sympa", "listserv", "majordomo", "mailman", "lyris"}

// fromListServer reports whether the mail comes from a mailing list's own address: its owner,
// request, admin or return address (see listAddresses), Google Groups' LIST+owners, or a list
// server's command address (listServers). Such a mail to a poster is the list's notice about
// the post: held for the moderator, rejected by the moderator ("Request to mailing list
// Example rejected", Mailman's admin templates), refused to a non-member (LISTSERV's "Rejected
// posting to EXAMPLE-L"). The list accepted the mail and no address failed; list servers
// report their members' failures to the list's owner, and a bounce of the post comes from
// the mail system.
func (m *mail) fromListServer() bool {
	for _, a := range findAddresses(m.from) {
		addr := strings.ToLower(a.addr)
		if listAddresses(addr) != nil {
			return true
		}
		local, _, _ := strings.Cut(addr, "@")
		if _, tag, ok := strings.Cut(local, "+"); ok && (tag == "owner" || tag == "owners") {
			return true
		}
		if slices.Contains(listServers, local) {
			return true
		}
	}
	return false
}

// failureWords mark a sentence that reports a failed delivery, lower-cased.
var failureWords = []string{
	"could not be delivered", "couldn't be delivered", "undeliverable", "delivery failed", "permanent error",
	"user unknown", "unknown user", "does not exist", "delivery has failed", "failed permanently",
	"was not delivered", "rejected", "not be delivered", "no such user", "mailbox unavailable",
	"fatal error",
	// SurfControl: "Your message could not be sent." ... "--- Message non-deliverable."
	"could not be sent", "non-deliverable",
}

func (m *mail) bodyHasFailureWords() bool {
	t := m.lowerText()
	if len(t) > 8192 {
		t = t[:8192]
	}
	for _, w := range failureWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// originalMarkers start the copy of the returned message in a free-text bounce. Text after
// them is the original mail, not the report.
var originalMarkers = []string{
	"------ this is a copy of the message",
	"--- below this line is a copy of the message",
	"----- original message -----",
	"-----original message-----",
	"--- original message ---",
	"------ original message ------",
	"original message follows",
	"----- transcript of session follows",
	"----- unsent message follows",
	"------ a copy of the message",
	"--- the header of the original message is following",
	"----- the following is a copy of the message",
	"the original message was received",
	"the original message headers",
	"------- returned message",
	"--- your message follows",
	"content of the original message",
	"original message headers",
	"message headers follow",
	"--- original message header ---",
	"------ received message",
	"---------- forwarded message",
	"----- message header follows",
	"----- original message headers",
}

// reportText returns the part of the main text that holds the report, without the copy of
// the returned message that free-text bounces append.
func (m *mail) reportText() string {
	if m.reportDone {
		return m.report
	}
	t := m.text()
	cut := len(t)
	// A person's forward: the mail program's marks above the forwarded bounce are not the
	// bounce's copy marks.
	off := m.forwardedBounceAt(t)
	if i, _ := m.firstOfText(t[off:], copyMarkers); i >= 0 {
		cut = off + i
	}
	if i := m.returnedHeaderStart(t[:cut]); i >= 0 {
		cut = i
	}
	m.report, m.reportDone = t[:cut], true
	return m.report
}

// lowerText returns the main text with ASCII letters lower-cased, computed once. Offsets in
// it are offsets in the text, since only ASCII bytes change.
func (m *mail) lowerText() string {
	if m.lower == "" {
		m.lower = lowerASCII(m.text())
	}
	return m.lower
}

// lowerGrams returns the grams of lowerText (made from the text: lowerText is not needed),
// computed once.
func (m *mail) lowerGrams() *grams {
	if m.grams.slots == nil {
		m.grams = newGrams(m.text())
	}
	return &m.grams
}

// mentions reports whether the lower-cased main text holds one of markers (lower-case).
func (m *mail) mentions(markers ...string) bool {
	return m.textContainsAny(m.text(), markers)
}

// textContainsAny reports whether s lower-cased holds one of markers (lower-case), for s the
// main text or a prefix of it: lowerGrams rules most markers out, and the rest are searched
// for in s itself, so that the lower-cased copy of the text need not be made.
//
// When the lower-cased copy has been made already, the markers are searched for in it:
// strings.Index finds a marker faster than indexLowerASCII.
func (m *mail) textContainsAny(s string, markers []string) bool {
	g := m.lowerGrams()
	in := func(mk string) bool { return indexLowerASCII(s, mk) >= 0 }
	if m.lower != "" && isPrefix(s, m.text()) {
		lower := m.lower[:len(s)]
		in = func(mk string) bool { return strings.Contains(lower, mk) }
	}
	for _, mk := range markers {
		if g.mayContain(mk) && in(mk) {
			return true
		}
	}
	return false
}

// firstOfText is firstOf(lowerASCII(s), markers) for s the main text or a prefix of it,
// without lowering s; lowerGrams rules markers out first.
func (m *mail) firstOfText(s string, markers []string) (int, int) {
	g := m.lowerGrams()
	at, n := -1, 0
	for _, mk := range markers {
		if !g.mayContain(mk) {
			continue
		}
		if i := indexLowerASCII(s, mk); i >= 0 && (at < 0 || i < at) {
			at, n = i, len(mk)
		}
	}
	return at, n
}

// inLowerText reports whether lower is lowerText or a prefix of it.
func (m *mail) inLowerText(lower string) bool { return isPrefix(lower, m.lowerText()) }

// isPrefix reports whether s is a prefix of t. Decoders pass prefixes cut from the very text
// they are compared with, and comparing a string with itself costs nothing: same bytes, same
// place.
func isPrefix(s, t string) bool { return len(s) <= len(t) && t[:len(s)] == s }

// containsAny is containsAny(lower, markers) that skips the markers lowerGrams rules out,
// when lower is lowerText or a prefix of it.
func (m *mail) containsAny(lower string, markers []string) bool {
	if !m.inLowerText(lower) {
		return containsAny(lower, markers)
	}
	g := m.lowerGrams()
	for _, mk := range markers {
		if g.mayContain(mk) && strings.Contains(lower, mk) {
			return true
		}
	}
	return false
}

// firstOf is firstOf(lower, markers) that skips the markers lowerGrams rules out, when lower
// is lowerText or a prefix of it.
func (m *mail) firstOf(lower string, markers []string) (int, int) {
	if !m.inLowerText(lower) {
		return firstOf(lower, markers)
	}
	g := m.lowerGrams()
	at, n := -1, 0
	for _, mk := range markers {
		if !g.mayContain(mk) {
			continue
		}
		if i := strings.Index(lower, mk); i >= 0 && (at < 0 || i < at) {
			at, n = i, len(mk)
		}
	}
	return at, n
}

// indexLower returns the offset of marker (lower-case ASCII) in s lower-cased, or -1; for s
// the main text or a prefix of it, lowerGrams may rule the marker out first.
func (m *mail) indexLower(s, marker string) int {
	if isPrefix(s, m.text()) && !m.lowerGrams().mayContain(marker) {
		return -1
	}
	return indexLowerASCII(s, marker)
}

// lowerOf returns s with ASCII letters lower-cased. Decoders mostly ask for the main text,
// the report text or another prefix of the main text; those are cut from lowerText instead of
// being lowered again.
func (m *mail) lowerOf(s string) string {
	if isPrefix(s, m.text()) {
		return m.lowerText()[:len(s)]
	}
	return lowerASCII(s)
}

// decodeGeneric finds failed recipients in any prose bounce: an address with the reply and
// text around it. It runs last and only on mails that present themselves as bounces.
func decodeGeneric(m *mail) []Recipient {
	if !m.looksLikeBounce() {
		return nil
	}
	text := m.reportText()
	exclude := m.ownAddresses()
	// A bounce sent to a list's return path reports on the list's members, not on the
	// list's own addresses that its text names.
	m.addListAddresses(exclude)
	// One more than the cap is kept, so that finishRecipients reports the cap as reached.
	most := m.lim.MaxRecipients + 1
	var addrs []addrSpan
	var later map[string][]int // where the text names a recipient again, by its key
	if v := m.header.get("X-Failed-Recipients"); v != "" {
		// Exim names the failed recipients in a header of its own.
		for _, a := range addressList(v) {
			if len(addrs) == most {
				break
			}
			addrs = append(addrs, addrSpan{addr: a, start: m.addressAt(a)})
		}
	}
	if len(addrs) == 0 {
		var roles []addrSpan
		seen := make(map[string]bool)
		idLine, idAt := -1, -1 // the line last looked at, and where a message-id label ends on it
		offers := newOfferScan(text)
		for a, key := range m.addresses(text) {
			if len(addrs) == most {
				break
			}
			if seen[key] && !exclude[key] && len(later[key]) < laterMentions {
				if later == nil {
					later = make(map[string][]int)
				}
				later[key] = append(later[key], a.start)
			}
			if exclude[key] || seen[key] {
				continue
			}
			if ls := lineStart(text, a.start, idLine); ls != idLine {
				idLine, idAt = ls, messageIDLabel(text, ls)
			}
			if idAt >= 0 && idAt <= a.start {
				continue // part of a Message-ID or a similar token
			}
			if messageIDInProse(text, a) {
				continue // "Your message <id@host>": the message's identifier
			}
			if senderField(text, a) {
				continue // the sender of a message the text lists or returns
			}
			if offers.offeredAddress(a) {
				continue // somewhere else to write, not a failed recipient
			}
			seen[key] = true
			if isRoleAddress(a.addr) {
				if len(roles) < most {
					roles = append(roles, a)
				}
				continue
			}
			addrs = append(addrs, a)
		}
		// A postmaster address is a failed recipient only when the bounce names no other.
		if len(addrs) == 0 {
			addrs = roles
		}
	}
	if len(addrs) == 0 {
		return nil
	}
	action := classify.ActionFailed
	switch {
	case m.saysRelayed(text):
		action = classify.ActionRelayed
	case m.saysDelivered(text):
		action = classify.ActionDelivered
	case m.saysDelayed(text):
		action = classify.ActionDelayed
	}
	out := make([]Recipient, 0, len(addrs))
	var rcpts map[string]int // the transcript's RCPT commands, read at the first recipient
	rcptsRead := false
	for _, a := range addrs {
		m.spend(addressWork)
		r := Recipient{Address: a.addr, Action: action, Source: "the bounce text"}
		if a.start >= 0 {
			at := a.start
			// In a session transcript a recipient's answer follows its RCPT command, not the
			// first mention of the address (MDaemon's "*  To: b@example.org" above the session).
			if !rcptsRead {
				rcpts, rcptsRead = rcptCommands(text), true
			}
			rcpt, ok := rcpts[lowerASCII(a.addr)]
			if !ok {
				rcpt = -1
			} else {
				at = rcpt
			}
			var read int
			r.Diagnostic, read = diagnosticScan(text, at, a.addr)
			m.spend(read)
			if rcpt >= 0 && action != classify.ActionDelivered {
				// When the server took the recipient ("RCPT TO:<b@example.org>" answered "250
				// 2.1.5 Ok"), what became of it is the answer to the transaction's DATA or end
				// of data.
				m.spend(min(len(text)-rcpt, transcriptWindow))
				switch o, answer := transactionOutcome(text, rcpt); {
				case o == outcomeRefused:
					r.Diagnostic = answer
				case o == outcomeAccepted || action == classify.ActionFailed && acceptedInTranscript(r.Diagnostic):
					continue // the transcript shows no failure for it
				}
			}
			if !hasCode(r.Diagnostic) {
				// "reject reason: Mailbox full" often stands on the line above "address: ...".
				if l := reasonLineAbove(text, a.start); l != "" {
					r.Diagnostic = l + "\n" + r.Diagnostic
				}
			}
			if !hasCode(r.Diagnostic) && action != classify.ActionDelivered {
				// The notice names the recipient first in a sentence for the sender and again
				// in a technical part with the server's answer (Exchange's "Diagnostic
				// information for administrators", Office 365's "Remote server returned
				// '550 5.1.10 ...'", in any language).
				d, read := laterDiagnostic(text, a.addr, later[lowerASCII(a.addr)])
				m.spend(read)
				if d != "" {
					// The first mention's words were for the sender ("Sender / Action
					// required" in Office 365's table): the answer stands alone.
					r.Diagnostic = d
				}
			}
		}
		out = append(out, r)
	}
	if len(out) == 1 {
		m.fromSoleDSGroup(&out[0])
	}
	if !slices.ContainsFunc(out, func(r Recipient) bool { return hasCode(r.Diagnostic) }) {
		if reply := soleReplyLine(text); reply != "" {
			for i := range out {
				out[i].Diagnostic = strings.TrimSpace(reply + "\n" + out[i].Diagnostic)
			}
		}
	}
	return out
}

// fromSoleDSGroup gives r, the one recipient the text of the mail names, the Status,
// action and diagnostic of the delivery-status part when that part has one recipient group
// and names it by something other than a mail address (an X.400 or X.500 Final-Recipient,
// which Exchange writes for a mailbox it resolved itself; RFC 3464 §2.3.2 allows any address
// type): the group reports on the one recipient the mail has.
func (m *mail) fromSoleDSGroup(r *Recipient) {
	if !m.dsFound {
		return
	}
	var g []Field
	n := 0
	for _, fs := range m.dsRecips {
		if fs != nil {
			g, n = fs, n+1
		}
	}
	if n != 1 {
		return
	}
	ds := dsRecipient(g, m.dsGlobal)
	if validMailbox(cleanAddress(ds.Address)) {
		return
	}
	r.FieldStatus, r.Fields = ds.FieldStatus, ds.Fields
	if ds.Action != classify.ActionUnknown {
		r.Action = ds.Action
	}
	if ds.Diagnostic != "" && !hasCode(r.Diagnostic) {
		r.Diagnostic, r.DiagnosticType = ds.Diagnostic, ds.DiagnosticType
	}
	if r.RemoteMTA == "" {
		r.RemoteMTA = ds.RemoteMTA
	}
	r.Source = "the bounce text, with the delivery-status part's one recipient group"
}

// soleReplyLine returns the one line of text that starts with an SMTP failure reply (4yz or
// 5yz, RFC 5321 §4.2.1), when text holds exactly one such line (repeated or not), else "".
// Bounces that state the reason once and list the recipients it struck apart from it write
// it so (MailMarshal: "Could not be delivered because of\n\n550 5.1.1 User unknown\n\nThe
// following recipients were affected:\n    user@example.org"); the reason is then every
// listed recipient's.
func soleReplyLine(text string) string {
	if len(text) > diagnosticWindow {
		return ""
	}
	found := ""
	for l := range strings.Lines(text) {
		l = strings.TrimSpace(l)
		if c := replyAtStart(l); c == "" || (c.Class() != '4' && c.Class() != '5') {
			continue
		}
		if found != "" && found != l {
			return ""
		}
		found = l
	}
	return found
}

// addressWork is what finding an address counts for, beyond the bytes scanned.
const addressWork = 16

// addresses yields the addresses that findAddresses finds in text, each with its ASCII
// letters lower-cased as a key, spending the work of the scan from the mail's budget.
func (m *mail) addresses(text string) iter.Seq2[addrSpan, string] {
	return func(yield func(addrSpan, string) bool) {
		for i := 0; ; {
			a, next, ok := nextAddress(text, i)
			m.spend(next - i + addressWork)
			if !ok || !yield(a, lowerASCII(a.addr)) {
				return
			}
			i = next
		}
	}
}

// lineStart returns the offset of the line that holds text[i], given the start of a line at
// or before it (or -1): only the text between the two is searched, so that a scan that moves
// forward through text finds all its line starts in linear time.
func lineStart(text string, i, from int) int {
	if from < 0 {
		from = 0
	}
	return from + strings.LastIndexByte(text[from:i], '\n') + 1
}

// messageIDLabels mark the header lines whose addresses are message identifiers.
var messageIDLabels = []string{"message-id", "in-reply-to", "references:"}

// messageIDLabel returns where the first of messageIDLabels ends on the line that starts at
// ls, or -1: an address after it is part of a Message-ID or a similar token.
func messageIDLabel(text string, ls int) int {
	line := text[ls:]
	if j := strings.IndexByte(line, '\n'); j >= 0 {
		line = line[:j]
	}
	if at, n := firstOfLower(line, messageIDLabels); at >= 0 {
		return ls + at + n
	}
	return -1
}

// senderField reports whether the address a of text stands in a line that a From field
// starts ("From: Billing <billing@example.com>", RFC 5322 §3.6.2), or an SMTP MAIL command
// (">>> MAIL FROM:<sender@example.net>", RFC 5321 §4.1.1.2), after any quoting marks: the
// sender of a message the text lists (a quarantine digest's "From: ... Subject: ...") or
// returns, never a recipient that failed.
func senderField(text string, a addrSpan) bool {
	ls := strings.LastIndexByte(text[:a.start], '\n') + 1
	line := strings.TrimLeft(text[ls:a.start], " \t>")
	return hasPrefixLower(line, "from:") || hasPrefixLower(line, "mail from:")
}

// messageIDInProse reports whether the address a of text is a message's identifier that the
// prose writes after the word "message" in angle brackets, as RFC 5322 §3.6.4 writes a
// msg-id: "Your message <20261201095957.4AbCdE@mx.example.net> to alice@example.org ...".
func messageIDInProse(text string, a addrSpan) bool {
	if a.start == 0 || text[a.start-1] != '<' || a.end >= len(text) || text[a.end] != '>' {
		return false
	}
	before := strings.TrimRight(text[max(0, a.start-16):a.start-1], " \t\n")
	return strings.HasSuffix(lowerASCII(before), "message")
}

// addressAt returns the offset of the first address in the report text that is addr (ASCII
// case ignored), or -1. The offsets are found in one pass over the text, the first time one
// is asked for, so that looking up every recipient costs linear time, not a search of the
// text each.
func (m *mail) addressAt(addr string) int {
	if m.addrIndex == nil {
		text := m.reportText()
		m.addrIndex = make(map[string]int)
		for a, key := range m.addresses(text) {
			if _, ok := m.addrIndex[key]; !ok {
				m.addrIndex[key] = a.start
			}
		}
	}
	if i, ok := m.addrIndex[lowerASCII(addr)]; ok {
		return i
	}
	return -1
}

// ownAddresses returns the addresses that a bounce names but that are not failed recipients:
// the bounce's own sender and recipient (the original sender), where it asks for replies and
// errors to go, and the returned message's author, sender and reply address; lower-cased.
func (m *mail) ownAddresses() map[string]bool {
	ex := make(map[string]bool, 8)
	for _, v := range []string{m.from, m.to, m.header.get("Return-Path"), m.header.get("Reply-To"), m.header.get("Sender"), m.header.get("Errors-To")} {
		for _, a := range findAddresses(v) {
			ex[strings.ToLower(a.addr)] = true
		}
	}
	if m.origFound {
		for _, h := range []string{"From", "Sender", "Reply-To"} {
			for _, a := range findAddresses(m.origHeader.get(h)) {
				ex[strings.ToLower(a.addr)] = true
			}
		}
	}
	return ex
}

// addListAddresses adds to ex, lower-cased, the addresses of the mailing list whose return
// path the bounce went to, if it went to one.
func (m *mail) addListAddresses(ex map[string]bool) {
	for _, a := range findAddresses(m.to) {
		for _, l := range listAddresses(strings.ToLower(a.addr)) {
			ex[l] = true
		}
	}
}

// listReturnMarks end the local part of a mailing list's return path, or stand between the
// list's name and a VERP-encoded recipient: Mailman's LIST-bounces and LIST-bounces+a=b,
// LIST-owner, LIST-request and LIST-admin, ezmlm's LIST-return-N-a=b, Majordomo's and
// Sympa's owner-LIST.
var listReturnMarks = []string{"-bounces", "-owner", "-request", "-admin", "-return-"}

// listRoles are the addresses a mailing list keeps beside its posting address, as suffixes
// of the list's name: none of them, nor the list itself, is a member that failed.
var listRoles = []string{"", "-bounces", "-owner", "-request", "-admin", "-help"}

// listAddresses returns the addresses of the mailing list whose return path addr is, or
// nil when addr is not one: a bounce sent there reports on the list's members, and the
// list's posting, owner and request addresses that its text names are not among them.
func listAddresses(addr string) []string {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 {
		return nil
	}
	local, domain := addr[:at], addr[at:]
	name := ""
	if rest, ok := strings.CutPrefix(local, "owner-"); ok {
		name = rest
	} else if i := strings.IndexByte(local, '+'); i > 0 && strings.HasSuffix(local[:i], "-bounces") {
		name = strings.TrimSuffix(local[:i], "-bounces")
	} else {
		for _, mk := range listReturnMarks {
			if i := strings.Index(local, mk); i > 0 && (mk == "-return-" || i+len(mk) == len(local)) {
				name = local[:i]
				break
			}
		}
	}
	if name == "" {
		return nil
	}
	out := make([]string, 0, len(listRoles)+1)
	for _, r := range listRoles {
		out = append(out, name+r+domain)
	}
	return append(out, "owner-"+name+domain)
}

// successWords mark a notice of successful delivery (a return receipt, RFC 3461 NOTIFY=SUCCESS)
// written as text only, lower-cased.
var successWords = []string{
	// Sendmail (savemail.c): "----- The following addresses had successful delivery
	// notifications -----"
	"had successful delivery notifications",
	// Exchange and Outlook: "Your message has been delivered to the following recipients:",
	// "Delivery to these recipients or groups is complete, but no delivery notification was
	// sent by the destination server:"
	"has been delivered to the following", "delivery to these recipients or groups is complete",
	"successfully delivered to",
	// A list's expansion (RFC 3464 §2.3.3 "expanded": delivered to a list, which forwards it
	// to its members): "Your message has been expanded to the members of the following
	// distribution list:".
	"has been expanded to", "was expanded to",
}

// unsuccessfulWords say that something did not go well, lower-cased: a notice that holds one
// of them is not a plain success notice, whatever else it says.
var unsuccessfulWords = []string{"not ", "not\n", "n't", "n’t", "fail", "undeliver", "unable", "error", "reject", "delay", "retry", "problem"}

// saysDelivered reports whether text, the report text of a notice (a prefix of the main
// text), speaks of a successful delivery and of nothing that went wrong.
func (m *mail) saysDelivered(text string) bool {
	if len(text) > 8192 {
		return false // a success notice is short; a long text is a transcript or a failure
	}
	return m.textContainsAny(text, successWords) && !m.textContainsAny(text, unsuccessfulWords)
}

// relayWords mark a notice that the message was handed to a system that may not report on it
// (RFC 3464 §2.3.3 "relayed"), lower-cased. Exchange's SMTP service: "Your message has been
// successfully relayed to the following recipients, but the requested delivery status
// notifications may not be generated by the destination."
var relayWords = []string{"successfully relayed to the following", "has been relayed to the following"}

// saysRelayed reports whether text, the report text of a notice, says the message was
// relayed and, outside that sentence (whose "may not be generated" speaks of the
// notifications, not of the delivery), nothing that went wrong.
func (m *mail) saysRelayed(text string) bool {
	if len(text) > 8192 {
		return false // a relay notice is short, like a success notice
	}
	for _, w := range relayWords {
		i := indexLowerASCII(text, w)
		if i < 0 {
			continue
		}
		end := len(text)
		if j := strings.Index(text[i:], ".\n"); j >= 0 {
			end = i + j
		}
		rest := text[:i] + text[end:]
		return !slices.ContainsFunc(unsuccessfulWords, func(u string) bool { return indexLowerASCII(rest, u) >= 0 })
	}
	return false
}

// delayWords mark a notice of delay rather than failure, lower-cased.
var delayWords = []string{
	"will continue trying", "will keep trying", "still trying", "delivery delayed", "delayed delivery",
	"has been delayed", "not yet been delivered", "warning: message", "will be retried", "will retry",
	"delivery attempts will continue", "this is a warning", "no action is required on your part",
	// "Mail Delivery Warning ... has been postponed due to a full mailbox. We will continue to
	// try to deliver your message over the next few days." (an advisory-only notice).
	"will continue to try", "continue to attempt", "has been postponed", "delivery warning",
	// The same notices in the languages that MTAs' and providers' templates are translated
	// into (Exchange's "Delivery is delayed to these recipients or groups" NDRs, Postfix's
	// delay template, Exim's warn_message, webmail providers' delay notices), as the
	// sentences write them (letters other than ASCII are not lower-cased here): not yet
	// delivered, delivery will be retried, this is only a warning, no need to resend.
	// German: "Diese Nachricht wurde noch nicht übermittelt. Es wird weiterhin versucht, ..."
	"noch nicht zugestellt", "noch nicht übermittelt", "bisher nicht zugestellt", "wird weiterhin versucht",
	"wird weiter versucht", "zustellversuche werden", "nur eine warnung", "nicht erneut senden", "wurde verzögert",
	// French: "Ce message n'a pas encore été remis. La remise va continuer d'être tentée."
	"pas encore été", "pas encore pu être", "nouvelles tentatives", "continuer à essayer", "continuerons d'essayer",
	"continuer d'être tentée", "simple avertissement", "pas besoin de renvoyer", "a été différée",
	// Spanish: "Este mensaje todavía no se ha entregado. Se seguirá intentando la entrega."
	"todavía no se ha entregado", "todavía no ha podido", "se seguirá intentando", "seguiremos intentándolo",
	"se ha retrasado", "no necesita reenviar", "no es necesario que reenv",
	// Portuguese: "Continuaremos a tentar entregá-la"; Italian: "non è ancora stato consegnato",
	// "I tentativi di consegna continueranno"; Dutch: "nog niet bezorgd".
	"ainda não foi entregue", "continuaremos a tentar", "foi adiada", "não é necessário reenviar",
	"non è ancora stato", "non è stato ancora", "tentativi di consegna continueranno", "altri tentativi di",
	"stato ritardato", "nog niet bezorgd", "nog niet afgeleverd", "wordt opnieuw geprobeerd",
	// Swedish: "Meddelandet har inte levererats ännu. Leveransförsöken fortsätter."; Danish and
	// Norwegian: "er endnu ikke leveret", "er ikke levert ennå"; Finnish: "ei ole vielä
	// toimitettu"; Hungarian: "még nem sikerült kézbesíteni", "Ez csak figyelmeztetés".
	"inte levererats ännu", "leveransförsöken fortsätter", "har fördröjts", "endast en varning",
	"endnu ikke leveret", "er blevet forsinket", "ikke levert ennå", "har blitt forsinket", "ei ole vielä toimitettu",
	"még nem sikerült kézbesíteni", "csak figyelmeztetés", "nem kell újra elküldenie",
	// Polish: "nie została jeszcze dostarczona", "Próby doręczenia będą kontynuowane"; Czech:
	// "se zatím nepodařilo doručit", "Pokusy o doručení budou pokračovat"; Turkish: "henüz
	// teslim edilemedi", "Teslim denemeleri ... sürecektir".
	"nie została jeszcze", "będą kontynuowane", "nie musisz ponownie", "zatím nepodařilo",
	"budou pokračovat", "nemusíte odesílat", "henüz teslim edilemedi", "teslim denemeleri",
	"göndermenize gerek yok",
	// Russian: "Ваше письмо пока не доставлено", "Попытки доставки будут продолжаться",
	// "Мы продолжим попытки доставки".
	"пока не доставлено", "ещё не доставлено", "еще не доставлено", "будут продолжаться", "будут продолжены",
	"продолжим попытки", "не нужно повторно", "отправлять письмо не нужно",
	// Japanese: "このメッセージはまだ配信されていません。配信は引き続き試行されます。",
	// "再送する必要はありません"; Chinese: "暂时未能投递", "系统将继续尝试投递"; Korean:
	// "아직 전달되지 않았습니다", "계속 재전송을 시도합니다".
	"まだ配信されていません", "まだ配送されていません", "引き続き試行", "再試行されます", "再送する必要はありません",
	"配信が遅延", "暂时未能投递", "将继续尝试", "无需重新发送", "아직 전달되지 않았", "재전송을 시도", "다시 보내실 필요",
}

// saysDelayed reports whether the subject or text, lower-cased, speak of a delay (one of
// delayWords) and not of a permanent failure.
func (m *mail) saysDelayed(text string) bool {
	if lowersToASCII(m.subject) || lowersToASCII(text) {
		// Unicode lower-casing makes ASCII letters of these two: read a lower-cased copy.
		lower := strings.ToLower(m.subject + "\n" + text)
		has := func(w string) bool { return strings.Contains(lower, w) }
		firm := func(w string) bool { return firmMention(lower, w) }
		return slices.ContainsFunc(delayWords, has) && !slices.ContainsFunc(permanentWords, firm)
	}
	// No word spans the newline that would join subject and text, and other letters lower
	// to ASCII ones only from ASCII ones: the two are searched as they are, ignoring ASCII
	// case, the text through the grams of the main text when it is a prefix of it.
	inText := func(w string) bool { return indexLowerASCII(text, w) >= 0 }
	if strings.HasPrefix(m.text(), text) {
		g := m.lowerGrams()
		inText = func(w string) bool { return g.mayContain(w) && indexLowerASCII(text, w) >= 0 }
	}
	has := func(w string) bool { return indexLowerASCII(m.subject, w) >= 0 || inText(w) }
	firm := func(w string) bool { return inText(w) && firmMention(text, w) || firmMention(m.subject, w) }
	return slices.ContainsFunc(delayWords, has) && !slices.ContainsFunc(permanentWords, firm)
}

// permanentWords say a notice is of a failure even when it also uses delayWords, lower-cased.
var permanentWords = []string{
	"permanent", "giving up", "gave up",
	// "permanent" also stands in the French, Spanish, Italian and Portuguese wordings
	// ("erreur permanente", "errore permanente"); the others name the error their way.
	"dauerhafter fehler", "постоянная ошибка", "błąd trwały", "trvalou chybu", "kalıcı bir hata",
}

// conditionWords open a clause that speaks of what may come, lower-case.
var conditionWords = []string{"if ", "unless ", "when ", "once ", "should "}

// firmMention reports whether w (lower-case) stands in s, ASCII case ignored, other than in a
// condition: a delay notice says what happens "if the delivery fails permanently" (Gmail:
// "You'll be notified if the delivery fails permanently.") without having failed. A mention
// counts as conditional when a word of conditionWords opens a word earlier in its sentence.
func firmMention(s, w string) bool {
	for off := 0; off < len(s); {
		i := indexLowerASCII(s[off:], w)
		if i < 0 {
			return false
		}
		i += off
		// The sentence: from its end mark or the paragraph break before it (a sentence may
		// be wrapped), at most a few lines back.
		from := max(0, i-200)
		before := s[from:i]
		cut := max(strings.LastIndexAny(before, ".!?"), strings.LastIndex(before, "\n\n"))
		if !opensConditional(before[cut+1:]) {
			return true
		}
		off = i + len(w)
	}
	return false
}

// opensConditional reports whether one of conditionWords starts a word of clause.
func opensConditional(clause string) bool { return startsAWord(clause, conditionWords) }

// startsAWord reports whether one of words (lower-case) starts a word of s, ASCII case
// ignored.
func startsAWord(s string, words []string) bool {
	for _, c := range words {
		for off := 0; off < len(s); {
			j := indexLowerASCII(s[off:], c)
			if j < 0 {
				break
			}
			j += off
			if j == 0 || !isLetter(s[j-1]) {
				return true
			}
			off = j + 1
		}
	}
	return false
}

// isLetter reports whether b is an ASCII letter.
func isLetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// lowersToASCII reports whether s holds one of the two non-ASCII letters that Unicode
// lower-cases to ASCII ones: 'İ' to 'i' and the Kelvin sign to 'k'.
func lowersToASCII(s string) bool {
	return strings.Contains(s, "\u0130") || strings.Contains(s, "\u212a")
}

// diagnosticAround returns the lines that explain addr in text (see diagnosticAt), from its
// first mention.
func diagnosticAround(text, addr string) string {
	i := indexFold(text, addr)
	if i < 0 {
		return ""
	}
	return diagnosticAt(text, i, addr)
}

// diagnosticWindow bounds the text that diagnosticAt reads: the diagnostic of one address
// comes from that much text at most, however long its lines.
const diagnosticWindow = 4 << 10

// diagnosticAt returns the lines that explain addr, which stands at text[i:]: from the line
// that names it through the lines that follow, until a line naming another address, or an
// empty line once a reply code has been seen (the reply often stands a paragraph below the
// address). It reads no more than diagnosticWindow bytes of text, starting at most a few
// hundred bytes before the address, and returns at most about 1,200 bytes.
func diagnosticAt(text string, i int, addr string) string {
	d, _ := diagnosticScan(text, i, addr)
	return d
}

// diagnosticScan is diagnosticAt, also returning how many bytes of text it read.
func diagnosticScan(text string, i int, addr string) (string, int) {
	const before, most = 256, 1200
	ls := lineStart(text, i, max(0, i-before))
	if ls == max(0, i-before) && ls > 0 && text[ls-1] != '\n' {
		ls = i // the line is long: start at the address
	}
	rest := text[ls:min(len(text), ls+diagnosticWindow)]
	var b strings.Builder
	blanks, n := 0, 0
	sawCode := false
	for len(rest) > 0 && n < 12 && b.Len() < most {
		var l string
		if j := strings.IndexByte(rest, '\n'); j >= 0 {
			l, rest = rest[:j], rest[j+1:]
		} else {
			l, rest = rest, ""
		}
		tl := strings.TrimSpace(l)
		if n > 0 {
			if tl == "" {
				blanks++
				if blanks > 2 || sawCode {
					break
				}
				continue
			}
			// An address at the start of a line begins another recipient's lines, and so does
			// a transcript's command for another recipient ("RCPT TO:<b@example.org>",
			// ">>> RCPT To:<b@example.org>", "10:00:00.100: --> RCPT TO:<b@example.org>").
			if a, _, ok := nextAddress(tl[:min(len(tl), 300)], 0); ok && !strings.EqualFold(a.addr, addr) &&
				(a.start < 4 || indexLowerASCII(tl[:a.start], "rcpt to:") >= 0) {
				break
			}
			if isMarkerLine(tl) {
				break
			}
		}
		n++
		if tl == "" {
			continue
		}
		if len(tl) > most-b.Len() {
			tl = clipUTF8(tl, most-b.Len())
		}
		// A positive transcript reply ("250 2.1.5 Ok", "354 End data with ...") answers a step
		// that went well: the failure, if any, comes after it.
		sawCode = sawCode || hasFailureCode(tl)
		if b.Len() > 0 {
			// Lines stay lines, so that a reply code at the start of one is still seen as
			// one; finishRecipients folds the blanks once the codes are read.
			b.WriteByte('\n')
		}
		b.WriteString(tl)
	}
	return b.String(), min(len(text), ls+diagnosticWindow) - ls - len(rest)
}

// laterMentions is how many later mentions of a recipient laterDiagnostic reads.
const laterMentions = 4

// laterDiagnostic returns the lines at the first of the later mentions of addr in text
// (their offsets) that hold a reply or status code, as diagnosticScan reads them, or "", and
// how many bytes it read.
func laterDiagnostic(text, addr string, at []int) (string, int) {
	read := 0
	for _, i := range at {
		d, n := diagnosticScan(text, i, addr)
		read += n
		if hasCode(d) {
			return d, read
		}
	}
	return "", read
}

// clipUTF8 returns s cut to at most n bytes, not inside a UTF-8 sequence.
func clipUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// reasonLineAbove returns the line above the one holding text[i] when it names a reason or
// an error ("reject reason: Mailbox full", "Error: 550 ..."), or "". Lines longer than a
// few hundred bytes are not read.
func reasonLineAbove(text string, i int) string {
	const longest = 512
	ls := lineStart(text, i, max(0, i-longest)) - 1 // the newline that ends the line above
	if ls <= 0 || text[ls] != '\n' {
		return ""
	}
	ps := lineStart(text, ls, max(0, ls-longest))
	if ps > 0 && text[ps-1] != '\n' {
		return ""
	}
	prev := strings.TrimSpace(text[ps:ls])
	if indexLowerASCII(prev, "reason") >= 0 || hasPrefixLower(prev, "error") {
		return prev
	}
	return ""
}

// hasFailureCode reports whether s holds a reply or status code other than a positive
// completion or intermediate reply (2yz, 3yz, RFC 5321 §4.2.1) or a success status (2.x.x).
func hasFailureCode(s string) bool {
	rc, st := classify.ExtractCodes(s)
	return rc.Class() == '4' || rc.Class() == '5' || st != "" && st[0] != '2'
}

// rcptCommands returns where the transcript commands "RCPT TO:<addr>" (any case, a blank
// allowed after the colon) stand in text, by their address lower-cased (ASCII), the first
// for each address; nil when there is none. One pass over the text serves every recipient.
func rcptCommands(text string) map[string]int {
	var at map[string]int
	for from := 0; from < len(text); {
		i := indexLowerASCII(text[from:], "rcpt to:")
		if i < 0 {
			break
		}
		j := from + i + len("rcpt to:")
		k := j
		for k < len(text) && text[k] == ' ' {
			k++
		}
		if k < len(text) && text[k] == '<' {
			// RFC 5321 §4.5.3.1.3: a path is at most 256 octets, its brackets included.
			addr := text[k+1 : min(len(text), k+256)]
			if e := strings.IndexByte(addr, '>'); e > 0 {
				addr = addr[:e]
				key := lowerASCII(addr)
				if at == nil {
					at = make(map[string]int)
				}
				if _, ok := at[key]; !ok {
					at[key] = from + i
				}
			}
		}
		from = j
	}
	return at
}

// acceptedInTranscript reports whether a recipient's diagnostic is a transcript that shows
// its RCPT command answered with a positive reply and no failure after it: the receiving
// server accepted the recipient, and a failure notice lists it only in the session.
func acceptedInTranscript(diag string) bool {
	if indexLowerASCII(diag, "rcpt to:") < 0 {
		return false
	}
	rc, st := classify.ExtractCodes(diag)
	return rc.Class() == '2' && (st == "" || st[0] == '2')
}

func hasCode(s string) bool {
	rc, st := classify.ExtractCodes(s)
	return rc != "" || st != ""
}

// isMarkerLine reports whether a line starts the copy of the returned message.
func isMarkerLine(l string) bool {
	for _, mk := range copyMarkers {
		// strings.HasPrefix(lowerASCII(l), mk), without lowering l.
		if len(l) >= len(mk) && equalLowerASCII(l[:len(mk)], mk) {
			return true
		}
	}
	return false
}

// copyMarkers are the originalMarkers that start the copy of the returned message.
var copyMarkers = slices.DeleteFunc(slices.Clone(originalMarkers), reportMarker)

// reportMarker reports whether a marker of originalMarkers heads part of the report rather
// than the returned message: Sendmail's "The original message was received at ..." and its
// session transcript come before the copy.
func reportMarker(mk string) bool {
	return mk == "the original message was received" || mk == "----- transcript of session follows"
}

// diagnosticNear returns the human-readable explanation of addr in the main text of a mail
// that also has a delivery-status part, when that part carries no Diagnostic-Code.
// It reads the text around an address once per mail: a report may list the same address for
// many recipients (an alias expanded to itself, a loop).
func (m *mail) diagnosticNear(addr string) string { return m.nearDiags.of(addr, m.readDiagnosticNear) }

func (m *mail) readDiagnosticNear(addr string) string {
	i := m.addressAt(addr)
	if i < 0 {
		return ""
	}
	d := diagnosticAt(m.reportText(), i, addr)
	if rc, st := classify.ExtractCodes(d); rc == "" && st == "" {
		return ""
	}
	return d
}

func indexFold(s, sub string) int {
	if i := strings.Index(s, sub); i >= 0 {
		return i
	}
	return indexFoldASCII(s, lowerASCII(sub))
}

// verpRecipient decodes a VERP address in the bounce's own To, Delivered-To or X-Original-To
// ("bounces+user=example.org@sender.example" stands for user@example.org).
func (m *mail) verpRecipient() string {
	for _, name := range []string{"X-Original-To", "Delivered-To", "To"} {
		for _, a := range addressList(m.header.get(name)) {
			at := strings.LastIndexByte(a, '@')
			if at < 0 {
				continue
			}
			if r := verpDecode(a[:at]); r != "" {
				return r
			}
		}
	}
	return ""
}

// verpMarkers end the fixed part of a VERP local part that uses '-' as its separator
// (ezmlm "list-return-12-", Mailman and many senders "bounces-"), lower-case.
var verpMarkers = []string{"-return-", "bounces-", "bounce-", "-bounce-"}

// verpDecode reads the recipient out of a VERP local part: "prefix+user=domain" or
// "prefix-bounces-user=domain". It returns "" when the local part is not one.
func verpDecode(local string) string {
	eq := strings.LastIndexByte(local, '=')
	if eq <= 0 || eq == len(local)-1 || !validDomain(local[eq+1:]) {
		return ""
	}
	start := strings.IndexByte(local[:eq], '+') + 1
	if start == 0 {
		lower := lowerASCII(local[:eq])
		for _, mk := range verpMarkers {
			if i := strings.LastIndex(lower, mk); i >= 0 && i+len(mk) > start {
				start = i + len(mk)
			}
		}
		if start == 0 {
			return ""
		}
		// ezmlm puts the message number after "-return-": "list-return-12-user=domain".
		if j := strings.IndexByte(local[start:eq], '-'); j > 0 && allDigits(local[start:start+j]) {
			start += j + 1
		}
	}
	if start >= eq {
		return ""
	}
	return local[start:eq] + "@" + local[eq+1:]
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

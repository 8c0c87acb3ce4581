package lab

import "github.com/bounceproc/bounceproc/classify"

// The domains the MTAs route. Mail for mainDomain goes to the scripted receiver, which
// answers each recipient by its script; each other domain leads to a receiver that refuses
// the whole connection one way, or to no receiver at all.
const (
	mainDomain     = "example.com"
	heloDomain     = "helo.example.net"     // EHLO and HELO refused
	blockedDomain  = "blocked.example.net"  // 554 greeting
	deferredDomain = "deferred.example.net" // 421 greeting, every time
	refusedDomain  = "refused.example.net"  // nothing listens: connection refused
	nxDomain       = "nxdomain.example.net" // DNS says the domain does not exist
	senderDomain   = "lab.example.org"      // the MTAs' own domain, where bounces are delivered
	sender         = "sender@" + senderDomain
)

// labCase is one scripted refusal and what the bounce for it must say.
type labCase struct {
	name   string // the recipient's local part, and the sample's name (lab-<name>.eml)
	domain string // mainDomain unless the refusal is made per connection
	script script // for mainDomain: the reply at RCPT or after DATA

	// temporary cases are refused with a 4xx code until the MTA gives up (a short queue
	// lifetime); a delay notice comes first, then the bounce.
	temporary bool

	// What the bounce must say. reply is the receiver's reply code ("" when no receiver
	// answered); statuses the enhanced codes accepted in Recipient.Status, the receiver's
	// own first.
	reply    classify.ReplyCode
	statuses []classify.Status
	// The verdict the refusal means (RFC 3463, RFC 5321 and the receiver's documentation),
	// written from the refusal, not from what the code outputs. reasons is empty when any
	// reason is right as long as kind and suppress are.
	kinds    []classify.Kind
	reasons  []classify.Reason
	suppress bool

	// sample marks the bounces kept as testdata/eml/<mta>/lab-<name>.eml by -lab.save.
	sample bool
}

func (c labCase) recipient() string {
	d := c.domain
	if d == "" {
		d = mainDomain
	}
	return c.name + "@" + d
}

// Replies written as the receivers document them (the links are in the texts themselves,
// or given above each) and as ../shared/reference lists them.
var (
	// Gmail, https://support.google.com/mail/answer/3726730 (SMTP error reference).
	gmailNoSuchUser = reply{550, "5.1.1", []string{
		"The email account that you tried to reach does not exist. Please try",
		"double-checking the recipient's email address for typos or",
		"unnecessary spaces. For more information, go to",
		"https://support.google.com/mail/?p=NoSuchUser",
	}}
	gmailOverQuotaTemp = reply{452, "4.2.2", []string{
		"The recipient's inbox is out of storage space. Please direct the",
		"recipient to",
		"https://support.google.com/mail/?p=OverQuotaTemp",
	}}
	gmailOverQuotaPerm = reply{552, "5.2.2", []string{
		"The recipient's inbox is out of storage space and inactive. Please direct",
		"the recipient to",
		"https://support.google.com/mail/?p=OverQuotaPerm",
	}}
	gmailSpam = reply{550, "5.7.1", []string{
		"[127.0.0.1] Our system has detected that this message is",
		"likely unsolicited mail. To reduce the amount of spam sent to Gmail,",
		"this message has been blocked. For more information, go to",
		"https://support.google.com/mail/?p=UnsolicitedMessageError",
	}}
	gmailUnauthenticated = reply{550, "5.7.26", []string{
		"This mail has been blocked because the sender is unauthenticated.",
		"Gmail requires all senders to authenticate with either SPF or DKIM.",
		"",
		"Authentication results:",
		"DKIM = did not pass",
		"SPF [lab.example.org] with ip: [127.0.0.1] = did not pass",
		"",
		"For instructions on setting up authentication, go to",
		"https://support.google.com/mail/answer/81126#authentication",
	}}
	gmailTooBig = reply{552, "5.3.4", []string{
		"Your message exceeded Google's message size limits. Please visit",
		"https://support.google.com/mail/?p=MaxSizeError to view our size",
		"guidelines.",
	}}
	// Microsoft 365, https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-code-550-5-1-10-in-exchange-online
	microsoftRecipientNotFound = reply{550, "5.1.10", []string{
		"RESOLVER.ADR.RecipientNotFound; Recipient data-unknown@example.com not found by SMTP address lookup",
	}}
	// Microsoft (Outlook.com/EOP), https://learn.microsoft.com/exchange/troubleshoot/email-delivery/send-receive-emails-socketerror
	microsoftSpamhaus = reply{554, "5.7.1", []string{
		"Service unavailable, Client host [127.0.0.1] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/127.0.0.1 AS(1440)",
	}}
	// Yahoo, https://senders.yahooinc.com/smtp-error-codes/
	yahooNoAccount = reply{554, "", []string{
		"delivery error: dd This user doesn't have a yahoo.com account (yahoo-unknown@example.com) [0] - mta1018.mail.bf1.yahoo.com",
	}}
	yahooSpamhaus = reply{553, "5.7.1", []string{
		"[BL21] Connections will not be accepted from 127.0.0.1, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes",
	}}
	yahooDeferred = reply{421, "4.7.0", []string{
		"[TSS04] Messages from 127.0.0.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
	}}
	// Apple iCloud, https://support.apple.com/en-us/102322
	appleNoUser = reply{550, "5.1.1", []string{
		"<apple-unknown@example.com>: user does not exist",
	}}
	// Postfix's own wording for its access checks (smtpd_sender_restrictions,
	// reject_unknown_helo_hostname), used by many receivers.
	postfixSenderDenied = reply{554, "5.7.1", []string{"<" + sender + ">: Sender address rejected: Access denied"}}
	postfixHELORefused  = reply{550, "5.7.1", []string{"<client.example.org>: Helo command rejected: Host not found"}}
	// From the peers corpus: a sender refusal with no enhanced code.
	senderDenylist = reply{553, "", []string{"Sender is on user denylist"}}
	// ../shared/reference/004: "451 4.7.1 Greylisting in action, please come back later."
	greylisting = reply{451, "4.7.1", []string{"Greylisting in action, please come back later."}}
)

func rcptRefusal(r reply) script { return script{rcpt: &r} }
func dataRefusal(r reply) script { return script{data: &r} }

func statuses(s ...classify.Status) []classify.Status { return s }
func kinds(k ...classify.Kind) []classify.Kind        { return k }
func reasons(r ...classify.Reason) []classify.Reason  { return r }

// labCases are the scripted refusals every MTA gets.
var labCases = []labCase{
	{name: "rcpt-unknown", script: rcptRefusal(gmailNoSuchUser),
		reply: "550", statuses: statuses("5.1.1"),
		kinds: kinds(classify.KindHard), reasons: reasons(classify.ReasonUserUnknown), suppress: true, sample: true},
	// 5.1.10 is registered as "recipient address has null MX" (RFC 7505); Microsoft uses it
	// for an address it does not know. Both say the address takes no mail.
	{name: "data-unknown", script: dataRefusal(microsoftRecipientNotFound),
		reply: "550", statuses: statuses("5.1.10"),
		kinds: kinds(classify.KindHard), reasons: reasons(classify.ReasonUserUnknown, classify.ReasonNotAccept), suppress: true, sample: true},
	{name: "apple-unknown", script: rcptRefusal(appleNoUser),
		reply: "550", statuses: statuses("5.1.1"),
		kinds: kinds(classify.KindHard), reasons: reasons(classify.ReasonUserUnknown), suppress: true},
	// No enhanced code: the MTA's own class-level code is what the mail can state.
	{name: "yahoo-unknown", script: rcptRefusal(yahooNoAccount),
		reply: "554", statuses: statuses("", "5.0.0"),
		kinds: kinds(classify.KindHard), reasons: reasons(classify.ReasonUserUnknown), suppress: true, sample: true},
	// NXDOMAIN for the recipient's domain: X.1.2 bad destination system address, or X.4.4
	// unable to route (RFC 3463 §3.2, §3.5).
	{name: "nxdomain", domain: nxDomain,
		statuses: statuses("5.1.2", "5.4.4", "5.0.0", "5.1.0"),
		kinds:    kinds(classify.KindHard), reasons: reasons(classify.ReasonHostUnknown), suppress: true, sample: true},
	// X.2.2 mailbox full is a mailbox state that may pass (RFC 3463 §3.3), whatever the class.
	{name: "quota-452", script: rcptRefusal(gmailOverQuotaTemp), temporary: true,
		reply: "452", statuses: statuses("4.2.2"),
		kinds: kinds(classify.KindSoft), reasons: reasons(classify.ReasonMailboxFull), sample: true},
	{name: "quota-552", script: dataRefusal(gmailOverQuotaPerm),
		reply: "552", statuses: statuses("5.2.2"),
		kinds: kinds(classify.KindSoft), reasons: reasons(classify.ReasonMailboxFull, classify.ReasonSuspend), sample: true},
	{name: "greylisted", script: rcptRefusal(greylisting), temporary: true,
		reply: "451", statuses: statuses("4.7.1"),
		kinds: kinds(classify.KindSoft, classify.KindBlocked), sample: true},
	{name: "spam", script: dataRefusal(gmailSpam),
		reply: "550", statuses: statuses("5.7.1"),
		kinds: kinds(classify.KindBlocked), reasons: reasons(classify.ReasonSpamDetected), sample: true},
	// X.7.26: multiple authentication checks failed (RFC 7372 §3.2, the IANA registry).
	{name: "unauthenticated", script: dataRefusal(gmailUnauthenticated),
		reply: "550", statuses: statuses("5.7.26"),
		kinds: kinds(classify.KindBlocked), reasons: reasons(classify.ReasonAuthFailure, classify.ReasonSecurityError), sample: true},
	{name: "ip-blocklist", script: rcptRefusal(yahooSpamhaus),
		reply: "553", statuses: statuses("5.7.1"),
		kinds: kinds(classify.KindBlocked), reasons: reasons(classify.ReasonBlocked, classify.ReasonBadReputation), sample: true},
	// X.3.4 message too big for system (RFC 3463 §3.4).
	{name: "too-big", script: dataRefusal(gmailTooBig),
		reply: "552", statuses: statuses("5.3.4"),
		kinds: kinds(classify.KindSoft), reasons: reasons(classify.ReasonMesgTooBig), sample: true},
	{name: "sender-denied", script: rcptRefusal(postfixSenderDenied),
		reply: "554", statuses: statuses("5.7.1"),
		kinds: kinds(classify.KindBlocked), reasons: reasons(classify.ReasonRejected, classify.ReasonBlocked, classify.ReasonPolicyViolation)},
	{name: "sender-denylist", script: rcptRefusal(senderDenylist),
		reply: "553", statuses: statuses("", "5.0.0"),
		kinds: kinds(classify.KindBlocked), reasons: reasons(classify.ReasonRejected, classify.ReasonBlocked, classify.ReasonPolicyViolation), sample: true},
	{name: "helo-refused", domain: heloDomain,
		reply: "550", statuses: statuses("5.7.1"),
		kinds: kinds(classify.KindBlocked), sample: true},
	{name: "greeting-blocked", domain: blockedDomain,
		reply: "554", statuses: statuses("5.7.1"),
		kinds: kinds(classify.KindBlocked), reasons: reasons(classify.ReasonBlocked, classify.ReasonBadReputation), sample: true},
	{name: "greeting-deferred", domain: deferredDomain, temporary: true,
		reply: "421", statuses: statuses("4.7.0"),
		kinds: kinds(classify.KindBlocked, classify.KindSoft), sample: true},
	// Nothing listens: X.4.1 no answer from host (RFC 3463 §3.5).
	{name: "conn-refused", domain: refusedDomain, temporary: true,
		statuses: statuses("4.4.1", "4.4.0", "4.0.0", "5.4.1", "5.4.0", "5.0.0"),
		kinds:    kinds(classify.KindSoft), reasons: reasons(classify.ReasonNetworkError, classify.ReasonExpired), sample: true},
}

// knownFailures lists the lab results that are wrong because of a rule in classify/ or a
// dsn file outside the lab's reach, by "<mta>/<case>", with what goes wrong. They are
// logged instead of failing; a case listed here that passes fails, so the list stays true.
// The integrator removes an entry when the rule is fixed.
var knownFailures = map[string]string{}

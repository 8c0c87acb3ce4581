package classify

import "testing"

// codeFormCase is a diagnostic text written with its SMTP reply code and enhanced status code
// in one of the forms mail systems use, with the codes the text holds and the verdict they
// and its words mean.
type codeFormCase struct {
	name string
	diag string
	// field is the Status field of the delivery-status part, "" when the mail has none;
	// action is the Action field, failed when "" unless noAction says the text stands
	// alone, with no Action at all.
	field    Status
	action   Action
	noAction bool
	// reply and status are what ExtractCodes must read from diag ("" for none).
	reply  ReplyCode
	status Status
	// want is as wordingCase's: "kind reason", alternatives separated by " | ".
	want string
}

// codeFormCases are a held-out round on the forms in which reply codes (RFC 5321 §4.2) and
// enhanced status codes (RFC 3463, the IANA registry) are written: multiline replies,
// Exchange's "#550 5.1.1 ... ##", codes in brackets, the prefixes of Sendmail, Exim, qmail and
// Postfix, codes glued to words, codes in the text or only in the Status field, pairs whose
// classes disagree, RFC 7504's 521 and 556, 551 and the positive 251/252, codes outside the
// registry, malformed codes, numbers that are not codes (dates, IPs, ports, sizes, versions,
// tickets, HTTP status), full-width and Arabic-Indic digits, and the newer IANA codes. The
// texts are written for this round from the RFCs' reply texts and the MTAs' and receivers'
// templates; the addresses and IPs are examples. None is in this project's corpora or other
// tests.
//
// The rules for the expectations are wordingCases' (issue 14), and: a temporary code
// (4xx or 4.x.x, in the reply, the enhanced code or the Status field) is never hard, even
// when the other code of the pair is permanent; a code that is not a failure (2xx, 2.x.x) is
// no failure; an unknown subject or detail is read by its class alone (RFC 3463 §2), so it
// is never evidence that the address does not exist; and a malformed code or a number that
// is not a code is no code at all: only the words decide.
var codeFormCases = []codeFormCase{
	// Multiline replies (RFC 5321 §4.2.1): "550-" continuation lines, the last one "550 ".
	{name: "multiline no such user, codes in the text only",
		diag:  "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n550-5.1.1 unnecessary spaces. Learn more at\n550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123.45 - gsmtp",
		reply: "550", status: "5.1.1", want: "hard userunknown"},
	{name: "multiline without enhanced codes",
		diag:  "550-Mailbox unavailable or access denied\n550-The recipient is not known here\n550 User unknown",
		reply: "550", want: "hard userunknown"},
	{name: "multiline generic first line, specific later",
		diag:  "550-5.0.0 Message rejected\n550 5.1.1 <a@example.org>: Recipient address rejected: User unknown",
		reply: "550", status: "5.1.1", want: "hard userunknown"},
	{name: "multiline, enhanced code on the last line only",
		diag:  "550-Requested action not taken\n550 5.1.1 No such user",
		reply: "550", status: "5.1.1", want: "hard userunknown"},
	{name: "multiline temporary lines before a permanent last line",
		diag:  "451-4.3.0 Temporary lookup failure\n451-4.3.0 Please try again later\n451 4.3.0 <a@example.org>: user unknown in relay table",
		reply: "451", status: "4.3.0", want: "soft userunknown | soft systemerror"},
	{name: "multiline indented as Exim quotes it, sender verify",
		diag:  "SMTP error from remote mail server after RCPT TO:<a@example.org>:\n    550-Verification failed for <s@example.net>\n    550-Unrouteable address\n    550 Sender verify failed",
		reply: "550", want: "blocked *"},
	{name: "multiline full mailbox",
		diag:  "552-5.2.2 The email account that you tried to reach is over quota.\n552 5.2.2 Please direct the recipient to the help page",
		reply: "552", status: "5.2.2", want: "soft mailboxfull"},

	// Exchange's NDR forms.
	{name: "exchange hash form",
		diag:  "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##",
		reply: "550", status: "5.1.1", want: "hard userunknown"},
	{name: "exchange 2003 hash form",
		diag:  "#< #5.1.1 smtp;550 5.1.1 RESOLVER.ADR.RecipNotFound; not found> #SMTP#",
		reply: "550", status: "5.1.1", want: "hard userunknown"},
	{name: "exchange nonexistent domain",
		diag:  "#554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain ##",
		reply: "554", status: "5.4.4", want: "hard hostunknown"},
	{name: "exchange online 5.4.310 domain does not exist",
		diag:  "550 5.4.310 DNS domain example.org does not exist [Message=InfoDomainNonexistent] [LastAttemptedServerName=example.org]",
		reply: "550", status: "5.4.310", want: "hard hostunknown"},
	{name: "exchange online 5.1.10 recipient not found",
		diag:  "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient a@example.org not found by SMTP address lookup",
		reply: "550", status: "5.1.10", want: "hard userunknown | hard notaccept"},
	{name: "exchange hop count 5.4.14",
		diag:  "554 5.4.14 Hop count exceeded - possible mail loop ATTR34 [BN8NAM12FT012.eop-nam12.prod.protection.outlook.com]",
		reply: "554", status: "5.4.14", want: "soft networkerror | soft systemerror"},
	{name: "exchange banned sending IP 5.7.606",
		diag:  "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/",
		reply: "550", status: "5.7.606", want: "blocked *"},
	{name: "exchange old hash before the status",
		diag:  "550 #5.1.0 Address rejected.",
		reply: "550", status: "5.1.0", want: "undetermined onhold | blocked rejected"},

	// Codes in brackets and parentheses.
	{name: "status in parentheses",
		diag:   "Recipient address rejected: user unknown (5.1.1)",
		status: "5.1.1", want: "hard userunknown"},
	{name: "reply in square brackets",
		diag:  "[550] Requested action not taken: no such user here",
		reply: "550", want: "hard userunknown"},
	{name: "reply in angle brackets",
		diag:  "<550> mailbox unavailable: user unknown",
		reply: "550", want: "hard userunknown"},
	{name: "reply in parentheses before the status",
		diag:  "(550) 5.1.1 User unknown",
		reply: "550", status: "5.1.1", want: "hard userunknown"},
	{name: "status in square brackets after the reply",
		diag:  "550 [5.1.1] Recipient unknown",
		reply: "550", status: "5.1.1", want: "hard userunknown"},
	{name: "qmail hash status in parentheses, relay",
		diag:  "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
		reply: "553", status: "5.7.1", want: "blocked norelaying"},
	{name: "qmail hash status in parentheses, no mailbox",
		diag:   "Sorry, no mailbox here by that name. (#5.1.1)",
		status: "5.1.1", want: "hard userunknown"},

	// The prefixes of the MTAs that relay a remote reply.
	{name: "smtp semicolon without a blank",
		diag:  "smtp;550 5.2.2 <a@example.org>: mailbox full",
		reply: "550", status: "5.2.2", want: "soft mailboxfull"},
	{name: "exim after RCPT TO host said on the next line",
		diag:  "SMTP error from remote mail server after RCPT TO:<a@example.org>:\n    host mx.example.org [192.0.2.25]: 550 No such recipient here",
		reply: "550", want: "hard userunknown"},
	{name: "exim too many recipients",
		diag:  "SMTP error from remote mail server after RCPT TO:<a@example.org>: 452 4.5.3 Too many recipients",
		reply: "452", status: "4.5.3", want: "soft exceedlimit"},
	{name: "exim size with a number in MAIL FROM",
		diag:  "SMTP error from remote mail server after MAIL FROM:<s@example.net> SIZE=5242880: 552 5.3.4 Message size exceeds fixed limit",
		reply: "552", status: "5.3.4", want: "soft mesgtoobig"},
	{name: "qmail remote host said multiline",
		diag:  "Remote host said: 550-5.1.1 The email account that you tried to reach does not exist.\n550 5.1.1 Please try double-checking the recipient's email address",
		reply: "550", status: "5.1.1", want: "hard userunknown"},
	{name: "qmail remote host said relay denied",
		diag:  "192.0.2.25 does not like recipient.\nRemote host said: 554 5.7.1 <a@example.org>: Relay access denied\nGiving up on 192.0.2.25.",
		reply: "554", status: "5.7.1", want: "blocked norelaying"},
	{name: "exim 4xx at RCPT is temporary",
		diag:  "SMTP error from remote mail server after RCPT TO:<a@example.org>: 450 4.1.1 <a@example.org>: Recipient address rejected: User unknown",
		reply: "450", status: "4.1.1", want: "soft userunknown"},

	// Codes glued to words.
	{name: "reply glued to its text",
		diag:  "550User unknown",
		reply: "550", want: "hard userunknown"},
	{name: "status glued to its text",
		diag:   "5.1.1User unknown",
		status: "5.1.1", want: "hard userunknown"},
	{name: "reply and status glued to the text",
		diag:  "550 5.1.1Recipient address rejected: User unknown",
		reply: "550", status: "5.1.1", want: "hard userunknown"},
	{name: "temporary reply glued to its text",
		diag:  "450Mailbox unavailable: user unknown",
		reply: "450", want: "soft userunknown"},

	// Codes only in the text, only in the Status field, and both.
	{name: "status field only, words",
		diag: "User unknown", field: "5.1.1",
		want: "hard userunknown"},
	{name: "status field only, vague words",
		diag: "Requested action not taken: mailbox unavailable", field: "5.0.0",
		want: "undetermined onhold"},
	{name: "status field only, no text", field: "5.1.2",
		want: "hard hostunknown"},
	{name: "permanent status field, temporary reply pair in the text",
		diag: "451 4.3.0 Temporary lookup failure", field: "5.1.1",
		reply: "451", status: "4.3.0", want: "soft systemerror | soft networkerror"},
	{name: "permanent status field, temporary bare reply",
		diag: "450 Requested mail action not taken: mailbox unavailable", field: "5.1.1",
		reply: "450", want: "soft userunknown"},
	{name: "temporary status field, permanent bare reply",
		diag: "550 User unknown", field: "4.1.1",
		reply: "550", want: "soft userunknown"},
	{name: "delayed action with a permanent text",
		diag: "550 5.1.1 User unknown", field: "4.0.0", action: ActionDelayed,
		reply: "550", status: "5.1.1", want: "delayed *"},
	{name: "text only, no codes at all",
		diag: "Delivery to the following recipient failed permanently",
		want: "undetermined onhold"},

	// Pairs whose classes disagree: a temporary code on either side is never hard.
	{name: "550 with a 4.1.1",
		diag:  "550 4.1.1 <a@example.org>: Recipient address rejected: User unknown",
		reply: "550", status: "4.1.1", want: "soft userunknown"},
	{name: "450 with a 5.1.1",
		diag:  "450 5.1.1 <a@example.org>: User unknown in local recipient table",
		reply: "450", status: "5.1.1", want: "soft userunknown"},
	{name: "421 with a 5.x.x",
		diag:  "421 5.4.0 Service not available, closing transmission channel",
		reply: "421", status: "5.4.0", want: "soft systemerror | soft networkerror"},
	{name: "421 with a 5.1.2",
		diag:  "421 5.1.2 Host or domain name not found",
		reply: "421", status: "5.1.2", want: "soft networkerror"},
	{name: "452 with 5.2.2",
		diag:  "452 5.2.2 Mailbox full",
		reply: "452", status: "5.2.2", want: "soft mailboxfull"},

	// RFC 7504 (521, 556) and RFC 7505 (null MX).
	{name: "rfc7504 521 with 5.3.2",
		diag:  "521 5.3.2 mx.example.org does not accept mail",
		reply: "521", status: "5.3.2", want: "hard notaccept"},
	{name: "rfc7504 556 with 5.1.10",
		diag:  "556 5.1.10 Recipient address has null MX",
		reply: "556", status: "5.1.10", want: "hard notaccept"},
	{name: "rfc7504 556 alone",
		diag:  "556 Domain example.org does not accept mail",
		reply: "556", want: "hard notaccept"},

	// 551 and the positive 251 and 252 (RFC 5321 §3.4, §3.5.3).
	{name: "551 user not local",
		diag:  "551 User not local; please try <b@example.net>",
		reply: "551", want: "hard hasmoved"},
	{name: "551 with 5.1.6",
		diag:  "551 5.1.6 User has moved; please try <b@example.net>",
		reply: "551", status: "5.1.6", want: "hard hasmoved"},
	{name: "251 will forward", noAction: true,
		diag:  "251 User not local; will forward to <b@example.net>",
		reply: "251", want: "delivered delivered"},
	{name: "252 cannot verify", noAction: true,
		diag:  "252 2.1.5 Cannot VRFY user, but will accept message and attempt delivery",
		reply: "252", status: "2.1.5", want: "delivered delivered"},
	{name: "250 with 2.1.5", noAction: true,
		diag:  "250 2.1.5 <a@example.org>... Recipient ok",
		reply: "250", status: "2.1.5", want: "delivered delivered"},

	// 554 at connection time (RFC 5321 §3.1): no address had been given.
	{name: "554 greeting no SMTP service",
		diag:  "SMTP error from remote mail server after initial connection:\n    554 mx.example.org ESMTP not accepting messages",
		reply: "554", want: "blocked *"},
	{name: "554 greeting with 5.7.1",
		diag:  "Connected to 192.0.2.25 but greeting failed.\nRemote host said: 554 5.7.1 No SMTP service here",
		reply: "554", status: "5.7.1", want: "blocked *"},

	// 452 4.5.3 and 553 address codes.
	{name: "postfix too many recipients",
		diag:  "452 4.5.3 Error: too many recipients",
		reply: "452", status: "4.5.3", want: "soft exceedlimit"},
	{name: "553 5.1.3 bad address syntax",
		diag:  "553 5.1.3 <a@@example.org>... Bad recipient address syntax",
		reply: "553", status: "5.1.3", want: "hard userunknown"},
	{name: "550 5.1.2 bad destination system",
		diag:  "550 5.1.2 <a@example.invalid>... Host unknown (Name server: example.invalid: host not found)",
		reply: "550", status: "5.1.2", want: "hard hostunknown"},
	{name: "553 5.1.8 sender domain",
		diag:  "553 5.1.8 <s@example.invalid>... Domain of sender address s@example.invalid does not exist",
		reply: "553", status: "5.1.8", want: "blocked rejected"},

	// X.0.0 generic codes, with and without words.
	{name: "5.0.0 with user unknown words",
		diag:  "550 5.0.0 <a@example.org>... User unknown",
		reply: "550", status: "5.0.0", want: "hard userunknown"},
	{name: "5.0.0 with no words",
		diag:  "550 5.0.0",
		reply: "550", status: "5.0.0", want: "undetermined onhold"},
	{name: "4.0.0 with no words",
		diag:  "451 4.0.0",
		reply: "451", status: "4.0.0", want: "soft systemerror | soft onhold | undetermined onhold"},
	{name: "4.0.0 with user unknown words",
		diag:   "4.0.0 <a@example.org>... User unknown",
		status: "4.0.0", want: "soft userunknown"},
	{name: "5.0.0 protocol words",
		diag:  "500 5.0.0 Unrecognized command",
		reply: "500", status: "5.0.0", want: "soft syntaxerror"},

	// Details and subjects outside the registry: the class decides (RFC 3463 §2).
	{name: "unknown detail 5.1.99 vague",
		diag:  "550 5.1.99 Recipient rejected",
		reply: "550", status: "5.1.99", want: "undetermined onhold | blocked rejected"},
	{name: "unknown detail 5.1.99 with words",
		diag:  "550 5.1.99 User unknown",
		reply: "550", status: "5.1.99", want: "hard userunknown"},
	{name: "unknown subject 5.9.1",
		diag:  "550 5.9.1 Message refused",
		reply: "550", status: "5.9.1", want: "undetermined onhold | blocked rejected"},
	{name: "unknown subject 4.8.0 with user unknown words",
		diag:  "451 4.8.0 User unknown, try again later",
		reply: "451", status: "4.8.0", want: "soft userunknown"},

	// Malformed codes: no code, the words decide.
	{name: "status of two parts",
		diag:  "550 5.1 User unknown",
		reply: "550", want: "hard userunknown"},
	{name: "commas for dots",
		diag: "5,1,1 user unknown",
		want: "hard userunknown"},
	{name: "reply joined to the status by a dot",
		diag: "550.5.1.1 mailbox unavailable",
		want: "undetermined onhold"},
	{name: "sentence-end dot after the status",
		diag:   "The recipient's mailbox does not exist, error 5.1.1.",
		status: "5.1.1", want: "hard userunknown"},
	{name: "detail of four digits",
		diag: "Message rejected with 5.1.1000 refused",
		want: "undetermined onhold"},
	{name: "leading zero in the subject",
		diag:  "550 5.01.1 Mailbox unavailable",
		reply: "550", want: "undetermined onhold"},
	{name: "reply code with a leading zero",
		diag: "Error 0550 mailbox unavailable",
		want: "undetermined onhold"},

	// Numbers that are not codes.
	{name: "date and time",
		diag: "Message could not be delivered on 2026-05-21 at 10:55:02, mailbox unavailable",
		want: "undetermined onhold"},
	{name: "impossible IP address",
		diag: "Connection to [192.0.2.550] timed out",
		want: "soft networkerror | soft expired"},
	{name: "port 25",
		diag: "connect to mx.example.org[192.0.2.1]:25: Connection refused",
		want: "soft networkerror"},
	{name: "message size with a 552",
		diag:  "552 message size 5242880 exceeds size limit 2097152 of server mx.example.org",
		reply: "552", want: "soft mesgtoobig | soft exceedlimit"},
	{name: "postfix version in the banner",
		diag:  "mx.example.org ESMTP Postfix 2.3.8 said: 550 Requested action not taken: mailbox unavailable",
		reply: "550", want: "undetermined onhold"},
	{name: "exim version",
		diag:  "Exim 4.96.2 (Debian): 550 Unrouteable address",
		reply: "550", want: "hard userunknown | hard hostunknown | undetermined onhold"},
	{name: "ticket number",
		diag: "Your message was rejected, reference ticket 421-556-2210, mailbox unavailable",
		want: "undetermined onhold"},
	{name: "http 404 of a mail API",
		diag: "Delivery API returned HTTP 404",
		want: "undetermined onhold | soft systemerror"},
	{name: "http 503 of a mail API",
		diag: "Delivery API error: HTTP/1.1 503 Service Unavailable",
		want: "undetermined onhold | soft systemerror"},
	{name: "yahoo size number after the reply",
		diag:  "554 30 Sorry, your message size exceeds 41943040 bytes.",
		reply: "554", want: "soft mesgtoobig | soft exceedlimit"},
	{name: "error code then colon",
		diag:  "The server responded with error code 550: user unknown",
		reply: "550", want: "hard userunknown"},

	// Full-width and Arabic-Indic digits.
	{name: "full-width full mailbox",
		diag:  "５５２ ５．２．２ メールボックスの容量を超えています",
		reply: "552", status: "5.2.2", want: "soft mailboxfull"},
	{name: "full-width temporary user unknown",
		diag:  "４５０ ４．１．１ User unknown",
		reply: "450", status: "4.1.1", want: "soft userunknown"},
	{name: "arabic-indic reply and status",
		diag:  "٥٥٠ ٥.١.١ User unknown",
		reply: "550", status: "5.1.1", want: "hard userunknown"},
	{name: "arabic-indic with the arabic decimal separator",
		diag:  "۵۵۰ ۵٫۱٫۱ User unknown",
		reply: "550", status: "5.1.1", want: "hard userunknown"},
	{name: "arabic-indic temporary",
		diag:  "٤٥٠ ٤.٢.٢ Mailbox full",
		reply: "450", status: "4.2.2", want: "soft mailboxfull"},

	// IANA codes of the newer registrations.
	{name: "iana 5.7.26 DMARC policy",
		diag:  "550 5.7.26 Unauthenticated email from example.net is not accepted due to domain's DMARC policy",
		reply: "550", status: "5.7.26", want: "blocked authfailure"},
	{name: "iana 5.7.27 with words",
		diag:  "550 5.7.27 Sender address has null MX",
		reply: "550", status: "5.7.27", want: "blocked rejected"},
	{name: "iana 4.7.29 ARC",
		diag:  "451 4.7.29 ARC validation failure",
		reply: "451", status: "4.7.29", want: "blocked authfailure"},
	{name: "iana 5.7.30 REQUIRETLS",
		diag:  "550 5.7.30 REQUIRETLS support required",
		reply: "550", status: "5.7.30", want: "blocked failedstarttls"},
	{name: "iana 4.3.1 system full",
		diag:  "452 4.3.1 Insufficient system resources",
		reply: "452", status: "4.3.1", want: "soft systemfull"},
	{name: "iana 4.3.2 shutting down",
		diag:  "421 4.3.2 System not accepting network messages",
		reply: "421", status: "4.3.2", want: "soft systemerror"},
	{name: "iana 5.7.1 relaying",
		diag:  "554 5.7.1 <a@example.org>: Relay access denied",
		reply: "554", status: "5.7.1", want: "blocked norelaying"},
	{name: "iana 5.5.0 mailbox unavailable",
		diag:  "550 5.5.0 Requested action not taken: mailbox unavailable",
		reply: "550", status: "5.5.0", want: "soft syntaxerror | undetermined onhold"},
	{name: "iana 5.4.316 expired",
		diag:  "550 5.4.316 Message expired, connection refused(Socket error code 10061)",
		reply: "550", status: "5.4.316", want: "soft expired | soft networkerror"},
}

// codeFormFacts are the facts a decoder hands over for c: the reply read from the text, and
// the status as dsn's settleCodes picks it: the text's code when it agrees with the reply's
// class and the action allows it, else the Status field, else the text's code.
func codeFormFacts(c codeFormCase) Facts {
	reply, text := ExtractCodes(c.diag)
	f := Facts{Action: c.action, Reply: reply, Diagnostic: c.diag}
	if c.action == ActionUnknown && !c.noAction {
		f.Action = ActionFailed
	}
	textAgrees := text != "" && (reply == "" || reply.Class() == text.Class())
	actionAllows := f.Action != ActionDelayed || text.Class() == '4'
	switch {
	case textAgrees && (c.field == "" || actionAllows):
		f.Status, f.StatusSource = text, "the diagnostic text"
	case c.field != "":
		f.Status, f.StatusSource = c.field, "the Status field"
	case text != "":
		f.Status, f.StatusSource = text, "the diagnostic text"
	}
	return f
}

// TestCodeForms checks, for each codeFormCase, the codes ExtractCodes reads and the verdict,
// with wordingCases' invariants: only a hard want suppresses, a temporary code is never hard.
func TestCodeForms(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range codeFormCases {
		if seen[c.name] {
			t.Errorf("two cases named %q", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			if r, s := ExtractCodes(c.diag); r != c.reply || s != c.status {
				t.Errorf("ExtractCodes(%q) = %q, %q, want %q, %q", c.diag, r, s, c.reply, c.status)
			}
			checkWording(t, wordingCase{c.name, codeFormFacts(c), c.want})
		})
	}
	if len(codeFormCases) < 70 {
		t.Errorf("%d cases, want at least 70", len(codeFormCases))
	}
}

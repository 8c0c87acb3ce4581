package classify

import (
	"strconv"
	"strings"
	"testing"
)

// failed builds the facts of a failed delivery.
// normalize is appendNormalized into a new string.
func normalize(s string) string {
	return string(appendNormalized(make([]byte, 0, len(s)), s, true))
}

func failed(status Status, reply ReplyCode, diag string) Facts {
	return Facts{Action: ActionFailed, Status: status, StatusSource: "the delivery-status part", Reply: reply, Diagnostic: diag}
}

type classifyCase struct {
	name   string
	facts  Facts
	kind   Kind
	reason Reason
}

var classifyCases = []classifyCase{
	// Non-failures.
	{"feedback report", Facts{FeedbackType: "abuse"}, KindComplaint, ReasonFeedback},
	{"vacation reply", Facts{AutoReply: true, Diagnostic: "I am out of the office until Monday."}, KindAutoReply, ReasonVacation},
	{"delivered DSN", Facts{Action: ActionDelivered, Status: "2.0.0"}, KindDelivered, ReasonDelivered},
	{"relayed DSN", Facts{Action: ActionRelayed, Status: "2.0.0"}, KindDelivered, ReasonDelivered},
	{"expanded DSN", Facts{Action: ActionExpanded}, KindDelivered, ReasonDelivered},
	{"success status without action", Facts{Status: "2.1.5"}, KindDelivered, ReasonDelivered},
	{"feedback wins over a failure status", Facts{FeedbackType: "abuse", Action: ActionFailed, Status: "5.1.1"}, KindComplaint, ReasonFeedback},
	{"fraud report", Facts{FeedbackType: "fraud"}, KindComplaint, ReasonFeedback},
	{"unregistered feedback type", Facts{FeedbackType: "opt-out"}, KindComplaint, ReasonFeedback},
	{"not-spam report", Facts{FeedbackType: "not-spam"}, KindUndetermined, ReasonFeedback},
	{"authentication failure report", Facts{FeedbackType: "auth-failure"}, KindUndetermined, ReasonFeedback},
	{"virus report", Facts{FeedbackType: "Virus"}, KindUndetermined, ReasonFeedback},
	{"vacation wins over a failure code in its text", Facts{AutoReply: true, Diagnostic: "550 5.1.1 user unknown"}, KindAutoReply, ReasonVacation},

	// Delayed DSNs.
	{"delayed DSN with connection trouble", Facts{Action: ActionDelayed, Status: "4.4.1", Diagnostic: "connect to mx.example.org[192.0.2.1]:25: Connection timed out"}, KindDelayed, ReasonExpired},
	{"delayed DSN with nothing more", Facts{Action: ActionDelayed, Status: "4.0.0"}, KindDelayed, ReasonExpired},
	{"delayed DSN for a full mailbox", Facts{Action: ActionDelayed, Status: "4.2.2", Diagnostic: "452 4.2.2 Mailbox full"}, KindDelayed, ReasonMailboxFull},
	{"delayed DSN with user unknown wording is not hard", Facts{Action: ActionDelayed, Status: "4.1.1", Diagnostic: "450 4.1.1 <a@example.org>: Recipient address rejected: User unknown in local recipient table"}, KindDelayed, ReasonUserUnknown},

	// Hard: the address is bad.
	{"5.1.1 user unknown", failed("5.1.1", "550", "550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in virtual mailbox table"), KindHard, ReasonUserUnknown},
	{"status 5.1.1 alone", failed("5.1.1", "", ""), KindHard, ReasonUserUnknown},
	// RFC 5321 §4.2.1: a 4yz refusal may not last, so it is never hard, whatever its words.
	{"4xx reply with user unknown wording is not hard", failed("4.0.0", "450", "450 <a@example.org>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)"), KindSoft, ReasonUserUnknown},
	{"4xx reply under a 5.x.x status of the sender's MTA is not hard", failed("5.0.0", "450", "450 <a@example.org>: Recipient address rejected: User unknown in local recipient table"), KindSoft, ReasonUserUnknown},
	{"no such user in reply to RCPT", failed("5.0.0", "550", "550 No such user here (in reply to RCPT TO command)"), KindHard, ReasonUserUnknown},
	{"Gmail account does not exist", Facts{Action: ActionFailed, Status: "5.1.1", Reply: "550", RemoteMTA: "dns; gmail-smtp-in.l.google.com",
		Diagnostic: "550-5.1.1 The email account that you tried to reach does not exist. Please try\n 550-5.1.1 double-checking the recipient's email address for typos"}, KindHard, ReasonUserUnknown},
	{"Microsoft access denied means unknown recipient", Facts{Action: ActionFailed, Status: "5.4.1", Reply: "550", RemoteMTA: "example-org.mail.protection.outlook.com",
		Diagnostic: "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)"}, KindHard, ReasonUserUnknown},
	{"Microsoft RecipientNotFound with 5.1.10", failed("5.1.10", "550", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"), KindHard, ReasonUserUnknown},
	{"5.1.2 host unknown", failed("5.1.2", "550", "550 5.1.2 Host unknown"), KindHard, ReasonHostUnknown},
	{"domain not found wording", failed("5.4.4", "", "Host or domain name not found. Name service error for name=example.invalid type=A: Host not found"), KindHard, ReasonHostUnknown},
	{"5.1.6 moved", failed("5.1.6", "550", "550 5.1.6 recipient no longer on server: a@example.org"), KindHard, ReasonHasMoved},
	{"5.7.17 mailbox owner changed", failed("5.7.17", "550", "550 5.7.17 Mailbox owner has changed"), KindHard, ReasonHasMoved},
	{"null MX recipient domain", failed("5.1.10", "556", "556 5.1.10 Recipient address has null MX"), KindHard, ReasonNotAccept},
	{"null MX by wording only", failed("5.0.0", "", "The domain example.org doesn't receive email according to the administrator: returned Null MX"), KindHard, ReasonNotAccept},
	{"bare 556", failed("", "556", ""), KindHard, ReasonNotAccept},
	{"temporary null MX is soft", failed("4.0.0", "", "DNS type 'mx' lookup of example.org: the domain doesn't receive email according to the administrator: returned Null MX"), KindSoft, ReasonNotAccept},

	// Soft: mailbox or temporary trouble.
	{"5xx mailbox full", failed("5.2.2", "552", "552 5.2.2 Mailbox full"), KindSoft, ReasonMailboxFull},
	{"550 with quota wording", failed("5.0.0", "550", "550 Requested action not taken: user is over quota"), KindSoft, ReasonMailboxFull},
	{"quota wording beats 5.1.1", failed("5.1.1", "550", "550 5.1.1 <a@example.org>... Mailbox quota exceeded"), KindSoft, ReasonMailboxFull},
	{"disk quota from local delivery", Facts{Action: ActionFailed, Status: "4.3.0", DiagnosticType: "x-unix", Diagnostic: "/var/mail/a/Maildir/tmp/1.a: Disk quota exceeded"}, KindSoft, ReasonMailboxFull},
	{"bare 552", failed("", "552", ""), KindSoft, ReasonMailboxFull},
	{"Gmail inactive account", Facts{Action: ActionFailed, Status: "5.2.1", Reply: "550", ReportingMTA: "dns; mx.google.com",
		Diagnostic: "550-5.2.1 The email account that you tried to reach is inactive."}, KindSoft, ReasonSuspend},
	{"disabled mailbox", failed("5.2.1", "550", "550 5.2.1 This mailbox is disabled"), KindSoft, ReasonSuspend},
	{"5.7.13 account disabled", failed("5.7.13", "525", "525 5.7.13 User account disabled"), KindSoft, ReasonSuspend},
	{"message too big", failed("5.3.4", "552", "552 5.3.4 Message size exceeds fixed maximum message size"), KindSoft, ReasonMesgTooBig},
	{"size refusal with a bare 553", failed("", "553", "553 Exceeded maximum inbound message size"), KindSoft, ReasonMesgTooBig},
	{"administrative size limit", failed("5.2.3", "552", "552 5.2.3 Message length exceeds administrative limit"), KindSoft, ReasonExceedLimit},
	{"expired after retries", failed("4.4.7", "", "delivery time expired"), KindSoft, ReasonExpired},
	{"greylisting that the sender gave up on", failed("4.7.1", "451", "451 4.7.1 Greylisting in action, please come back later"), KindSoft, ReasonExpired},
	{"temporary DNS failure", failed("4.0.0", "", "DNS Error: DNS type 'mx' lookup of example.org responded with code NXDOMAIN Domain name not found: example.org"), KindSoft, ReasonNetworkError},
	{"network error", failed("4.4.0", "", "Network error on destination MXs"), KindSoft, ReasonNetworkError},
	{"named cause beats queue too long", failed("4.4.1", "", "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1) I'm not going to try again; this message has been in the queue too long."), KindSoft, ReasonNetworkError},
	{"queue too long alone", failed("", "", "I'm not going to try again; this message has been in the queue too long."), KindSoft, ReasonExpired},
	{"system error", failed("4.3.0", "451", "451 4.3.0 Internal server error"), KindSoft, ReasonSystemError},
	{"sender's own relay settings misconfigured", failed("", "", "You're sending this from a different address or alias using the 'Send mail as' feature. The settings for your 'Send mail as' account are misconfigured or out of date."), KindBlocked, ReasonRejected},
	{"account exceeding its quota", failed("", "", "<user@example.org>: This person's account is exceeding their quota."), KindSoft, ReasonMailboxFull},
	{"directory has no such name", failed("", "", "userx    No matches to nameserver query"), KindHard, ReasonUserUnknown},
	{"directory name without a mailbox", failed("", "", "user@example.edu Does not have a final email delivery point, please contact this person"), KindHard, ReasonUserUnknown},
	{"no gateway to route to", failed("", "", "Routing: Could not find a gateway for user@example.org"), KindSoft, ReasonNetworkError},
	{"host not reachable", failed("", "421", "Error, ERROR_CODE :421, ERROR_CODE :, Host not reachable."), KindSoft, ReasonNetworkError},
	{"receiver misconfigured", failed("", "451", "451 Server misconfigured, try again later"), KindSoft, ReasonSystemError},
	{"system full", failed("4.3.1", "452", "452 4.3.1 Insufficient system storage"), KindSoft, ReasonSystemFull},
	{"mailer error from a pipe", Facts{Action: ActionFailed, Status: "5.3.0", DiagnosticType: "X-Unix", Diagnostic: "Command died with status 1: \"/usr/bin/filter\""}, KindSoft, ReasonMailerError},
	{"local program failure beats a 5.1.1 code", failed("5.1.1", "", "procmail: Couldn't create \"/var/spool/mail/a\" id: example.org: No such user"), KindSoft, ReasonMailerError},
	{"syntax error", failed("5.5.2", "500", "500 5.5.2 Syntax error, command unrecognized"), KindSoft, ReasonSyntaxError},
	{"content error", failed("5.6.0", "554", "554 5.6.0 Message contains invalid MIME headers"), KindSoft, ReasonContentError},
	{"not RFC 5322 compliant", failed("5.7.1", "550", "550-5.7.1 This message is not RFC 5322 compliant. There are multiple From headers."), KindSoft, ReasonNotCompliantRFC},
	{"user unknown after DATA is filtered", Facts{Action: ActionFailed, Status: "5.0.0", Reply: "550", Command: "DATA", Diagnostic: "550 Unknown user a@example.org"}, KindSoft, ReasonFiltered},
	{"filtered by the recipient's settings", failed("5.2.0", "550", "550 5.2.0 Message Filtered"), KindSoft, ReasonFiltered},
	{"suppressed by the sending service", failed("5.1.1", "", "Amazon SES did not send the message to this address because it is on the suppression list for your account."), KindSoft, ReasonSuppressed},

	// Blocked: the receiver refuses the sender.
	{"5.7.1 client host blocked", failed("5.7.1", "554", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"), KindBlocked, ReasonBlocked},
	{"5.7.1 blacklisted IP", failed("5.7.1", "550", "550 5.7.1 IP address blacklisted by recipient"), KindBlocked, ReasonBlocked},
	{"refused at connection", Facts{Action: ActionFailed, Reply: "554", Command: "CONN", Diagnostic: "554 mx.example.org ESMTP not accepting messages"}, KindBlocked, ReasonBlocked},
	{"sender address rejected", failed("5.1.8", "553", "553 5.1.8 <s@example.net>... Domain of sender address s@example.net does not exist"), KindBlocked, ReasonRejected},
	{"relaying denied", failed("5.7.1", "554", "554 5.7.1 <a@example.org>: Relay access denied"), KindBlocked, ReasonNoRelaying},
	{"SPF failure 5.7.26", failed("5.7.26", "550", "550-5.7.26 This mail has been blocked because the sender is unauthenticated."), KindBlocked, ReasonAuthFailure},
	{"DMARC reject at Microsoft", failed("5.7.509", "550", "550 5.7.509 Access denied, sending domain [EXAMPLE.NET] does not pass DMARC verification and has a DMARC policy of reject."), KindBlocked, ReasonAuthFailure},
	{"no PTR record", failed("5.7.25", "550", "550-5.7.25 The IP address sending this message does not have a PTR record setup"), KindBlocked, ReasonRequirePTR},
	{"bad reputation rate limit", failed("4.7.650", "451", "451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation."), KindBlocked, ReasonBadReputation},
	{"spam detected", failed("5.7.1", "554", "554 5.7.1 Message rejected as spam by Content Filtering."), KindBlocked, ReasonSpamDetected},
	{"virus detected", failed("5.7.0", "554", "554 5.7.0 Your message was infected with a virus"), KindBlocked, ReasonVirusDetected},
	{"policy violation", failed("5.7.9", "554", "554 5.7.9 Message not accepted for policy reasons."), KindBlocked, ReasonPolicyViolation},
	{"TLS required", failed("5.7.10", "530", "530 5.7.10 Must issue a STARTTLS command first"), KindBlocked, ReasonFailedSTARTTLS},
	{"security error", failed("5.7.1", "550", "550 5.7.1 Delivery not authorized"), KindBlocked, ReasonSecurityError},
	{"too many connections", failed("4.7.0", "421", "421 4.7.0 Too many connections from your host"), KindBlocked, ReasonTooManyConn},
	{"sender's sending quota is not a full mailbox", failed("5.4.5", "550", "550 5.4.5 Daily user sending quota exceeded."), KindBlocked, ReasonSpeeding},
	{"rate limited", failed("4.7.28", "421", "421 4.7.28 Our system has detected an unusual rate of mail; you are sending too fast"), KindBlocked, ReasonSpeeding},

	// Receiver-specific and convention cases.
	{"Google Groups refusal in any language", Facts{Action: ActionFailed, Format: "googlegroups", Diagnostic: "Il se peut que le groupe que vous avez essayé de contacter n'existe pas"}, KindBlocked, ReasonRejected},
	{"Orange in French and English", Facts{Action: ActionFailed, Status: "5.5.0", Reply: "550", Diagnostic: "550 5.5.0 Le compte du destinataire est bloque. The recipient account is blocked. LPN007_426"}, KindSoft, ReasonSuspend},
	{"Tencent frequency limit", Facts{Action: ActionFailed, Reply: "550", RemoteMTA: "mx3.qq.com", Diagnostic: "550 Ip frequency limited [Blocked IP 192.0.2.22]"}, KindBlocked, ReasonTooManyConn},
	{"Yahoo policy refusal", Facts{Action: ActionFailed, Status: "5.7.9", Reply: "554", RemoteMTA: "mta7.am0.yahoodns.net", Diagnostic: "554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes"}, KindBlocked, ReasonPolicyViolation},
	{"Apple mailbox moved", Facts{Action: ActionFailed, Status: "5.1.6", Reply: "550", RemoteMTA: "mx01.mail.icloud.com", Diagnostic: "550 5.1.6 recipient no longer on server: a@icloud.com"}, KindHard, ReasonHasMoved},
	{"Cox error tag", Facts{Action: ActionFailed, Status: "5.1.0", Reply: "550", Diagnostic: "550 5.1.0 <s@example.net> sender rejected. Refer to Error Codes section at https://www.cox.com/residential/support/email-error-codes.html for more information. AUP#CDRBL"}, KindBlocked, ReasonBlocked},
	{"Domino directory lookup needs no SMTP command", failed("5.0.0", "", "User some.name (a@example.org) not listed in Domino Directory"), KindHard, ReasonUserUnknown},
	// Unknown-user wording at an unknown SMTP stage: the stage changes nothing, the words say
	// the mailbox does not exist (these were filtered before).
	{"user unknown with no command", failed("5.0.0", "550", "550 <a@example.org>: User unknown"), KindHard, ReasonUserUnknown},
	{"unknown user naming the address", failed("", "", "Unknown user: a@example.org"), KindHard, ReasonUserUnknown},
	{"bare no such user", failed("", "550", "550 No such user"), KindHard, ReasonUserUnknown},
	{"qmail remote refused the recipient", failed("", "550", "192.0.2.7 does not like recipient.\nRemote host said: 550 a@example.org... No such user\nGiving up on 192.0.2.7."), KindHard, ReasonUserUnknown},
	{"transcript says RCPT TO", failed("", "", "RCPT TO said 550 No such user here"), KindHard, ReasonUserUnknown},
	{"unknown user with a Command that is not DATA", Facts{Action: ActionFailed, Reply: "550", Command: "RCPT", Diagnostic: "550 Unknown user a@example.org"}, KindHard, ReasonUserUnknown},
	{"user unknown after end of data in the text", failed("", "550", "550 Unknown user a@example.org (in reply to end of DATA command)"), KindSoft, ReasonFiltered},
	{"Exim after end of data", failed("", "550", "SMTP error from remote mail server after end of data: 550 unknown user"), KindSoft, ReasonFiltered},
	{"directory lookup after DATA stays unknown", Facts{Action: ActionFailed, Command: "DATA", Diagnostic: "User a (a@example.org) not listed in Domino Directory"}, KindHard, ReasonUserUnknown},

	// The sender's problem is never the recipient's: sender-side wording vetoes a hard reason,
	// whatever code or user wording stands next to it.
	{"sender on a denylist, bare 553", failed("", "553", "553 Sender is on user denylist"), KindBlocked, ReasonBlocked},
	{"sender on a denylist under 5.1.1", failed("5.1.1", "553", "553 5.1.1 Sender is on user denylist"), KindBlocked, ReasonBlocked},
	{"sender address rejected with user unknown", failed("5.1.1", "550", "550 5.1.1 <s@example.net>: Sender address rejected: User unknown in local recipient table"), KindBlocked, ReasonRejected},
	{"user unknown wording about the sending IP", failed("5.1.1", "550", "550 5.1.1 User unknown; your IP 192.0.2.1 is on our block list"), KindBlocked, ReasonBlocked},
	{"host unknown wording with a reputation refusal", failed("", "550", "550 Host unknown: mail from your domain has a poor reputation"), KindBlocked, ReasonBadReputation},
	{"user unknown with an SPF failure", failed("5.1.1", "550", "550 5.1.1 user unknown or SPF check failed"), KindBlocked, ReasonAuthFailure},
	{"refused at MAIL FROM is never hard", Facts{Action: ActionFailed, Reply: "550", Command: "MAIL", Diagnostic: "550 User unknown"}, KindBlocked, ReasonRejected},
	{"5.7.27 is the sender's null MX", failed("5.7.27", "550", "550 5.7.27 Sender address has null MX"), KindBlocked, ReasonRejected},
	{"does not accept mail from the sender is a block", failed("5.7.1", "550", "550 5.7.1 mx.example.org does not accept mail from your network"), KindBlocked, ReasonBlocked},
	{"DNS lookup failure naming the host", failed("5.0.0", "", "DNS lookup failure: host mx.example.invalid not found"), KindHard, ReasonHostUnknown},
	{"wrapped Gmail reply keeps its phrase", Facts{Action: ActionFailed, Status: "5.7.1", Reply: "550", RemoteMTA: "gmail-smtp-in.l.google.com",
		Diagnostic: "550-5.7.1 [192.0.2.1] Messages with multiple 550 5.7.1 addresses in From: header are not accepted."}, KindSoft, ReasonNotCompliantRFC},

	{"docomo unknown user after DATA is the recipient's filter", Facts{Action: ActionFailed, Status: "5.0.0", Reply: "550", RemoteMTA: "mfsmax.docomo.ne.jp", Command: "DATA", Diagnostic: "550 Unknown user a@docomo.ne.jp"}, KindSoft, ReasonFiltered},
	{"docomo unknown user at RCPT", Facts{Action: ActionFailed, Status: "5.0.0", Reply: "550", RemoteMTA: "mfsmax.docomo.ne.jp", Command: "RCPT", Diagnostic: "550 Unknown user a@docomo.ne.jp"}, KindHard, ReasonUserUnknown},

	// Rules rewritten to say what the mail means (each verdict differed before).
	{"bare 553 names no party", failed("", "553", ""), KindUndetermined, ReasonOnHold},
	{"bare 511 has no defining source", failed("", "511", ""), KindUndetermined, ReasonOnHold},
	{"5.1.4 ambiguous address is no evidence", failed("5.1.4", "", ""), KindUndetermined, ReasonOnHold},
	{"5.2.1 mailbox disabled", failed("5.2.1", "", ""), KindSoft, ReasonSuspend},
	{"Postfix access map refusal of a recipient", failed("5.7.1", "554", "554 5.7.1 <a@example.org>: Recipient address rejected: Access denied"), KindBlocked, ReasonSecurityError},
	{"Microsoft access denied known by its AS code", failed("5.4.1", "550", "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)"), KindHard, ReasonUserUnknown},
	{"RFC 5321 mailbox unavailable is ambiguous", failed("", "550", "550 Requested action not taken: mailbox unavailable"), KindUndetermined, ReasonOnHold},
	{"recipient address rejected says no why", failed("", "550", "550 <a@example.org>: Recipient address rejected."), KindUndetermined, ReasonOnHold},
	{"temporary no route is not hard", failed("4.4.4", "", ""), KindSoft, ReasonNetworkError},
	{"DNS lookup failure is not a missing domain", failed("5.0.0", "", "DNS lookup failed for example.org"), KindSoft, ReasonNetworkError},
	{"sendmail null MX under 5.7.27", failed("5.7.27", "550", "550 Host does not accept mail"), KindHard, ReasonNotAccept},
	{"Yahoo TSS04 volume or complaints", Facts{Action: ActionFailed, Status: "4.7.0", Reply: "421", RemoteMTA: "mta5.am0.yahoodns.net",
		Diagnostic: "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints"}, KindBlocked, ReasonBadReputation},
	{"SES unverified sender identity", failed("", "554", "554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: s@example.net"), KindBlocked, ReasonRejected},
	{"user missing home directory exists", failed("", "550", "550 user missing home directory"), KindSoft, ReasonSystemError},
	{"user not active", failed("", "550", "550 user not active"), KindSoft, ReasonSuspend},
	{"French does not exist", failed("", "", "L'adresse de messagerie référencée ci-dessus n'existe pas."), KindHard, ReasonUserUnknown},

	// Undetermined.
	{"bare 550 says little", failed("", "550", ""), KindUndetermined, ReasonOnHold},
	{"generic 5.0.0 alone", failed("5.0.0", "", ""), KindUndetermined, ReasonOnHold},
	{"nothing at all", Facts{Action: ActionFailed}, KindUndetermined, ReasonUndefined},
}

func TestClassify(t *testing.T) {
	for _, tc := range classifyCases {
		t.Run(tc.name, func(t *testing.T) {
			got := Classify(tc.facts)
			if got.Kind != tc.kind || got.Reason != tc.reason {
				t.Errorf("Classify(%+v) = %s/%s, want %s/%s (evidence %q)", tc.facts, got.Kind, got.Reason, tc.kind, tc.reason, got.Evidence)
			}
			if got.Hard != (got.Kind == KindHard) {
				t.Errorf("Classify(%+v).Hard = %v with kind %v", tc.facts, got.Hard, got.Kind)
			}
			wantSuppress := got.Kind == KindHard || got.Kind == KindComplaint
			if got.Suppress != wantSuppress {
				t.Errorf("Classify(%+v).Suppress = %v, want %v", tc.facts, got.Suppress, wantSuppress)
			}
			if len(got.Evidence) == 0 || got.Explanation == "" || got.Advice == "" {
				t.Errorf("Classify(%+v) = %+v, want evidence, explanation and advice", tc.facts, got)
			}
		})
	}
}

// TestClassifyCoversEveryReasonAndKind makes sure the table above exercises every reason and
// kind Classify can produce.
func TestClassifyCoversEveryReasonAndKind(t *testing.T) {
	reasons := map[Reason]bool{}
	kinds := map[Kind]bool{}
	for _, tc := range classifyCases {
		reasons[tc.reason] = true
		kinds[tc.kind] = true
	}
	for _, r := range Reasons() {
		if !reasons[r] {
			t.Errorf("no Classify case for reason %v", r)
		}
	}
	for _, k := range []Kind{KindUndetermined, KindHard, KindSoft, KindBlocked, KindComplaint, KindAutoReply, KindDelayed, KindDelivered} {
		if !kinds[k] {
			t.Errorf("no Classify case for kind %v", k)
		}
	}
}

// TestHardOnlyForAddressReasons checks the invariants for every reason: only userunknown,
// hostunknown, hasmoved and notaccept can be hard, and non-failures never are.
func TestHardOnlyForAddressReasons(t *testing.T) {
	hardReasons := map[Reason]bool{ReasonUserUnknown: true, ReasonHostUnknown: true, ReasonHasMoved: true, ReasonNotAccept: true}
	for _, tc := range classifyCases {
		v := Classify(tc.facts)
		if v.Hard && !hardReasons[v.Reason] {
			t.Errorf("Classify(%+v) = hard with reason %v", tc.facts, v.Reason)
		}
		nonFailure := tc.facts.AutoReply || tc.facts.FeedbackType != "" || tc.facts.Action == ActionDelayed ||
			tc.facts.Action == ActionDelivered || tc.facts.Action == ActionRelayed || tc.facts.Action == ActionExpanded
		if nonFailure && v.Hard {
			t.Errorf("Classify(%+v) = hard for a non-failure", tc.facts)
		}
	}
}

// TestFeedbackTypes checks that only a report of unwanted mail suppresses its recipient: a
// DMARC failure report (RFC 6591) also comes for mail forged in the sender's name, and a
// not-spam report (RFC 6430) says the mail was wanted.
func TestFeedbackTypes(t *testing.T) {
	for typ, want := range map[string]struct {
		suppress bool
		fault    Fault
	}{
		"abuse": {true, FaultNone}, "fraud": {true, FaultNone}, "other": {true, FaultNone},
		"not-spam": {false, FaultNone}, "auth-failure": {false, FaultSender}, "virus": {false, FaultSender},
	} {
		v := Classify(Facts{FeedbackType: typ})
		if v.Suppress != want.suppress || v.Hard || v.Fault != want.fault || v.Reason != ReasonFeedback {
			t.Errorf("Feedback-Type %s: suppress %v hard %v fault %v reason %v, want suppress %v fault %v reason feedback",
				typ, v.Suppress, v.Hard, v.Fault, v.Reason, want.suppress, want.fault)
		}
		if !want.suppress && strings.Contains(v.Advice, "Stop mailing") {
			t.Errorf("Feedback-Type %s: advice %q tells to stop mailing", typ, v.Advice)
		}
	}
}

func TestClassifyEvidence(t *testing.T) {
	tests := []struct {
		name  string
		facts Facts
		want  string
	}{
		{"status code", failed("5.1.1", "550", ""), "status 5.1.1 in the delivery-status part"},
		{"reply plus wording", failed("", "550", "550 No such user here (in reply to RCPT TO command)"), `reply 550 + "no such user" in the diagnostic`},
		{"receiver wording", Facts{Action: ActionFailed, Status: "5.2.1", RemoteMTA: "gmail-smtp-in.l.google.com", Diagnostic: "The email account that you tried to reach is inactive."},
			`Gmail wording "account that you tried to reach is inactive" in the diagnostic`},
		{"wording over a misused code", failed("5.1.1", "550", "550 5.1.1 mailbox full"), `reply 550 + "mailbox full" in the diagnostic overrides status 5.1.1 in the delivery-status part`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Classify(tc.facts)
			if len(got.Evidence) == 0 || got.Evidence[0] != tc.want {
				t.Errorf("Classify(%+v).Evidence = %q, want first %q", tc.facts, got.Evidence, tc.want)
			}
		})
	}
}

func TestClassifyDeterministic(t *testing.T) {
	for _, tc := range classifyCases {
		a, b := Classify(tc.facts), Classify(tc.facts)
		if strings.Join(a.Evidence, "|") != strings.Join(b.Evidence, "|") || a.Reason != b.Reason || a.Explanation != b.Explanation {
			t.Errorf("Classify(%+v) differs between calls: %+v vs %+v", tc.facts, a, b)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"550-5.7.26 The MAIL FROM domain has\n    an SPF record with a 550-5.7.26 hard fail", "550-5.7.26 the mail from domain has an spf record with a hard fail"},
		{"Messages with multiple 550 5.7.1 addresses in From:", "messages with multiple addresses in from:"},
		{"  User   UNKNOWN\r\n", "user unknown"},
		{"Adresse IP source bloquée", "adresse ip source bloquee"},
		{"MAİL FROM \u212Aelvin", "mail from kelvin"},
		{"bad \xff byte\x00\v", "bad \ufffd byte\x00\v"},
		{" 421-4.4.1 starts a reply\n421 4.4.1 twice", "421-4.4.1 starts a reply twice"},
		{"code 550-at the start of a word", "code 550-at the start of a word"},
	}
	for _, tc := range tests {
		if got := normalize(tc.in); got != tc.want {
			t.Errorf("normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHostIs(t *testing.T) {
	tests := []struct {
		host, domain string
		want         bool
	}{
		{"dns; gmail-smtp-in.l.google.com", "google.com", true},
		{"mx.google.com.", "google.com", true},
		{"notgoogle.com", "google.com", false},
		{"example-org.mail.protection.outlook.com [192.0.2.1]", "outlook.com", true},
		{"", "outlook.com", false},
	}
	for _, tc := range tests {
		if got := hostIs(tc.host, tc.domain); got != tc.want {
			t.Errorf("hostIs(%q, %q) = %v, want %v", tc.host, tc.domain, got, tc.want)
		}
	}
}

// BenchmarkClassify measures a mix of typical facts: a coded unknown user, a provider reply,
// a block, a free-text bounce with no codes, and a delayed DSN.
func BenchmarkClassify(b *testing.B) {
	facts := []Facts{
		failed("5.1.1", "550", "550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)"),
		{Action: ActionFailed, Status: "5.2.1", Reply: "550", RemoteMTA: "dns; gmail-smtp-in.l.google.com",
			Diagnostic: "550-5.2.1 The email account that you tried to reach is inactive. For more information, go to\n 550-5.2.1 https://support.google.com/mail/?p=DisabledUser a1si123 - gsmtp"},
		failed("5.7.1", "554", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1"),
		{Action: ActionFailed, Diagnostic: "kijitora@example.jp: this message has been in the queue too long and could not be delivered"},
		{Action: ActionDelayed, Status: "4.4.1", Diagnostic: "connect to mx.example.org[192.0.2.1]:25: Connection timed out"},
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = Classify(facts[i%len(facts)])
	}
}

// BenchmarkClassifyColdCache is BenchmarkClassify with the CPU caches filled with other data
// before each call (untimed), as in a run, where database and IMAP work come between two
// verdicts: it shows what the tables cost when they must be read from memory.
func BenchmarkClassifyColdCache(b *testing.B) {
	facts := failed("5.1.1", "550", "550 5.1.1 <dave@example.org>: Recipient address rejected: User unknown in local recipient table")
	other := make([]byte, 4<<20) // more than the L2 cache of a core
	_ = Classify(facts)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for j := 0; j < len(other); j += 64 {
			other[j]++
		}
		b.StartTimer()
		_ = Classify(facts)
	}
}

// TestEveryRuleReasonIsDescribed checks that every reason a rule can pick has its kind,
// fault and texts in reasonTable.
func TestEveryRuleReasonIsDescribed(t *testing.T) {
	check := func(where string, r Reason) {
		if _, ok := reasonIndex[r]; !ok {
			t.Errorf("%s picks reason %v, which reasonTable lacks", where, r)
		}
	}
	for i, tr := range textRules {
		check("textRules["+strconv.Itoa(i)+"]", tr.reason)
	}
	for _, rr := range receiverRules {
		for _, tr := range rr.rules {
			check(rr.name, tr.reason)
		}
		if rr.fallback != ReasonUndefined {
			check(rr.name+" fallback", rr.fallback)
		}
	}
	for _, sr := range statusRules {
		check("status X."+sr.code, sr.reason)
		for _, y := range sr.yields {
			check("status X."+sr.code+" yields", y)
		}
	}
	for _, rr := range replyRules {
		check("reply "+string(rr.code), rr.reason)
	}
	check("greylisting", greylistRule.reason)
}

// TestHardReasonAgreesWithTable checks that the hard guard's list of hard reasons is the one
// reasonTable makes hard.
func TestHardReasonAgreesWithTable(t *testing.T) {
	for _, ri := range reasonTable {
		if got := hardReason(ri.reason); got != (ri.kind == KindHard) {
			t.Errorf("hardReason(%v) = %v, but reasonTable gives kind %v", ri.reason, got, ri.kind)
		}
	}
}

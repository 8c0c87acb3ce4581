package classify

import (
	"strings"
	"testing"
)

// delayedFacts is a recipient of a delay notice (RFC 3464 Action: delayed).
func delayedFacts(status Status, reply ReplyCode, diag string) Facts {
	f := failed(status, reply, diag)
	f.Action = ActionDelayed
	return f
}

// tempPermCases are a held-out round on temporary versus permanent failures and on the reasons
// of delays. RFC 5321 §4.2.1: a 4yz reply is a transient negative completion, a 5yz reply a
// permanent one; RFC 3463 §3.1: a 4.x.x status is a persistent transient failure, 5.x.x a
// permanent one; RFC 3464 §2.3.3: Action "delayed" means the sending MTA keeps trying,
// "failed" that it gave up. The texts are written for this round from what MTAs and
// receivers write (Postfix's reject_unverified_recipient and its queue-expiry DSNs,
// Sendmail's and Exim's delay and give-up notices, Exchange's expiry, postgrey, sqlgrey,
// milter-greylist, Gmail's and Yahoo's rate limits, Postfix's anvil, Dovecot's quota, and
// generic "try again later" wording in several languages); the addresses and IPs are
// examples. Like wordingCases they are held out: none is in this project's corpora or other
// tests.
//
// The rules for the expectations are wordingCases' (issue 14), and these:
//   - a temporary code (a 4xx reply or a 4.x.x status) is never hard, whatever the words;
//     a "user unknown" under 450 is a recipient not yet verified (Postfix's
//     unverified_recipient_defer_code), soft;
//   - an Action "delayed" is never hard, whatever its diagnostic: the Action decides;
//   - a failed Action with a 4.x.x status is a queue that gave up (expired) or the network
//     trouble that made it give up, soft;
//   - words that call a refusal temporary ("try again later", "temporarily", "please retry",
//     and the same in other languages) under a permanent code give no evidence about the
//     address: never hard unless the words or the code say the address does not exist;
//   - a delay's reason is its cause where the words name one (a full mailbox, a full system,
//     the network, too many connections, a rate limit); greylisting, which only a retry
//     passes, is the project's expired.
var tempPermCases = []wordingCase{
	// 5xx replies whose words call the refusal temporary: no evidence about the address.
	{"550 temporarily unavailable try again later", failed("", "550", "550 Temporarily unavailable, try again later"),
		"soft systemerror"},
	{"554 transaction failed retry later", failed("", "554", "554 Transaction failed, retry later"),
		"soft systemerror | undetermined onhold"},
	{"550 5.0.0 please retry", failed("5.0.0", "550", "550 5.0.0 Local error in processing, please retry"),
		"soft systemerror"},
	{"550 mailbox temporarily unavailable", failed("", "550", "550 <a@example.org>: Mailbox temporarily unavailable"),
		"soft *"},
	{"553 recipient temporarily locked", failed("", "553", "553 Sorry, the recipient's mailbox is temporarily locked, try later"),
		"soft *"},
	{"550 5.2.1 temporarily disabled", failed("5.2.1", "550", "550 5.2.1 <a@example.org>: Mailbox temporarily disabled"),
		"soft suspend"},
	{"552 storage allocation try again later", failed("5.2.2", "552", "552 5.2.2 Requested mail action aborted: exceeded storage allocation, try again later"),
		"soft mailboxfull"},
	{"554 server busy retry later", failed("", "554", "554 Server busy, please retry later"),
		"soft systemerror | soft systemfull"},
	{"550 5.7.1 temporarily blocked", failed("5.7.1", "550", "550 5.7.1 Your IP 192.0.2.1 is temporarily blocked, try again in an hour"),
		"blocked *"},
	{"5.3.0 temporary local problem", failed("5.3.0", "554", "554 5.3.0 Temporary local problem - please try later"),
		"soft systemerror"},
	// The address is said not to exist: a retry hint does not take that back.
	{"550 5.1.1 unknown with retry boilerplate", failed("5.1.1", "550", "550 5.1.1 <a@example.org>: Recipient address rejected: User unknown. Please try again later if you believe this is an error."),
		"hard userunknown"},

	// 4xx replies and 4.x.x statuses whose words would be permanent: never hard.
	{"postfix unverified recipient 450 4.1.1", failed("4.1.1", "450", "450 4.1.1 <a@example.org>: Recipient address rejected: unverified address: host mx.example.org[192.0.2.1] said: 550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)"),
		"soft userunknown"},
	{"450 4.1.1 user unknown alone", failed("4.1.1", "450", "450 4.1.1 User unknown"),
		"soft userunknown"},
	{"451 4.1.1 virtual mailbox table", failed("4.1.1", "451", "451 4.1.1 <a@example.org>: Recipient address rejected: User unknown in virtual mailbox table"),
		"soft userunknown"},
	{"421 no such user", failed("", "421", "421 No such user here, closing connection"),
		"soft userunknown"},
	{"450 4.1.2 domain not found", failed("4.1.2", "450", "450 4.1.2 <a@example.invalid>: Recipient address rejected: Domain not found"),
		"soft networkerror"},
	{"450 reply under a sender-written 5.1.1", failed("5.1.1", "450", "450 4.1.1 <a@example.org>: Recipient address rejected: undeliverable address"),
		"soft *"},
	{"4.1.1 in text only", failed("", "", "4.1.1 <a@example.org>... User unknown (will retry)"),
		"soft userunknown"},
	{"451 4.1.6 moved", failed("4.1.6", "451", "451 4.1.6 Mailbox has moved, lookup temporarily failed"),
		"soft hasmoved | soft *"},
	{"450 4.7.1 access denied unverified", failed("4.7.1", "450", "450 4.7.1 <a@example.org>: Recipient address rejected: Access denied"),
		"blocked *"},

	// A failed Action under a 4.x.x status: the sending MTA's queue gave up.
	{"failed 4.4.7 no text", Facts{Action: ActionFailed, Status: "4.4.7"},
		"soft expired"},
	{"failed 4.4.7 exchange expired", failed("4.4.7", "", "Message expired: the destination server did not respond in time and the message was returned"),
		"soft expired"},
	{"postfix give-up connection timed out", Facts{Action: ActionFailed, Status: "4.4.1", DiagnosticType: "x-postfix", Diagnostic: "connect to mx.example.org[192.0.2.1]:25: Connection timed out"},
		"soft networkerror | soft expired"},
	{"postfix give-up connection refused", Facts{Action: ActionFailed, Status: "4.4.1", DiagnosticType: "x-postfix", Diagnostic: "connect to mx.example.org[192.0.2.1]:25: Connection refused"},
		"soft networkerror | soft expired"},
	{"postfix give-up lost connection", Facts{Action: ActionFailed, Status: "4.4.2", DiagnosticType: "x-postfix", Diagnostic: "lost connection with mx.example.org[192.0.2.1] while receiving the initial server greeting"},
		"soft networkerror | soft expired"},
	{"postfix give-up dns temp failure", Facts{Action: ActionFailed, Status: "4.4.3", DiagnosticType: "x-postfix", Diagnostic: "Host or domain name not found. Name service error for name=example.org type=A: Host not found, try again"},
		"soft networkerror | soft expired"},
	{"sendmail give-up timed out", failed("4.4.7", "", "Message could not be delivered for 5 days\nDeferred: Connection timed out with mx.example.org."),
		"soft expired | soft networkerror"},
	{"exim retry timeout exceeded", failed("", "", "retry timeout exceeded"),
		"soft expired"},
	{"failed 4.2.2 full at give-up", failed("4.2.2", "452", "452 4.2.2 <a@example.org>: Mailbox is full; message expired after 5 days"),
		"soft mailboxfull"},
	{"failed 4.0.0 last reply 421", failed("4.0.0", "421", "421 Service not available, closing transmission channel"),
		"soft *"},

	// A delayed Action whatever its diagnostic: never hard.
	{"delayed with 550 5.1.1 diagnostic", delayedFacts("5.1.1", "550", "550 5.1.1 <a@example.org>: Recipient address rejected: User unknown"),
		"delayed userunknown"},
	{"delayed with 550 no such user, no status", delayedFacts("", "550", "550 No such user"),
		"delayed userunknown"},
	{"delayed with 5.1.2 host not found", delayedFacts("5.1.2", "", "Host or domain name not found. Name service error for name=example.invalid type=MX: Host not found"),
		"delayed hostunknown | delayed networkerror"},
	{"delayed with 552 5.2.2", delayedFacts("5.2.2", "552", "552 5.2.2 Mailbox over quota"),
		"delayed mailboxfull"},
	{"delayed with 554 5.7.1 blocked", delayedFacts("5.7.1", "554", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"),
		"delayed blocked"},
	{"delayed with 5.0.0 nothing more", delayedFacts("5.0.0", "", ""),
		"delayed expired"},

	// Greylisting: a receiver that defers unknown senders until they retry.
	{"greylisted try again in 300 seconds, delayed", delayedFacts("4.7.1", "451", "451 4.7.1 Greylisted, please try again in 300 seconds"),
		"delayed expired"},
	{"old postgrey greylisted for 300 seconds", delayedFacts("4.2.0", "450", "450 4.2.0 <a@example.org>: Recipient address rejected: Greylisted for 300 seconds (see http://isg.ee.ethz.ch/tools/postgrey/help/example.org.html)"),
		"delayed expired"},
	{"sqlgrey reconnect too early", delayedFacts("4.7.1", "450", "450 4.7.1 Greylisted for 4 minutes (reconnect too early)"),
		"delayed expired"},
	{"milter-greylist come back in seconds", failed("4.7.1", "451", "451 4.7.1 Greylisting in action, please come back in 300 seconds"),
		"soft expired"},
	{"graylisted sender ip, delayed", delayedFacts("", "451", "451 Temporary local problem: sender IP 192.0.2.1 is graylisted, please retry"),
		"delayed expired"},
	{"greylisting never hard under 5xx relay", failed("5.0.0", "550", "550 5.0.0 Message deferred too long: greylisted by mx.example.org"),
		"soft expired | undetermined onhold"},

	// Delays' reasons.
	{"gmail rate limited, delayed", delayedFacts("4.7.28", "421", "421-4.7.28 Gmail has detected an unusual rate of mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited."),
		"delayed speeding | delayed badreputation"},
	{"yahoo TSS04 delayed", delayedFacts("4.7.0", "421", "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"),
		"delayed speeding | delayed badreputation"},
	{"dovecot quota 452 delayed", delayedFacts("4.2.2", "452", "452 4.2.2 <a@example.org> Quota exceeded (mailbox for user is full)"),
		"delayed mailboxfull"},
	{"452 4.3.1 delayed", delayedFacts("4.3.1", "452", "452 4.3.1 Out of memory / disk space, try again later"),
		"delayed systemfull"},
	{"connection refused delayed", delayedFacts("4.4.1", "", "connect to mx.example.org[192.0.2.1]:25: Connection refused"),
		"delayed networkerror | delayed expired"},
	{"conversation timed out delayed", delayedFacts("4.4.2", "", "conversation with mx.example.org[192.0.2.1] timed out while receiving the initial server greeting"),
		"delayed networkerror | delayed expired"},
	{"sendmail name server timeout delayed", delayedFacts("4.4.3", "", "Deferred: Name server: example.org.: host name lookup failure"),
		"delayed networkerror | delayed expired"},
	{"exim too many concurrent connections", failed("", "421", "421 Too many concurrent SMTP connections; please try again later."),
		"blocked toomanyconn"},
	{"too many connections delayed", delayedFacts("4.7.0", "421", "421 4.7.0 mx.example.org Error: too many connections from 192.0.2.1"),
		"delayed toomanyconn"},
	{"rate limit slow down", failed("4.7.0", "451", "451 4.7.0 Temporary rejection: too many messages from this sender in the last hour, slow down"),
		"blocked speeding"},
	{"rate limit exceeded delayed", delayedFacts("4.7.1", "450", "450 4.7.1 Rate limit exceeded for sender, try again later"),
		"delayed speeding"},

	// "Try again later" in other languages, with and without codes: temporary, never hard.
	{"de versuchen sie es spaeter erneut no code", failed("", "", "Der Server ist derzeit nicht erreichbar. Versuchen Sie es später erneut."),
		"soft systemerror"},
	{"de 550 spaeter erneut", failed("", "550", "550 Zustellung vorübergehend nicht möglich, versuchen Sie es später erneut"),
		"soft systemerror"},
	{"fr reessayez plus tard no code", failed("", "", "Le serveur est momentanément indisponible. Réessayez plus tard."),
		"soft systemerror"},
	{"fr 451 reessayez plus tard", failed("4.3.0", "451", "451 4.3.0 Erreur temporaire du serveur, réessayez plus tard"),
		"soft systemerror"},
	{"es intentelo mas tarde no code", failed("", "", "El servidor no está disponible en este momento. Inténtelo más tarde."),
		"soft systemerror"},
	{"es 550 intentelo mas tarde", failed("", "550", "550 Servicio no disponible temporalmente, inténtelo más tarde"),
		"soft systemerror"},
	{"ja shibaraku no code", failed("", "", "サーバーが混雑しています。しばらくしてから再度お試しください。"),
		"soft systemerror"},
	{"ja 554 shibaraku", failed("", "554", "554 一時的なエラーです。しばらくしてから再度お試しください。"),
		"soft systemerror"},
	{"zh qing shaohou chongshi no code", failed("", "", "服务器暂时不可用，请稍后重试。"),
		"soft systemerror"},
	{"zh 550 qing shaohou chongshi", failed("", "550", "550 系统繁忙，请稍后重试"),
		"soft systemerror"},
	{"de delayed spaeter erneut", delayedFacts("4.0.0", "", "Versuchen Sie es später erneut."),
		"delayed expired | delayed systemerror"},
}

// TestTempPerm checks the temporary and permanent wordings and the delays' reasons.
func TestTempPerm(t *testing.T) { runWording(t, tempPermCases, 60) }

// TestDelayNotExplainedAsGivingUp checks that a delay (Action delayed) whose reason is
// expired, such as a live greylisting deferral, is not explained as a queue that gave up:
// RFC 3464 §2.3.3's "delayed" says the sending MTA is still trying.
func TestDelayNotExplainedAsGivingUp(t *testing.T) {
	for _, f := range []Facts{
		delayedFacts("4.7.1", "451", "451 4.7.1 Greylisted, please try again in 300 seconds"),
		{Action: ActionDelayed},
	} {
		v := Classify(f)
		if v.Reason != ReasonExpired || v.Kind != KindDelayed {
			t.Errorf("Classify(%q) = %s %s, want delayed expired", f.Diagnostic, v.Kind, v.Reason)
		}
		if strings.Contains(v.Explanation, "gave up") || !strings.Contains(v.Explanation, "still retrying") {
			t.Errorf("Classify(%q).Explanation = %q, want a delay that is still being retried", f.Diagnostic, v.Explanation)
		}
	}
	if v := Classify(failed("4.4.7", "", "")); !strings.Contains(v.Explanation, "gave up") {
		t.Errorf("a failed 4.4.7 is explained as %q, want a queue that gave up", v.Explanation)
	}
}

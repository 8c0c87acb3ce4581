package dsn_test

import (
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
)

// The actions of RFC 3464 §2.3.3 that are not failures.
const (
	delivered = classify.ActionDelivered
	relayed   = classify.ActionRelayed
	expanded  = classify.ActionExpanded
)

// postfixDelayIntro is bounce_template.c's delay template, up to the recipient paragraphs.
const postfixDelayIntro = `This is the mail system at host mx.example.net.

####################################################################
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
####################################################################

Your message could not be delivered for more than 4 hour(s).
It will be retried until it is 5 day(s) old.

For further assistance, please send mail to postmaster.

If you do so, please include this problem report. You can
delete your own text from the attached returned message.

                   The mail system

`

// postfixSuccessIntro is bounce_template.c's success template, up to the recipient paragraphs.
const postfixSuccessIntro = `This is the mail system at host mx.example.net.

Your message was successfully delivered to the destination(s)
listed below. If the message was delivered to mailbox you will
receive no further notifications. Otherwise you may still receive
notifications of mail delivery errors from other systems.

                   The mail system

`

// eximWarningTail is the closing paragraph of Exim's warning_message template.
const eximWarningTail = `
No action is required on your part. Delivery attempts will continue for
some time, and this warning may be repeated at intervals if the message
remains undelivered. Eventually the mail delivery software will give up,
and when that happens, the message will be returned to you.
`

// sendmailWarnHead is the banner and reception lines of sendmail's warning (savemail.c).
const sendmailWarnHead = `    **********************************************
    **      THIS IS A WARNING MESSAGE ONLY      **
    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **
    **********************************************

The original message was received at Tue, 1 Dec 2026 05:59:58 GMT
from client.example.net [192.0.2.20]

`

// exchangeDSNHead is the text of the Delivery Status Notifications of Exchange's SMTP
// transport (Exchange 2003 and IIS SMTP, and Exchange 2007+ for the DSNs it relays).
const exchangeDSNHead = "This is an automatically generated Delivery Status Notification.\n\n"

// delaysOpen are the cases that still fail, each with what is wrong: they are skipped, not
// deleted, until a general rule reads them.
var delaysOpen = map[string]string{}

// TestDelays is a held-out round on notices that are not final failures: the delay
// warnings of MTAs and providers, and the success, relay and expansion reports of RFC 3464
// (§2.3.3). Every recipient must come out with the action its notice gives it (a report
// that mixes failed and delayed recipients gives each its own), and no recipient that is
// still being retried or was delivered may be classified hard or suppressed: the Action
// decides, even when the diagnostic quotes a 5xx-looking text.
func TestDelays(t *testing.T) {
	tests := []struct {
		name, mail string
		want       []layoutRecip
	}{
		// Postfix bounce(8): the delay template ("Delayed Mail (still being retried)"),
		// alone or in its multipart/report, and the success template.
		{"postfix/delay, greylisted at rcpt", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Delayed Mail (still being retried)", postfixDelayIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 450 4.2.0
    <alice@example.org>: Recipient address rejected: Greylisted, see
    https://postgrey.example.org/help/example.org (in reply to RCPT TO command)
`), []layoutRecip{{"alice@example.org", delayed, "450", "4.2.0"}}},
		{"postfix/delay, name service error", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Delayed Mail (still being retried)", postfixDelayIntro+`<alice@example.org>: Host or domain name not found. Name service error for
    name=example.org type=MX: Host not found, try again
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"postfix/delay, lost connection during greeting", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Delayed Mail (still being retried)", postfixDelayIntro+`<alice@example.org>: lost connection with mx.example.org[192.0.2.1] while
    receiving the initial server greeting

<bob@example.org>: conversation with mx.example.org[192.0.2.1] timed out while
    sending end of data -- message may be sent more than once
`), []layoutRecip{{"alice@example.org", delayed, "", ""}, {"bob@example.org", delayed, "", ""}}},
		{"postfix/delay, soft_bounce keeps the 5xx text", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Delayed Mail (still being retried)", postfixDelayIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)
`), []layoutRecip{{"alice@example.org", delayed, "550", "5.1.1"}}},
		{"postfix/delay report, soft_bounce status 4.1.1 with a 550 diagnostic", bounceMIME("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Delayed Mail (still being retried)", reportType, report(postfixDelayIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)
`, `Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4AbCdE
X-Postfix-Sender: rfc822; sender@example.net
Arrival-Date: Tue,  1 Dec 2026 05:59:58 +0000 (UTC)

Final-Recipient: rfc822; alice@example.org
Original-Recipient: rfc822;alice@example.org
Action: delayed
Status: 4.1.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.1.1 <alice@example.org>: Recipient address
    rejected: User unknown
Will-Retry-Until: Sun,  6 Dec 2026 05:59:58 +0000 (UTC)
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "550", "4.1.1"}}},
		{"postfix/delay report, three recipients", bounceMIME("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Delayed Mail (still being retried)", reportType, report(postfixDelayIntro+`<alice@example.org>: connect to mx.example.org[192.0.2.1]:25: Connection timed
    out

<bob@example.org>: host mx.example.org[192.0.2.1] said: 421 4.7.0 Try again
    later, closing connection. (in reply to MAIL FROM command)

<dave@example.org>: host mx.example.org[192.0.2.1] said: 452 4.2.2 Mailbox
    full (in reply to end of DATA command)
`, `Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4AbCdE
X-Postfix-Sender: rfc822; sender@example.net
Arrival-Date: Tue,  1 Dec 2026 05:59:58 +0000 (UTC)

Final-Recipient: rfc822; alice@example.org
Original-Recipient: rfc822;alice@example.org
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.1]:25:
    Connection timed out
Will-Retry-Until: Sun,  6 Dec 2026 05:59:58 +0000 (UTC)

Final-Recipient: rfc822; bob@example.org
Original-Recipient: rfc822;bob@example.org
Action: delayed
Status: 4.7.0
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 421 4.7.0 Try again later, closing connection.
Will-Retry-Until: Sun,  6 Dec 2026 05:59:58 +0000 (UTC)

Final-Recipient: rfc822; dave@example.org
Original-Recipient: rfc822;dave@example.org
Action: delayed
Status: 4.2.2
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 452 4.2.2 Mailbox full
Will-Retry-Until: Sun,  6 Dec 2026 05:59:58 +0000 (UTC)
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "", "4.4.1"}, {"bob@example.org", delayed, "421", "4.7.0"}, {"dave@example.org", delayed, "452", "4.2.2"}}},
		{"postfix/success, delivered to mailbox and via lmtp", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Successful Mail Delivery Report", postfixSuccessIntro+`<alice@example.org>: delivered to mailbox

<bob@example.org>: delivered via dovecot service
`), []layoutRecip{{"alice@example.org", delivered, "", ""}, {"bob@example.org", delivered, "", ""}}},
		{"postfix/success report, delivered, relayed and expanded", bounceMIME("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Successful Mail Delivery Report", reportType, report(postfixSuccessIntro+`<alice@example.org>: delivered to mailbox

<bob@example.org>: delivery via mx.example.org[192.0.2.1]:25: 250 2.0.0 Ok:
    queued as 4XyZ

<team@example.org>: alias expanded
`, `Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4AbCdE
X-Postfix-Sender: rfc822; sender@example.net
Arrival-Date: Tue,  1 Dec 2026 09:59:58 +0000 (UTC)

Final-Recipient: rfc822; alice@example.org
Original-Recipient: rfc822;alice@example.org
Action: delivered
Status: 2.0.0
Diagnostic-Code: X-Postfix; delivered to mailbox

Final-Recipient: rfc822; bob@example.org
Original-Recipient: rfc822;bob@example.org
Action: relayed
Status: 2.0.0
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 250 2.0.0 Ok: queued as 4XyZ

Final-Recipient: rfc822; team@example.org
Original-Recipient: rfc822;team@example.org
Action: expanded
Status: 2.0.0
Diagnostic-Code: X-Postfix; alias expanded
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delivered, "", "2.0.0"}, {"bob@example.org", relayed, "250", "2.0.0"}, {"team@example.org", expanded, "", "2.0.0"}}},
		{"zimbra/postfix delay, lmtp temporary failure", bounceMail("MAILER-DAEMON@zimbra.example.net (Mail Delivery System)", "Delayed Mail (still being retried)", strings.Replace(postfixDelayIntro, "mx.example.net", "zimbra.example.net", 1)+`<alice@example.org>: host zimbra.example.net[192.0.2.5] said: 451 4.0.0
    Temporary message delivery failure try again (in reply to end of DATA
    command)
`), []layoutRecip{{"alice@example.org", delayed, "451", "4.0.0"}}},

		// Exim: warning_message ("Warning: message … delayed 24 hours"), text only and in
		// the multipart/report of its DSN support.
		{"exim/warning, greylisted with delay reason", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Warning: message 1tQwEr-000456-Zx delayed 24 hours", eximWarningHead("1tQwEr-000456-Zx", "24", "Mon, 30 Nov 2026 10:00:00 +0000")+`
  alice@example.org
    Delay reason: SMTP error from remote mail server after RCPT TO:<alice@example.org>:
    451 4.7.1 Greylisting in action, please come back later
`+eximWarningTail), []layoutRecip{{"alice@example.org", delayed, "451", "4.7.1"}}},
		{"exim/warning, connection timed out, plural", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Warning: message 1tQwEr-000456-Zx delayed 24 hours", `This message was created automatically by mail delivery software.
A message that you sent has not yet been delivered to one or more of its
recipients after more than 24 hours on the queue on mx.example.net.

The message identifier is:     1tQwEr-000456-Zx
The subject of the message is: hello
The date of the message is:    Mon, 30 Nov 2026 10:00:00 +0000

The addresses to which the message has not yet been delivered are:

  alice@example.org
    Delay reason: retry timeout not exceeded
  bob@example.org
    Delay reason: Connection timed out
`+eximWarningTail), []layoutRecip{{"alice@example.org", delayed, "", ""}, {"bob@example.org", delayed, "", ""}}},
		{"exim/warning report with status part", bounceMIME("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Warning: message 1tQwEr-000456-Zx delayed 24 hours", reportType, report(eximWarningHead("1tQwEr-000456-Zx", "24", "Mon, 30 Nov 2026 10:00:00 +0000")+`
  alice@example.org
    Delay reason: SMTP error from remote mail server after end of data:
    452 4.3.1 Insufficient system storage
`+eximWarningTail, `Reporting-MTA: dns; mx.example.net

Action: delayed
Final-Recipient: rfc822;alice@example.org
Status: 4.0.0
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 452 4.3.1 Insufficient system storage
Will-Retry-Until: Fri, 04 Dec 2026 10:00:00 +0000
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "452", "4.3.1"}}},
		{"exim/success DSN, relayed to a non-DSN MTA", bounceMIME("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Delivery Status Notification", reportType, report(`This message was created automatically by mail delivery software.

Your message has been successfully delivered to the following addresses:

  alice@example.org
`, `Reporting-MTA: dns; mx.example.net

Action: relayed
Final-Recipient: rfc822;alice@example.org
Status: 2.0.0
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 250 OK id=1tQwEr-000789-Ab
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", relayed, "250", "2.0.0"}}},

		// Sendmail: the warning of savemail.c ("Warning: could not send message for past
		// 4 hours") and its return receipts.
		{"sendmail/warning, greylisting transcript", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Warning: could not send message for past 4 hours", sendmailWarnHead+`   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> RCPT To:<alice@example.org>
<<< 451 4.7.1 Please try again later
<alice@example.org>... Deferred: 451 4.7.1 Please try again later
Warning: message still undelivered after 4 hours
Will keep trying until message is 5 days old
`), []layoutRecip{{"alice@example.org", delayed, "451", "4.7.1"}}},
		{"sendmail/warning, host name lookup failure", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Warning: could not send message for past 4 hours", sendmailWarnHead+`   ----- Transcript of session follows -----
<alice@example.org>... Deferred: Name server: example.org.: host name lookup failure
Warning: message still undelivered after 4 hours
Will keep trying until message is 5 days old
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"sendmail/warning report, two deferred", bounceMIME("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Warning: could not send message for past 4 hours", reportType, report(sendmailWarnHead+`   ----- Transcript of session follows -----
<alice@example.org>... Deferred: Connection refused by mx.example.org.
<bob@example.org>... Deferred: 452 4.2.2 Mailbox full
Warning: message still undelivered after 4 hours
Will keep trying until message is 5 days old
`, `Reporting-MTA: dns; mx.example.net
Arrival-Date: Tue, 1 Dec 2026 05:59:58 GMT

Final-Recipient: RFC822; alice@example.org
Action: delayed
Status: 4.0.0
Last-Attempt-Date: Tue, 1 Dec 2026 10:00:00 GMT
Will-Retry-Until: Sun, 6 Dec 2026 05:59:58 GMT

Final-Recipient: RFC822; bob@example.org
Action: delayed
Status: 4.2.2
Remote-MTA: DNS; mx.example.org
Diagnostic-Code: SMTP; 452 4.2.2 Mailbox full
Last-Attempt-Date: Tue, 1 Dec 2026 10:00:00 GMT
Will-Retry-Until: Sun, 6 Dec 2026 05:59:58 GMT
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "", "4.0.0"}, {"bob@example.org", delayed, "452", "4.2.2"}}},
		{"sendmail/failure with a transient recipient", bounceMIME("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", reportType, report(`The original message was received at Tue, 1 Dec 2026 09:59:58 GMT
from client.example.net [192.0.2.20]

   ----- The following addresses had permanent fatal errors -----
<alice@example.org>
    (reason: 550 5.1.1 <alice@example.org>... User unknown)

   ----- The following addresses had transient non-fatal errors -----
<bob@example.org>
    (reason: 452 4.2.2 Mailbox full)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> RCPT To:<alice@example.org>
<<< 550 5.1.1 <alice@example.org>... User unknown
550 5.1.1 <alice@example.org>... User unknown
>>> RCPT To:<bob@example.org>
<<< 452 4.2.2 Mailbox full
<bob@example.org>... Deferred: 452 4.2.2 Mailbox full
`, `Reporting-MTA: dns; mx.example.net
Arrival-Date: Tue, 1 Dec 2026 09:59:58 GMT

Final-Recipient: RFC822; alice@example.org
Action: failed
Status: 5.1.1
Remote-MTA: DNS; mx.example.org
Diagnostic-Code: SMTP; 550 5.1.1 <alice@example.org>... User unknown
Last-Attempt-Date: Tue, 1 Dec 2026 10:00:00 GMT

Final-Recipient: RFC822; bob@example.org
Action: delayed
Status: 4.2.2
Remote-MTA: DNS; mx.example.org
Diagnostic-Code: SMTP; 452 4.2.2 Mailbox full
Last-Attempt-Date: Tue, 1 Dec 2026 10:00:00 GMT
Will-Retry-Until: Sun, 6 Dec 2026 09:59:58 GMT
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", delayed, "452", "4.2.2"}}},
		{"sendmail/failure text with a transient section", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", `The original message was received at Tue, 1 Dec 2026 09:59:58 GMT
from client.example.net [192.0.2.20]

   ----- The following addresses had permanent fatal errors -----
<alice@example.org>
    (reason: 550 5.1.1 <alice@example.org>... User unknown)

   ----- The following addresses had transient non-fatal errors -----
<bob@example.org>
    (reason: 451 4.3.0 Temporary local problem)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> RCPT To:<alice@example.org>
<<< 550 5.1.1 <alice@example.org>... User unknown
550 5.1.1 <alice@example.org>... User unknown
>>> RCPT To:<bob@example.org>
<<< 451 4.3.0 Temporary local problem
<bob@example.org>... Deferred: 451 4.3.0 Temporary local problem
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", delayed, "451", "4.3.0"}}},
		{"sendmail/return receipt, three actions, text only", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Return receipt", `The original message was received at Tue, 1 Dec 2026 09:59:58 GMT
from client.example.net [192.0.2.20]

   ----- The following addresses had successful delivery notifications -----
<alice@example.org>  (successfully delivered to mailbox)
<bob@example.org>  (relayed to non-DSN-aware mailer)
<team@example.org>  (expanded by alias)

   ----- Transcript of session follows -----
<alice@example.org>... Successfully delivered
`), []layoutRecip{{"alice@example.org", delivered, "", ""}, {"bob@example.org", relayed, "", ""}, {"team@example.org", expanded, "", ""}}},

		{"sendmail/return receipt with status part, actions with comments", bounceMIME("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Return receipt", reportType, report(`The original message was received at Tue, 1 Dec 2026 09:59:58 GMT
from client.example.net [192.0.2.20]

   ----- The following addresses had successful delivery notifications -----
<alice@example.org>  (successfully delivered to mailbox)
<bob@example.org>  (relayed to non-DSN-aware mailer)
<team@example.org>  (expanded by alias)
`, `Reporting-MTA: dns; mx.example.net
Arrival-Date: Tue, 1 Dec 2026 09:59:58 GMT

Final-Recipient: RFC822; alice@example.org
Action: delivered (to mailbox)
Status: 2.1.5
Last-Attempt-Date: Tue, 1 Dec 2026 10:00:00 GMT

Final-Recipient: RFC822; bob@example.org
Action: relayed (to non-DSN-aware mailer)
Status: 2.0.0
Remote-MTA: DNS; mx.example.org
Diagnostic-Code: SMTP; 250 2.0.0 Message accepted for delivery
Last-Attempt-Date: Tue, 1 Dec 2026 10:00:00 GMT

Final-Recipient: RFC822; team@example.org
Action: expanded (to multi-recipient alias)
Status: 2.0.0
Last-Attempt-Date: Tue, 1 Dec 2026 10:00:00 GMT
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delivered, "", "2.1.5"}, {"bob@example.org", relayed, "250", "2.0.0"}, {"team@example.org", expanded, "", "2.0.0"}}},

		// Courier: courierdsn's sections, one per action.
		{"courier/undeliverable and delayed delivery sections", bounceMail("Courier mail server at mx.example.net <@>", "NOTICE: mail delivery status.", `This is a delivery status notification from mx.example.net,
running the Courier mail server, version 1.1.

The original message was received on Tue, 01 Dec 2026 05:59:58 +0000
from client.example.net (client.example.net [192.0.2.20])

---------------------------------------------------------------------------

                           UNDELIVERABLE MAIL

Your message to the following recipients cannot be delivered:

<alice@example.org>:
    mx.example.org [192.0.2.1]:
>>> RCPT TO:<alice@example.org>
<<< 550 5.1.1 <alice@example.org>: User unknown

---------------------------------------------------------------------------

                            DELAYED DELIVERY

Your message has not yet been delivered to the following recipients:

<bob@example.org>:
    mx.example.org [192.0.2.1]:
>>> RCPT TO:<bob@example.org>
<<< 451 4.3.0 Temporary failure

---------------------------------------------------------------------------
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", delayed, "451", "4.3.0"}}},
		{"courier/delivered and relayed", bounceMail("Courier mail server at mx.example.net <@>", "NOTICE: mail delivery status.", `This is a delivery status notification from mx.example.net,
running the Courier mail server, version 1.1.

The original message was received on Tue, 01 Dec 2026 09:59:58 +0000
from client.example.net (client.example.net [192.0.2.20])

---------------------------------------------------------------------------

                         DELIVERY NOTIFICATION

Your message has been delivered to the following recipients:

<alice@example.org>:
    mx.example.org [192.0.2.1]:
<<< 250 2.0.0 Ok: queued as 4XyZ

---------------------------------------------------------------------------

                           RELAYED MESSAGE

Your message has been relayed to the following recipients:

<bob@example.org>:
    relay.example.org [192.0.2.2]:
<<< 250 Ok

---------------------------------------------------------------------------
`), []layoutRecip{{"alice@example.org", delivered, "250", "2.0.0"}, {"bob@example.org", relayed, "250", ""}}},

		// OpenSMTPD: bounce.c's warning and success notices.
		{"opensmtpd/delay notice", bounceMail("Mailer Daemon <MAILER-DAEMON@mx.example.net>", "Delivery status notification: delay", `    Hi!

    This is the MAILER-DAEMON, please DO NOT REPLY to this email.

    A message is delayed for more than 4h for the following
    list of recipients:

alice@example.org: 421 4.7.0 Try again later

    Please note that this is only a temporary failure report.
    The message is kept in the queue for up to 4d.
    You DO NOT NEED to re-send the message to these recipients.

    Below is a copy of the original message:
`), []layoutRecip{{"alice@example.org", delayed, "421", "4.7.0"}}},
		{"opensmtpd/delay notice, two recipients, no code", bounceMail("Mailer Daemon <MAILER-DAEMON@mx.example.net>", "Delivery status notification: delay", `    Hi!

    This is the MAILER-DAEMON, please DO NOT REPLY to this email.

    A message is delayed for more than 4h for the following
    list of recipients:

alice@example.org: Network error on destination MXs
bob@example.org: Connection refused

    Please note that this is only a temporary failure report.
    The message is kept in the queue for up to 4d.
    You DO NOT NEED to re-send the message to these recipients.

    Below is a copy of the original message:
`), []layoutRecip{{"alice@example.org", delayed, "", ""}, {"bob@example.org", delayed, "", ""}}},
		{"opensmtpd/success notice", bounceMail("Mailer Daemon <MAILER-DAEMON@mx.example.net>", "Delivery status notification: success", `    Hi!

    This is the MAILER-DAEMON, please DO NOT REPLY to this email.

    Your message was successfully delivered to these recipients.

alice@example.org: 250 2.0.0 Ok: queued as 4XyZ

    Below is a copy of the original message:
`), []layoutRecip{{"alice@example.org", delivered, "250", "2.0.0"}}},

		// Exchange's SMTP transport DSNs (Delay, Relay, Success), with their status parts.
		{"exchange/delay DSN, two recipients with status part", bounceMIME("postmaster@example.net", "Delivery Status Notification (Delay)", reportType, report(exchangeDSNHead+`THIS IS A WARNING MESSAGE ONLY.

YOU DO NOT NEED TO RESEND YOUR MESSAGE.

Delivery to the following recipients has been delayed.

       alice@example.org
       bob@example.org
`, `Reporting-MTA: dns;mail.example.net
Received-From-MTA: dns;client.example.net
Arrival-Date: Tue, 1 Dec 2026 05:59:58 +0000

Final-Recipient: rfc822;alice@example.org
Action: Delayed
Status: 4.4.7

Final-Recipient: rfc822;bob@example.org
Action: Delayed
Status: 4.4.1
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "", "4.4.7"}, {"bob@example.org", delayed, "", "4.4.1"}}},
		{"exchange/delay DSN with a remote 5xx quoted, status 4.4.7", bounceMIME("postmaster@example.net", "Delivery Status Notification (Delay)", reportType, report(exchangeDSNHead+`THIS IS A WARNING MESSAGE ONLY.

YOU DO NOT NEED TO RESEND YOUR MESSAGE.

Delivery to the following recipients has been delayed.

       alice@example.org
`, `Reporting-MTA: dns;mail.example.net

Final-Recipient: rfc822;alice@example.org
Action: delayed
Status: 4.4.7
Diagnostic-Code: smtp;550 5.7.1 Service unavailable; client host blocked
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "550", "4.4.7"}}},
		{"exchange/relay DSN", bounceMIME("postmaster@example.net", "Delivery Status Notification (Relay)", reportType, report(exchangeDSNHead+`Your message has been successfully relayed to the following recipients, but the requested delivery status notifications may not be generated by the destination.

       alice@example.org
`, `Reporting-MTA: dns;mail.example.net

Final-Recipient: rfc822;alice@example.org
Action: relayed
Status: 2.0.0
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", relayed, "", "2.0.0"}}},
		{"exchange/relay DSN, text only", bounceMail("postmaster@example.net", "Delivery Status Notification (Relay)", exchangeDSNHead+`Your message has been successfully relayed to the following recipients, but the requested delivery status notifications may not be generated by the destination.

       alice@example.org
       bob@example.org
`), []layoutRecip{{"alice@example.org", relayed, "", ""}, {"bob@example.org", relayed, "", ""}}},
		{"exchange/success DSN, text only", bounceMail("postmaster@example.net", "Delivery Status Notification (Success)", exchangeDSNHead+`Delivery to the following recipients succeeded.

       alice@example.org
`), []layoutRecip{{"alice@example.org", delivered, "", ""}}},
		{"exchange/delay DSN, text only, two recipients", bounceMail("postmaster@example.net", "Delivery Status Notification (Delay)", exchangeDSNHead+`THIS IS A WARNING MESSAGE ONLY.

YOU DO NOT NEED TO RESEND YOUR MESSAGE.

Delivery to the following recipients has been delayed.

       alice@example.org
       bob@example.org
`), []layoutRecip{{"alice@example.org", delayed, "", ""}, {"bob@example.org", delayed, "", ""}}},

		// Gmail: "Message not delivered yet" / "Delivery incomplete".
		{"gmail/message not delivered yet", bounceMail("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Delay)", `
** Message not delivered yet **

There was a temporary problem delivering your message to alice@example.org. Gmail will retry for 46 more hours. You'll be notified if the delivery fails permanently.

The response was:

The recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720 [mx.example.org. 192.0.2.1: timed out]
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"gmail/delivery incomplete, remote 4xx reply", bounceMail("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Delay)", `
** Delivery incomplete **

There was a temporary problem delivering your message to bob@example.org. Gmail will retry for 47 more hours. You'll be notified if the delivery fails permanently.

The response from the remote server was:
452 4.2.2 The email account that you tried to reach is over quota.
`), []layoutRecip{{"bob@example.org", delayed, "452", "4.2.2"}}},
		{"gmail/delivery incomplete, alternative with status part", bounceMIME("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Delay)", reportType, report(`
** Delivery incomplete **

There was a temporary problem delivering your message to alice@example.org. Gmail will retry for 46 more hours. You'll be notified if the delivery fails permanently.

The response from the remote server was:
421 4.7.0 [192.0.2.20] Our system has detected an unusual rate of unsolicited mail originating from your IP address.
`, `Reporting-MTA: dns; googlemail.com
Arrival-Date: Tue, 01 Dec 2026 01:59:58 -0800 (PST)
X-Original-Message-ID: <orig-2@example.net>

Final-Recipient: rfc822; alice@example.org
Action: delayed
Status: 4.7.0
Remote-MTA: dns; mx.example.org. (192.0.2.1, the server for the domain example.org.)
Diagnostic-Code: smtp; 421 4.7.0 [192.0.2.20] Our system has detected an unusual rate of unsolicited mail originating from your IP address.
Last-Attempt-Date: Tue, 01 Dec 2026 02:00:00 -0800 (PST)
Will-Retry-Until: Thu, 03 Dec 2026 01:59:58 -0800 (PST)
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "421", "4.7.0"}}},

		// Yahoo and AOL: their delay notices.
		{"yahoo/delay with status part", bounceMIME("MAILER-DAEMON@yahoo.com", "Delayed Mail (still being retried)", reportType, report(`This is an automatically generated message from Yahoo Mail.

Your message has not been delivered yet. Delivery will be retried, and you
will be notified if it fails permanently. You do not need to resend it.

<alice@example.org>: 421 4.7.0 [TSS04] Messages from 192.0.2.20 temporarily
    deferred due to unexpected volume or user complaints
`, `Reporting-MTA: dns; mta1010.mail.yahoo.com

Final-Recipient: rfc822; alice@example.org
Action: delayed
Status: 4.7.0
Diagnostic-Code: smtp; 421 4.7.0 [TSS04] Messages from 192.0.2.20 temporarily deferred due to unexpected volume or user complaints
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "421", "4.7.0"}}},
		{"aol/delay notice", bounceMail("MAILER-DAEMON@aol.com", "Delayed Mail (still being retried)", postfixDelayIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 451 4.3.0
    Mail server temporarily rejected message (in reply to end of DATA command)
`), []layoutRecip{{"alice@example.org", delayed, "451", "4.3.0"}}},

		// Domino, MDaemon, hMailServer, Kerio, IceWarp, SmarterMail.
		{"domino/delivery delayed, text only", bounceMail("Mail Router <postmaster@domino.example.net>", "DELIVERY DELAYED: hello", `Your message

  Subject: hello

has not yet been delivered to:

  alice@example.org

because:

  delivery delayed; the destination server mx.example.org did not respond. The router will keep trying.
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"mdaemon/warning with status part", bounceMIME("MDaemon@example.net", "Warning: Temporary Delivery Failure", reportType, report(`The attached message has had transient (non-fatal) delivery errors.

--- Session Transcript ---
 Tue 2026-12-01 10:00:00: Session 1234; child 1
 Tue 2026-12-01 10:00:00: Parsing message <mdaemon.example.net\pd35000001.msg>
 Tue 2026-12-01 10:00:00: *  From: sender@example.net
 Tue 2026-12-01 10:00:00: *  To: alice@example.org
 Tue 2026-12-01 10:00:00: Attempting SMTP connection to [mx.example.org : 25]
 Tue 2026-12-01 10:00:00: Connection established (192.0.2.1:25)
 Tue 2026-12-01 10:00:01: --> RCPT To:<alice@example.org>
 Tue 2026-12-01 10:00:01: <-- 450 4.2.1 Mailbox temporarily unavailable
--- End Transcript ---

The message will be retried. You do not need to resend it.
`, `Reporting-MTA: dns; mdaemon.example.net

Final-Recipient: rfc822; alice@example.org
Action: delayed
Status: 4.2.1
Diagnostic-Code: smtp; 450 4.2.1 Mailbox temporarily unavailable
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "450", "4.2.1"}}},
		{"hmailserver/delivery is being retried", bounceMail("Mail Delivery System <postmaster@example.net>", "Message delivery delayed", `Your message has not yet been delivered to some or all of the intended recipients.

   Sent: Tue, 01 Dec 2026 09:59:58 +0000
   Subject: hello

The following recipient(s) have not yet been reached:

alice@example.org
   Error Type: SMTP
   Remote server (192.0.2.1) issued an error.
   hMailServer sent: RCPT TO:<alice@example.org>
   Remote server replied: 451 4.7.1 Greylisted, please try again later

Delivery is being retried. You will be notified if the message cannot be delivered.
`), []layoutRecip{{"alice@example.org", delayed, "451", "4.7.1"}}},
		{"kerio/delay report", bounceMIME("Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>", "Delayed mail: hello", reportType, report(`Your message has not been delivered yet to the following recipients.
Delivery will be retried; you do not need to resend the message.

alice@example.org: 451 4.4.0 Temporary lookup failure
`, `Reporting-MTA: dns; mail.example.net

Final-Recipient: rfc822;alice@example.org
Action: delayed
Status: 4.4.0
Diagnostic-Code: smtp;451 4.4.0 Temporary lookup failure
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "451", "4.4.0"}}},
		{"icewarp/delay report with status part", bounceMIME("Mail Delivery System <postmaster@example.net>", "Delayed message", reportType, report(`This is a warning message only. You do not need to resend your message.

Delivery to the following recipient has been delayed:

alice@example.org
Reason: 421 4.4.2 Connection dropped
`, `Reporting-MTA: dns; mail.example.net

Final-Recipient: rfc822; alice@example.org
Action: delayed
Status: 4.4.2
Diagnostic-Code: smtp; 421 4.4.2 Connection dropped
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "421", "4.4.2"}}},
		{"smartermail/delivery delayed", bounceMIME("Mail Delivery Subsystem <postmaster@example.net>", "Delivery delayed: hello", reportType, report(`The message below has not yet been delivered. The server will keep retrying
delivery; you do not need to resend it.

alice@example.org
  Delayed: 450 4.7.1 Client host rejected: try again later
`, `Reporting-MTA: dns; mail.example.net

Final-Recipient: rfc822; alice@example.org
Action: delayed
Status: 4.7.1
Diagnostic-Code: smtp; 450 4.7.1 Client host rejected: try again later
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "450", "4.7.1"}}},

		// RFC 3464 reports with no text a reader knows: the status part decides.
		{"rfc3464/failed, delayed and delivered in one report", bounceMIME("postmaster@mx.example.net", "Delivery Status Notification", reportType, report(`This is a delivery status notification.
`, `Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; alice@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 No such user

Final-Recipient: rfc822; bob@example.org
Action: delayed
Status: 4.4.1
Diagnostic-Code: smtp; 421 4.4.1 Connection timed out

Final-Recipient: rfc822; dave@example.org
Action: delivered
Status: 2.0.0
Diagnostic-Code: smtp; 250 2.0.0 OK
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", delayed, "421", "4.4.1"}, {"dave@example.org", delivered, "250", "2.0.0"}}},
		{"rfc3464/list expansion", bounceMIME("list-owner@lists.example.org", "Delivery Status Notification (Expanded)", reportType, report(`Your message to the list was expanded to its members.
`, `Reporting-MTA: dns; lists.example.org

Original-Recipient: rfc822;team@example.org
Final-Recipient: rfc822;team@example.org
Action: expanded
Status: 2.0.0
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"team@example.org", expanded, "", "2.0.0"}}},
		{"rfc3464/delayed, 5xx in the diagnostic, 4.x.x status", bounceMIME("postmaster@mx.example.net", "Delivery Status Notification (Delay)", reportType, report(`Delivery of your message has been delayed; the server will retry.
`, `Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; alice@example.org
Action: delayed
Status: 4.0.0
Diagnostic-Code: smtp; 554 5.7.1 <alice@example.org>: Recipient address rejected: Access denied
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "554", "4.0.0"}}},
		{"rfc3464/delayed, 550 user unknown text, action decides", bounceMIME("postmaster@mx.example.net", "Delivery Status Notification (Delay)", reportType, report(`Delivery of your message has been delayed; the server will retry.
`, `Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; alice@example.org
Action: delayed
Status: 4.1.1
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does
 not exist. Please try double-checking the recipient's email address
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "550", "4.1.1"}}},
		{"rfc3464/delivered and relayed, no text part", bounceMIME("postmaster@mx.example.net", "Delivery Status Notification (Success)", `multipart/report; report-type=delivery-status; boundary="RB"`, `--RB
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; alice@example.org
Action: delivered
Status: 2.0.0

Final-Recipient: rfc822; bob@example.org
Action: relayed
Status: 2.0.0
Remote-MTA: dns; legacy.example.org

--RB--
`), []layoutRecip{{"alice@example.org", delivered, "", "2.0.0"}, {"bob@example.org", relayed, "", "2.0.0"}}},
		{"rfc3464/delivered with a 2.x.x status and no diagnostic", bounceMIME("postmaster@mx.example.net", "Successful Mail Delivery Report", reportType, report(`Your message was delivered.
`, `Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; alice@example.org
Action: delivered
Status: 2.1.5
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delivered, "", "2.1.5"}}},

		// Second batch: what the first left out.
		{"postfix/delay, recipient expanded from an alias", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Delayed Mail (still being retried)", postfixDelayIntro+`<bob@example.org> (expanded from <team@example.org>): host
    mx.example.org[192.0.2.1] said: 451 4.3.0 Temporary lookup failure (in
    reply to RCPT TO command)
`), []layoutRecip{{"bob@example.org", delayed, "451", "4.3.0"}}},
		{"postfix/delay report, delivery temporarily suspended", bounceMIME("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Delayed Mail (still being retried)", reportType, report(postfixDelayIntro+`<alice@example.org>: delivery temporarily suspended: connect to
    mx.example.org[192.0.2.1]:25: Connection refused
`, `Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4AbCdE
X-Postfix-Sender: rfc822; sender@example.net
Arrival-Date: Tue,  1 Dec 2026 05:59:58 +0000 (UTC)

Final-Recipient: rfc822; alice@example.org
Original-Recipient: rfc822;alice@example.org
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; delivery temporarily suspended: connect to
    mx.example.org[192.0.2.1]:25: Connection refused
Will-Retry-Until: Sun,  6 Dec 2026 05:59:58 +0000 (UTC)
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "", "4.4.1"}}},
		{"sendmail/warning, sender domain refused, recipient deferred", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Warning: could not send message for past 4 hours", sendmailWarnHead+`   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> MAIL From:<sender@example.net> SIZE=1234
<<< 450 4.1.8 <sender@example.net>: Sender address rejected: Domain not found
<alice@example.org>... Deferred: 450 4.1.8 <sender@example.net>: Sender address rejected: Domain not found
Warning: message still undelivered after 4 hours
Will keep trying until message is 5 days old
`), []layoutRecip{{"alice@example.org", delayed, "450", "4.1.8"}}},
		{"rfc3464/delayed, no Status field, 550 in the diagnostic", bounceMIME("postmaster@mx.example.net", "Delivery Status Notification (Delay)", reportType, report(`Delivery of your message has been delayed; the server will retry.
`, `Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; alice@example.org
Action: delayed
Diagnostic-Code: smtp; 550 Requested action not taken: mailbox unavailable
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "550", ""}}},
		{"gmail/message not delivered yet, alternative", bounceMIME("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Delay)", altType, alt(`
** Message not delivered yet **

There was a temporary problem delivering your message to alice@example.org. Gmail will retry for 45 more hours. You'll be notified if the delivery fails permanently.

The response from the remote server was:
450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.
`, `<html><body><h2>Message not delivered yet</h2><p>There was a temporary problem delivering your message to <b>alice@example.org</b>. Gmail will retry for 45 more hours. You'll be notified if the delivery fails permanently.</p><p>The response from the remote server was:</p><p>450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.</p></body></html>`)), []layoutRecip{{"alice@example.org", delayed, "450", "4.2.1"}}},
		{"yahoo/delay, text only", bounceMail("MAILER-DAEMON@yahoo.com", "Delayed Mail (still being retried)", `This is an automatically generated message from Yahoo Mail.

Your message has not been delivered yet. Delivery will be retried, and you
will be notified if it fails permanently. You do not need to resend it.

<alice@example.org>: 421 4.7.0 [TSS04] Messages from 192.0.2.20 temporarily
    deferred due to unexpected volume or user complaints
`), []layoutRecip{{"alice@example.org", delayed, "421", "4.7.0"}}},
		{"exim/warning, address expanded from a list", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Warning: message 1tQwEr-000456-Zx delayed 12 hours", eximWarningHead("1tQwEr-000456-Zx", "12", "Tue, 01 Dec 2026 00:00:00 +0000")+`
  bob@example.org
    <team@example.org>
    Delay reason: SMTP error from remote mail server after RCPT TO:<bob@example.org>:
    450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted
`+eximWarningTail), []layoutRecip{{"bob@example.org", delayed, "450", "4.2.0"}}},
		{"rfc3464/two delayed and one failed, failed last", bounceMIME("MAILER-DAEMON@mx.example.net", "Delivery Status Notification", reportType, report(`Some recipients are delayed, one failed.
`, `Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; alice@example.org
Action: delayed
Status: 4.2.2
Diagnostic-Code: smtp; 452 4.2.2 Mailbox full

Final-Recipient: rfc822; bob@example.org
Action: delayed
Status: 4.7.1
Diagnostic-Code: smtp; 451 4.7.1 Greylisted

Final-Recipient: rfc822; dave@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", delayed, "452", "4.2.2"}, {"bob@example.org", delayed, "451", "4.7.1"}, {"dave@example.org", failed, "550", "5.1.1"}}},
		{"opensmtpd/relayed notice", bounceMail("Mailer Daemon <MAILER-DAEMON@mx.example.net>", "Delivery status notification: relay", `    Hi!

    This is the MAILER-DAEMON, please DO NOT REPLY to this email.

    Your message was relayed to these recipients.

alice@example.org: 250 2.0.0 Ok: queued as 4XyZ

    Below is a copy of the original message:
`), []layoutRecip{{"alice@example.org", relayed, "250", "2.0.0"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if why, ok := delaysOpen[tc.name]; ok {
				t.Skip("open: " + why)
			}
			checkLayout(t, tc.mail, tc.want, "")
			checkNotHard(t, tc.mail, tc.want)
		})
	}
}

// checkNotHard classifies every recipient of mail and fails when one the case expects
// delayed, delivered, relayed or expanded is hard or suppressed, or is not of the kind
// its action gives.
func checkNotHard(t *testing.T, mail string, want []layoutRecip) {
	t.Helper()
	rep := dsn.ParseBytes([]byte(mail))
	expect := map[string]classify.Action{}
	for _, w := range want {
		expect[w.addr] = w.action
	}
	for _, r := range rep.Recipients {
		a, ok := expect[r.Address]
		if !ok || a == failed {
			continue
		}
		v := classify.Classify(r.Facts(rep))
		kind := classify.KindDelivered
		if a == delayed {
			kind = classify.KindDelayed
		}
		if v.Hard || v.Suppress || v.Kind != kind {
			t.Errorf("%s (%s) classified %s hard=%v suppress=%v, want %s", r.Address, a, v.Kind, v.Hard, v.Suppress, kind)
		}
	}
}

package dsn_test

import (
	"strings"
	"testing"
)

// sendmailIntro is sendmail's failure notice (savemail.c), up to the list of failed addresses.
const sendmailIntro = `The original message was received at Tue, 1 Dec 2026 09:59:58 GMT
from client.example.net [192.0.2.20]

   ----- The following addresses had permanent fatal errors -----
`

// exchange2003Intro is the text NDR of Exchange 2000 and 2003, up to the recipients.
const exchange2003Intro = `Your message did not reach some or all of the intended recipients.

      Subject:	hello
      Sent:	12/1/2026 9:59 AM

The following recipient(s) could not be reached:

`

// htmlOnlyType is the top-level Content-Type of a bounce that has only an HTML rendering.
const htmlOnlyType = "text/html; charset=utf-8"

// seeHTML is the text rendering of gateways that write their notice only in HTML.
const seeHTML = "This is a multi-part message in MIME format. To view this message, please use an HTML-capable email client.\n"

// layouts3Readers names the reader that must decode a TestLayouts3 case, where a looser
// reader would find the same recipients but lose what the template says.
var layouts3Readers = map[string]string{}

// layouts3Open are the cases that still fail, each with what is wrong: they are skipped,
// not deleted, until a general rule reads them.
var layouts3Open = map[string]string{}

// TestLayouts3 is a third held-out round of TestLayouts: SMTP transcripts and per-recipient
// reports of a transaction whose recipients were accepted and whose DATA or end of data was
// refused (RFC 5321 §4.1.1.4 and §3.3: that reply is for the whole transaction, so for every
// recipient the server had accepted), alone and after another recipient was refused at RCPT;
// HTML-only bounces of providers and filtering gateways, and ones whose text part only says
// to read the HTML; and the text NDRs of Exchange 2000 and 2003, with display names, quoted
// and "SMTP:" recipients, several recipients and wrapped lines.
func TestLayouts3(t *testing.T) {
	tests := []struct {
		name, mail string
		want       []layoutRecip
	}{
		// Transactions refused at DATA or at the end of data after the recipients were
		// accepted: RFC 5321 §3.3 and §4.1.1.4, a reply to DATA or to the final "." is for
		// the whole transaction.
		{"sendmail/end of data refused for two accepted recipients", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", sendmailIntro+`<alice@example.org>
    (reason: 554 5.7.1 Message rejected as spam)
<bob@example.org>
    (reason: 554 5.7.1 Message rejected as spam)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> DATA
<<< 554 5.7.1 Message rejected as spam
554 5.0.0 Service unavailable
`), []layoutRecip{{"alice@example.org", failed, "554", "5.7.1"}, {"bob@example.org", failed, "554", "5.7.1"}}},
		{"sendmail/final dot refused, no reason lines", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", sendmailIntro+`<alice@example.org>
<bob@example.org>
<carol@example.org>

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> .
<<< 552 5.3.4 Message size exceeds fixed limit
554 5.0.0 Service unavailable
`), []layoutRecip{{"alice@example.org", failed, "552", "5.3.4"}, {"bob@example.org", failed, "552", "5.3.4"}, {"carol@example.org", failed, "552", "5.3.4"}}},
		{"sendmail/one refused at RCPT, two refused at DATA", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", sendmailIntro+`<alice@example.org>
    (reason: 550 5.1.1 <alice@example.org>... User unknown)
<bob@example.org>
    (reason: 554 5.7.1 Message content rejected)
<carol@example.org>
    (reason: 554 5.7.1 Message content rejected)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> RCPT To:<alice@example.org>
<<< 550 5.1.1 <alice@example.org>... User unknown
550 5.1.1 <alice@example.org>... User unknown
>>> DATA
<<< 554 5.7.1 Message content rejected
554 5.0.0 Service unavailable
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "554", "5.7.1"}, {"carol@example.org", failed, "554", "5.7.1"}}},
		{"sendmail/transcript names the accepted recipients with the DATA failure", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", sendmailIntro+`<alice@example.org>
<bob@example.org>

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> DATA
<<< 550 5.7.1 Delivery not authorized, message refused
554 5.0.0 <alice@example.org>... Service unavailable
554 5.0.0 <bob@example.org>... Service unavailable
`), []layoutRecip{{"alice@example.org", failed, "550", "5.7.1"}, {"bob@example.org", failed, "550", "5.7.1"}}},
		{"exim/end of data refused for two accepted recipients", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  alice@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after end of data:
    550 5.7.1 Message rejected due to content restrictions
  bob@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after end of data:
    550 5.7.1 Message rejected due to content restrictions

------ This is a copy of the message, including all the headers. ------

`+returned), []layoutRecip{{"alice@example.org", failed, "550", "5.7.1"}, {"bob@example.org", failed, "550", "5.7.1"}}},
		{"exim/one refused at RCPT, one at end of data", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  alice@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after RCPT TO:<alice@example.org>:
    550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown
  bob@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after end of data:
    552 5.3.4 Message size exceeds fixed maximum message size

------ This is a copy of the message's headers. ------

`+returnedHeaders), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.3.4"}}},
		{"exim/DATA refused, addresses in X-Failed-Recipients", strings.Replace(bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  alice@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after DATA:
    554 5.7.1 Your IP 192.0.2.20 is listed at bl.example.com
  bob@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after DATA:
    554 5.7.1 Your IP 192.0.2.20 is listed at bl.example.com
`), "Subject:", "X-Failed-Recipients: alice@example.org, bob@example.org\r\nSubject:", 1), []layoutRecip{{"alice@example.org", failed, "554", "5.7.1"}, {"bob@example.org", failed, "554", "5.7.1"}}},
		{"exim/end of data, multiline reply", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  alice@example.org
    host aspmx.l.example.org [192.0.2.1]
    SMTP error from remote mail server after end of data:
    550-5.7.26 This message does not pass authentication checks (SPF and DKIM both
    550-5.7.26 do not pass). To best protect our users from spam, the message has
    550 5.7.26 been blocked. - gsmtp
  bob@example.org
    host aspmx.l.example.org [192.0.2.1]
    SMTP error from remote mail server after end of data:
    550-5.7.26 This message does not pass authentication checks (SPF and DKIM both
    550-5.7.26 do not pass). To best protect our users from spam, the message has
    550 5.7.26 been blocked. - gsmtp
`), []layoutRecip{{"alice@example.org", failed, "550", "5.7.26"}, {"bob@example.org", failed, "550", "5.7.26"}}},
		{"postfix/end of DATA for three recipients", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 554 5.7.1 Message
    rejected: spam content (in reply to end of DATA command)

<bob@example.org>: host mx.example.org[192.0.2.1] said: 554 5.7.1 Message
    rejected: spam content (in reply to end of DATA command)

<carol@example.org>: host mx.example.org[192.0.2.1] said: 554 5.7.1 Message
    rejected: spam content (in reply to end of DATA command)
`), []layoutRecip{{"alice@example.org", failed, "554", "5.7.1"}, {"bob@example.org", failed, "554", "5.7.1"}, {"carol@example.org", failed, "554", "5.7.1"}}},
		{"postfix/RCPT refusal and end of DATA", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: User unknown in local
    recipient table (in reply to RCPT TO command)

<bob@example.org>: host mx.example.org[192.0.2.1] said: 552 5.3.4 Message
    size exceeds fixed limit (in reply to end of DATA command)

<carol@example.org>: host mx.example.org[192.0.2.1] said: 552 5.3.4 Message
    size exceeds fixed limit (in reply to end of DATA command)
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.3.4"}, {"carol@example.org", failed, "552", "5.3.4"}}},
		{"postfix/DATA command refused for two", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixShortIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 554 5.5.1 Error: no
    valid recipients (in reply to DATA command)

<bob@example.org>: host mx.example.org[192.0.2.1] said: 554 5.5.1 Error: no
    valid recipients (in reply to DATA command)
`), []layoutRecip{{"alice@example.org", failed, "554", "5.5.1"}, {"bob@example.org", failed, "554", "5.5.1"}}},
		{"postfix/report, end of DATA for two", bounceMIME("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", reportType, report(postfixIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.7.1 Message
    rejected because of its content (in reply to end of DATA command)

<bob@example.org>: host mx.example.org[192.0.2.1] said: 550 5.7.1 Message
    rejected because of its content (in reply to end of DATA command)
`, `Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4AbCdE
Arrival-Date: Tue,  1 Dec 2026 09:59:58 +0000 (UTC)

Final-Recipient: rfc822; alice@example.org
Action: failed
Status: 5.7.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.7.1 Message rejected because of its content

Final-Recipient: rfc822; bob@example.org
Action: failed
Status: 5.7.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.7.1 Message rejected because of its content
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", failed, "550", "5.7.1"}, {"bob@example.org", failed, "550", "5.7.1"}}},
		{"qmail/refused after the message was sent, two recipients", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<alice@example.org>:
192.0.2.1 failed after I sent the message.
Remote host said: 554 5.7.1 Message rejected as spam

<bob@example.org>:
192.0.2.1 failed after I sent the message.
Remote host said: 554 5.7.1 Message rejected as spam

--- Below this line is a copy of the message.

`+returned), []layoutRecip{{"alice@example.org", failed, "554", "5.7.1"}, {"bob@example.org", failed, "554", "5.7.1"}}},
		{"qmail/one refused at RCPT, one after the message", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<alice@example.org>:
192.0.2.1 does not like recipient.
Remote host said: 550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown
Giving up on 192.0.2.1.

<bob@example.org>:
192.0.2.1 failed after I sent the message.
Remote host said: 552 5.3.4 Message too big

--- Below this line is a copy of the message.

`+returned), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.3.4"}}},
		{"qmail/DATA refused for two", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<alice@example.org>:
192.0.2.1 failed on DATA command.
Remote host said: 554 5.7.1 Service unavailable; client host blocked

<bob@example.org>:
192.0.2.1 failed on DATA command.
Remote host said: 554 5.7.1 Service unavailable; client host blocked

--- Below this line is a copy of the message.

`+returned), []layoutRecip{{"alice@example.org", failed, "554", "5.7.1"}, {"bob@example.org", failed, "554", "5.7.1"}}},
		{"courier/DATA refused for two", bounceMail("Courier mail server at mx.example.net <@>", "NOTICE: mail delivery status.", `This is a delivery status notification from mx.example.net,
running the Courier mail server, version 1.1.10.

The original message was received on Tue, 01 Dec 2026 09:59:58 +0000
from client.example.net [192.0.2.20]

---------------------------------------------------------------------------

                           UNDELIVERABLE MAIL

Your message to the following recipients cannot be delivered:

<alice@example.org>:
    mx.example.org [192.0.2.1]:
>>> DATA
<<< 554 5.7.1 Message rejected as spam

<bob@example.org>:
    mx.example.org [192.0.2.1]:
>>> DATA
<<< 554 5.7.1 Message rejected as spam

---------------------------------------------------------------------------

If your message was also sent to additional recipients, their delivery
status is not included in this report.
`), []layoutRecip{{"alice@example.org", failed, "554", "5.7.1"}, {"bob@example.org", failed, "554", "5.7.1"}}},
		{"courier/RCPT refusal and DATA refusal", bounceMail("Courier mail server at mx.example.net <@>", "NOTICE: mail delivery status.", `This is a delivery status notification from mx.example.net,
running the Courier mail server, version 1.1.10.

The original message was received on Tue, 01 Dec 2026 09:59:58 +0000
from client.example.net [192.0.2.20]

---------------------------------------------------------------------------

                           UNDELIVERABLE MAIL

Your message to the following recipients cannot be delivered:

<alice@example.org>:
    mx.example.org [192.0.2.1]:
>>> RCPT TO:<alice@example.org>
<<< 550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown

<bob@example.org>:
    mx.example.org [192.0.2.1]:
>>> DATA
<<< 552 5.3.4 Message size exceeds fixed limit

---------------------------------------------------------------------------

If your message was also sent to additional recipients, their delivery
status is not included in this report.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.3.4"}}},
		{"generic/transcript, final dot refused after two accepted recipients", bounceMail("Mail Delivery System <postmaster@mx.example.net>", "Undeliverable mail", `Your message could not be delivered. The remote server refused it.

Session transcript:

>>> MAIL FROM:<sender@example.net>
<<< 250 2.1.0 Ok
>>> RCPT TO:<alice@example.org>
<<< 250 2.1.5 Ok
>>> RCPT TO:<bob@example.org>
<<< 250 2.1.5 Ok
>>> DATA
<<< 354 End data with <CR><LF>.<CR><LF>
>>> .
<<< 554 5.7.1 Message rejected: spam content
`), []layoutRecip{{"alice@example.org", failed, "554", "5.7.1"}, {"bob@example.org", failed, "554", "5.7.1"}}},
		{"generic/transcript, one refused at RCPT, two refused at the end of data", bounceMail("Mail Delivery System <postmaster@mx.example.net>", "Undeliverable mail", `Your message could not be delivered to one or more recipients.

Session transcript:

MAIL FROM:<sender@example.net>
250 2.1.0 Ok
RCPT TO:<alice@example.org>
550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown
RCPT TO:<bob@example.org>
250 2.1.5 Ok
RCPT TO:<carol@example.org>
250 2.1.5 Ok
DATA
354 End data with <CR><LF>.<CR><LF>
.
552 5.3.4 Message size exceeds fixed limit
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.3.4"}, {"carol@example.org", failed, "552", "5.3.4"}}},
		{"generic/transcript, DATA command refused after two accepted recipients", bounceMail("Mail Delivery System <postmaster@mx.example.net>", "Undeliverable mail", `Your message could not be delivered.

The following conversation took place with mx.example.org [192.0.2.1]:

--> MAIL FROM:<sender@example.net> SIZE=1234
<-- 250 2.1.0 Sender OK
--> RCPT TO:<alice@example.org>
<-- 250 2.1.5 Recipient OK
--> RCPT TO:<bob@example.org>
<-- 250 2.1.5 Recipient OK
--> DATA
<-- 554 5.7.1 Transaction failed: client host blocked
`), []layoutRecip{{"alice@example.org", failed, "554", "5.7.1"}, {"bob@example.org", failed, "554", "5.7.1"}}},
		{"generic/mdaemon-style session, end of data refused", bounceMail("MDaemon@mx.example.net", "Permanent Delivery Failure", `The attached message had PERMANENT fatal delivery errors!

After one or more unsuccessful delivery attempts the attached message has
been removed from the mail queue on this server.  The number and frequency
of delivery attempts are determined by local configuration parameters.

YOU DO NOT NEED TO RESEND YOUR MESSAGE.

--- Session Transcript ---
 Tue 2026-12-01 10:00:00.100: Session 1234; child 1
 Tue 2026-12-01 10:00:00.110: Attempting SMTP connection to [mx.example.org : 25]
 Tue 2026-12-01 10:00:00.150: Connection established 192.0.2.10:1025 --> 192.0.2.1:25
 Tue 2026-12-01 10:00:00.200: <-- 220 mx.example.org ESMTP
 Tue 2026-12-01 10:00:00.210: --> EHLO mx.example.net
 Tue 2026-12-01 10:00:00.250: <-- 250 mx.example.org
 Tue 2026-12-01 10:00:00.260: --> MAIL From:<sender@example.net> SIZE=1234
 Tue 2026-12-01 10:00:00.300: <-- 250 2.1.0 Ok
 Tue 2026-12-01 10:00:00.310: --> RCPT To:<alice@example.org>
 Tue 2026-12-01 10:00:00.350: <-- 250 2.1.5 Ok
 Tue 2026-12-01 10:00:00.360: --> RCPT To:<bob@example.org>
 Tue 2026-12-01 10:00:00.400: <-- 250 2.1.5 Ok
 Tue 2026-12-01 10:00:00.410: --> DATA
 Tue 2026-12-01 10:00:00.450: <-- 354 End data with <CR><LF>.<CR><LF>
 Tue 2026-12-01 10:00:00.460: Sending <md50000000001.msg> to [192.0.2.1] ...
 Tue 2026-12-01 10:00:00.900: <-- 550 5.7.1 Message rejected due to content restrictions
--- End Transcript ---
`), []layoutRecip{{"alice@example.org", failed, "550", "5.7.1"}, {"bob@example.org", failed, "550", "5.7.1"}}},
		{"generic/transcript, end of data accepted after one refusal", bounceMail("Mail Delivery System <postmaster@mx.example.net>", "Undeliverable mail", `Your message could not be delivered to one or more recipients.

Session transcript:

>>> RCPT TO:<alice@example.org>
<<< 550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown
>>> RCPT TO:<bob@example.org>
<<< 250 2.1.5 Ok
>>> DATA
<<< 354 End data with <CR><LF>.<CR><LF>
>>> .
<<< 250 2.0.0 Ok: queued as 4AbCdE
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/lmtp transcript, one reply per accepted recipient", bounceMail("Mail Delivery System <postmaster@mx.example.net>", "Undeliverable mail", `Your message could not be delivered to one or more recipients.

LMTP session transcript:

>>> LHLO mx.example.net
<<< 250 store.example.org
>>> MAIL FROM:<sender@example.net>
<<< 250 2.1.0 Ok
>>> RCPT TO:<alice@example.org>
<<< 250 2.1.5 Ok
>>> RCPT TO:<bob@example.org>
<<< 250 2.1.5 Ok
>>> DATA
<<< 354 Start mail input; end with <CRLF>.<CRLF>
>>> .
<<< 250 2.0.0 <alice@example.org> Saved
<<< 552 5.2.2 <bob@example.org> Mailbox is full
`), []layoutRecip{{"bob@example.org", failed, "552", "5.2.2"}}},
		{"generic/lmtp transcript, the first accepted recipient refused", bounceMail("Mail Delivery System <postmaster@mx.example.net>", "Undeliverable mail", `Your message could not be delivered to one or more recipients.

LMTP session transcript:

>>> LHLO mx.example.net
<<< 250 store.example.org
>>> MAIL FROM:<sender@example.net>
<<< 250 2.1.0 Ok
>>> RCPT TO:<alice@example.org>
<<< 250 2.1.5 Ok
>>> RCPT TO:<bob@example.org>
<<< 250 2.1.5 Ok
>>> DATA
<<< 354 Start mail input; end with <CRLF>.<CRLF>
>>> .
<<< 552 5.2.2 <alice@example.org> Mailbox is full
<<< 250 2.0.0 <bob@example.org> Saved
`), []layoutRecip{{"alice@example.org", failed, "552", "5.2.2"}}},
		{"generic/hmailserver per recipient after the final dot", bounceMail("mailer-daemon@mx.example.net", "Message undeliverable: hello", `Your message did not reach some or all of the intended recipients.

   Sent: Tue, 01 Dec 2026 09:59:58 +0000
   Subject: hello

The following recipient(s) could not be reached:

alice@example.org
   Error Type: SMTP
   Remote server (192.0.2.1) issued an error.
   hMailServer sent: .
   Remote server replied: 554 5.7.1 Message rejected as spam

bob@example.org
   Error Type: SMTP
   Remote server (192.0.2.1) issued an error.
   hMailServer sent: .
   Remote server replied: 554 5.7.1 Message rejected as spam

This is what you sent:
`), []layoutRecip{{"alice@example.org", failed, "554", "5.7.1"}, {"bob@example.org", failed, "554", "5.7.1"}}},
		{"generic/transcript, temporary refusal at the end of data, delay notice", bounceMail("Mail Delivery System <postmaster@mx.example.net>", "Delayed Mail (still being retried)", `This is a warning only; you do not need to resend your message.
Your message has not been delivered yet. It will be retried for 4 more days.

Session transcript:

>>> RCPT TO:<alice@example.org>
<<< 250 2.1.5 Ok
>>> RCPT TO:<bob@example.org>
<<< 250 2.1.5 Ok
>>> DATA
<<< 354 End data with <CR><LF>.<CR><LF>
>>> .
<<< 451 4.7.1 Please try again later
`), []layoutRecip{{"alice@example.org", delayed, "451", "4.7.1"}, {"bob@example.org", delayed, "451", "4.7.1"}}},
		// Variants of two open layouts of the second round: per-recipient technical details,
		// and a table of recipients and replies under its headings.
		{"provider/technical details for each recipient, three recipients", bounceMail("Mail Delivery System <postmaster@mail.example.net>", "Delivery Status Notification (Failure)", `Delivery to the following recipients failed permanently:

    alice@example.org
    bob@example.org
    carol@example.org

Technical details of permanent failure for alice@example.org:
The remote server returned: 550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown

Technical details of permanent failure for bob@example.org:
The remote server returned: 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown

Technical details of permanent failure for carol@example.org:
The remote server returned: 554 5.7.1 <carol@example.org>: Relay access denied
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "550", "5.1.1"}, {"carol@example.org", failed, "554", "5.7.1"}}},
		{"provider/technical details for each recipient, temporary", bounceMail("Mail Delivery System <postmaster@mail.example.net>", "Delivery Status Notification (Delay)", `THIS IS A WARNING MESSAGE ONLY. YOU DO NOT NEED TO RESEND YOUR MESSAGE.

Delivery to the following recipients has been delayed:

    alice@example.org
    bob@example.org

Technical details of temporary failure for alice@example.org:
The remote server returned: 452 4.2.2 <alice@example.org>: Mailbox full

Technical details of temporary failure for bob@example.org:
The remote server returned: 451 4.3.0 <bob@example.org>: Temporary lookup failure
`), []layoutRecip{{"alice@example.org", delayed, "452", "4.2.2"}, {"bob@example.org", delayed, "451", "4.3.0"}}},
		{"generic/html table with address and status headings", bounceMIME("Mail Delivery System <postmaster@example.net>", "Undeliverable: hello", htmlOnlyType, `<html><body>
<p>Delivery to the following recipients failed.</p>
<table>
<thead><tr><th>Email Address</th><th>Status</th><th>Server Response</th></tr></thead>
<tbody>
<tr><td>alice@example.org</td><td>Failed</td><td>550 5.1.1 User unknown</td></tr>
<tr><td>bob@example.org</td><td>Failed</td><td>554 5.7.1 Relay access denied</td></tr>
</tbody>
</table>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "554", "5.7.1"}}},
		{"generic/html table, recipient heading in a text part too", bounceMIME("Mail Delivery System <postmaster@example.net>", "Undeliverable: hello", altType, alt(`Your message could not be delivered to the following recipients:

Recipient          Reason
alice@example.org  550 5.1.1 User unknown
`, `<html><body><p>Your message could not be delivered to the following recipients:</p>
<table><tr><th>Recipient</th><th>Reason</th></tr>
<tr><td>alice@example.org</td><td>550 5.1.1 User unknown</td></tr></table>
</body></html>`)), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},

		// HTML-only bounces, and ones whose text part only points at the HTML.
		{"office365/html only, one recipient", bounceMIME("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>", "Undeliverable: hello", htmlOnlyType, `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>
<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td>
<div style="font-family:'Segoe UI',Frutiger,Arial,sans-serif;font-size:16px"><b>Your message to <a href="mailto:alice@example.org">alice@example.org</a> couldn't be delivered.</b></div>
</td></tr>
<tr><td><div style="font-size:21px"><b>alice</b> wasn't found at <b>example.org</b>.</div></td></tr>
<tr><td><table><tr><td>sender</td><td>Office 365</td><td>alice</td></tr><tr><td>Action Required</td><td></td><td>Recipient</td></tr></table></td></tr>
<tr><td><div><b>Unknown To address</b></div></td></tr>
<tr><td><div><b>How to Fix It</b></div><div>The address may be misspelled or may not exist. Try one or more of the following:</div></td></tr>
<tr><td><div><b>More Info for Email Admins</b></div><div><em>Status code: 550 5.1.10</em></div>
<div>This error occurs because the sender sent a message to an email address hosted by Office 365 but the address is incorrect or doesn't exist in Office 365.</div></td></tr>
<tr><td><div><b>Original Message Details</b></div>
<table><tr><td>Created Date:</td><td>12/1/2026 9:59:57 AM</td></tr>
<tr><td>Sender Address:</td><td>sender@example.net</td></tr>
<tr><td>Recipient Address:</td><td>alice@example.org</td></tr>
<tr><td>Subject:</td><td>hello</td></tr></table></td></tr>
<tr><td><div><b>Error Details</b></div>
<table><tr><td>Reported error:</td><td><em>550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup</em></td></tr>
<tr><td>DSN generated by:</td><td>AM0PR01MB1234.eurprd01.prod.exchangelabs.com</td></tr></table></td></tr>
</table></body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.10"}}},
		{"office365/text part says see html", bounceMIME("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>", "Undeliverable: hello", altType, alt(seeHTML, `<html><body>
<div><b>Your message to <a href="mailto:alice@example.org">alice@example.org</a> couldn't be delivered.</b></div>
<div><b>alice</b>'s mailbox is full.</div>
<div><b>More Info for Email Admins</b></div><div><em>Status code: 552 5.2.2</em></div>
<div><b>Original Message Details</b></div>
<table><tr><td>Sender Address:</td><td>sender@example.net</td></tr>
<tr><td>Recipient Address:</td><td>alice@example.org</td></tr></table>
<div><b>Error Details</b></div>
<table><tr><td>Reported error:</td><td><em>552 5.2.2 STOREDRV.Deliver; mailbox full</em></td></tr>
<tr><td>DSN generated by:</td><td>AM0PR01MB1234.eurprd01.prod.exchangelabs.com</td></tr></table>
</body></html>`)), []layoutRecip{{"alice@example.org", failed, "552", "5.2.2"}}},
		{"exchange2010/html only, two recipients", bounceMIME("Microsoft Exchange <postmaster@example.net>", "Undeliverable: hello", htmlOnlyType, `<html><head></head><body>
<p><b><font color="#000066" size="3" face="Arial">Delivery has failed to these recipients or groups:</font></b></p>
<font color="#000000" size="2" face="Tahoma"><p><a href="mailto:alice@example.org">alice@example.org</a><br>
</font><font color="#000000" size="3" face="Arial">The email address you entered couldn't be found. Please check the recipient's email address and try to resend the message. If the problem continues, please contact your helpdesk.</font><br>
</p>
<font color="#000000" size="2" face="Tahoma"><p><a href="mailto:bob@example.org">bob@example.org</a><br>
</font><font color="#000000" size="3" face="Arial">The recipient's mailbox is full and can't accept messages now. Please try resending your message later, or contact the recipient directly.</font><br>
</p>
<p><font color="#808080" size="2" face="Tahoma"><b>Diagnostic information for administrators:</b></font></p>
<font color="#808080" size="2" face="Tahoma"><p>Generating server: mail.example.net<br>
</p><p>alice@example.org<br>
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##<br>
</p><p>bob@example.org<br>
#552 5.2.2 STOREDRV.Deliver; mailbox full ##<br>
</p><p>Original message headers:</p>
<pre>From: Sender &lt;sender@example.net&gt;
To: alice@example.org, bob@example.org
Subject: hello
</pre></font></body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"exchange2010/html only, remote server returned", bounceMIME("Microsoft Exchange <postmaster@example.net>", "Undeliverable: hello", htmlOnlyType, `<html><body>
<p><b>Delivery has failed to these recipients or groups:</b></p>
<p><a href="mailto:alice@example.org">alice@example.org</a><br>
A problem occurred while delivering this message to this email address. Try sending this message again. If the problem continues, please contact your helpdesk.</p>
<p><b>Diagnostic information for administrators:</b></p>
<p>Generating server: mail.example.net</p>
<p>alice@example.org<br>
mx.example.org #&lt;mx.example.org #5.0.0 smtp; 550 5.1.1 &lt;alice@example.org&gt;: Recipient address rejected: User unknown in virtual mailbox table&gt; #SMTP#</p>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"barracuda/html only", bounceMIME("Barracuda Email Security Service <mailer-daemon@ess.example.net>", "Undeliverable: hello", htmlOnlyType, `<html><body>
<h2>Message Delivery Failure</h2>
<p>Your message could not be delivered to the following recipient:</p>
<p><b>alice@example.org</b></p>
<p>Reason: The recipient's mail server rejected the message.</p>
<p>Remote server response: 550 5.1.1 &lt;alice@example.org&gt;: Recipient address rejected: User unknown in local recipient table</p>
<p>This message was generated by the Barracuda Email Security Service.</p>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"barracuda/text says see html, two recipients", bounceMIME("mailer-daemon@barracuda.example.net", "Undeliverable: hello", altType, alt(seeHTML, `<html><body>
<p>Your message was not delivered to the following recipients:</p>
<ul>
<li>alice@example.org &mdash; 550 5.1.1 &lt;alice@example.org&gt;: Recipient address rejected: User unknown</li>
<li>bob@example.org &mdash; 552 5.2.2 &lt;bob@example.org&gt;: Mailbox full</li>
</ul>
</body></html>`)), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"mimecast/html only, table of details", bounceMIME("Mimecast <postmaster@mimecast.example.net>", "Undeliverable: hello", htmlOnlyType, `<html><body>
<table>
<tr><td><h2>Your message couldn't be delivered</h2></td></tr>
<tr><td>The message you sent could not be delivered to one or more recipients. The details are shown below.</td></tr>
<tr><td><table>
<tr><td><b>Recipient:</b></td><td>alice@example.org</td></tr>
<tr><td><b>Reason:</b></td><td>Rejected by the recipient's server</td></tr>
<tr><td><b>Remote server response:</b></td><td>550 5.1.1 &lt;alice@example.org&gt;: Recipient address rejected: User unknown</td></tr>
</table></td></tr>
<tr><td>Subject: hello<br>Sent: Tue, 01 Dec 2026 09:59:57 +0000</td></tr>
</table>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"mimecast/html only, two recipients", bounceMIME("Mimecast <postmaster@mimecast.example.net>", "Undeliverable: hello", htmlOnlyType, `<html><body>
<h2>Your message couldn't be delivered</h2>
<p>The message you sent could not be delivered to one or more recipients.</p>
<table>
<tr><td><b>Recipient:</b></td><td>alice@example.org</td></tr>
<tr><td><b>Remote server response:</b></td><td>550 5.1.1 User unknown</td></tr>
</table>
<table>
<tr><td><b>Recipient:</b></td><td>bob@example.org</td></tr>
<tr><td><b>Remote server response:</b></td><td>554 5.7.1 Message rejected by policy</td></tr>
</table>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "554", "5.7.1"}}},
		{"proofpoint/html only", bounceMIME("Mail Delivery Subsystem <MAILER-DAEMON@pps.example.net>", "Undeliverable: hello", htmlOnlyType, `<html><body>
<p>Your message could not be delivered.</p>
<table border="0">
<tr><td>To:</td><td>&lt;alice@example.org&gt;</td></tr>
<tr><td>Subject:</td><td>hello</td></tr>
<tr><td>Error:</td><td>550 5.1.1 &lt;alice@example.org&gt;... User unknown</td></tr>
</table>
<p>This message was generated by Proofpoint Essentials.</p>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"mxlogic/html only", bounceMIME("MAILER-DAEMON@mxl.example.net", "Undeliverable mail: hello", htmlOnlyType, `<html><body>
<p>Your message was not delivered to the following recipient(s):</p>
<p>&lt;alice@example.org&gt;<br>
Reason: 550 5.1.1 &lt;alice@example.org&gt;... User unknown</p>
<p>Your message was delivered to all other recipients.</p>
<p>This is an automated message from McAfee SaaS Email Protection.</p>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"trendmicro/html only", bounceMIME("Trend Micro Email Security <postmaster@tmes.example.net>", "Undeliverable: hello", htmlOnlyType, `<html><body>
<p>This is an auto-generated message from Trend Micro Email Security.</p>
<p>Your message could not be delivered to one or more recipients.</p>
<table>
<tr><td>Recipient:</td><td>alice@example.org</td></tr>
<tr><td>Reason:</td><td>Remote server returned: 550 5.1.1 &lt;alice@example.org&gt;: Recipient address rejected: User unknown</td></tr>
<tr><td>Recipient:</td><td>bob@example.org</td></tr>
<tr><td>Reason:</td><td>Remote server returned: 552 5.2.2 &lt;bob@example.org&gt;: Mailbox full</td></tr>
</table>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"messagelabs/html only", bounceMIME("MAILER-DAEMON@messagelabs.example.net", "failure notice", htmlOnlyType, `<html><body>
<p>This is an automatically generated Delivery Status Notification.</p>
<p>Delivery to the following recipients failed permanently:</p>
<blockquote>alice@example.org</blockquote>
<p>Technical details of permanent failure:<br>
The remote server returned: 550 5.1.1 &lt;alice@example.org&gt;: Recipient address rejected: User unknown</p>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"ironport/html only", bounceMIME("Mail Delivery System <MAILER-DAEMON@esa.example.net>", "Delivery Status Notification (Failure)", htmlOnlyType, `<html><body>
<p>The message you sent to example.org/alice@example.org was rejected and was not delivered.</p>
<p>Reason: 5.1.0 - Unknown address error ('550', ['5.1.1 &lt;alice@example.org&gt;: Recipient address rejected: User unknown'])</p>
<p>The original message headers are attached below.</p>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"ironport/text says see html, expired", bounceMIME("Mail Delivery System <MAILER-DAEMON@esa.example.net>", "Delivery Status Notification (Failure)", altType, alt(seeHTML, `<html><body>
<p>The message you sent to example.org/alice@example.org was not delivered.</p>
<p>Reason: 5.4.7 - Delivery expired (message too old) 'timeout'</p>
</body></html>`)), []layoutRecip{{"alice@example.org", failed, "", "5.4.7"}}},
		{"generic/html only, address as a mailto link", bounceMIME("Mail Delivery System <postmaster@example.net>", "Undeliverable: hello", htmlOnlyType, `<html><body>
<p>Delivery to the following recipient failed permanently:</p>
<p><a href="mailto:alice@example.org">Alice Example</a></p>
<p>Technical details: 550 5.1.1 The email account that you tried to reach does not exist.</p>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/html only, entities and line breaks inside the reply", bounceMIME("Mail Delivery System <postmaster@example.net>", "Undelivered Mail Returned to Sender", htmlOnlyType, `<html><body><div>Your message could not be delivered to:</div>
<div>&lt;alice@example.org&gt;:&nbsp;host mx.example.org[192.0.2.1] said:<br>550&nbsp;5.1.1&nbsp;&lt;alice@example.org&gt;:<br>Recipient address rejected: User unknown</div></body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		// Exchange 2000 and 2003: the text NDR, "<host #x.y.z>" after each recipient's reason.
		{"exchange2003/one recipient, local reason", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", exchange2003Intro+`      alice@example.org on 12/1/2026 10:00 AM
            The e-mail account does not exist at the organization this message was sent to.  Check the e-mail address, or contact the recipient directly to find out the correct address.
            <mail.example.net #5.1.1>
`), []layoutRecip{{"alice@example.org", failed, "", "5.1.1"}}},
		{"exchange2003/remote reply in the host line", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", exchange2003Intro+`      alice@example.org on 12/1/2026 10:00 AM
            The e-mail system had a problem processing this message. It will not try to deliver this message again.
            <mail.example.net #5.5.0 smtp;550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown in virtual mailbox table>
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exchange2003/three recipients, three reasons", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", exchange2003Intro+`      alice@example.org on 12/1/2026 10:00 AM
            The e-mail account does not exist at the organization this message was sent to.  Check the e-mail address, or contact the recipient directly to find out the correct address.
            <mail.example.net #5.1.1>

      bob@example.org on 12/1/2026 10:00 AM
            The recipient's mailbox is full.
            <mail.example.net #5.2.2 smtp;552 5.2.2 <bob@example.org>: Mailbox full>

      carol@example.org on 12/1/2026 10:00 AM
            You do not have permission to send to this recipient.  For assistance, contact your system administrator.
            <mail.example.net #5.7.1 smtp;554 5.7.1 <carol@example.org>: Relay access denied>
`), []layoutRecip{{"alice@example.org", failed, "", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}, {"carol@example.org", failed, "554", "5.7.1"}}},
		{"exchange2003/quoted SMTP: recipient", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", exchange2003Intro+`      'SMTP:alice@example.org' on 12/1/2026 10:00 AM
            The e-mail address could not be found.  Perhaps the recipient moved to a different e-mail organization, or there was a mistake in the address.  Check the address and try again.
            <mail.example.net #5.1.1>
`), []layoutRecip{{"alice@example.org", failed, "", "5.1.1"}}},
		{"exchange2003/quoted address recipient", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", exchange2003Intro+`      'alice@example.org' on 12/1/2026 10:00 AM
            The e-mail address could not be found.  Perhaps the recipient moved to a different e-mail organization, or there was a mistake in the address.  Check the address and try again.
            <mail.example.net #5.1.1>

      'bob@example.org' on 12/1/2026 10:00 AM
            The recipient's mailbox is full.
            <mail.example.net #5.2.2>
`), []layoutRecip{{"alice@example.org", failed, "", "5.1.1"}, {"bob@example.org", failed, "", "5.2.2"}}},
		{"exchange2003/display name with the address in brackets", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", exchange2003Intro+`      Alice Example (alice@example.org) on 12/1/2026 10:00 AM
            The recipient's mailbox is full.
            <mail.example.net #5.2.2>
`), []layoutRecip{{"alice@example.org", failed, "", "5.2.2"}}},
		{"exchange2003/host line wrapped", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", exchange2003Intro+`      alice@example.org on 12/1/2026 10:00 AM
            The e-mail system had a problem processing this message. It will not
            try to deliver this message again.
            <mail.example.net #5.5.0 smtp;550 5.1.1 <alice@example.org>:
            Recipient address rejected: User unknown>

      bob@example.org on 12/1/2026 10:00 AM
            The e-mail system had a problem processing this message. It will not
            try to deliver this message again.
            <mail.example.net #5.5.0 smtp;552 5.2.2 <bob@example.org>:
            Mailbox full>
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"exchange2003/expired in the time limit", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", exchange2003Intro+`      alice@example.org on 12/3/2026 10:00 AM
            Could not deliver the message in the time limit specified.  Please retry or contact your administrator.
            <mail.example.net #4.4.7>
`), []layoutRecip{{"alice@example.org", failed, "", "4.4.7"}}},
		{"exchange2003/x400 recipient with a status part", bounceMIME("System Administrator <postmaster@example.net>", "Undeliverable: hello", reportType, report(exchange2003Intro+`      Alice Example on 12/1/2026 10:00 AM
            The e-mail account does not exist at the organization this message was sent to.  Check the e-mail address, or contact the recipient directly to find out the correct address.
            <mail.example.net #5.1.1>
`, `Reporting-MTA: dns;mail.example.net

Final-Recipient: rfc822;alice@example.org
Action: failed
Status: 5.1.1
X-Display-Name: Alice Example
`, "text/rfc822-headers", returnedHeaders)), []layoutRecip{{"alice@example.org", failed, "", "5.1.1"}}},
		{"exchange2003/tab-indented, no subject block", bounceMail("postmaster@example.net", "Undeliverable: hello", `Your message

  To:      alice@example.org; bob@example.org
  Subject: hello
  Sent:    Tue, 1 Dec 2026 09:59:57 +0000

did not reach the following recipient(s):

alice@example.org on Tue, 1 Dec 2026 10:00:00 +0000
	The recipient name is not recognized
	The MTS-ID of the original message is: c=US;a= ;p=Example;l=MAIL0112011000AB12CD34
	MSEXCH:IMS:Example:EXAMPLE:MAIL 0 (000C05A6) Unknown Recipient
`), []layoutRecip{{"alice@example.org", failed, "", ""}}},
		{"exchange2000/relay refused", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", exchange2003Intro+`      alice@example.org on 12/1/2026 10:00 AM
            You do not have permission to send to this recipient.  For assistance, contact your system administrator.
            <mail.example.net #5.7.1 smtp;550 5.7.1 Unable to relay for alice@example.org>
`), []layoutRecip{{"alice@example.org", failed, "550", "5.7.1"}}},
		{"exchange2003/second recipient only with a reply", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", exchange2003Intro+`      alice@example.org on 12/1/2026 10:00 AM
            A configuration error in the e-mail system caused the message to bounce between two servers or to be forwarded between two recipients.  Contact your administrator.
            <mail.example.net #5.4.6>

      bob@example.org on 12/1/2026 10:00 AM
            The e-mail system had a problem processing this message. It will not try to deliver this message again.
            <mail.example.net #5.5.0 smtp;550 Requested action not taken: mailbox unavailable>
`), []layoutRecip{{"alice@example.org", failed, "", "5.4.6"}, {"bob@example.org", failed, "550", "5.5.0"}}},
		{"exchange2003/report with the returned message", bounceMIME("System Administrator <postmaster@example.net>", "Undeliverable: hello", reportType, report(exchange2003Intro+`      alice@example.org on 12/1/2026 10:00 AM
            The e-mail account does not exist at the organization this message was sent to.  Check the e-mail address, or contact the recipient directly to find out the correct address.
            <mail.example.net #5.1.1 smtp;550 5.1.1 User unknown>

      bob@example.org on 12/1/2026 10:00 AM
            The recipient's mailbox is full.
            <mail.example.net #5.2.2 smtp;552 5.2.2 Mailbox full>
`, `Reporting-MTA: dns;mail.example.net
Received-From-MTA: dns;client.example.net
Arrival-Date: Tue, 1 Dec 2026 09:59:58 +0000

Final-Recipient: rfc822;alice@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp;550 5.1.1 User unknown

Final-Recipient: rfc822;bob@example.org
Action: failed
Status: 5.2.2
Diagnostic-Code: smtp;552 5.2.2 Mailbox full
`, "message/rfc822", returnedHeaders+"\nhello\n")), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"exchange2003/long address wrapped to its own line", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", exchange2003Intro+`      firstname.lastname@department.example.org on 12/1/2026 10:00
      AM
            The e-mail account does not exist at the organization this message was sent to.  Check the e-mail address, or contact the recipient directly to find out the correct address.
            <mail.example.net #5.1.1>
`), []layoutRecip{{"firstname.lastname@department.example.org", failed, "", "5.1.1"}}},
		{"exchange2003/html rendering only", bounceMIME("System Administrator <postmaster@example.net>", "Undeliverable: hello", htmlOnlyType, `<html><body>
<p>Your message did not reach some or all of the intended recipients.</p>
<p>Subject: hello<br>Sent: 12/1/2026 9:59 AM</p>
<p>The following recipient(s) could not be reached:</p>
<p>alice@example.org on 12/1/2026 10:00 AM<br>
The e-mail account does not exist at the organization this message was sent to.<br>
&lt;mail.example.net #5.1.1 smtp;550 5.1.1 User unknown&gt;</p>
<p>bob@example.org on 12/1/2026 10:00 AM<br>
The recipient's mailbox is full.<br>
&lt;mail.example.net #5.2.2 smtp;552 5.2.2 Mailbox full&gt;</p>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		// A second batch, written after the first fixes: more transcript dialects, HTML
		// renderings and Exchange 2003 variants.
		{"generic/transcript, multiline refusal of the end of data for three", bounceMail("Mail Delivery System <postmaster@mx.example.net>", "Undeliverable mail", `Your message could not be delivered.

Session transcript:

>>> RCPT TO:<alice@example.org>
<<< 250 2.1.5 Ok
>>> RCPT TO:<bob@example.org>
<<< 250 2.1.5 Ok
>>> RCPT TO:<carol@example.org>
<<< 250 2.1.5 Ok
>>> DATA
<<< 354 Go ahead
>>> .
<<< 554-5.7.1 The message was rejected because it contains prohibited
<<< 554 5.7.1 content.
`), []layoutRecip{{"alice@example.org", failed, "554", "5.7.1"}, {"bob@example.org", failed, "554", "5.7.1"}, {"carol@example.org", failed, "554", "5.7.1"}}},
		{"generic/transcript, BDAT LAST refused for two", bounceMail("Mail Delivery System <postmaster@mx.example.net>", "Undeliverable mail", `Your message could not be delivered.

Session transcript:

>>> RCPT TO:<alice@example.org>
<<< 250 2.1.5 Ok
>>> RCPT TO:<bob@example.org>
<<< 250 2.1.5 Ok
>>> BDAT 48213 LAST
<<< 552 5.3.4 Message size exceeds fixed limit
`), []layoutRecip{{"alice@example.org", failed, "552", "5.3.4"}, {"bob@example.org", failed, "552", "5.3.4"}}},
		{"generic/transcript, BDAT chunks, the last refused", bounceMail("Mail Delivery System <postmaster@mx.example.net>", "Undeliverable mail", `Your message could not be delivered.

Session transcript:

>>> RCPT TO:<alice@example.org>
<<< 250 2.1.5 Ok
>>> RCPT TO:<bob@example.org>
<<< 250 2.1.5 Ok
>>> BDAT 65536
<<< 250 2.0.0 65536 octets received
>>> BDAT 1024 LAST
<<< 554 5.7.1 Message rejected: virus found
`), []layoutRecip{{"alice@example.org", failed, "554", "5.7.1"}, {"bob@example.org", failed, "554", "5.7.1"}}},
		{"generic/transcript with C: and S: prefixes", bounceMail("Mail Delivery System <postmaster@mx.example.net>", "Undeliverable mail", `Your message could not be delivered.

SMTP conversation:

C: MAIL FROM:<sender@example.net>
S: 250 2.1.0 Ok
C: RCPT TO:<alice@example.org>
S: 250 2.1.5 Ok
C: RCPT TO:<bob@example.org>
S: 250 2.1.5 Ok
C: DATA
S: 354 End data with <CR><LF>.<CR><LF>
C: .
S: 550 5.7.1 Message rejected as spam
`), []layoutRecip{{"alice@example.org", failed, "550", "5.7.1"}, {"bob@example.org", failed, "550", "5.7.1"}}},
		{"generic/transcript, accepted recipient on another host delivered", bounceMail("Mail Delivery System <postmaster@mx.example.net>", "Undeliverable mail", `Your message could not be delivered to one or more recipients.

Session with mx.example.org:

>>> RCPT TO:<alice@example.org>
<<< 250 2.1.5 Ok
>>> DATA
<<< 354 End data with <CR><LF>.<CR><LF>
>>> .
<<< 552 5.2.2 Mailbox full

Session with mx.example.com:

>>> RCPT TO:<bob@example.com>
<<< 250 2.1.5 Ok
>>> DATA
<<< 354 End data with <CR><LF>.<CR><LF>
>>> .
<<< 250 2.0.0 Ok: queued
`), []layoutRecip{{"alice@example.org", failed, "552", "5.2.2"}}},
		{"exim/MAIL FROM refused, two recipients", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  alice@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after MAIL FROM:<sender@example.net> SIZE=2048:
    550 5.7.1 Sender address rejected: Access denied
  bob@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after MAIL FROM:<sender@example.net> SIZE=2048:
    550 5.7.1 Sender address rejected: Access denied
`), []layoutRecip{{"alice@example.org", failed, "550", "5.7.1"}, {"bob@example.org", failed, "550", "5.7.1"}}},
		{"postfix/MAIL FROM refused, two recipients", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 553 5.7.1
    <sender@example.net>: Sender address rejected: not logged in (in reply to
    MAIL FROM command)

<bob@example.org>: host mx.example.org[192.0.2.1] said: 553 5.7.1
    <sender@example.net>: Sender address rejected: not logged in (in reply to
    MAIL FROM command)
`), []layoutRecip{{"alice@example.org", failed, "553", "5.7.1"}, {"bob@example.org", failed, "553", "5.7.1"}}},
		{"qmail/sender refused, two recipients", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<alice@example.org>:
Connected to 192.0.2.1 but sender was rejected.
Remote host said: 553 5.7.1 Sender address rejected

<bob@example.org>:
Connected to 192.0.2.1 but sender was rejected.
Remote host said: 553 5.7.1 Sender address rejected

--- Below this line is a copy of the message.

`+returned), []layoutRecip{{"alice@example.org", failed, "553", "5.7.1"}, {"bob@example.org", failed, "553", "5.7.1"}}},
		{"sendmail/two hosts, end of data refused at the second", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", sendmailIntro+`<alice@example.org>
    (reason: 550 5.1.1 <alice@example.org>... User unknown)
<bob@example.com>
    (reason: 552 5.3.4 Message size exceeds fixed maximum message size)
<carol@example.com>
    (reason: 552 5.3.4 Message size exceeds fixed maximum message size)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> RCPT To:<alice@example.org>
<<< 550 5.1.1 <alice@example.org>... User unknown
550 5.1.1 <alice@example.org>... User unknown
... while talking to mx.example.com.:
>>> DATA
<<< 552 5.3.4 Message size exceeds fixed maximum message size
554 5.0.0 Service unavailable
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.com", failed, "552", "5.3.4"}, {"carol@example.com", failed, "552", "5.3.4"}}},
		{"exchange2007/html only, smtp reply in the diagnostic", bounceMIME("Microsoft Exchange <postmaster@example.net>", "Undeliverable: hello", htmlOnlyType, `<html><body>
<p><b>Delivery has failed to these recipients or groups:</b></p>
<p><a href="mailto:alice@example.org">Alice Example</a><br>
The e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try to resend the message.</p>
<p><b>Diagnostic information for administrators:</b></p>
<p>Generating server: mail.example.net</p>
<p>alice@example.org<br>
#&lt; #5.1.1 smtp;550 5.1.1 &lt;alice@example.org&gt;: Recipient address rejected: User unknown&gt; #SMTP#</p>
<p>Original message headers:</p>
<pre>Received: from client.example.net (192.0.2.20) by mail.example.net
To: Alice Example &lt;alice@example.org&gt;, Dave &lt;dave@example.org&gt;
Subject: hello
Date: Tue, 1 Dec 2026 09:59:57 +0000
</pre>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"gmail/html only, address not found", bounceMIME("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Failure)", htmlOnlyType, `<html><body>
<table><tr><td><h2>Address not found</h2></td></tr>
<tr><td><p>Your message wasn't delivered to <a style="color:#212121;text-decoration:none"><b>alice@example.org</b></a> because the address couldn't be found, or is unable to receive mail.</p></td></tr>
<tr><td><p>The response from the remote server was:</p>
<p style="font-family:monospace">550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.</p></td></tr>
</table></body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/html only, address broken by a tag and an entity", bounceMIME("Mail Delivery System <postmaster@example.net>", "Undeliverable: hello", htmlOnlyType, `<html><body>
<p>Your message could not be delivered to the following recipient:</p>
<p><b>alice<wbr>&#64;example.org</b></p>
<p>Reason: 550 5.1.1 User unknown</p>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"messagelabs/html only, table of recipients", bounceMIME("MAILER-DAEMON@messagelabs.example.net", "failure notice", htmlOnlyType, `<html><body>
<p>This is the mail delivery service at messagelabs.example.net.</p>
<p>Your message could not be delivered to the following recipients:</p>
<table>
<tr><td>alice@example.org</td><td>550 5.1.1 &lt;alice@example.org&gt;: Recipient address rejected: User unknown</td></tr>
<tr><td>bob@example.org</td><td>550 5.2.1 &lt;bob@example.org&gt;: Mailbox disabled</td></tr>
</table>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "550", "5.2.1"}}},
		{"exchange2003/returned headers name other addresses", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", exchange2003Intro+`      alice@example.org on 12/1/2026 10:00 AM
            The e-mail account does not exist at the organization this message was sent to.  Check the e-mail address, or contact the recipient directly to find out the correct address.
            <mail.example.net #5.1.1>

`+returnedHeaders), []layoutRecip{{"alice@example.org", failed, "", "5.1.1"}}},
		{"exchange2003/tab indented, two recipients", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", "Your message did not reach some or all of the intended recipients.\n\n\tSubject:\thello\n\tSent:\t12/1/2026 9:59 AM\n\nThe following recipient(s) could not be reached:\n\n\talice@example.org on 12/1/2026 10:00 AM\n\t\tThe e-mail account does not exist at the organization this message was sent to.\n\t\t<mail.example.net #5.1.1 smtp;550 5.1.1 User unknown>\n\n\tbob@example.org on 12/1/2026 10:00 AM\n\t\tThe recipient's mailbox is full.\n\t\t<mail.example.net #5.2.2 smtp;552 5.2.2 Mailbox full>\n"), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"exchange2003/delay, message will be retried", bounceMail("System Administrator <postmaster@example.net>", "Delayed: hello", `Your message has been delayed and is still awaiting delivery to the following recipient(s):

      alice@example.org
            Message delayed
            <mail.example.net #4.4.7>

Your message will continue to be retried for delivery for the next 2 days.
`), []layoutRecip{{"alice@example.org", delayed, "", "4.4.7"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if why, ok := layouts3Open[tc.name]; ok {
				t.Skip("open: " + why)
			}
			checkLayout(t, tc.mail, tc.want, layouts3Readers[tc.name])
		})
	}
}

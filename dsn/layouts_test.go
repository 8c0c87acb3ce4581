package dsn_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
)

// layoutRecip is what a layout case expects of one recipient. An empty Reply or Status
// expects the mail to hold none: a code the bounce does not write must not be reported.
type layoutRecip struct {
	addr   string
	action classify.Action
	reply  classify.ReplyCode
	status classify.Status
}

// bounceMail builds a bounce from its sender, subject and plain-text body.
func bounceMail(from, subject, body string) string {
	return "From: " + from + "\r\nTo: sender@example.net\r\nSubject: " + subject +
		"\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <b1@mx.example.net>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		strings.ReplaceAll(body, "\n", "\r\n")
}

// bounceMIME builds a bounce whose body is given with its own top-level Content-Type.
func bounceMIME(from, subject, contentType, body string) string {
	return "From: " + from + "\r\nTo: sender@example.net\r\nSubject: " + subject +
		"\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <b2@mx.example.net>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: " + contentType + "\r\n\r\n" +
		strings.ReplaceAll(body, "\n", "\r\n")
}

// returned is the copy of the original message that most bounces append.
const returned = `From: Sender <sender@example.net>
To: someone@example.org
Subject: hello
Message-ID: <orig-1@example.net>

hello
`

// The introductions of the MTAs' templates that several cases share.
const (
	// postfixIntro is bounce_template.c's failure template, up to the recipient paragraphs.
	postfixIntro = `This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

If you do so, please include this problem report. You can
delete your own text from the attached returned message.

                   The mail system

`
	// postfixShortIntro is the same without the paragraph on asking the postmaster.
	postfixShortIntro = `This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

`
	// eximIntro is Exim's bounce text (deliver.c), up to the failed addresses.
	eximIntro = `This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

`
	// eximWarningEnd closes Exim's delay warning (exim.conf's default warn_message text).
	eximWarningEnd = `No action is required on your part. Delivery attempts will continue for
some time, and this warning may be repeated at intervals if the message
remains undelivered. Eventually the mail delivery software will give up,
and when that happens, the message will be returned to you.
`
	// qmailIntro is qmail-send's bounce text, up to the recipient paragraphs.
	qmailIntro = `Hi. This is the qmail-send program at mx.example.net.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

`
)

// eximWarningHead is the start of Exim's delay warning (exim.conf's default warn_message
// text) for the message id, the hours it has waited and its date, up to the addresses.
func eximWarningHead(id, hours, date string) string {
	return `This message was created automatically by mail delivery software.
A message that you sent has not yet been delivered to one or more of its
recipients after more than ` + hours + ` hours on the queue on mx.example.net.

The message identifier is:     ` + id + `
The subject of the message is: hello
The date of the message is:    ` + date + `

The address to which the message has not yet been delivered is:
`
}

const (
	failed  = classify.ActionFailed
	delayed = classify.ActionDelayed
)

// layoutReaders names the reader that must decode a layout case, where a looser reader
// would find the same recipients and codes but lose what the template says (the reason of a
// Domino report, the paragraph of a Postfix notice).
var layoutReaders = map[string]string{
	"domino/two recipients":                                "domino",
	"domino/two recipients, one reason, indented headings": "domino",
	"postfix/indented first line":                          "postfix",
	"postfix/two recipients, wrapped replies":              "postfix",
	"exim/retry timeout and two recipients":                "exim",
	"qmail/two recipients, remote and local":               "qmail",
	"sendmail/two recipients with transcript":              "sendmail",
}

// TestLayouts decodes bounces written in the layouts that MTAs and services produce, as their
// source and documentation give them, in variants the samples under testdata/eml do not show:
// several recipients, a recipient without a diagnostic, wrapped lines, delay notices, other
// template versions, and families without a decoder of their own. Every recipient the mail
// names must be found with its action and the codes the mail writes, and no other.
func TestLayouts(t *testing.T) {
	tests := []struct {
		name, mail string
		want       []layoutRecip
	}{
		// Postfix, bounce(8) with its default template (bounce_template_file unset), text only.
		{"postfix/two recipients, wrapped replies", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)

<bob@example.org>: host mx.example.org[192.0.2.1] said: 552 5.2.2 Mailbox
    full, quota exceeded (in reply to end of DATA command)
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"postfix/delay notice", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Delayed Mail (still being retried)", `This is the mail system at host mx.example.net.

####################################################################
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
####################################################################

Your message could not be delivered for more than 4 hour(s).
It will be retried until it is 5 day(s) old.

For further assistance, please send mail to postmaster.

If you do so, please include this problem report. You can
delete your own text from the attached returned message.

                   The mail system

<carol@example.org>: connect to mx.example.org[192.0.2.1]:25: Connection timed
    out
`), []layoutRecip{{"carol@example.org", delayed, "", ""}}},
		{"postfix/local delivery and no diagnostic code", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixShortIntro+`<dave@example.org>: unknown user: "dave"

<erin@example.org> (expanded from <staff@example.org>): cannot update mailbox
    /var/mail/erin for user erin. error writing message: File too large
`), []layoutRecip{{"dave@example.org", failed, "", ""}, {"erin@example.org", failed, "", ""}}},
		{"postfix/german template", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Unzustellbare Nachricht", `Dies ist das Mailsystem auf dem Rechner mx.example.net.

Leider konnte Ihre Nachricht nicht an einen oder mehrere
Empfänger zugestellt werden. Die Nachricht ist unten angehängt.

                   Das Mailsystem

<frank@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <frank@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)
`), []layoutRecip{{"frank@example.org", failed, "550", "5.1.1"}}},

		// Exim, its default bounce and warning texts (src/deliver.c, exim.conf warn_message).
		{"exim/retry timeout and two recipients", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  grace@example.org
    retry timeout exceeded
  heidi@example.org
    SMTP error from remote mail server after RCPT TO:<heidi@example.org>:
    host mx.example.org [192.0.2.1]: 550 5.1.1 <heidi@example.org>: Recipient address rejected: User unknown

------ This is a copy of the message, including all the headers. ------

`+returned), []layoutRecip{{"grace@example.org", failed, "", ""}, {"heidi@example.org", failed, "550", "5.1.1"}}},
		{"exim/newer template, reply on its own line", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  ivan@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after end of data:
    552 5.3.4 Message size exceeds fixed maximum message size

------ This is a copy of the message, including all the headers. ------

`+returned), []layoutRecip{{"ivan@example.org", failed, "552", "5.3.4"}}},
		{"exim/delay warning", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Warning: message 1sAbCd-000123-Xy delayed 24 hours", eximWarningHead("1sAbCd-000123-Xy", "24", "Mon, 30 Nov 2026 09:00:00 +0000")+`
  judy@example.org
    Delay reason: SMTP error from remote mail server after RCPT TO:<judy@example.org>:
    host mx.example.org [192.0.2.1]: 451 4.7.1 Greylisted, please try again later

`+eximWarningEnd), []layoutRecip{{"judy@example.org", delayed, "451", "4.7.1"}}},
		{"exim/unrouteable", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  ken@nonexistent.example
    Unrouteable address
  leo@example.org
    all relevant MX records point to non-existent hosts
`), []layoutRecip{{"ken@nonexistent.example", failed, "", ""}, {"leo@example.org", failed, "", ""}}},

		// Sendmail, savemail.c and its transcript.
		{"sendmail/two recipients with transcript", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", `The original message was received at Tue, 1 Dec 2026 09:59:58 GMT
from client.example.net [192.0.2.9]

   ----- The following addresses had permanent fatal errors -----
<mallory@example.org>
    (reason: 550 5.1.1 <mallory@example.org>... User unknown)
<nina@example.org>
    (reason: 552 5.2.2 <nina@example.org>... Mailbox full)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> RCPT To:<mallory@example.org>
<<< 550 5.1.1 <mallory@example.org>... User unknown
550 5.1.1 <mallory@example.org>... User unknown
>>> RCPT To:<nina@example.org>
<<< 552 5.2.2 <nina@example.org>... Mailbox full
552 5.2.2 <nina@example.org>... Mailbox full
`), []layoutRecip{{"mallory@example.org", failed, "550", "5.1.1"}, {"nina@example.org", failed, "552", "5.2.2"}}},
		{"sendmail/warning, text only", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Warning: could not send message for past 4 hours", `    **********************************************
    **      THIS IS A WARNING MESSAGE ONLY      **
    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **
    **********************************************

The original message was received at Tue, 1 Dec 2026 05:59:58 GMT
from client.example.net [192.0.2.9]

   ----- Transcript of session follows -----
<oscar@example.org>... Deferred: Connection timed out with mx.example.org.
Warning: message still undelivered after 4 hours
Will keep trying until message is 5 days old
`), []layoutRecip{{"oscar@example.org", delayed, "", ""}}},

		// qmail, qmail-send.c's bounce text and qmail-remote's reports.
		{"qmail/two recipients, remote and local", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<peggy@example.org>:
192.0.2.1 does not like recipient.
Remote host said: 550 5.1.1 <peggy@example.org>: Recipient address rejected: User unknown
Giving up on 192.0.2.1.

<quinn@example.net>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Below this line is a copy of the message.

`+returned), []layoutRecip{{"peggy@example.org", failed, "550", "5.1.1"}, {"quinn@example.net", failed, "", "5.1.1"}}},
		{"qmail/no host", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<rob@nonexistent.example>:
Sorry, I couldn't find any host named nonexistent.example. (#5.1.2)

--- Below this line is a copy of the message.
`), []layoutRecip{{"rob@nonexistent.example", failed, "", "5.1.2"}}},

		// Microsoft Exchange Server and Exchange Online NDRs, in plain text.
		{"exchange/office365 two recipients", bounceMail("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>", "Undeliverable: hello", `Delivery has failed to these recipients or groups:

sybil@example.org
The email address you entered couldn't be found. Please check the recipient's email address and try to send the message again. If the problem continues, please contact your helpdesk.

ted@example.org
The recipient's mailbox is full and can't accept messages now. Please try resending this message later, or contact the recipient directly.


Diagnostic information for administrators:

Generating server: AM0PR01MB1234.eurprd01.prod.exchangelabs.com

sybil@example.org
Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient sybil@example.org not found by SMTP address lookup'

ted@example.org
Remote Server returned '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded'

Original message headers:

Received: from AM0PR01MB1234.eurprd01.prod.exchangelabs.com
From: Sender <sender@example.net>
To: sybil@example.org, ted@example.org
`), []layoutRecip{{"sybil@example.org", failed, "550", "5.1.10"}, {"ted@example.org", failed, "554", "5.2.2"}}},
		{"exchange/2010 display name and hash codes", bounceMail("Microsoft Exchange <postmaster@example.net>", "Undeliverable: hello", `Delivery has failed to these recipients or groups:

Uma Example (uma@example.org)
The e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try to resend the message. If the problem continues, please contact your helpdesk.

Diagnostic information for administrators:

Generating server: mail.example.net

uma@example.org
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##

Original message headers:
`), []layoutRecip{{"uma@example.org", failed, "550", "5.1.1"}}},
		{"exchange/delay notice", bounceMail("Microsoft Outlook <postmaster@example.net>", "Delivery delayed:hello", `Delivery is delayed to these recipients or groups:

victor@example.org

Subject: hello

This message hasn't been delivered yet. Delivery will continue to be attempted.

The server will keep trying to deliver this message for the next 1 days, 19 hours and 57 minutes. You'll be notified if the message can't be delivered by that time.

Diagnostic information for administrators:

Generating server: AM0PR01MB1234.eurprd01.prod.exchangelabs.com
Receiving server: mx.example.org

victor@example.org
Remote Server returned '451 4.4.0 Message delayed'
`), []layoutRecip{{"victor@example.org", delayed, "451", "4.4.0"}}},
		{"exchange/office365 new layout", bounceMail("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>", "Undeliverable: hello", `Your message to walter@example.org couldn't be delivered.
walter wasn't found at example.org.
sender                    Office 365                    walter
Action Required                                         Recipient

Unknown To address

How to Fix It
The address may be misspelled or may not exist. Try one or more of the following:

More Info for Email Admins
Status code: 550 5.1.10

Original Message Details
Created Date:    12/1/2026 10:00:00 AM
Sender Address:  sender@example.net
Recipient Address:    walter@example.org
Subject:    hello

Error Details
Reported error:    550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup
DSN generated by:    AM0PR01MB1234.eurprd01.prod.exchangelabs.com
`), []layoutRecip{{"walter@example.org", failed, "550", "5.1.10"}}},

		// Lotus Domino, its "was not delivered to" template.
		{"domino/two recipients", bounceMail("Mail Router <MAILER-DAEMON@example.net>", "DELIVERY FAILURE: User xavier (xavier@example.org) not listed in Domino Directory", `Your message

  Subject: hello

was not delivered to:

  xavier@example.org

because:

  User xavier (xavier@example.org) not listed in Domino Directory
`), []layoutRecip{{"xavier@example.org", failed, "", ""}}},

		// Courier, courierdsn's text part alone.
		{"courier/rcpt transcript", bounceMail("Courier mail server at mx.example.net <@>", "NOTICE: mail delivery status.", `This is a delivery status notification from mx.example.net,
running the Courier mail server, version 1.1.

The original message was received on Tue, 01 Dec 2026 09:59:58 +0000
from localhost [127.0.0.1]

---------------------------------------------------------------------------

                           UNDELIVERABLE MAIL

Your message to the following recipients cannot be delivered:

<yvonne@example.org>:
    mx.example.org [192.0.2.1]:
>>> RCPT TO:<yvonne@example.org>
<<< 550 5.1.1 <yvonne@example.org>: Recipient address rejected: User unknown

---------------------------------------------------------------------------
`), []layoutRecip{{"yvonne@example.org", failed, "550", "5.1.1"}}},

		// Gmail, text/plain of its failure and delay notices.
		{"gmail/delay", bounceMail("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Delay)", `** Delivery incomplete **

There was a temporary problem delivering your message to zack@example.org. Gmail will retry for 47 more hours. You'll be notified if the delivery fails permanently.

The response was:

The recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720 [mx.example.org. 192.0.2.1: timed out]
`), []layoutRecip{{"zack@example.org", delayed, "", ""}}},
		{"gmail/failure with remote reply", bounceMail("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Failure)", `** Address not found **

Your message wasn't delivered to amy@example.org because the address couldn't be found, or is unable to receive mail.

The response from the remote server was:
550 5.1.1 <amy@example.org>: Recipient address rejected: User unknown in local recipient table
`), []layoutRecip{{"amy@example.org", failed, "550", "5.1.1"}}},

		// Yahoo's bounce (its own text, a qmail descendant).
		{"yahoo/remote host said", bounceMail("MAILER-DAEMON@yahoo.com", "Failure Notice", `Sorry, we were unable to deliver your message to the following address.

<bert@example.org>:
Remote host said: 550 5.1.1 <bert@example.org>: Recipient address rejected: User unknown [RCPT_TO]

--- Below this line is a copy of the message.

`+returned), []layoutRecip{{"bert@example.org", failed, "550", "5.1.1"}}},

		// GMX and web.de (1&1), their own text.
		{"gmx/address in quotes", bounceMail("Mail Delivery System <mailer-daemon@gmx.net>", "Mail delivery failed: returning message to sender", `This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of
its recipients. This is a permanent error. The following address
failed:

"cleo@example.org":

SMTP error from remote server after RCPT command:
host: mx.example.org
5.1.1 <cleo@example.org>: Recipient address rejected: User unknown

--- The header of the original message is following. ---
`), []layoutRecip{{"cleo@example.org", failed, "", "5.1.1"}}},

		// Families without a decoder of their own: the generic readers must do.
		{"james/failed recipients and error message", bounceMail("MAILER-DAEMON@mx.example.net", "[BOUNCE]", `Hi. This is the James mail server at mx.example.net.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.  Below
I include the list of recipients and the reason why I was unable to deliver
your message.

Failed recipient(s):
dora@example.org

Error message:
550 5.1.1 <dora@example.org>: Recipient address rejected: User unknown
`), []layoutRecip{{"dora@example.org", failed, "550", "5.1.1"}}},
		{"mailmarshal/recipients after the reason", bounceMail("postmaster@example.net", "Undeliverable mail, invalid characters in header", `Your message:
   From:    sender@example.net
   Subject: hello

Could not be delivered because of

550 5.1.1 User unknown

The following recipients were affected:
    eddie@example.org
`), []layoutRecip{{"eddie@example.org", failed, "550", "5.1.1"}}},
		{"hmailserver/remote server replied", bounceMail("MAILER-DAEMON@example.net", "Message undeliverable: hello", `Your message did not reach some or all of the intended recipients.

   Sent: Tue, 01 Dec 2026 10:00:00 +0000
   Subject: hello

The following recipient(s) could not be reached:

fiona@example.org
   Error Type: SMTP
   Remote server (192.0.2.1) issued an error.
   hMailServer sent: RCPT TO:<fiona@example.org>
   Remote server replied: 550 5.1.1 <fiona@example.org>: Recipient address rejected: User unknown

gus@example.org
   Error Type: SMTP
   Remote server (192.0.2.1) issued an error.
   hMailServer sent: DATA
   Remote server replied: 552 5.2.2 Mailbox full
`), []layoutRecip{{"fiona@example.org", failed, "550", "5.1.1"}, {"gus@example.org", failed, "552", "5.2.2"}}},
		{"mdaemon/session transcript", bounceMail("MDaemon@example.net", "Permanent Delivery Failure", `The attached message had PERMANENT fatal delivery errors!

After one or more unsuccessful delivery attempts the attached message
has been removed from the mail queue on this server.  The number and
frequency of delivery attempts are determined by local configuration
parameters.

YOUR MESSAGE WAS NOT DELIVERED TO ONE OR MORE RECIPIENTS!

--- Session Transcript ---
 Tue 2026-12-01 10:00:00.000: Parsing message <pd123.msg>
 Tue 2026-12-01 10:00:00.000: *  From: sender@example.net
 Tue 2026-12-01 10:00:00.000: *  To: hank@example.org
 Tue 2026-12-01 10:00:00.000: Attempting SMTP connection to [mx.example.org]
 Tue 2026-12-01 10:00:00.100: --> RCPT TO:<hank@example.org>
 Tue 2026-12-01 10:00:00.200: <-- 550 5.1.1 <hank@example.org>: Recipient address rejected: User unknown
--- End Transcript ---
`), []layoutRecip{{"hank@example.org", failed, "550", "5.1.1"}}},
		{"haraka/postfix-like template", bounceMail("MAILER-DAEMON@mx.example.net", "Mail Delivery Failure", `This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

If you do so, please include this problem report. You can
delete your own text from the attached returned message.

                                                        The mail system

<iris@example.org>: 550 5.1.1 <iris@example.org>: Recipient address rejected: User unknown
`), []layoutRecip{{"iris@example.org", failed, "550", "5.1.1"}}},
		{"icewarp/reason line", bounceMail("Mail Delivery System <postmaster@example.net>", "Undeliverable message", `The following message has not been delivered to these recipients:

  jack@example.org

Reason: 550 5.1.1 <jack@example.org>: Recipient address rejected: User unknown
`), []layoutRecip{{"jack@example.org", failed, "550", "5.1.1"}}},
		{"mercury/errors for", bounceMail("Mercury 32 <postmaster@example.net>", "Delivery failure", `This message is a delivery status notification from Mercury/32 v4.9
at mail.example.net.

The message could not be delivered to the following recipients:

*** Errors for kate@example.org ***
  550 5.1.1 <kate@example.org>: Recipient address rejected: User unknown

*** Errors for liam@example.org ***
  452 4.2.2 Mailbox full
`), []layoutRecip{{"kate@example.org", failed, "550", "5.1.1"}, {"liam@example.org", failed, "452", "4.2.2"}}},
		{"kerio/smtp reply after address", bounceMail("Mail Delivery Subsystem <postmaster@example.net>", "Undeliverable: hello", `Your message did not reach some or all of the intended recipients.

      Subject:  hello
      Sent:     12/1/2026 10:00 AM

The following recipient(s) could not be reached:

      mona@example.org on 12/1/2026 10:00 AM
            550 5.1.1 <mona@example.org>: Recipient address rejected: User unknown
`), []layoutRecip{{"mona@example.org", failed, "550", "5.1.1"}}},
		{"smartermail/failed permanently", bounceMail("Mail Delivery System <postmaster@example.net>", "Undeliverable: hello", `Delivery to the following recipients failed permanently:

    ned@example.org

Technical details of permanent failure:
The remote server returned: 550 5.1.1 <ned@example.org>: Recipient address rejected: User unknown
`), []layoutRecip{{"ned@example.org", failed, "550", "5.1.1"}}},
		{"facebook/refused", bounceMail("Facebook <mailer-daemon@mx.facebook.com>", "Sorry, your message could not be delivered", `This message was created automatically by Facebook.

Your message could not be delivered to the following address(es):

olive@facebook.com

Reason: 550 5.1.1 RCP-P1 Unknown user
`), []layoutRecip{{"olive@facebook.com", failed, "550", "5.1.1"}}},
		{"generic/rcpt to transcript, two recipients", bounceMail("Mail Delivery System <postmaster@example.net>", "Undelivered mail", `Your message could not be delivered.

Transcript:
RCPT TO:<pat@example.org>
550 5.1.1 No such user
RCPT TO:<quentin@example.org>
452 4.2.2 Mailbox over quota
`), []layoutRecip{{"pat@example.org", failed, "550", "5.1.1"}, {"quentin@example.org", failed, "452", "4.2.2"}}},

		// Second round: more template versions and layouts.
		{"notes/two reasons, each above its address", bounceMail("Postmaster <postmaster@example.net>", "Undeliverable Message", `------- Failure Reasons  --------

User not listed in public Name & Address Book
ruth@example.org
No route found to domain nonexistent.example from server MX1/Example
sam@nonexistent.example

------- Returned Message --------
`), []layoutRecip{{"ruth@example.org", failed, "", ""}, {"sam@nonexistent.example", failed, "", ""}}},
		{"outlook/old dsn text, two recipients, no status part", bounceMail("postmaster@hotmail.com", "Delivery Status Notification (Failure)", `This is an automatically generated Delivery Status Notification.

Delivery to the following recipients failed.

       tina@example.org
       ulf@example.org
`), []layoutRecip{{"tina@example.org", failed, "", ""}, {"ulf@example.org", failed, "", ""}}},
		{"zoho/two lines", bounceMail("mailer-daemon@mail.zoho.com", "Undelivered Mail Returned to Sender", `This message was created automatically by mail delivery software.
A message that you sent could not be delivered to one or more of its recipients. This is a permanent error.

vera@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <vera@example.org>... User Unknown
will@example.org Error, ERROR_CODE :552, ERROR_CODE :5.2.2 Mailbox full
`), []layoutRecip{{"vera@example.org", failed, "550", "5.1.1"}, {"will@example.org", failed, "552", "5.2.2"}}},
		{"mailru/russian only", bounceMail("Mail Delivery System <mailer-daemon@corp.mail.ru>", "Mail failure.", `Это письмо создано автоматически сервером Mail.Ru, отвечать на него не нужно.

К сожалению, Ваше письмо не может быть доставлено одному или нескольким получателям:

  xena@example.org
    SMTP error from remote mail server after RCPT TO:<xena@example.org>:
    host mx.example.org [192.0.2.1]: 550 5.1.1 <xena@example.org>: Recipient address rejected: User unknown

Рекомендуем Вам проверить корректность указания адресов получателей.
`), []layoutRecip{{"xena@example.org", failed, "550", "5.1.1"}}},
		{"exchange/office365 html only", bounceMIME("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>", "Undeliverable: hello", "text/html; charset=utf-8", `<html><body>
<p><b><font color="#000066" size="3" face="Arial">Delivery has failed to these recipients or groups:</font></b></p>
<font color="#000000" size="2" face="Tahoma"><p><a href="mailto:yara@example.org">yara@example.org</a><br>
</font><font color="#000000" size="3" face="Arial">The email address you entered couldn't be found. Please check the recipient's email address and try to send the message again.</font></p>
<br><br>
<font color="#808080" size="2" face="Tahoma"><p><b>Diagnostic information for administrators:</b></p>
<p>Generating server: DB6PR01MB1234.eurprd01.prod.outlook.com<br>
</p>
<p>yara@example.org<br>
Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient yara@example.org not found by SMTP address lookup'<br>
</p>
<p>Original message headers:</p>
<pre>From: Sender &lt;sender@example.net&gt;
</pre></font></body></html>
`), []layoutRecip{{"yara@example.org", failed, "550", "5.1.10"}}},
		{"rfc3464/x400 final recipient, smtp original", bounceMIME("postmaster@example.net", "Undeliverable: hello", `multipart/report; report-type=delivery-status; boundary="b1"`, `--b1
Content-Type: text/plain

Your message did not reach some or all of the intended recipients.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns;mx1.example.net

Original-Recipient: rfc822;zeno@example.org
Final-Recipient: X400;/c=US/a= /p=Example/o=MX1/s=Zeno/
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp;550 5.1.1 unknown recipient

--b1--
`), []layoutRecip{{"zeno@example.org", failed, "550", "5.1.1"}}},
		{"exchange2003/two recipients", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", `Your message

  To:      abel@example.org; bea@example.org
  Subject: hello
  Sent:    Tue, 1 Dec 2026 10:00:00 +0000

did not reach the following recipient(s):

abel@example.org on Tue, 1 Dec 2026 10:00:05 +0000
    The e-mail account does not exist at the organization this message was sent to.  Check the e-mail address, or contact the recipient directly to find out the correct address.
    <mx1.example.net #5.1.1>

bea@example.org on Tue, 1 Dec 2026 10:00:05 +0000
    The recipient's mailbox is full.
    <mx1.example.net #5.2.2>
`), []layoutRecip{{"abel@example.org", failed, "", "5.1.1"}, {"bea@example.org", failed, "", "5.2.2"}}},
		{"exchange55/dda smtp address", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", `Your message

  To:      Cai
  Subject: hello
  Sent:    Tue, 1 Dec 2026 10:00:00 +0000

did not reach the following recipient(s):

c=US;a= ;p=Example;o=MX1;dda:SMTP=cai@example.org; on Tue, 1 Dec 2026 10:00:05 +0000
    The recipient name is not recognized
	The MTS-ID of the original message is: c=us;a= ;p=example;l=MX1-0612011000-1
    MSEXCH:IMS:Example:SITE:MX1 0 (000C05A6) Unknown Recipient
`), []layoutRecip{{"cai@example.org", failed, "", ""}}},
		{"sendmail/transient non-fatal", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Warning: could not send message for past 4 hours", `    **********************************************
    **      THIS IS A WARNING MESSAGE ONLY      **
    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **
    **********************************************

The original message was received at Tue, 1 Dec 2026 05:59:58 GMT
from client.example.net [192.0.2.9]

   ----- The following addresses had transient non-fatal errors -----
<dina@example.org>
    (reason: 451 4.3.0 Temporary system failure)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> DATA
<<< 451 4.3.0 Temporary system failure
<dina@example.org>... Deferred: 451 4.3.0 Temporary system failure
Warning: message still undelivered after 4 hours
Will keep trying until message is 5 days old
`), []layoutRecip{{"dina@example.org", delayed, "451", "4.3.0"}}},
		{"sendmail/v5 transcript only", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: User unknown", `   ----- Transcript of session follows -----
550 <egon@example.org>... User unknown

   ----- Unsent message follows -----
`+returned), []layoutRecip{{"egon@example.org", failed, "550", ""}}},
		{"qmail/queue too long", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<fay@example.org>:
I'm not going to try again; this message has been in the queue too long.

--- Below this line is a copy of the message.
`), []layoutRecip{{"fay@example.org", failed, "", ""}}},
		{"qmail/wrapped remote answer, three recipients", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<gil@example.org>:
192.0.2.1 failed after I sent the message.
Remote host said: 552-5.2.2 The email account that you tried to reach is over quota.
552 5.2.2 Please direct the recipient to the quota page

<hal@example.org>:
192.0.2.1 does not like recipient.
Remote host said: 550 5.1.1 No such user
Giving up on 192.0.2.1.

<ida@example.org>:
Connected to 192.0.2.1 but sender was rejected.
Remote host said: 553 5.7.1 Sender address rejected: Access denied

--- Below this line is a copy of the message.
`), []layoutRecip{{"gil@example.org", failed, "552", "5.2.2"}, {"hal@example.org", failed, "550", "5.1.1"}, {"ida@example.org", failed, "553", "5.7.1"}}},
		{"courier/delayed", bounceMail("Courier mail server at mx.example.net <@>", "WARNING: delivery status notification.", `This is a delivery status notification from mx.example.net,
running the Courier mail server, version 1.1.

The original message was received on Tue, 01 Dec 2026 05:59:58 +0000
from localhost [127.0.0.1]

---------------------------------------------------------------------------

                              DELAYED MAIL

Your message to the following recipients has been delayed. Delivery attempts
will continue to be made for a limited time period.

<jon@example.org>:
    mx.example.org [192.0.2.1]:
>>> RCPT TO:<jon@example.org>
<<< 451 4.7.1 Greylisted, try again later

---------------------------------------------------------------------------
`), []layoutRecip{{"jon@example.org", delayed, "451", "4.7.1"}}},
		{"exim/pipe generated by", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  pipe to |/usr/local/bin/filter
    generated by kim@example.org
    local delivery failed
`), []layoutRecip{{"kim@example.org", failed, "", ""}}},
		{"exim/alias and several lines of reply", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  lou@example.org
    (generated from staff@example.net)
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after RCPT TO:<lou@example.org>:
    550-5.1.1 The email account that you tried to reach does not exist. Please try
    550-5.1.1 double-checking the recipient's email address for typos or
    550 5.1.1 unnecessary spaces.
  max@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after end of data:
    552 5.2.2 The email account that you tried to reach is over quota.
`), []layoutRecip{{"lou@example.org", failed, "550", "5.1.1"}, {"max@example.org", failed, "552", "5.2.2"}}},
		{"yahoo/newer heading", bounceMail("MAILER-DAEMON@yahoo.com", "Failure Notice", `Message from yahoo.com.
Unable to deliver message to the following address(es).

<nell@example.org>:
192.0.2.1 failed after I sent the message.
Remote host said: 554 5.7.1 Message rejected as spam by Content Filtering.

--- Below this line is a copy of the message.
`), []layoutRecip{{"nell@example.org", failed, "554", "5.7.1"}}},
		{"generic/address-colon-reply lines", bounceMail("Mail Delivery System <postmaster@example.net>", "Undelivered mail", `Delivery to the following addresses failed:

<otto@example.org>: 550 5.1.1 No such user
<pia@example.org>: 552 5.2.2 Over quota
`), []layoutRecip{{"otto@example.org", failed, "550", "5.1.1"}, {"pia@example.org", failed, "552", "5.2.2"}}},
		{"generic/address line then reply line", bounceMail("Mail Delivery System <postmaster@example.net>", "Delivery failure", `Could not deliver the message to:

rex@example.org
550 5.1.1 User unknown

sue@example.org
554 5.7.1 Rejected by policy
`), []layoutRecip{{"rex@example.org", failed, "550", "5.1.1"}, {"sue@example.org", failed, "554", "5.7.1"}}},
		{"dovecot/sieve rejection", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@example.org>", "Rejected: hello", `Your message to <tom@example.org> was automatically rejected:
Quota exceeded (mailbox for user is full)
`), []layoutRecip{{"tom@example.org", failed, "", ""}}},
		{"postfix/dsn without diagnostic code, text has it", bounceMIME("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", `multipart/report; report-type=delivery-status; boundary="b2"`, `--b2
Content-Type: text/plain

This is the mail system at host mx.example.net.

<una@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 <una@example.org>:
    Recipient address rejected: User unknown (in reply to RCPT TO command)

<val@example.org>: host mx.example.org[192.0.2.1] said: 452 4.2.2 Mailbox full
    (in reply to RCPT TO command)

--b2
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; una@example.org
Action: failed
Status: 5.0.0

Final-Recipient: rfc822; val@example.org
Action: delayed
Status: 4.0.0

--b2--
`), []layoutRecip{{"una@example.org", failed, "550", "5.1.1"}, {"val@example.org", delayed, "452", "4.2.2"}}},

		// Third round: families the samples lack, in the layouts their software writes.
		{"james/message details", bounceMail("MAILER-DAEMON@mx.example.net", "[BOUNCE]", `Hi. This is the James mail server at mx.example.net.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.  Below
I include the list of recipients and the reason why I was unable to deliver
your message.

Original email

Message details:
  Subject: hello
  Sent date: Tue Dec 01 10:00:00 UTC 2026
  MAIL FROM: sender@example.net
  RCPT TO: ava@example.org
  From: Sender <sender@example.net>
  To: ava@example.org
  Size (in bytes): 1024
  Number of lines: 12

Error message:
  550 - Requested action not taken: no such user here
`), []layoutRecip{{"ava@example.org", failed, "550", ""}}},
		{"mailmarshal/with additional information", bounceMail("postmaster@example.net", "Undeliverable mail: hello", `Your message:
   From:    sender@example.net
   Subject: hello

Could not be delivered because of

550 5.1.1 User unknown

The following recipients were affected:
    bo@example.org

Additional Information
======================

Original Sender:    <sender@example.net>
Sender-MTA:         <192.0.2.9>
Remote-MTA:         <192.0.2.1>
Reporting-MTA:      <relay.example.net>
ReportingMTA-Time:  <20261201100000000+00:00>
`), []layoutRecip{{"bo@example.org", failed, "550", "5.1.1"}}},
		{"interscan/sent and received", bounceMail("InterScan MSS <postmaster@example.net>", "Mail could not be delivered", `Mail could not be delivered to the following recipients:

Sent <<< RCPT TO:<cy@example.org>
Received >>> 550 5.1.1 <cy@example.org>... user unknown

Unable to deliver message to <cy@example.org>.
`), []layoutRecip{{"cy@example.org", failed, "550", "5.1.1"}}},
		{"surfcontrol/transcript of attempts", bounceMail("postmaster@example.net", "Mail could not be delivered", `Your message could not be sent.
A transcript of the attempts to send the message follows.
The number of attempts made: 1
Addressed To: dee@example.org

Tue 01 Dec 2026 10:00:00 +0000
Failed to send to identified host,
dee@example.org: [192.0.2.1], 550 dee@example.org... No such user
--- Message non-deliverable.
`), []layoutRecip{{"dee@example.org", failed, "550", ""}}},
		{"mcafee/delivery problems", bounceMail("postmaster@example.net", "Delivery Status Notification (Failure)", `--- The following addresses had delivery problems ---

<eli@example.org>   (User unknown eli@example.org)

`), []layoutRecip{{"eli@example.org", failed, "", ""}}},
		{"generic/recipient and reply on one line after a label", bounceMail("Mail Delivery System <postmaster@example.net>", "Undeliverable message", `The message could not be delivered.

Recipient: fox@example.org
Reason: 550 5.1.1 mailbox unavailable

Recipient: gia@example.org
Reason: 452 4.2.2 mailbox full
`), []layoutRecip{{"fox@example.org", failed, "550", "5.1.1"}, {"gia@example.org", failed, "452", "4.2.2"}}},
		{"generic/display names in the list", bounceMail("Mail Delivery System <postmaster@example.net>", "Delivery failure", `Delivery to the following recipients failed:

   Hugo Example <hugo@example.org>
     550 5.1.1 User unknown
   "Example, Ines" <ines@example.org>
     550 5.1.1 User unknown
`), []layoutRecip{{"hugo@example.org", failed, "550", "5.1.1"}, {"ines@example.org", failed, "550", "5.1.1"}}},
		{"postfix/address upper case and idn domain", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixShortIntro+`<Joe.Example@Example.ORG>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    User unknown (in reply to RCPT TO command)
`), []layoutRecip{{"Joe.Example@Example.ORG", failed, "550", "5.1.1"}}},
		{"exim/german template", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", `Diese Nachricht wurde automatisch von der Mail-Software erstellt.

Eine von Ihnen gesendete Nachricht konnte einem oder mehreren
Empfängern nicht zugestellt werden. Dies ist ein permanenter Fehler.
Die folgenden Adressen schlugen fehl:

  kai@example.org
    SMTP error from remote mail server after RCPT TO:<kai@example.org>:
    550 5.1.1 <kai@example.org>: Recipient address rejected: User unknown
`), []layoutRecip{{"kai@example.org", failed, "550", "5.1.1"}}},
		{"sendmail/no reason line, transcript only", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", `The original message was received at Tue, 1 Dec 2026 09:59:58 GMT
from client.example.net [192.0.2.9]

   ----- The following addresses had permanent fatal errors -----
<lea@example.org>

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> DATA
<<< 554 5.7.1 Message rejected as spam
554 5.0.0 Service unavailable
`), []layoutRecip{{"lea@example.org", failed, "554", "5.7.1"}}},
		{"qmail/delay warning of netqmail patches", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<mia@example.org>:
Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)
I'm not going to try again; this message has been in the queue too long.
`), []layoutRecip{{"mia@example.org", failed, "", "4.4.1"}}},
		{"exchange/plain text delay with several retries", bounceMail("Microsoft Outlook <postmaster@example.net>", "Delivery delayed:hello", `Delivery is delayed to these recipients or groups:

nia@example.org

Subject: hello

This message hasn't been delivered yet. Delivery will continue to be attempted.

Diagnostic information for administrators:

Generating server: mx1.example.net

nia@example.org
12/1/2026 10:05:00 AM - Remote Server at mx.example.org (192.0.2.1) returned '451 4.7.500 Server busy. Please try again later.'
12/1/2026 10:00:00 AM - Remote Server at mx.example.org (192.0.2.1) returned '451 4.7.500 Server busy. Please try again later.'
`), []layoutRecip{{"nia@example.org", delayed, "451", "4.7.500"}}},

		// Fourth round: delay notices and bounces inside other mails.
		{"exchange2003/delay dsn text", bounceMail("postmaster@example.net", "Delivery Status Notification (Delay)", `This is an automatically generated Delivery Status Notification.

THIS IS A WARNING MESSAGE ONLY.

YOU DO NOT NEED TO RESEND YOUR MESSAGE.

Delivery to the following recipients has been delayed.

       olga@example.org
`), []layoutRecip{{"olga@example.org", delayed, "", ""}}},
		{"generic/mail delivery warning", bounceMail("Mail Delivery System <postmaster@example.net>", "Mail Delivery Warning", `This is an advisory-only email. Please do not reply to it.

Delivery of your message to paul@example.org has been postponed
due to a full mailbox. We will continue to try to deliver your message
over the next few days.

Reason: 452 4.2.2 Mailbox full
`), []layoutRecip{{"paul@example.org", delayed, "452", "4.2.2"}}},
		{"rfc3464/forwarded as an attachment", bounceMIME("Helpdesk <helpdesk@example.net>", "Fwd: Undelivered Mail Returned to Sender", `multipart/mixed; boundary="outer"`, `--outer
Content-Type: text/plain

Forwarding the bounce below, can you check this?

--outer
Content-Type: message/rfc822

From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: sender@example.net
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="inner"

--inner
Content-Type: text/plain

This is the mail system at host mx.example.net.

<rosa@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <rosa@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)

--inner
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; rosa@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <rosa@example.org>: Recipient address rejected: User unknown

--inner--

--outer--
`), []layoutRecip{{"rosa@example.org", failed, "550", "5.1.1"}}},
		{"rfc3464/two delayed, status part only", bounceMIME("MAILER-DAEMON@mx.example.net", "Delivery Status Notification (Delay)", `multipart/report; report-type=delivery-status; boundary="b3"`, `--b3
Content-Type: text/plain

Delivery is delayed.

--b3
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Tue, 1 Dec 2026 06:00:00 +0000

Final-Recipient: rfc822; sid@example.org
Action: delayed
Status: 4.4.1
Will-Retry-Until: Sat, 5 Dec 2026 06:00:00 +0000

Final-Recipient: rfc822; tess@example.org
Action: delayed
Status: 4.7.1
Diagnostic-Code: smtp; 451 4.7.1 Greylisted

--b3--
`), []layoutRecip{{"sid@example.org", delayed, "", "4.4.1"}, {"tess@example.org", delayed, "451", "4.7.1"}}},
		{"rfc3464/utf-8 address (RFC 6533)", bounceMIME("MAILER-DAEMON@mx.example.net", "Undelivered Mail Returned to Sender", `multipart/report; report-type=delivery-status; boundary="b4"`, `--b4
Content-Type: text/plain

This is the mail system at host mx.example.net.

--b4
Content-Type: message/global-delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: utf-8; ünal@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--b4--
`), []layoutRecip{{"ünal@example.org", failed, "550", "5.1.1"}}},
		{"exim/x-failed-recipients with two and a delay line", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  vic@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after RCPT TO:<vic@example.org>:
    550 5.1.1 <vic@example.org>: Recipient address rejected: User unknown
  wes@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after MAIL FROM:<sender@example.net> SIZE=1234:
    552 5.3.4 Message size exceeds fixed maximum message size
`), []layoutRecip{{"vic@example.org", failed, "550", "5.1.1"}, {"wes@example.org", failed, "552", "5.3.4"}}},
		{"postfix/smtputf8 and expanded from", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixShortIntro+`<xia@example.org> (expanded from <team@example.net>): host
    mx.example.org[192.0.2.1] said: 554 5.7.1 <xia@example.org>: Relay access
    denied (in reply to RCPT TO command)

<yul@example.org> (expanded from <team@example.net>): mail for example.org
    loops back to myself
`), []layoutRecip{{"xia@example.org", failed, "554", "5.7.1"}, {"yul@example.org", failed, "", ""}}},

		// Fifth round: what the dev samples' own templates show when their delivery-status
		// part is taken away.
		{"postfix/long host name wraps the reply to the next line", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixShortIntro+`<zoe@example.org>: host mx-in.mail.gm0.long-provider-name.example[192.0.2.80] said:
    554 5.7.9 Message not accepted for policy reasons. See
    https://postmaster.example.org/error-codes (in reply to end of DATA
    command)
`), []layoutRecip{{"zoe@example.org", failed, "554", "5.7.9"}}},
		{"postfix/indented first line", bounceMIME("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", `multipart/mixed; boundary="b5"`, `--b5
Content-Type: text/plain

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

 <ada@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 User
    unknown (in reply to RCPT TO command)

--b5
Content-Type: message/rfc822

From: Sender <sender@example.net>
To: ada@example.org
Subject: hello

hello
--b5--
`), []layoutRecip{{"ada@example.org", failed, "550", "5.1.1"}}},
		{"surfcontrol/empty return path, could not be sent", "Return-Path: <>\r\nFrom: <>\r\nTo: <sender@example.net>\r\nSubject: hello\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n" + strings.ReplaceAll(`Your message could not be sent.
A transcript of the attempts to send the message follows.
The number of attempts made: 1
Addressed To: bea@example.org

Tue, 01 Dec 2026 10:00:00 +0000
Failed to send to identified host,
bea@example.org: [192.0.2.1], 554 Service currently unavailable
--- Message non-deliverable.
`, "\n", "\r\n"), []layoutRecip{{"bea@example.org", failed, "554", ""}}},

		// Sixth round: the other messages these MTAs' sources write.
		{"exim/ultimately generated and save to", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  save to /var/mail/archive/box
    generated by bill@example.org
    failed to open mailbox /var/mail/archive/box
  cole@example.org
    (ultimately generated from list@example.net)
    Too many "Received" headers - suspected mail loop
`), []layoutRecip{{"bill@example.org", failed, "", ""}, {"cole@example.org", failed, "", ""}}},
		{"exim/pipelined rcpt and retry time", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  dana@example.org
    SMTP error from remote mail server after pipelined RCPT TO:<dana@example.org>:
    550 5.1.1 User unknown
  earl@example.org
    all hosts for 'example.org' have been failing for a long time (and retry time not reached)
`), []layoutRecip{{"dana@example.org", failed, "550", "5.1.1"}, {"earl@example.org", failed, "", ""}}},
		{"exim/address in angle brackets", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  <fred@example.org>
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after RCPT TO:<fred@example.org>:
    550 5.1.1 User unknown
`), []layoutRecip{{"fred@example.org", failed, "550", "5.1.1"}}},
		{"sendmail/addresses without brackets", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", `The original message was received at Tue, 1 Dec 2026 09:59:58 GMT
from client.example.net [192.0.2.9]

   ----- The following addresses had permanent fatal errors -----
gwen@example.org
    (reason: 550 5.1.1 User unknown)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> RCPT To:<gwen@example.org>
<<< 550 5.1.1 User unknown
550 5.1.1 gwen@example.org... User unknown
`), []layoutRecip{{"gwen@example.org", failed, "550", "5.1.1"}}},
		{"sendmail/host unknown for several", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", `The original message was received at Tue, 1 Dec 2026 09:59:58 GMT
from client.example.net [192.0.2.9]

   ----- The following addresses had permanent fatal errors -----
<hans@nonexistent.example>
    (reason: 550 Host unknown)
<ilse@nonexistent.example>
    (reason: 550 Host unknown)

   ----- Transcript of session follows -----
550 5.1.2 <hans@nonexistent.example>... Host unknown (Name server: nonexistent.example: host not found)
550 5.1.2 <ilse@nonexistent.example>... Host unknown (Name server: nonexistent.example: host not found)
`), []layoutRecip{{"hans@nonexistent.example", failed, "550", "5.1.2"}, {"ilse@nonexistent.example", failed, "550", "5.1.2"}}},
		{"qmail/control locals and no longer accepts", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<jan@example.org>:
Sorry. Although I'm listed as a best-preference MX or A for that host,
it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)

<kay@example.net>:
This address no longer accepts mail.

--- Below this line is a copy of the message.
`), []layoutRecip{{"jan@example.org", failed, "", "5.4.6"}, {"kay@example.net", failed, "", ""}}},
		{"qmail/greeting failed and vpopmail", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<lara@example.org>:
Connected to 192.0.2.1 but greeting failed.
Remote host said: 554 mx.example.org ESMTP not accepting messages
Giving up on 192.0.2.1.

<moe@example.net>:
Sorry, no mailbox here by that name. vpopmail (#5.1.1)

--- Below this line is a copy of the message.
`), []layoutRecip{{"lara@example.org", failed, "554", ""}, {"moe@example.net", failed, "", "5.1.1"}}},
		{"qmail/no blank lines between recipients", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<ned@example.org>:
192.0.2.1 does not like recipient.
Remote host said: 550 5.1.1 No such user
Giving up on 192.0.2.1.
<ona@example.org>:
192.0.2.1 does not like recipient.
Remote host said: 550 5.2.1 Mailbox disabled
Giving up on 192.0.2.1.

--- Below this line is a copy of the message.
`), []layoutRecip{{"ned@example.org", failed, "550", "5.1.1"}, {"ona@example.org", failed, "550", "5.2.1"}}},

		{"exchange/office365 2017 layout in html only", bounceMIME("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>", "Undeliverable: hello", "text/html; charset=utf-8", `<html><head><style>p {margin:0}</style></head><body>
<div style="font-family:'Segoe UI'"><p style="font-size:17pt">Your message to <a href="mailto:pat@example.org">pat@example.org</a> couldn't be delivered.</p>
<p><b>pat</b> wasn't found at <b>example.org</b>.</p>
<table><tr><td>sender</td><td>Office 365</td><td>pat</td></tr>
<tr><td>Action Required</td><td></td><td>Recipient</td></tr></table>
<p><b>Unknown To address</b></p>
<p><b>More Info for Email Admins</b></p>
<p><em>Status code: 550 5.1.10</em></p>
<p>This error occurs because the sender sent a message to an email address hosted by Office 365 but the address is incorrect or doesn't exist at the destination domain.</p>
<p><b>Original Message Details</b></p>
<table><tr><td>Created Date:</td><td>12/1/2026 10:00:00 AM</td></tr>
<tr><td>Sender Address:</td><td>sender@example.net</td></tr>
<tr><td>Recipient Address:</td><td>pat@example.org</td></tr>
<tr><td>Subject:</td><td>hello</td></tr></table>
<p><b>Error Details</b></p>
<table><tr><td>Reported error:</td><td><em>550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup</em></td></tr>
<tr><td>DSN generated by:</td><td>AM0PR01MB1234.eurprd01.prod.outlook.com</td></tr></table>
</div></body></html>
`), []layoutRecip{{"pat@example.org", failed, "550", "5.1.10"}}},

		{"domino/two recipients, one reason, indented headings", bounceMail("Mail Router <MAILER-DAEMON@example.net>", "DELIVERY FAILURE: User not listed in Domino Directory", ` Your message

   Subject: hello

 was not delivered to:

   quinn@example.org
   rhea@example.org

 because:

   User quinn (quinn@example.org) not listed in Domino Directory
`), []layoutRecip{{"quinn@example.org", failed, "", ""}, {"rhea@example.org", failed, "", ""}}},
		{"gmail/old text, two recipients", bounceMail("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Failure)", `Delivery to the following recipients failed permanently:

     sven@example.org
     tara@example.org

Technical details of permanent failure:
Google tried to deliver your message, but it was rejected by the server for the recipient domain example.org by mx.example.org. [192.0.2.1].

The error that the other server returned was:
550 5.1.1 <sven@example.org>... User unknown

----- Original message -----
`), []layoutRecip{{"sven@example.org", failed, "550", "5.1.1"}, {"tara@example.org", failed, "550", "5.1.1"}}},

		{"bigfoot/transcript naming the recipient only in the session", bounceMail("Mail Delivery Subsystem <postmaster@bigfoot.example>", "Returned mail: see transcript for details", `  ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> RCPT TO:<uri@example.org>
<<< 553 Invalid recipient <uri@example.org> (Mode: normal)

  ----- Unsent message follows -----
`+returned), []layoutRecip{{"uri@example.org", failed, "553", ""}}},
		{"sendmail/transcript with rcpt lines and no own line", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", `The original message was received at Tue, 1 Dec 2026 09:59:58 GMT
from client.example.net [192.0.2.9]

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> RCPT To:<vera@example.org>
<<< 550 5.1.1 Mailbox unavailable
>>> RCPT To:<wade@example.org>
<<< 452 4.2.2 Over quota
`), []layoutRecip{{"vera@example.org", failed, "550", "5.1.1"}, {"wade@example.org", failed, "452", "4.2.2"}}},

		{"postfix/address forms", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixShortIntro+`<xan+news@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 User
    unknown (in reply to RCPT TO command)

<"yo yo"@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 User
    unknown (in reply to RCPT TO command)

<ünal@bücher.example>: host mx.xn--bcher-kva.example[192.0.2.1] said: 550 5.1.1
    User unknown (in reply to RCPT TO command)
`), []layoutRecip{{"xan+news@example.org", failed, "550", "5.1.1"}, {`"yo yo"@example.org`, failed, "550", "5.1.1"}, {"ünal@bücher.example", failed, "550", "5.1.1"}}},
		{"rfc3464/x500 final recipient, smtp in the text", bounceMIME("postmaster@example.net", "Undeliverable: hello", `multipart/report; report-type=delivery-status; boundary="b6"`, `--b6
Content-Type: text/plain

Delivery has failed to these recipients or groups:

abe@example.org
The email address you entered couldn't be found.

--b6
Content-Type: message/delivery-status

Reporting-MTA: dns;mx1.example.net

Final-Recipient: rfc822;IMCEAEX-_O=EXAMPLE_OU=EXCHANGE+20ADMINISTRATIVE+20GROUP_CN=RECIPIENTS_CN=abe@example.net
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp;550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found

--b6--
`), []layoutRecip{{"abe@example.org", failed, "550", "5.1.1"}}},

		{"generic/warning that promises a notice if delivery fails permanently", bounceMail("Mail Delivery System <postmaster@example.net>", "Warning: message delayed", `This is a warning message only. Your message has not yet been delivered
to the recipient below. Delivery attempts will continue; you will get
another notice if delivery fails permanently.

  cleo@example.org
    451 4.4.1 Connection timed out
`), []layoutRecip{{"cleo@example.org", delayed, "451", "4.4.1"}}},
		{"generic/failure that says it is permanent", bounceMail("Mail Delivery System <postmaster@example.net>", "Delivery failure", `Delivery attempts will not continue: this is a permanent error.

  drew@example.org
    550 5.1.1 User unknown
`), []layoutRecip{{"drew@example.org", failed, "550", "5.1.1"}}},

		{"exim/delay warning, two addresses without reasons", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Warning: message 1sAbCd-000123-Xy delayed 4 hours", `This message was created automatically by mail delivery software.
A message that you sent has not yet been delivered to one or more of its
recipients after more than 4 hours on the queue on mx.example.net.

The message identifier is:     1sAbCd-000123-Xy
The subject of the message is: hello
The date of the message is:    Tue, 01 Dec 2026 06:00:00 +0000

The addresses to which the message has not yet been delivered are:

  eve@example.org
  finn@example.org

`+eximWarningEnd), []layoutRecip{{"eve@example.org", delayed, "", ""}, {"finn@example.org", delayed, "", ""}}},
		{"postfix/success notice", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Successful Mail Delivery Report", `This is the mail system at host mx.example.net.

Your message was successfully delivered to the destination(s)
listed below. If the message was delivered to mailbox you will
receive no further notifications. Otherwise you may still receive
notifications of mail delivery errors from other systems.

                   The mail system

<gabe@example.org>: delivery via mx.example.org[192.0.2.1]:25: 250 2.0.0 Ok:
    queued as 4Abc1
`), []layoutRecip{{"gabe@example.org", classify.ActionDelivered, "250", "2.0.0"}}},

		{"generic/html only", bounceMIME("Mail Delivery System <postmaster@example.net>", "Undeliverable: hello", "text/html; charset=utf-8", `<html><body>
<p>Delivery to the following recipient failed:</p>
<table><tr><td><b>hope@example.org</b></td><td>550 5.1.1 User unknown</td></tr>
<tr><td><b>ivo@example.org</b></td><td>552 5.2.2 Mailbox full</td></tr></table>
</body></html>
`), []layoutRecip{{"hope@example.org", failed, "550", "5.1.1"}, {"ivo@example.org", failed, "552", "5.2.2"}}},

		// Seventh round: several recipients with different answers in the provider layouts.
		{"courier/two recipients", bounceMail("Courier mail server at mx.example.net <@>", "NOTICE: mail delivery status.", `This is a delivery status notification from mx.example.net,
running the Courier mail server, version 1.1.

---------------------------------------------------------------------------

                           UNDELIVERABLE MAIL

Your message to the following recipients cannot be delivered:

<jade@example.org>:
    mx.example.org [192.0.2.1]:
>>> RCPT TO:<jade@example.org>
<<< 550 5.1.1 <jade@example.org>: Recipient address rejected: User unknown

<kurt@example.org>:
    mx.example.org [192.0.2.1]:
>>> DATA
<<< 552 5.3.4 Message too big

---------------------------------------------------------------------------
`), []layoutRecip{{"jade@example.org", failed, "550", "5.1.1"}, {"kurt@example.org", failed, "552", "5.3.4"}}},
		{"opensmtpd/two recipients, indented template", bounceMail("Mailer Daemon <MAILER-DAEMON@mx.example.net>", "Delivery status notification: error", `    Hi!

    This is the MAILER-DAEMON, please DO NOT REPLY to this email.

    An error has occurred while attempting to deliver a message for
    the following list of recipients:

lisa@example.org: 550 5.1.1 <lisa@example.org>: Recipient address rejected: User unknown

mark@example.org: 552 5.2.2 Mailbox full

    Below is a copy of the original message:
`), []layoutRecip{{"lisa@example.org", failed, "550", "5.1.1"}, {"mark@example.org", failed, "552", "5.2.2"}}},
		{"opensmtpd/delay, rewrapped", bounceMail("Mailer Daemon <MAILER-DAEMON@mx.example.net>", "Delivery status notification: delay", `Hi!

This is the MAILER-DAEMON, please DO NOT REPLY to this email.

A message is delayed for more than 4 hours for the following list of recipients:

nick@example.org: 421 4.7.0 Try again later

Please note that this is only a temporary failure report.
The message is kept in the queue for up to 4 days.
You DO NOT NEED to re-send the message to these recipients.
`), []layoutRecip{{"nick@example.org", delayed, "421", "4.7.0"}}},
		{"gmx/two addresses", bounceMail("Mail Delivery System <mailer-daemon@gmx.net>", "Mail delivery failed: returning message to sender", `This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of
its recipients. This is a permanent error. The following addresses
failed:

"opal@example.org":

SMTP error from remote server after RCPT command:
host: mx.example.org
550 5.1.1 <opal@example.org>: Recipient address rejected: User unknown

"piet@example.org":

SMTP error from remote server after RCPT command:
host: mx.example.org
552 5.2.2 Mailbox full

--- The header of the original message is following. ---
`), []layoutRecip{{"opal@example.org", failed, "550", "5.1.1"}, {"piet@example.org", failed, "552", "5.2.2"}}},
		{"yahoo/two addresses", bounceMail("MAILER-DAEMON@yahoo.com", "Failure Notice", `Sorry, we were unable to deliver your message to the following address.

<rita@example.org>:
Remote host said: 550 5.1.1 <rita@example.org>: Recipient address rejected: User unknown [RCPT_TO]

<saul@example.org>:
Remote host said: 552 5.2.2 Mailbox full [RCPT_TO]

--- Below this line is a copy of the message.
`), []layoutRecip{{"rita@example.org", failed, "550", "5.1.1"}, {"saul@example.org", failed, "552", "5.2.2"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkLayout(t, tc.mail, tc.want, layoutReaders[tc.name])
		})
	}
}

// checkLayout decodes a layout case's mail and checks that it yields exactly the wanted
// recipients, in order, each with its action and codes, each diagnostic holding its own
// reply and not another recipient's answer, and, when reader is not empty, that the named
// reader decoded it.
func checkLayout(t *testing.T, mail string, want []layoutRecip, reader string) {
	t.Helper()
	rep := dsn.ParseBytes([]byte(mail))
	var got []string
	for _, r := range rep.Recipients {
		got = append(got, fmt.Sprintf("%s %s reply=%s status=%s", r.Address, r.Action, r.Reply, r.Status))
	}
	var wantLines []string
	for _, w := range want {
		wantLines = append(wantLines, fmt.Sprintf("%s %s reply=%s status=%s", w.addr, w.action, w.reply, w.status))
	}
	if !slices.Equal(got, wantLines) {
		var diags []string
		for _, r := range rep.Recipients {
			diags = append(diags, r.Diagnostic)
		}
		t.Errorf("decoded by %s:\n got  %q\n want %q\n diagnostics %q", rep.Format, got, wantLines, diags)
	}
	// A recipient's diagnostic holds its own answer, not another recipient's.
	for i, r := range rep.Recipients {
		if i < len(want) && want[i].reply != "" && !strings.Contains(r.Diagnostic, string(want[i].reply)) {
			t.Errorf("%s's diagnostic %q lacks its reply %s", r.Address, r.Diagnostic, want[i].reply)
		}
		for j, o := range want {
			if i < len(want) && j != i && o.reply != "" && o.status != "" &&
				(o.reply != want[i].reply || o.status != want[i].status) &&
				strings.Contains(r.Diagnostic, string(o.reply)+" "+string(o.status)) {
				t.Errorf("%s's diagnostic %q holds %s's answer %s %s", r.Address, r.Diagnostic, o.addr, o.reply, o.status)
			}
		}
	}
	if reader != "" && rep.Format != reader {
		t.Errorf("decoded by %q, want %q", rep.Format, reader)
	}
}

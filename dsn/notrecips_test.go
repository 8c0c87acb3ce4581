package dsn_test

import (
	"strings"
	"testing"
)

// bounceWith builds a plain-text bounce from its own header lines (From, To, Subject and any
// others, one a line) and its body, for bounces sent to a list's bounce address or a VERP
// return path rather than to the sender.
func bounceWith(headers, body string) string {
	return strings.ReplaceAll(headers+"\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMessage-ID: <b3@mx.example.net>\n"+
		"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"+body, "\n", "\r\n")
}

// listHeaders are the headers of a bounce that a mailing list's return path received.
const listHeaders = `From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: team-bounces+alice=example.org@lists.example.net
Subject: Undelivered Mail Returned to Sender`

// notRecipsReaders names the reader that must decode a TestNotRecipients case.
var notRecipsReaders = map[string]string{}

// notRecipsOpen are the cases that still fail, each with what is wrong: they are skipped,
// not deleted, until a general rule reads them.
var notRecipsOpen = map[string]string{}

// TestNotRecipients is a held-out round on precision: bounces name many addresses that are
// not failed recipients, and reporting one would suppress a live address. Suggestions and
// alternatives ("try NAME@... instead", a directory listing, a moved user's new address),
// the mail system's own contacts (help desks, postmaster, abuse, administrators, mailto:
// links and addresses inside URLs), the sender's own addresses (envelope sender, From,
// Reply-To, a list's bounce and owner addresses, VERP return paths), and addresses inside
// another recipient's diagnostic, in quoted replies, Message-IDs, the returned message's
// Received lines and body. Only the failed recipients are wanted, each with its codes.
func TestNotRecipients(t *testing.T) {
	tests := []struct {
		name, mail string
		want       []layoutRecip
	}{
		// Directory gateways of universities and laboratories, which look the name up and
		// suggest other forms of it or other people.
		{"directory/standard form and locator listing", bounceMail("postmaster@example.gov (Automated response from the postmaster)", `FAILED MAIL to "user1" regarding "hello"`, `The standard form of email address at EXAMPLE is lastnameNumber@example.gov
although individuals may choose an alternate email address. The address to
which your message was addressed, user1@example.gov, did not exactly match an
EXAMPLE email address.

The following locator information may be of help in finding another means
of contacting "user1":

  Judy L. User            +1 925-555-0100       user4@example.gov
                             L-149


Original message as received is as follows:
========================================================================
>Return-Path: <sender@example.net>
>Received: from mx.example.net by gw.example.gov with ESMTP id OAA03514 for <user1@example.gov>; Tue, 1 Dec 2026 09:59:58 -0800
>From: sender@example.net
>To: user1@example.gov
>Subject: hello
`), []layoutRecip{{"user1@example.gov", failed, "", ""}}},
		{"directory/phquery, try the department's host instead", bounceMail("MAILER-DAEMON@mr.its.example.edu", "Returned mail - nameserver error report", ` --------Message not delivered to the following:

 userx    No matches to nameserver query

 --------Error Detail (phquery V4.1):

 The message, "No matches to nameserver query," is generated whenever
 the on-line directory fails to locate either a ph alias, name or
 nickname field that matches the supplied name.  The usual causes are
 typographical errors.  Recommended action is to query the on-line
 directory prior to mailing using the ''ph -s directory.example.edu NAME'',
 ''finger NAME@directory.example.edu'', or equivalent commands, where NAME
 is your party's name, email alias, or nickname.  If no lookup tools are
 available to you, try sending to the most explicit form of the name, e.g.,
 if mike.fox@example.edu fails, try michael.j.fox@example.edu.

 To reach a party that was formerly reachable by emailing NAME@example.edu,
 try emailing to NAME@cs.example.edu instead.


 --------Unsent Message below:

Received: from mx.example.net by mr.its.example.edu for <userx@example.edu>
From: sender@example.net
To: userx@example.edu
Subject: hello

 --------End of Unsent Message
`), []layoutRecip{{"userx@example.edu", failed, "", ""}}},
		// Headings of failed recipients that use the words of an offer in another sense:
		// the addresses below them failed.
		{"guard/recipients that could not be matched", bounceMail("Mail Gateway <postmaster@gw.example.net>", "Undeliverable mail", `Your message could not be delivered.

The following recipients could not be matched to a mailbox:

   alice@example.org
   bob@example.org

`), []layoutRecip{{"alice@example.org", failed, "", ""}, {"bob@example.org", failed, "", ""}}},
		{"guard/no alternative route for the recipients", bounceMail("Mail Gateway <postmaster@gw.example.net>", "Undeliverable mail", `Delivery failed. No alternative route was found for the following recipients:

   alice@example.org

`), []layoutRecip{{"alice@example.org", failed, "", ""}}},
		{"directory/phquery, ambiguous name with a list of matches", bounceMail("MAILER-DAEMON@mr.its.example.edu", "Returned mail - nameserver error report", ` --------Message not delivered to the following:

 j.smith@example.edu    Ambiguous name: multiple matches to nameserver query

 --------Error Detail (phquery V4.1):

 The message, "Ambiguous name," is generated whenever the name you used
 matches more than one entry of the on-line directory.  The entries it
 matched are:

    John A. Smith     Physics      john.a.smith@example.edu
    Jane Smith        Chemistry    jane.smith@example.edu

 Resend your message to the address of the party you meant.

 --------Unsent Message below:
`), []layoutRecip{{"j.smith@example.edu", failed, "", ""}}},
		{"directory/corporate directory offers the people who may be contacted", bounceMail("Directory Gateway <postmaster@example.com>", "Undeliverable mail: no such person", `Your message could not be delivered: no person named "Pat Doe"
(pat.doe@example.com) is listed in the Example Corp directory.

The following people may be able to help you:

  Name                Phone              Mail
  Chris Roe           +1 555 0101        chris.roe@example.com
  Front Desk          +1 555 0100        reception@example.com

Example Corp, 1 Example Way, Springfield
`), []layoutRecip{{"pat.doe@example.com", failed, "", ""}}},
		{"directory/address has changed, the new address is given", bounceMail("Mail Delivery System <postmaster@example.edu>", "Undeliverable: address changed", `The address alice@example.edu has been retired. The user's new address is
alice.smith@alumni.example.edu. Your message has NOT been delivered; please
resend it to the new address.
`), []layoutRecip{{"alice@example.edu", failed, "", ""}}},
		{"directory/standard form of addresses at the site", bounceMail("Mail Gateway <postmaster@example.edu>", "Returned mail: unknown user", `Your message to bob.jones@example.edu could not be delivered: there is no
such user.

The standard form of email address at Example University is
firstname.lastname@example.edu; student addresses are of the form
netid@students.example.edu. Please check the address and try again.
`), []layoutRecip{{"bob.jones@example.edu", failed, "", ""}}},

		// Postfix.
		{"postfix/user has moved, the reply names the new address", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 551 5.1.6
    <alice@example.org>: Recipient address rejected: User has moved; please
    try <alice@example.com> (in reply to RCPT TO command)
`), []layoutRecip{{"alice@example.org", failed, "551", "5.1.6"}}},
		{"postfix/reply names a removal contact", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 554 5.7.1
    Service unavailable; Client host [192.0.2.20] blocked using
    bl.example.org; to request removal write to delist@example.org (in reply
    to RCPT TO command)
`), []layoutRecip{{"alice@example.org", failed, "554", "5.7.1"}}},
		{"postfix/reply says to contact the administrator", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: No such user here. If
    you believe this is an error, contact your administrator at
    mailadmin@example.org (in reply to RCPT TO command)

<bob@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <bob@example.org>: Recipient address rejected: No such user here. If you
    believe this is an error, contact your administrator at
    mailadmin@example.org (in reply to RCPT TO command)
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "550", "5.1.1"}}},
		{"postfix/custom template with a help desk", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", `This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please contact the Example help desk at
helpdesk@example.net or call +1 555 0100.

                   The mail system

<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"postfix/remote says the sender failed its callout", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 550-Verification
    failed for <sender@example.net> 550-Called:   192.0.2.9 550-Sent:
    RCPT TO:<sender@example.net> 550-Response: 550 5.1.1 No such user 550
    Sender verify failed (in reply to RCPT TO command)
`), []layoutRecip{{"alice@example.org", failed, "550", ""}}},
		{"postfix/list bounce to a VERP return path", bounceWith(listHeaders, postfixIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"postfix/report, returned message names others in Received, Cc and body", bounceMIME("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", reportType, report(postfixIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)
`, `Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4AbCdE
X-Postfix-Sender: rfc822; sender@example.net
Arrival-Date: Tue,  1 Dec 2026 09:59:58 +0000 (UTC)

Final-Recipient: rfc822; alice@example.org
Original-Recipient: rfc822;alice@example.org
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.1.1 <alice@example.org>: Recipient address
    rejected: User unknown
`, "message/rfc822", returnedHeaders+`
Hi all, please forward this to carol@example.com and frank@example.com.
`)), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"postfix/text only, returned message follows the report", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Undelivered Mail Returned to Sender", postfixIntro+`<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)

--4AbCdE.1733047200/mx.example.net
Content-Description: Undelivered Message
Content-Type: message/rfc822

`+returnedHeaders+`
Please reply to me at sender.home@example.com or to my assistant
dana@example.com.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},

		// Exim.
		{"exim/redirect router's fail text gives the new address", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.org>", "Mail delivery failed: returning message to sender", eximIntro+`  alice@example.org
    This address has moved. Please write to alice.new@example.com instead.

------ This is a copy of the message, including all the headers. ------

Return-path: <sender@example.net>
From: Sender <sender@example.net>
To: alice@example.org
Subject: hello
`), []layoutRecip{{"alice@example.org", failed, "", ""}}},
		{"exim/remote reply with a help address", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  alice@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after RCPT TO:<alice@example.org>:
    550-5.1.1 The mailbox does not exist. If you need help, write to
    550 5.1.1 support@example.org

------ This is a copy of the message, including all the headers. ------
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exim/sender verify callout names the sender", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  alice@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after RCPT TO:<alice@example.org>:
    550-Verification failed for <sender@example.net>
    550-Called:   192.0.2.9
    550-Sent:     RCPT TO:<sender@example.net>
    550-Response: 550 5.1.1 <sender@example.net>: Recipient address rejected
    550 Sender verify failed

------ This is a copy of the message, including all the headers. ------
`), []layoutRecip{{"alice@example.org", failed, "550", ""}}},
		{"exim/copy of the message names others", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", eximIntro+`  bob@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after RCPT TO:<bob@example.org>:
    550 5.1.1 User unknown

------ This is a copy of the message, including all the headers. ------

`+returnedHeaders+`
Call me, or write to grace@example.com.
`), []layoutRecip{{"bob@example.org", failed, "550", "5.1.1"}}},
		{"exim/list return path and owner in the headers", bounceWith(`From: Mail Delivery System <Mailer-Daemon@mx.example.org>
To: team-bounces@lists.example.net
Subject: Mail delivery failed: returning message to sender
Auto-Submitted: auto-replied`, eximIntro+`  alice@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after RCPT TO:<alice@example.org>:
    550 5.1.1 <alice@example.org>: User unknown

------ This is a copy of the message, including all the headers. ------

Return-path: <team-bounces@lists.example.net>
From: Sender <sender@example.net>
Sender: team-owner@lists.example.net
To: team@lists.example.net
List-Post: <mailto:team@lists.example.net>
List-Help: <mailto:team-request@lists.example.net?subject=help>
Subject: [team] hello
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},

		// Sendmail.
		{"sendmail/user not local, please try", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", sendmailIntro+`<alice@example.org>
    (reason: 551 5.1.6 <alice@example.org>... User not local; please try <alice@example.com>)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> RCPT To:<alice@example.org>
<<< 551 5.1.6 <alice@example.org>... User not local; please try <alice@example.com>
551 5.1.6 <alice@example.org>... User not local; please try <alice@example.com>
`), []layoutRecip{{"alice@example.org", failed, "551", "5.1.6"}}},
		{"sendmail/transcript shows the sender accepted", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", sendmailIntro+`<alice@example.org>

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> MAIL From:<sender@example.net> SIZE=1234
<<< 250 2.1.0 <sender@example.net>... Sender ok
>>> RCPT To:<alice@example.org>
<<< 550 5.1.1 <alice@example.org>... User unknown
550 5.1.1 <alice@example.org>... User unknown
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"sendmail/expanded from an alias", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", sendmailIntro+`<alice@example.org>
    (reason: 550 5.1.1 <alice@example.org>... User unknown)
    (expanded from: <team@example.net>)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> RCPT To:<alice@example.org>
<<< 550 5.1.1 <alice@example.org>... User unknown
550 5.1.1 <alice@example.org>... User unknown
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"sendmail/reply after DATA names a contact", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Returned mail: see transcript for details", sendmailIntro+`<alice@example.org>
    (reason: 554 5.7.1 Message rejected as spam; contact abuse@example.org)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> DATA
<<< 554 5.7.1 Message rejected as spam; contact abuse@example.org
554 5.0.0 Service unavailable
`), []layoutRecip{{"alice@example.org", failed, "554", "5.7.1"}}},

		// qmail.
		{"qmail/remote reply names a contact", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<alice@example.org>:
192.0.2.1 does not like recipient.
Remote host said: 550 5.1.1 <alice@example.org>: unknown user. Contact help@example.org for assistance.
Giving up on 192.0.2.1.

--- Below this line is a copy of the message.

Return-Path: <sender@example.net>
Received: (qmail 1234 invoked by uid 89); 1 Dec 2026 09:59:58 -0000
Received: from client.example.net by mx.example.net with SMTP; 1 Dec 2026 09:59:58 -0000
	for <dave@example.org>
From: sender@example.net
To: alice@example.org, dave@example.org
Subject: hello
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"qmail/bouncesaying gives a new address", bounceMail("MAILER-DAEMON@mx.example.org", "failure notice", `Hi. This is the qmail-send program at mx.example.org.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<alice@example.org>:
This address no longer accepts mail. Please write to alice.new@example.com instead.

--- Below this line is a copy of the message.

Return-Path: <sender@example.net>
From: sender@example.net
To: alice@example.org
Subject: hello
`), []layoutRecip{{"alice@example.org", failed, "", ""}}},
		{"qmail/vpopmail, returned message body names others", bounceMail("MAILER-DAEMON@mx.example.org", "failure notice", `Hi. This is the qmail-send program at mx.example.org.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<alice@example.org>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Below this line is a copy of the message.

Return-Path: <sender@example.net>
Received: (qmail 1234 invoked from network); 1 Dec 2026 09:59:58 -0000
From: Sender <sender@example.net>
Reply-To: replies@example.net
To: alice@example.org
Cc: bob@example.org
Subject: hello

Hello Alice, Bob: see the list at team@example.net.
`), []layoutRecip{{"alice@example.org", failed, "", "5.1.1"}}},
		{"qmail/VERP return path of a list", bounceWith(`From: MAILER-DAEMON@mx.example.org
To: team-return-42-alice=example.org@lists.example.net
Subject: failure notice`, `Hi. This is the qmail-send program at mx.example.org.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<alice@example.org>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Below this line is a copy of the message.

Return-Path: <team-return-42-alice=example.org@lists.example.net>
Mailing-List: contact team-help@lists.example.net; run by ezmlm
List-Post: <mailto:team@lists.example.net>
From: sender@example.net
To: team@lists.example.net
Subject: hello
`), []layoutRecip{{"alice@example.org", failed, "", "5.1.1"}}},

		// Exchange and Microsoft 365.
		{"exchange2007/text, diagnostic and returned headers", bounceMail("Microsoft Exchange <postmaster@example.net>", "Undeliverable: hello", `Delivery has failed to these recipients or groups:

alice@example.org
The e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try to resend the message. If the problem continues, please contact your helpdesk.

Diagnostic information for administrators:

Generating server: mail.example.net

alice@example.org
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##

Original message headers:

Received: from client.example.net (192.0.2.20) by mail.example.net
 (192.0.2.5) with Microsoft SMTP Server id 14.3.0.0; Tue, 1 Dec 2026 09:59:58 +0000
From: Sender <sender@example.net>
To: Alice <alice@example.org>, Bob <bob@example.org>
CC: Dave <dave@example.org>
Subject: hello
Message-ID: <AB12CD34@mail.example.net>
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exchange2003/help desk address in the reason", bounceMail("System Administrator <postmaster@example.net>", "Undeliverable: hello", exchange2003Intro+`      alice@example.org on 12/1/2026 10:00 AM
            The e-mail address could not be found.  Perhaps the recipient moved to a different e-mail organization, or there was a mistake in the address.  Check the address and try again. If the problem continues, contact your helpdesk at helpdesk@example.net.
            <mail.example.net #5.1.1>
`), []layoutRecip{{"alice@example.org", failed, "", "5.1.1"}}},
		{"office365/text, sender address and message id in the details", bounceMail("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>", "Undeliverable: hello", `Your message to alice@example.org couldn't be delivered.
alice wasn't found at example.org.

sender      Office 365      alice
Action Required                     Recipient

Unknown To address

How to Fix It
The address may be misspelled or may not exist. Try one or more of the following:
- Retype the recipient's address, then resend the message.
- If you're using the Auto-Complete List, delete it and retype the address.
- Contact the recipient by some other means (by phone, for example) to confirm you're using the right address.

More Info for Email Admins
Status code: 550 5.1.10

Original Message Details
Created Date:    12/1/2026 9:59:57 AM
Sender Address:  sender@example.net
Recipient Address:    alice@example.org
Subject:    hello

Error Details
Reported error:  550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient alice@example.org not found by SMTP address lookup
DSN generated by:    AM0PR01MB1234.eurprd01.prod.example.net

Message Hops
HOP    TIME (UTC)    FROM    TO    WITH    RELAY TIME
1    12/1/2026 9:59:57 AM    AM0PR01MB1234.eurprd01.prod.example.net    AM0PR01MB1234.eurprd01.prod.example.net    mapi    *

Original Message Headers
Message-ID: <AM0PR01MB1234ABCD@AM0PR01MB1234.eurprd01.prod.example.net>
From: Sender <sender@example.net>
To: alice@example.org
Cc: bob@example.org
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.10"}}},
		{"exchange2010/html with a mailto help desk link", bounceMIME("Microsoft Exchange <postmaster@example.net>", "Undeliverable: hello", altType, alt(`Delivery has failed to these recipients or groups:

alice@example.org
The e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try to resend the message. If the problem continues, please contact your helpdesk (helpdesk@example.net).

Diagnostic information for administrators:

Generating server: mail.example.net

alice@example.org
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
`, `<html><body>
<p><b><font color="#000066">Delivery has failed to these recipients or groups:</font></b></p>
<p><a href="mailto:alice@example.org">alice@example.org</a><br>
The e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try to resend the message. If the problem continues, please contact your <a href="mailto:helpdesk@example.net?subject=Undeliverable">helpdesk</a>.</p>
<p>Diagnostic information for administrators:</p>
<p>Generating server: mail.example.net</p>
<p>alice@example.org<br>#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##</p>
<p>Help: <a href="https://help.example.net/ndr?from=sender@example.net&amp;code=5.1.1">https://help.example.net/ndr</a></p>
</body></html>`)), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exchange2007/html only, contact in the footer", bounceMIME("Microsoft Exchange <postmaster@example.net>", "Undeliverable: hello", htmlOnlyType, `<html><body>
<p>Delivery has failed to these recipients or groups:</p>
<p><a href="mailto:alice@example.org">Alice (alice@example.org)</a><br>
The recipient's e-mail address was not found in the recipient's e-mail system.</p>
<p>Diagnostic information for administrators:</p>
<p>Generating server: mail.example.net</p>
<p>alice@example.org<br>remote.example.org #550 5.1.1 User unknown ##</p>
<hr>
<p>Questions? Write to <a href="mailto:it-support@example.net">it-support@example.net</a> or see https://intranet.example.net/mail?contact=postmaster@example.net</p>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},

		// Lotus Domino and Notes.
		{"domino/administrator named under the reason", bounceMail("Mail Router <MAILER-DAEMON@example.net>", "DELIVERY FAILURE: User alice (alice@example.org) not listed in Domino Directory", `Your message

  Subject: hello

was not delivered to:

  alice@example.org

because:

  User alice (alice@example.org) not listed in Domino Directory

For assistance, contact your Notes administrator at notes-admin@example.net.
`), []layoutRecip{{"alice@example.org", failed, "", ""}}},
		{"domino/person has left, send to a colleague", bounceMail("Mail Router <MAILER-DAEMON@example.net>", "DELIVERY FAILURE: Person has left the company", `Your message

  Subject: hello

was not delivered to:

  alice@example.org

because:

  Alice Old has left Example Corp. Please send business mail to her
  colleague bob@example.org or to info@example.org.
`), []layoutRecip{{"alice@example.org", failed, "", ""}}},
		{"notes/failure reasons and the sender in the returned message", bounceMail("Postmaster <postmaster@example.net>", "Undeliverable Message", `------- Failure Reasons  --------

User not listed in public Name & Address Book
alice@example.org

------- Returned Message --------
Received: from client.example.net by notes.example.net for <alice@example.org>
From: sender@example.net
To: alice@example.org
Cc: bob@example.org
Subject: hello
`), []layoutRecip{{"alice@example.org", failed, "", ""}}},

		// Gateways and filtering services.
		{"gateway/groupwise, truncated original follows", bounceMail("Mail Administrator <postmaster@example.org>", "Message status - undeliverable", `The message that you sent was undeliverable to the following:
	alice@example.org (user not found)

Possibly truncated original message follows:

From: sender@example.net
To: alice@example.org, bob@example.org
Subject: hello

Please call Bob at bob@example.org about this.
`), []layoutRecip{{"alice@example.org", failed, "", ""}}},
		{"gateway/reply names the postmaster of the domain", bounceMail("Mail Delivery System <MAILER-DAEMON@gw.example.net>", "Undeliverable: hello", `Your message couldn't be delivered to the following recipient:

  alice@example.org
  Reason: 550 5.7.1 Rejected by the recipient domain's policy. If you believe
  this is in error, please contact postmaster@example.org and include the
  text of this message.

This message was generated by the Example Secure Email Gateway. Support:
support@gw.example.net
`), []layoutRecip{{"alice@example.org", failed, "550", "5.7.1"}}},
		{"gateway/over quota, ask the recipient to contact support", bounceMail("Mail Delivery System <MAILER-DAEMON@example.net>", "Delivery Status Notification (Failure)", `Delivery to the following recipient failed permanently:

     alice@example.org

Technical details of permanent failure:
552 5.2.2 Mailbox full. Ask the recipient to contact support@example.org or
visit https://help.example.org/quota?user=support@example.org
`), []layoutRecip{{"alice@example.org", failed, "552", "5.2.2"}}},
		{"gateway/block list removal address in a provider's reply", bounceMail("Mail Delivery System <MAILER-DAEMON@mx.example.net>", "Undeliverable: hello", `Delivery to the following recipient failed permanently:

     alice@example.org

Technical details of permanent failure:
550 5.7.1 Unfortunately, messages from [192.0.2.20] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140). You can also refer your provider to delist@example.org.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.7.1"}}},
		{"gateway/yahoo-style reply naming the address and a help URL", bounceMail("MAILER-DAEMON@mta.example.com", "Failure Notice", `Sorry, we were unable to deliver your message to the following address.

<alice@example.org>:
554: delivery error: dd This user doesn't have a example.org account (alice@example.org) [-5] - mta1.example.org

If you need help, see https://help.example.com/kb?mail=help@example.com

--- Below this line is a copy of the message.

Received: from client.example.net for <dave@example.org>
From: sender@example.net
To: alice@example.org
`), []layoutRecip{{"alice@example.org", failed, "554", ""}}},

		// Free-text bounces that only the generic reader decodes.
		{"generic/contact your administrator at an address", bounceMail("Mail Delivery System <postmaster@example.net>", "Undeliverable mail", `Your message to alice@example.org could not be delivered.

Reason: 550 5.1.1 mailbox unavailable

If you think this is an error, contact your administrator at admin@example.net.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/abuse and hostmaster in the footer", bounceMail("Mail Delivery System <postmaster@example.net>", "Delivery failure", `Delivery to the following recipient failed permanently:

    alice@example.org

550 5.1.1 No such user

--
To report abuse, write to abuse@example.net. Questions about our DNS:
hostmaster@example.net. Help desk: help@example.net.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/sender named in the first sentence", bounceMail("Mail Delivery System <postmaster@example.net>", "Undeliverable mail", `The message you sent from sender@example.net to alice@example.org on
Tue, 1 Dec 2026 09:59:58 could not be delivered.

550 5.1.1 User unknown
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/message id in angle brackets in the prose", bounceMail("Mail Delivery System <postmaster@example.net>", "Undeliverable mail", `Your message <20261201095957.4AbCdE@mx.example.net> to alice@example.org
could not be delivered.

550 5.1.1 User unknown
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/new address of a user who moved", bounceMail("Mail Delivery System <postmaster@example.net>", "Undeliverable mail: user has moved", `Your message to alice@example.org was not delivered: the user has moved.
The user's new address is alice@example.com. Please update your address book.
`), []layoutRecip{{"alice@example.org", failed, "", ""}}},
		{"generic/please write to the organization instead", bounceMail("Mail Delivery System <postmaster@example.org>", "Undeliverable mail", `Your message to alice@example.org could not be delivered: this mailbox is
no longer in use. Please write to info@example.org instead.
`), []layoutRecip{{"alice@example.org", failed, "", ""}}},
		{"generic/help link with mailto in html", bounceMIME("Mail Delivery System <postmaster@example.net>", "Undeliverable: hello", htmlOnlyType, `<html><body>
<p>Delivery to the following recipient failed:</p>
<p><b>alice@example.org</b>: 550 5.1.1 User unknown</p>
<p>Need help? <a href="mailto:support@example.net?subject=Bounce%20help">Contact support</a>
or open https://support.example.net/ticket/new?email=support@example.net</p>
</body></html>
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/bounce reply-to and errors-to headers", bounceWith(`From: Mail Delivery System <postmaster@example.net>
To: sender@example.net
Reply-To: helpdesk@example.net
Errors-To: bounces-admin@example.net
Subject: Undeliverable mail`, `Your message could not be delivered to the following recipient:

    alice@example.org: 550 5.1.1 User unknown

Replies to this notice go to helpdesk@example.net; errors are reported to
bounces-admin@example.net.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/list owner named in a list bounce", bounceWith(`From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: team-bounces@lists.example.net
Subject: Delivery failure`, `Delivery to the following recipient failed permanently:

    alice@example.org

550 5.1.1 No such user

The list that sent this message, team@lists.example.net, is run by
team-owner@lists.example.net.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/two recipients, one reply quotes a forward address", bounceMail("Mail Delivery System <postmaster@example.net>", "Delivery failure", `Delivery to the following recipients failed:

    alice@example.org: 550 5.1.1 User unknown
    bob@example.org: 550 5.1.6 Recipient has moved; forward to bob@example.com

`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "550", "5.1.6"}}},
		{"generic/returned message inline after a header", bounceMail("Mail Delivery System <postmaster@example.net>", "Undelivered mail", `Your message could not be delivered.

alice@example.org: 550 5.1.1 User unknown

Original message:
Received: from client.example.net by mx.example.net for <dave@example.org>
From: Sender <sender@example.net>
To: alice@example.org, dave@example.org
Reply-To: replies@example.net
Subject: hello

Please forward to carol@example.com.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/reply quotes the sender's address", bounceMail("Mail Delivery System <postmaster@example.net>", "Undelivered mail", `Delivery to the following recipient failed permanently:

    alice@example.org

Technical details of permanent failure:
550 5.7.1 <sender@example.net>: Sender address rejected: Access denied
`), []layoutRecip{{"alice@example.org", failed, "550", "5.7.1"}}},
		{"generic/reply quotes the original's reply-to in the text", bounceMail("Mail Delivery System <postmaster@example.net>", "Undelivered mail", `Delivery to the following recipient failed permanently:

    alice@example.org

Technical details of permanent failure:
550 5.1.1 User unknown

Replies to your message would have gone to replies.team@example.net.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/address inside a URL path", bounceMail("Mail Delivery System <postmaster@example.net>", "Delivery failure", `Delivery to the following recipient failed permanently:

    alice@example.org

550 5.1.1 No such user. See https://status.example.net/contact/postmaster@example.org/ticket for help.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/german, new address given", bounceMail("Mail Delivery System <postmaster@example.de>", "Unzustellbar: hallo", `Ihre Nachricht an alice@example.de konnte nicht zugestellt werden.
Die Adresse ist nicht mehr gueltig. Die neue Adresse lautet
alice.neu@example.com. Bitte senden Sie Ihre Nachricht erneut an die
neue Adresse.

550 5.1.1 Benutzer unbekannt
`), []layoutRecip{{"alice@example.de", failed, "550", "5.1.1"}}},
		{"generic/contact by phone or the secretary", bounceMail("Mail Delivery System <postmaster@example.edu>", "Undeliverable mail", `Your message to prof.doe@example.edu could not be delivered: the mailbox has
been closed.

You can reach the department office instead:
  Department of Physics    +1 555 0123    physics-office@example.edu
  Room 101, 1 Campus Drive, Springfield
`), []layoutRecip{{"prof.doe@example.edu", failed, "", ""}}},

		// The rules that leave contacts out must not leave out a failed recipient that
		// looks like one: a role mailbox that is the only address, a list of recipients
		// under a plain heading, a sentence that says "instead" of the message itself.
		{"generic/a role mailbox that is the only address failed", bounceMail("Mail Delivery System <postmaster@example.net>", "Delivery failure", `Delivery to the following recipient failed permanently:

    info@example.org

550 5.1.1 No such user
`), []layoutRecip{{"info@example.org", failed, "550", "5.1.1"}}},
		{"generic/hostmaster is the only address and failed", bounceMail("Mail Delivery System <postmaster@example.net>", "Delivery failure", `Delivery to the following recipient failed permanently:

    hostmaster@example.org

550 5.1.1 No such user
`), []layoutRecip{{"hostmaster@example.org", failed, "550", "5.1.1"}}},
		{"generic/recipients listed under a plain heading", bounceMail("Mail Delivery System <postmaster@example.net>", "Undeliverable mail", `Your message could not be delivered because of

550 5.1.1 User unknown

The following recipients were affected:

    alice@example.org
    bob@example.org
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "550", "5.1.1"}}},
		{"generic/the message was returned instead of delivered", bounceMail("Mail Delivery System <postmaster@example.net>", "Undeliverable mail", `Delivery to alice@example.org failed and the message was returned to you instead of being queued again.

550 5.1.1 User unknown
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exim/generated from an alias", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.org>", "Mail delivery failed: returning message to sender", eximIntro+`  alice@example.com
    (generated from team@example.org)
    host mx.example.com [192.0.2.3]
    SMTP error from remote mail server after RCPT TO:<alice@example.com>:
    550 5.1.1 User unknown

------ This is a copy of the message, including all the headers. ------
`), []layoutRecip{{"alice@example.com", failed, "550", "5.1.1"}}},
		{"generic/contact the recipient's new address is not the recipient", bounceMail("Mail Delivery System <postmaster@example.net>", "Undeliverable mail", `Delivery to the following recipients failed:

    carol@example.org: 550 5.1.1 User unknown
    dave@example.org: 551 5.1.6 User not local; please try <dave@example.com>
    erin@example.org: 550 5.1.1 User unknown
`), []layoutRecip{{"carol@example.org", failed, "550", "5.1.1"}, {"dave@example.org", failed, "551", "5.1.6"}, {"erin@example.org", failed, "550", "5.1.1"}}},
		{"courier/reply names a help address", bounceMail("Courier mail server at mx.example.net <@>", "NOTICE: mail delivery status.", `This is a delivery status notification from mx.example.net,
running the Courier mail server, version 1.1.

The original message was received on Tue, 01 Dec 2026 09:59:58 +0000
from client.example.net [192.0.2.20]

---------------------------------------------------------------------------

                           UNDELIVERABLE MAIL

Your message to the following recipients cannot be delivered:

<alice@example.org>:
    mx.example.org [192.0.2.1]:
>>> RCPT TO:<alice@example.org>
<<< 550 5.1.1 No such mailbox. For help write to help@example.org

---------------------------------------------------------------------------

If your message was also sent to additional recipients, their delivery
status is not included in this report.  You may or may not receive
other delivery status notifications for additional recipients.

The original message follows as a separate attachment.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"mailman/uncaught list owner notice quotes the member", bounceWith(`From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: team-bounces+bob=example.org@lists.example.net
Subject: Undelivered Mail Returned to Sender`, postfixIntro+`<bob@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <bob@example.org>: Recipient address rejected: User unknown. Questions:
    write to team-owner@lists.example.net (in reply to RCPT TO command)
`), []layoutRecip{{"bob@example.org", failed, "550", "5.1.1"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if why, ok := notRecipsOpen[tc.name]; ok {
				t.Skip("open: " + why)
			}
			checkLayout(t, tc.mail, tc.want, notRecipsReaders[tc.name])
		})
	}
}

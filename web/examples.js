// examples.js holds the page's built-in example bounces. They were written for this page, in the
// layout of the MTAs they imitate, with example.org/.net/.com addresses only.
'use strict';

window.BOUNCE_EXAMPLES = [
  {
    name: 'Postfix: user unknown (hard)',
    expect: 'hard', // the verdict of the first recipient; cmd/wasm's tests check it
    text: `Return-Path: <>
Received: by mx1.example.net (Postfix)
	id 4Q2ZJ71Vx9z9t7K; Sun, 22 Nov 2026 09:12:03 +0000 (UTC)
Date: Sun, 22 Nov 2026 09:12:03 +0000 (UTC)
From: MAILER-DAEMON@mx1.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: newsletter@example.com
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4Q2ZJ71Vx9z9t7K.1763802723/mx1.example.net"
Content-Transfer-Encoding: 8bit
Message-Id: <20261122091203.4Q2ZJ71Vx9z9t7K@mx1.example.net>

This is a MIME-encapsulated message.

--4Q2ZJ71Vx9z9t7K.1763802723/mx1.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx1.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

If you do so, please include this problem report. You can
delete your own text from the attached returned message.

                   The mail system

<jane.doe@example.org>: host mail.example.org[192.0.2.25] said: 550 5.1.1
    <jane.doe@example.org>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)

--4Q2ZJ71Vx9z9t7K.1763802723/mx1.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx1.example.net
X-Postfix-Queue-ID: 4Q2ZJ71Vx9z9t7K
X-Postfix-Sender: rfc822; newsletter@example.com
Arrival-Date: Sun, 22 Nov 2026 09:12:01 +0000 (UTC)

Final-Recipient: rfc822; jane.doe@example.org
Original-Recipient: rfc822;jane.doe@example.org
Action: failed
Status: 5.1.1
Remote-MTA: dns; mail.example.org
Diagnostic-Code: smtp; 550 5.1.1 <jane.doe@example.org>: Recipient address
    rejected: User unknown in virtual mailbox table

--4Q2ZJ71Vx9z9t7K.1763802723/mx1.example.net
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers
Content-Transfer-Encoding: 8bit

Return-Path: <newsletter@example.com>
Received: from app.example.com (app.example.com [198.51.100.7])
	by mx1.example.net (Postfix) with ESMTPS id 4Q2ZJ71Vx9z9t7K
	for <jane.doe@example.org>; Sun, 22 Nov 2026 09:12:01 +0000 (UTC)
From: Example News <newsletter@example.com>
To: jane.doe@example.org
Subject: Your November digest
Date: Sun, 22 Nov 2026 09:11:58 +0000
Message-ID: <digest-2026-11.8812@example.com>
List-Id: Example News <news.example.com>
X-Campaign-ID: nov-2026-digest

--4Q2ZJ71Vx9z9t7K.1763802723/mx1.example.net--
`,
  },
  {
    name: 'Exim: mailbox full (soft)',
    expect: 'soft', // the verdict of the first recipient; cmd/wasm's tests check it
    text: `Return-path: <>
Envelope-to: billing@example.com
Delivery-date: Sun, 22 Nov 2026 10:04:51 +0000
From: Mail Delivery System <Mailer-Daemon@relay.example.net>
To: billing@example.com
Subject: Mail delivery failed: returning message to sender
Message-Id: <E1vMx2R-0004Qf-2T@relay.example.net>
Date: Sun, 22 Nov 2026 10:04:51 +0000
Auto-Submitted: auto-replied

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  max.mustermann@example.org
    host mx.example.org [203.0.113.40]
    SMTP error from remote mail server after RCPT TO:<max.mustermann@example.org>:
    552 5.2.2 <max.mustermann@example.org>: Mailbox full: quota exceeded

------ This is a copy of the message, including all the headers. ------

Return-path: <billing@example.com>
Received: from [198.51.100.12] (helo=app.example.com)
	by relay.example.net with esmtpsa (Exim 4.97)
	id 1vMx2Q-0004Qd-3a
	for max.mustermann@example.org; Sun, 22 Nov 2026 10:04:50 +0000
From: Billing <billing@example.com>
To: max.mustermann@example.org
Subject: Invoice 2026-1142
Date: Sun, 22 Nov 2026 10:04:49 +0000
Message-ID: <invoice-2026-1142@example.com>

Please find your invoice attached.
`,
  },
  {
    name: 'Blocked by a blocklist (RFC 3464)',
    expect: 'blocked', // the verdict of the first recipient; cmd/wasm's tests check it
    text: `From: postmaster@mx.example.net
To: alerts@example.com
Subject: Delivery Status Notification (Failure)
Date: Sun, 22 Nov 2026 11:20:00 +0000
Message-ID: <dsn-11200-77@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Your message to ops@example.org was rejected by the receiving server.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Sun, 22 Nov 2026 11:19:58 +0000

Final-Recipient: rfc822; ops@example.org
Action: failed
Status: 5.7.1
Remote-MTA: dns; inbound.example.org
Diagnostic-Code: smtp; 554 5.7.1 Service unavailable; Client host [198.51.100.7]
 blocked using bl.example.net; listed as a spam source

--b1
Content-Type: text/rfc822-headers

From: Alerts <alerts@example.com>
To: ops@example.org
Subject: Disk usage warning
Date: Sun, 22 Nov 2026 11:19:57 +0000
Message-ID: <alert-5521@example.com>

--b1--
`,
  },
  {
    name: 'Delayed: still retrying (RFC 3464)',
    expect: 'delayed', // the verdict of the first recipient; cmd/wasm's tests check it
    text: `From: MAILER-DAEMON@mx1.example.net (Mail Delivery System)
To: orders@example.com
Subject: Delayed Mail (still being retried)
Date: Sun, 22 Nov 2026 13:00:00 +0000
Message-ID: <delay-771@mx1.example.net>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="d7"

--d7
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx1.example.net.

####################################################################
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
####################################################################

Your message could not be delivered for 4.0 hours.
It will be retried until it is 5.0 days old.

<sam@example.org>: connect to mail.example.org[192.0.2.80]:25: Connection timed
    out

--d7
Content-Type: message/delivery-status

Reporting-MTA: dns; mx1.example.net
Arrival-Date: Sun, 22 Nov 2026 09:00:00 +0000

Final-Recipient: rfc822; sam@example.org
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mail.example.org[192.0.2.80]:25:
    Connection timed out
Will-Retry-Until: Fri, 27 Nov 2026 09:00:00 +0000

--d7
Content-Type: text/rfc822-headers

From: Orders <orders@example.com>
To: sam@example.org
Subject: Your order has shipped
Message-ID: <order-99812@example.com>

--d7--
`,
  },
  {
    name: 'Complaint: ARF feedback report',
    expect: 'complaint', // the verdict of the first recipient; cmd/wasm's tests check it
    text: `From: Feedback Loop <fbl@feedback.example.net>
To: abuse@example.com
Subject: FW: Weekly offers
Date: Sun, 22 Nov 2026 14:30:00 +0000
Message-ID: <fbl-30881@feedback.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="arf"

--arf
Content-Type: text/plain; charset=us-ascii

This is an email abuse report for an email message received from IP
198.51.100.7 on Sun, 22 Nov 2026 14:10:00 +0000.

--arf
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleFBL/1.0
Version: 1
Original-Mail-From: <offers@example.com>
Original-Rcpt-To: <lee@example.org>
Arrival-Date: Sun, 22 Nov 2026 14:10:00 +0000
Source-IP: 198.51.100.7
Reported-Domain: example.com

--arf
Content-Type: text/rfc822-headers

From: Offers <offers@example.com>
To: lee@example.org
Subject: Weekly offers
Date: Sun, 22 Nov 2026 14:09:58 +0000
Message-ID: <offers-w47.1203@example.com>

--arf--
`,
  },
  {
    name: 'Out-of-office auto-reply',
    expect: 'autoreply', // the verdict of the first recipient; cmd/wasm's tests check it
    text: `From: Robin Example <robin@example.org>
To: support@example.com
Subject: Automatic reply: Your ticket #4471
Date: Sun, 22 Nov 2026 15:00:00 +0000
Message-ID: <ooo-4471@example.org>
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
In-Reply-To: <ticket-4471@example.com>
Content-Type: text/plain; charset=utf-8

I am out of the office until 1 December with no access to email.
For urgent matters please contact helpdesk@example.org.
`,
  },
  {
    name: 'Just an error line',
    expect: 'hard', // the verdict of the first recipient; cmd/wasm's tests check it
    text: `550 5.1.1 <jane.doe@example.org>: Recipient address rejected: User unknown in virtual mailbox table`,
  },
];

package dsn_test

import (
	"fmt"
	"mime"
	"slices"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
)

// nbWant is what a TestNonBounces case expects the mail to mean.
type nbWant int

const (
	// nbNone: no recipient at all (ordinary mail, a list notice, a receipt).
	nbNone nbWant = iota
	// nbAuto: the one recipient is the sender of the automatic reply, kind autoreply,
	// reason vacation.
	nbAuto
	// nbNoneOrAuto: either of the two (a notification that answers a mail without speaking
	// of its delivery: a ticket system's acknowledgement, a challenge, a read receipt).
	nbNoneOrAuto
	// nbDelivered: the recipients named, each kind delivered.
	nbDelivered
	// nbNoneOrDelivered: no recipient, or the recipients named, each kind delivered (a
	// receipt that names the recipient only in the returned message's header).
	nbNoneOrDelivered
	// nbDelayed: the recipients named, each kind delayed.
	nbDelayed
	// nbFailure: a real delivery failure that looks like an automatic reply: the recipients
	// named, the first one hard.
	nbFailure
	// nbForwarded: a bounce that a person forwarded: either no recipient, or the recipients
	// the forwarded bounce names and no other (never the person who forwarded it).
	nbForwarded
	// nbComplaint: a feedback report of Feedback-Type abuse (RFC 5965): the report kind
	// feedback, each recipient of kind complaint (and the recipients named, when given).
	nbComplaint
	// nbFeedback: a feedback report that is no complaint (RFC 6591 auth-failure): the report
	// kind feedback, no recipient hard or suppressed.
	nbFeedback
)

func (w nbWant) String() string {
	return [...]string{"no recipient", "autoreply", "no recipient or autoreply", "delivered", "no recipient or delivered", "delayed", "hard failure", "the forwarded bounce's recipients", "a complaint", "a feedback report"}[w]
}

// replyMail builds a mail from its sender, subject, extra header lines (each ending in "\n")
// and plain-text body: the shape of an automatic reply or of ordinary mail.
func replyMail(from, subject, extra, body string) string {
	return crlf("From: " + from + "\nTo: Sender <sender@example.net>\nSubject: " + subject +
		"\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMessage-ID: <r1@mail.example.org>\n" +
		"In-Reply-To: <orig-1@example.net>\n" + extra +
		"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + body)
}

// reportMail builds a multipart/report (RFC 6522) of the given report-type: a text part, the
// machine-readable part (of type partType) and the returned message's header.
func reportMail(from, subject, extra, reportType, text, partType, part string) string {
	return crlf("From: " + from + "\nTo: sender@example.net\nSubject: " + subject +
		"\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMessage-ID: <r2@mx.example.net>\n" + extra +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=" + reportType + "; boundary=\"RPT\"\n\n" +
		"--RPT\nContent-Type: text/plain; charset=us-ascii\n\n" + text +
		"\n--RPT\nContent-Type: " + partType + "\n\n" + part +
		"\n--RPT\nContent-Type: text/rfc822-headers\n\nFrom: Sender <sender@example.net>\nTo: someone@example.org\n" +
		"Subject: hello\nMessage-ID: <orig-1@example.net>\n\n--RPT--\n")
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// The texts several cases share.
const (
	oofBody = `I am out of the office until Monday 7 December with limited access to email.
For urgent matters please contact the service desk at help@example.org.
`
	// exchangeOOF is the header block Exchange and Outlook put on an out-of-office reply.
	exchangeOOF = "X-Auto-Response-Suppress: All\nX-MS-Exchange-Inbox-Rules-Loop: alice@example.org\nAuto-Submitted: auto-generated\nThread-Topic: hello\n"
	// sendmailWarning is Sendmail's delay warning banner (sendmail/savemail.c).
	sendmailWarning = `    **********************************************
    **      THIS IS A WARNING MESSAGE ONLY      **
    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **
    **********************************************

The original message was received at Tue, 1 Dec 2026 06:00:00 +0000
from localhost [127.0.0.1]

   ----- Transcript of session follows -----
`
	// bounceQuote is a Postfix failure paragraph quoted or forwarded by a person.
	bounceQuote = `<dave@example.com>: host mx.example.com[192.0.2.7] said: 550 5.1.1
    <dave@example.com>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)
`
)

// oofSubjects are the subject prefixes Outlook and Exchange give an out-of-office reply, one
// per language of their user interface (the string "Automatic reply" as each localises it).
var oofSubjects = []struct{ lang, prefix string }{
	{"english", "Automatic reply: "},
	{"german", "Automatische Antwort: "},
	{"french", "Réponse automatique : "},
	{"italian", "Risposta automatica: "},
	{"spanish", "Respuesta automática: "},
	{"dutch", "Automatisch antwoord: "},
	{"swedish", "Automatiskt svar: "},
	{"danish/norwegian", "Automatisk svar: "},
	{"finnish", "Automaattinen vastaus: "},
	{"polish", "Automatyczna odpowiedź: "},
	{"portuguese", "Resposta automática: "},
	{"czech", "Automatická odpověď: "},
	{"slovak", "Automatická odpoveď: "},
	{"hungarian", "Automatikus válasz: "},
	{"romanian", "Răspuns automat: "},
	{"turkish", "Otomatik yanıt: "},
	{"greek", "Αυτόματη απάντηση: "},
	{"russian", "Автоматический ответ: "},
	{"ukrainian", "Автоматична відповідь: "},
	{"japanese", "自動応答: "},
	{"chinese simplified", "自动回复: "},
	{"chinese traditional", "自動回覆: "},
	{"korean", "자동 회신: "},
}

// TestNonBounces decodes mails that are not delivery failures, written from the documented
// behaviour and templates of the systems that send them: automatic replies in their many
// header and subject forms, receipts, success and delay notices, list notices, ordinary mail
// that speaks of bounces, and a few real failures dressed like automatic replies. Whatever
// else it decides, no mail here but the real failures may make a verdict hard or suppress.
func TestNonBounces(t *testing.T) {
	tests := []nbCase{
		// RFC 3834 §5: Auto-Submitted in its forms, with subjects that say nothing.
		{"rfc3834/auto-replied, plain subject", replyMail("Alice <alice@example.org>", "Re: hello", "Auto-Submitted: auto-replied\n", oofBody), nbAuto, []string{"alice@example.org"}},
		{"rfc3834/auto-replied with a comment", replyMail("alice@example.org", "hello", "Auto-Submitted: auto-replied (vacation)\n", oofBody), nbAuto, []string{"alice@example.org"}},
		{"rfc3834/upper case value", replyMail("alice@example.org", "Thanks for your mail", "Auto-Submitted: Auto-Replied\n", oofBody), nbAuto, []string{"alice@example.org"}},
		{"rfc3834/auto-generated with an away text", replyMail("Alice <alice@example.org>", "Re: hello", "Auto-Submitted: auto-generated\n", "Thank you for your message. I am currently on annual leave and will return on 14 December.\n"), nbAuto, []string{"alice@example.org"}},
		{"rfc3834/auto-notified (a Sieve notification)", replyMail("Mail Notifier <notify@example.org>", "New mail from sender@example.net", "Auto-Submitted: auto-notified\n", "You have new mail from sender@example.net: hello\n"), nbNoneOrAuto, []string{"notify@example.org"}},
		{"rfc3834/X-Autoreply", replyMail("bob@example.org", "Re: hello", "X-Autoreply: yes\n", "Bob is travelling and reads mail only in the evening.\n"), nbAuto, []string{"bob@example.org"}},
		{"rfc3834/X-Autorespond", replyMail("bob@example.org", "Thank you for writing", "X-Autorespond: hello\n", "Thank you for writing. We answer within two working days.\n"), nbAuto, []string{"bob@example.org"}},
		{"rfc3834/Precedence auto_reply", replyMail("carol@example.org", "Re: hello", "Precedence: auto_reply\n", oofBody), nbAuto, []string{"carol@example.org"}},
		{"rfc3834/Precedence junk and a vacation X-Mailer", replyMail("carol@example.org", "I am away", "Precedence: junk\nX-Mailer: vacation 1.2.7.1\n", "I am away from my mail until 10 December.\n"), nbAuto, []string{"carol@example.org"}},
		{"rfc3834/Precedence bulk and an away text", replyMail("dan@example.org", "Re: hello", "Precedence: bulk\n", "I'm currently out of the office and will respond to your email when I return on Monday.\n"), nbAuto, []string{"dan@example.org"}},
		{"rfc3834/X-Auto-Response-Suppress and an away text", replyMail("dan@example.org", "Re: hello", "X-Auto-Response-Suppress: All\n", "I am on parental leave until March. Your mail will not be forwarded.\n"), nbAuto, []string{"dan@example.org"}},

		{"icloud/vacation", replyMail("Uma <uma@icloud.example>", "Re: hello", "X-Apple-Action: vacation\n", "Thanks for your mail, I'll answer next week.\n"), nbAuto, []string{"uma@icloud.example"}},
		// A newsletter speaks of holidays: sent by a mass mailer (List-Unsubscribe), it is
		// not a reply whatever its Precedence says.
		{"newsletter/holiday wording", replyMail("Travel Deals <deals@travel.example.com>", "Winter deals", "Precedence: bulk\nList-Unsubscribe: <https://travel.example.com/u>\n", "Going on holiday? Out of the office this winter? Our deals are here.\n"), nbNone, nil},

		// vacation(1) and procmail: the user's .vacation.msg, sent with Precedence: junk.
		{"vacation(1)/user message", replyMail("erin@example.org (Erin)", "away from my mail", "Precedence: junk\nAuto-Submitted: auto-replied\n", "I will not be reading my mail for a while.\nYour mail concerning \"hello\" will be read when I'm back.\n"), nbAuto, []string{"erin@example.org"}},
		{"procmail/autoreply recipe", replyMail("erin@example.org", "Re: hello [autoreply]", "X-Loop: erin@example.org\nPrecedence: junk\n", "This is an automated reply. I am away until Friday.\n"), nbAuto, []string{"erin@example.org"}},

		// Sieve vacation (RFC 5230 §5: "Auto-Submitted: auto-replied", subject "Auto: " + original).
		{"sieve/vacation default subject", replyMail("frank@example.org", "Auto: hello", "Auto-Submitted: auto-replied (vacation)\nPrecedence: bulk\n", "I'm on vacation until 2 January.\n"), nbAuto, []string{"frank@example.org"}},
		{"sieve/vacation own subject", replyMail("frank@example.org", "Away", "Auto-Submitted: auto-replied (vacation)\n", "Away until 2 January.\n"), nbAuto, []string{"frank@example.org"}},
		{"dovecot/pigeonhole vacation, no subject", replyMail("frank@example.org", "", "Auto-Submitted: auto-replied (vacation)\n", "Gone fishing.\n"), nbAuto, []string{"frank@example.org"}},

		// Gmail's vacation responder: the user's subject, Auto-Submitted: auto-replied.
		{"gmail/vacation responder", replyMail("Grace <grace@example.com>", "Re: hello", "Auto-Submitted: auto-replied\nX-Google-Original-From: grace@example.com\n", "Hi, I'm on holiday and back on the 5th.\n"), nbAuto, []string{"grace@example.com"}},
		// Zimbra: "Auto-Submitted: auto-replied (zimbra; vacation)", default subject "Out of Office".
		{"zimbra/out of office", replyMail("heidi@example.org", "Out of Office", "Auto-Submitted: auto-replied (zimbra; vacation)\nPrecedence: bulk\n", "I am out of the office.\n"), nbAuto, []string{"heidi@example.org"}},
		// Lotus Notes / Domino's out-of-office agent: the subject names the person.
		{"domino/is out of the office", replyMail("Ivan Petrov <ivan.petrov@example.org>", "Ivan Petrov is out of the office.", "X-Mailer: Lotus Notes Release 8.5.3 September 15, 2011\n", "I will be out of the office starting  01.12.2026 and will not return until 15.12.2026.\n\nI will respond to your message when I return.\n"), nbAuto, []string{"ivan.petrov@example.org"}},
		{"domino/will be out of the office", replyMail("judy@example.org", "Judy Lee will be out of the office starting 01/12/2026", "", "I will be out of the office starting 01/12/2026 and will not return until 15/12/2026.\n"), nbAuto, []string{"judy@example.org"}},
		{"domino/german", replyMail("karl@example.org", "Karl Maier ist außer Haus.", "Auto-Submitted: auto-generated\n", "Ich werde ab 01.12.2026 nicht im Büro sein. Ich kehre zurück am 15.12.2026.\n"), nbAuto, []string{"karl@example.org"}},
		// Exchange 2003 and older Outlook.
		{"exchange2003/out of office autoreply", replyMail("leo@example.org", "Out of Office AutoReply: hello", "", oofBody), nbAuto, []string{"leo@example.org"}},
		{"outlook/AutoReply without space", replyMail("leo@example.org", "AutoReply: hello", "", oofBody), nbAuto, []string{"leo@example.org"}},
		// cPanel (Exim autoresponder) and Roundcube's managesieve vacation.
		{"cpanel/autoresponder", replyMail("info@example.org", "Re: hello", "X-Autorespond: hello\nPrecedence: auto_reply\nX-Precedence: auto_reply\n", "Thank you for contacting us. We will get back to you shortly.\n"), nbAuto, []string{"info@example.org"}},
		{"roundcube/vacation", replyMail("mia@example.org", "Out of office: hello", "Auto-Submitted: auto-replied (vacation)\n", "Back next week.\n"), nbAuto, []string{"mia@example.org"}},
		// Yahoo/AOL vacation: "Auto Response" subject.
		{"yahoo/auto response", replyMail("nick@yahoo.example", "Auto Response", "", "I'm away at the moment and will reply when I'm back.\n"), nbAuto, []string{"nick@yahoo.example"}},
		// An autoresponder that quotes our subject in brackets after its own word.
		{"generic/[auto-reply] prefix", replyMail("olga@example.org", "[Auto-Reply] hello", "", "This is an automatic reply.\n"), nbAuto, []string{"olga@example.org"}},
		{"generic/away subject", replyMail("olga@example.org", "Away from the office until 7 December", "", "Back on Monday.\n"), nbAuto, []string{"olga@example.org"}},
		{"generic/abwesenheitsnotiz", replyMail("paul@example.de", "Abwesenheitsnotiz: hello", "", "Ich bin bis zum 7.12. nicht im Büro.\n"), nbAuto, []string{"paul@example.de"}},
		{"generic/absence french", replyMail("quentin@example.fr", "Absence du bureau", "Auto-Submitted: auto-replied\n", "Je suis absent jusqu'au 7 décembre.\n"), nbAuto, []string{"quentin@example.fr"}},
		{"japanese/bracketed jidou henshin, iso-2022-jp", replyMail("info@example.jp", "=?ISO-2022-JP?B?GyRCIVo8K0YwSlY/LiFbJCpMZCQkOWckbyQ7JCIkaiQsJEgkJiQ0JDYkJCReJDkbKEI=?=", "", "Thank you for your inquiry.\n"), nbAuto, []string{"info@example.jp"}},
		{"japanese/fuzai tsuuchi, iso-2022-jp", crlf("From: taro@example.jp\nTo: sender@example.net\nSubject: =?ISO-2022-JP?B?GyRCSVQ6X0RMQ04bKEI=?=\nDate: Tue, 01 Dec 2026 10:00:00 +0900\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n") + "\x1b$B$?$@$$$^5Y2K$r$$$?$@$$$F$*$j$^$9!#\x1b(B\r\n", nbAuto, []string{"taro@example.jp"}},
		{"groupwise/X-Autogenerated reply", replyMail("vic@example.org", "Re: hello", "X-Autogenerated: Reply\n", "I'm away this week.\n"), nbAuto, []string{"vic@example.org"}},
		{"generic/japanese fuzai", replyMail("taro@example.jp", "不在のお知らせ", "", "12月7日まで不在にしております。\n"), nbAuto, []string{"taro@example.jp"}},

		// Ticket systems' acknowledgements: automatic answers, never failures. Those that say
		// only Auto-Submitted: auto-generated are automatic replies too: they answer the mail
		// at its return path.
		{"zendesk/request received", replyMail("Example Support <support@example.zendesk.com>", "[Example] Re: hello", "Auto-Submitted: auto-generated\nX-Auto-Response-Suppress: All\n", "Your request (1234) has been received and is being reviewed by our support staff.\n"), nbAuto, []string{"support@example.zendesk.com"}},
		{"freshdesk/ticket received", replyMail("Support <support@example.freshdesk.com>", "Ticket Received - hello", "Auto-Submitted: auto-replied\n", "Dear Sender,\n\nWe would like to acknowledge that we have received your request and a ticket has been created with Ticket ID - 5678.\n"), nbAuto, []string{"support@example.freshdesk.com"}},
		{"jira service management/request created", replyMail("Service Desk <jira@example.atlassian.net>", "[JIRA] (SD-42) hello", "Auto-Submitted: auto-generated\nPrecedence: bulk\n", "Your request SD-42 has been received. We'll be in touch soon.\n"), nbAuto, []string{"jira@example.atlassian.net"}},
		{"otrs/auto reply", replyMail("Helpdesk <helpdesk@example.org>", "[Ticket#2026120110000012] RE: hello", "X-OTRS-Loop: yes\nAuto-Submitted: auto-replied\nPrecedence: bulk\n", "Your email has been received and ticket 2026120110000012 created.\n"), nbAuto, []string{"helpdesk@example.org"}},
		{"rt/autoreply", replyMail("Example RT <rt@example.org>", "[example.org #1001] AutoReply: hello", "RT-Ticket: example.org #1001\nPrecedence: bulk\nAuto-Submitted: auto-replied\n", "Greetings,\n\nThis message has been automatically generated in response to the creation of a trouble ticket regarding:\n\t\"hello\",\n"), nbAuto, []string{"rt@example.org"}},

		// Challenge-response systems: the mail waits for the sender to prove it is human.
		{"boxbe/request to confirm", replyMail("Grace Chen <grace@example.com>", "Request to Confirm", "Auto-Submitted: auto-replied\nX-Boxbe-Challenge: yes\n", "Hello sender@example.net,\n\nYou will not receive any more courtesy notices from our members for two days. Messages you have sent will remain in a lower priority mailbox for our member to review at their leisure.\n\nPlease click the link below to confirm your address.\n"), nbNoneOrAuto, []string{"grace@example.com"}},
		{"spamarrest/please verify", replyMail("ruth@example.org", "Re: hello [Verify]", "Precedence: bulk\n", "Hello,\n\nI'm protecting myself from receiving junk mail. Just this once, click the link below so I can receive your email.\nYou won't have to do this again.\n"), nbNoneOrAuto, []string{"ruth@example.org"}},
		{"mailinblack/confirm human", replyMail("Mailinblack <noreply@example.org>", "Your message to sam@example.org is pending", "Auto-Submitted: auto-replied\n", "Hello,\n\nsam@example.org is protected by an anti-spam solution.\nTo have your message delivered, please confirm you are human by clicking on the link below.\n"), nbNoneOrAuto, []string{"noreply@example.org"}},

		// Read receipts and MDNs (RFC 8098): a message/disposition-notification part.
		{"mdn/displayed", reportMail("Tina <tina@example.org>", "Read: hello", "", "disposition-notification",
			"This is a receipt for the mail you sent to tina@example.org at 1 Dec 2026 09:00.\n\nThis receipt verifies that the message has been displayed on the recipient's computer.\n",
			"message/disposition-notification", "Reporting-UA: mail.example.org; Thunderbird\nFinal-Recipient: rfc822;tina@example.org\nOriginal-Message-ID: <orig-1@example.net>\nDisposition: manual-action/MDN-sent-manually; displayed\n"), nbNoneOrAuto, []string{"tina@example.org"}},
		{"mdn/deleted unread", reportMail("tina@example.org", "Not read: hello", "", "disposition-notification",
			"Your message\n\n  To: tina@example.org\n  Subject: hello\n\nwas deleted without being read on 1 Dec 2026.\n",
			"message/disposition-notification", "Reporting-UA: outlook.example.org; Microsoft Outlook\nFinal-Recipient: rfc822;tina@example.org\nDisposition: automatic-action/MDN-sent-automatically; deleted\n"), nbNoneOrAuto, []string{"tina@example.org"}},
		{"mdn/german gelesen", reportMail("uwe@example.de", "Gelesen: hello", "", "disposition-notification",
			"Ihre Nachricht wurde gelesen.\n",
			"message/disposition-notification", "Final-Recipient: rfc822;uwe@example.de\nDisposition: manual-action/MDN-sent-manually; displayed\n"), nbNoneOrAuto, []string{"uwe@example.de"}},
		{"mdn/failed disposition", reportMail("uwe@example.de", "Disposition notification", "", "disposition-notification",
			"The message could not be processed for a read receipt.\n",
			"message/disposition-notification", "Final-Recipient: rfc822;uwe@example.de\nDisposition: automatic-action/MDN-sent-automatically; failed\nFailure: unsupported disposition-notification-options\n"), nbNoneOrAuto, []string{"uwe@example.de"}},
		{"mdn/outlook read text only", replyMail("vera@example.org", "Read: hello", "", "Your message\n\n    To:      vera@example.org\n    Subject: hello\n    Sent:    Tuesday, December 1, 2026 9:00:00 AM (UTC)\n\nwas read on Tuesday, December 1, 2026 9:30:00 AM (UTC).\n"), nbNone, nil},

		// Success DSNs (RFC 3464 Action delivered, relayed, expanded).
		{"postfix/success report", reportMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Successful Mail Delivery Report", "Auto-Submitted: auto-replied\n", "delivery-status",
			"This is the mail system at host mx.example.net.\n\nYour message was successfully delivered to the destination(s)\nlisted below. If the message was delivered to mailbox you will\nreceive no further notifications. Otherwise you may still receive\nnotifications of mail delivery errors from other systems.\n\n                   The mail system\n\n<wendy@example.org>: delivery via mx.example.org[192.0.2.1]:25: 250 2.0.0 Ok:\n    queued as 7Qx2\n",
			"message/delivery-status", "Reporting-MTA: dns; mx.example.net\nArrival-Date: Tue,  1 Dec 2026 09:59:00 +0000\n\nFinal-Recipient: rfc822; wendy@example.org\nOriginal-Recipient: rfc822;wendy@example.org\nAction: relayed\nStatus: 2.0.0\nRemote-MTA: dns; mx.example.org\nDiagnostic-Code: smtp; 250 2.0.0 Ok: queued as 7Qx2\n"), nbDelivered, []string{"wendy@example.org"}},
		{"rfc3464/delivered, no text", reportMail("postmaster@mx.example.net", "Delivery Status Notification", "", "delivery-status", "",
			"message/delivery-status", "Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; xena@example.org\nAction: delivered\nStatus: 2.0.0\n"), nbDelivered, []string{"xena@example.org"}},
		{"rfc3464/expanded to a list", reportMail("postmaster@mx.example.net", "Delivery Status Notification (Expanded)", "", "delivery-status",
			"Your message was expanded to the members of the list staff@example.org.\n",
			"message/delivery-status", "Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; staff@example.org\nAction: expanded\nStatus: 2.0.0\n"), nbDelivered, []string{"staff@example.org"}},
		{"sendmail/return receipt, relayed", reportMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Return receipt", "Auto-Submitted: auto-generated (relayed)\n", "delivery-status",
			"The original message was received at Tue, 1 Dec 2026 09:59:00 +0000\nfrom localhost [127.0.0.1]\n\n   ----- The following addresses had successful delivery notifications -----\n<yuri@example.org>  (relayed to non-DSN-aware mailer)\n\n   ----- Transcript of session follows -----\n<yuri@example.org>... relayed; expect no further notifications\n",
			"message/delivery-status", "Reporting-MTA: dns; mx.example.net\nArrival-Date: Tue, 1 Dec 2026 09:59:00 +0000\n\nFinal-Recipient: RFC822; yuri@example.org\nAction: relayed (to non-DSN-aware mailer)\nStatus: 2.0.0\nRemote-MTA: DNS; mx.example.org\nLast-Attempt-Date: Tue, 1 Dec 2026 10:00:00 +0000\n"), nbDelivered, []string{"yuri@example.org"}},
		{"exim/success DSN", reportMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Delivery Status Notification", "Auto-Submitted: auto-replied\n", "delivery-status",
			"This message was created automatically by mail delivery software.\n\nYour message has been successfully delivered to the following address(es)\n\n  zoe@example.org\n",
			"message/delivery-status", "Reporting-MTA: dns; mx.example.net\n\nAction: delivered\nFinal-Recipient: rfc822;zoe@example.org\nStatus: 2.0.0\nRemote-MTA: dns; mx.example.org\n"), nbDelivered, []string{"zoe@example.org"}},
		{"exchange/delivered receipt", reportMail("Microsoft Outlook <postmaster@example.net>", "Delivered: hello", "", "delivery-status",
			"Your message has been delivered to the following recipients:\n\nadam@example.org (adam@example.org)\n\nSubject: hello\n",
			"message/delivery-status", "Reporting-MTA: dns;mail.example.net\n\nFinal-recipient: RFC822; adam@example.org\nAction: delivered\nStatus: 2.0.0\nX-Display-Name: Adam\n"), nbDelivered, []string{"adam@example.org"}},
		{"exchange/relayed receipt", reportMail("postmaster@example.net", "Relayed: hello", "", "delivery-status",
			"Delivery to these recipients or groups is complete, but no delivery notification was sent by the destination server:\n\nbea@example.org (bea@example.org)\n\nSubject: hello\n",
			"message/delivery-status", "Reporting-MTA: dns;mail.example.net\n\nFinal-recipient: RFC822; bea@example.org\nAction: relayed\nStatus: 2.0.0\nRemote-MTA: dns;mx.example.org\n"), nbDelivered, []string{"bea@example.org"}},
		{"rfc3464/delivered and delayed", reportMail("postmaster@mx.example.net", "Delivery Status Notification", "", "delivery-status", "",
			"message/delivery-status", "Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; cole@example.org\nAction: delivered\nStatus: 2.0.0\n\nFinal-Recipient: rfc822; dina@example.org\nAction: delayed\nStatus: 4.4.1\nWill-Retry-Until: Sun, 6 Dec 2026 10:00:00 +0000\n"), nbDelayed, []string{"cole@example.org", "dina@example.org"}},

		{"sendmail/return receipt, text only", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Return receipt", `The original message was received at Tue, 1 Dec 2026 09:59:00 +0000
from localhost [127.0.0.1]

   ----- The following addresses had successful delivery notifications -----
<yuri@example.org>  (successfully delivered to mailbox)

   ----- Transcript of session follows -----
<yuri@example.org>... Successfully delivered
`), nbDelivered, []string{"yuri@example.org"}},
		{"exchange/delivered receipt, text only", bounceMail("Microsoft Outlook <postmaster@example.net>", "Delivered: hello", `Your message has been delivered to the following recipients:

adam@example.org (adam@example.org)

Subject: hello
`), nbDelivered, []string{"adam@example.org"}},
		{"exchange2003/delivered receipt, text only", bounceMail("System Administrator <postmaster@example.net>", "Delivered: hello", `Your message

  To:      Cole <cole@example.org>
  Subject: hello
  Sent:    Tue, 1 Dec 2026 09:59:00 +0000

was delivered to the following recipient(s):

  Cole on Tue, 1 Dec 2026 10:00:00 +0000
`), nbNoneOrDelivered, []string{"cole@example.org"}},
		{"exchange/relayed receipt, text only", bounceMail("postmaster@example.net", "Relayed: hello", `Delivery to these recipients or groups is complete, but no delivery notification was sent by the destination server:

bea@example.org (bea@example.org)

Subject: hello
`), nbDelivered, []string{"bea@example.org"}},

		// Delay notices: failures in progress.
		{"exchange/delay, text only", bounceMail("postmaster@example.net", "Delivery Status Notification (Delay)", `This is an automatically generated Delivery Status Notification.

THIS IS A WARNING MESSAGE ONLY.

YOU DO NOT NEED TO RESEND YOUR MESSAGE.

Delivery to the following recipients has been delayed.

       iris@example.org
`), nbDelayed, []string{"iris@example.org"}},
		{"gmail/delivery incomplete, text only", bounceMail("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Delay)", `** Delivery incomplete **

There was a temporary problem delivering your message to jack@example.org. Gmail will retry for 46 more hours. You'll be notified if the delivery fails permanently.

The response was:

The recipient server did not accept our requests to connect. [mx.example.org. 192.0.2.1: timed out]
`), nbDelayed, []string{"jack@example.org"}},
		{"generic/will retry notice", bounceMail("Mail Delivery System <MAILER-DAEMON@mx.example.net>", "Mail delivery delayed", `Your message to mona@example.org has not been delivered yet because the
destination server is not answering (421 4.4.2 Connection dropped).

The server will retry for up to 5 days. You do not need to resend your message.
`), nbDelayed, []string{"mona@example.org"}},
		{"postfix/delay report with status part", reportMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Delayed Mail (still being retried)", "Auto-Submitted: auto-replied\n", "delivery-status",
			"This is the mail system at host mx.example.net.\n\n####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n\nYour message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n\n                   The mail system\n\n<eli@example.org>: host mx.example.org[192.0.2.1] said: 452 4.2.2 Mailbox\n    full (in reply to RCPT TO command)\n",
			"message/delivery-status", "Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; eli@example.org\nAction: delayed\nStatus: 4.2.2\nRemote-MTA: dns; mx.example.org\nDiagnostic-Code: smtp; 452 4.2.2 Mailbox full\nWill-Retry-Until: Sun,  6 Dec 2026 10:00:00 +0000\n"), nbDelayed, []string{"eli@example.org"}},
		{"sendmail/warning, text only", bounceMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Warning: could not send message for past 4 hours", sendmailWarning+`<fay@example.org>... Deferred: Connection timed out with mx.example.org.
Warning: message still undelivered after 4 hours
Will keep trying until message is 5 days old
`), nbDelayed, []string{"fay@example.org"}},
		{"sendmail/warning with status part", reportMail("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", "Warning: could not send message for past 4 hours", "Auto-Submitted: auto-generated (warning-timeout)\n", "delivery-status",
			sendmailWarning+"<gus@example.org>... Deferred: 450 4.7.1 <gus@example.org>: Recipient address rejected: Greylisted\nWarning: message still undelivered after 4 hours\nWill keep trying until message is 5 days old\n",
			"message/delivery-status", "Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: RFC822; gus@example.org\nAction: delayed\nStatus: 4.7.1\nRemote-MTA: DNS; mx.example.org\nDiagnostic-Code: SMTP; 450 4.7.1 <gus@example.org>: Recipient address rejected: Greylisted\nWill-Retry-Until: Sun, 6 Dec 2026 06:00:00 +0000\n"), nbDelayed, []string{"gus@example.org"}},
		{"exim/warning, mailbox full", bounceMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Warning: message 1sXyZw-000321-Ab delayed 48 hours", eximWarningHead("1sXyZw-000321-Ab", "48", "Sun, 29 Nov 2026 09:00:00 +0000")+`
  hana@example.org
    Delay reason: SMTP error from remote mail server after RCPT TO:<hana@example.org>:
    host mx.example.org [192.0.2.1]: 452 4.2.2 Mailbox full

`+eximWarningEnd), nbDelayed, []string{"hana@example.org"}},
		{"exchange/delay DSN", reportMail("postmaster@example.net", "Delivery Status Notification (Delay)", "", "delivery-status",
			"This is an automatically generated Delivery Status Notification.\n\nTHIS IS A WARNING MESSAGE ONLY.\n\nYOU DO NOT NEED TO RESEND YOUR MESSAGE.\n\nDelivery to the following recipients has been delayed.\n\n       iris@example.org\n",
			"message/delivery-status", "Reporting-MTA: dns;mail.example.net\nReceived-From-MTA: dns;client.example.net\n\nFinal-Recipient: rfc822;iris@example.org\nAction: delayed\nStatus: 4.4.7\nWill-Retry-Until: Thu, 3 Dec 2026 10:00:00 +0000\n"), nbDelayed, []string{"iris@example.org"}},
		{"gmail/delivery incomplete", reportMail("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Delay)", "Auto-Submitted: auto-replied\n", "delivery-status",
			"** Delivery incomplete **\n\nThere was a temporary problem delivering your message to jack@example.org. Gmail will retry for 46 more hours. You'll be notified if the delivery fails permanently.\n\nThe response was:\n\nThe recipient server did not accept our requests to connect. [mx.example.org. 192.0.2.1: timed out]\n",
			"message/delivery-status", "Reporting-MTA: dns; googlemail.com\nArrival-Date: Tue, 01 Dec 2026 02:00:00 -0800 (PST)\n\nFinal-Recipient: rfc822; jack@example.org\nAction: delayed\nStatus: 4.4.1\nDiagnostic-Code: smtp; The recipient server did not accept our requests to connect. [mx.example.org. 192.0.2.1: timed out]\nLast-Attempt-Date: Tue, 01 Dec 2026 02:00:10 -0800 (PST)\nWill-Retry-Until: Thu, 03 Dec 2026 02:00:00 -0800 (PST)\n"), nbDelayed, []string{"jack@example.org"}},
		{"office365/delivery delayed, text only", bounceMail("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>", "Delivery delayed:hello", `Delivery is delayed to these recipients or groups:

kim@example.org

Subject: hello

This message hasn't been delivered yet. Delivery will continue to be attempted.

The server will keep trying to deliver this message for the next 1 days, 19 hours and 57 minutes. You'll be notified if the message can't be delivered by that time.
`), nbDelayed, []string{"kim@example.org"}},
		{"courier/delayed mail", bounceMail("Courier mail server at mx.example.net <@>", "WARNING: delayed mail.", `This is a delivery status notification from mx.example.net,
running the Courier mail server, version 1.1.

---------------------------------------------------------------------------

                             DELAYED MAIL

Your message to the following recipients has not yet been delivered. The
mail server will keep trying to deliver your message for a while longer.
You do not need to resend it.

<lena@example.org>:
    mx.example.org [192.0.2.1]:
>>> RCPT TO:<lena@example.org>
<<< 451 4.3.0 Temporary failure, try again later
`), nbDelayed, []string{"lena@example.org"}},

		// Mailing-list notices. Those whose header says Auto-Submitted: auto-generated are
		// automatic answers to the mail, and may be read as automatic replies of the list's
		// address; those that say nothing of the kind are ordinary mail.
		{"mailman2/awaits moderator approval", replyMail("example-list-bounces@lists.example.org", "Your message to Example-list awaits moderator approval", "Precedence: bulk\nX-BeenThere: example-list@lists.example.org\nList-Id: <example-list.lists.example.org>\n", `Your mail to 'Example-list' with the subject

    hello

Is being held until the list moderator can review it for approval.

The reason it is being held:

    Post by non-member to a members-only list

Either the message will get posted to the list, or you will receive
notification of the moderator's decision.  If you would like to cancel
this posting, please visit the following URL:

    https://lists.example.org/mailman/confirm/example-list/0123456789abcdef
`), nbNone, nil},
		{"mailman3/awaits moderator approval", replyMail("example-list-owner@lists.example.org", "Your message to example-list@lists.example.org awaits moderator approval", "Precedence: bulk\nAuto-Submitted: auto-generated\n", `Your message entitled

    hello

was successfully received by the example-list@lists.example.org mailing list.

Your message is being held for moderator approval.
`), nbNoneOrAuto, []string{"example-list-owner@lists.example.org"}},
		{"mailman/subscription confirmation", replyMail("example-list-request@lists.example.org", "confirm 0123456789abcdef", "Precedence: bulk\nAuto-Submitted: auto-generated\n", `Mailing list subscription confirmation notice for mailing list Example-list

We have received a request for subscription of your email address,
"sender@example.net", to the example-list@lists.example.org mailing list.
To confirm that you want to be added to this mailing list, simply reply
to this message, keeping the Subject: header intact.
`), nbNoneOrAuto, []string{"example-list-request@lists.example.org"}},
		{"sympa/message for moderation", replyMail("sympa@lists.example.org", "Your message for list example has been forwarded to editor(s)", "Auto-Submitted: auto-replied\nPrecedence: list\n", "Your message for list example has been forwarded to the list editor(s) for approval.\n"), nbNoneOrAuto, []string{"sympa@lists.example.org"}},
		{"googlegroups/pending moderation", replyMail("example-group+owners@googlegroups.com", "Your message is pending approval", "Auto-Submitted: auto-generated\nPrecedence: list\n", "Your message to example-group@googlegroups.com is awaiting moderator approval. It will be delivered to the group once a manager approves it.\n"), nbNoneOrAuto, []string{"example-group+owners@googlegroups.com"}},
		{"mailman/membership disabled for the member", replyMail("example-list-bounces@lists.example.org", "Your membership in the mailing list Example-list has been disabled", "Precedence: bulk\n", `Your membership in the mailing list Example-list has been disabled due
to excessive bounces. You will not get any more messages from this list
until you re-enable your membership.
`), nbNone, nil},

		// Ordinary mail from people that speaks of failures.
		{"human/asks about a 550", replyMail("Carol Person <carol@example.org>", "Question about bounce messages", "", "Hi,\n\nwhen I write to dave@example.com I get back \"550 5.1.1 User unknown\". Is your server blocking me?\n\nCarol\n"), nbNone, nil},
		// A person's new mail whose subject says undeliverable, written in a mail program
		// (User-Agent, RFC 9110's field that mail programs also write; Outlook's X-Mailer).
		{"human/new mail about an undeliverable address, thunderbird", replyMail("Carol Person <carol@example.org>", "Undeliverable mail to dave", "User-Agent: Mozilla Thunderbird\n", "Hi postmaster,\n\nwhen I write to dave@example.com I get back \"550 5.1.1 User unknown\". Can you check?\n"), nbNone, nil},
		{"human/new mail about a delivery failure, outlook", replyMail("Carol Person <carol@example.org>", "Delivery failure to dave@example.com", "X-Mailer: Microsoft Outlook 16.0\n", "Hello, my mail to dave@example.com could not be delivered: 550 5.1.1 User unknown. Is his address still valid?\n"), nbNone, nil},
		{"human/reply quoting a bounce", replyMail("Carol Person <carol@example.org>", "Re: newsletter", "", "Hi, I got this back when I forwarded your newsletter:\n\n> "+strings.ReplaceAll(strings.TrimSuffix(bounceQuote, "\n"), "\n", "\n> ")+"\n\nAny idea?\n"), nbNone, nil},
		// A bounce a person forwarded, inline, with the MTA's template: the forwarded
		// failure is the address's own receiver refusing it (550 5.1.1 from dave's MX), which
		// says the same of the address whoever sent the mail, so its recipients may be read
		// (the shared corpus's lhost-sendmail-14 is such a forward, expected as a bounce,
		// and TestLayouts reads a DSN forwarded as an attachment). The person who forwarded
		// it must never be taken for a recipient.
		{"human/forwarded bounce inline", replyMail("Carol Person <carol@example.org>", "Fwd: Undelivered Mail Returned to Sender", "", "Can you help? This came back.\n\n---------- Forwarded message ---------\nFrom: Mail Delivery System <MAILER-DAEMON@mx.example.org>\nDate: Tue, Dec 1, 2026 at 9:00 AM\nSubject: Undelivered Mail Returned to Sender\nTo: <carol@example.org>\n\n\nThis is the mail system at host mx.example.org.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n                   The mail system\n\n"+bounceQuote), nbForwarded, []string{"dave@example.com"}},
		{"human/outlook forward of an NDR", replyMail("Carol Person <carol@example.org>", "FW: Undeliverable: hello", "", "FYI\n\n-----Original Message-----\nFrom: Microsoft Outlook <postmaster@example.org>\nSent: Tuesday, December 1, 2026 9:00 AM\nTo: Carol Person <carol@example.org>\nSubject: Undeliverable: hello\n\nYour message to dave@example.com couldn't be delivered.\ndave wasn't found at example.com.\n\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n"), nbForwarded, []string{"dave@example.com"}},
		{"human/out of office mentioned in passing", replyMail("Dora <dora@example.org>", "Re: planning", "", "Thanks! I'll be out of the office next week, so let's meet on the 14th.\n"), nbNone, nil},
		{"newsletter/subject says undeliverable", replyMail("Deliverability Weekly <news@news.example.com>", "Why your emails are undeliverable: 5 fixes", "Precedence: bulk\nList-Unsubscribe: <mailto:unsubscribe@news.example.com>\nList-Id: <weekly.news.example.com>\n", "This week: what \"550 5.1.1 user unknown\" really means, and why mail to info@example.org could not be delivered.\n\nUnsubscribe: https://news.example.com/u\n"), nbNone, nil},
		{"newsletter/delivery failure in the subject", replyMail("Shop <offers@shop.example.com>", "Delivery failure? Not with our couriers!", "Precedence: bulk\nList-Unsubscribe: <https://shop.example.com/unsub>\n", "Order today and get free delivery. Questions? Write to care@shop.example.com.\n"), nbNone, nil},
		{"spam/fake mailbox notice", replyMail("Mail Administrator <admin@phish.example>", "Mail delivery failed: 3 pending messages", "", "Dear sender@example.net,\n\nYour mailbox has 3 messages pending delivery because your quota is full. Click below to release them:\nhttp://phish.example/release\n"), nbNone, nil},
		{"spam/backscatter to a forged sender", replyMail("MAILER-DAEMON@relay.example.com", "Returned mail: see transcript for details", "", "Cheap watches! Visit http://spam.example/\n"), nbNone, nil},

		// A person's reply on a list that discusses an error: a reply ("Re:") is a person's
		// answer, whatever words the subject it answers holds.
		{"human/list reply about an undeliverable error", replyMail("Carol Person <carol@example.org>", "Re: Undeliverable messages to example.com", "List-Id: <users.lists.example.org>\nList-Post: <mailto:users@lists.example.org>\nList-Unsubscribe: <mailto:users-leave@lists.example.org>\n", "On Monday, Dave wrote:\n> my mail to erin@example.com comes back with 550 5.1.1 user unknown\n\nSame here: mail to erin@example.com could not be delivered since Friday.\n"), nbNone, nil},
		// A person answering an automatic reply.
		{"human/reply to an automatic reply", replyMail("Carol Person <carol@example.org>", "Re: Automatic reply: hello", "", "Thanks, I'll wait until you're back.\n"), nbNone, nil},

		// Automatic replies sent with a null return path (RFC 3834 §3.3), whose text speaks
		// of an address that does not exist: the header says auto-replied and the sender is
		// a person's address, so the body's failure words do not make it a bounce.
		{"rfc3834/null return path, address does not exist", replyMail("Quinn <quinn@example.org>", "Re: hello", "Return-Path: <>\nAuto-Submitted: auto-replied\n", "Thank you for your message. Please note that this mailbox does not exist anymore since our merger and\nyour mail was not delivered to a person. Please write to info@example.org.\n"), nbAuto, []string{"quinn@example.org"}},
		{"rfc3834/null return path, odd subject", replyMail("<quinn@example.org>", "xkcdfoobarbaz", "Return-Path: <>\nAuto-Submitted: auto-replied\n", "Zukünftig: info@example.org\n"), nbAuto, []string{"quinn@example.org"}},

		// Reports to the postmaster about mail coming in, not about mail sent: Postfix's
		// notice of an SMTP session's errors (smtpd notify_classes, "Postfix SMTP server:
		// errors from ..."), an SMTP TLS report (RFC 8460, multipart/report of type tlsrpt)
		// and a DMARC aggregate report (RFC 7489 §7.2.1.1). The addresses they name are our
		// own domain's, refused to someone else.
		{"postfix/smtpd errors notice", crlf("From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\nTo: postmaster@mx.example.net (Postmaster)\nSubject: Postfix SMTP server: errors from unknown[198.51.100.7]\nAuto-Submitted: auto-generated\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMessage-ID: <n1@mx.example.net>\n\n" +
			"Transcript of session follows.\n\n Out: 220 mx.example.net ESMTP Postfix\n In:  EHLO spammer.example\n Out: 250-mx.example.net\n In:  MAIL FROM:<x@spammer.example>\n Out: 250 2.1.0 Ok\n In:  RCPT TO:<nobody@example.net>\n Out: 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in local recipient\n     table\n\nFor other details, see the local mail logfile\n"), nbNone, nil},
		{"tlsrpt/report", reportMail("noreply-smtp-tls-reporting@google.example", "Report Domain: example.net Submitter: google.example Report-ID: <2026.12.01T00.00.00Z+example.net@google.example>", "TLS-Report-Domain: example.net\nTLS-Report-Submitter: google.example\n", "tlsrpt",
			"This is an aggregate TLS report from google.example\n",
			"application/tlsrpt+json", "{\"organization-name\":\"Google\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"example.net\"},\"summary\":{\"total-successful-session-count\":10,\"total-failure-session-count\":1},\"failure-details\":[{\"result-type\":\"certificate-expired\",\"receiving-mx-hostname\":\"mx.example.net\",\"failed-session-count\":1}]}]}\n"), nbNone, nil},
		{"dmarc/aggregate report", replyMail("DMARC Aggregate Report <dmarc-noreply@example.com>", "Report Domain: example.net Submitter: example.com Report-ID: 4410017", "", "This is an aggregate report from example.com. 2 messages from 192.0.2.9 failed DKIM and SPF alignment; the policy rejected them.\n"), nbNone, nil},
		{"quarantine/end user digest", replyMail("Quarantine <quarantine@gw.example.net>", "End User Digest: 2 New Messages", "Auto-Submitted: auto-generated\nList-Unsubscribe: <https://gw.example.net/digest/off>\n", "The following messages sent to sender@example.net were held as spam and not delivered:\n\nFrom: offers@spam.example  Subject: You won\nFrom: billing@phish.example  Subject: Invoice overdue\n"), nbNone, nil},

		// Real failures dressed as automatic replies.
		// A gateway's bounce with a sender and subject of its own, a null return path and
		// Auto-Submitted: auto-generated: its text says it failed, so the header's weaker
		// sign of an automatic mail does not make it a reply.
		{"failure/gateway notice with auto-generated", replyMail("Mail Gateway <gateway@example.net>", "Notification", "Return-Path: <>\nAuto-Submitted: auto-generated\n", "This notice was generated by the mail gateway. Delivery to a recipient failed:\n\nnora@example.org: 550 5.1.1 <nora@example.org>: Recipient address rejected: User unknown\n"), nbFailure, []string{"nora@example.org"}},
		// A Postfix bounce of an out-of-office reply: its subject is the failed reply's own
		// (a relay that writes the original subject), but the sender and the template are
		// the mail system's. The failure is ours to act on.
		{"failure/postfix bounce with an out-of-office subject", bounceMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Out of Office: hello", postfixShortIntro+bounceQuote), nbFailure, []string{"dave@example.com"}},
		// A DSN with a delivery-status part that also carries Auto-Submitted: auto-replied
		// (RFC 3834 §5 lets a DSN say auto-replied): the status part decides.
		{"failure/DSN with auto-replied header", reportMail("MAILER-DAEMON@mx.example.net", "Auto: hello", "Auto-Submitted: auto-replied\n", "delivery-status",
			"Delivery to the following recipient failed permanently:\n\n    nora@example.org\n",
			"message/delivery-status", "Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; nora@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <nora@example.org>: User unknown\n"), nbFailure, []string{"nora@example.org"}},
		// An Exchange NDR of an automatic reply: "Automatic reply" inside its subject.
		{"failure/NDR of an automatic reply", reportMail("postmaster@example.net", "Undeliverable: Automatic reply: hello", "", "delivery-status",
			"Delivery has failed to these recipients or groups:\n\noscar@example.org\nThe email address you entered couldn't be found.\n",
			"message/delivery-status", "Reporting-MTA: dns;mail.example.net\n\nFinal-recipient: RFC822; oscar@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp;550 5.1.1 RESOLVER.ADR.RecipientNotFound; not found\n"), nbFailure, []string{"oscar@example.org"}},
		// An automatic reply that says the address is no longer in use. It is still an
		// automatic reply: the mailbox accepted the mail and answered it, so the address is
		// not bad in the sense a bounce proves (RFC 5321 gave it no refusal), and the request
		// to stop writing is a person's, for whoever reads replies, not a delivery verdict.
		// Kind autoreply, never suppressed: suppressing on auto-reply wording would let any
		// vacation text ("I no longer work on this") remove a working address.
		// An out-of-office reply to a bounce (backscatter): the bounce's words follow the
		// reply's own prefix.
		{"autoreply/answering a bounce", replyMail("Alice Away <alice@example.org>", "Automatic reply: Undeliverable: hello", exchangeOOF, oofBody), nbAuto, []string{"alice@example.org"}},
		{"autoreply/answering a Postfix bounce", replyMail("Alice Away <alice@example.org>", "Automatic reply: Undelivered Mail Returned to Sender", exchangeOOF, oofBody), nbAuto, []string{"alice@example.org"}},
		{"autoreply/answering an Exim bounce", replyMail("alice@example.org", "Out of Office: Mail delivery failed: returning message to sender", "Auto-Submitted: auto-replied\n", "I'm away until Monday. Your message about \"Mail delivery failed\" will be read when I'm back.\n"), nbAuto, []string{"alice@example.org"}},
		{"autoreply/answering a bounce, german", replyMail("Alice Away <alice@example.org>", "Automatische Antwort: Unzustellbar: hello", "", oofBody), nbAuto, []string{"alice@example.org"}},
		{"autoreply/address no longer in use", replyMail("Pat Former <pat@example.org>", "Automatic reply: hello", exchangeOOF, "This address is no longer in use. Pat has left Example Ltd.\nPlease remove it from your mailing list and write to info@example.org instead.\n"), nbAuto, []string{"pat@example.org"}},
	}
	for _, s := range oofSubjects {
		tests = append(tests, nbCase{"exchange oof/" + s.lang, replyMail("Alice Away <alice@example.org>", s.prefix+"hello", exchangeOOF, oofBody), nbAuto, []string{"alice@example.org"}})
	}
	// Outlook OOF subjects in languages whose prefix is not known, recognised by the headers
	// Exchange writes and the reply's words.
	tests = append(tests,
		nbCase{"exchange oof/unknown language, english body", replyMail("alice@example.org", "Samodejni odgovor: hello", exchangeOOF, oofBody), nbAuto, []string{"alice@example.org"}},
		nbCase{"exchange oof/encoded-word subject", replyMail("alice@example.org", mime.BEncoding.Encode("utf-8", "Automatyczna odpowiedź: hello"), exchangeOOF, oofBody), nbAuto, []string{"alice@example.org"}},
		nbCase{"exchange oof/html only, unknown prefix", crlf("From: Alice <alice@example.org>\nTo: sender@example.net\nSubject: Samodejni odgovor: hello\nDate: Tue, 01 Dec 2026 10:00:00 +0000\n" + exchangeOOF +
			"MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>I am <b>out of the office</b> until 7 December.</p></body></html>\n"), nbAuto, []string{"alice@example.org"}},
		nbCase{"exchange oof/no subject prefix, german body", replyMail("alice@example.org", "hello", exchangeOOF, "Vielen Dank für Ihre Nachricht. Ich bin bis zum 7. Dezember nicht im Büro und habe keinen Zugriff auf meine E-Mails.\n"), nbAuto, []string{"alice@example.org"}},
	)

	failures := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkNonBounce(t, tc)
			if t.Failed() {
				failures++
			}
		})
	}
	if failures > 0 {
		t.Logf("%d of %d mails misread", failures, len(tests))
	}
}

// nbCase is a mail of TestNonBounces or TestNonBounces2 and what it must mean.
type nbCase struct {
	name, mail string
	want       nbWant
	addrs      []string // the recipients expected, in order
}

// checkNonBounce decodes and classifies the case's mail and fails where it is not what
// tc.want says: no recipient of a mail that is not a failure may be hard or suppress, each
// recipient must be of the kind tc.want gives, and the recipients must be tc.addrs (or none,
// where tc.want allows that).
func checkNonBounce(t *testing.T, tc nbCase) {
	t.Helper()
	rep := dsn.ParseBytes([]byte(tc.mail))
	var got, kinds []string
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		v := classify.Classify(r.Facts(rep))
		got = append(got, r.Address)
		kinds = append(kinds, fmt.Sprintf("%s %s/%s hard=%t suppress=%t", r.Address, v.Kind, v.Reason, v.Hard, v.Suppress))
		if tc.want == nbComplaint {
			if v.Kind != classify.KindComplaint || v.Hard {
				t.Errorf("%s: kind %s reason %s hard=%t; want a complaint", r.Address, v.Kind, v.Reason, v.Hard)
			}
			continue
		}
		if tc.want != nbFailure && tc.want != nbForwarded && (v.Hard || v.Suppress) {
			t.Errorf("%s: kind %s reason %s hard=%t suppress=%t; a mail that is not a failure must never be hard or suppress", r.Address, v.Kind, v.Reason, v.Hard, v.Suppress)
		}
		var wantKind classify.Kind
		switch tc.want {
		case nbAuto, nbNoneOrAuto:
			wantKind = classify.KindAutoReply
		case nbDelivered, nbNoneOrDelivered:
			wantKind = classify.KindDelivered
		case nbDelayed:
			wantKind = classify.KindDelayed
			if r.Action == classify.ActionDelivered {
				wantKind = classify.KindDelivered
			}
		case nbFailure:
			if i == 0 && !(v.Hard && v.Suppress) {
				t.Errorf("%s: kind %s reason %s hard=%t suppress=%t, want a hard failure", r.Address, v.Kind, v.Reason, v.Hard, v.Suppress)
			}
		}
		if wantKind != "" && v.Kind != wantKind {
			t.Errorf("%s: kind %s reason %s, want kind %s", r.Address, v.Kind, v.Reason, wantKind)
		}
		if wantKind == classify.KindAutoReply && v.Reason != classify.ReasonVacation {
			t.Errorf("%s: reason %s, want vacation", r.Address, v.Reason)
		}
	}
	t.Logf("decoded by %q as %s: %q", rep.Format, rep.Kind, kinds)
	switch {
	case tc.want == nbComplaint || tc.want == nbFeedback:
		if rep.Kind != dsn.KindFeedback || (tc.addrs != nil && !slices.Equal(got, tc.addrs)) {
			t.Errorf("decoded by %s as %s, recipients %q; want a feedback report naming %q", rep.Format, rep.Kind, kinds, tc.addrs)
		}
	case tc.want == nbForwarded:
		for _, a := range got {
			if !slices.Contains(tc.addrs, a) {
				t.Errorf("decoded by %s, recipients %q; want none or some of %q", rep.Format, kinds, tc.addrs)
			}
		}
	case tc.want == nbNone && len(got) > 0:
		t.Errorf("decoded by %s as %s, recipients %q; want none", rep.Format, rep.Kind, kinds)
	case (tc.want == nbNoneOrAuto || tc.want == nbNoneOrDelivered) && len(got) > 0 && !slices.Equal(got, tc.addrs):
		t.Errorf("decoded by %s, recipients %q; want none or %q", rep.Format, kinds, tc.addrs)
	case tc.want != nbNone && tc.want != nbNoneOrAuto && tc.want != nbNoneOrDelivered && !slices.Equal(got, tc.addrs):
		t.Errorf("decoded by %s as %s, recipients %q; want %s %q", rep.Format, rep.Kind, kinds, tc.want, tc.addrs)
	}
	if tc.want == nbAuto && rep.Kind != dsn.KindAutoReply {
		t.Errorf("report kind %s, want %s", rep.Kind, dsn.KindAutoReply)
	}
}

package dsn_test

import (
	"strings"
	"testing"
)

// attachedMail builds a multipart/mixed mail: a plain-text part and one attachment of the
// given type and file name whose body is already base64.
func attachedMail(from, subject, extra, text, attType, attName, attB64 string) string {
	return crlf("From: " + from + "\nTo: postmaster@example.net\nSubject: " + subject +
		"\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMessage-ID: <a1@mail.example.org>\n" + extra +
		"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"MIX\"\n\n" +
		"--MIX\nContent-Type: text/plain; charset=utf-8\n\n" + text +
		"\n--MIX\nContent-Type: " + attType + "; name=\"" + attName + "\"\nContent-Disposition: attachment; filename=\"" + attName + "\"\nContent-Transfer-Encoding: base64\n\n" +
		attB64 + "\n--MIX--\n")
}

// htmlMail builds a mail whose only body is HTML, the shape of carriers', shops' and
// phishers' notices.
func htmlMail(from, subject, extra, html string) string {
	return crlf("From: " + from + "\nTo: sender@example.net\nSubject: " + subject +
		"\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMessage-ID: <h1@mail.example.org>\n" + extra +
		"MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n" + html)
}

// noticeMail is replyMail without In-Reply-To: a notice that answers a mail without naming
// it, as list servers write theirs (Mailman's UserNotification, Sympa's and LISTSERV's).
func noticeMail(from, subject, extra, body string) string {
	return strings.Replace(replyMail(from, subject, extra, body), "In-Reply-To: <orig-1@example.net>\r\n", "", 1)
}

// postmasterMail builds a new mail (no In-Reply-To) to the postmaster address with the given
// body type: the shape of phishing sent to a domain's role addresses.
func postmasterMail(from, subject, contentType, body string) string {
	return crlf("From: " + from + "\nTo: postmaster@example.net\nSubject: " + subject +
		"\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMessage-ID: <p1@webmail.example.com>\n" +
		"MIME-Version: 1.0\nContent-Type: " + contentType + "; charset=utf-8\n\n" + body)
}

// The texts several cases share.
const (
	// bulkHeaders are the header lines a transactional or marketing sender writes.
	bulkHeaders = "Precedence: bulk\nList-Unsubscribe: <https://mail.example.com/unsubscribe?u=1>\nFeedback-ID: 1:notify:example\n"
	// exchangeOOFNoAuto is Exchange's out-of-office header block without Auto-Submitted
	// (Exchange 2010 and older, and replies relayed through a gateway that drops it).
	exchangeOOFNoAuto = "X-Auto-Response-Suppress: All\nX-MS-Exchange-Inbox-Rules-Loop: alice@example.org\nThread-Topic: hello\n"
	// gzipB64 stands for a compressed report attachment: its bytes do not matter.
	gzipB64 = "H4sIAAAAAAAAA+3OMQ6AIBAF0d5TbGgNQVdAr6NGC7EwRDvvLloYLbSimvdT7GYYBwAAAAAAAADgXzdS6TG8ACgAAA=="
)

// TestNonBounces2 decodes more mail that is not a delivery failure but shares a bounce's
// words: carriers' and shops' "delivery failed" notices, people's mail with an NDR's subject,
// helpdesk acknowledgements, list moderation notices, DMARC, TLS and abuse reports, read
// receipts, recalls, success DSNs, challenges, automatic replies in many languages,
// quarantine digests and phishing dressed as an NDR. Each is written from what the software
// sends (its templates and documentation). Apart from the forwarded bounces, no mail here may
// make a verdict hard or suppress; feedback reports stay complaints.
func TestNonBounces2(t *testing.T) {
	tests := []nbCase{
		// Carriers' notices of a parcel that was not delivered (DHL, UPS, FedEx, La Poste/
		// Colissimo, PostNL, Royal Mail, Poste Italiane, Correos, USPS, Amazon): sent by
		// notification services with their own sender, no null return path, and no status
		// code; the address they name is the customer's own.
		{"parcel/dhl zustellung fehlgeschlagen", htmlMail("DHL Paket <noreply@dhl.example.de>", "Zustellung fehlgeschlagen: Ihre DHL Sendung 00340434161234567890", bulkHeaders,
			"<html><body><p>Hallo,</p><p>leider konnten wir Ihre Sendung <b>00340434161234567890</b> heute nicht zustellen. Die Zustellung ist fehlgeschlagen, weil der Empfänger nicht angetroffen wurde.</p><p>Die Sendung liegt ab morgen in Ihrer Filiale zur Abholung bereit.</p><p>Diese E-Mail wurde an sender@example.net gesendet.</p></body></html>\n"), nbNone, nil},
		{"parcel/ups delivery attempted", replyMail("UPS <mcinfo@ups.example.com>", "UPS Update: Delivery Attempted", bulkHeaders,
			"Delivery Attempted\n\nWe tried to deliver your package today but were unable to complete the delivery. We'll try again next business day.\n\nTracking Number: 1Z999AA10123456784\nShip To: SENDER, EXAMPLE STREET 1\n\nThis email was sent to sender@example.net. Do not reply to this message.\n"), nbNone, nil},
		{"parcel/fedex delivery exception", replyMail("FedEx Delivery Manager <TrackingUpdates@fedex.example.com>", "FedEx Shipment 771234567890: Delivery exception", bulkHeaders,
			"Delivery failed\n\nWe could not deliver your package. Reason: Incorrect address - recipient moved.\nWe are attempting to obtain a new address. The package will be returned to sender if we cannot reach the recipient.\n\nShip to: Sender, 1 Example Street\n"), nbNone, nil},
		{"parcel/colissimo livraison échouée", htmlMail("Colissimo <noreply@notif-colissimo.example.fr>", "Votre colis n'a pas pu être livré", bulkHeaders,
			"<html><body><h1>Livraison échouée</h1><p>Bonjour,</p><p>Votre colis 6A12345678901 n'a pas pu être livré : destinataire absent. Il vous attend dans votre bureau de poste.</p><p>Adresse de destination inconnue ? Contactez-nous.</p></body></html>\n"), nbNone, nil},
		{"parcel/postnl niet bezorgd", replyMail("PostNL <noreply@postnl.example.nl>", "We konden je pakket niet bezorgen", bulkHeaders,
			"Hoi,\n\nHelaas konden we je pakket 3SABCD1234567 vandaag niet bezorgen. Bezorging mislukt: er was niemand thuis.\nJe pakket ligt vanaf morgen klaar bij het PostNL-punt.\n"), nbNone, nil},
		{"parcel/royal mail returned to sender", replyMail("Royal Mail <no-reply@royalmail.example.co.uk>", "Your item is being returned to sender", bulkHeaders,
			"Your item AB123456789GB could not be delivered and is being returned to the sender.\nReason: addressee gone away.\n"), nbNone, nil},
		{"parcel/poste italiane consegna non riuscita", replyMail("Poste Italiane <noreply@posteitaliane.example.it>", "Consegna non riuscita per la spedizione 1UW1234567890", bulkHeaders,
			"Gentile cliente,\n\nla consegna della spedizione 1UW1234567890 non è riuscita: destinatario assente. La spedizione è in giacenza presso l'ufficio postale.\n"), nbNone, nil},
		{"parcel/correos entrega fallida", replyMail("Correos <notificaciones@correos.example.es>", "Entrega fallida de tu envío PQ4F6P0712345670128001D", bulkHeaders,
			"Hola,\n\nno hemos podido entregar tu envío. Entrega fallida: dirección incorrecta o destinatario desconocido.\n"), nbNone, nil},
		{"parcel/usps delivery attempted", replyMail("USPS Informed Delivery <USPSInformeddelivery@informeddelivery.example.com>", "USPS Tracking: Delivery Attempted - No Access to Delivery Location", bulkHeaders,
			"Delivery Attempted - No Access to Delivery Location\n\nYour item could not be delivered on December 1, 2026 at 10:02 am in EXAMPLE, CA 90210 because the carrier did not have access to the delivery location.\n"), nbNone, nil},
		{"parcel/amazon undeliverable", replyMail("Amazon.example <shipment-tracking@amazon.example.com>", "Your package was undeliverable", "Feedback-ID: 1.eu-west-1.x:AmazonSES\n",
			"Hello,\n\nWe were unable to deliver your package. The carrier reported: Undeliverable - address not found.\nYour package is being returned to us and you will receive a refund.\n"), nbNone, nil},

		// Shops' and payment providers' "failed" notices: about an order, a card, an SMS or
		// a fax, never about a mail.
		{"payment/stripe invoice payment failed", replyMail("Example SaaS <billing@saas.example.com>", "Payment failed for invoice #1042", "Auto-Submitted: auto-generated\n",
			"Hi,\n\nWe attempted to charge your card ending in 4242 for invoice #1042 but the payment failed: Your card was declined.\nPlease update your payment method at https://billing.example.com/u/abc.\n"), nbNoneOrAuto, []string{"billing@saas.example.com"}},
		{"payment/zahlung fehlgeschlagen", replyMail("Example Shop <service@shop.example.de>", "Zahlung fehlgeschlagen – Bestellung 40211", bulkHeaders,
			"Hallo,\n\ndie Zahlung für Ihre Bestellung 40211 ist fehlgeschlagen. Die Bestellung konnte nicht ausgeführt werden.\nBitte wählen Sie eine andere Zahlungsart.\n"), nbNone, nil},
		{"order/could not be delivered", replyMail("Example Store <orders@store.example.com>", "Order #1001 could not be delivered", bulkHeaders,
			"We're sorry: your order #1001 could not be delivered because the shipping address was rejected by the courier.\nReply to this mail or write to support@store.example.com to correct the address.\n"), nbNone, nil},
		{"sms/delivery failed", replyMail("SMS Gateway <alerts@sms.example.com>", "SMS delivery failed to +491701234567", "Auto-Submitted: auto-generated\n",
			"Your SMS message to +491701234567 could not be delivered.\nStatus: undelivered (error 30003: Unreachable destination handset).\n"), nbNoneOrAuto, []string{"alerts@sms.example.com"}},
		{"fax/transmission failed", replyMail("eFax <noreply@efax.example.com>", "Fax delivery failed: 2 pages to +1 555 0100", "",
			"Your fax to +1 555 0100 was not delivered.\nResult: No answer / busy after 3 attempts.\nPages: 2\n"), nbNone, nil},
		{"bank/returned paper mail", replyMail("Example Bank <alerts@bank.example.com>", "Returned mail - please update your address", bulkHeaders,
			"Dear customer,\n\nWe recently sent a letter to your address on file and it was returned to us by the post office as undeliverable.\nPlease log in and update your postal address.\n"), nbNone, nil},

		// People's mail with an NDR's subject, written in webmail that names no program (no
		// User-Agent, no X-Mailer): a reply to a bounce, a note about one, a forward.
		{"human/re undeliverable, no quote", replyMail("Carol Person <carol@example.org>", "RE: Undeliverable: hello", "",
			"Hi, your mail came back to you because my mailbox was full. I have cleaned it up, please send it again.\n\nCarol\n"), nbNone, nil},
		{"human/re returned mail, address works", replyMail("Carol Person <carol@example.org>", "Re: Returned mail: see transcript for details", "",
			"Why did this come back? dave@example.com is my colleague and his address works, I wrote to him this morning.\n"), nbNone, nil},
		{"human/returned mail, wrong address", replyMail("Carol Person <carol@example.org>", "Returned mail", "",
			"Hello,\n\nyou sent the invoice to the wrong address: acounts@example.org does not exist, please use accounts@example.org instead.\n\nThanks, Carol\n"), nbNone, nil},
		{"human/undeliverable subject copied, quoted NDR", replyMail("Carol Person <carol@example.org>", "Undeliverable: hello", "",
			"Hi postmaster, I keep getting this. Can you look?\n\n> Delivery has failed to these recipients or groups:\n>\n> dave@example.com\n> The email address you entered couldn't be found.\n>\n> Remote Server returned '550 5.1.1 User unknown'\n\nCarol\n"), nbForwarded, []string{"dave@example.com"}},
		{"human/re returned mail, quoted postfix bounce", replyMail("Carol Person <carol@example.org>", "Re: Undelivered Mail Returned to Sender", "",
			"Thanks, I'll tell Dave to fix his address.\n\nOn Tue, Dec 1, 2026 at 9:00 AM Mail Delivery System <MAILER-DAEMON@mx.example.org> wrote:\n> "+strings.ReplaceAll(strings.TrimSuffix(bounceQuote, "\n"), "\n", "\n> ")+"\n"), nbForwarded, []string{"dave@example.com"}},
		{"human/fwd returned mail, gmail forward of a bounce", replyMail("Carol Person <carol@example.org>", "Fwd: Returned mail: User unknown", "",
			"---------- Forwarded message ---------\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\nDate: Tue, Dec 1, 2026 at 9:00 AM\nSubject: Returned mail: User unknown\nTo: <carol@example.org>\n\n   ----- The following addresses had permanent fatal errors -----\n<dave@example.com>\n    (reason: 550 5.1.1 User unknown)\n"), nbForwarded, []string{"dave@example.com"}},
		{"human/re delivery status notification (failure), no quote", replyMail("Carol Person <carol@example.org>", "Re: Delivery Status Notification (Failure)", "",
			"I don't understand this message. Did my order go through or not?\n"), nbNone, nil},
		{"human/unzustellbar, german person", replyMail("Petra Muster <petra@example.de>", "AW: Unzustellbar: Angebot", "",
			"Hallo,\n\nmeine alte Adresse p.muster@example.de gibt es nicht mehr, bitte schreiben Sie an petra@example.de.\n\nGrüße\nPetra\n"), nbNone, nil},

		// Helpdesk acknowledgements (Freshdesk, Zammad, osTicket, ServiceNow, Help Scout):
		// automatic answers that quote the mail they answer.
		{"freshdesk/ticket received, quoting", replyMail("Example Support <support@example.freshdesk.com>", "Ticket Received - Undeliverable invoice mail", "",
			"Dear Sender,\n\nWe would like to acknowledge that we have received your request and a ticket has been created with Ticket ID - 5123.\nA support representative will be reviewing your request and will send you a personal response (usually within 24 hours).\n\nYour message:\n> Our invoice mail to dave@example.com bounced with 550 5.1.1 User unknown. Can you check his address?\n"), nbNoneOrAuto, []string{"support@example.freshdesk.com"}},
		{"zammad/auto reply", replyMail("Example Helpdesk <helpdesk@example.org>", "Thanks for your email. [Ticket#31001]", "Auto-Submitted: auto-generated\nX-Loop: yes\nPrecedence: bulk\nX-Zammad-Ticket-Number: 31001\n",
			"Thank you for your email. We have received your message \"Mail delivery failed\" and will get back to you as soon as possible.\n\nYour Helpdesk Team\n"), nbNoneOrAuto, []string{"helpdesk@example.org"}},
		{"osticket/ticket opened", replyMail("Example Support <support@example.org>", "Support Ticket Opened [#482910]", "Auto-Submitted: auto-replied\nPrecedence: auto_reply\n",
			"Dear Sender,\n\nA request for support has been created and assigned #482910. A representative will follow-up with you as soon as possible.\n\nSubject: Returned mail: see transcript for details\n"), nbNoneOrAuto, []string{"support@example.org"}},
		{"servicenow/incident opened", replyMail("Example IT Service Desk <servicedesk@example.service-now.example>", "Incident INC0012345 has been opened on your behalf", "",
			"Your incident has been opened on your behalf.\n\nShort description: Undeliverable: hello\nDescription: Delivery has failed to these recipients: dave@example.com\n\nYou can view all the details of the incident by following the link below.\n"), nbNoneOrAuto, []string{"servicedesk@example.service-now.example"}},
		{"helpscout/auto reply", replyMail("Example Customer Care <care@example.com>", "Re: Delivery failed", "Auto-Submitted: auto-replied\n",
			"Thanks for reaching out! We've received your message and one of our team will be in touch within one business day.\n"), nbAuto, []string{"care@example.com"}},

		// Mailing-list moderation. A moderator's refusal is a decision about the post or its
		// sender, taken after the list accepted the mail (Mailman's "rejected by the list
		// moderator", Sympa's "rejected by the moderator", Google Groups' "rejected", LISTSERV's
		// "not authorized to send mail"): no address failed, so none may come out as a failure.
		{"mailman2/request rejected by moderator", noticeMail("example-list-owner@lists.example.org", "Request to mailing list Example-list rejected", "Precedence: bulk\nX-BeenThere: example-list@lists.example.org\nList-Id: <example-list.lists.example.org>\n",
			`Your request to the Example-list mailing list

    Posting of your message titled "hello"

has been rejected by the list moderator.  The moderator gave the
following reason for rejecting your request:

"Non-members are not allowed to post to this list."

Any questions or comments should be directed to the list administrator
at:

    example-list-owner@lists.example.org
`), nbNoneOrAuto, []string{"example-list-owner@lists.example.org"}},
		{"mailman3/rejected", noticeMail("example-list-owner@lists.example.org", "Request to mailing list \"Example-list\" rejected", "Auto-Submitted: auto-generated\nPrecedence: bulk\n",
			`Your request to the example-list@lists.example.org mailing list

    Posting of your message titled "hello"

has been rejected by the list moderator.  The moderator gave the following
reason for rejecting your request:

"Off topic"

Any questions or comments should be directed to the list administrator at:

    example-list-owner@lists.example.org
`), nbNoneOrAuto, []string{"example-list-owner@lists.example.org"}},
		{"sympa/rejected by moderator", noticeMail("SYMPA <sympa@lists.example.org>", "Your message to list example has been rejected", "Auto-Submitted: auto-replied\nPrecedence: list\n",
			"Your message for list example@lists.example.org (attached below) was rejected by list moderator moderator@example.org.\n\nReason: off-topic\n"), nbNoneOrAuto, []string{"sympa@lists.example.org"}},
		{"sympa/authorization denied", noticeMail("SYMPA <sympa@lists.example.org>", "Message distribution: Authorization denied", "Auto-Submitted: auto-replied\n",
			"Your message for list example@lists.example.org has been rejected.\nYou are not allowed to send messages to this list.\n"), nbNoneOrAuto, []string{"sympa@lists.example.org"}},
		{"googlegroups/rejected by moderator", noticeMail("example-group+owners@googlegroups.com", "Your message to example-group was rejected", "Auto-Submitted: auto-generated\n",
			"Your message to example-group@googlegroups.com was rejected by a moderator.\nIf you have questions, contact the group's owners.\n"), nbNoneOrAuto, []string{"example-group+owners@googlegroups.com"}},
		{"listserv/rejected posting", noticeMail("\"L-Soft list server at LISTS.EXAMPLE.ORG (16.5)\" <LISTSERV@LISTS.EXAMPLE.ORG>", "Rejected posting to EXAMPLE-L@LISTS.EXAMPLE.ORG", "",
			"You are not authorized to send mail to the EXAMPLE-L list from your sender@example.net account. You might be authorized to send to the list from another of your accounts, or perhaps when using another mail program which generates slightly different addresses, but LISTSERV has no way to associate this other account or address with yours. If you need assistance or if you have any question regarding the policy of the EXAMPLE-L list, please contact the list owners: EXAMPLE-L-request@LISTS.EXAMPLE.ORG.\n"), nbNone, nil},

		// DMARC aggregate reports (RFC 7489 §7.2.1.1: a compressed XML attachment, subject
		// "Report Domain: ... Submitter: ... Report-ID: ..."), DMARC failure reports (RFC 6591
		// auth-failure, an ARF report) and SMTP TLS reports (RFC 8460 §5.3).
		{"dmarc/aggregate, gzip attachment", attachedMail("noreply-dmarc-support@google.example", "Report domain: example.net Submitter: google.example Report-ID: 1234567890123456789", "",
			"This is an aggregate report from google.example.\n", "application/gzip", "google.example!example.net!1764547200!1764633599.xml.gz", gzipB64), nbNone, nil},
		{"dmarc/aggregate, microsoft", attachedMail("DMARC Aggregate Report <dmarcreport@microsoft.example>", "[Preview] Report Domain: example.net Submitter: protection.outlook.example Date: 2026-12-01", "",
			"This is a DMARC aggregate report from Microsoft Corporation. 3 messages failed DMARC and were rejected or quarantined.\n", "application/gzip", "protection.outlook.example!example.net!1764547200!1764633600.xml.gz", gzipB64), nbNone, nil},
		{"dmarc/aggregate, inline xml", crlf("From: dmarc@mail.example.org\nTo: dmarc-rua@example.net\nSubject: Report Domain: example.net Submitter: mail.example.org Report-ID: <abc123@mail.example.org>\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nMIME-Version: 1.0\nContent-Type: text/xml\n\n" +
			"<?xml version=\"1.0\"?>\n<feedback><report_metadata><org_name>mail.example.org</org_name><email>dmarc@mail.example.org</email><report_id>abc123</report_id></report_metadata>\n<policy_published><domain>example.net</domain><p>reject</p></policy_published>\n<record><row><source_ip>192.0.2.9</source_ip><count>2</count><policy_evaluated><disposition>reject</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row><identifiers><header_from>example.net</header_from></identifiers></record></feedback>\n"), nbNone, nil},
		{"dmarc/failure report (RFC 6591)", reportMail("dmarc-failure@mail.example.org", "FW: hello", "", "feedback-report",
			"This is an authentication failure report for an email message received from IP 192.0.2.9 on Tue, 01 Dec 2026 10:00:00 +0000.\n",
			"message/feedback-report", "Feedback-Type: auth-failure\nUser-Agent: dmarc-reporter/1.0\nVersion: 1\nOriginal-Mail-From: <sender@example.net>\nArrival-Date: Tue, 01 Dec 2026 10:00:00 +0000\nSource-IP: 192.0.2.9\nReported-Domain: example.net\nAuth-Failure: dmarc\nDelivery-Result: reject\n"), nbFeedback, nil},
		{"tlsrpt/gzip attachment", attachedMail("TLS Reports <tlsrpt-noreply@microsoft.example>", "Report Domain: example.net Submitter: microsoft.example Report-ID: <133123456789@microsoft.example>", "TLS-Report-Domain: example.net\nTLS-Report-Submitter: microsoft.example\n",
			"This is an SMTP TLS report: 4 sessions to mx.example.net failed (starttls-not-supported).\n", "application/tlsrpt+gzip", "microsoft.example!example.net!1764547200!1764633600.json.gz", gzipB64), nbNone, nil},

		// Feedback reports (RFC 5965) stay complaints, whatever their text says of delivery.
		{"arf/yahoo abuse report", reportMail("Yahoo! Mail AntiSpam Feedback <feedback@arf.mail.yahoo.example>", "FW: hello", "", "feedback-report",
			"This is an email abuse report for an email message received from IP 192.0.2.7 on Tue, 01 Dec 2026 10:00:00 +0000.\nFor more information about this format please see http://www.mipassoc.org/arf/.\n",
			"message/feedback-report", "Feedback-Type: abuse\nUser-Agent: Yahoo!-Mail-Feedback/2.0\nVersion: 0.1\nOriginal-Mail-From: <sender@example.net>\nOriginal-Rcpt-To: <gina@yahoo.example>\nReceived-Date: Tue, 01 Dec 2026 10:00:00 +0000\nSource-IP: 192.0.2.7\n"), nbComplaint, []string{"gina@yahoo.example"}},
		{"arf/outlook jmrp, delivery words", reportMail("staff@hotmail.example", "complaint about message from 192.0.2.7", "", "feedback-report",
			"This is an email abuse report for an email message received from IP 192.0.2.7. The user reported this message as junk; future mail may not be delivered.\n",
			"message/feedback-report", "Feedback-Type: abuse\nUser-Agent: Hotmail FBL\nVersion: 1\nOriginal-Rcpt-To: hugo@outlook.example\n"), nbComplaint, []string{"hugo@outlook.example"}},

		// Read receipts (RFC 8098) in several languages, and their failed disposition.
		{"mdn/french lu", reportMail("Léa <lea@example.fr>", "Lu : hello", "", "disposition-notification",
			"Votre message\n\n  À : lea@example.fr\n  Objet : hello\n\na été lu le mardi 1 décembre 2026 10:00.\n",
			"message/disposition-notification", "Reporting-UA: mail.example.fr; Microsoft Outlook 16.0\nFinal-Recipient: rfc822;lea@example.fr\nOriginal-Message-ID: <orig-1@example.net>\nDisposition: manual-action/MDN-sent-manually; displayed\n"), nbNoneOrAuto, []string{"lea@example.fr"}},
		{"mdn/french non lu", reportMail("lea@example.fr", "Non lu : hello", "", "disposition-notification",
			"Votre message\n\n  À : lea@example.fr\n  Objet : hello\n\na été supprimé sans avoir été lu le mardi 1 décembre 2026 10:00.\n",
			"message/disposition-notification", "Final-Recipient: rfc822;lea@example.fr\nDisposition: automatic-action/MDN-sent-automatically; deleted\n"), nbNoneOrAuto, []string{"lea@example.fr"}},
		{"mdn/italian letto", reportMail("marco@example.it", "Letto: hello", "", "disposition-notification",
			"Il messaggio\n\n  A: marco@example.it\n  Oggetto: hello\n\nè stato letto in data martedì 1 dicembre 2026 10:00.\n",
			"message/disposition-notification", "Final-Recipient: rfc822;marco@example.it\nDisposition: manual-action/MDN-sent-manually; displayed\n"), nbNoneOrAuto, []string{"marco@example.it"}},
		{"mdn/spanish leído", reportMail("lucia@example.es", "Leído: hello", "", "disposition-notification",
			"Su mensaje\n\n  Para: lucia@example.es\n  Asunto: hello\n\nse leyó el martes, 1 de diciembre de 2026 10:00.\n",
			"message/disposition-notification", "Final-Recipient: rfc822;lucia@example.es\nDisposition: manual-action/MDN-sent-manually; displayed\n"), nbNoneOrAuto, []string{"lucia@example.es"}},
		{"mdn/german nicht gelesen", reportMail("uwe@example.de", "Nicht gelesen: hello", "", "disposition-notification",
			"Ihre Nachricht\n\n  An: uwe@example.de\n  Betreff: hello\n\nwurde am Dienstag, 1. Dezember 2026 10:00 ungelesen gelöscht.\n",
			"message/disposition-notification", "Final-Recipient: rfc822;uwe@example.de\nDisposition: manual-action/MDN-sent-manually; deleted\n"), nbNoneOrAuto, []string{"uwe@example.de"}},
		{"mdn/thunderbird return receipt", reportMail("Ola <ola@example.pl>", "Return Receipt (displayed) - hello", "", "disposition-notification",
			"This is a Return Receipt for the mail that you sent to ola@example.pl.\n\nNote: This Return Receipt only acknowledges that the message was displayed on the recipient's computer. There is no guarantee that the recipient has read or understood the message contents.\n",
			"message/disposition-notification", "Reporting-UA: example.pl; Mozilla Thunderbird\nFinal-Recipient: rfc822;ola@example.pl\nOriginal-Message-ID: <orig-1@example.net>\nDisposition: manual-action/MDN-sent-manually; displayed\n"), nbNoneOrAuto, []string{"ola@example.pl"}},
		{"mdn/russian прочитано", reportMail("ivan@example.ru", "Прочитано: hello", "", "disposition-notification",
			"Ваше сообщение\n\n  Кому: ivan@example.ru\n  Тема: hello\n\nбыло прочитано 01.12.2026 10:00.\n",
			"message/disposition-notification", "Final-Recipient: rfc822;ivan@example.ru\nDisposition: manual-action/MDN-sent-manually; displayed\n"), nbNoneOrAuto, []string{"ivan@example.ru"}},
		{"mdn/failed disposition, error text", reportMail("MDN Service <mdn@example.de>", "Disposition notification: failed", "", "disposition-notification",
			"Die Lesebestätigung konnte nicht erstellt werden: Fehler bei der Verarbeitung.\n",
			"message/disposition-notification", "Reporting-UA: example.de; mdnd\nFinal-Recipient: rfc822;jan@example.de\nDisposition: automatic-action/MDN-sent-automatically; failed\nFailure: mailbox does not support disposition notifications\nError: 550 MDN generation failed\n"), nbNoneOrAuto, []string{"jan@example.de"}},
		{"mdn/outlook not read, text only", replyMail("vera@example.org", "Not read: hello", "",
			"Your message\n\n    To:      vera@example.org\n    Subject: hello\n    Sent:    Tuesday, December 1, 2026 9:00:00 AM (UTC)\n\nwas deleted without being read on Tuesday, December 1, 2026 9:30:00 AM (UTC).\n"), nbNone, nil},

		// Outlook message recall: the recall request a person's client sends, and the
		// recall reports, which name recipients for whom the recall failed: the mail was
		// delivered (and read), so nothing failed to be delivered.
		{"outlook/recall request", replyMail("Carol Person <carol@example.org>", "Recall: hello", "X-MS-Exchange-Organization-Recall: true\nThread-Topic: hello\n",
			"Carol Person would like to recall the message, \"hello\".\n"), nbNone, nil},
		{"exchange/message recall failure", replyMail("Microsoft Outlook <postmaster@example.org>", "Message Recall Failure: hello", "Thread-Topic: hello\n",
			"Your message\n\n  To:      dave@example.com\n  Subject: hello\n  Sent:    Tuesday, December 1, 2026 9:00 AM\n\ncould not be recalled on Tuesday, December 1, 2026 9:05 AM.\n"), nbNone, nil},
		{"exchange online/message recall report", htmlMail("Microsoft Outlook <postmaster@example.org>", "Message Recall Report for message: hello", "Thread-Topic: hello\n",
			"<html><body><p>Message recall report</p><p>Your recall request for the message \"hello\" has completed.</p><table><tr><th>Recipient</th><th>Recall status</th></tr><tr><td>dave@example.com</td><td>Failed: the message has already been read</td></tr><tr><td>erin@example.com</td><td>Recall Succeeded</td></tr></table></body></html>\n"), nbNone, nil},
		{"exchange/message recall success", replyMail("Microsoft Outlook <postmaster@example.org>", "Message Recall Success: hello", "",
			"Your message\n\n  To:      dave@example.com\n  Subject: hello\n\nhas been successfully recalled on Tuesday, December 1, 2026 9:05 AM.\n"), nbNone, nil},

		// Success and relay notices: "Delivery Status Notification (Relay)" and "(Success)"
		// from Windows' SMTP service and Exchange, with and without their status part.
		{"windows smtp/relay with status part", reportMail("postmaster@mail.example.net", "Delivery Status Notification (Relay)", "", "delivery-status",
			"This is an automatically generated Delivery Status Notification.\n\nYour message has been successfully relayed to the following recipients, but the requested delivery status notifications may not be generated by the destination.\n\n       fred@example.org\n",
			"message/delivery-status", "Reporting-MTA: dns;mail.example.net\nReceived-From-MTA: dns;client.example.net\nArrival-Date: Tue, 1 Dec 2026 09:59:00 +0000\n\nFinal-Recipient: rfc822;fred@example.org\nAction: relayed\nStatus: 2.0.0\n"), nbDelivered, []string{"fred@example.org"}},
		{"windows smtp/relay, text only", bounceMail("postmaster@mail.example.net", "Delivery Status Notification (Relay)",
			"This is an automatically generated Delivery Status Notification.\n\nYour message has been successfully relayed to the following recipients, but the requested delivery status notifications may not be generated by the destination.\n\n       fred@example.org\n"), nbNoneOrDelivered, []string{"fred@example.org"}},
		{"windows smtp/success, text only", bounceMail("postmaster@mail.example.net", "Delivery Status Notification (Success)",
			"This is an automatically generated Delivery Status Notification.\n\nDelivery to the following recipients succeeded.\n\n       gail@example.org\n"), nbNoneOrDelivered, []string{"gail@example.org"}},
		{"windows smtp/success with status part", reportMail("postmaster@mail.example.net", "Delivery Status Notification (Success)", "", "delivery-status",
			"This is an automatically generated Delivery Status Notification.\n\nDelivery to the following recipients succeeded.\n\n       gail@example.org\n",
			"message/delivery-status", "Reporting-MTA: dns;mail.example.net\n\nFinal-Recipient: rfc822;gail@example.org\nAction: delivered\nStatus: 2.6.0\n"), nbDelivered, []string{"gail@example.org"}},
		{"exchange/expanded, text only", bounceMail("postmaster@example.net", "Expanded: hello",
			"Your message has been expanded to the members of the following distribution list:\n\nstaff@example.org\n\nSubject: hello\n"), nbNoneOrDelivered, []string{"staff@example.org"}},

		// Challenge-response: the mail waits until the sender proves to be a person.
		{"tmda/confirmation request", replyMail("hank@example.org", "Re: hello (TMDA confirmation)", "X-Delivery-Agent: TMDA/1.1.12 (Macallan)\nAuto-Submitted: auto-replied\nPrecedence: bulk\n",
			"This message was created automatically by mail delivery software.\n\nYour message has not been delivered yet: it has been held until you confirm that you sent it.\nTo release your message, reply to this message, or click the link below.\n"), nbNoneOrAuto, []string{"hank@example.org"}},
		{"earthlink/spamblocker", replyMail("iris@earthlink.example", "Re: hello (EarthLink spamBlocker)", "",
			"Hi,\n\nYou sent me an e-mail, but I'm using EarthLink spamBlocker because I don't like spam.\nTo get your message delivered, please click the link below. You only need to do this once.\nIf you do not confirm, your message will not be delivered.\n"), nbNoneOrAuto, []string{"iris@earthlink.example"}},
		{"choicemail/registration request", replyMail("jon@example.org", "Re: hello [Registration request]", "Precedence: bulk\n",
			"I am using a spam filter called ChoiceMail to protect my inbox. Your message is waiting and will not be delivered until you register.\nPlease click: https://cm.example.org/register?id=abc\n"), nbNoneOrAuto, []string{"jon@example.org"}},
		{"verify human/pending message", htmlMail("Mail Protection <verify@protect.example.com>", "Action required: verify you are human to deliver your message", "Auto-Submitted: auto-replied\n",
			"<html><body><p>Your message to kate@example.org has been held and was not delivered.</p><p>The recipient only accepts mail from verified senders. <a href=\"https://protect.example.com/v/abc\">Verify you are human</a> within 72 hours or your message will be discarded.</p></body></html>\n"), nbNoneOrAuto, []string{"verify@protect.example.com"}},

		// Automatic replies in many languages, with and without RFC 3834's header, whose texts
		// say that mail is not read, forwarded or delivered to the person.
		{"autoreply/german, auto-submitted", replyMail("Anna Schmidt <anna@example.de>", "Abwesend: hello", "Auto-Submitted: auto-replied\n",
			"Vielen Dank für Ihre Nachricht. Ich bin bis 14.12. nicht im Büro. Ihre E-Mail wird nicht weitergeleitet. In dringenden Fällen wenden Sie sich an info@example.de.\n"), nbAuto, []string{"anna@example.de"}},
		{"autoreply/german, no header", replyMail("Anna Schmidt <anna@example.de>", "Abwesenheitsnotiz", "",
			"Ich bin bis 14.12. im Urlaub. Ihre Nachricht wird nicht weitergeleitet und erst nach meiner Rückkehr gelesen.\n"), nbNoneOrAuto, []string{"anna@example.de"}},
		{"autoreply/french, no header", replyMail("Julie Martin <julie@example.fr>", "Réponse automatique : hello", "",
			"Bonjour, je suis absente jusqu'au 14 décembre. Votre message ne sera pas transféré. Pour toute urgence : accueil@example.fr.\n"), nbNoneOrAuto, []string{"julie@example.fr"}},
		{"autoreply/spanish, auto-submitted", replyMail("Carlos <carlos@example.es>", "Fuera de la oficina: hello", "Auto-Submitted: auto-replied\n",
			"Estoy fuera de la oficina hasta el 14 de diciembre. Su mensaje no será reenviado; lo leeré a mi regreso.\n"), nbAuto, []string{"carlos@example.es"}},
		{"autoreply/italian, no header", replyMail("Giulia <giulia@example.it>", "Risposta automatica: hello", "",
			"Sono fuori ufficio fino al 14 dicembre con accesso limitato alla posta. Il suo messaggio non verrà inoltrato.\n"), nbNoneOrAuto, []string{"giulia@example.it"}},
		{"autoreply/portuguese, auto-submitted", replyMail("João <joao@example.com.br>", "Resposta automática: hello", "Auto-Submitted: auto-replied\n",
			"Estou de férias até 14 de dezembro. Sua mensagem não será encaminhada.\n"), nbAuto, []string{"joao@example.com.br"}},
		{"autoreply/dutch, exchange headers", replyMail("Sanne <sanne@example.nl>", "Automatisch antwoord: hello", exchangeOOFNoAuto,
			"Ik ben afwezig tot 14 december. Uw bericht wordt niet doorgestuurd.\n"), nbAuto, []string{"sanne@example.nl"}},
		{"autoreply/polish, no header", replyMail("Ola <ola@example.pl>", "Automatyczna odpowiedź: hello", "",
			"Jestem na urlopie do 14 grudnia. Wiadomość nie zostanie przekazana.\n"), nbNoneOrAuto, []string{"ola@example.pl"}},
		{"autoreply/swedish, auto-submitted", replyMail("Erik <erik@example.se>", "Autosvar: hello", "Auto-Submitted: auto-replied\n",
			"Jag är på semester till den 14 december. Ditt meddelande vidarebefordras inte.\n"), nbAuto, []string{"erik@example.se"}},
		{"autoreply/czech, exchange headers", replyMail("Petr <petr@example.cz>", "Automatická odpověď: hello", exchangeOOFNoAuto,
			"Jsem mimo kancelář do 14. prosince. Vaše zpráva nebude přeposlána.\n"), nbAuto, []string{"petr@example.cz"}},
		{"autoreply/turkish, no header", replyMail("Ayşe <ayse@example.com.tr>", "Otomatik yanıt: hello", "",
			"14 Aralık tarihine kadar izindeyim. Mesajınız iletilmeyecektir.\n"), nbNoneOrAuto, []string{"ayse@example.com.tr"}},
		{"autoreply/russian, auto-submitted", replyMail("Ольга <olga@example.ru>", "Автоматический ответ: hello", "Auto-Submitted: auto-replied\n",
			"Я в отпуске до 14 декабря. Ваше письмо не будет переслано.\n"), nbAuto, []string{"olga@example.ru"}},
		{"autoreply/japanese, auto-submitted", replyMail("山田 <yamada@example.jp>", "自動返信: hello", "Auto-Submitted: auto-replied\n",
			"誠に恐れ入りますが、12月14日まで休暇をいただいております。メールは転送されません。\n"), nbAuto, []string{"yamada@example.jp"}},
		{"autoreply/chinese, no header", replyMail("王伟 <wang@example.cn>", "自动回复: hello", "",
			"您好，我正在休假，12月14日返回。您的邮件不会被转发。\n"), nbNoneOrAuto, []string{"wang@example.cn"}},
		{"autoreply/korean, auto-submitted", replyMail("김민수 <kim@example.kr>", "자동 회신: hello", "Auto-Submitted: auto-replied\n",
			"12월 14일까지 휴가 중입니다. 메일은 전달되지 않습니다.\n"), nbAuto, []string{"kim@example.kr"}},
		{"autoreply/hungarian, exchange headers", replyMail("Zsófia <zsofia@example.hu>", "Automatikus válasz: hello", exchangeOOFNoAuto,
			"December 14-ig szabadságon vagyok. Üzenetét nem továbbítjuk.\n"), nbAuto, []string{"zsofia@example.hu"}},
		{"autoreply/greek, auto-submitted", replyMail("Νίκος <nikos@example.gr>", "Αυτόματη απάντηση: hello", "Auto-Submitted: auto-replied\n",
			"Βρίσκομαι σε άδεια έως τις 14 Δεκεμβρίου. Το μήνυμά σας δεν θα προωθηθεί.\n"), nbAuto, []string{"nikos@example.gr"}},
		{"autoreply/mailbox not monitored", replyMail("No Reply <noreply@example.org>", "Re: hello", "Auto-Submitted: auto-replied\n",
			"This mailbox is not monitored and your message has not been read or delivered to a person. Please use our contact form at https://example.org/contact.\n"), nbAuto, []string{"noreply@example.org"}},

		// Quarantine digests and notices to the mailbox's own user: messages held for them,
		// not mail of ours that failed.
		{"microsoft365/quarantine notification", htmlMail("Quarantine <quarantine@messaging.microsoft.example>", "Microsoft 365 security: You have messages in quarantine", "Auto-Submitted: auto-generated\n",
			"<html><body><p>Review these messages</p><p>3 messages are being held for you to review as of 12/1/2026 10:00:00 AM (UTC).</p><table><tr><td>Sender: offers@spam.example</td><td>Subject: You won</td><td>Date: 12/1/2026</td><td>Release | Block sender</td></tr></table><p>These messages were not delivered to your inbox.</p></body></html>\n"), nbNoneOrAuto, []string{"quarantine@messaging.microsoft.example"}},
		{"mimecast/hold summary", replyMail("Mimecast Personal Portal <postmaster@mimecast.example>", "Mimecast Personal Portal: Your Hold Summary", "Auto-Submitted: auto-generated\n",
			"Your Hold Summary for sender@example.net\n\nThe following messages were held and have not been delivered to your mailbox:\n\nFrom: billing@phish.example  Subject: Invoice overdue  Reason: Spam Signature\n\nRelease | Block | Permit\n"), nbNoneOrAuto, []string{"postmaster@mimecast.example"}},
		{"barracuda/quarantine summary", replyMail("Barracuda Spam Firewall <quarantine@barracuda.example.net>", "Spam Quarantine Summary for sender@example.net", "",
			"Barracuda Spam & Virus Firewall: Quarantine Summary\n\nThe following messages have been quarantined and will not be delivered unless you deliver them:\n\n  From: promo@spam.example  Subject: Cheap meds  [Deliver] [Whitelist] [Delete]\n"), nbNone, nil},
		{"sophos/quarantine digest", replyMail("Sophos Email <do-not-reply@sophos.example.com>", "Quarantine Digest: 2 messages held for you", "Auto-Submitted: auto-generated\n",
			"You have 2 messages in your quarantine that were not delivered to you.\n\nFrom: news@spam.example  Subject: Crypto gains\n"), nbNoneOrAuto, []string{"do-not-reply@sophos.example.com"}},
		{"ironport/spam quarantine notification", replyMail("Spam Quarantine <spamquarantine@esa.example.net>", "Spam Quarantine Notification", "",
			"The message(s) below have been blocked by your administrator as suspected spam and have not been delivered.\n\nThere are 2 new messages in your Email Quarantine since you received your last Spam Quarantine Notification.\n\nFrom: offers@spam.example  Subject: You won  Date: 01 Dec 2026\n"), nbNone, nil},

		// Phishing dressed as an NDR, sent to the postmaster by an ordinary account: a
		// person's From, no null return path, a link to click. (A phish whose whole text is
		// a bounce's, "Recipient: dave@example.com Status: Failed" under "Returned mail", is
		// still read as one: only its sender and its link give it away. It is not hard.)
		{"phishing/mailbox full", postmasterMail("Mail Admin <j.smith1987@webmail.example.com>", "Your mailbox is full", "text/html",
			"<html><body><p>Dear postmaster@example.net,</p><p>Your mailbox has exceeded its storage limit. Incoming messages are being returned to senders as undeliverable (552 5.2.2 mailbox full).</p><p><a href=\"https://phish.example/upgrade\">Click here to increase your quota</a></p></body></html>\n"), nbNone, nil},
		{"phishing/messages pending delivery", postmasterMail("\"Mail Delivery System\" <support.desk@freemail.example.com>", "Mail Delivery Failure: 4 incoming messages pending", "text/plain",
			"Message delivery failed for postmaster@example.net.\n\nYou have 4 incoming messages that could not be delivered to your inbox due to a system error.\nRecover your messages: https://phish.example/recover\n"), nbNone, nil},
		{"phishing/undelivered messages, german", postmasterMail("Postmaster <info@shop-abc.example>", "Unzustellbare Nachrichten: Ihr Postfach ist voll", "text/html",
			"<html><body><p>Sehr geehrter Nutzer postmaster@example.net,</p><p>Ihr Postfach ist voll. 7 Nachrichten konnten nicht zugestellt werden.</p><p><a href=\"https://phish.example/de\">Jetzt Speicher erweitern</a></p></body></html>\n"), nbNone, nil},
		{"phishing/deactivation notice", postmasterMail("IT Helpdesk <helpdesk.admin@mailbox.example.com>", "Email Deactivation Notice: postmaster@example.net", "text/plain",
			"Your email account postmaster@example.net will be deactivated and all incoming mail rejected (550 5.1.1 user unknown) unless you verify it within 24 hours:\nhttps://phish.example/verify\n"), nbNone, nil},
	}

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

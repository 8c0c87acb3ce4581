package classify

import (
	"strings"
	"testing"
)

// wordingCase is a refusal or deferral as a receiver writes it, with the verdict its words and
// codes mean. The texts come from the receivers' and MTAs' published error documentation and
// their source code (named in each group), not from this project's corpora or other tests:
// they are held-out wording, to show that the rules read what a mail means rather than fit
// the texts they were written against.
type wordingCase struct {
	name  string
	facts Facts
	// want is "kind reason", or several such verdicts separated by " | " where the words allow
	// more than one reason (reason "*" accepts any). A want of kind hard means the address is
	// to be suppressed; every other kind means it is not.
	want string
}

// from is failed with the remote MTA that answered.
func from(host string, status Status, reply ReplyCode, diag string) Facts {
	f := failed(status, reply, diag)
	f.RemoteMTA = "dns; " + host
	return f
}

// The rules for the expectations (issue 14): hard only with positive evidence about the
// address itself (the user, mailbox or domain does not exist, the address moved, the domain
// accepts no mail); wording about the sender (its address, domain, IP, reputation, a block
// list, SPF/DKIM/DMARC), the content (spam, virus, size), the volume or rate, or a policy is
// never hard; a temporary code (4xx, 4.x.x) is never hard; a full mailbox is soft.
var wordingCases = []wordingCase{
	// Gmail / Google Workspace, "SMTP error reference" (support.google.com/a/answer/3726730).
	{"gmail TLS required for the domain", from("gmail-smtp-in.l.google.com", "4.7.0", "421", "421-4.7.0 TLS required for RCPT domain, closing connection."),
		"blocked failedstarttls"},
	{"gmail unsolicited mail from the IP rate limited", from("gmail-smtp-in.l.google.com", "4.7.28", "421", "421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. Please visit https://support.google.com/mail/?p=UnsolicitedRateLimitError to review our Bulk Email Senders Guidelines."),
		"blocked badreputation | blocked blocked | blocked speeding | blocked spamdetected"},
	{"gmail recipient receiving too quickly", from("gmail-smtp-in.l.google.com", "4.2.1", "450", "450-4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend your message at a later time. If the user is able to receive mail at that time, your message will be delivered. For more information, go to https://support.google.com/mail/?p=ReceivingRate"),
		"blocked speeding"},
	{"gmail temporarily rejected", from("gmail-smtp-in.l.google.com", "4.3.0", "451", "451-4.3.0 Mail server temporarily rejected message."),
		"soft systemerror"},
	{"gmail timeout", from("gmail-smtp-in.l.google.com", "4.4.2", "451", "451 4.4.2 Timeout - closing connection."),
		"soft networkerror | soft expired"},
	{"gmail over quota, temporary", from("gmail-smtp-in.l.google.com", "4.2.2", "452", "452-4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp"),
		"soft mailboxfull"},
	{"gmail too many recipients", from("gmail-smtp-in.l.google.com", "4.5.3", "452", "452-4.5.3 Your message has too many recipients. For more information regarding Google's sending limits, visit https://support.google.com/mail/?p=TooManyRecipientsError"),
		"soft exceedlimit"},
	// X.2.1 "mailbox disabled, not accepting messages" (RFC 3463 §3.3): the mailbox exists.
	{"gmail account disabled", from("gmail-smtp-in.l.google.com", "5.2.1", "550", "550-5.2.1 The email account that you tried to reach is disabled. Learn more at https://support.google.com/mail/?p=DisabledUser"),
		"soft suspend"},
	{"gmail daily relay limit", from("smtp-relay.gmail.com", "5.4.5", "550", "550 5.4.5 Daily SMTP relay limit exceeded for user. For more information on SMTP relay sending limits please visit https://support.google.com/a/?p=sending_limits"),
		"blocked speeding"},
	{"gmail relay denied, invalid credentials", from("smtp-relay.gmail.com", "5.7.0", "550", "550-5.7.0 Mail relay denied [192.0.2.1]. Invalid credentials for relay for one of the domains in: example.net (as obtained from HELO and MAIL FROM). Email is being sent from a domain or IP address which isn't registered in your Workspace account."),
		"blocked norelaying | blocked securityerror"},
	{"gmail recipient's policy prohibited the mail", from("aspmx.l.google.com", "5.7.1", "550", "550-5.7.1 The user or domain that you are sending to (or from) has a policy that prohibited the mail that you sent. Please contact your domain administrator for further details."),
		"blocked policyviolation"},
	{"gmail unauthenticated mail from the domain", from("aspmx.l.google.com", "5.7.1", "550", "550-5.7.1 Unauthenticated email is not accepted from this domain."),
		"blocked authfailure"},
	{"gmail IP not authorized to send directly", from("gmail-smtp-in.l.google.com", "5.7.1", "550", "550-5.7.1 The IP you're using to send mail is not authorized to send email directly to our servers. Please use the SMTP relay at your service provider instead."),
		"blocked blocked"},
	{"gmail DMARC policy", from("gmail-smtp-in.l.google.com", "5.7.26", "550", "550-5.7.26 Unauthenticated email from example.net is not accepted due to domain's DMARC policy. Please contact the administrator of example.net domain if this was a legitimate mail."),
		"blocked authfailure"},
	{"gmail SPF hard fail", from("gmail-smtp-in.l.google.com", "5.7.26", "550", "550-5.7.26 This message fails to pass SPF checks for an SPF record with a hard fail policy (-all). To best protect our users from spam and phishing, the message has been blocked."),
		"blocked authfailure"},
	// X.1.2 "bad destination system address" (RFC 3463 §3.2): the domain does not exist.
	{"gmail recipient domain not found", from("smtp.gmail.com", "5.1.2", "553", "553-5.1.2 We weren't able to find the recipient domain. Please check for any spelling errors, and make sure you didn't enter any spaces, periods, or other punctuation after the recipient's email address."),
		"hard hostunknown"},
	{"gmail malformed message", from("gmail-smtp-in.l.google.com", "5.6.0", "554", "554 5.6.0 Mail message is malformed. Not accepted."),
		"soft contenterror"},
	// A hop count is a loop (RFC 5321 §6.3), not a size: X.4.6 "routing loop detected", or
	// the receiving side's configuration.
	{"gmail mail loop", from("gmail-smtp-in.l.google.com", "5.6.0", "554", "554-5.6.0 Message exceeded 50 hops, this may indicate a mail loop."),
		"soft networkerror | soft systemerror"},
	{"gmail low IP reputation", from("gmail-smtp-in.l.google.com", "4.7.0", "421", "421-4.7.0 This message is suspicious due to the very low reputation of the sending IP address. To best protect our users from spam, the message has been blocked."),
		"blocked badreputation"},
	{"gmail low domain reputation", from("gmail-smtp-in.l.google.com", "5.7.1", "550", "550-5.7.1 Our system has detected that this message is likely suspicious due to the very low reputation of the sending domain."),
		"blocked badreputation"},
	{"gmail missing From address", from("gmail-smtp-in.l.google.com", "5.7.1", "550", "550-5.7.1 Messages missing a valid address in From: header, or having no From: header, are not accepted."),
		"soft notcompliantrfc"},
	{"gmail From not aligned with SPF or DKIM", from("gmail-smtp-in.l.google.com", "4.7.32", "421", "421-4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain."),
		"blocked authfailure | blocked speeding"},

	// Microsoft 365 / Exchange Online / Outlook.com NDRs (learn.microsoft.com, "Email
	// non-delivery reports and SMTP errors in Exchange Online"), and on-premises Exchange.
	{"microsoft bad outbound sender", from("example-org.mail.protection.outlook.com", "5.1.8", "550", "550 5.1.8 Access denied, bad outbound sender"),
		"blocked rejected | blocked blocked"},
	{"microsoft daily recipient limit", from("example-org.mail.protection.outlook.com", "5.1.90", "550", "550 5.1.90 Your message can't be sent because you've reached your daily limit for message recipients"),
		"blocked speeding"},
	// 5.2.2 is registered as "mailbox full"; Microsoft uses it for the sender's submission
	// quota ("the sender has exceeded the recipient rate limit or the message rate limit").
	{"microsoft submission quota under 5.2.2", from("example-org.mail.protection.outlook.com", "5.2.2", "550", "550 5.2.2 Submission quota exceeded"),
		"blocked speeding"},
	{"microsoft per-hour receive limit", from("example-org.mail.protection.outlook.com", "5.2.121", "550", "550 5.2.121 Recipient's per hour message receive limit from specific sender exceeded."),
		"blocked speeding"},
	{"microsoft hop count", from("example-org.mail.protection.outlook.com", "5.4.14", "554", "554 5.4.14 Hop count exceeded - possible mail loop ATTR34"),
		"soft networkerror"},
	{"microsoft DNS domain does not exist", from("example-net.mail.protection.outlook.com", "5.4.310", "550", "550 5.4.310 DNS domain example.invalid does not exist [Message=InfoDomainNonexistent] [LastAttemptedServerName=example.invalid]"),
		"hard hostunknown"},
	{"microsoft DNS query failed", from("example-net.mail.protection.outlook.com", "5.4.312", "550", "550 5.4.312 DNS query failed [Message=ServerFailure] [LastAttemptedServerName=example.org]"),
		"soft networkerror"},
	{"microsoft expired, connection refused", from("example-net.mail.protection.outlook.com", "5.4.316", "550", "550 5.4.316 Message expired, connection refused(Socket error code 10061)"),
		"soft expired | soft networkerror"},
	{"exchange relay to a non-accepted domain", failed("5.7.54", "550", "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain"),
		"blocked norelaying"},
	{"microsoft sender not authenticated by the organization", from("example-org.mail.protection.outlook.com", "5.7.12", "550", "550 5.7.12 Sender was not authenticated by organization"),
		"blocked securityerror | blocked rejected"},
	{"microsoft sender not in the allowed senders", from("example-org.mail.protection.outlook.com", "5.7.124", "550", "550 5.7.124 Sender not in allowed-senders list"),
		"soft filtered"},
	{"microsoft sender not authenticated for group", from("example-org.mail.protection.outlook.com", "5.7.133", "550", "550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed as sender not authenticated for group"),
		"blocked rejected | blocked securityerror"},
	{"microsoft SPF violation", from("example-org.mail.protection.outlook.com", "5.7.23", "550", "550 5.7.23 The message was rejected because of Sender Policy Framework violation"),
		"blocked authfailure"},
	{"microsoft sending account banned for spam", from("outlook-com.olc.protection.outlook.com", "5.7.501", "550", "550 5.7.501 Access denied, spam abuse detected. The sending account has been banned due to detected spam activity."),
		"blocked spamdetected | blocked blocked"},
	{"microsoft bad HELO", from("example-org.mail.protection.outlook.com", "5.7.506", "550", "550 5.7.506 Access Denied, Bad HELO"),
		"blocked blocked | blocked securityerror | blocked rejected"},
	{"microsoft permitted limits exceeded", from("example-org.mail.protection.outlook.com", "5.7.508", "550", "550 5.7.508 Access denied, [192.0.2.1] has exceeded permitted limits within 192.0.2.0/24 range."),
		"blocked speeding | blocked blocked"},
	{"microsoft no mail over IPv6", from("example-org.mail.protection.outlook.com", "5.7.510", "550", "550 5.7.510 Access denied, example.org does not accept email over IPv6"),
		"blocked blocked | blocked securityerror | blocked policyviolation"},
	{"microsoft banned sender IP", from("outlook-com.olc.protection.outlook.com", "5.7.511", "550", "550 5.7.511 Access denied, banned sender[192.0.2.1]. To request removal from this list, forward this message to delist@microsoft.com. For more information please go to https://go.microsoft.com/fwlink/?LinkId=526653."),
		"blocked blocked"},
	{"microsoft message must be RFC 5322 compliant", from("outlook-com.olc.protection.outlook.com", "5.7.512", "550", "550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant and include a valid From address."),
		"soft notcompliantrfc"},
	{"microsoft customer block list", from("example-org.mail.protection.outlook.com", "5.7.513", "550", "550 5.7.513 Service unavailable, Client host [192.0.2.1] blocked by example.org using Customer Block list (AS16012607)"),
		"blocked blocked"},
	{"microsoft authentication level", from("outlook-com.olc.protection.outlook.com", "5.7.515", "550", "550 5.7.515 Access denied, sending domain example.net doesn't meet the required authentication level."),
		"blocked authfailure | blocked securityerror"},
	{"microsoft external forwarding not allowed", from("example-org.mail.protection.outlook.com", "5.7.520", "550", "550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)"),
		"blocked policyviolation | blocked securityerror"},
	{"microsoft tenant threshold", from("example-org.mail.protection.outlook.com", "5.7.705", "550", "550 5.7.705 Access denied, tenant has exceeded threshold"),
		"blocked speeding | blocked blocked"},
	{"microsoft too many connections", from("outlook-com.olc.protection.outlook.com", "4.7.652", "451", "451 4.7.652 The mail server [192.0.2.1] has exceeded the maximum number of connections."),
		"blocked toomanyconn"},
	{"microsoft sender domain on Spamhaus", from("outlook-com.olc.protection.outlook.com", "5.7.1", "550", "550 5.7.1 Service unavailable, MailFrom domain is listed in Spamhaus. To request removal from this list see https://www.spamhaus.org/query/lookup/ (S8002)"),
		"blocked blocked"},
	// Outlook.com's answer for an address it does not have.
	{"outlook.com mailbox unavailable", from("outlook-com.olc.protection.outlook.com", "5.5.0", "550", "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [AM0PR00MB0000.eurprd00.prod.outlook.com]"),
		"hard userunknown"},
	{"outlook.com dynamic IP", from("mx1.hotmail.com", "", "550", "550 DY-001 (SNT004-MC1F43) Unfortunately, messages from 192.0.2.1 weren't sent. Please contact your Internet service provider. You can tell them that Hotmail does not relay dynamically-assigned IP ranges."),
		"blocked blocked"},
	{"exchange send as denied", failed("5.2.252", "554", "554 5.2.252 SendAsDenied; s@example.net not allowed to send as t@example.org; STOREDRV.Submit; Send As permission denied"),
		"blocked rejected | blocked securityerror | blocked blocked"},
	{"exchange sender has no permission", failed("5.7.1", "550", "550 5.7.1 Client does not have permissions to send as this sender"),
		"blocked rejected | blocked securityerror"},
	{"exchange queue expired", failed("4.4.7", "550", "#550 4.4.7 QUEUE.Expired; message expired ##"),
		"soft expired"},
	{"exchange nonexistent domain", failed("5.4.4", "554", "#554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain ##"),
		"hard hostunknown"},
	{"exchange size limit for the route", failed("5.3.4", "550", "#550 5.3.4 ROUTING.SizeLimit; message size exceeds fixed maximum size for route ##"),
		"soft mesgtoobig"},
	{"exchange invalid MIME content", failed("5.6.211", "550", "550 5.6.211 Invalid MIME Content: Single text value size (32768) exceeded allowed maximum (32768) for the 'X-Custom' property."),
		"soft contenterror"},
	{"exchange sender filter", failed("5.1.0", "554", "554 5.1.0 Sender denied"),
		"blocked rejected"},

	// Yahoo / AOL (senders.yahooinc.com/smtp-error-codes; AOL's former postmaster page).
	{"yahoo mailbox disabled", from("mta7.am0.yahoodns.net", "", "554", "554 delivery error: dd Sorry your message to a@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta1234.mail.ne1.yahoo.com"),
		"soft suspend"},
	{"yahoo Spamhaus XBL", from("mta7.am0.yahoodns.net", "5.7.1", "553", "553 5.7.1 [BL23] Connections not accepted from IP addresses on Spamhaus XBL; see https://postmaster.yahooinc.com/error-codes"),
		"blocked blocked"},
	{"yahoo permanently deferred", from("mta7.am0.yahoodns.net", "5.7.2", "553", "553 5.7.2 [TSS09] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes"),
		"blocked blocked | blocked badreputation"},
	// Many unknown recipients from one sender say something about the sender's list, not
	// about this address.
	{"yahoo excessive unknown recipients", from("mta7.am0.yahoodns.net", "4.7.0", "421", "421 4.7.0 [TSS11] Excessive unknown recipients - possible Open Relay (#4.16.56)"),
		"blocked blocked | blocked badreputation | blocked speeding"},
	{"aol dynamic IP", from("mailin-01.mx.aol.com", "", "421", "421 DYN:T1 The IP address you are using to connect to AOL is a dynamic (residential) IP address. AOL will not accept future e-mail transactions from this IP address until your ISP removes the IP address from its list of dynamic (residential) IP addresses."),
		"blocked blocked"},
	{"aol unsolicited mail from the server", from("mailin-01.mx.aol.com", "", "554", "554 RLY:B1 The information presently available to AOL indicates that your server is being used to transmit unsolicited e-mail to AOL."),
		"blocked blocked | blocked spamdetected"},
	{"yahoo temporarily deferred", from("mta7.am0.yahoodns.net", "", "451", "451 Message temporarily deferred - [160]"),
		"blocked blocked | soft systemerror"},

	// Apple iCloud Mail (support.apple.com/en-us/102322).
	{"icloud over quota", from("mx01.mail.icloud.com", "5.2.2", "552", "552 5.2.2 <a@icloud.com>: user is over quota"),
		"soft mailboxfull"},

	// Comcast / Xfinity (postmaster.comcast.net, SMTP error codes).
	{"comcast DNSBL", from("mx1.comcast.net", "", "554", "554 resimta-po-01v.sys.comcast.net comcast 192.0.2.1 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000010"),
		"blocked blocked"},
	{"comcast mailbox disabled", from("mx1.comcast.net", "5.2.1", "550", "550 5.2.1 <a@comcast.net> Mailbox disabled for this recipient"),
		"soft suspend"},
	{"comcast too many sessions", from("mx1.comcast.net", "4.7.0", "421", "421 4.7.0 resimta-po-01v.sys.comcast.net comcast 192.0.2.1 Too many sessions opened from your IP"),
		"blocked toomanyconn"},

	// GMX / WEB.DE / 1&1 IONOS (postmaster.gmx.net/en/error-messages).
	{"gmx policy restrictions", from("mx00.emig.gmx.net", "", "554", "554-Transaction failed\n554-Reject due to policy restrictions.\n554 For explanation visit https://postmaster.gmx.net/en/error-messages?ip=192.0.2.1&c=hi"),
		"blocked policyviolation"},
	// "No SMTP service" here refuses the sender's IP, not the domain's mail.
	{"gmx IP black listed, no SMTP service", from("mx00.emig.gmx.net", "", "554", "554-gmx.net (mxgmx104) Nemesis ESMTP Service not available\n554-No SMTP service\n554-IP address is black listed.\n554 For explanation visit https://postmaster.gmx.net/en/case?c=r0601&i=ip&v=192.0.2.1"),
		"blocked blocked"},
	{"RFC 5321 552 storage allocation", failed("", "552", "552 Requested mail action aborted: exceeded storage allocation"),
		"soft mailboxfull"},

	// Mail.ru (help.mail.ru, postmaster errors).
	{"mail.ru account disabled", from("mxs.mail.ru", "", "550", "550 Message was not accepted -- invalid mailbox.  Local mailbox a@mail.ru is unavailable: account is disabled"),
		"soft suspend"},
	{"mail.ru spam", from("mxs.mail.ru", "", "550", "550 spam message rejected. Please visit http://help.mail.ru/notspam-support/id?c=abc or report details to abuse@corp.mail.ru. Error code: 1234"),
		"blocked spamdetected"},

	// Yandex (yandex.com/support/mail, "Delivery errors").
	{"yandex spam suspicion", from("mx.yandex.ru", "5.7.1", "554", "554 5.7.1 [2] Message rejected under suspicion of SPAM; https://ya.cc/1IrBc 1234567890-abcdefgh"),
		"blocked spamdetected"},
	{"yandex DMARC", from("mx.yandex.ru", "5.7.1", "550", "550 5.7.1 Email rejected per DMARC policy for example.net"),
		"blocked authfailure"},
	{"yandex service unavailable, come back later", from("mx.yandex.ru", "4.7.1", "451", "451 4.7.1 Sorry, the service is currently unavailable. Please come back later."),
		"soft systemerror | soft expired"},
	// X.2.2 and the words agree: the mailbox is full; "size limit" is the mailbox's.
	{"mailbox size limit exceeded", failed("5.2.2", "552", "552 5.2.2 Mailbox size limit exceeded"),
		"soft mailboxfull"},

	// Orange / Wanadoo (postmaster Orange, OFR codes).
	{"orange too many connections", from("smtp-in.orange.fr", "", "421", "421 mwinf5c10 ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR005_104 [104]"),
		"blocked toomanyconn"},

	// Free.fr (postmaster.free.fr).
	{"free.fr too many spams from the IP", from("mx1.free.fr", "4.7.0", "421", "421 4.7.0 Too many spams from your IP (192.0.2.1), please visit http://postmaster.free.fr/"),
		"blocked blocked | blocked spamdetected"},

	// Zoho Mail (zoho.com/mail/help, "Bounce messages").
	{"zoho relaying disallowed", from("mx.zoho.com", "", "553", "553 Relaying disallowed. Invalid Domain - example.org"),
		"blocked norelaying"},
	{"zoho unusual sending activity", from("smtp.zoho.com", "5.4.6", "550", "550 5.4.6 Unusual sending activity detected. Please try after sometime."),
		"blocked speeding | blocked blocked"},
	{"zoho outgoing blocked", from("smtp.zoho.com", "5.1.8", "554", "554 5.1.8 Email Outgoing Blocked."),
		"blocked blocked | blocked rejected"},

	// Proton Mail.
	{"proton address does not exist", from("mail.protonmail.ch", "5.1.1", "550", "550 5.1.1 <a@proton.me>: Recipient address rejected: Address does not exist"),
		"hard userunknown"},

	// Mimecast ("Mimecast SMTP error codes", community.mimecast.com).
	{"mimecast invalid recipient", from("eu-smtp-inbound-1.mimecast.com", "", "550", "550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [aBcDeF123 Ab12.uk1]"),
		"hard userunknown"},
	{"mimecast security policies", from("eu-smtp-inbound-1.mimecast.com", "", "554", "554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554"),
		"blocked policyviolation | blocked securityerror"},
	{"mimecast open relay not allowed", from("eu-smtp-inbound-1.mimecast.com", "", "451", "451 Open relay not allowed - https://community.mimecast.com/docs/DOC-1369#451"),
		"blocked norelaying | blocked blocked"},
	{"mimecast envelope blocked", from("eu-smtp-inbound-1.mimecast.com", "", "550", "550 Administrative prohibition - envelope blocked - https://community.mimecast.com/docs/DOC-1369#550"),
		"blocked rejected | blocked policyviolation | blocked blocked"},

	// Proofpoint (ipcheck.proofpoint.com).
	{"proofpoint IP blocked", from("mx0a-00000000.pphosted.com", "5.7.0", "554", "554 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1"),
		"blocked blocked"},

	// Barracuda Email Security (barracudanetworks.com, "Barracuda Reputation Block List").
	{"barracuda recipient blocked by policy", failed("", "550", "550 permanent failure for one or more recipients (a@example.org:blocked)"),
		"blocked blocked | blocked policyviolation | blocked spamdetected"},
	{"barracuda reputation list", failed("", "554", "554 Service unavailable; Client host [192.0.2.1] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?r=1&ip=192.0.2.1"),
		"blocked blocked | blocked badreputation"},
	{"barracuda poor reputation", failed("", "554", "554 Your access to this mail system has been rejected due to the sending MTA's poor reputation. If you believe that this failure is in error, please contact the intended recipient via alternate means."),
		"blocked badreputation | blocked blocked"},
	{"barracuda recipient verification", failed("", "550", "550 No such user (a@example.org)"),
		"hard userunknown"},

	// Cisco Secure Email (IronPort) default responses (AsyncOS user guide).
	// X.1.0 "other address status": whose address, and what is wrong, is not said.
	{"ironport address rejected", failed("5.1.0", "550", "550 #5.1.0 Address rejected."),
		"undetermined onhold"},
	{"ironport access rejected", failed("5.7.1", "550", "550 #5.7.1 Your access to submit messages to this e-mail system has been rejected."),
		"blocked blocked | blocked securityerror"},
	{"ironport recipients this hour", failed("", "452", "452 Too many recipients received this hour"),
		"blocked speeding | soft exceedlimit"},
	{"ironport concurrent connections", failed("", "421", "421 Too many concurrent SMTP connections from this IP address; please try again later."),
		"blocked toomanyconn"},

	// Postfix (smtpd(8), the postconf(5) defaults, postgrey, policyd-spf).
	{"postfix unknown in virtual alias table", failed("5.1.1", "550", "550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in virtual alias table (in reply to RCPT TO command)"),
		"hard userunknown"},
	// A temporary code: the lookup may pass later (RFC 5321 §4.2.1, 4yz).
	{"postfix temporary domain not found", failed("4.1.2", "450", "450 4.1.2 <a@example.invalid>: Recipient address rejected: Domain not found"),
		"soft networkerror"},
	{"postfix domain not found", failed("5.1.2", "550", "550 5.1.2 <a@example.invalid>: Recipient address rejected: Domain not found"),
		"hard hostunknown"},
	{"postfix sender domain not found", failed("4.1.8", "450", "450 4.1.8 <s@example.net>: Sender address rejected: Domain not found"),
		"blocked rejected"},
	{"postfix sender domain on a DBL", failed("5.7.1", "554", "554 5.7.1 Service unavailable; Sender address [s@example.net] blocked using dbl.spamhaus.org; https://www.spamhaus.org/query/domain/example.net"),
		"blocked blocked"},
	{"postfix client hostname unknown", failed("4.7.1", "450", "450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]"),
		"blocked requireptr"},
	// Postfix's header_checks and body_checks REJECT with no text of their own.
	{"postfix content checks", failed("5.7.1", "550", "550 5.7.1 message content rejected"),
		"blocked policyviolation | blocked spamdetected"},
	{"postfix too many recipients", failed("4.5.3", "452", "452 4.5.3 Error: too many recipients"),
		"soft exceedlimit"},
	{"postfix server configuration error", failed("4.3.5", "451", "451 4.3.5 Server configuration error"),
		"soft systemerror"},
	{"postfix temporary lookup failure", failed("4.3.0", "451", "451 4.3.0 <a@example.org>: Temporary lookup failure"),
		"soft systemerror | soft networkerror"},
	{"postgrey greylisted", failed("4.2.0", "450", "450 4.2.0 <a@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html"),
		"soft expired"},
	{"postfix loops back to myself", failed("5.4.6", "", "mail for example.org loops back to myself"),
		"soft networkerror | soft systemerror"},
	{"postfix deferred, connection refused", Facts{Action: ActionDelayed, Status: "4.4.1", Diagnostic: "delivery temporarily suspended: connect to mx.example.org[192.0.2.1]:25: Connection refused"},
		"delayed expired | delayed networkerror"},
	// Postfix address verification answers 450 (unverified_recipient_reject_code) whatever
	// the probe saw: a temporary refusal, so never hard.
	{"postfix unverified address, temporary", failed("4.1.1", "450", "450 4.1.1 <a@example.org>: Recipient address rejected: unverified address: host mx.example.org[192.0.2.1] said: 550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)"),
		"soft userunknown"},
	{"postfix verification in progress", failed("4.1.1", "450", "450 4.1.1 <a@example.org>: Recipient address rejected: unverified address: Address verification in progress"),
		"soft *"},
	{"postfix undeliverable address", failed("5.1.1", "550", "550 5.1.1 <a@example.org>: Recipient address rejected: undeliverable address: host mx.example.org[192.0.2.1] said: 550 5.1.1 <a@example.org>: User unknown (in reply to RCPT TO command)"),
		"hard userunknown"},
	{"policyd-spf fail", failed("5.7.23", "550", "550 5.7.23 <a@example.org>: Recipient address rejected: Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=mfrom;id=s@example.net;ip=192.0.2.1;r=a@example.org"),
		"blocked authfailure"},
	// RFC 7505 §4.3: the recipient's domain publishes a null MX.
	{"postfix recipient null MX", failed("5.1.10", "556", "556 5.1.10 <a@example.org>: Recipient address rejected: Domain example.org does not accept mail (nullMX)"),
		"hard notaccept"},
	// RFC 7505 §4.2: the sender's domain does.
	{"postfix sender null MX", failed("5.7.27", "556", "556 5.7.27 <s@example.net>: Sender address rejected: Domain example.net does not accept mail (nullMX)"),
		"blocked rejected"},
	{"postfix local mailbox file too large", Facts{Action: ActionFailed, Status: "5.2.2", DiagnosticType: "x-postfix", Diagnostic: "cannot update mailbox /var/mail/a for user a. error writing message: File too large"},
		"soft mailboxfull"},

	// Exim (the Exim specification, "ACL", "Verifying addresses", appendfile).
	{"exim sender verify failed, unrouteable", failed("", "550", "550-Verification failed for <s@example.net>\n550-Unrouteable address\n550 Sender verify failed"),
		"blocked rejected"},
	// An Exim sender callout quotes the sender's own server refusing the sender's address.
	{"exim sender callout quoting user unknown", failed("", "550", "550-Verification failed for <s@example.net>\n550-Called:   192.0.2.1\n550-Sent:     RCPT TO:<s@example.net>\n550-Response: 550 5.1.1 <s@example.net>: Recipient address rejected: User unknown in virtual mailbox table\n550 Sender verify failed"),
		"blocked rejected"},
	{"exim temporary local problem", failed("", "451", "451 Temporary local problem - please try later"),
		"soft systemerror"},
	{"exim recipient callout", failed("", "550", "550-Callout verification failed:\n550 550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in virtual mailbox table"),
		"hard userunknown"},
	{"exim appendfile quota", failed("5.0.0", "", "mailbox is full (MTA-imposed quota exceeded while writing to file /var/mail/a)"),
		"soft mailboxfull"},
	{"exim DNSBL", failed("", "550", "550 rejected because 192.0.2.1 is in a black list at zen.spamhaus.org\nListed by SBL"),
		"blocked blocked"},
	{"exim virus", failed("", "550", "550 This message contains a virus (Eicar-Test-Signature) and has been rejected"),
		"blocked virusdetected"},
	{"exim concurrent connections", failed("", "421", "421 Too many concurrent SMTP connections; please try again later."),
		"blocked toomanyconn"},

	// Sendmail (cf/README, the access database and redirect feature).
	{"sendmail relaying denied, authentication", failed("5.7.1", "550", "550 5.7.1 <a@example.org>... Relaying denied. Proper authentication required."),
		"blocked norelaying"},
	{"sendmail message too large", failed("5.3.4", "552", "552 5.3.4 Message is too large; 10485760 bytes max"),
		"soft mesgtoobig"},
	{"sendmail DNSBL", failed("5.7.1", "550", "550 5.7.1 Rejected: 192.0.2.1 listed at zen.spamhaus.org"),
		"blocked blocked"},
	{"sendmail sender domain does not resolve", failed("4.1.8", "451", "451 4.1.8 Domain of sender address s@example.net does not resolve"),
		"blocked rejected"},
	{"sendmail bad recipient syntax", failed("5.1.3", "501", "501 5.1.3 Bad recipient address syntax"),
		"hard userunknown"},
	{"sendmail deferred", Facts{Action: ActionDelayed, Status: "4.0.0", Diagnostic: "Deferred: Connection refused by mx.example.org."},
		"delayed expired | delayed networkerror"},
	{"sendmail read error", failed("4.4.1", "", "451 4.4.1 reply: read error from mx.example.org."),
		"soft networkerror | soft expired"},
	{"sendmail redirect feature", failed("5.1.1", "551", "551 5.1.1 <a@example.org>... User has moved; please try <b@example.net>"),
		"hard hasmoved"},

	// qmail and vpopmail (qmail-remote, qmail-local, vdelivermail).
	{"qmail not in locals", failed("5.4.6", "", "Sorry. Although I'm listed as a best-preference MX or A for that host,\nit isn't in my control/locals file, so I don't treat it as local. (#5.4.6)"),
		"soft networkerror | soft systemerror"},
	{"qmail sender in badmailfrom", failed("5.7.1", "553", "Connected to 192.0.2.1 but sender was rejected.\nRemote host said: 553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)"),
		"blocked rejected"},
	{"vpopmail over the allowed quota", failed("5.2.2", "", "The users mailfolder is over the allowed quota (size). (#5.2.2)"),
		"soft mailboxfull"},
	{"qmail connection died", failed("4.4.2", "", "Connected to 192.0.2.1 but connection died. (#4.4.2)"),
		"soft networkerror | soft expired"},

	// Other MTAs and mailbox servers.
	{"domino no route to domain", failed("", "", "Router: No route found to domain example.org from server MAIL1/Acme. Check Server, Connection and Domain documents in Domino Directory."),
		"soft networkerror | undetermined onhold"},
	{"dovecot quota exceeded", failed("5.2.2", "552", "552 5.2.2 <a@example.org> Quota exceeded (mailbox for user is full)"),
		"soft mailboxfull"},
	{"godaddy recipient not found", from("mx.secureserver.net", "5.1.1", "550", "550 5.1.1 <a@example.org> Recipient not found. <http://x.co/irbounce>"),
		"hard userunknown"},
	{"symantec cloud SPF fail", failed("5.7.1", "553", "553-SPF (Sender Policy Framework) domain authentication\n553-fail. Refer to the Troubleshooting page at\n553 http://www.symanteccloud.com/troubleshooting for more details. (#5.7.1)"),
		"blocked authfailure"},
	{"SORBS listing", failed("5.7.1", "550", "550 5.7.1 Client host [192.0.2.1] blocked using dnsbl.sorbs.net; Currently Sending Spam See: http://www.sorbs.net/lookup.shtml?192.0.2.1"),
		"blocked blocked"},
	{"SpamCop listing", failed("5.7.1", "554", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using bl.spamcop.net; Blocked - see https://www.spamcop.net/bl.shtml?192.0.2.1"),
		"blocked blocked"},
	{"OpenDMARC reject", failed("5.7.1", "550", "550 5.7.1 rejected by DMARC policy for example.net"),
		"blocked authfailure"},
	{"DMARC evaluation error", failed("5.7.5", "554", "554 5.7.5 Permanent error evaluating DMARC policy"),
		"blocked authfailure"},
	{"OpenBSD spamd", failed("", "451", "451 Temporary failure, please try again later."),
		"soft systemerror"},

	// The titles of RFC 3463 and the texts of RFC 5321 §4.2.2, as receivers send them.
	{"RFC 3463 bad destination mailbox", failed("5.1.1", "550", "550 5.1.1 Bad destination mailbox address"),
		"hard userunknown"},
	{"RFC 3463 bad destination system", failed("5.1.2", "550", "550 5.1.2 Bad destination system address"),
		"hard hostunknown"},
	{"RFC 3463 moved, no forwarding address", failed("5.1.6", "550", "550 5.1.6 Destination mailbox has moved, No forwarding address"),
		"hard hasmoved"},
	{"RFC 3463 bad sender system address", failed("5.1.8", "550", "550 5.1.8 Bad sender's system address"),
		"blocked rejected"},
	{"RFC 5321 551 user not local", failed("5.1.6", "551", "551 5.1.6 User not local; please try <b@example.net>"),
		"hard hasmoved"},
	{"RFC 3463 system not accepting network messages", failed("5.3.2", "554", "554 5.3.2 System not accepting network messages"),
		"soft systemerror"},
	{"RFC 5321 450 mailbox unavailable", failed("", "450", "450 Requested mail action not taken: mailbox unavailable"),
		"soft systemerror | undetermined onhold"},
	{"RFC 5321 553 mailbox name not allowed", failed("", "553", "553 Requested action not taken: mailbox name not allowed"),
		"undetermined onhold"},
	{"exchange delivery delayed", Facts{Action: ActionDelayed, Status: "4.4.7", Diagnostic: "Delivery has been delayed to these recipients or groups"},
		"delayed expired"},

	// Unknown recipients in the receivers' own words.
	{"mail.ru user not found", from("mxs.mail.ru", "", "550", "550 Message was not accepted -- invalid mailbox.  Local mailbox a@mail.ru is unavailable: user not found"),
		"hard userunknown"},
	{"yandex no such user", from("mx.yandex.ru", "5.7.1", "550", "550 5.7.1 No such user!"),
		"hard userunknown"},
	{"orange invalid recipient", from("smtp-in.orange.fr", "5.5.0", "550", "550 5.5.0 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]"),
		"hard userunknown"},
	{"comcast not our customer", from("mx1.comcast.net", "5.1.1", "550", "550 5.1.1 <a@comcast.net> Not our Customer"),
		"hard userunknown"},
	{"icloud unknown or illegal alias", from("mx01.mail.icloud.com", "5.1.1", "550", "550 5.1.1 <a@icloud.com>: unknown or illegal alias: a@icloud.com"),
		"hard userunknown"},
	{"yahoo account disabled or discontinued", from("mta7.am0.yahoodns.net", "", "554", "554 30 Sorry, your message to a@yahoo.com cannot be delivered. This account has been disabled or discontinued [#102]."),
		"soft suspend"},
	{"RFC 5321 551 without an enhanced code", failed("", "551", "551 User not local; please try <b@example.net>"),
		"hard hasmoved"},

	// Mailbox servers and MTAs, more of their own texts.
	{"exchange mailbox full", failed("5.2.2", "554", "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded"),
		"soft mailboxfull"},
	{"cpanel exim disk quota", failed("", "552", "552 Mailbox disk quota exceeded"),
		"soft mailboxfull"},
	{"postfix reverse hostname unknown", failed("4.7.1", "450", "450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.1]"),
		"blocked requireptr"},
	{"postfix relay access denied, temporary", failed("4.7.1", "454", "454 4.7.1 <a@example.org>: Relay access denied"),
		"blocked norelaying"},
	{"postfix smtpd timeout", failed("4.4.2", "421", "421 4.4.2 mx.example.org Error: timeout exceeded"),
		"soft networkerror | soft expired"},
	{"postfix anvil message rate", failed("4.7.1", "450", "450 4.7.1 Error: too much mail from 192.0.2.1"),
		"blocked speeding"},
	{"postfix anvil connections", failed("4.7.0", "421", "421 4.7.0 mx.example.org Error: too many connections from 192.0.2.1"),
		"blocked toomanyconn"},
	{"postfix sender login mismatch", failed("5.7.1", "553", "553 5.7.1 <s@example.net>: Sender address rejected: not owned by user s"),
		"blocked rejected"},
	{"exim message size", failed("", "552", "552 Message size exceeds maximum permitted"),
		"soft mesgtoobig"},
	{"sendmail maximum fixed size", failed("5.2.3", "552", "552 5.2.3 Message exceeds maximum fixed size (10485760)"),
		"soft mesgtoobig | soft exceedlimit"},
	{"amavis spam", failed("5.7.0", "554", "554 5.7.0 Reject, id=12345-01 - spam"),
		"blocked spamdetected"},
	{"amavis infected", failed("5.7.0", "554", "554 5.7.0 Reject, id=12345-01 - INFECTED: Eicar-Signature"),
		"blocked virusdetected"},
	{"amavis banned attachment", failed("5.7.0", "554", "554 5.7.0 Reject, id=12345-01 - BANNED: P=p003,L=1,M=multipart/mixed | P=p002,L=1/2,M=application/x-msdownload,T=exe,N=setup.exe"),
		"blocked virusdetected | blocked policyviolation"},
	{"rspamd soft reject", failed("4.7.1", "451", "451 4.7.1 Try again later"),
		"soft systemerror | soft expired"},
	{"rspamd spam", failed("5.7.1", "554", "554 5.7.1 Spam message rejected"),
		"blocked spamdetected"},
	{"proofpoint local policy violation", from("mx0a-00000000.pphosted.com", "5.7.0", "550", "550 5.7.0 Local Policy Violation"),
		"blocked policyviolation"},
	{"RFC 3463 message too big for system", failed("5.3.4", "554", "554 5.3.4 Message too big for system"),
		"soft mesgtoobig"},

	// The IANA registry's titles of the authentication codes (RFC 7372).
	{"IANA X.7.20 no passing DKIM signature", failed("5.7.20", "550", "550 5.7.20 No passing DKIM signature found"),
		"blocked authfailure"},
	{"IANA X.7.23 SPF validation failed", failed("5.7.23", "550", "550 5.7.23 SPF validation failed"),
		"blocked authfailure"},
	{"IANA X.7.25 reverse DNS validation failed", failed("5.7.25", "550", "550 5.7.25 Reverse DNS validation failed"),
		"blocked requireptr"},
	{"IANA X.7.26 multiple authentication checks failed", failed("5.7.26", "550", "550 5.7.26 Multiple authentication checks failed"),
		"blocked authfailure"},

	// NetEase (163.com, help.mail.163.com error codes) and Tencent QQ Mail
	// (service.mail.qq.com, bounce help pages numbered 10007xx).
	{"netease DT:SPM spam", from("163mx01.mxmail.netease.com", "", "554", "554 DT:SPM 163 smtp3,DdGowAB7AAAAAAA.1 1234567890, please see http://mail.163.com/help/help_spam_16.htm?ip=192.0.2.1&hostid=smtp3&time=1234567890"),
		"blocked spamdetected"},
	{"netease user not found", from("163mx01.mxmail.netease.com", "", "550", "550 User not found: a@163.com"),
		"hard userunknown"},
	{"qq mailbox not found", from("mx3.qq.com", "", "550", "550 Mailbox not found. http://service.exmail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728"),
		"hard userunknown"},
	{"qq mail content denied", from("mx3.qq.com", "", "550", "550 Mail content denied. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726"),
		"blocked spamdetected | blocked policyviolation | soft contenterror"},
	{"qq domain frequency limited", from("mx3.qq.com", "", "550", "550 Domain frequency limited"),
		"blocked toomanyconn | blocked speeding"},

	// Sender-side wording that names an address or a domain: never the recipient's.
	{"sender address unknown under 5.1.1", failed("5.1.1", "550", "550 5.1.1 <s@example.net>: Sender address rejected: undeliverable address: unknown user"),
		"blocked rejected"},
	{"from address does not exist", failed("", "550", "550 Your from address does not exist"),
		"blocked rejected"},
	// Postfix's reply to DATA when no RCPT TO was accepted, whatever each was refused for
	// (smtpd.c, data_cmd), as a Postfix client reports it: a refusal of the data says
	// nothing more of the address.
	{"postfix no valid recipients after DATA", failed("5.5.1", "554", "host mx.example.org[192.0.2.1] said: 554 5.5.1 Error: no valid recipients (in reply to DATA command)"),
		"soft filtered | soft syntaxerror | undetermined onhold"},

	// Mailbox servers' unknown-mailbox texts.
	{"cyrus mailbox unknown", failed("5.1.1", "550", "550-Mailbox unknown. Either there is no mailbox associated with this name or you do not have authorization to see it.\n550 5.1.1 User unknown"),
		"hard userunknown"},
	{"dovecot user doesn't exist", failed("5.1.1", "550", "550 5.1.1 <a@example.org> User doesn't exist: a@example.org"),
		"hard userunknown"},
	{"kerio mailbox does not exist", failed("5.1.1", "550", "550 5.1.1 Mailbox 'a' does not exist"),
		"hard userunknown"},
	{"qmail validrcptto", failed("5.7.1", "553", "553 sorry, this recipient is not in my validrcptto list (#5.7.1)"),
		"hard userunknown"},
	// Ambiguous: either the mailbox is missing or the sender may not reach it (RFC 5321's
	// "mailbox unavailable").
	{"mailbox unavailable or access denied", failed("", "550", "550 Mailbox unavailable or access denied"),
		"undetermined onhold | blocked securityerror"},
	{"recipient has moved", failed("5.1.6", "550", "550 5.1.6 <a@example.org>: Recipient has moved; please update your records"),
		"hard hasmoved"},

	// A sending service that made no attempt because it suppressed the address earlier: no
	// new evidence about the address (Mailgun's, Postmark's and Amazon SES's documented texts).
	{"mailgun previously bounced", failed("", "", "Not delivering to previously bounced address"),
		"soft suppressed"},
	{"postmark inactive recipient", failed("", "", "You tried to send to a recipient that has been marked as inactive. Found inactive addresses: a@example.org. Inactive recipients are ones that have generated a hard bounce or a spam complaint."),
		"soft suppressed"},
	{"ses account-level suppression", failed("", "", "Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address."),
		"soft suppressed"},
}

// verdictWant is one acceptable verdict of a wordingCase.
type verdictWant struct {
	kind   Kind
	reason string // a Reason, or "*" for any
}

func parseWant(t *testing.T, s string) []verdictWant {
	t.Helper()
	var out []verdictWant
	for _, alt := range strings.Split(s, "|") {
		f := strings.Fields(alt)
		if len(f) != 2 {
			t.Fatalf("want %q: %q is not \"kind reason\"", s, alt)
		}
		k := Kind(f[0])
		if f[0] == "undetermined" {
			k = KindUndetermined
		}
		out = append(out, verdictWant{k, f[1]})
	}
	return out
}

// TestWording checks the verdict of each held-out wording, and the invariants the issue
// states: only a want of kind hard suppresses, a temporary code is never hard.
func TestWording(t *testing.T) { runWording(t, wordingCases, 80) }

// runWording runs checkWording on each case as a subtest, and checks that the names are
// distinct and that there are no fewer than least of them.
func runWording(t *testing.T, cases []wordingCase, least int) {
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Errorf("two cases named %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) { checkWording(t, tc) })
	}
	if len(cases) < least {
		t.Errorf("%d cases, want at least %d", len(cases), least)
	}
}

// checkWording checks one held-out case: the verdict is one of its wants, it suppresses only
// when the first want is hard, and it is never hard under a temporary code.
func checkWording(t *testing.T, tc wordingCase) {
	t.Helper()
	wants := parseWant(t, tc.want)
	got := Classify(tc.facts)
	ok := false
	for _, w := range wants {
		if got.Kind == w.kind && (w.reason == "*" || string(got.Reason) == w.reason) {
			ok = true
		}
	}
	if !ok {
		t.Errorf("Classify(%q) = %s %s, want %s (evidence %q)", tc.facts.Diagnostic, got.Kind, got.Reason, tc.want, got.Evidence)
	}
	wantSuppress := wants[0].kind == KindHard
	if got.Suppress != wantSuppress {
		t.Errorf("Classify(%q).Suppress = %v, want %v", tc.facts.Diagnostic, got.Suppress, wantSuppress)
	}
	if got.Hard && temporary(tc.facts) {
		t.Errorf("Classify(%q) is hard under a temporary code", tc.facts.Diagnostic)
	}
}

package classify

import "strings"

// receiverRules hold wording specific to one receiving provider, where the same code means
// something else than the registry says (Gmail's "5.2.1" for an inactive account, Microsoft's
// "5.4.1" for an unknown recipient, Yahoo's "5.7.9" for policy). A provider is recognised by
// the remote or reporting MTA's host name, or by a marker in the text (its postmaster URL, its
// error tags). Its rules run before every other failure rule.
type receiverRule struct {
	name    string
	hosts   []string // host name suffixes, lower case
	markers []string // normalized text that only this provider writes
	formats []string // decoders (Facts.Format) that read only this provider's mails
	rules   []textRule
	// fallback is the reason when the provider is recognised but none of its rules match.
	fallback Reason
}

var receiverRules = []receiverRule{
	{
		// Google Groups answers a post it refuses with a notice in the sender's language:
		// the group may not exist or the sender may not post to it. Where it says the
		// sender may not post, the group's own settings refuse the sender (filtered, see
		// postingRestrictions); its notice of both possibilities does not say the group
		// exists and stays a refusal of the sender's post. A group that does not exist is
		// answered by Gmail's "5.1.1 ... does not exist".
		name:     "Google Groups",
		hosts:    []string{"googlegroups.com"},
		formats:  []string{"googlegroups"},
		rules:    []textRule{rule(ReasonFiltered, postingRestrictions...)},
		fallback: ReasonRejected,
	},
	{
		// Wording from Gmail's SMTP error reference (support.google.com/a/answer/3726730),
		// e.g. "550-5.2.1 The email account that you tried to reach is inactive."
		name:    "Gmail",
		hosts:   []string{"google.com", "gmail.com", "googlemail.com"},
		markers: []string{"support.google.com/mail", "gsmtp", "gmail requires"},
		rules: []textRule{
			rule(ReasonUserUnknown, "account that you tried to reach does not exist"),
			// "550-5.7.1 Messages missing a valid messageId header are not accepted."
			rule(ReasonNotCompliantRFC, "missing a valid address in from", "multiple addresses in from",
				"missing a valid messageid"),
			rule(ReasonSecurityError, "application-specific password required", "username and password not accepted",
				"please log in with your web browser", "too many unauthenticated commands"),
			// "550 5.7.0 Mail Sending denied. This error occurs if the sender account is
			// disabled or not registered within your Google Workspace domain": the sender's
			// account, not the recipient's mailbox.
			rule(ReasonRejected, "mail sending denied"),
			// "454-4.5.0 SMTP protocol violation, no commands allowed to pipeline after
			// STARTTLS": the sender's protocol, not its TLS.
			rule(ReasonSyntaxError, "smtp protocol violation"),
			// "421-4.7.29 Your email has been rate limited because this message wasn't sent
			// over a TLS connection. Gmail requires all bulk email senders to use TLS/SSL".
			rule(ReasonFailedSTARTTLS, "tls required for rcpt domain", "must issue a starttls command",
				"sent over a tls connection", "use tls/ssl"),
			// "550 5.7.1 Email quota exceeded." and "550 5.4.5 Daily sending quota
			// exceeded.": the sending account's quota (SMTP relay), not a mailbox's.
			rule(ReasonSpeeding, "email quota exceeded", "sending quota exceeded"),
			rule(ReasonSuspend, "account that you tried to reach is disabled",
				"account that you tried to reach is inactive"),
			rule(ReasonMailboxFull, "account that you tried to reach is over quota",
				"out of storage space", "inbox is out of storage"),
			rule(ReasonSpeeding, "receiving mail at a rate that prevents",
				"receiving mail too quickly", "you have reached a limit for sending mail"),
			// 4.7.28: "Gmail has detected an unusual rate of unsolicited mail originating
			// from your IP address / DKIM domain / SPF domain [, containing one of your
			// URLs]. To protect our users from spam, mail sent from your ... has been
			// temporarily rate limited." The cause is the share of the sender's mail that
			// Gmail's users take for spam, the reputation of its IP, domain or URLs; the
			// rate limit is its consequence: badreputation, before the "spf"/"dkim" the
			// text names as the domain's kind.
			rule(ReasonBadReputation, "unusual rate of unsolicited mail", "unusual rate of mail"),
			rule(ReasonAuthFailure, "does not have authentication information", "unauthenticated email",
				"fails to pass authentication checks", "sender is unauthenticated", "spf", "dkim", "dmarc"),
			rule(ReasonRequirePTR, "does not have a ptr record", "ptr record setup"),
			rule(ReasonBadReputation, "low reputation", "suspicious due to the very low reputation"),
			rule(ReasonBlocked, "ip you're using to send mail is not authorized", "not authorized to send email directly to our servers"),
			// The cause Gmail names (RFC 5322 non-compliance) wins over the closing "this
			// message has been blocked" and the "to reduce the amount of spam" it adds.
			rule(ReasonNotCompliantRFC, "not rfc 5322 compliant", "rfcmessagenoncompliant",
				"missing a valid message-id"),
			rule(ReasonSpamDetected, "likely unsolicited mail", "likely suspicious", "has been blocked",
				"spam"),
			rule(ReasonPolicyViolation, "content presents a potential", "potential security issue",
				"has a policy that prohibited the mail"),
			rule(ReasonContentError, "mail message is malformed"),
			// Not "message exceeded" alone: "554 5.6.0 Message exceeded 50 hops, this may
			// indicate a mail loop" is Gmail's loop refusal.
			rule(ReasonMesgTooBig, "exceeded * megabytes", "size limit"),
			rule(ReasonBlocked, "ip not in whitelist"),
			rule(ReasonSystemError, "temporary system problem", "mail server temporarily rejected message"),
			rule(ReasonNotAccept, "doesn't receive email according to the administrator", "null mx"),
		},
	},
	{
		// Wording from Microsoft's Exchange Online / Outlook.com NDR documentation, e.g.
		// "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)" and
		// "550 5.7.606 Access denied, banned sending IP [192.0.2.1]".
		name:  "Microsoft",
		hosts: []string{"outlook.com", "hotmail.com", "live.com", "msn.com", "office365.com", "microsoft.com"},
		markers: []string{"postmaster.live.com", "protection.outlook.com", "prod.outlook.com", "resolver.adr.", "resolver.rst.", "outlook.com", "sender.office.com",
			"access denied. as("},
		rules: []textRule{
			rule(ReasonMailboxFull, "quotaexceeded", "mailbox full"),
			rule(ReasonUserUnknown, "recipientnotfound", "exrecipnotfound", "access denied. as(201806281)"),
			// RFC 5321's generic texts are Microsoft's unknown recipient only under the codes
			// it documents them with: Outlook.com's "550 5.5.0 Requested action not taken:
			// mailbox unavailable" (and 5.1.1), Exchange Online's directory-based edge
			// blocking "550 5.4.1 Recipient address rejected: Access denied". Under another
			// code (5.7.1 policy, 5.2.1, a 4.x.x) or none they say no more than RFC 5321's
			// 550 does, and the code decides.
			{reason: ReasonUserUnknown, under: []string{"5.0", "1.1"}, phrases: compilePhrases([]string{
				"requested action not taken: mailbox unavailable", "mailbox unavailable"})},
			{reason: ReasonUserUnknown, under: []string{"4.1", "1.1"}, phrases: compilePhrases([]string{
				"recipient address rejected: access denied"})},
			rule(ReasonNoRelaying, "relay access denied", "unable to relay"),
			rule(ReasonSecurityError, "not authenticated to send anonymous mail"),
			rule(ReasonRejected, "bad outbound sender"),
			rule(ReasonAuthFailure, "does not pass dmarc", "dmarc", "spf", "dkim"),
			rule(ReasonBadReputation, "reputation"),
			rule(ReasonRequirePTR, "mismatches client ip"),
			rule(ReasonBlocked, "banned sending ip", "block list", "blocked using", "traffic not accepted from this ip",
				"part of their network is on our block list", "(s3140)", "(s3150)", "unregistered domains",
				"sc-001", "sc-002", "sc-003", "sc-004", "dy-001", "dy-002", "we generally do not accept email from dynamic ip"),
			// Exchange Online's NDR table: "5.2.121/5.2.122 The recipient has exceeded their
			// limit for the number of messages they can receive per hour" (the sender's rate
			// to that recipient), "5.7.505 Access denied, banned recipient" (the recipient is
			// barred from receiving, its mailbox is not said not to exist), "5.7.507 Access
			// denied, rejected by recipient" (the recipient's organization refuses the sender).
			rule(ReasonSpeeding, "message receive limit", "limit for the number of messages they can receive",
				"rp-001", "rp-002", "rp-003"),
			rule(ReasonSuspend, "access denied, banned recipient"),
			rule(ReasonFiltered, "access denied, rejected by recipient"),
			// Outlook.com's postmaster troubleshooting page: "OU-001 Mail rejected by
			// Outlook.com for policy reasons", OU-002 the same, "related to content with
			// spam-like characteristics or IP/domain reputation problems".
			rule(ReasonPolicyViolation, "ou-001", "ou-002"),
			rule(ReasonNetworkError, "hop count exceeded"),
			// The recipient's delivery restrictions (see textRules): the ones that name
			// authentication are a security requirement, the others its own settings.
			rule(ReasonSecurityError, "resolver.rst.authrequired", "resolver.rst.sendernotauthenticatedfor"),
			rule(ReasonFiltered, postingRestrictions...),
		},
	},
	{
		// Yahoo Inc (Yahoo, AOL, Verizon Media) postmaster error codes, e.g.
		// "554 5.7.9 Message not accepted for policy reasons" and "421 4.7.0 [TSS04] Messages
		// from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints".
		name:  "Yahoo",
		hosts: []string{"yahoodns.net", "yahoo.com", "yahoo.co.jp", "aol.com", "verizonmedia.com"},
		markers: []string{"postmaster.yahooinc.com", "postmaster.verizonmedia.com", "senders.yahooinc.com", "[ts0", "[tss0",
			"postmaster.info.aol.com"},
		rules: []textRule{
			// AOL's former postmaster pages name the cause by a tag in parentheses,
			// "421 4.7.1 : (DNS:NR) http://postmaster.info.aol.com/errors/421dnsnr.html":
			// DNS:NR and RTR:RD a sending IP without reverse DNS, RTR:BL and RTR:BB a listed
			// or compromised IP, CON:B1 and HVU:B1 an IP blocked for its traffic or its
			// volume of unwanted mail, RLY:B1-B3 an IP sending unsolicited mail, DYN:T1 a
			// dynamic IP, RTR:SC an IP blocked for its users' spam complaints.
			rule(ReasonRequirePTR, "(dns:nr)", "(rtr:rd)"),
			rule(ReasonBlocked, "(rtr:bl)", "(rtr:bb)", "(rtr:sc)", "(con:b1)", "(hvu:b1)", "(rly:b1)", "(rly:b2)", "(rly:b3)",
				"(dyn:t1)", "(dyn:t2)"),
			// "451 Message temporarily deferred due to unresolvable RFC.5321 from domain": the
			// envelope sender's domain.
			rule(ReasonRejected, "unresolvable rfc.5321 from domain"),
			// Yahoo's 2024 sender requirements: "550 5.7.9 This mail has been blocked because
			// the sender is unauthenticated. Yahoo requires all senders to authenticate with
			// either SPF or DKIM."
			rule(ReasonAuthFailure, "sender is unauthenticated", "authenticate with either spf or dkim"),
			rule(ReasonUserUnknown, "doesn't have a yahoo", "does not have a yahoo", "mailbox not found",
				"user doesn't have"),
			rule(ReasonSuspend, "account is disabled", "user account is unavailable"),
			rule(ReasonMailboxFull, "over quota", "mailbox full"),
			rule(ReasonMesgTooBig, "message size exceeds"),
			rule(ReasonTooManyConn, "max message per connection", "too many connections"),
			rule(ReasonBlocked, "[bl21]", "[bl22]", "[bl23]", "in spamhaus's list"),
			rule(ReasonPolicyViolation, "not accepted for policy reasons"),
			rule(ReasonBadReputation, "temporarily deferred due to unexpected volume or user complaints"),
			rule(ReasonBlocked, "permanently deferred", "[ts03]", "[tss09]"),
		},
	},
	{
		// Apple iCloud Mail's postmaster page (support.apple.com/en-us/102322), e.g.
		// "550 5.1.6 recipient no longer on server" and "554 5.7.1 [CS01] Message rejected
		// due to local policy".
		name:    "Apple",
		hosts:   []string{"icloud.com", "me.com", "mac.com", "apple.com"},
		markers: []string{"support.apple.com"},
		rules: []textRule{
			rule(ReasonHasMoved, "recipient no longer on server"),
			rule(ReasonUserUnknown, "inactive email address", "user does not exist", "no such user"),
			rule(ReasonMailboxFull, "mailbox is full", "over quota"),
			// "421 4.7.1 Messages to a@icloud.com deferred due to excessive volume": the
			// sender's rate; "554 ... ESMTP not accepting connections": the sender's server.
			rule(ReasonSpeeding, "deferred due to excessive volume"),
			rule(ReasonBlocked, "not accepting connections", "rejected due to listing in"),
			rule(ReasonPolicyViolation, "[cs01]", "[hm07]", "[hm08]", "local policy"),
			// iCloud's submission server: "550 5.7.0 From address is not one of your
			// addresses", the signed-in sender's From.
			rule(ReasonRejected, "not one of your addresses"),
		},
	},
	{
		// Orange / France Telecom (orange.fr, wanadoo.fr) and La Poste (laposte.net): French
		// then English, and a tag whose number after the underscore names the cause, e.g.
		// "550 5.5.0 Le compte du destinataire est bloque. The recipient account is blocked.
		// LPN007_426" or "421 mwinf5c10 ME Trop de connexions ... OFR005_104 [104]". The
		// numbers as the postmaster pages of Orange and La Poste give them: 101/102 a sending
		// IP on Spamhaus or Senderscore lists, 103/107/108/999 service refused to the sender,
		// 104 too many connections, 305/402 authentication, 401 SPF, 403/405/415 an invalid
		// sender, 421 a MAIL FROM not owned by the user, 416/418 an invalid recipient, 417 a
		// full mailbox, 420 an archived and 426 a blocked account, 506 a mail refused as
		// spam, 514 the size, 630 a client host refused by policy.
		name:    "Orange",
		hosts:   []string{"orange.fr", "wanadoo.fr", "francetelecom.fr", "laposte.net"},
		markers: []string{"lpn0", "lpn1", "lpnaaa_", "ofr0", "ofr_", "mwinf"},
		rules: []textRule{
			rule(ReasonTooManyConn, "_104"),
			rule(ReasonAuthFailure, "_401"),
			rule(ReasonSecurityError, "_305", "_402"),
			rule(ReasonRejected, "_403", "_405", "_415", "_421"),
			rule(ReasonUserUnknown, "_416", "_418"),
			rule(ReasonMailboxFull, "_417"),
			rule(ReasonSuspend, "_420", "_426"),
			rule(ReasonSpamDetected, "_506"),
			rule(ReasonMesgTooBig, "_514"),
			rule(ReasonPolicyViolation, "_630"),
			rule(ReasonBlocked, "_101", "_102", "_103", "_107", "_108", "_999"),
			rule(ReasonUserUnknown, "destinataire invalide", "invalid recipient"),
			rule(ReasonSuspend, "recipient account is blocked", "compte du destinataire est bloque"),
			rule(ReasonMailboxFull, "boite du destinataire pleine"),
			rule(ReasonBlocked, "service refused", "service refuse", "bloquee", "client host blocked"),
			rule(ReasonSpamDetected, "mail rejete"),
			rule(ReasonPolicyViolation, "client host rejected"),
		},
	},
	{
		// Cox Communications, "Email error codes"
		// (cox.com/residential/support/email-error-codes.html): "550 5.1.0 <s@example.net>
		// sender rejected. Refer to Error Codes section at ... AUP#CDRBL", where the tag
		// names the cause under generic words: CXBL and CDRBL the sending IP blocked for
		// spam-like behaviour, IPBLnnnn the IP on the DNSBLs its bits name, CXDNS a failing
		// reverse DNS of the IP, CXSNDR the sender domain failing SPF or DKIM, CXSMTP SMTP
		// commands out of order or syntax, CXCNCT too many concurrent connections, CXMXRT too
		// many recipients sent to, URLBLnnn a URL of the body on a block list, CXMJ a spam
		// signature, CXTHRT a threat in the message.
		name:    "Cox",
		hosts:   []string{"cox.net"},
		markers: []string{"cox.com/residential/support/email-error-codes", "aup#cx"},
		rules: []textRule{
			rule(ReasonRequirePTR, "aup#cxdns"),
			rule(ReasonAuthFailure, "aup#cxsndr"),
			rule(ReasonSyntaxError, "aup#cxsmtp"),
			rule(ReasonTooManyConn, "aup#cxcnct"),
			rule(ReasonSpeeding, "aup#cxmxrt"),
			rule(ReasonSpamDetected, "aup#cxmj", "urlbl"),
			rule(ReasonVirusDetected, "aup#cxthrt"),
			rule(ReasonBlocked, "aup#cxbl", "aup#cdrbl", "aup#rbl", "aup#blk", "ipbl0", "ipbl1", "blacklist", "blocked"),
			rule(ReasonTooManyConn, "too many connections"),
		},
	},
	{
		// Spectrum (Charter), "Understanding email error codes": "550 5.1.0 <s@example.net>
		// sender rejected. Please see https://www.spectrum.net/support/internet/understanding-
		// email-error-codes ... AUP#In-1310", In for mail to Spectrum, Out for mail from it,
		// and the number the cause: 1000-1020 an IP or account blocked for suspicious
		// activity, 1090 mail that cannot be processed now, 1100/1150 the connecting IP's DNS,
		// 1160 the sending domain's security policies, 1260 IPv6, which Spectrum does not
		// take, 1300-1340 concurrent connections, 1350 the number of messages and recipients,
		// 1500/1520 sending as another address than the one signed in.
		name:    "Spectrum",
		hosts:   []string{"charter.net", "spectrum.net", "rr.com"},
		markers: []string{"spectrum.net/support/internet/understanding-email-error-codes", "aup#in-1", "aup#out-1"},
		rules: []textRule{
			rule(ReasonBlocked, spectrumTags("1000", "1010", "1020")...),
			rule(ReasonSystemError, spectrumTags("1090")...),
			rule(ReasonRequirePTR, spectrumTags("1100", "1150")...),
			rule(ReasonAuthFailure, spectrumTags("1160")...),
			rule(ReasonNetworkError, spectrumTags("1260")...),
			rule(ReasonTooManyConn, spectrumTags("1300", "1310", "1320", "1330", "1340")...),
			rule(ReasonSpeeding, spectrumTags("1350")...),
			rule(ReasonRejected, spectrumTags("1500", "1520")...),
			rule(ReasonBlocked, "blacklist", "blocked"),
		},
	},
	{
		// Tencent QQ Mail, its bounce help pages (service.mail.qq.com/detail/122/NN): "550 Ip
		// frequency limited", "550 Suspected bounce attacks", "550 Mail is rejected by
		// recipients".
		name:    "Tencent",
		hosts:   []string{"qq.com", "tencent.com", "exmail.qq.com"},
		markers: []string{"frequency limited", "mail.qq.com"},
		rules: []textRule{
			// The rate of a sender address or domain is its sending speed; of an IP or
			// connections ("Ip frequency limited", "Connection frequency limited"), the
			// connections it opens.
			rule(ReasonSpeeding, "sender frequency limited", "domain frequency limited"),
			rule(ReasonTooManyConn, "frequency limited"),
			rule(ReasonUserUnknown, "mailbox not found"),
			// The sending IP: a bounce flood from it, or spam sent from it.
			rule(ReasonBlocked, "suspected bounce attack", "suspected spam ip", "connection denied"),
			// The recipient's own blacklist refused the sender.
			rule(ReasonFiltered, "rejected by recipients"),
			// Help page no=1000726: the content was refused as spam.
			rule(ReasonSpamDetected, "mail content denied", "spam is embedded", "suspected spam"),
		},
	},
	{
		// NetEase (163.com, 126.com, yeah.net): "554 DT:SPM 163 smtp3,... please see
		// http://mail.163.com/help/help_spam_16.htm?ip=...". Every refusal links the same
		// help_spam page; the tag before it names the cause, as NetEase's error-code help
		// (help.163.com, "企业退信的常见问题") lists them: DT:SPM spam content, DT:RBL the
		// sending IP on a DNSBL, DT:SUM the envelope and header senders differ; MI:CEL and
		// MI:CCL too many wrong or excess commands, MI:DMC too many mails on one connection,
		// MI:SFQ the sender's mails in 15 minutes, MI:STC the sender's connections in a day,
		// MI:NHD an empty HELO, MI:IMF a malformed sender address, MI:SPF and MI:DMA the
		// sending IP not allowed by the domain's SPF or DMARC, MI:SPB a sender not allowed;
		// RP:DRC too many recipients on one connection, RP:QRC and RP:TRC the sender's
		// recipients over a short time or a day, RP:RCL too many recipients on one mail,
		// RP:FRL anonymous relaying, RP:CEL wrong commands; HL:IHU an IP suspended for spam or
		// abnormal connections, HL:IPB an IP not allowed, HL:MEP an IP mailing many
		// recipients that do not exist, HL:ICC too many concurrent connections, HL:IFC too
		// many mails from the IP; "Local user only" relaying to others refused. The tag wins
		// over the help_spam link, which only names the page.
		name:    "NetEase",
		hosts:   []string{"netease.com", "163.com", "126.com", "yeah.net"},
		markers: []string{"mail.163.com/help", "dt:spm"},
		rules: []textRule{
			rule(ReasonSpamDetected, "dt:spm"),
			rule(ReasonBlocked, "dt:rbl", "hl:ihu", "hl:ipb"),
			rule(ReasonPolicyViolation, "dt:sum"),
			rule(ReasonSyntaxError, "mi:cel", "mi:ccl", "rp:cel", "mi:nhd"),
			rule(ReasonTooManyConn, "mi:dmc", "mi:stc", "hl:icc"),
			rule(ReasonSpeeding, "mi:sfq", "rp:drc", "rp:qrc", "rp:trc", "hl:ifc"),
			rule(ReasonExceedLimit, "rp:rcl"),
			rule(ReasonRejected, "mi:imf", "mi:spb"),
			rule(ReasonAuthFailure, "mi:spf", "mi:dma"),
			rule(ReasonNoRelaying, "rp:frl", "local user only"),
			rule(ReasonBadReputation, "hl:mep"),
			rule(ReasonSpamDetected, "help_spam"),
		},
	},
	{
		// GoDaddy (secureserver.net), "What do bounce-back messages mean?": an IB code names
		// the cause, e.g. "554 Connection refused. This IP address is listed on the Spamhaus
		// Block List (SBL). IB104" and "... has sent to too many recipients this hour. IB607
		// <http://x.co/rlbounce>". IB103 a poor Cloudmark reputation, IB104-IB106 and IB401
		// the IP on Spamhaus lists, IB107 too many sessions, IB108 the server temporarily
		// unavailable, IB109-IB113 the IP blocked for spam or for mailing too many invalid
		// recipients, IB212 content judged spam, IB607 too many recipients this hour, IB705 a
		// virus.
		name:    "GoDaddy",
		hosts:   []string{"secureserver.net"},
		markers: []string{"x.co/rlbounce", "x.co/irbounce", "secureserver.net"},
		rules: []textRule{
			rule(ReasonBadReputation, "ib103"),
			rule(ReasonBlocked, "ib104", "ib105", "ib106", "ib109", "ib110", "ib111", "ib112", "ib113", "ib401"),
			rule(ReasonTooManyConn, "ib107"),
			rule(ReasonSystemError, "ib108"),
			rule(ReasonSpamDetected, "ib212"),
			rule(ReasonSpeeding, "too many recipients this hour", "ib607"),
			rule(ReasonVirusDetected, "ib705"),
			rule(ReasonMailboxFull, "account storage limit"),
		},
	},
	{
		// Mimecast, "Mimecast SMTP error codes": "554 Host network not allowed", "550 Rejected
		// by header based Anti-Spoofing policy", "550 SPF Sender Invalid - envelope rejected",
		// "554 Maximum email size exceeded".
		name:    "Mimecast",
		hosts:   []string{"mimecast.com"},
		markers: []string{"mimecast"},
		rules: []textRule{
			rule(ReasonAuthFailure, "spf sender invalid", "dkim", "dmarc"),
			rule(ReasonMesgTooBig, "maximum email size"),
			rule(ReasonPolicyViolation, "host network not allowed", "anti-spoofing policy", "policy"),
			rule(ReasonUserUnknown, "invalid recipient"),
		},
	},
	{
		// Facebook, "Response codes" (postmaster.facebook.com/response_codes): "550 5.1.1
		// RCP-P1 http://postmaster.facebook.com/response_codes?ip=192.0.2.1#rcp Recipient
		// address does not exist". The tag names the cause: RCP the recipient (P1 does not
		// exist, P2/P3 its preferences or privacy settings refuse, T1 an internal issue, T4
		// deactivated), MSG the message (P1 size, P2 attachment type, P3 a repeated header, T1
		// recipients), POL policy (P1 the IP on the Spamhaus PBL, P2-P4 and T1-T3 mail from
		// the server not accepted, P5 a virus, P6 a blocked URL, P7 the abuse policies, P8
		// domain authentication), DNS the sender's DNS (P1/P2/T1 the MAIL FROM domain, P3/T2
		// the server's reverse DNS), CON connections (T1 Facebook's server busy, T2-T4 the
		// sender's connections).
		name:    "Facebook",
		hosts:   []string{"facebook.com"},
		markers: []string{"postmaster.facebook.com/response_codes"},
		rules: []textRule{
			rule(ReasonUserUnknown, "rcp-p1"),
			rule(ReasonFiltered, "rcp-p2", "rcp-p3"),
			rule(ReasonSystemError, "rcp-t1", "con-t1"),
			rule(ReasonSuspend, "rcp-t4"),
			rule(ReasonMesgTooBig, "msg-p1"),
			rule(ReasonPolicyViolation, "msg-p2", "pol-p7"),
			rule(ReasonNotCompliantRFC, "msg-p3"),
			rule(ReasonExceedLimit, "msg-t1"),
			rule(ReasonBlocked, "pol-p1", "pol-p2", "pol-p3", "pol-p4", "pol-t1", "pol-t2", "pol-t3"),
			rule(ReasonVirusDetected, "pol-p5"),
			rule(ReasonSpamDetected, "pol-p6"),
			rule(ReasonAuthFailure, "pol-p8"),
			rule(ReasonRejected, "dns-p1", "dns-p2", "dns-t1"),
			rule(ReasonRequirePTR, "dns-p3", "dns-t2"),
			rule(ReasonTooManyConn, "con-t2", "con-t3", "con-t4"),
		},
	},
	{
		// i.ua: each refusal links its error page, "550 Mailbox is frozen. See
		// http://mail.i.ua/err/3/", the number naming the cause: 1 SMTP used as a mail gate,
		// 2 no such user, 3 a mailbox unused for months (frozen), 4 a full mailbox, 5 the
		// sending limit, 6 mail not sent through the sender's provider, 7 a wrong HELO, 8 a
		// sender address that could not be checked, 9 a listed IP, 10 a sender not in the
		// recipient's address list.
		name:    "IUA",
		hosts:   []string{"i.ua", "email.ua"},
		markers: []string{"mail.i.ua/err/"},
		rules: []textRule{
			rule(ReasonNoRelaying, "i.ua/err/1/", "i.ua/err/6/"),
			rule(ReasonUserUnknown, "i.ua/err/2/"),
			rule(ReasonSuspend, "i.ua/err/3/"),
			rule(ReasonMailboxFull, "i.ua/err/4/"),
			rule(ReasonSpeeding, "i.ua/err/5/"),
			rule(ReasonBlocked, "i.ua/err/7/", "i.ua/err/9/"),
			rule(ReasonRejected, "i.ua/err/8/"),
			rule(ReasonFiltered, "i.ua/err/10/"),
		},
	},
	{
		// Broadcom Email Security.cloud (MessageLabs, Symantec.cloud), its SMTP error list:
		// "553 Mail from 192.0.2.1 rejected due to suspicious sending behavior", "501
		// Connection rejected by policy [7.7] ..., please visit www.messagelabs.com/support".
		name:    "MessageLabs",
		hosts:   []string{"messagelabs.com"},
		markers: []string{"messagelabs.com/support", "symanteccloud.com/troubleshooting"},
		rules: []textRule{
			rule(ReasonBlocked, "suspicious sending behavio", "connection rejected by policy"),
		},
	},
	{
		// GMX, WEB.DE and IONOS, "Error messages" (postmaster.gmx.net/en/error-messages): the
		// "Nemesis ESMTP Service not available" and "No SMTP service" replies refuse the
		// sending IP, with its cause on the next line ("IP address is black listed.", "Bad DNS
		// PTR resource record."); "mailbox unavailable" over "invalid DNS MX or A/AAAA resource
		// record" refuses the sender's domain.
		name:    "GMX",
		hosts:   []string{"gmx.net", "gmx.de", "gmx.com", "web.de", "1and1.com", "ionos.com", "kundenserver.de"},
		markers: []string{"postmaster.gmx.net", "postmaster.web.de", "nemesis esmtp"},
		rules: []textRule{
			rule(ReasonRejected, "invalid dns mx or a/aaaa resource record", "sender address is not allowed"),
			rule(ReasonRequirePTR, "ptr resource record"),
			rule(ReasonBlocked, "black listed", "blacklisted"),
			rule(ReasonPolicyViolation, "policy restrictions"),
			// The line under the Nemesis header names the cause before the header's generic
			// refusal: "421-Too many connections".
			rule(ReasonTooManyConn, "too many connections"),
			rule(ReasonBlocked, "no smtp service", "nemesis esmtp service not available"),
		},
	},
	{
		// Comcast (Xfinity), "SMTP error codes" (postmaster.comcast.net/smtp-error-codes.php):
		// "554 ... comcast 192.0.2.1 Comcast block for spam. Please see ...#BL000000", BL codes
		// for its block lists, RL codes for its rate limits.
		name:    "Comcast",
		hosts:   []string{"comcast.net"},
		markers: []string{"postmaster.comcast.net", "comcast block for spam"},
		rules: []textRule{
			// The cause the reply names comes before the family its tag belongs to ("...
			// rDNS lookup failed ... #BL000010", "... too many sessions open ... #RL000001").
			rule(ReasonRequirePTR, "rdns lookup failed", "rdns failure", "no rdns"),
			rule(ReasonTooManyConn, "too many sessions", "too many connections"),
			rule(ReasonBlocked, "#bl0", "comcast block for spam"),
			rule(ReasonSpeeding, "#rl0"),
		},
	},
	{
		// T-Online (Deutsche Telekom) refuses a sending IP with "554 IP=192.0.2.1 - A problem
		// occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to
		// clarify.)", tosa being its team for such refusals.
		name:    "T-Online",
		hosts:   []string{"t-online.de"},
		markers: []string{"tosa@rx.t-online.de"},
		rules: []textRule{
			rule(ReasonBlocked, "ip=* - a problem occurred"),
		},
	},
}

// spectrumTags returns the tags Spectrum writes for its numbered error codes: "aup#in-1310"
// for mail to Spectrum, "aup#out-1310" for mail from it.
func spectrumTags(codes ...string) []string {
	out := make([]string, 0, 2*len(codes))
	for _, c := range codes {
		out = append(out, "aup#in-"+c, "aup#out-"+c)
	}
	return out
}

// matchReceiver returns the index of the first receiver whose host, decoder or marker shows
// up in the facts, or -1.
func matchReceiver(f Facts, sc *scan) int {
	remote, reporting := hostName(f.RemoteMTA), hostName(f.ReportingMTA)
	best := -1
	// Most facts name no host and no decoder: then no receiver claims them.
	for i := 0; i < len(receiverRules) && (remote != "" || reporting != "" || f.Format != ""); i++ {
		if receiverRules[i].claims(remote, reporting, f.Format) {
			best = i
			break
		}
	}
	// A marker in the text names a receiver too; the earliest receiver wins.
	for id := sc.next(0); id >= 0; id = sc.next(id + 1) {
		for _, loc := range sc.m.starts[id] {
			owner := sc.m.markerOwner[loc.list]
			if owner < 0 || (best >= 0 && owner >= best) {
				continue
			}
			if sc.matches(&sc.m.lists[loc.list][loc.rule].phrases[loc.phrase]) {
				best = owner
			}
		}
	}
	return best
}

// claims reports whether the receiver runs one of the hosts or is read by the decoder.
func (rr *receiverRule) claims(remote, reporting, format string) bool {
	for _, h := range rr.hosts {
		if remote == "" && reporting == "" {
			break
		}
		if hostUnder(remote, h) || hostUnder(reporting, h) {
			return true
		}
	}
	for _, name := range rr.formats {
		if strings.EqualFold(format, name) {
			return true
		}
	}
	return false
}

// hostName extracts a lower-case host name from an MTA field ("dns; mx.example.org",
// "mx.example.org. [192.0.2.1]").
func hostName(host string) string {
	if host == "" {
		return ""
	}
	h := host
	if i := strings.LastIndexByte(h, ';'); i >= 0 {
		h = h[i+1:]
	}
	h = strings.TrimSpace(h)
	if i := strings.IndexAny(h, " [("); i >= 0 {
		h = h[:i]
	}
	return strings.ToLower(strings.TrimSuffix(h, "."))
}

// hostUnder reports whether the host name h is domain or one of its subdomains.
func hostUnder(h, domain string) bool {
	return h != "" && (h == domain || strings.HasSuffix(h, domain) && h[len(h)-len(domain)-1] == '.')
}

// hostIs reports whether host (any case, possibly "dns; name" or with a trailing dot or
// bracketed address) is domain or one of its subdomains.
func hostIs(host, domain string) bool { return hostUnder(hostName(host), domain) }

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
		// the group may not exist or the sender may not post to it.
		name:     "Google Groups",
		hosts:    []string{"googlegroups.com"},
		formats:  []string{"googlegroups"},
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
			rule(ReasonNotCompliantRFC, "missing a valid address in from", "multiple addresses in from"),
			rule(ReasonSecurityError, "application-specific password required", "username and password not accepted",
				"please log in with your web browser"),
			rule(ReasonFailedSTARTTLS, "tls required for rcpt domain", "must issue a starttls command"),
			rule(ReasonSuspend, "account that you tried to reach is disabled",
				"account that you tried to reach is inactive"),
			rule(ReasonMailboxFull, "account that you tried to reach is over quota",
				"out of storage space", "inbox is out of storage"),
			rule(ReasonSpeeding, "receiving mail at a rate that prevents",
				"receiving mail too quickly", "you have reached a limit for sending mail"),
			rule(ReasonAuthFailure, "does not have authentication information", "unauthenticated email",
				"fails to pass authentication checks", "sender is unauthenticated", "spf", "dkim", "dmarc"),
			rule(ReasonRequirePTR, "does not have a ptr record", "ptr record setup"),
			rule(ReasonBadReputation, "low reputation", "suspicious due to the very low reputation"),
			rule(ReasonBlocked, "unusual rate of unsolicited mail originating from your ip",
				"ip you're using to send mail is not authorized", "not authorized to send email directly to our servers"),
			rule(ReasonSpamDetected, "likely unsolicited mail", "likely suspicious", "has been blocked",
				"spam"),
			rule(ReasonNotCompliantRFC, "not rfc 5322 compliant", "rfcmessagenoncompliant"),
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
			rule(ReasonUserUnknown, "recipient address rejected: access denied", "recipientnotfound",
				"exrecipnotfound", "requested action not taken: mailbox unavailable", "mailbox unavailable"),
			rule(ReasonNoRelaying, "relay access denied", "unable to relay"),
			rule(ReasonSecurityError, "not authenticated to send anonymous mail"),
			rule(ReasonRejected, "bad outbound sender"),
			rule(ReasonAuthFailure, "does not pass dmarc", "dmarc", "spf", "dkim"),
			rule(ReasonBadReputation, "reputation"),
			rule(ReasonRequirePTR, "mismatches client ip"),
			rule(ReasonBlocked, "banned sending ip", "block list", "blocked using", "traffic not accepted from this ip",
				"part of their network is on our block list", "(s3140)", "(s3150)", "unregistered domains",
				"sc-001", "sc-002", "sc-003", "sc-004", "dy-001", "dy-002", "we generally do not accept email from dynamic ip"),
			rule(ReasonSpeeding, "message receive limit", "rp-001", "rp-002", "rp-003"),
			rule(ReasonNetworkError, "hop count exceeded"),
			rule(ReasonRejected, "resolver.rst.sendernotauthenticatedforgroup", "resolver.rst.notauthorized"),
		},
	},
	{
		// Yahoo Inc (Yahoo, AOL, Verizon Media) postmaster error codes, e.g.
		// "554 5.7.9 Message not accepted for policy reasons" and "421 4.7.0 [TSS04] Messages
		// from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints".
		name:    "Yahoo",
		hosts:   []string{"yahoodns.net", "yahoo.com", "yahoo.co.jp", "aol.com", "verizonmedia.com"},
		markers: []string{"postmaster.yahooinc.com", "postmaster.verizonmedia.com", "senders.yahooinc.com", "[ts0", "[tss0"},
		rules: []textRule{
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
			rule(ReasonPolicyViolation, "[cs01]", "[hm07]", "[hm08]", "local policy"),
		},
	},
	{
		// Orange / France Telecom (orange.fr, wanadoo.fr): French then English, "LPN" and "OFR"
		// tags, e.g. "550 5.5.0 Le compte du destinataire est bloque. The recipient account is
		// blocked. LPN007_426".
		name:    "Orange",
		hosts:   []string{"orange.fr", "wanadoo.fr", "francetelecom.fr"},
		markers: []string{"lpn0", "ofr0", "ofr_", "mwinf"},
		rules: []textRule{
			rule(ReasonUserUnknown, "destinataire invalide", "invalid recipient"),
			rule(ReasonSuspend, "recipient account is blocked", "compte du destinataire est bloque"),
			rule(ReasonMailboxFull, "boite du destinataire pleine"),
			rule(ReasonBlocked, "service refused", "service refuse", "bloquee", "client host blocked"),
			rule(ReasonSpamDetected, "mail rejete", "ofr_506"),
			rule(ReasonPolicyViolation, "client host rejected"),
		},
	},
	{
		// Cox Communications: "550 5.1.0 <s@example.net> sender rejected. Refer to Error Codes
		// section at https://www.cox.com/residential/support/email-error-codes.html ... AUP#CDRBL",
		// where the AUP tag names the cause (CDRBL: Cox's own block list).
		name:    "Cox",
		hosts:   []string{"cox.net"},
		markers: []string{"cox.com/residential/support/email-error-codes"},
		rules: []textRule{
			rule(ReasonBlocked, "aup#cdrbl", "aup#rbl", "aup#blk", "blacklist", "blocked"),
			rule(ReasonTooManyConn, "aup#cxcnct", "too many connections"),
		},
	},
	{
		// Spectrum (Charter): "550 5.1.0 <s@example.net> sender rejected. Please see
		// https://www.spectrum.net/support/internet/understanding-email-error-codes ... AUP#In-1310",
		// In-1310 being its connection limit.
		name:    "Spectrum",
		hosts:   []string{"charter.net", "spectrum.net", "rr.com"},
		markers: []string{"spectrum.net/support/internet/understanding-email-error-codes"},
		rules: []textRule{
			rule(ReasonTooManyConn, "aup#in-1310", "aup#out-1310"),
			rule(ReasonBlocked, "aup#in-1010", "aup#in-1020", "blacklist", "blocked"),
		},
	},
	{
		// Tencent QQ Mail: "550 Ip frequency limited", "550 Connection frequency limited".
		name:    "Tencent",
		hosts:   []string{"qq.com", "tencent.com", "exmail.qq.com"},
		markers: []string{"frequency limited", "mail.qq.com"},
		rules: []textRule{
			rule(ReasonTooManyConn, "frequency limited"),
			rule(ReasonUserUnknown, "mailbox not found"),
			// Help page no=1000726: the content was refused as spam.
			rule(ReasonSpamDetected, "mail content denied"),
		},
	},
	{
		// NetEase (163.com, 126.com, yeah.net): "554 DT:SPM 163 smtp3,... please see
		// http://mail.163.com/help/help_spam_16.htm?ip=...", the DT:SPM tag being its spam
		// refusal in its error-code help (help.mail.163.com).
		name:    "NetEase",
		hosts:   []string{"netease.com", "163.com", "126.com", "yeah.net"},
		markers: []string{"mail.163.com/help", "dt:spm"},
		rules: []textRule{
			rule(ReasonSpamDetected, "dt:spm", "help_spam"),
		},
	},
	{
		// GoDaddy (secureserver.net): "IB607 ... has sent to too many recipients this hour".
		name:    "GoDaddy",
		hosts:   []string{"secureserver.net"},
		markers: []string{"x.co/rlbounce", "secureserver.net"},
		rules: []textRule{
			rule(ReasonSpeeding, "too many recipients this hour", "ib607"),
		},
	},
	{
		// Mimecast: "554 Host network not allowed", "550 Rejected by header based Anti-Spoofing policy".
		name:    "Mimecast",
		hosts:   []string{"mimecast.com"},
		markers: []string{"mimecast"},
		rules: []textRule{
			rule(ReasonPolicyViolation, "host network not allowed", "anti-spoofing policy", "policy"),
			rule(ReasonUserUnknown, "invalid recipient"),
		},
	},
}

// matchReceiver returns the index of the first receiver whose host, decoder or marker shows
// up in the facts, or -1.
func matchReceiver(f Facts, sc *scan) int {
	remote, reporting := hostName(f.RemoteMTA), hostName(f.ReportingMTA)
	best := -1
	for i := range receiverRules {
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

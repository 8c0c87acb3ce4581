package classify

import (
	"slices"
	"strings"
)

// The hard decision is asymmetric. A hard verdict suppresses an address for good, so it needs
// positive evidence about the address itself: the mailbox or the domain does not exist, the
// address moved, the domain accepts no mail. A refusal that speaks of the sender, its server,
// its domain, its authentication, its reputation, the content, the volume or a policy says
// nothing of the kind: mailing a live address from another server, or another message, would
// pass. Such wording therefore vetoes every hard reason, whatever code or user wording stands
// next to it ("553 5.1.1 Sender is on user denylist" refuses the sender, not the address).
//
// senderSideRules are that wording, searched in the normalized diagnostic. The reason of a
// rule is the one the verdict falls back to when no generic wording names a reason that is
// not hard. Each group names the party it speaks of; the words are the ones RFC 5321 §4.2.3
// and RFC 3463 §3.8 use for the sender (MAIL FROM, the sending system) and the ones the
// reference pages (../shared/reference) list for sender-side refusals (block lists,
// reputation, SPF/DKIM/DMARC, policy, spam, rate limits).
var senderSideRules = []textRule{
	// The envelope sender or its domain (RFC 5321 §3.3 MAIL FROM; RFC 3463 X.1.7, X.1.8).
	rule(ReasonRejected, "sender address", "sender domain", "sender's", "sender is", "sender was",
		"sender rejected", "sender denied", "sender not", "sender verif", "envelope sender", "from address",
		"mail from", "from domain", "your domain", "your email address",
		// The same address and domain in other words: the sending domain, the Return-Path
		// (RFC 5322 §3.6.7, the envelope sender as delivered), the bounce address, the
		// envelope from, the sender's mailbox, the originator (RFC 5321 §2.3.1).
		"sending domain", "return-path", "return path", "bounce address", "envelope from", "sender mailbox",
		"originator"),
	// The sender's own address, unless it is the sender's record of others' (senderRecords).
	rule(ReasonRejected, "your address"),
	// The sender in other languages (accents folded): German, French, Spanish, Italian,
	// Portuguese, Dutch, Polish, Czech, Hungarian, Turkish, Swedish, Danish, Norwegian,
	// Finnish, Russian, Ukrainian, Japanese, Chinese, Korean.
	rule(ReasonRejected, "absender", "expediteur", "remitente", "mittente", "remetente", "afzender", "nadawc",
		"odesilatel", "felado", "gonderen", "avsandare", "afsender", "avsender", "lahettaja",
		"отправител", "відправник", "送信者", "差出人", "送信元", "发件人", "發件人", "寄件人", "발신자", "보낸 사람"),
	// The sending server or its IP address, and the lists that name it (RFC 5782 DNSBLs).
	rule(ReasonBlocked, "your ip", "your server", "your host", "your network", "your mail server",
		"sending ip", "sending server", "sending host", "client host", "client ip", "denylist", "deny list",
		"blacklist", "black list", "blocklist", "block list", "dnsbl", "spamhaus",
		// RFC 5782's DNSBL answer, "192.0.2.1 is listed in bl.example.com".
		"is listed in", "are listed in", "is listed at", "is listed on",
		// The sending server's HELO/EHLO name (RFC 5321 §4.1.1.1): no address is given yet.
		"helo", "ehlo",
		// The allow lists a receiver looks a sender up in ("IP address 192.0.2.1 not found in
		// whitelist"): lists of senders, not of mailboxes. (An IP address called an address
		// is namesIPAddress's; "IP address" alone may be the recipient domain's: qmail's
		// "couldn't find a mail exchanger or IP address".)
		"whitelist", "white list", "allowlist", "allow list"),
	// The same in other languages: the sender's IP, and the lists that name it.
	rule(ReasonBlocked, sendingIPAbroad...),
	rule(ReasonBadReputation, "reputation"),
	// Sender authentication (RFC 7208 SPF, RFC 6376 DKIM, RFC 7489 DMARC; RFC 7372 X.7.20–X.7.26).
	rule(ReasonAuthFailure, "spf", "dkim", "dmarc"),
	// The content (RFC 3463 X.7.1 used for spam refusals).
	rule(ReasonSpamDetected, "spam", "unsolicited", "спам", "迷惑メール", "垃圾邮件", "스팸"),
	rule(ReasonPolicyViolation, "policy", "policies"),
	// The volume or rate of the sender's mail (RFC 3463 X.7.28 mail flood, X.4.5 congestion).
	rule(ReasonSpeeding, "rate limit", "ratelimit", "rate-limit", "too many messages", "too many mails",
		"too many emails", "too many connections", "volume", "too fast", "too quickly"),
}

// hardReason reports whether r makes a verdict hard on its own: the reasons reasonTable gives
// KindHard (TestHardReasonAgreesWithTable checks the two agree).
func hardReason(r Reason) bool {
	switch r {
	case ReasonUserUnknown, ReasonHostUnknown, ReasonHasMoved, ReasonNotAccept:
		return true
	}
	return false
}

// senderReplies are the reply codes defined as a problem with the sender's address: the
// non-standard 517 of the reference pages (replyRules), which Courier answers for a sender
// domain that does not resolve ("517-Domain does not exist: example.net."). A refusal under
// one speaks of the sender, whatever its words say does not exist.
var senderReplies = []ReplyCode{"517"}

// senderGuard is the last step of the precedence: a hard reason meets wording about the
// sender, a refusal at MAIL FROM or under a reply code defined for the sender's address, and
// gives way. It returns the reason to use and the evidence to add, or reason unchanged and ""
// when nothing speaks of the sender.
func senderGuard(reason Reason, sc *scan, cmd string, reply ReplyCode) (Reason, string) {
	if !hardReason(reason) {
		return reason, ""
	}
	var why string
	fallback := ReasonRejected
	// A reply code defined for the sender's address says whose address it is before any
	// word does.
	if slices.Contains(senderReplies, reply) {
		why = "reply " + reply.String() + " is defined for a problem with the sender's address"
	} else if sr, p := firstAboutSender(sc); sr != nil {
		why = quote(p) + " speaks of the sender, not of the address"
		fallback = sr.reason
	} else if namesIPAddress(sc.str()) {
		why = "the address it names is an IP address, the sending server's, not a mailbox"
		fallback = ReasonBlocked
	} else if cmd == "MAIL" {
		why = "refused at MAIL FROM, before any recipient was named"
	} else {
		return reason, ""
	}
	// The generic wording's own opinion, among the reasons that are not hard.
	if i, _ := sc.firstWhere(textRulesList, func(r *textRule) bool { return !hardReason(r.reason) }); i >= 0 {
		return textRules[i].reason, why
	}
	return fallback, why
}

// senderRecords are the sender's records of other people's addresses: "The user's new
// address is b@example.org. Please update your address book." (a moved-address notice)
// speaks of the recipient's address as the sender keeps it, not of the sender's own. Sender
// wording (senderSideRules) that starts one of them does not speak of the sender.
var senderRecords = []string{"your address book", "your address list", "your address records"}

// firstAboutSender is the first senderSideRules wording that speaks of the sender: a rule
// whose first match starts one of senderRecords is passed over.
func firstAboutSender(sc *scan) (*textRule, phrase) {
	return sc.firstUnless(senderSideList, func(_ *textRule, p phrase) bool {
		at, _ := p.span(sc.str())
		return at >= 0 && slices.ContainsFunc(senderRecords, func(r string) bool { return strings.HasPrefix(sc.str()[at:], r) })
	})
}

// sendingIPAbroad names the sender's IP and the block lists in other languages than English
// (accents folded): "Ihre IP-Adresse ist gesperrt", "liste noire", "черный список", "黑名单".
var sendingIPAbroad = []string{
	"ihre ip", "votre adresse ip", "votre ip", "su ip", "su direccion ip", "seu ip",
	"seu endereco ip", "vostro ip", "tuo ip", "ваш ip", "您的ip", "sperrliste", "schwarze liste",
	"liste noire", "lista negra", "lista nera", "zwarte lijst", "czarnej liscie", "czarna lista",
	"черном списке", "черный список", "黑名单", "ブラックリスト", "블랙리스트",
	// The sending IP blocked: "Indirizzo IP bloccato", "IP bloqueado", "발송 IP가 차단".
	"ip bloccato", "ip bloqueado", "ip가 차단",
}

// namesIPAddress reports whether text (normalized) calls an IPv4 literal an address: "the
// address 192.0.2.1", "address [192.0.2.1]". The address a refusal then speaks of is the
// connecting server's, not a mailbox ("554 The address 192.0.2.1 was not found in the
// allowed relay list").
func namesIPAddress(text string) bool {
	for off := 0; ; {
		i := strings.Index(text[off:], "address ")
		if i < 0 {
			return false
		}
		off += i + len("address ")
		j := off
		if j < len(text) && text[j] == '[' {
			j++
		}
		if isIPv4At(text, j) {
			return true
		}
	}
}

// isIPv4At reports whether text holds a dotted quad of decimal numbers at i.
func isIPv4At(text string, i int) bool {
	for part := 0; part < 4; part++ {
		n := 0
		for i < len(text) && text[i] >= '0' && text[i] <= '9' && n < 3 {
			i, n = i+1, n+1
		}
		if n == 0 {
			return false
		}
		if part < 3 {
			if i >= len(text) || text[i] != '.' {
				return false
			}
			i++
		}
	}
	return i == len(text) || text[i] < '0' || text[i] > '9'
}

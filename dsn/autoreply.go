package dsn

import "strings"

// autoReplySubjects start the subjects of vacation and out-of-office replies, lower-cased
// (Outlook, Exchange, Gmail, Zimbra and their translations).
var autoReplySubjects = []string{
	"auto:", "automatic reply", "autoreply", "auto-reply", "auto reply", "out of office", "out of the office",
	"away from", "vacation", "on vacation", "abwesenheitsnotiz", "automatische antwort", "réponse automatique",
	"risposta automatica", "respuesta automática", "automatisch antwoord", "autosvar", "自動応答", "不在",
}

// decodeAutoReply recognises an automatic reply (RFC 3834): its recipient is the person who is
// away, the sender of the reply. Bounces also carry Auto-Submitted, so a mail that presents
// itself as a bounce is never an auto-reply.
func decodeAutoReply(m *mail) []Recipient {
	if !m.isAutoReply() {
		return nil
	}
	addr := firstAddress(m.from)
	if addr == "" {
		addr = firstAddress(m.header.get("Reply-To"))
	}
	if addr == "" {
		return nil
	}
	return []Recipient{{Address: addr, Source: "the sender of the automatic reply", Diagnostic: m.subject}}
}

func (m *mail) isAutoReply() bool {
	if m.dsFound || m.fbFound || m.looksLikeBounce() {
		return false
	}
	as := strings.ToLower(strings.TrimSpace(m.header.get("Auto-Submitted")))
	if strings.HasPrefix(as, "auto-replied") || strings.HasPrefix(as, "auto-generated") && m.subjectIsAutoReply() {
		return true
	}
	for _, h := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Vacation"} {
		if m.header.has(h) {
			return true
		}
	}
	prec := strings.ToLower(m.header.get("Precedence"))
	if strings.Contains(prec, "auto_reply") || strings.Contains(prec, "auto-reply") {
		return true
	}
	return m.subjectIsAutoReply()
}

func (m *mail) subjectIsAutoReply() bool {
	subj := strings.ToLower(strings.TrimSpace(m.subject))
	for _, s := range autoReplySubjects {
		if strings.HasPrefix(subj, s) {
			return true
		}
	}
	return false
}

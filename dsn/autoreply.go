package dsn

import (
	"strings"
	"unicode/utf8"
)

// autoReplySubjects start the subjects of vacation and out-of-office replies, lower-cased.
// Outlook and Exchange put "Automatic reply: " before the subject of the mail answered, in the
// language of the user's mailbox (the list holds each translation of its user interface);
// Exchange 2003 wrote "Out of Office AutoReply: ", Sieve vacation (RFC 5230 §5) "Auto: ",
// Yahoo and AOL "Auto Response", and autoresponders their own bracketed word.
var autoReplySubjects = []string{
	"auto:", "automatic reply", "autoreply", "auto-reply", "auto reply", "auto response", "auto-response",
	"autoresponse", "automatic response", "automated response", "automated reply", "[auto-reply]", "[autoreply]",
	"[auto reply]", "[auto-response]", "[auto response]", "out of office", "out of the office", "away from",
	"vacation", "on vacation",
	"abwesenheitsnotiz", "automatische antwort", // German
	"réponse automatique", "reponse automatique", // French
	"risposta automatica",                          // Italian
	"respuesta automática", "respuesta automatica", // Spanish
	"automatisch antwoord",                            // Dutch
	"autosvar", "automatiskt svar", "automatisk svar", // Swedish, Danish, Norwegian
	"automaattinen vastaus",                            // Finnish
	"automatyczna odpowiedź", "automatyczna odpowiedz", // Polish
	"resposta automática", "resposta automatica", // Portuguese
	"automatická odpověď", "automatická odpoveď", // Czech, Slovak
	"automatikus válasz",                 // Hungarian
	"răspuns automat", "raspuns automat", // Romanian
	"otomatik yanıt", "otomatik yanit", // Turkish
	"automatski odgovor", "samodejni odgovor", // Croatian and Serbian, Slovenian
	"automaatvastus", "automātiskā atbilde", "automatinis atsakymas", // Estonian, Latvian, Lithuanian
	"αυτόματη απάντηση",                             // Greek
	"автоматический ответ", "автоматична відповідь", // Russian, Ukrainian
	"автоматичен отговор",         // Bulgarian
	"תשובה אוטומטית", "رد تلقائي", // Hebrew, Arabic
	"自動応答", "自動返信", "不在", // Japanese
	"自动回复", "自動回覆", "自動回復", // Chinese
	"자동 회신", "자동 응답", // Korean
	"trả lời tự động", "balasan otomatis", "ตอบกลับอัตโนมัติ", // Vietnamese, Indonesian, Thai
}

// autoReplySubjectMarks stand anywhere in the subject of an automatic reply, lower-cased:
// the autoresponders' bracketed word after the subject answered, the Japanese and Chinese
// words for an automatic reply that autoresponders put in brackets before their own subject
// ("【自動返信】お問い合わせありがとうございます"), and the subjects Lotus Notes/Domino's
// out-of-office agent writes ("Jane Doe is out of the office.", "Jane Doe will be out of the
// office starting 01/12/2026", German "Jane Doe ist außer Haus.").
var autoReplySubjectMarks = []string{
	"[auto-reply]", "[autoreply]", "[auto reply]", "[auto-response]", "(auto-reply)", "(autoreply)",
	"自動返信", "自動応答", "自动回复", "自動回覆",
	"is out of the office", "will be out of the office", "ist außer haus", "ist nicht im büro",
}

// awayWords say, in the first lines of an automatically generated mail, that its sender is
// away: the wording of out-of-office texts, lower-cased. They count only when the mail's
// header says it was generated automatically (see automated): in a person's mail they are
// plans, not a reply.
var awayWords = []string{
	"out of the office", "out of office", "on vacation", "on holiday", "on leave", "annual leave",
	"parental leave", "maternity leave", "currently away", "i am away", "i'm away", "i am currently away",
	"away from my", "away from the office", "away until", "limited access to e", "no access to e",
	"until my return", "when i return", "upon my return",
	"nicht im büro", "abwesend", "außer haus", "im urlaub", // German
	"absent du bureau", "en congé", "en vacances", // French
	"fuera de la oficina", "de vacaciones", // Spanish
	"fuori ufficio", "in ferie", // Italian
	"afwezig", "niet op kantoor", // Dutch
	"på semester", "frånvarande", "ikke på kontoret", // Scandinavian
	"poza biurem", "na urlopie", // Polish
	"fora do escritório", "de férias", // Portuguese
	"mimo kancelář", "na dovolené", // Czech
	"в отпуске", "вне офиса", // Russian
	"不在にして", "休暇", "外出中", "休假", "不在办公室", "不在辦公室", // Japanese, Chinese (not 不在 alone: 不存在 is "does not exist")
	"부재", "휴가", // Korean
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

// isAutoReply reports whether the mail is an automatic reply: its header says so (RFC 3834
// §5 Auto-Submitted: auto-replied, the autoresponders' own fields, Precedence: auto_reply),
// its subject is an out-of-office subject, or its header says it was generated automatically
// (see automated).
//
// A mail that presents itself as a bounce (a delivery-status or feedback part, a mail
// system's sender, a bounce's subject, X-Failed-Recipients) is never one, nor is a mail
// system's notice that is not a bounce (see serverNoticeSubjects). An automatic reply
// sent with a null return path (RFC 3834 §3.3 allows it) whose text speaks of an address
// that "does not exist" or mail "not delivered" still is one when its header or subject says
// it replies: the bounce's body words decide only against the weaker signs.
func (m *mail) isAutoReply() bool {
	if m.fbFound || m.looksLikeBounceByHeader() || m.subjectIsServerNotice() {
		return false
	}
	as := strings.ToLower(strings.TrimSpace(m.header.get("Auto-Submitted")))
	prec := strings.ToLower(strings.TrimSpace(m.header.get("Precedence")))
	if m.declaresAutoReply(as, prec) || m.subjectIsAutoReply() {
		return true
	}
	return !m.looksLikeBounce() && m.automated(as, prec)
}

// declaresAutoReply reports whether the header says the mail is an automatic reply. as and
// prec are the Auto-Submitted and Precedence values, lower-cased.
func (m *mail) declaresAutoReply(as, prec string) bool {
	if strings.HasPrefix(as, "auto-replied") || strings.Contains(prec, "auto_reply") || strings.Contains(prec, "auto-reply") {
		return true
	}
	for _, h := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Vacation"} {
		if m.header.has(h) {
			return true
		}
	}
	// iCloud's vacation replies carry "X-Apple-Action: vacation", GroupWise's and other
	// autoresponders' "X-Autogenerated: Reply"; vacation(1) and autoresponder programs name
	// themselves in X-Mailer.
	if strings.EqualFold(strings.TrimSpace(m.header.get("X-Apple-Action")), "vacation") ||
		strings.EqualFold(strings.TrimSpace(m.header.get("X-Autogenerated")), "reply") {
		return true
	}
	mailer := strings.ToLower(m.header.get("X-Mailer"))
	return strings.Contains(mailer, "vacation") || strings.Contains(mailer, "autorespond")
}

// subjectIsAutoReply reports whether the subject is an automatic reply's.
func (m *mail) subjectIsAutoReply() bool {
	subj := m.subjLow
	return autoReplyPrefixed(subj) || containsAny(subj, autoReplySubjectMarks)
}

// autoReplyPrefixed reports whether subj, lower-cased, starts with one of autoReplySubjects.
func autoReplyPrefixed(subj string) bool {
	for _, s := range autoReplySubjects {
		if strings.HasPrefix(subj, s) {
			return true
		}
	}
	return false
}

// automated reports whether the header says the mail was generated automatically without
// saying it replies, and the mail is then taken for an automatic reply. Auto-Submitted other
// than "no" (RFC 3834 §5: auto-generated, auto-notified) is enough: such a mail arriving at
// the return path of the mail it answers (where RFC 3834 §3.3 sends responses) is a response
// to it, a ticket system's acknowledgement or a list's moderation notice. Precedence bulk or
// junk, or Exchange's X-Auto-Response-Suppress (which its out-of-office replies carry, and
// mass mailings too), count only with away wording in the first lines (see saysAway). A mail
// sent to a list or by a mass mailer (List-Id, List-Unsubscribe: RFC 2369 and 2919) is not
// taken for a reply, whatever it says: a newsletter may speak of holidays. as and prec are
// the Auto-Submitted and Precedence values, lower-cased.
func (m *mail) automated(as, prec string) bool {
	if m.header.has("List-Id") || m.header.has("List-Unsubscribe") {
		return false
	}
	if as != "" && as != "no" {
		return true
	}
	return (prec == "bulk" || prec == "junk" || m.header.has("X-Auto-Response-Suppress")) && m.saysAway()
}

// saysAway reports whether the first lines of the mail's text hold one of awayWords.
func (m *mail) saysAway() bool {
	t := m.text()
	if len(t) > 1024 {
		i := 1024
		for i > 0 && !utf8.RuneStart(t[i]) {
			i--
		}
		t = t[:i]
	}
	return containsAny(strings.ToLower(t), awayWords)
}

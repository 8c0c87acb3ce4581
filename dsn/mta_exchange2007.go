package dsn

import (
	"slices"
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// exchangeAdminStarts open the part of an Exchange 2007–2019 / Office 365 NDR written for
// administrators, in the languages Exchange ships, lower-case (ASCII only: a capital outside
// ASCII that starts a heading, as in Russian, stays as Exchange writes it):
//
//	Diagnostic information for administrators:
//
//	Generating server: mta2.example.com
//
//	kijitora@example.com
//	#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
//
//	Original message headers:
//
// Exchange 2010 and later write "Remote Server returned '550 5.1.1 ...'" under the address,
// and list retries as "3/09/2016 8:05:56 PM - Remote Server at host returned '...'".
var exchangeAdminStarts = []string{
	"diagnostic information for administrators",
	"informations de diagnostic pour les administrateurs",
	"diagnoseinformationen für administratoren",
	"información de diagnóstico para administradores",
	"informazioni di diagnostica per gli amministratori",
	"diagnostische informatie voor beheerders",
	"diagnostische gegevens voor beheerders",
	"informações de diagnóstico para administradores",
	"informacje diagnostyczne dla administratorów",
	"Диагностические сведения для администраторов",
	"管理者向けの診断情報",
	"管理员的诊断信息",
	"系統管理員的診斷資訊",
	"관리자를 위한 진단 정보",
	"관리자용 진단 정보",
	"diagnostisk information för administratörer",
	"diagnosticeringsoplysninger til administratorer",
	"diagnostisk informasjon for administratorer",
	"diagnostiikkatiedot järjestelmänvalvojille",
	"diagnostické informace pro správce",
	"yöneticiler için tanılama bilgileri",
}

// exchangeAdminEnds close the administrators' part: the headers of the returned message.
var exchangeAdminEnds = []string{
	"original message headers",
	"en-têtes de message d'origine",
	"ursprüngliche nachrichtenkopfzeilen",
	"encabezados del mensaje original",
	"intestazioni originali del messaggio",
	"intestazioni messaggio originale",
	"oorspronkelijke berichtkoppen",
	"cabeçalhos originais da mensagem",
	"cabeçalhos da mensagem original",
	"oryginalne nagłówki wiadomości",
	"Исходные заголовки сообщения",
	"元のメッセージ ヘッダー",
	"原始邮件头",
	"原始郵件標頭",
	"원본 메시지 헤더",
	"ursprungliga meddelandehuvuden",
	"oprindelige meddelelsesheadere",
	"opprinnelige meldingshoder",
	"alkuperäisen viestin otsikot",
	"záhlaví původní zprávy",
	"Özgün ileti üst bilgileri",
	"message hops",
	"original message details",
	"\nreceived: ",
}

// exchangeUserStarts open the list written for the sender, above the administrators' part
// (Exchange 2007/2010 and Office 365 before 2017):
//
//	Delivery has failed to these recipients or groups:
//
//	kijitora@example.com
//	The e-mail address you entered couldn't be found. ...
var exchangeUserStarts = []string{
	"delivery has failed to these recipients or groups:",
	"delivery has failed to these recipients or distribution lists:",
	"delivery is delayed to these recipients or groups:",
	"delivery is delayed to these recipients or distribution lists:",
	// "Échec de la remise pour ces destinataires ou groupes :" (French; the marker skips the
	// capital É, which the ASCII-only lower-casing keeps).
	"de la remise pour ces destinataires ou groupes",
	"fehler bei der zustellung an diese empfänger oder gruppen:",
	"error en la entrega a estos destinatarios o grupos:",
	"recapito non riuscito a questi destinatari o gruppi:",
	"bezorging is mislukt voor deze ontvangers of groepen:",
	"falha na entrega a estes destinatários ou grupos:",
	"次の受信者またはグループへの配信に失敗しました",
	// The wordings of Exchange 2013 and later and of Office 365.
	"die zustellung an folgende empfänger oder gruppen ist fehlgeschlagen",
	"la remise aux destinataires ou groupes suivants a échoué",
	"no se pudo entregar a estos destinatarios o grupos",
	"error al entregar el mensaje a estos destinatarios o grupos",
	"recapito non riuscito ai destinatari o gruppi seguenti",
	"recapito non riuscito per i destinatari o gruppi seguenti",
	"bezorging aan deze ontvangers of groepen is mislukt",
	"levering aan de volgende ontvangers of groepen is mislukt",
	"falha na entrega para estes destinatários ou grupos",
	"a entrega falhou para estes destinatários ou grupos",
	"adresatów lub grup nie powiodło się",
	"доставить сообщение этим получателям или группам",
	"доставить сообщение следующим получателям или группам",
	"无法传递到以下收件人或组",
	"传递到这些收件人或组失败",
	"傳遞到這些收件者或群組失敗",
	"다음 받는 사람 또는 그룹에 배달하지 못했습니다",
	"det gick inte att leverera till de här mottagarna eller grupperna",
	"levering til disse modtagere eller grupper mislykkedes",
	"levering til disse mottakerne eller gruppene mislyktes",
	"toimitus epäonnistui seuraaville vastaanottajille tai ryhmille",
	"doručení následujícím příjemcům nebo skupinám se nezdařilo",
	"alıcılara veya gruplara teslim başarısız oldu",
}

// exchangeUserEnds close the sender's list: the administrators' part or the headers.
var exchangeUserEnds = slices.Concat(exchangeAdminStarts, exchangeAdminEnds)

// exchangeAllStarts are all the markers that open an Exchange 2007+ NDR, for a first test.
var exchangeAllStarts = slices.Concat(exchangeAdminStarts, exchangeUserStarts, []string{o365YourMessageTo, "couldn't be delivered to "})

// exchangeDelayWords mark an Exchange delay notice ("Delivery Status Notification
// (Delay)": "This message hasn't been delivered yet. Delivery will continue to be
// attempted."), lower-case, in the languages Exchange ships: the heading of the sender's part
// ("Delivery is delayed to these recipients or groups:") and the sentence below the list.
var exchangeDelayWords = []string{
	"delivery is delayed to these recipients",
	"hasn't been delivered yet",
	"delivery will continue to be attempted",
	"empfänger oder gruppen wurde verzögert",
	"diese nachricht wurde noch nicht übermittelt",
	"destinataires ou groupes est retardée",
	"destinataires ou groupes suivants a été différée",
	"ce message n'a pas encore été remis",
	"destinatarios o grupos se ha retrasado",
	"este mensaje aún no se ha entregado",
	"este mensaje todavía no se ha entregado",
	"destinatari o gruppi seguenti è stato ritardato",
	"il messaggio non è ancora stato recapitato",
	"ontvangers of groepen is vertraagd",
	"dit bericht is nog niet bezorgd",
	"destinatários ou grupos está atrasada",
	"destinatários ou grupos foi atrasada",
	"esta mensagem ainda não foi entregue",
	"adresatów lub grup jest opóźnione",
	"ta wiadomość nie została jeszcze dostarczona",
	"получателям или группам задерживается",
	"сообщение еще не доставлено",
	"グループへの配信が遅延しています",
	"このメッセージはまだ配信されていません",
	"收件人或组的邮件已延迟",
	"收件人或组的邮件被延迟",
	"此邮件尚未传递",
	"此邮件尚未送达",
	"收件者或群組的郵件已延遲",
	"此郵件尚未傳遞",
	"그룹에 대한 배달이 지연되었습니다",
	"이 메시지는 아직 배달되지 않았습니다",
	"mottagarna eller grupperna har fördröjts",
	"meddelandet har inte levererats ännu",
	"modtagere eller grupper er forsinket",
	"denne meddelelse er ikke blevet leveret endnu",
	"mottakerne eller gruppene er forsinket",
	"denne meldingen er ikke levert ennå",
	"vastaanottajille tai ryhmille on viivästynyt",
	"tätä viestiä ei ole vielä toimitettu",
	"příjemcům nebo skupinám je zpožděno",
	"tato zpráva ještě nebyla doručena",
	"gruplara teslim gecikti",
	"bu ileti henüz teslim edilmedi",
}

// o365Marks tell an Office 365 / Outlook.com NDR from one of an on-premises Exchange (whose
// 2013+ NDRs share the layout), besides a generating server in outlook.com, lower-case.
var o365Marks = []string{"office 365", "microsoft 365"}

// o365Servers are the domains of Office 365's generating servers
// ("Generating server: TY2PR01MB3456.jpnprd01.prod.outlook.com"), lower-case.
var o365Servers = []string{".outlook.com", ".office365.com", ".outlook.cn"}

// o365YourMessageTo opens the 2017 Office 365 layout, with the recipient in it:
//
//	Your message to kijitora@example.com couldn't be delivered.
const o365YourMessageTo = "your message to "

// o365Undelivered say "couldn't be delivered" in the opening sentence of the 2017 Office 365
// layout in the other languages it ships, lower-case (ASCII only), with the recipient on the
// same line ("Ihre Nachricht an kijitora@example.com konnte nicht übermittelt werden."). Some
// wordings are also Exchange's headings or another MTA's prose, so they are taken only in a
// mail that names Office 365 and only on a line that holds an address.
var o365Undelivered = []string{
	"konnte nicht übermittelt werden",
	"n'a pas pu être remis",
	"no se pudo entregar su mensaje a",
	"no se pudo entregar el mensaje a",
	"impossibile recapitare il messaggio a",
	"kan niet worden bezorgd",
	"não pôde ser entregue",
	"nie można dostarczyć",
	"удалось доставить ваше сообщение",
	"へのメッセージを配信できませんでした",
	"无法将你的邮件传递到",
	"無法將您的郵件傳遞到",
	"메시지를 배달할 수 없습니다",
	"kunde inte levereras",
	"kunne ikke leveres",
	"ei voitu toimittaa",
	"nelze doručit",
	"teslim edilemedi",
}

// o365UndeliveredLine returns the offset in lower of the start of the first line that holds
// one of o365Undelivered and an address, or -1.
func o365UndeliveredLine(lower string) int {
	at := -1
	for _, w := range o365Undelivered {
		for i := 0; ; {
			j := strings.Index(lower[i:], w)
			if j < 0 || (at >= 0 && i+j > at) {
				break
			}
			ls := strings.LastIndexByte(lower[:i+j], '\n') + 1
			if firstAddress(pvLineFrom(lower, ls)) != "" {
				at = ls
				break
			}
			i += j + len(w)
		}
	}
	return at
}

// decodeExchange2007 reads the NDR of an on-premises Exchange 2007 or later that came
// without a delivery-status part (forwarded, or stripped by a gateway).
func decodeExchange2007(m *mail) []Recipient {
	rs, o365 := m.decodeExchangeNDR()
	if o365 {
		return nil
	}
	return m.exchangeReporting(rs)
}

// decodeOffice365 reads an Office 365 / Outlook.com NDR without a delivery-status part,
// including the HTML-only ones (read from the HTML turned into text).
func decodeOffice365(m *mail) []Recipient {
	rs, o365 := m.decodeExchangeNDR()
	if !o365 {
		return nil
	}
	return m.exchangeReporting(rs)
}

// exchangeReporting returns rs, and when it names someone, records the NDR's generating
// server as the report's reporting MTA: the server that wrote the notice (RFC 3464 §2.2.2),
// which Exchange names under "Generating server:" and Office 365 also under "DSN generated
// by:".
func (m *mail) exchangeReporting(rs []Recipient) []Recipient {
	if len(rs) > 0 && m.rep.ReportingMTA == "" {
		m.rep.ReportingMTA = m.exchangeGen
	}
	return rs
}

// decodeExchangeNDR reads an Exchange 2007+ or Office 365 NDR and says whether it came from
// Office 365.
func (m *mail) decodeExchangeNDR() ([]Recipient, bool) {
	// Both list entries ask; read the mail once.
	if !m.exchangeDone {
		m.exchangeRecips, m.exchangeO365, m.exchangeGen = m.readExchangeNDR()
		m.exchangeDone = true
	}
	return m.exchangeRecips, m.exchangeO365
}

func (m *mail) readExchangeNDR() (rs []Recipient, o365 bool, gen string) {
	if m.pvHasDSRecipient() || (!m.pvMentions(exchangeAllStarts) && !m.pvMentions(o365Marks)) || !m.looksLikeBounce() {
		return nil, false, ""
	}
	// An NDR's words only in the copy of the returned message (another mail system's
	// bounce of a mail that quoted an NDR) are not this mail's report.
	if rt := m.reportText(); !m.textContainsAny(rt, exchangeAllStarts) && !m.textContainsAny(rt, o365Marks) {
		return nil, false, ""
	}
	text := m.text()
	if strings.IndexByte(text, '@') < 0 {
		return nil, false, ""
	}
	lower := m.lowerOf(text)
	adminAt, _ := m.firstOf(lower, exchangeAdminStarts)
	userAt, _ := m.firstOf(lower, exchangeUserStarts)
	o365At := strings.Index(lower, o365YourMessageTo)
	if o365At >= 0 && !strings.Contains(pvLineFrom(lower, o365At), "couldn't be delivered") && !strings.Contains(pvLineFrom(lower, o365At), "could not be delivered") {
		o365At = -1
	}
	if o365At < 0 {
		// "Your message couldn't be delivered to kijitora@example.com." (a later wording)
		o365At = strings.Index(lower, "couldn't be delivered to ")
	}
	if o365At < 0 && m.containsAny(lower, o365Marks) {
		o365At = o365UndeliveredLine(lower)
	}
	if adminAt < 0 && userAt < 0 && o365At < 0 {
		return nil, false, ""
	}
	o365 = m.containsAny(lower, o365Marks)
	gen = exchangeLabelledHost(text, lower, exchangeGeneratingLabels)
	if gen != "" && !o365 {
		for _, s := range o365Servers {
			o365 = o365 || strings.HasSuffix(lowerASCII(gen), s)
		}
	}
	action := classify.ActionFailed
	if m.containsAny(lower, exchangeDelayWords) {
		action = classify.ActionDelayed
	}

	var admin, user []pvEntry
	remote := ""
	if adminAt >= 0 {
		sec, _ := m.pvSection(text, exchangeAdminStarts, exchangeAdminEnds)
		admin = pvEntries(sec, pvRestEmpty)
		head := sec
		if len(admin) > 0 {
			if i := strings.Index(sec, admin[0].addr); i >= 0 {
				head = sec[:i]
			}
		}
		remote = exchangeLabelledHost(head, lowerASCII(head), exchangeReceivingLabels)
	}
	if userAt >= 0 {
		sec, _ := m.pvSection(text, exchangeUserStarts, exchangeUserEnds)
		user = pvEntries(sec, func(_, rest string) bool {
			// "kijitora@example.com<mailto:kijitora@example.com>" in text made from HTML.
			return rest == "" || strings.HasPrefix(rest, "<mailto:") || strings.HasPrefix(rest, "(")
		})
	}
	userDiag := make(map[string]string, len(user))
	for _, e := range user {
		userDiag[strings.ToLower(e.addr)] = pvJoin(e.detail)
	}

	var out []Recipient
	for _, e := range admin {
		r := Recipient{Address: e.addr, Action: action, Source: "the administrators' part of the Exchange NDR", RemoteMTA: remote}
		if h := exchangeEntryRemote(e.detail, gen); h != "" {
			r.RemoteMTA = h
		}
		r.Diagnostic = exchangeAdminDiagnostic(e.detail)
		if r.Diagnostic == "" {
			r.Diagnostic = userDiag[strings.ToLower(e.addr)]
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		for _, e := range user {
			out = append(out, Recipient{Address: e.addr, Action: action, Source: "the Exchange NDR text", Diagnostic: pvJoin(e.detail)})
		}
	}
	if len(out) == 0 {
		// Office 365 (2017) closes its text with the original's details:
		//
		//	Original Message Details
		//	Created Date:   4/29/2017 6:40:30 AM
		//	Sender Address: neko@example.jp
		//	Recipient Address:      kijitora@example.com
		for i := strings.Index(text, "Recipient Address:"); i >= 0; {
			i += len("Recipient Address:")
			if a := firstAddress(pvLineFrom(text, i)); a != "" {
				out = append(out, Recipient{Address: a, Action: action, Source: "the Office 365 original message details"})
			}
			j := strings.Index(text[i:], "Recipient Address:")
			if j < 0 {
				break
			}
			i += j
		}
	}
	fromLine := false // the recipient is the one "Your message to ..." names
	if len(out) == 0 && o365At >= 0 {
		fromLine = true
		line := pvLineFrom(text, o365At)
		if a := firstAddress(line); a != "" {
			out = append(out, Recipient{Address: a, Action: action, Source: "the Office 365 NDR text", Diagnostic: strings.TrimSpace(line)})
		}
	}
	if len(out) == 1 && !hasCode(out[0].Diagnostic) {
		if d := o365ReportedError(text); d != "" {
			out[0].Diagnostic = d
		} else if fromLine {
			// A gateway's "Your message to a@example.org could not be delivered." gives the
			// reason in the lines below it ("Reason: 550 5.1.1 mailbox unavailable").
			if d, _ := diagnosticScan(text, o365At, out[0].Address); hasCode(d) {
				out[0].Diagnostic = d
			}
		}
	}
	return out, o365, gen
}

// o365ErrorLabels label the remote server's answer in the admins' part of the 2017 Office
// 365 layout, best first. The layout reports one error for the NDR, so it is the answer only
// when the NDR names one recipient:
//
//	More Info for Email Admins
//	Status code: 550 5.1.10
//	...
//	Error Details
//	Reported error:    550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup
//	DSN generated by:    TY2PR01MB3456.jpnprd01.prod.outlook.com
//
// The labels of the other languages the layout ships follow the English ones.
var o365ErrorLabels = []string{
	"Reported error:", "Gemeldeter Fehler:", "Erreur signalée :", "Error notificado:",
	"Errore segnalato:", "Gerapporteerde fout:", "Erro relatado:", "Zgłoszony błąd:",
	"Сообщенная ошибка:", "報告されたエラー:", "报告的错误:", "보고된 오류:", "Rapporterat fel:",
	"Status code:",
}

// o365ReportedError returns the text of the first line of the 2017 Office 365 layout that
// o365ErrorLabels label and that holds a code, or "".
func o365ReportedError(text string) string {
	for _, label := range o365ErrorLabels {
		if i := strings.Index(text, label); i >= 0 {
			if d := strings.TrimSpace(pvLineFrom(text, i+len(label))); hasCode(d) {
				return d
			}
		}
	}
	return ""
}

// exchangeGeneratingLabels label the server that wrote the NDR in the administrators' part
// ("Generating server: mail.example.net"), lower-case, in the languages Exchange ships,
// without the colon (French puts a blank before it).
var exchangeGeneratingLabels = []string{
	"generating server",
	// Office 365's 2017 layout: "DSN generated by:" and its translations.
	"dsn generated by",
	"dsn generiert von",
	"dsn généré par",
	"dsn generado por",
	"dsn generato da",
	"dsn gegenereerd door",
	"dsn gerado por",
	"dsn wygenerowany przez",
	"dsn создан",
	"dsn 生成元",
	"dsn 生成者",
	"dsn 생성자",
	"dsn genererat av",
	"generierender server",
	"serveur de génération",
	"servidor de generación",
	"server di generazione",
	"genererende server",
	"servidor de geração",
	"servidor gerador",
	"serwer generujący",
	"Создающий сервер",
	"生成サーバー",
	"生成服务器",
	"產生伺服器",
	"생성 서버",
	"genererande server",
	"luova palvelin",
	"generující server",
	"oluşturan sunucu",
}

// exchangeReceivingLabels label the server Exchange 2007 handed the message to, below an
// administrators' entry ("Receiving server: mx.example.org (192.0.2.1)"), lower-case, without
// the colon.
var exchangeReceivingLabels = []string{
	"receiving server",
	"empfangender server",
	"serveur de réception",
	"servidor receptor",
	"受信サーバー",
}

// exchangeServerLabels are both kinds of server label.
var exchangeServerLabels = slices.Concat(exchangeGeneratingLabels, exchangeReceivingLabels)

// exchangeLabelledHost returns the host that follows the first of labels (lower-case) and a
// colon (ASCII or full-width) in text, as written, or "" when none does; lower is text
// lower-cased (ASCII only, so that offsets are the same).
func exchangeLabelledHost(text, lower string, labels []string) string {
	for _, l := range labels {
		for i := 0; ; {
			j := strings.Index(lower[i:], l)
			if j < 0 {
				break
			}
			i += j + len(l)
			if h := exchangeHostAfterLabel(text[i:]); h != "" {
				return h
			}
		}
	}
	return ""
}

// exchangeHostAfterLabel reads ": host" or "：host" at the start of s and returns host when it
// is a domain name. French puts a no-break space (U+00A0 or the narrow U+202F) before the
// colon.
func exchangeHostAfterLabel(s string) string {
	s = strings.TrimLeft(s, " \t\u00a0\u202f")
	switch {
	case strings.HasPrefix(s, ":"):
		s = s[1:]
	case strings.HasPrefix(s, "："):
		s = s[len("："):]
	default:
		return ""
	}
	f := strings.Fields(pvLineFrom(s, 0))
	if len(f) == 0 || !validDomain(f[0]) {
		return ""
	}
	return f[0]
}

// exchangeAdminDiagnostic keeps the lines of an administrators' entry that carry the remote
// server's answer, most recent first as Exchange lists them, up to a server label.
func exchangeAdminDiagnostic(detail []string) string {
	var keep []string
	for _, l := range detail {
		t := strings.TrimSpace(l)
		if exchangeIsServerLine(t) {
			break
		}
		keep = append(keep, t)
	}
	return pvJoin(keep)
}

// exchangeEntryRemote returns the remote server an administrators' entry names, or "":
// the host of its "Receiving server: host (192.0.2.1)" line in any language (Exchange 2007),
// or the host Exchange 2010 writes before the answer ("mx.example.org #550 5.1.1 ... ##")
// when that host is not the generating server gen (lower-case), which writes its own
// refusals the same way.
func exchangeEntryRemote(detail []string, gen string) string {
	for i, l := range detail {
		t := strings.TrimSpace(l)
		if h := exchangeLineHost(t, exchangeReceivingLabels); h != "" {
			return h
		}
		if i > 0 {
			continue
		}
		host, rest, ok := strings.Cut(t, " #")
		if ok && len(rest) >= 3 && allDigits(rest[:3]) && validDomain(host) && !strings.EqualFold(host, gen) {
			return host
		}
	}
	return ""
}

// exchangeIsServerLine reports whether the trimmed line t is a server line of the
// administrators' part ("Generating server: host", "Receiving server: host").
func exchangeIsServerLine(t string) bool {
	return exchangeLineHost(t, exchangeServerLabels) != ""
}

// exchangeLineHost returns the host of the trimmed line t, as written, when t starts with one
// of labels (lower-case) and a colon, or "".
func exchangeLineHost(t string, labels []string) string {
	lower := lowerASCII(t)
	for _, l := range labels {
		if strings.HasPrefix(lower, l) {
			if h := exchangeHostAfterLabel(t[len(l):]); h != "" {
				return h
			}
		}
	}
	return ""
}

package dsn_test

import (
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
)

// exchLang holds the strings of one language of the NDR templates of Exchange 2010 and
// later and of Office 365 (the text rendering Exchange writes next to its HTML), as the
// localized servers ship them.
type exchLang struct {
	cs                  string // the charset the NDR is written in
	subject, delaySubj  string // the subject prefixes ("Undeliverable:", "Delivery delayed:")
	failed, delayed     string // the headings of the sender's part
	notFound            string // the sender's explanation of RESOLVER.ADR.RecipNotFound
	notYet              string // the delay notice's "This message hasn't been delivered yet ..."
	admin, gen, headers string // "Diagnostic information for administrators:", "Generating server:", "Original message headers:"
	returned            string // "Remote Server returned '%s'" with %s for the reply
	receiving           string // Exchange 2007's "Receiving server:", "" when not used
}

// exchLangs are the languages of the TestExchangeIntl cases.
var exchLangs = map[string]exchLang{
	"de": {"utf-8", "Unzustellbar: ", "Übermittlung verzögert: ",
		"Die Zustellung an folgende Empfänger oder Gruppen ist fehlgeschlagen:",
		"Die Zustellung an folgende Empfänger oder Gruppen wurde verzögert:",
		"Die eingegebene E-Mail-Adresse wurde nicht gefunden. Überprüfen Sie die E-Mail-Adresse des Empfängers, und versuchen Sie erneut, die Nachricht zu senden.",
		"Diese Nachricht wurde noch nicht übermittelt. Es wird weiterhin versucht, die Nachricht zu übermitteln.",
		"Diagnoseinformationen für Administratoren:", "Generierender Server:", "Ursprüngliche Nachrichtenkopfzeilen:",
		"Vom Remoteserver wurde '%s' zurückgegeben.", "Empfangender Server:"},
	"fr": {"iso-8859-1", "Non remis : ", "Remise différée : ",
		"La remise aux destinataires ou groupes suivants a échoué :",
		"La remise à ces destinataires ou groupes est retardée :",
		"L'adresse de messagerie que vous avez entrée est introuvable. Vérifiez l'adresse de messagerie du destinataire et essayez de renvoyer le message.",
		"Ce message n'a pas encore été remis. La tentative de remise va se poursuivre.",
		"Informations de diagnostic pour les administrateurs :", "Serveur de génération :", "En-têtes de message d'origine :",
		"Le serveur distant a retourné '%s'", "Serveur de réception :"},
	"es": {"iso-8859-1", "No se puede entregar: ", "Entrega retrasada: ",
		"No se pudo entregar a estos destinatarios o grupos:",
		"La entrega a estos destinatarios o grupos se ha retrasado:",
		"No se encontró la dirección de correo electrónico que especificó. Compruebe la dirección de correo electrónico del destinatario e intente volver a enviar el mensaje.",
		"Este mensaje aún no se ha entregado. Se seguirá intentando la entrega.",
		"Información de diagnóstico para administradores:", "Servidor de generación:", "Encabezados del mensaje original:",
		"El servidor remoto devolvió '%s'", "Servidor receptor:"},
	"it": {"utf-8", "Non recapitabile: ", "Recapito ritardato: ",
		"Recapito non riuscito ai destinatari o gruppi seguenti:",
		"Il recapito ai destinatari o gruppi seguenti è stato ritardato:",
		"Impossibile trovare l'indirizzo di posta elettronica immesso. Verificare l'indirizzo del destinatario e provare a inviare di nuovo il messaggio.",
		"Il messaggio non è ancora stato recapitato. Verranno effettuati altri tentativi di recapito.",
		"Informazioni di diagnostica per gli amministratori:", "Server di generazione:", "Intestazioni originali del messaggio:",
		"Il server remoto ha restituito '%s'", ""},
	"nl": {"utf-8", "Onbestelbaar: ", "Bezorging vertraagd: ",
		"De bezorging aan deze ontvangers of groepen is mislukt:",
		"De bezorging aan deze ontvangers of groepen is vertraagd:",
		"Het e-mailadres dat u hebt ingevoerd, is niet gevonden. Controleer het e-mailadres van de ontvanger en probeer het bericht opnieuw te verzenden.",
		"Dit bericht is nog niet bezorgd. Er wordt nog steeds geprobeerd het bericht te bezorgen.",
		"Diagnostische gegevens voor beheerders:", "Genererende server:", "Oorspronkelijke berichtkoppen:",
		"Externe server heeft '%s' geretourneerd", ""},
	"pt-br": {"utf-8", "Não é possível entregar: ", "Entrega atrasada: ",
		"Falha na entrega para estes destinatários ou grupos:",
		"A entrega para estes destinatários ou grupos está atrasada:",
		"O endereço de email inserido não foi encontrado. Verifique o endereço de email do destinatário e tente reenviar a mensagem.",
		"Esta mensagem ainda não foi entregue. A entrega continuará sendo tentada.",
		"Informações de diagnóstico para administradores:", "Servidor de geração:", "Cabeçalhos originais da mensagem:",
		"O Servidor Remoto retornou '%s'", ""},
	"pt-pt": {"iso-8859-1", "Não entregue: ", "Entrega atrasada: ",
		"A entrega falhou para estes destinatários ou grupos:",
		"A entrega a estes destinatários ou grupos foi atrasada:",
		"Não foi possível encontrar o endereço de correio eletrónico introduzido. Verifique o endereço de correio eletrónico do destinatário e tente reenviar a mensagem.",
		"Esta mensagem ainda não foi entregue. Continuaremos a tentar entregá-la.",
		"Informações de diagnóstico para administradores:", "Servidor gerador:", "Cabeçalhos da mensagem original:",
		"O servidor remoto devolveu '%s'", ""},
	"pl": {"iso-8859-2", "Niedostarczalne: ", "Dostarczanie opóźnione: ",
		"Dostarczenie do tych adresatów lub grup nie powiodło się:",
		"Dostarczenie do tych adresatów lub grup jest opóźnione:",
		"Nie można odnaleźć wprowadzonego adresu e-mail. Sprawdź adres e-mail adresata i spróbuj wysłać wiadomość ponownie.",
		"Ta wiadomość nie została jeszcze dostarczona. Próby dostarczenia będą kontynuowane.",
		"Informacje diagnostyczne dla administratorów:", "Serwer generujący:", "Oryginalne nagłówki wiadomości:",
		"Serwer zdalny zwrócił '%s'", ""},
	"ru": {"windows-1251", "Недоставляемое сообщение: ", "Доставка задерживается: ",
		"Не удалось доставить сообщение этим получателям или группам:",
		"Доставка этим получателям или группам задерживается:",
		"Введенный адрес электронной почты не найден. Проверьте адрес электронной почты получателя и попробуйте отправить сообщение еще раз.",
		"Это сообщение еще не доставлено. Попытки доставки будут продолжены.",
		"Диагностические сведения для администраторов:", "Создающий сервер:", "Исходные заголовки сообщения:",
		"Удаленный сервер возвратил '%s'", ""},
	"ja": {"iso-2022-jp", "配信不能: ", "配信の遅延: ",
		"次の受信者またはグループへの配信に失敗しました:",
		"次の受信者またはグループへの配信が遅延しています:",
		"入力したメール アドレスが見つかりませんでした。受信者のメール アドレスを確認して、メッセージを再送信してください。",
		"このメッセージはまだ配信されていません。配信は引き続き試行されます。",
		"管理者向けの診断情報:", "生成サーバー:", "元のメッセージ ヘッダー:",
		"リモート サーバーから '%s' が返されました", "受信サーバー:"},
	"zh-cn": {"gb2312", "无法投递: ", "延迟传递: ",
		"无法传递到以下收件人或组:",
		"传递到以下收件人或组的邮件已延迟:",
		"找不到你输入的电子邮件地址。请检查收件人的电子邮件地址，然后尝试重新发送邮件。",
		"此邮件尚未传递。将继续尝试传递。",
		"管理员的诊断信息:", "生成服务器:", "原始邮件头:",
		"远程服务器返回 '%s'", ""},
	"zh-tw": {"big5", "無法傳遞: ", "延遲傳遞: ",
		"傳遞到這些收件者或群組失敗:",
		"傳遞到這些收件者或群組的郵件已延遲:",
		"找不到您輸入的電子郵件地址。請檢查收件者的電子郵件地址，然後再試一次傳送郵件。",
		"此郵件尚未傳遞。將繼續嘗試傳遞。",
		"系統管理員的診斷資訊:", "產生伺服器:", "原始郵件標頭:",
		"遠端伺服器傳回 '%s'", ""},
	"ko": {"euc-kr", "배달되지 않음: ", "배달 지연: ",
		"다음 받는 사람 또는 그룹에 배달하지 못했습니다.",
		"다음 받는 사람 또는 그룹에 대한 배달이 지연되었습니다.",
		"입력한 전자 메일 주소를 찾을 수 없습니다. 받는 사람의 전자 메일 주소를 확인한 후 메시지를 다시 보내 보세요.",
		"이 메시지는 아직 배달되지 않았습니다. 계속 배달을 시도합니다.",
		"관리자를 위한 진단 정보:", "생성 서버:", "원본 메시지 헤더:",
		"원격 서버가 '%s'을(를) 반환했습니다.", ""},
	"sv": {"iso-8859-1", "Olevererbart: ", "Leverans fördröjd: ",
		"Det gick inte att leverera till de här mottagarna eller grupperna:",
		"Leveransen till de här mottagarna eller grupperna har fördröjts:",
		"Det gick inte att hitta e-postadressen som du angav. Kontrollera mottagarens e-postadress och försök att skicka meddelandet igen.",
		"Meddelandet har inte levererats ännu. Leveransförsöken fortsätter.",
		"Diagnostisk information för administratörer:", "Genererande server:", "Ursprungliga meddelandehuvuden:",
		"Fjärrservern returnerade '%s'", ""},
	"da": {"iso-8859-1", "Kan ikke leveres: ", "Levering forsinket: ",
		"Levering til disse modtagere eller grupper mislykkedes:",
		"Levering til disse modtagere eller grupper er forsinket:",
		"Den mailadresse, du angav, blev ikke fundet. Kontrollér modtagerens mailadresse, og prøv at sende meddelelsen igen.",
		"Denne meddelelse er ikke blevet leveret endnu. Der vil fortsat blive forsøgt levering.",
		"Diagnosticeringsoplysninger til administratorer:", "Genererende server:", "Oprindelige meddelelsesheadere:",
		"Fjernserveren returnerede '%s'", ""},
	"nb": {"iso-8859-1", "Kan ikke leveres: ", "Levering forsinket: ",
		"Levering til disse mottakerne eller gruppene mislyktes:",
		"Levering til disse mottakerne eller gruppene er forsinket:",
		"Finner ikke e-postadressen du skrev inn. Kontroller mottakerens e-postadresse, og prøv å sende meldingen på nytt.",
		"Denne meldingen er ikke levert ennå. Leveringsforsøkene fortsetter.",
		"Diagnostisk informasjon for administratorer:", "Genererende server:", "Opprinnelige meldingshoder:",
		"Den eksterne serveren returnerte '%s'", ""},
	"fi": {"iso-8859-1", "Ei voi toimittaa: ", "Toimitus viivästynyt: ",
		"Toimitus epäonnistui seuraaville vastaanottajille tai ryhmille:",
		"Toimitus seuraaville vastaanottajille tai ryhmille on viivästynyt:",
		"Antamaasi sähköpostiosoitetta ei löytynyt. Tarkista vastaanottajan sähköpostiosoite ja yritä lähettää viesti uudelleen.",
		"Tätä viestiä ei ole vielä toimitettu. Toimitusyrityksiä jatketaan.",
		"Diagnostiikkatiedot järjestelmänvalvojille:", "Luova palvelin:", "Alkuperäisen viestin otsikot:",
		"Etäpalvelin palautti '%s'", ""},
	"cs": {"iso-8859-2", "Nedoručitelné: ", "Doručení zpožděno: ",
		"Doručení následujícím příjemcům nebo skupinám se nezdařilo:",
		"Doručení následujícím příjemcům nebo skupinám je zpožděno:",
		"Zadaná e-mailová adresa nebyla nalezena. Zkontrolujte e-mailovou adresu příjemce a zkuste zprávu odeslat znovu.",
		"Tato zpráva ještě nebyla doručena. Pokusy o doručení budou pokračovat.",
		"Diagnostické informace pro správce:", "Generující server:", "Záhlaví původní zprávy:",
		"Vzdálený server vrátil '%s'", ""},
	"tr": {"iso-8859-9", "Teslim Edilemedi: ", "Teslim gecikti: ",
		"Şu alıcılara veya gruplara teslim başarısız oldu:",
		"Şu alıcılara veya gruplara teslim gecikti:",
		"Girdiğiniz e-posta adresi bulunamadı. Alıcının e-posta adresini denetleyin ve iletiyi yeniden göndermeyi deneyin.",
		"Bu ileti henüz teslim edilmedi. Teslim denemeleri sürecek.",
		"Yöneticiler için tanılama bilgileri:", "Oluşturan sunucu:", "Özgün ileti üst bilgileri:",
		"Uzak Sunucu '%s' döndürdü", ""},
}

// exchOpen are the TestExchangeIntl cases that still fail, each with what is wrong: they
// are skipped, not deleted, until a general rule reads them.
var exchOpen = map[string]string{}

// exchRecip is a recipient of an NDR: its address, reply and status as the admins' part
// writes them, and the host Exchange reports it talked to ("" when the NDR names none).
type exchRecip struct {
	layoutRecip
	remote string
}

// exchFailedText is the text rendering of a localized Exchange 2013+ NDR: the sender's part,
// the administrators' part with the generating server and per recipient the remote server's
// answer (Exchange 2010's "host #550 5.1.1 ... ##" when form is "2010", Exchange 2007's
// "Receiving server:" line when form is "2007" and the language has one), and the headers.
func exchFailedText(l exchLang, gen, form string, rs ...exchRecip) string {
	var b strings.Builder
	b.WriteString(l.failed + "\n\n")
	for _, r := range rs {
		b.WriteString(r.addr + "\n" + l.notFound + "\n\n")
	}
	b.WriteString(l.admin + "\n\n" + l.gen + " " + gen + "\n\n")
	for _, r := range rs {
		reply := string(r.reply) + " " + string(r.status) + " <" + r.addr + ">: Recipient address rejected: User unknown in local recipient table"
		switch {
		case form == "2010" && r.remote != "":
			b.WriteString(r.addr + "\n" + r.remote + " #" + reply + " ##\n\n")
		case form == "2010":
			b.WriteString(r.addr + "\n#" + string(r.reply) + " " + string(r.status) + " RESOLVER.ADR.RecipNotFound; not found ##\n\n")
		case form == "2007":
			b.WriteString(r.addr + "\n#" + reply + " ##\n")
			if r.remote != "" && l.receiving != "" {
				b.WriteString(l.receiving + " " + r.remote + " (192.0.2.1)\n")
			}
			b.WriteString("\n")
		default:
			b.WriteString(r.addr + "\n" + strings.Replace(l.returned, "%s", reply, 1) + "\n\n")
		}
	}
	b.WriteString(l.headers + "\n\nReceived: from client.example.net (192.0.2.20) by " + gen + "\n (192.0.2.8) with Microsoft SMTP Server id 15.1.2507.6; Tue, 1 Dec 2026\n 09:59:58 +0100\nFrom: Sender <sender@example.net>\nTo: Alice <alice@example.org>, Bob <bob@example.org>, Dave <dave@example.org>\nSubject: hello\nMessage-ID: <orig-9@example.net>\n")
	return b.String()
}

// exchDelayText is the text rendering of a localized Exchange 2013+ delay notice, with the
// remote server's last answer in the administrators' part when reply is not empty.
func exchDelayText(l exchLang, gen, addr, reply string) string {
	s := l.delayed + "\n\n" + addr + "\n\n" + l.notYet + "\n\n" + l.admin + "\n\n" + l.gen + " " + gen + "\n\n" + addr + "\n"
	if reply != "" {
		s += strings.Replace(l.returned, "%s", reply, 1) + "\n"
	}
	return s + "\n" + l.headers + "\n\nFrom: Sender <sender@example.net>\nTo: " + addr + ", dave@example.org\nSubject: hello\n"
}

// exchHTML is an HTML rendering of text, as the HTML-only NDRs of Office 365 and of Exchange
// behind gateways that drop the text part come: one paragraph per block, lines broken by
// <br>, addresses as mailto links.
func exchHTML(text string) string {
	var b strings.Builder
	b.WriteString("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body>\n")
	for block := range strings.SplitSeq(strings.TrimSpace(text), "\n\n") {
		var lines []string
		for l := range strings.SplitSeq(block, "\n") {
			l = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(l)
			if strings.Count(l, "@") == 1 && !strings.Contains(l, " ") {
				l = "<a href=\"mailto:" + l + "\">" + l + "</a>"
			}
			lines = append(lines, l)
		}
		b.WriteString("<p>" + strings.Join(lines, "<br>\n") + "</p>\n")
	}
	return b.String() + "</body></html>\n"
}

// TestExchangeIntl is a held-out round on the NDRs and delay notices of Exchange 2007 to
// 2019 and Office 365 in the languages they ship: each must be read by the Exchange or
// Office 365 reader (or, with a delivery-status part, the RFC 3464 reader), with every
// recipient, its action (a delay notice is delayed, not failed), the remote server's reply
// and status, and the remote server where the NDR names one.
func TestExchangeIntl(t *testing.T) {
	const (
		onprem = "mail.example.net"
		o365   = "AM0PR01MB1234.eurprd01.prod.outlook.com"
		msFrom = "Microsoft Outlook <postmaster@example.net>"
		o3From = "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>"
	)
	alice := func(reply, status, remote string) exchRecip {
		return exchRecip{layoutRecip{"alice@example.org", failed, classify.ReplyCode(reply), classify.Status(status)}, remote}
	}
	bob := func(reply, status, remote string) exchRecip {
		return exchRecip{layoutRecip{"bob@example.org", failed, classify.ReplyCode(reply), classify.Status(status)}, remote}
	}
	type tcase struct {
		name, mail, reader, gen string
		want                    []exchRecip
	}
	var tests []tcase
	text := func(lang, gen, form, from, reader string, rs ...exchRecip) {
		l := exchLangs[lang]
		tests = append(tests, tcase{"text/" + lang + "/" + form + "/" + reader, intlMail(from, ew(l.cs, l.subject+"hello"), l.cs, "quoted-printable", exchFailedText(l, gen, form, rs...)), reader, gen, rs})
	}
	html := func(lang, gen, from, reader string, rs ...exchRecip) {
		l := exchLangs[lang]
		tests = append(tests, tcase{"html/" + lang + "/" + reader, intlMailType(from, ew("utf-8", l.subject+"hello"), "text/html", "utf-8", "base64", exchHTML(exchFailedText(l, gen, "", rs...))), reader, gen, rs})
	}
	delay := func(lang, gen, from, reader, reply, status, remote string) {
		l := exchLangs[lang]
		r := exchRecip{layoutRecip{"alice@example.org", delayed, classify.ReplyCode(reply), classify.Status(status)}, remote}
		full := reply
		if reply != "" {
			full = reply + " " + status + " Greylisted, please try again later"
		}
		tests = append(tests, tcase{"delay/" + lang + "/" + reader, intlMail(from, ew(l.cs, l.delaySubj+"hello"), l.cs, "base64", exchDelayText(l, gen, r.addr, full)), reader, gen, []exchRecip{r}})
	}

	// Exchange 2013–2019 on premises, text rendering, "Remote Server returned '...'".
	text("de", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""), bob("552", "5.2.2", ""))
	text("fr", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))
	text("es", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""), bob("554", "5.7.1", ""))
	text("it", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))
	text("nl", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))
	text("pt-br", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))
	text("pt-pt", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""), bob("552", "5.2.2", ""))
	text("pl", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))
	text("ru", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""), bob("550", "5.4.1", ""))
	text("ja", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))
	text("zh-cn", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))
	text("zh-tw", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))
	text("ko", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))
	text("sv", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))
	text("da", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))
	text("nb", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))
	text("fi", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))
	text("cs", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))
	text("tr", onprem, "2013", msFrom, "exchange2007", alice("550", "5.1.1", ""))

	// Exchange 2010: "host #550 5.1.1 ... ##", the host being the remote server.
	text("de", onprem, "2010", msFrom, "exchange2007", alice("550", "5.1.1", "mx.example.org"), bob("550", "5.1.1", ""))
	text("sv", onprem, "2010", msFrom, "exchange2007", alice("550", "5.1.1", "mx.example.org"))
	text("cs", onprem, "2010", msFrom, "exchange2007", alice("550", "5.1.1", "mx.example.org"))
	text("ko", onprem, "2010", msFrom, "exchange2007", alice("550", "5.1.1", "mx.example.org"))

	// Exchange 2007: "Receiving server: host (ip)" below the answer.
	text("de", onprem, "2007", msFrom, "exchange2007", alice("550", "5.1.1", "mx.example.org"))
	text("fr", onprem, "2007", msFrom, "exchange2007", alice("550", "5.1.1", "mx.example.org"))
	text("es", onprem, "2007", msFrom, "exchange2007", alice("550", "5.1.1", "mx.example.org"))
	text("ja", onprem, "2007", msFrom, "exchange2007", alice("550", "5.1.1", "mx.example.org"))

	// Office 365 (generating server in outlook.com), text rendering.
	text("de", o365, "2013", o3From, "office365", alice("550", "5.1.10", ""))
	text("fr", o365, "2013", o3From, "office365", alice("550", "5.1.10", ""), bob("550", "5.4.1", ""))
	text("ja", o365, "2013", o3From, "office365", alice("550", "5.1.10", ""))
	text("ru", o365, "2013", o3From, "office365", alice("550", "5.1.10", ""))
	text("zh-cn", o365, "2013", o3From, "office365", alice("550", "5.1.10", ""))
	text("pl", o365, "2013", o3From, "office365", alice("550", "5.4.1", ""))

	// HTML-only NDRs.
	html("de", o365, o3From, "office365", alice("550", "5.1.10", ""))
	html("fr", onprem, msFrom, "exchange2007", alice("550", "5.1.1", ""))
	html("es", o365, o3From, "office365", alice("550", "5.1.10", ""))
	html("nl", onprem, msFrom, "exchange2007", alice("550", "5.1.1", ""), bob("552", "5.2.2", ""))
	html("ja", o365, o3From, "office365", alice("550", "5.1.10", ""))
	html("ko", onprem, msFrom, "exchange2007", alice("550", "5.1.1", ""))
	html("tr", o365, o3From, "office365", alice("550", "5.1.10", ""))
	html("fi", onprem, msFrom, "exchange2007", alice("550", "5.1.1", ""))

	// Delay notices: delayed, with the remote server's last answer when there is one.
	delay("de", onprem, msFrom, "exchange2007", "451", "4.7.1", "")
	delay("fr", onprem, msFrom, "exchange2007", "", "", "")
	delay("es", o365, o3From, "office365", "451", "4.7.1", "")
	delay("it", onprem, msFrom, "exchange2007", "", "", "")
	delay("nl", onprem, msFrom, "exchange2007", "451", "4.7.1", "")
	delay("pt-br", o365, o3From, "office365", "451", "4.7.1", "")
	delay("pl", onprem, msFrom, "exchange2007", "", "", "")
	delay("ru", onprem, msFrom, "exchange2007", "451", "4.7.1", "")
	delay("ja", o365, o3From, "office365", "451", "4.7.1", "")
	delay("zh-cn", onprem, msFrom, "exchange2007", "", "", "")
	delay("zh-tw", onprem, msFrom, "exchange2007", "451", "4.7.1", "")
	delay("ko", onprem, msFrom, "exchange2007", "", "", "")
	delay("sv", onprem, msFrom, "exchange2007", "451", "4.7.1", "")
	delay("fi", onprem, msFrom, "exchange2007", "", "", "")
	delay("cs", onprem, msFrom, "exchange2007", "451", "4.7.1", "")
	delay("tr", onprem, msFrom, "exchange2007", "", "", "")

	// multipart/report with message/delivery-status: the RFC 3464 reader, the remote MTA
	// from its field.
	for _, lang := range []string{"de", "fr", "ja", "ru"} {
		l := exchLangs[lang]
		a := alice("550", "5.1.1", "mx.example.org")
		tests = append(tests, tcase{"report/" + lang, intlReport(msFrom, ew(l.cs, l.subject+"hello"), "multipart/report; report-type=delivery-status",
			intlPart("text/plain", l.cs, "quoted-printable", exchFailedText(l, onprem, "2013", a)),
			statusPart("Reporting-MTA: dns;mail.example.net\nReceived-From-MTA: dns;client.example.net\nArrival-Date: Tue, 1 Dec 2026 09:59:58 +0000\n\nFinal-Recipient: rfc822;alice@example.org\nAction: failed\nStatus: 5.1.1\nRemote-MTA: dns;mx.example.org\nDiagnostic-Code: smtp;550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown in local recipient table\n")), "rfc3464", onprem, []exchRecip{a}})
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if why, ok := exchOpen[tc.name]; ok {
				t.Skip("open: " + why)
			}
			var want []layoutRecip
			for _, r := range tc.want {
				want = append(want, r.layoutRecip)
			}
			checkLayout(t, tc.mail, want, tc.reader)
			rep := dsn.ParseBytes([]byte(tc.mail))
			// The server that wrote the NDR is its reporting MTA, from the Reporting-MTA
			// field or the generating server line.
			if want := tc.gen; rep.ReportingMTA != want {
				t.Errorf("reporting MTA %q, want %q", rep.ReportingMTA, want)
			}
			for i, r := range rep.Recipients {
				if i < len(tc.want) && tc.want[i].remote != "" && r.RemoteMTA != tc.want[i].remote {
					t.Errorf("%s: remote MTA %q, want %q", r.Address, r.RemoteMTA, tc.want[i].remote)
				}
			}
		})
	}
}

// o365Lang holds the strings of one language of Office 365's 2017 NDR layout.
type o365Lang struct {
	cs, subject          string
	yourMessage          string // "Your message to %s couldn't be delivered." with %s for the address
	statusCode, reported string // "Status code:", "Reported error:"
	sender, recipient    string // "Sender Address:", "Recipient Address:" of the original's details
	helpAdmins, dsnGenBy string // "More Info for Email Admins", "DSN generated by:"
}

// o365Langs are the languages of the TestExchangeIntl2 cases.
var o365Langs = map[string]o365Lang{
	"de":    {"utf-8", "Unzustellbar: ", "Ihre Nachricht an %s konnte nicht übermittelt werden.", "Statuscode:", "Gemeldeter Fehler:", "Absenderadresse:", "Empfängeradresse:", "Weitere Informationen für E-Mail-Administratoren", "DSN generiert von:"},
	"fr":    {"iso-8859-1", "Non remis : ", "Votre message à %s n'a pas pu être remis.", "Code d'état :", "Erreur signalée :", "Adresse de l'expéditeur :", "Adresse du destinataire :", "Plus d'informations pour les administrateurs de messagerie", "DSN généré par :"},
	"es":    {"utf-8", "No se puede entregar: ", "No se pudo entregar su mensaje a %s.", "Código de estado:", "Error notificado:", "Dirección del remitente:", "Dirección del destinatario:", "Más información para los administradores de correo electrónico", "DSN generado por:"},
	"it":    {"utf-8", "Non recapitabile: ", "Impossibile recapitare il messaggio a %s.", "Codice di stato:", "Errore segnalato:", "Indirizzo mittente:", "Indirizzo destinatario:", "Altre informazioni per gli amministratori di posta elettronica", "DSN generato da:"},
	"nl":    {"utf-8", "Onbestelbaar: ", "Uw bericht aan %s kan niet worden bezorgd.", "Statuscode:", "Gerapporteerde fout:", "Adres afzender:", "Adres ontvanger:", "Meer informatie voor e-mailbeheerders", "DSN gegenereerd door:"},
	"pt-br": {"utf-8", "Não é possível entregar: ", "Sua mensagem para %s não pôde ser entregue.", "Código de status:", "Erro relatado:", "Endereço do remetente:", "Endereço do destinatário:", "Mais informações para administradores de email", "DSN gerado por:"},
	"pl":    {"iso-8859-2", "Niedostarczalne: ", "Nie można dostarczyć Twojej wiadomości do %s.", "Kod stanu:", "Zgłoszony błąd:", "Adres nadawcy:", "Adres adresata:", "Więcej informacji dla administratorów poczty e-mail", "DSN wygenerowany przez:"},
	"ru":    {"utf-8", "Недоставляемое сообщение: ", "Не удалось доставить ваше сообщение для %s.", "Код состояния:", "Сообщенная ошибка:", "Адрес отправителя:", "Адрес получателя:", "Дополнительные сведения для администраторов электронной почты", "DSN создан:"},
	"ja":    {"iso-2022-jp", "配信不能: ", "%s へのメッセージを配信できませんでした。", "状態コード:", "報告されたエラー:", "送信者アドレス:", "受信者アドレス:", "メール管理者向けの詳細情報", "DSN 生成元:"},
	"zh-cn": {"gb2312", "无法投递: ", "无法将你的邮件传递到 %s。", "状态代码:", "报告的错误:", "发件人地址:", "收件人地址:", "电子邮件管理员的详细信息", "DSN 生成者:"},
	"ko":    {"utf-8", "배달되지 않음: ", "%s(으)로 메시지를 배달할 수 없습니다.", "상태 코드:", "보고된 오류:", "보낸 사람 주소:", "받는 사람 주소:", "전자 메일 관리자를 위한 추가 정보", "DSN 생성자:"},
	"sv":    {"iso-8859-1", "Olevererbart: ", "Ditt meddelande till %s kunde inte levereras.", "Statuskod:", "Rapporterat fel:", "Avsändaradress:", "Mottagaradress:", "Mer information för e-postadministratörer", "DSN genererat av:"},
}

// o365Text is the text rendering of Office 365's 2017 NDR layout in the language l, for the
// recipient addr refused with reply (reply code, status, text).
func o365Text(l o365Lang, addr, reply string) string {
	code := reply[:len("550 5.1.10")]
	if reply[7] == ' ' {
		code = reply[:len("550 5.4.1")]
	}
	return strings.Replace(l.yourMessage, "%s", addr, 1) + `

sender    Office 365    ` + addr[:strings.IndexByte(addr, '@')] + `

` + l.helpAdmins + `
` + l.statusCode + ` ` + code + `

Original Message Details
Created Date:    12/1/2026 9:59:57 AM
` + l.sender + `    sender@example.net
` + l.recipient + `    ` + addr + `
Subject:    hello

Error Details
` + l.reported + `    ` + reply + `
` + l.dsnGenBy + `    AM0PR01MB1234.eurprd01.prod.outlook.com
Message Hops
HOP    TIME (UTC)    FROM    TO    WITH    RELAY TIME
1    12/1/2026 9:59:57 AM    client.example.net    AM0PR01MB1234.eurprd01.prod.outlook.com    Microsoft SMTP Server    *

Original Message Headers
From: Sender <sender@example.net>
To: ` + addr + `, dave@example.org
Subject: hello
`
}

// exchOpen2 are the TestExchangeIntl2 cases that still fail, each with what is wrong.
var exchOpen2 = map[string]string{}

// TestExchangeIntl2 is a second held-out round of TestExchangeIntl on Office 365's 2017 NDR
// layout ("Your message to X couldn't be delivered.") in the languages it ships, as text
// and as HTML only: the Office 365 reader must name the recipient the opening sentence
// names (not the sender of the original's details) with the reported error's codes.
func TestExchangeIntl2(t *testing.T) {
	const from = "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>"
	type tcase struct {
		name, mail string
		want       layoutRecip
	}
	var tests []tcase
	for _, lang := range []string{"de", "fr", "es", "it", "nl", "pt-br", "pl", "ru", "ja", "zh-cn", "ko", "sv"} {
		l := o365Langs[lang]
		const notFound = "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
		tests = append(tests, tcase{"text/" + lang, intlMail(from, ew(l.cs, l.subject+"hello"), l.cs, "quoted-printable", o365Text(l, "alice@example.org", notFound)), layoutRecip{"alice@example.org", failed, "550", "5.1.10"}})
	}
	for _, lang := range []string{"de", "fr", "ja", "pt-br"} {
		l := o365Langs[lang]
		const quota = "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded"
		tests = append(tests, tcase{"html/" + lang, intlMailType(from, ew("utf-8", l.subject+"hello"), "text/html", "utf-8", "base64", exchHTML(o365Text(l, "bob@example.org", quota))), layoutRecip{"bob@example.org", failed, "554", "5.2.2"}})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if why, ok := exchOpen2[tc.name]; ok {
				t.Skip("open: " + why)
			}
			checkLayout(t, tc.mail, []layoutRecip{tc.want}, "office365")
			if rep := dsn.ParseBytes([]byte(tc.mail)); rep.ReportingMTA != "AM0PR01MB1234.eurprd01.prod.outlook.com" {
				t.Errorf("reporting MTA %q, want the server of the DSN generated by line", rep.ReportingMTA)
			}
		})
	}
}

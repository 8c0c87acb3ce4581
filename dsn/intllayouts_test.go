package dsn_test

import (
	"bytes"
	"encoding/base64"
	"mime/quotedprintable"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// intlEncodings are the charsets the TestIntlLayouts cases write their mails in.
var intlEncodings = map[string]encoding.Encoding{
	"iso-2022-jp":  japanese.ISO2022JP,
	"shift_jis":    japanese.ShiftJIS,
	"euc-jp":       japanese.EUCJP,
	"gb2312":       simplifiedchinese.GBK,
	"gbk":          simplifiedchinese.GBK,
	"gb18030":      simplifiedchinese.GB18030,
	"big5":         traditionalchinese.Big5,
	"euc-kr":       korean.EUCKR,
	"koi8-r":       charmap.KOI8R,
	"windows-1251": charmap.Windows1251,
	"windows-1250": charmap.Windows1250,
	"windows-1252": charmap.Windows1252,
	"iso-8859-1":   charmap.ISO8859_1,
	"iso-8859-2":   charmap.ISO8859_2,
	"iso-8859-7":   charmap.ISO8859_7,
	"iso-8859-9":   charmap.ISO8859_9,
	"iso-8859-15":  charmap.ISO8859_15,
}

// inCharset returns s encoded in the charset cs (utf-8 when cs is not in intlEncodings).
func inCharset(cs, s string) []byte {
	enc, ok := intlEncodings[cs]
	if !ok {
		return []byte(s)
	}
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(cs + ": " + err.Error())
	}
	return b
}

// ew is s as an RFC 2047 encoded word in the charset cs with the B encoding.
func ew(cs, s string) string {
	return "=?" + cs + "?B?" + base64.StdEncoding.EncodeToString(inCharset(cs, s)) + "?="
}

// intlBody is body (lines ending in "\n") in the charset cs, with CRLF line ends, under the
// transfer encoding cte: "base64", "quoted-printable", or as it is for "7bit" and "8bit".
func intlBody(cs, cte, body string) string {
	raw := inCharset(cs, strings.ReplaceAll(body, "\n", "\r\n"))
	switch cte {
	case "base64":
		s := base64.StdEncoding.EncodeToString(raw)
		var b strings.Builder
		for len(s) > 76 {
			b.WriteString(s[:76] + "\r\n")
			s = s[76:]
		}
		return b.String() + s + "\r\n"
	case "quoted-printable":
		var b bytes.Buffer
		w := quotedprintable.NewWriter(&b)
		if _, err := w.Write(raw); err != nil {
			panic(err)
		}
		if err := w.Close(); err != nil {
			panic(err)
		}
		return b.String()
	}
	return string(raw)
}

// intlPart is a MIME part of type ct (text/plain or text/html) whose body is in the charset
// cs under the transfer encoding cte.
func intlPart(ct, cs, cte, body string) string {
	return "Content-Type: " + ct + "; charset=" + cs + "\r\nContent-Transfer-Encoding: " + cte + "\r\n\r\n" + intlBody(cs, cte, body)
}

// intlMail builds a single-part bounce whose From and Subject are given as they stand in the
// header (encoded words built by ew) and whose text body is in the charset cs under cte.
func intlMail(from, subject, cs, cte, body string) string {
	return intlMailType(from, subject, "text/plain", cs, cte, body)
}

// intlMailType is intlMail with a body of type ct (text/plain or text/html).
func intlMailType(from, subject, ct, cs, cte, body string) string {
	return "From: " + from + "\r\nTo: sender@example.net\r\nSubject: " + subject +
		"\r\nDate: Tue, 01 Dec 2026 10:00:00 +0900\r\nMessage-ID: <b3@mx.example.net>\r\n" +
		"MIME-Version: 1.0\r\n" + intlPart(ct, cs, cte, body)
}

// intlReport builds a multipart bounce whose parts are given whole (intlPart for the text
// ones, plain "Content-Type: ...\r\n\r\n..." strings for the others), under the boundary
// "IB" and the top-level type ct (multipart/report or multipart/mixed).
func intlReport(from, subject, ct string, parts ...string) string {
	s := "From: " + from + "\r\nTo: sender@example.net\r\nSubject: " + subject +
		"\r\nDate: Tue, 01 Dec 2026 10:00:00 +0100\r\nMessage-ID: <b4@mx.example.net>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: " + ct + "; boundary=\"IB\"\r\n\r\n"
	for _, p := range parts {
		s += "--IB\r\n" + strings.ReplaceAll(strings.ReplaceAll(p, "\r\n", "\n"), "\n", "\r\n") + "\r\n"
	}
	return s + "--IB--\r\n"
}

// statusPart is a message/delivery-status part of the given fields.
func statusPart(fields string) string { return "Content-Type: message/delivery-status\n\n" + fields }

// intlOpen are the TestIntlLayouts cases that still fail, each with what is wrong: they are
// skipped, not deleted, until a general rule reads them.
var intlOpen = map[string]string{}

// TestIntlLayouts is a held-out round of TestLayouts on whole bounce layouts written in other
// languages and charsets: the localized NDRs of Exchange 2010 and later and of Office 365,
// translations of Postfix's bounce templates, of qmail-send's and Exim's texts, the bounces
// of Japanese carriers and ISPs, Chinese, Korean and Russian webmail, German, French,
// Italian, Spanish, Portuguese, Polish, Czech and Turkish providers, in ISO-2022-JP,
// Shift_JIS, EUC-JP, GBK, GB18030, Big5, EUC-KR, KOI8-R, Windows-1250/1251/1252 and the
// ISO-8859 sets, under base64 and quoted-printable, with RFC 2047 subjects and senders; and
// the delay notices of those templates, which must read delayed, not failed. Every
// recipient the mail names must be found with its action and the codes it writes, and no
// other address (the sender, a help desk, an address offered instead).
func TestIntlLayouts(t *testing.T) {
	tests := []struct {
		name, mail string
		want       []layoutRecip
	}{
		// Exchange 2010 and later, the localized text rendering of the NDR: a heading in the
		// sender's language, the recipients with a localized explanation, and "Diagnostic
		// information for administrators" with "#<reply> ##" lines per recipient.
		{"exchange/german, two recipients, text only", intlMail("Microsoft Outlook <postmaster@example.net>", ew("utf-8", "Unzustellbar: hello"), "utf-8", "quoted-printable", `Die Zustellung an folgende Empfänger oder Gruppen ist fehlgeschlagen:

alice@example.org
Die eingegebene E-Mail-Adresse wurde nicht gefunden. Überprüfen Sie die E-Mail-Adresse des Empfängers, und versuchen Sie erneut, die Nachricht zu senden. Wenn das Problem weiterhin besteht, wenden Sie sich an Ihr Helpdesk.

bob@example.org
Das Postfach des Empfängers ist voll.

Diagnoseinformationen für Administratoren:

Generierender Server: mail.example.net

alice@example.org
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##

bob@example.org
mx.example.org #552 5.2.2 Mailbox full ##

Ursprüngliche Nachrichtenkopfzeilen:

From: Sender <sender@example.net>
To: Alice <alice@example.org>, Bob <bob@example.org>, Dave <dave@example.org>
Subject: hello
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"exchange/spanish, latin-1 quoted-printable", intlMail("Microsoft Outlook <postmaster@example.net>", ew("iso-8859-1", "No se puede entregar: hello"), "iso-8859-1", "quoted-printable", `Error al entregar el mensaje a estos destinatarios o grupos:

alice@example.org
No se encontró la dirección de correo electrónico que especificó. Compruebe la dirección de correo electrónico del destinatario e intente enviar el mensaje de nuevo. Si el problema continúa, póngase en contacto con el departamento de soporte técnico.

Información de diagnóstico para administradores:

Servidor de generación: mail.example.net

alice@example.org
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##

Encabezados originales del mensaje:

From: Sender <sender@example.net>
To: alice@example.org
Subject: hello
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exchange/italian, utf-8 base64, remote reply", intlMail("Microsoft Outlook <postmaster@example.net>", ew("utf-8", "Non recapitabile: hello"), "utf-8", "base64", `Recapito non riuscito per i destinatari o gruppi seguenti:

alice@example.org
L'indirizzo di posta elettronica immesso non è stato trovato. Controllare l'indirizzo di posta elettronica del destinatario e riprovare a inviare il messaggio. Se il problema persiste, contattare il supporto tecnico.

Informazioni di diagnostica per gli amministratori:

Server di generazione: mail.example.net

alice@example.org
mx.example.org #550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown in local recipient table ##

Intestazioni messaggio originale:

From: Sender <sender@example.net>
To: alice@example.org
Subject: hello
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exchange/dutch, two recipients", intlMail("Microsoft Outlook <postmaster@example.net>", "Onbestelbaar: hello", "utf-8", "quoted-printable", `Levering aan de volgende ontvangers of groepen is mislukt:

alice@example.org
Het e-mailadres dat u hebt ingevoerd, is niet gevonden. Controleer het e-mailadres van de ontvanger en probeer het bericht opnieuw te verzenden. Neem contact op met de helpdesk als het probleem zich blijft voordoen.

bob@example.org
Het postvak van de ontvanger is vol.

Diagnostische gegevens voor beheerders:

Genererende server: mail.example.net

alice@example.org
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##

bob@example.org
#550 5.2.2 STOREDRV.Deliver; mailbox full ##
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "550", "5.2.2"}}},
		{"exchange/portuguese, with a status part", intlReport("Microsoft Outlook <postmaster@example.net>", ew("utf-8", "Não é possível entregar: hello"), "multipart/report; report-type=delivery-status", intlPart("text/plain", "utf-8", "quoted-printable", `Falha na entrega para estes destinatários ou grupos:

alice@example.org
O endereço de email inserido não foi encontrado. Verifique o endereço de email do destinatário e tente reenviar a mensagem. Se o problema persistir, entre em contato com o suporte técnico.

Informações de diagnóstico para administradores:

Servidor de geração: mail.example.net

alice@example.org
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
`), statusPart(`Reporting-MTA: dns;mail.example.net
Received-From-MTA: dns;client.example.net
Arrival-Date: Tue, 1 Dec 2026 09:59:58 +0000

Final-Recipient: rfc822;alice@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp;550 5.1.1 RESOLVER.ADR.RecipNotFound; not found
`)), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exchange/polish, iso-8859-2", intlMail("Microsoft Outlook <postmaster@example.net>", ew("iso-8859-2", "Niedostarczalne: hello"), "iso-8859-2", "quoted-printable", `Dostarczenie do następujących adresatów lub grup nie powiodło się:

alice@example.org
Nie znaleziono wprowadzonego adresu e-mail. Sprawdź adres e-mail adresata i spróbuj ponownie wysłać wiadomość. Jeśli problem nadal występuje, skontaktuj się z działem pomocy technicznej.

Informacje diagnostyczne dla administratorów:

Serwer generujący: mail.example.net

alice@example.org
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exchange/russian, windows-1251 base64", intlMail("Microsoft Outlook <postmaster@example.net>", ew("windows-1251", "Не удается доставить: hello"), "windows-1251", "base64", `Не удалось доставить сообщение следующим получателям или группам:

alice@example.org
Введенный адрес электронной почты не найден. Проверьте адрес электронной почты получателя и попробуйте отправить сообщение повторно. Если проблема не исчезнет, обратитесь в службу технической поддержки.

bob@example.org
Почтовый ящик получателя переполнен.

Диагностические сведения для администраторов:

Создающий сервер: mail.example.net

alice@example.org
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##

bob@example.org
mx.example.org #552 5.2.2 Mailbox full ##
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"exchange/japanese, iso-2022-jp", intlMail("Microsoft Outlook <postmaster@example.net>", ew("iso-2022-jp", "配信不能: hello"), "iso-2022-jp", "7bit", `次の受信者またはグループへの配信に失敗しました:

alice@example.org
入力したメール アドレスが見つかりませんでした。受信者のメール アドレスを確認して、メッセージを再送信してください。問題が解決しない場合は、ヘルプデスクに連絡してください。

管理者向けの診断情報:

生成サーバー: mail.example.net

alice@example.org
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exchange/chinese, gb2312 base64", intlMail("Microsoft Outlook <postmaster@example.net>", ew("gb2312", "无法送达: hello"), "gb2312", "base64", `传递到这些收件人或组失败:

alice@example.org
找不到你输入的电子邮件地址。请检查收件人的电子邮件地址，然后尝试重新发送邮件。如果问题仍然存在，请与技术支持部门联系。

管理员的诊断信息:

生成服务器: mail.example.net

alice@example.org
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exchange/french, returned headers name others", intlMail("Microsoft Outlook <postmaster@example.net>", ew("iso-8859-1", "Non remis : hello"), "windows-1252", "quoted-printable", `La remise aux destinataires ou groupes suivants a échoué :

Alice (alice@example.org)
Cette adresse de messagerie est introuvable. Vérifiez l'adresse de messagerie du destinataire, puis renvoyez le message. Si le problème persiste, contactez votre support technique.

Informations de diagnostic pour les administrateurs :

Serveur de génération : mail.example.net

alice@example.org
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##

En-têtes de message d'origine :

Received: from client.example.net (192.0.2.20) by mail.example.net
 (192.0.2.8) with Microsoft SMTP Server id 15.1.2507.6; Tue, 1 Dec 2026
 09:59:58 +0100
From: Expéditeur <sender@example.net>
To: Alice <alice@example.org>, "Bob" <bob@example.org>
CC: carol@example.com
Subject: hello
Message-ID: <orig-3@example.net>
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},

		// Exchange's delay notices in other languages: "Delivery is delayed to these
		// recipients or groups" and "The server will keep trying ...".
		{"exchange/german delay", intlMail("Microsoft Outlook <postmaster@example.net>", ew("utf-8", "Verzögert: hello"), "utf-8", "quoted-printable", `Die Zustellung an folgende Empfänger oder Gruppen wurde verzögert:

alice@example.org

Betreff: hello

Diese Nachricht wurde noch nicht übermittelt. Es wird weiterhin versucht, die Nachricht zu übermitteln.

Der Server wird weiterhin versuchen, diese Nachricht in den nächsten 1 Tagen, 19 Stunden und 52 Minuten zu übermitteln. Sie werden benachrichtigt, wenn die Nachricht bis dahin nicht übermittelt werden kann.

Diagnoseinformationen für Administratoren:

Generierender Server: mail.example.net
Empfänger: alice@example.org
Verzögerung - Dieser Server hat '451 4.7.1 Greylisting in action, please come back later' zurückgegeben
`), []layoutRecip{{"alice@example.org", delayed, "451", "4.7.1"}}},
		{"exchange/french delay without a code", intlMail("Microsoft Outlook <postmaster@example.net>", ew("utf-8", "Retardé : hello"), "utf-8", "quoted-printable", `La remise aux destinataires ou groupes suivants a été différée :

alice@example.org

Objet : hello

Ce message n'a pas encore été remis. La remise va continuer d'être tentée.

Le serveur va continuer à essayer de remettre ce message pendant 1 jours, 19 heures et 52 minutes. Vous serez averti si le message ne peut pas être remis dans ce délai.
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"exchange/spanish delay", intlMail("Microsoft Outlook <postmaster@example.net>", ew("iso-8859-1", "Retrasado: hello"), "iso-8859-1", "quoted-printable", `La entrega a estos destinatarios o grupos se ha retrasado:

alice@example.org

Asunto: hello

Este mensaje todavía no se ha entregado. Se seguirá intentando la entrega.

El servidor seguirá intentando entregar el mensaje durante los próximos 1 días, 19 horas y 52 minutos. Recibirá una notificación si el mensaje no se puede entregar en ese plazo.
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"exchange/japanese delay", intlMail("Microsoft Outlook <postmaster@example.net>", ew("iso-2022-jp", "遅延: hello"), "iso-2022-jp", "7bit", `次の受信者またはグループへの配信が遅延しています:

alice@example.org

件名: hello

このメッセージはまだ配信されていません。配信は引き続き試行されます。

サーバーは今後 1 日 19 時間 52 分間、このメッセージの配信を試行し続けます。その時間内にメッセージを配信できない場合は、通知が届きます。
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},

		// Office 365's newer layout, localized ("Your message to X couldn't be delivered").
		{"office365/german new layout", intlMail("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>", ew("utf-8", "Unzustellbar: hello"), "utf-8", "quoted-printable", `Ihre Nachricht an alice@example.org konnte nicht übermittelt werden.

alice wurde bei example.org nicht gefunden.

Sender                    Aktion erforderlich
                          Empfänger unbekannt

So beheben Sie das Problem

Die von Ihnen gesendete Nachricht wurde nicht übermittelt, weil die E-Mail-Adresse des Empfängers nicht gefunden wurde.

Weitere Informationen für E-Mail-Administratoren
Statuscode: 550 5.1.10

Diese Fehlermeldung wurde von der E-Mail-Organisation des Empfängers generiert.

Nachrichtenhopdetails
Ursprünglicher Absender: sender@example.net
Generierender Server: AM0PR01MB1234.eurprd01.prod.example.net

alice@example.org
Remoteserver hat '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup' zurückgegeben
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.10"}}},
		{"office365/french new layout", intlMail("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>", ew("utf-8", "Non remis : hello"), "utf-8", "base64", `Votre message à alice@example.org n'a pas pu être remis.

alice n'a pas été trouvé sur example.org.

Expéditeur                Action requise
                          Destinataire inconnu

Comment résoudre le problème

Le message que vous avez envoyé n'a pas été remis car l'adresse e-mail du destinataire est introuvable.

Plus d'informations pour les administrateurs de messagerie
Code d'état : 550 5.1.10

Informations sur le serveur de messagerie
Expéditeur d'origine : sender@example.net
Serveur de génération : PR3PR01MB5678.eurprd01.prod.example.net

alice@example.org
Le serveur distant a retourné '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.10"}}},
		{"office365/japanese new layout", intlMail("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>", ew("utf-8", "配信不能: hello"), "utf-8", "base64", `alice@example.org へのメッセージを配信できませんでした。

example.org で alice が見つかりませんでした。

送信者                    必要な対処
                          受信者が不明

問題を解決する方法

受信者のメール アドレスが見つからなかったため、送信したメッセージは配信されませんでした。

メール管理者向けの詳細情報
状態コード: 550 5.1.10

元の送信者: sender@example.net
生成サーバー: TY2PR01MB1234.jpnprd01.prod.example.net

alice@example.org
リモート サーバーから '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup' が返されました
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.10"}}},

		// Translations of Postfix's bounce templates (bounce.cf, bounce_template_file): the
		// introduction and the delay warning in another language, the recipient paragraphs
		// as bounce(8) writes them.
		{"postfix/japanese template, iso-2022-jp", intlMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", ew("iso-2022-jp", "配送不能のメール"), "iso-2022-jp", "7bit", `これは mx.example.net のメールシステムです。

申し訳ありませんが、あなたのメッセージを一人以上の受信者に
配送できませんでした。以下に添付します。

詳細については postmaster にお問い合わせください。

                   メールシステム

<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)

<bob@example.org>: host mx.example.org[192.0.2.1] said: 552 5.2.2
    <bob@example.org>: Mailbox full (in reply to end of DATA command)
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"postfix/italian template", intlMail("MAILER-DAEMON@mx.example.net (Sistema di consegna della posta)", ew("utf-8", "Messaggio non recapitato restituito al mittente"), "utf-8", "8bit", `Questo è il sistema di posta sull'host mx.example.net.

Mi dispiace informarla che il suo messaggio non ha potuto
essere recapitato a uno o più destinatari. È allegato qui sotto.

Per ulteriore assistenza, invii un messaggio a postmaster.

                   Il sistema di posta

<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"postfix/portuguese template", intlMail("MAILER-DAEMON@mx.example.net (Sistema de Entrega de Correio)", ew("iso-8859-1", "Mensagem não entregue devolvida ao remetente"), "iso-8859-1", "quoted-printable", `Este é o sistema de correio no servidor mx.example.net.

Lamento informar que a sua mensagem não pôde ser
entregue a um ou mais destinatários. Ela está anexada abaixo.

                   O sistema de correio

<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)

<bob@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <bob@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "550", "5.1.1"}}},
		{"postfix/dutch template", intlMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", "Onbestelbaar bericht teruggestuurd naar afzender", "utf-8", "8bit", `Dit is het mailsysteem op host mx.example.net.

Het spijt me u te moeten meedelen dat uw bericht niet kon worden
afgeleverd aan een of meer ontvangers. Het is hieronder bijgevoegd.

                   Het mailsysteem

<alice@example.org>: unknown user: "alice"
`), []layoutRecip{{"alice@example.org", failed, "", ""}}},
		{"postfix/polish template, iso-8859-2", intlMail("MAILER-DAEMON@mx.example.net (System Dostarczania Poczty)", ew("iso-8859-2", "Niedostarczona wiadomość zwrócona do nadawcy"), "iso-8859-2", "quoted-printable", `To jest system pocztowy na serwerze mx.example.net.

Z przykrością informuję, że Twoja wiadomość nie mogła zostać
dostarczona do jednego lub więcej odbiorców. Jest załączona poniżej.

                   System pocztowy

<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"postfix/russian template, koi8-r", intlMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", ew("koi8-r", "Недоставленное письмо возвращено отправителю"), "koi8-r", "8bit", `Это почтовая система на узле mx.example.net.

К сожалению, ваше сообщение не может быть доставлено одному
или нескольким получателям. Оно приложено ниже.

                   Почтовая система

<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)

<bob@example.org>: host mx.example.org[192.0.2.1] said: 552 5.2.2
    <bob@example.org>: Mailbox full (in reply to end of DATA command)
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"postfix/japanese delay template", intlMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", ew("iso-2022-jp", "遅延しているメール (再試行中)"), "iso-2022-jp", "7bit", `これは mx.example.net のメールシステムです。

##########################################################################
# これは警告のみです。あなたのメッセージを再送する必要はありません。 #
##########################################################################

あなたのメッセージは 4 時間以上配送できませんでした。
メッセージが 5 日経つまで再試行されます。

                   メールシステム

<alice@example.org>: connect to mx.example.org[192.0.2.1]:25: Connection timed
    out
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"postfix/french delay template", intlMail("MAILER-DAEMON@mx.example.net (Systeme de distribution du courrier)", ew("utf-8", "Courrier retardé (nouvelles tentatives en cours)"), "utf-8", "quoted-printable", `Ceci est le logiciel de courrier sur l'hôte mx.example.net.

####################################################################################
# CECI EST UN SIMPLE AVERTISSEMENT. VOUS N'AVEZ PAS BESOIN DE RENVOYER VOTRE MESSAGE. #
####################################################################################

Votre message n'a pas pu être distribué depuis plus de 4 heure(s).
De nouvelles tentatives auront lieu jusqu'à ce qu'il ait 5 jour(s).

                   Le logiciel de courrier

<alice@example.org>: host mx.example.org[192.0.2.1] refused to talk to me: 421
    4.7.0 mx.example.org Service unavailable, try again later
`), []layoutRecip{{"alice@example.org", delayed, "421", "4.7.0"}}},
		{"postfix/spanish delay template", intlMail("MAILER-DAEMON@mx.example.net (Sistema de entrega de correo)", ew("utf-8", "Correo retrasado (todavía se está reintentando)"), "utf-8", "8bit", `Este es el sistema de correo del servidor mx.example.net.

#################################################################
# ESTO ES SOLO UNA ADVERTENCIA. NO NECESITA REENVIAR SU MENSAJE. #
#################################################################

Su mensaje no ha podido ser entregado durante más de 4 hora(s).
Se seguirá reintentando hasta que tenga 5 día(s) de antigüedad.

                   El sistema de correo

<alice@example.org>: connect to mx.example.org[192.0.2.1]:25: Connection
    refused
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"postfix/russian delay template, koi8-r", intlMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", ew("koi8-r", "Задержанное письмо (повторные попытки продолжаются)"), "koi8-r", "base64", `Это почтовая система на узле mx.example.net.

##########################################################################
# ЭТО ТОЛЬКО ПРЕДУПРЕЖДЕНИЕ. ВАМ НЕ НУЖНО ПОВТОРНО ОТПРАВЛЯТЬ СООБЩЕНИЕ. #
##########################################################################

Ваше сообщение не удалось доставить в течение более 4 час(ов).
Попытки доставки будут продолжаться, пока ему не исполнится 5 дн.

                   Почтовая система

<alice@example.org>: host mx.example.org[192.0.2.1] said: 452 4.2.2
    <alice@example.org>: Mailbox full (in reply to RCPT TO command)
`), []layoutRecip{{"alice@example.org", delayed, "452", "4.2.2"}}},
		{"postfix/german delay template, text only", intlMail("MAILER-DAEMON@mx.example.net (Mail Delivery System)", ew("utf-8", "Verzögerte Nachricht (wird erneut versucht)"), "utf-8", "quoted-printable", `Dies ist das Mailsystem auf dem Rechner mx.example.net.

#################################################################################
# DIES IST NUR EINE WARNUNG. SIE MÜSSEN IHRE NACHRICHT NICHT ERNEUT SENDEN. #
#################################################################################

Ihre Nachricht konnte seit mehr als 4 Stunde(n) nicht zugestellt werden.
Es wird weiter versucht, bis sie 5 Tag(e) alt ist.

                   Das Mailsystem

<alice@example.org>: connect to mx.example.org[192.0.2.1]:25: Connection timed
    out
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},

		// qmail-send's bounce in translation, and the local messages of qmail-ldap and
		// vpopmail under it.
		{"qmail/german translation", intlMail("MAILER-DAEMON@mx.example.net", "failure notice", "iso-8859-1", "8bit", `Hallo. Hier ist das qmail-send Programm auf mx.example.net.
Leider konnte ich Ihre Nachricht nicht an die folgenden Adressen zustellen.
Dies ist ein permanenter Fehler; ich habe aufgegeben. Tut mir leid.

<alice@example.org>:
192.0.2.1 does not like recipient.
Remote host said: 550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown
Giving up on 192.0.2.1.

<bob@example.net>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Nachfolgend eine Kopie der Nachricht.

Return-Path: <sender@example.net>
From: sender@example.net
To: alice@example.org, bob@example.net, carol@example.com
Subject: hello
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.net", failed, "", "5.1.1"}}},
		{"qmail/french translation", intlMail("MAILER-DAEMON@mx.example.net", "failure notice", "iso-8859-15", "quoted-printable", `Bonjour. Ceci est le programme qmail-send de mx.example.net.
Je n'ai malheureusement pas pu délivrer votre message aux adresses suivantes.
C'est une erreur permanente; j'abandonne. Désolé que cela n'ait pas marché.

<alice@example.org>:
192.0.2.1 does not like recipient.
Remote host said: 550 5.1.1 User unknown
Giving up on 192.0.2.1.

--- Ci-dessous se trouve une copie du message.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"qmail/qmail-ldap local messages", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<alice@example.org>:
The users mailfolder is over the allowed quota (size). (#5.2.2)

<bob@example.org>:
Mailaddress is administrativly disabled. (#5.2.1)

<carol@example.org>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Below this line is a copy of the message.
`), []layoutRecip{{"alice@example.org", failed, "", "5.2.2"}, {"bob@example.org", failed, "", "5.2.1"}, {"carol@example.org", failed, "", "5.1.1"}}},
		{"qmail/vpopmail over quota and no mailbox", bounceMail("MAILER-DAEMON@mx.example.net", "failure notice", qmailIntro+`<alice@example.org>:
user is over quota

<bob@example.org>:
Sorry, no mailbox here by that name. vpopmail (#5.1.1)

--- Below this line is a copy of the message.
`), []layoutRecip{{"alice@example.org", failed, "", ""}, {"bob@example.org", failed, "", "5.1.1"}}},

		// Japanese carriers and ISPs: their own Japanese texts in ISO-2022-JP, Shift_JIS,
		// EUC-JP or UTF-8, with encoded-word subjects.
		{"docomo/japanese notice, iso-2022-jp", intlMail(ew("iso-2022-jp", "メール配信システム")+" <MAILER-DAEMON@mx.example.net>", ew("iso-2022-jp", "メール配信エラー"), "iso-2022-jp", "7bit", `以下のアドレスへのメール送信に失敗しました。

宛先: alice@example.org
理由: 宛先のメールアドレスが存在しません。
550 5.1.1 <alice@example.org>... User unknown

送信元: sender@example.net
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"au/japanese notice, shift_jis base64, two recipients", intlMail("MAILER-DAEMON@mx.example.net", ew("shift_jis", "送信エラー"), "shift_jis", "base64", `お客様が送信されたメールは、以下の宛先に配信できませんでした。

■宛先
alice@example.org
■エラー内容
550 5.1.1 <alice@example.org>: User unknown

■宛先
bob@example.org
■エラー内容
552 5.2.2 <bob@example.org>: Mailbox full

このメールは送信専用です。
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"softbank/japanese notice, utf-8 quoted-printable", intlMail(ew("utf-8", "メールデリバリー")+" <MAILER-DAEMON@mx.example.net>", ew("utf-8", "返送されたメール: 配信できませんでした"), "utf-8", "quoted-printable", `このメールはシステムから自動的に送信されています。

送信されたメッセージは次の宛先に配信できませんでした。

  alice@example.org
    宛先アドレスが見つかりません (550 5.1.1 unknown user)

この宛先をご確認のうえ、再度送信してください。
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"biglobe/japanese notice, mailbox full", intlMail("postmaster@mx.example.net", ew("iso-2022-jp", "メール配信失敗のお知らせ"), "iso-2022-jp", "7bit", `送信されたメールは以下の宛先に配信できませんでした。

   ----- 配信できなかった宛先 -----
alice@example.org

   ----- 配信できなかった理由 -----
受信者のメールボックスの容量がいっぱいです。
552 5.2.2 Mailbox full
`), []layoutRecip{{"alice@example.org", failed, "552", "5.2.2"}}},
		{"ocn/japanese notice, euc-jp", intlMail("MAILER-DAEMON@mx.example.net", ew("iso-2022-jp", "配送エラー"), "euc-jp", "8bit", `このメールはメールサーバが自動的に送信しています。

あなたが送信したメールは、以下の宛先に配送できませんでした。

宛先: <alice@example.org>
原因: 相手先メールサーバからの応答
      550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"nifty/japanese and english notice", intlMail(ew("iso-2022-jp", "メール配送システム")+" <MAILER-DAEMON@mx.example.net>", "Undelivered Mail", "iso-2022-jp", "7bit", `このメールは @nifty のメールサーバーから自動送信されています。
送信されたメールは、次のアドレスに配送できませんでした。

This message was created automatically by the mail system.
The mail you sent could not be delivered to the following address.

<alice@example.org>:
  550 5.1.1 User unknown
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"japan/delay notice, iso-2022-jp", intlMail("MAILER-DAEMON@mx.example.net", ew("iso-2022-jp", "配送遅延のお知らせ"), "iso-2022-jp", "7bit", `このメールは警告です。メールを再送する必要はありません。

送信されたメールは、以下の宛先にまだ配送されていません。
配送は引き続き試行されます。

宛先: alice@example.org
理由: 451 4.3.0 Temporary failure, try again later
`), []layoutRecip{{"alice@example.org", delayed, "451", "4.3.0"}}},

		// Chinese webmail: Coremail (NetEase), Tencent, and Big5 in Taiwan.
		{"coremail/netease html only, gbk", intlMailType("postmaster@163.example.net", ew("gb2312", "系统退信"), "text/html", "gbk", "base64", `<html><body>
<p>抱歉，您的邮件被退回来了……</p>
<table>
<tr><td>原邮件信息：</td></tr>
<tr><td>时　间：2026-12-01 17:59:58</td></tr>
<tr><td>主　题：hello</td></tr>
<tr><td>收件人：alice@example.org</td></tr>
<tr><td>退信原因：对方邮箱不存在</td></tr>
<tr><td>建议解决方案：请检查收件人地址是否正确。</td></tr>
<tr><td>错误代码：550 User not found: alice@example.org</td></tr>
</table>
<p>本邮件为系统自动退回，请勿回复。</p>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", ""}}},
		{"coremail/bilingual text, two recipients", intlMail("postmaster@mx.example.net", ew("gb2312", "系统退信")+" / Delivery Status Notification", "gb2312", "base64", `此邮件为系统自动发送的投递状态通知。
This is an automatically generated Delivery Status Notification.

以下收件人投递失败 / Delivery to the following recipients failed permanently:

    alice@example.org
    bob@example.org

技术细节 / Technical details of permanent failure:
alice@example.org: 550 5.1.1 Mailbox not found
bob@example.org: 552 5.2.2 Mailbox is full
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"tencent/html, gb18030", intlMailType(ew("gb18030", "系统退信")+" <postmaster@qq.example.net>", ew("gb18030", "退信"), "text/html", "gb18030", "base64", `<html><body>
<div>很抱歉您发送的邮件被退回，以下是该邮件的相关信息：</div>
<div>被退回的邮件：</div>
<div>主题：hello</div>
<div>时间：2026年12月1日 17:59</div>
<div>收件人地址：alice@example.org</div>
<div>退信原因：</div>
<div>无法发送到 alice@example.org<br>收件人邮箱地址不存在。Remote server replied: 550 5.1.1 Mailbox not found</div>
</body></html>`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"coremail/delay notice, gb2312", intlMail("postmaster@mx.example.net", ew("gb2312", "邮件延迟投递通知"), "gb2312", "base64", `您发送的邮件暂时未能投递到以下收件人，系统将继续尝试投递，无需重新发送。

收件人：alice@example.org
原因：451 4.7.1 Greylisted, please try again later
`), []layoutRecip{{"alice@example.org", delayed, "451", "4.7.1"}}},
		{"hinet/big5 notice", intlMail("MAILER-DAEMON@mx.example.net", ew("big5", "退信通知"), "big5", "base64", `您的郵件無法送達下列收件人：

收件人：alice@example.org
原因：550 5.1.1 <alice@example.org>: User unknown
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},

		// Korean webmail in EUC-KR.
		{"naver/euc-kr notice", intlMail("MAILER-DAEMON@mx.example.net", ew("euc-kr", "메일 발송 실패 안내"), "euc-kr", "base64", `보내신 메일이 다음 수신자에게 전달되지 못했습니다.

받는 사람: alice@example.org
실패 사유: 550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown

이 메일은 발신 전용입니다.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"daum/euc-kr notice, two recipients", intlMail(ew("euc-kr", "메일 관리자")+" <postmaster@mx.example.net>", ew("euc-kr", "메일이 반송되었습니다"), "euc-kr", "8bit", `메일 전송에 실패하였습니다.

수신자 주소: alice@example.org
오류 내용: 550 5.1.1 존재하지 않는 사용자입니다

수신자 주소: bob@example.org
오류 내용: 552 5.2.2 수신자의 메일함 용량이 초과되었습니다
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"korea/delay notice, euc-kr", intlMail("MAILER-DAEMON@mx.example.net", ew("euc-kr", "메일 전송 지연 안내"), "euc-kr", "base64", `보내신 메일이 아직 전달되지 않았습니다. 시스템이 계속 재전송을 시도합니다.
메일을 다시 보내실 필요는 없습니다.

받는 사람: alice@example.org
지연 사유: 421 4.4.2 Connection timed out
`), []layoutRecip{{"alice@example.org", delayed, "421", "4.4.2"}}},

		// Russian providers: Yandex and Mail.ru in Russian, Rambler's translated Exim text,
		// and a translated Exim delay warning.
		{"yandex/russian notice", intlMail("mailer-daemon@mx.example.net", ew("utf-8", "Недоставленное сообщение"), "utf-8", "base64", `Здравствуйте!

Это сообщение отправлено автоматически почтовым сервером.
К сожалению, мы не смогли доставить ваше письмо по следующему адресу:

<alice@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <alice@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)

Пожалуйста, проверьте правильность адреса получателя.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"mailru/russian delay", intlMail("Mail Delivery System <mailer-daemon@mx.example.net>", ew("utf-8", "Письмо пока не доставлено"), "utf-8", "quoted-printable", `Это письмо создано автоматически сервером, отвечать на него не нужно.

Ваше письмо пока не доставлено одному или нескольким получателям.
Мы продолжим попытки доставки, повторно отправлять письмо не нужно.

  alice@example.org
    SMTP error from remote mail server after RCPT TO:<alice@example.org>:
    host mx.example.org [192.0.2.1]: 451 4.7.1 Greylisted, try again later
`), []layoutRecip{{"alice@example.org", delayed, "451", "4.7.1"}}},
		{"rambler/exim translated, koi8-r", intlMail(ew("koi8-r", "Система доставки почты")+" <Mailer-Daemon@mx.example.net>", ew("koi8-r", "Ошибка доставки почты: письмо возвращено отправителю"), "koi8-r", "8bit", `Это сообщение было создано автоматически программой доставки почты.

Ваше письмо не может быть доставлено одному или нескольким
получателям. Это постоянная ошибка. Не удалось доставить по адресам:

  alice@example.org
    SMTP error from remote mail server after RCPT TO:<alice@example.org>:
    550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown

  bob@example.org
    SMTP error from remote mail server after RCPT TO:<bob@example.org>:
    552 5.2.2 <bob@example.org>: Mailbox full
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"exim/russian delay warning, windows-1251", intlMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", ew("windows-1251", "Предупреждение: письмо ещё не доставлено"), "windows-1251", "base64", `Это сообщение было создано автоматически программой доставки почты.
Отправленное вами письмо не доставлено одному или нескольким
получателям после более чем 24 часов в очереди на mx.example.net.

Адрес, по которому письмо ещё не доставлено:

  alice@example.org
    Delay reason: SMTP error from remote mail server after RCPT TO:<alice@example.org>:
    452 4.2.2 Mailbox full

От вас не требуется никаких действий. Попытки доставки будут
продолжаться ещё некоторое время.
`), []layoutRecip{{"alice@example.org", delayed, "452", "4.2.2"}}},

		// German providers: T-Online's and 1&1's own texts, a translated Exim warning.
		{"t-online/failed addresses follow", intlMail("Mail Delivery System <MAILER-DAEMON@mailout.example.net>", "Mail delivery failed: returning message to sender", "iso-8859-1", "8bit", `|------------------------- Failed addresses follow: ---------------------|
 <alice@example.org> ... unknown user / Benutzer unbekannt
 <bob@example.org> ... Mailbox voll / mailbox full
|------------------------- Message text follows: ------------------------|
From: Sender <sender@example.net>
To: alice@example.org, bob@example.org, carol@example.com
Subject: hello
`), []layoutRecip{{"alice@example.org", failed, "", ""}, {"bob@example.org", failed, "", ""}}},
		{"1und1/german notice", intlMail("Mail Delivery System <mailer-daemon@mx.example.net>", ew("utf-8", "Unzustellbare Nachricht: zurück an den Absender"), "utf-8", "quoted-printable", `Diese Nachricht wurde automatisch vom E-Mail-System erstellt.

Eine von Ihnen gesendete Nachricht konnte an einen oder mehrere
Empfänger nicht zugestellt werden. Dies ist ein dauerhafter Fehler.
Die folgenden Adressen sind betroffen:

alice@example.org:
SMTP-Fehler vom Zielserver nach RCPT TO:<alice@example.org>:
host mx.example.org [192.0.2.1]: 550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown

--- Der Kopfteil der ursprünglichen Nachricht folgt. ---

From: Sender <sender@example.net>
To: alice@example.org
Cc: bob@example.org
Subject: hello
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exim/german delay warning", intlMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", ew("utf-8", "Warnung: Nachricht noch nicht zugestellt"), "utf-8", "quoted-printable", `Diese Nachricht wurde automatisch von der Mail-Software erstellt.
Eine von Ihnen gesendete Nachricht wurde nach mehr als 24 Stunden
in der Warteschlange auf mx.example.net noch nicht an einen oder
mehrere Empfänger zugestellt.

Die Adresse, an die die Nachricht noch nicht zugestellt wurde:

  alice@example.org
    Grund der Verzögerung: SMTP error from remote mail server after RCPT TO:<alice@example.org>:
    451 4.7.1 Greylisted, please try again later

Sie müssen nichts unternehmen. Die Zustellversuche werden noch einige
Zeit fortgesetzt.
`), []layoutRecip{{"alice@example.org", delayed, "451", "4.7.1"}}},
		{"gmx/german delay without a code", intlMail("Mail Delivery System <mailer-daemon@mx.example.net>", ew("utf-8", "Verzögerte Zustellung"), "utf-8", "8bit", `Hallo,

Ihre Nachricht an alice@example.org konnte bisher nicht zugestellt werden.
Der Empfangsserver ist derzeit nicht erreichbar. Wir versuchen es
automatisch weiter und benachrichtigen Sie, falls die Zustellung endgültig
scheitert. Sie müssen die Nachricht nicht erneut senden.
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},

		// French providers.
		{"free/french notice, latin-1 quoted-printable", intlMail("MAILER-DAEMON@mx.example.net (Systeme de messagerie)", ew("iso-8859-1", "Échec de la remise du message"), "iso-8859-1", "quoted-printable", `Ce message a été généré automatiquement par le serveur de messagerie.

Votre message n'a pas pu être remis aux destinataires suivants :

<alice@example.org> : le serveur distant a répondu :
550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown

Ceci est une erreur permanente. Votre message ne sera pas renvoyé.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"orange/french notice, user moved, new address offered", intlMail("Mail Delivery System <MAILER-DAEMON@mx.example.net>", ew("utf-8", "Message non remis"), "utf-8", "quoted-printable", `Votre message n'a pas pu être distribué au destinataire suivant :

   alice@example.org
   550 5.1.6 Recipient has moved

Ce destinataire n'utilise plus cette adresse. Sa nouvelle adresse est : alice.martin@example.com
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.6"}}},
		{"sfr/french delay", intlMail("Mail Delivery System <MAILER-DAEMON@mx.example.net>", ew("utf-8", "Avertissement : message retardé"), "utf-8", "quoted-printable", `Ceci est un avertissement. Vous n'avez pas besoin de renvoyer votre message.

Votre message à destination de alice@example.org n'a pas encore pu être
distribué. Nous continuerons d'essayer de le distribuer pendant 5 jours.

Raison : 451 4.4.1 Connection timed out
`), []layoutRecip{{"alice@example.org", delayed, "451", "4.4.1"}}},

		// Italian providers.
		{"libero/italian notice, two recipients", intlMail("MAILER-DAEMON@mx.example.net", ew("utf-8", "Messaggio non consegnato"), "utf-8", "quoted-printable", `Il messaggio non è stato consegnato ai seguenti destinatari:

alice@example.org
  Errore: 550 5.1.1 <alice@example.org>: utente sconosciuto

bob@example.org
  Errore: 552 5.2.2 <bob@example.org>: casella piena

Questo è un messaggio generato automaticamente, non rispondere.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"aruba/exim italian", intlMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Mail delivery failed: returning message to sender", "iso-8859-15", "quoted-printable", `Questo messaggio è stato creato automaticamente dal software di consegna della posta.

Un messaggio che hai inviato non può essere consegnato a uno o più
destinatari. Questo è un errore permanente. I seguenti indirizzi hanno fallito:

  alice@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after RCPT TO:<alice@example.org>:
    550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exim/italian delay warning", intlMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", "Avviso: messaggio 1sAbCd-000123-Xy in ritardo di 24 ore", "utf-8", "8bit", `Questo messaggio è stato creato automaticamente dal software di consegna della posta.
Un messaggio che hai inviato non è ancora stato consegnato a uno o più
destinatari dopo più di 24 ore in coda su mx.example.net.

L'indirizzo a cui il messaggio non è ancora stato consegnato è:

  alice@example.org

Non è richiesta alcuna azione da parte tua. I tentativi di consegna
continueranno per qualche tempo.
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},

		// Spanish and Portuguese providers.
		{"movistar/spanish notice", intlMail("Sistema de entrega de correo <MAILER-DAEMON@mx.example.net>", ew("iso-8859-1", "Notificación de estado de entrega: no entregado"), "iso-8859-1", "quoted-printable", `No se ha podido entregar el mensaje a los siguientes destinatarios:

Destinatario: alice@example.org
Motivo: 550 5.1.1 <alice@example.org>: el buzón no existe

Destinatario: bob@example.org
Motivo: 550 5.1.1 <bob@example.org>: el buzón no existe

Este es un error permanente. Para cualquier consulta escriba a soporte@example.net
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "550", "5.1.1"}}},
		{"spain/spanish delay", intlMail("MAILER-DAEMON@mx.example.net", ew("utf-8", "Aviso: correo retrasado"), "utf-8", "quoted-printable", `ESTO ES SOLO UN AVISO. NO ES NECESARIO QUE REENVÍE SU MENSAJE.

Su mensaje para alice@example.org todavía no ha podido ser entregado.
Seguiremos intentándolo durante los próximos 5 días.

Motivo: 452 4.2.2 Mailbox full
`), []layoutRecip{{"alice@example.org", delayed, "452", "4.2.2"}}},
		{"uol/portuguese notice", intlMail("MAILER-DAEMON@mx.example.net", ew("iso-8859-1", "Mensagem não entregue"), "iso-8859-1", "base64", `A mensagem não pôde ser entregue aos seguintes destinatários:

<alice@example.org>: O servidor de destino respondeu:
550 5.1.1 <alice@example.org>: conta de e-mail inexistente

Este é um erro permanente.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"sapo/portuguese delay", intlMail("MAILER-DAEMON@mx.example.net", ew("utf-8", "Aviso: entrega adiada"), "utf-8", "quoted-printable", `A entrega da sua mensagem para alice@example.org foi adiada.
Continuaremos a tentar entregá-la durante os próximos 4 dias.
Não é necessário reenviar a mensagem.

Motivo: 421 4.4.2 Connection timed out
`), []layoutRecip{{"alice@example.org", delayed, "421", "4.4.2"}}},

		// Polish, Czech and Turkish providers.
		{"wp/polish notice, iso-8859-2", intlMail("MAILER-DAEMON@mx.example.net", ew("iso-8859-2", "Wiadomość niedostarczona"), "iso-8859-2", "quoted-printable", `Niestety, Twoja wiadomość nie mogła zostać dostarczona do jednego lub więcej odbiorców.

Adresat: alice@example.org
Powód: 550 5.1.1 <alice@example.org>: skrzynka nie istnieje

Jest to błąd trwały.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"onet/polish notice, windows-1250, two recipients", intlMail(ew("windows-1250", "System pocztowy")+" <MAILER-DAEMON@mx.example.net>", ew("windows-1250", "Zwrot wiadomości"), "windows-1250", "base64", `Ta wiadomość została wygenerowana automatycznie.

Wiadomość nie została dostarczona do następujących adresatów:

<alice@example.org>: 550 5.1.1 Użytkownik nie istnieje
<bob@example.org>: 552 5.2.2 Skrzynka odbiorcy jest pełna
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"interia/polish delay", intlMail("MAILER-DAEMON@mx.example.net", ew("utf-8", "Opóźnienie w dostarczeniu wiadomości"), "utf-8", "quoted-printable", `To jest tylko ostrzeżenie. Nie musisz ponownie wysyłać wiadomości.

Twoja wiadomość do alice@example.org nie została jeszcze dostarczona.
Próby doręczenia będą kontynuowane przez 5 dni.

Powód: 451 4.7.1 Greylisted
`), []layoutRecip{{"alice@example.org", delayed, "451", "4.7.1"}}},
		{"seznam/czech notice, iso-8859-2", intlMail("Mail Delivery System <MAILER-DAEMON@mx.example.net>", ew("iso-8859-2", "Nedoručitelná zpráva"), "iso-8859-2", "quoted-printable", `Toto je automaticky generovaná zpráva o nedoručení.

Vaši zprávu se nepodařilo doručit následujícím příjemcům:

<alice@example.org>: Vzdálený server odpověděl: 550 5.1.1 Uživatel neexistuje

Jedná se o trvalou chybu.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"czech/delay notice", intlMail("Mail Delivery System <MAILER-DAEMON@mx.example.net>", ew("utf-8", "Zpožděné doručení zprávy"), "utf-8", "quoted-printable", `Toto je pouze upozornění. Zprávu nemusíte odesílat znovu.

Vaši zprávu pro alice@example.org se zatím nepodařilo doručit.
Pokusy o doručení budou pokračovat ještě 5 dní.
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"turkey/turkish notice, iso-8859-9", intlMail("MAILER-DAEMON@mx.example.net", ew("iso-8859-9", "İletilemeyen ileti"), "iso-8859-9", "quoted-printable", `Bu ileti otomatik olarak oluşturulmuştur.

Gönderdiğiniz ileti aşağıdaki alıcılara teslim edilemedi:

  alice@example.org
    Uzak sunucu yanıtı: 550 5.1.1 <alice@example.org>: Kullanıcı bulunamadı

Bu kalıcı bir hatadır.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"turkey/turkish delay, dotted capital I", intlMail("MAILER-DAEMON@mx.example.net", ew("utf-8", "UYARI: İLETİ GECİKTİ"), "utf-8", "quoted-printable", `BU YALNIZCA BİR UYARIDIR. İLETİNİZİ YENİDEN GÖNDERMENİZE GEREK YOKTUR.

alice@example.org adresine gönderdiğiniz ileti henüz teslim edilemedi.
Teslim denemeleri 5 gün boyunca sürecektir.

Neden: 451 4.4.1 Bağlantı zaman aşımına uğradı
`), []layoutRecip{{"alice@example.org", delayed, "451", "4.4.1"}}},

		// Addresses that are not failed recipients, in other languages: the sender named in
		// the notice, a help desk, an address offered instead, the returned headers.
		{"generic/german notice names the sender and a help desk", intlMail("Mail Delivery System <postmaster@mx.example.net>", ew("utf-8", "Unzustellbar: hello"), "utf-8", "quoted-printable", `Ihre Nachricht konnte nicht zugestellt werden.

Absender: sender@example.net
Empfänger: alice@example.org
Grund: 550 5.1.1 Benutzer unbekannt

Bei Fragen wenden Sie sich bitte an hilfe@example.net.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/spanish new address offered", intlMail("Mail Delivery System <postmaster@mx.example.net>", ew("utf-8", "Correo no entregado"), "utf-8", "8bit", `Su mensaje no pudo ser entregado al siguiente destinatario:

   alice@example.org
   550 5.1.6 El destinatario ya no está en esta organización

Por favor, escriba a su nueva dirección: alice.garcia@example.com
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.6"}}},
		{"generic/japanese notice with the returned message's headers", intlReport(ew("iso-2022-jp", "メール配信システム")+" <MAILER-DAEMON@mx.example.net>", ew("iso-2022-jp", "配信できなかったメール"), "multipart/mixed", intlPart("text/plain", "iso-2022-jp", "7bit", `以下のアドレスへ配信できませんでした。

alice@example.org
  550 5.1.1 User unknown

元のメッセージを添付します。
`), "Content-Type: message/rfc822\n\n"+returnedHeaders+"\nhello\n"), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"generic/russian notice asks to contact the administrator", intlMail("MAILER-DAEMON@mx.example.net", ew("koi8-r", "Письмо не доставлено"), "koi8-r", "quoted-printable", `Ваше письмо не может быть доставлено следующему получателю:

  alice@example.org: 550 5.1.1 Нет такого пользователя

Если у вас есть вопросы, напишите администратору: admin@example.net
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},

		// A second batch, written before the rules above were run on it: Exchange 2000/2003
		// text NDRs and Domino in other languages, Exim translated, Exchange delay notices
		// in more languages, and languages the first batch left out.
		{"exchange2003/french text", intlMail("Administrateur système <postmaster@example.net>", ew("iso-8859-1", "Non remis : hello"), "iso-8859-1", "quoted-printable", `Votre message n'a pas atteint certains ou la totalité de ses destinataires.

      Objet :	hello
      Envoyé :	01/12/2026 09:59

Impossible de joindre le(s) destinataire(s) suivant(s) :

      alice@example.org le 01/12/2026 10:00
            Le compte de messagerie n'existe pas dans l'organisation à laquelle ce message a été envoyé.
            <mail.example.net #5.1.1 smtp;550 5.1.1 User unknown>
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exchange2003/spanish text, two recipients", intlMail("Administrador del sistema <postmaster@example.net>", ew("iso-8859-1", "No se puede entregar: hello"), "iso-8859-1", "8bit", `Su mensaje no llegó a algunos o a ninguno de sus destinatarios.

      Asunto:	hello
      Enviado:	01/12/2026 9:59

No se pudo llegar a los siguientes destinatarios:

      alice@example.org el 01/12/2026 10:00
            La cuenta de correo electrónico no existe en la organización a la que se envió el mensaje.
            <mail.example.net #5.1.1 smtp;550 5.1.1 User unknown>

      bob@example.org el 01/12/2026 10:00
            El buzón del destinatario está lleno.
            <mail.example.net #5.2.2 smtp;552 5.2.2 Mailbox full>
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.2.2"}}},
		{"exchange2003/japanese text, shift_jis", intlMail(ew("shift_jis", "システム管理者")+" <postmaster@example.net>", ew("iso-2022-jp", "配信不能: hello"), "shift_jis", "8bit", `メッセージは一部またはすべての受信者に届きませんでした。

      件名:	hello
      送信日時:	2026/12/01 9:59

次の受信者に届きませんでした:

      alice@example.org (2026/12/01 10:00)
            このメッセージの送信先の組織には電子メール アカウントが存在しません。
            <mail.example.net #5.1.1 smtp;550 5.1.1 User unknown>
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"domino/french template", intlMail("Mail Router <MAILER-DAEMON@domino.example.net>", ew("iso-8859-1", "Echec de la distribution : hello"), "iso-8859-1", "quoted-printable", `Votre message

  Objet : hello

n'a pas été remis à :

  alice@example.org

parce que :

  Utilisateur alice (alice@example.org) non répertorié dans l'annuaire Domino
`), []layoutRecip{{"alice@example.org", failed, "", ""}}},
		{"exim/spanish translation", intlMail("Mail Delivery System <Mailer-Daemon@mx.example.net>", ew("utf-8", "Falló la entrega del correo: devolviendo el mensaje al remitente"), "utf-8", "quoted-printable", `Este mensaje fue creado automáticamente por el software de entrega de correo.

No se pudo entregar un mensaje que usted envió a uno o más de sus
destinatarios. Este es un error permanente. Las siguientes direcciones fallaron:

  alice@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after RCPT TO:<alice@example.org>:
    550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown

  bob@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after end of data:
    552 5.3.4 Message size exceeds fixed limit
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}, {"bob@example.org", failed, "552", "5.3.4"}}},
		{"exchange/italian delay", intlMail("Microsoft Outlook <postmaster@example.net>", ew("utf-8", "Ritardato: hello"), "utf-8", "quoted-printable", `Il recapito ai destinatari o gruppi seguenti è stato ritardato:

alice@example.org

Oggetto: hello

Questo messaggio non è stato ancora recapitato. Verranno eseguiti altri tentativi di recapito.

Il server continuerà a tentare di recapitare il messaggio per 1 giorni, 19 ore e 52 minuti. Se non sarà possibile recapitare il messaggio entro tale periodo, si riceverà una notifica.
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"exchange/portuguese delay", intlMail("Microsoft Outlook <postmaster@example.net>", ew("utf-8", "Atrasada: hello"), "utf-8", "base64", `A entrega para estes destinatários ou grupos está atrasada:

alice@example.org

Assunto: hello

Esta mensagem ainda não foi entregue. A entrega continuará sendo tentada.

O servidor continuará tentando entregar esta mensagem pelos próximos 1 dias, 19 horas e 52 minutos. Você será notificado se a mensagem não puder ser entregue até lá.
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"exchange/dutch delay", intlMail("Microsoft Outlook <postmaster@example.net>", "Vertraagd: hello", "utf-8", "8bit", `Bezorging aan deze ontvangers of groepen is vertraagd:

alice@example.org

Onderwerp: hello

Dit bericht is nog niet bezorgd. Er wordt nog steeds geprobeerd het bericht te bezorgen.

De server blijft de komende 1 dagen, 19 uur en 52 minuten proberen dit bericht te bezorgen. U ontvangt een melding als het bericht niet binnen die tijd kan worden bezorgd.
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"exchange/polish delay", intlMail("Microsoft Outlook <postmaster@example.net>", ew("iso-8859-2", "Opóźnione: hello"), "iso-8859-2", "quoted-printable", `Dostarczanie do tych adresatów lub grup jest opóźnione:

alice@example.org

Temat: hello

Ta wiadomość nie została jeszcze dostarczona. Nadal będą podejmowane próby jej dostarczenia.
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"exchange/russian delay", intlMail("Microsoft Outlook <postmaster@example.net>", ew("utf-8", "Задержано: hello"), "utf-8", "base64", `Доставка следующим получателям или группам задерживается:

alice@example.org

Тема: hello

Это сообщение ещё не доставлено. Попытки доставки будут продолжены.
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"exchange/chinese delay", intlMail("Microsoft Outlook <postmaster@example.net>", ew("gb2312", "延迟: hello"), "gb2312", "base64", `传递到这些收件人或组的邮件被延迟:

alice@example.org

主题: hello

此邮件尚未送达。将继续尝试传递。
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"exchange/korean, euc-kr", intlMail("Microsoft Outlook <postmaster@example.net>", ew("euc-kr", "배달 못 함: hello"), "euc-kr", "base64", `다음 받는 사람 또는 그룹에 배달하지 못했습니다.

alice@example.org
입력한 전자 메일 주소를 찾을 수 없습니다. 받는 사람의 전자 메일 주소를 확인하고 메시지를 다시 보내세요.

관리자용 진단 정보:

생성 서버: mail.example.net

alice@example.org
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"exchange/swedish delay", intlMail("Microsoft Outlook <postmaster@example.net>", ew("iso-8859-1", "Försenat: hello"), "iso-8859-1", "quoted-printable", `Leveransen till de här mottagarna eller grupperna har fördröjts:

alice@example.org

Ämne: hello

Meddelandet har inte levererats ännu. Leveransförsöken fortsätter.
`), []layoutRecip{{"alice@example.org", delayed, "", ""}}},
		{"provider/swedish notice", intlMail("MAILER-DAEMON@mx.example.net", ew("iso-8859-1", "Meddelandet kunde inte levereras"), "iso-8859-1", "quoted-printable", `Ditt meddelande kunde inte levereras till följande mottagare:

  alice@example.org
    550 5.1.1 Användaren finns inte

Detta är ett permanent fel.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"provider/greek notice, iso-8859-7", intlMail("MAILER-DAEMON@mx.example.net", ew("iso-8859-7", "Αδύνατη η παράδοση"), "iso-8859-7", "base64", `Το μήνυμά σας δεν ήταν δυνατό να παραδοθεί στους ακόλουθους παραλήπτες:

<alice@example.org>: 550 5.1.1 Ο χρήστης δεν υπάρχει
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
		{"provider/hungarian delay", intlMail("MAILER-DAEMON@mx.example.net", ew("iso-8859-2", "Késleltetett kézbesítés"), "iso-8859-2", "quoted-printable", `Ez csak figyelmeztetés, nem kell újra elküldenie az üzenetet.

Az üzenetét a(z) alice@example.org címre még nem sikerült kézbesíteni.
A rendszer további 5 napig próbálkozik.

Ok: 451 4.4.1 Connection timed out
`), []layoutRecip{{"alice@example.org", delayed, "451", "4.4.1"}}},
		{"rfc3464/japanese text, delayed status part", intlReport("MAILER-DAEMON@mx.example.net", ew("iso-2022-jp", "配信遅延の通知"), "multipart/report; report-type=delivery-status", intlPart("text/plain", "iso-2022-jp", "7bit", `このメールは配信に失敗したのではなく、遅延しています。

alice@example.org への配送に失敗しましたが、再試行を続けます。
`), statusPart(`Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; alice@example.org
Action: delayed
Status: 4.4.1
Diagnostic-Code: smtp; 421 4.4.1 Connection timed out
`)), []layoutRecip{{"alice@example.org", delayed, "421", "4.4.1"}}},
		{"provider/vietnamese notice", intlMail("MAILER-DAEMON@mx.example.net", ew("utf-8", "Thư không gửi được"), "utf-8", "base64", `Thư của bạn không thể gửi đến những người nhận sau:

alice@example.org
Lý do: 550 5.1.1 Địa chỉ người nhận không tồn tại

Đây là lỗi vĩnh viễn.
`), []layoutRecip{{"alice@example.org", failed, "550", "5.1.1"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if why, ok := intlOpen[tc.name]; ok {
				t.Skip("open: " + why)
			}
			checkLayout(t, tc.mail, tc.want, "")
		})
	}
}

package dsn

import "strings"

// Mail.Ru's bounce is Exim's, with a Russian version of the text above the English one:
//
//	Это письмо создано автоматически сервером Mail.Ru, отвечать на него не нужно.
//
//	К сожалению, Ваше письмо не может быть доставлено одному или нескольким получателям:
//
//	  kijitora@example.jp
//	    SMTP error from remote mail server after RCPT TO:<kijitora@example.jp>:
//	    host mx.example.jp [192.0.2.222]: 550 5.1.1 <kijitora@example.jp>... User Unknown
//
//	Рекомендуем Вам проверить корректность указания адресов получателей.
//
//	**********************
//
//	This message was created automatically by mail delivery software.
//	...
//	recipients. This is a permanent error. The following address(es) failed:
//
// The English list is read when present, else the Russian one.
var mailruStarts = []string{
	"the following address(es) failed:",
	"не может быть доставлено одному или нескольким получателям:",
}

// mailruEnds close a list, lower-case.
var mailruEnds = []string{
	"------ this is a copy of the message",
	"рекомендуем вам проверить",
	"**********************",
}

// decodeMailRu reads the bounce of Mail.Ru.
func decodeMailRu(m *mail) []Recipient {
	if !(m.pvFromAny("mail.ru", "@bk.ru", "@inbox.ru", "@list.ru") || strings.Contains(m.text(), "сервером Mail.Ru")) || m.pvHasDSRecipient() {
		return nil
	}
	text := m.text()
	sec, ok := m.pvSection(text, mailruStarts[:1], mailruEnds)
	if !ok {
		if sec, ok = m.pvSection(text, mailruStarts[1:], mailruEnds); !ok {
			return nil
		}
	}
	es := pvEntries(sec, pvRestEmpty)
	out := make([]Recipient, 0, len(es))
	action := m.pvAction(sec)
	for _, e := range es {
		d := pvJoin(e.detail)
		out = append(out, Recipient{Address: e.addr, Action: action, Source: "the Mail.Ru bounce text", Diagnostic: d, RemoteMTA: pvHost(d, "host ")})
	}
	return out
}

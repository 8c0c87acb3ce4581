package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// m-FILTER (Digital Arts) bounces, Japanese text then sections headed by dashes:
//
//	以下のメールアドレスへの送信に失敗しました。
//	user@example.org
//
//	-------server message
//	550 5.1.1 unknown user <user@example.org>
//
//	-------SMTP command
//	DATA
//
//	-------original message
func decodeMFilter(m *mail) []Recipient {
	const sm = "-------server message"
	if !m.mentions(sm) || m.dsUsable() || !m.mentions("-------original mail info", "-------original message", "-------smtp command") {
		return nil
	}
	text := m.text()
	i := m.indexLower(text, sm)
	if i < 0 {
		return nil
	}
	msg := text[i+len(sm):]
	if j := strings.Index(msg, "-------"); j >= 0 {
		msg = msg[:j]
	}
	var reply classify.ReplyCode
	for _, l := range strings.Split(msg, "\n") {
		if reply = replyAtStart(l); reply != "" {
			break
		}
	}
	d := joinLines(strings.Split(msg, "\n"))
	var out []Recipient
	for _, l := range strings.Split(text[:i], "\n") {
		t := strings.TrimSpace(l)
		if a, e := leadingAddress(t); a != "" && e >= len(t) {
			out = append(out, Recipient{Address: a, Action: classify.ActionFailed, Diagnostic: d, Reply: reply, Source: "the m-FILTER bounce text"})
		}
	}
	return out
}

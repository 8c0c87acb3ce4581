package dsn

import (
	"strings"
)

// DragonFly Mail Agent (dma) bounces (file named mta_dma.go: a "_dragonfly.go" suffix would be a GOOS build constraint), from dma's mail.c (bounce):
//
//	This is the DragonFly Mail Agent v0.13 at mx.example.org.
//
//	There was an error delivering your mail to <user@example.org>.
//
//	DNS lookup failure: host example.org not found
//
//	Message headers follow.
//
// dma reports one recipient per bounce; "Original message follows." ends the report when the
// whole message is returned.
func decodeDragonFly(m *mail) []Recipient {
	const head = "there was an error delivering your mail to "
	if !m.mentions(head) || !m.mentions("this is the dragonfly mail agent") || m.dsUsable() {
		return nil
	}
	text := m.text()
	i := m.indexLower(text, head)
	if i < 0 {
		return nil
	}
	line := lineAt(text, i)
	a := firstAddress(line)
	if a == "" {
		return nil
	}
	rest := text[i:]
	if j := strings.IndexByte(rest, '\n'); j >= 0 {
		rest = rest[j+1:]
	} else {
		rest = ""
	}
	rest = m.cutBefore(rest, "message headers follow.", "original message follows.")
	return []Recipient{{Address: a, Action: m.failedOrDelayed(rest), Diagnostic: joinLines(strings.Split(rest, "\n")), Source: "the DragonFly Mail Agent bounce text"}}
}

package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// HCL/IBM Lotus Domino delivery failure reports (Domino 6 to 12, router templates):
//
//	Your message
//
//	  Subject: Quarterly figures
//
//	was not delivered to:
//
//	  user@example.org
//
//	because:
//
//	  User user (user@example.org) not listed in Domino Directory
//
// Domino adds a delivery-status part with "Status: 5.0.0" and "Diagnostic-Code: X-Notes; ...";
// that part is used when it names the recipient.
func decodeDomino(m *mail) []Recipient {
	const head = "was not delivered to:"
	if !m.mentions(head) || m.dsUsable() {
		return nil
	}
	text := m.text()
	lt := m.lowerOf(text)
	i := strings.Index(lt, head)
	if i < 0 {
		return nil
	}
	// QUIRK: the router writes its headings at the margin; some releases and gateways
	// indent the whole report by a blank (" was not delivered to:", " because:").
	j, n := dominoBecause(lt[i:])
	if j < 0 {
		return nil
	}
	list := text[i+len(head) : i+j]
	rest := text[i+j+n:]
	// The reason is the indented paragraph after "because:".
	var reason []string
	seen := false
	for _, l := range strings.Split(rest, "\n") {
		if strings.TrimSpace(l) == "" {
			if seen {
				break
			}
			continue
		}
		if l[0] != ' ' && l[0] != '\t' && seen {
			break
		}
		seen = true
		reason = append(reason, l)
	}
	d := joinLines(reason)
	var out []Recipient
	for _, l := range strings.Split(list, "\n") {
		if a, _ := leadingAddress(l); a != "" {
			out = append(out, Recipient{Address: a, Action: classify.ActionFailed, Diagnostic: d, Source: "the Domino delivery failure report"})
		}
	}
	return out
}

// dominoBecause returns where the line "because:" (after any blanks) starts in lt, and the
// length through its colon, or -1.
func dominoBecause(lt string) (int, int) {
	for off := 0; ; {
		k := strings.Index(lt[off:], "because:")
		if k < 0 {
			return -1, 0
		}
		k += off
		ls := strings.LastIndexByte(lt[:k], '\n') + 1
		if ls > 0 && strings.TrimLeft(lt[ls:k], " \t") == "" {
			return ls - 1, k + len("because:") - (ls - 1)
		}
		off = k + len("because:")
	}
}

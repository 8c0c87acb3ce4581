package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// An unnamed MTA's notices ("x3" in the sisimai corpus), framed by rows of "=":
//
//	      This is an automatically generated Delivery Status Notification.
//
//	Delivery to the following recipients failed permanently:
//
//	   * user@example.org
//
//	============================================================================
//	                             Technical details:
//
//	SMTP:RCPT host 192.0.2.8: 553 5.3.0 <user@example.org>... No such user here
//
// With several recipients it writes a line of details for each.
//
// The same MTA writes "Delevery to the following recipients was aborted after 5.0 hour(s):"
// (sic) when it gives up, and "Delivery to the following recipients has been delayed".
func decodeX3(m *mail) []Recipient {
	if !m.mentions("this is an automatically generated delivery status notification") || !m.mentions("technical details:") || m.dsUsable() {
		return nil
	}
	text := m.text()
	lt := m.lowerOf(text)
	ti := strings.Index(lt, "technical details:")
	if ti < 0 {
		return nil
	}
	details := text[ti+len("technical details:"):]
	if j := strings.Index(details, "====="); j >= 0 {
		details = details[:j]
	}
	lines := strings.Split(details, "\n")
	d := joinLines(lines)
	action := classify.ActionFailed
	if strings.Contains(lt[:ti], "has been delayed") {
		action = classify.ActionDelayed
	}
	var out []Recipient
	for _, l := range strings.Split(text[:ti], "\n") {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "* ") {
			continue
		}
		if a, _ := leadingAddress(t[2:]); a != "" {
			out = append(out, Recipient{Address: a, Action: action, Diagnostic: d, Source: "the notice text"})
		}
	}
	// The details give a line per recipient when several failed ("SMTP:RCPT host 192.0.2.8:
	// 553 5.3.0 <a@example.org>... No such user here", then b's line): a recipient whose
	// address a line names has that line's answer, not the whole block's.
	if len(out) > 1 {
		for i := range out {
			if own := linesNaming(lines, out[i].Address); len(own) > 0 {
				out[i].Diagnostic = joinLines(own)
			}
		}
	}
	return out
}

// linesNaming returns the lines that name addr, ignoring ASCII case.
func linesNaming(lines []string, addr string) []string {
	var own []string
	for _, l := range lines {
		if namesAddress(l, addr) {
			own = append(own, l)
		}
	}
	return own
}

// namesAddress reports whether s names addr as a whole address, ignoring ASCII case: not as
// the tail of a longer local part ("ann@example.org" in "joann@example.org") or the head of
// a longer domain ("...@example.org.uk").
func namesAddress(s, addr string) bool {
	for from := 0; from < len(s); {
		i := indexFold(s[from:], addr)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(addr)
		// A dot after the address ends a sentence or starts Sendmail's "..." unless a label
		// follows it.
		before := i == 0 || !isAddressByte(s[i-1])
		after := end == len(s) || !isAddressByte(s[end]) || s[end] == '.' && (end+1 == len(s) || !isAlnum(s[end+1]))
		if before && after {
			return true
		}
		from = i + 1
	}
	return false
}

// isAddressByte reports whether c may stand inside an address next to an address's edge: a
// letter, a digit or one of the atext signs that addresses commonly hold.
func isAddressByte(c byte) bool { return isAlnum(c) || strings.IndexByte(".-_+=", c) >= 0 }

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

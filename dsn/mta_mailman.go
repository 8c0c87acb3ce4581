package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// GNU Mailman bounce processing notices to list owners. Mailman 2.1 writes
// templates/en/bounce.txt ("Subject: Bounce action notification"):
//
//	This is a Mailman mailing list bounce action notice:
//
//	    List:       Example-list
//	    Member:     user@example.org
//	    Action:     Subscription disabled.
//	    Reason:     Excessive or fatal bounces.
//
// Mailman 3 writes templates/en/list:admin:notice:disable.txt and ...:removal.txt:
//
//	user@example.org's subscription has been disabled on list@example.com due to their
//	bounce score exceeding the mailing list's bounce_score_threshold.
//	user@example.org has been unsubscribed from Example List due to excessive bounces.
//
// The member is the address whose mail bounces; the attached triggering bounce adds its
// explanation of the member to the diagnostic.
func decodeMailman(m *mail) []Recipient {
	var out []Recipient
	switch {
	case m.mentions("this is a mailman mailing list bounce action notice"):
		out = mailman2(m.text())
	case m.mentions("subscription has been disabled on") && m.mentions("bounce score"),
		m.mentions("has been unsubscribed from") && m.mentions("due to excessive bounces"):
		out = mailman3(m.text())
	}
	if len(out) == 1 && m.origFound {
		// The attached triggering bounce says why: its lines about the member (as far as
		// its start, kept undecoded, shows them) join the diagnostic.
		if d := diagnosticAround(m.origBody, out[0].Address); d != "" {
			out[0].Diagnostic += " " + d
		}
	}
	return out
}

func mailman2(text string) []Recipient {
	var member, action, reason string
	for _, l := range strings.Split(text, "\n") {
		name, val, ok := strings.Cut(strings.TrimSpace(l), ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch strings.ToLower(name) {
		case "member":
			if member == "" {
				member = firstAddress(val)
			}
		case "action":
			if action == "" {
				action = val
			}
		case "reason":
			if reason == "" {
				reason = val
			}
		}
		if member != "" && action != "" && reason != "" {
			break
		}
	}
	if member == "" {
		return nil
	}
	return []Recipient{{Address: member, Action: classify.ActionFailed, Diagnostic: strings.TrimSpace(action + " " + reason), Source: "the Mailman bounce action notice"}}
}

func mailman3(text string) []Recipient {
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		lower := strings.ToLower(t)
		if !strings.Contains(lower, "subscription has been disabled on") && !strings.Contains(lower, "has been unsubscribed from") {
			continue
		}
		if a, _ := leadingAddress(t); a != "" {
			// The sentence may wrap; the rest of its paragraph is the diagnostic.
			return []Recipient{{Address: a, Action: classify.ActionFailed, Diagnostic: paragraphAt(text, strings.Index(text, t)), Source: "the Mailman bounce notice"}}
		}
	}
	return nil
}

// paragraphAt returns the paragraph of text that starts at offset i, joined into one line.
func paragraphAt(text string, i int) string {
	if i < 0 {
		return ""
	}
	p := text[i:]
	if j := strings.Index(p, "\n\n"); j >= 0 {
		p = p[:j]
	}
	return joinLines(strings.Split(p, "\n"))
}

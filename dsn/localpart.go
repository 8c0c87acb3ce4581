package dsn

import (
	"strings"
	"unicode/utf8"
)

// Some bounces name a failed recipient by its local part alone: the reporting system knew
// the domain and did not write it. The address is built only when the mail itself names the
// domain, and the recipient is marked as inferred.
//
// A phonebook lookup (phquery) at a university gateway:
//
//	 --------Message not delivered to the following:
//
//	 userx    No matches to nameserver query
//
// AOL, which writes the screen name (the local part at aol.com):
//
//	Your mail to the following recipients could not be delivered because they are not accepting mail from list@example.com:
//		screenname
//
// Sendmail, for a local mailbox:
//
//	userx... User unknown

// localListHeads mark the line that opens a list of failed recipients, lower-case; the line
// ends with a colon.
var localListHeads = []string{"following recipient", "following address", "to the following", "following user"}

// decodeBareLocal reads a bounce whose list of failed recipients holds local parts only.
func decodeBareLocal(m *mail) []Recipient {
	if m.dsFound || !m.looksLikeBounce() {
		return nil
	}
	text := m.reportText()
	locals := bareLocalEntries(text)
	if len(locals) == 0 {
		return nil
	}
	action := m.pvAction(text)
	var out []Recipient
	for _, e := range locals {
		addr, how := m.completeLocal(e.local)
		if addr == "" {
			continue
		}
		out = append(out, Recipient{
			Address: addr, AddressInferred: true, Action: action, Diagnostic: e.detail,
			Source: "the bounce text, which names the local part only; the domain is " + how,
		})
	}
	return out
}

// localEntry is a local part found as a failed recipient, with the text that follows it.
type localEntry struct {
	local, detail string
}

// bareLocalEntries finds the local parts standing as entries of a recipient list (after a
// line that opens one, each alone on its line or followed by a wide gap and a reason) or as a
// Sendmail "local... reason" line. A list whose entries are whole addresses gives nothing:
// other decoders read those.
func bareLocalEntries(text string) []localEntry {
	var out []localEntry
	lines := strings.Split(text, "\n")
	inList := false
	listFrom := 0  // where the entries of the current list start in out
	ended := false // the list just ended at a blank line
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasSuffix(t, ":") && containsAny(strings.ToLower(t), localListHeads):
			inList, listFrom, ended = true, len(out), false
			continue
		case t == "":
			if inList && len(out) > 0 {
				inList, ended = false, true
			}
			continue
		}
		if tok, _ := cutToken(t); ended && strings.Contains(tok, "@") {
			// The rows of an HTML table stand a blank line apart: whole addresses below the
			// entries make them a column heading ("Recipient  Reason"), not local parts.
			out = out[:listFrom]
		}
		ended = false
		if local, rest, ok := sendmailLocalLine(t); ok {
			out = append(out, localEntry{local, rest})
			continue
		}
		if !inList {
			continue
		}
		local, rest := cutToken(t)
		if strings.Contains(local, "@") {
			// A list whose entries are whole addresses: a bare word above them is a column
			// heading ("Recipient  Reason" of a table), not a local part.
			out, inList = out[:listFrom], false
			continue
		}
		if strings.Contains(t, "@") || !isBareLocal(local) || (rest != "" && !wideGap(t[len(local):])) {
			inList = false
			continue
		}
		out = append(out, localEntry{local, strings.TrimSpace(rest)})
	}
	return out
}

// sendmailLocalLine reads "userx... User unknown" (Sendmail's usrerr for a local mailbox,
// sendmail/parseaddr.c and recipient.c: "%s... User unknown").
func sendmailLocalLine(t string) (local, rest string, ok bool) {
	i := strings.Index(t, "... ")
	if i <= 0 {
		return "", "", false
	}
	local, rest = strings.Trim(t[:i], "<>"), strings.TrimSpace(t[i+4:])
	if !isBareLocal(local) || !containsAny(strings.ToLower(rest), localUserWords) {
		return "", "", false
	}
	return local, rest, true
}

// localUserWords say that a "local... reason" line is about a mailbox, lower-case (a
// transcript line about a host, "mx... Deferred: Connection refused", is not).
var localUserWords = []string{"user unknown", "unknown user", "no such user", "does not exist", "mailbox", "not found", "quota"}

// cutToken splits t at its first blank.
func cutToken(t string) (tok, rest string) {
	if i := strings.IndexAny(t, " \t"); i >= 0 {
		return t[:i], strings.TrimSpace(t[i:])
	}
	return t, ""
}

// wideGap reports whether s starts with a tab or at least two spaces: the gap between an
// entry and its reason, unlike the single space between words of a sentence.
func wideGap(s string) bool {
	return strings.HasPrefix(s, "\t") || strings.HasPrefix(s, "  ")
}

// isBareLocal reports whether s can be a local part standing alone: dot-atom text
// (RFC 5322 §3.4.1) of at most 64 bytes that is not a mail system's own name.
func isBareLocal(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		if r >= utf8.RuneSelf || !isLocalRune(r) {
			return false
		}
	}
	if allDigits(s) || strings.Trim(s, "-=_*~#") == "" {
		return false
	}
	return !isRoleAddress(s)
}

// completeLocal builds the address of a local part from a domain the mail names, and says
// where that domain came from: the returned message's recipients first (the address the
// sender used), then a parent of the reporting host's domain that the report text names in
// an address, then the domain of the bounce's own sender when that is the mail system
// (MAILER-DAEMON@ or postmaster@). It returns "" when the mail names no domain.
func (m *mail) completeLocal(local string) (addr, how string) {
	if m.origFound {
		for _, h := range []string{"To", "Cc"} {
			for _, a := range addressList(decodeWords(m.origHeader.get(h))) {
				if at := strings.LastIndexByte(a, '@'); at > 0 && strings.EqualFold(a[:at], local) {
					return a, "that of the returned message's " + h + " address"
				}
			}
		}
	}
	host := ""
	if a := firstAddress(m.from); a != "" && isRoleAddress(a) {
		host = strings.ToLower(a[strings.LastIndexByte(a, '@')+1:])
	}
	if host == "" {
		return "", ""
	}
	best := ""
	for _, a := range findAddresses(m.reportText()) {
		d := strings.ToLower(a.addr[strings.LastIndexByte(a.addr, '@')+1:])
		if d != host && strings.HasSuffix(host, "."+d) && (best == "" || len(d) < len(best)) {
			best = d
		}
	}
	if best != "" {
		return local + "@" + best, "the reporting host's parent domain " + best + ", which the bounce text names"
	}
	return local + "@" + host, "that of the bounce's sender " + host
}

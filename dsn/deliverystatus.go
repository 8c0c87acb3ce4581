package dsn

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// parseFieldBlock reads "Name: value" lines with folding (RFC 5322 §2.2.3), skipping lines
// that are neither.
func parseFieldBlock(s string) []Field {
	return appendFieldBlock(nil, s)
}

// appendFieldBlock is parseFieldBlock appending the fields to fs, so that a caller that
// keeps only the fields themselves can hand it a buffer on its stack.
func appendFieldBlock(fs []Field, s string) []Field {
	for rest := s; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(fs) > 0 {
				fs[len(fs)-1].Value += " " + strings.TrimSpace(line)
			}
			continue
		}
		name, val, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || !isFieldName(name) {
			continue
		}
		fs = append(fs, Field{Name: name, Value: strings.TrimSpace(val)})
	}
	return fs
}

// parseDeliveryStatus reads a message/delivery-status body (RFC 3464 §2.1): a group of
// per-message fields, then one group per recipient, separated by empty lines.
func (m *mail) parseDeliveryStatus(s string, global bool) {
	m.dsFound = true
	m.dsGlobal = m.dsGlobal || global
	groups := splitGroups(s)
	first := true
	var buf [32]Field // a group's fields, on the stack: what is kept is copied out of it
	for _, g := range groups {
		fs := appendFieldBlock(buf[:0], g)
		if len(fs) == 0 {
			continue
		}
		// QUIRK: RFC 3464 §2.1 separates the groups by empty lines, but some MTAs (old
		// Exchange, qmail-ldap, several Japanese carriers) write per-message and
		// per-recipient fields in one block, or several recipients without a blank line
		// between them. Split at each field that starts a recipient.
		cur := make([]Field, 0, len(fs)) // most groups are one recipient's, all of it
		for _, f := range fs {
			startsRecipient := isRecipientStart(f.Name)
			if startsRecipient && startsNewRecipient(f.Name, cur) {
				// Fields already seen in this group that trail it (SES writes Action before
				// Final-Recipient) belong to the next recipient.
				keep := len(cur)
				for keep > 0 && hasField(cur[:keep-1], cur[keep-1].Name) {
					keep--
				}
				next := append([]Field(nil), cur[keep:]...)
				m.addDSRecipient(cur[:keep])
				cur = next
			}
			if !startsRecipient && len(cur) == 0 && isMessageField(f.Name) {
				if first || len(m.dsRecips) == 0 {
					m.dsMessage = append(m.dsMessage, f)
					continue
				}
			}
			cur = append(cur, f)
		}
		if len(cur) > 0 {
			if hasRecipientField(cur) {
				m.addDSRecipient(cur)
			} else if first {
				m.dsMessage = append(m.dsMessage, cur...)
			}
		}
		first = false
	}
}

func (m *mail) addDSRecipient(fs []Field) {
	if len(m.dsRecips) >= m.lim.MaxRecipients {
		if len(m.dsRecips) == m.lim.MaxRecipients {
			m.problem(ProblemTooManyRecips, "more recipients than the cap; the rest were dropped", true)
			m.dsRecips = append(m.dsRecips, nil)
		}
		return
	}
	m.dsRecips = append(m.dsRecips, fs)
}

// splitGroups splits text at empty lines (lines of blanks count as empty). Each group holds
// its lines, each ended by "\n", and is cut from s (only a last line that s does not end is
// given its "\n" in a copy).
func splitGroups(s string) []string {
	var groups []string
	start := -1 // where the group being read starts, or -1 between groups
	for pos := 0; ; {
		end := strings.IndexByte(s[pos:], '\n')
		last := end < 0
		if last {
			end = len(s)
		} else {
			end += pos
		}
		if strings.TrimSpace(s[pos:end]) == "" {
			if start >= 0 {
				groups = append(groups, s[start:pos]) // the group's last line ends at pos-1
				start = -1
			}
		} else if start < 0 {
			start = pos
		}
		if last {
			break
		}
		pos = end + 1
	}
	if start >= 0 {
		groups = append(groups, s[start:]+"\n")
	}
	return groups
}

func isRecipientStart(name string) bool {
	return strings.EqualFold(name, "Final-Recipient") || strings.EqualFold(name, "Original-Recipient")
}

// startsNewRecipient reports whether a Final-Recipient or Original-Recipient field begins
// the next recipient rather than completing the current group: it repeats a field the group
// has, or an Original-Recipient follows a group that already has its Status.
func startsNewRecipient(name string, cur []Field) bool {
	if hasField(cur, name) {
		return true
	}
	return strings.EqualFold(name, "Original-Recipient") && hasField(cur, "Final-Recipient") && hasField(cur, "Status")
}

func hasField(fs []Field, name string) bool {
	for _, f := range fs {
		if strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

func hasRecipientField(fs []Field) bool {
	var buf [64]byte
	for _, f := range fs {
		switch string(appendLower(buf[:0], f.Name)) {
		case "final-recipient", "original-recipient", "action", "status", "diagnostic-code", "remote-mta":
			return true
		}
	}
	return false
}

func isMessageField(name string) bool {
	var buf [64]byte
	lower := appendLower(buf[:0], name)
	switch string(lower) {
	case "reporting-mta", "dsn-gateway", "received-from-mta", "arrival-date", "original-envelope-id":
		return true
	}
	return bytes.HasPrefix(lower, []byte("x-")) && !bytes.Contains(lower, []byte("recipient"))
}

// dsRecipient builds a Recipient from a per-recipient field group.
func dsRecipient(fs []Field, global bool) Recipient {
	r := Recipient{Fields: fs, Source: "the delivery-status part"}
	var origType string   // the address type of Original-Recipient
	var statusText string // a Status field that holds a reply and its text
	var buf [64]byte
	for _, f := range fs {
		switch string(appendLower(buf[:0], f.Name)) {
		case "final-recipient":
			r.AddressType, r.Address = typedAddress(f.Value, global)
		case "original-recipient":
			origType, r.OriginalAddress = typedAddress(f.Value, global)
		case "action":
			r.Action = classify.ParseAction(f.Value)
			if r.Action == classify.ActionUnknown && hasPrefixLower(strings.TrimSpace(f.Value), "failure") {
				// QUIRK: RFC 3464 §2.3.3 names the action "failed"; NTMail writes "failure"
				// (testdata/eml/rfc3464/ntmail-failure-reply-status.eml).
				r.Action = classify.ActionFailed
			}
		case "status":
			var ok bool
			if r.FieldStatus, ok = classify.ParseStatus(f.Value); !ok && r.Reply == "" {
				// QUIRK: RFC 3464 §2.3.4 wants an enhanced code (RFC 3463); NTMail writes the
				// SMTP reply there ("Status: 553 Exceeded maximum inbound message size").
				// Kept as the reply code it is, never as a status.
				if v := strings.TrimSpace(f.Value); len(v) >= 3 && (len(v) == 3 || v[3] == ' ') {
					if r.Reply, ok = classify.ParseReplyCode(v[:3]); ok {
						statusText = v
					}
				}
			}
		case "remote-mta":
			_, r.RemoteMTA = typedValue(stripComments(f.Value))
		case "diagnostic-code":
			r.DiagnosticType, r.Diagnostic = typedValue(f.Value)
		case "last-attempt-date":
			r.LastAttempt = f.Value
		case "will-retry-until":
			r.WillRetryUntil = f.Value
		}
	}
	if r.Diagnostic == "" {
		r.Diagnostic = statusText
	}
	switch {
	case r.Address == "" && r.OriginalAddress != "":
		// QUIRK: RFC 3464 §2.3.2 requires Final-Recipient; a few MTAs give only
		// Original-Recipient (seen in old Lotus Domino reports).
		r.Address = r.OriginalAddress
	case !usableAddress(r.AddressType, r.Address) && usableAddress(origType, r.OriginalAddress):
		// RFC 3464 §2.3.1: Original-Recipient is the address as the sender gave it. When the
		// final one is not a mail address the sender could know (an X.400 O/R address from a
		// gateway, "userx@sims-ms-daemon" inside Sun's messaging server), the original one is
		// the address to report; the final one stays in FinalAddress and in Fields.
		r.FinalAddress, r.Address = r.Address, r.OriginalAddress
	}
	return r
}

// usableAddress reports whether addr, of the address type typ (RFC 3464 §2.3.2; "" when the
// field gave none), is an Internet mail address: local@domain with a domain of at least two
// labels, or a domain literal.
func usableAddress(typ, addr string) bool {
	if typ != "" && typ != "rfc822" && typ != "utf-8" {
		return false
	}
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || strings.ContainsAny(addr, " \t/") {
		return false
	}
	return validDomain(addr[at+1:])
}

// typedValue splits "type; value" (RFC 3464 §2.1.2: address-type, diagnostic-type, mta-name-type).
// A value without a type is returned whole.
func typedValue(v string) (typ, val string) {
	t, rest, ok := strings.Cut(v, ";")
	if t = strings.TrimSpace(t); ok && isAtom(t) {
		// The usual types come from this list rather than from a lower-cased copy (an atom
		// is ASCII, so EqualFold is strings.ToLower's comparison).
		for _, k := range commonAddressTypes {
			if strings.EqualFold(t, k) {
				return k, strings.TrimSpace(rest)
			}
		}
		return strings.ToLower(t), strings.TrimSpace(rest)
	}
	return "", strings.TrimSpace(v)
}

// commonAddressTypes are the address and diagnostic types of RFC 3464 fields most seen.
var commonAddressTypes = []string{"rfc822", "dns", "smtp", "utf-8", "x-unix", "x-postfix"}

func isAtom(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// typedAddress reads a Final-Recipient or Original-Recipient value: its address type and the
// address, with comments and angle brackets removed and xtext (RFC 3461 §4) or the utf-8
// address encoding (RFC 6533 §3) undone.
func typedAddress(v string, global bool) (typ, addr string) {
	typ, addr = typedValue(v)
	addr = stripComments(addr)
	switch {
	case typ == "utf-8" || global:
		addr = decodeUTF8Addr(addr)
	case strings.Contains(addr, "+"):
		addr = decodeXtext(addr)
	}
	return typ, cleanAddress(addr)
}

// stripComments removes RFC 5322 comments "(...)" outside quotes.
func stripComments(s string) string {
	if !strings.Contains(s, "(") {
		return s
	}
	var b strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' && depth == 0:
			quoted = !quoted
		case c == '(' && !quoted:
			depth++
			continue
		case c == ')' && !quoted && depth > 0:
			depth--
			continue
		}
		if depth == 0 {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// decodeXtext undoes xtext: "+HH" is the byte with hex value HH (RFC 3461 §4).
func decodeXtext(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '+' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b.WriteByte(byte(v))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// decodeUTF8Addr undoes the \x{HHHH} escapes of utf-8-addr-xtext and utf-8-addr-unitext
// (RFC 6533 §3); a raw UTF-8 address is kept as it is.
func decodeUTF8Addr(s string) string {
	if !strings.Contains(s, `\x{`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.HasPrefix(s[i:], `\x{`) {
			if end := strings.IndexByte(s[i:], '}'); end > 3 {
				if v, err := strconv.ParseUint(s[i+3:i+end], 16, 32); err == nil {
					b.WriteRune(rune(v))
					i += end
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// cleanAddress trims blanks, angle brackets, a mailto: prefix and trailing punctuation from an
// address as it stands in a field or a sentence.
func cleanAddress(a string) string {
	a = strings.TrimSpace(a)
	if a != "" && a[0] == '"' && validMailbox(a) {
		return a // a quoted local part may hold what is trimmed below
	}
	if i := strings.IndexByte(a, '<'); i >= 0 {
		if j := strings.IndexByte(a[i:], '>'); j > 0 {
			a = a[i+1 : i+j]
		}
	}
	a = strings.Trim(a, "<>[]{}(),;:'` \t")
	if len(a) > 7 && strings.EqualFold(a[:7], "mailto:") {
		a = a[7:]
	}
	a = strings.TrimRight(a, ".")
	return a
}

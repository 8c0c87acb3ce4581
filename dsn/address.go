package dsn

import (
	netmail "net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// addrSpan is an address found in prose, with its byte offsets.
type addrSpan struct {
	addr       string
	start, end int
}

// findAddresses returns the mail addresses standing in text, in order. It reads the usual
// forms (bare, in angle brackets, after "mailto:") and UTF-8 addresses (RFC 6531); it does
// not try to read quoted local parts with blanks in them.
func findAddresses(text string) []addrSpan {
	var out []addrSpan
	for i := 0; ; {
		a, next, ok := nextAddress(text, i)
		if !ok {
			return out
		}
		out = append(out, a)
		i = next
	}
}

// nextAddress returns the first address that findAddresses finds in text at or after offset
// i, and the offset to go on from; ok is false when there is none. The address is cut from
// text, where it stands as it is (the dots and dashes trimmed off its ends are outside it).
func nextAddress(text string, i int) (a addrSpan, next int, ok bool) {
	for i < len(text) {
		at := strings.IndexByte(text[i:], '@')
		if at < 0 {
			break
		}
		at += i
		s := at
		for s > 0 {
			r, n := utf8.DecodeLastRuneInString(text[:s])
			if !isLocalRune(r) {
				break
			}
			s -= n
		}
		// A quoted local part: "odd..name"@example.org.
		if s == at && at > 0 && text[at-1] == '"' {
			// The search is bounded: a local part has at most 64 octets (RFC 5321 §4.5.3.1.1).
			from := max(0, at-65)
			if q := strings.LastIndexByte(text[from:at-1], '"'); q >= 0 && !strings.ContainsAny(text[from+q:at], "\n<>") {
				s = from + q
			}
		}
		e := at + 1
		for e < len(text) {
			r, n := utf8.DecodeRuneInString(text[e:])
			if !isDomainRune(r) {
				break
			}
			e += n
		}
		// Domain literal: user@[192.0.2.1].
		if e == at+1 && e < len(text) && text[e] == '[' {
			if k := strings.IndexByte(text[e:min(len(text), e+48)], ']'); k > 0 {
				e += k + 1
			}
		}
		local := strings.TrimLeft(text[s:at], ".")
		domain := strings.TrimRight(text[at+1:e], ".-")
		e = at + 1 + len(domain)
		// An "@" after a URL's scheme and "//" is part of the URL's path or query (RFC 3986
		// §3: scheme ":" "//" authority path-abempty [ "?" query ]), not a mailbox the text
		// names: "https://help.example.net/contact/postmaster@example.org",
		// "https://help.example.net/ndr?from=sender@example.net".
		if strings.HasPrefix(local, "//") && s > 0 && text[s-1] == ':' {
			i = max(e, at+1)
			continue
		}
		// QUIRK: RFC 5322 §3.2.3 allows "/" in a local part, but "example.org/a@example.org"
		// is a gateway's "domain/recipient" (Cisco IronPort's "The message you sent to
		// example.org/a@example.org ..."): the address is what follows the address's own domain.
		if k := strings.LastIndexByte(local, '/'); k > 0 && strings.EqualFold(local[:k], domain) {
			local = local[k+1:]
		}
		s = at - len(local)
		if local != "" && validDomain(domain) {
			// text[s:e] is local + "@" + domain.
			return addrSpan{addr: text[s:e], start: s, end: e}, max(e, at+1), true
		}
		i = max(e, at+1)
	}
	return addrSpan{}, len(text), false
}

func isLocalRune(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$%&'*+-/=?^_`{|}~.", c) >= 0
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isDomainRune(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// validDomain accepts a domain with at least two labels, or a bracketed literal.
func validDomain(d string) bool {
	if strings.HasPrefix(d, "[") {
		return strings.HasSuffix(d, "]")
	}
	if len(d) < 3 || !strings.Contains(d, ".") || strings.Contains(d, "..") {
		return false
	}
	last := d[strings.LastIndexByte(d, '.')+1:]
	if last == "" {
		return false
	}
	// A top-level label is not all digits (that would be an IP address or a version).
	for _, r := range last {
		if !unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// addressList reads the addresses of an address-list header value (RFC 5322 §3.4), falling
// back to finding addresses in the text when it does not parse.
func addressList(v string) []string {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	if list, err := netmail.ParseAddressList(v); err == nil {
		out := make([]string, 0, len(list))
		for _, a := range list {
			out = append(out, a.Address)
		}
		return out
	}
	var out []string
	for _, a := range findAddresses(v) {
		out = append(out, a.addr)
	}
	return out
}

// firstAddress returns the first address in a header value or text, or "".
func firstAddress(v string) string {
	a, _, _ := nextAddress(v, 0)
	return a.addr
}

// isRoleAddress reports whether a is a mail system's own address (postmaster, mailer-daemon
// and the like), never a failed recipient in prose.
func isRoleAddress(a string) bool {
	local := strings.ToLower(a)
	if i := strings.LastIndexByte(local, '@'); i >= 0 {
		local = local[:i]
	}
	switch local {
	case "postmaster", "mailer-daemon", "mailerdaemon", "maildaemon", "mail-daemon", "root", "abuse", "noreply", "no-reply", "double-bounce", "bounce", "bounces":
		return true
	// The network operations mailboxes of RFC 2142 §4 and §5, which a bounce names as
	// contacts of the site: "Questions about our DNS: hostmaster@example.net".
	case "hostmaster", "webmaster", "noc", "security":
		return true
	}
	return false
}

// validMailbox reports whether a is a mailbox as RFC 5321 §4.1.2 writes one, with the UTF-8
// of RFC 6531 §3.3 allowed: a dot-string or quoted-string local part of at most 64 octets
// (§4.5.3.1.1), "@", and a domain of letter-digit-hyphen labels (U-labels too) or an address
// literal in brackets. Only such a string is reported as a recipient.
func validMailbox(a string) bool {
	if !utf8.ValidString(a) {
		return false
	}
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || at > 64 || len(a)-at-1 > 255 {
		return false
	}
	return validLocalPart(a[:at]) && validMailDomain(a[at+1:])
}

// validLocalPart checks a Local-part of RFC 5321 §4.1.2 (RFC 6531 §3.3: UTF-8 allowed).
func validLocalPart(l string) bool {
	if len(l) >= 2 && l[0] == '"' && l[len(l)-1] == '"' {
		q := l[1 : len(l)-1]
		for i := 0; i < len(q); i++ {
			switch c := q[i]; {
			case c == '\\': // quoted-pairSMTP
				if i+1 == len(q) || q[i+1] < 32 || q[i+1] > 126 {
					return false
				}
				i++
			case c == '"' || c < 32 || c == 127:
				return false
			}
		}
		return true
	}
	for _, atom := range strings.Split(l, ".") {
		if atom == "" {
			return false
		}
		for _, r := range atom {
			if r < utf8.RuneSelf && !isAtext(byte(r)) || r >= utf8.RuneSelf && !unicode.IsGraphic(r) {
				return false
			}
		}
	}
	return true
}

// isAtext reports whether c is an atext character (RFC 5322 §3.2.3).
func isAtext(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// validMailDomain checks the Domain or address-literal of a Mailbox (RFC 5321 §4.1.2, RFC 6531
// §3.3 for U-labels).
func validMailDomain(d string) bool {
	if strings.HasPrefix(d, "[") {
		if len(d) < 3 || d[len(d)-1] != ']' {
			return false
		}
		for i := 1; i < len(d)-1; i++ {
			if c := d[i]; c < 33 || c > 126 || c == '[' || c == ']' || c == '\\' {
				return false
			}
		}
		return true
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			// QUIRK: RFC 5321 labels hold no underscore, but host names with one exist
			// (DNS allows them) and MTAs deliver to them.
			if r < utf8.RuneSelf && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') ||
				r >= utf8.RuneSelf && !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)) {
				return false
			}
		}
	}
	return true
}

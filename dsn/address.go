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
			if q := strings.LastIndexByte(text[:at-1], '"'); q >= 0 && at-1-q < 65 && !strings.ContainsAny(text[q:at], "\n<>") {
				s = q
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
			if k := strings.IndexByte(text[e:], ']'); k > 0 && k < 48 {
				e += k + 1
			}
		}
		local := strings.TrimLeft(text[s:at], ".")
		s = at - len(local)
		domain := strings.TrimRight(text[at+1:e], ".-")
		e = at + 1 + len(domain)
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
	}
	return false
}

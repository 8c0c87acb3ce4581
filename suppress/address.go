package suppress

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// idnaProfile maps a domain as a resolver would (UTS #46 lookup: case folded, width mapped,
// NFC) and checks it; the stored form is the A-label (ASCII) form.
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.ValidateLabels(true),
	idna.VerifyDNSLength(true),   // empty labels and labels over 63 octets
	idna.StrictDomainName(false), // allow "_" and friends some MTAs put in host names
	idna.Transitional(false),
)

// Normalize returns the one form in which the store keeps and compares an address:
// surrounding blanks, angle brackets and a "mailto:" prefix removed; the local part in Unicode
// NFC and lower case (addresses are compared case-insensitively); the domain lower-cased and
// IDNA-normalised to its ASCII (A-label) form, so "Jöhn@Bücher.Example" becomes
// "jöhn@xn--bcher-kva.example". An address that cannot be made valid is rejected with an
// error wrapping ErrInvalidAddress that says what is wrong.
func Normalize(address string) (string, error) {
	local, domain, err := normalizeParts(address)
	if err != nil {
		return "", err
	}
	return local + "@" + domain, nil
}

// NormalizeDomain returns a domain's stored form (lower case, IDNA A-labels), for allow-list
// entries like "@example.org".
func NormalizeDomain(domain string) (string, error) {
	d := strings.TrimSuffix(strings.TrimSpace(domain), ".")
	if d == "" {
		return "", fmt.Errorf("suppress: domain %q: %w: empty", domain, ErrInvalidAddress)
	}
	if strings.ContainsAny(d, " \t\r\n@<>") {
		return "", fmt.Errorf("suppress: domain %q: %w: contains a blank or one of @<>", domain, ErrInvalidAddress)
	}
	if strings.HasPrefix(d, "[") && strings.HasSuffix(d, "]") {
		return "", fmt.Errorf("suppress: domain %q: %w: address literals are not supported", domain, ErrInvalidAddress)
	}
	a, err := idnaProfile.ToASCII(d)
	if err != nil {
		return "", fmt.Errorf("suppress: domain %q: %w: %v", domain, ErrInvalidAddress, err)
	}
	a = strings.ToLower(a)
	for i := 0; i < len(a); i++ {
		if c := a[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return "", fmt.Errorf("suppress: domain %q: %w: %q is not allowed in a domain", domain, ErrInvalidAddress, c)
		}
	}
	if len(a) > 253 {
		return "", fmt.Errorf("suppress: domain %q: %w: longer than 253 octets", domain, ErrInvalidAddress)
	}
	return a, nil
}

func normalizeParts(address string) (local, domain string, err error) {
	bad := func(why string) error {
		return fmt.Errorf("suppress: address %q: %w: %s", address, ErrInvalidAddress, why)
	}
	s := strings.TrimSpace(address)
	if !utf8.ValidString(s) {
		return "", "", bad("not valid UTF-8")
	}
	// A display form "Name <addr>" or a bare "<addr>".
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		j := strings.LastIndexByte(s, '>')
		if j < i {
			return "", "", bad("unbalanced angle brackets")
		}
		if strings.TrimSpace(s[j+1:]) != "" {
			return "", "", bad("text after the closing angle bracket")
		}
		s = strings.TrimSpace(s[i+1 : j])
	}
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		s = strings.TrimSpace(s[7:])
		if q := strings.IndexByte(s, '?'); q >= 0 {
			s = s[:q]
		}
	}
	if s == "" {
		return "", "", bad("empty")
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return "", "", bad("no @")
	}
	local, domain = s[:at], s[at+1:]
	if local == "" {
		return "", "", bad("empty local part")
	}
	if domain == "" {
		return "", "", bad("empty domain")
	}
	if strings.ContainsRune(local, '@') && !(strings.HasPrefix(local, `"`) && strings.HasSuffix(local, `"`)) {
		return "", "", bad("more than one @")
	}
	for _, r := range local {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return "", "", bad("blank or control character in the local part")
		}
		if r == '<' || r == '>' || r == ',' || r == ';' {
			return "", "", bad(fmt.Sprintf("%q in the local part", r))
		}
	}
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		if !strings.HasPrefix(local, `"`) {
			return "", "", bad("misplaced dot in the local part")
		}
	}
	local = strings.ToLower(norm.NFC.String(local))
	if len(local) > 64 {
		return "", "", bad("local part longer than 64 octets")
	}
	d, err := NormalizeDomain(domain)
	if err != nil {
		return "", "", bad(strings.TrimPrefix(err.Error(), fmt.Sprintf("suppress: domain %q: %v: ", domain, ErrInvalidAddress)))
	}
	return local, d, nil
}

// normalizePattern normalises an allow-list pattern: an address, or "@domain".
func normalizePattern(p string) (string, error) {
	s := strings.TrimSpace(p)
	if strings.HasPrefix(s, "@") {
		d, err := NormalizeDomain(s[1:])
		if err != nil {
			return "", err
		}
		return "@" + d, nil
	}
	return Normalize(s)
}

// domainOf returns the domain of a normalised address.
func domainOf(address string) string {
	return address[strings.LastIndexByte(address, '@')+1:]
}

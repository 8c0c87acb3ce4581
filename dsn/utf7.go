package dsn

import (
	"encoding/base64"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// isUTF7 reports whether a charset name means UTF-7 (RFC 2152). Outlook labels some NDRs
// so, and x/text does not carry it.
func isUTF7(name string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(name), `"'`)) {
	case "utf-7", "unicode-1-1-utf-7", "csunicode11utf7", "x-unicode-2-0-utf-7":
		return true
	}
	return false
}

// decodeUTF7 turns UTF-7 bytes into UTF-8. Broken shifted sequences are kept as they stand.
func decodeUTF7(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '+' {
			out = append(out, c)
			continue
		}
		j := i + 1
		for j < len(b) && isBase64Char(b[j]) {
			j++
		}
		if j == i+1 {
			// "+-" is a plus sign; a lone "+" stays.
			out = append(out, '+')
			if j < len(b) && b[j] == '-' {
				i = j
			}
			continue
		}
		raw, err := base64.RawStdEncoding.DecodeString(string(b[i+1 : j]))
		if err != nil || len(raw) < 2 {
			out = append(out, b[i:j]...)
			i = j - 1
			continue
		}
		units := make([]uint16, 0, len(raw)/2)
		for k := 0; k+1 < len(raw); k += 2 {
			units = append(units, uint16(raw[k])<<8|uint16(raw[k+1]))
		}
		for _, r := range utf16.Decode(units) {
			out = utf8.AppendRune(out, r)
		}
		if j < len(b) && b[j] == '-' {
			j++
		}
		i = j - 1
	}
	return out
}

func isBase64Char(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
}

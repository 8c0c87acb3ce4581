package dsn

import "strings"

// lowerASCII lower-cases the ASCII letters of s and leaves every other byte alone, so that
// offsets found in the result hold in s. (strings.ToLower may change byte lengths: invalid
// UTF-8 becomes U+FFFD, and a few letters change size.)
func lowerASCII(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	// One allocation: the builder's buffer becomes the string.
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		j := i
		for j < len(s) && (s[j] < 'A' || s[j] > 'Z') {
			j++
		}
		b.WriteString(s[i:j])
		for j < len(s) && s[j] >= 'A' && s[j] <= 'Z' {
			b.WriteByte(s[j] + 'a' - 'A')
			j++
		}
		i = j
	}
	return b.String()
}

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// firstOf returns the offset of the earliest of markers (lower-case) in lower, and the
// marker's length, or -1.
func firstOf(lower string, markers []string) (int, int) {
	at, n := -1, 0
	for _, mk := range markers {
		if i := strings.Index(lower, mk); i >= 0 && (at < 0 || i < at) {
			at, n = i, len(mk)
		}
	}
	return at, n
}

// indexFoldASCII returns the first offset of sub (lower-case ASCII) in s, ignoring ASCII case,
// or -1. Unlike lower-casing s first, it allocates nothing.
func indexFoldASCII(s, sub string) int {
	if sub == "" {
		return 0
	}
	first, upper := sub[0], sub[0]
	if first >= 'a' && first <= 'z' {
		upper = first - 'a' + 'A'
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		if c := s[i]; (c == first || c == upper) && strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

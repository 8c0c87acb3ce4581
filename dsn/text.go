package dsn

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
	b := []byte(s)
	for ; i < len(b); i++ {
		if c := b[i]; c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

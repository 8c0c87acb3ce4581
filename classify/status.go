package classify

import "strings"

// Status is an enhanced mail system status code, "class.subject.detail" (RFC 3463 §2), such as
// "5.1.1". The zero value means no code.
type Status string

// ParseStatus reads an enhanced status code, as found in a Status field (RFC 3464 §2.3.4),
// ignoring surrounding blanks and a trailing comment. It returns "" and false when s does not
// hold a syntactically valid code: class 2, 4 or 5, subject 0-999 and detail 0-999 without
// leading zeros beyond one digit.
func ParseStatus(s string) (Status, bool) {
	s = trimComment(s)
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		s = s[:i]
	}
	if !validStatus(s) {
		return "", false
	}
	return Status(s), true
}

func validStatus(s string) bool {
	if len(s) < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.' {
		return false
	}
	rest := s[2:]
	dot := strings.IndexByte(rest, '.')
	if dot < 0 {
		return false
	}
	return validNum(rest[:dot]) && validNum(rest[dot+1:])
}

func validNum(s string) bool {
	if len(s) == 0 || len(s) > 3 || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Valid reports whether s is a syntactically valid code.
func (s Status) Valid() bool { return validStatus(string(s)) }

// Class returns the class digit: '2' success, '4' persistent transient failure, '5' permanent
// failure, or 0 for an invalid code.
func (s Status) Class() byte {
	if !s.Valid() {
		return 0
	}
	return s[0]
}

// Subject returns the subject part ("1" of "5.1.1"), or "" for an invalid code.
func (s Status) Subject() string {
	if !s.Valid() {
		return ""
	}
	rest := string(s[2:])
	return rest[:strings.IndexByte(rest, '.')]
}

// Detail returns the detail part ("1" of "5.1.1"), or "" for an invalid code.
func (s Status) Detail() string {
	if !s.Valid() {
		return ""
	}
	rest := string(s[2:])
	return rest[strings.IndexByte(rest, '.')+1:]
}

// Generic reports whether the code says nothing beyond its class: subject and detail both 0
// ("5.0.0", "4.0.0"). A generic code gives way to a specific one found elsewhere in the mail.
func (s Status) Generic() bool { return s.Valid() && s[1:] == ".0.0" }

// String returns the code, or "" for the zero value.
func (s Status) String() string { return string(s) }

// ReplyCode is a three-digit SMTP reply code (RFC 5321 §4.2), such as "550". The zero value
// means no code.
type ReplyCode string

// ParseReplyCode reads a reply code: three digits, the first 2 to 5, the second 0 to 5. It
// returns "" and false otherwise.
func ParseReplyCode(s string) (ReplyCode, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 3 || s[0] < '2' || s[0] > '5' || s[1] < '0' || s[1] > '5' || s[2] < '0' || s[2] > '9' {
		return "", false
	}
	return ReplyCode(s), true
}

// Valid reports whether c is a syntactically valid reply code.
func (c ReplyCode) Valid() bool {
	_, ok := ParseReplyCode(string(c))
	return ok
}

// Class returns the first digit, or 0 for an invalid code.
func (c ReplyCode) Class() byte {
	if !c.Valid() {
		return 0
	}
	return c[0]
}

// String returns the code, or "" for the zero value.
func (c ReplyCode) String() string { return string(c) }

// trimComment removes RFC 5322 comments in parentheses and surrounding blanks.
func trimComment(s string) string {
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }

package classify

import "strings"

// ExtractCodes finds the SMTP reply code and the enhanced status code in a piece of prose, such
// as a Diagnostic-Code value or a line of a free-text bounce ("550 5.1.1 <a@example.org>: user
// unknown"). It returns "" for a code the text does not hold; it never guesses one.
//
// An enhanced code counts only where it stands alone: "192.0.2.1", "4.4.2019" or "v2.1.5.3"
// are not codes. A reply code counts where SMTP puts it: at the start of the text or a line,
// after a colon, semicolon or bracket, after the word "code", or right before an enhanced code
// ("550 5.1.1", where an enhanced code of any subject counts); a bare three-digit number in the
// middle of a sentence is not taken. A code glued to the capitalized word of its text
// ("550User unknown") counts. A success status beside a failure reply is not taken. When the text holds several,
// failures (4xx, 5xx) win over successes, a reply code paired with an enhanced code wins over
// a lone one, and otherwise the first wins. The first failure pair is the text's own answer,
// even when its classes differ ("554 4.4.7 Message expired: ... <421 4.4.0 ...>"): a later
// pair is a reply it quotes, such as the last deferral before the sender gave up. A reply
// quoted as a tuple of code and lines ("('550', ['5.1.1 <a@example.org>: User unknown'])", as
// Cisco's AsyncOS writes the remote server's answer after its own lone "5.1.0") is a pair.
//
// Codes written in full-width forms ("５５０ ５．１．１", as Japanese and Chinese mail systems
// write them) or in Arabic-Indic digits ("٥٥٠ ٥.١.١") read as their ASCII codes: see
// foldFullWidth.
func ExtractCodes(text string) (ReplyCode, Status) {
	if hasFullWidthDigit(text) || hasArabicIndicDigit(text) {
		text = foldFullWidth(text)
	}
	var (
		firstStatus, failStatus Status // first code of any class, first failure code
		specific                Status // first failure code that is not generic
		reply, failReply        ReplyCode
		pairReply               ReplyCode
		pairStatus              Status
	)
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c < '2' || c > '5' || (i > 0 && isCodeChar(text[i-1])) {
			continue
		}
		if st, n := statusAt(text, i, false); n > 0 {
			if firstStatus == "" {
				firstStatus = st
			}
			if st[0] != '2' {
				if failStatus == "" {
					failStatus = st
				}
				if specific == "" && !st.Generic() {
					specific = st
				}
			}
			i += n - 1
			continue
		}
		rc, n, rank := replyAt(text, i)
		if n == 0 {
			continue
		}
		j := i + n
		for j < len(text) && (text[j] == ' ' || text[j] == '-' || text[j] == '#' || text[j] == '\'' || text[j] == ',' || text[j] == '[') {
			j++
		}
		if st, m := statusAt(text, j, true); m > 0 && st[0] != '2' && rc[0] != '2' && pairReply == "" {
			pairReply, pairStatus = rc, st
		}
		if rank > 0 {
			if reply == "" {
				reply = rc
			}
			if failReply == "" && rc[0] != '2' {
				failReply = rc
			}
		}
		i += n - 1
	}
	if failReply != "" {
		reply = failReply
	}
	status := firstStatus
	if failStatus != "" {
		status = failStatus
	} else if failReply != "" {
		// A success code (2.x.x, RFC 3463 §3.1) is not the enhanced code of a text whose
		// reply is a failure: it is another reply's, or a version ("Postfix 2.3.8").
		status = ""
	}
	if pairReply != "" {
		reply, status = pairReply, pairStatus
	}
	// A generic code ("5.0.0") gives way to a specific one of the same class.
	if status.Generic() && specific != "" && specific[0] == status[0] {
		status = specific
	}
	return reply, status
}

// isCodeChar reports whether b, next to a digit, makes it part of a longer token: another digit,
// a dot (IP addresses, versions) or a letter.
func isCodeChar(b byte) bool {
	return b == '.' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' || b == '/'
}

// statusAt reads an enhanced status code starting at text[i] and returns it with its length,
// or 0 when none stands there alone. Right after a reply code (afterReply) a code of any
// subject counts: RFC 3463 §2 has a client read a subject or detail it does not know by its
// class, and "550 5.9.1" is no version number.
func statusAt(text string, i int, afterReply bool) (Status, int) {
	if i >= len(text) || (text[i] != '2' && text[i] != '4' && text[i] != '5') {
		return "", 0
	}
	if i+1 >= len(text) || text[i+1] != '.' {
		return "", 0
	}
	j := i + 2
	// In prose only the subjects defined so far (0-7) count, so that "Exim 4.92.1" is not a code.
	subj := digitsAt(text, j)
	if subj == 0 || !afterReply && (subj != 1 || text[j] > '7') || j+subj >= len(text) || text[j+subj] != '.' {
		return "", 0
	}
	k := j + subj + 1
	det := digitsAt(text, k)
	if det == 0 || det > 3 {
		return "", 0
	}
	end := k + det
	if end < len(text) {
		// "5.1.1." at the end of a sentence is fine; "5.1.1.2" or "5.1.1a" is not a code.
		b := text[end]
		if (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') && !capitalized(text, end) || b == '_' {
			return "", 0
		}
		if b == '.' && end+1 < len(text) && text[end+1] >= '0' && text[end+1] <= '9' {
			return "", 0
		}
	}
	s := text[i:end]
	if !validStatus(s) {
		return "", 0
	}
	return Status(s), end - i
}

// namedCode reports whether the number at text[i] follows the word "code" and a blank ("error
// code 550: user unknown", "SMTP code 550"): the text names it a code.
func namedCode(text string, i int) bool {
	return i >= 5 && text[i-1] == ' ' && strings.EqualFold(text[i-5:i-1], "code") && (i == 5 || !isCodeChar(text[i-6]))
}

// capitalized reports whether a capitalized word starts at text[i]: an upper-case ASCII letter
// followed by a lower-case one. Some mail systems write a reply's text right after its codes,
// with no blank ("550User unknown", "5.1.1Recipient address rejected"); a unit ("552MB") or an
// identifier ("5.1.1a") is not such a word.
func capitalized(text string, i int) bool {
	return i+1 < len(text) && text[i] >= 'A' && text[i] <= 'Z' && text[i+1] >= 'a' && text[i+1] <= 'z'
}

func digitsAt(text string, i int) int {
	n := 0
	for i+n < len(text) && text[i+n] >= '0' && text[i+n] <= '9' {
		n++
	}
	return n
}

// replyAt reads a reply code at text[i]. rank says how sure the place makes it: 2 at the start
// of the text or a line or after SMTP-ish punctuation, 1 after a blank when an enhanced code or
// a dash follows, 0 otherwise (returned so that the caller can pair it, never taken alone).
func replyAt(text string, i int) (ReplyCode, int, int) {
	if i+3 > len(text) {
		return "", 0, 0
	}
	rc, ok := ParseReplyCode(text[i : i+3])
	if !ok {
		return "", 0, 0
	}
	end := i + 3
	glued := false
	named := namedCode(text, i)
	if end < len(text) {
		b := text[end]
		glued = capitalized(text, end)
		if b != ' ' && b != '-' && b != '\t' && b != '\r' && b != '\n' && b != '"' && b != ')' && b != ']' && b != '>' && b != ',' && b != ';' && b != '\'' && !glued && !(b == ':' && named) {
			return "", 0, 0
		}
		// "550-" continuation lines and "550 " are replies; "552," in a sentence is weaker.
	}
	rank := 0
	p := i - 1
	for p >= 0 && (text[p] == ' ' || text[p] == '\t') {
		p--
	}
	switch {
	case p < 0, named:
		rank = 2
	case p >= 2 && (text[p-2:p+1] == "：" || text[p-2:p+1] == "；"):
		// The full-width colon and semicolon of Chinese and Japanese text ("错误代码：550").
		rank = 2
	default:
		switch text[p] {
		case '\n', '\r', ':', ';', '(', '[', '"', '\'', '<', '>', '=', '#', '*', '|':
			rank = 2
		case ',':
			// After the bracketed address of the host that answered, a number is its reply
			// (SurfControl: "user@example.org: [192.0.2.1], 550 user@example.org... No such user").
			if p > 0 && text[p-1] == ']' {
				rank = 2
			}
		}
	}
	if glued && rank < 2 {
		// Glued to a word, only a number where SMTP puts a reply is one.
		return "", 0, 0
	}
	if rank == 0 && end < len(text) && (text[end] == '-' || text[end] == ' ') {
		j := end + 1
		if _, m := statusAt(text, j, false); m > 0 {
			rank = 1
		}
	}
	return rc, 3, rank
}

// hasFullWidthDigit reports whether text holds a full-width digit (U+FF10 to U+FF19, UTF-8
// EF BC 90 to EF BC 99). Text without one is read as it stands.
func hasFullWidthDigit(text string) bool {
	for i := 0; i+2 < len(text); i++ {
		j := strings.IndexByte(text[i:], 0xef)
		if j < 0 {
			return false
		}
		i += j
		if i+2 < len(text) && text[i+1] == 0xbc && text[i+2] >= 0x90 && text[i+2] <= 0x99 {
			return true
		}
	}
	return false
}

// hasArabicIndicDigit reports whether text holds an Arabic-Indic digit (U+0660 to U+0669,
// UTF-8 D9 A0 to D9 A9) or an Extended Arabic-Indic one (U+06F0 to U+06F9, DB B0 to DB B9).
func hasArabicIndicDigit(text string) bool {
	return hasDigitAfter(text, 0xd9, 0xa0) || hasDigitAfter(text, 0xdb, 0xb0)
}

// hasDigitAfter reports whether text holds the two-byte sequence lead, d with d from zero to
// zero+9.
func hasDigitAfter(text string, lead, zero byte) bool {
	for i := 0; i+1 < len(text); i++ {
		j := strings.IndexByte(text[i:], lead)
		if j < 0 {
			return false
		}
		i += j
		if i+1 < len(text) && text[i+1] >= zero && text[i+1] <= zero+9 {
			return true
		}
	}
	return false
}

// foldFullWidth writes the full-width forms of ASCII (U+FF01 to U+FF5E: digits, the full
// stop, the colon, letters) as their ASCII characters, the ideographic space (U+3000) as a
// blank, and the Arabic-Indic and Extended Arabic-Indic digits with the Arabic decimal
// separator (U+066B) as ASCII digits and a full stop, so that a code and the punctuation
// around it read as they would in ASCII. A digit is the same digit in any of these scripts.
func foldFullWidth(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range text {
		switch {
		case 0xff01 <= r && r <= 0xff5e:
			b.WriteByte(byte(r - 0xff01 + '!'))
		case 0x0660 <= r && r <= 0x0669:
			b.WriteByte(byte(r - 0x0660 + '0'))
		case 0x06f0 <= r && r <= 0x06f9:
			b.WriteByte(byte(r - 0x06f0 + '0'))
		case r == 0x066b:
			b.WriteByte('.')
		case r == 0x3000:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

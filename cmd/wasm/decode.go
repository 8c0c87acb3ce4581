package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
)

// Input kinds, as result.Input reports them.
const (
	inputMail = "mail" // a whole mail, decoded by dsn
	inputText = "text" // an error line or a bounce's text without headers, read by classify
)

// maxLine caps the echo of a pasted error line in the result.
const maxLine = 2000

// result is what bounceproc.decode returns, as JSON. Verdicts and Codes run parallel to
// Report.Recipients.
type result struct {
	Input    string                    `json:"input,omitempty"`
	Report   *dsn.Report               `json:"report,omitempty"`
	Verdicts []classify.Verdict        `json:"verdicts,omitempty"`
	Codes    [][]classify.Meaning      `json:"codes,omitempty"`
	Text     *classify.TextExplanation `json:"text,omitempty"`
	// Address is the first address found in a pasted error line, and Line the line itself
	// (cut at maxLine bytes), for Input "text".
	Address string `json:"address,omitempty"`
	Line    string `json:"line,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Messages for input the decoder cannot use.
const (
	msgEmpty   = "Nothing to decode: paste a bounce mail, drop an .eml file, or paste an SMTP error line."
	msgGarbage = "This does not look like a bounce: it has no mail headers and no SMTP reply code (like 550) " +
		"or enhanced status code (like 5.1.1). Paste the whole bounce as raw source (\"show original\") or the error line from it."
)

// decodeJSON decodes input and returns the result as JSON. It never panics: a failure inside
// the decoder becomes an error message, so that one bad mail cannot stop the module the page
// keeps running.
func decodeJSON(input []byte) (out []byte) {
	defer func() {
		if p := recover(); p != nil {
			out = errorJSON(fmt.Sprintf("The decoder failed on this input (a bug, please report it): %v", p))
		}
	}()
	res := decode(input)
	b, err := json.Marshal(res)
	if err != nil {
		return errorJSON("The decoder could not write its result: " + err.Error())
	}
	return b
}

func errorJSON(msg string) []byte {
	b, _ := json.Marshal(result{Error: msg}) // a struct of strings always marshals
	return b
}

// decode decides whether input is a mail or an error line and decodes it.
func decode(input []byte) result {
	if len(bytes.TrimSpace(input)) == 0 {
		return result{Error: msgEmpty}
	}
	if looksLikeMail(input) {
		// ParseBytes normalises line endings in place: give it a copy, input is read again below.
		rep := dsn.ParseBytes(bytes.Clone(input))
		// A mail, even one that is no bounce, is shown as decoded. Header-like lines with no
		// sender, subject or message ID ("Status: 5.2.2", a pasted Diagnostic-Code line) are
		// read as text below.
		if len(rep.Recipients) > 0 || hasHeaderFields(rep) {
			return mailResult(rep)
		}
	}
	text := toValidUTF8(input)
	ex := classify.ExplainText(text)
	if ex.Reply == "" && ex.Status == "" {
		return result{Error: msgGarbage}
	}
	return result{Input: inputText, Text: &ex, Address: firstAddress(text), Line: cut(strings.TrimSpace(text), maxLine)}
}

// mailResult classifies each recipient of rep and looks up its codes.
func mailResult(rep *dsn.Report) result {
	r := result{
		Input:    inputMail,
		Report:   rep,
		Verdicts: make([]classify.Verdict, len(rep.Recipients)),
		Codes:    make([][]classify.Meaning, len(rep.Recipients)),
	}
	for i := range rep.Recipients {
		rc := &rep.Recipients[i]
		r.Verdicts[i] = classify.Classify(rc.Facts(rep))
		r.Codes[i] = meanings(rc)
	}
	return r
}

// meanings explains a recipient's reply code and status codes, the reply first, then the
// status used, then a status found elsewhere in the mail that differs from it.
func meanings(rc *dsn.Recipient) []classify.Meaning {
	ms := []classify.Meaning{}
	if rc.Reply != "" {
		ms = append(ms, classify.ExplainReply(rc.Reply))
	}
	seen := map[classify.Status]bool{}
	for _, s := range []classify.Status{rc.Status, rc.FieldStatus, rc.TextStatus} {
		if s != "" && !seen[s] {
			seen[s] = true
			ms = append(ms, classify.ExplainStatus(s))
		}
	}
	return ms
}

// hasHeaderFields reports whether rep read anything from a header: a subject, a sender or a
// message ID.
func hasHeaderFields(rep *dsn.Report) bool {
	return rep.Subject != "" || rep.From != "" || rep.MessageID != ""
}

// looksLikeMail reports whether b starts like a mail: after blank lines and an mbox "From "
// line, a header field "Name: value" (RFC 5322 §2.2: printable ASCII but the colon, no blanks
// before it). An error line ("550 5.1.1 <a@example.org>: ...") has a blank before its colon.
func looksLikeMail(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	if bytes.HasPrefix(b, []byte("From ")) {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return false
		}
		b = b[i+1:]
	}
	for i, c := range b {
		switch {
		case c == ':':
			return i > 0
		case c < '!' || c > '~':
			return false
		}
	}
	return false
}

// firstAddress returns the first mail address in text: one in angle brackets when there is one,
// else the first bare user@domain.tld; "" when there is none.
func firstAddress(text string) string {
	var bare string
	for i := 0; i < len(text); i++ {
		if text[i] != '@' {
			continue
		}
		start := i
		for start > 0 && isLocalByte(text[start-1]) {
			start--
		}
		end := i + 1
		for end < len(text) && isDomainByte(text[end]) {
			end++
		}
		local, domain := text[start:i], strings.TrimRight(text[i+1:end], ".-")
		if local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") {
			continue
		}
		addr := local + "@" + domain
		if start > 0 && text[start-1] == '<' && i+1+len(domain) < len(text) && text[i+1+len(domain)] == '>' {
			return addr
		}
		if bare == "" {
			bare = addr
		}
	}
	return bare
}

func isLocalByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		strings.IndexByte("!#$%&'*+-/=?^_`{|}~.", c) >= 0 || c >= 0x80
}

func isDomainByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c >= 0x80
}

// toValidUTF8 turns bytes into text, replacing what is not UTF-8.
func toValidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// cut shortens s to at most n bytes, on a rune boundary, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

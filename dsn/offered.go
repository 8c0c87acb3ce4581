package dsn

import (
	"bytes"
	"strings"
)

// Bounces name addresses that are not failed recipients but somewhere else to write: the
// user's new address, a help desk or an administrator, the site's form of addresses, or
// the people a directory gateway offers instead. Reporting one would suppress a live
// address. They are told apart by the words that offer them:
//
//	If you believe this is an error, contact your administrator at admin@example.org
//	The user's new address is alice@example.com.
//	try emailing to NAME@cs.example.edu instead.
//	The standard form of email address at EXAMPLE is lastnameNumber@example.gov
//	The following locator information may be of help in finding another means
//	of contacting "user1":
//
//	  Judy L. User            +1 925-555-0100       user4@example.gov

// offerLeadIns end the words that stand right before an offered address, lower-cased, with
// runs of blanks as one space.
var offerLeadIns = []string{
	"contact", "contact support", "contact us", "write to", "send mail to", "please try", "try emailing to", "try emailing",
	"try sending to", "new address is", "new address:", "neue adresse lautet", "forward to",
	"please use", "resend it to", "help desk:", "helpdesk:", "support:", "run by",
	"reported to", "refer your provider to", "e.g.,", "for example", "of the form",
	// The same offers in other languages: "Bei Fragen wenden Sie sich an hilfe@...", "Sa
	// nouvelle adresse est : ...", "Para cualquier consulta escriba a soporte@...",
	// "напишите администратору: admin@...", "お問い合わせ: support@...".
	"wenden sie sich an", "sich bitte an", "schreiben sie an", "neue adresse", "neue adresse ist",
	"nouvelle adresse", "nouvelle adresse est", "écrivez à", "écrire à", "contactez",
	"nueva dirección", "nueva dirección es", "escriba a", "escríbanos a", "contacte con", "en contacto con",
	"novo endereço", "novo endereço é", "escreva para", "entre em contato com",
	"nuovo indirizzo", "nuovo indirizzo è", "scrivere a", "scrivi a", "contattare",
	"nieuwe adres", "nieuwe adres is", "neem contact op met", "schrijf naar",
	"nowy adres", "nowy adres to", "napisz do", "skontaktuj się z",
	"новый адрес", "напишите", "администратору", "обратитесь к", "обратитесь по адресу",
	"新しいアドレス", "お問い合わせ", "問い合わせ先", "連絡先", "新地址", "请联系", "联系", "새 주소", "문의",
}

// offerAtWords, in the same sentence, make "... at" a lead-in: "contact your administrator
// at", "the help desk at".
var offerAtWords = []string{"contact", "help desk", "helpdesk", "reach"}

// offerIsWords, in the same sentence, make "... is" a lead-in: "The standard form of email
// address at EXAMPLE is".
var offerIsWords = []string{"form of", "new address"}

// offerVerbs, as words of the sentence before an address, ask to write there; with
// "instead" after the address they offer it ("try emailing to NAME@cs.example.edu
// instead"), while "Delivery to a@example.org failed and the message was returned to you
// instead of being queued" names a failed recipient.
var offerVerbs = []string{"try", "write", "use", "send", "email", "e-mail", "reach", "contact", "resend"}

// offerHeads mark a paragraph, ending in a colon, whose next paragraph lists people or
// addresses to try instead, lower-cased.
var offerHeads = []string{"may be of help", "may be able to help", "may help", "it matched", "instead", "may be contacted", "you may contact", "alternative address", "alternative contact"}

// offerWindow bounds how far after an address its sentence is read, and a fourth of how far
// above it the heading of a list is looked for.
const offerWindow = 160

// leadWindow bounds how far before an address its sentence is read: the lead-ins and the
// words that make "... at" and "... is" one are shorter.
const leadWindow = 80

// offerScan reads, address by address in the order they stand in one text, whether each is
// offered as somewhere else to write. It remembers the paragraph of the last address, so
// that the addresses of one list cost one look at its heading.
type offerScan struct {
	text    string
	at      int  // the offset of the last address looked at, or -1
	offered bool // whether the last address's paragraph lists offered addresses
}

func newOfferScan(text string) offerScan { return offerScan{text: text, at: -1} }

// offeredAddress reports whether the address a of text is offered as somewhere else to
// write, not named as a failed recipient.
func (o *offerScan) offeredAddress(a addrSpan) bool {
	text := o.text
	before := text[max(0, a.start-leadWindow):a.start]
	if i := sentenceStart(before); i >= 0 {
		before = before[i:]
	}
	var buf [leadWindow]byte
	lead := squeezeLower(buf[:0], before)
	lead = bytes.TrimRight(lead, " <(\"'")
	if hasAnySuffix(lead, offerLeadIns) {
		return true
	}
	lead = bytes.TrimRight(lead, ": ")
	if hasAnySuffix(lead, offerLeadIns) ||
		bytes.HasSuffix(lead, []byte(" at")) && containsAnyOf(lead, offerAtWords) ||
		bytes.HasSuffix(lead, []byte(" is")) && containsAnyOf(lead, offerIsWords) {
		return true
	}
	if after := text[a.end:min(len(text), a.end+offerWindow)]; indexFold(after, "instead") >= 0 &&
		insteadAfter(after) && startsAWord(string(lead), offerVerbs) {
		return true
	}
	if o.at < 0 || o.at > a.start || hasBlankLine(text[o.at:a.start]) {
		o.offered = inOfferedList(text, a.start)
	}
	o.at = a.start
	return o.offered
}

// insteadAfter reports whether the sentence that after begins says "instead".
func insteadAfter(after string) bool {
	if i := strings.Index(after, ". "); i >= 0 {
		after = after[:i]
	}
	if i := strings.Index(after, "\n\n"); i >= 0 {
		after = after[:i]
	}
	return indexFold(after, "instead") >= 0
}

// hasBlankLine reports whether s holds a line break followed by a line of blanks only and
// another line break: whether two offsets it joins stand in different paragraphs.
func hasBlankLine(s string) bool {
	for i := strings.IndexByte(s, '\n'); i >= 0; {
		j := i + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r') {
			j++
		}
		if j < len(s) && s[j] == '\n' {
			return true
		}
		k := strings.IndexByte(s[j:], '\n')
		if k < 0 {
			return false
		}
		i = j + k
	}
	return false
}

// squeezeLower appends s to dst with ASCII letters lower-cased and each run of blanks
// written as one space.
func squeezeLower(dst []byte, s string) []byte {
	blank := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			blank = true
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		if blank && len(dst) > 0 {
			dst = append(dst, ' ')
		}
		blank = false
		dst = append(dst, c)
	}
	return dst
}

// sentenceStart returns where the last sentence or paragraph of s begins (after ". ",
// ".\n" or a blank line), or -1.
func sentenceStart(s string) int {
	for i := len(s) - 2; i >= 0; i-- {
		if s[i+1] == ' ' && s[i] == '.' || s[i+1] == '\n' && (s[i] == '.' || s[i] == '\n') {
			return i + 2
		}
	}
	return -1
}

func hasAnySuffix(s []byte, words []string) bool {
	for _, w := range words {
		if len(s) >= len(w) && string(s[len(s)-len(w):]) == w {
			return true
		}
	}
	return false
}

func containsAnyOf(s []byte, words []string) bool {
	for _, w := range words {
		if bytes.Contains(s, []byte(w)) {
			return true
		}
	}
	return false
}

// inOfferedList reports whether text[i] stands in a paragraph right below one that ends in
// a colon and offers people or addresses to try instead ("The entries it matched are:",
// "The following people may be able to help you:").
func inOfferedList(text string, i int) bool {
	from := max(0, i-4*offerWindow)
	t := text[from:i]
	// Up over the list's own lines to the blank line above them.
	e := len(t)
	for {
		j := strings.LastIndexByte(t[:e], '\n')
		if j < 0 {
			return false
		}
		k := strings.LastIndexByte(t[:j], '\n')
		if strings.TrimSpace(t[k+1:j]) == "" {
			e = j
			break
		}
		e = j
	}
	// Up over the blank lines to the heading's last line.
	for {
		j := strings.LastIndexByte(t[:e], '\n')
		if j < 0 {
			return false
		}
		if strings.TrimSpace(t[j+1:e]) != "" {
			break
		}
		e = j
	}
	if !strings.HasSuffix(strings.TrimSpace(t[:e]), ":") {
		return false
	}
	// The heading: up to three lines, up to the blank line above it.
	s := e
	for n := 0; n < 3; n++ {
		j := strings.LastIndexByte(t[:s], '\n')
		if j < 0 || strings.TrimSpace(t[j+1:s]) == "" {
			break
		}
		s = j
	}
	var buf [4 * offerWindow]byte
	return containsAnyOf(squeezeLower(buf[:0], t[s:e]), offerHeads)
}

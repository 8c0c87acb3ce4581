package dsn

import "strings"

// originalHeaderCap caps the X- headers kept from the returned message.
const originalHeaderCap = 32

// fillOriginal fills Report.Original from the returned message (RFC 3462 §2, RFC 6533 §6) or,
// in a free-text bounce, from the copy of its headers found in the text.
func (m *mail) fillOriginal() {
	h := m.origHeader
	if !m.origFound {
		// A copy in the text is read into a buffer on the stack: only its values are kept.
		var buf [16]Field
		h = m.inlineOriginal(buf[:0])
		if h == nil {
			return
		}
	}
	o := &m.rep.Original
	o.MessageID = strings.TrimSpace(h.get("Message-ID"))
	o.From = decodeWords(h.get("From"))
	o.To = decodeWords(h.get("To"))
	o.Subject = decodeWords(h.get("Subject"))
	o.Date = h.get("Date")
	o.ListID = decodeWords(h.get("List-Id"))
	for _, f := range h {
		if len(o.Headers) >= originalHeaderCap {
			break
		}
		n := f.Name
		if hasPrefixLower(n, "x-") && !hasPrefixLower(n, "x-ms-exchange") && !hasPrefixLower(n, "x-spam") && !equalLower(n, "x-mailer") && !hasPrefixLower(n, "x-received") && !hasPrefixLower(n, "x-google") {
			o.Headers = append(o.Headers, Field{Name: f.Name, Value: decodeWords(f.Value)})
		}
	}
}

// inlineOriginal finds the headers of a returned message copied into the text of a free-text
// bounce and appends them to h, or returns nil.
func (m *mail) inlineOriginal(h header) header {
	t := m.text()
	i := m.returnedHeaderStart(t)
	if i < 0 {
		return nil
	}
	return appendHeaderString(h, headerBlockAt(t, i), nil)
}

// returnedHeaderStart returns where in t the header block of the returned message starts
// (see inlineHeaderStart), or -1; in a person's forward of a bounce, below the forwarded
// bounce's own header (see forwardedBounceAt).
func (m *mail) returnedHeaderStart(t string) int {
	off := m.forwardedBounceAt(t)
	if i := inlineHeaderStart(t[off:]); i >= 0 {
		return off + i
	}
	return -1
}

// forwardedBounceAt returns where in t the text of the bounce a person forwards inline
// starts, or 0. The mail program writes the bounce's own header above the forwarded text
// (under "---------- Forwarded message ---------" or "-----Original Message-----"): a first
// header block from a mail system, in a person's forward, is that header, and the text
// below it is the forwarded bounce's report, followed by the returned message's copy.
func (m *mail) forwardedBounceAt(t string) int {
	if !m.personsForward() {
		return 0
	}
	i := inlineHeaderStart(t)
	if i < 0 {
		return 0
	}
	block := headerBlockAt(t, i)
	if !sentByMailSystem(decodeWords(appendHeaderString(nil, block, nil).get("From"))) {
		return 0
	}
	return i + len(block)
}

// headerBlockAt returns the header block that starts at i in t: up to its empty line.
func headerBlockAt(t string, i int) string {
	block := t[i:]
	if j := strings.Index(block, "\n\n"); j >= 0 {
		block = block[:j+1]
	}
	return block
}

// inlineHeaderStart returns where a block of at least three header lines that looks like the
// top of a mail starts in text (naming at least two of Received, Return-Path, From, To,
// Subject, Date, Message-ID), or -1.
func inlineHeaderStart(text string) int {
	start, run, known := -1, 0, 0
	pos := 0
	for pos < len(text) {
		end := strings.IndexByte(text[pos:], '\n')
		line := text[pos:]
		next := len(text)
		if end >= 0 {
			line = text[pos : pos+end]
			next = pos + end + 1
		}
		// Quoted copies ("> From: ...") and indented ones count too. (TrimLeft builds its
		// byte set on every call: most lines need no trim.)
		l := line
		if l != "" && (l[0] == ' ' || l[0] == '>' || l[0] == '\t') {
			l = strings.TrimLeft(l, " >\t")
		}
		switch {
		case run > 0 && len(line) > 0 && (line[0] == ' ' || line[0] == '\t') && l != "" && !strings.Contains(l, ": "):
			// a continuation line (a line of blanks only ends the block, as an empty one does:
			// HTML renderings put such lines between the rows of a table)
		case isHeaderLine(l):
			if run == 0 {
				start = pos
				known = 0
			}
			run++
			if isKnownTopHeader(l) {
				known++
			}
			if run >= 3 && known >= 2 {
				return start
			}
		default:
			run, known = 0, 0
		}
		pos = next
	}
	return -1
}

func isHeaderLine(l string) bool {
	name, _, ok := strings.Cut(l, ":")
	return ok && len(name) > 1 && len(name) < 40 && isFieldName(name)
}

// knownTopHeaders are the fields that mark the top of a mail, for inlineHeaderStart.
var knownTopHeaders = []string{"received", "return-path", "from", "to", "subject", "date", "message-id", "mime-version", "content-type"}

// isKnownTopHeader reports whether header line l (isHeaderLine holds, so its name is ASCII)
// is one of knownTopHeaders.
func isKnownTopHeader(l string) bool {
	name, _, _ := strings.Cut(l, ":")
	for _, k := range knownTopHeaders {
		if strings.EqualFold(name, k) {
			return true
		}
	}
	return false
}

package dsn

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Limits caps what decoding one mail may cost. The zero value of a field means its default.
type Limits struct {
	// MaxBytes is the most of a mail that is read; the rest is dropped and reported (default 32 MiB).
	MaxBytes int64
	// MaxHeaderBytes caps one header block (default 256 KiB).
	MaxHeaderBytes int
	// MaxDepth caps MIME nesting (default 20).
	MaxDepth int
	// MaxRecipients caps the recipients of one report (default 2,000).
	MaxRecipients int
	// MaxProblems caps the problems of one report (default 50).
	MaxProblems int
	// MaxText caps the decoded text kept for free-text decoding (default 2 MiB).
	MaxText int
	// MaxWork caps the work of decoding one mail, in units of about one byte scanned by the
	// MIME walk and the text and address scans, a MIME part counting at least 64 (default
	// 256 Mi units: well under a second). A mail that needs more is stopped and reported
	// with ProblemTooCostly; its report holds what was decoded until then.
	MaxWork int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = 32 << 20
	}
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = 256 << 10
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = 20
	}
	if l.MaxRecipients <= 0 {
		l.MaxRecipients = 2000
	}
	if l.MaxProblems <= 0 {
		l.MaxProblems = 50
	}
	if l.MaxText <= 0 {
		l.MaxText = 2 << 20
	}
	if l.MaxWork <= 0 {
		l.MaxWork = 256 << 20
	}
	return l
}

// Parse decodes one mail with the default limits. It returns an error only when r fails;
// damaged content is reported in Report.Problems.
func Parse(r io.Reader) (*Report, error) {
	return ParseLimits(r, Limits{})
}

// ParseLimits decodes one mail with the given limits.
func ParseLimits(r io.Reader, lim Limits) (*Report, error) {
	return ParseContext(context.Background(), r, lim)
}

// ParseContext decodes one mail with the given limits until ctx is done: then decoding
// stops within about a millisecond, and the report holds what was decoded so far and a
// ProblemTooCostly (a time budget is a context with a deadline). It returns an error only
// when r fails.
func ParseContext(ctx context.Context, r io.Reader, lim Limits) (*Report, error) {
	lim = lim.withDefaults()
	buf, truncated, err := readCapped(r, lim.MaxBytes)
	if err != nil {
		return nil, fmt.Errorf("dsn: read mail: %w", err)
	}
	return parseBytes(ctx, buf, truncated, lim), nil
}

// ParseBytes decodes one mail held in memory with the default limits. It may change b: line
// endings are normalised in place.
func ParseBytes(b []byte) *Report {
	return ParseBytesContext(context.Background(), b)
}

// ParseBytesContext is ParseBytes until ctx is done (see ParseContext): a mail that takes
// longer than ctx allows, or more than the default Limits.MaxWork, comes back as a partial
// report with a ProblemTooCostly.
func ParseBytesContext(ctx context.Context, b []byte) *Report {
	return ParseBytesLimits(ctx, b, Limits{})
}

// ParseBytesLimits is ParseBytesContext with the given limits.
func ParseBytesLimits(ctx context.Context, b []byte, lim Limits) *Report {
	lim = lim.withDefaults()
	truncated := false
	if int64(len(b)) > lim.MaxBytes {
		b, truncated = b[:lim.MaxBytes], true
	}
	return parseBytes(ctx, b, truncated, lim)
}

// readCapped reads at most max bytes of r, reporting whether there was more.
func readCapped(r io.Reader, max int64) ([]byte, bool, error) {
	var buf bytes.Buffer
	if sz, ok := r.(interface{ Len() int }); ok && int64(sz.Len()) < max {
		buf.Grow(sz.Len() + 1)
	}
	n, err := buf.ReadFrom(io.LimitReader(r, max+1))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, false, err
	}
	if n > max {
		return buf.Bytes()[:max], true, nil
	}
	return buf.Bytes(), false, nil
}

// mail is one mail being decoded: what the MIME walk found, for the formats to read.
type mail struct {
	lim    Limits
	rep    *Report
	budget *budget // what decoding may still spend; nil spends nothing

	header  header
	subject string // decoded
	subjLow string // subject without surrounding blanks, lower-cased
	from    string // decoded From header
	to      string // decoded To header
	body    []byte // the top-level body, transfer-encoded as it came

	texts     []string // decoded text/plain parts outside the returned message, in order
	blankRun  int      // empty text/plain parts not yet added to texts (see addText)
	htmls     []string // text/html parts turned into text, used when there is no text/plain
	textBytes int

	dsFound   bool      // a delivery-status part was present
	dsMessage []Field   // its per-message fields
	dsRecips  [][]Field // its per-recipient groups
	dsGlobal  bool      // it was message/global-delivery-status (RFC 6533)

	fbFound  bool
	fbFields []Field

	origFound  bool
	origHeader header
	origBody   string // start of the returned message's body, decoded loosely
	origRaw    []byte // the returned message as it stands (a slice of the mail, not a copy)
	nested     bool   // this mail is itself a returned message being decoded
	atEnd      bool   // the entity being walked ends where the mail ends
	cut        bool   // the mail was cut short: cut off at the size cap, or a multipart at its end is not closed
	inReport   int    // how many multipart/report entities the walk is inside
	forwarding bool   // a forwarded bounce has been read as this mail's own (see forwardedReport)
	nestedRep  *Report

	jsons []string // application/json parts (notification services)

	mainText   string // cached by text()
	lower      string // cached by lowerText()
	grams      grams  // cached by lowerGrams()
	report     string // cached by reportText()
	reportDone bool

	fromLower     string // cached by pvFromAny: from with ASCII letters lower-cased
	fromLowerDone bool

	textCommand     string // cached by commandFor: the command the whole report text names
	textCommandDone bool

	addrIndex                   map[string]int // cached by addressAt: where each address first stands in the report text
	commands                    recent         // cached by commandIn: the command each text read names
	nearDiags                   recent         // cached by diagnosticNear: each address's diagnostic
	recipStarts                 []int          // cached by ownSpan: where each recipient's address first stands, sorted
	mayCommand, mayCommandKnown bool           // cached by mayMentionCommand

	bounce, bounceKnown, bounceKnownDS bool // cached by looksLikeBounce
	bounceHeader                       bool // cached by looksLikeBounce: presentsAsBounce held
	dsTextTried                        bool // deliveryStatusInText has looked
	dsUsableVal, dsUsableKnown         bool // cached by dsUsable

	ses     []*SESNotification // cached by sesOfType: the Amazon SES notifications in the mail
	sesDone bool

	exchangeDone   bool // decodeExchangeNDR has read the mail
	exchangeRecips []Recipient
	exchangeO365   bool
	exchangeGen    string // the generating server the Exchange NDR names

	// headerBuf holds the fields of header when there are no more than 16: they are read only
	// while the mail is decoded (the report keeps their values, not the slice).
	headerBuf [16]Field
}

// mailPool holds mail structs for parseBytes to reuse: one serves the decoding of one mail
// only, and nothing keeps a pointer to it afterwards (the report holds what the mail's
// fields pointed to, never the struct).
var mailPool = sync.Pool{New: func() any { return new(mail) }}

// parseBytes decodes a mail held in b.
func parseBytes(ctx context.Context, b []byte, truncated bool, lim Limits) (rep *Report) {
	rep = &Report{Recipients: []Recipient{}}
	m := mailPool.Get().(*mail)
	*m = mail{lim: lim, rep: rep, budget: newBudget(ctx, lim.MaxWork)}
	defer func() {
		m.grams.release() // the grams serve the decoding only
		// The last line of defence (formats have their own, see try): whatever was found
		// before a decoder bug stays on the report, with the bug named as a problem.
		switch v := recover().(type) {
		case nil:
		case stopDecoding:
			// Past the cap on problems too: this one says why the report is partial.
			m.rep.Problems = append(m.rep.Problems, Problem{Code: ProblemTooCostly, Detail: v.reason, Lost: true})
		default:
			m.problem(ProblemInternal, fmt.Sprintf("decoding stopped on an internal error (%v); please report it with the mail", v), true)
		}
		*m = mail{} // the pool must not keep the mail's data alive
		mailPool.Put(m)
	}()
	if truncated {
		m.problem(ProblemTooLarge, fmt.Sprintf("mail is larger than %d bytes; the rest was not read", lim.MaxBytes), true)
	}
	b = normalizeEOL(b)
	b = skipMboxLine(b)
	if len(bytes.TrimSpace(b)) == 0 {
		m.problem(ProblemNotMail, "empty input", false)
		return rep
	}
	hdr, body := splitHeader(b)
	if len(hdr) > lim.MaxHeaderBytes {
		m.problem(ProblemHeaderTooLarge, fmt.Sprintf("header block of %d bytes exceeds %d", len(hdr), lim.MaxHeaderBytes), true)
		hdr = hdr[:lim.MaxHeaderBytes]
	}
	badLines := 0
	m.header = appendHeader(m.headerBuf[:0], hdr, func(string) { badLines++ })
	if len(m.header) == 0 {
		m.problem(ProblemNotMail, "no header fields: this does not look like a mail", false)
		// Decode the whole input as text: a pasted bounce body is still worth reading.
		body = b
		badLines = 0
	}
	if badLines > 0 {
		m.problem(ProblemBadHeader, fmt.Sprintf("%d header line(s) are not fields and were skipped", badLines), false)
	}
	m.body = body
	m.subject = decodeWords(m.header.get("Subject"))
	m.subjLow = strings.ToLower(strings.TrimSpace(m.subject))
	m.from = decodeWords(m.header.get("From"))
	m.to = decodeWords(m.header.get("To"))
	rep.Subject = m.subject
	rep.From = m.from
	rep.MessageID = strings.TrimSpace(m.header.get("Message-ID"))
	rep.Arrived = arrival(m.header)
	m.checkContext() // with the bounce's own header on the report, which costs little
	m.atEnd, m.cut = true, truncated
	m.walkAll(m.header, body, 0)
	m.unquoteForward()
	m.decode()
	return rep
}

// arrival is when a mail reached its mailbox by its header (see Report.Arrived).
func arrival(h header) time.Time {
	if v := h.get("Received"); v != "" {
		if i := strings.LastIndexByte(v, ';'); i >= 0 {
			if t, ok := parseDate(v[i+1:]); ok {
				return t
			}
		}
	}
	if v := h.get("Date"); v != "" {
		if t, ok := parseDate(v); ok {
			return t
		}
	}
	return time.Time{}
}

// normalizeEOL turns CRLF and lone CR line endings into LF, in place. The text between two
// CRs is moved with one copy (found with bytes.IndexByte) rather than byte by byte: a mail
// from IMAP has a CR on every line.
func normalizeEOL(b []byte) []byte {
	r := bytes.IndexByte(b, '\r')
	if r < 0 {
		return b
	}
	w := r
	for r < len(b) { // b[r] is a CR
		r++
		if r == len(b) || b[r] != '\n' {
			b[w] = '\n' // a lone CR; after a CRLF's CR, its LF is moved with the text below
			w++
		}
		n := bytes.IndexByte(b[r:], '\r')
		if n < 0 {
			n = len(b) - r
		}
		w += copy(b[w:], b[r:r+n])
		r += n
	}
	return b[:w]
}

// skipMboxLine drops an mbox "From " separator line at the start of a mail.
func skipMboxLine(b []byte) []byte {
	// Some files start with blank lines before the headers.
	t := bytes.TrimLeft(b, "\n")
	if bytes.HasPrefix(t, []byte("From ")) {
		if i := bytes.IndexByte(t, '\n'); i >= 0 {
			return t[i+1:]
		}
	}
	return t
}

// problem records a problem, up to the cap.
func (m *mail) problem(code ProblemCode, detail string, lost bool) {
	ps := m.rep.Problems
	switch {
	case len(ps) < m.lim.MaxProblems:
		m.rep.Problems = append(ps, Problem{Code: code, Detail: detail, Lost: lost})
	case len(ps) == m.lim.MaxProblems:
		m.rep.Problems = append(ps, Problem{Code: ProblemTooManyProblems, Detail: "further problems were not recorded"})
	}
}

// partWork is the least work a MIME part counts for, however small.
const partWork = 64

// walk visits one MIME entity.
func (m *mail) walk(h header, body []byte, depth int) {
	if depth > m.lim.MaxDepth {
		m.problem(ProblemTooDeep, fmt.Sprintf("MIME nesting deeper than %d; inner parts skipped", m.lim.MaxDepth), true)
		return
	}
	m.spend(partWork + len(body))
	ct, params := mediaType(h.get("Content-Type"), "text/plain")
	cte := h.get("Content-Transfer-Encoding")
	switch {
	case strings.HasPrefix(ct, "multipart/"):
		boundary := params.boundary
		// The parts are counted first, then walked. The first 16 are kept on the stack as the
		// count finds them, so that the walk need not look for the boundary again; a body of
		// more parts is scanned a second time rather than listed whole.
		var first [16][]byte
		parts := 0
		closed := false
		if boundary != "" {
			closed = eachPart(body, boundary, func(p []byte) {
				if parts < len(first) {
					first[parts] = p
				}
				parts++
			})
		}
		if parts == 0 && len(bytes.TrimSpace(body)) == 0 {
			m.problem(ProblemTruncated, ct+" with no body: the mail ends after its header", true)
			return
		}
		if parts == 0 {
			if boundary == "" {
				m.problem(ProblemBadMIME, ct+" without a boundary; read as text", false)
			} else {
				m.problem(ProblemBadMIME, fmt.Sprintf("boundary %q not found; read as text", boundary), false)
			}
			m.addText(m.decodeText(body, "", ""))
			return
		}
		if !closed {
			m.problem(ProblemTruncated, fmt.Sprintf("%s ends without its closing boundary", ct), false)
			m.cut = m.cut || m.atEnd
		}
		// Only the last part of an entity that ends where the mail ends, without its closing
		// delimiter, ends there too.
		atEnd, k := m.atEnd, 0
		defer func() { m.atEnd = atEnd }()
		// A part's fields are read into a buffer on the stack: walk keeps only their values.
		var buf [16]Field
		walkPart := func(p []byte) {
			ph, pb := splitHeader(p)
			if len(ph) > m.lim.MaxHeaderBytes {
				m.problem(ProblemHeaderTooLarge, "a part's header block exceeds the cap", true)
				return
			}
			phdr := appendHeader(buf[:0], ph, nil)
			if len(phdr) == 0 && len(ph) > 0 {
				// QUIRK: RFC 2046 §5.1.1 lets a part start with its body after an empty
				// header block; some mailers omit the empty line too.
				pb = p
			}
			k++
			m.atEnd = atEnd && !closed && k == parts
			m.walk(phdr, pb, depth+1)
		}
		if ct == "multipart/report" {
			m.inReport++
			defer func() { m.inReport-- }()
		}
		if parts <= len(first) {
			for _, p := range first[:parts] {
				walkPart(p)
			}
		} else {
			eachPart(body, boundary, walkPart)
		}
	case ct == "message/delivery-status" || ct == "message/global-delivery-status" || ct == "text/delivery-status":
		data, damaged := decodeTransfer(body, cte)
		if damaged {
			m.problem(ProblemBadEncoding, ct+" part does not decode cleanly", true)
		}
		m.parseDeliveryStatus(string(m.whole(data)), ct == "message/global-delivery-status")
	case ct == "message/feedback-report":
		data, _ := decodeTransfer(body, cte)
		m.fbFound = true
		m.fbFields = append(m.fbFields, parseFieldBlock(string(data))...)
	case ct == "message/rfc822" || ct == "message/global" || ct == "message/partial":
		data, damaged := decodeTransfer(body, cte)
		if damaged {
			m.problem(ProblemBadEncoding, ct+" part does not decode cleanly", true)
		}
		oh, ob := splitHeader(data)
		ohdr := parseHeader(m.whole(oh), nil)
		if m.forwardedReport(ohdr) {
			// A delivery report forwarded as an attachment (a helpdesk or a gateway passing
			// on the DSN it got): its parts are the report, so read them as this mail's.
			m.walk(ohdr, ob, depth+1)
			return
		}
		m.setOriginal(ohdr, ob, data)
	case ct == "text/rfc822-headers" || ct == "message/global-headers":
		data, _ := decodeTransfer(body, cte)
		m.setOriginal(parseHeader(m.whole(data), nil), nil, nil)
	case ct == "text/plain" || ct == "text/html" || ct == "text/enriched":
		if isAttachment(h) && depth > 0 && len(m.texts) > 0 {
			return
		}
		s := m.decodeText(body, cte, params.charset)
		if ct == "text/html" {
			m.htmls = append(m.htmls, htmlToText(s))
		} else {
			m.addText(s)
		}
	case ct == "application/octet-stream" && savedMail(h):
		// QUIRK: RFC 2046 §5.2.1 gives a mail as message/rfc822; some mail programs attach a
		// mail forwarded as a file as application/octet-stream. A forwarded bounce is read as
		// one all the same; any other such file stays unread, as before.
		data, _ := decodeTransfer(body, cte)
		if oh, ob := splitHeader(data); len(oh) > 0 {
			if ohdr := parseHeader(oh, nil); m.forwardedReport(ohdr) {
				m.walk(ohdr, ob, depth+1)
			}
		}
	case ct == "application/json":
		data, _ := decodeTransfer(body, cte)
		m.jsons = append(m.jsons, string(data))
	default:
		// Attachments, images, the returned message in odd types: not needed.
	}
}

// whole returns the decoded content of a part without a word cut off by the end of the
// mail: when the part ends where a mail cut short ends, the text after its last blank or
// line break is a piece of a word, and a recipient address or a code cut off there would be
// read as another one (RFC 5322 §2.1: a line ends with a line break; RFC 2046 §5.1.1: a
// multipart ends with its close delimiter).
func (m *mail) whole(data []byte) []byte {
	if !m.atEnd || !m.cut {
		return data
	}
	return data[:bytes.LastIndexAny(data, " \t\n")+1]
}

// forwardedReport reports whether a message/rfc822 part with the header h is a delivery
// report (RFC 3462 multipart/report of a delivery-status) forwarded inside this mail, met
// before the mail gave a delivery-status part or a returned message of its own. A report
// that returns a report (a bounce of a bounce) has its own delivery-status part first. A
// message inside a multipart/report is that report's returned message (RFC 6522 §3: the
// optional third part), whatever it holds and wherever it stands among the parts.
//
// A person's mail (a helpdesk or a colleague passing on what came back; see sentByPerson)
// returns no message: every bounce attached to it is a forwarded one, read as the mail's
// own, whether it is a report, a mail system's free-text notice or another person's forward
// of a bounce (see headerSaysBounce).
func (m *mail) forwardedReport(h header) bool {
	if m.nested || m.inReport > 0 {
		return false
	}
	if m.sentByPerson() && (m.forwarding || !m.dsFound && !m.origFound) && headerSaysBounce(h) {
		m.forwarding = true
		return true
	}
	if m.dsFound || m.origFound {
		return false
	}
	ct := h.get("Content-Type")
	if !hasPrefixLower(strings.TrimSpace(ct), "multipart/report") || indexFoldASCII(ct, "delivery-status") < 0 {
		return false
	}
	return !m.bounceOfBounce(h)
}

// sentByPerson reports whether the mail's own header says a person sent it: not a mail
// system's sender, no X-Failed-Recipients, a return path that is not null (RFC 5321 §4.5.5:
// a bounce has one) and no Auto-Submitted other than "no" (RFC 3834 §5).
func (m *mail) sentByPerson() bool {
	as := strings.TrimSpace(m.header.get("Auto-Submitted"))
	return !m.fromMailSystem() && !m.header.has("X-Failed-Recipients") && !m.nullReturnPath() &&
		(as == "" || strings.EqualFold(as, "no"))
}

// personsForward reports whether the mail is a person's forward of another: a subject that
// starts with a forward prefix (forwardPrefixed) on a mail a person sent (sentByPerson).
func (m *mail) personsForward() bool { return forwardPrefixed(m.subjLow) && m.sentByPerson() }

// forwardPrefixes start the subject of a forwarded mail, lower-cased: the mail programs'
// "Fwd:" and "FW:" and their translations (German "WG:", French "TR:", Spanish "RV:",
// Portuguese "ENC:").
var forwardPrefixes = []string{"fwd:", "fw:", "wg:", "tr:", "rv:", "enc:"}

// headerSaysBounce reports whether a mail with the header h says by its header that it is a
// bounce: a delivery report (RFC 6522 multipart/report of a delivery-status, or of no stated
// type), a mail from a mail system or with X-Failed-Recipients, or a forward ("Fwd:") of a
// mail whose subject is a bounce's.
func headerSaysBounce(h header) bool {
	ct := h.get("Content-Type")
	if hasPrefixLower(strings.TrimSpace(ct), "multipart/report") &&
		(indexFoldASCII(ct, "delivery-status") >= 0 || indexFoldASCII(ct, "report-type") < 0) {
		return true
	}
	if h.has("X-Failed-Recipients") || sentByMailSystem(decodeWords(h.get("From"))) {
		return true
	}
	subj := strings.ToLower(strings.TrimSpace(decodeWords(h.get("Subject"))))
	return forwardPrefixed(subj) && containsAny(subj, bounceSubjects)
}

// forwardPrefixed reports whether a lower-cased subject starts with one of forwardPrefixes.
func forwardPrefixed(subj string) bool {
	return slices.ContainsFunc(forwardPrefixes, func(p string) bool { return strings.HasPrefix(subj, p) })
}

// unquoteForward removes the quote marks of the lines of a person's forward (RFC 3676 §4.5:
// ">" at the start of a line marks quoted text): mail programs (Apple Mail among them) quote
// the mail they forward, and a bounce forwarded so is read as it was written.
func (m *mail) unquoteForward() {
	if !m.personsForward() {
		return
	}
	for i, t := range m.texts {
		if strings.HasPrefix(t, ">") || strings.Contains(t, "\n>") {
			m.texts[i] = unquoteLines(t)
		}
	}
}

// bounceOfBounce reports whether the report with the header h, attached to this mail, is the
// message whose delivery this mail reports on. A bounce goes to the return path of the
// message it returns (RFC 5321 §4.5.5, RFC 3464 §2), so a mail system's notice that names
// the attached bounce's own recipient in its text before it failed to deliver that bounce
// (a double bounce, sent to the postmaster); a notice that does not passes on the report it
// got (a gateway wrapping it).
func (m *mail) bounceOfBounce(h header) bool {
	if !m.fromMailSystem() {
		return false
	}
	to := firstAddress(decodeWords(h.get("To")))
	if to == "" {
		return false
	}
	for _, t := range m.texts {
		if indexFoldASCII(t, to) >= 0 {
			return true
		}
	}
	return false
}

// savedMail reports whether the part with the header h is a file named as a saved mail: its
// file name (the filename of Content-Disposition, RFC 2183 §2.3, or the name of Content-Type)
// ends in ".eml", the extension mail programs save message/rfc822 with.
func savedMail(h header) bool {
	for _, f := range [...]struct{ field, param string }{{"Content-Disposition", "filename"}, {"Content-Type", "name"}} {
		if _, params, err := mime.ParseMediaType(h.get(f.field)); err == nil &&
			strings.HasSuffix(strings.ToLower(strings.TrimSpace(params[f.param])), ".eml") {
			return true
		}
	}
	return false
}

func isAttachment(h header) bool {
	cd := strings.ToLower(h.get("Content-Disposition"))
	return strings.HasPrefix(strings.TrimSpace(cd), "attachment")
}

// decodeText decodes a text part for the free-text formats, up to the cap on the text kept
// (beyond it, "").
func (m *mail) decodeText(body []byte, cte, charset string) string {
	if m.textBytes >= m.lim.MaxText {
		return ""
	}
	if len(body) > m.lim.MaxText-m.textBytes {
		body = body[:m.lim.MaxText-m.textBytes]
	}
	m.spend(len(body))
	data, damaged := decodeTransfer(body, cte)
	if damaged {
		m.problem(ProblemBadEncoding, fmt.Sprintf("a text part in %s does not decode cleanly", strings.ToLower(strings.TrimSpace(cte))), true)
	}
	s, err := toUTF8(m.whole(data), charset)
	if err != nil {
		m.problem(ProblemUnknownCharset, err.Error(), true)
	}
	if strings.IndexByte(s, '\r') >= 0 {
		s = string(normalizeEOL([]byte(s)))
	}
	m.textBytes += len(s)
	return s
}

// addText keeps a decoded text/plain part. An empty part after another is kept as a line
// break at the end of the one before (blankRun counts them until flushBlanks adds them): the
// texts are joined with line breaks (see text), which that leaves as they were, and a mail
// of a million empty parts needs no list of a million texts.
func (m *mail) addText(s string) {
	if s == "" && len(m.texts) > 0 {
		m.blankRun++
		return
	}
	m.flushBlanks()
	m.texts = append(m.texts, s)
}

// flushBlanks adds the line breaks of the empty parts counted in blankRun to the last text.
func (m *mail) flushBlanks() {
	if m.blankRun > 0 {
		m.texts[len(m.texts)-1] += strings.Repeat("\n", m.blankRun)
		m.blankRun = 0
	}
}

// walkAll visits a mail's top-level entity: walk, then flushBlanks, so that texts is
// complete for the formats.
func (m *mail) walkAll(h header, body []byte, depth int) {
	m.walk(h, body, depth)
	m.flushBlanks()
}

// setOriginal records the headers of the returned message; the first one wins.
func (m *mail) setOriginal(h header, body, raw []byte) {
	if m.origFound || len(h) == 0 {
		return
	}
	m.origFound = true
	m.origHeader = h
	m.origRaw = raw
	if len(body) > 4096 {
		body = body[:4096]
	}
	m.origBody, _ = toUTF8(body, "")
}

// text returns the main human-readable text of the mail: its text/plain parts, or its HTML
// parts turned into text when there is no plain text, or after a plain text that names no
// address when they name one.
func (m *mail) text() string {
	if m.mainText != "" {
		return m.mainText
	}
	switch {
	case len(m.texts) == 1:
		m.mainText = m.texts[0]
	case len(m.texts) > 1:
		m.mainText = strings.Join(m.texts, "\n")
	default:
		m.mainText = strings.Join(m.htmls, "\n")
	}
	if len(m.htmls) > 0 && len(m.texts) > 0 {
		switch {
		case strings.TrimSpace(m.mainText) == "":
			m.mainText = strings.Join(m.htmls, "\n")
		case strings.IndexByte(m.mainText, '@') < 0:
			// The text names no address ("To view this message, please use an HTML-capable
			// email client"): the recipients stand only in the HTML rendering, if anywhere.
			if h := strings.Join(m.htmls, "\n"); strings.IndexByte(h, '@') >= 0 {
				m.mainText += "\n" + h
			}
		}
	}
	return m.mainText
}

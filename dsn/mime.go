package dsn

import (
	"bytes"
	"encoding/base64"
	"mime"
	"strings"
)

// header is a parsed header block: fields in their original order, folding undone, values
// still raw (not RFC 2047 decoded).
type header []Field

// get returns the first value of the named field (an ASCII name), or "".
func (h header) get(name string) string {
	for _, f := range h {
		// Field names are ASCII (parseHeader keeps no other), so a name of another length
		// differs.
		if len(f.Name) == len(name) && strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// has reports whether the named field (an ASCII name) is present.
func (h header) has(name string) bool {
	for _, f := range h {
		if len(f.Name) == len(name) && strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

// splitHeader splits an entity at the first empty line into its header block and body. The
// input has LF line endings. A mail with no empty line is all header (and the body is empty);
// one that starts with an empty line has no header.
func splitHeader(b []byte) (hdr, body []byte) {
	if len(b) > 0 && b[0] == '\n' {
		return nil, b[1:]
	}
	if i := bytes.Index(b, []byte("\n\n")); i >= 0 {
		return b[:i+1], b[i+2:]
	}
	return b, nil
}

// parseHeader reads a header block into fields. Lines that are neither a field nor a
// continuation are skipped and reported through bad (which may be nil). The fields are cut
// from one copy of the block.
func parseHeader(b []byte, bad func(line string)) header {
	return appendHeader(nil, b, bad)
}

// appendHeader is parseHeader appending the fields to h, so that a caller that keeps only
// the values can hand it a buffer on its stack.
func appendHeader(h header, b []byte, bad func(line string)) header {
	if len(b) == 0 {
		if h == nil {
			h = make(header, 0, 16)
		}
		return h
	}
	return appendHeaderString(h, string(b), bad)
}

// appendHeaderString is appendHeader for a block held in a string; the fields are cut from
// it.
func appendHeaderString(h header, s string, bad func(line string)) header {
	if h == nil {
		h = make(header, 0, min(16, strings.Count(s, "\n")+1))
	}
	// The values of folded fields are unfolded into one string for the whole block at the
	// end (see setUnfolded), rather than into one string each; fields past the first 16
	// folded ones are unfolded on their own.
	var folded [16]foldedField
	nf := 0
	for len(s) > 0 {
		var line string
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			line, s = s, ""
		}
		if len(line) == 0 {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			// The continuation lines right below a field are read with it (see unfold); this
			// one follows a line that was skipped.
			if len(h) > 0 {
				if nf > 0 && folded[nf-1].at == len(h)-1 {
					// The field is still to be unfolded: that comes first.
					nf--
					h[len(h)-1].Value = unfold(folded[nf].value, folded[nf].lines)
				}
				// RFC 5322 §2.2.3: unfolding removes the line break only.
				h[len(h)-1].Value += " " + strings.TrimSpace(line)
				continue
			}
			if bad != nil {
				bad(line)
			}
			continue
		}
		colon := strings.IndexByte(line, ':')
		var name string
		if colon > 0 {
			// QUIRK: RFC 5322 §3.6.8 allows no blank before the colon, but "Subject : x"
			// occurs in the wild (old Notes and Exchange gateways).
			name = line[:colon]
			if c := name[len(name)-1]; c == ' ' || c == '\t' {
				name = strings.TrimRight(name, " \t")
			}
		}
		if !isFieldName(name) {
			if bad != nil {
				bad(line)
			}
			continue
		}
		value := strings.TrimSpace(line[colon+1:])
		if n := foldedLines(s); n > 0 {
			if nf < len(folded) {
				folded[nf] = foldedField{at: len(h), value: value, lines: s[:n]}
				nf++
				value = "" // set by setUnfolded
			} else {
				value = unfold(value, s[:n])
			}
			s = s[n:]
		}
		h = append(h, Field{Name: name, Value: value})
	}
	setUnfolded(h, folded[:nf])
	return h
}

// foldedField is a field of a header block whose value is still to be unfolded: h[at] will
// hold value joined with its continuation lines.
type foldedField struct {
	at           int
	value, lines string
}

// setUnfolded unfolds the values of fs into one string and gives each field of h its piece.
func setUnfolded(h header, fs []foldedField) {
	if len(fs) == 0 {
		return
	}
	size := 0
	for _, f := range fs {
		size += len(f.value) + len(f.lines)
	}
	var b strings.Builder
	b.Grow(size)
	var ends [16]int // fs holds at most 16 fields (see appendHeaderString)
	for k, f := range fs {
		writeUnfolded(&b, f.value, f.lines)
		ends[k] = b.Len()
	}
	all := b.String()
	start := 0
	for k, f := range fs {
		h[f.at].Value = all[start:ends[k]]
		start = ends[k]
	}
}

// foldedLines returns the length of the continuation lines (and empty lines among them) that
// start s, the rest of a header block after a field's first line.
func foldedLines(s string) int {
	n := 0
	for n < len(s) && (s[n] == ' ' || s[n] == '\t' || s[n] == '\n') {
		if i := strings.IndexByte(s[n:], '\n'); i >= 0 {
			n += i + 1
		} else {
			n = len(s)
		}
	}
	return n
}

// unfold joins a field's value and its continuation lines. RFC 5322 §2.2.3: unfolding removes
// the line break only; the blanks around it become one.
func unfold(value, lines string) string {
	var b strings.Builder
	b.Grow(len(value) + len(lines))
	writeUnfolded(&b, value, lines)
	return b.String()
}

// writeUnfolded writes what unfold returns to b.
func writeUnfolded(b *strings.Builder, value, lines string) {
	b.WriteString(value)
	for lines != "" {
		l := lines
		if i := strings.IndexByte(lines, '\n'); i >= 0 {
			l, lines = lines[:i], lines[i+1:]
		} else {
			lines = ""
		}
		if l != "" {
			b.WriteByte(' ')
			b.WriteString(strings.TrimSpace(l))
		}
	}
}

func isFieldName(s string) bool {
	if len(s) == 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// mediaParams holds the Content-Type parameters the MIME walk reads.
type mediaParams struct {
	boundary string
	charset  string
}

// mediaType parses a Content-Type value. An empty or unparsable value gives def, with the
// parameters that could be read.
func mediaType(v, def string) (string, mediaParams) {
	if strings.TrimSpace(v) == "" {
		return def, mediaParams{}
	}
	if t, p, ok := simpleMediaType(v); ok {
		return t, p
	}
	t, params, err := mime.ParseMediaType(v)
	if err == nil {
		return strings.ToLower(t), mediaParams{boundary: params["boundary"], charset: params["charset"]}
	}
	// QUIRK: RFC 2045 §5.1 requires a well-formed value, but bounces carry things like
	// `multipart/report; report-type=delivery-status; boundary="x"; charset=` or unquoted
	// boundaries with special characters. Read the type and the parameters one by one.
	parts := strings.Split(v, ";")
	t = strings.ToLower(strings.TrimSpace(parts[0]))
	if !strings.Contains(t, "/") {
		t = def
	}
	var p mediaParams
	for _, part := range parts[1:] {
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		if len(val) >= 2 && val[0] == '"' {
			if j := strings.IndexByte(val[1:], '"'); j >= 0 {
				val = val[1 : j+1]
			}
		}
		// The last of a repeated parameter wins, as it did in the map this once was.
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "boundary":
			p.boundary = val
		case "charset":
			p.charset = val
		}
	}
	return t, p
}

// simpleMediaType reads the common forms of a Content-Type value, `text/plain;
// charset=us-ascii` and `multipart/report; report-type=delivery-status; boundary="x"`, without
// the map and copies of mime.ParseMediaType. It accepts only values that mime.ParseMediaType
// reads without error and for which it gives the same type and parameters: a lower-case
// type/subtype, then parameters with distinct names that have no '*' (RFC 2231), a token or a
// quoted string without backslashes right after the '=', and only blanks and tabs as white
// space. Anything else returns ok false, and mime.ParseMediaType decides.
func simpleMediaType(v string) (t string, p mediaParams, ok bool) {
	i := skipBlanks(v, 0)
	start := i
	for i < len(v) && isTokenByte(v[i]) {
		if 'A' <= v[i] && v[i] <= 'Z' {
			return "", p, false // mime.ParseMediaType lower-cases it, with a copy
		}
		i++
	}
	if i == start || i == len(v) || v[i] != '/' {
		return "", p, false
	}
	i++
	sub := i
	for i < len(v) && isTokenByte(v[i]) {
		if 'A' <= v[i] && v[i] <= 'Z' {
			return "", p, false
		}
		i++
	}
	if i == sub {
		return "", p, false
	}
	t = v[start:i]
	// Up to 8 names are kept to refuse a repeated one (mime.ParseMediaType fails on a name
	// given twice with different values).
	var names [8]string
	n := 0
	for {
		i = skipBlanks(v, i)
		if i == len(v) {
			return t, p, true
		}
		if v[i] != ';' {
			return "", p, false
		}
		i = skipBlanks(v, i+1)
		if i == len(v) {
			return t, p, true // a trailing ';' is allowed
		}
		k := i
		for i < len(v) && isTokenByte(v[i]) {
			if v[i] == '*' {
				return "", p, false
			}
			i++
		}
		if i == k || i == len(v) || v[i] != '=' || n == len(names) {
			return "", p, false
		}
		name := v[k:i]
		for _, seen := range names[:n] {
			if strings.EqualFold(seen, name) {
				return "", p, false
			}
		}
		names[n] = name
		n++
		i++
		var val string
		switch {
		case i < len(v) && v[i] == '"':
			end := strings.IndexByte(v[i+1:], '"')
			if end < 0 {
				return "", p, false
			}
			val = v[i+1 : i+1+end]
			if strings.ContainsAny(val, "\\\r\n") {
				return "", p, false
			}
			i += end + 2
		default:
			k := i
			for i < len(v) && isTokenByte(v[i]) {
				i++
			}
			if i == k {
				return "", p, false
			}
			val = v[k:i]
		}
		switch {
		case strings.EqualFold(name, "boundary"):
			p.boundary = val
		case strings.EqualFold(name, "charset"):
			p.charset = val
		}
	}
}

// skipBlanks returns the offset of the first byte at or after i in s that is not a blank or
// a tab.
func skipBlanks(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// isTokenByte reports whether c may stand in an RFC 2045 token: US-ASCII other than
// controls, the space and tspecials.
func isTokenByte(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '@', ',', ';', ':', '\\', '"', '/', '[', ']', '?', '=':
		return false
	}
	return c > ' ' && c < 0x7f
}

// splitMultipart splits a multipart body at its boundary (RFC 2046 §5.1.1). It reports
// whether the closing delimiter was seen. Text before the first and after the last delimiter
// is dropped, as the RFC says.
func splitMultipart(body []byte, boundary string) (parts [][]byte, closed bool) {
	closed = eachPart(body, boundary, func(p []byte) { parts = append(parts, p) })
	return parts, closed
}

// eachPart calls f with each part of a multipart body in turn (see splitMultipart), so that
// a body of many parts needs no list of them, and reports whether the closing delimiter was
// seen.
func eachPart(body []byte, boundary string, f func(part []byte)) (closed bool) {
	delim := []byte("--" + boundary)
	pos := 0
	start := -1
	for pos <= len(body) {
		i := bytes.Index(body[pos:], delim)
		if i < 0 {
			break
		}
		i += pos
		// A delimiter stands at the start of a line.
		if i > 0 && body[i-1] != '\n' {
			pos = i + len(delim)
			continue
		}
		after := i + len(delim)
		isClose := bytes.HasPrefix(body[after:], []byte("--"))
		// The rest of the delimiter line may hold only blanks (transport padding).
		eol := bytes.IndexByte(body[after:], '\n')
		next := len(body)
		if eol >= 0 {
			next = after + eol + 1
		}
		if start >= 0 {
			end := i
			if end > start && body[end-1] == '\n' {
				end-- // the line break before a delimiter belongs to it
			}
			f(body[start:end])
		}
		if isClose {
			return true
		}
		start = next
		pos = next
		if eol < 0 {
			break
		}
	}
	if start >= 0 && start < len(body) {
		f(body[start:])
	}
	return false
}

// decodeTransfer undoes a Content-Transfer-Encoding (RFC 2045 §6). It returns what it could
// decode and whether the input was damaged.
func decodeTransfer(body []byte, cte string) ([]byte, bool) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return decodeBase64(body)
	case "quoted-printable":
		return decodeQuotedPrintable(body)
	default:
		return body, false
	}
}

// decodeQuotedPrintable decodes quoted-printable text (RFC 2045 §6.7) as mime/quotedprintable's
// Reader does, leniencies and all: "=\n" is a soft line break too, a line break not
// preceded by "=" and bytes of 0x80 and above pass through, a "=" at the very end is
// dropped, and a "=" not followed by two hex digits (of either case) stands for itself
// unless a line break follows it. Blanks at the end of a line are dropped. Decoding stops,
// reporting damage, at a control character or a soft line break followed by other text.
// Unlike the Reader, it decodes lines longer than 4 KB whole (the Reader stops there) and
// works on the bytes in place of one at a time through a struct: a 60 KB HTML part cost
// twenty times the reading of its mail.
func decodeQuotedPrintable(body []byte) ([]byte, bool) {
	out := make([]byte, 0, len(body))
	for len(body) > 0 {
		whole, eof := body, true
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			whole, eof = body[:i+1], false
		}
		body = body[len(whole):]
		line := bytes.TrimRight(whole, "\n\r \t")
		var tail string // the line break that ends the decoded line
		damaged := false
		if len(line) > 0 && line[len(line)-1] == '=' {
			rest := bytes.TrimLeft(whole[len(line):], " \t")
			line = line[:len(line)-1]
			if !(len(rest) > 0 && rest[0] == '\n') && !bytes.HasPrefix(rest, []byte("\r\n")) &&
				!(len(rest) == 0 && len(line) > 0 && eof) {
				damaged = true // decode the line, then stop
			}
		} else if !eof {
			tail = "\n"
			if len(whole) >= 2 && whole[len(whole)-2] == '\r' {
				tail = "\r\n"
			}
		}
		for k := 0; k < len(line); k++ {
			switch c := line[k]; {
			case c == '=':
				if k+2 < len(line) {
					if hi, ok := unhex(line[k+1]); ok {
						if lo, ok := unhex(line[k+2]); ok {
							out = append(out, hi<<4|lo)
							k += 2
							continue
						}
					}
				}
				// The byte after "=" may be the first of the line break.
				next := byte('\n')
				if k+1 < len(line) {
					next = line[k+1]
				} else if tail != "" {
					next = tail[0]
				} else {
					return out, true // "==" before a soft line break: the Reader fails too
				}
				if next == '\r' || next == '\n' {
					return out, true
				}
				out = append(out, '=')
			case c < ' ' && c != '\t' && c != '\r' && c != '\n' || c == 0x7f:
				return out, true
			default:
				out = append(out, c)
			}
		}
		out = append(out, tail...)
		if damaged {
			return out, true
		}
	}
	return out, false
}

// unhex returns the value of a hex digit, upper- or lower-case.
func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// decodeBase64 decodes base64 ignoring line breaks and blanks (RFC 2045 §6.8). Characters
// outside the alphabet are skipped, and decoding stops at the first padding; damage is
// reported but the decoded prefix is kept.
func decodeBase64(body []byte) ([]byte, bool) {
	clean := make([]byte, 0, len(body))
	damaged := false
	for _, c := range body {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/', c == '=':
			clean = append(clean, c)
		case c == '\n', c == '\r', c == ' ', c == '\t':
		default:
			damaged = true
		}
	}
	// Drop anything after the padding of the first encoded unit that ends with '='.
	if i := bytes.IndexByte(clean, '='); i >= 0 {
		end := i
		for end < len(clean) && clean[end] == '=' {
			end++
		}
		if end < len(clean) {
			damaged = true
		}
		clean = clean[:end]
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
	n, err := base64.StdEncoding.Decode(out, clean)
	if err != nil {
		// QUIRK: RFC 2045 §6.8 wants whole 4-character units; truncated mails end mid-unit.
		// Decode the whole units and report the rest as damage.
		whole := len(clean) / 4 * 4
		n, err = base64.StdEncoding.Decode(out, clean[:whole])
		if err != nil {
			n = 0
			if k, e := base64.RawStdEncoding.Decode(out, bytes.TrimRight(clean[:whole], "=")); e == nil {
				n = k
			}
		}
		damaged = true
	}
	return out[:n], damaged
}

package dsn

import (
	netmail "net/mail"
	"time"
)

// parseDate reads an RFC 5322 date-time ("Sun, 22 Nov 2026 18:24:19 +0000 (UTC)") into UTC.
// It reads the usual forms itself, without allocating: net/mail's ParseDate tries up to 48
// layouts with time.Parse, the ones without a day of the week first, and each miss allocates
// its error (a few KB and several microseconds for a date as MTAs write it). Anything else is
// left to net/mail.
func parseDate(s string) (time.Time, bool) {
	if t, ok := parseDateFast(s); ok {
		return t, true
	}
	t, err := netmail.ParseDate(s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// parseDateFast reads [Ddd[,]] d[d] Mon yyyy hh:mm[:ss] zone, where zone is ±hhmm or one of the
// names RFC 5322 §4.3 lists, followed by nothing but blanks or a comment.
func parseDateFast(s string) (time.Time, bool) {
	p := dateScanner{s: s}
	p.blanks()
	if n := p.alpha(); n == 3 { // day of the week, then a comma (some writers omit it)
		p.blanks()
		if p.peek() == ',' {
			p.i++
		}
		p.blanks()
	} else if n != 0 {
		return time.Time{}, false
	}
	day, nd := p.digits()
	if nd < 1 || nd > 2 || !p.blanks() {
		return time.Time{}, false
	}
	start := p.i
	if p.alpha() != 3 {
		return time.Time{}, false
	}
	month := monthOf(p.s[start:p.i])
	if month == 0 || !p.blanks() {
		return time.Time{}, false
	}
	year, ny := p.digits()
	switch {
	case ny == 4:
	case ny == 2 && year < 50: // RFC 5322 §4.3
		year += 2000
	case ny == 2 || ny == 3:
		year += 1900
	default:
		return time.Time{}, false
	}
	if !p.blanks() {
		return time.Time{}, false
	}
	hour, nh := p.digits()
	if nh != 2 || p.peek() != ':' {
		return time.Time{}, false
	}
	p.i++
	min, nm := p.digits()
	if nm != 2 {
		return time.Time{}, false
	}
	sec := 0
	if p.peek() == ':' {
		p.i++
		var ns int
		if sec, ns = p.digits(); ns != 2 {
			return time.Time{}, false
		}
	}
	if day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60 || !p.blanks() {
		return time.Time{}, false
	}
	offset, ok := p.zone()
	if !ok {
		return time.Time{}, false
	}
	p.blanks()
	if c := p.peek(); c != 0 && c != '(' {
		return time.Time{}, false
	}
	if sec == 60 {
		sec = 59 // a leap second
	}
	t := time.Date(year, time.Month(month), day, hour, min, sec, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, false // 31 Feb
	}
	return t.Add(-time.Duration(offset) * time.Minute), true
}

// dateScanner walks a date-time.
type dateScanner struct {
	s string
	i int
}

func (p *dateScanner) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

// blanks skips spaces, tabs and line breaks, reporting whether there were any.
func (p *dateScanner) blanks() bool {
	start := p.i
	for p.i < len(p.s) && isBlank(p.s[p.i]) {
		p.i++
	}
	return p.i > start
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// alpha skips ASCII letters and returns how many.
func (p *dateScanner) alpha() int {
	start := p.i
	for p.i < len(p.s) && ('a' <= p.s[p.i]|0x20 && p.s[p.i]|0x20 <= 'z') {
		p.i++
	}
	return p.i - start
}

// digits reads up to 4 decimal digits and returns their value and how many there were (5 when
// there are more than 4).
func (p *dateScanner) digits() (int, int) {
	v, n := 0, 0
	for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
		if n == 4 {
			return v, 5
		}
		v = v*10 + int(p.s[p.i]-'0')
		n++
		p.i++
	}
	return v, n
}

// zone reads a zone and returns its offset from UTC in minutes.
func (p *dateScanner) zone() (int, bool) {
	switch c := p.peek(); {
	case c == '+' || c == '-':
		p.i++
		v, n := p.digits()
		if n != 4 || v%100 > 59 {
			return 0, false
		}
		off := v/100*60 + v%100
		if c == '-' {
			off = -off
		}
		return off, true
	default:
		start := p.i
		n := p.alpha()
		if n == 0 || n > 5 {
			return 0, false
		}
		var b [5]byte
		for i := range n {
			b[i] = p.s[start+i] &^ 0x20
		}
		if off, ok := zoneNames[string(b[:n])]; ok {
			return off, true
		}
		// Military zones and names RFC 5322 does not define: the offset is unknown, which
		// §4.3 says to read as +0000.
		return 0, true
	}
}

// zoneNames are the obsolete zone names of RFC 5322 §4.3, with their offsets in minutes.
var zoneNames = map[string]int{
	"UT": 0, "GMT": 0, "Z": 0, "UTC": 0,
	"EST": -5 * 60, "EDT": -4 * 60, "CST": -6 * 60, "CDT": -5 * 60,
	"MST": -7 * 60, "MDT": -6 * 60, "PST": -8 * 60, "PDT": -7 * 60,
}

// monthOf returns 1–12 for a three-letter English month name in any case, 0 otherwise.
func monthOf(s string) int {
	const names = "janfebmaraprmayjunjulaugsepoctnovdec"
	if len(s) != 3 {
		return 0
	}
	a, b, c := s[0]|0x20, s[1]|0x20, s[2]|0x20
	for i := 0; i < len(names); i += 3 {
		if names[i] == a && names[i+1] == b && names[i+2] == c {
			return i/3 + 1
		}
	}
	return 0
}

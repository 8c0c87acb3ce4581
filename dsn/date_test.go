package dsn

import (
	netmail "net/mail"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	for _, tc := range []struct {
		in   string
		want time.Time // zero: not a date
	}{
		{"Sun, 22 Nov 2026 18:24:19 +0000 (UTC)", utc(2026, 11, 22, 18, 24, 19)},
		{"Mon,  4 Dec 2023 10:22:41 +0100 (CET)", utc(2023, 12, 4, 9, 22, 41)},
		{"  Tue, 3 Mar 2026 10:00:00 -0830", utc(2026, 3, 3, 18, 30, 0)},
		{"3 Mar 2026 10:00 +0200", utc(2026, 3, 3, 8, 0, 0)},
		{"tue 3 MAR 2026 10:00:00 GMT", utc(2026, 3, 3, 10, 0, 0)},
		{"Tue, 3 Mar 2026 10:00:00 PST", utc(2026, 3, 3, 18, 0, 0)},
		{"Tue, 3 Mar 2026 10:00:00 EDT", utc(2026, 3, 3, 14, 0, 0)},
		{"Tue, 3 Mar 2026 10:00:00 CET", utc(2026, 3, 3, 10, 0, 0)}, // unknown name: +0000 (RFC 5322 §4.3)
		{"Tue, 3 Mar 26 10:00:00 +0000", utc(2026, 3, 3, 10, 0, 0)},
		{"Tue, 3 Mar 99 10:00:00 +0000", utc(1999, 3, 3, 10, 0, 0)},
		{"Sat, 31 Dec 2016 23:59:60 +0000", utc(2016, 12, 31, 23, 59, 59)},
		{"Tue,\r\n 3 Mar 2026\r\n 10:00:00 +0000", utc(2026, 3, 3, 10, 0, 0)},
		// Not read by parseDateFast but by net/mail, which ignores what follows a zone.
		{"Tue, 03 Mar 2026 10:00:00 +0000 trailing words", utc(2026, 3, 3, 10, 0, 0)},
		// Not a date.
		{"31 Feb 2026 10:00:00 +0000", time.Time{}},
		{"Tue, 3 Mar 2026 25:00:00 +0000", time.Time{}},
		{"yesterday noon", time.Time{}},
		{"", time.Time{}},
	} {
		got, ok := parseDate(tc.in)
		if ok != !tc.want.IsZero() || !got.Equal(tc.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", tc.in, got, ok, tc.want)
		}
	}
}

func TestParseDateDoesNotAllocate(t *testing.T) {
	for _, s := range []string{"Sun, 22 Nov 2026 18:24:19 +0000 (UTC)", "Tue, 3 Mar 2026 10:00:00 PST"} {
		if n := testing.AllocsPerRun(100, func() { parseDate(s) }); n != 0 {
			t.Errorf("parseDate(%q): %v allocations", s, n)
		}
	}
}

// FuzzParseDate holds parseDate to net/mail's ParseDate for dates with a numeric zone (net/mail
// reads a zone name through time.Parse, which depends on the local time zone), and checks that
// nothing panics.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"Sun, 22 Nov 2026 18:24:19 +0000 (UTC)", "3 Mar 26 10:00 -0830", "Mon, 4 Dec 2023 10:22:41 CET", "x", "1 MAY 60 00:00 +0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseDateFast(s)
		if !ok || strings.ContainsAny(s, "()\r\n") {
			return
		}
		want, err := netmail.ParseDate(s)
		if err != nil {
			// parseDateFast is more lenient in places (a missing comma after the day of the
			// week, lower-case names, 3-digit years, a leap second): only a date net/mail
			// reads is compared.
			return
		}
		if y := want.Year(); 2050 <= y && y <= 2068 && got.Year() == y-100 {
			// net/mail reads a two-digit year as time.Parse does (69–99 are 19xx, the rest
			// 20xx); RFC 5322 §4.3 makes 50–99 19xx, as parseDateFast does.
			want = want.AddDate(-100, 0, 0)
		}
		if !got.Equal(want) && zoneIsNumeric(s) {
			t.Errorf("parseDateFast(%q) = %v; net/mail reads %v", s, got, want)
		}
	})
}

func zoneIsNumeric(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) >= 5 && (s[len(s)-5] == '+' || s[len(s)-5] == '-')
}

func BenchmarkParseDate(b *testing.B) {
	for b.Loop() {
		parseDate("Mon,  4 Dec 2023 10:22:41 +0100 (CET)")
	}
}

func BenchmarkNetMailParseDate(b *testing.B) {
	for b.Loop() {
		netmail.ParseDate("Mon,  4 Dec 2023 10:22:41 +0100 (CET)")
	}
}

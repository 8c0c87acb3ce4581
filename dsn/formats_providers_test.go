package dsn

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPvLeadingAddress(t *testing.T) {
	tests := []struct {
		name, line, addr, rest string
		ok                     bool
	}{
		{"bare", "kijitora@example.com", "kijitora@example.com", "", true},
		{"indented with date", "      kijitora@example.com on 4/29/01 11:34:45 PM", "kijitora@example.com", "on 4/29/01 11:34:45 PM", true},
		{"angle brackets and colon", "<kijitora@example.org>:", "kijitora@example.org", "", true},
		{"double quotes and colon", `"kijitora@example.org":`, "kijitora@example.org", "", true},
		{"single quotes", "'mueller@example.org' am 14.03.2006 09:12", "mueller@example.org", "am 14.03.2006 09:12", true},
		{"mailto after it", "alice@example.org<mailto:alice@example.org>", "alice@example.org", "<mailto:alice@example.org>", true},
		{"unclosed bracket", "<kijitora@example.org is gone", "", "", false},
		{"address later in the line", "Remote Server returned '550 5.1.1 <a@example.org>'", "", "", false},
		{"no address", "Generating server: mx.example.org", "", "", false},
		{"empty", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, rest, ok := pvLeadingAddress(tt.line)
			if addr != tt.addr || rest != tt.rest || ok != tt.ok {
				t.Errorf("pvLeadingAddress(%q) = %q, %q, %v, want %q, %q, %v", tt.line, addr, rest, ok, tt.addr, tt.rest, tt.ok)
			}
		})
	}
}

func TestPvEntries(t *testing.T) {
	sec := "\n<a@example.org>:\nRemote host said: 550 5.1.1 unknown\n\nsome trailer\n\n<b@example.org>:\n\nreason below a blank line\nsecond line\n\ntrailer again\n"
	es := pvEntries(sec, pvRestEmpty)
	var got [][]string
	for _, e := range es {
		got = append(got, append([]string{e.addr}, e.detail...))
	}
	want := [][]string{
		{"a@example.org", "Remote host said: 550 5.1.1 unknown"},
		{"b@example.org", "reason below a blank line", "second line"},
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("pvEntries(%q) = %q, want %q", sec, got, want)
	}
}

func TestPvSectionNonASCIICase(t *testing.T) {
	// lowerASCII keeps byte offsets, so a marker found after text whose lower-case form has
	// another length still cuts at the right place.
	text := "İİİ Diagnostic information for administrators:\nbody line\nOriginal message headers:\nX"
	// The text read is the mail's main text (its lowered copy and grams are used), a prefix
	// of it, or other text.
	for _, main := range []string{text, text + "\nmore", "other text"} {
		m := &mail{mainText: main}
		sec, ok := m.pvSection(text, exchangeAdminStarts, exchangeAdminEnds)
		if !ok || sec != "body line\n" {
			t.Errorf("pvSection(%q) in a mail of text %q = %q, %v, want %q, true", text, main, sec, ok, "body line\n")
		}
		m.grams.release()
	}
}

func TestPvLeadingReply(t *testing.T) {
	for in, want := range map[string]string{
		"550: <a@example.org>: User unknown":   "550",
		"550 - Requested action not taken":     "550",
		"550 5.1.1 <a@example.org>... unknown": "",
		"Remote host said: 550":                "",
		"999: nope":                            "",
	} {
		if got := pvLeadingReply(in); string(got) != want {
			t.Errorf("pvLeadingReply(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestProvidersIgnoreOrdinaryMail checks that people quoting bounce wording in ordinary mail
// do not produce recipients.
func TestProvidersIgnoreOrdinaryMail(t *testing.T) {
	mails := map[string]string{
		"office365 wording": "From: Alice <alice@example.org>\nTo: bob@example.net\nSubject: Re: lunch\n\n" +
			"Your message to carol@example.com was delivered, she says.\nDiagnostic information for administrators is in the wiki.\n",
		"gmail wording": "From: Alice <alice@example.org>\nTo: bob@example.net\nSubject: question\n\n" +
			"I saw 'Delivery to the following recipient failed permanently:' once.\n\n     carol@example.com\n\nAny idea?\n",
		"zoho-like line": "From: Alice <alice@example.org>\nTo: bob@example.net\nSubject: log\n\n" +
			"The line reads: carol@example.com Error, nothing else.\n",
	}
	for name, raw := range mails {
		t.Run(name, func(t *testing.T) {
			rep := ParseBytes([]byte(raw))
			if len(rep.Recipients) != 0 {
				t.Errorf("ParseBytes(%q) gave recipients %v (decoded by %s), want none", raw, rep.Recipients, rep.Format)
			}
		})
	}
}

func TestExchange2003SMTPLines(t *testing.T) {
	in := "did not reach:\n\nKijitora Cat (SMTP:kijitora@example.com) on 4/29/99 9:19:59 AM\n    Unknown Recipient\nsmtp: nothing here on Monday\n"
	want := "did not reach:\n\nkijitora@example.com on 4/29/99 9:19:59 AM\n    Unknown Recipient\nsmtp: nothing here on Monday\n"
	if got := exchange2003SMTPLines(in); got != want {
		t.Errorf("exchange2003SMTPLines(%q) = %q, want %q", in, got, want)
	}
	// Several lines rewritten, the first and the last (without a line break) among them.
	in = "A (SMTP:a@example.com) on 1/2/03\nkept\nB (smtp=b@example.com) on 1/2/03\n\nC (SMTP:c@example.com) on 1/2/03"
	want = "a@example.com on 1/2/03\nkept\nb@example.com on 1/2/03\n\nc@example.com on 1/2/03"
	if got := exchange2003SMTPLines(in); got != want {
		t.Errorf("exchange2003SMTPLines(%q) = %q, want %q", in, got, want)
	}
}

// TestOffice365OpeningSentence checks the last resort of the Exchange reader: an NDR that
// has neither list but names the recipient in its opening sentence.
func TestOffice365OpeningSentence(t *testing.T) {
	for _, body := range []string{
		"Your message to kijitora@example.org couldn't be delivered.\n\nkijitora wasn't found at example.org.\n",
		"Your message couldn't be delivered to kijitora@example.org because the remote server is misconfigured.\n",
		"Delivery has failed to these recipients or groups:\n\nKijitora Cat\nThe email address wasn't found.\n\n" +
			"Original Message Details\nCreated Date:   4/29/2017 6:40:30 AM\nSender Address: sender@example.net\nRecipient Address:      kijitora@example.org\nSubject:        Nyaan\n",
	} {
		raw := "From: Microsoft Outlook <postmaster@example.com>\nTo: sender@example.net\nSubject: Undeliverable: hello\n\n" + body
		rep := ParseBytes([]byte(raw))
		if len(rep.Recipients) != 1 || rep.Recipients[0].Address != "kijitora@example.org" || rep.Format != "exchange2007" {
			t.Errorf("ParseBytes(%q) = %s %+v, want exchange2007 with kijitora@example.org", raw, rep.Format, rep.Recipients)
		}
	}
}

func TestPvJoinCaps(t *testing.T) {
	long := strings.Repeat("é", pvMaxDiagnostic) // two bytes each
	got := pvJoin([]string{"  first ", "", long, "never"})
	if len(got) > pvMaxDiagnostic || !utf8.ValidString(got) || !strings.HasPrefix(got, "first é") {
		t.Errorf("pvJoin(long lines) = %d bytes, valid UTF-8 %v, prefix %q; want at most %d valid bytes starting %q",
			len(got), utf8.ValidString(got), got[:min(len(got), 10)], pvMaxDiagnostic, "first é")
	}
	if got := pvJoin([]string{" a ", "", "b"}); got != "a b" {
		t.Errorf("pvJoin = %q, want %q", got, "a b")
	}
}

func TestPvHost(t *testing.T) {
	tests := []struct{ d, marker, want string }{
		{"SMTP error from remote server after RCPT command: host: mx.example.org 5.1.1 unknown", "host: ", "mx.example.org"},
		{"host mx.example.org [192.0.2.222]: 550 5.1.1", "host ", "mx.example.org"},
		{"host mx.example.org[192.0.2.222] said: 550 5.2.1", "host ", "mx.example.org"},
		{"for TEXT command, host: smtp-in.example.fr (192.0.2.65) reason: 550", "host: ", "smtp-in.example.fr"},
		{"host 192.0.2.1: refused", "host ", ""},
		{"no host here", "host: ", ""},
	}
	for _, tt := range tests {
		if got := pvHost(tt.d, tt.marker); got != tt.want {
			t.Errorf("pvHost(%q, %q) = %q, want %q", tt.d, tt.marker, got, tt.want)
		}
	}
}

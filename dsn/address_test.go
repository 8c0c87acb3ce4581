package dsn

import (
	"strings"
	"testing"
)

func TestValidMailbox(t *testing.T) {
	for _, tt := range []struct {
		addr string
		want bool
	}{
		{"user@example.org", true},
		{"first.last+tag@mail.example.org", true},
		{"user@localhost", true},
		{"user@[192.0.2.1]", true},
		{"user@[IPv6:2001:db8::1]", true},
		{`"odd..name"@example.org`, true},
		{`"<img/src=x/onerror=alert(4)>"@example.com`, true},
		{`"a\"b"@example.org`, true},
		{"ユーザー@例え.jp", true},
		{"user@host_name.example.org", true},
		{"img/src=x/onerror=alert(4", false},
		{"img/src=x/onerror=alert(4@example.com", false},
		{"<user@example.org>", false},
		{"user@example.org.", false},
		{"user@-example.org", false},
		{".user@example.org", false},
		{"us..er@example.org", false},
		{"us er@example.org", false},
		{"user@exa mple.org", false},
		{`"unterminated@example.org`, false},
		{`"a"b"@example.org`, false},
		{"user@[192.0.2.1", false},
		{"user@", false},
		{"@example.org", false},
		{strings.Repeat("a", 65) + "@example.org", false},
		{"user@exa\xffmple.org", false},
		{"user\x1b]0;x\x07@example.org", false},
	} {
		if got := validMailbox(tt.addr); got != tt.want {
			t.Errorf("validMailbox(%q) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}

// TestRecipientsAreAddresses decodes delivery-status parts whose recipients are not all mail
// addresses: only the addresses become recipients, and each other one leaves a problem.
func TestRecipientsAreAddresses(t *testing.T) {
	for _, tt := range []struct {
		name, final string
		want        string // the recipient reported, "" for none
	}{
		{"quoted local part", `rfc822; "<img/src=x/onerror=alert(4)>"@example.com`, `"<img/src=x/onerror=alert(4)>"@example.com`},
		{"markup", `rfc822; <img src=x onerror=alert(1)>`, ""},
		{"angle brackets", `rfc822; <user@example.org>`, "user@example.org"},
		{"control characters", "rfc822; user\x1b[2J@example.org", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mail := "From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n" +
				"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\nFinal-Recipient: " + tt.final + "\nAction: failed\nStatus: 5.1.1\n--b--\n"
			rep := ParseBytes([]byte(mail))
			var got []string
			for _, r := range rep.Recipients {
				got = append(got, r.Address)
			}
			switch {
			case tt.want != "" && (len(got) != 1 || got[0] != tt.want):
				t.Errorf("Final-Recipient: %s: recipients %q, want [%q]", tt.final, got, tt.want)
			case tt.want == "" && len(got) != 0:
				t.Errorf("Final-Recipient: %s: recipients %q, want none", tt.final, got)
			}
			bad := false
			for _, p := range rep.Problems {
				bad = bad || p.Code == ProblemBadAddress
			}
			if bad != (tt.want == "") {
				t.Errorf("Final-Recipient: %s: problems %+v, want a bad-address one: %v", tt.final, rep.Problems, tt.want == "")
			}
		})
	}
}

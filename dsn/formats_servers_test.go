package dsn

import (
	"testing"

	"github.com/bounceproc/bounceproc/classify"
)

func TestLeadingAddress(t *testing.T) {
	tests := []struct {
		name, line, want string
		end              int
	}{
		{"angle brackets", "<user@example.org>: host said", "user@example.org", 18},
		{"bare and indented", "  user@example.org", "user@example.org", 18},
		{"quoted local part", `"odd..name"@example.org: x`, `"odd..name"@example.org`, 23},
		{"not at the start", "host mx.example.org said: user@example.org", "", 0},
		{"pipe", "|/usr/bin/procmail user@example.org", "", 0},
		{"empty", "", "", 0},
		{"address after prose", "reason: <user@example.org>", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, end := leadingAddress(tc.line)
			if cleanAddress(got) != cleanAddress(tc.want) || end != tc.end {
				t.Errorf("leadingAddress(%q) = %q, %d; want %q, %d", tc.line, got, end, tc.want, tc.end)
			}
		})
	}
}

func TestReplyAtStart(t *testing.T) {
	tests := []struct {
		line string
		want classify.ReplyCode
	}{
		{"550 5.1.1 User unknown", "550"},
		{"  552-5.2.2 over quota", "552"},
		{"554", "554"},
		{"5501 not a code", ""},
		{"571 not valid (second digit)", ""},
		{"x550 no", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := replyAtStart(tc.line); got != tc.want {
			t.Errorf("replyAtStart(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}

func TestHostSaid(t *testing.T) {
	tests := []struct{ in, want string }{
		{"host mx.example.org[192.0.2.1] said: 550 no", "mx.example.org"},
		{"host mx.example.org [192.0.2.1]: 550 no", "mx.example.org"},
		{"connect to mx.example.org[192.0.2.1]:25: Connection timed out", "mx.example.org"},
		{"host 192.0.2.22 [192.0.2.22]", ""},
		{"no host here", ""},
	}
	for _, tc := range tests {
		if got := hostSaid(tc.in); got != tc.want {
			t.Errorf("hostSaid(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLowerASCIIKeepsOffsets(t *testing.T) {
	tests := []string{"ABC déf", "İSTANBUL Was Not Delivered To:", "bad \xff\xfe UTF-8 HERE", "ȺȾ MARKER", ""}
	for _, in := range tests {
		got := lowerASCII(in)
		if len(got) != len(in) {
			t.Errorf("lowerASCII(%q) has %d bytes, want %d", in, len(got), len(in))
		}
		for i := 0; i < len(in); i++ {
			c := in[i]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if got[i] != c {
				t.Errorf("lowerASCII(%q)[%d] = %q, want %q", in, i, got[i], c)
				break
			}
		}
	}
}

func TestIsMailbox(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"user@example.org", true},
		{"|/usr/local/bin/x user@example.org /home/x", false},
		{"/var/mail/user@example.org", false},
		{"user", false},
	}
	for _, tc := range tests {
		if got := isMailbox(tc.in); got != tc.want {
			t.Errorf("isMailbox(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestCutBefore(t *testing.T) {
	in := "report\n--- Below this line is a copy of the message.\nold"
	// The main text itself goes through the cached lower-case text, other text is lowered anew.
	m := &mail{mainText: in}
	if got, want := m.cutBefore(in, "--- below this line is a copy of the message"), "report\n"; got != want {
		t.Errorf("cutBefore(%q) = %q, want %q", in, got, want)
	}
	if got := m.cutBefore("no marker", "--- below"); got != "no marker" {
		t.Errorf("cutBefore without marker = %q, want the whole text", got)
	}
	if got, want := m.cutBefore("Report\n--- BELOW this line", "--- below"), "Report\n"; got != want {
		t.Errorf("cutBefore on other text = %q, want %q", got, want)
	}
}

// TestSendmailReply checks that the remote server's answer wins over Sendmail's own summary.
func TestSendmailReply(t *testing.T) {
	tests := []struct {
		name                string
		named, own, session []string
		want                classify.ReplyCode
	}{
		{"remote line names it", []string{"<<< 550 5.1.1 <a@example.org>... User unknown"}, []string{"554 5.0.0 <a@example.org>... x"}, nil, "550"},
		{"code inside own line", nil, []string{"554 <a@example.org>... 550 Host unknown"}, nil, "550"},
		{"session refusal", nil, []string{"554 <a@example.org>... Remote protocol error"}, []string{"<<< 550 Insecure Mail Relay"}, "550"},
		{"own code last", nil, []string{"554 <a@example.org>... Remote protocol error"}, []string{"<<< 571 invalid"}, "554"},
		{"nothing", nil, nil, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sendmailReply(tc.named, tc.own, tc.session); got != tc.want {
				t.Errorf("sendmailReply(%q, %q, %q) = %q, want %q", tc.named, tc.own, tc.session, got, tc.want)
			}
		})
	}
}

// TestPostfixParagraphs reads the "<address>: text" paragraphs of a Postfix notice: one on
// the first line, one whose "(expanded from" comment is folded onto the next line, one on
// the last line without a line break, and lines starting with "<" that are not paragraphs.
func TestPostfixParagraphs(t *testing.T) {
	text := "<a@example.org>: host mx.example.org said: 550 5.1.1\n" +
		"    unknown user (in reply to RCPT TO command)\n" +
		"\tsecond line\n" +
		"\n<not an address>: x\n" +
		"<b@example.org> (expanded from\n" +
		"    <list@example.org>): mailbox full\n" +
		"prose\n" +
		"<c@example.org>: lost connection"
	got := postfixParagraphs(text, classify.ActionFailed)
	want := []struct{ addr, orig, diag string }{
		{"a@example.org", "", joinLines([]string{" host mx.example.org said: 550 5.1.1", "    unknown user (in reply to RCPT TO command)", "\tsecond line"})},
		{"b@example.org", "list@example.org", "mailbox full"},
		{"c@example.org", "", "lost connection"},
	}
	if len(got) != len(want) {
		t.Fatalf("postfixParagraphs gave %d recipients %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		if g := got[i]; g.Address != w.addr || g.OriginalAddress != w.orig || g.Diagnostic != w.diag {
			t.Errorf("recipient %d: %q (from %q): %q, want %q (from %q): %q", i, g.Address, g.OriginalAddress, g.Diagnostic, w.addr, w.orig, w.diag)
		}
	}
}

func TestNamesAddress(t *testing.T) {
	tests := []struct {
		s, addr string
		want    bool
	}{
		{"553 5.3.0 <ann@example.org>... No such user here", "ann@example.org", true},
		{"553 5.3.0 ANN@Example.org... No such user", "ann@example.org", true},
		{"for ann@example.org.", "ann@example.org", true},
		{"553 5.3.0 <joann@example.org>... No such user here", "ann@example.org", false},
		{"550 ann@example.org.uk unknown", "ann@example.org", false},
		{"joann@example.org, then ann@example.org", "ann@example.org", true},
		{"nobody here", "ann@example.org", false},
	}
	for _, tt := range tests {
		if got := namesAddress(tt.s, tt.addr); got != tt.want {
			t.Errorf("namesAddress(%q, %q) = %v, want %v", tt.s, tt.addr, got, tt.want)
		}
	}
}

package dsn

import (
	"strings"
	"testing"
)

// gmailSentenceDSN is a delivery-status report whose record has no Diagnostic-Code and a
// class-level status: its only words on the failure are a sentence of the text part (the
// layout of Gmail's "Address not found" notice).
func gmailSentenceDSN(sentence string) string {
	return "From: Mail Delivery Subsystem <mailer-daemon@example.com>\r\n" +
		"To: sender@example.org\r\n" +
		"Subject: Delivery Status Notification (Failure)\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=b1\r\n" +
		"\r\n" +
		"--b1\r\n" +
		"Content-Type: text/plain; charset=UTF-8\r\n" +
		"\r\n" +
		"** Address not found **\r\n" +
		"\r\n" +
		sentence + "\r\n" +
		"\r\n" +
		"--b1\r\n" +
		"Content-Type: message/delivery-status\r\n" +
		"\r\n" +
		"Reporting-MTA: dns; mail.example.com\r\n" +
		"\r\n" +
		"Final-Recipient: rfc822; user@example.net\r\n" +
		"Action: failed\r\n" +
		"Status: 5.0.0\r\n" +
		"\r\n" +
		"--b1--\r\n"
}

func TestExplanationInSentence(t *testing.T) {
	tests := []struct {
		name, sentence, want string
	}{
		{"prose sentence",
			"Your message wasn't delivered to user@example.net because the address couldn't be found. Check for typos.",
			"Your message wasn't delivered to user@example.net because the address couldn't be found. Check for typos."},
		{"field, not prose", "Original-Recipient: rfc822; user@example.net", ""},
		{"one word before it", "To user@example.net", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Parse(strings.NewReader(gmailSentenceDSN(tc.sentence)))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(rep.Recipients) != 1 {
				t.Fatalf("Parse found %d recipients, want 1", len(rep.Recipients))
			}
			if got := rep.Recipients[0].Diagnostic; got != tc.want {
				t.Errorf("Diagnostic for %q = %q, want %q", tc.sentence, got, tc.want)
			}
		})
	}
}

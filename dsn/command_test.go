package dsn

import (
	"strings"
	"testing"
)

// A Sendmail V5 transcript that reports on three recipients: the refusal of the last one at
// RCPT TO must not be lent to the two before it, whose lines name no command.
const v5ThreeRecipients = "From: Mail Delivery Subsystem <MAILER-DAEMON@example.com>\r\n" +
	"To: sender@example.com\r\n" +
	"Subject: Returned mail: User unknown\r\n" +
	"\r\n" +
	"   ----- Transcript of session follows -----\r\n" +
	"While talking to mx.example.org:\r\n" +
	">>> MAIL From:<sender@example.com>\r\n" +
	"<<< 501 <sender@example.com>... no access from this mail server\r\n" +
	"554 <first@example.org>... Remote protocol error\r\n" +
	"550 example.org (smtp)... 550 Host unknown\r\n" +
	"554 <second@example.org>... 550 Host unknown (Authoritative answer from name server)\r\n" +
	"While talking to smtp.example.edu:\r\n" +
	">>> RCPT To:<third@example.edu>\r\n" +
	"<<< 550 <third@example.edu>... User unknown\r\n" +
	"550 <third@example.edu>... User unknown\r\n" +
	"   ----- Unsent message follows -----\r\n" +
	"From: sender@example.com\r\n" +
	"To: first@example.org\r\n" +
	"Subject: hello\r\n" +
	"\r\n" +
	"hello\r\n"

func TestCommandNotLentByNextRecipient(t *testing.T) {
	rep, err := Parse(strings.NewReader(v5ThreeRecipients))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	// want is the command each recipient's own lines name; "" where they name none (first's
	// refusal may answer the MAIL FROM two lines above it, but never the RCPT TO below).
	want := map[string]string{
		"first@example.org":  "",
		"second@example.org": "",
		"third@example.edu":  "RCPT",
	}
	if len(rep.Recipients) != len(want) {
		t.Fatalf("Parse found %d recipients, want %d: %+v", len(rep.Recipients), len(want), rep.Recipients)
	}
	for _, r := range rep.Recipients {
		w, ok := want[r.Address]
		if !ok {
			t.Errorf("unexpected recipient %q", r.Address)
			continue
		}
		if string(r.Command) != w {
			t.Errorf("%s: Command = %q, want %q", r.Address, r.Command, w)
		}
	}
}

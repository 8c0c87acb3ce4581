package dsn_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/dsn"
)

// feedbackMail builds a feedback report (RFC 5965) with the given report fields and the
// returned message's headers.
func feedbackMail(fields, returnedHeaders string) string {
	return strings.ReplaceAll(`From: FBL <fbl@isp.example.org>
To: abuse@example.net
Subject: complaint about message from 192.0.2.7
Date: Tue, 01 Dec 2026 10:00:00 +0000
Message-ID: <fb1@isp.example.org>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="b"

--b
Content-Type: text/plain

This is an email abuse report for an email message received from IP 192.0.2.7.

--b
Content-Type: message/feedback-report

`+fields+`
--b
Content-Type: text/rfc822-headers

`+returnedHeaders+`
--b--
`, "\n", "\r\n")
}

// TestFeedbackRecipients checks where a feedback report's recipient is read from: the
// report's own fields first, then the returned message's envelope recipient, then its To.
func TestFeedbackRecipients(t *testing.T) {
	const fields = "Feedback-Type: abuse\nUser-Agent: FBL/1.0\nVersion: 1\n"
	const hdr = "From: news@example.net\nSubject: offers\nMessage-ID: <m1@example.net>\n"
	tests := []struct {
		name, fields, returned string
		want                   []string
	}{
		{"Original-Rcpt-To", fields + "Original-Rcpt-To: <a@isp.example.org>\nOriginal-Rcpt-To: b@isp.example.org\n",
			hdr + "To: list@example.net\n", []string{"a@isp.example.org", "b@isp.example.org"}},
		{"Removal-Recipient", fields + "Removal-Recipient: c@isp.example.org\n", hdr + "To: list@example.net\n", []string{"c@isp.example.org"}},
		// Outlook.com (JMRP) keeps the envelope recipient in X-HmXmrOriginalRecipient.
		{"envelope recipient of the returned message", fields,
			hdr + "X-HmXmrOriginalRecipient: <d@outlook.example.com>\nTo: undisclosed-recipients:;\n", []string{"d@outlook.example.com"}},
		{"envelope recipient over a list's To", fields,
			hdr + "To: Members <list@example.net>\nX-HmXmrOriginalRecipient: e@outlook.example.com\n", []string{"e@outlook.example.com"}},
		{"returned To", fields, hdr + "To: \"F\" <f@isp.example.org>\n", []string{"f@isp.example.org"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := dsn.ParseBytes([]byte(feedbackMail(tc.fields, tc.returned)))
			var got []string
			for _, r := range rep.Recipients {
				got = append(got, r.Address)
			}
			if !slices.Equal(got, tc.want) || rep.Kind != dsn.KindFeedback {
				t.Errorf("kind %v, recipients %q; want feedback, %q", rep.Kind, got, tc.want)
			}
		})
	}
}

// TestFeedbackWithoutRecipient checks that a feedback report naming nobody stays a feedback
// report, with a problem saying so, rather than ordinary mail.
func TestFeedbackWithoutRecipient(t *testing.T) {
	rep := dsn.ParseBytes([]byte(feedbackMail("Feedback-Type: abuse\nVersion: 1\n", "From: a@example.net\nTo: undisclosed-recipients:;\n")))
	if rep.Kind != dsn.KindFeedback || len(rep.Recipients) != 0 || len(rep.Problems) != 1 || rep.Problems[0].Code != dsn.ProblemNoRecipient {
		t.Errorf("kind %v, %d recipients, problems %+v; want feedback, none, one no-recipient problem", rep.Kind, len(rep.Recipients), rep.Problems)
	}
}

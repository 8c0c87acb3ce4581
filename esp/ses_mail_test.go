package esp

import (
	"fmt"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
)

// TestSESMailAndWebhookAgree: the same SES bounce notification gives the same verdict whether
// it comes to the webhook or by mail (SNS's email-json subscription, which dsn reads): the
// bounceType and bounceSubType change it the same way on both roads.
func TestSESMailAndWebhookAgree(t *testing.T) {
	diags := []string{
		"smtp; 550 5.1.1 user unknown",
		"smtp; 552 5.2.2 mailbox full",
		"smtp; 554 5.7.1 Service unavailable; client host [192.0.2.1] blocked using zen.spamhaus.org",
		"smtp; 550 5.7.1 message content rejected as spam",
		"",
	}
	pairs := [][2]string{
		{"Permanent", "General"}, {"Permanent", "NoEmail"}, {"Permanent", "Suppressed"},
		{"Permanent", "OnAccountSuppressionList"}, {"Transient", "General"}, {"Transient", "MailboxFull"},
		{"Transient", "MessageTooLarge"}, {"Transient", "ContentRejected"}, {"Transient", "AttachmentRejected"},
		{"Undetermined", "Undetermined"},
	}
	for _, p := range pairs {
		for _, diag := range diags {
			status := "5.0.0"
			if p[0] == "Transient" {
				status = "4.0.0"
			}
			notification := fmt.Sprintf(`{"notificationType":"Bounce","bounce":{"bounceType":%q,"bounceSubType":%q,`+
				`"bouncedRecipients":[{"emailAddress":"rcpt@example.com","action":"failed","status":%q,"diagnosticCode":%q}],`+
				`"timestamp":"2026-12-05T10:00:00.000Z","feedbackId":"0100-%s-%d","reportingMTA":"dns; a1-2.smtp-out.amazonses.com"},`+
				`"mail":{"timestamp":"2026-12-05T09:59:59.000Z","source":"sender@example.org","messageId":"0100-m","destination":["rcpt@example.com"]}}`,
				p[0], p[1], status, diag, p[1], len(diag))
			evs, err := Parse(SES, []byte(notification))
			if err != nil || len(evs) != 1 || len(evs[0].Recipients) != 1 {
				t.Fatalf("%s/%s %q: webhook parse: %v, %+v", p[0], p[1], diag, err, evs)
			}
			hook := evs[0].Recipients[0].Verdict
			mail := "From: no-reply@sns.amazonaws.com\r\nTo: bounces@example.org\r\nSubject: AWS Notification Message\r\n" +
				"Date: Sat, 05 Dec 2026 10:00:00 +0000\r\nMessage-ID: <n1@sns.amazonaws.com>\r\n" +
				"Content-Type: text/plain; charset=UTF-8\r\n\r\n" + notification + "\r\n"
			rep := dsn.ParseBytes([]byte(mail))
			if len(rep.Recipients) != 1 {
				t.Fatalf("%s/%s %q: the mail gave %d recipients", p[0], p[1], diag, len(rep.Recipients))
			}
			byMail := classify.Classify(rep.Recipients[0].Facts(rep))
			if byMail.Kind != hook.Kind || byMail.Reason != hook.Reason || byMail.Hard != hook.Hard {
				t.Errorf("%s/%s %q: by mail %s/%s hard=%v, by webhook %s/%s hard=%v", p[0], p[1], diag,
					byMail.Kind, byMail.Reason, byMail.Hard, hook.Kind, hook.Reason, hook.Hard)
			}
		}
	}
}

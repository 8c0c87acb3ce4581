package esp

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
)

func readSample(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type wantRecipient struct {
	addr   string
	kind   classify.Kind
	reason classify.Reason
}

// TestSamples parses each documented sample, checks Detect names its provider, and checks
// every recipient's verdict.
func TestSamples(t *testing.T) {
	tests := []struct {
		file    string
		p       Provider
		ignored int
		want    []wantRecipient
		ids     []string
	}{
		{"ses-bounce.json", SES, 0, []wantRecipient{{"jane.doe@example.org", classify.KindHard, classify.ReasonUserUnknown}},
			[]string{"0100017c5f0b2e4a-8c0d7d5b-6a3e-4c8e-9c44-1d8e6b0c2f11-000000"}},
		{"ses-complaint.json", SES, 0, []wantRecipient{{"rick.roe@example.net", classify.KindComplaint, classify.ReasonFeedback}},
			[]string{"0100017c5f0b2e4a-aaaa0000-1111-2222-3333-444455556666-000000"}},
		{"ses-delivery.json", SES, 0, []wantRecipient{{"ann.bee@example.com", classify.KindDelivered, classify.ReasonDelivered}},
			[]string{"delivery/0100017c5f0b2c1a-12121212-3434-5656-7878-909090909090-000000/2026-11-30T19:45:01.312Z"}},
		{"sendgrid-events.json", SendGrid, 1, []wantRecipient{
			{"gone@example.org", classify.KindHard, classify.ReasonUserUnknown},
			{"listed@example.net", classify.KindBlocked, classify.ReasonBlocked},
			{"full@example.com", classify.KindSoft, classify.ReasonMailboxFull},
			{"old@example.org", classify.KindSoft, classify.ReasonSuppressed},
			{"angry@example.net", classify.KindComplaint, classify.ReasonFeedback},
			{"happy@example.com", classify.KindDelivered, classify.ReasonDelivered},
		}, nil},
		{"postmark-bounce.json", Postmark, 0, []wantRecipient{{"john@example.com", classify.KindHard, classify.ReasonUserUnknown}},
			[]string{"4323372036854775807"}},
		{"postmark-spamcomplaint.json", Postmark, 0, []wantRecipient{{"john@example.com", classify.KindComplaint, classify.ReasonFeedback}},
			[]string{"42"}},
		{"mailgun-failed.json", Mailgun, 0, []wantRecipient{{"alice@example.com", classify.KindHard, classify.ReasonUserUnknown}},
			[]string{"G9Bn5sl1TC6nu79C8C0bwg"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readSample(t, tt.file)
			if p, ok := Detect(data); !ok || p != tt.p {
				t.Errorf("Detect(%s) = %q, %v; want %q", tt.file, p, ok, tt.p)
			}
			events, err := Parse(tt.p, data)
			if err != nil {
				t.Fatalf("Parse(%s): %v", tt.file, err)
			}
			var got []wantRecipient
			ignored := 0
			for i, ev := range events {
				if ev.Ignored != "" {
					ignored++
					continue
				}
				if tt.ids != nil && ev.ID != tt.ids[i] {
					t.Errorf("event %d: ID = %q, want %q", i, ev.ID, tt.ids[i])
				}
				for _, r := range ev.Recipients {
					got = append(got, wantRecipient{r.Address, r.Verdict.Kind, r.Verdict.Reason})
				}
			}
			if ignored != tt.ignored {
				t.Errorf("ignored %d events, want %d", ignored, tt.ignored)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("recipients:\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

// sesBounce builds an SES bounce notification.
func sesBounce(typ, sub, status, diagnostic string) string {
	return fmt.Sprintf(`{"notificationType":"Bounce","bounce":{"feedbackId":"fb-%s-%s","bounceType":%q,"bounceSubType":%q,
		"bouncedRecipients":[{"emailAddress":"a@example.org","action":"failed","status":%q,"diagnosticCode":%q}],
		"timestamp":"2026-11-30T14:59:38.237Z"},"mail":{"messageId":"m-1"}}`, typ, sub, typ, sub, status, diagnostic)
}

// TestSESBounceTypes checks that bounceType and bounceSubType change the verdict as decided in
// sesJudgements, with and without a telling reply.
func TestSESBounceTypes(t *testing.T) {
	const (
		unknownUser = "smtp; 550 5.1.1 user unknown"
		spamhaus    = "smtp; 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"
		full        = "smtp; 552 5.2.2 Mailbox full"
		sesSupp     = "Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address."
	)
	tests := []struct {
		typ, sub, status, diag string
		kind                   classify.Kind
		reason                 classify.Reason
	}{
		{"Permanent", "General", "5.1.1", unknownUser, classify.KindHard, classify.ReasonUserUnknown},
		{"Permanent", "General", "5.0.0", "", classify.KindHard, classify.ReasonUserUnknown},
		{"Permanent", "General", "5.7.1", spamhaus, classify.KindBlocked, classify.ReasonBlocked},
		{"Permanent", "General", "5.2.2", full, classify.KindSoft, classify.ReasonMailboxFull},
		{"Permanent", "NoEmail", "5.0.0", "smtp; 550 mailbox unavailable", classify.KindHard, classify.ReasonUserUnknown},
		{"Permanent", "NoEmail", "5.7.1", spamhaus, classify.KindBlocked, classify.ReasonBlocked},
		{"Permanent", "Suppressed", "5.1.1", sesSupp, classify.KindSoft, classify.ReasonSuppressed},
		{"Permanent", "OnAccountSuppressionList", "5.1.1", "", classify.KindSoft, classify.ReasonSuppressed},
		{"Transient", "General", "4.1.1", "smtp; 450 4.1.1 user unknown", classify.KindUndetermined, classify.ReasonOnHold},
		{"Transient", "General", "4.4.7", "smtp; 421 4.4.7 connection timed out", classify.KindSoft, ""},
		{"Transient", "MailboxFull", "5.2.2", full, classify.KindSoft, classify.ReasonMailboxFull},
		{"Transient", "MailboxFull", "5.0.0", "smtp; 550 quota", classify.KindSoft, classify.ReasonMailboxFull},
		{"Transient", "MessageTooLarge", "5.0.0", "smtp; 550 too big", classify.KindSoft, classify.ReasonMesgTooBig},
		{"Transient", "ContentRejected", "5.0.0", "smtp; 550 rejected", classify.KindBlocked, classify.ReasonPolicyViolation},
		{"Transient", "AttachmentRejected", "5.0.0", "smtp; 550 rejected", classify.KindBlocked, classify.ReasonPolicyViolation},
		{"Undetermined", "Undetermined", "5.1.1", unknownUser, classify.KindHard, classify.ReasonUserUnknown},
	}
	for _, tt := range tests {
		name := tt.typ + "/" + tt.sub + "/" + tt.status
		t.Run(name, func(t *testing.T) {
			events, err := ParseSES([]byte(sesBounce(tt.typ, tt.sub, tt.status, tt.diag)))
			if err != nil {
				t.Fatal(err)
			}
			v := events[0].Recipients[0].Verdict
			if v.Kind != tt.kind || (tt.reason != "" && v.Reason != tt.reason) {
				t.Errorf("%s with %q: %s/%s, want %s/%s (evidence %q)", name, tt.diag, v.Kind, v.Reason, tt.kind, tt.reason, v.Evidence)
			}
			if v.Suppress != (tt.kind == classify.KindHard) {
				t.Errorf("%s: Suppress = %v", name, v.Suppress)
			}
			if f := events[0].Recipients[0].Facts; tt.status != "" && string(f.Status) != tt.status {
				t.Errorf("%s: the status fact %q was not kept as %q", name, f.Status, tt.status)
			}
		})
	}
}

// TestSendGridClassifications checks each documented bounce_classification.
func TestSendGridClassifications(t *testing.T) {
	tests := []struct {
		class, typ, status, reason string
		kind                       classify.Kind
		want                       classify.Reason
	}{
		{"Invalid Address", "bounce", "5.0.0", "550 no such mailbox here", classify.KindHard, classify.ReasonUserUnknown},
		{"Invalid Address", "bounce", "5.0.0", "", classify.KindHard, classify.ReasonUserUnknown},
		{"Mailbox Unavailable", "bounce", "5.0.0", "550 account disabled", classify.KindSoft, ""},
		{"Mailbox Unavailable", "bounce", "5.0.0", "", classify.KindSoft, classify.ReasonSuspend},
		{"Reputation", "blocked", "5.0.0", "550 rejected", classify.KindBlocked, classify.ReasonBadReputation},
		{"Technical", "blocked", "4.0.0", "", classify.KindSoft, classify.ReasonNetworkError},
		{"Content", "blocked", "5.0.0", "550 rejected", classify.KindBlocked, classify.ReasonPolicyViolation},
		{"Frequency or Volume", "blocked", "4.0.0", "421 try later", classify.KindBlocked, classify.ReasonSpeeding},
		{"Unclassified", "bounce", "5.1.1", "550 5.1.1 user unknown", classify.KindHard, classify.ReasonUserUnknown},
		{"", "blocked", "5.1.1", "", classify.KindBlocked, classify.ReasonBlocked},
	}
	for i, tt := range tests {
		t.Run(tt.class+"/"+tt.typ, func(t *testing.T) {
			body := fmt.Sprintf(`[{"email":"x@example.org","timestamp":1764514800,"event":"bounce","sg_event_id":"id-%d","type":%q,"status":%q,"reason":%q,"bounce_classification":%q}]`,
				i, tt.typ, tt.status, tt.reason, tt.class)
			events, err := ParseSendGrid([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			v := events[0].Recipients[0].Verdict
			if v.Kind != tt.kind || (tt.want != "" && v.Reason != tt.want) {
				t.Errorf("%q %s %q: %s/%s, want %s/%s (evidence %q)", tt.class, tt.typ, tt.reason, v.Kind, v.Reason, tt.kind, tt.want, v.Evidence)
			}
		})
	}
}

// TestBadInput checks that bodies that are not a provider's events are refused with a message.
func TestBadInput(t *testing.T) {
	tests := []struct {
		p    Provider
		body string
		want string
	}{
		{SES, ``, "empty body"},
		{SES, `{"notificationType":"Bounce","mail":{}}`, "without its"},
		{SES, `{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"a@example.org"}]},"mail":{}}`, "no ID"},
		{SES, `[1,2]`, "not a JSON object"},
		{SendGrid, `[{"email":"a@example.org","event":"bounce"}]`, "no ID"},
		{SendGrid, `[{"email":"","event":"bounce","sg_event_id":"x"}]`, "no address"},
		{SendGrid, `[{"email":"a@example.org","event":"bounce","sg_event_id":"x"} junk`, "not a JSON array"},
		{Postmark, `{"ID":1,"Type":"HardBounce","Email":"a@example.org"}`, "no RecordType"},
		{Postmark, `{"RecordType":"Bounce","ID":"one","Type":"HardBounce","Email":"a@example.org"}`, ""},
		{Mailgun, `{"event-data":{"event":"failed","recipient":"a@example.org"}}`, "no ID"},
		{Mailgun, `{"event-data":{"id":"` + strings.Repeat("x", 600) + `","event":"failed","recipient":"a@example.org"}}`, "bytes long"},
	}
	for _, tt := range tests {
		t.Run(string(tt.p)+"/"+tt.want, func(t *testing.T) {
			events, err := Parse(tt.p, []byte(tt.body))
			if err == nil || !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%s, %q) = %d events, %v; want bad input saying %q", tt.p, tt.body, len(events), err, tt.want)
			}
			if err != nil && events != nil {
				t.Errorf("Parse(%s, %q) returned events with an error", tt.p, tt.body)
			}
		})
	}
}

// TestDetectNotProvider checks that JSON of no provider's shape is not claimed.
func TestDetectNotProvider(t *testing.T) {
	for _, s := range []string{`{"a":1}`, `[]`, `not json`, `{"Type":"x"}`, `[{"event":"bounce"}]`} {
		if p, ok := Detect([]byte(s)); ok {
			t.Errorf("Detect(%q) = %q, want none", s, p)
		}
	}
}

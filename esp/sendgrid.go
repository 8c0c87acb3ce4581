package esp

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bounceproc/bounceproc/classify"
)

// A SendGrid Event Webhook post is a JSON array of events ("Event Webhook reference",
// www.twilio.com/docs/sendgrid/for-developers/tracking-events/event):
//
//	[{"email":"example@test.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>",
//	  "event":"bounce","category":"cat facts","sg_event_id":"6g4ZI7SA-xmRDv57GoPIPw==",
//	  "sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
//	  "reason":"500 unknown recipient","status":"5.0.0","type":"bounce",
//	  "bounce_classification":"Invalid Address"}]
//
// "bounce" events carry type "bounce" or "blocked" (older posts send event "blocked");
// "dropped" ones a reason ("Bounced Address", "Unsubscribed Address", "Spam Reporting Address",
// "Invalid", "Invalid SMTPAPI header", "Spam Content (if spam checker app enabled)");
// "deferred" and "delivered" a response; "spamreport" nothing more.
type sendGridEvent struct {
	Email                string          `json:"email"`
	Timestamp            json.Number     `json:"timestamp"`
	Event                string          `json:"event"`
	SGEventID            string          `json:"sg_event_id"`
	SGMessageID          string          `json:"sg_message_id"`
	Reason               string          `json:"reason"`
	Status               json.RawMessage `json:"status"`
	Response             string          `json:"response"`
	Type                 string          `json:"type"`
	BounceClassification string          `json:"bounce_classification"`
}

// sendGridJudgements maps SendGrid's bounce_classification, as "Bounce and block
// classifications" (www.twilio.com/docs/sendgrid/ui/sending-email/index-suppressions) writes
// the values, to a judgement:
//
//	Invalid Address      the address is invalid or does not exist: userunknown (hard) unless
//	                     the reply gives another hard reason or speaks of the sender.
//	Mailbox Unavailable  the mailbox is unavailable (full, disabled, inactive): the reply's
//	                     reading stands when it is about the mailbox or the address (soft or
//	                     hard: "550 5.1.1" under this class still says the mailbox is gone);
//	                     else suspend (soft).
//	Reputation           the sender's IP or domain reputation: blocked readings stand, else
//	                     badreputation (blocked).
//	Technical            DNS, TLS, authentication or other technical trouble: soft, blocked and
//	                     delayed readings stand, and a hostunknown or notaccept (the
//	                     recipient's domain, which is about the address); else networkerror.
//	Content              the message's content: content reasons stand, else policyviolation
//	                     (blocked; the address is not to blame).
//	Frequency or Volume  the sender is throttled: speeding and toomanyconn stand, else speeding.
//	Unclassified         SendGrid could not tell: the reply's verdict stands.
var sendGridJudgements = []struct {
	class string
	j     judgement
}{
	{"Invalid Address", judgement{Kinds: kinds(classify.KindHard), Fallback: classify.ReasonUserUnknown}},
	{"Mailbox Unavailable", judgement{Kinds: kinds(classify.KindSoft, classify.KindHard, classify.KindDelayed),
		Fallback: classify.ReasonSuspend}},
	{"Reputation", judgement{Kinds: kinds(classify.KindBlocked), Fallback: classify.ReasonBadReputation}},
	{"Technical", judgement{Kinds: kinds(classify.KindSoft, classify.KindBlocked, classify.KindDelayed),
		Reasons: reasons(classify.ReasonHostUnknown, classify.ReasonNotAccept), Fallback: classify.ReasonNetworkError}},
	{"Content", judgement{Reasons: reasons(classify.ReasonSpamDetected, classify.ReasonVirusDetected, classify.ReasonContentError,
		classify.ReasonNotCompliantRFC, classify.ReasonMesgTooBig, classify.ReasonExceedLimit, classify.ReasonPolicyViolation),
		Fallback: classify.ReasonPolicyViolation}},
	{"Frequency or Volume", judgement{Reasons: reasons(classify.ReasonSpeeding, classify.ReasonTooManyConn),
		Fallback: classify.ReasonSpeeding}},
	{"Unclassified", judgement{}},
}

// sendGridBlocked is the judgement of a block (type "blocked") that SendGrid did not
// classify: a block is the receiver refusing the message for now, never proof the address is
// bad.
var sendGridBlocked = judgement{Label: "SendGrid type blocked",
	Kinds:    kinds(classify.KindSoft, classify.KindBlocked, classify.KindDelayed, classify.KindUndetermined),
	Fallback: classify.ReasonBlocked}

// sendGridJudgement returns the judgement for a bounce_classification; ok is false for a
// value SendGrid does not document (its reply then decides).
func sendGridJudgement(class string) (judgement, bool) {
	for _, e := range sendGridJudgements {
		if strings.EqualFold(e.class, strings.TrimSpace(class)) {
			j := e.j
			j.Label = "SendGrid bounce_classification " + e.class
			return j, true
		}
	}
	return judgement{}, false
}

// ParseSendGrid reads SendGrid Event Webhook events: the JSON array SendGrid posts, or one
// event, or events one per line.
func ParseSendGrid(data []byte) ([]Event, error) { return parseSendGrid(data, MaxEvents) }

func parseSendGrid(data []byte, limit int) ([]Event, error) {
	return parseMany(data, limit, "SendGrid event", func(raw json.RawMessage, where string) ([]Event, error) {
		var e sendGridEvent
		if err := strictish(raw, &e); err != nil {
			return nil, badInput("%s: %v", where, jsonError(err))
		}
		ev, err := sendGridToEvent(e, where)
		if err != nil {
			return nil, err
		}
		return []Event{ev}, checkEvent(&ev, where)
	})
}

func sendGridToEvent(e sendGridEvent, where string) (Event, error) {
	if e.Event == "" {
		return Event{}, badInput("%s: no \"event\": not a SendGrid event", where)
	}
	ev := Event{Provider: SendGrid, ID: clip(e.SGEventID, maxID+1), Type: e.Event, MessageID: clip(e.SGMessageID, maxID)}
	if secs, err := e.Timestamp.Int64(); err == nil && secs > 0 {
		ev.OccurredAt = time.Unix(secs, 0).UTC()
	}
	status := jsonString(e.Status)
	r := Recipient{Address: clip(e.Email, maxText), Facts: classify.Facts{Format: "sendgrid-event"}}
	for _, f := range []Field{{"event", e.Event}, {"type", e.Type}, {"bounce_classification", e.BounceClassification},
		{"status", status}, {"reason", e.Reason}, {"response", e.Response}} {
		if f.Value != "" {
			f.Value = clip(f.Value, maxText)
			r.Fields = append(r.Fields, f)
		}
	}
	observe := func(action classify.Action, text string) {
		r.Facts.Action = action
		if st, ok := classify.ParseStatus(status); ok {
			r.Facts.Status, r.Facts.StatusSource = st, "the SendGrid event"
		}
		diagnosticFacts(&r.Facts, text)
	}
	switch strings.ToLower(e.Event) {
	case "bounce", "blocked":
		observe(classify.ActionFailed, e.Reason)
		j, ok := sendGridJudgement(e.BounceClassification)
		switch {
		case ok:
		case strings.EqualFold(e.Type, "blocked") || strings.EqualFold(e.Event, "blocked"):
			j = sendGridBlocked
		}
		if j.Label != "" && e.Type != "" {
			ev.Type += "/" + e.Type
		}
		r.Verdict = j.Apply(r.Facts)
	case "dropped":
		// SendGrid did not send. Its suppression lists ("Bounced Address", "Unsubscribed
		// Address", "Spam Reporting Address") and an address it finds invalid make it refuse
		// the recipient; a bad SMTPAPI header or spam content are the sender's message.
		reason := strings.ToLower(e.Reason)
		switch {
		case strings.Contains(reason, "address") || reason == "invalid":
			observe(classify.ActionFailed, "SendGrid did not send: "+e.Reason)
			r.Verdict = judgement{Label: "SendGrid dropped (" + e.Reason + ")", Fallback: classify.ReasonSuppressed}.Apply(r.Facts)
		case strings.Contains(reason, "spam content"):
			observe(classify.ActionFailed, "SendGrid did not send: "+e.Reason)
			r.Verdict = judgement{Label: "SendGrid dropped (" + e.Reason + ")", Fallback: classify.ReasonSpamDetected}.Apply(r.Facts)
		default:
			return Event{Provider: SendGrid, ID: ev.ID, Type: e.Event,
				Ignored: "SendGrid dropped the message for the sender's reason (" + clip(e.Reason, 200) + "), not the recipient's"}, nil
		}
	case "deferred":
		observe(classify.ActionDelayed, e.Response)
		r.Verdict = classify.Classify(r.Facts)
	case "delivered":
		observe(classify.ActionDelivered, e.Response)
		r.Verdict = classify.Classify(r.Facts)
	case "spamreport":
		r.Facts.FeedbackType = "abuse"
		r.Verdict = classify.Classify(r.Facts)
	default:
		// processed, open, click, unsubscribe, group_unsubscribe, group_resubscribe.
		return Event{Provider: SendGrid, ID: ev.ID, Type: e.Event, Ignored: "SendGrid " + e.Event + " event: not a delivery outcome"}, nil
	}
	ev.Recipients = []Recipient{r}
	return ev, nil
}

// jsonString returns a JSON string's value, or a number's text; "" for anything else.
func jsonString(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// SendGridVerifier checks the signature of SendGrid's Event Webhook ("Getting started with the
// Event Webhook security features"): an ECDSA signature, base64 ASN.1 DER in the
// X-Twilio-Email-Event-Webhook-Signature header, over the X-Twilio-Email-Event-Webhook-Timestamp
// header's value followed by the raw body, hashed with SHA-256, by the P-256 key whose base64
// DER (SubjectPublicKeyInfo) SendGrid shows as the verification key.
type SendGridVerifier struct {
	key *ecdsa.PublicKey
}

// The headers of SendGrid's signed posts.
const (
	SendGridSignatureHeader = "X-Twilio-Email-Event-Webhook-Signature"
	SendGridTimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp"
)

// NewSendGridVerifier reads the verification key as SendGrid shows it: base64 of the DER
// public key, or the same in a PEM block.
func NewSendGridVerifier(key string) (*SendGridVerifier, error) {
	s := strings.TrimSpace(key)
	if strings.HasPrefix(s, "-----BEGIN") {
		lines := strings.Split(s, "\n")
		var body []string
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "-----") {
				body = append(body, l)
			}
		}
		s = strings.Join(body, "")
	}
	der, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("esp: the SendGrid verification key is not base64: %w", err)
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("esp: the SendGrid verification key: %w", err)
	}
	k, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("esp: the SendGrid verification key is a %T, not an ECDSA key", pub)
	}
	return &SendGridVerifier{key: k}, nil
}

// Verify checks a post's signature; an error wraps ErrBadSignature.
func (v *SendGridVerifier) Verify(signature, timestamp string, body []byte) error {
	if signature == "" || timestamp == "" {
		return fmt.Errorf("esp: %w: no %s or %s header", ErrBadSignature, SendGridSignatureHeader, SendGridTimestampHeader)
	}
	if _, err := strconv.ParseInt(timestamp, 10, 64); err != nil {
		return fmt.Errorf("esp: %w: the timestamp %q is not a number", ErrBadSignature, clip(timestamp, 40))
	}
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return fmt.Errorf("esp: %w: the signature is not base64", ErrBadSignature)
	}
	h := sha256.New()
	h.Write([]byte(timestamp))
	h.Write(body)
	if !ecdsa.VerifyASN1(v.key, h.Sum(nil), sig) {
		return fmt.Errorf("esp: %w: the SendGrid signature does not match", ErrBadSignature)
	}
	return nil
}

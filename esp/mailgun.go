package esp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bounceproc/bounceproc/classify"
)

// A Mailgun webhook post ("Webhooks", documentation.mailgun.com, and "Securing webhooks"):
//
//	{"signature":{"timestamp":"1529006854","token":"a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0",
//	  "signature":"d2271d12299f6592d9d44cd9d250f0704e4674c30d79d07c47a66f95ce71cf55"},
//	 "event-data":{"id":"G9Bn5sl1TC6nu79C8C0bwg","timestamp":1521472262.908181,"event":"failed",
//	  "severity":"permanent","reason":"bounce","recipient":"alice@example.com",
//	  "delivery-status":{"attempt-no":1,"code":550,"message":"5.1.1 The email account that you
//	    tried to reach does not exist.","description":"","enhanced-code":"5.1.1",
//	    "mx-host":"smtp-in.example.com"},
//	  "message":{"headers":{"message-id":"20130503182626.18666.16540@example.com"}}}}
//
// A file for a backfill may hold such posts, bare event-data objects, or the Events API's
// answer ({"items":[...],"paging":{...}}).
type mailgunPost struct {
	Signature *struct {
		Timestamp string `json:"timestamp"`
		Token     string `json:"token"`
		Signature string `json:"signature"`
	} `json:"signature"`
	EventData *mailgunEvent   `json:"event-data"`
	Items     []mailgunEvent  `json:"items"`
	Paging    json.RawMessage `json:"paging"`
	mailgunEvent
}

type mailgunEvent struct {
	ID             string      `json:"id"`
	Timestamp      json.Number `json:"timestamp"`
	Event          string      `json:"event"`
	Severity       string      `json:"severity"`
	Reason         string      `json:"reason"`
	Recipient      string      `json:"recipient"`
	DeliveryStatus *struct {
		Code         json.RawMessage `json:"code"`
		Message      string          `json:"message"`
		Description  string          `json:"description"`
		EnhancedCode string          `json:"enhanced-code"`
		MXHost       string          `json:"mx-host"`
	} `json:"delivery-status"`
	Message struct {
		Headers struct {
			MessageID string `json:"message-id"`
		} `json:"headers"`
	} `json:"message"`
}

// ParseMailgun reads Mailgun events: a webhook post (its signature is not checked here; see
// MailgunVerifier), a bare event-data object, the Events API's answer, or a JSON array or
// sequence of any of them.
func ParseMailgun(data []byte) ([]Event, error) { return parseMailgun(data, MaxEvents) }

func parseMailgun(data []byte, limit int) ([]Event, error) {
	return parseMany(data, limit, "Mailgun event", func(raw json.RawMessage, where string) ([]Event, error) {
		var p mailgunPost
		if err := strictish(raw, &p); err != nil {
			return nil, badInput("%s: %v", where, jsonError(err))
		}
		var events []mailgunEvent
		switch {
		case p.EventData != nil:
			events = []mailgunEvent{*p.EventData}
		case p.Items != nil || p.Paging != nil:
			events = p.Items
		default:
			events = []mailgunEvent{p.mailgunEvent}
		}
		var out []Event
		for i, e := range events {
			w := where
			if len(events) > 1 {
				w = fmt.Sprintf("%s item %d", where, i+1)
			}
			ev, err := mailgunToEvent(e, w)
			if err != nil {
				return nil, err
			}
			if err := checkEvent(&ev, w); err != nil {
				return nil, err
			}
			out = append(out, ev)
		}
		return out, nil
	})
}

// mailgunToEvent maps one event. Mailgun's "failed" events carry a severity: "temporary"
// failures are retried by Mailgun (delayed), "permanent" ones are final; their reason says
// why Mailgun gave up: "bounce" and "generic" (the receiver's reply decides), "old" (retried
// too long: expired), "suppress-bounce", "suppress-unsubscribe" and "suppress-complaint"
// (Mailgun did not send because the address is on the domain's suppression list: suppressed,
// as for SES, since no receiver was asked).
func mailgunToEvent(e mailgunEvent, where string) (Event, error) {
	if e.Event == "" {
		return Event{}, badInput("%s: no \"event\": not a Mailgun event", where)
	}
	ev := Event{Provider: Mailgun, ID: clip(e.ID, maxID+1), Type: e.Event, MessageID: clip(e.Message.Headers.MessageID, maxID)}
	if secs, err := e.Timestamp.Float64(); err == nil && secs > 0 && secs < math.MaxInt32*4 {
		ev.OccurredAt = time.Unix(0, int64(secs*1e9)).UTC()
	}
	r := Recipient{Address: clip(e.Recipient, maxText), Facts: classify.Facts{Format: "mailgun-event"}}
	for _, f := range []Field{{"event", e.Event}, {"severity", e.Severity}, {"reason", e.Reason}} {
		if f.Value != "" {
			r.Fields = append(r.Fields, Field{f.Name, clip(f.Value, maxText)})
		}
	}
	if ds := e.DeliveryStatus; ds != nil {
		code := jsonString(ds.Code)
		for _, f := range []Field{{"code", code}, {"enhanced-code", ds.EnhancedCode}, {"message", ds.Message},
			{"description", ds.Description}, {"mx-host", ds.MXHost}} {
			if f.Value != "" {
				r.Fields = append(r.Fields, Field{"delivery-status." + f.Name, clip(f.Value, maxText)})
			}
		}
		if st, ok := classify.ParseStatus(ds.EnhancedCode); ok {
			r.Facts.Status, r.Facts.StatusSource = st, "the Mailgun event"
		}
		// Mailgun's own codes (605: not delivering to a suppressed address) are not SMTP
		// replies; only 2xx to 5xx codes are.
		if rc, ok := classify.ParseReplyCode(code); ok && code[0] >= '2' && code[0] <= '5' {
			r.Facts.Reply = rc
		}
		text := strings.TrimSpace(ds.Message)
		if text == "" {
			text = ds.Description
		}
		diagnosticFacts(&r.Facts, text)
		r.Facts.RemoteMTA = clip(ds.MXHost, 255)
	}
	switch strings.ToLower(e.Event) {
	case "failed":
		ev.Type += "/" + e.Severity + "/" + e.Reason
		if strings.EqualFold(e.Severity, "temporary") {
			r.Facts.Action = classify.ActionDelayed
			r.Verdict = classify.Classify(r.Facts)
			break
		}
		r.Facts.Action = classify.ActionFailed
		label := "Mailgun failed, severity " + e.Severity + ", reason " + e.Reason
		switch reason := strings.ToLower(e.Reason); {
		case strings.HasPrefix(reason, "suppress-"):
			r.Verdict = judgement{Label: label, Fallback: classify.ReasonSuppressed}.Apply(r.Facts)
		case reason == "old":
			r.Verdict = judgement{Label: label, Kinds: kinds(classify.KindSoft, classify.KindBlocked),
				Fallback: classify.ReasonExpired}.Apply(r.Facts)
		default:
			r.Verdict = judgement{Label: label}.Apply(r.Facts)
		}
	case "complained":
		r.Facts = classify.Facts{Format: "mailgun-event", FeedbackType: "abuse"}
		r.Verdict = classify.Classify(r.Facts)
	case "delivered":
		r.Facts.Action = classify.ActionDelivered
		r.Verdict = classify.Classify(r.Facts)
	default:
		// accepted, rejected (Mailgun refused the message from the sender), opened, clicked,
		// unsubscribed, stored, list events.
		return Event{Provider: Mailgun, ID: ev.ID, Type: e.Event, Ignored: "Mailgun " + e.Event + " event: not a delivery outcome"}, nil
	}
	ev.Recipients = []Recipient{r}
	return ev, nil
}

// MailgunVerifier checks Mailgun's webhook signatures ("Securing webhooks"): the hex
// HMAC-SHA256 of the timestamp followed by the token, keyed with the webhook signing key. A
// timestamp further than MaxSkew from now is refused, and so is a token seen before
// (a replay), for as long as its timestamp would be accepted. It is safe for concurrent use.
type MailgunVerifier struct {
	key []byte
	// MaxSkew is how far a timestamp may be from now; 0 means 10 minutes.
	MaxSkew time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu     sync.Mutex
	tokens map[string]time.Time // token → until when it is remembered
}

// maxTokens caps the remembered tokens; past it, posts are refused until tokens expire (the
// cap is far above what Mailgun posts within MaxSkew).
const maxTokens = 100000

// NewMailgunVerifier makes a verifier for the webhook signing key.
func NewMailgunVerifier(key string) (*MailgunVerifier, error) {
	k := strings.TrimSpace(key)
	if k == "" {
		return nil, errors.New("esp: empty Mailgun webhook signing key")
	}
	return &MailgunVerifier{key: []byte(k)}, nil
}

func (v *MailgunVerifier) skew() time.Duration {
	if v.MaxSkew > 0 {
		return v.MaxSkew
	}
	return 10 * time.Minute
}

// Verify checks a post's signature and reserves its token; an error wraps ErrBadSignature.
// The caller calls release with false when it did not record the post, so that Mailgun's
// retry with the same signature is accepted, and with true once it did.
func (v *MailgunVerifier) Verify(body []byte) (release func(kept bool), err error) {
	var p mailgunPost
	if err := strictish(body, &p); err != nil {
		return nil, badInput("not a Mailgun webhook post (JSON): %v", jsonError(err))
	}
	if p.Signature == nil || p.EventData == nil {
		return nil, badInput("a Mailgun webhook post has \"signature\" and \"event-data\"")
	}
	s := p.Signature
	mac := hmac.New(sha256.New, v.key)
	mac.Write([]byte(s.Timestamp))
	mac.Write([]byte(s.Token))
	want := mac.Sum(nil)
	got, err := hex.DecodeString(s.Signature)
	if err != nil || !hmac.Equal(got, want) {
		return nil, fmt.Errorf("esp: %w: the Mailgun signature does not match", ErrBadSignature)
	}
	secs, err := strconv.ParseInt(s.Timestamp, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("esp: %w: the timestamp %q is not a number", ErrBadSignature, clip(s.Timestamp, 40))
	}
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	at := time.Unix(secs, 0)
	if d := now.Sub(at); d > v.skew() || d < -v.skew() {
		return nil, fmt.Errorf("esp: %w: the timestamp %s is more than %s from now (an old or replayed post)",
			ErrBadSignature, at.UTC().Format(time.RFC3339), v.skew())
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.tokens == nil {
		v.tokens = make(map[string]time.Time)
	}
	for t, until := range v.tokens {
		if now.After(until) {
			delete(v.tokens, t)
		}
	}
	if _, seen := v.tokens[s.Token]; seen {
		return nil, fmt.Errorf("esp: %w: the token was used before (a replayed post)", ErrBadSignature)
	}
	if len(v.tokens) >= maxTokens {
		return nil, fmt.Errorf("esp: %w: too many posts within %s to check for replays", ErrBadSignature, v.skew())
	}
	token := s.Token
	v.tokens[token] = at.Add(v.skew())
	return func(kept bool) {
		if kept {
			return
		}
		v.mu.Lock()
		delete(v.tokens, token)
		v.mu.Unlock()
	}, nil
}

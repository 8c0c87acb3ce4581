package esp

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// A Postmark bounce webhook ("Bounce webhook", postmarkapp.com/developer/webhooks/
// bounce-webhook) posts one JSON object:
//
//	{"RecordType":"Bounce","MessageStream":"outbound","ID":4323372036854775807,
//	 "Type":"HardBounce","TypeCode":1,"Name":"Hard bounce","Tag":"Test",
//	 "MessageID":"883953f4-6105-42a2-a16a-77a8eac79483","ServerID":23,
//	 "Description":"The server was unable to deliver your message (ex: unknown user, mailbox not found).",
//	 "Details":"Test bounce details","Email":"john@example.com","From":"sender@example.com",
//	 "BouncedAt":"2019-11-05T16:33:54.9070259Z","DumpAvailable":true,"Inactive":true,
//	 "CanActivate":true,"Subject":"Test subject","Content":"<Full dump of bounce>"}
//
// The spam complaint webhook sends the same shape with RecordType and Type "SpamComplaint";
// the delivery webhook RecordType "Delivery" with Recipient, DeliveredAt and Details. ID is a
// 64-bit integer, read as a number's text so that no digit is lost.
type postmarkEvent struct {
	RecordType  string      `json:"RecordType"`
	ID          json.Number `json:"ID"`
	Type        string      `json:"Type"`
	TypeCode    json.Number `json:"TypeCode"`
	MessageID   string      `json:"MessageID"`
	Description string      `json:"Description"`
	Details     string      `json:"Details"`
	Email       string      `json:"Email"`
	Recipient   string      `json:"Recipient"`
	BouncedAt   string      `json:"BouncedAt"`
	DeliveredAt string      `json:"DeliveredAt"`
	Inactive    bool        `json:"Inactive"`
}

// postmarkJudgements maps Postmark's bounce Type to a judgement, by Postmark's "Bounce types"
// (postmarkapp.com/developer/api/bounce-api#bounce-types). Types that are not about a
// delivery's outcome (Subscribe, Unsubscribe, ManuallyDeactivated, OpenRelayTest,
// ChallengeVerification, Unconfirmed, SMTPApiError, InboundError, TemplateRenderingFailed)
// are ignored.
//
//	HardBounce         "unable to deliver (ex: unknown user, mailbox not found)": userunknown
//	                   unless the reply gives another hard reason or speaks of the sender.
//	BadEmailAddress    "not a valid email address": userunknown.
//	SoftBounce         "unable to temporarily deliver (mailbox full, account disabled, exceeds
//	                   quota, out of disk space)": soft, blocked and delayed readings stand;
//	                   a hard one gives way to mailboxfull (Postmark says temporary).
//	Transient          "delayed due to network troubles": soft, delayed and blocked stand,
//	                   else networkerror.
//	DnsError           "a temporary DNS error": networkerror unless the reading is soft.
//	SpamNotification   "blocked by the user, or classified as spam": blocked readings stand,
//	                   else spamdetected.
//	VirusNotification  virusdetected.
//	Blocked            "the ISP blocked the message": blocked readings stand, else blocked.
//	DMARCPolicy        "rejected due to DMARC policy": authfailure.
//	AddressChange      "the recipient requested an address change": hasmoved.
//	AutoResponder      an automatic reply (RFC 3834).
//	SpamComplaint      a complaint (feedback type abuse).
//	Unknown            the reply decides.
var postmarkJudgements = []struct {
	typ string
	j   judgement
}{
	{"HardBounce", judgement{Kinds: kinds(classify.KindHard), Fallback: classify.ReasonUserUnknown}},
	{"BadEmailAddress", judgement{Kinds: kinds(classify.KindHard), Fallback: classify.ReasonUserUnknown}},
	{"SoftBounce", judgement{Kinds: kinds(classify.KindSoft, classify.KindBlocked, classify.KindDelayed),
		Fallback: classify.ReasonMailboxFull}},
	{"Transient", judgement{Kinds: kinds(classify.KindSoft, classify.KindBlocked, classify.KindDelayed),
		Fallback: classify.ReasonNetworkError}},
	{"DnsError", judgement{Kinds: kinds(classify.KindSoft, classify.KindDelayed), Fallback: classify.ReasonNetworkError}},
	{"SpamNotification", judgement{Kinds: kinds(classify.KindBlocked), Fallback: classify.ReasonSpamDetected}},
	{"VirusNotification", judgement{Fallback: classify.ReasonVirusDetected}},
	{"Blocked", judgement{Kinds: kinds(classify.KindBlocked), Fallback: classify.ReasonBlocked}},
	{"DMARCPolicy", judgement{Fallback: classify.ReasonAuthFailure}},
	{"AddressChange", judgement{Fallback: classify.ReasonHasMoved}},
	{"Unknown", judgement{}},
}

// postmarkIgnored lists the Types that are not about a delivery's outcome.
var postmarkIgnored = []string{"Subscribe", "Unsubscribe", "ManuallyDeactivated", "OpenRelayTest",
	"ChallengeVerification", "Unconfirmed", "SMTPApiError", "InboundError", "TemplateRenderingFailed"}

// ParsePostmark reads Postmark webhook posts: one bounce, spam complaint or delivery record,
// or a JSON array of them (for files).
func ParsePostmark(data []byte) ([]Event, error) { return parsePostmark(data, MaxEvents) }

func parsePostmark(data []byte, limit int) ([]Event, error) {
	return parseMany(data, limit, "Postmark record", func(raw json.RawMessage, where string) ([]Event, error) {
		var e postmarkEvent
		if err := strictish(raw, &e); err != nil {
			return nil, badInput("%s: %v", where, jsonError(err))
		}
		ev, err := postmarkToEvent(e, where)
		if err != nil {
			return nil, err
		}
		return []Event{ev}, checkEvent(&ev, where)
	})
}

func postmarkToEvent(e postmarkEvent, where string) (Event, error) {
	ev := Event{Provider: Postmark, Type: e.RecordType, MessageID: clip(e.MessageID, maxID)}
	if e.ID != "" {
		ev.ID = clip(e.ID.String(), maxID+1)
	}
	r := Recipient{Address: clip(e.Email, maxText), Facts: classify.Facts{Format: "postmark-event"}}
	for _, f := range []Field{{"RecordType", e.RecordType}, {"Type", e.Type}, {"TypeCode", e.TypeCode.String()},
		{"Description", e.Description}, {"Details", e.Details}} {
		if f.Value != "" {
			f.Value = clip(f.Value, maxText)
			r.Fields = append(r.Fields, f)
		}
	}
	switch e.RecordType {
	case "Delivery":
		// The delivery webhook has no ID of its own: a message is delivered to a recipient once.
		r.Address = clip(e.Recipient, maxText)
		if ev.MessageID != "" && r.Address != "" {
			ev.ID = "delivery/" + ev.MessageID + "/" + r.Address
		}
		ev.OccurredAt = parseTime(e.DeliveredAt)
		r.Facts.Action = classify.ActionDelivered
		diagnosticFacts(&r.Facts, e.Details)
		r.Verdict = classify.Classify(r.Facts)
	case "Bounce", "SpamComplaint":
		ev.Type += "/" + e.Type
		ev.OccurredAt = parseTime(e.BouncedAt)
		if e.Type == "SpamComplaint" {
			r.Facts.FeedbackType = "abuse"
			r.Facts.Diagnostic = clip(e.Details, maxText)
			r.Verdict = classify.Classify(r.Facts)
			break
		}
		for _, t := range postmarkIgnored {
			if strings.EqualFold(t, e.Type) {
				return Event{Provider: Postmark, ID: ev.ID, Type: ev.Type,
					Ignored: "Postmark bounce type " + e.Type + ": not a delivery outcome"}, nil
			}
		}
		r.Facts.Action = classify.ActionFailed
		diagnosticFacts(&r.Facts, e.Details)
		if strings.EqualFold(e.Type, "AutoResponder") {
			r.Facts.Action, r.Facts.AutoReply = classify.ActionUnknown, true
			r.Verdict = classify.Classify(r.Facts)
			break
		}
		j := judgement{Label: "Postmark Type " + e.Type}
		for _, pj := range postmarkJudgements {
			if strings.EqualFold(pj.typ, e.Type) {
				j.Kinds, j.Reasons, j.Fallback = pj.j.Kinds, pj.j.Reasons, pj.j.Fallback
			}
		}
		r.Verdict = j.Apply(r.Facts)
	case "":
		return Event{}, badInput("%s: no RecordType: not a Postmark webhook record", where)
	default:
		// Open, Click, SubscriptionChange.
		return Event{Provider: Postmark, ID: ev.ID, Type: e.RecordType,
			Ignored: "Postmark " + e.RecordType + " record: not a delivery outcome"}, nil
	}
	ev.Recipients = []Recipient{r}
	return ev, nil
}

// BasicAuth checks HTTP basic credentials (RFC 7617) against a "user:password" pair, in time
// that does not depend on where they differ.
type BasicAuth struct {
	user, password [sha256.Size]byte
}

// NewBasicAuth reads a "user:password" line.
func NewBasicAuth(line string) (*BasicAuth, error) {
	user, password, ok := strings.Cut(strings.TrimSpace(line), ":")
	if !ok || user == "" || password == "" {
		return nil, fmt.Errorf("esp: want a user:password line for basic authentication")
	}
	return &BasicAuth{user: sha256.Sum256([]byte(user)), password: sha256.Sum256([]byte(password))}, nil
}

// Check reports whether user and password are the configured ones. Both are hashed first, so
// the comparison takes the same time whatever their lengths.
func (a *BasicAuth) Check(user, password string) bool {
	u, p := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(password))
	okUser := subtle.ConstantTimeCompare(u[:], a.user[:])
	okPassword := subtle.ConstantTimeCompare(p[:], a.password[:])
	return okUser&okPassword == 1
}

package esp

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
)

// An Amazon SES notification, as SES publishes it to an SNS topic ("Amazon SES notification
// contents", docs.aws.amazon.com/ses/latest/dg/notification-contents.html), or as event
// publishing writes it ("eventType" instead of "notificationType"):
//
//	{"notificationType":"Bounce",
//	 "bounce":{"bounceType":"Permanent","bounceSubType":"General",
//	   "bouncedRecipients":[{"emailAddress":"recipient@example.com","action":"failed",
//	     "status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],
//	   "timestamp":"2016-01-27T14:59:38.237Z","feedbackId":"0000013786031775-...-000000",
//	   "remoteMtaIp":"127.0.2.0","reportingMTA":"dsn; a27-23.smtp-out.us-west-2.amazonses.com"},
//	 "mail":{"timestamp":"...","messageId":"0000014644fe5ef6-...-000000",...}}
//
// Complaints carry "complaint" with complainedRecipients, complaintFeedbackType (an ARF
// Feedback-Type, RFC 5965 §7.3) and complaintSubType; deliveries "delivery" with recipients and
// smtpResponse; event publishing adds "deliveryDelay" with delayedRecipients.
type sesNotification = dsn.SESNotification

// ParseSES reads Amazon SES notifications: one notification, an SNS message that carries one
// (its signature is not checked here; see SNSVerifier), or a JSON array of either, as a
// backfill file may hold them.
func ParseSES(data []byte) ([]Event, error) { return parseSES(data, MaxEvents) }

func parseSES(data []byte, limit int) ([]Event, error) {
	return parseMany(data, limit, "SES notification", func(raw json.RawMessage, where string) ([]Event, error) {
		var env snsMessage
		if err := strictish(raw, &env); err == nil && env.Type != "" {
			return sesFromSNS(&env, where)
		}
		ev, err := parseSESNotification(raw, where)
		if err != nil {
			return nil, err
		}
		return []Event{ev}, checkEvent(&ev, where)
	})
}

// sesFromSNS reads the SES notification an SNS message carries. An event with no ID of its
// own (a delivery without a timestamp) takes the SNS MessageId.
func sesFromSNS(env *snsMessage, where string) ([]Event, error) {
	if env.Type != "Notification" {
		return []Event{{Provider: SES, Type: "SNS " + clip(env.Type, 64),
			Ignored: "an SNS " + clip(env.Type, 64) + ", not a notification"}}, nil
	}
	ev, err := parseSESNotification([]byte(env.Message), where)
	if err != nil {
		return nil, err
	}
	if ev.ID == "" && ev.Ignored == "" {
		ev.ID = clip(env.MessageID, maxID+1)
	}
	return []Event{ev}, checkEvent(&ev, where)
}

// parseSESNotification reads one SES notification.
func parseSESNotification(data []byte, where string) (Event, error) {
	var n sesNotification
	if err := strictish(data, &n); err != nil {
		return Event{}, badInput("%s: not an SES notification: %v", where, err)
	}
	typ := n.NotificationType
	if typ == "" {
		typ = n.EventType
	}
	ev := Event{Provider: SES, Type: typ, MessageID: clip(n.Mail.MessageID, maxID)}
	switch {
	case strings.EqualFold(typ, "Bounce") && n.Bounce != nil:
		b := n.Bounce
		ev.Type = "Bounce/" + b.BounceType + "/" + b.BounceSubType
		ev.ID, ev.OccurredAt, ev.ReportingMTA = clip(b.FeedbackID, maxID+1), parseTime(b.Timestamp), reportingMTA(b.ReportingMTA)
		j := classify.SESBounce(b.BounceType, b.BounceSubType)
		for _, br := range b.BouncedRecipients {
			r := sesRecipientOf(br, classify.ActionFailed, ev.ReportingMTA)
			r.Facts.RemoteMTA = clip(b.RemoteMtaIP, 255)
			r.Fields = append([]Field{{"bounceType", b.BounceType}, {"bounceSubType", b.BounceSubType}}, r.Fields...)
			r.Verdict = j.Apply(r.Facts)
			ev.Recipients = append(ev.Recipients, r)
		}
	case strings.EqualFold(typ, "Complaint") && n.Complaint != nil:
		c := n.Complaint
		ev.ID, ev.OccurredAt = clip(c.FeedbackID, maxID+1), parseTime(c.Timestamp)
		feedback := strings.ToLower(strings.TrimSpace(c.ComplaintFeedbackType))
		if feedback == "" {
			// SES leaves complaintFeedbackType out when the ISP's report names none; RFC 5965
			// §3.1 then calls it abuse.
			feedback = "abuse"
		}
		sub := ""
		if c.ComplaintSubType != nil {
			sub = *c.ComplaintSubType
		}
		for _, cr := range c.ComplainedRecipients {
			r := Recipient{Address: clip(cr.EmailAddress, maxText),
				Facts:  classify.Facts{Format: "ses-event", FeedbackType: feedback},
				Fields: []Field{{"complaintFeedbackType", c.ComplaintFeedbackType}, {"emailAddress", cr.EmailAddress}}}
			if sub != "" {
				r.Fields = append(r.Fields, Field{"complaintSubType", sub})
			}
			if strings.EqualFold(sub, "OnAccountSuppressionList") {
				// "complaintSubType ... OnAccountSuppressionList: Amazon SES has suppressed
				// sending to this address because it is on the account-level suppression list"
				// for a complaint: no one complained about this message.
				r.Facts.FeedbackType = ""
				r.Facts.Action = classify.ActionFailed
				r.Facts.Diagnostic = "Amazon SES did not send: the address is on the account-level suppression list (complaint)"
				r.Verdict = judgement{Label: "SES complaintSubType OnAccountSuppressionList", Fallback: classify.ReasonSuppressed}.Apply(r.Facts)
			} else {
				r.Verdict = classify.Classify(r.Facts)
			}
			ev.Recipients = append(ev.Recipients, r)
		}
	case strings.EqualFold(typ, "Delivery") && n.Delivery != nil:
		d := n.Delivery
		ev.OccurredAt, ev.ReportingMTA = parseTime(d.Timestamp), reportingMTA(d.ReportingMTA)
		if ev.MessageID != "" && d.Timestamp != "" {
			ev.ID = "delivery/" + ev.MessageID + "/" + clip(d.Timestamp, 64)
		}
		for _, a := range d.Recipients {
			r := Recipient{Address: clip(a, maxText), Facts: classify.Facts{Action: classify.ActionDelivered, Format: "ses-event",
				RemoteMTA: clip(d.RemoteMtaIP, 255), ReportingMTA: ev.ReportingMTA},
				Fields: []Field{{"smtpResponse", d.SMTPResponse}}}
			diagnosticFacts(&r.Facts, d.SMTPResponse)
			r.Verdict = classify.Classify(r.Facts)
			ev.Recipients = append(ev.Recipients, r)
		}
	case strings.EqualFold(typ, "DeliveryDelay") && n.DeliveryDelay != nil:
		d := n.DeliveryDelay
		ev.Type = "DeliveryDelay/" + d.DelayType
		ev.OccurredAt, ev.ReportingMTA = parseTime(d.Timestamp), reportingMTA(d.ReportingMTA)
		if ev.MessageID != "" && d.Timestamp != "" {
			ev.ID = "delay/" + ev.MessageID + "/" + clip(d.Timestamp, 64)
		}
		for _, dr := range d.DelayedRecipients {
			r := sesRecipientOf(dr, classify.ActionDelayed, ev.ReportingMTA)
			r.Fields = append([]Field{{"delayType", d.DelayType}}, r.Fields...)
			r.Verdict = classify.Classify(r.Facts)
			ev.Recipients = append(ev.Recipients, r)
		}
	case typ == "":
		return Event{}, badInput("%s: no notificationType or eventType: not an SES notification", where)
	case strings.EqualFold(typ, "Bounce") || strings.EqualFold(typ, "Complaint") || strings.EqualFold(typ, "Delivery") ||
		strings.EqualFold(typ, "DeliveryDelay"):
		return Event{}, badInput("%s: a %s notification without its %q object", where, typ, strings.ToLower(typ[:1])+typ[1:])
	default:
		// Send, Reject, Open, Click, Rendering Failure, Subscription: not a delivery outcome.
		ev.Ignored = "SES " + typ + " event: not a delivery outcome"
	}
	return ev, nil
}

// sesRecipientOf turns one recipient entry into a Recipient whose facts are its status and
// diagnosticCode; def is the action when the entry states none.
func sesRecipientOf(sr dsn.SESRecipient, def classify.Action, reporting string) Recipient {
	r := Recipient{Address: clip(sr.EmailAddress, maxText)}
	f := classify.Facts{Action: def, Format: "ses-event", ReportingMTA: reporting}
	if a := classify.ParseAction(sr.Action); a != classify.ActionUnknown {
		f.Action = a
	}
	if st, ok := classify.ParseStatus(sr.Status); ok {
		f.Status, f.StatusSource = st, "the SES notification"
	}
	diagnosticFacts(&f, sr.DiagnosticCode)
	r.Facts = f
	r.Fields = []Field{{"emailAddress", sr.EmailAddress}}
	for _, fl := range []Field{{"action", sr.Action}, {"status", sr.Status}, {"diagnosticCode", sr.DiagnosticCode}} {
		if fl.Value != "" {
			fl.Value = clip(fl.Value, maxText)
			r.Fields = append(r.Fields, fl)
		}
	}
	return r
}

// reportingMTA strips the "dsn; " type SES writes before the name.
func reportingMTA(s string) string {
	if _, name, ok := strings.Cut(s, ";"); ok {
		s = name
	}
	return clip(s, 255)
}

// strictish decodes one JSON value into v and fails on anything after it.
func strictish(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errTrailing
	}
	return nil
}

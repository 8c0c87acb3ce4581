package dsn

import (
	"encoding/json"
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// Amazon SES notifications: the JSON that SES publishes to an SNS topic (and SNS forwards by
// mail, "Subject: AWS Notification Message", from no-reply@sns.amazonaws.com) or through
// configuration-set event publishing. Bounce mails that SES itself sends carry an RFC 3464
// delivery-status part and are read by the generic decoder.
//
// Wording from the SES developer guide, "Amazon SES notification contents"
// (docs.aws.amazon.com/ses/latest/dg/notification-contents.html):
//
//	{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General",
//	 "bouncedRecipients":[{"emailAddress":"bounce@simulator.amazonses.com","action":"failed",
//	 "status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],
//	 "reportingMTA":"dns; a27-23.smtp-out.us-west-2.amazonses.com"},"mail":{...}}
//	{"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":...}],
//	 "complaintFeedbackType":"abuse","userAgent":...,"arrivalDate":...},"mail":{...}}
//	{"notificationType":"Delivery","delivery":{"recipients":[...],"smtpResponse":"250 ok ...",
//	 "reportingMTA":...,"remoteMtaIp":...},"mail":{...}}
//
// and "Contents of event data" (event publishing, docs.aws.amazon.com/ses/latest/dg/
// event-publishing-retrieving-sns-contents.html), which says "eventType" instead of
// "notificationType" and adds DeliveryDelay:
//
//	{"eventType":"DeliveryDelay","deliveryDelay":{"delayType":"TransientCommunicationFailure",
//	 "expirationTime":...,"delayedRecipients":[{"emailAddress":...,"status":"4.4.1",
//	 "diagnosticCode":"smtp; 421 4.4.0 Unable to connect to remote host"}]},"mail":{...}}
//
// An SNS message sent with the "email-json" protocol wraps the notification as a string:
// {"Type":"Notification","MessageId":...,"Message":"{\"notificationType\":\"Bounce\",...}"}.

// SESNotification is an Amazon SES notification (or an event-publishing event) as the
// decoder reads it from a mail and package esp from a webhook: one type, so that both read
// the same fields the same way.
type SESNotification struct {
	NotificationType string `json:"notificationType"`
	EventType        string `json:"eventType"`
	Bounce           *struct {
		BounceType        string         `json:"bounceType"`
		BounceSubType     string         `json:"bounceSubType"`
		BouncedRecipients []SESRecipient `json:"bouncedRecipients"`
		Timestamp         string         `json:"timestamp"`
		FeedbackID        string         `json:"feedbackId"`
		ReportingMTA      string         `json:"reportingMTA"`
		RemoteMtaIP       string         `json:"remoteMtaIp"`
	} `json:"bounce"`
	Complaint *struct {
		ComplainedRecipients  []SESRecipient `json:"complainedRecipients"`
		ComplaintFeedbackType string         `json:"complaintFeedbackType"`
		// ComplaintSubType is null for a complaint the receiver sent, and "OnAccountSuppressionList"
		// for an address SES itself refused to send to.
		ComplaintSubType *string `json:"complaintSubType"`
		Timestamp        string  `json:"timestamp"`
		FeedbackID       string  `json:"feedbackId"`
		UserAgent        string  `json:"userAgent"`
		ArrivalDate      string  `json:"arrivalDate"`
	} `json:"complaint"`
	Delivery *struct {
		Recipients   []string `json:"recipients"`
		Timestamp    string   `json:"timestamp"`
		SMTPResponse string   `json:"smtpResponse"`
		ReportingMTA string   `json:"reportingMTA"`
		RemoteMtaIP  string   `json:"remoteMtaIp"`
	} `json:"delivery"`
	DeliveryDelay *struct {
		DelayType         string         `json:"delayType"`
		DelayedRecipients []SESRecipient `json:"delayedRecipients"`
		Timestamp         string         `json:"timestamp"`
		ExpirationTime    string         `json:"expirationTime"`
		ReportingMTA      string         `json:"reportingMTA"`
	} `json:"deliveryDelay"`
	Mail struct {
		Source        string `json:"source"`
		MessageID     string `json:"messageId"`
		CommonHeaders struct {
			From      []string `json:"from"`
			To        []string `json:"to"`
			Subject   string   `json:"subject"`
			Date      string   `json:"date"`
			MessageID string   `json:"messageId"`
		} `json:"commonHeaders"`
	} `json:"mail"`
}

// SESRecipient is one entry of bouncedRecipients, complainedRecipients or delayedRecipients.
type SESRecipient struct {
	EmailAddress   string `json:"emailAddress"`
	Action         string `json:"action"`
	Status         string `json:"status"`
	DiagnosticCode string `json:"diagnosticCode"`
}

// snsEnvelope is an SNS message as the email-json and HTTP protocols deliver it.
type snsEnvelope struct {
	Type    string `json:"Type"`
	Message string `json:"Message"`
}

// sesJSON returns the SES notifications carried by the mail, in text parts that are all JSON
// and in application/json parts, in that order.
func (m *mail) sesJSON() []*SESNotification {
	var cands []string
	texts := m.texts
	if len(texts) == 0 {
		texts = []string{m.text()}
	}
	for _, t := range texts {
		if t = strings.TrimSpace(t); strings.HasPrefix(t, "{") {
			cands = append(cands, t)
		}
	}
	cands = append(cands, m.jsons...)
	var out []*SESNotification
	for _, c := range cands {
		if !strings.Contains(c, `"notificationType"`) && !strings.Contains(c, `"eventType"`) && !strings.Contains(c, `"Message"`) {
			continue
		}
		if n := parseSESJSON(c); n != nil {
			out = append(out, n)
		}
	}
	return out
}

// sesOfType returns the notifications of one type ("Bounce", "Complaint", ...). The four SES
// decoders ask in turn; the JSON is read once.
func (m *mail) sesOfType(typ string) []*SESNotification {
	if !m.sesDone {
		m.ses, m.sesDone = m.sesJSON(), true
	}
	var out []*SESNotification
	for _, n := range m.ses {
		if strings.EqualFold(n.NotificationType, typ) {
			out = append(out, n)
		}
	}
	return out
}

// parseSESJSON reads one SES notification, unwrapping an SNS envelope.
func parseSESJSON(s string) *SESNotification {
	var n SESNotification
	if !decodeFirstJSON(s, &n) {
		return nil
	}
	if n.NotificationType == "" && n.EventType == "" {
		var env snsEnvelope
		if decodeFirstJSON(s, &env) && strings.HasPrefix(strings.TrimSpace(env.Message), "{") {
			n = SESNotification{}
			if !decodeFirstJSON(env.Message, &n) {
				return nil
			}
		}
	}
	if n.NotificationType == "" {
		n.NotificationType = n.EventType
	}
	if n.NotificationType == "" {
		return nil
	}
	return &n
}

// decodeFirstJSON decodes the first JSON value in s into v; text after it (the SNS footer
// with the unsubscribe link) is ignored.
//
// QUIRK: RFC 5322 §2.1.1 limits lines to 998 characters, and the one-line JSON body is often
// longer; Sendmail then splits it, writing "!" and a line break plus a blank into the middle
// of a string (lhost-amazonses-09: `{"name":"!\n Content-Transfer-Encoding"`). When the
// value does not decode as it is, those splits are undone and it is tried again.
func decodeFirstJSON(s string, v any) bool {
	i := strings.IndexByte(s, '{')
	if i < 0 {
		return false
	}
	s = s[i:]
	// Text with such a split is read without it straight away: "!\n " cannot stand in a
	// JSON value (a '!' outside a string, a line break inside one), so a value that decodes
	// as it is ends before the first split and decodes alike without them.
	if strings.Contains(s, "!\n ") {
		s = strings.ReplaceAll(s, "!\n ", "")
	}
	if json.NewDecoder(strings.NewReader(s)).Decode(v) == nil {
		return true
	}
	// Other relays fold the long line without a mark; a line break is never part of the
	// one-line JSON that SNS sends, so undo the folding.
	if !strings.Contains(s, "\n") {
		return false
	}
	s = strings.NewReplacer("\n ", "", "\n\t", "", "\n", "").Replace(s)
	return json.NewDecoder(strings.NewReader(s)).Decode(v) == nil
}

// decodeSESBounce reads the bounced recipients of SES "Bounce" notifications.
func decodeSESBounce(m *mail) []Recipient {
	var out []Recipient
	for _, n := range m.sesOfType("Bounce") {
		b := n.Bounce
		if b == nil {
			continue
		}
		if len(out) == 0 {
			m.sesMessage(n, b.ReportingMTA)
		}
		// "bounceType" and "bounceSubType" ("Permanent"/"General", "Transient"/"MailboxFull",
		// "Permanent"/"Suppressed") are the only explanation when a recipient has no
		// diagnosticCode.
		explain := "Amazon SES bounce: bounceType " + b.BounceType + ", bounceSubType " + b.BounceSubType
		j := classify.SESBounce(b.BounceType, b.BounceSubType)
		for _, br := range b.BouncedRecipients {
			r := sesToRecipient(br, classify.ActionFailed, explain)
			r.RemoteMTA = b.RemoteMtaIP
			r.Judgement = &j
			out = append(out, r)
		}
	}
	return out
}

// decodeSESDelay reads the delayed recipients of SES "DeliveryDelay" events.
func decodeSESDelay(m *mail) []Recipient {
	var out []Recipient
	for _, n := range m.sesOfType("DeliveryDelay") {
		d := n.DeliveryDelay
		if d == nil {
			continue
		}
		if len(out) == 0 {
			m.sesMessage(n, d.ReportingMTA)
		}
		for _, dr := range d.DelayedRecipients {
			r := sesToRecipient(dr, classify.ActionDelayed, "Amazon SES delivery delay: delayType "+d.DelayType)
			r.WillRetryUntil = d.ExpirationTime
			out = append(out, r)
		}
	}
	return out
}

// decodeSESDelivery reads the recipients of SES "Delivery" notifications: successes.
func decodeSESDelivery(m *mail) []Recipient {
	var out []Recipient
	for _, n := range m.sesOfType("Delivery") {
		d := n.Delivery
		if d == nil {
			continue
		}
		if len(out) == 0 {
			m.sesMessage(n, d.ReportingMTA)
		}
		for _, a := range d.Recipients {
			out = append(out, Recipient{
				Address: a, Action: classify.ActionDelivered, Diagnostic: d.SMTPResponse, DiagnosticType: "smtp",
				RemoteMTA: d.RemoteMtaIP, Source: "the Amazon SES delivery notification",
			})
		}
	}
	return out
}

// decodeSESComplaint reads the complained recipients of SES "Complaint" notifications, the
// JSON form of a feedback report (SES forwards the ISP's ARF report as this).
func decodeSESComplaint(m *mail) []Recipient {
	var out []Recipient
	for _, n := range m.sesOfType("Complaint") {
		c := n.Complaint
		if c == nil {
			continue
		}
		fb := &Feedback{Type: strings.ToLower(c.ComplaintFeedbackType), UserAgent: c.UserAgent, ArrivalDate: c.ArrivalDate,
			OriginalMailFrom: cleanAddress(n.Mail.Source)}
		if fb.Type == "" {
			// SES leaves complaintFeedbackType out when the ISP's report names none; RFC 5965
			// §3.1 then calls it abuse, as decodeARF does.
			fb.Type = "abuse"
		}
		if len(out) == 0 {
			m.sesMessage(n, "")
			m.rep.Feedback = fb
		}
		for _, cr := range c.ComplainedRecipients {
			out = append(out, Recipient{Address: cr.EmailAddress, Source: "the Amazon SES complaint notification",
				Diagnostic: strings.TrimSpace("Amazon SES complaint: " + fb.Type + " " + deref(c.ComplaintSubType))})
		}
	}
	return out
}

// sesToRecipient turns one recipient entry into a Recipient; def is the action when the entry
// has none, and explain the diagnostic when it has no diagnosticCode.
func sesToRecipient(sr SESRecipient, def classify.Action, explain string) Recipient {
	r := Recipient{Address: sr.EmailAddress, Action: def, Source: "the Amazon SES notification"}
	if a := classify.ParseAction(sr.Action); a != classify.ActionUnknown {
		r.Action = a
	}
	if st, ok := classify.ParseStatus(sr.Status); ok {
		r.FieldStatus = st
	}
	r.Diagnostic = explain
	if d := strings.TrimSpace(sr.DiagnosticCode); d != "" {
		r.DiagnosticType, r.Diagnostic = typedValue(d)
	}
	r.Fields = []Field{{Name: "emailAddress", Value: sr.EmailAddress}}
	if sr.Action != "" {
		r.Fields = append(r.Fields, Field{Name: "action", Value: sr.Action})
	}
	if sr.Status != "" {
		r.Fields = append(r.Fields, Field{Name: "status", Value: sr.Status})
	}
	if sr.DiagnosticCode != "" {
		r.Fields = append(r.Fields, Field{Name: "diagnosticCode", Value: sr.DiagnosticCode})
	}
	return r
}

// sesMessage copies the per-message facts of a notification to the report: the reporting
// MTA and the headers of the message it is about.
func (m *mail) sesMessage(n *SESNotification, reportingMTA string) {
	rep := m.rep
	if reportingMTA != "" {
		_, rep.ReportingMTA = typedValue(reportingMTA)
	}
	o := &rep.Original
	h := n.Mail.CommonHeaders
	o.MessageID = h.MessageID
	if n.Mail.MessageID != "" {
		// The ID SES gave the message when it was sent, which senders store to correlate.
		o.Headers = []Field{{Name: "mail.messageId", Value: n.Mail.MessageID}}
	}
	o.From = strings.Join(h.From, ", ")
	if o.From == "" {
		o.From = n.Mail.Source
	}
	o.To = strings.Join(h.To, ", ")
	o.Subject = h.Subject
	o.Date = h.Date
}

// deref is *p, or "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

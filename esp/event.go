package esp

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bounceproc/bounceproc/classify"
)

// Provider names a sending service.
type Provider string

// The providers.
const (
	SES      Provider = "ses"
	SendGrid Provider = "sendgrid"
	Postmark Provider = "postmark"
	Mailgun  Provider = "mailgun"
)

// Providers lists the providers in a stable order.
func Providers() []Provider { return []Provider{SES, SendGrid, Postmark, Mailgun} }

// String returns the provider's name.
func (p Provider) String() string { return string(p) }

// ParseProvider reads a provider's name, ignoring case.
func ParseProvider(s string) (Provider, error) {
	for _, p := range Providers() {
		if strings.EqualFold(strings.TrimSpace(s), string(p)) {
			return p, nil
		}
	}
	return "", fmt.Errorf("esp: unknown provider %q (want ses, sendgrid, postmark or mailgun)", s)
}

// Event is one event a provider reported: what happened to one sent message, for one or more
// of its recipients.
type Event struct {
	Provider Provider
	// ID is the provider's identity of the event, the ledger key: SES's feedbackId (else
	// the SNS MessageId), SendGrid's sg_event_id, Postmark's ID, Mailgun's event id.
	ID string
	// Type is the event's type as the provider writes it ("Bounce", "bounce", "HardBounce",
	// "failed"), with its subtype where there is one ("Bounce/Permanent/General").
	Type string
	// MessageID is the provider's identity of the message sent, when given.
	MessageID string
	// OccurredAt is when the provider says the event happened; zero when it does not say.
	OccurredAt time.Time
	// ReportingMTA is the provider's server that reported, when given.
	ReportingMTA string
	// Ignored, when not empty, says why the event is not recorded: it is about something other
	// than a delivery's outcome (an open, a click, an unsubscription), and has no recipients.
	Ignored    string
	Recipients []Recipient
}

// Recipient is what an event says about one recipient: the facts as observed, the provider's
// own fields as written, and the verdict.
type Recipient struct {
	Address string
	Facts   classify.Facts
	// Fields are the provider's fields for this recipient as written, in a fixed order: its
	// classification, status, diagnostic, for `decode` and the history.
	Fields  []Field
	Verdict classify.Verdict
}

// Field is one name and value as a provider wrote it.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Limits on what one request or file may hold.
const (
	// MaxBody is the largest request body a webhook reads; larger ones are refused with 413.
	// SendGrid posts events in batches, which stay well below it.
	MaxBody = 4 << 20
	// MaxEvents is the most events one body may hold.
	MaxEvents = 10000
	// MaxRecipients is the most recipients one event may name (SES lists at most 50 per
	// message).
	MaxRecipients = 1000
	// maxText caps a diagnostic or other text kept from an event, in bytes.
	maxText = 4096
	// maxID caps an event or message ID.
	maxID = 512
)

// ErrBadInput says a body is not a valid event of the provider: a webhook answers 400 and
// records nothing. The error's text says what is wrong.
var ErrBadInput = errors.New("bad input")

// badInput returns an error wrapping ErrBadInput.
func badInput(format string, args ...any) error {
	return fmt.Errorf("esp: %w: %s", ErrBadInput, fmt.Sprintf(format, args...))
}

// clip shortens s to at most n bytes, at a UTF-8 boundary.
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// checkEvent checks what every event needs before it is recorded: an ID (the ledger key) of
// sane length, and an address for each recipient.
func checkEvent(ev *Event, where string) error {
	if ev.Ignored != "" {
		return nil
	}
	if ev.ID == "" {
		return badInput("%s: the event has no ID, so a second delivery of it could not be recognised", where)
	}
	if len(ev.ID) > maxID {
		return badInput("%s: the event ID is %d bytes long (at most %d)", where, len(ev.ID), maxID)
	}
	if len(ev.Recipients) == 0 {
		return badInput("%s: the event names no recipient", where)
	}
	if len(ev.Recipients) > MaxRecipients {
		return badInput("%s: the event names %d recipients (at most %d)", where, len(ev.Recipients), MaxRecipients)
	}
	for i, r := range ev.Recipients {
		if strings.TrimSpace(r.Address) == "" {
			return badInput("%s: recipient %d has no address", where, i+1)
		}
	}
	return nil
}

// diagnosticFacts fills a recipient's facts from a diagnostic as a provider gives it, either
// typed as in RFC 3464 §2.3.6 ("smtp; 550 5.1.1 user unknown") or bare: the reply and
// enhanced codes it holds are observed ones, read from the text.
func diagnosticFacts(f *classify.Facts, diagnostic string) {
	d := clip(diagnostic, maxText)
	if typ, rest, ok := strings.Cut(d, ";"); ok && validDiagnosticType(strings.TrimSpace(typ)) {
		f.DiagnosticType = strings.ToLower(strings.TrimSpace(typ))
		d = strings.TrimSpace(rest)
	}
	f.Diagnostic = d
	reply, status := classify.ExtractCodes(d)
	if f.Reply == "" {
		f.Reply = reply
	}
	if f.Status == "" && status != "" {
		f.Status, f.StatusSource = status, "the diagnostic text"
	}
}

// validDiagnosticType reports whether s can be a diagnostic-type (RFC 3464 §2.3.6: an atom
// such as "smtp" or "x-unix").
func validDiagnosticType(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// judgement is a provider's own class for a failure: classify.Judgement, shared with the
// mail form of SES notifications that dsn reads.
type judgement = classify.Judgement

// kinds is a shorthand for a list of kinds.
func kinds(k ...classify.Kind) []classify.Kind { return k }

// reasons is a shorthand for a list of reasons.
func reasons(r ...classify.Reason) []classify.Reason { return r }

// parseTime reads a provider's RFC 3339 time; zero when absent or unreadable.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

package esp

import (
	"errors"
	"fmt"
	"slices"
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

// judgement is what a provider's own classification of a failure says, as a rule for the
// verdict. The receiver's words (status and diagnostic, classified by classify) decide when
// the verdict they give is consistent with the provider's class: its kind is one of kinds or
// its reason one of reasons. Otherwise, the words are vague or contradict the class, and the
// provider's class decides: the verdict is fallback's. A judgement with no kinds or reasons
// always gives fallback (unless the words already gave that very reason); one with no
// fallback leaves the words' verdict as it is.
//
// One exception holds whatever the table says: a verdict that is blocked (the receiver's
// words speak of the sender: its IP, reputation, authentication) is never made hard by a
// provider's class. Hard needs evidence about the address itself, and the receiver's own
// words outweigh a provider's bucket for the same reply (classify's hard guard).
type judgement struct {
	label    string // what the provider said, for the evidence
	kinds    []classify.Kind
	reasons  []classify.Reason
	fallback classify.Reason
}

// apply draws the verdict of one recipient: classify's from the facts, then the provider's
// judgement.
func (j judgement) apply(f classify.Facts) classify.Verdict {
	v := classify.Classify(f)
	if j.label == "" {
		return v
	}
	consistent := slices.Contains(j.kinds, v.Kind) || slices.Contains(j.reasons, v.Reason)
	switch {
	case j.fallback == "" || v.Reason == j.fallback:
		v.Evidence = append(v.Evidence, j.label)
		return v
	case consistent:
		v.Evidence = append(v.Evidence, j.label+", consistent with the reply")
		return v
	}
	d := classify.Decide(j.fallback, f, nil)
	if v.Kind == classify.KindBlocked && d.Kind == classify.KindHard {
		v.Evidence = append(v.Evidence, j.label+", but the reply speaks of the sender, so the address is not taken as bad")
		return v
	}
	evidence := []string{j.label}
	if v.Reason != classify.ReasonUndefined {
		evidence = append(evidence, fmt.Sprintf("overrides the reply's reading (%s, %s)", v.Kind, v.Reason))
	}
	d.Evidence = evidence
	return d
}

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

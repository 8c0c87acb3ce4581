package dsn

import (
	"time"

	"github.com/bounceproc/bounceproc/classify"
)

// Kind says what kind of mail a report was decoded from.
type Kind string

// The kinds of mail. The zero value is KindUnknown: nothing could be made of it.
const (
	KindUnknown   Kind = ""
	KindDSN       Kind = "dsn"       // a machine-readable delivery status notification (RFC 3464 / RFC 6533)
	KindBounce    Kind = "bounce"    // a free-text bounce with no delivery-status part
	KindFeedback  Kind = "feedback"  // a feedback report (RFC 5965 ARF)
	KindAutoReply Kind = "autoreply" // an automatic reply (RFC 3834), vacation or out-of-office
	KindNotBounce Kind = "notbounce" // ordinary mail
)

// String returns the kind's name, "unknown" for the zero value.
func (k Kind) String() string {
	if k == KindUnknown {
		return "unknown"
	}
	return string(k)
}

// MarshalText writes the kind's name, so that the zero value reads "unknown".
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Field is one header-style field as it stood in the mail: its name as written and its value
// with folding undone.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Report is everything decoded from one mail.
type Report struct {
	Kind Kind `json:"kind"`
	// Format names the decoder that produced the recipients ("rfc3464", "postfix", "arf", ...).
	Format string `json:"decoded_by,omitempty"`
	// Subject, From and MessageID are the bounce's own headers.
	Subject   string `json:"subject,omitempty"`
	From      string `json:"from,omitempty"`
	MessageID string `json:"message_id,omitempty"`
	// Arrived is when the bounce reached the mailbox it was read from, by its own header: the
	// date at the end of its newest Received field (the one the receiving server added last,
	// on top), else its Date field; zero when neither holds a date. The receiving server's
	// clock is the one the mailbox also keeps (an IMAP server's INTERNALDATE), without asking
	// the server for it. Not part of the JSON output.
	Arrived time.Time `json:"-"`
	// The per-message fields of a delivery-status part (RFC 3464 §2.2), when there was one.
	ReportingMTA       string  `json:"reporting_mta,omitempty"`
	ReceivedFromMTA    string  `json:"received_from_mta,omitempty"`
	ArrivalDate        string  `json:"arrival_date,omitempty"`
	OriginalEnvelopeID string  `json:"original_envelope_id,omitempty"`
	MessageFields      []Field `json:"message_fields,omitempty"`
	// Original describes the message that bounced, from the returned copy or its headers.
	Original Original `json:"original"`
	// Feedback holds the fields of a feedback report (RFC 5965 §3), for KindFeedback.
	Feedback   *Feedback   `json:"feedback,omitempty"`
	Recipients []Recipient `json:"recipients"`
	Problems   []Problem   `json:"problems,omitempty"`
}

// Original is what the bounce tells about the message that could not be delivered.
type Original struct {
	MessageID string `json:"message_id,omitempty"`
	From      string `json:"from,omitempty"`
	To        string `json:"to,omitempty"`
	Subject   string `json:"subject,omitempty"`
	Date      string `json:"date,omitempty"`
	ListID    string `json:"list_id,omitempty"`
	// Headers keeps the X- headers a sender may use to correlate mail, in their original order.
	Headers []Field `json:"headers,omitempty"`
}

// Feedback is the machine-readable part of an ARF report (RFC 5965 §3.1–3.2).
type Feedback struct {
	Type             string  `json:"type"`
	UserAgent        string  `json:"user_agent,omitempty"`
	Version          string  `json:"version,omitempty"`
	OriginalMailFrom string  `json:"original_mail_from,omitempty"`
	ArrivalDate      string  `json:"arrival_date,omitempty"`
	SourceIP         string  `json:"source_ip,omitempty"`
	ReportingMTA     string  `json:"reporting_mta,omitempty"`
	Fields           []Field `json:"fields,omitempty"`
}

// Recipient is one recipient whose delivery the mail reports on.
type Recipient struct {
	// Address is the final recipient address; OriginalAddress the one the sender used, when
	// the report gives it (RFC 3464 §2.3.1–2.3.2).
	Address         string `json:"recipient"`
	OriginalAddress string `json:"original_recipient,omitempty"`
	// FinalAddress keeps the Final-Recipient value as written when Address is not it: when the
	// final recipient is no usable mail address (an X.400 address, a name internal to the
	// reporting system such as "user@sims-ms-daemon") and the Original-Recipient is one,
	// Address is the original recipient, the address the sender used.
	FinalAddress string `json:"final_recipient,omitempty"`
	// AddressInferred is true when the mail names only the local part of the recipient and
	// Address was completed with a domain the mail itself names (see Source).
	AddressInferred bool `json:"address_inferred,omitempty"`
	// AddressType is the address type of Final-Recipient ("rfc822", "utf-8"), when stated.
	AddressType string          `json:"address_type,omitempty"`
	Action      classify.Action `json:"action"`
	// Status is the most specific enhanced status code found for this recipient; FieldStatus
	// is the one in the Status field, TextStatus one found in the diagnostic or body text.
	// Both are kept when they differ.
	Status      classify.Status `json:"status"`
	FieldStatus classify.Status `json:"field_status,omitempty"`
	TextStatus  classify.Status `json:"text_status,omitempty"`
	// InferredStatus is set only when the mail holds no enhanced code: the class-level code
	// ("5.0.0", "4.0.0") that its reply code or action implies. It is never a detailed code.
	InferredStatus classify.Status `json:"inferred_status,omitempty"`
	// StatusSource says where Status was found.
	StatusSource string             `json:"status_source,omitempty"`
	Reply        classify.ReplyCode `json:"reply_code"`
	// Diagnostic is the diagnostic text with folding undone; DiagnosticType its type
	// ("smtp", "x-unix", ...).
	Diagnostic     string `json:"diagnostic,omitempty"`
	DiagnosticType string `json:"diagnostic_type,omitempty"`
	RemoteMTA      string `json:"remote_mta,omitempty"`
	// Command is the SMTP command the failing reply answered ("RCPT", "DATA", ...), when
	// the mail says so near this recipient.
	Command        string `json:"command,omitempty"`
	LastAttempt    string `json:"last_attempt_date,omitempty"`
	WillRetryUntil string `json:"will_retry_until,omitempty"`
	// Fields holds every per-recipient field as written, extensions included, in order.
	Fields []Field `json:"fields,omitempty"`
	// Source says where in the mail the recipient was found.
	Source string `json:"source,omitempty"`
	// Judgement is the sending service's own class for the failure, when the mail carries one
	// (an Amazon SES notification's bounceType and bounceSubType): the verdict follows it as
	// it does for the same notification received by webhook (see classify.Judgement).
	Judgement *classify.Judgement `json:"-"`
}

// ProblemCode names a kind of damage or oddity found while decoding.
type ProblemCode string

// The problem codes.
const (
	ProblemTruncated       ProblemCode = "truncated"        // the mail ends early or was cut at the size cap
	ProblemTooLarge        ProblemCode = "too-large"        // the mail exceeds the size cap
	ProblemBadHeader       ProblemCode = "bad-header"       // a header could not be parsed
	ProblemHeaderTooLarge  ProblemCode = "header-too-large" // the header block exceeds its cap
	ProblemBadMIME         ProblemCode = "bad-mime"         // malformed MIME structure (boundary, part headers)
	ProblemTooDeep         ProblemCode = "too-deep"         // MIME nesting beyond the cap
	ProblemBadEncoding     ProblemCode = "bad-encoding"     // base64 or quoted-printable that does not decode
	ProblemUnknownCharset  ProblemCode = "unknown-charset"  // a charset that could not be converted
	ProblemBadDSN          ProblemCode = "bad-dsn"          // a delivery-status part that breaks RFC 3464
	ProblemTooManyRecips   ProblemCode = "too-many-recipients"
	ProblemNoRecipient     ProblemCode = "no-recipient" // a bounce that names no recipient
	ProblemBadAddress      ProblemCode = "bad-address"  // a recipient that is not a mail address was left out
	ProblemNotMail         ProblemCode = "not-mail"     // the input does not look like a mail at all
	ProblemTooManyProblems ProblemCode = "too-many-problems"
	// ProblemTooCostly means decoding was stopped before the end: the mail needed more work
	// than Limits.MaxWork, or more time than its context allowed. The report holds what was
	// decoded until then.
	ProblemTooCostly ProblemCode = "too-costly"
	// ProblemInternal means a part of the decoder failed on this mail (a bug in bounceproc,
	// never in the mail); the other decoders still ran, and the mail is worth reporting.
	ProblemInternal ProblemCode = "internal"
)

// Problem is one piece of damage found in a mail. Decoding goes on after a problem.
type Problem struct {
	Code   ProblemCode `json:"code"`
	Detail string      `json:"detail"`
	// Lost is true when some of the mail's content could not be used.
	Lost bool `json:"lost"`
}

// Facts returns what classify needs to know about r, a recipient of report.
func (r *Recipient) Facts(report *Report) classify.Facts {
	f := classify.Facts{
		Action:       r.Action,
		Status:       r.Status,
		StatusSource: r.StatusSource,
		Reply:        r.Reply,
		Diagnostic:   r.Diagnostic,
		RemoteMTA:    r.RemoteMTA,
		Command:      r.Command,

		DiagnosticType: r.DiagnosticType,
		Judgement:      r.Judgement,
	}
	if report != nil {
		f.ReportingMTA = report.ReportingMTA
		f.Format = report.Format
		f.AutoReply = report.Kind == KindAutoReply
		if report.Kind == KindFeedback {
			f.FeedbackType = "abuse"
			if report.Feedback != nil && report.Feedback.Type != "" {
				f.FeedbackType = report.Feedback.Type
			}
		}
	}
	return f
}

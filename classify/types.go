package classify

// Kind is the decision a sender acts on for one recipient.
type Kind string

// The kinds of verdict. The zero value is KindUndetermined.
const (
	KindUndetermined Kind = ""
	KindHard         Kind = "hard"      // the address itself is permanently bad
	KindSoft         Kind = "soft"      // temporary or mailbox-level trouble
	KindBlocked      Kind = "blocked"   // the receiver refuses the sender
	KindComplaint    Kind = "complaint" // a feedback report (RFC 5965)
	KindAutoReply    Kind = "autoreply" // vacation or other automatic reply (RFC 3834)
	KindDelayed      Kind = "delayed"   // still being retried
	KindDelivered    Kind = "delivered" // a success notification
)

// String returns the kind's name, "undetermined" for the zero value.
func (k Kind) String() string {
	if k == KindUndetermined {
		return "undetermined"
	}
	return string(k)
}

// MarshalText writes the kind's name, so that the zero value reads "undetermined".
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Reason says why a delivery failed, in the vocabulary of the shared corpus (sisimai's).
type Reason string

// The reasons. The zero value is ReasonUndefined.
const (
	ReasonUndefined       Reason = ""
	ReasonUserUnknown     Reason = "userunknown"
	ReasonHostUnknown     Reason = "hostunknown"
	ReasonHasMoved        Reason = "hasmoved"
	ReasonNotAccept       Reason = "notaccept"
	ReasonMailboxFull     Reason = "mailboxfull"
	ReasonSuspend         Reason = "suspend"
	ReasonExpired         Reason = "expired"
	ReasonNetworkError    Reason = "networkerror"
	ReasonSystemError     Reason = "systemerror"
	ReasonSystemFull      Reason = "systemfull"
	ReasonTooManyConn     Reason = "toomanyconn"
	ReasonSpeeding        Reason = "speeding"
	ReasonMesgTooBig      Reason = "mesgtoobig"
	ReasonExceedLimit     Reason = "exceedlimit"
	ReasonBlocked         Reason = "blocked"
	ReasonRejected        Reason = "rejected"
	ReasonNoRelaying      Reason = "norelaying"
	ReasonPolicyViolation Reason = "policyviolation"
	ReasonSpamDetected    Reason = "spamdetected"
	ReasonVirusDetected   Reason = "virusdetected"
	ReasonContentError    Reason = "contenterror"
	ReasonSecurityError   Reason = "securityerror"
	ReasonAuthFailure     Reason = "authfailure"
	ReasonRequirePTR      Reason = "requireptr"
	ReasonBadReputation   Reason = "badreputation"
	ReasonNotCompliantRFC Reason = "notcompliantrfc"
	ReasonFailedSTARTTLS  Reason = "failedstarttls"
	ReasonSyntaxError     Reason = "syntaxerror"
	ReasonMailerError     Reason = "mailererror"
	ReasonFiltered        Reason = "filtered"
	ReasonSuppressed      Reason = "suppressed"
	ReasonOnHold          Reason = "onhold"
	ReasonFeedback        Reason = "feedback"
	ReasonVacation        Reason = "vacation"
	ReasonDelivered       Reason = "delivered"
)

// String returns the reason's name, "undefined" for the zero value.
func (r Reason) String() string {
	if r == ReasonUndefined {
		return "undefined"
	}
	return string(r)
}

// MarshalText writes the reason's name, so that the zero value reads "undefined".
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Fault says whose problem a failure is.
type Fault string

// The parties a failure can be blamed on. The zero value is FaultUnknown.
const (
	FaultUnknown   Fault = ""
	FaultAddress   Fault = "recipient-address" // the address does not exist or moved
	FaultMailbox   Fault = "recipient-mailbox" // the mailbox exists but cannot take mail now
	FaultSender    Fault = "sender"            // the sender's authentication, reputation or setup
	FaultContent   Fault = "content"           // the message itself (size, spam, virus, format)
	FaultNetwork   Fault = "network"           // network or infrastructure between the parties
	FaultRecipient Fault = "recipient-system"  // the receiving system's own trouble or policy
	FaultNone      Fault = "none"              // nothing failed (delivered, auto-reply, delayed)
)

// String returns the fault's name, "unknown" for the zero value.
func (f Fault) String() string {
	if f == FaultUnknown {
		return "unknown"
	}
	return string(f)
}

// MarshalText writes the fault's name, so that the zero value reads "unknown".
func (f Fault) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// Action is the per-recipient Action field of RFC 3464 §2.3.3, or what a free-text bounce implies.
type Action string

// The actions of RFC 3464 §2.3.3. The zero value means no action was stated or implied.
const (
	ActionUnknown   Action = ""
	ActionFailed    Action = "failed"
	ActionDelayed   Action = "delayed"
	ActionDelivered Action = "delivered"
	ActionRelayed   Action = "relayed"
	ActionExpanded  Action = "expanded"
)

// String returns the action's name, "unknown" for the zero value.
func (a Action) String() string {
	if a == ActionUnknown {
		return "unknown"
	}
	return string(a)
}

// ParseAction reads an Action field value, ignoring case, comments and blanks; anything else
// maps to ActionUnknown.
func ParseAction(s string) Action {
	s = trimComment(s)
	for _, a := range []Action{ActionFailed, ActionDelayed, ActionDelivered, ActionRelayed, ActionExpanded} {
		if equalFold(s, string(a)) {
			return a
		}
	}
	return ActionUnknown
}

// Facts is what a decoder observed about one recipient: the input of Classify. Everything here
// was read from the mail; nothing is guessed.
type Facts struct {
	Action Action
	// Status is the most specific enhanced status code observed (RFC 3463), empty if none.
	Status Status
	// StatusSource says where Status was read, e.g. "the delivery-status part" or "the diagnostic text".
	StatusSource string
	// Reply is the SMTP reply code observed (RFC 5321 §4.2), empty if none.
	Reply ReplyCode
	// Diagnostic is the diagnostic text: the remote server's reply or the bounce's own wording.
	Diagnostic string
	// RemoteMTA and ReportingMTA name the servers involved, when known.
	RemoteMTA    string
	ReportingMTA string
	// Format names the decoder that read the mail ("rfc3464", "postfix", "gmail", ...).
	Format string
	// FeedbackType is the ARF Feedback-Type (RFC 5965 §3.1), set only for feedback reports.
	FeedbackType string
	// AutoReply is true when the mail is an automatic reply (RFC 3834) rather than a bounce.
	AutoReply bool
	// Command is the SMTP command the failing reply answered, when the mail says so: "CONN"
	// (the greeting), "HELO", "EHLO", "MAIL", "RCPT", "DATA" or "BDAT"; empty if unknown.
	// Classify also looks for it in Diagnostic ("in reply to RCPT TO command").
	Command string
	// DiagnosticType is the type of the Diagnostic-Code field (RFC 3464 §2.3.6), such as
	// "smtp" or "x-unix"; empty if unknown.
	DiagnosticType string
	// Judgement, when set, is the sending service's own class for the failure (SES's
	// bounceType and bounceSubType); Classify then follows it as Judgement.Apply says.
	Judgement *Judgement
}

// Verdict is the decision for one recipient, with the evidence that led to it.
type Verdict struct {
	Kind   Kind   `json:"kind"`
	Reason Reason `json:"reason"`
	// Hard is true exactly when the address itself is permanently bad.
	Hard bool `json:"hard"`
	// Suppress says whether a sender should stop mailing the address now.
	Suppress bool  `json:"suppress"`
	Fault    Fault `json:"fault"`
	// Evidence lists the facts that fired, each readable by a person.
	Evidence []string `json:"evidence,omitempty"`
	// Explanation and Advice say what happened and what to do, in plain language.
	Explanation string `json:"explanation,omitempty"`
	Advice      string `json:"advice,omitempty"`
}

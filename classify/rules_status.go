package classify

// statusRule maps an enhanced status code (RFC 3463, IANA registry) to a reason, whatever its
// class. A specific code decides the reason on its own, except that wording for one of the
// reasons in yields still wins: a "5.1.1" whose text says the mailbox is full is a full
// mailbox, the code being a sloppy choice of the receiver. A vague code (decisive false) only
// gives a default that any matching wording overrides.
type statusRule struct {
	code     string // subject.detail, e.g. "1.1" for X.1.1
	reason   Reason
	decisive bool
	yields   []Reason
}

// addressYields are the reasons whose wording beats an address-status code such as X.1.1:
// receivers reuse "user unknown" codes for full mailboxes, relaying refusals, rate limits and
// blocks of the sender.
var addressYields = []Reason{
	ReasonMailboxFull, ReasonNoRelaying, ReasonHasMoved, ReasonNotAccept, ReasonSuspend,
	ReasonSpeeding, ReasonTooManyConn, ReasonBlocked, ReasonRequirePTR, ReasonAuthFailure,
	ReasonMailerError, ReasonSuppressed,
}

// statusRules is ordered by code; lookups go through statusIndex. Each reason is the meaning
// RFC 3463 and the IANA "SMTP Enhanced Status Codes" registry give the subject and detail
// (their titles are in dictionary_status.go); only the address codes X.1.1, X.1.2, X.1.3,
// X.1.6, X.7.17 and X.7.18 can make a verdict hard on their own, and the hard guard
// (rules_sender.go) still sets them aside when the text speaks of the sender.
var statusRules = []statusRule{
	{code: "0.0"}, // X.0.0 other or undefined status: says nothing
	{code: "1.0"}, // X.1.0 other address status: whose address is not said
	{code: "1.1", reason: ReasonUserUnknown, decisive: true, yields: addressYields}, // bad destination mailbox address
	{code: "1.2", reason: ReasonHostUnknown, decisive: true, yields: addressYields}, // bad destination system address
	{code: "1.3", reason: ReasonUserUnknown, decisive: true, yields: addressYields}, // bad destination mailbox address syntax
	{code: "1.4"},                                         // destination mailbox address ambiguous: not evidence that it is missing
	{code: "1.5", reason: ReasonDelivered},                // destination mailbox address valid
	{code: "1.6", reason: ReasonHasMoved, decisive: true}, // destination mailbox has moved, no forwarding address
	{code: "1.7", reason: ReasonRejected, decisive: true}, // bad sender's mailbox address syntax
	{code: "1.8", reason: ReasonRejected, decisive: true}, // bad sender's system address
	{code: "1.9", reason: ReasonSystemError},              // message relayed to non-compliant mailer
	// X.1.10 "recipient address has null MX" (RFC 7505 §4.3); not decisive, as Microsoft
	// answers "5.1.10 RESOLVER.ADR.RecipientNotFound" for unknown recipients.
	{code: "1.10", reason: ReasonNotAccept},
	{code: "2.0", reason: ReasonFiltered}, // "the mailbox exists, but something about it" refused
	{code: "2.1", reason: ReasonSuspend},  // mailbox disabled, not accepting messages
	// X.2.2 "mailbox full"; Microsoft also sends it for the sender's own submission quota
	// ("5.2.2 Submission quota exceeded": the sender exceeded its recipient or message rate).
	{code: "2.2", reason: ReasonMailboxFull, decisive: true, yields: []Reason{ReasonMesgTooBig, ReasonExceedLimit, ReasonSpeeding}},
	{code: "2.3", reason: ReasonExceedLimit, decisive: true, yields: []Reason{ReasonMailboxFull}},
	{code: "2.4", reason: ReasonSystemError},
	{code: "3.0", reason: ReasonSystemError},
	// X.3.1 "mail system full" names its cause: generic wording beside it ("try again
	// later") does not replace it; a full mailbox or a limit of the message does.
	{code: "3.1", reason: ReasonSystemFull, decisive: true, yields: []Reason{ReasonMailboxFull, ReasonMesgTooBig, ReasonExceedLimit}},
	{code: "3.2", reason: ReasonSystemError},
	{code: "3.3", reason: ReasonSystemError},
	{code: "3.4", reason: ReasonMesgTooBig, decisive: true},
	{code: "3.5", reason: ReasonSystemError},
	{code: "3.6", reason: ReasonSystemError},
	{code: "4.0", reason: ReasonNetworkError},
	{code: "4.1", reason: ReasonExpired},
	{code: "4.2", reason: ReasonNetworkError},
	{code: "4.3", reason: ReasonSystemError},
	{code: "4.4", reason: ReasonHostUnknown},
	{code: "4.5", reason: ReasonSystemFull},
	{code: "4.6", reason: ReasonNetworkError},
	{code: "4.7", reason: ReasonExpired},
	{code: "5.0", reason: ReasonSyntaxError},
	{code: "5.1", reason: ReasonSyntaxError},
	{code: "5.2", reason: ReasonSyntaxError},
	{code: "5.3", reason: ReasonExceedLimit},
	{code: "5.4", reason: ReasonSyntaxError},
	{code: "5.5", reason: ReasonSyntaxError},
	{code: "5.6", reason: ReasonSyntaxError},
	{code: "6.0", reason: ReasonContentError},
	{code: "6.1", reason: ReasonContentError},
	{code: "6.2", reason: ReasonContentError},
	{code: "6.3", reason: ReasonContentError},
	{code: "6.4", reason: ReasonContentError},
	{code: "6.5", reason: ReasonContentError},
	{code: "6.6", reason: ReasonContentError},
	{code: "6.7", reason: ReasonContentError},
	{code: "6.8", reason: ReasonContentError},
	{code: "6.9", reason: ReasonContentError},
	{code: "6.10", reason: ReasonContentError},
	{code: "7.0"},
	{code: "7.1", reason: ReasonSecurityError},
	// X.7.2 "mailing list expansion prohibited": "the sender is not authorized to send a
	// message to the intended mailing list": the list's own settings refuse the sender.
	{code: "7.2", reason: ReasonFiltered},
	{code: "7.3", reason: ReasonSecurityError},
	{code: "7.4", reason: ReasonSecurityError},
	{code: "7.5", reason: ReasonSecurityError},
	{code: "7.6", reason: ReasonSecurityError},
	{code: "7.7", reason: ReasonSecurityError},
	{code: "7.8", reason: ReasonSecurityError},
	// X.7.9 is "authentication mechanism too weak" in the registry, but large receivers
	// (Yahoo, AOL) answer "554 5.7.9 Message not accepted for policy reasons". Where the
	// words are the registry's (RFC 4954 §6: "534 5.7.9 Authentication mechanism is too
	// weak"), they win.
	{code: "7.9", reason: ReasonPolicyViolation, decisive: true, yields: []Reason{ReasonSecurityError}},
	{code: "7.10", reason: ReasonFailedSTARTTLS},
	{code: "7.11", reason: ReasonFailedSTARTTLS},
	{code: "7.12", reason: ReasonSecurityError},
	{code: "7.13", reason: ReasonSuspend, decisive: true},
	{code: "7.14", reason: ReasonSecurityError},
	{code: "7.15", reason: ReasonPolicyViolation},
	{code: "7.16", reason: ReasonMesgTooBig},
	{code: "7.17", reason: ReasonHasMoved, decisive: true},
	{code: "7.18", reason: ReasonHasMoved, decisive: true},
	{code: "7.19", reason: ReasonSecurityError},
	{code: "7.20", reason: ReasonAuthFailure, decisive: true},
	{code: "7.21", reason: ReasonAuthFailure, decisive: true},
	{code: "7.22", reason: ReasonAuthFailure, decisive: true},
	{code: "7.23", reason: ReasonAuthFailure, decisive: true},
	{code: "7.24", reason: ReasonAuthFailure, decisive: true},
	{code: "7.25", reason: ReasonRequirePTR, decisive: true},
	{code: "7.26", reason: ReasonAuthFailure, decisive: true},
	// X.7.27 "Sender address has null MX" (RFC 7505 §4.2): the sender's domain, not the
	// recipient's, declares it accepts no mail.
	// Sendmail reports a recipient's null MX under it too, with RFC 7504's words ("550 Host
	// does not accept mail"): that wording is the recipient's domain and wins.
	{code: "7.27", reason: ReasonRejected, decisive: true, yields: []Reason{ReasonNotAccept}},
	{code: "7.28", reason: ReasonSpeeding},
	{code: "7.29", reason: ReasonAuthFailure},
	{code: "7.30", reason: ReasonFailedSTARTTLS},
}

var statusIndex = func() map[string]*statusRule {
	m := make(map[string]*statusRule, len(statusRules))
	for i := range statusRules {
		m[statusRules[i].code] = &statusRules[i]
	}
	return m
}()

// statusRuleFor finds the rule for s's subject and detail, nil when none is known.
func statusRuleFor(s Status) *statusRule {
	if !s.Valid() {
		return nil
	}
	return statusIndex[string(s[2:])]
}

func (sr *statusRule) yieldsTo(r Reason) bool {
	for _, y := range sr.yields {
		if y == r {
			return true
		}
	}
	return false
}

package classify

// replyRule maps a basic SMTP reply code (RFC 5321 §4.2.3, RFC 7504, RFC 4954, plus the
// non-standard codes listed in ../shared/reference/001_*.txt) to the reason its registered
// text states. It is used only when neither an enhanced code nor the wording decided: a bare "550" says little, so it maps to onhold
// rather than to a guess that would suppress an address.
type replyRule struct {
	code   ReplyCode
	reason Reason
}

// The non-standard codes kept are those the reference pages define; codes no source defines
// (511, 513, 422, ...) have no rule and say only their class.
var replyRules = []replyRule{
	{"421", ReasonSystemError},   // service not available, closing channel
	{"432", ReasonSystemError},   // non-standard: service not available
	{"441", ReasonNetworkError},  // non-standard: no answer from the host
	{"450", ReasonSystemError},   // mailbox unavailable for now (busy, greylisted)
	{"451", ReasonSystemError},   // local error in processing
	{"452", ReasonSystemFull},    // insufficient system storage
	{"453", ReasonSystemError},   // non-standard: no mail
	{"454", ReasonSecurityError}, // TLS not available for now
	{"455", ReasonSyntaxError},   // server unable to accommodate parameters
	{"458", ReasonSystemError},   // non-standard: unable to queue for node
	{"459", ReasonSystemError},   // non-standard: node not allowed
	{"500", ReasonSyntaxError},
	{"501", ReasonSyntaxError},
	{"502", ReasonSyntaxError},
	{"503", ReasonSyntaxError},
	{"504", ReasonSyntaxError},
	{"510", ReasonUserUnknown},   // non-standard: check the recipient address
	{"512", ReasonHostUnknown},   // non-standard: host unknown
	{"515", ReasonUserUnknown},   // non-standard: destination mailbox invalid
	{"517", ReasonRejected},      // non-standard: problem with the sender's address
	{"521", ReasonNotAccept},     // RFC 7504: host does not accept mail
	{"522", ReasonMailboxFull},   // non-standard: recipient over its limit
	{"523", ReasonMesgTooBig},    // non-standard: message too large
	{"530", ReasonSecurityError}, // authentication required
	{"531", ReasonSystemFull},    // non-standard: mail system full
	{"533", ReasonSystemFull},    // non-standard: no disk space
	{"534", ReasonSecurityError}, // RFC 4954: mechanism too weak
	{"535", ReasonSecurityError}, // RFC 4954: credentials invalid
	{"538", ReasonSecurityError}, // RFC 4954: encryption required
	{"540", ReasonHostUnknown},   // non-standard: no DNS for the address
	{"541", ReasonNetworkError},  // non-standard: no answer from host
	{"542", ReasonNetworkError},  // non-standard: bad connection
	{"543", ReasonNetworkError},  // non-standard: routing failure
	{"544", ReasonHostUnknown},   // non-standard: host not found
	{"546", ReasonNetworkError},  // non-standard: mail loop
	{"547", ReasonExpired},       // non-standard: delivery timed out
	{"550", ReasonOnHold},        // mailbox unavailable: too vague to decide
	{"551", ReasonHasMoved},      // user not local, try the forward-path
	{"552", ReasonMailboxFull},   // exceeded storage allocation
	{"553", ReasonOnHold},        // mailbox name not allowed: at MAIL FROM or RCPT TO, so whose is not said
	{"554", ReasonOnHold},        // transaction failed: too vague to decide
	{"555", ReasonSyntaxError},   // MAIL/RCPT parameters not recognised
	{"556", ReasonNotAccept},     // RFC 7504: domain does not accept mail
}

var replyIndex = func() map[ReplyCode]Reason {
	m := make(map[ReplyCode]Reason, len(replyRules))
	for _, r := range replyRules {
		m[r.code] = r.reason
	}
	return m
}()

package classify

// reasonInfo is what a reason implies on its own: the kind of verdict, whose fault it is, and
// what to tell a person. Kind and fault are decided here, once per reason, so that every rule
// that picks a reason gets the same consequences.
type reasonInfo struct {
	reason      Reason
	kind        Kind
	fault       Fault
	explanation string
	advice      string
}

// Kind mapping, decided with care (see also the precedence list in classify.go):
//
//   - hard: the address itself is bad for good: userunknown, hostunknown, hasmoved, and
//     notaccept (a domain that accepts no mail, such as a null MX). These are the only hard
//     reasons; a notaccept answered with a temporary (4xx) code is soft instead, since the
//     receiver itself said it may change its mind.
//   - blocked: the receiver refuses this sender or what the sender sends, and the fix is on the
//     sender's side: blocked, badreputation, requireptr, authfailure, rejected (the envelope
//     sender was refused), norelaying (the sender used a server that will not relay for it),
//     policyviolation, spamdetected, virusdetected, securityerror, failedstarttls, speeding and
//     toomanyconn (the sender is being throttled). Mailing another address would fail the
//     same way, so the recipient is not to blame and is not suppressed.
//   - soft: trouble with the mailbox, the message size or the systems in between, which may
//     pass: mailboxfull, suspend, filtered, exceedlimit, mesgtoobig, contenterror,
//     notcompliantrfc, systemerror, systemfull, networkerror, expired, mailererror,
//     syntaxerror, suppressed.
//   - undetermined: onhold and undefined, where the mail does not say enough.
//
// Suppress is true for hard verdicts and complaints only.
var reasonTable = []reasonInfo{
	{ReasonUserUnknown, KindHard, FaultAddress,
		"The receiving server says this mailbox does not exist.",
		"Remove the address from your list; check it for typos if it was entered recently."},
	{ReasonHostUnknown, KindHard, FaultAddress,
		"The domain of the address does not exist or has no mail server that can be found in DNS.",
		"Remove the address, or correct the domain if it is a typo (for example gmial.com)."},
	{ReasonHasMoved, KindHard, FaultAddress,
		"The mailbox has moved or its owner has changed; the old address no longer reaches the person.",
		"Stop mailing the old address and ask the person for their new one."},
	{ReasonNotAccept, KindHard, FaultAddress,
		"The recipient's domain does not accept mail at all (for example it publishes a null MX record).",
		"Remove the address: nothing sent to this domain can be delivered."},
	{ReasonMailboxFull, KindSoft, FaultMailbox,
		"The recipient's mailbox is full or over its storage quota.",
		"Retry later; if it keeps bouncing for weeks the mailbox is probably abandoned."},
	{ReasonSuspend, KindSoft, FaultMailbox,
		"The recipient's mailbox exists but is disabled, suspended or inactive.",
		"Pause mailing the address; if it stays disabled, treat it as abandoned."},
	{ReasonFiltered, KindSoft, FaultMailbox,
		"The recipient's own filters or settings refused the message after it was handed over.",
		"Check the recipient still wants your mail; the address itself may be fine."},
	{ReasonExpired, KindSoft, FaultNetwork,
		"Delivery was retried until the sending server gave up; the receiver could not be reached in time or kept deferring.",
		"Check that the recipient's domain is reachable; send again later."},
	{ReasonNetworkError, KindSoft, FaultNetwork,
		"A network or DNS problem between the servers stopped the delivery.",
		"Usually temporary: retry later, and check DNS for the recipient's domain if it persists."},
	{ReasonSystemError, KindSoft, FaultRecipient,
		"The receiving mail system had an internal error or is misconfigured.",
		"Retry later; the recipient's administrators have to fix their server."},
	{ReasonSystemFull, KindSoft, FaultRecipient,
		"The receiving mail system is out of disk space or otherwise overloaded.",
		"Retry later."},
	{ReasonTooManyConn, KindBlocked, FaultSender,
		"The receiver refused the connection because the sender opened too many at once or too often.",
		"Lower the number of parallel connections to this receiver and retry later."},
	{ReasonSpeeding, KindBlocked, FaultSender,
		"The receiver is rate-limiting the sender: too many messages or recipients in a short time.",
		"Slow down sending to this receiver and retry later."},
	{ReasonMesgTooBig, KindSoft, FaultContent,
		"The message is larger than the receiver accepts.",
		"Send a smaller message: shrink or link attachments instead of attaching them."},
	{ReasonExceedLimit, KindSoft, FaultContent,
		"The message exceeds a limit of the recipient or receiver, such as its size or number of recipients.",
		"Send a smaller message or to fewer recipients at a time."},
	{ReasonBlocked, KindBlocked, FaultSender,
		"The receiver refuses mail from the sending server, typically because its IP address is on a block list or looks suspicious.",
		"Check the sending IP on public block lists, ask for delisting, and check the sending server's setup."},
	{ReasonRejected, KindBlocked, FaultSender,
		"The receiver refused the envelope sender (the MAIL FROM address) rather than the recipient.",
		"Check the sender address and its domain: it must exist, resolve and be allowed to send."},
	{ReasonNoRelaying, KindBlocked, FaultSender,
		"The server that was contacted is not the recipient's mail server and refuses to relay the message.",
		"Check the recipient's MX records and the sending server's routing and authentication."},
	{ReasonPolicyViolation, KindBlocked, FaultSender,
		"The message was refused under the receiver's policy (for example the sender's DMARC policy or forbidden attachments).",
		"Read the receiver's wording, adjust the message or the sender's policy, and do not just resend."},
	{ReasonSpamDetected, KindBlocked, FaultContent,
		"The receiver's filter judged the message to be spam.",
		"Review content, links and list hygiene; make sure SPF, DKIM and DMARC pass."},
	{ReasonVirusDetected, KindBlocked, FaultContent,
		"The receiver found a virus or a dangerous attachment in the message.",
		"Scan the message and remove the attachment before sending again."},
	{ReasonContentError, KindSoft, FaultContent,
		"The message's format or headers were not acceptable to the receiver.",
		"Check how the sending software builds the message (headers, encoding, MIME structure)."},
	{ReasonSecurityError, KindBlocked, FaultSender,
		"A security check failed: authentication with the server, a certificate, or another security requirement.",
		"Check the sending server's credentials, TLS and security settings."},
	{ReasonAuthFailure, KindBlocked, FaultSender,
		"The message failed the receiver's sender authentication checks (SPF, DKIM or DMARC).",
		"Fix the sending domain's SPF, DKIM and DMARC records so that they pass for this server."},
	{ReasonRequirePTR, KindBlocked, FaultSender,
		"The sending server's IP address has no valid reverse DNS (PTR) record, or it does not match.",
		"Give the sending IP a PTR record whose name resolves back to the same IP."},
	{ReasonBadReputation, KindBlocked, FaultSender,
		"The receiver refuses or limits mail because of the sending IP's or domain's poor reputation.",
		"Slow down, clean the list of inactive addresses and follow the receiver's sender guidelines."},
	{ReasonNotCompliantRFC, KindSoft, FaultContent,
		"The message does not follow the Internet mail standards (for example duplicated or missing headers).",
		"Fix the software that builds the message so that its headers follow RFC 5322."},
	{ReasonFailedSTARTTLS, KindBlocked, FaultSender,
		"An encrypted connection (STARTTLS) was required but could not be set up.",
		"Check that the sending server supports TLS with current ciphers and a valid certificate."},
	{ReasonSyntaxError, KindSoft, FaultSender,
		"The servers did not understand each other: a command or argument was malformed.",
		"Check the sending software and retry; this is not the recipient's fault."},
	{ReasonMailerError, KindSoft, FaultRecipient,
		"A local delivery program on the receiving system failed (for example a mail filter or pipe).",
		"Retry later; the recipient's administrators must fix their delivery program."},
	{ReasonSuppressed, KindSoft, FaultSender,
		"The sending service itself refused to send to this address because it is on its suppression list.",
		"Check why the address was suppressed by your provider before removing it from that list."},
	{ReasonOnHold, KindUndetermined, FaultUnknown,
		"The mail reports a failure but does not say enough to tell why.",
		"Keep the address, and watch whether later bounces for it say more."},
	{ReasonUndefined, KindUndetermined, FaultUnknown,
		"The reason for the failure could not be determined.",
		"Keep the address, and watch whether later bounces for it say more."},
	{ReasonFeedback, KindComplaint, FaultNone,
		"The recipient (or their provider) reported the message as unwanted.",
		"Stop mailing this address: people who complain must not be mailed again."},
	{ReasonVacation, KindAutoReply, FaultNone,
		"This is an automatic reply (such as an out-of-office notice), not a delivery failure.",
		"Nothing to do: the message was delivered."},
	{ReasonDelivered, KindDelivered, FaultNone,
		"The message was delivered (or handed on to a system that does not report further).",
		"Nothing to do."},
}

// reasonIndex finds a reason's entry; built once from reasonTable.
var reasonIndex = func() map[Reason]*reasonInfo {
	m := make(map[Reason]*reasonInfo, len(reasonTable))
	for i := range reasonTable {
		if _, dup := m[reasonTable[i].reason]; !dup {
			m[reasonTable[i].reason] = &reasonTable[i]
		}
	}
	return m
}()

func infoOf(r Reason) *reasonInfo {
	if ri := reasonIndex[r]; ri != nil {
		return ri
	}
	return reasonIndex[ReasonUndefined]
}

// Reasons lists every reason Classify can return, in a stable order.
func Reasons() []Reason {
	out := make([]Reason, 0, len(reasonTable))
	seen := map[Reason]bool{}
	for _, ri := range reasonTable {
		if !seen[ri.reason] {
			seen[ri.reason] = true
			out = append(out, ri.reason)
		}
	}
	return out
}

// Describe returns a plain-language explanation of the reason and what a sender should do.
func (r Reason) Describe() (explanation, advice string) {
	ri := infoOf(r)
	return ri.explanation, ri.advice
}

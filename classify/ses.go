package classify

import "strings"

// sesJudgements maps SES's bounceType/bounceSubType to a judgement, by what the SES developer
// guide ("Bounce types", notification-contents.html) says each means:
//
//	Undetermined/Undetermined   SES was unable to determine a specific bounce reason.
//	Permanent/General           a general hard bounce: remove the recipient's address.
//	Permanent/NoEmail           the recipient's provider says the address doesn't exist.
//	Permanent/Suppressed        SES suppressed sending: the address is on SES's (global)
//	                            suppression list for a recent history of bouncing as invalid.
//	Permanent/OnAccountSuppressionList  SES suppressed sending: the address is on the
//	                            account-level suppression list; it doesn't count toward the
//	                            bounce rate.
//	Transient/General           a general bounce; a later send may succeed.
//	Transient/MailboxFull       the recipient's inbox is full.
//	Transient/MessageTooLarge   the message was too large.
//	Transient/ContentRejected   the provider doesn't accept the message's content.
//	Transient/AttachmentRejected  the message has an attachment the provider doesn't accept.
//
// The decisions:
//   - Suppressed and OnAccountSuppressionList are "suppressed" whatever the text: SES did not
//     try to deliver, so no receiver said anything about the address now. The global list
//     holds addresses that bounced for any SES customer in the last days; the account list
//     holds what this account put there (its earlier bounces and complaints, already
//     recorded when they came in, or addresses added by hand). Neither is proof that the
//     address is dead, and taking it as a hard bounce would make SES's list ours for good.
//     "suppressed" is soft: if SES keeps refusing on several days the soft policy suppresses.
//   - NoEmail is the provider's statement that the address does not exist: userunknown
//     (hard) unless the reply gives a hard reason of its own (hostunknown) or speaks of the
//     sender (see judgement).
//   - Permanent/General: SES says to remove the address. A reply that gives a reason stands
//     (hard, blocked, or a soft mailbox trouble such as a full mailbox sent with a 5xx code,
//     which is no reason to drop an address for good); a reply that says nothing usable is
//     taken at SES's word: userunknown, hard.
//   - Transient/General never makes a hard verdict: a hard reading of the reply gives way to
//     onhold (SES says a later send may succeed); soft, blocked and delayed readings stand.
//   - MailboxFull and MessageTooLarge are mailboxfull and mesgtoobig: SES read the reply
//     and its subtype is as specific as our reason.
//   - ContentRejected and AttachmentRejected are about the message, not the address: a
//     content reason from the reply stands (spamdetected, virusdetected, contenterror, ...),
//     else policyviolation (blocked: the receiver's policy refused what was sent), which
//     never suppresses the recipient.
//   - Undetermined, and any pair not listed, leave the reply's verdict as it is.
var sesJudgements = []struct {
	typ, sub string
	j        Judgement
}{
	{"Permanent", "General", Judgement{
		Kinds:    kindList(KindHard, KindBlocked, KindSoft),
		Fallback: ReasonUserUnknown}},
	{"Permanent", "NoEmail", Judgement{
		Kinds:    kindList(KindHard),
		Fallback: ReasonUserUnknown}},
	{"Permanent", "Suppressed", Judgement{Fallback: ReasonSuppressed}},
	{"Permanent", "OnAccountSuppressionList", Judgement{Fallback: ReasonSuppressed}},
	{"Transient", "General", Judgement{
		Kinds:    kindList(KindSoft, KindBlocked, KindDelayed, KindUndetermined),
		Fallback: ReasonOnHold}},
	{"Transient", "MailboxFull", Judgement{Fallback: ReasonMailboxFull}},
	{"Transient", "MessageTooLarge", Judgement{Fallback: ReasonMesgTooBig}},
	{"Transient", "ContentRejected", Judgement{
		Reasons: reasonList(ReasonSpamDetected, ReasonVirusDetected, ReasonContentError,
			ReasonNotCompliantRFC, ReasonMesgTooBig, ReasonExceedLimit, ReasonPolicyViolation),
		Fallback: ReasonPolicyViolation}},
	{"Transient", "AttachmentRejected", Judgement{
		Reasons:  reasonList(ReasonVirusDetected, ReasonPolicyViolation, ReasonContentError, ReasonMesgTooBig),
		Fallback: ReasonPolicyViolation}},
}

// SESBounce returns the judgement of an Amazon SES bounce notification's bounceType and
// bounceSubType, for the webhook (package esp) and the notification sent by mail (dsn) alike.
func SESBounce(typ, sub string) Judgement {
	label := "SES bounceType " + typ + "/" + sub
	for _, e := range sesJudgements {
		if strings.EqualFold(e.typ, typ) && strings.EqualFold(e.sub, sub) {
			j := e.j
			j.Label = label
			return j
		}
	}
	return Judgement{Label: label}
}

// kindList is a shorthand for a list of kinds.
func kindList(k ...Kind) []Kind { return k }

// reasonList is a shorthand for a list of reasons.
func reasonList(r ...Reason) []Reason { return r }

package classify

import (
	"fmt"
	"slices"
)

// Judgement is what a sending service's own classification of a failure says (Amazon SES's
// bounceType and bounceSubType, SendGrid's bounce_classification, ...), as a rule for the
// verdict. The receiver's words (status and diagnostic, read by Classify) decide when the
// verdict they give is consistent with the service's class: its kind is one of Kinds or its
// reason one of Reasons. Otherwise, the words are vague or contradict the class, and the
// service's class decides: the verdict is Fallback's. A judgement with no Kinds or Reasons
// always gives Fallback (unless the words already gave that very reason); one with no
// Fallback leaves the words' verdict as it is.
//
// One exception holds whatever the table says: a verdict that is blocked (the receiver's
// words speak of the sender: its IP, reputation, authentication) is never made hard by a
// service's class. Hard needs evidence about the address itself, and the receiver's own
// words outweigh a service's bucket for the same reply (the hard guard).
type Judgement struct {
	// Label is what the service said, for the evidence ("SES bounceType Permanent/General").
	Label    string
	Kinds    []Kind
	Reasons  []Reason
	Fallback Reason
}

// Apply draws the verdict of one recipient: Classify's from the facts, then the judgement's.
func (j Judgement) Apply(f Facts) Verdict {
	f.Judgement = nil
	v := Classify(f)
	if j.Label == "" {
		return v
	}
	// The reply's reading is weighed as it was before a temporary code softened a hard
	// reason (finish): "450 4.1.1 user unknown" reads as an unknown user, which a class such
	// as SES's Transient/General does not take, whatever the code then makes of it.
	kind := v.Kind
	if kind == KindSoft && hardReason(v.Reason) && temporary(f) {
		kind = KindHard
	}
	consistent := slices.Contains(j.Kinds, kind) || slices.Contains(j.Reasons, v.Reason)
	switch {
	case j.Fallback == "" || v.Reason == j.Fallback:
		v.Evidence = append(v.Evidence, j.Label)
		return v
	case consistent:
		v.Evidence = append(v.Evidence, j.Label+", consistent with the reply")
		return v
	}
	d := Decide(j.Fallback, f, nil)
	if v.Kind == KindBlocked && d.Kind == KindHard {
		v.Evidence = append(v.Evidence, j.Label+", but the reply speaks of the sender, so the address is not taken as bad")
		return v
	}
	evidence := []string{j.Label}
	if v.Reason != ReasonUndefined {
		evidence = append(evidence, fmt.Sprintf("overrides the reply's reading (%s, %s)", v.Kind, v.Reason))
	}
	d.Evidence = evidence
	return d
}

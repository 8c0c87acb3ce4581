package classify

import "testing"

func TestDecide(t *testing.T) {
	tests := []struct {
		name     string
		reason   Reason
		f        Facts
		kind     Kind
		suppress bool
	}{
		{"hard reason", ReasonUserUnknown, Facts{Action: ActionFailed}, KindHard, true},
		{"provider's suppression list", ReasonSuppressed, Facts{Action: ActionFailed, Status: "5.1.1"}, KindSoft, false},
		{"delayed action wins", ReasonMailboxFull, Facts{Action: ActionDelayed}, KindDelayed, false},
		{"notaccept under 4xx", ReasonNotAccept, Facts{Action: ActionFailed, Status: "4.1.10"}, KindSoft, false},
		{"userunknown under a 4xx reply", ReasonUserUnknown, Facts{Action: ActionFailed, Reply: "450"}, KindSoft, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Decide(tt.reason, tt.f, []string{"given"})
			if v.Kind != tt.kind || v.Reason != tt.reason || v.Suppress != tt.suppress || v.Hard != (tt.kind == KindHard) {
				t.Errorf("Decide(%s, %+v) = %s/%s suppress %v, want %s/%s suppress %v", tt.reason, tt.f, v.Kind, v.Reason, v.Suppress, tt.kind, tt.reason, tt.suppress)
			}
			if len(v.Evidence) == 0 || v.Evidence[0] != "given" || v.Explanation == "" {
				t.Errorf("Decide(%s) lost the evidence or the explanation: %+v", tt.reason, v)
			}
		})
	}
}

// TestJudgementReadsBeforeTheTemporaryCode: a service's class weighs the reply's reading
// ("user unknown") as it was before a temporary code made the verdict soft.
func TestJudgementReadsBeforeTheTemporaryCode(t *testing.T) {
	f := failed("4.1.1", "450", "450 4.1.1 user unknown")
	tests := []struct {
		typ, sub string
		kind     Kind
		reason   Reason
	}{
		// SES: "a later send may succeed"; a hard reading gives way to onhold.
		{"Transient", "General", KindUndetermined, ReasonOnHold},
		// The reading is consistent with a permanent class, and the code keeps it soft.
		{"Permanent", "General", KindSoft, ReasonUserUnknown},
	}
	for _, tt := range tests {
		f.Judgement = new(SESBounce(tt.typ, tt.sub))
		v := Classify(f)
		if v.Kind != tt.kind || v.Reason != tt.reason || v.Suppress {
			t.Errorf("Classify(%q) with SES %s/%s = %s/%s suppress %v, want %s/%s suppress false", f.Diagnostic, tt.typ, tt.sub, v.Kind, v.Reason, v.Suppress, tt.kind, tt.reason)
		}
	}
}

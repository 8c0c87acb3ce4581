package classify

import (
	"strings"
	"testing"
)

// TestNoShadowedPhrases checks that each phrase of the generic and receiver lists, read on
// its own, selects its own rule: a phrase that an earlier rule always catches first is dead
// and misleads whoever reads the tables.
func TestNoShadowedPhrases(t *testing.T) {
	m := getMatcher()
	check := func(name string, l listID) {
		rules := m.lists[l]
		for ri := range rules {
			for _, p := range rules[ri].phrases {
				text := strings.Join(p.parts, " ")
				var sc scan
				scanText(&sc, text)
				got, gp := sc.firstIndex(l)
				if got != ri && (got < 0 || rules[got].reason != rules[ri].reason) {
					t.Errorf("%s: phrase %q of rule %d (%v) is caught first by %q of rule %d (%v)",
						name, p, ri, rules[ri].reason, gp, got, rules[got].reason)
				}
			}
		}
	}
	check("textRules", textRulesList)
	for i, rr := range receiverRules {
		check(rr.name, receiverLists[i])
	}
}

func TestScanOrderedParts(t *testing.T) {
	rules := []textRule{rule(ReasonUserUnknown, "user * does not exist")}
	tests := []struct {
		text string
		want bool
	}{
		{"user a@example.org does not exist", true},
		{"does not exist: user a@example.org", false},
		{"user does not exist", true},
	}
	for _, tc := range tests {
		p := rules[0].phrases[0]
		if got := p.in(normalize(tc.text)); got != tc.want {
			t.Errorf("phrase %q in %q = %v, want %v", p, tc.text, got, tc.want)
		}
	}
}

func TestScanFindsOverlappingParts(t *testing.T) {
	var sc scan
	scanText(&sc, normalize("550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in local recipient table"))
	tr, p := sc.first(textRulesList)
	if tr == nil || tr.reason != ReasonUserUnknown || p.String() != "user unknown" {
		t.Errorf("first rule = %v %q, want userunknown \"user unknown\"", tr, p)
	}
}

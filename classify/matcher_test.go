package classify

import (
	"os"
	"os/exec"
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

// TestPrepareWhileClassifying calls Prepare and Classify at once in a process that has built
// no table yet (a child of the test binary), as a run does while it logs in: under the race
// detector this checks that the first build is shared safely, and the verdict must be the
// same as ever.
func TestPrepareWhileClassifying(t *testing.T) {
	if os.Getenv("CLASSIFY_PREPARE_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPrepareWhileClassifying$", "-test.count=1")
		cmd.Env = append(os.Environ(), "CLASSIFY_PREPARE_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("child process: %v\n%s", err, out)
		}
		return
	}
	if theMatcher != nil || theCommandMatcher != nil {
		t.Fatal("tables built before the test started")
	}
	done := make(chan struct{})
	go func() {
		Prepare()
		close(done)
	}()
	v := Classify(Facts{Action: ActionFailed, Status: "5.1.1", Reply: "550",
		Diagnostic: "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table"})
	cmd := CommandIn("host mx.example.org said: 550 unknown user (in reply to RCPT TO command)")
	<-done
	if v.Kind != KindHard || v.Reason != ReasonUserUnknown || cmd != "RCPT" {
		t.Errorf("Classify = %v/%v, CommandIn = %q; want hard/userunknown and RCPT", v.Kind, v.Reason, cmd)
	}
}

// TestTrieStatesExact checks that the matchers' tables were made at their final size: a
// count too low makes build grow (copy) the table, one too high leaves memory unused.
func TestTrieStatesExact(t *testing.T) {
	for name, m := range map[string]*matcher{"full": getMatcher(), "command": getCommandMatcher()} {
		if len(m.delta) != cap(m.delta) {
			t.Errorf("%s matcher: table of %d entries in room for %d", name, len(m.delta), cap(m.delta))
		}
	}
	if n := trieStates([]string{"ab", "abc", "b", "ab"}); n != 5 { // root, a, ab, abc, b
		t.Errorf("trieStates = %d, want 5", n)
	}
}

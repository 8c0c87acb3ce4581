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
		for _, a := range []*automaton{&m.narrow, m.wide} {
			if a != nil && len(a.delta) != cap(a.delta) {
				t.Errorf("%s matcher: table of %d entries in room for %d", name, len(a.delta), cap(a.delta))
			}
		}
	}
	if n := trieStates([]string{"ab", "abc", "b", "ab"}); n != 5 { // root, a, ab, abc, b
		t.Errorf("trieStates = %d, want 5", n)
	}
}

// matcherParts returns the phrase parts m searches for, indexed by their ids.
func matcherParts(m *matcher) []string {
	parts := make([]string, m.nparts)
	for _, rules := range m.lists {
		for _, r := range rules {
			for _, p := range r.phrases {
				for k, id := range p.ids {
					parts[id] = p.parts[k]
				}
			}
		}
	}
	return parts
}

// checkScan checks that scanning text with m finds exactly the parts of parts that occur in
// text, with strings.Contains as the oracle.
func checkScan(t *testing.T, name string, m *matcher, parts []string, text string) {
	t.Helper()
	var sc scan
	scanWith(&sc, m, []byte(text))
	for id, part := range parts {
		if got, want := sc.has(int32(id)), strings.Contains(text, part); got != want {
			t.Errorf("scanWith(%s matcher, %q): part %q found = %v, want %v", name, text, part, got, want)
		}
	}
}

// TestScanFindsExactlyTheParts compares the automaton with a plain search for every part,
// on texts that hold every part, overlapping parts and none.
func TestScanFindsExactlyTheParts(t *testing.T) {
	for _, mc := range []struct {
		name string
		m    *matcher
	}{{"full", getMatcher()}, {"command", getCommandMatcher()}} {
		parts := matcherParts(mc.m)
		texts := map[string]string{
			"every part":     strings.Join(parts, " "),
			"every part run": strings.Join(parts, ""),
			"empty":          "",
			"no part":        "\x00\xff\x80",
			"diagnostic":     normalize("550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)"),
			"exim":           normalize("SMTP error from remote mail server after end of data: 552 5.2.2 mailbox full"),
		}
		for name, text := range texts {
			t.Run(mc.name+"/"+name, func(t *testing.T) { checkScan(t, mc.name, mc.m, parts, text) })
		}
	}
}

// TestScanAcrossTheMiddle places each part across the middle of a text at every offset:
// scanWith reads the two halves with two cursors, and a part that straddles the middle must
// still be found.
func TestScanAcrossTheMiddle(t *testing.T) {
	for _, mc := range []struct {
		name string
		m    *matcher
	}{{"full", getMatcher()}, {"command", getCommandMatcher()}} {
		for id, part := range matcherParts(mc.m) {
			pre := len(part) + 1
			for k := 0; k <= len(part); k++ {
				for odd := 0; odd < 2; odd++ {
					// The middle, len(text)/2, falls k bytes into the part.
					post := pre + 2*k - len(part) + odd
					text := strings.Repeat("\x00", pre) + part + strings.Repeat("\x00", post)
					var sc scan
					scanWith(&sc, mc.m, []byte(text))
					if !sc.has(int32(id)) {
						t.Fatalf("scanWith(%s matcher, %q): part %q not found", mc.name, text, part)
					}
				}
			}
		}
	}
}

// FuzzScan compares the automata with a plain search for every part on arbitrary text.
func FuzzScan(f *testing.F) {
	f.Add("550 5.1.1 user unknown (in reply to rcpt to command)")
	f.Add("mailbox full after end of data")
	f.Add("\xff\x00 rcpt")
	full, command := getMatcher(), getCommandMatcher()
	fullParts, commandParts := matcherParts(full), matcherParts(command)
	f.Fuzz(func(t *testing.T, text string) {
		checkScan(t, "full", full, fullParts, text)
		checkScan(t, "command", command, commandParts, text)
		checkScan(t, "full", full, fullParts, normalize(text))
	})
}

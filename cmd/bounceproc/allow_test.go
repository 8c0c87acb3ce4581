package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
)

// TestAllowConfirmOnTerminal: on a terminal, allow asks before it releases; "no" changes
// nothing, "yes" releases.
func TestAllowConfirmOnTerminal(t *testing.T) {
	c := newStoreCLI(t)
	c.mustRun("suppress", "--why", "w", "a@example.org", "b@example.org")
	var asked []string
	for _, answer := range []bool{false, true} {
		var out, errb bytes.Buffer
		opts := allowOptions{confirm: func(q string) bool { asked = append(asked, q); return answer }}
		opts.db, opts.addresses, opts.by = c.db, []string{"@example.org"}, "ann"
		err := runAllow(context.Background(), opts, &out, &errb)
		if got := suppressedEmails(t, c); answer == (len(got) != 0) {
			t.Errorf("answer %v: error %v, suppressed %q", answer, err, got)
		}
		if !strings.Contains(errb.String(), "@example.org covers 2 suppressed address(es)") {
			t.Errorf("answer %v: no listing before the question:\n%s", answer, errb.String())
		}
	}
	if !slices.Equal(asked, []string{"Release these 2 address(es)? [y/N] ", "Release these 2 address(es)? [y/N] "}) {
		t.Errorf("questions = %q", asked)
	}
}

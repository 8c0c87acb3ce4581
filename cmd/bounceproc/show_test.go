package main

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/suppress"
)

// TestOutputsEscapeControls (issue 15): terminal control sequences from a bounce are shown as
// escapes by show, list, stats and export, never sent raw.
func TestOutputsEscapeControls(t *testing.T) {
	c := newStoreCLI(t)
	evil := "550 5.1.1 \x1b]0;pwned\x07 gone\x1b[2J \u202eevil \x9b"
	ev := hard("victim@example.org", 1, evil)
	ev.RemoteMTA = "mx\x1b[31m.example.org"
	c.record(ev, suppress.Event{Address: "other@example.org", Kind: classify.KindBlocked, Diagnostic: "\x1b[2J", OccurredAt: day(2)})
	c.mustRun("allow", "--why", "because\x1b[2J", "@partner.example")
	outputs := map[string]string{
		"show":         c.mustRun("show", "victim@example.org"),
		"list":         c.mustRun("list", "--kind", "all"),
		"list --allow": c.mustRun("list", "--allow"),
		"stats":        c.mustRun("stats"),
		"export":       c.mustRun("export", "--kind", "all"),
		"export jsonl": c.mustRun("export", "--format", "jsonl", "--kind", "all"),
		"export sheet": c.mustRun("export", "--spreadsheet", "--kind", "all"),
	}
	for name, out := range outputs {
		if i := strings.IndexAny(out, "\x1b\x07\u202e\u009b"); i >= 0 {
			t.Errorf("%s prints a control character raw: %q", name, out[max(0, i-20):min(len(out), i+20)])
		}
		if !utf8.ValidString(out) {
			t.Errorf("%s writes invalid UTF-8: %q", name, out)
		}
	}
	if !strings.Contains(outputs["show"], `\x1b]0;pwned\x07`) || !strings.Contains(outputs["show"], `mx\x1b[31m.example.org`) {
		t.Errorf("show does not show the escapes:\n%s", outputs["show"])
	}
	if !strings.Contains(outputs["export"], `\x1b]0;pwned\x07 gone\x1b[2J \u202eevil `+"\uFFFD") {
		t.Errorf("export does not keep the text as escapes (and the byte 0x9b as U+FFFD, as stored):\n%s", outputs["export"])
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
)

func TestRunExplainCodes(t *testing.T) {
	var out bytes.Buffer
	err := runExplain(context.Background(), explainOptions{format: "text", args: []string{"550", "5.1.1"}}, &out, &bytes.Buffer{})
	if err != nil {
		t.Fatalf("runExplain(550 5.1.1) = %v", err)
	}
	got := out.String()
	for _, want := range []string{"550  mailbox unavailable", "(permanent)", "5.1.1  the recipient's mailbox does not exist", "advice:"} {
		if !strings.Contains(got, want) {
			t.Errorf("runExplain(550 5.1.1) output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "verdict:") {
		t.Errorf("runExplain(550 5.1.1) printed a verdict for bare codes:\n%s", got)
	}
}

func TestRunExplainText(t *testing.T) {
	var out bytes.Buffer
	line := "550 5.7.1 Service unavailable; client host [192.0.2.1] blocked using zen.spamhaus.org"
	if err := runExplain(context.Background(), explainOptions{format: "json", args: []string{line}}, &out, &bytes.Buffer{}); err != nil {
		t.Fatalf("runExplain(%q) = %v", line, err)
	}
	var res explainResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("runExplain(%q) printed invalid JSON: %v\n%s", line, err, out.String())
	}
	if res.Reply != "550" || res.Status != "5.7.1" || len(res.Codes) != 2 {
		t.Errorf("runExplain(%q) found reply %q status %q and %d codes, want 550, 5.7.1 and 2", line, res.Reply, res.Status, len(res.Codes))
	}
	if res.Verdict == nil || res.Verdict.Kind != classify.KindBlocked || res.Verdict.Reason != classify.ReasonBlocked || res.Verdict.Hard || res.Verdict.Suppress {
		t.Errorf("runExplain(%q) verdict = %+v, want blocked/blocked, not hard, not suppressed", line, res.Verdict)
	}
	if res.Verdict != nil && len(res.Verdict.Evidence) == 0 {
		t.Errorf("runExplain(%q) verdict has no evidence", line)
	}
}

func TestRunExplainTextOutput(t *testing.T) {
	var out bytes.Buffer
	line := "452 4.2.2 The email account that you tried to reach is over quota"
	if err := runExplain(context.Background(), explainOptions{format: "text", args: []string{line}}, &out, &bytes.Buffer{}); err != nil {
		t.Fatalf("runExplain(%q) = %v", line, err)
	}
	got := out.String()
	for _, want := range []string{"4.2.2  the mailbox is full (temporary)", "verdict: kind=soft reason=mailboxfull hard=false suppress=false", "evidence:"} {
		if !strings.Contains(got, want) {
			t.Errorf("runExplain(%q) output lacks %q:\n%s", line, want, got)
		}
	}
}

func TestRunExplainUnknownCodes(t *testing.T) {
	var out bytes.Buffer
	if err := runExplain(context.Background(), explainOptions{format: "json", args: []string{"4.7.650", "599"}}, &out, &bytes.Buffer{}); err != nil {
		t.Fatalf("runExplain(4.7.650 599) = %v", err)
	}
	var res explainResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	if len(res.Codes) != 2 || !res.Codes[0].Inferred || !res.Codes[0].Temporary || !res.Codes[1].Inferred {
		t.Errorf("runExplain(4.7.650 599) = %+v, want two inferred meanings, the first temporary", res.Codes)
	}
}

func TestExplainCommandUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no arguments", nil},
		{"bad format", []string{"--format", "xml", "550"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := explainCommand(context.Background(), tc.args, &bytes.Buffer{}, &bytes.Buffer{})
			var ue *usageError
			if !errors.As(err, &ue) {
				t.Errorf("explainCommand(%q) = %v, want a usage error", tc.args, err)
			}
		})
	}
	code := runMain(context.Background(), []string{"explain", "5.2.2"}, &bytes.Buffer{}, &bytes.Buffer{})
	if code != exitOK {
		t.Errorf("runMain(explain 5.2.2) = %d, want %d", code, exitOK)
	}
}

// TestExplainStdin: `explain -` reads the text from standard input, folded lines included.
func TestExplainStdin(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		w.WriteString("550 5.1.1 <kim@example.org>: Recipient address rejected:\n    User unknown in virtual mailbox table\n")
		w.Close()
	}()
	defer func(f *os.File) { os.Stdin = f }(os.Stdin)
	os.Stdin = r
	var out, errb bytes.Buffer
	if code := runMain(context.Background(), []string{"explain", "-"}, &out, &errb); code != exitOK {
		t.Fatalf("explain -: exit %d; stderr %s", code, errb.String())
	}
	for _, want := range []string{"text: 550 5.1.1 <kim@example.org>: Recipient address rejected: User unknown", "kind=hard"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("explain - lacks %q:\n%s", want, out.String())
		}
	}
}

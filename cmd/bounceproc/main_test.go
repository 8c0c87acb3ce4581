package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"testing"
)

// TestHelpCommand: `help CMD` prints CMD's help, its flags and its exit codes, on standard
// output, for every command.
func TestHelpCommand(t *testing.T) {
	for _, c := range commands {
		var out, errb bytes.Buffer
		if code := runMain(context.Background(), []string{"help", c.name}, &out, &errb); code != exitOK {
			t.Errorf("help %s: exit %d, stderr %q", c.name, code, errb.String())
			continue
		}
		help := out.String()
		if !strings.HasPrefix(help, "usage: bounceproc "+c.name) || !strings.Contains(help, "Exit status:") {
			t.Errorf("help %s: no usage line or exit status:\n%s", c.name, help)
		}
		if _, ok := exitHelp[c.name]; !ok {
			t.Errorf("command %s has no exit codes in exitHelp", c.name)
		}
	}
	var out, errb bytes.Buffer
	runMain(context.Background(), []string{"help", "run"}, &out, &errb)
	if !strings.Contains(out.String(), "--move-to") || !strings.Contains(out.String(), "3  the run finished") {
		t.Errorf("help run lacks the run's flags or exit codes:\n%s", out.String())
	}
	if code := runMain(context.Background(), []string{"help", "nosuch"}, &out, &errb); code != exitUsage {
		t.Errorf("help nosuch: exit %d, want %d", code, exitUsage)
	}
}

func TestVersionText(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/bounceproc/bounceproc", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"},
			{Key: "vcs.modified", Value: "true"}}}
	got := versionText(bi)
	for _, want := range []string{"bounceproc v1.2.3\n", "commit:   0123abcd (with uncommitted changes)\n", "time:     2026-12-01T10:00:00Z\n", "go:       go1.26.0\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("versionText lacks %q:\n%s", want, got)
		}
	}
	var out, errb bytes.Buffer
	if code := runMain(context.Background(), []string{"version"}, &out, &errb); code != exitOK || !strings.HasPrefix(out.String(), "bounceproc ") {
		t.Errorf("version: exit %d, output %q", code, out.String())
	}
}

// TestExitHelpMatchesCode runs a case of each exit status that the commands' help names and
// checks both: the code, and that the help documents it.
func TestExitHelpMatchesCode(t *testing.T) {
	c := newStoreCLI(t)
	c.mustRun("suppress", "--why", "w", "a@example.org")
	dir := t.TempDir()
	garbage := dir + "/garbage.eml"
	if err := os.WriteFile(garbage, []byte("\x00 not a mail"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"decode", dir + "/missing.eml"}, exitFailure},
		{[]string{"decode", garbage}, exitProblems},
		{[]string{"decode", "--format", "xml", garbage}, exitUsage},
		{[]string{"explain"}, exitUsage},
		{[]string{"explain", "550"}, exitOK},
		{[]string{"allow", "--db", c.db, "*@example.org"}, exitUsage},
		{[]string{"allow", "--db", c.db, "@example.org"}, exitUsage}, // would release a@example.org: no --yes
		{[]string{"release", "--db", c.db, "--why", "w", "nobody@example.org"}, exitProblems},
		{[]string{"suppress", "--db", c.db, "a@example.org"}, exitUsage},
		{[]string{"show", "--db", c.db, "nobody@example.org"}, exitFailure},
		{[]string{"version"}, exitOK},
		{[]string{"serve", "extra"}, exitUsage},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		if code := runMain(context.Background(), tt.args, &out, &errb); code != tt.code {
			t.Errorf("%v: exit %d, want %d; stderr %s", tt.args, code, tt.code, errb.String())
		}
		if !strings.Contains(exitHelp[tt.args[0]], fmt.Sprintf("  %d  ", tt.code)) {
			t.Errorf("help of %s does not document exit %d", tt.args[0], tt.code)
		}
	}
}

// TestMain runs the tests as a script would: standard input is never taken for a terminal, so
// no command waits for an answer, whatever `go test` was started from.
func TestMain(m *testing.M) {
	stdinIsTerminal = func() bool { return false }
	os.Exit(m.Run())
}

package main

import (
	"bytes"
	"context"
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

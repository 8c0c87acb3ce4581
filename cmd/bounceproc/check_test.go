package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/suppress"
)

// TestTypoNeverMakesAStore (issue 16 #3): a read-only command never creates a store, a file
// that is not a store is refused and left as it was, and no command creates a directory.
func TestTypoNeverMakesAStore(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.eml")
	text := filepath.Join(dir, "bounce.eml")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(text, []byte("From: MAILER-DAEMON\r\n\r\nhello\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	csvFile := filepath.Join(dir, "list.csv")
	if err := os.WriteFile(csvFile, []byte("email\na@example.org\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	commands := [][]string{
		{"list"}, {"show", "a@example.org"}, {"stats"}, {"export"}, {"check"},
		{"import", csvFile}, {"suppress", "--why", "typo test", "a@example.org"}, {"allow", "--why", "typo test", "a@example.org"},
	}
	for _, db := range []string{empty, text} {
		for _, args := range commands {
			before, _ := os.ReadFile(db)
			c := &storeCLI{t: t, db: db}
			code, _, errs := c.run(args...)
			if code != exitFailure || !strings.Contains(errs, "not a bounceproc suppression store") {
				t.Errorf("%s --db %s: exit %d, %q; want 1 and a refusal", args[0], filepath.Base(db), code, errs)
			}
			if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
				t.Errorf("%s --db %s changed the file", args[0], filepath.Base(db))
			}
		}
	}
	missing := filepath.Join(dir, "typo.db")
	for _, args := range commands[:5] {
		c := &storeCLI{t: t, db: missing}
		if code, _, errs := c.run(args...); code != exitFailure || !strings.Contains(errs, "no suppression store at") {
			t.Errorf("%s --db missing: exit %d, %q", args[0], code, errs)
		}
	}
	noDir := filepath.Join(dir, "nonexistent", "dir", "x.db")
	for _, args := range commands {
		c := &storeCLI{t: t, db: noDir}
		if code, _, errs := c.run(args...); code != exitFailure {
			t.Errorf("%s --db %s: exit %d, %q; want 1", args[0], noDir, code, errs)
		}
	}
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := runMain(context.Background(), []string{"run", "--db", noDir, "--imap", "127.0.0.1:1", "--user", "u", "--tls", "none",
		"--password-file", pw}, &out, &errb)
	if code != exitFailure || !strings.Contains(errb.String(), "does not exist") {
		t.Errorf("run --db %s: exit %d, %q; want 1 and the missing directory named", noDir, code, errb.String())
	}
	des, _ := os.ReadDir(dir)
	if len(des) != 3 {
		var names []string
		for _, de := range des {
			names = append(names, de.Name())
		}
		t.Errorf("the directory holds %q, want only the three files made here", names)
	}
	// The writers create a store where no file is and the directory exists.
	c := &storeCLI{t: t, db: missing}
	c.mustRun("suppress", "--why", "test", "a@example.org")
	c.mustRun("check")
}

// TestCheckCommand: check says ok for a sound store, and exit 1 with the problems for a
// damaged one; export refuses a damaged store rather than exporting what is left.
func TestCheckCommand(t *testing.T) {
	c := newStoreCLI(t)
	var evs []suppress.Event
	for i := range 500 {
		evs = append(evs, hard(fmt.Sprintf("user%03d@example.org", i), i%20, "550 5.1.1 user unknown"))
	}
	c.record(evs...)
	out := c.mustRun("check")
	if !strings.Contains(out, "integrity: ok") || !strings.Contains(out, "schema version") || !strings.Contains(out, "500 addresses (500 suppressed)") {
		t.Errorf("check on a sound store:\n%s", out)
	}
	c.mustRun("check", "--quick")
	raw, err := os.ReadFile(c.db)
	if err != nil {
		t.Fatal(err)
	}
	const ps = 16384
	pages := len(raw) / ps
	if pages < 4 {
		t.Fatalf("only %d pages", pages)
	}
	clear(raw[(pages/2)*ps : (pages/2+1)*ps])
	if err := os.WriteFile(c.db, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"check"}, {"check", "--quick"}, {"export"}} {
		code, out, errs := c.run(args...)
		if code != exitFailure || !strings.Contains(errs, "damaged") {
			t.Errorf("%s on a zeroed page: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errs)
		}
	}
}

// TestPlaintextNeedsLoopbackAddress (issue 15): --tls none without --allow-plaintext is a usage
// error for a name that merely starts with "127.", and allowed for localhost.
func TestPlaintextNeedsLoopbackAddress(t *testing.T) {
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(addr string) (int, string) {
		var out, errb bytes.Buffer
		code := runMain(context.Background(), []string{"run", "--db", filepath.Join(t.TempDir(), "s.db"), "--imap", addr,
			"--user", "u", "--tls", "none", "--password-file", pw, "--timeout", "2s"}, &out, &errb)
		return code, errb.String()
	}
	for _, addr := range []string{"127.evil.example:143", "127.0.0.1.evil.example:143", "10.1.2.3:143"} {
		if code, errs := run(addr); code != exitUsage || !strings.Contains(errs, "loopback") {
			t.Errorf("--tls none to %s: exit %d, %q; want a usage error", addr, code, errs)
		}
	}
	// localhost passes the check (and then finds no server on port 1).
	if code, errs := run("localhost:1"); code == exitUsage {
		t.Errorf("--tls none to localhost: a usage error: %q", errs)
	}
}

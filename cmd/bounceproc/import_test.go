package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func writeCSV(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func suppressedEmails(t *testing.T, c *storeCLI) []string {
	t.Helper()
	var out []string
	for _, r := range readCSV(t, c.mustRun("export"))[1:] {
		out = append(out, r[0])
	}
	return out
}

func TestImportBadRows(t *testing.T) {
	c := newStoreCLI(t)
	c.mustRun("allow", "@partner.example")
	file := writeCSV(t, strings.Join([]string{
		"created_at,Email Address,note", // line 1
		"2026-01-01,good1@example.org,ok",
		"2026-01-01,not-an-address,no at sign", // line 3
		"2026-01-01,,empty",                    // line 4
		"2026-01-01",                           // line 5: too short
		`2026-01-01,"""Quoted, Name"" <good2@Example.ORG>","comma, in note"`,
		`2026-01-01,bad"quote@example.org,bare quote`, // line 7
		"2026-01-01,someone@partner.example,allowed",  // line 8
		"2026-01-01,GOOD1@example.org,duplicate",
		`2026-01-01,"multi`, // line 10: a quoted field over two lines
		`line@example.org",spans lines`,
		"2026-01-01,a@b@example.org,two ats", // line 12
		"2026-01-01,jörg@bücher.example,utf-8",
	}, "\n")+"\n")
	code, out, errs := c.run("import", "--why", "old list", file)
	if code != exitProblems {
		t.Fatalf("exit %d, want %d (some rows rejected)\n%s\n%s", code, exitProblems, out, errs)
	}
	for _, want := range []string{
		file + ":3: address \"not-an-address\": invalid address: no @",
		file + ":4: empty Email Address",
		file + ":5: only 1 fields",
		file + ":7: bad CSV",
		file + ":8: someone@partner.example is on the allow list",
		file + ":10: address \"multi\\nline@example.org\": invalid address",
		file + ":12: address \"a@b@example.org\": invalid address: more than one @",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if n := strings.Count(errs, file+":"); n != 7 {
		t.Errorf("%d rows reported, want 7:\n%s", n, errs)
	}
	if !strings.Contains(out, "11 rows read: 3 newly suppressed, 1 already suppressed, 1 on the allow list, 6 rejected") {
		t.Errorf("summary = %q", out)
	}
	if got, want := suppressedEmails(t, c), []string{"good1@example.org", "good2@example.org", "jörg@xn--bcher-kva.example"}; !slices.Equal(got, want) {
		t.Errorf("suppressed = %q, want %q", got, want)
	}
	show := c.mustRun("show", "good2@example.org")
	if !strings.Contains(show, "by hand (import) by tester: old list") {
		t.Errorf("show after import:\n%s", show)
	}
}

func TestImportOwnExportAndBOM(t *testing.T) {
	src := exportFixture(t)
	exported := src.mustRun("export")
	c := newStoreCLI(t)
	file := writeCSV(t, "\ufeff"+exported)
	out := c.mustRun("import", file)
	if !strings.Contains(out, "9 newly suppressed") {
		t.Errorf("import of our own export: %s", out)
	}
	// The neutralised cells come back as the addresses they were.
	if got, want := suppressedEmails(t, c), suppressedEmails(t, src); !slices.Equal(got, want) {
		t.Errorf("round trip: %q\nwant %q", got, want)
	}
	if code, _, errs := c.run("show", "=1+2@example.org"); code != exitOK {
		t.Errorf("show =1+2@example.org: exit %d %s", code, errs)
	}
}

func TestImportColumnAndDryRun(t *testing.T) {
	c := newStoreCLI(t)
	file := writeCSV(t, "id,recipient,contact\n1,r@example.org,c@example.org\n")
	c.mustRun("import", "--column", "contact", file)
	if got := suppressedEmails(t, c); !slices.Equal(got, []string{"c@example.org"}) {
		t.Errorf("--column contact: %q", got)
	}
	out := c.mustRun("import", "--dry-run", file)
	if !strings.Contains(out, "dry run (nothing changed): 1 rows read: 1 newly suppressed") {
		t.Errorf("dry run: %q", out)
	}
	if got := suppressedEmails(t, c); !slices.Equal(got, []string{"c@example.org"}) {
		t.Errorf("after a dry run: %q", got)
	}
	for _, bad := range []struct {
		content string
		args    []string
	}{
		{"id,name\n1,x\n", nil},
		{"email\n", []string{"--column", "nope"}},
	} {
		code, _, errs := c.run(append(append([]string{"import"}, bad.args...), writeCSV(t, bad.content))...)
		if code != exitUsage || !strings.Contains(errs, "column") {
			t.Errorf("import %q %q: exit %d, %s", bad.content, bad.args, code, errs)
		}
	}
	if code, _, _ := c.run("import", filepath.Join(t.TempDir(), "missing.csv")); code != exitFailure {
		t.Errorf("missing file: exit %d", code)
	}
	if code, _, _ := c.run("import", writeCSV(t, "")); code != exitFailure {
		t.Errorf("empty file: exit %d", code)
	}
}

func TestImportStdin(t *testing.T) {
	c := newStoreCLI(t)
	var out, errb strings.Builder
	opts := importOptions{db: c.db, file: "-", stdin: strings.NewReader("Email\nin@example.org\nbad\n")}
	err := runImport(context.Background(), opts, &out, &errb)
	if !errors.Is(err, errProblems) || !strings.Contains(errb.String(), "standard input:3: ") ||
		!strings.Contains(out.String(), "2 rows read: 1 newly suppressed") {
		t.Errorf("import from stdin: %v\n%s\n%s", err, out.String(), errb.String())
	}
	if got := suppressedEmails(t, c); !slices.Equal(got, []string{"in@example.org"}) {
		t.Errorf("suppressed = %q", got)
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
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

// TestImportUnbalancedQuote (issue 15): a quote that never closes, or that opens a field
// swallowing the rows after it, costs its own row only, reported by line number; every other
// row is imported.
func TestImportUnbalancedQuote(t *testing.T) {
	const n = 3000
	var b strings.Builder
	b.WriteString("email,note\n")
	for i := 2; i <= n+1; i++ { // line i
		switch i {
		case 11: // a quote that never closes on its line; the next quote is far below
			fmt.Fprintf(&b, "\"u%d@example.org,stray quote\n", i)
		case 500: // a note whose quote swallows the rows up to line 503's quote
			fmt.Fprintf(&b, "u%d@example.org,\"note starts\n", i)
		case 503:
			fmt.Fprintf(&b, "u%d@example.org,ends here\"\n", i)
		case 2000: // a legitimate note over two lines
			fmt.Fprintf(&b, "u%d@example.org,\"two\nlines\"\n", i)
		default:
			fmt.Fprintf(&b, "u%d@example.org,fine\n", i)
		}
	}
	b.WriteString("\"last@example.org,never closed\n")
	file := writeCSV(t, b.String())
	c := newStoreCLI(t)
	code, out, errs := c.run("import", "--why", "test", file)
	if code != exitProblems {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitProblems, out, errs)
	}
	var reported []int
	for _, l := range strings.Split(strings.TrimSpace(errs), "\n") {
		var line int
		if rest, ok := strings.CutPrefix(l, file+":"); ok {
			if _, err := fmt.Sscanf(rest, "%d:", &line); err == nil {
				reported = append(reported, line)
			}
		}
	}
	if want := []int{11, 500, 503, n + 3}; /* the note at line 2000 takes two lines */ !slices.Equal(reported, want) {
		t.Errorf("reported lines %v, want %v\n%s", reported, want, errs)
	}
	got := suppressedEmails(t, c)
	// Every line but the bad ones (the legitimate two-line note is one row, line 2000's).
	if want := n - 3; len(got) != want {
		t.Errorf("%d addresses imported, want %d\n%s", len(got), want, out)
	}
	for _, l := range []int{12, 501, 502, 504, 2000, 2001, n + 1} {
		if l == 2001 {
			continue // the second line of the note
		}
		if !slices.Contains(got, fmt.Sprintf("u%d@example.org", l)) {
			t.Errorf("u%d@example.org (line %d) was not imported", l, l)
		}
	}
	if !strings.Contains(out, fmt.Sprintf("%d rows read", n+1)) {
		t.Errorf("summary: %s", out)
	}
}

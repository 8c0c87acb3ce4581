package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/suppress"
)

// exportFixture records addresses whose cells need every kind of care in CSV.
func exportFixture(t *testing.T) *storeCLI {
	c := newStoreCLI(t)
	c.record(
		hard("plain@example.org", 1, "550 5.1.1 user unknown"),
		hard("quotes@example.org", 2, `550 5.1.1 <quotes@example.org>: "no such user", sorry`),
		hard("newline@example.org", 3, "550-5.1.1 The email account does not exist.\r\n550 5.1.1 Try again, later"),
		hard("=1+2@example.org", 4, "=HYPERLINK(\"http://evil.example\")"),
		hard("+tag@example.org", 5, "-1 is not a code"),
		hard("jörg@Bücher.example", 6, "550 5.1.1 Benutzer unbekannt: jörg — ça n'existe pas"),
		hard("tab@example.org", 7, "\tleading tab"),
		suppress.Event{Address: "soft@example.org", Kind: classify.KindSoft, Reason: classify.ReasonMailboxFull, Status: "4.2.2", Reply: "452", Diagnostic: "mailbox full", OccurredAt: day(8)},
		suppress.Event{Address: "blocked@example.org", Kind: classify.KindBlocked, Reason: classify.ReasonBlocked, Status: "5.7.1", Reply: "554", Diagnostic: "@ blocked by policy", OccurredAt: day(9)},
		suppress.Event{Address: "complaint@example.org", Kind: classify.KindComplaint, Reason: classify.ReasonFeedback, OccurredAt: day(10)},
	)
	c.mustRun("suppress", "--why", "asked to stop", "--by", "ann", "manual@example.org")
	return c
}

func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("reading the export back: %v\n%s", err, s)
	}
	return recs
}

func TestExportCSV(t *testing.T) {
	c := exportFixture(t)
	out := c.mustRun("export")
	recs := readCSV(t, out)
	if !slices.Equal(recs[0], suppress.CSVHeader) {
		t.Fatalf("header = %q", recs[0])
	}
	if want := "email,kind,reason,status,reply_code,first_seen,last_seen,bounce_count,last_diagnostic"; strings.Join(recs[0], ",") != want {
		t.Errorf("header = %q, want %q", strings.Join(recs[0], ","), want)
	}
	byEmail := map[string][]string{}
	var order []string
	for _, r := range recs[1:] {
		if len(r) != 9 {
			t.Fatalf("row with %d fields: %q", len(r), r)
		}
		byEmail[r[0]] = r
		order = append(order, r[0])
	}
	// Default --kind suppressed: hard, complaint and manual ones; not soft (one bounce) or blocked.
	want := []string{"'+tag@example.org", "'=1+2@example.org", "complaint@example.org", "jörg@xn--bcher-kva.example",
		"manual@example.org", "newline@example.org", "plain@example.org", "quotes@example.org", "tab@example.org"}
	if !slices.Equal(order, want) {
		t.Errorf("rows = %q\nwant   %q", order, want)
	}
	checks := []struct {
		email string
		col   int
		want  string
	}{
		{"plain@example.org", 1, "hard"},
		{"plain@example.org", 2, "userunknown"},
		{"plain@example.org", 3, "5.1.1"},
		{"plain@example.org", 4, "550"},
		{"plain@example.org", 5, "2026-05-02T10:00:00Z"},
		{"plain@example.org", 6, "2026-05-02T10:00:00Z"},
		{"plain@example.org", 7, "1"},
		{"quotes@example.org", 8, `550 5.1.1 <quotes@example.org>: "no such user", sorry`},
		{"newline@example.org", 8, "550-5.1.1 The email account does not exist.\n550 5.1.1 Try again, later"},
		{"'=1+2@example.org", 8, `'=HYPERLINK("http://evil.example")`},
		{"'+tag@example.org", 8, "'-1 is not a code"},
		{"jörg@xn--bcher-kva.example", 8, "550 5.1.1 Benutzer unbekannt: jörg — ça n'existe pas"},
		{"tab@example.org", 8, "'\tleading tab"},
		{"complaint@example.org", 1, "complaint"},
		{"manual@example.org", 1, "manual"},
		{"manual@example.org", 7, "0"},
		{"manual@example.org", 5, ""},
	}
	for _, ck := range checks {
		r, ok := byEmail[ck.email]
		if !ok {
			t.Errorf("no row for %s", ck.email)
			continue
		}
		if r[ck.col] != ck.want {
			t.Errorf("%s %s = %q, want %q", ck.email, recs[0][ck.col], r[ck.col], ck.want)
		}
	}
	// No cell starts a formula.
	for _, r := range recs[1:] {
		for i, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("%s: cell %s = %q starts a formula", r[0], recs[0][i], cell)
			}
		}
	}
	// RFC 4180 line ends, and the output is the same every time.
	if !strings.Contains(out, "\n") || out != c.mustRun("export") {
		t.Error("a second export differs from the first")
	}
}

func TestExportKinds(t *testing.T) {
	c := exportFixture(t)
	emails := func(args ...string) []string {
		t.Helper()
		var out []string
		for _, r := range readCSV(t, c.mustRun(append([]string{"export"}, args...)...))[1:] {
			out = append(out, r[0])
		}
		return out
	}
	if got := emails("--kind", "soft"); !slices.Equal(got, []string{"soft@example.org"}) {
		t.Errorf("--kind soft = %q", got)
	}
	if got := emails("--kind", "blocked"); !slices.Equal(got, []string{"blocked@example.org"}) {
		t.Errorf("--kind blocked = %q", got)
	}
	if got := emails("--kind", "complaint"); !slices.Equal(got, []string{"complaint@example.org"}) {
		t.Errorf("--kind complaint = %q", got)
	}
	if got := emails("--kind", "hard"); len(got) != 7 {
		t.Errorf("--kind hard = %q, want 7", got)
	}
	if got := emails("--kind", "all"); len(got) != 11 {
		t.Errorf("--kind all = %d rows, want 11", len(got))
	}
	// --since: bounces from day 8 on, plus the manual suppression made now.
	if got := emails("--kind", "all", "--since", day(8).Format("2006-01-02")); !slices.Equal(got,
		[]string{"blocked@example.org", "complaint@example.org", "manual@example.org", "soft@example.org"}) {
		t.Errorf("--since = %q", got)
	}
	for _, bad := range [][]string{{"--kind", "nope"}, {"--format", "xml"}, {"--since", "yesterday"}, {"extra"}} {
		if code, _, _ := c.run(append([]string{"export"}, bad...)...); code != exitUsage {
			t.Errorf("export %q: exit %d, want %d", bad, code, exitUsage)
		}
	}
}

func TestExportJSONLAndFile(t *testing.T) {
	c := exportFixture(t)
	path := filepath.Join(t.TempDir(), "out.jsonl")
	code, _, errs := c.run("export", "--format", "jsonl", "--kind", "all", "-o", path)
	if code != exitOK || !strings.Contains(errs, "exported 11 addresses to "+path) {
		t.Fatalf("exit %d: %s", code, errs)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v: %s", n+1, err, sc.Text())
		}
		n++
		if m["email"] == "=1+2@example.org" && (m["suppressed"] != true || m["kind"] != "hard") {
			t.Errorf("JSONL keeps values as they are: %v", m)
		}
		if m["email"] == "manual@example.org" && (m["by"] != "ann" || m["why"] != "asked to stop" || m["source"] != "manual") {
			t.Errorf("manual row = %v", m)
		}
	}
	if n != 11 {
		t.Errorf("%d JSON lines, want 11", n)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".out.jsonl.*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %q", left)
	}
}

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
	if want := "email,cause,suppressed_since,kind,reason,status,reply_code,first_seen,last_seen,bounce_count,last_diagnostic"; strings.Join(recs[0], ",") != want {
		t.Errorf("header = %q, want %q", strings.Join(recs[0], ","), want)
	}
	byEmail := map[string][]string{}
	var order []string
	for _, r := range recs[1:] {
		if len(r) != 11 {
			t.Fatalf("row with %d fields: %q", len(r), r)
		}
		byEmail[r[0]] = r
		order = append(order, r[0])
	}
	// Default --kind suppressed: hard, complaint and manual ones; not soft (one bounce) or blocked.
	want := []string{"+tag@example.org", "=1+2@example.org", "complaint@example.org", "jörg@xn--bcher-kva.example",
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
		{"plain@example.org", 2, "2026-05-02T10:00:00Z"},
		{"plain@example.org", 3, "hard"},
		{"plain@example.org", 4, "userunknown"},
		{"plain@example.org", 5, "5.1.1"},
		{"plain@example.org", 6, "550"},
		{"plain@example.org", 7, "2026-05-02T10:00:00Z"},
		{"plain@example.org", 8, "2026-05-02T10:00:00Z"},
		{"plain@example.org", 9, "1"},
		{"quotes@example.org", 10, `550 5.1.1 <quotes@example.org>: "no such user", sorry`},
		{"newline@example.org", 10, `550-5.1.1 The email account does not exist.\r\n550 5.1.1 Try again, later`},
		{"=1+2@example.org", 10, `'=HYPERLINK("http://evil.example")`},
		{"+tag@example.org", 10, "'-1 is not a code"},
		{"+tag@example.org", 1, "hard"},
		{"jörg@xn--bcher-kva.example", 10, "550 5.1.1 Benutzer unbekannt: jörg — ça n'existe pas"},
		{"tab@example.org", 10, `\tleading tab`},
		{"complaint@example.org", 1, "complaint"},
		{"complaint@example.org", 3, "complaint"},
		{"manual@example.org", 1, "manual"},
		{"manual@example.org", 3, ""},
		{"manual@example.org", 9, "0"},
		{"manual@example.org", 7, ""},
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
	// No cell but the email, which is exact, starts a formula.
	for _, r := range recs[1:] {
		for i, cell := range r[1:] {
			i++
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
	if got := emails("--kind", "soft"); len(got) != 0 {
		t.Errorf("--kind soft = %q, want none (one soft bounce suppresses nobody)", got)
	}
	if got := emails("--kind", "manual"); !slices.Equal(got, []string{"manual@example.org"}) {
		t.Errorf("--kind manual = %q", got)
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
		if m["email"] == "=1+2@example.org" && (m["suppressed"] != true || m["kind"] != "hard" || m["cause"] != "hard") {
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

// TestExportHardByCause (issue 16 #7): an address suppressed for a hard bounce whose latest
// bounce was soft is in the hard list, with its cause and its latest kind apart.
func TestExportHardByCause(t *testing.T) {
	c := exportFixture(t)
	c.record(suppress.Event{Address: "plain@example.org", Kind: classify.KindSoft, Reason: classify.ReasonMailboxFull,
		Status: "4.2.2", Reply: "452", Diagnostic: "mailbox full", OccurredAt: day(20)})
	recs := readCSV(t, c.mustRun("export", "--kind", "hard"))
	var row []string
	for _, r := range recs[1:] {
		if r[0] == "plain@example.org" {
			row = r
		}
	}
	if len(recs) != 8 || row == nil {
		t.Fatalf("--kind hard after a later soft bounce: %d rows, plain@example.org in it: %v\n%q", len(recs)-1, row != nil, recs)
	}
	if row[1] != "hard" || row[3] != "soft" {
		t.Errorf("plain@example.org: cause %q, kind %q; want hard and soft", row[1], row[3])
	}
	c.mustRun("list", "--kind", "hard")
}

// TestExportEmailExact (issue 16 #7): the default CSV keeps every address exactly, and only
// --spreadsheet guards the email column; importing either gives back the same addresses.
func TestExportEmailExact(t *testing.T) {
	c := exportFixture(t)
	plain := readCSV(t, c.mustRun("export"))
	sheet := readCSV(t, c.mustRun("export", "--spreadsheet"))
	if len(plain) != len(sheet) {
		t.Fatalf("%d rows, spreadsheet %d", len(plain), len(sheet))
	}
	for i := 1; i < len(plain); i++ {
		email := plain[i][0]
		if _, err := suppress.Normalize(email); err != nil || strings.HasPrefix(email, "'") {
			t.Errorf("default export email %q is not the address: %v", email, err)
		}
		for j, cell := range sheet[i] {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("--spreadsheet: %s = %q starts a formula", sheet[0][j], cell)
			}
		}
	}
	if sheet[1][0] != "'+tag@example.org" {
		t.Errorf("--spreadsheet email = %q, want '+tag@example.org", sheet[1][0])
	}
	if code, _, _ := c.run("export", "--spreadsheet", "--format", "jsonl"); code != exitUsage {
		t.Errorf("--spreadsheet --format jsonl: exit %d, want 2", code)
	}
	for _, args := range [][]string{{"export"}, {"export", "--spreadsheet"}} {
		f := filepath.Join(t.TempDir(), "out.csv")
		c.mustRun(append(args, "-o", f)...)
		d := &storeCLI{t: t, db: filepath.Join(t.TempDir(), "new.db")}
		d.mustRun("import", f)
		back := readCSV(t, d.mustRun("export"))
		for i := 1; i < len(plain); i++ {
			if back[i][0] != plain[i][0] {
				t.Errorf("%v then import: row %d email %q, want %q", args, i, back[i][0], plain[i][0])
			}
		}
	}
}

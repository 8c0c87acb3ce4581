package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testDSN = `From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: sender@example.com
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; gone@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>: Recipient address rejected:
    User unknown in virtual mailbox table

--B
Content-Type: text/rfc822-headers

From: sender@example.com
To: gone@example.org
Subject: hello
Message-ID: <orig-1@example.com>

--B--
`

const testPlain = `From: Mail Delivery System <Mailer-Daemon@mx.example.net>
To: sender@example.com
Subject: Mail delivery failed: returning message to sender
X-Failed-Recipients: full@example.org

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  full@example.org
    host mx.example.org [192.0.2.1]: 552 5.2.2 Mailbox full
`

func decodeLines(t *testing.T, out string) []decodeRecord {
	t.Helper()
	var recs []decodeRecord
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var r decodeRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("bad JSONL line %q: %v", sc.Text(), err)
		}
		recs = append(recs, r)
	}
	return recs
}

func TestDecodeFilesDirsMboxStdin(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "Maildir", "cur"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "Maildir", "tmp"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "Maildir", "cur", "1700000000.1.host:2,S"), []byte(testDSN), 0o644))
	must(os.WriteFile(filepath.Join(dir, "Maildir", "tmp", "partial"), []byte(testPlain), 0o644))
	mbox := "From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n" + testDSN + "\nFrom MAILER-DAEMON Mon Jan  1 00:00:01 2024\n" + testPlain
	must(os.WriteFile(filepath.Join(dir, "bounces.mbox"), []byte(mbox), 0o644))

	var stdout, stderr bytes.Buffer
	opts := decodeOptions{format: "jsonl", workers: 2, paths: []string{filepath.Join(dir, "Maildir"), filepath.Join(dir, "bounces.mbox"), "-"}, stdin: strings.NewReader(testPlain)}
	if err := runDecode(context.Background(), opts, &stdout, &stderr); err != nil {
		t.Fatalf("runDecode: %v\nstderr: %s", err, stderr.String())
	}
	recs := decodeLines(t, stdout.String())
	var got []string
	for _, r := range recs {
		got = append(got, filepath.Base(r.File)+"|"+r.Recipient+"|"+string(r.Status)+"|"+string(r.Reply)+"|"+string(r.Kind))
	}
	want := []string{
		"1700000000.1.host:2,S|gone@example.org|5.1.1|550|hard",
		"bounces.mbox|gone@example.org|5.1.1|550|hard",
		"bounces.mbox|full@example.org|5.2.2|552|soft",
		"-|full@example.org|5.2.2|552|soft",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("decode records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if recs[0].MessageID != "<orig-1@example.com>" || recs[0].ReportingMTA != "mx.example.net" || !recs[0].Suppress || recs[0].DecodedBy == "" {
		t.Errorf("first record = %+v", recs[0])
	}
}

func TestDecodeReportsProblemsAndGoesOn(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.txt")
	if err := os.WriteFile(garbage, []byte("\x00\x01 not a mail at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b-good.eml"), []byte(testDSN), 0o644); err != nil {
		t.Fatal(err)
	}
	// A file named on the command line is decoded whatever it holds: garbage is a problem.
	var stdout, stderr bytes.Buffer
	opts := decodeOptions{format: "jsonl", workers: 1, paths: []string{garbage, filepath.Join(dir, "b-good.eml")}}
	err := runDecode(context.Background(), opts, &stdout, &stderr)
	if !errors.Is(err, errProblems) {
		t.Fatalf("runDecode error = %v, want errProblems", err)
	}
	if recs := decodeLines(t, stdout.String()); len(recs) != 1 || recs[0].Recipient != "gone@example.org" {
		t.Errorf("records = %+v, want the one good recipient", recs)
	}
	if !strings.Contains(stderr.String(), "garbage.txt: not-mail") {
		t.Errorf("stderr lacks the problem of garbage.txt:\n%s", stderr.String())
	}
}

// TestDecodeMissingPathFails: a PATH that does not exist is a failure (exit 1), not a mail
// with problems (exit 3); the other paths are still decoded.
func TestDecodeMissingPathFails(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.eml")
	if err := os.WriteFile(good, []byte(testDSN), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := runMain(context.Background(), []string{"decode", filepath.Join(dir, "missing.eml"), good}, &stdout, &stderr)
	if code != exitFailure {
		t.Errorf("decode of a missing path: exit %d, want %d; stderr:\n%s", code, exitFailure, stderr.String())
	}
	if !strings.Contains(stderr.String(), "missing.eml") || !strings.Contains(stdout.String(), "gone@example.org") {
		t.Errorf("stderr should name missing.eml and the good mail still be decoded:\n%s\n%s", stdout.String(), stderr.String())
	}
}

// TestDecodeDirByContent: in a directory, a file is decoded when it starts like a mail,
// whatever its name; mail-server state files are skipped by name, Maildir++ folders are
// entered, and standard error says what was skipped and why.
func TestDecodeDirByContent(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"bounce.txt":                     testDSN,
		"bounce.json":                    testDSN,
		"bounce.gz":                      testDSN,
		"cur/1700000000.1.host:2,S":      testDSN,
		".Archive/cur/1700000001.1.host": testDSN,
		".Archive/new/1700000002.1.host": testDSN,
		"dovecot-uidlist":                "3 V1700000000 N3 G0123\n1 :1700000000.1.host\n",
		"dovecot.index.cache":            "\x01\x02binary",
		"cur/dovecot.index":              "Subject: looks like a header\n\n",
		"subscriptions":                  "V\t2\n\nArchive\n",
		"list.csv":                       "email,kind\na@example.org,hard\n",
		"notes.md":                       "# Notes: bounces\nSome text.\n",
		"tmp/1700000003.1.host":          testDSN,
		".git/HEAD":                      "ref: refs/heads/main\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"decode", dir}, &stdout, &stderr); code != exitOK {
		t.Errorf("decode DIR: exit %d, want 0; stderr:\n%s", code, stderr.String())
	}
	var got []string
	for _, r := range decodeLines(t, stdout.String()) {
		rel, _ := filepath.Rel(dir, r.File)
		got = append(got, rel)
	}
	want := []string{".Archive/cur/1700000001.1.host", ".Archive/new/1700000002.1.host", "bounce.gz", "bounce.json", "bounce.txt", "cur/1700000000.1.host:2,S"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("decoded %q, want %q", got, want)
	}
	for _, line := range []string{
		"decode: skipped 8 file(s):",
		"2 not a mail: no header lines at the start",
		"4 mail-server index or state files",
		"1 in a Maildir tmp/ folder",
		"1 in a hidden folder that is not a Maildir++ folder",
	} {
		if !strings.Contains(stderr.String(), line) {
			t.Errorf("stderr lacks %q:\n%s", line, stderr.String())
		}
	}
}

func TestLooksLikeMail(t *testing.T) {
	tests := []struct {
		in   string
		more bool
		want bool
	}{
		{"From: a@example.org\nSubject: x\n\nbody", false, true},
		{"Return-Path: <>\r\nReceived: from x\r\n\tby y\r\n\r\n", false, true},
		{"From MAILER-DAEMON Mon Jan  1 00:00:00 2026\nFrom: a@example.org\n\n", false, true},
		{"Subject: a\nX-Long: cut in the mid", true, true},
		{"Note: a line of prose\nand another line\n", false, false},
		{"email,kind\na@example.org,hard\n", false, false},
		{"{\"file\": \"x\"}\n", false, false},
		{"\x1f\x8b\x08\x00binary", false, false},
		{" leading: continuation\n", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if got := looksLikeMail([]byte(tt.in), tt.more); got != tt.want {
			t.Errorf("looksLikeMail(%q, %v) = %v, want %v", tt.in, tt.more, got, tt.want)
		}
	}
}

// TestDecodeStdinWithoutPath: with no PATH, decode reads piped standard input; on a terminal
// it asks for a PATH instead.
func TestDecodeStdinWithoutPath(t *testing.T) {
	defer func() { stdinIsTerminal = func() bool { return false } }() // as TestMain sets it
	stdinIsTerminal = func() bool { return true }
	var out, errb bytes.Buffer
	if code := runMain(context.Background(), []string{"decode"}, &out, &errb); code != exitUsage {
		t.Errorf("decode without PATH on a terminal: exit %d, want %d", code, exitUsage)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() { w.WriteString(testDSN); w.Close() }()
	defer func(f *os.File) { os.Stdin = f }(os.Stdin)
	os.Stdin = r
	stdinIsTerminal = func() bool { return false }
	out.Reset()
	errb.Reset()
	if code := runMain(context.Background(), []string{"decode", "--format", "jsonl"}, &out, &errb); code != exitOK {
		t.Errorf("decode of piped input: exit %d; stderr %s", code, errb.String())
	}
	if recs := decodeLines(t, out.String()); len(recs) != 1 || recs[0].File != "-" {
		t.Errorf("decode of piped input: %+v, want one record from -", recs)
	}
}

// TestFlagsAfterArguments: flags may follow the arguments in every command; -- ends them.
func TestFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.eml")
	if err := os.WriteFile(good, []byte(testDSN), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := runMain(context.Background(), []string{"decode", good, "--format", "table"}, &out, &errb); code != exitOK {
		t.Fatalf("decode FILE --format table: exit %d; stderr %s", code, errb.String())
	}
	if !strings.HasPrefix(out.String(), "FILE ") || !strings.Contains(out.String(), "gone@example.org") {
		t.Errorf("decode FILE --format table printed no table:\n%s", out.String())
	}
	out.Reset()
	if code := runMain(context.Background(), []string{"explain", "550", "--format", "json"}, &out, &errb); code != exitOK || !strings.HasPrefix(out.String(), "{") {
		t.Errorf("explain 550 --format json: exit %d, output %q", code, out.String())
	}
	// After --, "-x" is a path (that does not exist), not a flag.
	errb.Reset()
	if code := runMain(context.Background(), []string{"decode", "--", "-x"}, &out, &errb); code != exitFailure || !strings.Contains(errb.String(), "-x") {
		t.Errorf("decode -- -x: exit %d, stderr %q; want 1 naming the file -x", code, errb.String())
	}
}

func TestDecodeTableAndJSON(t *testing.T) {
	for _, format := range []string{"table", "json"} {
		var stdout, stderr bytes.Buffer
		opts := decodeOptions{format: format, workers: 1, paths: []string{"-"}, stdin: strings.NewReader(testDSN)}
		if err := runDecode(context.Background(), opts, &stdout, &stderr); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		out := stdout.String()
		if !strings.Contains(out, "gone@example.org") {
			t.Errorf("%s output lacks the recipient:\n%s", format, out)
		}
		if format == "json" {
			var v []jsonMail
			if err := json.Unmarshal([]byte(out), &v); err != nil || len(v) != 1 || len(v[0].Verdicts) != 1 {
				t.Errorf("json output does not parse as one mail with one verdict: %v\n%s", err, out)
			}
		}
	}
}

func TestRunMainExitCodes(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runMain(context.Background(), []string{"nosuchcommand"}, &out, &errb); code != exitUsage {
		t.Errorf("unknown command: exit %d, want %d", code, exitUsage)
	}
	if code := runMain(context.Background(), []string{"decode", "--format", "xml", "x"}, &out, &errb); code != exitUsage {
		t.Errorf("bad format: exit %d, want %d", code, exitUsage)
	}
}

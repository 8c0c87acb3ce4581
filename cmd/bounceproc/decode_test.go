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
	if err := os.WriteFile(filepath.Join(dir, "a-garbage.eml"), []byte("\x00\x01 not a mail at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b-good.eml"), []byte(testDSN), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	opts := decodeOptions{format: "jsonl", workers: 1, paths: []string{dir, filepath.Join(dir, "missing.eml")}}
	err := runDecode(context.Background(), opts, &stdout, &stderr)
	if !errors.Is(err, errProblems) {
		t.Fatalf("runDecode error = %v, want errProblems", err)
	}
	if recs := decodeLines(t, stdout.String()); len(recs) != 1 || recs[0].Recipient != "gone@example.org" {
		t.Errorf("records = %+v, want the one good recipient", recs)
	}
	for _, want := range []string{"a-garbage.eml: not-mail", "missing.eml"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
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
	if code := runMain(context.Background(), []string{"decode"}, &out, &errb); code != exitUsage {
		t.Errorf("decode without PATH: exit %d, want %d", code, exitUsage)
	}
	if code := runMain(context.Background(), []string{"nosuchcommand"}, &out, &errb); code != exitUsage {
		t.Errorf("unknown command: exit %d, want %d", code, exitUsage)
	}
	if code := runMain(context.Background(), []string{"decode", "--format", "xml", "x"}, &out, &errb); code != exitUsage {
		t.Errorf("bad format: exit %d, want %d", code, exitUsage)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
)

func readSample(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../web/testdata/postfix-user-unknown.eml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func codesOf(ms []classify.Meaning) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Code)
	}
	return out
}

func TestDecodeMail(t *testing.T) {
	lf := readSample(t)
	crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
	for name, input := range map[string][]byte{"LF": lf, "CRLF": crlf} {
		t.Run(name, func(t *testing.T) {
			res := decode(input)
			if res.Error != "" || res.Input != inputMail || res.Report == nil {
				t.Fatalf("decode(sample) = input %q, error %q; want a mail", res.Input, res.Error)
			}
			if n := len(res.Report.Recipients); n != 1 || len(res.Verdicts) != n || len(res.Codes) != n {
				t.Fatalf("decode(sample): %d recipients, %d verdicts, %d code lists; want 1 each", n, len(res.Verdicts), len(res.Codes))
			}
			if got := res.Report.Recipients[0].Address; got != "pat.nobody@example.org" {
				t.Errorf("recipient = %q, want pat.nobody@example.org", got)
			}
			if v := res.Verdicts[0]; v.Kind != classify.KindHard || !v.Suppress {
				t.Errorf("verdict = %s (suppress %v), want hard and suppress", v.Kind, v.Suppress)
			}
			if got := codesOf(res.Codes[0]); !slices.Equal(got, []string{"550", "5.1.1"}) {
				t.Errorf("codes = %q, want [550 5.1.1]", got)
			}
			for _, m := range res.Codes[0] {
				if m.Summary == "" {
					t.Errorf("code %s has no summary", m.Code)
				}
			}
		})
	}
}

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name, in, address string
		reply             classify.ReplyCode
		status            classify.Status
		kind              classify.Kind
	}{
		{"postfix line", "550 5.1.1 <a@example.org>: Recipient address rejected: User unknown", "a@example.org", "550", "5.1.1", classify.KindHard},
		{"bare address", "host mx.example.org said: 550 5.1.1 bob@example.org... User unknown", "bob@example.org", "550", "5.1.1", classify.KindHard},
		{"temporary", "421 4.7.0 Try again later, closing connection.", "", "421", "4.7.0", ""},
		{"status only", "Status: 5.2.2 mailbox full", "", "", "5.2.2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := decode([]byte(tt.in))
			if res.Error != "" || res.Input != inputText || res.Text == nil {
				t.Fatalf("decode(%q) = input %q, error %q; want text", tt.in, res.Input, res.Error)
			}
			if res.Address != tt.address || res.Text.Reply != tt.reply || res.Text.Status != tt.status {
				t.Errorf("decode(%q) = address %q reply %q status %q, want %q %q %q",
					tt.in, res.Address, res.Text.Reply, res.Text.Status, tt.address, tt.reply, tt.status)
			}
			if tt.kind != "" && res.Text.Verdict.Kind != tt.kind {
				t.Errorf("decode(%q) verdict %s, want %s", tt.in, res.Text.Verdict.Kind, tt.kind)
			}
			if res.Line != strings.TrimSpace(tt.in) {
				t.Errorf("decode(%q) line %q, want the input", tt.in, res.Line)
			}
		})
	}
}

func TestDecodeUnusable(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", msgEmpty},
		{"blanks", " \r\n\t\n", msgEmpty},
		{"prose", "Lorem ipsum dolor sit amet.\nNothing here is a bounce.", msgGarbage},
		{"numbers that are no codes", "Call 555-0100 between 9.00 and 17.30, version 5.1.10.2", msgGarbage},
		{"binary", "\x00\x01\x02\xff\xfe garbage \x89PNG\r\n\x1a\n", msgGarbage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res := decode([]byte(tt.in)); res.Error != tt.want {
				t.Errorf("decode(%q) = error %q (input %q), want %q", tt.in, res.Error, res.Input, tt.want)
			}
		})
	}
}

func TestDecodeOrdinaryMail(t *testing.T) {
	in := "From: Ann <ann@example.com>\nTo: bob@example.org\nSubject: lunch\nMessage-ID: <l1@example.com>\n\nSee you at noon.\n"
	res := decode([]byte(in))
	if res.Error != "" || res.Input != inputMail || res.Report == nil {
		t.Fatalf("decode(ordinary mail) = input %q, error %q; want a mail report", res.Input, res.Error)
	}
	if res.Report.Kind != dsn.KindNotBounce || len(res.Verdicts) != 0 {
		t.Errorf("decode(ordinary mail) = kind %s with %d verdicts, want notbounce and none", res.Report.Kind, len(res.Verdicts))
	}
}

func TestDecodeJSON(t *testing.T) {
	var got map[string]json.RawMessage
	if err := json.Unmarshal(decodeJSON(readSample(t)), &got); err != nil {
		t.Fatalf("decodeJSON(sample) is not JSON: %v", err)
	}
	for _, key := range []string{"input", "report", "verdicts", "codes"} {
		if _, ok := got[key]; !ok {
			t.Errorf("decodeJSON(sample) lacks %q", key)
		}
	}
	if _, ok := got["error"]; ok {
		t.Errorf("decodeJSON(sample) has an error: %s", got["error"])
	}
	var bad map[string]string
	if err := json.Unmarshal(decodeJSON([]byte("nothing useful")), &bad); err != nil || bad["error"] != msgGarbage || len(bad) != 1 {
		t.Errorf("decodeJSON(garbage) = %v (%v), want only the error message", bad, err)
	}
}

func TestLooksLikeMail(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"From: a@example.org\n\nhi", true},
		{"\r\n\nReturn-Path: <>\r\n", true},
		{"From MAILER-DAEMON Sun Nov 22 09:00:00 2026\nFrom: x\n", true},
		{"X-Header:value", true},
		{"550 5.1.1 <a@example.org>: rejected", false},
		{"host mx said: 550", false},
		{": no name", false},
		{"From MAILER-DAEMON without a newline", false},
		{"Ünicode: x", false},
	}
	for _, tt := range tests {
		if got := looksLikeMail([]byte(tt.in)); got != tt.want {
			t.Errorf("looksLikeMail(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFirstAddress(t *testing.T) {
	tests := []struct{ in, want string }{
		{"550 5.1.1 <a@example.org>: rejected", "a@example.org"},
		{"to bob@example.org: failed <carol@example.net>", "carol@example.net"},
		{"user x.y+tag@mail.example.co.uk.", "x.y+tag@mail.example.co.uk"},
		{"no address @ here, nor user@localhost", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := firstAddress(tt.in); got != tt.want {
			t.Errorf("firstAddress(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCut(t *testing.T) {
	if got := cut("héllo", 2); got != "h…" {
		t.Errorf(`cut("héllo", 2) = %q, want "h…" (no half rune)`, got)
	}
	if got := cut("abc", 3); got != "abc" {
		t.Errorf(`cut("abc", 3) = %q, want "abc"`, got)
	}
}

// exampleRE reads the built-in examples of the page: an expect field and a template literal.
var exampleRE = regexp.MustCompile("(?s)name: '([^']*)',\\s*expect: '([^']*)'.*?text: `([^`]*)`")

// TestPageExamples decodes each built-in example of the page and checks the verdict of its
// first recipient against the example's expect field.
func TestPageExamples(t *testing.T) {
	js, err := os.ReadFile("../../web/examples.js")
	if err != nil {
		t.Fatal(err)
	}
	found := exampleRE.FindAllStringSubmatch(string(js), -1)
	if len(found) < 5 {
		t.Fatalf("found %d examples in web/examples.js, want at least 5", len(found))
	}
	for _, ex := range found {
		name, want, text := ex[1], classify.Kind(ex[2]), ex[3]
		t.Run(name, func(t *testing.T) {
			res := decode([]byte(text))
			var got classify.Kind
			switch {
			case res.Error != "":
				t.Fatalf("decode: %s", res.Error)
			case res.Text != nil:
				got = res.Text.Verdict.Kind
			case len(res.Verdicts) > 0:
				got = res.Verdicts[0].Kind
			default:
				t.Fatalf("no recipient (kind %s, decoded by %q, problems %v)", res.Report.Kind, res.Report.Format, res.Report.Problems)
			}
			if got != want {
				t.Errorf("verdict %s, want %s", got, want)
			}
		})
	}
}

func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte("550 5.1.1 <a@example.org>: Recipient address rejected"))
	f.Add([]byte("From: a@example.org\nContent-Type: multipart/report; boundary=x\n\n--x\n"))
	f.Add([]byte("Subject: x\n\n"))
	f.Add([]byte{0xff, '@', '<', '>'})
	f.Fuzz(func(t *testing.T, in []byte) {
		out := decodeJSON(in)
		var res map[string]json.RawMessage
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("decodeJSON(%q) is not JSON: %v", in, err)
		}
		if strings.Contains(string(res["error"]), "a bug") {
			t.Fatalf("decodeJSON(%q) recovered a panic: %s", in, res["error"])
		}
	})
}

// BenchmarkDecodeJSON measures the whole call the page makes for a typical bounce: decode,
// classify, look up the codes and write JSON. Under GOOS=js (node_test.go's command with
// -bench) it measures the WebAssembly build.
func BenchmarkDecodeJSON(b *testing.B) {
	sample, err := os.ReadFile("../../web/testdata/postfix-user-unknown.eml")
	if err != nil {
		b.Fatal(err)
	}
	decodeJSON(sample) // the first call builds the classifier's automaton; the page does it while loading
	b.SetBytes(int64(len(sample)))
	for b.Loop() {
		decodeJSON(sample)
	}
}

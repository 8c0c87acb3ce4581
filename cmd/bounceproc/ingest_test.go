package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/suppress"
)

// espSample reads a provider sample from esp/testdata.
func espSample(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "esp", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func storeEvents(t *testing.T, db string) int {
	t.Helper()
	st, err := suppress.Open(context.Background(), db, suppress.Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(context.Background(), suppress.StatsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return s.Events
}

func TestIngest(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "store.db")
	sg := writeFile(t, dir, "sendgrid.json", espSample(t, "sendgrid-events.json"))
	bad := writeFile(t, dir, "bad.json", []byte(`[{"email":"a@example.org","event":"bounce"}]`))
	var stdout, stderr bytes.Buffer
	code := runMain(context.Background(), []string{"ingest", "--provider", "sendgrid", "--db", db, sg, bad}, &stdout, &stderr)
	if code != exitProblems || !strings.Contains(stderr.String(), "bad.json") || !strings.Contains(stderr.String(), "no ID") {
		t.Fatalf("ingest with a bad file: exit %d, stderr %q; want %d naming the file", code, stderr.String(), exitProblems)
	}
	if !strings.Contains(stdout.String(), "7 events: 6 recorded, 0 already recorded, 1 not about delivery; 2 newly suppressed") {
		t.Errorf("ingest output:\n%s", stdout.String())
	}
	stdout.Reset()
	if code := runMain(context.Background(), []string{"ingest", "--provider", "sendgrid", "--db", db, sg}, &stdout, &stderr); code != exitOK {
		t.Fatalf("ingest again: exit %d", code)
	}
	if !strings.Contains(stdout.String(), "0 recorded, 6 already recorded") {
		t.Errorf("ingest again:\n%s", stdout.String())
	}
	if n := storeEvents(t, db); n != 6 {
		t.Errorf("%d events in the store, want 6", n)
	}
	for _, args := range [][]string{{"ingest", sg}, {"ingest", "--provider", "acme", sg}, {"ingest", "--provider", "ses"}} {
		if code := runMain(context.Background(), append(args, "--db", db), io.Discard, io.Discard); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestDecodeEventFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ses.json", espSample(t, "ses-bounce.json"))
	writeFile(t, dir, "other.json", []byte(`{"hello":"world"}`))
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"decode", dir}, &stdout, &stderr); code != exitOK {
		t.Fatalf("decode: exit %d, stderr %q", code, stderr.String())
	}
	var rec decodeRecord
	if err := json.Unmarshal(stdout.Bytes(), &rec); err != nil {
		t.Fatalf("decode output %q: %v", stdout.String(), err)
	}
	if rec.Recipient != "jane.doe@example.org" || rec.Kind != "hard" || rec.DecodedBy != "ses-event" || rec.Status != "5.1.1" {
		t.Errorf("decode of an SES notification: %+v", rec)
	}
	if !strings.Contains(stderr.String(), "skipped 1 file") {
		t.Errorf("JSON of no provider in a directory should be skipped as not mail: %q", stderr.String())
	}
}

// freeAddr returns a loopback address that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeWebhooks starts serve as the command line would, with the Postmark credentials'
// file named in --config and the store in $BOUNCEPROC_DB, and posts a Postmark bounce twice.
func TestServeWebhooks(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "store.db")
	auth := writeFile(t, dir, "postmark.auth", []byte("pm:secret\n"))
	conf := writeFile(t, dir, "serve.conf", []byte("postmark-auth-file = "+auth+"\n"))
	t.Setenv("BOUNCEPROC_DB", db)
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stdout, stderr bytes.Buffer
	go func() {
		done <- runMain(ctx, []string{"serve", "--addr", addr, "--config", conf}, &stdout, &stderr)
	}()
	base := "http://" + addr
	post := func(path, user, pass string, body []byte) int {
		req, _ := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(body))
		if user != "" {
			req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+pass)))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return -1
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	b := espSample(t, "postmark-bounce.json")
	deadline := time.Now().Add(10 * time.Second)
	for post("/webhooks/postmark", "pm", "wrong", b) != http.StatusUnauthorized {
		if time.Now().After(deadline) {
			cancel()
			code := <-done
			t.Fatalf("serve did not answer within 10s: exit %d, %s %s", code, stdout.String(), stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	for i := range 2 {
		if code := post("/webhooks/postmark", "pm", "secret", b); code != http.StatusOK {
			t.Errorf("post %d: %d, want 200", i+1, code)
		}
	}
	for _, path := range []string{"/webhooks/ses", "/webhooks/sendgrid", "/webhooks/mailgun"} {
		if code := post(path, "", "", []byte("{}")); code == http.StatusOK || code == http.StatusUnauthorized {
			t.Errorf("%s answers %d with no secret configured; want it off", path, code)
		}
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("serve: exit %d, stderr %q", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "events at POST /webhooks/postmark") {
		t.Errorf("serve did not say which webhooks are on: %q", stdout.String())
	}
	if n := storeEvents(t, db); n != 1 {
		t.Errorf("%d events, want 1 (the same bounce twice)", n)
	}
}

// TestServeWebhookMetrics: the webhooks' requests show in /metrics by provider and result.
func TestServeWebhookMetrics(t *testing.T) {
	dir := t.TempDir()
	auth := writeFile(t, dir, "pm.auth", []byte("pm:secret\n"))
	db := filepath.Join(dir, "store.db")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stdout, stderr bytes.Buffer
	go func() {
		done <- runMain(ctx, []string{"serve", "--addr", addr, "--db", db, "--postmark-auth-file", auth}, &stdout, &stderr)
	}()
	defer func() { cancel(); <-done }()
	base := "http://" + addr
	post := func(pass string) int {
		req, _ := http.NewRequest(http.MethodPost, base+"/webhooks/postmark", bytes.NewReader(espSample(t, "postmark-bounce.json")))
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("pm:"+pass)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return -1
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	deadline := time.Now().Add(10 * time.Second)
	for post("wrong") != http.StatusUnauthorized {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not answer within 10s: %s %s", stdout.String(), stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	post("secret")
	post("secret")
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`bounceproc_webhook_events_total{provider="postmark",result="recorded"} 1`,
		`bounceproc_webhook_events_total{provider="postmark",result="duplicate"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if !regexp.MustCompile(`bounceproc_webhook_events_total\{provider="postmark",result="bad-signature"\} [1-9]`).Match(body) {
		t.Errorf("/metrics does not count the refused request:\n%s", grepLines(string(body), "webhook"))
	}
}

// grepLines returns the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

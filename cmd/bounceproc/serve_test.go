package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bounceproc/bounceproc/suppress"
	"github.com/bounceproc/bounceproc/web"
)

func TestServeNotBuilt(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := runMain(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--dir", dir}, &stdout, &stderr)
	if code != exitFailure {
		t.Errorf("serve with an empty --dir: exit %d, want %d", code, exitFailure)
	}
	if msg := stderr.String(); !strings.Contains(msg, "make web") || !strings.Contains(msg, dir) {
		t.Errorf("serve with an empty --dir: stderr %q should name the folder and `make web`", msg)
	}
}

func TestServeUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"serve", "extra"}, &stdout, &stderr); code != exitUsage {
		t.Errorf("serve extra: exit %d, want %d; stderr %q", code, exitUsage, stderr.String())
	}
}

func TestServeServesPageAndModule(t *testing.T) {
	dir := t.TempDir()
	wasm := []byte("\x00asm\x01\x00\x00\x00 not a real module, only served")
	for name, data := range map[string][]byte{web.WasmFile: wasm, web.ExecFile: []byte("// glue\n")} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan net.Addr, 1)
	done := make(chan error, 1)
	var stdout, stderr bytes.Buffer
	go func() {
		done <- runServe(ctx, serveOptions{addr: "127.0.0.1:0", dir: dir, ready: func(a net.Addr) { addrs <- a }}, &stdout, &stderr)
	}()
	var base string
	select {
	case a := <-addrs:
		base = "http://" + a.String()
	case err := <-done:
		t.Fatalf("runServe returned early: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("runServe did not start listening within 10s")
	}

	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "Bounce decoder") {
		t.Errorf("GET /: status %d, page without its title", resp.StatusCode)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'none'") {
		t.Errorf("GET /: Content-Security-Policy %q lacks connect-src 'none'", csp)
	}

	resp, err = http.Get(base + "/" + web.WasmFile) // the client asks for gzip and unpacks it
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/wasm" {
		t.Errorf("GET /%s: Content-Type %q, want application/wasm", web.WasmFile, ct)
	}
	if !resp.Uncompressed {
		t.Errorf("GET /%s: not sent gzip-encoded", web.WasmFile)
	}
	if !bytes.Equal(got, wasm) {
		t.Errorf("GET /%s: body %q, want the file %q", web.WasmFile, got, wasm)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("runServe after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runServe did not stop within 10s of cancel")
	}
	if !strings.Contains(stdout.String(), base+"/") {
		t.Errorf("stdout %q does not tell the address %s/", stdout.String(), base)
	}
}

// startServe runs runServe until the test ends and returns its base URL.
func startServe(t *testing.T, opts serveOptions, stderr io.Writer) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan net.Addr, 1)
	done := make(chan error, 1)
	opts.addr = "127.0.0.1:0"
	opts.ready = func(a net.Addr) { addrs <- a }
	go func() { done <- runServe(ctx, opts, io.Discard, stderr) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case a := <-addrs:
		return "http://" + a.String()
	case err := <-done:
		t.Fatalf("runServe returned early: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("runServe did not start listening within 10s")
	}
	return ""
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

// TestServeEmbedded: without --dir, serve takes the module from the binary, so a binary built
// with `make build` needs no source tree.
func TestServeEmbedded(t *testing.T) {
	wasm := "\x00asm\x01\x00\x00\x00 embedded"
	base := startServe(t, serveOptions{builtFS: fstest.MapFS{web.WasmFile: {Data: []byte(wasm)}, web.ExecFile: {Data: []byte("// glue\n")}}}, io.Discard)
	if resp, page := get(t, base+"/"); resp.StatusCode != 200 || !strings.Contains(page, "Bounce decoder") {
		t.Errorf("GET /: status %d", resp.StatusCode)
	}
	if resp, body := get(t, base+"/"+web.WasmFile); resp.StatusCode != 200 || body != wasm {
		t.Errorf("GET /%s: status %d, body %q", web.WasmFile, resp.StatusCode, body)
	}
}

// TestServeWithoutModule: a binary built without the module (go install) still serves, a page
// that says how to build it, and says so on standard error.
func TestServeWithoutModule(t *testing.T) {
	var stderr bytes.Buffer
	base := startServe(t, serveOptions{builtFS: fstest.MapFS{"README.md": {Data: []byte("x")}}}, &stderr)
	resp, page := get(t, base+"/")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, "serve --dir") || !strings.Contains(page, "make build") {
		t.Errorf("GET / without a module: status %d, page:\n%s", resp.StatusCode, page)
	}
	if !strings.Contains(stderr.String(), "holds no "+web.WasmFile) {
		t.Errorf("stderr %q does not say the module is missing", stderr.String())
	}
}

// TestServeAPIAndMetrics: with --db and --api-token-file, serve answers lookups for clients
// with the token, serves /metrics, and still serves the page.
func TestServeAPIAndMetrics(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "store.db")
	s, err := suppress.Open(ctx, db, suppress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Suppress(ctx, suppress.Manual{Address: "gone@example.org", By: "ann", Why: "asked"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordRun(ctx, suppress.RunRecord{Mailbox: "INBOX", Started: time.Unix(1000, 0), Finished: time.Unix(1010, 0), Fetched: 7, OK: true}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("tok-123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := startServe(t, serveOptions{db: db, apiTokenFile: tokenFile,
		builtFS: fstest.MapFS{web.WasmFile: {Data: []byte("\x00asm")}, web.ExecFile: {Data: []byte("//")}}}, io.Discard)

	req, _ := http.NewRequest("GET", base+"/v1/suppressions/Gone@Example.org", nil)
	req.Header.Set("Authorization", "Bearer tok-123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"suppressed":true`) || !strings.Contains(string(body), `"why":"asked"`) {
		t.Errorf("GET /v1/suppressions with the token: status %d, %s", resp.StatusCode, body)
	}
	if resp, body := get(t, base+"/v1/suppressions/gone@example.org"); resp.StatusCode != 401 {
		t.Errorf("GET /v1/suppressions without a token: status %d, %s", resp.StatusCode, body)
	}
	if resp, body := get(t, base+"/metrics"); resp.StatusCode != 200 || !strings.Contains(body, `bounceproc_mails_fetched_total{mailbox="INBOX"} 7`) ||
		!strings.Contains(body, "bounceproc_suppressed_addresses 1") ||
		!strings.Contains(body, "bounceproc_lookup_index_refresh_failing 0") || !strings.Contains(body, "bounceproc_lookup_index_age_seconds ") {
		t.Errorf("GET /metrics: status %d:\n%s", resp.StatusCode, body)
	}
	if resp, page := get(t, base+"/"); resp.StatusCode != 200 || !strings.Contains(page, "Bounce decoder") {
		t.Errorf("GET /: status %d", resp.StatusCode)
	}
}

// TestServeWithoutAPI: without a token file, /v1/ is not served, even with a store.
func TestServeWithoutAPI(t *testing.T) {
	db := filepath.Join(t.TempDir(), "store.db")
	s, err := suppress.Open(context.Background(), db, suppress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	base := startServe(t, serveOptions{db: db, builtFS: fstest.MapFS{web.WasmFile: {Data: []byte("\x00asm")}, web.ExecFile: {Data: []byte("//")}}}, io.Discard)
	if resp, body := get(t, base+"/v1/suppressions/a@example.org"); resp.StatusCode != 404 {
		t.Errorf("GET /v1/ without --api-token-file: status %d, %s; want 404", resp.StatusCode, body)
	}
	if resp, body := get(t, base+"/metrics"); resp.StatusCode != 200 || !strings.Contains(body, "bounceproc_store_up 1") ||
		strings.Contains(body, "bounceproc_lookup_index") {
		t.Errorf("GET /metrics: status %d", resp.StatusCode)
	}
}

// TestServeFlagsFromEnvAndConfig: serve's flags come from BOUNCEPROC_* and --config as run's do.
func TestServeFlagsFromEnvAndConfig(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "serve.conf")
	if err := os.WriteFile(conf, []byte("api-token-file = "+filepath.Join(dir, "token")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(dbEnv, "")
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		msg  string
	}{
		{"token file from the environment, no store", map[string]string{"BOUNCEPROC_API_TOKEN_FILE": "/x"}, nil, exitUsage, "needs --db"},
		{"token file from --config, no store", nil, []string{"--config", conf}, exitUsage, "needs --db"},
		{"store from the environment", map[string]string{dbEnv: filepath.Join(dir, "missing.db")}, nil, exitFailure, "no suppression store at " + filepath.Join(dir, "missing.db")},
		{"unknown config key", nil, []string{"--config", writeConf(t, dir, "color = red\n")}, exitUsage, `unknown setting "color"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var stdout, stderr bytes.Buffer
			code := runMain(context.Background(), append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...), &stdout, &stderr)
			if code != tc.code || !strings.Contains(stderr.String(), tc.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tc.code, tc.msg)
			}
		})
	}
}

func writeConf(t *testing.T, dir, text string) string {
	t.Helper()
	p := filepath.Join(dir, "other.conf")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

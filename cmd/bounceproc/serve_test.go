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

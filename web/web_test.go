package web

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// fakeBuilt is a folder as `make web` leaves it; the module's bytes need not be a valid
// program to test how they are served.
func fakeBuilt() fstest.MapFS {
	return fstest.MapFS{
		WasmFile: {Data: append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("module body "), 500)...)},
		ExecFile: {Data: []byte("'use strict'; globalThis.Go = class {};\n")},
	}
}

func TestHandlerNotBuilt(t *testing.T) {
	for _, missing := range []string{WasmFile, ExecFile} {
		t.Run(missing, func(t *testing.T) {
			built := fakeBuilt()
			delete(built, missing)
			_, err := Handler(built)
			if !errors.Is(err, ErrNotBuilt) {
				t.Fatalf("Handler without %s: error %v, want ErrNotBuilt", missing, err)
			}
			if !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "make web") {
				t.Errorf("Handler without %s: error %q should name the file and `make web`", missing, err)
			}
		})
	}
}

func TestHandlerServes(t *testing.T) {
	built := fakeBuilt()
	h, err := Handler(built)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	tests := []struct {
		path, ctype, csp string
		want             []byte
	}{
		{"/", "text/html; charset=utf-8", PageCSP, mustStatic(t, "index.html")},
		{"/index.html", "text/html; charset=utf-8", PageCSP, mustStatic(t, "index.html")},
		{"/app.js", "text/javascript; charset=utf-8", "", mustStatic(t, "app.js")},
		{"/worker.js", "text/javascript; charset=utf-8", WorkerCSP, mustStatic(t, "worker.js")},
		{"/style.css", "text/css; charset=utf-8", "", mustStatic(t, "style.css")},
		{"/examples.js", "text/javascript; charset=utf-8", "", mustStatic(t, "examples.js")},
		{"/" + WasmFile, "application/wasm", "", built[WasmFile].Data},
		{"/" + ExecFile, "text/javascript; charset=utf-8", "", built[ExecFile].Data},
	}
	for _, tt := range tests {
		for _, gz := range []bool{false, true} {
			req, _ := http.NewRequest("GET", srv.URL+tt.path, nil)
			if gz {
				req.Header.Set("Accept-Encoding", "br, gzip;q=0.8")
			}
			resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gunzip
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("GET %s (gzip %v): status %d", tt.path, gz, resp.StatusCode)
				continue
			}
			if got := resp.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("GET %s: Content-Type %q, want %q", tt.path, got, tt.ctype)
			}
			if got := resp.Header.Get("Content-Security-Policy"); got != tt.csp {
				t.Errorf("GET %s: Content-Security-Policy %q, want %q", tt.path, got, tt.csp)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("GET %s: X-Content-Type-Options %q, want nosniff", tt.path, got)
			}
			if enc := resp.Header.Get("Content-Encoding"); (enc == "gzip") != gz {
				t.Errorf("GET %s (gzip %v): Content-Encoding %q", tt.path, gz, enc)
			}
			if gz {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("GET %s: gzip body: %v", tt.path, err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatalf("GET %s: gzip body: %v", tt.path, err)
				}
			}
			if !bytes.Equal(body, tt.want) {
				t.Errorf("GET %s (gzip %v): body differs from the file (%d bytes, want %d)", tt.path, gz, len(body), len(tt.want))
			}
		}
	}
}

func TestHandlerGzipSmaller(t *testing.T) {
	h, err := Handler(fakeBuilt())
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/"+WasmFile, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if n := rec.Body.Len(); n >= len(fakeBuilt()[WasmFile].Data)/4 {
		t.Errorf("gzip body of a repetitive module is %d bytes, want far less than %d", n, len(fakeBuilt()[WasmFile].Data))
	}
	if got := rec.Header().Get("Vary"); got != "Accept-Encoding" {
		t.Errorf("Vary = %q, want Accept-Encoding", got)
	}
}

func TestHandlerErrorsAndCaching(t *testing.T) {
	h, err := Handler(fakeBuilt())
	if err != nil {
		t.Fatal(err)
	}
	serve := func(method, path string, hdr map[string]string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := serve("GET", "/web.go", nil); rec.Code != 404 {
		t.Errorf("GET /web.go: status %d, want 404 (only the page's files are served)", rec.Code)
	}
	if rec := serve("GET", "/../go.mod", nil); rec.Code != 404 {
		t.Errorf("GET /../go.mod: status %d, want 404", rec.Code)
	}
	if rec := serve("POST", "/", nil); rec.Code != 405 {
		t.Errorf("POST /: status %d, want 405", rec.Code)
	}
	head := serve("HEAD", "/"+WasmFile, nil)
	if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD: status %d, %d body bytes, Content-Length %q; want 200, none, set", head.Code, head.Body.Len(), head.Header().Get("Content-Length"))
	}
	first := serve("GET", "/app.js", nil)
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("GET /app.js: no ETag")
	}
	if rec := serve("GET", "/app.js", map[string]string{"If-None-Match": etag}); rec.Code != 304 {
		t.Errorf("GET /app.js If-None-Match %s: status %d, want 304", etag, rec.Code)
	}
	if rec := serve("GET", "/app.js", map[string]string{"If-None-Match": etag, "Accept-Encoding": "gzip"}); rec.Code != 200 {
		t.Errorf("GET /app.js gzip with the plain ETag: status %d, want 200 (the encodings have different tags)", rec.Code)
	}
	if rec := serve("GET", "/app.js", map[string]string{"Accept-Encoding": "gzip;q=0"}); rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("Accept-Encoding gzip;q=0: got Content-Encoding %q, want none", rec.Header().Get("Content-Encoding"))
	}
}

// TestPageCSPInMeta checks that index.html carries the same policy as the header, for static
// hosts that send none (frame-ancestors is ignored in a meta element, so it is left out there).
func TestPageCSPInMeta(t *testing.T) {
	html := string(mustStatic(t, "index.html"))
	want := strings.TrimSuffix(PageCSP, "; frame-ancestors 'none'")
	if !strings.Contains(html, `http-equiv="Content-Security-Policy" content="`+want+`"`) {
		t.Errorf("index.html has no Content-Security-Policy meta element with %q", want)
	}
}

func mustStatic(t *testing.T, name string) []byte {
	t.Helper()
	b, err := static.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMakeWebCopiesEveryFile checks that the Makefile's web target copies every file the
// page needs, so the static folder it builds works like `bounceproc serve`.
func TestMakeWebCopiesEveryFile(t *testing.T) {
	mk, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Skipf("no Makefile next to the package: %v", err)
	}
	_, target, ok := strings.Cut(string(mk), "\nweb:")
	if !ok {
		t.Fatal("Makefile has no web target")
	}
	if i := strings.Index(target, "\n\n"); i >= 0 {
		target = target[:i]
	}
	for _, name := range StaticFiles {
		if !strings.Contains(target, "web/"+name) {
			t.Errorf("the Makefile's web target does not copy web/%s", name)
		}
	}
	for _, name := range []string{WasmFile, ExecFile} {
		if !strings.Contains(target, "web/built/"+name) {
			t.Errorf("the Makefile's web target does not copy web/built/%s", name)
		}
	}
}

// TestHandlerLargeFileNotDelayed checks that a module too large to compress up front is served
// at once, uncompressed, and gzip-encoded once its compression is done.
func TestHandlerLargeFileNotDelayed(t *testing.T) {
	built := fakeBuilt()
	big := bytes.Repeat([]byte("a large module "), compressInline/10)
	built[WasmFile] = &fstest.MapFile{Data: big}
	h, err := Handler(built)
	if err != nil {
		t.Fatal(err)
	}
	get := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/"+WasmFile, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	first := get()
	switch enc := first.Header().Get("Content-Encoding"); enc {
	case "":
		if !bytes.Equal(first.Body.Bytes(), big) {
			t.Errorf("uncompressed answer differs from the file")
		}
	case "gzip": // compression already finished
	default:
		t.Errorf("Content-Encoding %q", enc)
	}
	deadline := time.Now().Add(30 * time.Second)
	for get().Header().Get("Content-Encoding") != "gzip" {
		if time.Now().After(deadline) {
			t.Fatal("the large file was never served gzip-encoded")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestBuiltEmbedded: the artefacts' folder is embedded; without `make wasm` it holds only its
// README, and Handler says the module is not built.
func TestBuiltEmbedded(t *testing.T) {
	if _, err := fs.Stat(Built(), "README.md"); err != nil {
		t.Fatalf("web/built is not embedded: %v", err)
	}
	_, err := Handler(Built())
	if _, serr := fs.Stat(Built(), WasmFile); serr != nil && !errors.Is(err, ErrNotBuilt) {
		t.Errorf("Handler(Built()) without %s: %v, want ErrNotBuilt", WasmFile, err)
	}
}

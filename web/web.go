// Package web serves the paste-and-decode page: a static page whose decoder is cmd/wasm,
// compiled to WebAssembly and run in a Web Worker, so a pasted bounce never leaves the browser.
//
// The page's own files (HTML, CSS, JS, built-in examples) are embedded in this package. The
// compiled module and Go's wasm_exec.js are build artefacts that are never committed: `make wasm`
// (which `make build` runs first) drops them into web/built, which is embedded too, so a binary
// built that way serves the whole page (Built). A plain `go build` or `go install` embeds only
// the folder's README: Handler then reports ErrNotBuilt, and NotBuiltHandler serves a page that
// says how to build the module. `make web` copies everything into a static folder.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync/atomic"
)

// The artefacts that `make wasm` builds next to the page.
const (
	// WasmFile is the compiled cmd/wasm module.
	WasmFile = "bounceproc.wasm"
	// ExecFile is Go's JavaScript support file from $(go env GOROOT)/lib/wasm, which must come
	// from the same Go release as WasmFile.
	ExecFile = "wasm_exec.js"
)

// StaticFiles lists the page's own files, embedded in this package, in the order `make web`
// copies them.
var StaticFiles = []string{"index.html", "style.css", "app.js", "worker.js", "examples.js"}

//go:embed index.html style.css app.js worker.js examples.js
var static embed.FS

// Static returns the page's own files (StaticFiles), without the built artefacts.
func Static() fs.FS { return static }

//go:embed built
var built embed.FS

// Built returns the artefacts embedded at build time (WasmFile and ExecFile, after `make
// wasm`); without them, Handler(Built()) reports ErrNotBuilt.
func Built() fs.FS {
	sub, _ := fs.Sub(built, "built") // "built" is a valid, embedded directory
	return sub
}

// notBuiltPage is served when the binary holds no module. It needs no script.
const notBuiltPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Bounce decoder · not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}code,pre{background:#eee;padding:.1em .3em}</style>
</head>
<body>
<h1>The bounce decoder's module is not in this binary</h1>
<p>This <code>bounceproc</code> was built without the page's WebAssembly module
(a plain <code>go build</code> or <code>go install</code> does not build it).</p>
<p>From a source checkout, <code>make build</code> builds the module first and embeds it:
<code>bin/bounceproc serve</code> then serves the whole page.</p>
<p>With a binary from <code>go install</code>, build the module into a folder and serve it from there:</p>
<pre>mkdir -p ~/bounceproc-web
GOOS=js GOARCH=wasm go build -o ~/bounceproc-web/bounceproc.wasm github.com/bounceproc/bounceproc/cmd/wasm@latest
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" ~/bounceproc-web/
bounceproc serve --dir ~/bounceproc-web</pre>
<p>The command line decodes without it: <code>bounceproc decode FILE</code>, <code>bounceproc explain "550 5.1.1 ..."</code>.</p>
</body>
</html>
`

// NotBuiltHandler serves, at every path, a page that says the module is missing and how to
// build it, with status 503.
func NotBuiltHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusServiceUnavailable)
		if r.Method != http.MethodHead {
			io.WriteString(w, notBuiltPage)
		}
	})
}

// ErrNotBuilt reports that the folder given to Handler lacks the compiled module or its JS glue.
var ErrNotBuilt = errors.New("the WebAssembly module is not built: run `make web` (or `make wasm`) first")

// PageCSP is the Content-Security-Policy of the page. After the page has loaded, it may make no
// network request at all (connect-src 'none'); 'wasm-unsafe-eval' lets the worker compile the
// module. index.html repeats it in a meta element for static hosts that send no headers
// (frame-ancestors works only as a header).
const PageCSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
	"style-src 'self'; img-src data:; connect-src 'none'; base-uri 'none'; " +
	"form-action 'none'; frame-ancestors 'none'"

// WorkerCSP is the policy of worker.js. A worker served from its own URL gets the policy sent
// with it, not the page's; it needs one request, for the module, on the page's own origin.
const WorkerCSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'"

// file is one served file, kept in memory with its gzip form.
type file struct {
	name  string
	ctype string
	data  []byte
	etag  string
	// gz is the gzip form, nil until it is ready.
	gz atomic.Pointer[[]byte]
}

// compressInline is the size up to which a file is compressed before Handler returns; larger
// ones (the module) are compressed in the background and served uncompressed until then, so
// that no request waits for gzip.
const compressInline = 1 << 20

// Handler returns a handler that serves the page at "/" with its embedded files, and WasmFile
// and ExecFile read from built (typically os.DirFS of the folder `make web` writes). The two
// artefacts are read once, now; it returns an error wrapping ErrNotBuilt when either is missing.
func Handler(built fs.FS) (http.Handler, error) {
	files := make(map[string]*file)
	for _, name := range StaticFiles {
		data, err := fs.ReadFile(static, name)
		if err != nil {
			return nil, fmt.Errorf("web: reading embedded %s: %w", name, err)
		}
		files[name] = newFile(name, data)
	}
	for _, name := range []string{WasmFile, ExecFile} {
		data, err := fs.ReadFile(built, name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("web: %s missing: %w", name, ErrNotBuilt)
		}
		if err != nil {
			return nil, fmt.Errorf("web: reading %s: %w", name, err)
		}
		files[name] = newFile(name, data)
	}
	return &handler{files: files}, nil
}

func newFile(name string, data []byte) *file {
	sum := sha256.Sum256(data)
	f := &file{name: name, ctype: contentType(name), data: data, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	if len(data) <= compressInline {
		f.compress()
	} else {
		// gzip -9 of a 6 MB module takes about half a second (many more under the race
		// detector): never on the request path.
		go f.compress()
	}
	return f
}

// contentType returns the MIME type of a served file; browsers compile a module with
// WebAssembly.instantiateStreaming only when it comes as application/wasm.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".wasm":
		return "application/wasm"
	}
	return "application/octet-stream"
}

type handler struct {
	files map[string]*file
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == "" {
		name = "index.html"
	}
	f, ok := h.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", f.ctype)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("Vary", "Accept-Encoding")
	switch name {
	case "index.html":
		hdr.Set("Content-Security-Policy", PageCSP)
	case "worker.js":
		hdr.Set("Content-Security-Policy", WorkerCSP)
	}
	body, etag := f.data, f.etag
	if gz := f.gz.Load(); gz != nil && acceptsGzip(r) {
		body, etag = *gz, strings.TrimSuffix(f.etag, `"`)+`-gz"`
		hdr.Set("Content-Encoding", "gzip")
	}
	hdr.Set("ETag", etag)
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hdr.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// compress makes the file's gzip form at the best level; the module shrinks to about a third.
func (f *file) compress() {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	zw.Write(f.data)                                         // writes to a bytes.Buffer do not fail
	zw.Close()
	gz := buf.Bytes()
	f.gz.Store(&gz)
}

// acceptsGzip reports whether the request accepts gzip, ignoring quality values except q=0.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

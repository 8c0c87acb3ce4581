package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The built module is shared by the tests of this package: building it costs ~10 s warm and
// ~35 s with a cold cache (the standard library for js/wasm).
var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// builtModule builds cmd/wasm as `make wasm` does (GOOS=js GOARCH=wasm, -trimpath, -s -w) into
// a temporary folder with wasm_exec.js from the same Go, and returns the folder.
func builtModule(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		goBin := "go"
		if p, err := exec.LookPath("go"); err == nil {
			goBin = p
		}
		dir, err := os.MkdirTemp("", "bounceproc-web-")
		if err != nil {
			buildErr = err
			return
		}
		buildDir = dir
		cmd := exec.Command(goBin, "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, WasmFile), "../cmd/wasm")
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0", "GOFLAGS=") // no -race from GOFLAGS: js/wasm has none
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("GOOS=js GOARCH=wasm go build ../cmd/wasm: %v\n%s", err, out)
			return
		}
		out, err := exec.Command(goBin, "env", "GOROOT").Output()
		if err != nil {
			buildErr = fmt.Errorf("go env GOROOT: %v", err)
			return
		}
		glue, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "lib", "wasm", ExecFile))
		if err != nil {
			buildErr = err
			return
		}
		buildErr = os.WriteFile(filepath.Join(dir, ExecFile), glue, 0o644)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildDir
}

// wasmBudgetGzip is the most the module may weigh gzipped (-9), as the page downloads it.
// Measured 2026-11-22 between 1.61 and 1.78 MB while decoders were being added: the Go runtime
// with fmt, encoding/json and mime is ~0.94 MB, dsn's charsets (x/text htmlindex with the CJK
// tables) ~0.42 MB, net/mail ~0.08 MB, and dsn's and classify's own code and texts the rest.
// The budget leaves room to grow and fails when a heavy import slips in (enmime alone is
// 2.4 MB).
const wasmBudgetGzip = 2_200_000

// TestWasmSizeBudget builds the module and checks its gzip size against the budget.
func TestWasmSizeBudget(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(builtModule(t), WasmFile))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(raw)
	zw.Close()
	t.Logf("bounceproc.wasm: %d bytes raw, %d bytes gzip -9", len(raw), buf.Len())
	if buf.Len() > wasmBudgetGzip {
		t.Errorf("bounceproc.wasm is %d bytes gzipped, over the budget of %d: check what cmd/wasm imports (go list -deps)", buf.Len(), wasmBudgetGzip)
	}
}

// TestWasmImportsOnlyDecoder checks the arrow of STYLE.md: cmd/wasm reaches only dsn and
// classify of this module, and no IMAP, SQLite or full MIME library.
func TestWasmImportsOnlyDecoder(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "../cmd/wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0", "GOFLAGS=") // no -race from GOFLAGS: js/wasm has none
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ../cmd/wasm: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		switch {
		case strings.HasPrefix(pkg, "github.com/bounceproc/bounceproc/"):
			if pkg != "github.com/bounceproc/bounceproc/dsn" && pkg != "github.com/bounceproc/bounceproc/classify" &&
				pkg != "github.com/bounceproc/bounceproc/cmd/wasm" {
				t.Errorf("cmd/wasm depends on %s; it may reach only dsn and classify", pkg)
			}
		case strings.Contains(pkg, "enmime"), strings.Contains(pkg, "sqlite"), strings.Contains(pkg, "go-imap"),
			strings.HasPrefix(pkg, "net/http"):
			t.Errorf("cmd/wasm depends on %s, which does not belong in the page's module", pkg)
		}
	}
}

//go:build !(js && wasm)

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnderNode runs this package's tests again as WebAssembly under Node, as the page runs
// them: GOOS=js GOARCH=wasm go test -exec=$(go env GOROOT)/lib/wasm/go_js_wasm_exec. That
// covers the syscall/js binding (js_test.go), which cannot run natively.
func TestUnderNode(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not building the package for js/wasm")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed (apt-get install nodejs): the js/wasm build of this package is not run")
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	execPath := filepath.Join(strings.TrimSpace(string(out)), "lib", "wasm", "go_js_wasm_exec")
	cmd := exec.CommandContext(t.Context(), "go", "test", "-count=1", "-timeout=3m", "-exec="+execPath, "-run=^TestJS|^TestDecode", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0", "GOFLAGS=") // no -race from GOFLAGS: js/wasm has none
	res, err := cmd.CombinedOutput()
	t.Logf("GOOS=js GOARCH=wasm go test:\n%s", res)
	if err != nil {
		t.Fatalf("the js/wasm tests failed: %v", err)
	}
	if !strings.Contains(string(res), "ok ") {
		t.Errorf("the js/wasm run printed no ok line")
	}
}

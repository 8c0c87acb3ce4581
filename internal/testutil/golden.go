// Package testutil holds helpers for the project's tests only: golden files, sample mails,
// the shared corpus, and a private Dovecot.
package testutil

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files instead of comparing with them")

// Updating reports whether the test run was asked to rewrite golden files (-update).
func Updating() bool { return *update }

// Golden compares got with the golden file at path, or rewrites the file under -update.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("write golden %s: %v", path, err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden %s: %v (run 'make golden' to create it)", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file (run 'make golden' and read the diff):\n%s", path, lineDiff(string(want), string(got)))
	}
}

// lineDiff shows the first lines where want and got differ.
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(wl), len(gl)) && shown < 12; i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			b.WriteString("  line " + itoa(i+1) + "\n    want: " + w + "\n    got:  " + g + "\n")
			shown++
		}
	}
	return b.String()
}

func itoa(i int) string {
	var buf [20]byte
	n := len(buf)
	for i >= 10 {
		n--
		buf[n] = byte('0' + i%10)
		i /= 10
	}
	n--
	buf[n] = byte('0' + i)
	return string(buf[n:])
}

// Root returns the repository root, found from this file's location.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Samples returns the paths of the sample mails (*.eml) under testdata/eml, sorted.
func Samples(t testing.TB) []string {
	t.Helper()
	var out []string
	root := filepath.Join(Root(), "testdata", "eml")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".eml") {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk samples: %v", err)
	}
	return out
}

// Corpus returns the shared corpus directory named by BOUNCE_CORPUS, or skips the test when
// it is not set or not there.
func Corpus(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("BOUNCE_CORPUS")
	if dir == "" {
		t.Skip("BOUNCE_CORPUS is not set; the shared corpus is not available")
	}
	if _, err := os.Stat(filepath.Join(dir, "expected.tsv")); err != nil {
		t.Skipf("BOUNCE_CORPUS=%s has no expected.tsv: %v", dir, err)
	}
	return dir
}

// SwapLineEndings returns b with LF line endings turned into CRLF, or CRLF into LF when b
// already uses CRLF, so that every sample is also tested with the other convention.
func SwapLineEndings(b []byte) []byte {
	if bytes.Contains(b, []byte("\r\n")) {
		return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	}
	return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
}

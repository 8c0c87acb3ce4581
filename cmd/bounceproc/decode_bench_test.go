package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/bounceproc/bounceproc/internal/testutil"
)

// BenchmarkDecodeDir runs `bounceproc decode --format jsonl` over a directory of about 10,000
// bounces (the corpus from BOUNCE_CORPUS, or the project's samples, copied as often as needed)
// and reports mails per second with all cores.
func BenchmarkDecodeDir(b *testing.B) {
	var srcs []string
	if dir := os.Getenv("BOUNCE_CORPUS"); dir != "" {
		srcs, _ = filepath.Glob(filepath.Join(dir, "*.eml"))
	}
	if len(srcs) == 0 {
		srcs = testutil.Samples(b)
	}
	dir := b.TempDir()
	n := 0
	for copyNo := 0; n < 10000; copyNo++ {
		sub := filepath.Join(dir, fmt.Sprint(copyNo))
		if err := os.Mkdir(sub, 0o755); err != nil {
			b.Fatal(err)
		}
		for _, src := range srcs {
			data, err := os.ReadFile(src)
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(sub, filepath.Base(src)), data, 0o644); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	opts := decodeOptions{format: "jsonl", workers: runtime.GOMAXPROCS(0), paths: []string{dir}}
	b.ResetTimer()
	for b.Loop() {
		err := runDecode(context.Background(), opts, io.Discard, io.Discard)
		if err != nil && !errors.Is(err, errProblems) {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "mails/s")
}

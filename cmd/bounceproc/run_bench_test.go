package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/imapfetch"
)

// benchRunEnv is a Dovecot holding n distinct bounces, indexed before timing starts.
func benchRunEnv(b *testing.B, n int) *runEnv {
	env := dovecotRunEnv(b)
	env.seed(b, manyBounces(b, n)...)
	c, err := imapfetch.Dial(context.Background(), env.cfg)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Select(context.Background(), "INBOX"); err != nil {
		b.Fatal(err)
	}
	c.Close()
	return env
}

// BenchmarkRun10k runs over 10,000 bounces in Dovecot into a fresh store each time, flagging
// them (so that the next iteration finds them again). Compare with imapfetch's
// BenchmarkBareFetch10k, a bare go-imap fetch of the same mails.
func BenchmarkRun10k(b *testing.B) {
	env := benchRunEnv(b, 10000)
	dir := b.TempDir()
	i := 0
	var peak uint64
	for b.Loop() {
		i++
		o := runOpts(env, filepath.Join(dir, fmt.Sprintf("run%d.db", i)))
		o.imap.BatchSize = 100
		o.mark = imapfetch.Mark{Action: imapfetch.MarkFlag}
		stop := watchHeap(&peak)
		sum, _ := doRun(b, o)
		stop()
		if sum.Fetched != 10000 || sum.Hard != 10000 {
			b.Fatalf("run: %+v, want 10000 hard bounces", sum)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/10000, "µs/mail")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// BenchmarkRerun10kNothingNew reruns on a mailbox whose 10,000 bounces were all processed
// (flagged, so they stay in the mailbox): the run must find nothing to do.
func BenchmarkRerun10kNothingNew(b *testing.B) {
	env := benchRunEnv(b, 10000)
	o := runOpts(env, filepath.Join(b.TempDir(), "store.db"))
	o.imap.BatchSize = 100
	o.mark = imapfetch.Mark{Action: imapfetch.MarkFlag}
	if sum, _ := doRun(b, o); sum.Fetched != 10000 {
		b.Fatalf("first run fetched %d, want 10000", sum.Fetched)
	}
	b.ResetTimer()
	for b.Loop() {
		if sum, _ := doRun(b, o); sum.Fetched != 0 {
			b.Fatalf("rerun fetched %d, want 0", sum.Fetched)
		}
	}
}

// watchHeap samples the live heap every 20 ms into peak until stop is called.
func watchHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			*peak = max(*peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

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

// bigBounce returns a Postfix-style bounce of about size bytes: a delivery-status part and the
// returned message, which carries a large base64 attachment, as a bounce of a mail with an
// attached file does.
func bigBounce(size int, n int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `Return-Path: <>
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: sender@example.com
Subject: Undelivered Mail Returned to Sender
Message-Id: <bounce-%d@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<user%d@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 <user%d@example.org>:
    Recipient address rejected: User unknown in virtual mailbox table

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; user%d@example.org
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.1.1 <user%d@example.org>: Recipient address rejected: User unknown

--B1
Content-Type: message/rfc822

From: sender@example.com
To: user%d@example.org
Subject: the quarterly report
Message-Id: <original-%d@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="B2"

--B2
Content-Type: text/plain

Please find the report attached.

--B2
Content-Type: application/pdf; name="report.pdf"
Content-Transfer-Encoding: base64

`, n, n, n, n, n, n, n)
	line := strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2", 2)[:76] + "\n"
	for b.Len() < size {
		b.WriteString(line)
	}
	b.WriteString("\n--B2--\n\n--B1--\n")
	return []byte(b.String())
}

// BenchmarkDecodeLargeMails decodes a directory of 7 MB bounces with GOMAXPROCS 1, 2 and 8 (and
// as many workers, decode's default) and reports the peak heap during each decode: what is in
// flight is bounded by bytes, so the peak must not grow with the number of cores.
func BenchmarkDecodeLargeMails(b *testing.B) {
	const files, size = 64, 7 << 20
	dir := b.TempDir()
	for i := range files {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d.eml", i)), bigBounce(size, i), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for _, procs := range []int{1, 2, 8} {
		b.Run(fmt.Sprintf("procs=%d", procs), func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			opts := decodeOptions{format: "jsonl", workers: procs, paths: []string{dir}}
			var peak uint64
			for b.Loop() {
				b.StopTimer()
				runtime.GC()
				stop := sampleHeap(&peak)
				b.StartTimer()
				err := runDecode(context.Background(), opts, io.Discard, io.Discard)
				b.StopTimer()
				stop()
				b.StartTimer()
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(files*size)*float64(b.N)/b.Elapsed().Seconds()/(1<<20), "MiB/s")
		})
	}
}

// sampleHeap records the largest heap (live and not yet collected objects) seen every
// millisecond into peak, until the returned function is called.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() {
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > *peak {
			*peak = v
		}
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			read()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		read()
	}
}

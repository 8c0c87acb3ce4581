package suppress

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
)

// BenchmarkRecordMails records batches of 100 mails with 2 events each (hard, soft or blocked
// in turn, a third of the addresses seen before) in one transaction per batch, as run does,
// and reports events per second of wall time and of CPU time (which a busy machine skews
// less), both counted around RecordMails only.
func BenchmarkRecordMails(b *testing.B) {
	ctx := context.Background()
	s := openTest(b, Options{})
	kinds := []classify.Kind{classify.KindHard, classify.KindSoft, classify.KindBlocked}
	const mailsPerBatch, eventsPerMail = 100, 2
	uid := 0
	batch := make([]MailEvents, mailsPerBatch)
	var wall, cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		for i := range batch {
			uid++
			evs := make([]Event, eventsPerMail)
			for j := range evs {
				n := uid*eventsPerMail + j
				if n%3 == 0 {
					n /= 3 // seen before
				}
				evs[j] = Event{
					Address: fmt.Sprintf("user%d@domain%d.example", n, n%50), Kind: kinds[n%3],
					Reason: classify.ReasonMailboxFull, Status: "4.2.2", Reply: "452",
					Diagnostic: "452 4.2.2 Mailbox full", OccurredAt: t0.Add(time.Duration(uid) * time.Minute),
				}
			}
			batch[i] = MailEvents{Mail: Mail{
				MailID:    MailID{Mailbox: "INBOX", UIDValidity: 1, UID: uint32(uid)},
				MessageID: fmt.Sprintf("<%d@x>", uid), Hash: HashRaw(fmt.Appendf(nil, "%d", uid)), Checkpoint: true,
			}, Events: evs}
		}
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		if _, err := s.RecordMails(ctx, batch); err != nil {
			b.Fatal(err)
		}
		wall += time.Since(start)
		cpu += cpuTime() - cpu0
	}
	events := float64(uid * eventsPerMail)
	b.ReportMetric(events/wall.Seconds(), "events/s")
	b.ReportMetric(events/cpu.Seconds(), "events/cpu-s")
}

// benchSeed is a store with a million suppressed addresses, made once per test binary.
var benchSeed struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func cleanupBench() {
	if benchSeed.dir != "" {
		os.RemoveAll(benchSeed.dir)
	}
}

const seedRows = 1_000_000

func seededStore(b *testing.B) string {
	benchSeed.once.Do(func() {
		ctx := context.Background()
		benchSeed.dir, benchSeed.err = os.MkdirTemp("", "suppress-bench-")
		if benchSeed.err != nil {
			return
		}
		benchSeed.path = filepath.Join(benchSeed.dir, "million.db")
		s, err := Open(ctx, benchSeed.path, Options{})
		if err != nil {
			benchSeed.err = err
			return
		}
		defer s.Close()
		_, benchSeed.err = s.db.ExecContext(ctx, fmt.Sprintf(`
			WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d)
			INSERT INTO entries (address, domain, kind, reason, status, reply_code, last_diagnostic, first_seen, last_seen,
				bounce_count, suppressed, suppressed_kind, suppressed_since, source, cause_event_id)
			SELECT printf('user%%07d@domain%%d.example', i, i %% 1000), printf('domain%%d.example', i %% 1000),
				'hard', 'userunknown', '5.1.1', '550',
				printf('550 5.1.1 <user%%07d@domain%%d.example>: Recipient address rejected: "User unknown", in local recipient table', i, i %% 1000),
				1767225600000 + i * 1000, 1767225600000 + i * 2000, 1 + i %% 5, 1, 'hard', 1767225600000 + i * 1000, 'policy', i
			FROM c`, seedRows))
	})
	if benchSeed.err != nil {
		b.Fatalf("seeding %d rows: %v", seedRows, benchSeed.err)
	}
	return benchSeed.path
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkExportCSVMillion exports a million suppressions as CSV and reports the time per
// export, the bytes written and the peak live heap seen during the export (sampled every 10
// ms), which stays flat because rows are streamed.
func BenchmarkExportCSVMillion(b *testing.B) {
	path := seededStore(b)
	s := openAtPath(b, path, Options{})
	ctx := context.Background()
	runtime.GC()
	base := heapBytes()
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if h := heapBytes(); h > peak {
					peak = h
				}
			}
		}
	}()
	var w countingWriter
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		w.n = 0
		n, err := Export(ctx, s, &w, FormatCSV, Filter{SuppressedOnly: true})
		if err != nil || n != seedRows {
			b.Fatalf("Export = %d rows, %v; want %d", n, err, seedRows)
		}
	}
	b.StopTimer()
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	close(stop)
	<-done
	b.ReportMetric(float64(w.n)/1e6, "MB-written")
	b.ReportMetric(float64(base)/(1<<20), "MiB-heap-before")
	b.ReportMetric(float64(peak)/(1<<20), "MiB-peak-heap")
}

var _ io.Writer = (*countingWriter)(nil)

// heapBytes returns the bytes in live and not yet swept heap objects.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// cpuTime returns the user and system CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

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
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/internal/testutil"
	"github.com/bounceproc/bounceproc/internal/testutil/pgtest"
)

// BenchmarkRecordMails records batches of 100 mails with 2 events each (hard, soft or blocked
// in turn, a third of the addresses seen before) in one transaction per batch, as run does,
// and reports events per second of wall time and of CPU time (which a busy machine skews
// less), both counted around RecordMails only.
func BenchmarkRecordMails(b *testing.B) { onEngines(b, benchRecordMails) }

func benchRecordMails(b *testing.B) {
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
		start, cpu0 := time.Now(), testutil.SelfCPU()
		if _, err := s.RecordMails(ctx, batch); err != nil {
			b.Fatal(err)
		}
		wall += time.Since(start)
		cpu += testutil.SelfCPU() - cpu0
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
	cpu0 := testutil.SelfCPU()
	for b.Loop() {
		w.n = 0
		n, err := Export(ctx, s, &w, FormatCSV, Filter{SuppressedOnly: true})
		if err != nil || n != seedRows {
			b.Fatalf("Export = %d rows, %v; want %d", n, err, seedRows)
		}
	}
	b.StopTimer()
	b.ReportMetric((testutil.SelfCPU()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
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

// BenchmarkRecordRunBatch mirrors what `bounceproc run` asks of the store: batches of 250
// mails with one hard bounce each for a new address (so each suppresses it), with a
// realistic diagnostic of about 150 bytes, into a fresh store every 10,000 mails. With
// mark=later, as a run that moves or flags them: each batch is recorded in one transaction,
// then marked done in a second one; it reports the CPU and wall time per mail of both, and
// of RecordMails alone. With mark=none, as a run that leaves them in place: each batch is
// recorded and marked done in one transaction (RecordMailsMarkDone). On PostgreSQL it also
// reports the server's CPU per mail and the total of both. The tests' server runs without
// fsync (see pgtest), SQLite with synchronous=FULL; for a server as durable,
// PGTEST_OPTS="-c fsync=on -c synchronous_commit=on -c full_page_writes=on".
func BenchmarkRecordRunBatch(b *testing.B) { onEngines(b, benchRecordRunBatch) }

func benchRecordRunBatch(b *testing.B) {
	for _, mode := range []string{"later", "none"} {
		b.Run("mark="+mode, func(b *testing.B) {
			ctx := context.Background()
			dir := b.TempDir()
			const mailsPerBatch, mailsPerStore = 250, 10000
			var s *SQLite
			uid := 0
			batch := make([]MailEvents, mailsPerBatch)
			ids := make([]MailID, mailsPerBatch)
			var wall, cpu, recCPU, srvCPU time.Duration
			for b.Loop() {
				b.StopTimer()
				if uid%mailsPerStore == 0 {
					if s != nil {
						s.Close()
					}
					s = openAtPath(b, filepath.Join(dir, fmt.Sprintf("run%d.db", uid/mailsPerStore)), Options{})
				}
				uid = runBatch(batch, ids, uid)
				srv0, _ := pgtest.ServerCPU()
				b.StartTimer()
				start, cpu0 := time.Now(), testutil.SelfCPU()
				var res []Result
				var err error
				if mode == "none" {
					res, err = s.RecordMailsMarkDone(ctx, batch, ids)
				} else {
					res, err = s.RecordMails(ctx, batch)
				}
				if err != nil {
					b.Fatal(err)
				}
				recCPU += testutil.SelfCPU() - cpu0
				if mode == "later" {
					if err := s.MarkDoneMany(ctx, ids); err != nil {
						b.Fatal(err)
					}
				}
				wall += time.Since(start)
				cpu += testutil.SelfCPU() - cpu0
				b.StopTimer()
				if srv1, ok := pgtest.ServerCPU(); ok && onPostgres() {
					srvCPU += srv1 - srv0
				}
				b.StartTimer()
				if len(res[len(res)-1].Suppressed) != 1 {
					b.Fatalf("last mail of the batch: %+v, want one suppression", res[len(res)-1])
				}
			}
			mails := float64(uid)
			b.ReportMetric(float64(cpu.Microseconds())/mails, "cpu-µs/mail")
			b.ReportMetric(float64(wall.Microseconds())/mails, "wall-µs/mail")
			if onPostgres() {
				// The server's CPU (its processes, read from /proc at 10 ms resolution): with
				// the client's, what a mail costs the machine, against SQLite's in-process cost.
				b.ReportMetric(float64(srvCPU.Microseconds())/mails, "server-cpu-µs/mail")
				b.ReportMetric(float64((cpu+srvCPU).Microseconds())/mails, "total-cpu-µs/mail")
			}
			if mode == "later" {
				b.ReportMetric(float64(recCPU.Microseconds())/mails, "record-cpu-µs/mail")
			}
		})
	}
}

// onEngines runs a benchmark on SQLite and on PostgreSQL (engine=sqlite, engine=postgres),
// the same batches on both, so that their costs per mail compare in one run. The PostgreSQL
// one is skipped when PostgreSQL is not installed (see pgtest).
func onEngines(b *testing.B, bench func(b *testing.B)) {
	if onPostgres() {
		bench(b)
		return
	}
	b.Run("engine=sqlite", bench)
	b.Run("engine=postgres", func(b *testing.B) {
		pgBench = true
		defer func() { pgBench = false }()
		bench(b)
	})
}

// runBatch fills batch and ids with the mails after uid as a run would record them: one hard
// bounce each for a new address (in no particular order), with a diagnostic of about 150
// bytes. It returns the last UID used.
func runBatch(batch []MailEvents, ids []MailID, uid int) int {
	first := []string{"anna", "ben", "carla", "dmitri", "emma", "farid", "grace", "hugo", "ines", "jonas", "kai"}
	last := []string{"smith", "muller", "rossi", "garcia", "nowak", "silva", "jensen", "kim", "dubois", "costa"}
	for i := range batch {
		uid++
		h := uint32(uid) * 2654435761 // scatter the addresses over the key space
		addr := fmt.Sprintf("%s.%s%d@mail%d.example.com", first[h%11], last[h/11%10], h, uid%997)
		id := MailID{Mailbox: "INBOX", UIDValidity: 1700000000, UID: uint32(uid)}
		ids[i] = id
		batch[i] = MailEvents{Mail: Mail{
			MailID:    id,
			MessageID: fmt.Sprintf("<20260301120000.%d.bounce@mx.sender.example.net>", uid),
			Hash:      HashRaw(fmt.Appendf(nil, "raw mail %d", uid)), Checkpoint: true,
		}, Events: []Event{{
			Address: addr, OriginalAddress: addr,
			Kind: classify.KindHard, Reason: classify.ReasonUserUnknown, Status: "5.1.1", Reply: "550",
			Diagnostic: fmt.Sprintf("smtp; 550 5.1.1 <%s>: Recipient address rejected: "+
				"User unknown in virtual mailbox table (in reply to RCPT TO command)", addr),
			RemoteMTA: fmt.Sprintf("dns; mx%d.mail%d.example.com", uid%3, uid%997),
			Hard:      true, Suppress: true, OccurredAt: t0.Add(time.Duration(uid) * time.Second),
		}}}
	}
	return uid
}

package fault

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/internal/testutil"
	"github.com/bounceproc/bounceproc/internal/testutil/pgtest"
)

// benchLatency is added to each direction between the workers and Dovecot: a 20 ms round trip,
// as to a server that is not on the same machine.
const benchLatency = 10 * time.Millisecond

// BenchmarkWorkers runs `bounceproc run` over 4 mailboxes of $BENCH_WORKERS_MAILS mails each
// (10,000 by default, 1,000 with -short) behind a proxy that adds a 20 ms round trip: first one
// worker, then 4 workers sharing one store (only when run has --lease, i.e. leases mailboxes
// one by one). Each iteration starts on a fresh store and flags the mails with a keyword of its
// own, so the mails stay and every iteration does the whole work. It reports mails/s for each
// and their ratio (the target: 4 workers ≥ 3× one); ns/op is both runs together.
//
// Measured on the project's 2-core machine shared with other jobs (load average about 5), 4 ×
// 10,000 mails: one worker 3,477 mails/s behind the proxy. The same run took 12.9 s on loopback
// and 11.0 s behind the proxy, within the noise: the run overlaps its round trips with
// decoding and is bound by CPU here, not by the latency. Four processes each on one mailbox with a store of its own, the most that
// 4 workers could reach, took 8.2 s against 11.0 s (1.34×): the 3× target needs more cores than
// 2, or a server much further away.
func BenchmarkWorkers(b *testing.B) {
	def := 10000
	if testing.Short() {
		def = 1000
	}
	perBox := envInt(b, "BENCH_WORKERS_MAILS", def)
	set := buildMails(b, 4, perBox)
	s := startServer(b, set)
	proxy := testutil.StartLatencyProxy(b, s.d.Addr, benchLatency)
	s.addr = proxy.Addr()
	leases := hasMailboxLeases(b)
	if !leases {
		b.Log("bounceproc run has no --lease: only one worker is measured")
	}
	logDir := b.TempDir()
	i := 0
	for _, kind := range stores {
		b.Run("store="+kind.name, func(b *testing.B) { benchWorkers(b, s, set, kind, leases, logDir, &i) })
	}
}

// benchWorkers is BenchmarkWorkers on one kind of store; i numbers the runs over all kinds (each
// flags the mails with a keyword of its own).
func benchWorkers(b *testing.B, s *server, set mailSet, kind storeKind, leases bool, logDir string, i *int) {
	// run runs workers processes to their end on a fresh store and returns how long they took,
	// the CPU they, Dovecot and the proxy (this process) used meanwhile, and what they recorded.
	run := func(workers int) (time.Duration, time.Duration, string) {
		*i++
		s.writeConfig(b, set.names, []string{"flag = true", fmt.Sprintf("keyword = $Bench%d", *i)})
		db := kind.open(b)
		args := []string{"run", "--config", s.config, "--db", db}
		if workers > 1 {
			args = append(args, "--lease", leaseTTL.String())
		}
		dove0, _ := s.d.CPU()
		pg0, _ := pgtest.ServerCPU()
		self0 := testutil.SelfCPU()
		start := time.Now()
		var ps []*proc
		for w := range workers {
			ps = append(ps, s.start(b, logDir, fmt.Sprintf("bench%d-%d", *i, w+1), args...))
		}
		for _, p := range ps {
			if err := p.wait(10 * time.Minute); err != nil {
				b.Fatalf("%v\n%s", err, logTail(p.log, 30))
			}
		}
		took := time.Since(start)
		dove1, _ := s.d.CPU()
		cpu := dove1 - dove0 + testutil.SelfCPU() - self0
		if kind.name == "postgres" {
			pg1, _ := pgtest.ServerCPU()
			cpu += pg1 - pg0
		}
		for _, p := range ps {
			cpu += p.cmd.ProcessState.UserTime() + p.cmd.ProcessState.SystemTime()
		}
		return took, cpu, s.runOnce(b, context.Background(), []int{0}, "stats", "--db", db, "--format", "json", "--top", "1")
	}
	var one, four, cpu1, cpu4 time.Duration
	for b.Loop() {
		d, c, stats1 := run(1)
		one += d
		cpu1 += c
		if events(b, stats1) == 0 {
			b.Fatalf("one worker recorded no events: %s", stats1)
		}
		if leases {
			d, c, stats4 := run(4)
			four += d
			cpu4 += c
			if stats4 != stats1 {
				b.Fatalf("4 workers recorded other counts than one:\n%s\nagainst\n%s", stats4, stats1)
			}
		}
	}
	n := float64(set.total() * b.N)
	b.ReportMetric(n/one.Seconds(), "mails/s-1-worker")
	// The cores the run kept busy (workers, Dovecot, the proxy): with one worker near the
	// machine's count, more workers cannot go much faster; NumCPU / cores-1-worker bounds the
	// speedup 4 workers can reach here, at best (if their CPU per mail did not grow).
	b.ReportMetric(cpu1.Seconds()/one.Seconds(), "cores-1-worker")
	b.ReportMetric(float64(cpu1.Microseconds())/n, "cpu-µs/mail-1-worker")
	b.ReportMetric(float64(runtime.NumCPU())*one.Seconds()/cpu1.Seconds(), "speedup-bound")
	if leases {
		b.ReportMetric(cpu4.Seconds()/four.Seconds(), "cores-4-workers")
		b.ReportMetric(float64(cpu4.Microseconds())/n, "cpu-µs/mail-4-workers")
		b.ReportMetric(n/four.Seconds(), "mails/s-4-workers")
		b.ReportMetric(one.Seconds()/four.Seconds(), "speedup-4-workers")
	}
}

// events is the event count of a stats --format json output.
func events(tb testing.TB, statsJSON string) int {
	var s struct {
		Events int `json:"events"`
	}
	if err := json.Unmarshal([]byte(statsJSON), &s); err != nil {
		tb.Fatalf("stats: %v\n%s", err, statsJSON)
	}
	return s.Events
}

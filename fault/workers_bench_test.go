package fault

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/internal/testutil"
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
	// run runs workers processes to their end on a fresh store and returns how long they took
	// and what they recorded.
	run := func(workers int) (time.Duration, string) {
		i++
		s.writeConfig(b, set.names, []string{"flag = true", fmt.Sprintf("keyword = $Bench%d", i)})
		db := filepath.Join(b.TempDir(), "store.db")
		args := []string{"run", "--config", s.config, "--db", db}
		if workers > 1 {
			args = append(args, "--lease", leaseTTL.String())
		}
		start := time.Now()
		var ps []*proc
		for w := range workers {
			ps = append(ps, s.start(b, logDir, fmt.Sprintf("bench%d-%d", i, w+1), args...))
		}
		for _, p := range ps {
			if err := p.wait(10 * time.Minute); err != nil {
				b.Fatalf("%v\n%s", err, logTail(p.log, 30))
			}
		}
		took := time.Since(start)
		return took, s.runOnce(b, context.Background(), []int{0}, "stats", "--db", db, "--format", "json", "--top", "1")
	}
	var one, four time.Duration
	for b.Loop() {
		d, stats1 := run(1)
		one += d
		if events(b, stats1) == 0 {
			b.Fatalf("one worker recorded no events: %s", stats1)
		}
		if leases {
			d, stats4 := run(4)
			four += d
			if stats4 != stats1 {
				b.Fatalf("4 workers recorded other counts than one:\n%s\nagainst\n%s", stats4, stats1)
			}
		}
	}
	n := float64(set.total() * b.N)
	b.ReportMetric(n/one.Seconds(), "mails/s-1-worker")
	if leases {
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

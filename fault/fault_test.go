package fault

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/internal/testutil/pgtest"
)

// storeKind is a kind of store the fault tests run the workers on.
type storeKind struct {
	name string
	// open returns the --db of a fresh, empty store (a path or a URL), or skips the test.
	open func(tb testing.TB) string
}

// stores are the stores the fault tests run on; the clean run they are compared with is always
// on a fresh SQLite file.
var stores = []storeKind{
	{"sqlite", func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "shared.db") }},
	// One PostgreSQL database shared by the workers (pgtest skips where PostgreSQL is not
	// installed).
	{"postgres", func(tb testing.TB) string { return pgtest.Start(tb) }},
}

// mailboxes is how many mailboxes the fault tests fill.
const mailboxes = 6

// leaseTTL is the --lease given to several workers: how long a killed worker's mailboxes stay
// held before another worker may take them.
const leaseTTL = 2 * time.Second

// procTimeout bounds how long one bounceproc process may take before the test gives up on it.
const procTimeout = 3 * time.Minute

// TestKilledWorkerMatchesCleanRun kills one worker with SIGKILL at random moments and restarts
// it until it finishes: the store and every mailbox must end as one clean run leaves them.
// It works with the command as it is today (one run per store) and proves the harness.
func TestKilledWorkerMatchesCleanRun(t *testing.T) {
	testKills(t, 1, 4)
}

// TestKilledWorkersMatchCleanRun is the fault test: 3 workers share one store over 6
// mailboxes, are killed with SIGKILL at random moments and restarted; once all have finished,
// the store (every suppression, the hard CSV, the event counts) and every mailbox (the mails
// left in each, the mails moved, their flags) must equal what one clean worker leaves on a
// fresh SQLite store over an identical copy of the mailboxes.
func TestKilledWorkersMatchCleanRun(t *testing.T) {
	if !hasMailboxLeases(t) {
		t.Skip("bounceproc run has no --lease: several runs on one store are refused (one lock for the whole store), so several workers cannot share it yet")
	}
	testKills(t, 3, 8)
}

// testKills runs the fault test with workers processes and kills SIGKILLs among them.
func testKills(t *testing.T, workers, kills int) {
	def := 2000
	if testing.Short() {
		def = 200
	}
	perBox := envInt(t, "FAULT_MAILS", def)
	set := buildMails(t, mailboxes, perBox)
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("FAULT_SEED"); v != "" {
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("$FAULT_SEED = %q: %v", v, err)
		}
	}
	t.Logf("%d mailboxes × %d mails; seed %d (FAULT_SEED=%d replays the kills)", mailboxes, perBox, seed, seed)

	wantStore, wantBoxes, clean := cleanRun(t, set)
	t.Logf("clean run: %v; %d addresses, mailboxes %s", clean.Round(time.Millisecond), len(wantStore.All), wantBoxes.summary())
	if len(wantStore.Hard) < 2 || len(wantBoxes["Processed"]) == 0 || len(wantBoxes["Others"]) == 0 {
		t.Fatalf("the clean run recorded %d hard lines and moved %d bounces and %d other mails: the test data cannot tell a fault from a success",
			len(wantStore.Hard), len(wantBoxes["Processed"]), len(wantBoxes["Others"]))
	}

	for _, sk := range stores {
		t.Run(sk.name, func(t *testing.T) {
			s := startServer(t, set)
			db := sk.open(t)
			rng := rand.New(rand.NewPCG(seed, uint64(workers)))
			killWorkers(t, s, db, workers, kills, rng, clean)
			compareStates(t, "after the kills", wantStore, snapshotStore(t, s, db), wantBoxes, snapshotMailboxes(t, s, set.names))
			// A rerun finds nothing left to do and changes nothing.
			s.runOnce(t, context.Background(), []int{0}, "run", "--config", s.config, "--db", db)
			compareStates(t, "after a rerun", wantStore, snapshotStore(t, s, db), wantBoxes, snapshotMailboxes(t, s, set.names))
		})
	}
}

// cleanRun is what the faulty runs are compared with: one worker, no faults, a fresh SQLite
// store, its own copy of the mailboxes. It returns the store and mailboxes it leaves and how
// long it took.
func cleanRun(t *testing.T, set mailSet) (storeState, mailboxState, time.Duration) {
	t.Helper()
	ref := startServer(t, set)
	db := filepath.Join(t.TempDir(), "clean.db")
	start := time.Now()
	ref.runOnce(t, context.Background(), []int{0, 3}, "run", "--config", ref.config, "--db", db)
	took := time.Since(start)
	return snapshotStore(t, ref, db), snapshotMailboxes(t, ref, set.names), took
}

// killWorkers starts workers `bounceproc run` processes on s's mailboxes and store db and, at
// random moments (gaps of 5-35 % of a clean run's time for one worker, 2-15 % for several),
// kills a random running one with SIGKILL and starts it again, kills times; then it waits for
// all to finish. Several workers get --lease; after the kills, once the dead workers' leases
// have expired, one more round of workers runs to the end without faults, so that every mailbox
// a dead worker held is finished.
func killWorkers(t *testing.T, s *server, db string, workers, kills int, rng *rand.Rand, clean time.Duration) {
	t.Helper()
	args := []string{"run", "--config", s.config, "--db", db}
	lo, hi := 0.05, 0.35
	if workers > 1 {
		args = append(args, "--lease", leaseTTL.String())
		lo, hi = 0.02, 0.15
	}
	logDir := t.TempDir()
	var all []*proc
	t.Cleanup(func() {
		for _, p := range all {
			p.kill()
		}
		if t.Failed() {
			for _, p := range all {
				t.Logf("%s's log (the end):\n%s", p.name, logTail(p.log, 40))
			}
		}
	})
	ps := make([]*proc, workers)
	startWorker := func(i int) {
		ps[i] = s.start(t, logDir, fmt.Sprintf("worker%d", i+1), args...)
		all = append(all, ps[i])
	}
	for i := range ps {
		startWorker(i)
	}
	began := time.Now()
	landed := 0
	for range kills {
		time.Sleep(time.Duration(float64(clean) * (lo + (hi-lo)*rng.Float64())))
		var running []int
		for i, p := range ps {
			if !p.exited() {
				running = append(running, i)
			}
		}
		if len(running) == 0 {
			break
		}
		i := running[rng.IntN(len(running))]
		if ps[i].kill() {
			landed++
			t.Logf("%v: killed worker %d", time.Since(began).Round(time.Millisecond), i+1)
			startWorker(i)
		}
	}
	for _, p := range ps {
		if err := p.wait(procTimeout); err != nil {
			t.Fatal(err)
		}
	}
	if landed == 0 {
		t.Fatalf("no kill landed: every worker finished first (clean run %v); the test proved nothing", clean)
	}
	t.Logf("%d kills landed; the workers finished after %v", landed, time.Since(began).Round(time.Millisecond))
	if workers == 1 {
		return
	}
	time.Sleep(leaseTTL + 500*time.Millisecond)
	for i := range ps {
		ps[i] = s.start(t, logDir, fmt.Sprintf("final%d", i+1), args...)
		all = append(all, ps[i])
	}
	for _, p := range ps {
		if err := p.wait(procTimeout); err != nil {
			t.Fatal(err)
		}
	}
}

// TestHarnessSeesUnfinishedRun checks that the comparison can fail: a worker killed once and
// not restarted leaves a store and mailboxes that differ from the clean run's.
func TestHarnessSeesUnfinishedRun(t *testing.T) {
	set := buildMails(t, 2, 200)
	wantStore, wantBoxes, clean := cleanRun(t, set)

	s := startServer(t, set)
	db := filepath.Join(t.TempDir(), "store.db")
	p := s.start(t, t.TempDir(), "worker", "run", "--config", s.config, "--db", db)
	time.Sleep(clean / 2)
	if !p.kill() {
		t.Skipf("the worker finished within half the clean run's time (%v): nothing to check", clean)
	}
	// The store may not exist yet: then there is nothing to export, which differs too.
	gotStore := storeState{}
	if _, err := os.Stat(db); err == nil {
		gotStore = snapshotStore(t, s, db)
	}
	if d := diffStates(wantStore, gotStore, wantBoxes, snapshotMailboxes(t, s, set.names)); d == "" {
		t.Errorf("a worker killed after %v and not restarted left the same state as the clean run: the comparison sees nothing", clean/2)
	}
}

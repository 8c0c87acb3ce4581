package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
	"github.com/bounceproc/bounceproc/imapfetch"
	"github.com/bounceproc/bounceproc/internal/testutil"
	"github.com/bounceproc/bounceproc/pipeline"
)

// marked returns mail with a header line added at its top, for a decode hook or a proxy to
// recognise it by.
func marked(mail []byte, header string) []byte {
	return append([]byte(header+"\r\n"), mail...)
}

// ledgerRows counts the store's ledger rows, read while a run may hold the store.
func ledgerRows(t testing.TB, db string) int {
	t.Helper()
	if _, err := os.Stat(db); err != nil {
		return 0
	}
	sdb, err := sql.Open("sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var n int
	if err := sdb.QueryRow(`SELECT count(*) FROM ledger`).Scan(&n); err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return 0
		}
		t.Fatal(err)
	}
	return n
}

// runInBackground starts runRun and returns a channel with its error.
func runInBackground(ctx context.Context, o runOptions) <-chan error {
	errc := make(chan error, 1)
	go func() { errc <- runRun(ctx, o, io.Discard, io.Discard) }()
	return errc
}

// TestRunCommitsWhileAMailIsStuck: mail 100 of 120 never finishes decoding (its decoder
// ignores its context). The 99 before it are recorded within a couple of seconds, not when a
// batch of 250 is full; and the run, stopped as by SIGTERM, ends at once with errInterrupted,
// keeping them. (The 99 used to wait for a batch that never filled, and a stopped run waited
// for the mail.)
func TestRunCommitsWhileAMailIsStuck(t *testing.T) {
	env := memRunEnv(t)
	mails := manyBounces(t, 120)
	mails[99] = marked(mails[99], "X-Stuck: yes")
	env.seed(t, mails...)
	db := filepath.Join(t.TempDir(), "store.db")
	o := runOpts(env, db)
	o.imap.BatchSize = imapfetch.DefaultBatchSize
	o.mailBudget = -1 // no budget: only the commit timer and the signal get past this mail
	release := make(chan struct{})
	defer close(release)
	o.decode = func(ctx context.Context, raw []byte) (*dsn.Report, []classify.Verdict) {
		if bytes.HasPrefix(raw, []byte("X-Stuck:")) {
			<-release
		}
		return pipeline.Decode(ctx, raw)
	}
	var sum runSummary
	o.summary = &sum
	ctx, stop := context.WithCancelCause(context.Background())
	errc := runInBackground(ctx, o)
	deadline := time.Now().Add(10 * time.Second)
	for ledgerRows(t, db) < 99 {
		if time.Now().After(deadline) {
			stop(nil)
			t.Fatalf("after 10 s, %d of the 99 mails before the stuck one are recorded", ledgerRows(t, db))
		}
		time.Sleep(50 * time.Millisecond)
	}
	start := time.Now()
	stop(errors.New("terminated signal received"))
	select {
	case err := <-errc:
		if !errors.Is(err, errInterrupted) || !strings.Contains(err.Error(), "terminated") {
			t.Errorf("stopped run: %v, want errInterrupted naming the signal", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("the run took %v to stop", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the run did not stop within 10 s of its context's end")
	}
	if n := ledgerRows(t, db); n != 99 || sum.Fetched != 99 {
		t.Errorf("after the stop: %d ledger rows, %d counted; want the 99 mails before the stuck one", n, sum.Fetched)
	}
}

// TestRunMailOverBudget: one mail's decoder runs past the time budget and stops when told
// (as dsn.ParseBytesContext does), one never stops, one fills the heap until told to stop.
// Each is recorded as too costly, set aside and left in place, and the run goes on with the
// others. (The run used to wait for each, forever.)
func TestRunMailOverBudget(t *testing.T) {
	// The heap as the memory budget measures it, once the garbage of earlier tests is gone.
	runtime.GC()
	sample := []metrics.Sample{{Name: pipeline.HeapMetric}}
	metrics.Read(sample)
	heap := sample[0].Value.Uint64()
	greedyLimit := uint64(1 << 30) // fail rather than hold more than this
	release := make(chan struct{})
	defer close(release)
	decode := func(ctx context.Context, raw []byte) (*dsn.Report, []classify.Verdict) {
		switch {
		case bytes.HasPrefix(raw, []byte("X-Slow:")):
			<-ctx.Done()
			return &dsn.Report{}, nil
		case bytes.HasPrefix(raw, []byte("X-Stuck:")):
			<-release
		case bytes.HasPrefix(raw, []byte("X-Greedy:")):
			var hoard [][]byte
			for ctx.Err() == nil && uint64(len(hoard))*(8<<20) < greedyLimit {
				hoard = append(hoard, make([]byte, 8<<20))
				for i := 0; i < len(hoard[len(hoard)-1]); i += 4096 {
					hoard[len(hoard)-1][i] = 1
				}
			}
			if ctx.Err() == nil {
				t.Errorf("the greedy decoder held %d MiB and was not stopped", len(hoard)*8)
			}
			return &dsn.Report{}, nil
		}
		return pipeline.Decode(ctx, raw)
	}
	for _, tc := range []struct {
		name    string
		marks   map[int]string
		budget  time.Duration
		memory  int64
		reasons []string
	}{
		// A budget that a bounce decoded under -race on a loaded machine stays well within.
		{"time", map[int]string{2: "X-Slow: yes", 5: "X-Stuck: yes"}, 2 * time.Second, -1,
			[]string{"3 too-costly: decoding took longer than 2s\n", "6 too-costly: decoding took longer than 2s, and did not stop"}},
		{"memory", map[int]string{8: "X-Greedy: yes"}, -1, int64(heap) + 64<<20,
			[]string{"9 too-costly: the heap grew past"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := memRunEnv(t)
			mails := manyBounces(t, 12)
			for i, h := range tc.marks {
				mails[i] = marked(mails[i], h)
			}
			env.seed(t, mails...)
			db := filepath.Join(t.TempDir(), "store.db")
			o := runOpts(env, db)
			o.mailBudget, o.mailMemory, o.decode = tc.budget, tc.memory, decode
			var sum runSummary
			o.summary = &sum
			var err error
			select {
			case err = <-runInBackground(context.Background(), o):
			case <-time.After(30 * time.Second):
				t.Fatal("the run did not finish within 30 s")
			}
			if !errors.Is(err, errProblems) {
				t.Errorf("run: %v, want errProblems (exit 3)", err)
			}
			bad := len(tc.marks)
			if sum.Fetched != 12 || sum.Hard != 12-bad || sum.Quarantined != bad || sum.Problems != bad {
				t.Errorf("summary %+v: want 12 fetched, %d hard, %d set aside with problems", sum, 12-bad, bad)
			}
			st := snapshot(t, env, db)
			if len(st.Ledger) != 12 || len(st.Folders["INBOX"]) != bad || len(st.Folders["Processed"]) != 12-bad {
				t.Errorf("%d ledger rows, INBOX %d, Processed %d; want 12, %d (left in place), %d", len(st.Ledger), len(st.Folders["INBOX"]), len(st.Folders["Processed"]), bad, 12-bad)
			}
			reasons := quarantineReasons(t, db) + "\n"
			for _, want := range tc.reasons {
				if !strings.Contains(reasons, want) {
					t.Errorf("reasons recorded:\n%s\nlack %q", reasons, want)
				}
			}
		})
	}
}

func quarantineReasons(t testing.TB, db string) string {
	t.Helper()
	sdb, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	rows, err := sdb.Query(`SELECT uid || ' ' || quarantine FROM ledger WHERE quarantine != '' ORDER BY uid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}

// crashingRun runs bounceproc run in a child process whose decoder kills the process on the
// mail that contains crashOn, and waits for it to die.
func crashingRun(t *testing.T, env *runEnv, db, crashOn string) {
	t.Helper()
	cfg := runOpts(env, db).imap
	password := cfg.Password
	cfg.Password = ""
	cfgJSON, _ := json.Marshal(cfg)
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunChild$")
	cmd.Env = append(os.Environ(), "BOUNCEPROC_TEST_CHILD="+string(cfgJSON), "BOUNCEPROC_TEST_PASSWORD="+password,
		"BOUNCEPROC_TEST_DB="+db, "BOUNCEPROC_TEST_CRASH_ON="+crashOn)
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child run: %v, want it killed on the mail", err)
	}
}

// TestRunQuarantinesAMailThatCrashesTheRun: two runs die while decoding the same mail; the
// third records it as set aside without decoding it, leaves it in place, and does the rest.
// (Every run used to die on it.)
func TestRunQuarantinesAMailThatCrashesTheRun(t *testing.T) {
	env := memRunEnv(t)
	mails := manyBounces(t, 20)
	mails[10] = marked(mails[10], "X-Crash: yes")
	env.seed(t, mails...)
	db := filepath.Join(t.TempDir(), "store.db")
	crashingRun(t, env, db, "X-Crash: yes")
	crashingRun(t, env, db, "X-Crash: yes")
	first := ledgerRows(t, db)
	if first >= 11 {
		t.Fatalf("the crashed runs left %d ledger rows, want fewer than 11: the crashing mail and those after it unrecorded", first)
	}
	o := runOpts(env, db)
	var logs strings.Builder
	o.logger = slog.New(slog.NewTextHandler(&logs, nil))
	o.decode = func(ctx context.Context, raw []byte) (*dsn.Report, []classify.Verdict) {
		if bytes.HasPrefix(raw, []byte("X-Crash:")) {
			t.Error("the third run decodes the mail two runs died on")
		}
		return pipeline.Decode(ctx, raw)
	}
	sum, _ := doRun(t, o)
	if sum.Quarantined != 1 || sum.Hard != 19-first || sum.Problems != 1 {
		t.Errorf("third run: %+v; want the crashing mail set aside and the other %d recorded", sum, 19-first)
	}
	st := snapshot(t, env, db)
	if len(st.Ledger) != 20 || len(st.Folders["INBOX"]) != 1 || len(st.Folders["Processed"]) != 19 {
		t.Errorf("%d ledger rows, INBOX %d, Processed %d; want 20, 1, 19", len(st.Ledger), len(st.Folders["INBOX"]), len(st.Folders["Processed"]))
	}
	if r := quarantineReasons(t, db); !strings.Contains(r, "11 quarantined: the run ended 2 times while decoding it") {
		t.Errorf("set aside: %q, want UID 11 with why", r)
	}
	if !strings.Contains(logs.String(), "set aside, not decoded") {
		t.Errorf("the run does not say why it sets the mail aside:\n%s", logs.String())
	}
	// A rerun changes nothing.
	sum2, _ := doRun(t, o)
	if sum2 != (runSummary{}) {
		t.Errorf("rerun: %+v, want nothing done", sum2)
	}
	if diff := cmp.Diff(st, snapshot(t, env, db)); diff != "" {
		t.Errorf("rerun changed the state (-before +after):\n%s", diff)
	}
}

// TestRunInterruptedExitCode: a run whose context has ended (SIGINT or SIGTERM) exits 130.
func TestRunInterruptedExitCode(t *testing.T) {
	env := memRunEnv(t)
	env.seed(t, manyBounces(t, 3)...)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	t.Setenv("BOUNCEPROC_IMAP_PASSWORD", env.cfg.Password)
	var out, errb strings.Builder
	code := runMain(ctx, []string{"run", "--imap", env.cfg.Addr, "--user", env.cfg.User, "--tls", "none",
		"--db", filepath.Join(t.TempDir(), "store.db"), "--progress", "never"}, &out, &errb)
	if code != exitInterrupted || !strings.Contains(errb.String(), "stopped") {
		t.Errorf("run with its context ended: exit %d, %q; want %d", code, errb.String(), exitInterrupted)
	}
}

// TestRunPoisonAmongThousands is the whole story against Dovecot: among 3,002 bounces, one
// mail's decoding never ends in time, and a proxy cuts the connection whenever another one
// passes. The run finishes, records every other mail once, sets the two aside (recorded,
// left in the mailbox), and a rerun changes nothing.
func TestRunPoisonAmongThousands(t *testing.T) {
	if testing.Short() {
		t.Skip("3,000 mails in Dovecot")
	}
	env := dovecotRunEnv(t)
	const n = 3002
	mails := manyBounces(t, n)
	mails[99] = marked(mails[99], "X-Poison: yes")
	mails[1500] = marked(mails[1500], "X-Cut-Here: yes")
	env.seed(t, mails...)
	proxy := testutil.StartProxy(t, env.cfg.Addr)
	proxy.CutWhenSeen([]byte("X-Cut-Here: yes"))
	db := filepath.Join(t.TempDir(), "store.db")
	o := runOpts(env, db)
	o.imap.Addr = proxy.Addr()
	o.imap.BatchSize = imapfetch.DefaultBatchSize
	o.mailBudget = 3 * time.Second // which a bounce decoded under -race on a loaded machine stays well within
	o.decode = func(ctx context.Context, raw []byte) (*dsn.Report, []classify.Verdict) {
		if bytes.HasPrefix(raw, []byte("X-Poison:")) {
			<-ctx.Done() // a decode that would take far longer than its budget
			return &dsn.Report{}, nil
		}
		return pipeline.Decode(ctx, raw)
	}
	var sum runSummary
	o.summary = &sum
	start := time.Now()
	err := runRun(context.Background(), o, io.Discard, io.Discard)
	t.Logf("run: %v in %v; %+v; %d cuts", err, time.Since(start), sum, proxy.Cuts())
	if !errors.Is(err, errProblems) {
		t.Errorf("run: %v, want errProblems (exit 3)", err)
	}
	if sum.Fetched != n || sum.AlreadyRecorded != 0 || sum.Hard != n-2 || sum.Quarantined != 2 {
		t.Errorf("summary %+v: want %d mails counted once, %d hard, 2 set aside", sum, n, n-2)
	}
	if proxy.Cuts() != 2 {
		t.Errorf("the proxy cut %d times, want 2", proxy.Cuts())
	}
	st := snapshot(t, env, db)
	if len(st.Ledger) != n || len(st.Events) != n-2 || len(st.Folders["INBOX"]) != 2 || len(st.Folders["Processed"]) != n-2 {
		t.Errorf("%d ledger rows, %d events, INBOX %d, Processed %d; want %d, %d, 2, %d",
			len(st.Ledger), len(st.Events), len(st.Folders["INBOX"]), len(st.Folders["Processed"]), n, n-2, n-2)
	}
	reasons := quarantineReasons(t, db)
	for _, want := range []string{"100 too-costly: decoding took longer than 3s", "1501 quarantined: the connection was lost 2 times while fetching it"} {
		if !strings.Contains(reasons, want) {
			t.Errorf("set aside:\n%s\nlacks %q", reasons, want)
		}
	}
	sum2, _ := doRun(t, o)
	if sum2 != (runSummary{}) {
		t.Errorf("rerun: %+v, want nothing done", sum2)
	}
	if diff := cmp.Diff(st, snapshot(t, env, db)); diff != "" {
		t.Errorf("rerun changed the state (-before +after):\n%s", diff)
	}
}

// TestRunStopsOnSIGTERM: a run in a process of its own, its decoder stuck for good on mail
// 100 of 120, gets SIGTERM once the 99 before it are recorded: it ends within a moment,
// with exit status 130, keeping them.
func TestRunStopsOnSIGTERM(t *testing.T) {
	env := memRunEnv(t)
	mails := manyBounces(t, 120)
	mails[99] = marked(mails[99], "X-Stuck: yes")
	env.seed(t, mails...)
	db := filepath.Join(t.TempDir(), "store.db")
	cfg := runOpts(env, db).imap
	password := cfg.Password
	cfg.Password = ""
	cfgJSON, _ := json.Marshal(cfg)
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunChild$")
	cmd.Env = append(os.Environ(), "BOUNCEPROC_TEST_CHILD="+string(cfgJSON), "BOUNCEPROC_TEST_PASSWORD="+password,
		"BOUNCEPROC_TEST_DB="+db, "BOUNCEPROC_TEST_STUCK_ON=X-Stuck: yes")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	hung := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
	defer hung.Stop()
	sc := bufio.NewScanner(out)
	for sc.Scan() && sc.Text() != "mail 99" {
	}
	if sc.Err() != nil || sc.Text() != "mail 99" {
		t.Fatalf("the child did not record the 99 mails before the stuck one within 20 s")
	}
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var rest []string
	for sc.Scan() {
		rest = append(rest, sc.Text())
	}
	err = cmd.Wait()
	took := time.Since(start)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Errorf("child after SIGTERM: %v, want exit status %d; it said %q", err, exitInterrupted, rest)
	}
	if took > 3*time.Second {
		t.Errorf("the run took %v to end after SIGTERM", took)
	}
	if n := ledgerRows(t, db); n != 99 {
		t.Errorf("%d ledger rows after the stop, want the 99 mails before the stuck one", n)
	}
}

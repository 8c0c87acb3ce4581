package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	_ "modernc.org/sqlite"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
	"github.com/bounceproc/bounceproc/imapfetch"
	"github.com/bounceproc/bounceproc/internal/testutil"
	"github.com/bounceproc/bounceproc/pipeline"
	"github.com/bounceproc/bounceproc/suppress"
	"github.com/bounceproc/bounceproc/testdata/eml"
)

// runEnv is an IMAP server a run test works against, with one user's INBOX.
type runEnv struct {
	name string
	cfg  imapfetch.Config
	seed func(t testing.TB, mails ...[]byte)
	// resetValidity gives INBOX a new UIDVALIDITY, keeping its mails.
	resetValidity func(t testing.TB)
	// mem is the in-memory server, nil for Dovecot.
	mem *imapfetch.MemServer
}

func memRunEnv(t testing.TB) *runEnv {
	srv, err := imapfetch.StartMemServer("postmaster", "pw-run", imapfetch.MemServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	date := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	n := 0
	var seeded [][]byte
	seed := func(t testing.TB, mails ...[]byte) {
		seeded = append(seeded, mails...)
		for _, m := range mails {
			n++
			if _, err := srv.Append("INBOX", m, date.Add(time.Duration(n)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
	}
	env := &runEnv{
		name: "memserver",
		cfg:  imapfetch.Config{Addr: srv.Addr(), TLS: imapfetch.TLSNone, AllowPlaintext: true, User: "postmaster", Password: "pw-run", Timeout: 10 * time.Second, Backoff: 10 * time.Millisecond},
		seed: seed,
		mem:  srv,
	}
	env.resetValidity = func(t testing.TB) {
		// The in-memory server changes UIDVALIDITY only by recreating the mailbox: put the
		// seeded mails back (the tests that use this keep every mail in INBOX).
		if err := srv.Recreate("INBOX"); err != nil {
			t.Fatal(err)
		}
		again := seeded
		seeded, n = nil, 0
		seed(t, again...)
	}
	return env
}

func dovecotRunEnv(t testing.TB) *runEnv {
	d := testutil.StartDovecot(t)
	next := uint32(time.Now().Unix())
	return &runEnv{
		name: "dovecot",
		cfg:  imapfetch.Config{Addr: d.Addr, TLS: imapfetch.TLSNone, AllowPlaintext: true, User: d.User, Password: d.Password, Timeout: 10 * time.Second, Backoff: 10 * time.Millisecond},
		seed: func(t testing.TB, mails ...[]byte) { d.Seed(t, "", mails...) },
		resetValidity: func(t testing.TB) {
			next += 1000
			d.ResetUIDValidity(t, "INBOX", next)
		},
	}
}

// eachRunEnv runs f against the in-memory server and against Dovecot.
func eachRunEnv(t *testing.T, f func(t *testing.T, newEnv func(testing.TB) *runEnv)) {
	t.Run("memserver", func(t *testing.T) {
		t.Parallel()
		f(t, memRunEnv)
	})
	t.Run("dovecot", func(t *testing.T) {
		t.Parallel()
		f(t, dovecotRunEnv)
	})
}

// mixedSamples is a postmaster mailbox in small: DSNs with hard, soft and blocked recipients,
// text bounces, a complaint, a DMARC failure report, an auto-reply, an ordinary mail and a
// damaged one.
var mixedSamples = []string{
	"rfc3464/postfix-three-recipients.eml",
	"rfc3464/folded-diagnostic.eml",
	"postfix/user-unknown-text-only.eml",
	"exim/rcpt-rejected.eml",
	"arf/abuse-original-rcpt-to.eml",
	"arf/dmarc-auth-failure.eml",
	"autoreply/rfc3834-vacation.eml",
	"not-bounce/ordinary-mail.eml",
	"malformed/garbage-bytes.eml",
}

func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := eml.Files.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func samples(t testing.TB, names ...string) [][]byte {
	var out [][]byte
	for _, n := range names {
		out = append(out, sample(t, n))
	}
	return out
}

// golden is what a sample's reviewed golden file says: the mail's kind and its recipients.
type golden struct {
	Kind       string `json:"kind"`
	Recipients []struct {
		Address  string `json:"recipient"`
		Kind     string `json:"kind"`
		Suppress bool   `json:"suppress"`
	} `json:"recipients"`
}

func readGolden(t testing.TB, name string) golden {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "eml", strings.TrimSuffix(name, ".eml")+".golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return g
}

// processedByGolden says whether the golden calls the mail a report about delivery, which the
// run moves, as opposed to mail it leaves in place.
func (g golden) processed() bool {
	switch g.Kind {
	case "dsn", "bounce", "feedback", "autoreply":
		return len(g.Recipients) > 0
	}
	return false
}

func runOpts(env *runEnv, db string) runOptions {
	cfg := env.cfg
	cfg.BatchSize = 3 // several fetch batches and store transactions even for a few mails
	return runOptions{
		imap:      cfg,
		mailboxes: []string{"INBOX"},
		mark:      imapfetch.Mark{Action: imapfetch.MarkMove, Folder: "Processed"},
		db:        db,
		wait:      5 * childLease,
		progress:  -1,
		logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// doRun runs once and returns the summary; a run with problem mails is expected (the damaged
// sample), anything else fails the test.
func doRun(t testing.TB, o runOptions) (runSummary, string) {
	t.Helper()
	var sum runSummary
	o.summary = &sum
	var out strings.Builder
	err := runRun(context.Background(), o, &out, io.Discard)
	if err != nil && !(sum.Problems > 0 && strings.Contains(err.Error(), "had problems")) {
		t.Fatalf("runRun: %v\n%s", err, out.String())
	}
	return sum, out.String()
}

// state is what a run leaves behind, without clock readings, UIDs or UIDVALIDITY (which differ
// between two servers holding the same mails).
type state struct {
	Ledger  []string
	Events  []string
	Entries []string
	Folders map[string][]string
}

func snapshot(t testing.TB, env *runEnv, db string) state {
	t.Helper()
	var s state
	if _, err := os.Stat(db); err == nil {
		sdb, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer sdb.Close()
		query := func(q string) []string {
			rows, err := sdb.Query(q)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					t.Fatal(err)
				}
				out = append(out, line)
			}
			slices.Sort(out)
			return out
		}
		s.Ledger = query(`SELECT mailbox||' '||message_id||' '||hex(content_hash)||' problems='||problems||' marked='||(marked_at IS NOT NULL)||' dup='||(duplicate_of IS NOT NULL)||' set-aside='||(quarantine != '') FROM ledger`)
		s.Events = query(`SELECT address||' '||CASE kind WHEN '' THEN 'undetermined' ELSE kind END||' '||reason||' '||status||' '||reply_code FROM events`)
		s.Entries = query(`SELECT address||' '||kind||' count='||bounce_count||' suppressed='||suppressed||' '||suppressed_kind FROM entries`)
	}
	c, err := imapfetch.Dial(context.Background(), env.cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s.Folders = map[string][]string{}
	folders, err := c.Folders(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range folders {
		items, err := c.Inventory(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, it := range items {
			lines = append(lines, it.Digest[:16]+" "+strings.ToLower(strings.Join(it.Flags, ",")))
		}
		slices.Sort(lines)
		s.Folders[f] = lines
	}
	return s
}

func inventory(t testing.TB, env *runEnv, folder string) []imapfetch.Item {
	t.Helper()
	c, err := imapfetch.Dial(context.Background(), env.cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	items, err := c.Inventory(context.Background(), folder)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func TestRunMixedMail(t *testing.T) {
	eachRunEnv(t, func(t *testing.T, newEnv func(testing.TB) *runEnv) {
		env := newEnv(t)
		env.seed(t, samples(t, mixedSamples...)...)
		db := filepath.Join(t.TempDir(), "store.db")
		o := runOpts(env, db)
		// The server's own bytes of each sample (servers may rewrite line endings), in UID
		// order, which is seeding order.
		seededItems := inventory(t, env, "INBOX")

		sum, _ := doRun(t, o)
		// What the reviewed goldens say must happen.
		var wantEvents, wantSuppressed []string
		wantFolders := map[string][]string{}
		for i, name := range mixedSamples {
			g := readGolden(t, name)
			folder := "INBOX"
			if g.processed() {
				folder = "Processed"
				for _, r := range g.Recipients {
					wantEvents = append(wantEvents, strings.ToLower(r.Address)+" "+r.Kind)
					if r.Suppress {
						wantSuppressed = append(wantSuppressed, strings.ToLower(r.Address))
					}
				}
			}
			wantFolders[folder] = append(wantFolders[folder], seededItems[i].Digest[:16]+" ")
		}
		slices.Sort(wantEvents)
		slices.Sort(wantSuppressed)
		for _, l := range wantFolders {
			slices.Sort(l)
		}
		st := snapshot(t, env, db)
		var gotEvents, gotSuppressed []string
		for _, e := range st.Events {
			f := strings.Fields(e)
			gotEvents = append(gotEvents, f[0]+" "+f[1])
		}
		for _, e := range st.Entries {
			if strings.Contains(e, "suppressed=1") {
				gotSuppressed = append(gotSuppressed, strings.Fields(e)[0])
			}
		}
		slices.Sort(gotEvents)
		slices.Sort(gotSuppressed)
		if diff := cmp.Diff(wantEvents, gotEvents); diff != "" {
			t.Errorf("events recorded (-golden +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantSuppressed, gotSuppressed); diff != "" {
			t.Errorf("suppressed addresses (-golden +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantFolders, st.Folders); diff != "" {
			t.Errorf("mailbox after the run (-want +got):\n%s", diff)
		}
		if len(st.Ledger) != len(mixedSamples) {
			t.Errorf("ledger holds %d mails, want %d", len(st.Ledger), len(mixedSamples))
		}
		for _, l := range st.Ledger {
			if !strings.Contains(l, "marked=1") {
				t.Errorf("ledger row not marked done: %s", l)
			}
		}
		want := runSummary{Fetched: 9, Bounces: 4, Complaints: 1, Reports: 1, AutoReplies: 1, NotBounces: 2,
			Hard: 4, Soft: 1, Blocked: 1, Other: 1, NewlySuppressed: len(wantSuppressed), Problems: 1, Marked: 7}
		if sum != want {
			t.Errorf("summary of the first run:\n got %+v\nwant %+v", sum, want)
		}

		// A second run fetches nothing and changes nothing.
		sum2, _ := doRun(t, o)
		if sum2 != (runSummary{}) {
			t.Errorf("second run: %+v, want nothing done", sum2)
		}
		if diff := cmp.Diff(st, snapshot(t, env, db)); diff != "" {
			t.Errorf("second run changed the state (-before +after):\n%s", diff)
		}

		// Mail added between runs is picked up alone.
		env.seed(t, sample(t, "gmail/permanent-user-unknown.eml"))
		sum3, _ := doRun(t, o)
		if sum3.Fetched != 1 || sum3.Hard != 1 || sum3.NewlySuppressed != 1 || sum3.Marked != 1 {
			t.Errorf("run after one new bounce: %+v, want 1 fetched, 1 hard, 1 suppressed, 1 marked", sum3)
		}
		st3 := snapshot(t, env, db)
		if len(st3.Events) != len(st.Events)+1 || len(st3.Folders["Processed"]) != len(st.Folders["Processed"])+1 {
			t.Errorf("after the third run: %d events (was %d), %d mails processed (was %d)", len(st3.Events), len(st.Events), len(st3.Folders["Processed"]), len(st.Folders["Processed"]))
		}

		// Each run left a row of what it did, for serve's metrics.
		store, err := suppress.Open(context.Background(), db, suppress.Options{MustExist: true})
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		runs, err := store.LastRuns(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 1 || runs[0].Mailbox != "INBOX" || runs[0].Runs != 3 || runs[0].Failed != 0 ||
			runs[0].Fetched != 10 || runs[0].Decoded != 8 || runs[0].Recorded != 10 ||
			runs[0].NewSuppressions != int64(len(wantSuppressed)+1) || runs[0].Last.Fetched != 1 || runs[0].LastOK.IsZero() {
			t.Errorf("runs recorded: %+v; want INBOX: 3 runs, 10 fetched, 8 decoded, 10 recorded, %d new suppressions, the last with 1 fetched",
				runs, len(wantSuppressed)+1)
		}
	})
}

func TestRunDryRunChangesNothing(t *testing.T) {
	eachRunEnv(t, func(t *testing.T, newEnv func(testing.TB) *runEnv) {
		env := newEnv(t)
		env.seed(t, samples(t, mixedSamples...)...)
		db := filepath.Join(t.TempDir(), "store.db")
		before := snapshot(t, env, db)
		o := runOpts(env, db)
		o.dryRun = true
		sum, out := doRun(t, o)
		if sum.Fetched != len(mixedSamples) || sum.NewlySuppressed == 0 {
			t.Errorf("dry run summary %+v: want every mail fetched and the suppressions it would make", sum)
		}
		for _, want := range []string{"would suppress anna@example.net (hard)", "would move to Processed", "would leave in place", "dry run: nothing was changed"} {
			if !strings.Contains(out, want) {
				t.Errorf("dry-run output lacks %q:\n%s", want, out)
			}
		}
		if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("dry run created the store file %s (stat: %v)", db, err)
		}
		after := snapshot(t, env, db)
		if len(after.Ledger)+len(after.Events)+len(after.Entries) != 0 {
			t.Errorf("dry run stored %d ledger rows, %d events, %d entries; want none", len(after.Ledger), len(after.Events), len(after.Entries))
		}
		if diff := cmp.Diff(before.Folders, after.Folders); diff != "" {
			t.Errorf("dry run changed the mailbox (-before +after):\n%s", diff)
		}
		// And a real run afterwards still has everything to do.
		if sum, _ := doRun(t, runOpts(env, db)); sum.Fetched != len(mixedSamples) {
			t.Errorf("real run after a dry run fetched %d, want %d", sum.Fetched, len(mixedSamples))
		}
		// A dry run on an existing store with new mail changes nothing either.
		env.seed(t, sample(t, "gmail/permanent-user-unknown.eml"))
		before = snapshot(t, env, db)
		if sum, out := doRun(t, o); sum.Fetched != 1 || !strings.Contains(out, "would suppress nobody-here@example.org") {
			t.Errorf("dry run over one new bounce: %+v\n%s", sum, out)
		}
		if diff := cmp.Diff(before, snapshot(t, env, db)); diff != "" {
			t.Errorf("dry run on an existing store changed the state (-before +after):\n%s", diff)
		}
	})
}

// manyBounces returns n distinct hard bounces, made from one sample by changing its recipient.
func manyBounces(t testing.TB, n int) [][]byte {
	base := string(sample(t, "exim/rcpt-rejected.eml"))
	var out [][]byte
	for i := range n {
		out = append(out, []byte(strings.ReplaceAll(base, "dave@example.org", fmt.Sprintf("user%05d@example.org", i))))
	}
	return out
}

// referenceState is the state one clean run leaves on a fresh server holding mails.
func referenceState(t testing.TB, newEnv func(testing.TB) *runEnv, mails [][]byte) state {
	env := newEnv(t)
	env.seed(t, mails...)
	db := filepath.Join(t.TempDir(), "ref.db")
	doRun(t, runOpts(env, db))
	return snapshot(t, env, db)
}

func testMails(t testing.TB) [][]byte {
	return append(samples(t, mixedSamples...), manyBounces(t, 12)...)
}

func TestRunSurvivesConnectionCut(t *testing.T) {
	eachRunEnv(t, func(t *testing.T, newEnv func(testing.TB) *runEnv) {
		mails := testMails(t)
		ref := referenceState(t, newEnv, mails)

		env := newEnv(t)
		env.seed(t, mails...)
		proxy := testutil.StartProxy(t, env.cfg.Addr)
		db := filepath.Join(t.TempDir(), "store.db")
		o := runOpts(env, db)
		o.imap.Addr = proxy.Addr()
		o.afterMail = func(n int) {
			if n == 7 {
				proxy.Cut()
			}
		}
		var sum runSummary
		o.summary = &sum
		err := runRun(context.Background(), o, io.Discard, io.Discard)
		t.Logf("run with a cut after 7 mails: %v; %+v", err, sum)
		if proxy.Cuts() != 1 || proxy.Accepted() < 2 {
			t.Fatalf("proxy cut %d times, accepted %d connections: the cut did not happen", proxy.Cuts(), proxy.Accepted())
		}
		if sum.Fetched != len(mails) || sum.AlreadyRecorded != 0 {
			t.Errorf("run with a cut: %d fetched, %d already known; want each of the %d mails counted once", sum.Fetched, sum.AlreadyRecorded, len(mails))
		}
		doRun(t, runOpts(env, db)) // the rerun
		if diff := cmp.Diff(ref, snapshot(t, env, db)); diff != "" {
			t.Errorf("after a cut and a rerun, state differs from one clean run (-clean +got):\n%s", diff)
		}
	})
}

// childLease is the mailbox lease of a run that TestRunChild runs: killed, it holds the
// mailbox this long, which the next run waits out (runOpts waits longer).
const childLease = 2 * time.Second

// TestRunChild is not a test: TestRunSurvivesKill re-executes the test binary with it to have a
// run in a process of its own that it can kill.
func TestRunChild(t *testing.T) {
	if os.Getenv("BOUNCEPROC_TEST_CHILD") == "" {
		t.Skip("helper process for TestRunSurvivesKill")
	}
	var o runOptions
	if err := json.Unmarshal([]byte(os.Getenv("BOUNCEPROC_TEST_CHILD")), &o.imap); err != nil {
		t.Fatal(err)
	}
	o.imap.Password = os.Getenv("BOUNCEPROC_TEST_PASSWORD")
	o.mailboxes = []string{"INBOX"}
	o.mark = imapfetch.Mark{Action: imapfetch.MarkMove, Folder: "Processed"}
	if os.Getenv("BOUNCEPROC_TEST_MARK") == "flag" {
		o.mark = imapfetch.Mark{Action: imapfetch.MarkFlag}
	}
	o.db = os.Getenv("BOUNCEPROC_TEST_DB")
	o.lease, o.wait = childLease, 5*childLease
	o.progress = -1
	o.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if crash := os.Getenv("BOUNCEPROC_TEST_CRASH_ON"); crash != "" {
		// A decoder that takes the process down on one mail, as running out of memory would.
		o.decode = func(ctx context.Context, raw []byte) (*dsn.Report, []classify.Verdict) {
			if bytes.Contains(raw, []byte(crash)) {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {}
			}
			return pipeline.Decode(ctx, raw)
		}
	}
	if stuck := os.Getenv("BOUNCEPROC_TEST_STUCK_ON"); stuck != "" {
		// A decoder that never ends on one mail, whatever its context says; stopped as main
		// stops a run (see TestRunStopsOnSIGTERM).
		o.imap.BatchSize = imapfetch.DefaultBatchSize
		o.mailBudget = -1
		o.decode = func(ctx context.Context, raw []byte) (*dsn.Report, []classify.Verdict) {
			if bytes.Contains(raw, []byte(stuck)) {
				select {}
			}
			return pipeline.Decode(ctx, raw)
		}
		o.afterMail = func(n int) { fmt.Printf("mail %d\n", n) }
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := runRun(ctx, o, io.Discard, io.Discard)
		stop()
		fmt.Printf("error: %v\n", err)
		if errors.Is(err, errInterrupted) {
			os.Exit(exitInterrupted)
		}
		os.Exit(exitFailure)
	}
	stopAt, _ := strconv.Atoi(os.Getenv("BOUNCEPROC_TEST_STOP_AT"))
	o.afterMail = func(n int) {
		fmt.Printf("mail %d\n", n)
		if n == stopAt {
			select {} // wait here to be killed
		}
	}
	runRun(context.Background(), o, io.Discard, io.Discard)
}

// killedRun runs bounceproc run in a child process with the given mark ("move" to Processed
// or "flag") and kills it with SIGKILL while it waits after mail stopAt: that mail's batch is
// recorded, and nothing after it; marks queued for later are never applied.
func killedRun(t *testing.T, env *runEnv, db string, stopAt int, mark string) {
	t.Helper()
	cfg := runOpts(env, db).imap
	password := cfg.Password
	cfg.Password = ""
	cfgJSON, _ := json.Marshal(cfg)
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunChild$", "-test.v")
	cmd.Env = append(os.Environ(), "BOUNCEPROC_TEST_CHILD="+string(cfgJSON), "BOUNCEPROC_TEST_PASSWORD="+password,
		"BOUNCEPROC_TEST_DB="+db, "BOUNCEPROC_TEST_STOP_AT="+strconv.Itoa(stopAt), "BOUNCEPROC_TEST_MARK="+mark)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	seen := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "mail ") {
			seen++
			if seen == stopAt {
				break
			}
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if seen != stopAt {
		t.Fatalf("child reported %d mails before the kill, want %d", seen, stopAt)
	}
}

func TestRunSurvivesKill(t *testing.T) {
	eachRunEnv(t, func(t *testing.T, newEnv func(testing.TB) *runEnv) {
		mails := testMails(t)
		ref := referenceState(t, newEnv, mails)

		env := newEnv(t)
		env.seed(t, mails...)
		db := filepath.Join(t.TempDir(), "store.db")
		killedRun(t, env, db, 5, "move")
		mid := snapshot(t, env, db)
		t.Logf("after the kill: %d ledger rows, %d in INBOX, %d processed", len(mid.Ledger), len(mid.Folders["INBOX"]), len(mid.Folders["Processed"]))
		if len(mid.Ledger) == 0 || len(mid.Ledger) == len(mails) {
			t.Fatalf("the kill left %d of %d mails recorded: it did not land mid-run", len(mid.Ledger), len(mails))
		}
		sum, _ := doRun(t, runOpts(env, db)) // the rerun
		if sum.AlreadyRecorded == 0 {
			t.Errorf("rerun found no mail recorded but unmarked; the kill should leave some: %+v", sum)
		}
		if diff := cmp.Diff(ref, snapshot(t, env, db)); diff != "" {
			t.Errorf("after a kill and a rerun, state differs from one clean run (-clean +got):\n%s", diff)
		}
	})
}

func TestRunUIDValidityChange(t *testing.T) {
	eachRunEnv(t, func(t *testing.T, newEnv func(testing.TB) *runEnv) {
		env := newEnv(t)
		env.seed(t, samples(t, mixedSamples...)...)
		db := filepath.Join(t.TempDir(), "store.db")
		o := runOpts(env, db)
		o.mark = imapfetch.Mark{Action: imapfetch.MarkFlag} // everything stays in INBOX
		doRun(t, o)
		before := snapshot(t, env, db)
		env.resetValidity(t)
		sum, _ := doRun(t, o)
		if sum.Fetched != len(mixedSamples) || sum.AlreadyRecorded != len(mixedSamples) || sum.Hard+sum.Soft+sum.NewlySuppressed != 0 {
			t.Errorf("rescan after a UIDVALIDITY change: %+v; want all %d fetched again, all already recorded, nothing counted", sum, len(mixedSamples))
		}
		after := snapshot(t, env, db)
		if diff := cmp.Diff(before.Events, after.Events); diff != "" {
			t.Errorf("events changed after the rescan (-before +after):\n%s", diff)
		}
		if diff := cmp.Diff(before.Entries, after.Entries); diff != "" {
			t.Errorf("entries changed after the rescan (-before +after):\n%s", diff)
		}
		// A third run: nothing new.
		if sum, _ := doRun(t, o); sum.Fetched != 0 {
			t.Errorf("run after the rescan fetched %d, want 0", sum.Fetched)
		}
	})
}

// TestRunSecondRunLeavesHeldMailboxes: a run whose every mailbox another run holds does
// nothing and says so with its own exit status; with --wait it waits for the lease.
func TestRunSecondRunLeavesHeldMailboxes(t *testing.T) {
	env := memRunEnv(t)
	env.seed(t, sample(t, "exim/rcpt-rejected.eml"))
	db := filepath.Join(t.TempDir(), "store.db")
	ctx := context.Background()
	st, err := openStore(ctx, db, false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	name := pipeline.LeaseName(env.cfg, "INBOX")
	if err := st.AcquireLease(ctx, name, "the other run", time.Minute); err != nil {
		t.Fatal(err)
	}
	t.Setenv(passwordEnv, env.cfg.Password)
	var stdout, stderr strings.Builder
	code := runMain(ctx, []string{"run", "--imap", env.cfg.Addr, "--user", env.cfg.User, "--tls", "none", "--db", db, "--progress", "never"}, &stdout, &stderr)
	if code != exitHeld || !strings.Contains(stderr.String(), "every mailbox is held by another run (INBOX): nothing done") {
		t.Fatalf("run while another holds the mailbox: exit %d, stderr %q; want %d and why", code, stderr.String(), exitHeld)
	}
	if stdout.Len() > 0 {
		t.Errorf("run that did nothing printed a summary:\n%s", stdout.String())
	}
	if !strings.Contains(exitHelp["run"], fmt.Sprintf("  %d  ", exitHeld)) {
		t.Errorf("help of run does not document exit %d", exitHeld)
	}
	if n := ledgerRows(t, db); n != 0 {
		t.Errorf("run while another holds the mailbox recorded %d mails", n)
	}
	// With --wait, it waits for the other run to finish.
	go func() {
		time.Sleep(300 * time.Millisecond)
		st.ReleaseLease(ctx, name, "the other run")
	}()
	o := runOpts(env, db)
	o.wait = 10 * time.Second
	if sum, _ := doRun(t, o); sum.Fetched != 1 {
		t.Errorf("run with --wait fetched %d after the lease was released, want 1", sum.Fetched)
	}
}

// TestRunStoreErrorWithSilentServer: the store opens while the server is dialled; when the
// store cannot be opened, that error comes back at once, not after the server's timeout.
func TestRunStoreErrorWithSilentServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan net.Conn, 8) // never greeted
	go func() {
		defer close(accepted)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	defer func() {
		ln.Close()
		for c := range accepted {
			c.Close()
		}
	}()
	db := filepath.Join(t.TempDir(), "store.db")
	if err := os.WriteFile(db, bytes.Repeat([]byte("not a database "), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	o := runOpts(&runEnv{cfg: imapfetch.Config{Addr: ln.Addr().String(), TLS: imapfetch.TLSNone,
		AllowPlaintext: true, User: "u", Password: "p", Timeout: time.Minute}}, db)
	start := time.Now()
	err = runRun(context.Background(), o, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not a bounceproc suppression store") {
		t.Fatalf("run with a damaged store: %v, want the store's error", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("the store's error came after %v: the run waited for the silent server", d)
	}
}

func TestRunCommandSettings(t *testing.T) {
	env := memRunEnv(t)
	env.seed(t, samples(t, "exim/rcpt-rejected.eml", "not-bounce/ordinary-mail.eml")...)
	dir := t.TempDir()
	db := filepath.Join(dir, "store.db")
	conf := filepath.Join(dir, "run.conf")
	os.WriteFile(conf, []byte("# settings\nimap = "+env.cfg.Addr+"\nuser = postmaster\ntls = none\nmailbox = INBOX\nmove-to = Done\nothers-to = Other\n"), 0o600)
	pwFile := filepath.Join(dir, "pw")
	os.WriteFile(pwFile, []byte("pw-run\n"), 0o600)
	t.Setenv("BOUNCEPROC_DB", db)
	t.Setenv("BOUNCEPROC_IMAP_PASSWORD", "")

	run := func(args ...string) (int, string, string) {
		var out, errb strings.Builder
		code := runMain(context.Background(), append([]string{"run"}, args...), &out, &errb)
		return code, out.String(), errb.String()
	}
	if code, _, errs := run("--config", conf); code != exitUsage || !strings.Contains(errs, "no password") {
		t.Errorf("run without a password: exit %d, %q; want usage error naming the password", code, errs)
	}
	if code, _, errs := run("--config", conf, "--password-file", pwFile, "--flag", "--delete"); code != exitUsage {
		t.Errorf("run --flag --delete: exit %d, %q; want a usage error", code, errs)
	}
	if code, _, errs := run("--imap", "mail.example.org:143", "--user", "u", "--tls", "none", "--password-file", pwFile); code != exitUsage || !strings.Contains(errs, "loopback") {
		t.Errorf("plain text to a remote host: exit %d, %q; want a usage error", code, errs)
	}
	// The environment wins over the file: BOUNCEPROC_MOVE_TO.
	t.Setenv("BOUNCEPROC_MOVE_TO", "Bounces")
	t.Setenv("BOUNCEPROC_PASSWORD_FILE", pwFile)
	code, out, errs := run("--config", conf, "--progress", "never")
	if code != exitOK {
		t.Fatalf("run from config and env: exit %d\n%s\n%s", code, out, errs)
	}
	if strings.Contains(out+errs, "pw-run") {
		t.Errorf("the password shows in the output:\n%s\n%s", out, errs)
	}
	st := snapshot(t, env, db)
	if len(st.Folders["Bounces"]) != 1 || len(st.Folders["Other"]) != 1 || len(st.Folders["INBOX"]) != 0 || st.Folders["Done"] != nil {
		t.Errorf("folders after a run with move-to from the environment and others-to from the file: %v", st.Folders)
	}
	// JSON config with several mailboxes.
	jconf := filepath.Join(dir, "run.json")
	os.WriteFile(jconf, []byte(`{"imap": "`+env.cfg.Addr+`", "user": "postmaster", "tls": "none", "mailboxes": ["INBOX", "Other"], "flag": true}`), 0o600)
	t.Setenv("BOUNCEPROC_MOVE_TO", "")
	os.Unsetenv("BOUNCEPROC_MOVE_TO")
	if code, out, errs := run("--config", jconf, "--progress", "never"); code != exitOK {
		t.Errorf("run with a JSON config over two mailboxes: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := run("--config", jconf, "--password", "x"); code != exitUsage {
		t.Errorf("run --password: exit %d %q, want a usage error (no such flag)", code, errs)
	}
	badConf := filepath.Join(dir, "bad.conf")
	os.WriteFile(badConf, []byte("password = hunter2\n"), 0o600)
	if code, _, errs := run("--config", badConf); code != exitUsage || strings.Contains(errs, "hunter2") {
		t.Errorf("a password in the config file: exit %d %q, want a usage error that does not echo it", code, errs)
	}
}

func TestDemo(t *testing.T) {
	dir := t.TempDir()
	var out strings.Builder
	if err := runDemo(context.Background(), demoOptions{out: dir}, &out, io.Discard); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	names, _ := eml.Names()
	text := out.String()
	for _, want := range []string{fmt.Sprintf("INBOX holds %d sample mails", len(names)), fmt.Sprintf("mails fetched     %6d", len(names)), "hard-bounces.csv"} {
		if !strings.Contains(text, want) {
			t.Errorf("demo output lacks %q:\n%s", want, text)
		}
	}
	csvData, err := os.ReadFile(filepath.Join(dir, "hard-bounces.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(csvData)), "\n")
	if !strings.HasPrefix(lines[0], "email,cause,") || len(lines) < 2 {
		t.Fatalf("hard-bounces.csv: %d lines, header %q", len(lines), lines[0])
	}
	for _, l := range lines[1:] {
		if f := strings.Split(l, ","); len(f) < 2 || f[1] != "hard" {
			t.Errorf("hard-bounces.csv row not hard: %q", l)
		}
	}
	if !strings.Contains(text, fmt.Sprintf(": %d hard-bounced addresses", len(lines)-1)) {
		t.Errorf("demo reports a count that differs from the CSV's %d rows:\n%s", len(lines)-1, text)
	}
	// Running it again starts afresh and says the same.
	var again strings.Builder
	if err := runDemo(context.Background(), demoOptions{out: dir}, &again, io.Discard); err != nil {
		t.Fatal(err)
	}
	strip := func(s string) string { // the port differs
		return strings.Join(slices.DeleteFunc(strings.Split(s, "\n"), func(l string) bool { return strings.Contains(l, "127.0.0.1") }), "\n")
	}
	if strip(again.String()) != strip(text) {
		t.Errorf("second demo differs:\n%s\nvs\n%s", again.String(), text)
	}
}

func TestRunWatch(t *testing.T) {
	for _, tc := range []struct {
		name      string
		mailboxes []string
	}{{"idle on one mailbox", []string{"INBOX"}}, {"polling two mailboxes", []string{"INBOX", "Other"}}} {
		t.Run(tc.name, func(t *testing.T) {
			env := memRunEnv(t)
			env.seed(t, sample(t, "exim/rcpt-rejected.eml"))
			for _, mb := range tc.mailboxes[1:] {
				if _, err := env.mem.Append(mb, sample(t, "postfix/user-unknown-text-only.eml"), time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			first := len(tc.mailboxes)
			o := runOpts(env, filepath.Join(t.TempDir(), "store.db"))
			o.watch = true
			o.mailboxes = tc.mailboxes
			o.imap.PollInterval = 50 * time.Millisecond
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			handled := make(chan int, 10)
			o.afterMail = func(n int) { handled <- n }
			var sum runSummary
			o.summary = &sum
			errc := make(chan error, 1)
			go func() { errc <- runRun(ctx, o, io.Discard, io.Discard) }()
			wait := func(want int) {
				t.Helper()
				select {
				case n := <-handled:
					if n != want {
						t.Fatalf("handled mail #%d, want #%d", n, want)
					}
				case <-ctx.Done():
					t.Fatalf("watch did not handle mail #%d", want)
				}
			}
			for i := 1; i <= first; i++ {
				wait(i)
			}
			time.Sleep(100 * time.Millisecond) // settle into IDLE or the poll wait
			env.seed(t, sample(t, "gmail/permanent-user-unknown.eml"))
			wait(first + 1)
			cancel()
			if err := <-errc; err != nil {
				t.Errorf("runRun --watch returned %v after the signal, want nil", err)
			}
			if sum.Fetched != first+1 || sum.Hard != first+1 {
				t.Errorf("watch summary %+v, want %d hard bounces", sum, first+1)
			}
		})
	}
}

func TestRunRecoversFromPanic(t *testing.T) {
	env := memRunEnv(t)
	env.seed(t, samples(t, "exim/rcpt-rejected.eml", "gmail/permanent-user-unknown.eml", "postfix/user-unknown-text-only.eml")...)
	o := runOpts(env, filepath.Join(t.TempDir(), "store.db"))
	o.decode = func(_ context.Context, raw []byte) (*dsn.Report, []classify.Verdict) {
		if strings.Contains(string(raw), "nobody-here@example.org") {
			panic("decoder bug")
		}
		return decodeOne(raw)
	}
	var sum runSummary
	o.summary = &sum
	err := runRun(context.Background(), o, io.Discard, io.Discard)
	if !errors.Is(err, errProblems) {
		t.Errorf("run with a panicking mail: %v, want errProblems (exit 3)", err)
	}
	if sum.Fetched != 3 || sum.Hard != 2 || sum.Problems != 1 {
		t.Errorf("summary %+v: want 3 fetched, the 2 others recorded as hard, 1 problem", sum)
	}
	st := snapshot(t, env, o.db)
	if len(st.Ledger) != 3 || len(st.Folders["INBOX"]) != 1 || len(st.Folders["Processed"]) != 2 {
		t.Errorf("after a panic: %d ledger rows, INBOX %d, Processed %d; want 3, 1 (left in place), 2", len(st.Ledger), len(st.Folders["INBOX"]), len(st.Folders["Processed"]))
	}
	if !slices.ContainsFunc(st.Ledger, func(l string) bool { return strings.Contains(l, "problems=1") }) {
		t.Errorf("the panicking mail's ledger row counts no problem: %v", st.Ledger)
	}
}

func TestRunCommandDovecotTLS(t *testing.T) {
	d := testutil.StartDovecot(t)
	d.Seed(t, "", sample(t, "exim/rcpt-rejected.eml"))
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "pw")
	os.WriteFile(pwFile, []byte(d.Password+"\n"), 0o600)
	db := filepath.Join(dir, "store.db")
	t.Setenv("BOUNCEPROC_IMAP_PASSWORD", "")
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"implicit TLS without the CA", []string{"--imap", d.TLSAddr}, exitFailure, "certificate"},
		{"STARTTLS with the CA", []string{"--imap", d.Addr, "--tls", "starttls", "--ca-file", d.CAFile}, exitOK, ""},
		{"implicit TLS with the CA", []string{"--imap", d.TLSAddr, "--ca-file", d.CAFile}, exitOK, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb strings.Builder
			args := append([]string{"run", "--user", d.User, "--password-file", pwFile, "--db", db, "--flag", "--progress", "never"}, tc.args...)
			code := runMain(context.Background(), args, &out, &errb)
			if code != tc.wantCode || !strings.Contains(errb.String(), tc.wantErr) {
				t.Errorf("bounceproc %s: exit %d, stderr %q; want exit %d mentioning %q", strings.Join(args, " "), code, errb.String(), tc.wantCode, tc.wantErr)
			}
			if strings.Contains(out.String()+errb.String(), d.Password) {
				t.Errorf("the password shows in the output")
			}
		})
	}
	items := inventory(t, &runEnv{cfg: imapfetch.Config{Addr: d.Addr, TLS: imapfetch.TLSNone, AllowPlaintext: true, User: d.User, Password: d.Password}}, "INBOX")
	if len(items) != 1 || !slices.ContainsFunc(items[0].Flags, func(f string) bool { return strings.EqualFold(f, imapfetch.DefaultKeyword) }) {
		t.Errorf("INBOX after the TLS runs: %+v, want the bounce flagged %s", items, imapfetch.DefaultKeyword)
	}
}

func TestProgressBar(t *testing.T) {
	var w strings.Builder
	b := newProgressBar(&w, 1)
	b.start("INBOX", 4)
	for range 4 {
		b.step()
	}
	b.finish()
	got := w.String()
	for _, want := range []string{"\rINBOX [" + strings.Repeat(" ", 30) + "] 0/4 mails", "\rINBOX [" + strings.Repeat("=", 30) + "] 4/4 mails"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress output %q lacks %q", got, want)
		}
	}
	if !strings.HasSuffix(got, "\n") {
		t.Errorf("progress output %q does not end its line", got)
	}
	// Off a terminal: no bar, a log line every 1,000 mails.
	var logs strings.Builder
	w.Reset()
	b = newProgressBar(&w, 0)
	b.log = slog.New(slog.NewTextHandler(&logs, nil))
	b.start("INBOX", 2500)
	for range 2500 {
		b.step()
	}
	b.finish()
	if w.Len() != 0 || strings.Count(logs.String(), "msg=progress") != 2 {
		t.Errorf("off a terminal: bar %q, logs %q; want no bar and 2 progress lines", w.String(), logs.String())
	}
}

func TestRunUIDValidityChangeAfterACrash(t *testing.T) {
	eachRunEnv(t, func(t *testing.T, newEnv func(testing.TB) *runEnv) {
		env := newEnv(t)
		env.seed(t, samples(t, mixedSamples...)...)
		db := filepath.Join(t.TempDir(), "store.db")
		o := runOpts(env, db)
		o.mark = imapfetch.Mark{Action: imapfetch.MarkFlag} // everything stays in INBOX
		// A run that dies after its first batch is recorded, before anything is marked.
		killedRun(t, env, db, 3, "flag")
		mid := snapshot(t, env, db)
		unmarked := 0
		for _, l := range mid.Ledger {
			if strings.Contains(l, "marked=0") {
				unmarked++
			}
		}
		if unmarked == 0 {
			t.Fatalf("the interrupted run left no unmarked mail: %v", mid.Ledger)
		}
		env.resetValidity(t)
		sum, _ := doRun(t, o)
		if sum.Fetched != len(mixedSamples) {
			t.Errorf("rescan fetched %d, want %d", sum.Fetched, len(mixedSamples))
		}
		after := snapshot(t, env, db)
		for _, l := range after.Ledger {
			if strings.Contains(l, "marked=0") {
				t.Errorf("ledger row still unmarked after the rescan: %s", l)
			}
		}
		// No event counted twice: each recipient's events once, as the goldens list them; every
		// bounce flagged, other mail left alone.
		var wantEvents, wantFlagged, flagged int
		for _, name := range mixedSamples {
			if g := readGolden(t, name); g.processed() {
				wantEvents += len(g.Recipients)
				wantFlagged++
			}
		}
		for _, it := range after.Folders["INBOX"] {
			if strings.Contains(it, strings.ToLower(imapfetch.DefaultKeyword)) {
				flagged++
			}
		}
		if flagged != wantFlagged {
			t.Errorf("%d mails flagged after the rescan, want %d: %v", flagged, wantFlagged, after.Folders["INBOX"])
		}
		if len(after.Events) != wantEvents {
			t.Errorf("%d events after a crash and a UIDVALIDITY change, want %d", len(after.Events), wantEvents)
		}
	})
}

// TestRunDatesEventsByTheirHeaders: an event is dated by its bounce's newest Received header,
// else its Date header, not by the server's INTERNALDATE (which the run does not fetch; the
// in-memory server's is 2026-11-02), and a bounce with neither is dated when it is recorded.
func TestRunDatesEventsByTheirHeaders(t *testing.T) {
	env := memRunEnv(t)
	received := sample(t, "postfix/user-unknown-text-only.eml") // Received: ...; Tue, 14 Mar 2023 09:12:44 +0100 (CET)
	dateOnly := bytes.Replace(received, []byte("Received:"), []byte("X-Was-Received:"), 1)
	dateOnly = bytes.Replace(dateOnly, []byte("Date: Tue, 14 Mar 2023 09:12:44"), []byte("Date: Wed, 15 Mar 2023 10:00:00"), 1)
	neither := bytes.Replace(dateOnly, []byte("Date:"), []byte("X-Date:"), 1)
	env.seed(t, received, dateOnly, neither)
	db := filepath.Join(t.TempDir(), "store.db")
	before := time.Now()
	doRun(t, runOpts(env, db))
	after := time.Now()

	sdb, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	rows, err := sdb.Query(`SELECT l.uid, e.occurred_at FROM events e JOIN ledger l ON l.id = e.ledger_id ORDER BY l.uid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[int]time.Time{}
	for rows.Next() {
		var uid int
		var ms int64
		if err := rows.Scan(&uid, &ms); err != nil {
			t.Fatal(err)
		}
		got[uid] = time.UnixMilli(ms)
	}
	want := map[int]time.Time{
		1: time.Date(2023, 3, 14, 8, 12, 44, 0, time.UTC),
		2: time.Date(2023, 3, 15, 9, 0, 0, 0, time.UTC),
	}
	for uid, w := range want {
		if !got[uid].Equal(w) {
			t.Errorf("UID %d dated %v, want %v", uid, got[uid], w)
		}
	}
	if g := got[3]; g.Before(before.Truncate(time.Millisecond)) || g.After(after) {
		t.Errorf("UID 3 (no Received, no Date) dated %v, want the time of the run (%v to %v)", g, before, after)
	}
	if len(got) != 3 {
		t.Errorf("events of UIDs %v, want one each for UIDs 1-3", got)
	}
}

// TestRunConnectionCutInsideAMail cuts the connection at byte offsets spread over the first
// mails, so that some cuts fall inside a mail's body: the run reconnects, fetches the cut mail
// again and records, without a rerun, what a run without a cut records. (go-imap reports a
// connection's end inside a literal as the literal's end; a mail cut short was once recorded as
// a shorter mail.) The mails stay in place, so that one server serves every cut.
func TestRunConnectionCutInsideAMail(t *testing.T) {
	eachRunEnv(t, func(t *testing.T, newEnv func(testing.TB) *runEnv) {
		env := newEnv(t)
		env.seed(t, testMails(t)...)
		run := func(name, addr string, cut int64) (state, string) {
			db := filepath.Join(t.TempDir(), name)
			o := runOpts(env, db)
			o.mark = imapfetch.Mark{} // leave in place
			o.imap.Addr = addr
			var logs strings.Builder
			o.logger = slog.New(slog.NewTextHandler(&logs, nil))
			doRun(t, o)
			return snapshot(t, env, db), logs.String()
		}
		ref, _ := run("ref.db", env.cfg.Addr, 0)
		retried := 0
		for cut := int64(1200); cut < 11000; cut += 1700 {
			proxy := testutil.StartProxy(t, env.cfg.Addr)
			proxy.CutAfter(cut)
			got, logs := run(fmt.Sprintf("cut%d.db", cut), proxy.Addr(), cut)
			if proxy.Cuts() != 1 {
				t.Fatalf("cut after %d bytes: the proxy cut %d times, want 1", cut, proxy.Cuts())
			}
			retried += strings.Count(logs, "will retry")
			if diff := cmp.Diff(ref, got); diff != "" {
				t.Errorf("cut after %d bytes: state differs from a run without a cut (-want +got):\n%s", cut, diff)
			}
		}
		if retried == 0 {
			t.Error("no cut fell inside a mail: move the offsets")
		}
	})
}

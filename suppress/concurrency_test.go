package suppress

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
)

// The tests re-execute their own binary as a child process (os.Args[0]) with childEnv set
// to the child's job: "record" records mails one transaction each; "killed" begins recording
// a mail and waits, after all its writes and before the commit, to be killed.
const childEnv = "SUPPRESS_TEST_CHILD"

func TestMain(m *testing.M) {
	if job := os.Getenv(childEnv); job != "" {
		if err := runChild(job); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	cleanupBench()
	os.Exit(code)
}

func runChild(job string) error {
	ctx := context.Background()
	path := os.Getenv("SUPPRESS_TEST_DB")
	switch job {
	case "record":
		n, err := strconv.Atoi(os.Getenv("SUPPRESS_TEST_N"))
		if err != nil {
			return err
		}
		s, err := Open(ctx, path, Options{})
		if err != nil {
			return err
		}
		defer s.Close()
		return recordMany(ctx, s, os.Getenv("SUPPRESS_TEST_MAILBOX"), n)
	case "killed":
		s, err := Open(ctx, path, Options{beforeCommit: func() {
			fmt.Println("WRITTEN")
			time.Sleep(time.Hour)
		}})
		if err != nil {
			return err
		}
		_, err = s.RecordMail(ctx, Mail{MailID: MailID{"INBOX", 7, 2}, MessageID: "<two@x>", Hash: HashRaw([]byte("two")), Checkpoint: true},
			[]Event{{Address: "victim@example.org", Kind: classify.KindHard}, {Address: "first@example.org", Kind: classify.KindHard}})
		return err
	case "lease":
		s, err := Open(ctx, path, Options{})
		if err != nil {
			return err
		}
		defer s.Close()
		err = s.AcquireLease(ctx, "run", fmt.Sprintf("child:%d", os.Getpid()), time.Minute)
		switch {
		case errors.Is(err, ErrLeaseHeld):
			fmt.Println("BUSY")
			return nil
		case err != nil:
			return err
		}
		fmt.Println("HELD")
		return nil
	}
	return fmt.Errorf("unknown job %q", job)
}

// recordMany records n mails in mailbox, one transaction each, each with an event for an
// address of its own and a soft bounce for shared@example.org.
func recordMany(ctx context.Context, s Store, mailbox string, n int) error {
	for i := 1; i <= n; i++ {
		m := Mail{
			MailID:     MailID{Mailbox: mailbox, UIDValidity: 1, UID: uint32(i)},
			MessageID:  fmt.Sprintf("<%s-%d@x>", mailbox, i),
			Hash:       HashRaw([]byte(fmt.Sprintf("%s %d", mailbox, i))),
			Checkpoint: true,
		}
		evs := []Event{
			{Address: fmt.Sprintf("%s-%d@example.org", strings.ToLower(mailbox), i), Kind: classify.KindHard},
			{Address: "shared@example.org", Kind: classify.KindSoft},
		}
		if _, err := s.RecordMail(ctx, m, evs); err != nil {
			return err
		}
	}
	return nil
}

// checkAll verifies that every mail of every mailbox was recorded, nothing twice.
func checkAll(t *testing.T, s *SQLite, mailboxes []string, n int) {
	t.Helper()
	total := len(mailboxes) * n
	if got := count(t, s, "SELECT count(*) FROM ledger"); got != total {
		t.Errorf("%d ledger rows, want %d", got, total)
	}
	if got := count(t, s, "SELECT count(*) FROM events"); got != 2*total {
		t.Errorf("%d events, want %d", got, 2*total)
	}
	if got := count(t, s, "SELECT count(*) FROM entries WHERE suppressed = 1 AND kind = 'hard'"); got != total {
		t.Errorf("%d hard suppressions, want %d", got, total)
	}
	if e := lookup(t, s, "shared@example.org"); e.BounceCount != total {
		t.Errorf("shared address counted %d bounces, want %d (lost updates)", e.BounceCount, total)
	}
	for _, mb := range mailboxes {
		if _, uid, err := s.Checkpoint(context.Background(), mb); err != nil || uid != uint32(n) {
			t.Errorf("checkpoint of %s = %d, %v; want %d", mb, uid, err, n)
		}
	}
	if !onPostgres() { // SQLite only: PostgreSQL has no integrity_check
		var ok string
		if err := s.db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
			t.Errorf("integrity_check = %q, %v", ok, err)
		}
	}
}

func TestConcurrentGoroutines(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	a := openAtPath(t, path, Options{})
	b := openAtPath(t, path, Options{})
	const n = 60
	mailboxes := []string{"A1", "A2", "B1", "B2"}
	var wg sync.WaitGroup
	errs := make(chan error, len(mailboxes))
	for i, mb := range mailboxes {
		st := a
		if i >= 2 {
			st = b
		}
		wg.Go(func() { errs <- recordMany(ctx, st, mb, n) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	checkAll(t, a, mailboxes, n)
}

func TestConcurrentProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	const n = 80
	mailboxes := []string{"P1", "P2"}
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for _, mb := range mailboxes {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=record", "SUPPRESS_TEST_DB="+storeName(t, path),
			"SUPPRESS_TEST_MAILBOX="+mb, "SUPPRESS_TEST_N="+strconv.Itoa(n))
		out := new(strings.Builder)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child %s: %v\n%s", mailboxes[i], err, outs[i])
		}
	}
	checkAll(t, openAtPath(t, path, Options{}), mailboxes, n)
}

func TestKilledMidTransaction(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "killed.db")
	s := openAtPath(t, path, Options{})
	if _, err := s.RecordMail(ctx, Mail{MailID: MailID{"INBOX", 7, 1}, MessageID: "<one@x>", Hash: HashRaw([]byte("one")), Checkpoint: true},
		[]Event{{Address: "first@example.org", Kind: classify.KindSoft}}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=killed", "SUPPRESS_TEST_DB="+storeName(t, path))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "WRITTEN\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q, %v; stderr:\n%s", line, err, stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("child exited cleanly; it should have been killed")
	}

	s = openAtPath(t, path, Options{})
	if got := count(t, s, "SELECT count(*) FROM ledger"); got != 1 {
		t.Errorf("%d ledger rows after the kill, want 1", got)
	}
	if got := count(t, s, "SELECT count(*) FROM events"); got != 1 {
		t.Errorf("%d events after the kill, want 1", got)
	}
	if _, err := s.Lookup(ctx, "victim@example.org"); err == nil {
		t.Error("the killed transaction's address is in the store")
	}
	if e := lookup(t, s, "first@example.org"); e.Suppressed || e.BounceCount != 1 || e.Kind != classify.KindSoft {
		t.Errorf("first@example.org after the kill = %+v; want as before", e)
	}
	if _, uid, _ := s.Checkpoint(ctx, "INBOX"); uid != 1 {
		t.Errorf("checkpoint after the kill = %d, want 1", uid)
	}
	if !onPostgres() { // SQLite only: PostgreSQL has no integrity_check
		var ok string
		if err := s.db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
			t.Errorf("integrity_check = %q, %v", ok, err)
		}
	}
	// The lock died with the process: the same mail records now.
	res, err := s.RecordMail(ctx, Mail{MailID: MailID{"INBOX", 7, 2}, MessageID: "<two@x>", Hash: HashRaw([]byte("two"))},
		[]Event{{Address: "victim@example.org", Kind: classify.KindHard}})
	if err != nil || res.Duplicate || len(res.Suppressed) != 1 {
		t.Errorf("recording the killed mail again = %+v, %v", res, err)
	}
}

func TestLeaseAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lease.db")
	s := openAtPath(t, path, Options{})
	child := func() string {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=lease", "SUPPRESS_TEST_DB="+storeName(t, path))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if err := s.AcquireLease(ctx, "run", "parent", time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := child(); got != "BUSY" {
		t.Errorf("child while the parent holds the lease: %q, want BUSY", got)
	}
	if err := s.ReleaseLease(ctx, "run", "parent"); err != nil {
		t.Fatal(err)
	}
	if got := child(); got != "HELD" {
		t.Errorf("child after the release: %q, want HELD", got)
	}
	if err := s.AcquireLease(ctx, "run", "parent", time.Minute); !errors.Is(err, ErrLeaseHeld) {
		t.Errorf("parent after the child took the lease: %v, want ErrLeaseHeld", err)
	}
}

// TestWriteAfterLostConnection: when database/sql has closed the connection writes run on
// (as it does with one its driver reported broken), the next write takes a fresh one.
func TestWriteAfterLostConnection(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	events := []Event{{Address: "a@example.org", Kind: classify.KindHard}}
	if _, err := s.RecordMail(ctx, mailN(1), events); err != nil {
		t.Fatal(err)
	}
	s.wmu.Lock()
	s.wconn.Raw(func(any) error {
		for _, st := range s.raw {
			st.Close()
		}
		return nil
	})
	s.raw = nil
	s.wconn.Close() // what database/sql does to a Conn whose driver connection went bad
	s.wmu.Unlock()

	if _, err := s.RecordMail(ctx, mailN(2), []Event{{Address: "b@example.org", Kind: classify.KindHard}}); err != nil {
		t.Fatalf("recording after the write connection was closed: %v", err)
	}
	if e := lookup(t, s, "b@example.org"); !e.Suppressed {
		t.Errorf("b@example.org after recording on a fresh connection: %+v", e)
	}
}

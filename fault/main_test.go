package fault

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/internal/testutil"
)

// bin is the bounceproc binary TestMain builds for the package's tests.
var bin string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "fault-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, "fault:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin = filepath.Join(dir, "bounceproc")
	build := exec.Command("go", "build", "-o", bin, "./cmd/bounceproc")
	build.Dir = ".." // the module's root
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "fault: go build ./cmd/bounceproc: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// envInt is $name as a number, or def when unset.
func envInt(tb testing.TB, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		tb.Fatalf("$%s = %q: want a positive number", name, v)
	}
	return n
}

// hasMailboxLeases says whether the binary leases each mailbox to one worker (run has --lease),
// so that several runs may share one store; without it a second run finds the store taken.
func hasMailboxLeases(tb testing.TB) bool {
	tb.Helper()
	out, _ := exec.Command(bin, "run", "-h").CombinedOutput()
	return bytes.Contains(out, []byte("-lease"))
}

// server is a Dovecot whose mailboxes a test filled, and the run config that reads them.
type server struct {
	d      *testutil.Dovecot
	addr   string // what the workers connect to: Dovecot, or a proxy in front of it
	config string // the run config file
}

// startServer starts a Dovecot, fills it with set, and writes a run config for it in which
// bounces are moved to Processed and other mail to Others (mark gives other settings instead,
// as "key = value" lines).
func startServer(tb testing.TB, set mailSet, mark ...string) *server {
	tb.Helper()
	d := testutil.StartDovecot(tb)
	start := time.Now()
	errs := make(chan error, len(set.names))
	for b, name := range set.names {
		go func() { errs <- testutil.AppendAll(d.Addr, d.User, d.Password, name, set.mails[b]) }()
	}
	for range set.names {
		if err := <-errs; err != nil {
			tb.Fatal(err)
		}
	}
	tb.Logf("filled %d mailboxes with %d mails in %v", len(set.names), set.total(), time.Since(start).Round(time.Millisecond))
	s := &server{d: d, addr: d.Addr}
	if len(mark) == 0 {
		mark = []string{"move-to = Processed", "others-to = Others"}
	}
	s.writeConfig(tb, set.names, mark)
	return s
}

// writeConfig writes the run config file: the server, its user, plain text (loopback), the
// mailboxes, how to mark, no progress bar. The password goes in the environment (workerEnv).
func (s *server) writeConfig(tb testing.TB, mailboxes, mark []string) {
	tb.Helper()
	lines := []string{"imap = " + s.addr, "user = " + s.d.User, "tls = none", "progress = never"}
	for _, mb := range mailboxes {
		lines = append(lines, "mailbox = "+mb)
	}
	lines = append(lines, mark...)
	s.config = filepath.Join(tb.TempDir(), "run.conf")
	if err := os.WriteFile(s.config, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// workerEnv is the environment of a bounceproc process: the test's, without BOUNCEPROC_
// settings that would change the run, plus the IMAP password.
func (s *server) workerEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BOUNCEPROC_") {
			env = append(env, kv)
		}
	}
	return append(env, "BOUNCEPROC_IMAP_PASSWORD="+s.d.Password)
}

// proc is one bounceproc process.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string // its output file
	done chan struct{}
	err  error // set when done is closed
}

// start starts `bounceproc ARGS...` with its output in a file in logDir.
func (s *server) start(tb testing.TB, logDir, name string, args ...string) *proc {
	tb.Helper()
	p := &proc{name: name, log: filepath.Join(logDir, name+".log"), done: make(chan struct{})}
	out, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		tb.Fatal(err)
	}
	fmt.Fprintf(out, "=== %s: bounceproc %s\n", time.Now().Format("15:04:05.000"), strings.Join(args, " "))
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = s.workerEnv()
	p.cmd.Stdout, p.cmd.Stderr = out, out
	if err := p.cmd.Start(); err != nil {
		out.Close()
		tb.Fatalf("starting %s: %v", name, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		out.Close()
		close(p.done)
	}()
	return p
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill ends the process with SIGKILL and waits for it; it reports whether the signal ended it
// (false when it had exited already).
func (p *proc) kill() bool {
	if p.exited() {
		return false
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// wait waits for the process to end (killing it after timeout) and returns nil when it ended
// as a run that did its work ends: status 0, or 3 (finished, some mails had problems: the
// samples include damaged mails on purpose).
func (p *proc) wait(timeout time.Duration) error {
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.kill()
		return fmt.Errorf("%s: still running after %v: killed (see %s)", p.name, timeout, p.log)
	}
	if code := p.cmd.ProcessState.ExitCode(); code == 0 || code == 3 {
		return nil
	}
	return fmt.Errorf("%s: %v (see %s)", p.name, p.err, p.log)
}

// runOnce runs bounceproc ARGS to its end and returns its standard output; the process must
// end with one of the statuses ok.
func (s *server) runOnce(tb testing.TB, ctx context.Context, ok []int, args ...string) string {
	tb.Helper()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = s.workerEnv()
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	code := cmd.ProcessState.ExitCode()
	for _, c := range ok {
		if code == c {
			return out.String()
		}
	}
	tb.Fatalf("bounceproc %s: %v (exit %d, want one of %v)\n%s%s", strings.Join(args, " "), err, code, ok, out.String(), stderr.String())
	return ""
}

// logTail returns the end of a log file, for a failure message.
func logTail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Package pgtest starts a private PostgreSQL server for the tests of one package: the first
// call to Start in a test process runs initdb in a temp dir and starts the server on a free
// loopback port; every call returns the URL of a fresh, empty database on it. The server is
// stopped and its directory removed when the test process exits (a small watchdog process
// waits for it), so a package needs no TestMain.
//
// The binaries come from Debian's postgresql package (/usr/lib/postgresql/15/bin, or the
// directory in PGTEST_BIN); a test is skipped when they are missing. initdb refuses to run as
// root, so as root the server runs as the postgres user in a directory whose parents are all
// o+x; as any other user it runs as that user.
//
// The server trades durability for speed (fsync=off, synchronous_commit=off,
// full_page_writes=off). PGTEST_OPTS adds server options after those, and so overrides them:
// "-c fsync=on -c synchronous_commit=on -c full_page_writes=on" measures a durable server, and
// "-c shared_preload_libraries=pg_stat_statements" lets a benchmark read where its time went.
package pgtest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
)

// server is the one PostgreSQL of this test process.
type server struct {
	bin  string // directory of initdb, pg_ctl, createdb
	dir  string // temp dir: data/, pg.log, the socket
	port int
	cred *syscall.Credential // nil: run as ourselves
}

var (
	mu      sync.Mutex
	started *server
	failed  error
	skipped string
	dbSeq   atomic.Int64
)

// Start returns the URL of a new, empty database on this process's private PostgreSQL,
// starting the server on first use. The test is skipped when PostgreSQL is not installed and
// fails when it is installed but does not start.
func Start(tb testing.TB) string {
	tb.Helper()
	mu.Lock()
	if started == nil && failed == nil && skipped == "" {
		started, skipped, failed = start()
	}
	s, skip, err := started, skipped, failed
	mu.Unlock()
	if skip != "" {
		tb.Skip(skip)
	}
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq.Add(1))
	if out, err := s.run("createdb", "-h", "127.0.0.1", "-p", strconv.Itoa(s.port), "-U", "postgres", name); err != nil {
		tb.Fatalf("pgtest: createdb %s: %v\n%s", name, err, out)
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, name)
}

// binDir finds the PostgreSQL binaries.
func binDir() string {
	if d := os.Getenv("PGTEST_BIN"); d != "" {
		return d
	}
	return "/usr/lib/postgresql/15/bin"
}

// start runs initdb and pg_ctl start. It returns a skip reason when PostgreSQL is absent.
func start() (*server, string, error) {
	bin := binDir()
	for _, b := range []string{"initdb", "pg_ctl", "createdb"} {
		if _, err := os.Stat(filepath.Join(bin, b)); err != nil {
			return nil, "PostgreSQL is not installed (Debian: apt-get install postgresql; or set PGTEST_BIN); skipping the PostgreSQL test", nil
		}
	}
	s := &server{bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, "running as root and there is no postgres user to run PostgreSQL as; skipping the PostgreSQL test", nil
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, "", fmt.Errorf("temp dir: %w", err)
	}
	s.dir = dir
	// The server user must reach the directory: os.MkdirTemp makes it 0700 and owned by us.
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, "", fmt.Errorf("chmod %s: %w", dir, err)
	}
	if s.cred != nil {
		if err := os.Chown(dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			return nil, "", fmt.Errorf("chown %s: %w", dir, err)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := s.run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, "", fmt.Errorf("initdb: %w\n%s", err, out)
	}
	// A free port can be taken between our probe and the server's bind: try a few.
	var lastErr error
	for range 5 {
		port, err := freePort()
		if err != nil {
			return nil, "", err
		}
		s.port = port
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", port, dir)
		if extra := os.Getenv("PGTEST_OPTS"); extra != "" {
			opts += " " + extra // later settings win
		}
		out, err := s.run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "pg.log"), "-w", "-o", opts, "start")
		if err == nil {
			s.watch()
			return s, "", nil
		}
		log, _ := os.ReadFile(filepath.Join(dir, "pg.log"))
		lastErr = fmt.Errorf("pg_ctl start: %w\n%s\n%s", err, out, log)
	}
	os.RemoveAll(dir)
	return nil, "", lastErr
}

// run runs one of the PostgreSQL binaries as the server user and returns its output.
func (s *server) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = os.TempDir()
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// watch starts a detached shell that waits for this test process to exit, then stops the
// server and removes its directory. It outlives us on purpose: its own session, no pipes.
func (s *server) watch() {
	ctl := filepath.Join(s.bin, "pg_ctl")
	data := filepath.Join(s.dir, "data")
	script := fmt.Sprintf(`while kill -0 %d 2>/dev/null; do sleep 0.5; done; %s; rm -rf %q`,
		os.Getpid(), s.stopCommand(ctl, data), s.dir)
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		// Without the watchdog the server outlives the tests; stop it is all we can say.
		fmt.Fprintf(os.Stderr, "pgtest: starting the watchdog: %v (stop the server with: %s)\n", err, s.stopCommand(ctl, data))
		return
	}
	_ = cmd.Process.Release()
}

// stopCommand is the shell command that stops the server.
func (s *server) stopCommand(ctl, data string) string {
	stop := fmt.Sprintf("%q -D %q -m immediate stop >/dev/null 2>&1", ctl, data)
	if s.cred != nil {
		// As root, run pg_ctl as the server's owner (it refuses root); setpriv is in util-linux.
		stop = fmt.Sprintf("setpriv --reuid=%d --regid=%d --clear-groups %s", s.cred.Uid, s.cred.Gid, stop)
	}
	return stop
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	addr, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		return 0, errors.New("finding a free port: not a TCP address")
	}
	return addr.Port, nil
}

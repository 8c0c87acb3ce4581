package pipeline

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/imapfetch"
)

// TestHolderGone: only a holder named as defaultHolder names it, on this host, whose process
// has ended, is gone.
func TestHolderGone(t *testing.T) {
	host, err := os.Hostname()
	if err != nil || host == "" {
		t.Skip("no host name")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := cmd.Process.Pid
	for _, c := range []struct {
		holder string
		want   bool
	}{
		{fmt.Sprintf("%s:%d:0a1b2c3d", host, dead), true},
		{fmt.Sprintf("%s:%d:0a1b2c3d", host, os.Getpid()), false},  // this process
		{fmt.Sprintf("%s:%d:0a1b2c3d", host, os.Getppid()), false}, // alive
		{fmt.Sprintf("other-%s:%d:0a1b2c3d", host, dead), false},   // another host
		{fmt.Sprintf("%s:x:0a1b2c3d", host), false},
		{"worker-a", false},
		{"", false},
	} {
		if got := holderGone(c.holder); got != c.want {
			t.Errorf("holderGone(%q) = %v, want %v", c.holder, got, c.want)
		}
	}
}

// TestRunTakesOverTheLeaseOfADeadRun: the lease of a run of this host whose process is gone
// (killed, crashed) is taken over at once by the next run, not waited out; a live holder's is
// left to it.
func TestRunTakesOverTheLeaseOfADeadRun(t *testing.T) {
	env := newWorkerEnv(t, 1, 5)
	host, _ := os.Hostname()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	w := env.worker(t, "", time.Hour)
	name := LeaseName(env.imap, env.mailboxes[0])

	alive := fmt.Sprintf("%s:%d:00000000", host, os.Getppid())
	if err := w.st.AcquireLease(ctx, name, alive, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, w.cfg, w.st, w.c); err == nil {
		t.Fatal("a run took the mailbox of a live holder")
	}
	if err := w.st.ReleaseLease(ctx, name, alive); err != nil {
		t.Fatal(err)
	}

	dead := fmt.Sprintf("%s:%d:00000000", host, cmd.Process.Pid)
	if err := w.st.AcquireLease(ctx, name, dead, time.Hour); err != nil {
		t.Fatal(err)
	}
	sum, err := Run(ctx, w.cfg, w.st, w.c)
	if err != nil || sum.Fetched != 5 {
		t.Fatalf("run after a dead holder: %+v, %v; want the 5 mails fetched", sum, err)
	}
	env.checkAllOnce(t, 5)
}

func TestLeaseNameIgnoresHostCase(t *testing.T) {
	a := LeaseName(imapfetch.Config{Addr: "IMAP.Example.com:993", User: "Postmaster"}, "Bounces")
	b := LeaseName(imapfetch.Config{Addr: "imap.example.com:993", User: "Postmaster"}, "Bounces")
	if a != b {
		t.Errorf("LeaseName differs by the host's case: %q, %q", a, b)
	}
	// The user and the mailbox keep their case: IMAP servers may tell them apart.
	if c := LeaseName(imapfetch.Config{Addr: "imap.example.com:993", User: "postmaster"}, "bounces"); c == a {
		t.Errorf("LeaseName ignores the case of the user or mailbox: %q", c)
	}
}

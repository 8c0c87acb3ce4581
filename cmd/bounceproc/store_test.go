package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/suppress"
)

// storeCLI runs bounceproc subcommands against one store file in a temp dir.
type storeCLI struct {
	t  *testing.T
	db string
}

func newStoreCLI(t *testing.T) *storeCLI {
	t.Helper()
	t.Setenv("USER", "tester")
	return &storeCLI{t: t, db: filepath.Join(t.TempDir(), "store.db")}
}

// run runs `bounceproc CMD --db DB ARGS...` and returns its exit code and output.
func (c *storeCLI) run(args ...string) (code int, stdout, stderr string) {
	c.t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{args[0], "--db", c.db}, args[1:]...)
	code = runMain(context.Background(), full, &out, &errb)
	return code, out.String(), errb.String()
}

// mustRun runs a command that must exit 0.
func (c *storeCLI) mustRun(args ...string) string {
	c.t.Helper()
	code, out, errs := c.run(args...)
	if code != exitOK {
		c.t.Fatalf("bounceproc %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// record records one mail per event straight into the store, as run would.
func (c *storeCLI) record(events ...suppress.Event) {
	c.t.Helper()
	ctx := context.Background()
	st, err := suppress.Open(ctx, c.db, suppress.Options{})
	if err != nil {
		c.t.Fatal(err)
	}
	defer st.Close()
	_, last, err := st.Checkpoint(ctx, "INBOX")
	if err != nil {
		c.t.Fatal(err)
	}
	var batch []suppress.MailEvents
	for i, ev := range events {
		n := last + uint32(i) + 1
		batch = append(batch, suppress.MailEvents{
			Mail: suppress.Mail{MailID: suppress.MailID{Mailbox: "INBOX", UIDValidity: 1, UID: n},
				MessageID: fmt.Sprintf("<%d@test>", n), Hash: suppress.HashRaw(fmt.Appendf(nil, "mail %d", n)), Checkpoint: true},
			Events: []suppress.Event{ev},
		})
	}
	if _, err := st.RecordMails(ctx, batch); err != nil {
		c.t.Fatal(err)
	}
}

func day(n int) time.Time { return time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC).AddDate(0, 0, n) }

func hard(addr string, d int, diag string) suppress.Event {
	return suppress.Event{Address: addr, Kind: classify.KindHard, Reason: classify.ReasonUserUnknown, Status: "5.1.1",
		Reply: "550", Diagnostic: diag, Hard: true, Suppress: true, OccurredAt: day(d)}
}

func TestParseInterspersed(t *testing.T) {
	cases := []struct {
		args    []string
		wantPos []string
		wantWhy string
	}{
		{[]string{"a@x.org", "--why", "because"}, []string{"a@x.org"}, "because"},
		{[]string{"--why", "because", "a@x.org", "b@x.org"}, []string{"a@x.org", "b@x.org"}, "because"},
		{[]string{"a@x.org", "--why=w", "b@x.org"}, []string{"a@x.org", "b@x.org"}, "w"},
		{[]string{"--", "--why", "x"}, []string{"--why", "x"}, ""},
		{nil, nil, ""},
	}
	for _, tc := range cases {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var why string
		fs.StringVar(&why, "why", "", "")
		pos, err := parseInterspersed(fs, tc.args)
		if err != nil || !slices.Equal(pos, tc.wantPos) || why != tc.wantWhy {
			t.Errorf("parseInterspersed(%q) = %q, why %q, %v; want %q, why %q", tc.args, pos, why, err, tc.wantPos, tc.wantWhy)
		}
	}
}

func TestReadCommandsNeedAStore(t *testing.T) {
	c := newStoreCLI(t)
	for _, cmd := range []string{"export", "list", "stats"} {
		code, _, errs := c.run(cmd)
		if code != exitFailure || !strings.Contains(errs, "no suppression store at") {
			t.Errorf("%s on a missing store: exit %d, %q", cmd, code, errs)
		}
	}
	if code, _, _ := c.run("show", "a@example.org"); code != exitFailure {
		t.Errorf("show on a missing store: exit %d", code)
	}
}

func TestDBFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(dbEnv, filepath.Join(dir, "env.db"))
	var out, errb bytes.Buffer
	if code := runMain(context.Background(), []string{"suppress", "--why", "test", "a@example.org"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	st, err := suppress.Open(context.Background(), filepath.Join(dir, "env.db"), suppress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if e, err := st.Lookup(context.Background(), "a@example.org"); err != nil || !e.Suppressed {
		t.Errorf("the store named by $%s has %+v, %v", dbEnv, e, err)
	}
}

func TestPolicyFlags(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	p := addPolicyFlags(fs)
	if *p != suppress.DefaultPolicy() {
		t.Errorf("defaults = %+v, want %+v", *p, suppress.DefaultPolicy())
	}
	if err := fs.Parse([]string{"--soft-days", "5", "--soft-window", "14d", "--suppress-complaints=false"}); err != nil {
		t.Fatal(err)
	}
	if p.SoftDays != 5 || p.SoftWindow != 14*24*time.Hour || p.SuppressComplaint || !p.SuppressHard {
		t.Errorf("parsed = %+v", *p)
	}
	for _, bad := range []string{"0d", "x", "-1h", "d"} {
		if err := fs.Parse([]string{"--soft-window", bad}); err == nil {
			t.Errorf("--soft-window %q accepted", bad)
		}
	}
	if err := fs.Parse([]string{"--soft-window", "36h"}); err != nil || p.SoftWindow != 36*time.Hour {
		t.Errorf("--soft-window 36h = %v, %v", p.SoftWindow, err)
	}
}

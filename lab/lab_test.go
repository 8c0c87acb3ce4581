package lab

import (
	"bytes"
	"flag"
	"fmt"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
	"github.com/bounceproc/bounceproc/internal/testutil"
	"github.com/emersion/go-smtp"
)

var save = flag.Bool("lab.save", false, "write the bounces of the cases marked sample to testdata/eml/<mta>/lab-<case>.eml")

// labDeadline bounds the wait for the bounces; expiry takes a queue lifetime (60 s) plus
// the MTA's next queue run.
const labDeadline = 150 * time.Second

// TestLab runs every MTA against every scripted refusal, in parallel, and checks each
// bounce.
func TestLab(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("lab: needs root to start MTAs (run `make lab` as root; .ci/run installs them)")
	}
	if _, err := os.Stat("/usr/bin/unshare"); err != nil {
		t.Skip("lab: needs unshare(1) from util-linux")
	}
	env := &labEnv{
		routes:  map[string]string{},
		dnsAddr: fmt.Sprintf("127.83.%d.%d", os.Getpid()>>8&0xff, os.Getpid()&0xff|1),
		debRoot: os.Getenv("BOUNCE_LAB_ROOT"),
	}
	if env.debRoot == "" {
		env.debRoot = "/opt/bounceproc-lab/root"
	}
	var run []mta
	only := os.Getenv("BOUNCE_LAB_MTAS") // a comma-separated subset, for a quicker run by hand
	for _, m := range mtas {
		if only != "" && !slices.Contains(strings.Split(only, ","), m.name) {
			continue
		}
		if miss := m.missing(env); miss != "" {
			t.Logf("lab: %s skipped: %s not found (.ci/run installs it)", m.name, miss)
			continue
		}
		run = append(run, m)
	}
	if len(run) == 0 {
		t.Skip("lab: no MTA installed (.ci/run installs postfix, exim4 and opensmtpd)")
	}

	startNXDomain(t, env.dnsAddr)
	rcv := &receiver{scripts: map[string]script{}}
	for _, c := range labCases {
		if c.domain == "" {
			rcv.scripts[c.recipient()] = c.script
		}
	}
	env.routes[mainDomain] = rcv.serveScripted(t, "127.0.0.1")
	env.routes[heloDomain] = serveHELORefusal(t, "127.0.0.2", postfixHELORefused)
	env.routes[blockedDomain] = serveGreetingRefusal(t, "127.0.0.3", microsoftSpamhaus)
	env.routes[deferredDomain] = serveGreetingRefusal(t, "127.0.0.4", yahooDeferred)
	env.routes[refusedDomain] = closedPort(t, "127.0.0.5")

	for _, m := range run {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			runMTA(t, m, env)
		})
	}
}

// bounce is one mail the MTA delivered to the sender's mailbox.
type bounce struct {
	file    string
	raw     []byte
	subject string
	delayed bool // a delay notice, not the final bounce
}

func runMTA(t *testing.T, m mta, env *labEnv) {
	dir, err := os.MkdirTemp("", "bounceproc-lab-"+m.name+"-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() {
		if !t.Failed() {
			os.RemoveAll(dir)
		} else {
			t.Logf("lab: %s files kept in %s", m.name, dir)
		}
	})
	start := time.Now()
	port, maildir, logPath := m.start(t, env, dir)
	for _, c := range labCases {
		if err := submit(port, m.name, c); err != nil {
			t.Fatalf("lab: submit %s to %s: %v", c.name, m.name, err)
		}
	}

	// Wait until each case has its bounce, and each temporary case its delay notice.
	var got map[string][]bounce
	for {
		got = collect(t, m, maildir)
		if complete(got) || time.Since(start) > labDeadline {
			break
		}
		time.Sleep(time.Second)
	}
	t.Logf("lab: %s: bounces after %.0f s", m.name, time.Since(start).Seconds())

	for _, c := range labCases {
		if m.expect != nil {
			c = m.expect(c)
		}
		t.Run(c.name, func(t *testing.T) {
			key := m.name + "/" + c.name
			var errs []string
			check := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
			final, notices := split(got[c.name])
			if final == nil {
				log, _ := os.ReadFile(logPath)
				t.Fatalf("no bounce for %s after %v (mails seen: %d); MTA log tail:\n%s", c.recipient(), labDeadline, len(got[c.name]), tail(log, 40))
			}
			checkBounce(c, final, false, check)
			if c.temporary {
				if len(notices) == 0 {
					check("no delay notice before the bounce")
				}
				for _, n := range notices {
					checkBounce(c, n, true, check)
				}
			}
			if *save && c.sample {
				saveSample(t, m.name, "lab-"+c.name, final.raw, env)
				if c.name == "quota-452" && len(notices) > 0 {
					saveSample(t, m.name, "lab-"+c.name+"-delayed", notices[0].raw, env)
				}
			}
			note, known := knownFailures[key]
			switch {
			case known && len(errs) == 0:
				t.Errorf("%s is listed in knownFailures (%s) but passes now: remove it from the list", key, note)
			case known:
				t.Logf("KNOWN FAILURE %s (%s):\n  %s\nbounce:\n%s", key, note, strings.Join(errs, "\n  "), final.raw)
			case len(errs) > 0:
				t.Errorf("%s:\n  %s\nbounce %s:\n%s", key, strings.Join(errs, "\n  "), final.file, final.raw)
			}
		})
	}
}

// checkBounce decodes one bounce or delay notice for case c and reports each way it
// differs from what the refusal means.
func checkBounce(c labCase, b *bounce, delayNotice bool, check func(string, ...any)) {
	what := "bounce"
	if delayNotice {
		what = "delay notice"
	}
	rep := dsn.ParseBytes(b.raw)
	if len(rep.Recipients) != 1 {
		var addrs []string
		for _, r := range rep.Recipients {
			addrs = append(addrs, r.Address)
		}
		check("%s: %d recipients %q, want 1 (%s)", what, len(rep.Recipients), addrs, c.recipient())
		if len(rep.Recipients) == 0 {
			return
		}
	}
	r := &rep.Recipients[0]
	v := classify.Classify(r.Facts(rep))
	if !strings.EqualFold(r.Address, c.recipient()) {
		check("%s: recipient = %q, want %q", what, r.Address, c.recipient())
	}
	if c.reply != "" && r.Reply != c.reply {
		check("%s: reply code = %q, want %q (diagnostic %q)", what, r.Reply, c.reply, r.Diagnostic)
	}
	if !slices.Contains(c.statuses, r.Status) {
		check("%s: status = %q (field %q, text %q), want one of %q", what, r.Status, r.FieldStatus, r.TextStatus, c.statuses)
	}
	if delayNotice {
		if r.Action != classify.ActionDelayed || v.Kind != classify.KindDelayed || v.Suppress {
			check("%s: action %s, kind %s, suppress %v; want delayed, delayed, false", what, r.Action, v.Kind, v.Suppress)
		}
		return
	}
	if r.Action != classify.ActionFailed {
		check("%s: action = %s, want failed", what, r.Action)
	}
	if !slices.Contains(c.kinds, v.Kind) {
		check("%s: kind = %s (reason %s, evidence %q), want one of %v", what, v.Kind, v.Reason, v.Evidence, c.kinds)
	}
	if len(c.reasons) > 0 && !slices.Contains(c.reasons, v.Reason) {
		check("%s: reason = %s (evidence %q), want one of %v", what, v.Reason, v.Evidence, c.reasons)
	}
	if v.Suppress != c.suppress || v.Hard != (slices.Equal(c.kinds, []classify.Kind{classify.KindHard})) {
		check("%s: suppress %v hard %v, want suppress %v", what, v.Suppress, v.Hard, c.suppress)
	}
}

// submit sends the case's message to the MTA: one recipient, so that each bounce speaks of
// one refusal. The Message-ID names the case; the bounces quote it.
func submit(port int, mtaName string, c labCase) error {
	cl, err := smtp.Dial(fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return err
	}
	defer cl.Close()
	if err := cl.Hello("client.example.org"); err != nil {
		return err
	}
	msg := fmt.Sprintf("From: Lab Sender <%s>\r\nTo: <%s>\r\nSubject: lab %s\r\nMessage-ID: <%s>\r\nDate: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nA message the lab sends to learn how %s reports a refusal.\r\n",
		sender, c.recipient(), c.name, messageID(mtaName, c), time.Now().Format(time.RFC1123Z), mtaName)
	if err := cl.SendMail(sender, []string{c.recipient()}, strings.NewReader(msg)); err != nil {
		return err
	}
	return cl.Quit()
}

func messageID(mtaName string, c labCase) string {
	return "lab-" + c.name + "." + mtaName + "@" + senderDomain
}

// collect reads the sender's Maildir and files each mail under the case whose Message-ID
// it quotes.
func collect(t *testing.T, m mta, maildir string) map[string][]bounce {
	got := map[string][]bounce{}
	var files []string
	for _, sub := range []string{"new", "cur"} {
		fs, _ := filepath.Glob(filepath.Join(maildir, sub, "*"))
		files = append(files, fs...)
	}
	sort.Strings(files)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		subject := ""
		if msg, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
			subject = msg.Header.Get("Subject")
		}
		for _, c := range labCases {
			if bytes.Contains(raw, []byte("<"+messageID(m.name, c)+">")) {
				got[c.name] = append(got[c.name], bounce{file: f, raw: raw, subject: subject, delayed: m.delayNotice.Match(raw)})
				break
			}
		}
	}
	return got
}

// split separates the final bounce from the delay notices before it.
func split(bs []bounce) (*bounce, []*bounce) {
	var final *bounce
	var notices []*bounce
	for i := range bs {
		if bs[i].delayed {
			notices = append(notices, &bs[i])
		} else {
			final = &bs[i]
		}
	}
	return final, notices
}

func complete(got map[string][]bounce) bool {
	for _, c := range labCases {
		final, notices := split(got[c.name])
		if final == nil || c.temporary && len(notices) == 0 {
			return false
		}
	}
	return true
}

func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// saveSample writes a bounce as a testdata sample, with the run's random ports replaced by
// fixed ones so that a new run differs only where the MTA's output does.
func saveSample(t *testing.T, mtaName, name string, raw []byte, env *labEnv) {
	out := string(raw)
	fixed := map[string]string{mainDomain: "2525", heloDomain: "2526", blockedDomain: "2527", deferredDomain: "2528", refusedDomain: "2529"}
	for d, a := range env.routes {
		_, p, _ := net.SplitHostPort(a)
		out = strings.ReplaceAll(out, p, fixed[d])
	}
	out = strings.ReplaceAll(out, env.dnsAddr, "127.0.0.53")
	if h, err := os.Hostname(); err == nil && h != "" {
		// The machine's own name shows in Received lines and Message-IDs.
		out = regexp.MustCompile(`\b`+regexp.QuoteMeta(h)+`\b`).ReplaceAllString(out, "mta-host."+senderDomain)
	}
	dir := filepath.Join(testutil.Root(), "testdata", "eml", mtaName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".eml"), []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
}

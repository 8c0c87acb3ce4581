package lab

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
	"time"
)

// labEnv is what every MTA instance needs to know: where each domain is routed, and the
// stand-in DNS server.
type labEnv struct {
	routes  map[string]string // domain → receiver address (loopback IP:port); nxDomain is not here
	dnsAddr string            // the address of the NXDOMAIN server, port 53
	debRoot string            // where exim4 and opensmtpd were unpacked (dpkg-deb -x)
}

// mta is one real MTA the lab runs: how to find it, how to start a private instance, and
// how its delay notices are told from its bounces.
type mta struct {
	name string
	// missing names the binary that is not installed, or is "".
	missing func(env *labEnv) string
	// start runs a private instance in dir and returns the port it takes mail on and the
	// Maildir its bounces for sender land in.
	start func(t *testing.T, env *labEnv, dir string) (port int, maildir string, log string)
	// delayNotice matches a delay notice (RFC 3464 action "delayed") and no bounce.
	delayNotice *regexp.Regexp
	// expect adjusts a case's expectation to what this MTA can report, or is nil.
	expect func(c labCase) labCase
}

var mtas = []mta{
	{name: "postfix", missing: postfixMissing, start: startPostfix,
		delayNotice: regexp.MustCompile(`(?m)^Subject: Delayed Mail`)},
	{name: "exim", missing: eximMissing, start: startExim,
		delayNotice: regexp.MustCompile(`(?m)^Subject: Warning: message .* delayed`)},
	{name: "opensmtpd", missing: opensmtpdMissing, start: startOpenSMTPD,
		// OpenSMTPD 6.8 writes its expiry bounce as a delay notice too ("delayed for more
		// than 0 seconds", Action: delayed, Status: 4.4.7); the real notices name the
		// warn-interval.
		delayNotice: regexp.MustCompile(`delayed for more than [1-9]`),
		expect:      opensmtpdExpect},
}

func freePort(t *testing.T) int {
	_, p, _ := net.SplitHostPort(closedPort(t, "127.0.0.1"))
	n, _ := strconv.Atoi(p)
	return n
}

// hostPort splits a route's address.
func hostPort(a string) (string, string) {
	h, p, _ := net.SplitHostPort(a)
	return h, p
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mkdirs(t *testing.T, mode os.FileMode, owner string, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(d, mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(d, mode)
		if owner != "" {
			if out, err := exec.Command("chown", owner, d).CombinedOutput(); err != nil {
				t.Fatalf("chown %s %s: %v: %s", owner, d, err, out)
			}
		}
	}
}

// bind is a bind mount made in the MTA's private mount namespace.
type bind struct{ from, to string }

// runInNamespace starts argv in a private mount namespace (unshare(1)) with the given bind
// mounts, in a process group of its own that the test stops at cleanup. Output goes to
// logPath.
func runInNamespace(t *testing.T, logPath string, binds []bind, argv ...string) {
	t.Helper()
	var sh strings.Builder
	sh.WriteString("set -e\n")
	for _, b := range binds {
		fmt.Fprintf(&sh, "mount --bind '%s' '%s'\n", b.from, b.to)
	}
	sh.WriteString(`exec "$@"` + "\n")
	args := append([]string{"--mount", "--propagation", "private", "--", "sh", "-c", sh.String(), "sh"}, argv...)
	cmd := exec.Command("unshare", args...)
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("lab: start %v: %v", argv, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(done) }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
}

// waitListening waits until something accepts connections on 127.0.0.1:port.
func waitListening(t *testing.T, port int, logPath string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	log, _ := os.ReadFile(logPath)
	t.Fatalf("lab: nothing listens on port %d after 20 s; log:\n%s", port, log)
}

// resolvConf writes the resolv.conf the MTAs see: only the NXDOMAIN server, no retries.
func resolvConf(t *testing.T, env *labEnv, dir string) string {
	p := filepath.Join(dir, "resolv.conf")
	writeFile(t, p, "nameserver "+env.dnsAddr+"\noptions timeout:1 attempts:1\n")
	return p
}

// sortedDomains lists the routed domains in a fixed order.
func sortedDomains(env *labEnv) []string {
	ds := make([]string, 0, len(env.routes))
	for d := range env.routes {
		ds = append(ds, d)
	}
	sort.Strings(ds)
	return ds
}

// nobody is the owner of the delivered bounces; the MTAs refuse to deliver as root.
const nobody = "nobody:nogroup"

// Postfix (Debian package postfix), as `postfix -c DIR start`.
func postfixMissing(*labEnv) string {
	if _, err := exec.LookPath("postfix"); err != nil {
		if _, err := os.Stat("/usr/sbin/postfix"); err != nil {
			return "/usr/sbin/postfix"
		}
	}
	return ""
}

func startPostfix(t *testing.T, env *labEnv, dir string) (int, string, string) {
	port := freePort(t)
	conf, queue, data, mail := filepath.Join(dir, "etc"), filepath.Join(dir, "queue"), filepath.Join(dir, "data"), filepath.Join(dir, "mail")
	mkdirs(t, 0o755, "", conf, queue)
	mkdirs(t, 0o755, "postfix", data)
	mkdirs(t, 0o755, nobody, mail)
	var transport []string
	for _, d := range sortedDomains(env) {
		h, p := hostPort(env.routes[d])
		transport = append(transport, fmt.Sprintf("%s=smtp:[%s]:%s", d, h, p))
	}
	transport = append(transport, nxDomain+"=smtp:"+nxDomain)
	logPath := filepath.Join(dir, "maillog")
	writeFile(t, filepath.Join(conf, "main.cf"), `compatibility_level = 3.6
queue_directory = `+queue+`
data_directory = `+data+`
mail_owner = postfix
setgid_group = postdrop
maillog_file = `+logPath+`
maillog_file_prefixes = `+dir+`
myhostname = postfix.`+senderDomain+`
mydomain = `+senderDomain+`
myorigin = `+senderDomain+`
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
alias_maps =
alias_database =
relayhost =
transport_maps = inline:{ `+strings.Join(transport, ", ")+` }
virtual_mailbox_domains = `+senderDomain+`
virtual_mailbox_base = `+mail+`
virtual_mailbox_maps = inline:{ `+sender+`=sender/ }
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
maximal_queue_lifetime = 60s
bounce_queue_lifetime = 60s
queue_run_delay = 5s
minimal_backoff_time = 5s
maximal_backoff_time = 10s
delay_warning_time = 20s
smtp_connect_timeout = 5s
smtp_tls_security_level = none
smtpd_tls_security_level = none
`)
	writeFile(t, filepath.Join(conf, "master.cf"), fmt.Sprintf(`%d inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`, port))
	runInNamespace(t, filepath.Join(dir, "stderr"), []bind{{resolvConf(t, env, dir), "/etc/resolv.conf"}},
		"postfix", "-c", conf, "start")
	// `postfix start-fg` stays silent and starts nothing here; `start` daemonizes the master
	// inside the namespace, so it is stopped the same way.
	t.Cleanup(func() { exec.Command("postfix", "-c", conf, "abort").Run() })
	waitListening(t, port, logPath)
	return port, filepath.Join(mail, "sender"), logPath
}

// Exim (Debian packages exim4-daemon-light and exim4-base, unpacked), as
// `exim4 -C FILE -bd -q5s`.
func eximMissing(env *labEnv) string {
	p := filepath.Join(env.debRoot, "usr/sbin/exim4")
	if _, err := os.Stat(p); err != nil {
		return p
	}
	if _, err := exec.Command("id", "Debian-exim").Output(); err != nil {
		return "the system user Debian-exim"
	}
	return ""
}

func startExim(t *testing.T, env *labEnv, dir string) (int, string, string) {
	port := freePort(t)
	spool, logDir, mail := filepath.Join(dir, "spool"), filepath.Join(dir, "log"), filepath.Join(dir, "mail", "sender")
	mkdirs(t, 0o750, "Debian-exim:Debian-exim", spool, logDir)
	// Exim drops root for a -C configuration not in its TRUSTED_CONFIG_LIST, so it delivers
	// as its own user.
	mkdirs(t, 0o755, "Debian-exim:Debian-exim", filepath.Dir(mail))
	var ports strings.Builder
	for _, d := range sortedDomains(env) {
		h, p := hostPort(env.routes[d])
		fmt.Fprintf(&ports, "%s: %s %s\n", d, h, p)
	}
	portsFile := filepath.Join(dir, "ports")
	writeFile(t, portsFile, ports.String())
	conf := filepath.Join(dir, "exim.conf")
	writeFile(t, conf, `primary_hostname = exim.`+senderDomain+`
qualify_domain = `+senderDomain+`
domainlist local_domains = `+senderDomain+`
spool_directory = `+spool+`
log_file_path = `+logDir+`/%slog
pid_file_path = `+dir+`/exim.pid
daemon_smtp_ports = `+fmt.Sprint(port)+`
local_interfaces = 127.0.0.1
tls_advertise_hosts =
host_lookup =
rfc1413_hosts =
delay_warning = 20s:10m
acl_smtp_rcpt = acl_rcpt

begin acl
acl_rcpt:
  accept hosts = 127.0.0.1
  deny

begin routers
local:
  driver = accept
  domains = +local_domains
  transport = local_maildir
nxdomain:
  driver = dnslookup
  domains = `+nxDomain+`
  transport = remote_smtp
  no_more
lab:
  driver = manualroute
  route_data = ${extract{1}{ }{${lookup{$domain}lsearch{`+portsFile+`}}}}
  transport = remote_smtp
  self = send

begin transports
remote_smtp:
  driver = smtp
  port = ${extract{2}{ }{${lookup{$domain}lsearch{`+portsFile+`}}}}
  hosts_avoid_tls = *
  connect_timeout = 5s
  command_timeout = 10s
  allow_localhost
local_maildir:
  driver = appendfile
  directory = `+mail+`
  maildir_format
  create_directory
  user = Debian-exim
  delivery_date_add
  envelope_to_add
  return_path_add

begin retry
* * F,1m,10s
`)
	logPath := filepath.Join(logDir, "mainlog")
	// Exim re-executes itself as /usr/sbin/exim4 (compiled in): the unpacked usr/sbin takes
	// the place of the host's in the namespace.
	runInNamespace(t, filepath.Join(dir, "stderr"), []bind{{resolvConf(t, env, dir), "/etc/resolv.conf"},
		{filepath.Join(env.debRoot, "usr/sbin"), "/usr/sbin"}},
		"/usr/sbin/exim4", "-C", conf, "-bd", "-q5s")
	waitListening(t, port, filepath.Join(dir, "stderr"))
	return port, mail, logPath
}

// OpenSMTPD (Debian package opensmtpd, unpacked). Its queue, chroot and helper paths are
// compiled in, so it runs in a private mount namespace with those bind-mounted from dir,
// beside a loop of `smtpctl schedule all`, since its own retry backoff is minutes.
func opensmtpdMissing(env *labEnv) string {
	p := filepath.Join(env.debRoot, "usr/sbin/smtpd")
	if _, err := os.Stat(p); err != nil {
		return p
	}
	for _, u := range []string{"opensmtpd", "opensmtpq"} {
		if _, err := exec.Command("id", u).Output(); err != nil {
			return "the system user " + u
		}
	}
	return ""
}

// opensmtpdExpect: OpenSMTPD 6.8 retries a refused greeting or EHLO like a temporary
// failure, even a 5xx one, and its expiry notice keeps none of the receiver's replies: only
// "<rcpt>: Envelope expired" and Status 4.4.7 (RFC 3463 §3.5, delivery time expired). What
// such a mail can tell is that delivery timed out: soft, reason expired, the recipient kept.
func opensmtpdExpect(c labCase) labCase {
	if c.temporary || c.domain == heloDomain || c.domain == blockedDomain {
		c.temporary = true
		c.reply = ""
		c.statuses = append(slices.Clone(c.statuses), "4.4.7", "4.0.0") // delay notices keep the reply
		c.kinds = kinds(classify.KindSoft)
		c.reasons = reasons(classify.ReasonExpired)
		c.suppress = false
	}
	return c
}

func startOpenSMTPD(t *testing.T, env *labEnv, dir string) (int, string, string) {
	port := freePort(t)
	spool, empty, run, mail := filepath.Join(dir, "spool"), filepath.Join(dir, "empty"), filepath.Join(dir, "run"), filepath.Join(dir, "mail", "sender")
	mkdirs(t, 0o711, "", spool)
	mkdirs(t, 0o755, "", empty, run)
	mkdirs(t, 0o755, nobody, filepath.Dir(mail))
	// Mount points for the compiled-in paths; empty directories on the host.
	mkdirs(t, 0o755, "", "/var/spool/smtpd", "/var/lib/opensmtpd/empty", "/usr/libexec/opensmtpd")
	var conf strings.Builder
	fmt.Fprintf(&conf, `queue ttl 1m
bounce warn-interval 20s
listen on 127.0.0.1 port %d hostname opensmtpd.%s
table virt { "@" = nobody }
action "local" maildir "%s" virtual <virt>
action "mx" relay
`, port, senderDomain, mail)
	for i, d := range sortedDomains(env) {
		fmt.Fprintf(&conf, "action \"r%d\" relay host smtp+notls://%s helo opensmtpd.%s\n", i, env.routes[d], senderDomain)
	}
	fmt.Fprintf(&conf, "match from any for domain %q action \"local\"\n", senderDomain)
	fmt.Fprintf(&conf, "match from any for domain %q action \"mx\"\n", nxDomain)
	for i, d := range sortedDomains(env) {
		fmt.Fprintf(&conf, "match from any for domain %q action \"r%d\"\n", d, i)
	}
	confPath := filepath.Join(dir, "smtpd.conf")
	writeFile(t, confPath, conf.String())
	smtpd, smtpctl := filepath.Join(env.debRoot, "usr/sbin/smtpd"), filepath.Join(env.debRoot, "usr/sbin/smtpctl")
	script := fmt.Sprintf(`%s -d -f %s & pid=$!
trap 'kill $pid; exit 0' TERM
while kill -0 $pid 2>/dev/null; do sleep 3; %s schedule all >/dev/null 2>&1 || true; done
`, smtpd, confPath, smtpctl)
	logPath := filepath.Join(dir, "stderr")
	runInNamespace(t, logPath, []bind{
		{resolvConf(t, env, dir), "/etc/resolv.conf"},
		{spool, "/var/spool/smtpd"},
		{empty, "/var/lib/opensmtpd/empty"},
		{filepath.Join(env.debRoot, "usr/libexec/opensmtpd"), "/usr/libexec/opensmtpd"},
		{run, "/run"},
	}, "sh", "-c", script)
	waitListening(t, port, logPath)
	return port, mail, logPath
}

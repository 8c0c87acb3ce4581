package testutil

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Dovecot is a private Dovecot IMAP server started for one test: its own config, user and
// Maildir in a temp dir, listening on 127.0.0.1 only.
type Dovecot struct {
	// Addr is the plain-text listener, TLSAddr the implicit-TLS one (HOST:PORT).
	Addr, TLSAddr string
	// CAFile is the PEM certificate the TLS listener presents (self-signed, for 127.0.0.1 and
	// localhost): pass it to the client as its CA file.
	CAFile string
	// User and Password log in.
	User, Password string
	// Maildir is the user's Maildir (INBOX); other folders are Maildir++ ".Name" inside it.
	Maildir string

	dir  string
	conf string
	seq  atomic.Int64
}

// mailUID is the uid and gid the mail user runs as: dovecot refuses uid 0 for mail access.
const mailUID = 5000

// StartDovecot starts Dovecot and stops it when the test ends; the test is skipped when
// Dovecot is not installed. On failure, the test prints Dovecot's log.
func StartDovecot(tb testing.TB) *Dovecot {
	tb.Helper()
	return startDovecot(tb, "")
}

// StartDovecotOAuth starts a Dovecot like StartDovecot that also takes XOAUTH2 and
// OAUTHBEARER logins of its user: Dovecot's oauth2 passdb asks a local introspection endpoint
// about the bearer token, and the endpoint knows token alone.
func StartDovecotOAuth(tb testing.TB, token string) *Dovecot {
	tb.Helper()
	var user atomic.Value // the Dovecot's user, known once it starts
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer "+token {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"active": false}`)
			return
		}
		fmt.Fprintf(w, `{"active": true, "username": %q}`, user.Load())
	}))
	tb.Cleanup(srv.Close)
	d := startDovecot(tb, srv.URL+"/introspect")
	user.Store(d.User)
	return d
}

// startDovecot starts Dovecot; a non-empty introspect URL adds the oauth2 passdb.
func startDovecot(tb testing.TB, introspect string) *Dovecot {
	tb.Helper()
	bin, err := exec.LookPath("dovecot")
	if err != nil {
		if _, err2 := os.Stat("/usr/sbin/dovecot"); err2 != nil {
			tb.Skip("dovecot is not installed (Debian: apt-get install dovecot-imapd); skipping the real-IMAP test")
		}
		bin = "/usr/sbin/dovecot"
	}
	// Unix socket paths must stay short, so not t.TempDir (it carries the test's name).
	dir, err := os.MkdirTemp("", "dovecot")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	d := &Dovecot{User: "bounce", Password: "secret-" + strconv.FormatInt(time.Now().UnixNano(), 36), dir: dir}
	for _, sub := range []string{"run", "state", "mail/bounce/Maildir/cur", "mail/bounce/Maildir/new", "mail/bounce/Maildir/tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	d.Maildir = filepath.Join(dir, "mail/bounce/Maildir")
	if err := chownTree(filepath.Join(dir, "mail"), mailUID); err != nil {
		tb.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := writeSelfSigned(certFile, keyFile); err != nil {
		tb.Fatal(err)
	}
	d.CAFile = certFile
	users := filepath.Join(dir, "users")
	line := fmt.Sprintf("%s:{PLAIN}%s:%d:%d::%s::\n", d.User, d.Password, mailUID, mailUID, filepath.Join(dir, "mail/bounce"))
	if err := os.WriteFile(users, []byte(line), 0o644); err != nil {
		tb.Fatal(err)
	}
	ports := freePorts(tb, 2)
	port, tlsPort := ports[0], ports[1]
	d.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	d.TLSAddr = net.JoinHostPort("127.0.0.1", strconv.Itoa(tlsPort))
	d.conf = filepath.Join(dir, "dovecot.conf")
	var mechs, oauthPassdb string
	if introspect != "" {
		ext := filepath.Join(dir, "oauth2.conf.ext")
		conf := "introspection_mode = auth\nintrospection_url = " + introspect +
			"\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n"
		if err := os.WriteFile(ext, []byte(conf), 0o644); err != nil {
			tb.Fatal(err)
		}
		mechs = " xoauth2 oauthbearer"
		oauthPassdb = "passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = " + ext + "\n}\n"
	}
	conf := fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
info_log_path = %[1]s/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = yes
ssl_cert = <%[2]s
ssl_key = <%[3]s
ssl_dh = </usr/share/dovecot/dh.pem
disable_plaintext_auth = no
auth_mechanisms = plain login%[8]s
mail_location = maildir:~/Maildir
first_valid_uid = %[6]d
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[4]s
}
%[9]suserdb {
  driver = passwd-file
  args = username_format=%%u %[4]s
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[5]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[7]d
    ssl = yes
  }
}
`, dir, certFile, keyFile, users, port, mailUID, tlsPort, mechs, oauthPassdb)
	if err := os.WriteFile(d.conf, []byte(conf), 0o644); err != nil {
		tb.Fatal(err)
	}
	// The daemon keeps its inherited stdout open, so collect output in a file, not a pipe.
	outFile := filepath.Join(dir, "start.out")
	out, err := os.Create(outFile)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(bin, "-c", d.conf)
	cmd.Stdout, cmd.Stderr = out, out
	err = cmd.Run()
	out.Close()
	if err != nil {
		msg, _ := os.ReadFile(outFile)
		tb.Fatalf("starting dovecot: %v\n%s\n%s", err, msg, d.Log())
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("dovecot log:\n%s", d.Log())
		}
		d.stop()
	})
	if err := waitListening(d.Addr, 5*time.Second); err != nil {
		tb.Fatalf("dovecot did not listen: %v\n%s", err, d.Log())
	}
	if err := waitListening(d.TLSAddr, 5*time.Second); err != nil {
		tb.Fatalf("dovecot did not listen on TLS: %v\n%s", err, d.Log())
	}
	return d
}

// stop asks the master to stop and waits for its pid to go, killing it if it lingers.
func (d *Dovecot) stop() {
	pidData, _ := os.ReadFile(filepath.Join(d.dir, "run", "master.pid"))
	pid, _ := strconv.Atoi(string(trimSpace(pidData)))
	if pid > 0 {
		// SIGTERM ends the master and its children at once; doveadm stop waits ~2.5 s for the same.
		if p, err := os.FindProcess(pid); err == nil {
			p.Signal(syscall.SIGTERM)
			deadline := time.Now().Add(5 * time.Second)
			for time.Now().Before(deadline) {
				if !alive(pid) {
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
			p.Kill()
		}
	}
}

// alive reports whether pid runs. The daemonized master's parent is pid 1, which in a
// container may never reap it, so a zombie counts as gone.
func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// "pid (comm) S ...": the state follows the last ')'.
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z'
	}
	return true
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == ' ' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// Log returns Dovecot's log so far.
func (d *Dovecot) Log() string {
	b, err := os.ReadFile(filepath.Join(d.dir, "dovecot.log"))
	if err != nil {
		return "(no dovecot log: " + err.Error() + ")"
	}
	return string(b)
}

// folderDir is the Maildir of folder: INBOX is the Maildir itself, others are Maildir++
// subfolders named with a leading dot.
func (d *Dovecot) folderDir(folder string) string {
	if folder == "" || folder == "INBOX" {
		return d.Maildir
	}
	return filepath.Join(d.Maildir, "."+folder)
}

// Seed delivers mails into folder ("" or "INBOX" for the inbox) by writing Maildir files, the
// way a local delivery agent would: into tmp, then renamed into new. Dovecot assigns their UIDs
// in the order given when it next looks at the folder.
func (d *Dovecot) Seed(tb testing.TB, folder string, mails ...[]byte) {
	tb.Helper()
	dir := d.folderDir(folder)
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	base := time.Now().Unix()
	for _, m := range mails {
		// Names sort in delivery order, so that UIDs follow it.
		name := fmt.Sprintf("%d.M%09dP%d.bounceproc-test", base, d.seq.Add(1), os.Getpid())
		tmp := filepath.Join(dir, "tmp", name)
		if err := os.WriteFile(tmp, m, 0o644); err != nil {
			tb.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, "new", name)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := chownTree(dir, mailUID); err != nil {
		tb.Fatal(err)
	}
}

// ResetUIDValidity makes folder look new to clients: it removes Dovecot's UID list and index
// for the folder and gives it a UIDVALIDITY that differs from the old one. The mails stay and
// get new UIDs.
func (d *Dovecot) ResetUIDValidity(tb testing.TB, folder string, newValidity uint32) {
	tb.Helper()
	dir := d.folderDir(folder)
	matches, _ := filepath.Glob(filepath.Join(dir, "dovecot*"))
	for _, m := range matches {
		if err := os.RemoveAll(m); err != nil {
			tb.Fatal(err)
		}
	}
	name := folder
	if name == "" {
		name = "INBOX"
	}
	d.Doveadm(tb, "mailbox", "update", "-u", d.User, "--uid-validity", strconv.FormatUint(uint64(newValidity), 10), name)
}

// Doveadm runs doveadm against this instance and returns its output.
func (d *Dovecot) Doveadm(tb testing.TB, args ...string) string {
	tb.Helper()
	out, err := exec.Command("doveadm", append([]string{"-c", d.conf}, args...)...).CombinedOutput()
	if err != nil {
		tb.Fatalf("doveadm %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func chownTree(root string, uid int) error {
	return filepath.Walk(root, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, uid)
	})
}

// freePorts returns n distinct loopback ports free at the time of the call. The listeners are
// held until all n are chosen: a port closed at once may be handed out again by the next
// request, and Dovecot refuses a configuration with two listeners on one port.
func freePorts(tb testing.TB, n int) []int {
	tb.Helper()
	ports := make([]int, n)
	for i := range ports {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		defer ln.Close()
		ports[i] = ln.Addr().(*net.TCPAddr).Port
	}
	return ports
}

func waitListening(addr string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// writeSelfSigned makes a certificate for 127.0.0.1 and localhost, valid for a day.
func writeSelfSigned(certFile, keyFile string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "bounceproc test IMAP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return err
	}
	return os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
}

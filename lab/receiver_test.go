package lab

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// reply is an SMTP reply the receiver sends (RFC 5321 §4.2): a code, an enhanced status
// code (RFC 3463; empty for none) written before the text of every line as RFC 2034 §4
// asks, and the text, one element per line.
type reply struct {
	code  int
	enh   string
	lines []string
}

// String is the reply as it goes over the wire, lines joined by CRLF.
func (r reply) String() string {
	var b strings.Builder
	for i, l := range r.lines {
		sep := "-"
		if i == len(r.lines)-1 {
			sep = " "
		}
		if i > 0 {
			b.WriteString("\r\n")
		}
		fmt.Fprintf(&b, "%d%s", r.code, sep)
		if r.enh != "" {
			b.WriteString(r.enh + " ")
		}
		b.WriteString(l)
	}
	return b.String()
}

// err is the reply as go-smtp writes it: the enhanced code is put into the text of each
// line by hand, since go-smtp would put it on the last line only.
func (r reply) err() *smtp.SMTPError {
	lines := make([]string, len(r.lines))
	for i, l := range r.lines {
		if r.enh != "" {
			l = r.enh + " " + l
		}
		lines[i] = l
	}
	return &smtp.SMTPError{Code: r.code, EnhancedCode: smtp.NoEnhancedCode, Message: strings.Join(lines, "\n")}
}

// script says how the main receiver answers one recipient: a refusal at RCPT, or one after
// the message data; with neither, the mail is accepted.
type script struct {
	rcpt, data *reply
}

// receiver is the scripted SMTP server the MTAs relay to. The main listener answers each
// recipient by its script; the others refuse a whole connection: at the greeting, at
// EHLO/HELO, or not at all (a closed port).
type receiver struct {
	mu      sync.Mutex
	scripts map[string]script // by lower-case recipient address
	seen    []string          // "ADDR: reply" lines, for failure messages
}

// session is one SMTP transaction on the main listener.
type session struct {
	r     *receiver
	rcpts []string
}

func (s *session) Reset()        { s.rcpts = nil }
func (s *session) Logout() error { return nil }

func (s *session) Mail(string, *smtp.MailOptions) error { return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	sc := s.r.script(to)
	if sc.rcpt != nil {
		s.r.log(to, "RCPT "+sc.rcpt.String())
		return sc.rcpt.err()
	}
	s.rcpts = append(s.rcpts, to)
	return nil
}

// Data refuses the message with the data reply of its first recipient that has one. The lab
// sends one recipient per message, since after DATA one reply covers all recipients
// (RFC 5321 §4.1.1.4).
func (s *session) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	for _, to := range s.rcpts {
		if sc := s.r.script(to); sc.data != nil {
			s.r.log(to, "DATA "+sc.data.String())
			return sc.data.err()
		}
	}
	for _, to := range s.rcpts {
		s.r.log(to, "DATA 250 accepted")
	}
	return nil
}

func (r *receiver) script(addr string) script {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.scripts[strings.ToLower(strings.Trim(addr, "<>"))]
}

func (r *receiver) log(addr, what string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, addr+": "+what)
}

// listen opens a listener on a free port of the loopback address ip. Each route has an
// address of its own, since an MTA may hold one host's refusals against the others on it
// (OpenSMTPD marks a host that refused every recipient and waits before using it again).
func listen(t *testing.T, ip string) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("lab: listen: %v", err)
	}
	return l
}

func addr(l net.Listener) string { return l.Addr().String() }

// serveScripted starts the main listener, answering each recipient by its script.
func (r *receiver) serveScripted(t *testing.T, ip string) string {
	return serveSMTP(t, ip, smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{r: r}, nil
	}))
}

// serveHELORefusal starts a listener that greets and then refuses EHLO and HELO.
func serveHELORefusal(t *testing.T, ip string, refusal reply) string {
	return serveSMTP(t, ip, smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return nil, refusal.err()
	}))
}

func serveSMTP(t *testing.T, ip string, be smtp.Backend) string {
	t.Helper()
	l := listen(t, ip)
	s := smtp.NewServer(be)
	s.Domain = "mx.example.com"
	s.ReadTimeout = 30 * time.Second
	s.WriteTimeout = 30 * time.Second
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return addr(l)
}

// serveGreetingRefusal starts a listener whose greeting is the refusal. A 554 greeting
// waits for QUIT, as RFC 5321 §3.1 asks; a 421 closes the connection (§3.8).
func serveGreetingRefusal(t *testing.T, ip string, refusal reply) string {
	t.Helper()
	l := listen(t, ip)
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				continue
			}
			go greetAndRefuse(c, refusal)
		}
	}()
	return addr(l)
}

func greetAndRefuse(c net.Conn, refusal reply) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(c, "%s\r\n", refusal)
	if refusal.code == 421 {
		return
	}
	br := bufio.NewReader(c)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		if strings.EqualFold(strings.TrimSpace(line), "QUIT") {
			fmt.Fprint(c, "221 2.0.0 Bye\r\n")
			return
		}
		fmt.Fprint(c, "503 5.5.1 No SMTP service here\r\n")
	}
}

// closedPort returns an address nothing listens on, so connections are refused.
func closedPort(t *testing.T, ip string) string {
	l := listen(t, ip)
	a := addr(l)
	l.Close()
	return a
}

package imapfetch

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
)

// MemServer is go-imap's in-memory IMAP server on a loopback port, with one user: for tests
// and the demo, where no real server is at hand. It speaks plain text only, so clients need
// TLSNone with AllowPlaintext. Nothing is kept after Close.
type MemServer struct {
	ln   net.Listener
	srv  *imapserver.Server
	user *imapmemserver.User
	mu   sync.Mutex
	done chan struct{}
}

// MemServerOptions choose what the in-memory server offers.
type MemServerOptions struct {
	// NoMove hides MOVE, so that clients fall back to COPY + EXPUNGE.
	NoMove bool
	// NoIdle hides IDLE, so that Watch polls.
	NoIdle bool
	// Token, when set, is a bearer token the server also accepts through XOAUTH2.
	Token string
}

// StartMemServer starts the server on 127.0.0.1 with a free port, one user and an empty INBOX.
func StartMemServer(user, password string, opts MemServerOptions) (*MemServer, error) {
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(user, password)
	if err := u.Create("INBOX", nil); err != nil {
		return nil, fmt.Errorf("imapfetch: memserver: create INBOX: %w", err)
	}
	mem.AddUser(u)
	caps := imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapUIDPlus: {}, imap.CapESearch: {}, imap.CapLiteralPlus: {}}
	if !opts.NoMove {
		caps[imap.CapMove] = struct{}{}
	}
	if !opts.NoIdle {
		caps[imap.CapIdle] = struct{}{}
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			sess := mem.NewSession()
			if opts.Token != "" {
				return &xoauth2Session{memSession: sess.(memSession), user: user, password: password, token: opts.Token}, nil, nil
			}
			return sess, nil, nil
		},
		Caps:         caps,
		InsecureAuth: true,
		Logger:       log.New(discardWriter{}, "", 0),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("imapfetch: memserver: listen: %w", err)
	}
	s := &MemServer{ln: ln, srv: srv, user: u, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		srv.Serve(ln)
	}()
	return s, nil
}

// memSession is what the in-memory server's sessions offer beyond the basics.
type memSession interface {
	imapserver.SessionMove
	imapserver.SessionNamespace
}

// xoauth2Session adds XOAUTH2 to the in-memory server's PLAIN.
type xoauth2Session struct {
	memSession
	user, password, token string
}

func (s *xoauth2Session) AuthenticateMechanisms() []string { return []string{"PLAIN", "XOAUTH2"} }

func (s *xoauth2Session) Authenticate(mech string) (sasl.Server, error) {
	switch mech {
	case "PLAIN":
		return sasl.NewPlainServer(func(_, user, password string) error { return s.Login(user, password) }), nil
	case "XOAUTH2":
		return xoauth2Server(func(user, token string) error {
			if user != s.user || subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) != 1 {
				return imapserver.ErrAuthFailed
			}
			return s.Login(s.user, s.password)
		}), nil
	}
	return nil, &imap.Error{Type: imap.StatusResponseTypeNo, Text: "SASL mechanism not supported"}
}

// xoauth2Server reads "user=U^Aauth=Bearer T^A^A".
type xoauth2Server func(user, token string) error

func (f xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if resp == nil {
		return []byte{}, false, nil
	}
	var user, token string
	for _, kv := range strings.Split(string(resp), "\x01") {
		if v, ok := strings.CutPrefix(kv, "user="); ok {
			user = v
		} else if v, ok := strings.CutPrefix(kv, "auth=Bearer "); ok {
			token = v
		}
	}
	return nil, true, f(user, token)
}

type discardWriter struct{}

func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }

// Addr is the server's HOST:PORT.
func (s *MemServer) Addr() string { return s.ln.Addr().String() }

// Append adds a mail to the mailbox, creating the mailbox if needed, and returns its UID.
func (s *MemServer) Append(mailbox string, body []byte, date time.Time) (uint32, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ensure(mailbox); err != nil {
		return 0, err
	}
	data, err := s.user.Append(mailbox, literal{bytes.NewReader(body)}, &imap.AppendOptions{Time: date})
	if err != nil {
		return 0, fmt.Errorf("imapfetch: memserver: append to %q: %w", mailbox, err)
	}
	return uint32(data.UID), nil
}

func (s *MemServer) ensure(mailbox string) error {
	if _, err := s.user.Status(mailbox, &imap.StatusOptions{}); err == nil {
		return nil
	}
	if err := s.user.Create(mailbox, nil); err != nil {
		return fmt.Errorf("imapfetch: memserver: create %q: %w", mailbox, err)
	}
	return nil
}

// Recreate deletes the mailbox and creates it again, empty, with a new UIDVALIDITY.
func (s *MemServer) Recreate(mailbox string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.user.Delete(mailbox); err != nil {
		return fmt.Errorf("imapfetch: memserver: delete %q: %w", mailbox, err)
	}
	return s.ensure(mailbox)
}

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }

// Close stops the server and ends every connection.
func (s *MemServer) Close() error {
	err := s.srv.Close()
	<-s.done
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

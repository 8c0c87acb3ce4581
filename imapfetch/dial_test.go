package imapfetch_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/imapfetch"
	"github.com/bounceproc/bounceproc/internal/testutil"
)

func TestDialDovecotTLSModes(t *testing.T) {
	d := testutil.StartDovecot(t)
	base := imapfetch.Config{User: d.User, Password: d.Password, Timeout: 10 * time.Second}
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		mod     func(*imapfetch.Config)
		wantErr string
	}{
		{"implicit TLS with CA file", func(c *imapfetch.Config) { c.Addr, c.TLS, c.CAFile = d.TLSAddr, imapfetch.TLSImplicit, d.CAFile }, ""},
		{"implicit TLS by localhost name", func(c *imapfetch.Config) {
			c.Addr, c.CAFile, c.ServerName = d.TLSAddr, d.CAFile, "localhost"
		}, ""},
		{"STARTTLS with CA file", func(c *imapfetch.Config) { c.Addr, c.TLS, c.CAFile = d.Addr, imapfetch.TLSStartTLS, d.CAFile }, ""},
		{"LOGIN over STARTTLS", func(c *imapfetch.Config) {
			c.Addr, c.TLS, c.CAFile, c.Auth = d.Addr, imapfetch.TLSStartTLS, d.CAFile, imapfetch.AuthLogin
		}, ""},
		{"plain text when allowed", func(c *imapfetch.Config) { c.Addr, c.TLS, c.AllowPlaintext = d.Addr, imapfetch.TLSNone, true }, ""},
		{"untrusted certificate", func(c *imapfetch.Config) { c.Addr, c.TLS = d.TLSAddr, imapfetch.TLSImplicit }, "certificate"},
		{"wrong server name", func(c *imapfetch.Config) {
			c.Addr, c.CAFile, c.ServerName = d.TLSAddr, d.CAFile, "imap.example.org"
		}, "certificate"},
		{"plain text not allowed", func(c *imapfetch.Config) { c.Addr, c.TLS = d.Addr, imapfetch.TLSNone }, "plain-text IMAP refused"},
		{"wrong password", func(c *imapfetch.Config) {
			c.Addr, c.TLS, c.CAFile, c.Password = d.TLSAddr, imapfetch.TLSImplicit, d.CAFile, "wrong-secret"
		}, "log in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base
			tc.mod(&cfg)
			c, err := imapfetch.Dial(ctx, cfg)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Dial: %v", err)
				}
				defer c.Close()
				if _, err := c.Select(ctx, "INBOX"); err != nil {
					t.Fatalf("Select: %v", err)
				}
				return
			}
			if err == nil {
				c.Close()
				t.Fatalf("Dial succeeded, want an error containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Dial error %q, want it to contain %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), cfg.Password) {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

// TestDialXOAUTH2Dovecot logs in to a real Dovecot with XOAUTH2 over implicit TLS, as with
// Gmail or Microsoft 365: Dovecot checks the bearer token with an introspection endpoint.
func TestDialXOAUTH2Dovecot(t *testing.T) {
	const token = "ya29.test-token"
	d := testutil.StartDovecotOAuth(t, token)
	ctx := context.Background()
	cfg := imapfetch.Config{Addr: d.TLSAddr, TLS: imapfetch.TLSImplicit, CAFile: d.CAFile, User: d.User,
		Auth: imapfetch.AuthXOAUTH2, Token: token, Timeout: 10 * time.Second}
	if err := checkXOAUTH2(t, cfg, "ya29.wrong"); !strings.Contains(err.Error(), `refused the token: {"status":"401"`) {
		t.Errorf("error %q, want the server's refusal with its status", err)
	}
	// The password still works alongside.
	cfg.Auth, cfg.Token, cfg.Password = imapfetch.AuthPlain, "", d.Password
	c, err := imapfetch.Dial(ctx, cfg)
	if err != nil {
		t.Fatalf("PLAIN next to XOAUTH2: %v", err)
	}
	c.Close()
}

func TestDialXOAUTH2(t *testing.T) {
	srv, err := imapfetch.StartMemServer("bounce", "pw", imapfetch.MemServerOptions{Token: "tok-123"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cfg := imapfetch.Config{Addr: srv.Addr(), TLS: imapfetch.TLSNone, AllowPlaintext: true, User: "bounce", Token: "tok-123"}
	checkXOAUTH2(t, cfg, "tok-wrong")
}

// checkXOAUTH2 logs in with cfg's token and selects INBOX, then checks that the wrong token is
// refused with an error that does not show it, and returns that error.
func checkXOAUTH2(t *testing.T, cfg imapfetch.Config, wrong string) error {
	t.Helper()
	ctx := context.Background()
	c, err := imapfetch.Dial(ctx, cfg)
	if err != nil {
		t.Fatalf("XOAUTH2 with the right token: %v", err)
	}
	if _, err := c.Select(ctx, "INBOX"); err != nil {
		t.Fatal(err)
	}
	c.Close()
	cfg.Token = wrong
	c, err = imapfetch.Dial(ctx, cfg)
	if err == nil {
		c.Close()
		t.Fatal("XOAUTH2 with a wrong token succeeded")
	}
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("error %q shows the token", err)
	}
	return err
}

func TestDialTimesOut(t *testing.T) {
	// A server that accepts and never says a word.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	start := time.Now()
	_, err = imapfetch.Dial(context.Background(), imapfetch.Config{Addr: ln.Addr().String(), TLS: imapfetch.TLSNone, AllowPlaintext: true, User: "u", Password: "p", Timeout: 300 * time.Millisecond})
	if err == nil {
		t.Fatal("Dial to a silent server succeeded")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Dial took %v with a 300ms timeout", d)
	}
}

func TestReconnect(t *testing.T) {
	srv, err := imapfetch.StartMemServer("bounce", "pw", imapfetch.MemServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	proxy := testutil.StartProxy(t, srv.Addr())
	cfg := imapfetch.Config{Addr: proxy.Addr(), TLS: imapfetch.TLSNone, AllowPlaintext: true, User: "bounce", Password: "pw", Retries: 2, Backoff: 10 * time.Millisecond}
	c := dial(t, cfg)
	ctx := context.Background()
	if _, err := c.Select(ctx, "INBOX"); err != nil {
		t.Fatal(err)
	}
	proxy.Cut()
	if _, err := c.UIDs(ctx, 0); err != nil {
		t.Fatalf("UIDs after a cut: %v", err)
	}
	if proxy.Accepted() != 2 {
		t.Errorf("proxy accepted %d connections, want 2 (one redial)", proxy.Accepted())
	}
	// With the server gone, it gives up after the configured attempts.
	srv.Close()
	proxy.Cut()
	_, err = c.UIDs(ctx, 0)
	if err == nil || !strings.Contains(err.Error(), "giving up after 2 attempts") {
		t.Errorf("UIDs with the server gone: %v, want giving up after 2 attempts", err)
	}
}

func TestConfigValidation(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		cfg     imapfetch.Config
		wantErr string
	}{
		{imapfetch.Config{User: "u", Password: "p"}, "no server address"},
		{imapfetch.Config{Addr: "host-without-port", User: "u", Password: "p"}, "HOST:PORT"},
		{imapfetch.Config{Addr: "127.0.0.1:1", Password: "p"}, "no user"},
		{imapfetch.Config{Addr: "127.0.0.1:1", User: "u"}, "no password"},
		{imapfetch.Config{Addr: "127.0.0.1:1", User: "u", Auth: imapfetch.AuthXOAUTH2}, "no XOAUTH2 token"},
		{imapfetch.Config{Addr: "127.0.0.1:1", User: "u", Password: "p", CAFile: "/nonexistent/ca.pem"}, "CA file"},
	} {
		_, err := imapfetch.Dial(ctx, tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("Dial(%+v) = %v, want an error containing %q", tc.cfg, err, tc.wantErr)
		}
	}
	if err := (imapfetch.Mark{Action: imapfetch.MarkFlag, Keyword: "bad keyword"}).Validate(); err == nil {
		t.Error(`Mark{flag "bad keyword"}.Validate() = nil, want an error`)
	}
	if err := (imapfetch.Mark{Action: imapfetch.MarkMove}).Validate(); err == nil {
		t.Error(`Mark{move, no folder}.Validate() = nil, want an error`)
	}
	if _, err := imapfetch.ParseTLSMode("ssl"); err == nil {
		t.Error(`ParseTLSMode("ssl") = nil error, want one`)
	}
}

package imapfetch_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/imapfetch"
)

func TestIsLoopback(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:143", true},
		{"127.8.9.10:143", true},
		{"[::1]:143", true},
		{"[::ffff:127.0.0.1]:143", true},
		{"localhost:143", true},
		{"127.evil.example:143", false}, // a name, not an address: it may resolve anywhere
		{"127.0.0.1.evil.example:143", false},
		{"10.0.0.1:143", false},
		{"[::2]:143", false},
		{"0.0.0.0:143", false},
	} {
		if got, err := imapfetch.IsLoopback(ctx, tc.addr); got != tc.want {
			t.Errorf("IsLoopback(%q) = %v (%v), want %v", tc.addr, got, err, tc.want)
		}
	}
}

// TestDialPlaintextOnLoopback: PlaintextOnLoopback lets TLSNone reach a server whose name
// resolves to loopback only, and refuses a name that merely starts with "127.".
func TestDialPlaintextOnLoopback(t *testing.T) {
	srv, err := imapfetch.StartMemServer("u", "pw", imapfetch.MemServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Addr())
	ctx := context.Background()
	cfg := imapfetch.Config{TLS: imapfetch.TLSNone, PlaintextOnLoopback: true, User: "u", Password: "pw", Timeout: 10 * time.Second, Retries: -1}
	for _, host := range []string{"localhost", "127.0.0.1"} {
		cfg.Addr = net.JoinHostPort(host, port)
		c, err := imapfetch.Dial(ctx, cfg)
		if err != nil {
			t.Errorf("Dial(%s, plain text on loopback) = %v", cfg.Addr, err)
			continue
		}
		c.Close()
	}
	cfg.Addr = net.JoinHostPort("127.evil.example", port)
	if c, err := imapfetch.Dial(ctx, cfg); err == nil || !strings.Contains(err.Error(), "plain-text IMAP refused") {
		if c != nil {
			c.Close()
		}
		t.Errorf("Dial(%s, plain text on loopback) = %v, want a refusal", cfg.Addr, err)
	}
}

package imapfetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// resolveTimeout bounds the name lookup that decides whether a server is on loopback.
const resolveTimeout = 5 * time.Second

// IsLoopback reports whether addr (HOST:PORT) reaches this machine only: an IP literal in
// 127.0.0.0/8 or ::1, or a name every one of whose resolved addresses is such. The decision
// is made on addresses, not on how the name is spelt: "127.evil.example" is an ordinary name
// that may resolve anywhere. A name that does not resolve is not loopback.
func IsLoopback(ctx context.Context, addr string) (bool, error) {
	ips, err := loopbackIPs(ctx, addr)
	return err == nil && len(ips) > 0, err
}

// loopbackIPs resolves addr's host and returns its addresses when every one is a loopback
// address; otherwise an error that says which is not.
func loopbackIPs(ctx context.Context, addr string) ([]netip.Addr, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("imapfetch: server address %q: want HOST:PORT", addr)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if !ip.Unmap().IsLoopback() {
			return nil, fmt.Errorf("imapfetch: %s is not a loopback address", host)
		}
		return []netip.Addr{ip}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, resolveTimeout)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, fmt.Errorf("imapfetch: resolve %s: %w", host, err)
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("imapfetch: %s has no address", host)
	}
	for _, ip := range ips {
		if !ip.Unmap().IsLoopback() {
			return nil, fmt.Errorf("imapfetch: %s resolves to %s, which is not a loopback address", host, ip)
		}
	}
	return ips, nil
}

// dialPlain dials a TLSNone server that AllowPlaintext does not cover: only when every
// address its name resolves to is loopback, and then to those addresses, so that a second
// lookup cannot send the password elsewhere.
func dialPlain(ctx context.Context, d *net.Dialer, addr string) (net.Conn, error) {
	ips, err := loopbackIPs(ctx, addr)
	if err != nil {
		return nil, fmt.Errorf("imapfetch: plain-text IMAP refused: the password would cross the network unencrypted: %w", err)
	}
	_, port, _ := net.SplitHostPort(addr)
	var errs []error
	for _, ip := range ips {
		c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(ip.String(), port))
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

package testutil

import (
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// Proxy is a TCP proxy on 127.0.0.1 in front of a server, able to cut every connection on
// demand or after a number of bytes from the server, to test how a client survives a drop.
type Proxy struct {
	ln     net.Listener
	target string

	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	budget   int64 // bytes from the server left before the cut; <0 means no cut planned
	stall    int64 // bytes from the server left before a stall; <0 means none planned
	cuts     int
	accepted int
	pattern  []byte        // cut every connection whenever this passes from the server
	delay    time.Duration // added to each direction (see StartLatencyProxy)
}

// StartProxy listens on a free loopback port and forwards to target until the test ends.
func StartProxy(tb testing.TB, target string) *Proxy {
	tb.Helper()
	return startProxy(tb, target, 0)
}

func startProxy(tb testing.TB, target string, delay time.Duration) *Proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}, budget: -1, stall: -1, delay: delay}
	go p.serve()
	tb.Cleanup(func() {
		ln.Close()
		p.Cut()
	})
	return p
}

// Addr is the proxy's HOST:PORT.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Cut closes every open connection now; new ones are still accepted.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutLocked()
}

func (p *Proxy) cutLocked() {
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
	p.cuts++
}

// CutAfter arranges a single cut once n more bytes have gone from the server to the client.
func (p *Proxy) CutAfter(n int64) {
	p.mu.Lock()
	p.budget = n
	p.mu.Unlock()
}

// CutWhenSeen arranges a cut every time pattern goes from the server to a client: what
// precedes the pattern is forwarded, the pattern and what follows are not, and every open
// connection is closed. A nil pattern stops this.
func (p *Proxy) CutWhenSeen(pattern []byte) {
	p.mu.Lock()
	p.pattern = bytes.Clone(pattern)
	p.mu.Unlock()
}

// StallAfter arranges a single stall once n more bytes have gone from the server to the client:
// the connection stays open but nothing more reaches the client, as with a hung server.
func (p *Proxy) StallAfter(n int64) {
	p.mu.Lock()
	p.stall = n
	p.mu.Unlock()
}

// Cuts reports how many times connections were cut; Accepted how many were accepted.
func (p *Proxy) Cuts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cuts
}

// Accepted reports how many client connections the proxy took.
func (p *Proxy) Accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

func (p *Proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns[c] = struct{}{}
		p.conns[s] = struct{}{}
		p.accepted++
		p.mu.Unlock()
		toServer, toClient := p.delayed(s), p.delayed(c)
		up := make(chan struct{})
		go func() {
			io.Copy(toServer, c)
			toServer.Close()
			close(up)
		}()
		go func() {
			p.copyDown(toClient, s, up)
			toClient.Close()
		}()
	}
}

// copyDown forwards server bytes to the client, spending the cut budget.
func (p *Proxy) copyDown(dst io.Writer, src net.Conn, up <-chan struct{}) {
	buf := make([]byte, 32<<10)
	var tail []byte // the last bytes sent, in which a pattern may have begun
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			send := n
			cut, stall := false, false
			if pat := p.pattern; len(pat) > 0 {
				seen := append(tail, buf[:n]...)
				if i := bytes.Index(seen, pat); i >= 0 {
					send, cut = max(i-len(tail), 0), true
				}
				tail = append(tail[:0], seen[max(len(seen)-len(pat)+1, 0):]...)
			}
			if p.stall >= 0 {
				if int64(n) >= p.stall {
					send, stall = int(p.stall), true
					p.stall = -1
				} else {
					p.stall -= int64(n)
				}
			}
			if p.budget >= 0 && !cut {
				if int64(n) >= p.budget {
					send, cut = int(p.budget), true
					p.budget = -1
				} else {
					p.budget -= int64(n)
				}
			}
			p.mu.Unlock()
			if send > 0 {
				if _, werr := dst.Write(buf[:send]); werr != nil {
					return
				}
			}
			if cut {
				p.Cut()
				return
			}
			if stall {
				<-up // until the client gives up and closes its side
				return
			}
		}
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				return
			}
			return
		}
	}
}

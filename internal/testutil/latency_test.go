package testutil

import (
	"bufio"
	"io"
	"net"
	"testing"
	"time"
)

// echoServer answers every line with the same line until the test ends.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	return ln.Addr().String()
}

func TestLatencyProxyDelaysEachWay(t *testing.T) {
	const oneWay = 15 * time.Millisecond
	p := StartLatencyProxy(t, echoServer(t), oneWay)
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for i := range 3 {
		start := time.Now()
		if _, err := c.Write([]byte("ping\n")); err != nil {
			t.Fatal(err)
		}
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if rtt := time.Since(start); line != "ping\n" || rtt < 2*oneWay {
			t.Errorf("round trip %d: got %q after %v, want \"ping\\n\" after at least %v", i, line, rtt, 2*oneWay)
		}
	}
	// Writes in a burst arrive in order and are not delayed one after the other: ten lines
	// take one round trip, not ten.
	start := time.Now()
	for range 10 {
		c.Write([]byte("x\n"))
	}
	for range 10 {
		if line, err := r.ReadString('\n'); err != nil || line != "x\n" {
			t.Fatalf("burst: got %q, %v", line, err)
		}
	}
	if d := time.Since(start); d > 8*oneWay {
		t.Errorf("ten pipelined lines took %v, want about one round trip (%v)", d, 2*oneWay)
	}
}

func TestLatencyProxyCut(t *testing.T) {
	p := StartLatencyProxy(t, echoServer(t), 5*time.Millisecond)
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("a\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReader(c).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	p.Cut()
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if n, err := c.Read(make([]byte, 10)); err == nil {
		t.Errorf("read after Cut: %d bytes, no error; want the connection closed", n)
	}
	if p.Cuts() != 1 || p.Accepted() != 1 {
		t.Errorf("Cuts() = %d, Accepted() = %d, want 1 and 1", p.Cuts(), p.Accepted())
	}
}

package testutil

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// StartLatencyProxy is StartProxy with oneWay added to each direction: every chunk read from
// one side reaches the other oneWay later, so a request and its answer take 2×oneWay more, as
// with a server across a network (10 ms each way is a 20 ms round trip). Bytes keep their
// order and the throughput stays the same; only their arrival is late. Cut and the other
// faults of Proxy work as with StartProxy.
func StartLatencyProxy(tb testing.TB, target string, oneWay time.Duration) *Proxy {
	tb.Helper()
	return startProxy(tb, target, oneWay)
}

// delayed returns what writes to conn: conn itself, or with a delay a writer that hands each
// chunk to conn p.delay after it was written. Closing it closes conn once what was written
// before has been passed on.
func (p *Proxy) delayed(conn net.Conn) io.WriteCloser {
	if p.delay <= 0 {
		return conn
	}
	w := &delayWriter{conn: conn, delay: p.delay, queue: make(chan chunk, 1024)}
	go w.forward()
	return w
}

// chunk is bytes written to a delayWriter and when they are due at the other end.
type chunk struct {
	data []byte
	due  time.Time
}

// delayWriter queues what is written and forwards it to conn when due, in order.
type delayWriter struct {
	conn  net.Conn
	delay time.Duration
	queue chan chunk

	// mu is held while a chunk is queued, so that Close does not close the queue under a send.
	mu     sync.Mutex
	closed bool
	err    atomic.Pointer[error] // the first error writing to conn
}

func (w *delayWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.err.Load(); err != nil {
		return 0, *err
	}
	if w.closed {
		return 0, net.ErrClosed
	}
	w.queue <- chunk{data: append([]byte(nil), b...), due: time.Now().Add(w.delay)}
	return len(b), nil
}

// Close stops taking writes; the queued chunks still go out, then conn is closed.
func (w *delayWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.closed {
		w.closed = true
		close(w.queue)
	}
	return nil
}

func (w *delayWriter) forward() {
	defer w.conn.Close()
	for c := range w.queue {
		if d := time.Until(c.due); d > 0 {
			time.Sleep(d)
		}
		if _, err := w.conn.Write(c.data); err != nil {
			w.err.Store(&err)
			// Drain, so that a writer blocked on a full queue is released.
			for range w.queue {
			}
			return
		}
	}
}

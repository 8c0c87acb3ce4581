package imapfetch_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/imapfetch"
	"github.com/bounceproc/bounceproc/internal/testutil"
)

// drain reads every message of the stream, marks each with mark, and returns UID → body.
func drain(t *testing.T, s *imapfetch.Stream, mark imapfetch.Mark) (uids []uint32, bodies map[uint32][]byte) {
	t.Helper()
	bodies = map[uint32][]byte{}
	for {
		m, err := s.Next()
		if errors.Is(err, io.EOF) {
			return uids, bodies
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		b, err := io.ReadAll(m.Body)
		if err != nil {
			t.Fatalf("reading UID %d: %v", m.UID, err)
		}
		uids = append(uids, m.UID)
		bodies[m.UID] = b
		s.Done(m.UID, mark)
	}
}

// behindProxy seeds INBOX with n test mails of about size bytes and returns them, a proxy in
// front of the server, and a configuration that connects through it.
func behindProxy(t *testing.T, b *backend, n, size int) ([][]byte, *testutil.Proxy, imapfetch.Config) {
	t.Helper()
	mails := make([][]byte, n)
	for i := range mails {
		mails[i] = testMail(i, size)
	}
	b.seed(t, "", mails...)
	proxy := testutil.StartProxy(t, b.cfg.Addr)
	cfg := b.cfg
	cfg.Addr = proxy.Addr()
	return mails, proxy, cfg
}

func TestStreamFetchesAllInOrderWithoutSeen(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		var want [][]byte
		for i := range 7 {
			want = append(want, testMail(i, 300+i*100))
		}
		b.seed(t, "", want...)
		cfg := b.cfg
		cfg.BatchSize = 3 // several batches
		c := dial(t, cfg)
		ctx := context.Background()
		s, err := c.Open(ctx, "INBOX", 0, imapfetch.StreamOptions{InternalDate: true})
		if err != nil {
			t.Fatal(err)
		}
		if s.Total() != 7 || s.Mailbox().UIDValidity == 0 {
			t.Fatalf("Open: total %d, mailbox %+v; want 7 mails and a UIDVALIDITY", s.Total(), s.Mailbox())
		}
		var got [][]byte
		var uids []uint32
		for {
			m, err := s.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(m.Body)
			if err != nil {
				t.Fatal(err)
			}
			if m.Size != int64(len(body)) || m.Truncated || m.Mailbox != "INBOX" || m.UIDValidity != s.Mailbox().UIDValidity || m.InternalDate.IsZero() {
				t.Errorf("message %d: size %d for %d bytes, truncated %v, mailbox %q, validity %d, date %v", m.UID, m.Size, len(body), m.Truncated, m.Mailbox, m.UIDValidity, m.InternalDate)
			}
			got = append(got, body)
			uids = append(uids, m.UID)
			s.Done(m.UID, imapfetch.Mark{})
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(got, want, bytes.Equal) {
			t.Fatalf("fetched %d mails, want the 7 seeded ones in order", len(got))
		}
		if !slices.IsSorted(uids) {
			t.Errorf("UIDs %v not ascending", uids)
		}
		inv, err := c.Inventory(ctx, "INBOX")
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range inv {
			if slices.Contains(it.Flags, `\Seen`) {
				t.Errorf("UID %d has \\Seen after fetching: flags %v", it.UID, it.Flags)
			}
		}

		// From a cursor: only what lies above it.
		s2, err := c.Open(ctx, "INBOX", uids[4], imapfetch.StreamOptions{UIDValidity: s.Mailbox().UIDValidity})
		if err != nil {
			t.Fatal(err)
		}
		rest, _ := drain(t, s2, imapfetch.Mark{})
		s2.Close()
		if !slices.Equal(rest, uids[5:]) {
			t.Errorf("Open(after %d) gave %v, want %v", uids[4], rest, uids[5:])
		}
		// Above the highest UID: nothing, even though "N:*" always matches the last mail.
		s3, err := c.Open(ctx, "INBOX", uids[6], imapfetch.StreamOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if none, _ := drain(t, s3, imapfetch.Mark{}); len(none) != 0 {
			t.Errorf("Open(after last UID) gave %v, want nothing", none)
		}
		s3.Close()
	})
}

func TestStreamSizeCap(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		small, exact, big := testMail(1, 200), testMail(2, 1000), testMail(3, 5000)
		exact = exact[:1000]
		b.seed(t, "", small, exact, big)
		cfg := b.cfg
		cfg.MaxSize = 1000
		c := dial(t, cfg)
		s, err := c.Open(context.Background(), "INBOX", 0, imapfetch.StreamOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		type res struct {
			n         int
			truncated bool
			size      int64
		}
		var got []res
		for {
			m, err := s.Next()
			if err != nil {
				break
			}
			body, _ := io.ReadAll(m.Body)
			got = append(got, res{len(body), m.Truncated, m.Size})
		}
		want := []res{{len(small), false, int64(len(small))}, {1000, false, 1000}, {1000, true, int64(len(big))}}
		if !slices.Equal(got, want) {
			t.Errorf("with a 1000-byte cap got %+v, want %+v", got, want)
		}
	})
}

func TestStreamMarks(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		var mails [][]byte
		for i := range 6 {
			mails = append(mails, testMail(i, 400))
		}
		b.seed(t, "", mails...)
		cfg := b.cfg
		cfg.BatchSize = 2
		c := dial(t, cfg)
		ctx := context.Background()
		marked := map[string][]uint32{}
		s, err := c.Open(ctx, "INBOX", 0, imapfetch.StreamOptions{OnMarked: func(_ context.Context, m imapfetch.Mark, uids []uint32) error {
			marked[m.String()] = append(marked[m.String()], uids...)
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		moveTo := imapfetch.Mark{Action: imapfetch.MarkMove, Folder: "Processed"}
		flag := imapfetch.Mark{Action: imapfetch.MarkFlag}
		del := imapfetch.Mark{Action: imapfetch.MarkDelete}
		plan := []imapfetch.Mark{moveTo, flag, {}, moveTo, del, {}}
		var uids []uint32
		for i := 0; ; i++ {
			m, err := s.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, m.Body)
			uids = append(uids, m.UID)
			s.Done(m.UID, plan[i])
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		wantMarked := map[string][]uint32{moveTo.String(): {uids[0], uids[3]}, flag.String(): {uids[1]}, del.String(): {uids[4]}}
		for k, v := range wantMarked {
			if !slices.Equal(marked[k], v) {
				t.Errorf("OnMarked for %q got %v, want %v", k, marked[k], v)
			}
		}
		inbox, err := c.Inventory(ctx, "INBOX")
		if err != nil {
			t.Fatal(err)
		}
		var left []uint32
		for _, it := range inbox {
			left = append(left, it.UID)
			isFlagged := slices.ContainsFunc(it.Flags, func(f string) bool { return strings.EqualFold(f, imapfetch.DefaultKeyword) })
			if isFlagged != (it.UID == uids[1]) {
				t.Errorf("UID %d flags %v", it.UID, it.Flags)
			}
		}
		if want := []uint32{uids[1], uids[2], uids[5]}; !slices.Equal(left, want) {
			t.Errorf("INBOX holds %v after marking, want %v", left, want)
		}
		moved, err := c.Inventory(ctx, "Processed")
		if err != nil {
			t.Fatal(err)
		}
		if len(moved) != 2 {
			t.Errorf("Processed holds %d mails, want 2", len(moved))
		}
		// Marking again is harmless: the UIDs are gone.
		if _, err := c.Select(ctx, "INBOX"); err != nil {
			t.Fatal(err)
		}
		if err := c.Apply(ctx, moveTo, []uint32{uids[0], uids[3]}); err != nil {
			t.Errorf("moving mails that are gone: %v", err)
		}
	})
}

func TestMoveWithoutMOVE(t *testing.T) {
	b := memBackend(t, imapfetch.MemServerOptions{NoMove: true})
	b.seed(t, "", testMail(1, 100), testMail(2, 100))
	c := dial(t, b.cfg)
	ctx := context.Background()
	s, err := c.Open(ctx, "INBOX", 0, imapfetch.StreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	uids, _ := drain(t, s, imapfetch.Mark{Action: imapfetch.MarkMove, Folder: "Done"})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	inbox, _ := c.Inventory(ctx, "INBOX")
	done, _ := c.Inventory(ctx, "Done")
	if len(uids) != 2 || len(inbox) != 0 || len(done) != 2 {
		t.Errorf("COPY+EXPUNGE fallback: fetched %d, INBOX has %d, Done has %d; want 2, 0, 2", len(uids), len(inbox), len(done))
	}
}

func TestStreamSurvivesDroppedConnection(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		_, proxy, cfg := behindProxy(t, b, 20, 2000)
		cfg.BatchSize = 8
		c := dial(t, cfg)
		ctx := context.Background()
		var markedUIDs []uint32
		s, err := c.Open(ctx, "INBOX", 0, imapfetch.StreamOptions{OnMarked: func(_ context.Context, _ imapfetch.Mark, uids []uint32) error {
			markedUIDs = append(markedUIDs, uids...)
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		// Cut in the middle of the first batch's bodies.
		proxy.CutAfter(5*2000 + 700)
		seen := map[uint32]int{}
		var done []uint32
		for {
			m, err := s.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("Next after a cut: %v", err)
			}
			body, err := io.ReadAll(m.Body)
			seen[m.UID]++
			if err != nil {
				// The caller stores nothing for a mail it could not read, and does not call Done.
				continue
			}
			if !bytes.HasPrefix(body, []byte("From: ")) || len(body) < 2000 {
				t.Fatalf("UID %d: got %d bytes starting %q", m.UID, len(body), body[:min(len(body), 20)])
			}
			done = append(done, m.UID)
			s.Done(m.UID, imapfetch.Mark{Action: imapfetch.MarkFlag})
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if proxy.Cuts() != 1 || proxy.Accepted() != 2 {
			t.Errorf("proxy cut %d times and accepted %d connections, want 1 and 2", proxy.Cuts(), proxy.Accepted())
		}
		slices.Sort(done)
		if len(done) != 20 || len(slices.Compact(slices.Clone(done))) != 20 {
			t.Errorf("done %d mails (%v), want each of the 20 exactly once", len(done), done)
		}
		slices.Sort(markedUIDs)
		if !slices.Equal(markedUIDs, done) {
			t.Errorf("marked %v, want %v", markedUIDs, done)
		}
	})
}

func TestUIDValidityChange(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		b.seed(t, "", testMail(1, 100), testMail(2, 100))
		c := dial(t, b.cfg)
		ctx := context.Background()
		m1, err := c.Select(ctx, "INBOX")
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		b.resetValidity(t, "INBOX")
		c = dial(t, b.cfg)
		_, err = c.Open(ctx, "INBOX", 2, imapfetch.StreamOptions{UIDValidity: m1.UIDValidity})
		if !errors.Is(err, imapfetch.ErrUIDValidityChanged) {
			t.Fatalf("Open with the old UIDVALIDITY %d: err %v, want ErrUIDValidityChanged", m1.UIDValidity, err)
		}
		s, err := c.Open(ctx, "INBOX", 0, imapfetch.StreamOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if s.Mailbox().UIDValidity == m1.UIDValidity {
			t.Fatalf("UIDVALIDITY still %d", m1.UIDValidity)
		}
		if uids, _ := drain(t, s, imapfetch.Mark{}); len(uids) != 2 {
			t.Errorf("rescan found %d mails, want 2", len(uids))
		}
	})
}

func TestWatch(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts imapfetch.MemServerOptions
	}{{"idle", imapfetch.MemServerOptions{}}, {"poll", imapfetch.MemServerOptions{NoIdle: true}}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := memBackend(t, tc.opts)
			testWatch(t, b)
		})
	}
	t.Run("dovecot", func(t *testing.T) {
		t.Parallel()
		testWatch(t, dovecotBackend(t))
	})
}

func testWatch(t *testing.T, b *backend) {
	b.seed(t, "", testMail(1, 100))
	cfg := b.cfg
	cfg.PollInterval = 50 * time.Millisecond
	c := dial(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var after uint32
	got := make(chan []uint32, 10)
	errc := make(chan error, 1)
	go func() {
		errc <- c.Watch(ctx, "INBOX", func(ctx context.Context) error {
			s, err := c.Open(ctx, "INBOX", after, imapfetch.StreamOptions{})
			if err != nil {
				return err
			}
			var uids []uint32
			for {
				m, err := s.Next()
				if err != nil {
					break
				}
				io.Copy(io.Discard, m.Body)
				uids = append(uids, m.UID)
				after = m.UID
				s.Done(m.UID, imapfetch.Mark{})
			}
			if err := s.Close(); err != nil {
				return err
			}
			if len(uids) > 0 {
				got <- uids
			}
			return nil
		})
	}()
	// fail stops the watch before failing: the test's cleanup closes the client it uses.
	fail := func(format string, args ...any) {
		t.Helper()
		cancel()
		<-errc
		t.Fatalf(format, args...)
	}
	first := <-got
	if len(first) != 1 {
		fail("first pass got %v, want one mail", first)
	}
	time.Sleep(100 * time.Millisecond) // let it settle into IDLE
	b.seed(t, "", testMail(2, 100), testMail(3, 100))
	var second []uint32
	for len(second) < 2 {
		select {
		case u := <-got:
			second = append(second, u...)
		case <-ctx.Done():
			fail("watch saw %v after new mail, want 2 new mails", second)
		}
	}
	cancel()
	if err := <-errc; err != nil {
		t.Errorf("Watch returned %v after cancel, want nil", err)
	}
}

// TestWatchMailDuringPass: a mail that arrives while fn runs, after its search, is seen by the
// next pass at once, not only after the next notification (the server may report it in the
// SELECT that follows the pass, which is no notification).
func TestWatchMailDuringPass(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    func(t testing.TB) *backend
	}{
		{"idle", func(t testing.TB) *backend { return memBackend(t, imapfetch.MemServerOptions{}) }},
		{"dovecot", dovecotBackend},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := tc.b(t)
			b.seed(t, "", testMail(1, 100))
			c := dial(t, b.cfg)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var after uint32
			passes := 0
			err := c.Watch(ctx, "INBOX", func(ctx context.Context) error {
				passes++
				if _, err := c.Select(ctx, "INBOX"); err != nil {
					return err
				}
				uids, err := c.UIDs(ctx, after)
				if err != nil {
					return err
				}
				if len(uids) > 0 {
					after = uids[len(uids)-1]
				}
				switch {
				case after == 1 && passes == 1:
					b.seed(t, "", testMail(2, 100)) // arrives after this pass's search
				case after == 2:
					cancel()
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if after != 2 {
				t.Errorf("after %d passes the watch had seen UIDs up to %d, want 2", passes, after)
			}
		})
	}
}

func TestOpenUIDs(t *testing.T) {
	b := memBackend(t, imapfetch.MemServerOptions{})
	for i := range 5 {
		b.seed(t, "", testMail(i, 100))
	}
	c := dial(t, b.cfg)
	s, err := c.OpenUIDs(context.Background(), "INBOX", []uint32{4, 2, 99}, imapfetch.StreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if uids, _ := drain(t, s, imapfetch.Mark{}); !slices.Equal(uids, []uint32{2, 4}) {
		t.Errorf("OpenUIDs(4, 2, 99) gave %v, want [2 4] (99 does not exist)", uids)
	}
}

func TestStreamTimesOutOnAHungServer(t *testing.T) {
	b := memBackend(t, imapfetch.MemServerOptions{})
	_, proxy, cfg := behindProxy(t, b, 6, 3000)
	cfg.Timeout = 300 * time.Millisecond
	c := dial(t, cfg)
	s, err := c.Open(context.Background(), "INBOX", 0, imapfetch.StreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	proxy.StallAfter(2*3000 + 500) // in the middle of the third body
	start := time.Now()
	var done []uint32
	for {
		m, err := s.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if _, err := io.ReadAll(m.Body); err != nil {
			continue // timed out mid-body: handed out again after the reconnect
		}
		done = append(done, m.UID)
		s.Done(m.UID, imapfetch.Mark{})
	}
	if len(done) != 6 || proxy.Accepted() != 2 {
		t.Errorf("read %v over %d connections, want all 6 over 2", done, proxy.Accepted())
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %v to get past a hung server with a 300ms timeout", el)
	}
}

func TestStreamInternalDateOnlyWhenAsked(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		b.seed(t, "", testMail(0, 300), testMail(1, 300))
		c := dial(t, b.cfg)
		for _, ask := range []bool{false, true} {
			s, err := c.Open(context.Background(), "INBOX", 0, imapfetch.StreamOptions{InternalDate: ask})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for {
				m, err := s.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				n++
				if m.InternalDate.IsZero() == ask {
					t.Errorf("asked for INTERNALDATE: %v; UID %d has %v", ask, m.UID, m.InternalDate)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Errorf("streamed %d mails, want 2", n)
			}
		}
	})
}

// TestStreamCutInsideABody cuts the connection at offsets spread over one mail's response, so
// that some cuts fall inside a body: a mail cut short must come with an error, never pass as a
// whole mail of fewer bytes (go-imap reports the connection's end inside a literal as the
// literal's end).
func TestStreamCutInsideABody(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		mails, proxy, cfg := behindProxy(t, b, 4, 2000)
		ctx := context.Background()
		cutShort := 0
		for cut := int64(2100); cut < 4300; cut += 250 {
			c := dial(t, cfg)
			s, err := c.Open(ctx, "INBOX", 0, imapfetch.StreamOptions{})
			if err != nil {
				t.Fatal(err)
			}
			proxy.CutAfter(cut)
			whole := 0
			for whole < len(mails) {
				m, err := s.Next()
				if err != nil {
					t.Fatalf("cut after %d bytes: Next: %v", cut, err)
				}
				body, err := io.ReadAll(m.Body)
				if err != nil {
					cutShort++
					continue // the stream hands the mail out again after reconnecting
				}
				if want := mails[m.UID-1]; !bytes.Equal(body, want) {
					t.Fatalf("cut after %d bytes: UID %d read without error as %d bytes, want its %d", cut, m.UID, len(body), len(want))
				}
				s.Done(m.UID, imapfetch.Mark{})
				whole++
			}
			s.Close()
			c.Close()
		}
		if cutShort == 0 {
			t.Error("no cut fell inside a body: move the offsets")
		}
	})
}

// TestStreamHandsOutEachMailOnce: a caller that reads mails whole and calls Done later (a run
// records a batch at a time) gets each mail once, even when the connection drops with mails
// read and not yet Done. (The stream used to put back every mail not Done, and a run counted
// those twice: 4,906 mails "fetched" of 3,130.)
func TestStreamHandsOutEachMailOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		_, proxy, cfg := behindProxy(t, b, 20, 2000)
		cfg.BatchSize = 8
		c := dial(t, cfg)
		s, err := c.Open(context.Background(), "INBOX", 0, imapfetch.StreamOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		proxy.CutAfter(11*2000 + 700) // in the second batch, with mails of it read and not Done
		handed := map[uint32]int{}
		var notDone []uint32
		for {
			m, err := s.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			if _, err := io.ReadAll(m.Body); err != nil {
				continue // cut inside this one: it comes again
			}
			handed[m.UID]++
			// Done five mails late.
			if notDone = append(notDone, m.UID); len(notDone) > 5 {
				s.Done(notDone[0], imapfetch.Mark{})
				notDone = notDone[1:]
			}
		}
		if proxy.Cuts() != 1 {
			t.Fatalf("the proxy cut %d times, want 1", proxy.Cuts())
		}
		for uid := uint32(1); uid <= 20; uid++ {
			if handed[uid] != 1 {
				t.Errorf("UID %d handed out whole %d times, want once", uid, handed[uid])
			}
		}
	})
}

// poisonedMails returns n test mails, the one at index poison carrying a marker that a proxy
// can cut on.
func poisonedMails(n, poison int) ([][]byte, []byte) {
	marker := []byte("X-Cut-Here: poison")
	mails := make([][]byte, n)
	for i := range mails {
		mails[i] = testMail(i, 1500)
		if i == poison {
			mails[i] = append(append(append([]byte{}, mails[i][:200]...), marker...), mails[i][200:]...)
		}
	}
	return mails, marker
}

// readAll drains a stream like a run: bodies read whole, each mail Done; quarantined mails
// are collected apart. It fails the test when the stream hands out more than limit messages.
func readAll(t *testing.T, s *imapfetch.Stream, limit int) (whole, quarantined []uint32, err error) {
	for range limit {
		m, err := s.Next()
		if errors.Is(err, io.EOF) {
			return whole, quarantined, nil
		}
		if err != nil {
			return whole, quarantined, err
		}
		if m.Quarantined != "" {
			if m.Body != nil {
				t.Errorf("quarantined UID %d comes with a body", m.UID)
			}
			quarantined = append(quarantined, m.UID)
			s.Done(m.UID, imapfetch.Mark{})
			continue
		}
		if _, err := io.ReadAll(m.Body); err != nil {
			continue
		}
		whole = append(whole, m.UID)
		s.Done(m.UID, imapfetch.Mark{})
	}
	t.Fatalf("the stream handed out more than %d messages: it goes round in circles", limit)
	return
}

// TestStreamQuarantinesAMailThatDropsTheConnection: a proxy cuts the connection every time
// one mail passes. The stream hands out every other mail whole, that one without its body and
// marked quarantined, after two cuts. (It used to reconnect forever.)
func TestStreamQuarantinesAMailThatDropsTheConnection(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		testQuarantineOnLoss(t, b, 5) // inside a batch
	})
	t.Run("last mail", func(t *testing.T) {
		testQuarantineOnLoss(t, memBackend(t, imapfetch.MemServerOptions{}), 19)
	})
}

func testQuarantineOnLoss(t *testing.T, b *backend, poison int) {
	mails, marker := poisonedMails(20, poison)
	b.seed(t, "", mails...)
	proxy := testutil.StartProxy(t, b.cfg.Addr)
	proxy.CutWhenSeen(marker)
	cfg := b.cfg
	cfg.Addr = proxy.Addr()
	cfg.BatchSize = 8
	c := dial(t, cfg)
	s, err := c.Open(context.Background(), "INBOX", 0, imapfetch.StreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	whole, quarantined, err := readAll(t, s, 200)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	var want []uint32
	for uid := uint32(1); uid <= 20; uid++ {
		if uid != uint32(poison+1) {
			want = append(want, uid)
		}
	}
	if !slices.Equal(whole, want) || !slices.Equal(quarantined, []uint32{uint32(poison + 1)}) {
		t.Errorf("read %v whole and quarantined %v; want every mail but UID %d whole, once, and that one quarantined", whole, quarantined, poison+1)
	}
	if proxy.Cuts() != 2 {
		t.Errorf("the proxy cut %d times, want 2 (a mail is quarantined at its second loss)", proxy.Cuts())
	}
}

// TestStreamGivesUpWithoutProgress: a server whose connection drops at every fetch makes the
// stream give up after a few losses, with an error, and without quarantining anything on
// such evidence. (It used to reconnect forever, logging each time as attempt 1.)
func TestStreamGivesUpWithoutProgress(t *testing.T) {
	b := memBackend(t, imapfetch.MemServerOptions{})
	_, proxy, cfg := behindProxy(t, b, 10, 500)
	c := dial(t, cfg)
	s, err := c.Open(context.Background(), "INBOX", 0, imapfetch.StreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	proxy.CutWhenSeen([]byte("From: MAILER-DAEMON")) // the start of every mail
	whole, quarantined, err := readAll(t, s, 100)
	if err == nil || !imapfetch.IsConnectionLost(err) || !strings.Contains(err.Error(), "giving up") {
		t.Errorf("Next over a server that drops every fetch: %v; want a final error that says it gives up", err)
	}
	if len(whole)+len(quarantined) != 0 {
		t.Errorf("read %v and quarantined %v, want nothing", whole, quarantined)
	}
	if n := proxy.Cuts(); n < 3 || n > 6 {
		t.Errorf("the proxy cut %d times; want the stream to give up after a few", n)
	}
}

// TestStreamQuarantineOption: mails the caller quarantines are handed out in their turn,
// without a body and without being fetched.
func TestStreamQuarantineOption(t *testing.T) {
	b := memBackend(t, imapfetch.MemServerOptions{})
	mails, marker := poisonedMails(10, 3)
	b.seed(t, "", mails...)
	proxy := testutil.StartProxy(t, b.cfg.Addr)
	proxy.CutWhenSeen(marker) // fetching it would cut the connection
	cfg := b.cfg
	cfg.Addr = proxy.Addr()
	cfg.BatchSize = 4
	c := dial(t, cfg)
	s, err := c.Open(context.Background(), "INBOX", 0, imapfetch.StreamOptions{Quarantine: map[uint32]string{4: "crashed", 10: "crashed too"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var order []string
	for {
		m, err := s.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if m.Quarantined != "" {
			order = append(order, fmt.Sprintf("%d:%s", m.UID, m.Quarantined))
			continue
		}
		io.ReadAll(m.Body)
		order = append(order, fmt.Sprint(m.UID))
	}
	want := []string{"1", "2", "3", "4:crashed", "5", "6", "7", "8", "9", "10:crashed too"}
	if !slices.Equal(order, want) || proxy.Cuts() != 0 {
		t.Errorf("handed out %v with %d cuts, want %v and no cut", order, proxy.Cuts(), want)
	}
}

// TestStreamDropForgetsMarks: marks dropped before Close are never applied.
func TestStreamDropForgetsMarks(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		b.seed(t, "", testMail(0, 400), testMail(1, 400))
		c := dial(t, b.cfg)
		ctx := context.Background()
		s, err := c.Open(ctx, "INBOX", 0, imapfetch.StreamOptions{OnMarked: func(context.Context, imapfetch.Mark, []uint32) error {
			t.Error("OnMarked called after Drop")
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			m, err := s.Next()
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, m.Body)
			s.Done(m.UID, imapfetch.Mark{Action: imapfetch.MarkMove, Folder: "Processed"})
		}
		s.Drop()
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		inbox, err := c.Inventory(ctx, "INBOX")
		if err != nil || len(inbox) != 2 {
			t.Errorf("INBOX holds %d mails (%v) after dropped marks, want 2", len(inbox), err)
		}
	})
}

package suppress

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
)

// indexBatch is a batch with every kind of answer: suppressed, released, allowed by address
// and by domain, by hand, unknown, invalid, duplicated.
var indexBatch = []string{"Hard@Example.ORG", "blocked@example.org", "released@example.org", "vip@example.net",
	"other@example.net", "manual@example.org", "nobody@example.org", "not an address", "hard@example.org", "",
	"soft@example.com", "later@example.com", "one@allowed.example"}

// sameAnswers fails t unless the index answers batch as the store does, alone and spread
// over a batch large enough to be looked up in parts.
func sameAnswers(t *testing.T, s *SQLite, x *Index, batch []string) {
	t.Helper()
	sameAnswersOf(t, s, x, batch)
	var large []string
	for i := range 3 * indexPart {
		large = append(large, fmt.Sprintf("filler%d@example.com", i))
		if i%200 == 0 {
			large = append(large, batch...)
		}
	}
	sameAnswersOf(t, s, x, large)
}

func sameAnswersOf(t *testing.T, s *SQLite, x *Index, batch []string) {
	t.Helper()
	ctx := context.Background()
	want, err := s.LookupMany(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	got, err := x.LookupMany(ctx, batch)
	if err != nil {
		t.Fatalf("Index.LookupMany = %v", err)
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("Index.LookupMany[%q] = %+v\nthe store's %+v", batch[i], got[i], want[i])
		}
	}
}

// TestIndexAgreesWithStore: the index answers as LookupMany on the store, when loaded and
// after each kind of write has been refreshed in (bounces, release, allow and disallow,
// suppression by hand).
func TestIndexAgreesWithStore(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{Now: newClock(t0).Now})
	r := lookupFixture(t, s)
	x, err := NewIndex(ctx, s, IndexOptions{Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sameAnswers(t, s, x, indexBatch)

	// Writes after the load: seen after a refresh.
	r.record("soft@example.com", classify.KindSoft, dayN(1))
	r.record("later@example.com", classify.KindHard, dayN(1))
	r.record("hard@example.org", classify.KindHard, dayN(2))
	if _, err := s.Release(ctx, Manual{Address: "hard@example.org", By: "t", Why: "fixed"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Disallow(ctx, Manual{Address: "@example.net", By: "t", Why: "no longer"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Allow(ctx, Manual{Address: "one@allowed.example", By: "t", Why: "vip"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := x.LookupMany(ctx, []string{"later@example.com"}); got[0].Known {
		t.Fatal("the index knows a write before refreshing: the test proves nothing")
	}
	if err := x.refresh(ctx); err != nil {
		t.Fatal(err)
	}
	sameAnswers(t, s, x, indexBatch)
	if err := x.reload(ctx); err != nil {
		t.Fatal(err)
	}
	sameAnswers(t, s, x, indexBatch)
}

// indexWriterEnv names the store TestIndexWriterProcess writes to, in the child process
// TestIndexSeesOtherProcessWithinInterval starts.
const indexWriterEnv = "SUPPRESS_INDEX_WRITER_STORE"

// TestIndexWriterProcess suppresses one address by hand in the store named by indexWriterEnv;
// it runs only as that child.
func TestIndexWriterProcess(t *testing.T) {
	name := os.Getenv(indexWriterEnv)
	if name == "" {
		t.Skip("only run as a child of TestIndexSeesOtherProcessWithinInterval")
	}
	s, err := Open(context.Background(), name, Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Suppress(context.Background(), Manual{Address: "written@elsewhere.example", By: "child", Why: "test"}); err != nil {
		t.Fatal(err)
	}
}

// TestIndexSeesOtherProcessWithinInterval: a suppression written by another process is
// answered by the index of a read-only store within the documented bound: the interval plus
// one refresh (here: by the end of the first refresh that starts after the write).
func TestIndexSeesOtherProcessWithinInterval(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	name := storeName(t, path)
	w := openAtPath(t, path, Options{})
	(&recorder1{t: t, s: w}).record("a@example.org", classify.KindHard, dayN(0))
	ro, err := OpenReadOnly(ctx, name, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	const interval = 100 * time.Millisecond
	x, err := NewIndex(ctx, ro, IndexOptions{Interval: interval})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	const addr = "written@elsewhere.example"
	if got, _ := x.LookupMany(ctx, []string{addr}); got[0].Suppressed() {
		t.Fatal("suppressed before the write")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestIndexWriterProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), indexWriterEnv+"="+name)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the writing process: %v\n%s", err, out)
	}
	written := time.Now() // the child has committed and exited
	for {
		got, err := x.LookupMany(ctx, []string{addr})
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Suppressed() {
			t.Logf("seen %v after the writer exited (interval %v)", time.Since(written).Round(time.Millisecond), interval)
			return
		}
		// Read the age before deciding: a refresh that started after the write and has
		// finished must have brought it.
		x.mu.RLock()
		refreshedAfter := x.at.After(written)
		x.mu.RUnlock()
		if refreshedAfter {
			got, _ = x.LookupMany(ctx, []string{addr})
			if !got[0].Suppressed() {
				t.Fatalf("a refresh started %v after the write and does not show it", x.Age())
			}
			continue
		}
		if time.Since(written) > 30*time.Second {
			t.Fatalf("not seen %v after the write; last refresh error: %v", time.Since(written), x.Err())
		}
		time.Sleep(interval / 10)
	}
}

// TestPackRow: the columns of a row come back as packed, whatever bytes they hold.
func TestPackRow(t *testing.T) {
	long := fmt.Sprintf("%0300d", 7)
	for _, c := range [][4]string{{"a@b\x1fb", "", "", ""}, {"x\x1fy", "diag \x1f\x00 text", "by", "why"}, {"f", long, "", long}} {
		row := string(packRow(nil, []byte(c[0]), []byte(c[1]), []byte(c[2]), []byte(c[3])))
		f, d, b, w, ok := unpackRow(row)
		if !ok || [4]string{f, d, b, w} != c {
			t.Errorf("unpackRow(packRow(%q)) = %q %q %q %q, %v", c, f, d, b, w, ok)
		}
	}
}

// TestRowTable: rows put in, replaced, and grown past the table's first size and a chunk's
// size come back as a map holds them; absent addresses are not found.
func TestRowTable(t *testing.T) {
	tab := newRowTable(0)
	want := map[string]string{}
	big := string(make([]byte, chunkSize+10)) // a row larger than a chunk
	for round := range 2 {
		for i := range 5000 {
			addr := fmt.Sprintf("user%d@d%d.example", i, i%7)
			diag := fmt.Sprintf("diag %d round %d", i, round)
			if i == 4321 {
				diag = big
			}
			row := packRow(nil, []byte(addr+"\x1fd.example\x1fhard"), []byte(diag), nil, []byte("why"))
			if err := tab.put(row); err != nil {
				t.Fatal(err)
			}
			want[addr] = string(row)
		}
	}
	if tab.n != len(want) {
		t.Errorf("n = %d, want %d", tab.n, len(want))
	}
	for addr, row := range want {
		if got, ok := tab.get(addr); !ok || got != row {
			t.Fatalf("get(%q) = %.40q, %v; want %.40q", addr, got, ok, row)
		}
	}
	for _, addr := range []string{"user5000@d2.example", "", "user1@d1.exampl"} {
		if _, ok := tab.get(addr); ok {
			t.Errorf("get(%q) found a row", addr)
		}
	}
}

// TestIndexLookupsDuringRefreshes: lookups, large batches among them, go on while the index
// takes in writes (run with -race).
func TestIndexLookupsDuringRefreshes(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{Now: newClock(t0).Now})
	r := &recorder1{t: t, s: s}
	r.record("first@example.org", classify.KindHard, dayN(0))
	x, err := NewIndex(ctx, s, IndexOptions{Interval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	batch := make([]string, 0, 2*indexPart+20)
	for i := range cap(batch) {
		batch = append(batch, fmt.Sprintf("user%d@example.org", i%20))
	}
	done := make(chan struct{})
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				if _, err := x.LookupMany(ctx, batch); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 20 {
		r.record(fmt.Sprintf("user%d@example.org", i), classify.KindHard, dayN(1))
		if i%5 == 0 {
			if err := x.reload(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(done)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if err := x.refresh(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := x.LookupMany(ctx, batch)
	for _, res := range got {
		if !res.Suppressed() {
			t.Fatalf("%s not suppressed after the refresh", res.Input)
		}
	}
}

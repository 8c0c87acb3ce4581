package httpapi

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/internal/testutil"
	"github.com/bounceproc/bounceproc/suppress"
)

// benchSize is how many suppressed addresses the benchmark store holds.
const benchSize = 1_000_000

// benchAddr returns address i of the benchmark store (spread over 1,000 domains); those with
// i >= benchSize are not in it.
func benchAddr(i int) string { return fmt.Sprintf("user%d@d%d.example", i, i%1000) }

var bench struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(benchServers.closers) - 1; i >= 0; i-- {
		benchServers.closers[i]()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// benchStore returns the path of a store with benchSize suppressed addresses and 100 allow
// list entries, built once per test binary run: a new store (suppress.Open, so the schema is
// the real one) filled by one bulk INSERT … SELECT over a recursive CTE (SQLite only, and
// only here: the rows are what the policy writes for a hard bounce).
func benchStore(b *testing.B) string {
	b.Helper()
	bench.once.Do(func() {
		ctx := context.Background()
		if bench.dir, bench.err = os.MkdirTemp("", "httpapi-bench-"); bench.err != nil {
			return
		}
		bench.path = filepath.Join(bench.dir, "store.db")
		s, err := suppress.Open(ctx, bench.path, suppress.Options{})
		if err != nil {
			bench.err = err
			return
		}
		s.Close()
		db, err := sql.Open("sqlite", "file:"+bench.path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
		if err != nil {
			bench.err = err
			return
		}
		defer db.Close()
		const ms = 1_772_000_000_000
		_, bench.err = db.ExecContext(ctx, fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
			INSERT INTO entries (address, domain, kind, reason, status, reply_code, last_diagnostic, first_seen, last_seen,
				bounce_count, suppressed, suppressed_kind, suppressed_since, source, why)
			SELECT 'user' || i || '@d' || (i %% 1000) || '.example', 'd' || (i %% 1000) || '.example', 'hard', 'userunknown',
				'5.1.1', '550', '550 5.1.1 <user' || i || '>: Recipient address rejected: User unknown', %d, %d, 1, 1, 'hard', %d,
				'policy', 'hard bounce'
			FROM n`, benchSize-1, ms, ms, ms))
		if bench.err != nil {
			return
		}
		_, bench.err = db.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99)
			INSERT INTO allow (pattern, by, why, at) SELECT 'vip' || i || '@d' || i || '.example', 'bench', '', 1 FROM n`)
		if bench.err == nil {
			_, bench.err = db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		}
	})
	if bench.err != nil {
		b.Fatalf("building the benchmark store: %v", bench.err)
	}
	return bench.path
}

// benchServers are the servers of benchServer, made once per test binary run (building an
// index reads the million entries) and closed by TestMain.
var benchServers struct {
	sync.Mutex
	srv     [2]*httptest.Server
	store   [2]Store
	closers []func() error
}

// benchServer serves the API over the benchmark store on loopback: from the store itself
// (SQL per request), or with index from a suppress.Index over it, as serve does.
func benchServer(b *testing.B, index bool) (*httptest.Server, Store) {
	b.Helper()
	path := benchStore(b)
	benchServers.Lock()
	defer benchServers.Unlock()
	k := 0
	if index {
		k = 1
	}
	if benchServers.srv[k] != nil {
		return benchServers.srv[k], benchServers.store[k]
	}
	ro, err := suppress.OpenReadOnly(context.Background(), path, suppress.Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchServers.closers = append(benchServers.closers, ro.Close)
	var store Store = ro
	if index {
		x, err := suppress.NewIndex(context.Background(), ro, suppress.IndexOptions{})
		if err != nil {
			b.Fatal(err)
		}
		benchServers.closers = append(benchServers.closers, x.Close)
		store = x
	}
	api, err := NewAPI(store, testToken, nil)
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	api.Register(mux)
	srv := httptest.NewServer(mux)
	benchServers.closers = append(benchServers.closers, func() error { srv.Close(); return nil })
	benchServers.srv[k], benchServers.store[k] = srv, store
	return srv, store
}

// reportIndexSize reports the memory the index of store holds, if it is one.
func reportIndexSize(b *testing.B, store Store) {
	if x, ok := store.(*suppress.Index); ok {
		_, n := x.Size()
		b.ReportMetric(float64(n)/(1<<20), "index-MiB")
	}
}

// engines runs bench against the store itself and against its index.
func engines(b *testing.B, bench func(b *testing.B, index bool)) {
	b.Run("store", func(b *testing.B) { bench(b, false) })
	b.Run("index", func(b *testing.B) { bench(b, true) })
}

// BenchmarkLookupHTTP: single GET lookups over loopback from concurrent clients (keep-alive
// connections, as a send path would hold), half of them suppressed addresses, half unknown.
// lookups/s is the throughput.
func BenchmarkLookupHTTP(b *testing.B) { engines(b, benchLookupHTTP) }

func benchLookupHTTP(b *testing.B, index bool) {
	srv, store := benchServer(b, index)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}}
	b.Cleanup(client.CloseIdleConnections)
	var seq atomic.Int64
	var suppressed atomic.Int64
	b.SetParallelism(8) // 8 clients per GOMAXPROCS
	b.ResetTimer()
	cpu0 := testutil.SelfCPU()
	b.RunParallel(func(pb *testing.PB) {
		var ans Answer
		for pb.Next() {
			n := int(seq.Add(1))
			i := (n * 7919) % (2 * benchSize) // known and unknown alike, in no order
			req, _ := http.NewRequest("GET", srv.URL+"/v1/suppressions/"+benchAddr(i), nil)
			req.Header.Set("Authorization", "Bearer "+testToken)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || json.Unmarshal(body, &ans) != nil || ans.Suppressed != (i < benchSize) {
				b.Errorf("GET %s: status %d, %s", benchAddr(i), resp.StatusCode, body)
				return
			}
			if ans.Suppressed {
				suppressed.Add(1)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
	b.ReportMetric(float64((testutil.SelfCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/lookup")
	reportIndexSize(b, store)
}

// BenchmarkCheckBatchHTTP: one POST /v1/suppressions/check of 10,000 addresses (half known)
// over loopback, one at a time on a keep-alive connection. ms/batch is the time for one with
// the client's decoding of the answer (encoding/json into CheckResponse); wire-ms/batch
// is from sending the request to the last byte of the answer.
func BenchmarkCheckBatchHTTP(b *testing.B) { engines(b, benchCheckBatchHTTP) }

func benchCheckBatchHTTP(b *testing.B, index bool) {
	srv, store := benchServer(b, index)
	addrs := make([]string, MaxBatch)
	want := 0
	for i := range addrs {
		n := (i * 7919 * 13) % (2 * benchSize)
		addrs[i] = benchAddr(n)
		if n < benchSize {
			want++
		}
	}
	body, _ := json.Marshal(CheckRequest{Addresses: addrs})
	client := &http.Client{}
	b.Cleanup(client.CloseIdleConnections)
	var wire time.Duration
	cpu0 := testutil.SelfCPU()
	for b.Loop() {
		start := time.Now()
		req, _ := http.NewRequest("POST", srv.URL+"/v1/suppressions/check", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		wire += time.Since(start)
		var out CheckResponse
		if err == nil {
			err = json.Unmarshal(raw, &out)
		}
		if err != nil || resp.StatusCode != 200 || len(out.Results) != MaxBatch || out.Suppressed != want {
			b.Fatalf("POST check: status %d, %d results, %d suppressed (want %d), %v", resp.StatusCode, len(out.Results), out.Suppressed, want, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/batch")
	b.ReportMetric(float64(wire.Microseconds())/1000/float64(b.N), "wire-ms/batch")
	b.ReportMetric(float64((testutil.SelfCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/batch")
	reportIndexSize(b, store)
}

// BenchmarkLookupMany10k: the store's share of a batch, without HTTP and JSON.
func BenchmarkLookupMany10k(b *testing.B) { engines(b, benchLookupMany10k) }

func benchLookupMany10k(b *testing.B, index bool) {
	_, ro := benchServer(b, index)
	addrs := make([]string, MaxBatch)
	for i := range addrs {
		addrs[i] = benchAddr((i * 7919 * 13) % (2 * benchSize))
	}
	ctx := context.Background()
	cpu0 := testutil.SelfCPU()
	for b.Loop() {
		if _, err := ro.LookupMany(ctx, addrs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/batch")
	b.ReportMetric(float64((testutil.SelfCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/batch")
}

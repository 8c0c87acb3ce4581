package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/imapfetch"
	"github.com/bounceproc/bounceproc/internal/testutil"
	"github.com/bounceproc/bounceproc/suppress"
	"github.com/bounceproc/bounceproc/testdata/eml"
)

// BenchmarkRunParts10k times, without IMAP, the two halves of a run's CPU per mail over 10,000
// bounces (those of cmd/bounceproc's BenchmarkRunVsFetch10k): decoding them as process does (hash, parse,
// classify, events), and recording them into a fresh store as commit and drainMarked do
// (RecordMails a batch of 100 at a time, then MarkDoneMany for the batch). It reports CPU
// µs per mail of each, which a busy machine skews much less than the wall time of the whole
// run against Dovecot.
func BenchmarkRunParts10k(b *testing.B) {
	const n = 10000
	raws := manyBounces(b, n)
	r := &runner{o: Config{IMAP: imapfetch.Config{MaxSize: imapfetch.DefaultMaxSize}}}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	dir := b.TempDir()
	var decodeCPU, storeCPU time.Duration
	i := 0
	for b.Loop() {
		i++
		c0 := testutil.SelfCPU()
		pending := make([]processed, n)
		for j, raw := range raws {
			msg := imapfetch.Message{Mailbox: "INBOX", UIDValidity: 1, UID: uint32(j + 1), Size: int64(len(raw)), InternalDate: now}
			// process may rewrite raw: decode a copy, as run decodes a fresh buffer.
			pending[j] = r.process(context.Background(), &msg, append([]byte(nil), raw...))
		}
		c1 := testutil.SelfCPU()
		decodeCPU += c1 - c0

		ctx := context.Background()
		st, err := suppress.Open(ctx, filepath.Join(dir, fmt.Sprintf("parts%d.db", i)), suppress.Options{})
		if err != nil {
			b.Fatal(err)
		}
		c1 = testutil.SelfCPU()
		for k := 0; k < n; k += benchBatch {
			part := pending[k:min(k+benchBatch, n)]
			batch := make([]suppress.MailEvents, len(part))
			ids := make([]suppress.MailID, len(part))
			for j, p := range part {
				batch[j] = suppress.MailEvents{Mail: p.mail, Events: p.events}
				ids[j] = p.mail.MailID
			}
			if _, err := st.RecordMails(ctx, batch); err != nil {
				b.Fatal(err)
			}
			if err := st.MarkDoneMany(ctx, ids); err != nil {
				b.Fatal(err)
			}
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		storeCPU += testutil.SelfCPU() - c1
	}
	b.ReportMetric(float64(decodeCPU.Microseconds())/float64(i*n), "decode-cpu-µs/mail")
	b.ReportMetric(float64(storeCPU.Microseconds())/float64(i*n), "store-cpu-µs/mail")
}

// benchBatch is the batch size of the benchmarks: the default, or $BENCH_BATCH.
var benchBatch = func() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_BATCH")); err == nil && n > 0 {
		return n
	}
	return imapfetch.DefaultBatchSize
}()

// manyBounces returns n distinct hard bounces, made from one sample by changing its recipient.
func manyBounces(t testing.TB, n int) [][]byte {
	raw, err := eml.Files.ReadFile("exim/rcpt-rejected.eml")
	if err != nil {
		t.Fatal(err)
	}
	base := string(raw)
	var out [][]byte
	for i := range n {
		out = append(out, []byte(strings.ReplaceAll(base, "dave@example.org", fmt.Sprintf("user%05d@example.org", i))))
	}
	return out
}

package dsn

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/internal/testutil"
)

// The read-and-parse floor of a mail file is the least any decoder built on this package's
// MIME code must do with it: read the file, split it into its mails (mbox), turn line
// endings into LF, read each entity's header fields, split each multipart at its boundary
// (as deep as multiparts nest), and undo the transfer encoding of every leaf body, whatever
// its type (base64 and quoted-printable bodies are decoded, the others are passed over as
// they are). It reads no delivery-status fields, converts no charset and classifies
// nothing: that is what the full decode adds. The floor uses the decoder's own functions
// (splitHeader, parseHeader, mediaType, eachPart, decodeTransfer), so a full decode is at
// least this work, and its cost over the floor is what the formats, the text and address
// scans and classify add.

// floorFile does the floor's work on a mail file and returns the bytes its leaf bodies
// decoded to (so that nothing is optimised away).
func floorFile(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, msg := range SplitMbox(data) {
		b := skipMboxLine(normalizeEOL(msg))
		hdr, body := splitHeader(b)
		n += floorEntity(parseHeader(hdr, nil), body, 0)
	}
	return n, nil
}

// floorEntity walks one entity for floorFile.
func floorEntity(h header, body []byte, depth int) int {
	ct, params := mediaType(h.get("Content-Type"), "text/plain")
	if strings.HasPrefix(ct, "multipart/") && params.boundary != "" && depth < 20 {
		n := 0
		eachPart(body, params.boundary, func(p []byte) {
			ph, pb := splitHeader(p)
			n += floorEntity(parseHeader(ph, nil), pb, depth+1)
		})
		return n
	}
	data, _ := decodeTransfer(body, h.get("Content-Transfer-Encoding"))
	return len(data)
}

// fullFile reads a mail file, decodes each of its mails and classifies each recipient, as
// `bounceproc decode` does, and returns the number of recipients.
func fullFile(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, msg := range SplitMbox(data) {
		rep := ParseBytes(msg)
		for i := range rep.Recipients {
			classify.Classify(rep.Recipients[i].Facts(rep))
		}
		n += len(rep.Recipients)
	}
	return n, nil
}

// floorCorpus returns the mail files to hold to the floor: the shared corpus (BOUNCE_CORPUS,
// its .eml files, and the peers corpus beside it when it is there), or without it the
// project's own samples.
func floorCorpus(tb testing.TB) []string {
	var paths []string
	if dir := os.Getenv("BOUNCE_CORPUS"); dir != "" {
		dev, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		peers, _ := filepath.Glob(filepath.Join(dir, "..", "peers", "*", "mail", "*"))
		paths = append(dev, peers...)
	}
	if len(paths) == 0 {
		paths = testutil.Samples(tb)
	}
	return paths
}

// fileRatio is the cost of a full decode of a mail file over its floor.
type fileRatio struct {
	path        string
	full, floor time.Duration // per run, the fastest of the rounds
	ratio       float64
}

// floorRatios times the full decode and the floor of each file in rounds, each file's two
// runs side by side so that the machine's load weighs on both alike, and keeps the fastest
// of each. A run is repeated until it has taken at least 200 µs, so that small mails are not
// measured at the clock's grain.
func floorRatios(tb testing.TB, paths []string, rounds int) []fileRatio {
	rs := make([]fileRatio, len(paths))
	for i, p := range paths {
		rs[i].path = p
	}
	timeIt := func(f func(string) (int, error), path string, reps int) time.Duration {
		start := time.Now()
		for range reps {
			if _, err := f(path); err != nil {
				tb.Fatal(err)
			}
		}
		return time.Since(start) / time.Duration(reps)
	}
	repsFor := func(path string) int {
		one := timeIt(fullFile, path, 1)
		return max(1, int(200*time.Microsecond/max(one, time.Microsecond)))
	}
	reps := make([]int, len(paths))
	for i, p := range paths {
		reps[i] = repsFor(p)
	}
	for r := range rounds {
		for i := range rs {
			fl := timeIt(floorFile, rs[i].path, reps[i]*4) // the floor is faster: more runs
			fu := timeIt(fullFile, rs[i].path, reps[i])
			if r == 0 || fl < rs[i].floor {
				rs[i].floor = fl
			}
			if r == 0 || fu < rs[i].full {
				rs[i].full = fu
			}
		}
	}
	for i := range rs {
		rs[i].ratio = float64(rs[i].full) / float64(rs[i].floor)
	}
	slices.SortFunc(rs, func(a, b fileRatio) int { return cmp.Compare(b.ratio, a.ratio) })
	return rs
}

// quantile returns the q-quantile of the ratios of rs (sorted, highest first).
func quantile(rs []fileRatio, q float64) float64 {
	return rs[int(float64(len(rs)-1)*(1-q)+0.5)].ratio
}

// BenchmarkFloorRatio measures, for each mail file of the corpus (see floorCorpus), the cost
// of reading, decoding and classifying it over its read-and-parse floor (see floorFile), and
// reports the worst ratio, the 95th percentile and the median; the files with the worst
// ratios are logged. Issue 16 asks for every mail within 5×.
func BenchmarkFloorRatio(b *testing.B) {
	paths := floorCorpus(b)
	var rs []fileRatio
	for b.Loop() {
		// Five rounds: on a loaded machine the fastest of fewer still varies by a third.
		rs = floorRatios(b, paths, 5)
	}
	b.ReportMetric(rs[0].ratio, "worst-x")
	b.ReportMetric(quantile(rs, 0.95), "p95-x")
	b.ReportMetric(quantile(rs, 0.5), "median-x")
	logRatios(b, "all", rs)
	// The peers corpus on its own, when it is there: its mails are not the dev corpus's kind.
	var dev, peers []fileRatio
	for _, r := range rs {
		if isPeersFile(r.path) {
			peers = append(peers, r)
		} else {
			dev = append(dev, r)
		}
	}
	if len(peers) > 0 && len(dev) > 0 {
		for _, set := range []struct {
			name string
			rs   []fileRatio
		}{{"dev", dev}, {"peers", peers}} {
			b.ReportMetric(set.rs[0].ratio, set.name+"-worst-x")
			b.ReportMetric(quantile(set.rs, 0.95), set.name+"-p95-x")
			b.ReportMetric(quantile(set.rs, 0.5), set.name+"-median-x")
			logRatios(b, set.name, set.rs)
		}
	}
}

// logRatios logs the worst ratio, the 95th percentile and the median of rs (sorted, highest
// first) and its files with the worst ratios.
func logRatios(b *testing.B, name string, rs []fileRatio) {
	var top strings.Builder
	for _, r := range rs[:min(8, len(rs))] {
		fmt.Fprintf(&top, "\n  %5.1f×  full %8v  floor %8v  %s", r.ratio, r.full, r.floor, shortPath(r.path))
	}
	b.Logf("%s: %d mail files; worst %.1f× (%s), p95 %.1f×, median %.1f×; the worst:%s",
		name, len(rs), rs[0].ratio, shortPath(rs[0].path), quantile(rs, 0.95), quantile(rs, 0.5), top.String())
}

// isPeersFile reports whether path is a file of the peers corpus (SOURCE/mail/FILE).
func isPeersFile(path string) bool {
	return filepath.Base(filepath.Dir(path)) == "mail"
}

// shortPath returns the last elements of path that name a corpus file, for logs: its folder,
// or for the peers corpus (SOURCE/mail/FILE) its source.
func shortPath(path string) string {
	dir := filepath.Dir(path)
	if isPeersFile(path) {
		dir = filepath.Dir(dir)
	}
	return filepath.Join(filepath.Base(dir), filepath.Base(path))
}

// allocatedMin returns the fewest bytes f allocates in three runs (a run may allocate a
// little more when the GC has emptied a sync.Pool, or the race detector has dropped from it).
func allocatedMin(f func()) uint64 {
	f() // warm the pools and the charset tables
	least := uint64(1<<64 - 1)
	for range 3 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	return least
}

// encodedWordsBounce is a bounce whose returned message has a header of RFC 2047 encoded
// words in ISO-2022-JP, as Japanese carriers send them.
const encodedWordsBounce = "From: MAILER-DAEMON@mx.example.jp\nTo: sender@example.jp\n" +
	"Subject: Returned mail: User unknown\nMIME-Version: 1.0\n" +
	"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n" +
	"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.jp\n\n" +
	"Final-Recipient: rfc822; nobody@example.jp\nAction: failed\nStatus: 5.1.1\n\n" +
	"--b\nContent-Type: text/rfc822-headers\n\n" +
	"From: =?iso-2022-jp?B?GyRCMGY+ZRsoQiAbJEI9XxsoQg==?= <sender@example.jp>\n" +
	"To: =?iso-2022-jp?B?GyRCMGY+ZRsoQg==?= <nobody@example.jp>\n" +
	"Cc: =?iso-2022-jp?B?GyRCPV8bKEI=?= <a@example.jp>, =?iso-2022-jp?B?GyRCMGYbKEI=?= <b@example.jp>\n" +
	"Subject: =?iso-2022-jp?B?GyRCMGY+ZRsoQiAbJEI9XxsoQg==?= =?iso-2022-jp?B?GyRCMGY+ZRsoQg==?=\n" +
	"Message-ID: <1@example.jp>\n\n--b--\n"

// TestAllocFloor holds every mail file of the corpus (or, without it, every sample) and a
// bounce full of encoded words to a deterministic stand-in for the floor ratio that
// BenchmarkFloorRatio times: the bytes a full decode allocates may be at most allocFloorRatio
// times what its read-and-parse floor allocates, plus allocFloorSlack. A decoder step that
// allocates per byte or per word out of proportion (a 4 KB reader buffer per encoded word
// was one) fails it. It counts, it does not time.
func TestAllocFloor(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop what is put back at random: allocation counts vary; run without -race")
	}
	const allocFloorRatio, allocFloorSlack = 8, 8 << 10
	check := func(name string, full, floor func()) {
		fu, fl := allocatedMin(full), allocatedMin(floor)
		if limit := allocFloorRatio*fl + allocFloorSlack; fu > limit {
			t.Errorf("%s: a full decode allocated %d bytes, its floor %d: more than %d×%d+%d", name, fu, fl, allocFloorRatio, fl, allocFloorSlack)
		}
	}
	dir := t.TempDir()
	words := filepath.Join(dir, "encoded-words.eml")
	if err := os.WriteFile(words, []byte(encodedWordsBounce), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range append(floorCorpus(t), words) {
		check(shortPath(p), func() { mustFile(t, fullFile, p) }, func() { mustFile(t, floorFile, p) })
	}
}

// mustFile runs f on the file at path and fails the test if it cannot be read.
func mustFile(t *testing.T, f func(string) (int, error), path string) {
	if _, err := f(path); err != nil {
		t.Fatal(err)
	}
}

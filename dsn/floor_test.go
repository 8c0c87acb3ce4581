package dsn

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
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
		rs = floorRatios(b, paths, 3)
	}
	b.ReportMetric(rs[0].ratio, "worst-x")
	b.ReportMetric(quantile(rs, 0.95), "p95-x")
	b.ReportMetric(quantile(rs, 0.5), "median-x")
	var top strings.Builder
	for _, r := range rs[:min(8, len(rs))] {
		fmt.Fprintf(&top, "\n  %5.1f×  full %8v  floor %8v  %s", r.ratio, r.full, r.floor, shortPath(r.path))
	}
	b.Logf("%d mail files; worst %.1f× (%s), p95 %.1f×, median %.1f×; the worst:%s",
		len(rs), rs[0].ratio, shortPath(rs[0].path), quantile(rs, 0.95), quantile(rs, 0.5), top.String())
}

// shortPath returns the last elements of path that name a corpus file, for logs: its folder,
// or for the peers corpus (SOURCE/mail/FILE) its source.
func shortPath(path string) string {
	dir := filepath.Dir(path)
	if filepath.Base(dir) == "mail" {
		dir = filepath.Dir(dir)
	}
	return filepath.Join(filepath.Base(dir), filepath.Base(path))
}

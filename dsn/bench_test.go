package dsn_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
	"github.com/bounceproc/bounceproc/internal/testutil"
)

// loadMails reads the corpus (BOUNCE_CORPUS) or, without it, the project's own samples.
func loadMails(b *testing.B) [][]byte {
	var paths []string
	if dir := os.Getenv("BOUNCE_CORPUS"); dir != "" {
		paths, _ = filepath.Glob(filepath.Join(dir, "*.eml"))
	}
	if len(paths) == 0 {
		paths = testutil.Samples(b)
	}
	var mails [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		mails = append(mails, dsn.SplitMbox(data)...)
	}
	if len(mails) == 0 {
		b.Skip("no mails to decode")
	}
	return mails
}

// BenchmarkParse decodes each mail of the corpus (or the samples) once per iteration round
// and reports mails per second on one core.
func BenchmarkParse(b *testing.B) {
	mails := loadMails(b)
	var bytes int64
	for _, m := range mails {
		bytes += int64(len(m))
	}
	buf := make([]byte, 0, 1<<20)
	b.ReportAllocs()
	b.SetBytes(bytes / int64(len(mails)))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m := mails[i%len(mails)]
		buf = append(buf[:0], m...) // ParseBytes normalises line endings in place
		rep := dsn.ParseBytes(buf)
		for j := range rep.Recipients {
			classify.Classify(rep.Recipients[j].Facts(rep))
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mails/s")
}

// BenchmarkParseRunMail decodes and classifies the mail of the run benchmark
// (exim/rcpt-rejected.eml, as cmd/bounceproc's BenchmarkRunParts10k uses it), so that the
// cost of one simple bounce can be compared without the corpus's mix.
func BenchmarkParseRunMail(b *testing.B) {
	mail, err := os.ReadFile(filepath.Join(testutil.Root(), "testdata", "eml", "exim", "rcpt-rejected.eml"))
	if err != nil {
		b.Fatal(err)
	}
	benchParseMail(b, mail)
}

// BenchmarkParseRunMailCRLF is BenchmarkParseRunMail with the mail's lines ended by CRLF, as
// an IMAP server hands it to the run.
func BenchmarkParseRunMailCRLF(b *testing.B) {
	mail, err := os.ReadFile(filepath.Join(testutil.Root(), "testdata", "eml", "exim", "rcpt-rejected.eml"))
	if err != nil {
		b.Fatal(err)
	}
	benchParseMail(b, bytes.ReplaceAll(mail, []byte("\n"), []byte("\r\n")))
}

// benchParseMail decodes and classifies mail once per iteration.
func benchParseMail(b *testing.B, mail []byte) {
	buf := make([]byte, 0, len(mail))
	b.ReportAllocs()
	b.SetBytes(int64(len(mail)))
	for b.Loop() {
		buf = append(buf[:0], mail...) // ParseBytes normalises line endings in place
		rep := dsn.ParseBytes(buf)
		for j := range rep.Recipients {
			classify.Classify(rep.Recipients[j].Facts(rep))
		}
	}
}

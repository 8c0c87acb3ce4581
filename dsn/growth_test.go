package dsn_test

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"

	"github.com/bounceproc/bounceproc/dsn"
)

// costShape builds a mail of about size bytes of one shape that once cost the decoder
// quadratic time or memory (issue 15).
type costShape struct {
	name string
	mail func(size int) []byte
}

const bounceHead = "From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail Returned to Sender\n\n"

// repeatBody returns bounceHead followed by unit(i) for i = 0, 1, ... until size bytes.
func repeatBody(size int, unit func(i int) string) []byte {
	b := bytes.NewBufferString(bounceHead)
	for i := 0; b.Len() < size; i++ {
		b.WriteString(unit(i))
	}
	return b.Bytes()
}

var costShapes = []costShape{
	{"addresses-one-line", func(size int) []byte {
		return append(repeatBody(size, func(int) string { return "a@b.cc " }), '\n')
	}},
	{"address-per-line", func(size int) []byte {
		return repeatBody(size, func(i int) string { return fmt.Sprintf("u%d@example.com\n", i) })
	}},
	{"coded-lines", func(size int) []byte {
		return repeatBody(size, func(i int) string { return fmt.Sprintf("u%d@example.com: 550 5.1.1 unknown\n", i) })
	}},
	{"at-bracket", func(size int) []byte {
		return repeatBody(size, func(int) string { return "@[" })
	}},
	{"invalid-utf8-lines", func(size int) []byte {
		return repeatBody(size, func(int) string { return "\xff\xfe\xc3(\xa0\xa1 x@\xe2\x28\xa1.\xf0\x90\x28\n" })
	}},
	{"empty-mime-parts", func(size int) []byte {
		b := bytes.NewBufferString("From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\nContent-Type: multipart/mixed; boundary=b\n\n")
		for b.Len() < size {
			b.WriteString("--b\n\n")
		}
		b.WriteString("--b--\n")
		return b.Bytes()
	}},
	{"coded-mime-parts", func(size int) []byte {
		b := bytes.NewBufferString("From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\nContent-Type: multipart/mixed; boundary=b\n\n")
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(b, "--b\n\nu%d@example.com: 550 5.1.1 unknown\n", i)
		}
		b.WriteString("--b--\n")
		return b.Bytes()
	}},
}

// BenchmarkGrowth decodes each shape of costShapes at 16 KB ×1, ×2, ×4 and ×8: the time
// per byte (see the MB/s column) and the bytes allocated per byte of mail must stay flat
// from one size to the next.
func BenchmarkGrowth(b *testing.B) {
	for _, sh := range costShapes {
		for _, mult := range []int{1, 2, 4, 8} {
			size := mult * 16 << 10
			mail := sh.mail(size)
			b.Run(fmt.Sprintf("%s/%dKB", sh.name, size>>10), func(b *testing.B) {
				buf := make([]byte, len(mail))
				b.ReportAllocs()
				b.SetBytes(int64(len(mail)))
				for b.Loop() {
					copy(buf, mail)
					dsn.ParseBytes(buf)
				}
			})
		}
	}
}

// allocatedBy returns the bytes allocated while f runs.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestGrowthLinear decodes each shape of costShapes at 32 KB and 256 KB and checks that the
// work is linear: the bytes allocated grow no more than the input (with slack for fixed
// costs), stay within a small multiple of it, and the work counted against Limits.MaxWork
// fits a budget linear in the input. It counts, it does not time.
func TestGrowthLinear(t *testing.T) {
	const small, large = 32 << 10, 256 << 10
	for _, sh := range costShapes {
		t.Run(sh.name, func(t *testing.T) {
			var alloc [2]uint64
			for i, size := range []int{small, large} {
				mail := sh.mail(size)
				alloc[i] = allocatedBy(func() { dsn.ParseBytes(bytes.Clone(mail)) })
				if limit := uint64(allocPerByte*len(mail) + allocFixed); alloc[i] > limit {
					t.Errorf("ParseBytes(%d bytes) allocated %d bytes, more than %d", len(mail), alloc[i], limit)
				}
				lim := dsn.Limits{MaxWork: int64(workPerByte*len(mail) + workFixed)}
				if p := tooCostly(dsn.ParseBytesLimits(t.Context(), bytes.Clone(mail), lim)); p != nil {
					t.Errorf("ParseBytesLimits(%d bytes, MaxWork %d): %s", len(mail), lim.MaxWork, p.Detail)
				}
			}
			// ×8 in input may cost ×8 in allocation, plus what the small input's fixed costs
			// leave room for; quadratic growth would be ×64.
			if alloc[1] > 12*alloc[0]+allocFixed {
				t.Errorf("allocation grew from %d bytes at %d KB to %d at %d KB: more than linear", alloc[0], small>>10, alloc[1], large>>10)
			}
		})
	}
}

// The linear bounds TestGrowthLinear and FuzzParseCost hold the decoder to.
const (
	allocPerByte = 16
	allocFixed   = 1 << 20
	workPerByte  = 32
	workFixed    = 1 << 20
)

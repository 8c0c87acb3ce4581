package dsn_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
	"github.com/bounceproc/bounceproc/internal/testutil"
)

// TestCorpusInvariants decodes the shared corpus (BOUNCE_CORPUS) and checks what must hold
// for every mail whatever the reference answers say: no panic, no suppression from a mail the
// reference calls ordinary, and never a hard verdict for a complaint, an auto-reply, a delay
// or a success. Accuracy itself is measured by `make score`.
func TestCorpusInvariants(t *testing.T) {
	dir := testutil.Corpus(t)
	nonBounce := map[string]bool{}
	f, err := os.Open(filepath.Join(dir, "expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) > 2 && cols[1] == "0" {
			nonBounce[cols[0]] = true
		}
	}
	f.Close()
	paths, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(paths) == 0 {
		t.Skipf("no mails in %s", dir)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(p)
		for _, msg := range dsn.SplitMbox(data) {
			rep := dsn.ParseBytes(msg)
			for i := range rep.Recipients {
				r := &rep.Recipients[i]
				v := classify.Classify(r.Facts(rep))
				if nonBounce[name] && v.Suppress {
					t.Errorf("%s: ordinary mail suppresses %s (%s)", name, r.Address, v.Reason)
				}
				switch v.Kind {
				case classify.KindComplaint, classify.KindAutoReply, classify.KindDelayed, classify.KindDelivered:
					if v.Hard {
						t.Errorf("%s: %s is %s yet hard", name, r.Address, v.Kind)
					}
				}
				if v.Hard != (v.Kind == classify.KindHard) || (v.Suppress && !v.Hard && v.Kind != classify.KindComplaint) {
					t.Errorf("%s: %s: inconsistent verdict %+v", name, r.Address, v)
				}
			}
		}
	}
}

package fault

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/testdata/eml"
)

// address matches an address in a sample, with its local part and domain apart. It also
// matches Message-IDs, which is what makes every copy a distinct mail.
var address = regexp.MustCompile(`([A-Za-z0-9._%+=-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)`)

// epoch dates the copies: copy k of the whole set arrived k seconds after it.
var epoch = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// mailSet is what a test puts in its mailboxes: mails[b] goes into mailbox names[b], in order.
type mailSet struct {
	names []string
	mails [][][]byte
}

// total is the number of mails in every mailbox together.
func (s mailSet) total() int {
	n := 0
	for _, m := range s.mails {
		n += len(m)
	}
	return n
}

// buildMails makes boxes mailboxes of perBox mails each from the project's samples
// (testdata/eml, every format, the malformed and not-bounce ones too), each copy made distinct:
// every address and Message-ID in it gets a tag (local part "dave" becomes "dave.b2c17"), and
// a Received header on top dates it one second after the copy before, so that the events of an
// address never tie. Among them, on purpose:
//   - every 20th copy of mailbox b > 0 is the very mail of mailbox b-1 at the same place, a
//     duplicate that the store must count once;
//   - every 25th copy carries a tag without the mailbox ("c50"), so its addresses also bounce in
//     the other mailboxes, at other times: the store's verdict must not depend on which worker
//     recorded which first.
//
// The set depends on boxes and perBox only, never on a seed.
func buildMails(tb testing.TB, boxes, perBox int) mailSet {
	tb.Helper()
	names, err := eml.Names()
	if err != nil {
		tb.Fatal(err)
	}
	samples := make([][]byte, len(names))
	for i, n := range names {
		if samples[i], err = eml.Files.ReadFile(n); err != nil {
			tb.Fatal(err)
		}
	}
	set := mailSet{names: make([]string, boxes), mails: make([][][]byte, boxes)}
	for b := range boxes {
		set.names[b] = fmt.Sprintf("Bounces%d", b+1)
		set.mails[b] = make([][]byte, perBox)
		for i := range perBox {
			if b > 0 && i%20 == 7 {
				set.mails[b][i] = set.mails[b-1][i]
				continue
			}
			tag := fmt.Sprintf("b%dc%d", b+1, i)
			if i%25 == 3 {
				tag = fmt.Sprintf("c%d", i)
			}
			// Samples are taken in a different order in each mailbox.
			s := samples[(i*7+b*13)%len(samples)]
			at := epoch.Add(time.Duration(b*perBox+i) * time.Second)
			set.mails[b][i] = vary(s, tag, fmt.Sprintf("mx%d.example.net", b+1), at)
		}
	}
	return set
}

// vary tags every address and Message-ID in sample and puts a Received header dated at on top.
func vary(sample []byte, tag, mx string, at time.Time) []byte {
	body := address.ReplaceAll(sample, []byte("${1}."+tag+"@${2}"))
	var b strings.Builder
	fmt.Fprintf(&b, "Received: from %s by postmaster.example.com; %s\r\n", mx, at.Format(time.RFC1123Z))
	b.Write(body)
	return []byte(b.String())
}

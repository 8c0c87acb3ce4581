package fault

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/testdata/eml"
)

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
// (A loop, not a regexp: under the race detector a regexp over 12,000 mails took 40 s.)
func vary(sample []byte, tag, mx string, at time.Time) []byte {
	out := make([]byte, 0, len(sample)+256)
	out = fmt.Appendf(out, "Received: from %s by postmaster.example.com; %s\r\n", mx, at.Format(time.RFC1123Z))
	for {
		i := bytes.IndexByte(sample, '@')
		if i < 0 {
			return append(out, sample...)
		}
		out = append(out, sample[:i]...)
		if i > 0 && isLocal(sample[i-1]) && hasDomain(sample[i+1:]) {
			out = append(out, '.')
			out = append(out, tag...)
		}
		out = append(out, '@')
		sample = sample[i+1:]
	}
}

// isLocal reports whether c may end the local part of an address as the samples write them
// (quoted-printable ones included).
func isLocal(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("._%+=-", c) >= 0
}

// hasDomain reports whether b starts with a domain of at least two labels.
func hasDomain(b []byte) bool {
	n := 0
	for n < len(b) && ('a' <= b[n] && b[n] <= 'z' || 'A' <= b[n] && b[n] <= 'Z' || '0' <= b[n] && b[n] <= '9' || b[n] == '-' || b[n] == '.') {
		n++
	}
	d := bytes.TrimRight(b[:n], ".") // a sentence may end after the address
	return len(d) > 0 && d[0] != '.' && d[0] != '-' && bytes.IndexByte(d, '.') > 0
}

func TestVaryTagsAddressesAndMessageIDs(t *testing.T) {
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	in := "Message-ID: <123.abc@relay.example.com>\r\nTo: <dave@example.org>.\r\n" +
		"j=C3=BCrgen@example.net said: user@host 5.1.1; mail@ alone; a@b; x@localhost\r\n"
	want := "Received: from mx1.example.net by postmaster.example.com; Sun, 01 Mar 2026 08:00:00 +0000\r\n" +
		"Message-ID: <123.abc.T@relay.example.com>\r\nTo: <dave.T@example.org>.\r\n" +
		"j=C3=BCrgen.T@example.net said: user@host 5.1.1; mail@ alone; a@b; x@localhost\r\n"
	if got := string(vary([]byte(in), "T", "mx1.example.net", at)); got != want {
		t.Errorf("vary(%q) =\n%q\nwant\n%q", in, got, want)
	}
}

func TestBuildMailsDuplicatesAndSharedAddresses(t *testing.T) {
	set := buildMails(t, 3, 60)
	if set.mails[1][7] == nil || string(set.mails[1][7]) != string(set.mails[0][7]) {
		t.Error("mail 7 of the second mailbox is not the first mailbox's mail 7")
	}
	seen := map[string]bool{}
	dups := 0
	for _, box := range set.mails {
		for _, m := range box {
			if seen[string(m)] {
				dups++
			}
			seen[string(m)] = true
		}
	}
	// Mails 7, 27 and 47 of mailboxes 2 and 3 repeat the mailbox before.
	if dups != 6 {
		t.Errorf("%d duplicate mails in 3 × 60, want 6", dups)
	}
}

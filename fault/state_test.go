package fault

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/google/go-cmp/cmp"
)

// storeState is what a store holds, as the command shows it.
type storeState struct {
	All   []string // export --kind all --format jsonl: every address, one JSON line each
	Hard  []string // export --kind hard: the CSV for a sending provider
	Stats string   // stats --format json: event counts by kind, reason, domain and day
}

// snapshotStore reads the store at db through the command.
func snapshotStore(tb testing.TB, s *server, db string) storeState {
	tb.Helper()
	ctx := context.Background()
	lines := func(out string) []string { return strings.Split(strings.TrimRight(out, "\n"), "\n") }
	return storeState{
		All:   lines(s.runOnce(tb, ctx, []int{0}, "export", "--db", db, "--kind", "all", "--format", "jsonl", "-o", "-")),
		Hard:  lines(s.runOnce(tb, ctx, []int{0}, "export", "--db", db, "--kind", "hard")),
		Stats: s.runOnce(tb, ctx, []int{0}, "stats", "--db", db, "--format", "json", "--top", "100000"),
	}
}

// mail is one mail in a folder: its content (a hash of the headers that tell the copies apart,
// and its size), and its flags without \Recent.
type mail struct {
	UID   imap.UID // 0 in folders the runs move mail into (see mailboxState)
	Hash  string
	Flags string
}

// mailboxState is the mails of every folder. In the folders the test filled, UIDs count: a mail
// that stays must keep its UID. In the folders the runs move mail into, mails get UIDs in the
// order they were moved, which differs between runs: there they are compared as a set.
type mailboxState map[string][]mail

// snapshotMailboxes reads every folder of s's user, bypassing the proxy.
func snapshotMailboxes(tb testing.TB, s *server, filled []string) mailboxState {
	tb.Helper()
	c, err := imapclient.DialInsecure(s.d.Addr, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(s.d.User, s.d.Password).Wait(); err != nil {
		tb.Fatal(err)
	}
	list, err := c.List("", "*", nil).Collect()
	if err != nil {
		tb.Fatal(err)
	}
	state := mailboxState{}
	for _, l := range list {
		sel, err := c.Select(l.Mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			tb.Fatalf("select %s: %v", l.Mailbox, err)
		}
		var mails []mail
		if sel.NumMessages > 0 {
			var all imap.UIDSet
			all.AddRange(1, 0)
			// A mail is known by its size and the headers that make each copy distinct (see
			// buildMails): reading 12,000 whole mails three times through go-imap took most
			// of a minute under the race detector.
			fetch := c.Fetch(all, &imap.FetchOptions{UID: true, Flags: true, RFC822Size: true,
				BodySection: []*imap.FetchItemBodySection{{Peek: true, Specifier: imap.PartSpecifierHeader, HeaderFields: []string{"Received", "Message-ID"}}}})
			for msg := fetch.Next(); msg != nil; msg = fetch.Next() {
				var m mail
				var flags []string
				var size int64
				for item := msg.Next(); item != nil; item = msg.Next() {
					switch item := item.(type) {
					case imapclient.FetchItemDataUID:
						m.UID = item.UID
					case imapclient.FetchItemDataFlags:
						for _, f := range item.Flags {
							if f != `\Recent` {
								flags = append(flags, string(f))
							}
						}
					case imapclient.FetchItemDataRFC822Size:
						size = item.Size
					case imapclient.FetchItemDataBodySection:
						h := sha256.New()
						if _, err := io.Copy(h, item.Literal); err != nil {
							tb.Fatal(err)
						}
						m.Hash = hex.EncodeToString(h.Sum(nil)[:8])
					}
				}
				slices.Sort(flags)
				m.Flags = strings.Join(flags, " ")
				m.Hash = fmt.Sprintf("%s/%d", m.Hash, size)
				mails = append(mails, m)
			}
			if err := fetch.Close(); err != nil {
				tb.Fatalf("fetch %s: %v", l.Mailbox, err)
			}
		}
		if !slices.Contains(filled, l.Mailbox) {
			for i := range mails {
				mails[i].UID = 0
			}
			slices.SortFunc(mails, func(a, b mail) int { return strings.Compare(a.Hash+a.Flags, b.Hash+b.Flags) })
		}
		state[l.Mailbox] = mails
	}
	return state
}

// summary counts the mails of each folder, for the log.
func (st mailboxState) summary() string {
	var names []string
	for n := range st {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s=%d ", n, len(st[n]))
	}
	return strings.TrimSpace(b.String())
}

// compareStates fails the test where got differs from want, the clean single-worker run.
func compareStates(tb testing.TB, what string, wantStore, gotStore storeState, wantBoxes, gotBoxes mailboxState) {
	tb.Helper()
	if d := diffStates(wantStore, gotStore, wantBoxes, gotBoxes); d != "" {
		tb.Errorf("%s: %s", what, d)
	}
}

// diffStates says how got differs from want, or returns "".
func diffStates(wantStore, gotStore storeState, wantBoxes, gotBoxes mailboxState) string {
	var b strings.Builder
	if d := cmp.Diff(wantStore, gotStore); d != "" {
		fmt.Fprintf(&b, "the store differs from the clean run's (-clean +got):\n%s", d)
	}
	if d := cmp.Diff(wantBoxes, gotBoxes); d != "" {
		fmt.Fprintf(&b, "the mailboxes differ from the clean run's (-clean +got):\n%s", d)
	}
	return b.String()
}

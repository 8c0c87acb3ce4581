package suppress

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
)

func TestRecordIdempotent(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{Now: newClock(dayN(10)).Now})
	events := []Event{
		{Address: "a@example.org", Kind: classify.KindHard, OccurredAt: dayN(1)},
		{Address: "b@example.org", Kind: classify.KindSoft, OccurredAt: dayN(1)},
	}
	m := mailN(1)
	first, err := s.RecordMail(ctx, m, events)
	if err != nil || first.Duplicate || len(first.Suppressed) != 1 {
		t.Fatalf("first RecordMail = %+v, %v", first, err)
	}
	again, err := s.RecordMail(ctx, m, events)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Duplicate || again.Marked || again.LedgerID != first.LedgerID || len(again.Decisions) != 0 || len(again.Suppressed) != 0 {
		t.Errorf("re-recording = %+v; want a duplicate of ledger row %d with no decisions", again, first.LedgerID)
	}
	if n := count(t, s, "SELECT count(*) FROM events"); n != 2 {
		t.Errorf("%d events after re-recording, want 2", n)
	}
	if e := lookup(t, s, "b@example.org"); e.BounceCount != 1 {
		t.Errorf("bounce count %d after re-recording, want 1", e.BounceCount)
	}

	// The same mail after a UIDVALIDITY change: a ledger row of its own (to be marked), no events.
	moved := m
	moved.UIDValidity, moved.UID = 8, 1
	res, err := s.RecordMail(ctx, moved, events)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Duplicate || res.LedgerID == first.LedgerID || len(res.Decisions) != 0 {
		t.Errorf("same content, new UIDVALIDITY = %+v; want a duplicate with a ledger row of its own", res)
	}
	// A copy in another mailbox, same content.
	copied := m
	copied.Mailbox = "Archive"
	if res, _ := s.RecordMail(ctx, copied, events); !res.Duplicate {
		t.Errorf("a copy in another mailbox was not a duplicate: %+v", res)
	}
	if n := count(t, s, "SELECT count(*) FROM events"); n != 2 {
		t.Errorf("%d events after recording copies, want 2", n)
	}
	if e := lookup(t, s, "b@example.org"); e.BounceCount != 1 {
		t.Errorf("bounce count %d after recording copies, want 1", e.BounceCount)
	}
	// Same Message-ID, different content: a different mail.
	other := mailN(2)
	other.MessageID = m.MessageID
	if res, _ := s.RecordMail(ctx, other, events[1:]); res.Duplicate {
		t.Errorf("a different mail with the same Message-ID was taken for a duplicate")
	}
	// Mark, then re-record: still a duplicate, now marked.
	if err := s.MarkDone(ctx, m.MailID); err != nil {
		t.Fatal(err)
	}
	if res, _ := s.RecordMail(ctx, m, events); !res.Duplicate || !res.Marked {
		t.Errorf("re-recording a marked mail = %+v; want duplicate and marked", res)
	}
}

// TestRecordHashPrefix records mails whose content hashes share the first bytes, which is all
// the ledger indexes: only the same whole hash (and Message-ID) is the same mail.
func TestRecordHashPrefix(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	events := []Event{{Address: "a@example.org", Kind: classify.KindSoft, OccurredAt: dayN(1)}}
	first := mailN(1)
	twin := mailN(2)
	twin.MessageID = first.MessageID
	copy(twin.Hash[:contentPrefix], first.Hash[:contentPrefix])
	if twin.Hash == first.Hash {
		t.Fatal("the test needs hashes that differ after the prefix")
	}
	res, err := s.RecordMails(ctx, []MailEvents{{Mail: first, Events: events}, {Mail: twin, Events: events}})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Duplicate || res[1].Duplicate {
		t.Errorf("two mails sharing a hash prefix, recorded together: %+v; want neither a duplicate", res)
	}
	again := first
	again.UIDValidity = 8
	if res, err := s.RecordMail(ctx, again, events); err != nil || !res.Duplicate || res.LedgerID == 0 {
		t.Errorf("the first mail again, new UIDVALIDITY = %+v, %v; want a duplicate", res, err)
	}
	if n := count(t, s, "SELECT count(*) FROM events"); n != 2 {
		t.Errorf("%d events, want 2", n)
	}
}

func TestLedgerMarking(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{Now: newClock(dayN(10)).Now})
	var batch []MailEvents
	for n := 1; n <= 5; n++ {
		batch = append(batch, MailEvents{Mail: mailN(n), Events: []Event{{Address: "a@example.org", Kind: classify.KindBlocked}}})
	}
	other := mailN(6)
	other.Mailbox = "Other"
	batch = append(batch, MailEvents{Mail: other})
	rs, err := s.RecordMails(ctx, batch)
	if err != nil || len(rs) != 6 {
		t.Fatalf("RecordMails = %d results, %v", len(rs), err)
	}
	for _, n := range []int{1, 3} {
		if err := s.MarkDone(ctx, mailN(n).MailID); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MarkDone(ctx, mailN(1).MailID); err != nil {
		t.Errorf("marking twice: %v", err)
	}
	un, err := s.Unmarked(ctx, "INBOX")
	if err != nil {
		t.Fatal(err)
	}
	var uids []uint32
	for _, l := range un {
		uids = append(uids, l.UID)
		if l.UIDValidity != 7 || l.MessageID == "" || l.RecordedAt.IsZero() || l.Marked {
			t.Errorf("unmarked entry %+v", l)
		}
	}
	if len(uids) != 3 || uids[0] != 2 || uids[1] != 4 || uids[2] != 5 {
		t.Errorf("unmarked UIDs = %v, want [2 4 5]", uids)
	}
	if un, _ := s.Unmarked(ctx, "Other"); len(un) != 1 {
		t.Errorf("unmarked in Other = %v", un)
	}
	if err := s.MarkDone(ctx, MailID{"INBOX", 7, 99}); !errors.Is(err, ErrNotFound) {
		t.Errorf("MarkDone(unknown) = %v, want ErrNotFound", err)
	}
	err = s.MarkDoneMany(ctx, []MailID{mailN(2).MailID, {"INBOX", 7, 98}, mailN(4).MailID})
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "1 not in the ledger") {
		t.Errorf("MarkDoneMany with an unknown mail = %v, want ErrNotFound for one", err)
	}
	if un, _ := s.Unmarked(ctx, "INBOX"); len(un) != 1 || un[0].UID != 5 {
		t.Errorf("after MarkDoneMany, unmarked = %+v; want only UID 5", un)
	}
	if err := s.MarkDoneMany(ctx, []MailID{mailN(5).MailID, mailN(1).MailID}); err != nil {
		t.Errorf("MarkDoneMany = %v", err)
	}
	if un, _ := s.Unmarked(ctx, "INBOX"); len(un) != 0 {
		t.Errorf("all marked, unmarked = %+v", un)
	}
}

func TestCheckpoint(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	check := func(mailbox string, wantV, wantUID uint32) {
		t.Helper()
		v, uid, err := s.Checkpoint(ctx, mailbox)
		if err != nil || v != wantV || uid != wantUID {
			t.Errorf("Checkpoint(%q) = %d, %d, %v; want %d, %d", mailbox, v, uid, err, wantV, wantUID)
		}
	}
	check("INBOX", 0, 0)
	for _, n := range []int{3, 9, 5} { // out of order: the checkpoint only grows
		if _, err := s.RecordMail(ctx, mailN(n), nil); err != nil {
			t.Fatal(err)
		}
	}
	check("INBOX", 7, 9)
	noCk := mailN(20)
	noCk.Checkpoint = false
	if _, err := s.RecordMail(ctx, noCk, nil); err != nil {
		t.Fatal(err)
	}
	check("INBOX", 7, 9)
	// A new UIDVALIDITY replaces the old checkpoint, even with a lower UID.
	m := mailN(2)
	m.UIDValidity = 8
	if _, err := s.RecordMail(ctx, m, nil); err != nil {
		t.Fatal(err)
	}
	check("INBOX", 8, 2)
	if err := s.SetCheckpoint(ctx, "INBOX", 9, 0); err != nil {
		t.Fatal(err)
	}
	check("INBOX", 9, 0)
	check("Other", 0, 0)
}

func TestLease(t *testing.T) {
	ctx := context.Background()
	clk := newClock(dayN(0))
	path := t.TempDir() + "/lease.db"
	a := openAtPath(t, path, Options{Now: clk.Now})
	b := openAtPath(t, path, Options{Now: clk.Now, DryRun: true}) // leases hold even in dry runs
	if err := a.AcquireLease(ctx, "run", "host-a:1", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := b.AcquireLease(ctx, "run", "host-b:2", time.Minute); !errors.Is(err, ErrLeaseHeld) {
		t.Fatalf("second holder: %v, want ErrLeaseHeld", err)
	}
	if err := a.AcquireLease(ctx, "run", "host-a:1", time.Minute); err != nil {
		t.Errorf("renewal by the holder: %v", err)
	}
	if err := b.AcquireLease(ctx, "other", "host-b:2", time.Minute); err != nil {
		t.Errorf("a different lease: %v", err)
	}
	clk.Set(dayN(0).Add(61 * time.Second))
	if err := b.AcquireLease(ctx, "run", "host-b:2", time.Minute); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if err := a.ReleaseLease(ctx, "run", "host-a:1"); err != nil { // not a's any more: no-op
		t.Fatal(err)
	}
	if err := a.AcquireLease(ctx, "run", "host-a:1", time.Minute); !errors.Is(err, ErrLeaseHeld) {
		t.Errorf("release by a non-holder freed the lease: %v", err)
	}
	if err := b.ReleaseLease(ctx, "run", "host-b:2"); err != nil {
		t.Fatal(err)
	}
	if err := a.AcquireLease(ctx, "run", "host-a:1", time.Minute); err != nil {
		t.Errorf("after release: %v", err)
	}
}

// TestCheckpointWAL: the store's writes sit in the write-ahead log until a checkpoint copies
// them into the database file; CheckpointWAL does that before the store closes.
func TestCheckpointWAL(t *testing.T) {
	sqliteOnly(t, "the write-ahead log")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	s := openAtPath(t, path, Options{})
	batch := make([]MailEvents, 250)
	ids := make([]MailID, 250)
	runBatch(batch, ids, 0)
	if _, err := s.RecordMails(ctx, batch); err != nil {
		t.Fatal(err)
	}
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	if err := s.CheckpointWAL(ctx); err != nil {
		t.Fatal(err)
	}
	if after := size(); after <= before {
		t.Errorf("database file %d bytes before the checkpoint, %d after: want the recorded pages copied in", before, after)
	}
}

package suppress

import (
	"context"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/google/go-cmp/cmp"
)

// TestQuarantine: mails set aside are recorded with why, without events, never matched by
// content; Quarantined lists them until they are marked, and the mails unrecorded during which
// runs ended often enough.
func TestQuarantine(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	hard := []Event{{Address: "gone@example.org", Kind: classify.KindHard, Hard: true, Suppress: true, OccurredAt: dayN(1)}}

	// Two mails set aside without their content (same empty hash, no Message-ID), and one
	// whose decoding was stopped, whose content a later normal mail shares.
	q1, q2, q3, normal := mailN(1), mailN(2), mailN(3), mailN(4)
	q1.Hash, q1.MessageID, q1.Quarantine = [32]byte{}, "", "the connection was lost 2 times while fetching it"
	q2.Hash, q2.MessageID, q2.Quarantine = [32]byte{}, "", "the run ended 2 times while decoding it"
	q3.Quarantine = "too-costly"
	normal.Hash, normal.MessageID = q3.Hash, q3.MessageID
	res, err := s.RecordMails(ctx, []MailEvents{{Mail: q1, Events: hard}, {Mail: q2}, {Mail: q3, Events: hard}, {Mail: normal, Events: hard}})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Duplicate {
			t.Errorf("mail %d recorded as a duplicate: a quarantined mail matches nothing by content", i+1)
		}
	}
	if len(res[0].Decisions)+len(res[2].Decisions) != 0 || len(res[3].Suppressed) != 1 {
		t.Errorf("decisions %v, %v, %v: want none for the quarantined mails, a suppression for the normal one", res[0].Decisions, res[2].Decisions, res[3].Suppressed)
	}
	var events int
	if err := s.db.QueryRow(`SELECT count(*) FROM events`).Scan(&events); err != nil || events != 1 {
		t.Errorf("%d events (%v), want the normal mail's one", events, err)
	}

	// Runs that ended while decoding UID 9 (twice) and UID 10 (once).
	for _, uid := range []uint32{9, 10, 9} {
		if _, err := s.NoteCrash(ctx, MailID{Mailbox: "INBOX", UIDValidity: 7, UID: uid}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.NoteCrash(ctx, MailID{Mailbox: "INBOX", UIDValidity: 7, UID: 11}); n != 1 || err != nil {
		t.Errorf("NoteCrash on a new mail = %d, %v; want 1", n, err)
	}
	got, err := s.Quarantined(ctx, "INBOX", 7, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := map[uint32]string{1: q1.Quarantine, 2: q2.Quarantine, 3: q3.Quarantine, 9: "the run ended 2 times while decoding it"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Quarantined (-want +got):\n%s", diff)
	}
	// Marked mails are done with; a crashed mail once recorded is listed by its ledger row.
	if err := s.MarkDoneMany(ctx, []MailID{q1.MailID, q2.MailID, q3.MailID}); err != nil {
		t.Fatal(err)
	}
	q9 := mailN(9)
	q9.Hash, q9.Quarantine = [32]byte{}, "the run ended 2 times while decoding it"
	if _, err := s.RecordMail(ctx, q9, nil); err != nil {
		t.Fatal(err)
	}
	got, err = s.Quarantined(ctx, "INBOX", 7, 2)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[uint32]string{9: q9.Quarantine}, got); diff != "" {
		t.Errorf("Quarantined after marking (-want +got):\n%s", diff)
	}
	if got, _ := s.Quarantined(ctx, "INBOX", 8, 2); len(got) != 0 {
		t.Errorf("Quarantined under another UIDVALIDITY = %v, want none", got)
	}
}

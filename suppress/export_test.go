package suppress

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
)

// otherStore hides *SQLite behind the interface, so Export takes its generic path.
type otherStore struct{ Store }

func TestExportPathsAgree(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{Now: newClock(dayN(40)).Now})
	if _, err := s.RecordMails(ctx, []MailEvents{
		{Mail: mailN(1), Events: []Event{{Address: "a@example.org", Kind: classify.KindHard, Status: "5.1.1", Reply: "550",
			Diagnostic: "unit\x1fseparator, \"quotes\"\nand a newline", OccurredAt: dayN(1)}}},
		{Mail: mailN(2), Events: []Event{{Address: "b@example.org", Kind: classify.KindBlocked, Diagnostic: "-blocked", OccurredAt: dayN(2)}}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Suppress(ctx, Manual{Address: "c@example.org", By: "me", Why: "x\x1fy"}); err != nil {
		t.Fatal(err)
	}
	for _, format := range []Format{FormatCSV, FormatSpreadsheet, FormatJSONL} {
		for _, f := range []Filter{{}, {SuppressedOnly: true}, {Kind: classify.KindBlocked}, {SuppressedOnly: true, Cause: classify.KindHard}, {Source: SourceManual}} {
			var fast, generic bytes.Buffer
			n1, err1 := Export(ctx, s, &fast, format, f)
			n2, err2 := Export(ctx, otherStore{s}, &generic, format, f)
			if err1 != nil || err2 != nil || n1 != n2 || fast.String() != generic.String() {
				t.Errorf("%s %+v: fast path %d rows %v, generic %d rows %v\n%s\n---\n%s", format, f, n1, err1, n2, err2, fast.String(), generic.String())
			}
		}
	}
	// Entries reads the same entries Lookup does.
	n := 0
	err := s.Entries(ctx, Filter{}, func(e Entry) error {
		n++
		want, err := s.Lookup(ctx, e.Address)
		if err != nil {
			return err
		}
		if e != want {
			t.Errorf("Entries gave %+v\nLookup gives %+v", e, want)
		}
		return nil
	})
	if err != nil || n != 3 {
		t.Errorf("Entries: %d entries, %v", n, err)
	}
	var out bytes.Buffer
	if _, err := Export(ctx, s, &out, FormatCSV, Filter{}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || recs[1][10] != `unit\x1fseparator, "quotes"\nand a newline` || recs[2][10] != "'-blocked" || recs[3][1] != "manual" {
		t.Errorf("export = %q", recs)
	}
	if _, err := Export(ctx, s, &out, "xml", Filter{}); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("Export(xml) = %v", err)
	}
}

func TestNeutralizeCell(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "plain": "plain", "=SUM(A1)": "'=SUM(A1)", "+1": "'+1", "-1": "'-1", "@cmd": "'@cmd",
		"\tx": "'\tx", "\rx": "'\rx", "a=b": "a=b", "'=x": "'=x",
	} {
		if got := NeutralizeCell(in); got != want {
			t.Errorf("NeutralizeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBatchAcrossChunks(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{Now: newClock(dayN(400)).Now})
	// 250 mails in one batch (more than one multi-row chunk of ledger rows and of events):
	// a soft bounce a day for one address, plus a hard bounce for an address of each mail's own.
	var batch []MailEvents
	for n := 1; n <= 250; n++ {
		m := mailN(n)
		batch = append(batch, MailEvents{Mail: m, Events: []Event{
			{Address: "soft@example.org", Kind: classify.KindSoft, OccurredAt: dayN(n)},
			{Address: strings.Repeat("x", n%7+1) + "@" + string(rune('a'+n%26)) + ".example", Kind: classify.KindHard, OccurredAt: dayN(n)},
		}})
	}
	// The same mail twice in one batch, and a copy of mail 1 under a new UIDVALIDITY.
	batch = append(batch, MailEvents{Mail: mailN(5)})
	cp := mailN(1)
	cp.UIDValidity = 99
	batch = append(batch, MailEvents{Mail: cp, Events: batch[0].Events})
	rs, err := s.RecordMails(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	if !rs[250].Duplicate || rs[250].LedgerID != rs[4].LedgerID {
		t.Errorf("same MailID twice in a batch: %+v, first %+v", rs[250], rs[4])
	}
	if !rs[251].Duplicate || rs[251].LedgerID == rs[0].LedgerID || len(rs[251].Decisions) != 0 {
		t.Errorf("same content under a new UIDVALIDITY in the batch: %+v", rs[251])
	}
	if a := rs[2].Decisions[0].Action; a != ActionSuppressed {
		t.Errorf("third soft day in the batch: %q, want suppressed", a)
	}
	if n := count(t, s, "SELECT count(*) FROM events"); n != 500 {
		t.Errorf("%d events, want 500", n)
	}
	if n := count(t, s, "SELECT count(*) FROM ledger"); n != 251 {
		t.Errorf("%d ledger rows, want 251", n)
	}
	if n := count(t, s, "SELECT count(*) FROM events e JOIN ledger l ON l.id = e.ledger_id WHERE l.uid * 2 - 1 <> e.id AND e.address = 'soft@example.org'"); n != 0 {
		t.Errorf("%d soft events attached to the wrong mail", n)
	}
	e := lookup(t, s, "soft@example.org")
	if e.BounceCount != 250 || !e.SuppressedSince.Equal(dayN(3)) {
		t.Errorf("soft entry = %+v", e)
	}
	var causeAt int64
	if err := s.db.QueryRow("SELECT occurred_at FROM events WHERE id = ?", e.CauseEventID).Scan(&causeAt); err != nil || !fromMS(causeAt).Equal(dayN(3)) {
		t.Errorf("cause event %d occurred %v, %v; want day 3", e.CauseEventID, fromMS(causeAt), err)
	}
	// A second batch continues the numbering.
	if _, err := s.RecordMail(ctx, mailN(300), []Event{{Address: "late@example.org", Kind: classify.KindHard}}); err != nil {
		t.Fatal(err)
	}
	h, err := s.History(ctx, "late@example.org")
	if err != nil || len(h.Events) != 1 || h.Events[0].ID != 501 || h.Events[0].Mail.UID != 300 {
		t.Errorf("history after a second batch = %+v, %v", h.Events, err)
	}
}

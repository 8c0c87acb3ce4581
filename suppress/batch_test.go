package suppress

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/google/go-cmp/cmp"
)

// batchHistory is a mix of mails that exercises every write the recorder batches: repeated
// addresses within a batch, soft bounces crossing the day threshold, a delivery releasing a
// soft suppression and resetting the count, a hard bounce hardening a soft suppression, events
// out of time order, complaints, blocked and allowed addresses, duplicates by content, and
// invalid addresses.
func batchHistory() []MailEvents {
	const (
		hard      = classify.KindHard
		soft      = classify.KindSoft
		blocked   = classify.KindBlocked
		complaint = classify.KindComplaint
		delivered = classify.KindDelivered
		delayed   = classify.KindDelayed
	)
	type ev struct {
		addr string
		kind classify.Kind
		hour int
	}
	mails := [][]ev{
		{{"a@x.example", soft, 0}, {"b@x.example", hard, 0}},
		{{"a@x.example", soft, 25}, {"c@y.example", blocked, 1}},
		{{"A@X.example", soft, 49}, {"d@allowed.example", hard, 2}},     // a: third day, suppressed
		{{"a@x.example", delivered, 60}, {"e@y.example", complaint, 3}}, // a released
		{{"a@x.example", soft, 61}, {"b@x.example", soft, 70}},          // count restarted; b stays hard
		{{"f@y.example", soft, 0}, {"f@y.example", soft, 30}, {"f@y.example", soft, 55}},
		{{"f@y.example", hard, 56}, {"g@y.example", delayed, 4}},  // f: soft suppression hardened
		{{"h@y.example", hard, 90}, {"h@y.example", blocked, 10}}, // out of time order
		{{"not an address", hard, 5}, {"i@y.example", delivered, 6}},
		{{"j@y.example", soft, 100}},
		{{"k@y.example", soft, 0}, {"k@y.example", soft, 25}, {"k@y.example", soft, 49}},
		{{"k@y.example", delivered, 60}, {"k@y.example", hard, 61}}, // k released, then suppressed again
	}
	var out []MailEvents
	for i, evs := range mails {
		m := mailN(i + 1)
		var events []Event
		for j, e := range evs {
			events = append(events, Event{
				Address: e.addr, Kind: e.kind, Reason: classify.ReasonMailboxFull, Status: "4.2.2", Reply: "452",
				Diagnostic: fmt.Sprintf("diagnostic %d.%d", i, j), OccurredAt: t0.Add(time.Duration(e.hour) * time.Hour),
			})
		}
		out = append(out, MailEvents{Mail: m, Events: events})
	}
	// The same mail under another UID: recorded as a duplicate, no events.
	dup := out[0]
	dup.Mail.UID = 99
	out = append(out, dup)
	return out
}

// dumpTables renders every row of the tables the recorder writes, ids included.
func dumpTables(t *testing.T, s *SQLite) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, q := range []struct{ name, query string }{
		{"ledger", `SELECT id, mailbox, uid_validity, uid, message_id, hex(content_hash) AS content_hash, problems, recorded_at, coalesce(duplicate_of, 0) AS duplicate_of FROM ledger ORDER BY id`},
		{"events", `SELECT * FROM events ORDER BY id`},
		{"entries", `SELECT * FROM entries ORDER BY address`},
		{"changes", `SELECT * FROM changes ORDER BY id`},
		{"checkpoints", `SELECT * FROM checkpoints ORDER BY mailbox`},
	} {
		rows, err := s.db.Query(q.query)
		if err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals, err := scanAny(rows, len(cols))
			if err != nil {
				t.Fatal(err)
			}
			parts := make([]string, len(vals))
			for i, v := range vals {
				parts[i] = fmt.Sprintf("%s=%v", cols[i], v)
			}
			out[q.name] = append(out[q.name], strings.Join(parts, " "))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestRecordMailsBatchedEqualsOneByOne records the same history in one transaction and one mail
// per transaction, and compares every table and every decision: batching the writes changes
// nothing but their number.
func TestRecordMailsBatchedEqualsOneByOne(t *testing.T) {
	ctx := context.Background()
	opts := Options{Now: func() time.Time { return t0.Add(200 * time.Hour) }}
	history := batchHistory()

	one := openTest(t, opts)
	if _, err := one.Allow(ctx, Manual{Address: "@allowed.example", By: "test", Why: "never suppress"}); err != nil {
		t.Fatal(err)
	}
	var want []Result
	for _, me := range history {
		r, err := one.RecordMail(ctx, me.Mail, me.Events)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	wantTables := dumpTables(t, one)

	// One batch creates every entry; batches of 2 and 3 also update entries earlier batches
	// made. size 0 is one batch whose rows PostgreSQL takes 2 to a statement.
	for _, size := range []int{len(history), 3, 2, 0} {
		name := fmt.Sprintf("batch=%d", size)
		if size == 0 {
			name, size = "batch=all,pieces=2", len(history)
			defer func(n int) { pgRowsPerStatement = n }(pgRowsPerStatement)
			pgRowsPerStatement = 2
		}
		t.Run(name, func(t *testing.T) {
			all := openTest(t, opts)
			if _, err := all.Allow(ctx, Manual{Address: "@allowed.example", By: "test", Why: "never suppress"}); err != nil {
				t.Fatal(err)
			}
			var got []Result
			for i := 0; i < len(history); i += size {
				rs, err := all.RecordMails(ctx, history[i:min(i+size, len(history))])
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, rs...)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("results differ (-one by one +batched):\n%s", diff)
			}
			gotTables := dumpTables(t, all)
			if diff := cmp.Diff(wantTables, gotTables); diff != "" {
				t.Errorf("tables differ (-one by one +batched):\n%s", diff)
			}
			// The history does what it is meant to: check a few states so that the comparison
			// is not between two equally empty stores.
			for addr, wantSuppressed := range map[string]bool{"a@x.example": false, "b@x.example": true,
				"f@y.example": true, "d@allowed.example": false, "h@y.example": true, "e@y.example": true,
				"k@y.example": true} {
				e, err := all.Lookup(ctx, addr)
				if err != nil {
					t.Fatalf("Lookup(%s): %v", addr, err)
				}
				if e.Suppressed != wantSuppressed {
					t.Errorf("%s: suppressed = %v, want %v (%+v)", addr, e.Suppressed, wantSuppressed, e)
				}
			}
			for _, addr := range []string{"f@y.example", "k@y.example"} {
				if e, _ := all.Lookup(ctx, addr); e.SuppressedKind != classify.KindHard {
					t.Errorf("%s: suppressed as %q, want hard", addr, e.SuppressedKind)
				}
			}
			if n := len(gotTables["changes"]); n < 6 {
				t.Errorf("%d changes, want at least 6 (suppressions and a release):\n%s", n, strings.Join(gotTables["changes"], "\n"))
			}
		})
	}
}

// TestMarkDoneManyChunks marks more mails than one statement takes, in two mailboxes, with
// repeats, then again with one unknown mail among them.
func TestMarkDoneManyChunks(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	var batch []MailEvents
	var ids []MailID
	for i := 1; i <= 250; i++ {
		for _, box := range []string{"INBOX", "Other"} {
			m := mailN(i)
			m.Mailbox = box
			m.Hash = HashRaw([]byte(box + m.MessageID))
			batch = append(batch, MailEvents{Mail: m})
			ids = append(ids, m.MailID)
		}
	}
	if _, err := s.RecordMails(ctx, batch); err != nil {
		t.Fatal(err)
	}
	first := append(slicesClone(ids[:300]), ids[:10]...) // repeats
	if err := s.MarkDoneMany(ctx, first); err != nil {
		t.Fatalf("MarkDoneMany = %v", err)
	}
	for box, want := range map[string]int{"INBOX": 100, "Other": 100} {
		un, err := s.Unmarked(ctx, box)
		if err != nil || len(un) != want {
			t.Fatalf("Unmarked(%s) = %d rows, %v; want %d", box, len(un), err, want)
		}
	}
	rest := append(slicesClone(ids[300:]), MailID{"Other", 7, 4242})
	err := s.MarkDoneMany(ctx, rest)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "1 not in the ledger (first Other/7/4242)") {
		t.Errorf("MarkDoneMany with an unknown mail = %v, want ErrNotFound naming Other/7/4242", err)
	}
	for _, box := range []string{"INBOX", "Other"} {
		if un, err := s.Unmarked(ctx, box); err != nil || len(un) != 0 {
			t.Errorf("Unmarked(%s) = %d rows, %v; want none", box, len(un), err)
		}
	}
}

func slicesClone(ids []MailID) []MailID { return append([]MailID(nil), ids...) }

// TestRecordMailsMarkDone records a batch and, in the same transaction, marks a mail of an
// earlier batch, a mail of this batch (named twice; it gets its row marked) and an unknown
// one: both known ones end up marked, the batch is recorded, and the unknown one is named in
// an ErrNotFound.
func TestRecordMailsMarkDone(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	hard := []Event{{Address: "a@example.org", Kind: classify.KindHard}}
	if _, err := s.RecordMails(ctx, []MailEvents{{Mail: mailN(1), Events: hard}}); err != nil {
		t.Fatal(err)
	}
	done := []MailID{mailN(1).MailID, mailN(3).MailID, {"INBOX", 7, 4242}, mailN(3).MailID}
	batch := []MailEvents{
		{Mail: mailN(2), Events: []Event{{Address: "b@example.org", Kind: classify.KindHard}}},
		{Mail: mailN(3), Events: []Event{{Address: "c@example.org", Kind: classify.KindSoft}}},
	}
	res, err := s.RecordMailsMarkDone(ctx, batch, done)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "1 not in the ledger (first INBOX/7/4242)") {
		t.Errorf("RecordMailsMarkDone with an unknown mail = %v, want ErrNotFound naming INBOX/7/4242", err)
	}
	if len(res) != 2 || len(res[0].Suppressed) != 1 {
		t.Errorf("results = %+v, want two, the first suppressing b@example.org", res)
	}
	un, err := s.Unmarked(ctx, "INBOX")
	if err != nil {
		t.Fatal(err)
	}
	if len(un) != 1 || un[0].UID != mailN(2).UID {
		t.Errorf("Unmarked = %+v, want only mail 2", un)
	}
	if e := lookup(t, s, "b@example.org"); !e.Suppressed {
		t.Errorf("b@example.org after the batch: %+v, want suppressed", e)
	}
	// Nothing to record: the marks alone.
	if _, err := s.RecordMailsMarkDone(ctx, nil, []MailID{mailN(2).MailID}); err != nil {
		t.Fatal(err)
	}
	if un, err := s.Unmarked(ctx, "INBOX"); err != nil || len(un) != 0 {
		t.Errorf("Unmarked after marking mail 2 = %d rows, %v; want none", len(un), err)
	}
}

// TestRecordFailedWrite: a write of a batch that fails (here an entry upsert that breaks a
// unique index the test adds) fails the batch with the write's name, and nothing of the batch
// is kept; one whose rows a constraint ignores is reported with how many went in. On
// PostgreSQL the writes are sent together at the end of the batch, so this checks the errors
// come back from there as they would from each write.
func TestRecordFailedWrite(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	hard := func(uid int, addr, diag string) MailEvents {
		return MailEvents{Mail: mailN(uid), Events: []Event{{Address: addr, Kind: classify.KindHard, Diagnostic: diag, OccurredAt: t0}}}
	}
	if _, err := s.RecordMails(ctx, []MailEvents{hard(1, "a@x.example", "one"), hard(2, "b@x.example", "two")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `CREATE UNIQUE INDEX test_diagnostic ON entries(last_diagnostic)`); err != nil {
		t.Fatal(err)
	}
	_, err := s.RecordMails(ctx, []MailEvents{hard(3, "c@x.example", "three"), hard(4, "a@x.example", "two")})
	if err == nil || !strings.Contains(err.Error(), "upsert entries") {
		t.Errorf("RecordMails with an upsert breaking a unique index = %v, want an error naming the upsert", err)
	}
	_, err = s.RecordMails(ctx, []MailEvents{hard(5, "d@x.example", "four"), hard(6, "e@x.example", "four")})
	// SQLite takes the rows in statements of 1, PostgreSQL in one of 2.
	if err == nil || !strings.Contains(err.Error(), "insert into entries: ") || !strings.Contains(err.Error(), " rows changed") {
		t.Errorf("RecordMails with two new entries alike = %v, want insert into entries: N of M rows changed", err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM ledger`).Scan(&n); err != nil || n != 2 {
		t.Errorf("%d ledger rows, %v; want the first batch's 2 only", n, err)
	}
}

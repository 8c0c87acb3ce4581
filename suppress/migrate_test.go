package suppress

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/google/go-cmp/cmp"
)

func TestMigrateFromEmpty(t *testing.T) {
	sqliteOnly(t, "SQLite files of older schema versions, page size, WAL and odd paths")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.db")
	s := openAtPath(t, path, Options{})
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != len(migrations) || v != 9 {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, len(migrations))
	}
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var pageSize int
	if err := s.db.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil || pageSize != 16384 {
		t.Errorf("page_size = %d, %v; want 16384 for a new store", pageSize, err)
	}
	// Opening again applies nothing and keeps the data.
	if _, err := s.RecordMail(ctx, mailN(1), []Event{{Address: "a@example.org", Kind: classify.KindHard}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2 := openAtPath(t, path, Options{})
	if e := lookup(t, s2, "a@example.org"); !e.Suppressed {
		t.Errorf("after reopening: %+v", e)
	}
}

func TestMigrateFromV1(t *testing.T) {
	sqliteOnly(t, "SQLite files of older schema versions, page size, WAL and odd paths")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	old, err := open(ctx, path, Options{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := old.SchemaVersion(ctx); v != 1 {
		t.Fatalf("version %d, want 1", v)
	}
	// Rows as version 1 wrote them: no domain columns, no leases table.
	for _, q := range []string{
		`INSERT INTO ledger (id, mailbox, uid_validity, uid, message_id, content_hash, recorded_at) VALUES (1, 'INBOX', 7, 1, '<m1@x>', x'00', 1000)`,
		`INSERT INTO events (ledger_id, address, original_address, kind, reason, status, reply_code, diagnostic, remote_mta, hard, suppress, occurred_at, recorded_at)
			VALUES (1, 'gone@example.org', '', 'hard', 'userunknown', '5.1.1', '550', 'no such user', 'mx.example.org', 1, 1, 1000, 1000),
			       (1, '"odd@local"@xn--bcher-kva.example', '', 'soft', 'mailboxfull', '4.2.2', '452', 'full', '', 0, 0, 1000, 1000)`,
		`INSERT INTO entries (address, kind, bounce_count, suppressed, suppressed_kind, source, first_seen, last_seen)
			VALUES ('gone@example.org', 'hard', 1, 1, 'hard', 'policy', 1000, 1000),
			       ('"odd@local"@xn--bcher-kva.example', 'soft', 1, 0, '', '', 1000, 1000)`,
		`INSERT INTO checkpoints VALUES ('INBOX', 7, 1)`,
	} {
		if _, err := old.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", firstLine(q), err)
		}
	}
	if _, err := old.db.Exec(`SELECT 1 FROM leases`); err == nil || !strings.Contains(err.Error(), "no such table") {
		t.Fatalf("version 1 has a leases table? %v", err)
	}
	old.Close()

	s := openAtPath(t, path, Options{})
	if v, _ := s.SchemaVersion(ctx); v != len(migrations) {
		t.Fatalf("after migration: version %d, want %d", v, len(migrations))
	}
	e := lookup(t, s, "gone@example.org")
	if !e.Suppressed || e.Domain != "example.org" || e.Kind != classify.KindHard {
		t.Errorf("migrated entry = %+v", e)
	}
	var dom string
	if err := s.db.QueryRow(`SELECT domain FROM events WHERE address LIKE '"odd%'`).Scan(&dom); err != nil || dom != "xn--bcher-kva.example" {
		t.Errorf("backfilled event domain = %q, %v; want the part after the last @", dom, err)
	}
	if v, uid, _ := s.Checkpoint(ctx, "INBOX"); v != 7 || uid != 1 {
		t.Errorf("checkpoint after migration = %d/%d", v, uid)
	}
	if err := s.AcquireLease(ctx, "run", "me", time.Minute); err != nil {
		t.Errorf("lease after migration: %v", err)
	}
	st, err := s.Stats(ctx, StatsFilter{})
	if err != nil || len(st.ByDomain) != 2 {
		t.Errorf("stats by domain after migration = %+v, %v", st.ByDomain, err)
	}
	// Recording goes on where version 1 left off; the old mail is still a duplicate.
	if res, err := s.RecordMail(ctx, Mail{MailID: MailID{"INBOX", 7, 1}}, nil); err != nil || !res.Duplicate {
		t.Errorf("re-recording a version-1 mail = %+v, %v", res, err)
	}
}

// TestMigrateFromV2 fills a version 2 store with policy and manual changes, migrates it, and
// checks that History finds the same changes through the new indexes.
func TestMigrateFromV2(t *testing.T) {
	sqliteOnly(t, "SQLite files of older schema versions, page size, WAL and odd paths")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v2.db")
	old, err := open(ctx, path, Options{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := old.SchemaVersion(ctx); v != 2 {
		t.Fatalf("version %d, want 2", v)
	}
	r := &recorder1{t: t, s: old}
	withHashPrefix(t, old, func() {
		r.record("hard@example.org", classify.KindHard, dayN(0))
		for d := range 3 {
			r.record("soft@example.org", classify.KindSoft, dayN(d))
		}
		r.record("soft@example.org", classify.KindDelivered, dayN(4)) // released by the policy
		r.record("other@example.org", classify.KindHard, dayN(1))
	})
	if _, err := old.Suppress(ctx, Manual{Address: "hand@example.org", By: "ops", Why: "asked"}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"hand@example.org", "hard@example.org"} {
		if _, err := old.Release(ctx, Manual{Address: a, By: "ops", Why: "fixed"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := old.Allow(ctx, Manual{Address: "@example.org", By: "ops", Why: "ours"}); err != nil {
		t.Fatal(err)
	}
	addrs := []string{"hard@example.org", "soft@example.org", "other@example.org", "hand@example.org"}
	want := map[string][]ChangeRecord{}
	for _, a := range addrs {
		h, err := old.History(ctx, a)
		if err != nil {
			t.Fatalf("History(%s) at version 2: %v", a, err)
		}
		want[a] = h.Changes
	}
	old.Close()

	s := openAtPath(t, path, Options{})
	if v, _ := s.SchemaVersion(ctx); v != len(migrations) {
		t.Fatalf("after migration: version %d, want %d", v, len(migrations))
	}
	for _, a := range addrs {
		h, err := s.History(ctx, a)
		if err != nil {
			t.Fatalf("History(%s) after migration: %v", a, err)
		}
		if diff := cmp.Diff(want[a], h.Changes); diff != "" {
			t.Errorf("History(%s).Changes after migration (-before +after):\n%s", a, diff)
		}
	}
	// The history is what it is meant to be: policy changes, manual ones and the domain's.
	if got := want["soft@example.org"]; len(got) != 3 || got[0].Action != ActionSuppressed || got[0].Source != SourcePolicy ||
		got[1].Action != ActionReleased || got[1].EventID == 0 || got[2].Address != "@example.org" {
		t.Errorf("History(soft@example.org).Changes = %+v, want suppressed and released by the policy, then the domain allowed", got)
	}
	if got := want["hard@example.org"]; len(got) != 3 || got[0].Source != SourcePolicy || got[1].Source != SourceManual {
		t.Errorf("History(hard@example.org).Changes = %+v, want the policy's suppression, a manual release, the allow", got)
	}
	if got := want["hand@example.org"]; len(got) != 3 || got[0].Action != ActionSuppressed || got[0].Source != SourceManual {
		t.Errorf("History(hand@example.org).Changes = %+v, want a manual suppression and release, the allow", got)
	}
	// History reads changes through the indexes, not by scanning the table.
	for _, q := range []string{historyChanges} {
		plan := queryPlan(t, s, q, "hard@example.org", "@example.org")
		if !strings.Contains(plan, "changes_manual") || !strings.Contains(plan, "changes_event") || strings.Contains(plan, "SCAN") {
			t.Errorf("plan of the History changes query:\n%s\nwant searches through changes_manual and changes_event", plan)
		}
	}
	// Recording goes on after the migration.
	r.s = s
	if res := r.record("new@example.org", classify.KindHard, dayN(5)); len(res.Suppressed) != 0 {
		t.Errorf("hard bounce of an allowed domain suppressed: %+v", res)
	}
	if h, err := s.History(ctx, "new@example.org"); err != nil || len(h.Events) != 1 || len(h.Changes) != 1 {
		t.Errorf("History(new@example.org) = %+v, %v; want its event and the domain's allow", h, err)
	}
}

// TestMigrateContentIndex migrates stores holding mails from version 3 (content index on
// (content_hash, message_id)), 4 (on the expression substr(content_hash, 1, 8)) and 5 as first
// released (on the column content_key) to the index on the column hash_prefix: a mail
// recorded before is still recognised by its content afterwards, and the lookup goes through
// the new index.
func TestMigrateContentIndex(t *testing.T) {
	sqliteOnly(t, "SQLite files of older schema versions, page size, WAL and odd paths")
	for _, tc := range []struct {
		name       string
		from       int
		contentKey bool // then turned into version 5 as first released
	}{{"from=3", 3, false}, {"from=4", 4, false}, {"from=5-content_key", 4, true}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "old.db")
			old, err := open(ctx, path, Options{}, tc.from)
			if err != nil {
				t.Fatal(err)
			}
			events := []Event{{Address: "gone@example.org", Kind: classify.KindHard, OccurredAt: dayN(1)}}
			var batch []MailEvents
			for n := 1; n <= 3; n++ {
				batch = append(batch, MailEvents{Mail: mailN(n), Events: events})
			}
			withHashPrefix(t, old, func() {
				if _, err := old.RecordMails(ctx, batch); err != nil {
					t.Fatal(err)
				}
			})
			if tc.contentKey {
				for _, q := range []string{
					`ALTER TABLE ledger ADD COLUMN content_key BLOB`,
					`UPDATE ledger SET content_key = substr(content_hash, 1, 8)`,
					`DROP INDEX ledger_content_prefix`,
					`CREATE INDEX ledger_content_key ON ledger(content_key) WHERE duplicate_of IS NULL`,
					`PRAGMA user_version = 5`,
				} {
					if _, err := old.db.Exec(q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
			}
			old.Close()

			s := openAtPath(t, path, Options{})
			if v, _ := s.SchemaVersion(ctx); v != len(migrations) {
				t.Fatalf("after migration: version %d, want %d", v, len(migrations))
			}
			moved := mailN(2)
			moved.UIDValidity = 8 // the mailbox was rebuilt: same mail, new UIDVALIDITY
			res, err := s.RecordMail(ctx, moved, events)
			if err != nil || !res.Duplicate || len(res.Decisions) != 0 {
				t.Errorf("a mail recorded before the migration, seen again = %+v, %v; want a duplicate", res, err)
			}
			if res, err := s.RecordMail(ctx, mailN(4), events); err != nil || res.Duplicate {
				t.Errorf("a new mail after the migration = %+v, %v; want recorded", res, err)
			}
			if n := count(t, s, "SELECT count(*) FROM events"); n != 4 {
				t.Errorf("%d events, want 4 (3 before the migration, 1 after)", n)
			}
			if n := count(t, s, "SELECT count(*) FROM pragma_table_info('ledger') WHERE name = 'content_key'"); n != 0 {
				t.Errorf("the ledger still has a content_key column")
			}
			if n := count(t, s, "SELECT count(*) FROM ledger WHERE hash_prefix IS NOT substr(content_hash, 1, 8)"); n != 0 {
				t.Errorf("%d ledger rows whose hash_prefix is not their hash's first 8 bytes", n)
			}
			plan := queryPlan(t, s, `SELECT id FROM ledger WHERE hash_prefix IN (?, ?) AND duplicate_of IS NULL`, []byte("12345678"), []byte("abcdefgh"))
			if !strings.Contains(plan, "ledger_hash_prefix") || strings.Contains(plan, "SCAN") {
				t.Errorf("plan of the content lookup:\n%s\nwant a search through ledger_hash_prefix", plan)
			}
		})
	}
}

// withHashPrefix runs fn, which records mails with this version's recorder, on a store of an
// older version: the recorder writes the ledger's hash_prefix (version 5) and quarantine
// (version 7), so the columns are there while fn runs and dropped again after it, leaving the
// store in its old shape.
func withHashPrefix(t *testing.T, s *SQLite, fn func()) {
	t.Helper()
	for _, q := range []string{`ALTER TABLE ledger ADD COLUMN hash_prefix BLOB`, `ALTER TABLE ledger ADD COLUMN quarantine TEXT NOT NULL DEFAULT ''`} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	fn()
	for _, q := range []string{`ALTER TABLE ledger DROP COLUMN hash_prefix`, `ALTER TABLE ledger DROP COLUMN quarantine`} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// queryPlan returns EXPLAIN QUERY PLAN of q, one step a line.
func queryPlan(t *testing.T, s *SQLite, q string, args ...any) string {
	t.Helper()
	rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestOpenKeepsPageSize opens a store made with SQLite's default 4 KiB pages (as stores made
// before 16 KiB pages were): it keeps them, in WAL mode, and records as any other.
func TestOpenKeepsPageSize(t *testing.T) {
	sqliteOnly(t, "SQLite files of older schema versions, page size, WAL and odd paths")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("PRAGMA page_size = 4096"); err != nil {
		t.Fatal(err)
	}
	if err := (&SQLite{db: db, path: path}).migrate(ctx, len(migrations)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := openAtPath(t, path, Options{})
	var pageSize int
	var mode string
	if err := s.db.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil || pageSize != 4096 {
		t.Errorf("page_size = %d, %v; want the file's 4096", pageSize, err)
	}
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	if _, err := s.RecordMail(ctx, mailN(1), []Event{{Address: "a@example.org", Kind: classify.KindHard}}); err != nil {
		t.Fatal(err)
	}
	if e := lookup(t, s, "a@example.org"); !e.Suppressed {
		t.Errorf("recorded in a 4 KiB-page store: %+v", e)
	}
}

func TestOpenRejectsNewerSchema(t *testing.T) {
	sqliteOnly(t, "SQLite files of older schema versions, page size, WAL and odd paths")
	path := filepath.Join(t.TempDir(), "future.db")
	s := openAtPath(t, path, Options{})
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(context.Background(), path, Options{}); err == nil || !strings.Contains(err.Error(), "newer than this program") {
		t.Errorf("Open(version 99) = %v, want a clear refusal", err)
	}
}

func TestOpenNotADatabase(t *testing.T) {
	sqliteOnly(t, "SQLite files of older schema versions, page size, WAL and odd paths")
	path := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("this is not sqlite\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(context.Background(), path, Options{}); err == nil {
		s.Close()
		t.Error("Open(junk file) succeeded")
	}
}

func TestOpenOddPath(t *testing.T) {
	sqliteOnly(t, "SQLite files of older schema versions, page size, WAL and odd paths")
	dir := filepath.Join(t.TempDir(), "a dir#1")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "st?re%20ü.db")
	s := openAtPath(t, path, Options{})
	if _, err := s.Suppress(context.Background(), Manual{Address: "a@example.org"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the store is not at the path given: %v", err)
	}
}

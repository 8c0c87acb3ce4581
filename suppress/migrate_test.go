package suppress

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
)

func TestMigrateFromEmpty(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.db")
	s := openAtPath(t, path, Options{})
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != len(migrations) || v != 2 {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, len(migrations))
	}
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
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
	if v, _ := s.SchemaVersion(ctx); v != 2 {
		t.Fatalf("after migration: version %d, want 2", v)
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

func TestOpenRejectsNewerSchema(t *testing.T) {
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

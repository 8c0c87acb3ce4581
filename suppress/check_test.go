package suppress

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
)

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

// TestOpenRefusesWhatIsNotAStore: an empty file, a text file, and an SQLite database of
// another program are refused, for writers too, and left exactly as they were.
func TestOpenRefusesWhatIsNotAStore(t *testing.T) {
	sqliteOnly(t, "the store file and its creation")
	ctx := context.Background()
	dir := t.TempDir()
	foreign := filepath.Join(dir, "other.sqlite")
	db, err := sql.Open("sqlite", "file:"+foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE notes (x); INSERT INTO notes VALUES ('mine')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	tagged := filepath.Join(dir, "tagged.sqlite") // a schema version but not our tables
	if db, err = sql.Open("sqlite", "file:"+tagged); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE ledger (x); PRAGMA user_version = 3"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	files := map[string]string{"empty.eml": "", "notes.txt": strings.Repeat("this is not sqlite\n", 100)}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"empty.eml", "notes.txt", "other.sqlite", "tagged.sqlite"} {
		for _, opts := range []Options{{}, {MustExist: true}, {DryRun: true}} {
			path := filepath.Join(dir, name)
			before, _ := os.ReadFile(path)
			s, err := Open(ctx, path, opts)
			if err == nil {
				s.Close()
				t.Errorf("Open(%s, %+v) succeeded, want a refusal", name, opts)
				continue
			}
			if !errors.Is(err, ErrNotStore) {
				t.Errorf("Open(%s, %+v) = %v, want ErrNotStore", name, opts, err)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Errorf("Open(%s, %+v) changed the file: %d bytes, then %d", name, opts, len(before), len(after))
			}
		}
	}
	if names := dirNames(t, dir); len(names) != 4 {
		t.Errorf("files left behind: %q", names)
	}
}

// TestOpenCreatesOnlyWhereAsked: MustExist never creates; nothing creates a directory; a
// dry run on a new path leaves no file.
func TestOpenCreatesOnlyWhereAsked(t *testing.T) {
	sqliteOnly(t, "the store file and its creation")
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "store.db")
	if s, err := Open(ctx, path, Options{MustExist: true}); !errors.Is(err, ErrNoStore) {
		if s != nil {
			s.Close()
		}
		t.Errorf("Open(missing, MustExist) = %v, want ErrNoStore", err)
	}
	missingDir := filepath.Join(dir, "no", "such", "dir", "x.db")
	if s, err := Open(ctx, missingDir, Options{}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		if s != nil {
			s.Close()
		}
		t.Errorf("Open(in a missing directory) = %v, want a refusal naming the directory", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "no")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a directory was created: %v", err)
	}
	s, err := Open(ctx, path, Options{DryRun: true})
	if err != nil {
		t.Fatalf("Open(missing, DryRun) = %v", err)
	}
	if _, err := s.Suppress(ctx, Manual{Address: "a@example.org"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("a dry run left %q", names)
	}
	s = openAtPath(t, path, Options{})
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(migrations) {
		t.Errorf("new store: schema version %d, %v; want %d", v, err, len(migrations))
	}
	s.Close()
	if names := dirNames(t, dir); len(names) != 1 || names[0] != "store.db" {
		t.Errorf("after creating a store the directory holds %q, want only store.db", names)
	}
}

// TestOpenCreateConcurrent: openers racing to create the same store all get it, and none sees
// a half-made file.
func TestOpenCreateConcurrent(t *testing.T) {
	sqliteOnly(t, "the store file and its creation")
	path := filepath.Join(t.TempDir(), "store.db")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(context.Background(), path, Options{})
			if err == nil {
				_, err = s.Suppress(context.Background(), Manual{Address: fmt.Sprintf("u%d@example.org", i)})
				s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("opener %d: %v", i, err)
		}
	}
	s := openAtPath(t, path, Options{})
	if n := count(t, s, "SELECT count(*) FROM entries WHERE suppressed = 1"); n != len(errs) {
		t.Errorf("%d suppressed, want %d", n, len(errs))
	}
}

// damagedStore makes a store with enough rows for several pages, closes it and returns its
// path and page size.
func damagedStore(t *testing.T) (string, int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.db")
	s := openAtPath(t, path, Options{})
	r := &recorder1{t: t, s: s}
	for i := range 400 {
		r.record(fmt.Sprintf("user%03d@example.org", i), classify.KindHard, dayN(i%20))
	}
	r.record("zz-flip@example.org", classify.KindSoft, dayN(1))
	var ps int
	if err := s.db.QueryRow("PRAGMA page_size").Scan(&ps); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, ps
}

func TestIntegrityCheckSound(t *testing.T) {
	sqliteOnly(t, "PRAGMA integrity checks of the file")
	path, _ := damagedStore(t)
	s := openAtPath(t, path, Options{MustExist: true})
	if err := s.QuickCheck(context.Background()); err != nil {
		t.Errorf("QuickCheck(sound store) = %v", err)
	}
	in, err := s.IntegrityCheck(context.Background())
	if err != nil || !in.OK() || in.SchemaVersion != len(migrations) {
		t.Errorf("IntegrityCheck(sound store) = %+v, %v", in, err)
	}
}

// TestIntegrityCheckZeroedPage: a page of zeros in the middle of the file is found by both
// checks and named as damage.
func TestIntegrityCheckZeroedPage(t *testing.T) {
	sqliteOnly(t, "PRAGMA integrity checks of the file")
	path, ps := damagedStore(t)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pages := len(raw) / ps
	if pages < 4 {
		t.Fatalf("only %d pages", pages)
	}
	clear(raw[(pages/2)*ps : (pages/2+1)*ps])
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path, Options{MustExist: true})
	if err != nil {
		if !IsDamaged(err) {
			t.Fatalf("Open(zeroed page) = %v, want it to say the store is damaged", err)
		}
		return
	}
	defer s.Close()
	if err := s.QuickCheck(context.Background()); !errors.Is(err, ErrDamaged) {
		t.Errorf("QuickCheck(zeroed page) = %v, want ErrDamaged", err)
	}
	in, err := s.IntegrityCheck(context.Background())
	if err != nil || in.OK() {
		t.Errorf("IntegrityCheck(zeroed page) = %+v, %v; want problems", in, err)
	}
}

// TestIntegrityCheckFlippedRow: a changed byte in an event's address leaves the b-trees sound
// (quick_check passes) but no longer matches the events index, which the full check sees.
func TestIntegrityCheckFlippedRow(t *testing.T) {
	sqliteOnly(t, "PRAGMA integrity checks of the file")
	path, ps := damagedStore(t)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The event's row is on a table leaf page (type 13, https://sqlite.org/fileformat.html
	// §1.6); the address is in no other table (a single soft bounce changes nothing), and in
	// index pages of other types.
	needle := []byte("zz-flip@example.org")
	pageOf := -1
	for p := 1; p < len(raw)/ps; p++ {
		if page := raw[p*ps : (p+1)*ps]; page[0] == 0x0d && bytes.Contains(page, needle) {
			pageOf = p
			break
		}
	}
	if pageOf < 0 {
		t.Fatal("no table page holds the event")
	}
	i := pageOf*ps + bytes.Index(raw[pageOf*ps:(pageOf+1)*ps], needle)
	raw[i+1] = 'y' // zz-flip → zy-flip
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	s := openAtPath(t, path, Options{MustExist: true})
	in, err := s.IntegrityCheck(context.Background())
	if err != nil || in.OK() {
		t.Errorf("IntegrityCheck(flipped byte in %s) = %+v, %v; want problems", "zz-flip@example.org", in, err)
	}
}

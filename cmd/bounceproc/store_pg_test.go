package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/internal/testutil/pgtest"
)

// TestStoreURL checks what --db turns into for PostgreSQL: a password in the URL is refused,
// a remote host gets verify-full unless the URL says otherwise, the loopback keeps pgx's
// default, and --db-password-file supplies the password.
func TestStoreURL(t *testing.T) {
	t.Cleanup(func() { dbPasswordFile = "" })
	if _, err := storeURL("postgres://u:secret@db.example.net/x"); err == nil || !strings.Contains(err.Error(), "PGPASSWORD") || strings.Contains(err.Error(), "secret") {
		t.Errorf("a URL with a password: %v; want a refusal that says where the password goes, without it", err)
	}
	for _, c := range []struct{ in, sslmode string }{
		{"postgres://u@db.example.net:5432/x", "verify-full"},
		{"postgres://u@db.example.net/x?sslmode=require", "require"},
		{"postgres://u@db.example.net/x?sslmode=disable", "disable"},
		{"postgres://u@127.0.0.1:5432/x", ""},
		{"postgres://u@localhost/x", ""},
		{"postgres://u@[::1]/x", ""},
		{"postgres:///x?host=/run/postgresql", ""},
	} {
		got, err := storeURL(c.in)
		if err != nil {
			t.Errorf("storeURL(%q) = %v", c.in, err)
			continue
		}
		u, _ := url.Parse(got)
		if m := u.Query().Get("sslmode"); m != c.sslmode {
			t.Errorf("storeURL(%q) = %q: sslmode %q, want %q", c.in, got, m, c.sslmode)
		}
	}
	if got, _ := storeURL("some/store.db"); got != "some/store.db" {
		t.Errorf("an SQLite path became %q", got)
	}
	file := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(file, []byte("s3cret\nignored\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dbPasswordFile = file
	got, err := storeURL("postgres://u@127.0.0.1/x")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(got)
	if pw, _ := u.User.Password(); pw != "s3cret" || u.User.Username() != "u" {
		t.Errorf("with --db-password-file: %q", got)
	}
}

// TestPostgresStoreCLI runs the store commands on PostgreSQL: a reading command refuses a
// database without the schema (and creates none), a recording one creates it.
func TestPostgresStoreCLI(t *testing.T) {
	c := newStoreCLI(t)
	c.db = pgtest.Start(t)
	if code, _, stderr := c.run("list"); code == 0 || !strings.Contains(stderr, "no bounceproc schema") {
		t.Fatalf("list on an empty database: exit %d, %s; want a refusal", code, stderr)
	}
	if code, _, stderr := c.run("list"); code == 0 || !strings.Contains(stderr, "no bounceproc schema") {
		t.Fatalf("list again: exit %d, %s; want the same refusal (the first created nothing)", code, stderr)
	}
	if code, _, stderr := c.run("suppress", "someone@example.org", "--why", "test"); code != 0 {
		t.Fatalf("suppress: exit %d, %s", code, stderr)
	}
	code, stdout, stderr := c.run("list")
	if code != 0 || !strings.Contains(stdout, "someone@example.org") {
		t.Fatalf("list: exit %d, %q, %s", code, stdout, stderr)
	}
}

// TestMigrateCommand copies a store from SQLite to PostgreSQL and back with `bounceproc
// migrate` and compares the exports; a second copy into the filled database is refused.
func TestMigrateCommand(t *testing.T) {
	c := newStoreCLI(t)
	for _, args := range [][]string{
		{"suppress", "one@example.org", "--why", "asked"},
		{"suppress", "two@example.org", "--why", "asked"},
		{"allow", "@partner.example", "--why", "partner"},
		{"release", "two@example.org", "--why", "mistake"},
	} {
		if code, _, stderr := c.run(args...); code != 0 {
			t.Fatalf("%v: exit %d, %s", args, code, stderr)
		}
	}
	pg := pgtest.Start(t)
	back := filepath.Join(t.TempDir(), "back.db")
	migrate := func(from, to string) (int, string) {
		var out, errb strings.Builder
		code := runMain(context.Background(), []string{"migrate", "--from", from, "--to", to}, &out, &errb)
		return code, out.String() + errb.String()
	}
	if code, out := migrate(c.db, pg); code != 0 {
		t.Fatalf("migrate to PostgreSQL: exit %d\n%s", code, out)
	}
	if code, out := migrate(pg, back); code != 0 {
		t.Fatalf("migrate back: exit %d\n%s", code, out)
	}
	if code, out := migrate(c.db, pg); code == 0 || !strings.Contains(out, "not empty") {
		t.Errorf("migrate into the filled database: exit %d\n%s; want a refusal", code, out)
	}
	export := func(db string) string {
		var out, errb strings.Builder
		if code := runMain(context.Background(), []string{"export", "--db", db, "--kind", "all"}, &out, &errb); code != 0 {
			t.Fatalf("export %s: exit %d, %s", db, code, errb.String())
		}
		return out.String()
	}
	want := export(c.db)
	if !strings.Contains(want, "one@example.org") {
		t.Fatalf("export of the original lacks its suppression:\n%s", want)
	}
	for _, db := range []string{pg, back} {
		if got := export(db); got != want {
			t.Errorf("export of %s:\n%s\nwant (the original's):\n%s", db, got, want)
		}
	}
}

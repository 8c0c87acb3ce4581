package pgtest_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/bounceproc/bounceproc/internal/testutil/pgtest"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// TestStart checks that two calls share one server and give two separate, empty databases.
func TestStart(t *testing.T) {
	a, b := pgtest.Start(t), pgtest.Start(t)
	if a == b {
		t.Fatalf("two calls gave the same database %s", a)
	}
	ctx := context.Background()
	dbA, err := sql.Open("pgx", a)
	if err != nil {
		t.Fatal(err)
	}
	defer dbA.Close()
	if _, err := dbA.ExecContext(ctx, `CREATE TABLE t (x int)`); err != nil {
		t.Fatalf("create in %s: %v", a, err)
	}
	dbB, err := sql.Open("pgx", b)
	if err != nil {
		t.Fatal(err)
	}
	defer dbB.Close()
	var n int
	if err := dbB.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = 't'`).Scan(&n); err != nil {
		t.Fatalf("query %s: %v", b, err)
	}
	if n != 0 {
		t.Errorf("database %s sees the table created in %s", b, a)
	}
	var ver string
	if err := dbB.QueryRowContext(ctx, `SHOW server_version`).Scan(&ver); err != nil {
		t.Fatal(err)
	}
	t.Logf("PostgreSQL %s at %s", ver, b)
}

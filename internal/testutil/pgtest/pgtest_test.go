package pgtest_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

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

// TestServerCPU checks that the server's CPU time is read and grows with work it does.
func TestServerCPU(t *testing.T) {
	url := pgtest.Start(t)
	before, ok := pgtest.ServerCPU()
	if !ok {
		t.Skip("the server's CPU time cannot be read here (no /proc)")
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// A few hundred ms of the backend's CPU, read at 10 ms resolution.
	if _, err := db.ExecContext(context.Background(), `SELECT count(*) FROM generate_series(1, 5000000)`); err != nil {
		t.Fatal(err)
	}
	after, ok := pgtest.ServerCPU()
	if !ok || after-before < 30*time.Millisecond {
		t.Errorf("ServerCPU = %v, %v before a query of some 300 ms, %v, %v after", before, true, after, ok)
	}
}

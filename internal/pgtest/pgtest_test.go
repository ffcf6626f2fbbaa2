package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// The cluster is a real server: it takes a connection, a schema and rows,
// and two clusters run side by side.
func TestStart(t *testing.T) {
	ctx := context.Background()
	a, b := Start(t), Start(t)
	if a.DSN == b.DSN {
		t.Fatalf("two clusters share %s", a.DSN)
	}
	for _, c := range []*Cluster{a, b} {
		conn, err := pgx.Connect(ctx, c.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var version string
		if err := conn.QueryRow(ctx, `SHOW server_version`).Scan(&version); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, `CREATE TABLE sources (name TEXT PRIMARY KEY, due BIGINT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, `INSERT INTO sources VALUES ('a', 1), ('b', 2)`); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM sources WHERE due < 3`).Scan(&n); err != nil || n != 2 {
			t.Fatalf("count %d, %v", n, err)
		}
		t.Logf("PostgreSQL %s at %s", version, c.DSN)
	}
}

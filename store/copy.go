package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// copyTables are the tables of a history, in an order that inserts each
// row after the rows it refers to (events name their checks).
var copyTables = []string{"contents", "snapshots", "checks", "sources", "runs", "events", "deliveries", "items", "articles"}

// identityTables are those whose ids the database draws.
var identityTables = []string{"snapshots", "checks", "events", "items"}

// TableSum is what Copy compares of one table in both stores: how many
// rows it has and a digest of them that does not depend on their order.
type TableSum struct {
	Table  string `json:"table"`
	Rows   int64  `json:"rows"`
	Digest string `json:"digest"`
}

// copyBatch is how many rows one INSERT carries.
const copyBatch = 200

// Copy copies every row of from's history into to, which must hold no
// history yet, keeping every id, in one transaction; then it reads both
// and compares each table's row count and digest. It returns the sums,
// the same for both stores when err is nil. progress, if not nil, hears
// of each table copied.
func Copy(ctx context.Context, from, to *Store, progress func(table string, rows int64)) ([]TableSum, error) {
	for _, t := range copyTables {
		var n int64
		if err := to.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			return nil, fmt.Errorf("copying to %s: it already holds a history (%d rows in %s); copy into a new store", to.location, n, t)
		}
	}
	tx, err := to.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, t := range copyTables {
		n, err := copyTable(ctx, from, tx, t)
		if err != nil {
			return nil, fmt.Errorf("copying %s: %w", t, err)
		}
		if to.pg && slices.Contains(identityTables, t) {
			// The copied ids were given, not drawn: new rows continue after them.
			if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM `+t); err != nil {
				return nil, fmt.Errorf("copying %s: %w", t, err)
			}
		}
		if progress != nil {
			progress(t, n)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	want, err := from.Sums(ctx)
	if err != nil {
		return nil, err
	}
	got, err := to.Sums(ctx)
	if err != nil {
		return nil, err
	}
	for i := range want {
		if want[i] != got[i] {
			return got, fmt.Errorf("the copy differs from the original in %s: %d rows (digest %s), want %d (%s)",
				want[i].Table, got[i].Rows, got[i].Digest, want[i].Rows, want[i].Digest)
		}
	}
	return got, nil
}

// copyTable inserts every row of a table of from into tx, copyBatch rows a
// statement, and says how many it copied.
func copyTable(ctx context.Context, from *Store, tx *sql.Tx, table string) (int64, error) {
	rows, err := from.rdb.QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	row := "(?" + strings.Repeat(", ?", len(cols)-1) + ")"
	insert := func(n int) string {
		return `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES ` + row + strings.Repeat(", "+row, n-1)
	}
	full, err := tx.PrepareContext(ctx, insert(copyBatch))
	if err != nil {
		return 0, err
	}
	defer full.Close()
	var copied int64
	args := make([]any, 0, copyBatch*len(cols))
	flush := func() error {
		n := len(args) / len(cols)
		if n == 0 {
			return nil
		}
		var err error
		if n == copyBatch {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insert(n), args...)
		}
		copied += int64(n)
		args = args[:0]
		return err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return copied, err
		}
		args = append(args, vals...)
		if len(args) == copyBatch*len(cols) {
			if err := flush(); err != nil {
				return copied, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return copied, err
	}
	return copied, flush()
}

// Sums reads each table of the history: its row count and a digest of its
// rows (the sum of each row's SHA-256, so that the order rows come in, which
// differs between databases, does not count; a value's type does only as
// far as number, text and nothing differ).
func (s *Store) Sums(ctx context.Context) ([]TableSum, error) {
	out := make([]TableSum, 0, len(copyTables))
	for _, t := range copyTables {
		sum, err := s.tableSum(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", t, err)
		}
		out = append(out, sum)
	}
	return out, nil
}

func (s *Store) tableSum(ctx context.Context, table string) (TableSum, error) {
	ts := TableSum{Table: table}
	rows, err := s.rdb.QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		return ts, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return ts, err
	}
	// Columns by name: a table that grew by ALTER TABLE in one store
	// and was made whole in the other lists them in another order.
	order := make([]int, len(cols))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(cols[a], cols[b]) })
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var total [4]uint64
	var buf []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return ts, err
		}
		buf = buf[:0]
		for _, i := range order {
			buf = append(buf, cols[i]...)
			buf = append(buf, '=')
			buf = appendValue(buf, vals[i])
			buf = append(buf, 0)
		}
		h := sha256.Sum256(buf)
		for k := range total {
			total[k] += binary.BigEndian.Uint64(h[8*k:])
		}
		ts.Rows++
	}
	if err := rows.Err(); err != nil {
		return ts, err
	}
	ts.Digest = fmt.Sprintf("%016x%016x%016x%016x", total[0], total[1], total[2], total[3])
	return ts, nil
}

// appendValue writes a column's value in one form for both databases.
func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "NULL"...)
	case int64:
		return strconv.AppendInt(append(b, 'i'), v, 10)
	case float64:
		return strconv.AppendFloat(append(b, 'f'), v, 'g', -1, 64)
	case string:
		b = strconv.AppendInt(append(b, 's'), int64(len(v)), 10)
		return append(append(b, ':'), v...)
	case []byte:
		b = strconv.AppendInt(append(b, 's'), int64(len(v)), 10)
		return append(append(b, ':'), v...)
	default:
		return fmt.Appendf(append(b, '?'), "%v", v)
	}
}

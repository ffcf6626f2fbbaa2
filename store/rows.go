package store

import (
	"database/sql"
	"math"
)

// all reads every row a query returned with scan (the query's error, if
// any, is returned as it is).
func all[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// noLimit is a LIMIT that lets every row through, in both dialects
// (SQLite's -1 is an error to PostgreSQL).
const noLimit = math.MaxInt64

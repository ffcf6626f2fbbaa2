package store

import (
	"context"
	"database/sql"
)

// The queries every check runs. They are prepared once when the store is
// opened: parsing them again for each check was about a tenth of an
// unchanged run. They must be prepared there, before any transaction: the
// store has one connection, and preparing on the database while a
// transaction holds it would wait for ever.
const (
	qPutContent       = `INSERT INTO contents (hash, size, data) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING`
	qContent          = `SELECT data FROM contents WHERE hash = ?`
	qInsertSnapshot   = `INSERT INTO snapshots (source, taken_at, status, url, content_type, content_hash, fingerprint, items_hash, item_count, etag, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	qUpdateValidators = `UPDATE snapshots SET etag = ?, last_modified = ? WHERE id = ?`
	qInsertCheck      = `INSERT INTO checks (source, run_id, started_at, finished_at, status, content_hash, snapshot_id, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertSource     = `INSERT INTO sources (name, next_check_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`
	qSourceSuspect    = `UPDATE sources SET next_check_at = ?, last_check_at = ?, failures = 0, last_error = '', failing_since = 0 WHERE name = ?`
	qSourceError      = `UPDATE sources SET next_check_at = ?, last_check_at = ?, failures = failures + 1, last_error = ?, failing_since = CASE WHEN failing_since = 0 THEN ? ELSE failing_since END WHERE name = ?`
	qSourceGood       = `UPDATE sources SET next_check_at = ?, last_check_at = ?, failures = 0, last_error = '', failing_since = 0, baseline_id = CASE WHEN ? THEN ? ELSE baseline_id END WHERE name = ?`
	qBaseline         = `SELECT ` + snapshotColumns + ` FROM snapshots WHERE id = (SELECT baseline_id FROM sources WHERE name = ?)`
	qSnapshot         = `SELECT ` + snapshotColumns + ` FROM snapshots WHERE id = ?`
)

var hotQueries = []string{qPutContent, qContent, qInsertSnapshot, qUpdateValidators, qInsertCheck,
	qInsertSource, qSourceSuspect, qSourceError, qSourceGood, qBaseline, qSnapshot}

func (s *Store) prepare(ctx context.Context) error {
	s.prepared = make(map[string]*sql.Stmt, len(hotQueries))
	for _, q := range hotQueries {
		st, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		s.prepared[q] = st
	}
	return nil
}

// txExec runs q in tx, through its prepared statement.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	if st := s.prepared[q]; st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, q, args...)
}

func (s *Store) txQueryRow(ctx context.Context, tx *sql.Tx, q string, args ...any) *sql.Row {
	if st := s.prepared[q]; st != nil {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, q, args...)
}

func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := s.prepared[q]; st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.db.QueryRowContext(ctx, q, args...)
}

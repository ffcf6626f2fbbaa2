package store

import (
	"context"
	"database/sql"
	"strings"
)

// The queries every check runs. They are prepared once when the store is
// opened: parsing them again for each check was about a tenth of an
// unchanged run. The writer's must be prepared there, before any
// transaction: the writer has one connection, and preparing on it while a
// transaction holds it would wait for ever.
const (
	qPutContent       = `INSERT INTO contents (hash, size, data) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING`
	qContent          = `SELECT data FROM contents WHERE hash = ?`
	qInsertSnapshot   = `INSERT INTO snapshots (source, taken_at, status, url, content_type, content_hash, fingerprint, items_hash, item_count, etag, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	qUpdateValidators = `UPDATE snapshots SET etag = ?, last_modified = ? WHERE id = ?`
	qInsertCheck      = `INSERT INTO checks (source, run_id, started_at, finished_at, status, content_hash, snapshot_id, error, worker) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertCheckID    = qInsertCheck + ` RETURNING id`
	qInsertEvent      = `INSERT INTO events (source, run_id, check_id, kind, at, check_status, snapshot_id, previous_snapshot_id, item_key, significance, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	// qUpsertItem records an event's item in the archive's items table.
	qUpsertItem = `INSERT INTO items (source, item_key, title, url, first_at, last_at, last_kind) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (source, item_key) DO UPDATE SET title = CASE WHEN excluded.title <> '' THEN excluded.title ELSE items.title END,
		url = CASE WHEN excluded.url <> '' THEN excluded.url ELSE items.url END, last_at = excluded.last_at,
		last_kind = excluded.last_kind, events = items.events + 1`
	// qPutArticle writes an entry of a source's watch list.
	qPutArticle = `INSERT INTO articles (source, url, first_seen, last_read, next_read, etag, last_modified, listed, ended)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, url) DO UPDATE SET first_seen = excluded.first_seen,
		last_read = excluded.last_read, next_read = excluded.next_read, etag = excluded.etag,
		last_modified = excluded.last_modified, listed = excluded.listed, ended = excluded.ended`
	qSourceSuspect = `INSERT INTO sources (name, next_check_at, last_check_at, last_error, suspect_since, troubled_since, troubled_checks) VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (name) DO UPDATE SET next_check_at = excluded.next_check_at, last_check_at = excluded.last_check_at, failures = 0, last_error = excluded.last_error, failing_since = 0, suspect_since = CASE WHEN sources.suspect_since = 0 THEN excluded.suspect_since ELSE sources.suspect_since END, ` + troubled + released
	qSourceError   = `INSERT INTO sources (name, next_check_at, last_check_at, failures, last_error, failing_since, troubled_since, troubled_checks) VALUES (?, ?, ?, 1, ?, ?, ?, 1) ON CONFLICT (name) DO UPDATE SET next_check_at = excluded.next_check_at, last_check_at = excluded.last_check_at, failures = sources.failures + 1, last_error = excluded.last_error, failing_since = CASE WHEN sources.failing_since = 0 THEN excluded.failing_since ELSE sources.failing_since END, ` + troubled + released
	qSourceGood    = `INSERT INTO sources (name, next_check_at, last_check_at, baseline_id) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET next_check_at = excluded.next_check_at, last_check_at = excluded.last_check_at, failures = 0, last_error = '', failing_since = 0, suspect_since = 0, troubled_since = 0, troubled_checks = 0, baseline_id = COALESCE(excluded.baseline_id, sources.baseline_id)` + released
	qBaseline      = `SELECT ` + snapshotColumns + ` FROM snapshots WHERE id = (SELECT baseline_id FROM sources WHERE name = ?)`
	qSnapshot      = `SELECT ` + snapshotColumns + ` FROM snapshots WHERE id = ?`
	qSourceState   = `SELECT name, baseline_id, next_check_at, last_check_at, failures, last_error, failing_since, suspect_since, troubled_since, troubled_checks FROM sources WHERE name = ?`
)

// released ends the checking worker's lease on the source (a worker whose
// lease ran out, and another's began, leaves that one alone).
const released = `, lease_until = CASE WHEN sources.lease_owner = ? THEN 0 ELSE sources.lease_until END`

// troubled carries a failing or suspect check's count into the source row:
// one more in a row, since the first of them.
const troubled = `troubled_since = CASE WHEN sources.troubled_since = 0 THEN excluded.troubled_since ELSE sources.troubled_since END, troubled_checks = sources.troubled_checks + 1`

// qBaselines reads the baselines of a JSON list of sources.
var qBaselines = `SELECT so.name, s.` + strings.ReplaceAll(snapshotColumns, ", ", ", s.") +
	` FROM ` + jsonEach + ` JOIN sources so ON so.name = j.value JOIN snapshots s ON s.id = so.baseline_id`

// The writer's statements, run in its transactions, and the readers'.
var (
	writeQueries = []string{qPutContent, qInsertSnapshot, qUpdateValidators, qInsertCheck, qInsertCheckID, qInsertEvent, qUpsertItem, qPutArticle,
		qSourceSuspect, qSourceError, qSourceGood}
	readQueries = []string{qContent, qBaseline, qBaselines, qSnapshot, qSourceState}
)

func (s *Store) prepare(ctx context.Context) error {
	s.prepared = make(map[string]*sql.Stmt, len(writeQueries)+len(readQueries))
	for _, q := range writeQueries {
		st, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		s.prepared[q] = st
	}
	for _, q := range readQueries {
		text := q
		if s.pg {
			text = strings.Replace(q, jsonEach, s.jsonList(), 1)
		}
		st, err := s.rdb.PrepareContext(ctx, text)
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

// queryRow runs a read-only query on a reader's connection.
func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := s.prepared[q]; st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.rdb.QueryRowContext(ctx, q, args...)
}

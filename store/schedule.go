package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"
)

// SourceState is a source's scheduling and failure state.
type SourceState struct {
	Name         string
	BaselineID   int64
	NextCheckAt  time.Time
	LastCheckAt  time.Time
	Failures     int
	LastError    string
	FailingSince time.Time
	// SuspectSince is when the source's checks began to look broken
	// (zero: they do not).
	SuspectSince time.Time
	// TroubledSince is when the source began to fail or look broken,
	// whichever came first, and TroubledChecks how many checks in a row
	// have done either since (zero: the last check was good). LastError
	// is the last failing or suspect check's error or reason.
	TroubledSince  time.Time
	TroubledChecks int
}

// Due says when a source should next be checked, as the config has it now.
type Due struct {
	// At is when a new (or overdue) source is due.
	At time.Time
	// Latest is the latest a known source may be due: a shortened interval
	// takes effect at once, not after the old one ran out. Zero: no limit.
	Latest time.Time
}

// syncLock is the lock SyncSources holds in PostgreSQL.
const syncLock = 0x70756279

// SyncSources makes the given sources the active ones: sources the store
// does not know yet are added, due at their At; known ones keep their
// state, except that one overdue at now, or due after its Latest, is moved
// to its At (so a daemon restarted after a pause spreads its overdue checks
// as it spreads new ones); sources no longer configured keep their history
// but are never due.
func (s *Store) SyncSources(ctx context.Context, due map[string]Due, now time.Time) error {
	var err error
	for range 5 {
		if err = s.syncSources(ctx, due, now); err == nil || !retryable(err) {
			return err
		}
	}
	return err
}

// retryable reports whether a transaction failed only because another
// worker's crossed it (PostgreSQL's deadlock and serialization failures):
// tried again, it goes through.
func retryable(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "SQLSTATE 40P01") || strings.Contains(msg, "SQLSTATE 40001")
}

func (s *Store) syncSources(ctx context.Context, due map[string]Due, now time.Time) error {
	names := slices.Sorted(maps.Keys(due))
	list, err := json.Marshal(names)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if s.pg {
		// Workers starting together register their sources one after the
		// other.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, syncLock); err != nil {
			return err
		}
	}
	// Only the rows that change are written (and locked): workers
	// recording checks hold some of the others.
	if _, err := tx.ExecContext(ctx, `UPDATE sources SET active = 0 WHERE active <> 0 AND name NOT IN (SELECT value FROM `+s.jsonList()+`)`,
		string(list)); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO sources (name, next_check_at, active) VALUES (?, ?, 1)
		ON CONFLICT (name) DO UPDATE SET active = 1,
			next_check_at = CASE WHEN sources.next_check_at < ? OR (CAST(? AS BIGINT) > 0 AND sources.next_check_at > ?)
				THEN excluded.next_check_at ELSE sources.next_check_at END
		WHERE sources.active = 0 OR sources.next_check_at < ? OR (CAST(? AS BIGINT) > 0 AND sources.next_check_at > ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, n := range names {
		d := due[n]
		if _, err := stmt.ExecContext(ctx, n, millis(d.At), millis(now), millis(d.Latest), millis(d.Latest),
			millis(now), millis(d.Latest), millis(d.Latest)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// jsonList is a FROM item, j, that reads a JSON array of strings, given
// as the query's next argument, as rows of one column, value: jsonEach in
// SQLite's words, which statements prepared once are written in.
func (s *Store) jsonList() string {
	if s.pg {
		return "jsonb_array_elements_text(?::text::jsonb) AS j(value)"
	}
	return jsonEach
}

const jsonEach = "json_each(?) AS j"

// Due lists the active sources due at now, most overdue first, reading the
// (active, next_check_at) index only.
func (s *Store) Due(ctx context.Context, now time.Time, limit int) ([]string, error) {
	if limit <= 0 {
		limit = noLimit
	}
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM sources WHERE active = 1 AND next_check_at <= ?
		ORDER BY next_check_at, name LIMIT ?`, millis(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// NextDue returns when the earliest active source is due; ok is false when
// there is none.
func (s *Store) NextDue(ctx context.Context) (at time.Time, ok bool, err error) {
	var next sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT MIN(next_check_at) FROM sources WHERE active = 1`).Scan(&next)
	if err != nil || !next.Valid {
		return time.Time{}, false, err
	}
	return fromMillis(next.Int64), true, nil
}

// SourceState returns a source's state, or nil if the store does not know
// the source.
func (s *Store) SourceState(ctx context.Context, name string) (*SourceState, error) {
	var st SourceState
	var baseline sql.NullInt64
	var troubled int64
	var next, last, since, suspect int64
	err := s.queryRow(ctx, qSourceState, name).
		Scan(&st.Name, &baseline, &next, &last, &st.Failures, &st.LastError, &since, &suspect, &troubled, &st.TroubledChecks)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	st.BaselineID = baseline.Int64
	st.NextCheckAt, st.LastCheckAt, st.FailingSince = fromMillis(next), fromMillis(last), fromMillis(since)
	st.SuspectSince, st.TroubledSince = fromMillis(suspect), fromMillis(troubled)
	return &st, nil
}

// RunInfo summarises one run for the report index.
type RunInfo struct {
	ID           string
	StartedAt    time.Time
	FinishedAt   time.Time
	Sources      int
	Changed      int
	Errors       int
	NewItems     int
	ChangedItems int
	RemovedItems int
	// ReportDir is the run's report folder, relative to the reports dir.
	ReportDir string
}

// RecordRun stores a run's summary.
func (s *Store) RecordRun(ctx context.Context, r RunInfo) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO runs (id, started_at, finished_at, sources, changed, errors,
		new_items, changed_items, removed_items, report_dir) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, millis(r.StartedAt), millis(r.FinishedAt), r.Sources, r.Changed, r.Errors,
		r.NewItems, r.ChangedItems, r.RemovedItems, r.ReportDir)
	return err
}

// Runs lists recorded runs, newest first.
func (s *Store) Runs(ctx context.Context, limit int) ([]RunInfo, error) {
	if limit <= 0 {
		limit = noLimit
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, started_at, finished_at, sources, changed, errors,
		new_items, changed_items, removed_items, report_dir FROM runs ORDER BY started_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RunInfo
	for rows.Next() {
		var r RunInfo
		var started, finished int64
		if err := rows.Scan(&r.ID, &started, &finished, &r.Sources, &r.Changed, &r.Errors,
			&r.NewItems, &r.ChangedItems, &r.RemovedItems, &r.ReportDir); err != nil {
			return nil, err
		}
		r.StartedAt, r.FinishedAt = fromMillis(started), fromMillis(finished)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Stats describes what a store holds.
type Stats struct {
	Sources   int64 `json:"sources"`
	Snapshots int64 `json:"snapshots"`
	Checks    int64 `json:"checks"`
	Contents  int64 `json:"contents"`
	// ContentBytes is the compressed size of the distinct contents,
	// RawBytes their size before compression.
	ContentBytes int64 `json:"content_bytes"`
	RawBytes     int64 `json:"raw_bytes"`
	// PerSource lists, for each source, its snapshots and the compressed
	// bytes of the contents only it refers to or shares.
	PerSource []SourceStats `json:"per_source,omitempty"`
}

// SourceStats is one source's share of a store.
type SourceStats struct {
	Name      string `json:"name"`
	Snapshots int64  `json:"snapshots"`
	Checks    int64  `json:"checks"`
	Bytes     int64  `json:"bytes"`
}

// Stats counts what the store holds.
func (s *Store) Stats(ctx context.Context) (*Stats, error) {
	var st Stats
	for _, q := range []struct {
		sql  string
		dest []any
	}{
		{`SELECT COUNT(*) FROM sources`, []any{&st.Sources}},
		{`SELECT COUNT(*) FROM snapshots`, []any{&st.Snapshots}},
		{`SELECT COUNT(*) FROM checks`, []any{&st.Checks}},
		{`SELECT COUNT(*), COALESCE(SUM(LENGTH(data)), 0), COALESCE(SUM(size), 0) FROM contents`, []any{&st.Contents, &st.ContentBytes, &st.RawBytes}},
	} {
		if err := s.db.QueryRowContext(ctx, q.sql).Scan(q.dest...); err != nil {
			return nil, err
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT s.name,
		(SELECT COUNT(*) FROM snapshots WHERE source = s.name),
		(SELECT COUNT(*) FROM checks WHERE source = s.name),
		(SELECT COALESCE(SUM(LENGTH(c.data)), 0) FROM contents c WHERE c.hash IN
			(SELECT content_hash FROM snapshots WHERE source = s.name UNION SELECT items_hash FROM snapshots WHERE source = s.name))
		FROM sources s ORDER BY s.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ss SourceStats
		if err := rows.Scan(&ss.Name, &ss.Snapshots, &ss.Checks, &ss.Bytes); err != nil {
			return nil, err
		}
		st.PerSource = append(st.PerSource, ss)
	}
	return &st, rows.Err()
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/klauspost/compress/s2"
)

// Event is one entry of the event log: something a check found (an item
// new, changed, removed…, or its source starting to fail, turning suspect,
// recovering). Events are written in the transaction of the check that
// found them, so the log holds every committed check's events and no
// others; a run's report claims the events no report holds yet.
type Event struct {
	ID      int64
	Source  string
	RunID   string
	CheckID int64
	Kind    string
	At      time.Time
	// CheckStatus is the status of the check that found the event.
	CheckStatus string
	// SnapshotID is the snapshot the check made or confirmed (0: none),
	// PreviousSnapshotID the one it was compared with.
	SnapshotID         int64
	PreviousSnapshotID int64
	// ItemKey is the item's key ("" for a source's own events).
	ItemKey      string
	Significance float64
	// Data is what a report needs to render the event, as JSON.
	Data []byte
	// ReportRun is the run whose report holds the event ("": none yet).
	ReportRun string
}

// EventMeta is what a delivery's filter sees of an event.
type EventMeta struct {
	Source       string
	Kind         string
	Significance float64
}

// insertEvents writes a check's events inside the writer's transaction.
// Their data was compressed when the check was queued (newJob).
func (s *Store) insertEvents(ctx context.Context, tx *sql.Tx, rec *CheckRecord, checkID, snapshotID int64, data [][]byte, named []itemNamed) error {
	var snap, prev sql.NullInt64
	if snapshotID != 0 {
		snap = sql.NullInt64{Int64: snapshotID, Valid: true}
	}
	if rec.PreviousSnapshotID != 0 {
		prev = sql.NullInt64{Int64: rec.PreviousSnapshotID, Valid: true}
	}
	for i, e := range rec.Events {
		if _, err := s.txExec(ctx, tx, qInsertEvent, rec.Source, rec.RunID, checkID, e.Kind, millis(rec.FinishedAt),
			rec.Status, snap, prev, e.ItemKey, e.Significance, data[i]); err != nil {
			return fmt.Errorf("storing event: %w", err)
		}
		if e.ItemKey != "" {
			at := millis(rec.FinishedAt)
			if _, err := s.txExec(ctx, tx, qUpsertItem, rec.Source, e.ItemKey, named[i].title, named[i].url, at, at, e.Kind); err != nil {
				return fmt.Errorf("storing the item of an event: %w", err)
			}
		}
	}
	return nil
}

// TroubledSources returns the state of every source that is failing or
// suspect, by name: a check of one that succeeds is its recovery.
func (s *Store) TroubledSources(ctx context.Context) (map[string]*SourceState, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT name, failures, last_error, failing_since, suspect_since,
		last_check_at, troubled_since, troubled_checks FROM sources WHERE failures > 0 OR suspect_since > 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*SourceState{}
	for rows.Next() {
		var st SourceState
		var failing, suspect, last, troubled int64
		if err := rows.Scan(&st.Name, &st.Failures, &st.LastError, &failing, &suspect, &last, &troubled, &st.TroubledChecks); err != nil {
			return nil, err
		}
		st.FailingSince, st.SuspectSince = fromMillis(failing), fromMillis(suspect)
		st.LastCheckAt, st.TroubledSince = fromMillis(last), fromMillis(troubled)
		out[st.Name] = &st
	}
	return out, rows.Err()
}

// DeliveryTarget is a notification target as a run's report hands it its
// events: Match picks the events it wants, Filter says the same as text,
// stored with the delivery so that a retry sends what the first try did.
type DeliveryTarget struct {
	Name   string
	Filter string
	Match  func(EventMeta) bool
}

// PendingRun is a run whose reports are being written: the events it
// claimed are its, and a process killed before they were written leaves
// it pending for the next one to finish.
type PendingRun struct {
	RunInfo
	// Model is the run's own outcome, as the monitor encoded it.
	Model []byte
}

// BeginReport claims every event no report holds yet for run r, records
// r as pending with its model, and creates a delivery for each target
// that wants any of the claimed events, all in one transaction. It
// returns how many events were claimed.
func (s *Store) BeginReport(ctx context.Context, r RunInfo, model []byte, targets []DeliveryTarget, now time.Time) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE events SET report_run = ? WHERE report_run IS NULL`, r.ID)
	if err != nil {
		return 0, fmt.Errorf("claiming events: %w", err)
	}
	claimed, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO runs (id, started_at, finished_at, sources, changed, errors,
		new_items, changed_items, removed_items, report_dir, state, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
		r.ID, millis(r.StartedAt), millis(r.FinishedAt), r.Sources, r.Changed, r.Errors,
		r.NewItems, r.ChangedItems, r.RemovedItems, r.ReportDir, s2.Encode(nil, model)); err != nil {
		return 0, fmt.Errorf("recording run: %w", err)
	}
	if claimed > 0 && len(targets) > 0 {
		metas, err := eventMetas(ctx, tx, r.ID)
		if err != nil {
			return 0, err
		}
		for _, t := range targets {
			n := 0
			for _, m := range metas {
				if t.Match(m) {
					n++
				}
			}
			if n == 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO deliveries (id, target, run_id, filter, events, created_at, state, next_attempt_at)
				VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)`, DeliveryID(r.ID, t.Name), t.Name, r.ID, t.Filter, n, millis(now), millis(now)); err != nil {
				return 0, fmt.Errorf("queueing delivery to %s: %w", t.Name, err)
			}
		}
	}
	return int(claimed), tx.Commit()
}

func eventMetas(ctx context.Context, tx *sql.Tx, runID string) ([]EventMeta, error) {
	rows, err := tx.QueryContext(ctx, `SELECT source, kind, significance FROM events WHERE report_run = ?`, runID)
	return all(rows, err, func(rows *sql.Rows) (EventMeta, error) {
		var m EventMeta
		return m, rows.Scan(&m.Source, &m.Kind, &m.Significance)
	})
}

// DeliveryID is the id of the delivery of a run's events to a target: the
// same on every retry, so that receivers can drop repeats.
func DeliveryID(runID, target string) string { return runID + "-" + target }

// FinishReport marks a pending run's reports written, with the counts of
// what they hold.
func (s *Store) FinishReport(ctx context.Context, r RunInfo) error {
	_, err := s.db.ExecContext(ctx, `UPDATE runs SET state = 'written', model = NULL, sources = ?, changed = ?, errors = ?,
		new_items = ?, changed_items = ?, removed_items = ? WHERE id = ?`,
		r.Sources, r.Changed, r.Errors, r.NewItems, r.ChangedItems, r.RemovedItems, r.ID)
	return err
}

// PendingRuns lists the runs whose reports were begun and never finished,
// oldest first.
func (s *Store) PendingRuns(ctx context.Context) ([]PendingRun, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, started_at, finished_at, sources, changed, errors,
		new_items, changed_items, removed_items, report_dir, model FROM runs WHERE state = 'pending' ORDER BY started_at, id`)
	return all(rows, err, func(rows *sql.Rows) (PendingRun, error) {
		var r PendingRun
		var started, finished int64
		var model []byte
		if err := rows.Scan(&r.ID, &started, &finished, &r.Sources, &r.Changed, &r.Errors,
			&r.NewItems, &r.ChangedItems, &r.RemovedItems, &r.ReportDir, &model); err != nil {
			return r, err
		}
		r.StartedAt, r.FinishedAt = fromMillis(started), fromMillis(finished)
		var err error
		if r.Model, err = s2.Decode(nil, model); err != nil {
			return r, fmt.Errorf("run %s: %w", r.ID, err)
		}
		return r, nil
	})
}

// Run returns one recorded run.
func (s *Store) Run(ctx context.Context, id string) (*RunInfo, error) {
	var r RunInfo
	var started, finished int64
	err := s.db.QueryRowContext(ctx, `SELECT id, started_at, finished_at, sources, changed, errors,
		new_items, changed_items, removed_items, report_dir FROM runs WHERE id = ?`, id).Scan(&r.ID, &started, &finished,
		&r.Sources, &r.Changed, &r.Errors, &r.NewItems, &r.ChangedItems, &r.RemovedItems, &r.ReportDir)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("run %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	r.StartedAt, r.FinishedAt = fromMillis(started), fromMillis(finished)
	return &r, nil
}

const eventColumns = `id, source, run_id, check_id, kind, at, check_status, COALESCE(snapshot_id, 0),
	COALESCE(previous_snapshot_id, 0), item_key, significance, data, COALESCE(report_run, '')`

// ReportEvents yields the events a run's report claimed, in the order
// they were found, one at a time (a large run's are not held at once).
func (s *Store) ReportEvents(ctx context.Context, runID string) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		rows, err := s.rdb.QueryContext(ctx, `SELECT `+eventColumns+` FROM events WHERE report_run = ? ORDER BY id`, runID)
		if err != nil {
			yield(Event{}, err)
			return
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEvent(rows)
			if !yield(e, err) || err != nil {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(Event{}, err)
		}
	}
}

// HasUnreported reports whether the log holds events no report holds.
func (s *Store) HasUnreported(ctx context.Context) (bool, error) {
	var n int
	err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE report_run IS NULL LIMIT 1) AS unreported`).Scan(&n)
	return n > 0, err
}

// Events lists a source's events ("": every source's), newest first.
func (s *Store) Events(ctx context.Context, source string, limit int) ([]Event, error) {
	if limit <= 0 {
		limit = noLimit
	}
	if source == "" {
		return s.events(ctx, `SELECT `+eventColumns+` FROM events ORDER BY id DESC LIMIT ?`, limit)
	}
	return s.events(ctx, `SELECT `+eventColumns+` FROM events WHERE source = ? ORDER BY id DESC LIMIT ?`, source, limit)
}

func (s *Store) events(ctx context.Context, q string, args ...any) ([]Event, error) {
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	return all(rows, err, scanEvent)
}

func scanEvent(rows *sql.Rows) (Event, error) {
	var e Event
	var at int64
	var data []byte
	if err := rows.Scan(&e.ID, &e.Source, &e.RunID, &e.CheckID, &e.Kind, &at, &e.CheckStatus, &e.SnapshotID,
		&e.PreviousSnapshotID, &e.ItemKey, &e.Significance, &data, &e.ReportRun); err != nil {
		return e, err
	}
	e.At = fromMillis(at)
	var err error
	if e.Data, err = s2.Decode(nil, data); err != nil {
		return e, fmt.Errorf("event %d: %w", e.ID, err)
	}
	return e, nil
}

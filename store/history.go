package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	gojson "github.com/goccy/go-json"
	"time"

	"github.com/klauspost/compress/s2"

	"github.com/pubwatch/pubwatch/snapshot"
)

// SnapshotInfo describes a stored snapshot without its items.
type SnapshotInfo struct {
	ID          int64     `json:"id"`
	Source      string    `json:"source"`
	TakenAt     time.Time `json:"taken_at"`
	Status      string    `json:"status"`
	URL         string    `json:"url"`
	ContentType string    `json:"content_type"`
	ContentHash string    `json:"content_hash"`
	Fingerprint string    `json:"fingerprint"`
	ItemsHash   string    `json:"items_hash"`
	Items       int       `json:"items"`
	// ETag and LastModified are the validators the server sent with the
	// content, for conditional requests.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// NewSnapshot is a good check's result to store.
type NewSnapshot struct {
	Content []byte
	// Hash is Hash(Content) when the caller has it already ("": computed).
	Hash         string
	ContentType  string
	URL          string
	Fingerprint  string
	ETag         string
	LastModified string
	Snapshot     *snapshot.Snapshot
}

// CheckRecord is one check of one source.
type CheckRecord struct {
	Source      string
	RunID       string
	StartedAt   time.Time
	FinishedAt  time.Time
	Status      string
	ContentHash string
	Error       string
	// NextCheckAt is when the source is due again.
	NextCheckAt time.Time
	// Snapshot, when set, is stored and becomes the source's baseline:
	// only good checks carry one.
	Snapshot *NewSnapshot
	// BaselineID is the snapshot an unchanged check confirmed.
	BaselineID int64
	// Validators, when set on an unchanged check, replace the baseline's.
	Validators *Validators
	// PreviousSnapshotID is the snapshot the check was compared with.
	PreviousSnapshotID int64
	// Events are what the check found, written in its transaction (their
	// Kind, ItemKey, Significance and Data are used).
	Events []Event
	// Articles are the source's watch list entries the check added or
	// changed, written in its transaction.
	Articles []ArticleState
	// Worker names the process that made the check (host and process
	// id).
	Worker string
}

// Validators are a response's ETag and Last-Modified.
type Validators struct {
	ETag, LastModified string
}

const snapshotColumns = `id, source, taken_at, status, url, content_type, content_hash, fingerprint, items_hash, item_count, etag, last_modified`

// scanSnapshot reads a row of snapshotColumns; a query that selects other
// columns before them passes their destinations as first.
func scanSnapshot(row interface{ Scan(...any) error }, first ...any) (*SnapshotInfo, error) {
	var si SnapshotInfo
	var taken int64
	if err := row.Scan(append(first, &si.ID, &si.Source, &taken, &si.Status, &si.URL, &si.ContentType,
		&si.ContentHash, &si.Fingerprint, &si.ItemsHash, &si.Items, &si.ETag, &si.LastModified)...); err != nil {
		return nil, err
	}
	si.TakenAt = fromMillis(taken)
	return &si, nil
}

// Record stores a check, with its snapshot if it has one, and the source's
// new scheduling and failure state, in one transaction: a process killed
// half-way leaves either all of it or none. Checks recorded at the same
// time share a transaction (see writer.go); Record returns once its own is
// committed.
func (s *Store) Record(ctx context.Context, rec CheckRecord) (snapshotID int64, err error) {
	type result struct {
		id  int64
		err error
	}
	done := make(chan result, 1)
	if err := s.RecordAsync(ctx, rec, func(id int64, err error) { done <- result{id, err} }); err != nil {
		return 0, err
	}
	r := <-done
	return r.id, r.err
}

// newJob prepares a check for the writer. Hashing and compressing happen
// here, before the transaction: the store has one writer, and the checks
// of a run queue for it.
func (s *Store) newJob(ctx context.Context, rec CheckRecord) (*job, error) {
	j := &job{ctx: ctx, rec: rec}
	for _, e := range rec.Events {
		j.events = append(j.events, s2.Encode(nil, e.Data))
		var named itemNamed
		if e.ItemKey != "" {
			named.title, named.url = titleOf(e.Data)
		}
		j.named = append(j.named, named)
	}
	if ns := rec.Snapshot; ns != nil {
		j.content = s.newBlobHashed(ns.Content, ns.Hash)
		withItemsJSON(ns.Snapshot, func(b []byte) { j.items = s.newBlob(b) })
	}
	return j, nil
}

// record writes one check inside the writer's transaction.
func (s *Store) record(ctx context.Context, tx *sql.Tx, rec CheckRecord, content, items *blob, events [][]byte, named []itemNamed) (snapshotID int64, err error) {
	var snapID sql.NullInt64
	if rec.BaselineID != 0 {
		snapID = sql.NullInt64{Int64: rec.BaselineID, Valid: true}
	}
	if ns := rec.Snapshot; ns != nil {
		contentHash, err := s.putContent(ctx, tx, content)
		if err != nil {
			return 0, fmt.Errorf("storing content: %w", err)
		}
		itemsHash, err := s.putContent(ctx, tx, items)
		if err != nil {
			return 0, fmt.Errorf("storing items: %w", err)
		}
		err = s.txQueryRow(ctx, tx, qInsertSnapshot,
			rec.Source, millis(rec.FinishedAt), rec.Status, ns.URL, ns.ContentType, contentHash,
			ns.Fingerprint, itemsHash, len(ns.Snapshot.Items), ns.ETag, ns.LastModified).Scan(&snapshotID)
		if err != nil {
			return 0, fmt.Errorf("storing snapshot: %w", err)
		}
		snapID = sql.NullInt64{Int64: snapshotID, Valid: true}
	}
	if v := rec.Validators; v != nil && rec.BaselineID != 0 {
		if _, err := s.txExec(ctx, tx, qUpdateValidators,
			v.ETag, v.LastModified, rec.BaselineID); err != nil {
			return 0, fmt.Errorf("updating validators: %w", err)
		}
	}
	checkArgs := []any{rec.Source, rec.RunID, millis(rec.StartedAt), millis(rec.FinishedAt), rec.Status,
		rec.ContentHash, snapID, rec.Error, rec.Worker}
	if len(rec.Events) == 0 {
		if _, err := s.txExec(ctx, tx, qInsertCheck, checkArgs...); err != nil {
			return 0, fmt.Errorf("storing check: %w", err)
		}
	} else {
		// The check's events in its own transaction: neither is ever
		// committed without the other.
		var checkID int64
		if err := s.txQueryRow(ctx, tx, qInsertCheckID, checkArgs...).Scan(&checkID); err != nil {
			return 0, fmt.Errorf("storing check: %w", err)
		}
		if err := s.insertEvents(ctx, tx, &rec, checkID, snapID.Int64, events, named); err != nil {
			return 0, err
		}
	}
	if err := s.putArticles(ctx, tx, rec.Articles); err != nil {
		return 0, fmt.Errorf("storing the watch list: %w", err)
	}

	// The source row, one upsert: a new baseline only with a snapshot;
	// failures counted from the first error and cleared by any good check.
	next, finished := millis(rec.NextCheckAt), millis(rec.FinishedAt)
	switch rec.Status {
	case StatusSuspect:
		// Checked, and kept for the record, but not trusted: the baseline
		// stays.
		_, err = s.txExec(ctx, tx, qSourceSuspect, rec.Source, next, finished, rec.Error, finished, finished, rec.Worker)
	case StatusError:
		_, err = s.txExec(ctx, tx, qSourceError, rec.Source, next, finished, rec.Error, finished, finished, rec.Worker)
	default:
		var baseline sql.NullInt64
		if snapshotID != 0 {
			baseline = sql.NullInt64{Int64: snapshotID, Valid: true}
		}
		_, err = s.txExec(ctx, tx, qSourceGood, rec.Source, next, finished, baseline, rec.Worker)
	}
	if err != nil {
		return 0, fmt.Errorf("updating source state: %w", err)
	}
	return snapshotID, nil
}

// Baseline returns the snapshot the next check of source is compared with:
// its latest good snapshot. It returns nil and no error when there is none.
func (s *Store) Baseline(ctx context.Context, source string) (*SnapshotInfo, error) {
	row := s.queryRow(ctx, qBaseline, source)
	si, err := scanSnapshot(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return si, err
}

// Baselines returns the baselines of the named sources, by name, in one
// query (a run asks once instead of once a check); sources without one
// are not in the map.
func (s *Store) Baselines(ctx context.Context, sources []string) (map[string]*SnapshotInfo, error) {
	names, err := json.Marshal(sources)
	if err != nil {
		return nil, err
	}
	rows, err := s.prepared[qBaselines].QueryContext(ctx, string(names))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]*SnapshotInfo, len(sources))
	for rows.Next() {
		var name string
		si, err := scanSnapshot(rows, &name)
		if err != nil {
			return nil, err
		}
		out[name] = si
	}
	return out, rows.Err()
}

// Snapshot returns the stored snapshot with the given id.
func (s *Store) Snapshot(ctx context.Context, id int64) (*SnapshotInfo, error) {
	si, err := scanSnapshot(s.queryRow(ctx, qSnapshot, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("snapshot %d: %w", id, ErrNotFound)
	}
	return si, err
}

// Items loads the items of a stored snapshot.
func (s *Store) Items(ctx context.Context, si *SnapshotInfo) (*snapshot.Snapshot, error) {
	data, err := s.Content(ctx, si.ItemsHash)
	if err != nil {
		return nil, fmt.Errorf("loading items of snapshot %d: %w", si.ID, err)
	}
	snap := &snapshot.Snapshot{}
	// goccy/go-json reads what encoding/json does, in a third of the time:
	// a changed check reads its baseline's items.
	if err := gojson.Unmarshal(data, snap); err != nil {
		return nil, fmt.Errorf("loading items of snapshot %d: %w", si.ID, err)
	}
	return snap, nil
}

// Snapshots lists a source's stored snapshots, newest first; limit <= 0
// lists them all.
func (s *Store) Snapshots(ctx context.Context, source string, limit int) ([]SnapshotInfo, error) {
	if limit <= 0 {
		limit = noLimit
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+snapshotColumns+` FROM snapshots
		WHERE source = ? ORDER BY id DESC LIMIT ?`, source, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SnapshotInfo
	for rows.Next() {
		si, err := scanSnapshot(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *si)
	}
	return out, rows.Err()
}

// CheckInfo is one recorded check.
type CheckInfo struct {
	ID          int64     `json:"id"`
	RunID       string    `json:"run_id"`
	StartedAt   time.Time `json:"started_at"`
	FinishedAt  time.Time `json:"finished_at"`
	Status      string    `json:"status"`
	ContentHash string    `json:"content_hash"`
	SnapshotID  int64     `json:"snapshot_id,omitempty"`
	Error       string    `json:"error,omitempty"`
	// Worker is the process that made the check ("": one before pubwatch
	// recorded it).
	Worker string `json:"worker"`
}

// Checks lists a source's checks, newest first; limit <= 0 lists them all.
func (s *Store) Checks(ctx context.Context, source string, limit int) ([]CheckInfo, error) {
	if limit <= 0 {
		limit = noLimit
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, run_id, started_at, finished_at, status, content_hash,
		COALESCE(snapshot_id, 0), error, worker FROM checks WHERE source = ? ORDER BY id DESC LIMIT ?`, source, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CheckInfo
	for rows.Next() {
		var c CheckInfo
		var started, finished int64
		if err := rows.Scan(&c.ID, &c.RunID, &started, &finished, &c.Status, &c.ContentHash, &c.SnapshotID, &c.Error, &c.Worker); err != nil {
			return nil, err
		}
		c.StartedAt, c.FinishedAt = fromMillis(started), fromMillis(finished)
		out = append(out, c)
	}
	return out, rows.Err()
}

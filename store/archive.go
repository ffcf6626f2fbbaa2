package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"
	"github.com/klauspost/compress/s2"
)

// The archive's reads: what `pubwatch serve` shows. Items are known by
// the events that name them; the items table keeps each one's latest
// title and link for search and lists, written with its events.

// ItemID is an item's identifier in the archive's links and API: its
// source and key, encoded. It is stable (the same item always has the
// same id) and needs no table to resolve.
func ItemID(source, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(source + "\x00" + key))
}

// ParseItemID returns the source and key an ItemID names.
func ParseItemID(id string) (source, key string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return "", "", fmt.Errorf("item id %q: %w", id, ErrNotFound)
	}
	source, key, ok := strings.Cut(string(b), "\x00")
	if !ok || source == "" || key == "" {
		return "", "", fmt.Errorf("item id %q: %w", id, ErrNotFound)
	}
	return source, key, nil
}

// ItemInfo is what the archive knows of an item without reading a
// snapshot: its latest title and link, when it was first and last in an
// event, and the kind of that last event.
type ItemInfo struct {
	Source   string
	Key      string
	Title    string
	URL      string
	FirstAt  time.Time
	LastAt   time.Time
	LastKind string
	Events   int
}

// ID is the item's ItemID.
func (it ItemInfo) ID() string { return ItemID(it.Source, it.Key) }

// eventItem is the part of an event's data that names its item: the item
// of a new, removed or reappeared event, a change's or a move's.
type eventItem struct {
	Item   *struct{ Title, URL string } `json:"item"`
	Change *struct {
		Item struct{ Title, URL string } `json:"item"`
	} `json:"change"`
	Move *struct {
		Item struct{ Title, URL string } `json:"item"`
	} `json:"move"`
}

// itemNamed is the title and link of the item an event names.
type itemNamed struct{ title, url string }

// titleOf reads the title and link of the item an event's data names.
func titleOf(data []byte) (title, url string) {
	var d eventItem
	if gojson.Unmarshal(data, &d) != nil {
		return "", ""
	}
	switch {
	case d.Item != nil:
		return d.Item.Title, d.Item.URL
	case d.Change != nil:
		return d.Change.Item.Title, d.Change.Item.URL
	case d.Move != nil:
		return d.Move.Item.Title, d.Move.Item.URL
	}
	return "", ""
}

// backfillBatch is how many events backfillItems reads at a time.
var backfillBatch = 10000

// backfillItems fills the items table from the events a store kept
// before it had one (schema version 4), backfillBatch events at a time:
// a store of millions of events is never held in memory.
func backfillItems(ctx context.Context, tx *sql.Tx) error {
	type row struct {
		id                int64
		source, key, kind string
		at                int64
		title, url        string
	}
	var after int64
	for {
		rows, err := tx.QueryContext(ctx, `SELECT id, source, item_key, kind, at, data FROM events
			WHERE item_key <> '' AND id > ? ORDER BY id LIMIT ?`, after, backfillBatch)
		if err != nil {
			return err
		}
		var batch []row
		for rows.Next() {
			var r row
			var data []byte
			if err := rows.Scan(&r.id, &r.source, &r.key, &r.kind, &r.at, &data); err != nil {
				rows.Close()
				return err
			}
			if b, err := s2.Decode(nil, data); err == nil {
				r.title, r.url = titleOf(b)
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, r := range batch {
			if _, err := tx.ExecContext(ctx, qUpsertItem, r.source, r.key, r.title, r.url, r.at, r.at, r.kind); err != nil {
				return err
			}
		}
		after = batch[len(batch)-1].id
	}
}

const itemColumns = `source, item_key, title, url, first_at, last_at, last_kind, events`

func scanItem(rows *sql.Rows) (ItemInfo, error) {
	var it ItemInfo
	var first, last int64
	err := rows.Scan(&it.Source, &it.Key, &it.Title, &it.URL, &first, &last, &it.LastKind, &it.Events)
	it.FirstAt, it.LastAt = fromMillis(first), fromMillis(last)
	return it, err
}

// Item returns what the archive knows of an item; ErrNotFound if it was
// never in an event (an item of a first snapshot that never changed).
func (s *Store) Item(ctx context.Context, source, key string) (*ItemInfo, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+itemColumns+` FROM items WHERE source = ? AND item_key = ?`, source, key)
	items, err := all(rows, err, scanItem)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("item %q of %q: %w", key, source, ErrNotFound)
	}
	return &items[0], nil
}

// SearchItems finds up to limit items whose title or link holds q (case
// folded for ASCII), most recently seen first; with after set, only items
// seen since then. It reads the items table through: a search index
// (the archive's) does the rest.
func (s *Store) SearchItems(ctx context.Context, q string, after time.Time, limit int) ([]ItemInfo, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	pattern := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q) + "%"
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+itemColumns+` FROM items
		WHERE last_at > ? AND (title `+s.like()+` ? ESCAPE '\' OR url `+s.like()+` ? ESCAPE '\') ORDER BY last_at DESC, id DESC LIMIT ?`,
		millis(after), pattern, pattern, limit)
	return all(rows, err, scanItem)
}

// ItemRow is an item's row for a search index: its row id, what is
// searched, and when it was last written (the index's watermark).
type ItemRow struct {
	Row        int64
	Title, URL string
	LastAt     int64
}

// ItemRows lists, oldest first, up to limit items last written after the
// watermark (lastAt, row).
func (s *Store) ItemRows(ctx context.Context, lastAt, row int64, limit int) ([]ItemRow, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, title, url, last_at FROM items
		WHERE last_at > ? OR (last_at = ? AND id > ?) ORDER BY last_at, id LIMIT ?`, lastAt, lastAt, row, limit)
	return all(rows, err, func(rows *sql.Rows) (ItemRow, error) {
		var r ItemRow
		err := rows.Scan(&r.Row, &r.Title, &r.URL, &r.LastAt)
		return r, err
	})
}

// ItemsByRow returns the items with the given row ids, most recently seen
// first.
func (s *Store) ItemsByRow(ctx context.Context, ids []int64, limit int) ([]ItemInfo, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(ids)+1)
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+itemColumns+` FROM items WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)
		ORDER BY last_at DESC, id DESC LIMIT ?`, append(args, limit)...)
	return all(rows, err, scanItem)
}

// ItemEvents lists an item's events, oldest first.
func (s *Store) ItemEvents(ctx context.Context, source, key string) ([]Event, error) {
	return s.events(ctx, `SELECT `+eventColumns+` FROM events WHERE source = ? AND item_key = ? ORDER BY id`, source, key)
}

// EventFilter picks events from the log: by source and kind, those at or
// after Since, and those before the event Before (a cursor: the id of the
// last event of the previous page). Zero values pick all.
type EventFilter struct {
	Source string
	Kinds  []string
	Since  time.Time
	Before int64
	Limit  int
}

// FindEvents lists the events the filter picks, newest first.
func (s *Store) FindEvents(ctx context.Context, f EventFilter) ([]Event, error) {
	var where []string
	var args []any
	if f.Source != "" {
		where, args = append(where, "source = ?"), append(args, f.Source)
	}
	if len(f.Kinds) > 0 {
		where = append(where, "kind IN (?"+strings.Repeat(", ?", len(f.Kinds)-1)+")")
		for _, k := range f.Kinds {
			args = append(args, k)
		}
	}
	order := "id"
	if !f.Since.IsZero() {
		where, args = append(where, "at >= ?"), append(args, millis(f.Since))
		// Few events since then: found by their time (events_by_time),
		// then sorted ("+id" keeps the planner from reading the whole log
		// newest first for them). Many: read newest first, where the
		// first ones match.
		var recent int
		if err := s.rdb.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM events WHERE at >= ? LIMIT 2000) AS recent`,
			millis(f.Since)).Scan(&recent); err != nil {
			return nil, err
		}
		if recent < 2000 {
			order = "+id"
		}
	}
	if f.Before > 0 {
		where, args = append(where, "id < ?"), append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	q := `SELECT ` + eventColumns + ` FROM events`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	return s.events(ctx, q+` ORDER BY `+order+` DESC LIMIT ?`, append(args, limit)...)
}

// Event returns one event.
func (s *Store) Event(ctx context.Context, id int64) (*Event, error) {
	evs, err := s.events(ctx, `SELECT `+eventColumns+` FROM events WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(evs) == 0 {
		return nil, fmt.Errorf("event %d: %w", id, ErrNotFound)
	}
	return &evs[0], nil
}

// SourceStates lists the sources the store knows, in name order after
// the name after ("": from the first), at most limit of them.
func (s *Store) SourceStates(ctx context.Context, after string, limit int) ([]SourceState, error) {
	if limit <= 0 {
		limit = noLimit
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+sourceStateColumns+` FROM sources WHERE name > ? ORDER BY name LIMIT ?`, after, limit)
	return all(rows, err, scanSourceState)
}

// TroubledStates lists the sources that are failing or suspect, the
// longest troubled first.
func (s *Store) TroubledStates(ctx context.Context, limit int) ([]SourceState, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+sourceStateColumns+` FROM sources
		WHERE failures > 0 OR suspect_since > 0 ORDER BY troubled_since, name LIMIT ?`, limit)
	return all(rows, err, scanSourceState)
}

// CountSources returns how many sources the store knows, and how many of
// them are failing or suspect.
func (s *Store) CountSources(ctx context.Context) (total, troubled int, err error) {
	err = s.rdb.QueryRowContext(ctx, `SELECT count(*), count(CASE WHEN failures > 0 OR suspect_since > 0 THEN 1 END) FROM sources`).Scan(&total, &troubled)
	return total, troubled, err
}

const sourceStateColumns = `name, COALESCE(baseline_id, 0), next_check_at, last_check_at, failures, last_error, failing_since,
	suspect_since, troubled_since, troubled_checks`

func scanSourceState(rows *sql.Rows) (SourceState, error) {
	var st SourceState
	var next, last, failing, suspect, troubled int64
	if err := rows.Scan(&st.Name, &st.BaselineID, &next, &last, &st.Failures, &st.LastError, &failing, &suspect,
		&troubled, &st.TroubledChecks); err != nil {
		return st, err
	}
	st.NextCheckAt, st.LastCheckAt = fromMillis(next), fromMillis(last)
	st.FailingSince, st.SuspectSince, st.TroubledSince = fromMillis(failing), fromMillis(suspect), fromMillis(troubled)
	return st, nil
}

// FirstSnapshot returns a source's oldest stored snapshot.
func (s *Store) FirstSnapshot(ctx context.Context, source string) (*SnapshotInfo, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+snapshotColumns+` FROM snapshots WHERE source = ? ORDER BY id LIMIT 1`, source)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("source %q has no snapshot: %w", source, ErrNotFound)
	}
	return scanSnapshot(rows)
}

// IsNotFound reports whether err says that what was asked for is not in
// the store.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

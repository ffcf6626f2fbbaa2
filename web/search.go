package web

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pubwatch/pubwatch/store"
)

// The search over item titles and links. A substring search of hundreds
// of thousands of items is too slow for a page (a third of a second for a
// word no title holds), and an index kept by the checks would slow every
// check. So the archive keeps its own: an SQLite FTS5 trigram index in a
// file of its own beside the store, filled in the background from the
// store's items table (in the order they were last written) and brought
// up to date every few seconds. A search asks the index, and reads what
// it has not caught up with from the store directly.

// searchIndex is the archive's search index.
type searchIndex struct {
	db  *sql.DB
	st  *store.Store
	log *slog.Logger

	mu sync.RWMutex
	// lastAt and row are the watermark: every item last written up to
	// (lastAt, row) is indexed.
	lastAt, row int64
}

// openSearch opens (or makes) the index at path for the store's items.
func openSearch(ctx context.Context, path string, st *store.Store, log *slog.Logger) (*searchIndex, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(2)
	for _, q := range []string{
		`CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(title, url, tokenize='trigram')`,
		`CREATE TABLE IF NOT EXISTS watermark (id INTEGER PRIMARY KEY CHECK (id = 1), last_at BIGINT NOT NULL, row BIGINT NOT NULL, first TEXT NOT NULL)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			db.Close()
			return nil, fmt.Errorf("search index %s: %w", path, err)
		}
	}
	x := &searchIndex{db: db, st: st, log: log}
	// The index belongs to one store: if the store's first item is not the
	// one it was made from, it is made again.
	first := ""
	if rows, err := st.ItemRows(ctx, -1<<62, 0, 1); err != nil {
		db.Close()
		return nil, err
	} else if len(rows) > 0 {
		first = fmt.Sprintf("%d %s %s", rows[0].Row, rows[0].Title, rows[0].URL)
	}
	var had string
	err = db.QueryRowContext(ctx, `SELECT last_at, row, first FROM watermark WHERE id = 1`).Scan(&x.lastAt, &x.row, &had)
	switch {
	case err == sql.ErrNoRows || err == nil && had != first:
		x.lastAt, x.row = -1<<62, 0
		if _, err := db.ExecContext(ctx, `DELETE FROM search`); err != nil {
			db.Close()
			return nil, err
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO watermark (id, last_at, row, first) VALUES (1, ?, 0, ?)
			ON CONFLICT (id) DO UPDATE SET last_at = excluded.last_at, row = 0, first = excluded.first`, x.lastAt, first); err != nil {
			db.Close()
			return nil, err
		}
	case err != nil:
		db.Close()
		return nil, fmt.Errorf("search index %s: %w", path, err)
	}
	return x, nil
}

func (x *searchIndex) Close() error { return x.db.Close() }

// watermark returns how far the index has caught up.
func (x *searchIndex) watermark() (lastAt, row int64) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.lastAt, x.row
}

// catchUp indexes the items written since the watermark, a batch to a
// transaction; it returns how many it indexed.
func (x *searchIndex) catchUp(ctx context.Context) (int, error) {
	n := 0
	for {
		lastAt, row := x.watermark()
		rows, err := x.st.ItemRows(ctx, lastAt, row, 2000)
		if err != nil || len(rows) == 0 {
			return n, err
		}
		tx, err := x.db.BeginTx(ctx, nil)
		if err != nil {
			return n, err
		}
		for _, r := range rows {
			// An item written again (retitled) replaces its old entry.
			if _, err := tx.ExecContext(ctx, `DELETE FROM search WHERE rowid = ?`, r.Row); err != nil {
				tx.Rollback()
				return n, err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO search (rowid, title, url) VALUES (?, ?, ?)`, r.Row, r.Title, r.URL); err != nil {
				tx.Rollback()
				return n, err
			}
		}
		last := rows[len(rows)-1]
		if _, err := tx.ExecContext(ctx, `UPDATE watermark SET last_at = ?, row = ? WHERE id = 1`, last.LastAt, last.Row); err != nil {
			tx.Rollback()
			return n, err
		}
		if err := tx.Commit(); err != nil {
			return n, err
		}
		x.mu.Lock()
		x.lastAt, x.row = last.LastAt, last.Row
		x.mu.Unlock()
		n += len(rows)
	}
}

// keepUp catches up now and every interval until ctx ends.
func (x *searchIndex) keepUp(ctx context.Context, interval time.Duration) {
	for first := true; ; first = false {
		start := time.Now()
		n, err := x.catchUp(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			x.log.Warn("search index", "err", err)
		case first && err == nil:
			x.log.Info("search index ready", "indexed", n, "took", time.Since(start).Round(time.Millisecond))
		case n > 1000:
			x.log.Info("search index caught up", "indexed", n, "took", time.Since(start).Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// search finds items whose title or link holds q: from the index, and
// from the store for what the index has not caught up with. Shorter than
// three characters, a trigram index cannot help: the store is searched.
func (x *searchIndex) search(ctx context.Context, q string, limit int) ([]store.ItemInfo, error) {
	q = strings.TrimSpace(q)
	if utf8.RuneCountInString(q) < 3 {
		return x.st.SearchItems(ctx, q, time.Time{}, limit)
	}
	lastAt, _ := x.watermark()
	// Items written since the watermark (and at it: the batch boundary
	// may fall within one millisecond).
	fresh, err := x.st.SearchItems(ctx, q, time.UnixMilli(lastAt-1), limit)
	if err != nil {
		return nil, err
	}
	rows, err := x.db.QueryContext(ctx, `SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT 1000`,
		`"`+strings.ReplaceAll(q, `"`, `""`)+`"`)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	indexed, err := x.st.ItemsByRow(ctx, ids, limit)
	if err != nil {
		return nil, err
	}
	// Fresh items first (the newest); an item in both is shown once.
	seen := map[string]bool{}
	var out []store.ItemInfo
	for _, it := range slices.Concat(fresh, indexed) {
		if id := it.ID(); !seen[id] && len(out) < limit {
			seen[id] = true
			out = append(out, it)
		}
	}
	return out, nil
}

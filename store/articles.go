package store

import (
	"context"
	"database/sql"
	"time"
)

// ArticleState is an article on a source's watch list: when it was first
// seen, last read and is next due, the validators of its last answer,
// whether its listing still lists it, and why it is no longer watched
// ("": it is).
type ArticleState struct {
	Source       string    `json:"source"`
	URL          string    `json:"url"`
	FirstSeen    time.Time `json:"first_seen"`
	LastRead     time.Time `json:"last_read"`
	NextRead     time.Time `json:"next_read"`
	ETag         string    `json:"-"`
	LastModified string    `json:"-"`
	Listed       bool      `json:"listed"`
	// Ended says why the article is no longer watched: "deleted: HTTP
	// 404", "watched for 8760h0m0s" ("": it is watched).
	Ended string `json:"ended,omitempty"`
}

const articleColumns = `source, url, first_seen, last_read, next_read, etag, last_modified, listed, ended`

// Articles lists a source's watch list ("": every source's), by source
// and first seen.
func (s *Store) Articles(ctx context.Context, source string) ([]ArticleState, error) {
	q := `SELECT ` + articleColumns + ` FROM articles`
	var args []any
	if source != "" {
		q, args = q+` WHERE source = ?`, append(args, source)
	}
	rows, err := s.rdb.QueryContext(ctx, q+` ORDER BY source, first_seen, url`, args...)
	return all(rows, err, func(rows *sql.Rows) (ArticleState, error) {
		var a ArticleState
		var first, last, next int64
		var listed int
		err := rows.Scan(&a.Source, &a.URL, &first, &last, &next, &a.ETag, &a.LastModified, &listed, &a.Ended)
		a.FirstSeen, a.LastRead, a.NextRead, a.Listed = fromMillis(first), fromMillis(last), fromMillis(next), listed != 0
		return a, err
	})
}

// putArticles writes a check's watch list changes inside its transaction.
func (s *Store) putArticles(ctx context.Context, tx *sql.Tx, arts []ArticleState) error {
	for _, a := range arts {
		listed := 0
		if a.Listed {
			listed = 1
		}
		if _, err := s.txExec(ctx, tx, qPutArticle, a.Source, a.URL, millis(a.FirstSeen), millis(a.LastRead), millis(a.NextRead),
			a.ETag, a.LastModified, listed, a.Ended); err != nil {
			return err
		}
	}
	return nil
}

// ArticlesDue lists the active sources with a watched article due at now.
func (s *Store) ArticlesDue(ctx context.Context, now time.Time) ([]string, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT DISTINCT a.source FROM articles a JOIN sources s ON s.name = a.source
		WHERE a.ended = '' AND a.next_read > 0 AND a.next_read <= ? AND s.active = 1 ORDER BY a.source`, millis(now))
	return all(rows, err, func(rows *sql.Rows) (string, error) {
		var n string
		err := rows.Scan(&n)
		return n, err
	})
}

// NextArticleDue returns when the next watched article of an active
// source is due; ok is false when none is watched.
func (s *Store) NextArticleDue(ctx context.Context) (at time.Time, ok bool, err error) {
	var next sql.NullInt64
	err = s.rdb.QueryRowContext(ctx, `SELECT MIN(a.next_read) FROM articles a JOIN sources s ON s.name = a.source
		WHERE a.ended = '' AND a.next_read > 0 AND s.active = 1`).Scan(&next)
	if err != nil || !next.Valid {
		return time.Time{}, false, err
	}
	return fromMillis(next.Int64), true, nil
}

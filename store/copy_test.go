package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/internal/pgtest"
)

// fillHistory records checks of a few sources with every kind of row a
// history has: contents, snapshots, checks (good and failed), events with
// texts no ASCII table would hold, the items, watched articles, a run and
// its deliveries.
func fillHistory(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	for i, src := range []string{"agency", "ministry", "newsroom"} {
		for rev := range 3 {
			at := t0.Add(time.Duration(rev) * time.Hour)
			page := fmt.Appendf(nil, "<html>%s revision %d — «Сводка» 日本語 \x01</html>", src, rev)
			rec := CheckRecord{Source: src, RunID: fmt.Sprintf("r%d", rev), StartedAt: at, FinishedAt: at.Add(time.Second),
				Status: StatusChanged, ContentHash: Hash(page), NextCheckAt: at.Add(time.Hour), Worker: "host:1",
				Snapshot: &NewSnapshot{Content: page, ContentType: "text/html", URL: "https://x.org/" + src, Fingerprint: "f",
					Snapshot: snap(fmt.Sprintf("%s %d", src, rev), "Ministère’s «budget»")},
				Events: []Event{{Kind: "new", ItemKey: fmt.Sprintf("https://x.org/%s/%d", src, rev), Significance: 0.1 * float64(rev+i),
					Data: fmt.Appendf(nil, `{"title":"Новость %d","url":"https://x.org/%s/%d"}`, rev, src, rev)}},
				Articles: []ArticleState{{Source: src, URL: fmt.Sprintf("https://x.org/%s/%d", src, rev), FirstSeen: at, LastRead: at,
					NextRead: at.Add(48 * time.Hour), ETag: `"e1"`, Listed: rev == 2}},
			}
			if rev == 0 {
				rec.Status = StatusFirst
			}
			if src == "ministry" && rev == 1 {
				rec = CheckRecord{Source: src, RunID: "r1", StartedAt: at, FinishedAt: at, Status: StatusError, Error: "HTTP 503: «busy»",
					NextCheckAt: at.Add(time.Minute)}
			}
			if _, err := s.Record(ctx, rec); err != nil {
				t.Fatal(err)
			}
		}
	}
	run := RunInfo{ID: "r2", StartedAt: t0, FinishedAt: t0.Add(time.Minute), Sources: 3, ReportDir: "2025-12-17"}
	targets := []DeliveryTarget{{Name: "desk", Filter: "all", Match: func(EventMeta) bool { return true }}}
	if _, err := s.BeginReport(ctx, run, []byte(`{"model":1}`), targets, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishReport(ctx, run); err != nil {
		t.Fatal(err)
	}
}

// A history copied from SQLite to PostgreSQL and back is the same, row for
// row, and the copies take new checks with new ids.
func TestCopyRoundTrip(t *testing.T) {
	if pgtest.Postgres() {
		t.Skip("copies between both stores on the first run")
	}
	ctx := context.Background()
	cluster := pgtest.Start(t)
	src, _ := openTemp(t, Options{Writer: true})
	fillHistory(t, src)
	pg, err := Open(ctx, cluster.Database(t), Options{Writer: true})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	var tables []string
	sums, err := Copy(ctx, src, pg, func(table string, n int64) { tables = append(tables, fmt.Sprintf("%s %d", table, n)) })
	if err != nil {
		t.Fatal(err)
	}
	want, _ := src.Sums(ctx)
	for i, sum := range sums {
		if sum != want[i] || (sum.Rows == 0 && sum.Table != "runs") {
			t.Errorf("%s: %+v, want %+v (and some rows)", sum.Table, sum, want[i])
		}
	}
	if got := strings.Join(tables, ", "); !strings.Contains(got, "checks 9") || !strings.Contains(got, "events 8") {
		t.Errorf("progress: %s", got)
	}
	back, err := Open(ctx, filepath.Join(t.TempDir(), "back.db"), Options{Writer: true})
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if _, err := Copy(ctx, pg, back, nil); err != nil {
		t.Fatal(err)
	}
	again, _ := back.Sums(ctx)
	for i := range want {
		if again[i] != want[i] {
			t.Errorf("%s after the round trip: %+v, want %+v", want[i].Table, again[i], want[i])
		}
	}
	// What the copies read is what the original reads.
	for _, st := range []*Store{pg, back} {
		evs, err := st.FindEvents(ctx, EventFilter{Source: "agency"})
		if err != nil || len(evs) != 3 || !strings.Contains(string(evs[0].Data), "Новость 2") {
			t.Errorf("%s: events %+v, %v", st.Location(), evs, err)
		}
		base, err := st.Baseline(ctx, "newsroom")
		if err != nil || base == nil {
			t.Fatalf("%s: baseline %v", st.Location(), err)
		}
		if page, err := st.Content(ctx, base.ContentHash); err != nil || !strings.Contains(string(page), "日本語 \x01") {
			t.Errorf("%s: the baseline's page %q, %v", st.Location(), page, err)
		}
		// The next check made in the copy gets an id after the copied ones.
		id, err := st.Record(ctx, CheckRecord{Source: "agency", RunID: "r9", StartedAt: t0.Add(9 * time.Hour), FinishedAt: t0.Add(9 * time.Hour),
			Status: StatusChanged, NextCheckAt: t0.Add(10 * time.Hour),
			Snapshot: &NewSnapshot{Content: []byte("new"), Fingerprint: "f", Snapshot: snap("new")},
			Events:   []Event{{Kind: "new", ItemKey: "https://x.org/new", Data: []byte(`{}`)}}})
		if err != nil || id <= base.ID {
			t.Errorf("%s: a new snapshot after the copy: id %d (the copied baseline's %d), %v", st.Location(), id, base.ID, err)
		}
	}
	// A store that holds a history is not copied into.
	if _, err := Copy(ctx, src, pg, nil); err == nil || !strings.Contains(err.Error(), "already holds a history") {
		t.Errorf("copying into a store with a history: %v", err)
	}
	// The sums see one changed character.
	before, _ := pg.Sums(ctx)
	if _, err := pg.db.ExecContext(ctx, `UPDATE articles SET etag = '"e2"' WHERE url = 'https://x.org/agency/1'`); err != nil {
		t.Fatal(err)
	}
	after, _ := pg.Sums(ctx)
	for i := range before {
		if changed := before[i] != after[i]; changed != (before[i].Table == "articles") {
			t.Errorf("%s: sums %+v before an edit of articles, %+v after", before[i].Table, before[i], after[i])
		}
	}
}

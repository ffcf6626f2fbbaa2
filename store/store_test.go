package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/internal/pgtest"
	"github.com/pubwatch/pubwatch/snapshot"
)

func TestMain(m *testing.M) { os.Exit(pgtest.RunBoth(m)) }

// tempLocation is where a new store can be made: a SQLite file, or on the
// PostgreSQL run a new database.
func tempLocation(t *testing.T) string {
	t.Helper()
	if pgtest.Postgres() {
		return pgtest.Database(t)
	}
	return filepath.Join(t.TempDir(), "h.db")
}

// sqliteOnly skips a test of SQLite's own files on the PostgreSQL run.
func sqliteOnly(t *testing.T) {
	if pgtest.Postgres() {
		t.Skip("a test of SQLite store files")
	}
}

// openTemp opens a new store: a SQLite file, or on the PostgreSQL run a
// new database.
func openTemp(t *testing.T, opts Options) (*Store, string) {
	t.Helper()
	path := tempLocation(t)
	s, err := Open(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func count(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

var t0 = time.Date(2025, 12, 17, 8, 0, 0, 0, time.UTC)

func snap(titles ...string) *snapshot.Snapshot {
	s := &snapshot.Snapshot{}
	for _, ti := range titles {
		s.Items = append(s.Items, snapshot.Item{Kind: snapshot.KindListing, ID: "https://x.org/" + ti, Title: ti})
	}
	return s
}

func TestRecordAndBaseline(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{Writer: true})
	if b, err := s.Baseline(ctx, "a"); b != nil || err != nil {
		t.Fatalf("baseline of an unknown source: %v, %v", b, err)
	}
	page := []byte("<html>page one</html>")
	id1, err := s.Record(ctx, CheckRecord{Source: "a", RunID: "r1", StartedAt: t0, FinishedAt: t0, Status: StatusFirst,
		ContentHash: Hash(page), NextCheckAt: t0.Add(time.Hour),
		Snapshot: &NewSnapshot{Content: page, ContentType: "text/html", URL: "https://x.org/", Fingerprint: "f1", Snapshot: snap("one", "two")}})
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Baseline(ctx, "a")
	if err != nil || base.ID != id1 || base.ContentHash != Hash(page) || base.Items != 2 || base.Fingerprint != "f1" {
		t.Fatalf("baseline %+v, %v", base, err)
	}
	items, err := s.Items(ctx, base)
	if err != nil || !reflect.DeepEqual(items, snap("one", "two")) {
		t.Fatalf("items %+v, %v", items, err)
	}
	if got, _ := s.Content(ctx, base.ContentHash); string(got) != string(page) {
		t.Fatalf("content %q", got)
	}

	// A failure is recorded but changes neither the baseline nor the
	// stored contents; failures are counted.
	for i := 1; i <= 2; i++ {
		if _, err := s.Record(ctx, CheckRecord{Source: "a", RunID: "r2", StartedAt: t0.Add(time.Duration(i) * time.Hour),
			FinishedAt: t0.Add(time.Duration(i) * time.Hour), Status: StatusError, Error: "HTTP 503", NextCheckAt: t0.Add(2 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := s.SourceState(ctx, "a")
	if st.BaselineID != id1 || st.Failures != 2 || st.LastError != "HTTP 503" || !st.FailingSince.Equal(t0.Add(time.Hour)) {
		t.Errorf("state after failures: %+v", st)
	}
	// A second snapshot with the same page bytes and items stores no new
	// content; a good check clears the failures.
	id2, err := s.Record(ctx, CheckRecord{Source: "a", RunID: "r3", StartedAt: t0, FinishedAt: t0.Add(3 * time.Hour), Status: StatusUnchanged,
		NextCheckAt: t0.Add(4 * time.Hour),
		Snapshot:    &NewSnapshot{Content: page, URL: "https://x.org/", Fingerprint: "f2", Snapshot: snap("one", "two")}})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "contents"); n != 2 {
		t.Errorf("%d contents stored, want 2 (the page and its items, once each)", n)
	}
	st, _ = s.SourceState(ctx, "a")
	if st.BaselineID != id2 || st.Failures != 0 || st.LastError != "" || !st.FailingSince.IsZero() {
		t.Errorf("state after recovery: %+v", st)
	}
	snaps, _ := s.Snapshots(ctx, "a", 0)
	checks, _ := s.Checks(ctx, "a", 0)
	if len(snaps) != 2 || snaps[0].ID != id2 || len(checks) != 4 || checks[1].Error != "HTTP 503" {
		t.Errorf("history: %d snapshots (newest %d), %d checks", len(snaps), snaps[0].ID, len(checks))
	}
}

// Baselines reads many sources' baselines at once, the same as Baseline
// reads each; sources without one (failed only, or unknown) are left out.
func TestBaselines(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{Writer: true})
	var names []string
	for i := range 300 {
		name := fmt.Sprintf("s%d", i)
		names = append(names, name)
		rec := CheckRecord{Source: name, RunID: "r1", StartedAt: t0, FinishedAt: t0, NextCheckAt: t0.Add(time.Hour)}
		switch i % 3 {
		case 0:
			page := []byte(fmt.Sprintf("<html>page %d</html>", i))
			rec.Status, rec.ContentHash = StatusFirst, Hash(page)
			rec.Snapshot = &NewSnapshot{Content: page, URL: "https://x.org/" + name, ETag: `"e"`, Snapshot: snap("one")}
		case 1:
			rec.Status, rec.Error = StatusError, "HTTP 503"
		}
		if i%3 != 2 {
			if _, err := s.Record(ctx, rec); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := s.Baselines(ctx, append(names, `"quoted", \ name`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 100 {
		t.Errorf("%d baselines, want 100", len(got))
	}
	for _, name := range names {
		want, err := s.Baseline(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[name], want) {
			t.Errorf("%s: Baselines %+v, Baseline %+v", name, got[name], want)
		}
	}
}

func TestWriterLock(t *testing.T) {
	ctx := context.Background()
	_, path := openTemp(t, Options{Writer: true})
	if pgtest.Postgres() {
		// Workers share a PostgreSQL store; a database without a history
		// is not one.
		second, err := Open(ctx, path, Options{Writer: true})
		if err != nil {
			t.Fatalf("a second worker: %v", err)
		}
		second.Close()
		if _, err := Open(ctx, pgtest.Database(t), Options{MustExist: true}); !errors.Is(err, ErrNotFound) {
			t.Fatalf("opening an empty database read-only: %v", err)
		}
		return
	}
	if _, err := Open(ctx, path, Options{Writer: true}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer: %v, want ErrLocked", err)
	}
	r, err := Open(ctx, path, Options{MustExist: true})
	if err != nil {
		t.Fatalf("a reader beside the writer: %v", err)
	}
	r.Close()
	if _, err := Open(ctx, filepath.Join(t.TempDir(), "none.db"), Options{MustExist: true}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("opening a missing store read-only: %v", err)
	}
}

func TestSchedule(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{Writer: true})
	if err := s.SyncSources(ctx, map[string]Due{"a": {At: t0}, "b": {At: t0}, "c": {At: t0}}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(ctx, CheckRecord{Source: "a", StartedAt: t0, FinishedAt: t0, Status: StatusError, Error: "x", NextCheckAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	due, _ := s.Due(ctx, t0, 0)
	if !reflect.DeepEqual(due, []string{"b", "c"}) {
		t.Errorf("due at t0: %v", due)
	}
	// c leaves the config: it keeps its history but is never due.
	if err := s.SyncSources(ctx, map[string]Due{"a": {At: t0}, "b": {At: t0}}, t0); err != nil {
		t.Fatal(err)
	}
	due, _ = s.Due(ctx, t0.Add(2*time.Hour), 0)
	if !reflect.DeepEqual(due, []string{"b", "a"}) {
		t.Errorf("due later: %v", due)
	}
	if next, ok, _ := s.NextDue(ctx); !ok || !next.Equal(t0) {
		t.Errorf("next due %v %v", next, ok)
	}
	// A restart three hours later spreads the overdue sources as asked,
	// and leaves a source that is not yet due alone.
	later := t0.Add(3 * time.Hour)
	if _, err := s.Record(ctx, CheckRecord{Source: "b", StartedAt: later, FinishedAt: later, Status: StatusUnchanged, NextCheckAt: later.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.SyncSources(ctx, map[string]Due{"a": {At: later.Add(time.Minute)}, "b": {At: later.Add(2 * time.Minute)}}, later); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]time.Time{"a": later.Add(time.Minute), "b": later.Add(time.Hour)} {
		if st, _ := s.SourceState(ctx, name); !st.NextCheckAt.Equal(want) {
			t.Errorf("%s due at %v after the restart, want %v", name, st.NextCheckAt, want)
		}
	}
	if s.pg {
		return
	}
	var plan string
	if err := s.db.QueryRow(`EXPLAIN QUERY PLAN SELECT name FROM sources WHERE active = 1 AND next_check_at <= 0 ORDER BY next_check_at`).Scan(new(int), new(int), new(int), &plan); err != nil {
		t.Fatal(err)
	}
	if want := "USING INDEX sources_by_due"; !strings.Contains(plan, want) {
		t.Errorf("claiming due sources does not use the index: %q", plan)
	}
}

// A shortened interval takes effect when the daemon starts, not when the
// old one runs out.
func TestSyncClampsToNewInterval(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{Writer: true})
	if _, err := s.Record(ctx, CheckRecord{Source: "a", StartedAt: t0, FinishedAt: t0, Status: StatusUnchanged, NextCheckAt: t0.Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.SyncSources(ctx, map[string]Due{"a": {At: t0.Add(time.Minute), Latest: t0.Add(time.Hour)}}, t0); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.SourceState(ctx, "a"); !st.NextCheckAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("due at %v, want the new interval's %v", st.NextCheckAt, t0.Add(time.Minute))
	}
}

// Checks queued with RecordAsync are all committed by Flush, in few
// transactions; one that cannot be committed (its context is cancelled)
// fails alone and says so.
func TestRecordAsync(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{Writer: true})
	page := []byte("<html>page</html>")
	base, err := s.Record(ctx, CheckRecord{Source: "a", RunID: "r1", StartedAt: t0, FinishedAt: t0, Status: StatusFirst,
		ContentHash: Hash(page), NextCheckAt: t0.Add(time.Hour),
		Snapshot: &NewSnapshot{Content: page, Snapshot: snap("one")}})
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	const n = 2000
	var mu sync.Mutex
	var failed, ok int
	for i := range n {
		c := ctx
		if i == 700 {
			c = cancelled
		}
		at := t0.Add(time.Duration(i+1) * time.Minute)
		err := s.RecordAsync(c, CheckRecord{Source: "a", RunID: "r2", StartedAt: at, FinishedAt: at, Status: StatusUnchanged,
			ContentHash: Hash(page), BaselineID: base, NextCheckAt: at.Add(time.Hour)}, func(_ int64, err error) {
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed++
			} else {
				ok++
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	s.Flush()
	if failed != 1 || ok != n-1 {
		t.Fatalf("%d committed and %d failed; want %d and 1", ok, failed, n-1)
	}
	if got := count(t, s, "checks"); got != n {
		t.Errorf("%d checks stored, want %d (the first and %d unchanged)", got, n, n-1)
	}
	st, err := s.SourceState(ctx, "a")
	if err != nil || st.NextCheckAt.Before(t0.Add(n*time.Minute)) {
		t.Errorf("source state after the queued checks: %+v, %v", st, err)
	}
	if b, _ := s.Baseline(ctx, "a"); b == nil || b.ID != base {
		t.Errorf("baseline %+v, want snapshot %d", b, base)
	}
	// A queued check with a snapshot hears of its id, which is then the
	// baseline.
	page2 := []byte("<html>page two</html>")
	var id int64
	if err := s.RecordAsync(ctx, CheckRecord{Source: "a", RunID: "r3", StartedAt: t0, FinishedAt: t0, Status: StatusChanged,
		ContentHash: Hash(page2), NextCheckAt: t0.Add(time.Hour),
		Snapshot: &NewSnapshot{Content: page2, Snapshot: snap("one", "two")}}, func(got int64, err error) {
		if err != nil {
			t.Error(err)
		}
		id = got
	}); err != nil {
		t.Fatal(err)
	}
	s.Flush()
	if b, _ := s.Baseline(ctx, "a"); id == 0 || b == nil || b.ID != id || b.Items != 2 {
		t.Errorf("baseline %+v after a queued snapshot %d", b, id)
	}
}

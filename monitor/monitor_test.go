package monitor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/fetch"
	"github.com/pubwatch/pubwatch/internal/pgtest"
	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/store"
)

// fakeFetcher serves scripted pages by URL; a missing page is an error.
type fakeFetcher struct {
	mu    sync.Mutex
	pages map[string]string
	calls int
	// hits counts the requests for each URL.
	hits map[string]int
}

func (f *fakeFetcher) Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.hits == nil {
		f.hits = map[string]int{}
	}
	f.hits[req.URL]++
	page, ok := f.pages[req.URL]
	if !ok {
		return nil, errors.New("fetching " + req.URL + ": HTTP 503 Service Unavailable")
	}
	return &fetch.Response{Body: []byte(page), ContentType: "text/html", URL: req.URL}, nil
}

// hitsUnder counts the requests for URLs that begin with prefix.
func (f *fakeFetcher) hitsUnder(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for u, c := range f.hits {
		if strings.HasPrefix(u, prefix) {
			n += c
		}
	}
	return n
}

func (f *fakeFetcher) set(url, page string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pages[url] = page
}

func TestMain(m *testing.M) { os.Exit(pgtest.RunBoth(m)) }

// openStore opens a new store at path, or on the PostgreSQL run in a new
// database.
func openStore(t *testing.T, path string) *store.Store {
	t.Helper()
	if pgtest.Postgres() {
		path = pgtest.Database(t)
	}
	st, err := store.Open(context.Background(), path, store.Options{Writer: true})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func setup(t *testing.T, yaml string) (*Monitor, *fakeFetcher, *store.Store) {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Parse([]byte(yaml), filepath.Join(dir, "pubwatch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t, cfg.StorePath)
	t.Cleanup(func() { st.Close() })
	f := &fakeFetcher{pages: map[string]string{}}
	return &Monitor{Config: cfg, Store: st, Fetcher: f}, f, st
}

func all(cfg *config.Config) []*config.Source {
	var out []*config.Source
	for i := range cfg.Sources {
		out = append(out, &cfg.Sources[i])
	}
	return out
}

const oneSource = `sources: [{name: a, url: "https://x.org/", listing: {items: li}}]`

func TestUnchangedBytesSkipExtraction(t *testing.T) {
	m, f, st := setup(t, oneSource)
	f.set("https://x.org/", `<ul><li><a href="/1">One</a></li></ul>`)
	ctx := context.Background()
	if r := m.Check(ctx, all(m.Config), nil); r.Sources[0].Status != reports.StatusFirst {
		t.Fatalf("first check: %+v", r.Sources[0])
	}
	r := m.Check(ctx, all(m.Config), nil)
	if s := r.Sources[0]; s.Status != reports.StatusUnchanged || s.Items != 1 || s.SnapshotID != s.PreviousSnapshotID {
		t.Fatalf("second check: %+v", s)
	}
	snaps, _ := st.Snapshots(ctx, "a", 0)
	if len(snaps) != 1 {
		t.Errorf("%d snapshots after an unchanged check, want 1", len(snaps))
	}
	// Other bytes with the same items: a new snapshot but no events.
	f.set("https://x.org/", `<ul><li><a href="/1">One</a></li></ul><!-- rendered 10:01 -->`)
	if s := reported(t, m); s.Status != reports.StatusUnchanged || !s.Changes.Empty() {
		t.Errorf("same items in other bytes: %+v", s)
	}
}

func TestFailuresKeepTheBaseline(t *testing.T) {
	m, f, st := setup(t, oneSource)
	ctx := context.Background()
	f.set("https://x.org/", `<ul><li><a href="/1">One</a></li><li><a href="/2">Two</a></li></ul>`)
	first := m.Check(ctx, all(m.Config), nil).Sources[0]

	// A fetch error, then a page whose listing is gone: both errors, and
	// neither becomes the baseline.
	f.set("https://x.org/", "")
	delete(f.pages, "https://x.org/")
	if s := m.Check(ctx, all(m.Config), nil).Sources[0]; s.Status != reports.StatusError || s.FailingSince.IsZero() {
		t.Fatalf("fetch failure: %+v", s)
	}
	f.set("https://x.org/", `<p>Access denied</p>`)
	if s := m.Check(ctx, all(m.Config), nil).Sources[0]; s.Status != reports.StatusError {
		t.Fatalf("listing gone: %+v", s)
	}
	if b, _ := st.Baseline(ctx, "a"); b.ID != first.SnapshotID {
		t.Fatalf("baseline moved to %d after failures", b.ID)
	}
	// The next good page is compared with the last good one.
	f.set("https://x.org/", `<ul><li><a href="/1">One</a></li><li><a href="/3">Three</a></li></ul>`)
	s := reported(t, m)
	if s.Status != reports.StatusChanged || s.PreviousSnapshotID != first.SnapshotID ||
		len(s.Changes.New) != 1 || len(s.Changes.Removed) != 1 || s.Changes.Removed[0].ID != "https://x.org/2" {
		t.Errorf("after recovery: %+v", s)
	}
}

// New selectors over the same bytes extract the page again (the item
// they leave out is no longer tracked), and report nothing: the page did
// not change, the reading of it did.
func TestNewSelectorsReextractSameBytes(t *testing.T) {
	m, f, _ := setup(t, oneSource)
	ctx := context.Background()
	f.set("https://x.org/", `<ul><li class="n"><a href="/1">One</a></li><li><a href="/2">Two</a></li></ul>`)
	first := m.Check(ctx, all(m.Config), nil).Sources[0]
	m2, _, _ := setup(t, `sources: [{name: a, url: "https://x.org/", listing: {items: li.n}}]`)
	m2.Store, m2.Fetcher = m.Store, f
	s := reported(t, m2)
	if s.Status != reports.StatusUnchanged || !s.Changes.Empty() || s.Items != 1 || s.SnapshotID == first.SnapshotID {
		t.Errorf("same bytes, new selectors: %+v", s)
	}
	// The next change of the page is compared item by item as the new
	// selectors read it.
	f.set("https://x.org/", `<ul><li class="n"><a href="/1">One</a></li><li class="n"><a href="/3">Three</a></li><li><a href="/2">Two</a></li></ul>`)
	s = reported(t, m2)
	if s.Status != reports.StatusChanged || len(s.Changes.New) != 1 || len(s.Changes.Removed) != 0 {
		t.Errorf("a story added: %+v", s)
	}
}

func TestCancelledRunStartsNothingNew(t *testing.T) {
	m, f, _ := setup(t, oneSource)
	f.set("https://x.org/", `<ul><li><a href="/1">One</a></li></ul>`)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := m.Check(ctx, all(m.Config), nil)
	if s := r.Sources[0]; s.Status != reports.StatusError || s.Error != ErrInterrupted.Error() || f.calls != 0 {
		t.Errorf("cancelled run: %+v, %d fetches", s, f.calls)
	}
}

func TestDaemonChecksWhenDue(t *testing.T) {
	m, f, _ := setup(t, `sources:
  - {name: a, url: "https://x.org/a", interval: 1h, listing: {items: li}}
  - {name: b, url: "https://x.org/b", interval: 1h, listing: {items: li}}`)
	f.set("https://x.org/a", `<ul><li><a href="/1">One</a></li></ul>`)
	f.set("https://x.org/b", `<ul><li><a href="/1">One</a></li></ul>`)
	now := time.Date(2025, 12, 17, 8, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	m.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	// Known sources keep their schedule: make both due now rather than
	// spread over the first minutes.
	if err := m.Store.SyncSources(context.Background(), map[string]store.Due{"a": {At: now}, "b": {At: now}}, now); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var runs []*reports.Run
	done := make(chan error)
	go func() {
		done <- m.Run(ctx, func(r *reports.Run) {
			runs = append(runs, r)
			if len(runs) == 1 {
				// Nothing is due for an hour: the daemon must wait, not
				// check again. Advance the clock past the interval.
				mu.Lock()
				now = now.Add(2 * time.Hour)
				mu.Unlock()
				return
			}
			cancel()
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("daemon did not run twice")
	}
	if len(runs) != 2 || len(runs[0].Sources) != 2 || runs[1].Sources[0].Status != reports.StatusUnchanged {
		t.Errorf("runs: %d, first with %d sources", len(runs), len(runs[0].Sources))
	}
	if f.calls != 4 {
		t.Errorf("%d fetches, want 4 (two sources, twice)", f.calls)
	}
}

// reported checks every source and returns the first one's outcome as
// its report has it, with the changes read back from the event log.
func reported(t *testing.T, m *Monitor) reports.Source {
	t.Helper()
	run, _, err := m.WriteReports(context.Background(), m.Check(context.Background(), all(m.Config), nil))
	if err != nil {
		t.Fatal(err)
	}
	s, err := run.Sources[0].Unpacked()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkedOnce returns a monitor of one source, and its store, after the
// source's first check.
func checkedOnce(t *testing.T) (*Monitor, *store.Store) {
	t.Helper()
	m, f, st := setup(t, oneSource)
	f.set("https://x.org/", `<ul><li><a href="/1">One</a></li></ul>`)
	if s := m.Check(context.Background(), all(m.Config), nil).Sources[0]; s.Status != reports.StatusFirst {
		t.Fatalf("first check: %+v", s)
	}
	return m, st
}

// failingLater is a store whose background commits fail.
type failingLater struct{ *store.Store }

func (f failingLater) RecordAsync(ctx context.Context, rec store.CheckRecord, later func(int64, error)) error {
	later(0, errors.New("disk full"))
	return nil
}

// failingBaselines is a store that cannot read baselines in bulk.
type failingBaselines struct{ *store.Store }

func (f failingBaselines) Baselines(context.Context, []string) (map[string]*store.SnapshotInfo, error) {
	return nil, errors.New("database is locked")
}

// When a run cannot read its sources' baselines at once, each check reads
// its own: nothing is taken for a first check.
func TestBaselinesFallBack(t *testing.T) {
	m, st := checkedOnce(t)
	ctx := context.Background()
	m.Store = failingBaselines{st}
	if s := m.Check(ctx, all(m.Config), nil).Sources[0]; s.Status != reports.StatusUnchanged {
		t.Errorf("check without bulk baselines: status %s, error %q", s.Status, s.Error)
	}
}

// An unchanged check whose record cannot be committed is reported as an
// error, not as unchanged.
func TestLateRecordFailureIsAnError(t *testing.T) {
	m, st := checkedOnce(t)
	ctx := context.Background()
	m.Store = failingLater{st}
	s := m.Check(ctx, all(m.Config), nil).Sources[0]
	if s.Status != reports.StatusError || !strings.Contains(s.Error, "recording check: disk full") {
		t.Errorf("unchanged check whose record failed: status %s, error %q", s.Status, s.Error)
	}
}

// A source whose rules change is compared with its baseline's page read
// by the new rules: a date selector added reports no dates changed, and
// a new item on the page at the same time is reported alone.
func TestRulesChangeIsNotAPageChange(t *testing.T) {
	m, f, _ := setup(t, oneSource)
	page := func(n int) string {
		var b strings.Builder
		b.WriteString("<ul>")
		for i := range n {
			fmt.Fprintf(&b, `<li><a href="/%d">Story %d</a> <span>December %d, 2025</span></li>`, i, i, i+1)
		}
		return b.String() + "</ul>"
	}
	reconfigure := func(listing string) {
		cfg, err := config.Parse([]byte(`sources: [{name: a, url: "https://x.org/", listing: `+listing+`}]`), filepath.Join(filepath.Dir(m.Config.StorePath), "pubwatch.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		m.Config = cfg
	}
	check := func() reports.Source { return reported(t, m) }
	f.set("https://x.org/", page(3))
	if s := check(); s.Status != reports.StatusFirst {
		t.Fatalf("first check: %s", s.Status)
	}
	reconfigure(`{items: li, date: span}`)
	if s := check(); s.Status != reports.StatusUnchanged || !s.Changes.Empty() || s.Items != 3 {
		t.Fatalf("date selector added, page the same: %s %+v", s.Status, s.Changes)
	}
	reconfigure(`{items: li, title: a}`)
	f.set("https://x.org/", page(4))
	s := check()
	if s.Status != reports.StatusChanged || len(s.Changes.New) != 1 || len(s.Changes.Changed) != 0 || len(s.Changes.Removed) != 0 {
		t.Fatalf("date selector dropped and a story added: %s %+v", s.Status, s.Changes)
	}
}

// New rules that do not fit the baseline's page (selectors for markup the
// site added since) leave the baseline's items as they were taken: the
// check compares with them and fails nothing.
func TestRulesChangeOnNewMarkup(t *testing.T) {
	m, f, st := setup(t, oneSource)
	ctx := context.Background()
	f.set("https://x.org/", `<ul><li><a href="/1">Story one</a></li><li><a href="/2">Story two</a></li></ul>`)
	first := m.Check(ctx, all(m.Config), nil).Sources[0]
	cfg, err := config.Parse([]byte(`sources: [{name: a, url: "https://x.org/", listing: {items: div.story}}]`), filepath.Join(filepath.Dir(m.Config.StorePath), "pubwatch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m.Config = cfg
	f.set("https://x.org/", `<div class="story"><a href="/1">Story one</a></div><div class="story"><a href="/3">Story three</a></div>`)
	s := reported(t, m)
	if s.Status != reports.StatusChanged || len(s.Changes.New) != 1 || len(s.Changes.Removed) != 1 || s.PreviousSnapshotID != first.SnapshotID {
		t.Fatalf("new markup under new rules: %s %q %+v", s.Status, s.Error, s.Changes)
	}
	if b, _ := st.Baseline(ctx, "a"); b.ID != s.SnapshotID {
		t.Errorf("the check did not become the baseline")
	}
}

package monitor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"sync"
	"time"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/fetch"
	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/snapshot"
	"github.com/pubwatch/pubwatch/store"
)

// Store is what the monitor needs from the history store.
type Store interface {
	Baseline(ctx context.Context, source string) (*store.SnapshotInfo, error)
	Baselines(ctx context.Context, sources []string) (map[string]*store.SnapshotInfo, error)
	Items(ctx context.Context, si *store.SnapshotInfo) (*snapshot.Snapshot, error)
	Content(ctx context.Context, hash string) ([]byte, error)
	Record(ctx context.Context, rec store.CheckRecord) (int64, error)
	RecordAsync(ctx context.Context, rec store.CheckRecord, later func(snapshotID int64, err error)) error
	Flush()
	SourceState(ctx context.Context, name string) (*store.SourceState, error)
	SyncSources(ctx context.Context, due map[string]store.Due, now time.Time) error
	Due(ctx context.Context, now time.Time, limit int) ([]string, error)
	NextDue(ctx context.Context) (time.Time, bool, error)
	TroubledSources(ctx context.Context) (map[string]*store.SourceState, error)
	BeginReport(ctx context.Context, r store.RunInfo, model []byte, targets []store.DeliveryTarget, now time.Time) (int, error)
	FinishReport(ctx context.Context, r store.RunInfo) error
	PendingRuns(ctx context.Context) ([]store.PendingRun, error)
	ReportEvents(ctx context.Context, runID string) iter.Seq2[store.Event, error]
	HasUnreported(ctx context.Context) (bool, error)
	Run(ctx context.Context, id string) (*store.RunInfo, error)
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]store.Delivery, error)
	RecordAttempt(ctx context.Context, id, state string, at, next time.Time, response, lastError string) error
	Reschedule(ctx context.Context, id string, next time.Time, reason string) error
	NextDelivery(ctx context.Context) (time.Time, bool, error)
	Checks(ctx context.Context, source string, limit int) ([]store.CheckInfo, error)
	Snapshots(ctx context.Context, source string, limit int) ([]store.SnapshotInfo, error)
	Runs(ctx context.Context, limit int) ([]store.RunInfo, error)
	Articles(ctx context.Context, source string) ([]store.ArticleState, error)
	ArticlesDue(ctx context.Context, now time.Time) ([]string, error)
	NextArticleDue(ctx context.Context) (time.Time, bool, error)
	// Workers sharing the store (store/lease.go).
	Shared() bool
	Claim(ctx context.Context, worker string, now time.Time, limit int, lease time.Duration) ([]string, error)
	ClaimSources(ctx context.Context, worker string, names []string, now time.Time, lease time.Duration) ([]string, error)
	Release(ctx context.Context, worker string, names []string) error
	Lead(ctx context.Context) (bool, error)
}

var _ Store = (*store.Store)(nil)

// Fetcher retrieves a source's bytes.
type Fetcher interface {
	Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

var _ Fetcher = (*fetch.Fetcher)(nil)

// Progress is told after each source is checked.
type Progress func(done, total, failed int)

// Monitor checks sources and reports what changed.
type Monitor struct {
	Config  *config.Config
	Store   Store
	Fetcher Fetcher
	Logger  *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Worker names this process in the checks it records (host and
	// process id); "" records none.
	Worker string
	// ArticlesOnly makes a check of a source that follows its articles
	// read only the articles that are due, not the listing (which is
	// taken as unchanged): check --articles.
	ArticlesOnly bool
	// AfterReport, if set, runs after each run's reports are written
	// (the reports folder's feed); its error is logged, not the run's.
	AfterReport func(ctx context.Context) error
}

func (m *Monitor) now() time.Time {
	if m.Now != nil {
		return m.Now().UTC()
	}
	return time.Now().UTC()
}

func (m *Monitor) logger() *slog.Logger {
	if m.Logger != nil {
		return m.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// indexLength is how many runs the report index lists.
const indexLength = 500

// ErrInterrupted is the error of sources a cancelled run did not start.
var ErrInterrupted = errors.New("not checked: interrupted")

// Check checks the given sources once, concurrently, and returns the run's
// outcome in the order given: each source's status and the counts of its
// changes, whose events are in the store's log (WriteReports reports them). When ctx is cancelled no further source is
// started, but checks under way finish and are recorded.
func (m *Monitor) Check(ctx context.Context, sources []*config.Source, progress Progress) *reports.Run {
	run := &reports.Run{ID: newRunID(), StartedAt: m.now()}
	run.Sources = make([]reports.Source, len(sources))
	workers := m.Config.Concurrency
	if workers > len(sources) {
		workers = len(sources)
	}
	jobs := make(chan int)
	var mu sync.Mutex
	done, failed := 0, 0
	var wg sync.WaitGroup
	// In-flight checks run to completion on their own timeouts even after
	// ctx is cancelled: a half-made check is worth finishing and recording.
	work := context.WithoutCancel(ctx)
	late := &lateResults{}
	// Sources failing or suspect now: a good check of one is its recovery.
	troubled, err := m.Store.TroubledSources(work)
	if err != nil {
		m.logger().Warn("reading which sources are failing; recoveries will not be reported", "error", err)
	}
	// The dispatcher reads the baselines of the next sources in one query
	// (a query a check cost an unchanged run a tenth of its time); a
	// check whose baseline was not read this way reads its own.
	bases := make([]*store.SnapshotInfo, len(sources))
	prefetched := make([]bool, len(sources))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				res := m.checkSource(work, run.ID, sources[i], late, bases[i], prefetched[i], troubled[sources[i].Name])
				bases[i] = nil
				// The changes went to the event log with the check; the
				// run's report reads them from there (WriteReports), and
				// the run keeps only their counts.
				res.Forget()
				run.Sources[i] = res
				mu.Lock()
				done++
				if res.Status == reports.StatusError {
					failed++
				}
				if progress != nil {
					progress(done, len(sources), failed)
				}
				mu.Unlock()
			}
		}()
	}
	started := make([]bool, len(sources))
dispatch:
	for i := range sources {
		// Checked first: select picks at random among ready cases.
		if ctx.Err() != nil {
			break
		}
		if i%baselineBatch == 0 {
			m.prefetchBaselines(work, sources[i:min(i+baselineBatch, len(sources))], bases[i:], prefetched[i:])
		}
		select {
		case <-ctx.Done():
			break dispatch
		case jobs <- i:
			started[i] = true
		}
	}
	close(jobs)
	wg.Wait()
	// Checks are recorded in the background; a run is over when they are
	// committed, and one that could not be is an error.
	m.Store.Flush()
	late.apply(run)
	for i, ok := range started {
		if !ok {
			run.Sources[i] = reports.Source{Name: sources[i].Name, URL: sources[i].Location(),
				Status: reports.StatusError, Error: ErrInterrupted.Error()}
		}
	}
	run.FinishedAt = m.now()
	return run
}

// baselineBatch is how many sources' baselines are read in one query.
const baselineBatch = 256

// prefetchBaselines reads the baselines of sources into bases and marks
// them read in prefetched; if that fails, each check reads its own (and
// reports the error as its own).
func (m *Monitor) prefetchBaselines(ctx context.Context, sources []*config.Source, bases []*store.SnapshotInfo, prefetched []bool) {
	names := make([]string, len(sources))
	for i, src := range sources {
		names[i] = src.Name
	}
	found, err := m.Store.Baselines(ctx, names)
	if err != nil {
		m.logger().Warn("reading baselines; each check reads its own", "error", err)
		return
	}
	for i, name := range names {
		bases[i], prefetched[i] = found[name], true
	}
}

// checkSource runs one source through fetch, hash, extract, store and diff.
// Whatever happens, the outcome is returned as a report entry; only a
// good, extracted page becomes a snapshot.
// base is the source's baseline (nil: none) when prefetched says it has
// been read already.
// trouble is the source's state if it was failing or suspect (nil: it was
// not).
func (m *Monitor) checkSource(ctx context.Context, runID string, src *config.Source, late *lateResults, base *store.SnapshotInfo, prefetched bool, trouble *store.SourceState) reports.Source {
	started := m.now()
	out := reports.Source{Name: src.Name, URL: src.Location()}
	rec := store.CheckRecord{Source: src.Name, RunID: runID, StartedAt: started, Worker: m.Worker}
	log := m.logger().With("source", src.Name)

	fail := func(err error) reports.Source {
		out.Status = reports.StatusError
		out.Error = err.Error()
		rec.Status, rec.Error = store.StatusError, out.Error
		rec.FinishedAt = m.now()
		rec.Snapshot, rec.Events = nil, nil
		failures, since := 1, rec.FinishedAt
		if st, serr := m.Store.SourceState(ctx, src.Name); serr == nil && st != nil && st.Failures > 0 {
			failures, since = st.Failures+1, st.FailingSince
		} else if serr == nil {
			// The first failure of a run of them is an event; the
			// others are the same news.
			rec.Events = []store.Event{newEvent(config.EventFailing, "", 1,
				EventData{URL: src.Location(), Error: out.Error, Failures: 1, Since: since})}
		}
		if ev, ok := m.escalation(src, trouble, out.Error); ok {
			rec.Events = append(rec.Events, ev)
		}
		var retryAfter time.Duration
		if fe, ok := fetch.AsError(err); ok {
			retryAfter = fe.RetryAfter
		}
		rec.NextCheckAt = nextCheck(src, rec.FinishedAt, failures, retryAfter)
		out.FailingSince, out.Failures = since, failures
		if _, serr := m.Store.Record(ctx, rec); serr != nil {
			out.Error += fmt.Sprintf(" (and recording the failure failed: %v)", serr)
		}
		log.Warn("check failed", "error", out.Error, "failures", failures, "next", rec.NextCheckAt)
		return out
	}
	// A check of only the due articles leaves the listing's schedule as
	// it was.
	var keepNext time.Time
	succeed := func() {
		rec.Status = out.Status
		rec.FinishedAt = m.now()
		rec.NextCheckAt = nextCheck(src, rec.FinishedAt, 0, 0)
		if !keepNext.IsZero() {
			rec.NextCheckAt = keepNext
		}
	}

	var err error
	if !prefetched {
		if base, err = m.Store.Baseline(ctx, src.Name); err != nil {
			return fail(fmt.Errorf("reading baseline: %w", err))
		}
	}
	req := fetch.Request{URL: src.FetchURL, DisplayURL: src.URL, File: src.File, UserAgent: src.UserAgent,
		Headers: src.Headers, Cookies: src.Cookies, Timeout: src.Timeout, IgnoreRobots: !src.Robots, Secrets: src.Secrets}
	if base != nil {
		out.PreviousSnapshotID, rec.PreviousSnapshotID = base.ID, base.ID
		req.ETag, req.LastModified = base.ETag, base.LastModified
	}
	var resp *fetch.Response
	if m.ArticlesOnly && src.Follow && base != nil {
		// The listing is not read: taken as it was.
		resp = &fetch.Response{NotModified: true, URL: base.URL, ETag: base.ETag, LastModified: base.LastModified}
		if state, err := m.Store.SourceState(ctx, src.Name); err == nil && state != nil {
			keepNext = state.NextCheckAt
		}
	} else if resp, err = m.Fetcher.Fetch(ctx, req); err != nil {
		return fail(err)
	}
	body, contentType := resp.Body, resp.ContentType
	if resp.NotModified {
		if base == nil {
			return fail(fmt.Errorf("fetching %s: HTTP 304 Not Modified for content pubwatch does not hold", src.Location()))
		}
		rec.ContentHash = base.ContentHash
	} else {
		rec.ContentHash = store.Hash(body)
	}

	sameBytes := base != nil && base.ContentHash == rec.ContentHash && base.Fingerprint == src.Fingerprint
	recordUnchanged := func() reports.Source {
		out.Status = reports.StatusUnchanged
		succeed()
		rec.BaselineID = base.ID
		if !resp.NotModified && (resp.ETag != base.ETag || resp.LastModified != base.LastModified) {
			rec.Validators = &store.Validators{ETag: resp.ETag, LastModified: resp.LastModified}
		}
		if trouble != nil {
			rec.Events = []store.Event{recoveredEvent(src, trouble, "")}
		}
		if err := m.Store.RecordAsync(ctx, rec, late.record(src.Name)); err != nil {
			return fail(fmt.Errorf("recording check: %w", err))
		}
		out.SnapshotID, out.Items = base.ID, base.Items
		return out
	}
	if sameBytes && !src.Follow {
		// Same bytes (or a 304), same rules: nothing to parse, diff or
		// store but the check itself.
		return recordUnchanged()
	}

	var prev *snapshot.Snapshot
	if base != nil {
		if prev, err = m.Store.Items(ctx, base); err != nil {
			return fail(err)
		}
		if base.Fingerprint != src.Fingerprint {
			prev = m.rereadBaseline(ctx, src, base, prev, log)
		}
	}
	var snap *snapshot.Snapshot
	if sameBytes {
		// The listing did not change, but its articles may have: keep its
		// items and follow them again.
		snap = &snapshot.Snapshot{}
		for _, it := range prev.Items {
			if !it.Followed() {
				snap.Items = append(snap.Items, it)
			}
		}
	} else {
		if resp.NotModified {
			// The rules changed but the page did not: extract the held copy.
			if body, err = m.Store.Content(ctx, base.ContentHash); err != nil {
				return fail(err)
			}
			contentType = base.ContentType
			resp.ETag, resp.LastModified = base.ETag, base.LastModified
		}
		if snap, err = snapshot.Extract(body, contentType, src.BaseURL, src.Rules); err != nil {
			return fail(fmt.Errorf("extracting from %s: %w", src.Location(), err))
		}
		if snap.PageFallback(src.Rules) {
			// A page that had a listing or an article and now has
			// neither is broken, or no longer what the source watched:
			// its text is no baseline to compare those items with.
			if prev != nil && len(prev.Items) > 0 && !prev.PageFallback(src.Rules) {
				return fail(fmt.Errorf("extracting from %s: found neither an article nor a listing any more (the last good check had %d items); "+
					"if the page really changed, give selectors, or kind: page to track its text", src.Location(), len(prev.Items)))
			}
			out.Reason = reasonPageText
		}
	}
	if src.Follow {
		// New rules read every article again, as they read the listing.
		rec.Articles = m.follow(ctx, src, snap, prev, base != nil && base.Fingerprint != src.Fingerprint)
	}
	out.Items = len(snap.Items)
	if sameBytes && body == nil {
		if body, err = m.Store.Content(ctx, base.ContentHash); err != nil {
			return fail(err)
		}
		contentType = base.ContentType
	}
	if base == nil {
		out.Status = reports.StatusFirst
		// A first page that is a captcha or an error page (with a menu
		// that passes for a few items) is no baseline: keep it for the
		// record and wait for the real one. A page of many items is not
		// one.
		if len(snap.Items) < 5 {
			if reason := snapshot.SoftError(body, contentType); reason != "" {
				out.Status, out.Reason = reports.StatusSuspect, "the page looks like "+reason
			}
		}
	} else {
		cs := diff.CompareWith(prev, snap, compareOptions(src))
		if base.Fingerprint != src.Fingerprint {
			rereadFollowed(&cs)
		}
		editedAt(&cs, rec.Articles, m.now())
		snap.Tombstones = diff.Tombstones(prev, cs)
		out.Changes = cs
		out.Status = reports.StatusChanged
		if cs.Empty() {
			out.Status = reports.StatusUnchanged
			if sameBytes && len(cs.Suppressed) == 0 {
				return recordUnchanged()
			}
		} else if reason := suspicious(src, prev, snap, cs, body, contentType); reason != "" {
			out.Status, out.Reason = reports.StatusSuspect, reason
			if ok, err := m.confirmed(ctx, src, prev, snap); err != nil {
				log.Warn("reading the last suspect checks", "error", err)
			} else if ok {
				out.Status = reports.StatusChanged
				out.Reason = fmt.Sprintf("accepted as the site's new state after %d suspect checks that agree: %s", src.Trust.ConfirmAfter, reason)
			}
		} else if seen, err := m.seenBefore(ctx, src, snap, base); err == nil && seen {
			out.Status, out.Reason = reports.StatusUnchanged, "a state seen in the last compare_versions snapshots"
			out.Changes = diff.ChangeSet{}
		}
	}
	succeed()
	if out.Status == reports.StatusSuspect {
		// Stored for the record, never the baseline; its would-be events
		// are not reported.
		rec.Status, rec.Error = store.StatusSuspect, out.Reason
		out.Changes = diff.ChangeSet{}
	}

	rec.Events = m.events(src, &out, trouble)
	rec.Snapshot = &store.NewSnapshot{Content: body, Hash: rec.ContentHash, ContentType: contentType, URL: resp.URL,
		Fingerprint: src.Fingerprint, ETag: resp.ETag, LastModified: resp.LastModified, Snapshot: snap}
	if rec.Snapshot.URL == "" || len(src.Secrets) > 0 {
		rec.Snapshot.URL = src.Location()
	}
	// Recorded in the background: the snapshot's id reaches the report
	// when the run ends (Check).
	if err := m.Store.RecordAsync(ctx, rec, late.record(src.Name)); err != nil {
		return fail(fmt.Errorf("recording snapshot: %w", err))
	}
	log.Debug("checked", "status", out.Status, "items", out.Items)
	return out
}

// reasonReread is why a followed article's change is suppressed on the
// first check after the source's rules or pubwatch's extraction changed.
const reasonReread = "read with new rules or a new pubwatch for the first time: the change may be in the reading, not the page"

// rereadFollowed moves the changes of followed articles to the suppressed
// ones, with reasonReread. The baseline's listing is read again with the
// new rules (rereadBaseline); its articles' pages are not held, so what
// the new reading changes in them (a date found where none was, a title
// without the site's name) cannot be told from an edit. Shown, collapsed,
// rather than reported as news or dropped.
func rereadFollowed(cs *diff.ChangeSet) {
	kept := cs.Changed[:0]
	for _, c := range cs.Changed {
		if c.Item.Followed() {
			cs.Suppressed = append(cs.Suppressed, diff.Suppressed{Change: c, Reason: reasonReread})
			continue
		}
		kept = append(kept, c)
	}
	cs.Changed = kept
}

// reasonPageText says a zero-config source watches its page's text.
const reasonPageText = "neither an article nor a listing on the page: its text is watched, as with kind: page"

// lateResults collects, by source, how the checks recorded in the
// background went: the snapshot each made, or why it was not committed.
type lateResults struct {
	mu   sync.Mutex
	ids  map[string]int64
	errs map[string]error
}

// record returns the callback for a source's queued check.
func (l *lateResults) record(source string) func(int64, error) {
	return func(id int64, err error) {
		l.mu.Lock()
		defer l.mu.Unlock()
		if err != nil {
			if l.errs == nil {
				l.errs = map[string]error{}
			}
			l.errs[source] = err
		} else if id != 0 {
			if l.ids == nil {
				l.ids = map[string]int64{}
			}
			l.ids[source] = id
		}
	}
}

// apply puts the outcomes into the run's report entries.
func (l *lateResults) apply(run *reports.Run) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range run.Sources {
		s := &run.Sources[i]
		if err, ok := l.errs[s.Name]; ok {
			s.Status, s.Error = reports.StatusError, fmt.Sprintf("recording check: %v", err)
		} else if id, ok := l.ids[s.Name]; ok {
			s.SnapshotID = id
		}
	}
}

func newRunID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// rereadBaseline reads the baseline's page again with the source's rules
// of today, when they (or pubwatch's own extraction) changed since it was
// taken: compared with that, a check reports what changed on the page,
// not what the new rules read differently (a date selector added, a body
// now kept in paragraphs). Followed articles, gone articles and
// tombstones are kept as they were. If the held page cannot be read again,
// the baseline's items stand.
func (m *Monitor) rereadBaseline(ctx context.Context, src *config.Source, base *store.SnapshotInfo, prev *snapshot.Snapshot, log *slog.Logger) *snapshot.Snapshot {
	body, err := m.Store.Content(ctx, base.ContentHash)
	if err != nil {
		log.Warn("reading the baseline's page again for the new rules", "snapshot", base.ID, "error", err)
		return prev
	}
	again, err := snapshot.Extract(body, base.ContentType, src.BaseURL, src.Rules)
	if err != nil {
		// The new rules do not fit the old page (a selector for markup
		// the site added since): compare with the items as taken.
		log.Info("the baseline's page does not fit the new rules; comparing with its items as taken", "snapshot", base.ID, "error", err)
		return prev
	}
	for _, it := range prev.Items {
		if it.Followed() {
			again.Items = append(again.Items, it)
		}
	}
	again.Gone, again.Tombstones = prev.Gone, prev.Tombstones
	return again
}

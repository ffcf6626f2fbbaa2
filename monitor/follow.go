package monitor

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/fetch"
	"github.com/pubwatch/pubwatch/snapshot"
	"github.com/pubwatch/pubwatch/store"
)

// followWorkers bounds the article pages of one source fetched at once;
// the fetcher's per-host limits apply on top.
const followWorkers = 4

// Followed articles are watched by their age, as diffengine does: read
// again often while young, rarely when old, and no more after the
// source's watch_for (a year by default), whether or not their listing
// still lists them. An article is read at a check of its source when it
// is due, and the daemon checks a source whose listing is not due but an
// article is for its due articles alone (as `check --articles` does); a
// check between re-reads carries it over from the last snapshot without
// fetching it.

// recheckAfter is how long after a read an article of this age (since it
// was first seen) is due again: its age times the source's
// recheck_factor, at least fifteen minutes and at most thirty days. With
// the default 1.25 an article is read at its first check and every time
// its age has grown by that much: seven or eight reads in its first week
// at a check every half hour, then fewer and fewer, then monthly.
func recheckAfter(age time.Duration, factor float64) time.Duration {
	return min(max(time.Duration(float64(age)*factor), 15*time.Minute), 30*24*time.Hour)
}

// nextRead is when an article read now is due again: recheckAfter, give
// or take a tenth by its address, so that the articles of one source do
// not all fall due at one check.
func nextRead(link string, firstSeen, now time.Time, factor float64) time.Time {
	d := recheckAfter(now.Sub(firstSeen), factor)
	h := fnv.New32a()
	h.Write([]byte(link))
	jitter := time.Duration(int64(h.Sum32()%2001)-1000) * d / 10000
	return now.Add(d + jitter)
}

// massDeletion is how many of a check's article reads must say "gone",
// and more than half of them, for the check to take it for a broken site
// rather than deletions: none is recorded.
const massDeletion = 3

// follow reads the source's watched articles that are due, and the listed
// items' articles it does not watch yet (at most the source's
// follow_limit listed ones, in page order), and adds the articles to the
// snapshot as items of their own; those not due are carried over from the
// previous snapshot unread. An article that now answers 404 or 410, or
// redirects to the site's home page, is recorded as gone, with the
// reason, and watched no more. An article that could not be fetched or
// read this time is carried over: a flaky server is not a deletion, and
// neither is a check where most reads say gone. It returns the watch
// list entries to store.
func (m *Monitor) follow(ctx context.Context, src *config.Source, snap, prev *snapshot.Snapshot, all bool) []store.ArticleState {
	now := m.now()
	before := map[string]snapshot.Item{}
	if prev != nil {
		for _, it := range prev.Items {
			if it.Followed() {
				before[it.URL] = it
			}
		}
	}
	watched := map[string]store.ArticleState{}
	if list, err := m.Store.Articles(ctx, src.Name); err != nil {
		m.logger().Warn("reading the watch list", "source", src.Name, "error", err)
	} else {
		for _, a := range list {
			watched[a.URL] = a
		}
	}

	var links []string
	listed := map[string]bool{}
	for _, it := range snap.Items {
		if len(listed) >= src.FollowLimit {
			break
		}
		if (it.Kind != snapshot.KindListing && it.Kind != snapshot.KindFeed) || listed[it.URL] {
			continue
		}
		if u, err := url.Parse(it.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		listed[it.URL] = true
		links = append(links, it.URL)
	}
	// Watched articles no longer listed, until watch_for has passed.
	for _, a := range watched {
		if !listed[a.URL] && a.Ended == "" && src.WatchFor > 0 && now.Before(a.FirstSeen.Add(src.WatchFor)) {
			if _, ok := before[a.URL]; ok {
				links = append(links, a.URL)
			}
		}
	}

	type result struct {
		item  snapshot.Item
		ok    bool
		gone  string
		state store.ArticleState
		read  bool
	}
	results := make([]result, len(links))
	var due []int
	for i, link := range links {
		a, known := watched[link]
		if !known || a.Ended != "" {
			a = store.ArticleState{Source: src.Name, URL: link, FirstSeen: now}
		}
		a.Listed = listed[link]
		results[i].state = a
		old, held := before[link]
		if known && held && !all && src.RecheckFactor > 0 && now.Before(a.NextRead) {
			results[i].item, results[i].ok = old, true
			continue
		}
		due = append(due, i)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(followWorkers, len(due)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r := &results[i]
				old, held := before[links[i]]
				read, err := m.followOne(ctx, src, links[i], r.state, held)
				switch {
				case err != nil:
					m.logger().Info("following article", "source", src.Name, "url", links[i], "error", err)
					if held {
						r.item, r.ok = old, true
					}
					// Tried again on the schedule, not at every check.
					r.state.NextRead = nextRead(links[i], r.state.FirstSeen, now, src.RecheckFactor)
				case read.gone != "":
					r.gone, r.read = read.gone, true
				case read.notModified:
					r.item, r.ok, r.read = old, true, true
				default:
					r.item, r.ok, r.read = read.item, true, true
					r.state.ETag, r.state.LastModified = read.etag, read.lastModified
				}
				if r.read {
					r.state.LastRead, r.state.NextRead = now, nextRead(links[i], r.state.FirstSeen, now, src.RecheckFactor)
				}
			}
		}()
	}
	for _, i := range due {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	gone, read := 0, 0
	for _, r := range results {
		if r.read {
			read++
		}
		if r.gone != "" {
			gone++
		}
	}
	broken := gone >= massDeletion && gone*2 > read
	if broken {
		m.logger().Warn("most article reads say gone: taken for a broken site, nothing deleted", "source", src.Name, "gone", gone, "read", read)
	}
	var states []store.ArticleState
	for i, r := range results {
		switch {
		case r.gone != "" && broken:
			if old, held := before[links[i]]; held {
				snap.Items = append(snap.Items, old)
			}
			continue // the entry stays as it was: due again next check
		case r.gone != "":
			if snap.Gone == nil {
				snap.Gone = map[string]string{}
			}
			snap.Gone[snapshot.Item{Kind: snapshot.KindArticle, ID: links[i]}.Key()] = r.gone
			r.state.Ended = r.gone
		case r.ok:
			snap.Items = append(snap.Items, r.item)
		}
		if a, known := watched[links[i]]; !known || a != r.state {
			states = append(states, r.state)
		}
	}
	// Articles whose watch has run out, or that left the listing of a
	// source that watches them only while listed, end their entries.
	for _, a := range watched {
		if a.Ended == "" && !listed[a.URL] && !slices.Contains(links, a.URL) {
			a.Ended, a.Listed = fmt.Sprintf("no longer watched (first seen %s)", a.FirstSeen.Format(time.DateOnly)), false
			states = append(states, a)
		}
	}
	return states
}

// articleRead is what one read of an article found.
type articleRead struct {
	item        snapshot.Item
	gone        string // "": not gone
	notModified bool
	// etag and lastModified are the answer's validators.
	etag, lastModified string
}

// followOne fetches and reads one article page, conditionally when held
// (the previous snapshot has it). A non-empty gone says the article was
// deleted.
func (m *Monitor) followOne(ctx context.Context, src *config.Source, link string, a store.ArticleState, held bool) (articleRead, error) {
	req := fetch.Request{URL: link, DisplayURL: link, UserAgent: src.UserAgent,
		Headers: src.Headers, Cookies: src.Cookies, Timeout: src.Timeout, IgnoreRobots: !src.Robots, Secrets: src.Secrets}
	if held {
		req.ETag, req.LastModified = a.ETag, a.LastModified
	}
	resp, err := m.Fetcher.Fetch(ctx, req)
	if err != nil {
		if fe, ok := fetch.AsError(err); ok && (fe.Status == http.StatusNotFound || fe.Status == http.StatusGone) {
			return articleRead{gone: fmt.Sprintf("deleted: HTTP %d %s", fe.Status, http.StatusText(fe.Status))}, nil
		}
		return articleRead{}, err
	}
	if resp.NotModified {
		return articleRead{notModified: true, etag: a.ETag, lastModified: a.LastModified}, nil
	}
	final, _ := url.Parse(resp.URL)
	if orig, _ := url.Parse(link); final != nil && orig != nil && strings.Trim(final.Path, "/") == "" && strings.Trim(orig.Path, "/") != "" {
		return articleRead{gone: "redirects to the home page"}, nil
	}
	// A page that says it is not found is a deletion; one that is a bot
	// check, a consent wall or maintenance is a read that failed.
	switch reason := snapshot.SoftError(resp.Body, resp.ContentType); reason {
	case "":
	case "a not-found page":
		return articleRead{gone: "deleted: the page now says it is not found"}, nil
	default:
		return articleRead{}, fmt.Errorf("reading %s: the page is %s", link, reason)
	}
	art, err := snapshot.Extract(resp.Body, resp.ContentType, final, snapshot.Rules{AutoArticle: true, Ignore: src.Rules.Ignore})
	if err != nil {
		return articleRead{}, err
	}
	it := art.Items[0]
	it.ID, it.URL = link, link
	return articleRead{item: it, etag: resp.ETag, lastModified: resp.LastModified}, nil
}

// editedAt says, in the summary of each change of a followed article,
// how long after its publication (or, without a date, after it was first
// seen) it was edited: "1 word changed; edited 9 days after publication".
// arts are the watch list entries of the check's reads.
func editedAt(cs *diff.ChangeSet, arts []store.ArticleState, now time.Time) {
	seen := map[string]time.Time{}
	for _, a := range arts {
		seen[a.URL] = a.FirstSeen
	}
	for i := range cs.Changed {
		c := &cs.Changed[i]
		if !c.Item.Followed() {
			continue
		}
		since, after := seen[c.Item.URL], "after it was first seen"
		if t, err := time.Parse(time.DateOnly, c.Previous.Published); err == nil {
			since, after = t, "after publication"
		}
		if since.IsZero() || now.Before(since) {
			continue
		}
		c.Summary += "; edited " + ageWords(now.Sub(since)) + " " + after
	}
}

// ageWords says a duration as a reader would: minutes, hours or days.
func ageWords(d time.Duration) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d < time.Hour:
		return plural(int(d.Minutes()), "minute")
	case d < 48*time.Hour:
		return plural(int(d.Hours()), "hour")
	}
	return plural(int(d.Hours()/24), "day")
}

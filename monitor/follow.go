package monitor

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/fetch"
	"github.com/pubwatch/pubwatch/snapshot"
)

// followWorkers bounds the article pages of one source fetched at once;
// the fetcher's per-host limits apply on top.
const followWorkers = 4

// follow fetches the article page of each listed item (at most the
// source's follow_limit, in page order) and adds the articles to the
// snapshot as items of their own. An article that now answers 404 or 410,
// or redirects to the site's home page, is recorded as gone, with the
// reason. An article that could not be fetched or read this time is
// carried over from the previous snapshot: a flaky server is not a
// deletion.
func (m *Monitor) follow(ctx context.Context, src *config.Source, snap *snapshot.Snapshot, prev *snapshot.Snapshot) {
	before := map[string]snapshot.Item{}
	if prev != nil {
		for _, it := range prev.Items {
			if it.Followed() {
				before[it.URL] = it
			}
		}
	}
	var links []string
	seen := map[string]bool{}
	for _, it := range snap.Items {
		if len(links) >= src.FollowLimit {
			break
		}
		if (it.Kind != snapshot.KindListing && it.Kind != snapshot.KindFeed) || seen[it.URL] {
			continue
		}
		if u, err := url.Parse(it.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		seen[it.URL] = true
		links = append(links, it.URL)
	}

	type result struct {
		item snapshot.Item
		ok   bool
		gone string
	}
	results := make([]result, len(links))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(followWorkers, len(links)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				it, gone, err := m.followOne(ctx, src, links[i])
				switch {
				case gone != "":
					results[i] = result{gone: gone}
				case err == nil:
					results[i] = result{item: it, ok: true}
				default:
					m.logger().Info("following article", "source", src.Name, "url", links[i], "error", err)
					if old, ok := before[links[i]]; ok {
						results[i] = result{item: old, ok: true}
					}
				}
			}
		}()
	}
	for i := range links {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	for i, r := range results {
		switch {
		case r.ok:
			snap.Items = append(snap.Items, r.item)
		case r.gone != "":
			if snap.Gone == nil {
				snap.Gone = map[string]string{}
			}
			snap.Gone[snapshot.Item{Kind: snapshot.KindArticle, ID: links[i]}.Key()] = r.gone
		}
	}
}

// followOne fetches and reads one article page. A non-empty gone says the
// article was deleted.
func (m *Monitor) followOne(ctx context.Context, src *config.Source, link string) (snapshot.Item, string, error) {
	resp, err := m.Fetcher.Fetch(ctx, fetch.Request{URL: link, DisplayURL: link, UserAgent: src.UserAgent,
		Headers: src.Headers, Cookies: src.Cookies, Timeout: src.Timeout, IgnoreRobots: !src.Robots, Secrets: src.Secrets})
	if err != nil {
		if fe, ok := fetch.AsError(err); ok && (fe.Status == http.StatusNotFound || fe.Status == http.StatusGone) {
			return snapshot.Item{}, fmt.Sprintf("deleted: HTTP %d %s", fe.Status, http.StatusText(fe.Status)), nil
		}
		return snapshot.Item{}, "", err
	}
	final, _ := url.Parse(resp.URL)
	if orig, _ := url.Parse(link); final != nil && orig != nil && strings.Trim(final.Path, "/") == "" && strings.Trim(orig.Path, "/") != "" {
		return snapshot.Item{}, "redirects to the home page", nil
	}
	art, err := snapshot.Extract(resp.Body, resp.ContentType, final, snapshot.Rules{AutoArticle: true, Ignore: src.Rules.Ignore})
	if err != nil {
		return snapshot.Item{}, "", err
	}
	it := art.Items[0]
	it.ID, it.URL = link, link
	return it, "", nil
}

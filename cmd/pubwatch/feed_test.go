package main

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Three feed formats, each in two revisions: entry 2 is removed, entry 1
// retitled, entry 3 added.
var feedRevisions = map[string][2]struct{ ct, body string }{
	"/rss.xml": {
		{"application/rss+xml", `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Agency</title><link>https://agency.example/</link>
<item><title>Plenary meeting held</title><link>https://agency.example/1.html</link><guid>urn:agency:1</guid><pubDate>Wed, 17 Dec 2025 08:00:00 GMT</pubDate><description>&lt;p&gt;Deputies met.&lt;/p&gt;</description></item>
<item><title>Delegation returns</title><link>https://agency.example/2.html</link><guid>urn:agency:2</guid></item>
</channel></rss>`},
		{"application/rss+xml", `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Agency</title><link>https://agency.example/</link>
<item><title>Trade agreement signed</title><link>https://agency.example/3.html</link><guid>urn:agency:3</guid></item>
<item><title>Plenary meeting concluded</title><link>https://agency.example/1.html</link><guid>urn:agency:1</guid><pubDate>Wed, 17 Dec 2025 08:00:00 GMT</pubDate><description>&lt;p&gt;Deputies met.&lt;/p&gt;</description></item>
</channel></rss>`},
	},
	"/atom.xml": {
		{"application/atom+xml", `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Agency</title>
<entry><id>tag:agency.example,2025:1</id><title>Plenary meeting held</title><link href="https://agency.example/1.html"/><updated>2025-12-17T08:00:00Z</updated></entry>
<entry><id>tag:agency.example,2025:2</id><title>Delegation returns</title><link href="https://agency.example/2.html"/><updated>2025-12-16T08:00:00Z</updated></entry>
</feed>`},
		{"application/atom+xml", `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Agency</title>
<entry><id>tag:agency.example,2025:3</id><title>Trade agreement signed</title><link href="https://agency.example/3.html"/><updated>2025-12-18T08:00:00Z</updated></entry>
<entry><id>tag:agency.example,2025:1</id><title>Plenary meeting concluded</title><link href="https://agency.example/1.html"/><updated>2025-12-17T08:00:00Z</updated></entry>
</feed>`},
	},
	"/feed.json": {
		{"application/feed+json", `{"version": "https://jsonfeed.org/version/1.1", "title": "Agency", "items": [
 {"id": "1", "url": "https://agency.example/1.html", "title": "Plenary meeting held", "content_text": "Deputies met."},
 {"id": "2", "url": "https://agency.example/2.html", "title": "Delegation returns"}]}`},
		{"application/feed+json", `{"version": "https://jsonfeed.org/version/1.1", "title": "Agency", "items": [
 {"id": "3", "url": "https://agency.example/3.html", "title": "Trade agreement signed"},
 {"id": "1", "url": "https://agency.example/1.html", "title": "Plenary meeting concluded", "content_text": "Deputies met."}]}`},
	},
}

func TestFeedSources(t *testing.T) {
	var mu sync.Mutex
	rev := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		f, ok := feedRevisions[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", f[rev].ct)
		w.Write([]byte(f[rev].body))
	}))
	defer srv.Close()
	p := newProject(t, `fetch: {host_delay: 0s}
sources:
  - {name: rss, feed: "`+srv.URL+`/rss.xml"}
  - {name: atom, feed: "`+srv.URL+`/atom.xml"}
  # No kind and no selectors: recognised as a feed by its content.
  - {name: json, url: "`+srv.URL+`/feed.json"}
`)
	p.mustRun(0, "check")
	for _, s := range p.report().Sources {
		if s.Status != "first" || s.Items != 2 {
			t.Errorf("%s: %s with %d items, want a baseline of 2", s.Name, s.Status, s.Items)
		}
	}
	mu.Lock()
	rev = 1
	mu.Unlock()
	p.mustRun(0, "check")
	for _, s := range p.report().Sources {
		var got []string
		for _, it := range s.New {
			got = append(got, "new "+it.Title)
		}
		for _, it := range s.Changed {
			got = append(got, "changed "+strings.Join(it.Fields, ",")+" "+it.Title)
		}
		for _, it := range s.Removed {
			got = append(got, "removed "+it.Title)
		}
		sort.Strings(got)
		want := []string{"changed title Plenary meeting concluded", "new Trade agreement signed", "removed Delegation returns"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: events %q, want %q", s.Name, got, want)
		}
	}
}

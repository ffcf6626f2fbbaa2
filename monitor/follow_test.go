package monitor

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/config"

	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/snapshot"
)

// A followed article's fields are the same whether it was read on the
// source's first check or on a later one, and a revision that changes
// only the pages' furniture (the footer's "Page generated" time, the ad,
// the related box) changes none of them.
func TestFollowedArticleFieldsDoNotDependOnWhenRead(t *testing.T) {
	m, f, st := setup(t, `sources:
  - {name: early, url: "https://x.org/early/", listing: {items: li}, follow: true}
  - {name: late, url: "https://x.org/late/", listing: {items: li}, follow: true}`)
	ctx := context.Background()
	list := func(links ...string) string {
		var b strings.Builder
		b.WriteString("<ul>")
		for _, l := range links {
			fmt.Fprintf(&b, `<li><a href="/news/%s.html">The story called %s</a></li>`, l, l)
		}
		return b.String() + "</ul>"
	}
	article := func(slug, stamp, related string) string {
		return `<!DOCTYPE html><html><head><title>The story called ` + slug + ` | Agency</title></head><body>
<header><a href="/">Agency</a></header><div class="ad" id="ad-` + stamp[len(stamp)-2:] + `">Advertisement</div>
<main><article><h1>The story called ` + slug + `</h1><p>December 24, 2025</p>` +
			strings.Repeat(`<p>The harbour council opened the new bridge to traffic on Tuesday after two years of work by the railway and steel workers of the region.</p>`, 4) +
			`</article><aside><h2>Related</h2><ul><li><a href="/news/` + related + `.html">` + related + `</a></li></ul></aside></main>
<footer><p>Page generated ` + stamp + `</p></footer></body></html>`
	}
	revision := func(stamp, related string) {
		for _, slug := range []string{"one", "two", "three"} {
			f.set("https://x.org/news/"+slug+".html", article(slug, stamp, related))
		}
	}
	f.set("https://x.org/early/", list("one", "two"))
	f.set("https://x.org/late/", list("one"))
	revision("2025-12-25 08:00:00", "weather")
	reportedAll(t, m)

	// Only the furniture changes: nothing to report.
	revision("2025-12-26 17:45:12", "sport")
	for _, s := range reportedAll(t, m) {
		if s.Status != reports.StatusUnchanged {
			t.Errorf("%s after a furniture-only revision: %s %+v", s.Name, s.Status, s.Changes)
		}
	}
	// "two" is read by late for the first time, days after early read it.
	f.set("https://x.org/late/", list("one", "two"))
	revision("2025-12-29 06:01:59", "culture")
	m.Check(ctx, all(m.Config), nil)

	// Early's articles as its first check read them; late's as its last
	// check read them, "two" for the first time.
	articles := func(source string, oldest bool) map[string]snapshot.Item {
		snaps, err := st.Snapshots(ctx, source, 0)
		if err != nil {
			t.Fatal(err)
		}
		si := snaps[0]
		if oldest {
			si = snaps[len(snaps)-1]
		}
		snap, err := st.Items(ctx, &si)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]snapshot.Item{}
		for _, it := range snap.Items {
			if it.Followed() {
				out[it.URL] = it
			}
		}
		return out
	}
	early, late := articles("early", true), articles("late", false)
	for _, u := range []string{"https://x.org/news/one.html", "https://x.org/news/two.html"} {
		if !reflect.DeepEqual(early[u], late[u]) {
			t.Errorf("%s read on the first check and later differ:\n%+v\n%+v", u, early[u], late[u])
		}
		if early[u].Published != "2025-12-24" {
			t.Errorf("%s: published %q, want the dateline's 2025-12-24", u, early[u].Published)
		}
	}
}

// reportedAll checks every source once and returns their report entries,
// read from the event log.
func reportedAll(t *testing.T, m *Monitor) []reports.Source {
	t.Helper()
	run, _, err := m.WriteReports(context.Background(), m.Check(context.Background(), all(m.Config), nil))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]reports.Source, len(run.Sources))
	for i, s := range run.Sources {
		if out[i], err = s.Unpacked(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// When a source's rules (or pubwatch's extraction) change, its listing's
// baseline is read again with the new ones, but its followed articles'
// pages are not held: what the new reading changes in them is shown as
// suppressed, with the reason, never as news; the next edit is news.
func TestNewRulesDoNotReportFollowedArticles(t *testing.T) {
	const before = `sources: [{name: a, url: "https://x.org/", listing: {items: li}, follow: true}]`
	m, f, _ := setup(t, before)
	now := time.Now().UTC()
	m.Now = func() time.Time { return now }
	article := func(edit string) string {
		return `<html><head><title>Talks Begin | Agency</title></head><body><article><h1>Talks Begin in the Capital</h1>` +
			strings.Repeat(`<p>The delegation arrived on Tuesday for talks about trade, energy and the harbour, officials said.</p>`, 3) +
			`<p>` + edit + `</p><p>Filed by the newsroom desk at 10:00.</p></article></body></html>`
	}
	f.set("https://x.org/", `<ul><li><a href="/talks.html">Talks Begin in the Capital</a></li><li><a href="/other.html">Another Story of the Day</a></li></ul>`)
	f.set("https://x.org/talks.html", article("The talks will last three days."))
	f.set("https://x.org/other.html", article("Nothing else changed."))
	reportedAll(t, m)

	// New rules: a line the site adds to every article is ignored.
	cfg, err := config.Parse([]byte(`sources: [{name: a, url: "https://x.org/", listing: {items: li}, follow: true, ignore: ["Filed by .*"]}]`),
		filepath.Join(filepath.Dir(m.Config.StorePath), "pubwatch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m.Config = cfg
	s := reportedAll(t, m)[0]
	if len(s.Changes.Changed) != 0 || len(s.Changes.Suppressed) != 2 || s.Changes.Suppressed[0].Reason != reasonReread {
		t.Fatalf("the first check with new rules: %s, changed %+v, suppressed %+v", s.Status, s.Changes.Changed, s.Changes.Suppressed)
	}
	// A real edit afterwards is news, once the article is due again.
	f.set("https://x.org/talks.html", article("The talks will last four days."))
	now = now.Add(time.Hour)
	s = reportedAll(t, m)[0]
	if len(s.Changes.Changed) != 1 || len(s.Changes.Suppressed) != 0 {
		t.Fatalf("an edit after the new rules: %s, changed %+v, suppressed %+v", s.Status, s.Changes.Changed, s.Changes.Suppressed)
	}
}

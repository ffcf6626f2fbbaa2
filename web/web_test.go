package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed/atom"
	"golang.org/x/net/html"
	atom2 "golang.org/x/net/html/atom"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/internal/pgtest"
	"github.com/pubwatch/pubwatch/monitor"
	"github.com/pubwatch/pubwatch/snapshot"
	"github.com/pubwatch/pubwatch/store"
)

var t0 = time.Date(2025, 12, 9, 8, 0, 0, 0, time.UTC)

// planted is what a hostile page can put in an item: markup, event
// handlers, script links, in every field the archive shows.
var planted = snapshot.Item{Kind: snapshot.KindListing, ID: "javascript:alert(1)", URL: "javascript:alert(1)",
	Title:   `Decree <script>alert("t")</script><img src=x onerror="alert(2)">`,
	Summary: `<a href="javascript:alert(3)" onclick="alert(4)">click</a>`,
	Date:    `<svg onload=alert(5)>`}

func event(kind, key string, d monitor.EventData) store.Event {
	b, err := json.Marshal(d)
	if err != nil {
		panic(err)
	}
	return store.Event{Kind: kind, ItemKey: key, Significance: 1, Data: b}
}

// plantedStore records two checks of a source whose second page adds the
// planted item and edits an article's body with markup in it.
func TestMain(m *testing.M) { os.Exit(pgtest.RunBoth(m)) }

func plantedStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	location := filepath.Join(t.TempDir(), "p.db")
	if pgtest.Postgres() {
		location = pgtest.Database(t)
	}
	st, err := store.Open(ctx, location, store.Options{Writer: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	article := snapshot.Item{Kind: snapshot.KindArticle, ID: "article", URL: "https://agency.example/a.html", Title: "Plenary Meeting",
		Body: "The meeting adopted the budget.\nIt also adopted a law."}
	edited := article
	edited.Body = "The meeting approved the budget <script>alert(6)</script>.\nIt also adopted a law."
	first := &snapshot.Snapshot{Items: []snapshot.Item{article}}
	second := &snapshot.Snapshot{Items: []snapshot.Item{edited, planted}}
	page := func(s string) []byte { return []byte("<html><body>" + s + "</body></html>") }
	id1, err := st.Record(ctx, store.CheckRecord{Source: "agency", RunID: "r1", StartedAt: t0, FinishedAt: t0, Status: store.StatusFirst,
		NextCheckAt: t0.Add(time.Hour), Snapshot: &store.NewSnapshot{Content: page("one"), ContentType: "text/html",
			URL: "https://agency.example/", Snapshot: first},
		Events: []store.Event{event(config.EventBaseline, "", monitor.EventData{URL: "https://agency.example/", Items: 1})}})
	if err != nil {
		t.Fatal(err)
	}
	change, _ := diff.CompareItems(article, edited)
	at := t0.Add(time.Hour)
	if _, err := st.Record(ctx, store.CheckRecord{Source: "agency", RunID: "r2", StartedAt: at, FinishedAt: at, Status: store.StatusChanged,
		NextCheckAt: at.Add(time.Hour), PreviousSnapshotID: id1,
		Snapshot: &store.NewSnapshot{Content: page(`two <script>alert(7)</script>`), ContentType: "text/html", URL: "https://agency.example/", Snapshot: second},
		Events: []store.Event{
			event(config.EventChanged, edited.Key(), monitor.EventData{URL: "https://agency.example/", Change: &change}),
			event(config.EventNew, planted.Key(), monitor.EventData{URL: "https://agency.example/", Item: &planted}),
		}}); err != nil {
		t.Fatal(err)
	}
	return st
}

func get(t *testing.T, srv *httptest.Server, path string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// Page text from watched sites never runs: not in a page, a feed or the
// API; a script link is never a link.
func TestPlantedTextNeverRuns(t *testing.T) {
	st := plantedStore(t)
	srv := httptest.NewServer(New(st, Options{}))
	defer srv.Close()
	paths := []string{"/", "/sources/agency", "/search?q=decree", "/feed.atom", "/sources/agency/feed.atom",
		"/items/" + store.ItemID("agency", planted.Key()), "/items/" + store.ItemID("agency", "article article"),
		"/api/events", "/api/sources/agency", "/api/items/" + store.ItemID("agency", planted.Key()) + "/versions"}
	for _, path := range paths {
		code, body, h := get(t, srv, path)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d\n%s", path, code, body)
		}
		switch {
		case strings.HasPrefix(h.Get("Content-Type"), "text/html"):
			inert(t, path, body)
		case strings.HasPrefix(h.Get("Content-Type"), "application/atom+xml"):
			feed, err := (&atom.Parser{}).Parse(strings.NewReader(body))
			if err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
			for _, e := range feed.Entries {
				inert(t, path+" entry "+e.ID, e.Content.Value)
				for _, l := range e.Links {
					safeLink(t, path, l.Href)
				}
			}
		default:
			var v any
			if err := json.Unmarshal([]byte(body), &v); err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
			jsonURLs(t, path, v)
		}
		if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("GET %s: no restrictive Content-Security-Policy", path)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff", path)
		}
	}
	// The texts are there, escaped: shown, not dropped.
	_, item, _ := get(t, srv, "/items/"+store.ItemID("agency", planted.Key()))
	if !strings.Contains(item, "Decree &lt;script&gt;") {
		t.Errorf("the planted title is not shown escaped")
	}
	_, article, _ := get(t, srv, "/items/"+store.ItemID("agency", "article article"))
	if !strings.Contains(article, "<del>adopted</del>") || !strings.Contains(article, "&lt;script&gt;") {
		t.Errorf("the article's diff is not shown, escaped:\n%s", article)
	}
	// The stored page is served as inert text.
	code, body, h := get(t, srv, "/items/"+store.ItemID("agency", planted.Key())+"/page/2")
	if code != http.StatusOK || h.Get("Content-Type") != "text/plain; charset=utf-8" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") ||
		!strings.Contains(body, "<script>alert(7)") {
		t.Errorf("stored page: %d %q %q %q", code, h.Get("Content-Type"), h.Get("Content-Security-Policy"), body)
	}
	// A snapshot of another source is not served under this item.
	if code, _, _ := get(t, srv, "/items/"+store.ItemID("other", "x")+"/page/2"); code != http.StatusNotFound {
		t.Errorf("another source's snapshot: %d, want 404", code)
	}
}

// inert checks that an HTML document or fragment has no script, no event
// handler and no link that is not http(s) or the archive's own.
func inert(t *testing.T, where, doc string) {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	for n := range root.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.DataAtom {
		case atom2.Script, atom2.Iframe, atom2.Object, atom2.Embed, atom2.Svg, atom2.Img:
			t.Errorf("%s: a <%s> element", where, n.Data)
		}
		for _, a := range n.Attr {
			switch k := strings.ToLower(a.Key); {
			case strings.HasPrefix(k, "on"):
				t.Errorf("%s: <%s %s=%q>", where, n.Data, a.Key, a.Val)
			case k == "href" || k == "src" || k == "action" || k == "formaction":
				safeLink(t, where, a.Val)
			}
		}
	}
}

// safeLink checks that a link is the archive's own (a path) or http(s).
func safeLink(t *testing.T, where, link string) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		t.Errorf("%s: link %q", where, link)
	}
}

// jsonURLs checks every "url" in a JSON answer.
func jsonURLs(t *testing.T, where string, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "url" && s != "" {
				if u, err := url.Parse(s); err != nil || u.Scheme != "http" && u.Scheme != "https" {
					t.Errorf("%s: url %q", where, s)
				}
			}
			jsonURLs(t, where, x)
		}
	case []any:
		for _, x := range v {
			jsonURLs(t, where, x)
		}
	}
}

func TestItemIDs(t *testing.T) {
	for _, c := range [][2]string{{"agency", "listing https://a.example/x?y=1&z=/"}, {"名前", "article article"}, {"a b", "\x00"}} {
		src, key, err := store.ParseItemID(store.ItemID(c[0], c[1]))
		if err != nil || src != c[0] || key != c[1] {
			t.Errorf("ItemID round trip of %q: %q %q %v", c, src, key, err)
		}
	}
	for _, bad := range []string{"", "!!", "bm8tbnVsbA"} {
		if _, _, err := store.ParseItemID(bad); !store.IsNotFound(err) {
			t.Errorf("ParseItemID(%q): %v, want not found", bad, err)
		}
	}
}

// The search index finds items by any part of their title or link, in any
// script, keeps up with retitled items, and answers for what it has not
// indexed yet from the store.
func TestSearchIndex(t *testing.T) {
	ctx := context.Background()
	st := plantedStore(t)
	x, err := openSearch(ctx, filepath.Join(t.TempDir(), "search"), st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	find := func(q string) []string {
		t.Helper()
		items, err := x.search(ctx, q, 10)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, it := range items {
			titles = append(titles, it.Title)
		}
		return titles
	}
	// Not indexed yet: the store answers.
	if got := find("plenary"); len(got) != 1 || got[0] != "Plenary Meeting" {
		t.Errorf("before the index caught up: %q", got)
	}
	if n, err := x.catchUp(ctx); err != nil || n != 2 {
		t.Fatalf("caught up %d items, %v; want 2", n, err)
	}
	for q, want := range map[string]int{"plenary": 1, "PLENARY MEET": 1, "decree <scr": 1, "agency.example/a.ht": 1, "nothing like it": 0, "ee": 2} {
		if got := find(q); len(got) != want {
			t.Errorf("search %q: %q, want %d", q, got, want)
		}
	}
	// A retitled item: its new title is found at once, its old one no
	// longer once the index catches up.
	at := t0.Add(2 * time.Hour)
	retitled := snapshot.Item{Kind: snapshot.KindArticle, ID: "article", URL: "https://agency.example/a.html", Title: "Заседание парламента",
		Body: "The meeting approved the budget."}
	change, _ := diff.CompareItems(snapshot.Item{Kind: snapshot.KindArticle, ID: "article", Title: "Plenary Meeting"}, retitled)
	if _, err := st.Record(ctx, store.CheckRecord{Source: "agency", RunID: "r3", StartedAt: at, FinishedAt: at, Status: store.StatusChanged,
		NextCheckAt: at.Add(time.Hour), Snapshot: &store.NewSnapshot{Content: []byte("three"), ContentType: "text/html",
			URL: "https://agency.example/", Snapshot: &snapshot.Snapshot{Items: []snapshot.Item{retitled, planted}}},
		Events: []store.Event{event(config.EventChanged, retitled.Key(), monitor.EventData{Change: &change})}}); err != nil {
		t.Fatal(err)
	}
	if got := find("парламент"); len(got) != 1 {
		t.Errorf("the new title before the index caught up: %q", got)
	}
	if n, err := x.catchUp(ctx); err != nil || n != 1 {
		t.Fatalf("caught up %d, %v; want the retitled item", n, err)
	}
	if got := find("парламент"); len(got) != 1 {
		t.Errorf("the new title: %q", got)
	}
	if got := find("Plenary"); len(got) != 0 {
		t.Errorf("the old title is still found: %q", got)
	}
}

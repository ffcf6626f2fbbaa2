package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pubwatch/pubwatch/store"
)

// FuzzRequests sends the archive requests of any path and query: every
// answer is a page or a clear 4xx, never a server error or a panic, and
// an HTML answer stays inert.
func FuzzRequests(f *testing.F) {
	for _, seed := range []string{
		"/", "/?after=agency", "/search?q=decree", "/search?q=%22%27%3C", "/sources/agency?before=2",
		"/sources/agency?before=-1", "/items/" + store.ItemID("agency", "article article") + "?from=1&to=2",
		"/items/" + store.ItemID("agency", "article article") + "?from=0", "/items/!!/page/1", "/items/YQ/page/abc",
		"/api/events?kind=new,changed&since=2025-12-09T00:00:00Z&cursor=5&limit=3", "/api/events?limit=0",
		"/api/events?since=yesterday", "/api/items/" + store.ItemID("agency", "x") + "/diff", "/feed.atom?before=1",
		"/sources/%00/feed.atom", "/runs", "/api/sources?after=%FF&limit=501",
	} {
		f.Add(seed)
	}
	st := plantedStore(f)
	srv := New(st, Options{})
	f.Fuzz(func(t *testing.T, target string) {
		u, err := url.Parse(target)
		if err != nil || !strings.HasPrefix(u.Path, "/") || strings.Contains(target, "#") {
			return
		}
		req := httptest.NewRequest(http.MethodGet, "http://archive.test/", nil)
		req.URL, req.RequestURI = u, u.RequestURI()
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("GET %s: %d %s", u.RequestURI(), w.Code, w.Body.String())
		}
		if strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			inert(t, u.RequestURI(), w.Body.String())
		}
	})
}

// FuzzItemID: any source and key make an id that names them again.
func FuzzItemID(f *testing.F) {
	f.Add("agency", "listing https://a.example/x")
	f.Add("名前", "\x00")
	f.Fuzz(func(t *testing.T, source, key string) {
		if source == "" || key == "" || strings.Contains(source, "\x00") {
			return
		}
		s, k, err := store.ParseItemID(store.ItemID(source, key))
		if err != nil || s != source || k != key {
			t.Fatalf("round trip of %q %q: %q %q %v", source, key, s, k, err)
		}
	})
}

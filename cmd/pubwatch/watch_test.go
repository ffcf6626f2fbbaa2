package main

import (
	"context"
	"encoding/json"
	"maps"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pubwatch/pubwatch/store"
)

// Followed articles stay watched after they leave the listing, read again
// by their age (the binary's clock set by PUBWATCH_CLOCK): an edit made
// days after an article left the front page is reported, a deletion a
// month later is reported as a deletion, and an outage of the site is
// none.
func TestArticlesWatchedAfterTheListing(t *testing.T) {
	article := func(title, verb string) string {
		return zcArticle(title, paras("welcomed", verb, "praised"))
	}
	pages := map[string]string{
		"/world/": zcListing([2]string{"/world/2025/talks-begin.html", "Talks Begin in the Capital"},
			[2]string{"/world/2025/delegation-arrives.html", "Delegation Arrives for Summit"},
			[2]string{"/world/2025/agreement-signed.html", "Trade Agreement Signed at Last"}),
		"/world/2025/talks-begin.html":        article("Talks Begin in the Capital", "discussed"),
		"/world/2025/delegation-arrives.html": article("Delegation Arrives for Summit", "reviewed"),
		"/world/2025/agreement-signed.html":   article("Trade Agreement Signed at Last", "accepted"),
	}
	clone := func() map[string]string { return maps.Clone(pages) }
	s := newSite(t, pages)
	p := followingProject(t, s)
	base := s.srv.URL + "/world/2025/"
	t0 := time.Date(2025, 12, 17, 10, 0, 0, 0, time.UTC) // the articles say they were published at 08:00
	var summaries []string
	events := func() []string {
		t.Helper()
		var raw struct {
			Sources []struct {
				Status  string                `json:"status"`
				New     []struct{ ID string } `json:"new"`
				Changed []struct {
					ID, Kind, Summary string
					Fields            []string
				} `json:"changed"`
				Removed []struct{ ID, Kind, Reason string } `json:"removed"`
			} `json:"sources"`
		}
		if err := json.Unmarshal([]byte(p.read("reports/latest.json")), &raw); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, src := range raw.Sources {
			for _, it := range src.New {
				got = append(got, "new "+strings.TrimPrefix(it.ID, base))
			}
			for _, it := range src.Changed {
				got = append(got, "changed "+it.Kind+" "+strings.TrimPrefix(it.ID, base)+" "+strings.Join(it.Fields, ","))
				if it.Kind == "article" {
					summaries = append(summaries, it.Summary)
				}
			}
			for _, it := range src.Removed {
				got = append(got, "removed "+it.Kind+" "+strings.TrimPrefix(it.ID, base)+" ("+it.Reason+")")
			}
		}
		sort.Strings(got)
		return got
	}
	check := func(at time.Duration, code int, want ...string) {
		t.Helper()
		p.at(t0.Add(at))
		p.mustRun(code, "check")
		got := events()
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("check at +%v:\n got %q\nwant %q", at, got, want)
		}
	}

	check(0, 0)
	// Two hours on, the delegation story leaves the front page for a new
	// one.
	pages["/world/"] = zcListing([2]string{"/world/2025/new-round.html", "New Round of Talks Announced"},
		[2]string{"/world/2025/talks-begin.html", "Talks Begin in the Capital"},
		[2]string{"/world/2025/agreement-signed.html", "Trade Agreement Signed at Last"})
	pages["/world/2025/new-round.html"] = article("New Round of Talks Announced", "planned")
	s.set(clone())
	check(2*time.Hour, 0, "new new-round.html", "new new-round.html", "removed listing delegation-arrives.html (no longer listed)")
	// Three days on, it is edited: still watched, the edit is news.
	pages["/world/2025/delegation-arrives.html"] = article("Delegation Arrives for Summit", "rejected")
	s.set(clone())
	check(3*24*time.Hour, 0, "changed article delegation-arrives.html body")
	if len(summaries) != 1 || !strings.HasSuffix(summaries[0], "; edited 3 days after publication") {
		t.Errorf("the edit's summary: %q; want its age", summaries)
	}

	// `pubwatch articles` lists the four, one no longer listed, with its
	// two versions.
	out := p.mustRun(0, "articles")
	for _, want := range []string{"delegation-arrives.html", "talks-begin.html", "agreement-signed.html", "new-round.html"} {
		if !strings.Contains(out, want) {
			t.Errorf("articles does not list %s:\n%s", want, out)
		}
	}
	var listed []struct {
		URL      string  `json:"url"`
		Listed   bool    `json:"listed"`
		AgeDays  float64 `json:"age_days"`
		Versions int     `json:"versions"`
	}
	if err := json.Unmarshal([]byte(p.mustRun(0, "articles", "--json")), &listed); err != nil {
		t.Fatal(err)
	}
	for _, a := range listed {
		if strings.HasSuffix(a.URL, "delegation-arrives.html") && (a.Listed || a.Versions != 2 || a.AgeDays < 2.9 || a.AgeDays > 3.1) {
			t.Errorf("the delegation article in articles --json: %+v; want unlisted, 2 versions, 3 days old", a)
		}
	}

	// Ten days on, the whole site is down (503), then answers 404 for
	// every article while its front page still shows: neither is 4
	// deletions.
	down := map[string]string{}
	for k := range pages {
		down[k] = "STATUS 503"
	}
	s.set(down)
	check(10*24*time.Hour, 1)
	broken := map[string]string{"/world/": pages["/world/"]}
	s.set(broken)
	check(10*24*time.Hour+time.Hour, 0)

	// A month on, the delegation article is deleted; the others stand.
	delete(pages, "/world/2025/delegation-arrives.html")
	s.set(clone())
	check(35*24*time.Hour, 0, "removed article delegation-arrives.html (deleted: HTTP 404 Not Found)")
	// And it is watched no more: no second deletion.
	check(70*24*time.Hour, 0)
}

// Between re-reads an article is not fetched: a check of an unchanged
// front page minutes after the last one reads no article, and
// check --articles reads only the articles that are due, not the front
// page.
func TestArticlesReadWhenDue(t *testing.T) {
	s := newSite(t, map[string]string{
		"/world/": zcListing([2]string{"/world/2025/talks-begin.html", "Talks Begin in the Capital"},
			[2]string{"/world/2025/delegation-arrives.html", "Delegation Arrives for Summit"},
			[2]string{"/world/2025/agreement-signed.html", "Trade Agreement Signed at Last"}),
		"/world/2025/talks-begin.html":        zcArticle("Talks Begin in the Capital", paras("welcomed", "discussed", "praised")),
		"/world/2025/delegation-arrives.html": zcArticle("Delegation Arrives for Summit", paras("reviewed", "signed", "noted")),
		"/world/2025/agreement-signed.html":   zcArticle("Trade Agreement Signed at Last", paras("accepted", "approved", "signed")),
	})
	p := followingProject(t, s)
	t0 := time.Date(2025, 12, 1, 8, 0, 0, 0, time.UTC)
	p.at(t0)
	p.mustRun(0, "check")
	articles := func() int { return s.hits("/world/2025/") }
	listing := func() int { return s.hits("/world/") - articles() }
	a0, l0 := articles(), listing()
	p.at(t0.Add(5 * time.Minute))
	p.mustRun(0, "check")
	if a, l := articles()-a0, listing()-l0; a != 0 || l != 1 {
		t.Errorf("a check 5 minutes later read %d articles and the front page %d times; want 0 and 1", a, l)
	}
	next := func() time.Time {
		t.Helper()
		st, err := store.Open(context.Background(), filepath.Join(p.dir, "pubwatch.db"), store.Options{MustExist: true})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		state, err := st.SourceState(context.Background(), "world")
		if err != nil || state == nil {
			t.Fatalf("source state: %v %v", state, err)
		}
		return state.NextCheckAt
	}
	due := next()
	p.at(t0.Add(time.Hour))
	p.mustRun(0, "check", "--articles")
	if a, l := articles()-a0, listing()-l0; a != 3 || l != 1 {
		t.Errorf("check --articles an hour later read %d articles and the front page %d more times; want 3 and none", a, l-1)
	}
	// The listing's own schedule is left as it was.
	if after := next(); !after.Equal(due) {
		t.Errorf("check --articles moved the listing's next check from %v to %v", due, after)
	}
}

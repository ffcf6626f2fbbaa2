package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// A news site with no selectors configured: a section page of cards and
// the article pages they lead to.
func zcListing(items ...[2]string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><title>World | Agency</title></head><body>
<nav class="main-nav"><ul><li><a href="/world/">World</a></li><li><a href="/politics/">Politics</a></li><li><a href="/economy/">Economy</a></li></ul></nav>
<main><h1>World</h1><div class="cards">`)
	for _, it := range items {
		fmt.Fprintf(&b, `<div class="card"><h2><a href="%s">%s</a></h2><span class="date">December 17, 2025</span><p>A short summary of the story for the section page.</p></div>`, it[0], it[1])
	}
	b.WriteString(`</div></main><aside class="sidebar"><h2>Most read</h2><ul><li><a href="/world/2025/old-story-one.html">An Old Story Everyone Still Reads Today</a></li></ul></aside>
<footer><a href="/about/">About us</a></footer></body></html>`)
	return b.String()
}

func zcArticle(title, body string) string {
	return `<!DOCTYPE html><html><head><title>` + title + ` | Agency</title><meta property="og:type" content="article">
<meta property="article:published_time" content="2025-12-17T08:00:00Z"></head><body>
<nav class="main-nav"><a href="/">Home</a></nav><main><article><h1>` + title + `</h1><div class="body">` + body + `</div></article></main>
<aside class="related"><h2>Related</h2><ul><li><a href="/world/2025/other.html">Another Story From the Same Region</a></li></ul></aside></body></html>`
}

func paras(words ...string) string {
	var b strings.Builder
	for i, w := range words {
		fmt.Fprintf(&b, "<p>Paragraph %d of the report says that the delegation %s the agreement after long talks in the capital, and officials described the meeting as constructive and forward looking.</p>", i+1, w)
	}
	return b.String()
}

// followingProject is a project with one zero-config source, the site's
// /world/ section, that follows its articles.
func followingProject(t *testing.T, s *site) *project {
	return newProject(t, `fetch: {host_delay: 0s, retries: 0}
sources:
  - name: world
    url: `+s.srv.URL+`/world/
    follow: true
`)
}

func TestZeroConfigFollow(t *testing.T) {
	rev1 := map[string]string{
		"/world/": zcListing([2]string{"/world/2025/talks-begin.html", "Talks Begin in the Capital"},
			[2]string{"/world/2025/delegation-arrives.html", "Delegation Arrives for Summit"},
			[2]string{"/world/2025/agreement-signed.html", "Trade Agreement Signed at Last"}),
		"/world/2025/talks-begin.html":        zcArticle("Talks Begin in the Capital", paras("welcomed", "discussed", "praised")),
		"/world/2025/delegation-arrives.html": zcArticle("Delegation Arrives for Summit", paras("reviewed", "signed", "noted")),
		"/world/2025/agreement-signed.html":   zcArticle("Trade Agreement Signed at Last", paras("accepted", "approved", "signed")),
	}
	s := newSite(t, rev1)
	p := followingProject(t, s)
	t0 := time.Now().UTC()
	p.at(t0)
	p.mustRun(0, "check")
	r := p.report()
	if src := r.Sources[0]; src.Status != "first" || src.Items != 6 {
		t.Fatalf("baseline: %s with %d items, want first with 3 listed items and their 3 articles", src.Status, src.Items)
	}

	// Revision 2: one article edited by a word, one deleted while still
	// listed, one item dropped from the listing, one added.
	rev2 := map[string]string{
		"/world/": zcListing([2]string{"/world/2025/new-talks.html", "New Round of Talks Announced"},
			[2]string{"/world/2025/talks-begin.html", "Talks Begin in the Capital"},
			[2]string{"/world/2025/delegation-arrives.html", "Delegation Arrives for Summit"}),
		"/world/2025/talks-begin.html":      zcArticle("Talks Begin in the Capital", paras("welcomed", "rejected", "praised")),
		"/world/2025/new-talks.html":        zcArticle("New Round of Talks Announced", paras("planned", "expected", "hoped")),
		"/world/2025/agreement-signed.html": rev1["/world/2025/agreement-signed.html"],
	}
	s.set(rev2)
	p.at(t0.Add(time.Hour)) // the articles are due again
	p.mustRun(0, "check")
	r = p.report()
	base := s.srv.URL + "/world/2025/"
	var got []string
	src := r.Sources[0]
	for _, it := range src.New {
		got = append(got, "new "+it.ID)
	}
	for _, it := range src.Changed {
		got = append(got, "changed "+it.ID+" "+strings.Join(it.Fields, ","))
	}
	var raw struct {
		Sources []struct {
			Removed []struct{ ID, Kind, Reason string } `json:"removed"`
		} `json:"sources"`
	}
	if err := jsonUnmarshal(p.read("reports/latest.json"), &raw); err != nil {
		t.Fatal(err)
	}
	for _, it := range raw.Sources[0].Removed {
		got = append(got, "removed "+it.Kind+" "+it.ID+" ("+it.Reason+")")
	}
	sort.Strings(got)
	want := []string{
		"changed " + base + "talks-begin.html body",
		"new " + base + "new-talks.html",
		"new " + base + "new-talks.html",
		"removed article " + base + "delegation-arrives.html (deleted: HTTP 404 Not Found)",
		"removed listing " + base + "agreement-signed.html (no longer listed)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events:\n got %q\nwant %q", got, want)
	}
	body := src.Changed[0].Diffs["body"]
	var ins []string
	for _, op := range body {
		if op["op"] == "insert" {
			ins = append(ins, op["text"])
		}
	}
	if !reflect.DeepEqual(ins, []string{"rejected"}) {
		t.Errorf("the article edit shows as %q, want the one word", ins)
	}

	// Nothing changes: the listing's bytes are the same, the articles are
	// read again and found the same.
	p.at(t0.Add(3 * time.Hour))
	p.mustRun(0, "check")
	if st := p.report().Sources[0].Status; st != "unchanged" {
		t.Errorf("third check: %s, want unchanged", st)
	}
}

// The offline example, with no selectors at all.
func TestZeroConfigExample(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, "../../examples/site", filepath.Join(dir, "site"))
	p := &project{t: t, dir: dir}
	p.write("pubwatch.yaml", `sources:
  - {name: politics, file: site/news/politics.html, base_url: "https://news.example.org/news/politics.html"}
  - {name: plenary, file: site/news/2025/12/17/plenary-meeting.html, base_url: "https://news.example.org/news/2025/12/17/plenary-meeting.html"}
`)
	p.mustRun(0, "check")
	r := p.report()
	if r.Sources[0].Items != 4 || r.Sources[1].Items != 5 {
		t.Fatalf("baseline items: %d and %d, want the 4 teasers and the article with its 4 More From items", r.Sources[0].Items, r.Sources[1].Items)
	}
	edit := func(rel, old, new string) {
		path := filepath.Join(dir, rel)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s has no %q", rel, old)
		}
		if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("site/news/politics.html", "Meeting Marks Anniversary of Founding", "Meeting Marks 80th Anniversary of Founding")
	edit("site/news/2025/12/17/plenary-meeting.html", "protection of cultural heritage", "protection of cultural and natural heritage")
	edit("site/news/2025/12/17/plenary-meeting.html", `<li><a href="/news/2025/12/13/letter-of-thanks.html">Letter of Thanks Sent to Workers</a> <span class="date">December 13, 2025</span></li>`, "")
	p.mustRun(0, "check")
	r = p.report()
	var got []string
	for _, s := range r.Sources {
		for _, it := range s.Changed {
			got = append(got, s.Name+" changed "+it.Title+" "+strings.Join(it.Fields, ","))
		}
		for _, it := range s.Removed {
			got = append(got, s.Name+" removed "+it.Title)
		}
		for _, it := range s.New {
			got = append(got, s.Name+" new "+it.Title)
		}
	}
	sort.Strings(got)
	want := []string{
		"plenary changed Supreme Assembly Holds Plenary Meeting body",
		"plenary removed Letter of Thanks Sent to Workers",
		"politics changed Meeting Marks 80th Anniversary of Founding title",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events:\n got %q\nwant %q", got, want)
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A new press office's page holds two links and a line of text: neither
// an article nor a listing. Zero-config watches its text, says so, and
// reports its edits; inspect says the same. A listing page that turns into
// such a page is broken, not a new baseline.
func TestZeroConfigWatchesPageText(t *testing.T) {
	office := func(notice string) string {
		return `<!DOCTYPE html><html><head><title>Press Office | Ministry</title></head><body><main><h1>Press Office</h1>
<p>` + notice + `</p><ul><li><a href="/press/contacts.html">Contacts</a></li><li><a href="/press/accreditation.html">Accreditation</a></li></ul></main></body></html>`
	}
	s := newSite(t, map[string]string{
		"/press/": office("The press office opens on 5 January 2026."),
		"/world/": zcListing([2]string{"/world/a.html", "Talks Begin in the Capital"}, [2]string{"/world/b.html", "Delegation Arrives for Summit"},
			[2]string{"/world/c.html", "Trade Agreement Signed at Last"}, [2]string{"/world/d.html", "Harbour Bridge Opens to Traffic"}),
	})
	p := newProject(t, `fetch: {host_delay: 0s, retries: 0}
sources:
  - {name: press, url: "`+s.srv.URL+`/press/"}
  - {name: world, url: "`+s.srv.URL+`/world/"}
`)
	out := p.mustRun(0, "check")
	if !strings.Contains(out, "its text is watched, as with kind: page") {
		t.Errorf("check does not say the page's text is watched:\n%s", out)
	}
	r := p.report()
	if src := r.Sources[0]; src.Status != "first" || src.Items != 1 || !strings.Contains(src.Reason, "text is watched") {
		t.Fatalf("press baseline: %+v", src)
	}
	insp := p.mustRun(0, "inspect", s.srv.URL+"/press/")
	if !strings.HasPrefix(insp, "kind: page\n") || !strings.Contains(insp, "opens on 5 January 2026") {
		t.Errorf("inspect:\n%s", insp)
	}

	// The notice is edited; the section page loses its list.
	s.set(map[string]string{
		"/press/": office("The press office opens on 12 January 2026, a week later than announced."),
		"/world/": `<!DOCTYPE html><html><head><title>World | Agency</title></head><body><main><h1>World</h1><p>Nothing here yet.</p><a href="/">Home</a></main></body></html>`,
	})
	p.mustRun(1, "check")
	r = p.report()
	press, world := r.Sources[0], r.Sources[1]
	if press.Status != "changed" || len(press.Changed) != 1 || !reflect.DeepEqual(press.Changed[0].Fields, []string{"body"}) {
		t.Fatalf("press edit: %+v", press)
	}
	if ins := press.Changed[0].Diffs["body"]; !strings.Contains(fmt.Sprint(ins), "12") {
		t.Errorf("press diff: %v", ins)
	}
	if world.Status != "error" || !strings.Contains(world.Error, "neither an article nor a listing any more (the last good check had 4 items)") {
		t.Fatalf("a listing page without its list: %+v", world)
	}
}

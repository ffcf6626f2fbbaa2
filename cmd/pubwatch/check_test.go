package main

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestCheckRevisions(t *testing.T) {
	s := newSite(t, revision1())
	p := newProject(t, siteConfig(s.srv.URL))
	base := s.srv.URL

	// Revision 1: every source is a baseline; nothing is called new.
	p.mustRun(0, "check")
	r := p.report()
	wantItems := map[string]int{"politics": 3, "plenary": 3, "flaky": 1}
	for _, src := range r.Sources {
		if src.Status != "first" || src.Items != wantItems[src.Name] || len(src.New)+len(src.Changed)+len(src.Removed) != 0 {
			t.Errorf("revision 1, %s: status %s, %d items, %d/%d/%d events; want first, %d items, no events",
				src.Name, src.Status, src.Items, len(src.New), len(src.Changed), len(src.Removed), wantItems[src.Name])
		}
	}
	flakyBaseline := r.Sources[2].SnapshotID

	// The same bytes again: unchanged, and no new snapshot stored.
	p.mustRun(0, "check")
	for _, src := range p.report().Sources {
		if src.Status != "unchanged" {
			t.Errorf("repeat check, %s: status %s, want unchanged", src.Name, src.Status)
		}
	}
	var snaps []map[string]any
	if err := json.Unmarshal([]byte(p.mustRun(0, "history", "politics", "--json")), &snaps); err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 1 {
		t.Errorf("after an unchanged check politics has %d snapshots, want 1", len(snaps))
	}
	var checks []map[string]any
	if err := json.Unmarshal([]byte(p.mustRun(0, "history", "politics", "--checks", "--json")), &checks); err != nil {
		t.Fatal(err)
	}
	if len(checks) != 2 || checks[0]["status"] != "unchanged" || checks[0]["snapshot_id"] != snaps[0]["id"] {
		t.Errorf("checks of politics = %v; want 2, the newest unchanged and confirming snapshot %v", checks, snaps[0]["id"])
	}
	// Each check names the process that made it: host and process id.
	for _, c := range checks {
		if w, _ := c["worker"].(string); !regexp.MustCompile(`^.+:[0-9]+$`).MatchString(w) {
			t.Errorf("check %v: worker %q, want host:pid", c["id"], w)
		}
	}
	if checks[0]["worker"] == checks[1]["worker"] {
		t.Errorf("two processes' checks name the same worker %v", checks[0]["worker"])
	}

	// Revision 2: new, changed and removed items; flaky fails (exit 1)
	// while the others are still checked.
	s.set(revision2())
	out := p.mustRun(1, "check")
	if !strings.Contains(out, "flaky") || !strings.Contains(out, "HTTP 500") {
		t.Errorf("check output does not name the failing source and its error:\n%s", out)
	}
	r = p.report()
	type event struct{ ID, Title string }
	got := map[string][]event{}
	for _, src := range r.Sources {
		for _, it := range src.New {
			got[src.Name+" new"] = append(got[src.Name+" new"], event{it.ID, it.Title})
		}
		for _, it := range src.Changed {
			got[src.Name+" changed"] = append(got[src.Name+" changed"], event{it.ID, it.Title + " " + strings.Join(it.Fields, ",")})
		}
		for _, it := range src.Removed {
			got[src.Name+" removed"] = append(got[src.Name+" removed"], event{it.ID, it.Title})
		}
	}
	want := map[string][]event{
		"politics new": {
			{base + "/news/d.html", `New <script>alert("x")</script> Decree Issued`},
			{"title:link that runs code", "Link That Runs Code"},
		},
		"politics changed": {
			{base + "/news/a.html", "Delegation Arrives for Talks title"},
			{base + "/news/c.html", "Anniversary Meeting Held date"},
		},
		"politics removed": {{base + "/news/b.html", "Trade Agreement Signed"}},
		"plenary new":      {{base + "/news/d.html", "New Decree Issued"}},
		"plenary changed": {
			{"article", "Supreme Assembly Holds Plenary Meeting body"},
			{base + "/news/a.html", "Delegation Arrives for Talks title"},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("revision 2 events:\n got %v\nwant %v", got, want)
	}
	flaky := r.Sources[2]
	if flaky.Status != "error" || !strings.Contains(flaky.Error, "500") {
		t.Errorf("flaky: status %q error %q; want error naming HTTP 500", flaky.Status, flaky.Error)
	}
	body := r.Sources[1].Changed[0].Diffs["body"]
	var ins, del []string
	for _, op := range body {
		switch op["op"] {
		case "insert":
			ins = append(ins, op["text"])
		case "delete":
			del = append(del, op["text"])
		}
	}
	if !reflect.DeepEqual(ins, []string{"approved"}) || !reflect.DeepEqual(del, []string{"adopted"}) {
		t.Errorf("body diff inserts %q deletes %q; want the one word", ins, del)
	}
	golden(t, "revision2.md", normalize(p.read("reports/latest.md")))
	golden(t, "revision2.html", normalize(p.read("reports/latest.html")))

	// Revision 3: flaky is back with one more item; it is compared with
	// its last good snapshot, not with the failure.
	rev3 := revision2()
	rev3["/flaky/"] = listingPage(
		teaser("/flaky/1.html", "Flaky One", "December 1, 2025", "One."),
		teaser("/flaky/2.html", "Flaky Two", "December 2, 2025", "Two."))
	s.set(rev3)
	p.mustRun(0, "check")
	r = p.report()
	flaky = r.Sources[2]
	if flaky.Status != "changed" || flaky.PreviousSnapshotID != flakyBaseline || len(flaky.New) != 1 ||
		flaky.New[0].ID != base+"/flaky/2.html" || len(flaky.Removed) != 0 {
		t.Errorf("flaky after recovery: %+v; want changed against snapshot %d with one new item", flaky, flakyBaseline)
	}
	for _, src := range r.Sources[:2] {
		if src.Status != "unchanged" {
			t.Errorf("revision 3, %s: status %s, want unchanged", src.Name, src.Status)
		}
	}

	// diff shows any two stored snapshots; by default the last two.
	md := p.mustRun(0, "diff", "politics")
	for _, w := range []string{"### New", "### Changed", "### Removed", "Trade Agreement Signed", "~~Leaves~~**Arrives**"} {
		if !strings.Contains(md, w) {
			t.Errorf("diff politics: output lacks %q:\n%s", w, md)
		}
	}
	stats := p.mustRun(0, "stats", "--sources")
	for _, want := range []string{"sources:   3", "checks:    12", "contents:", "politics"} {
		if !strings.Contains(stats, want) {
			t.Errorf("stats output lacks %q:\n%s", want, stats)
		}
	}
	// Prune to the last snapshot of each source: baselines stay, and the
	// next check still compares with them.
	if out := p.mustRun(0, "prune", "--keep-last", "1", "--vacuum"); !strings.Contains(out, "pruned 3 snapshots") {
		t.Errorf("prune: %s", out)
	}
	p.mustRun(0, "check")
	for _, src := range p.report().Sources {
		if src.Status != "unchanged" {
			t.Errorf("after prune, %s: %s %s", src.Name, src.Status, src.Error)
		}
	}
	if _, _, code := p.run("prune"); code != 2 {
		t.Errorf("prune without a limit: exit %d, want 2", code)
	}
	index := p.read("reports/index.html")
	if n := strings.Count(index, "/report.html\""); n != 5 {
		t.Errorf("index.html links %d runs, want 5", n)
	}
}

// autolinkRE matches the report's own <http://…> links to sources.
var autolinkRE = regexp.MustCompile(`<https?://[^<>\s]*>|(?m)^<details><summary>|</summary>$|^</details>$`)

func TestReportsAreInert(t *testing.T) {
	s := newSite(t, revision1())
	p := newProject(t, siteConfig(s.srv.URL))
	p.mustRun(0, "check")
	s.set(revision2())
	p.mustRun(1, "check")

	html := p.read("reports/latest.html")
	for _, bad := range []string{"<script", "onerror=", "onclick=", "javascript:", "<img", "<b "} {
		if strings.Contains(strings.ToLower(html), bad) {
			t.Errorf("HTML report carries %q from the page", bad)
		}
	}
	if !strings.Contains(html, "New &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Decree Issued") {
		t.Errorf("HTML report does not show the escaped title")
	}
	md := p.read("reports/latest.md")
	// In Markdown a backslash makes the next character literal; an
	// unescaped "<" could open HTML.
	if m := regexp.MustCompile(`(^|[^\\])<[a-zA-Z/!]`).FindString(autolinkRE.ReplaceAllString(md, "")); m != "" {
		t.Errorf("Markdown report has unescaped markup %q", m)
	}
	if strings.Contains(md, "javascript:") {
		t.Errorf("Markdown report carries a javascript: link")
	}
	if !strings.Contains(md, `New \<script\>alert("x")\</script\> Decree Issued`) {
		t.Errorf("Markdown report does not show the escaped title:\n%s", md)
	}
	r := p.report()
	for _, it := range r.Sources[0].New {
		if it.Title == "Link That Runs Code" && it.URL != "" {
			t.Errorf("JSON report keeps the javascript: link as url %q", it.URL)
		}
	}
}

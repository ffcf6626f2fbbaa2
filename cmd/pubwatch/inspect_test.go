package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

type inspectJSON struct {
	Kind    string `json:"kind"`
	Article *struct {
		Title, Byline, Date, Body string
	} `json:"article"`
	Listings []struct {
		Selector struct{ Items, Title, Link, Date, Summary string } `json:"selector"`
		Items    []struct{ Title, URL, Date, Summary string }       `json:"items"`
	} `json:"listings"`
}

func inspectAs(t *testing.T, args ...string) inspectJSON {
	t.Helper()
	p := &project{t: t, dir: t.TempDir()}
	out := p.mustRun(0, append([]string{"inspect", "--json"}, args...)...)
	var in inspectJSON
	if err := json.Unmarshal([]byte(out), &in); err != nil {
		t.Fatalf("inspect --json: %v\n%s", err, out)
	}
	return in
}

func TestInspectExamplePages(t *testing.T) {
	abs := func(rel string) string {
		a, err := filepath.Abs(rel)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	in := inspectAs(t, abs("../../examples/site/news/2025/12/17/plenary-meeting.html"))
	if in.Kind != "both" || in.Article == nil || in.Article.Title != "Supreme Assembly Holds Plenary Meeting" || in.Article.Date != "2025-12-17" {
		t.Errorf("article page: %+v", in)
	}
	if len(in.Listings) == 0 || len(in.Listings[0].Items) != 4 || in.Listings[0].Items[0].Title != "Government Delegation Returns Home" {
		t.Errorf("More From list: %+v", in.Listings)
	}
	in = inspectAs(t, abs("../../examples/site/news/politics.html"))
	if in.Kind != "listing" || len(in.Listings[0].Items) != 4 || in.Listings[0].Selector.Items != "li.teaser" {
		t.Errorf("section page: %+v", in)
	}
}

// A saved page of a real layout (the labelled set's WordPress blog index)
// and a URL served by a test server.
func TestInspectURLAndYAML(t *testing.T) {
	s := newSite(t, map[string]string{"/world/": zcListing(
		[2]string{"/world/2025/one-story-here.html", "First Story of the Day"},
		[2]string{"/world/2025/two-story-here.html", "Second Story of the Day"},
		[2]string{"/world/2025/three-story-here.html", "Third Story of the Day"})})
	in := inspectAs(t, s.srv.URL+"/world/")
	if in.Kind != "listing" || len(in.Listings) == 0 || len(in.Listings[0].Items) != 3 || in.Listings[0].Items[2].URL != s.srv.URL+"/world/2025/three-story-here.html" {
		t.Fatalf("inspect URL: %+v", in)
	}
	p := &project{t: t, dir: t.TempDir()}
	out := p.mustRun(0, "inspect", "--yaml", s.srv.URL+"/world/")
	var srcs []map[string]any
	if err := yaml.Unmarshal([]byte(out), &srcs); err != nil {
		t.Fatalf("--yaml output does not parse: %v\n%s", err, out)
	}
	// The pinned block is a valid config that finds the same items.
	p.write("pubwatch.yaml", "fetch: {host_delay: 0s}\nsources:\n"+indent(out))
	p.mustRun(0, "check")
	if r := p.report(); r.Sources[0].Items != 3 {
		t.Errorf("the pinned selectors find %d items, want 3:\n%s", r.Sources[0].Items, out)
	}
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n") + "\n"
}

// Share buttons beside an article are shown as a candidate, and the kind
// is what a zero-config source tracks: the article alone.
func TestInspectArticleWithShareLinks(t *testing.T) {
	prose := strings.Repeat("The assembly adopted the budget for the coming year after a long debate in the chamber. ", 20)
	page := `<html><head><title>Budget adopted</title><meta property="og:type" content="article"></head><body><article><h1>Budget adopted</h1><p>` + prose +
		`</p><p><a href="https://www.facebook.com/agency">Facebook</a> <a href="https://twitter.com/agency">Twitter</a> <a href="https://instagram.com/agency">Instagram</a></p></article></body></html>`
	file := filepath.Join(t.TempDir(), "budget-adopted-by-the-assembly.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	in := inspectAs(t, file)
	if in.Kind != "article" || in.Article == nil || !strings.Contains(in.Article.Body, "adopted the budget") {
		t.Errorf("article with share links: %+v", in)
	}
	if len(in.Listings) == 0 || in.Listings[0].Items[0].Title != "Facebook" {
		t.Errorf("the share links are not shown as a candidate: %+v", in.Listings)
	}
}

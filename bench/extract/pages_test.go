package main

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A folder of saved pages is scored page by page: an article read whole,
// with its headline and day, scores 1; a page read as a listing counts
// as not read as an article, with nothing of its text; a page saved
// gzipped is read like one saved plain.
func TestSavedPages(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "html"), 0o755); err != nil {
		t.Fatal(err)
	}
	var paras []string
	for i := range 6 {
		paras = append(paras, fmt.Sprintf("The harbour authority opened tender number %d for the new quay on Tuesday, with bids due before the end of the month and the works to start next spring in the northern basin.", i))
	}
	article := `<html><head><title>Harbour authority opens tender | Agency</title>` +
		`<link rel="canonical" href="https://agency.example.org/news/2025/12/09/harbour-authority-opens-tender.html">` +
		`<meta property="article:published_time" content="2025-12-09T10:00:00Z"></head><body>` +
		`<article><h1>Harbour authority opens tender</h1><p>` + strings.Join(paras, "</p><p>") + `</p></article></body></html>`
	var teasers strings.Builder
	for i := range 30 {
		fmt.Fprintf(&teasers, `<li><h3><a href="/news/2025/12/%02d/delegation-returns-%d.html">Delegation returns from the harvest festival %d</a></h3><time>2025-12-%02d</time></li>`, i%28+1, i, i, i%28+1)
	}
	listing := `<html><head><title>News | Agency</title><link rel="canonical" href="https://agency.example.org/news/"></head><body><main><h1>News</h1><ul>` + teasers.String() + `</ul></main></body></html>`
	if err := os.WriteFile(filepath.Join(dir, "html", "article.html"), []byte(article), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "html", "front.html.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	zw.Write([]byte(listing))
	zw.Close()
	f.Close()
	truth := map[string]savedTruth{
		"article": {ArticleBody: strings.Join(paras, "\n"), Title: "Harbour authority opens tender", Date: "2025-12-09"},
		"front":   {ArticleBody: "The agency's front page has an article: " + strings.Join(paras[:2], " "), Title: "News"},
	}
	b, _ := json.Marshal(truth)
	if err := os.WriteFile(filepath.Join(dir, "ground-truth.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}

	fromFile := readerNamed("pubwatch from a file")
	pubwatch := fileReader{"pubwatch", func(file string, page []byte) (reading, string, error) {
		got := fromFile(page, nil)
		if got.text == "" {
			return got, "listing", nil
		}
		return got, "article", nil
	}}
	res, err := savedPages(dir, append([]fileReader{pubwatch}, baselineReaders()...), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 {
		t.Fatalf("%d results", len(res))
	}
	pw := res[0]
	// The article scores 1, the front page 0: the mean of the two.
	if pw.bodies.Precision != 1 || pw.bodies.Recall != 0.5 {
		t.Errorf("bodies %+v, want precision 1 (the front page gave no text) and recall 0.5", pw.bodies)
	}
	if pw.meta.titles != 2 || pw.meta.titlesRight != 1 || pw.meta.dates != 1 || pw.meta.datesRight != 1 {
		t.Errorf("titles %d of %d, dates %d of %d; want 1 of 2 and 1 of 1", pw.meta.titlesRight, pw.meta.titles, pw.meta.datesRight, pw.meta.dates)
	}
	if pw.notArticle["listing"] != 1 || len(pw.notArticle) != 1 {
		t.Errorf("not read as articles: %v, want the front page as a listing", pw.notArticle)
	}
	for _, b := range res[1:] {
		if len(b.notArticle) != 0 || b.bodies.Precision >= 1 {
			t.Errorf("%s: %+v, not read as articles %v; want every page read, the front page's teasers too", b.name, b.bodies, b.notArticle)
		}
	}
}

// A page that breaks a reader (inspect failing on it) scores nothing for
// that reader and is counted as an error; the other pages are still read.
func TestSavedPagesReaderError(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "html"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b"} {
		if err := os.WriteFile(filepath.Join(dir, "html", id+".html"), []byte("<p>The council met on Tuesday.</p>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := json.Marshal(map[string]savedTruth{"a": {ArticleBody: "The council met on Tuesday."}, "b": {ArticleBody: "The council met on Tuesday."}})
	if err := os.WriteFile(filepath.Join(dir, "ground-truth.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	flaky := fileReader{"flaky", func(file string, page []byte) (reading, string, error) {
		if strings.HasSuffix(file, "a.html") {
			return reading{}, "", fmt.Errorf("%s: exit status 2", file)
		}
		return reading{text: string(page[3 : len(page)-4])}, "article", nil
	}}
	res, err := savedPages(dir, []fileReader{flaky}, false)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].notArticle["error"] != 1 || res[0].bodies.Recall != 0.5 {
		t.Errorf("not read as articles %v, bodies %+v; want one error and the other page read whole", res[0].notArticle, res[0].bodies)
	}
}

// A date in the truth is a day, or a time in RFC 3339.
func TestDayOfText(t *testing.T) {
	for in, want := range map[string]string{
		"2025-12-09":                "2025-12-09",
		"2025-12-09T23:30:00-05:00": "2025-12-10",
		"2025-12-09 10:00":          "2025-12-09",
		"December 9, 2025":          "",
		"":                          "",
	} {
		if got := dayOfText(in); got != want {
			t.Errorf("dayOfText(%q) = %q, want %q", in, got, want)
		}
	}
}

package main

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"
	"github.com/markusmobius/go-trafilatura"

	"github.com/pubwatch/pubwatch/bench/internal/score"
	"github.com/pubwatch/pubwatch/snapshot"
)

// reading is what one extractor makes of one page: its main text, title,
// author and publication day ("" where it gives none).
type reading struct {
	text, title, author, day string
}

// reader is one way of reading a page, scored beside the others.
type reader struct {
	name string
	read func(page []byte, base *url.URL) reading
}

// readers are pubwatch (as an article source reads a page, and as a
// zero-config source does: nothing when it takes the page for a listing)
// and the two extractors it is made of, each alone.
var readers = []reader{
	{"pubwatch", func(page []byte, base *url.URL) reading {
		art, err := snapshot.AutoArticle(page, "text/html", base)
		if err != nil {
			return reading{}
		}
		return reading{text: art.Body, title: art.Title, author: art.Byline, day: dayOf(art.Published)}
	}},
	{"pubwatch zero-config", zeroConfig},
	{"pubwatch from a file", func(page []byte, _ *url.URL) reading {
		// As `pubwatch inspect FILE` reads a saved page: at a file's
		// address, which says nothing of the page's own.
		return zeroConfig(page, &url.URL{Scheme: "file", Path: "/saved/page.html"})
	}},
	{"go-trafilatura alone", func(page []byte, base *url.URL) reading {
		r, err := trafilatura.Extract(bytes.NewReader(page), trafilatura.Options{OriginalURL: base, ExcludeComments: true})
		if err != nil {
			return reading{}
		}
		return reading{text: r.ContentText, title: r.Metadata.Title, author: r.Metadata.Author, day: dayOf(r.Metadata.Date)}
	}},
	{"go-readability alone", func(page []byte, base *url.URL) reading {
		a, err := readability.FromReader(bytes.NewReader(page), base)
		if err != nil {
			return reading{}
		}
		var sb strings.Builder
		a.RenderText(&sb)
		day := ""
		if t, err := a.PublishedTime(); err == nil {
			day = dayOf(t)
		}
		return reading{text: sb.String(), title: a.Title(), author: a.Byline(), day: day}
	}},
}

// zeroConfig reads a page as a source without selectors does: nothing
// when it takes the page for a listing.
func zeroConfig(page []byte, base *url.URL) reading {
	snap, err := snapshot.Extract(page, "text/html", base, snapshot.Rules{AutoArticle: true, AutoListing: true})
	if err != nil || len(snap.Items) == 0 || snap.Items[0].Kind != snapshot.KindArticle {
		return reading{}
	}
	it := snap.Items[0]
	return reading{text: it.Body, title: it.Title, day: it.Published}
}

func dayOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// folded is s with every run of white space one space, trimmed: how both
// sets compare texts.
func folded(s string) string { return strings.Join(strings.Fields(s), " ") }

// metaScore counts a reader's titles, authors and dates.
type metaScore struct {
	titles, titlesRight, authors, authorsRight, dates, datesRight int
	// given counts the pages the reader named an author on: none for a
	// zero-config source, whose items have no byline.
	given int
}

func (m *metaScore) add(want, got reading) {
	if want.title != "" {
		m.titles++
		if folded(got.title) == folded(want.title) {
			m.titlesRight++
		}
	}
	if got.author != "" {
		m.given++
	}
	if want.author != "" {
		m.authors++
		if strings.EqualFold(folded(got.author), folded(want.author)) {
			m.authorsRight++
		}
	}
	if want.day != "" {
		m.dates++
		if got.day == want.day {
			m.datesRight++
		}
	}
}

func share(n, of int) float64 { return float64(n) / float64(max(of, 1)) }

func (m metaScore) String() string {
	authors := "  -  "
	if m.given > 0 {
		authors = fmt.Sprintf("%.3f", share(m.authorsRight, m.authors))
	}
	return fmt.Sprintf("titles %.3f  authors %s  dates %.3f", share(m.titlesRight, m.titles), authors, share(m.datesRight, m.dates))
}

// snippetScore counts a reader's snippets on the trafilatura set.
type snippetScore struct{ tp, fp, fn, tn int }

func (s snippetScore) precision() float64 { return share(s.tp, s.tp+s.fp) }
func (s snippetScore) recall() float64    { return share(s.tp, s.tp+s.fn) }
func (s snippetScore) f1() float64        { return share(2*s.tp, 2*s.tp+s.fp+s.fn) }

type evalPage struct {
	File    string   `json:"file"`
	With    []string `json:"with"`
	Without []string `json:"without"`
	Title   string   `json:"title"`
	Author  any      `json:"author"` // a string, or a list of them
	Date    string   `json:"date"`
}

// setResult is one reader's outcome on a set.
type setResult struct {
	name     string
	snippets snippetScore
	meta     metaScore
	// empty counts the pages it read nothing from.
	empty int
	took  time.Duration
}

// resultOf is the named reader's result.
func resultOf(rs []setResult, name string) setResult {
	for _, r := range rs {
		if r.name == name {
			return r
		}
	}
	panic("no reader " + name)
}

// trafilaturaSet scores every reader on the trafilatura project's 990
// evaluation pages, as that project does: a page's "with" snippets found
// in the text are true positives, missing ones false negatives; its
// "without" snippets found are false positives (white space folded in
// both). Titles, authors and dates are compared where the page has them.
func trafilaturaSet(dir string, verbose bool) ([]setResult, error) {
	var eval map[string]evalPage
	if err := readJSON(filepath.Join(dir, "evaldata.json"), &eval); err != nil {
		return nil, err
	}
	urls := make([]string, 0, len(eval))
	for u := range eval {
		urls = append(urls, u)
	}
	sort.Strings(urls)
	pages := make(map[string][]byte, len(urls))
	for _, u := range urls {
		b, err := readGzip(filepath.Join(dir, "html", eval[u].File+".gz"))
		if err != nil {
			return nil, err
		}
		pages[u] = b
	}
	var out []setResult
	for _, r := range readers {
		res := setResult{name: r.name}
		start := time.Now()
		for _, u := range urls {
			p := eval[u]
			base, _ := url.Parse(u)
			got := r.read(pages[u], base)
			text := folded(got.text)
			if text == "" {
				res.empty++
				if verbose {
					fmt.Printf("trafilatura nothing (%s) %s\n", r.name, u)
				}
			}
			var pageMiss []string
			for _, s := range p.With {
				if s = folded(s); s == "" {
					continue
				}
				if strings.Contains(text, s) {
					res.snippets.tp++
				} else {
					res.snippets.fn++
					pageMiss = append(pageMiss, "missing "+s)
				}
			}
			for _, s := range p.Without {
				if s = folded(s); s == "" {
					continue
				}
				if strings.Contains(text, s) {
					res.snippets.fp++
					pageMiss = append(pageMiss, "kept "+s)
				} else {
					res.snippets.tn++
				}
			}
			author, _ := p.Author.(string)
			res.meta.add(reading{title: p.Title, author: author, day: p.Date}, got)
			if verbose && r.name == "pubwatch" && len(pageMiss) > 0 {
				fmt.Printf("trafilatura %-60.60s %s\n", u, strings.Join(pageMiss, "; "))
			}
			if verbose && r.name == "pubwatch" && p.Title != "" && folded(got.title) != folded(p.Title) {
				fmt.Printf("trafilatura title %-60.60s got %q want %q\n", u, got.title, p.Title)
			}
		}
		res.took = time.Since(start)
		out = append(out, res)
	}
	fmt.Printf("\ntrafilatura evaluation set (%d pages, scored as that project does):\n", len(urls))
	for _, r := range out {
		fmt.Printf("  %-22s snippets P %.3f  R %.3f  F1 %.3f  (%d pages read as nothing)  %s  %.0f pages/s\n",
			r.name, r.snippets.precision(), r.snippets.recall(), r.snippets.f1(), r.empty, r.meta, float64(len(urls))/r.took.Seconds())
	}
	return out, nil
}

type postlightPage struct {
	URL    string `json:"url"`
	Title  string `json:"title"`
	Author string `json:"author"`
	Date   string `json:"date_published"`
}

// postlightSet scores every reader's titles, authors and dates on the
// Postlight parser's fixtures, against what its tests expect (dates by
// calendar day in UTC).
func postlightSet(dir string, verbose bool) ([]setResult, error) {
	var want map[string]postlightPage
	if err := readJSON(filepath.Join(dir, "expected.json"), &want); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(want))
	for n := range want {
		if _, err := os.Stat(filepath.Join(dir, "html", n+".gz")); err == nil {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var out []setResult
	for _, r := range readers {
		res := setResult{name: r.name}
		start := time.Now()
		for _, n := range names {
			page, err := readGzip(filepath.Join(dir, "html", n+".gz"))
			if err != nil {
				return nil, err
			}
			w := want[n]
			base, _ := url.Parse(w.URL)
			got := r.read(page, base)
			day := ""
			if t, err := time.Parse(time.RFC3339, w.Date); err == nil {
				day = dayOf(t)
			}
			res.meta.add(reading{title: w.Title, author: w.Author, day: day}, got)
			if verbose && r.name == "pubwatch" && w.Title != "" && folded(got.title) != folded(w.Title) {
				fmt.Printf("postlight title %-30s got %q want %q\n", n, got.title, w.Title)
			}
			if verbose && r.name == "pubwatch" && day != "" && got.day != day {
				fmt.Printf("postlight date  %-30s got %q want %q\n", n, got.day, day)
			}
		}
		res.took = time.Since(start)
		out = append(out, res)
	}
	fmt.Printf("\npostlight fixtures (%d pages):\n", len(names))
	for _, r := range out {
		fmt.Printf("  %-22s %s\n", r.name, r.meta)
	}
	return out, nil
}

// bodyResult is one reader's body score on a set with whole texts for
// truth, and the article pages it read nothing from.
type bodyResult struct {
	name  string
	score score.Summary
	empty int
}

// readabilitySet scores every reader's body on Readability's real test
// pages against the text of the article Readability's tests expect
// (expected.html), with the AEB metric, and counts the pages Readability
// calls an article ("readerable") that a reader read nothing from. Its
// truth is one extractor's output, so go-readability scores near 1 by
// construction; it is a check on pages pubwatch was not tuned on for
// bodies: a fragment, or an article taken for a listing, shows up as a
// page far under go-trafilatura. The synthetic cases (names that start
// with a digit, or under 100 words of truth) are left out. The pages have
// no address: they are read at the one Readability's tests use.
func readabilitySet(dir string, verbose bool) ([]bodyResult, error) {
	folders, err := filepath.Glob(filepath.Join(dir, "test-pages", "*", "expected.html"))
	if err != nil {
		return nil, err
	}
	sort.Strings(folders)
	type page struct {
		name, truth string
		src         []byte
		readerable  bool
	}
	var pages []page
	for _, f := range folders {
		name := filepath.Base(filepath.Dir(f))
		if name[0] >= '0' && name[0] <= '9' {
			continue
		}
		exp, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(exp))
		if err != nil {
			return nil, err
		}
		truth := doc.Text()
		if len(score.Tokens(truth)) < 100 {
			continue
		}
		src, err := os.ReadFile(filepath.Join(filepath.Dir(f), "source.html"))
		if err != nil {
			return nil, err
		}
		var meta struct{ Readerable bool }
		if err := readJSON(filepath.Join(filepath.Dir(f), "expected-metadata.json"), &meta); err != nil {
			return nil, err
		}
		pages = append(pages, page{name, truth, src, meta.Readerable})
	}
	base, _ := url.Parse("http://fakehost/test/page.html")
	var out []bodyResult
	for _, r := range readers {
		res := bodyResult{name: r.name}
		counts := make([]score.Counts, 0, len(pages))
		for _, p := range pages {
			got := r.read(p.src, base)
			c := score.Compare(p.truth, got.text)
			counts = append(counts, c)
			if strings.TrimSpace(got.text) == "" && p.readerable {
				res.empty++
				if verbose {
					fmt.Printf("readability nothing (%s) %s\n", r.name, p.name)
				}
			}
			if verbose && r.name == "pubwatch from a file" {
				fmt.Printf("readability %-40s %s\n", p.name, pageScore(c))
			}
		}
		res.score = score.Summarize(counts)
		out = append(out, res)
	}
	fmt.Printf("\nreadability test pages (%d real pages, bodies against the text Readability's tests expect):\n", len(pages))
	for _, r := range out {
		fmt.Printf("  %-22s precision %.3f  recall %.3f  F1 %.3f  (%d article pages read as nothing)\n", r.name, r.score.Precision, r.score.Recall, r.score.F1, r.empty)
	}
	return out, nil
}

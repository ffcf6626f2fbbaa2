package snapshot

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/cascadia"
	"golang.org/x/text/unicode/norm"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/*.case")

// A case file holds sections introduced by "-- name --" lines: "rules"
// (one "field: value" a line), "page" (the HTML) and "want" (the extracted
// items as JSON). Optional "content-type" and "base" sections.
func readCase(t *testing.T, path string) (map[string]string, []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]string{}
	var order []string
	var name string
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if m := regexp.MustCompile(`^-- (\S+) --\n$`).FindStringSubmatch(line); m != nil {
			name = m[1]
			order = append(order, name)
			continue
		}
		sections[name] += line
	}
	return sections, order
}

func compileRules(t *testing.T, spec string) Rules {
	t.Helper()
	var r Rules
	sel := func(s string) cascadia.Selector {
		m, err := cascadia.Compile(s)
		if err != nil {
			t.Fatalf("selector %q: %v", s, err)
		}
		return m
	}
	for _, line := range strings.Split(strings.TrimSpace(spec), "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		section, field, _ := strings.Cut(strings.TrimSpace(key), ".")
		switch section {
		case "listing":
			if r.Listing == nil {
				r.Listing = &ListingRules{}
			}
			switch field {
			case "items":
				r.Listing.Items = sel(val)
			case "title":
				r.Listing.Title = sel(val)
			case "link":
				r.Listing.Link = sel(val)
			case "date":
				r.Listing.Date = sel(val)
			case "summary":
				r.Listing.Summary = sel(val)
			}
		case "article":
			if r.Article == nil {
				r.Article = &ArticleRules{}
			}
			switch field {
			case "title":
				r.Article.Title = sel(val)
			case "body":
				r.Article.Body = sel(val)
			case "date":
				r.Article.Date = sel(val)
			}
		case "page":
			r.Page = &PageRules{}
			if val != "" {
				r.Page.Select = sel(val)
			}
		case "ignore":
			r.Ignore = append(r.Ignore, regexp.MustCompile(val))
		case "auto":
			// Zero-config: the article and the listing found by themselves.
			r.AutoArticle, r.AutoListing = true, true
		}
	}
	return r
}

func TestExtractCases(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.case")
	if len(files) == 0 {
		t.Fatal("no test cases")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".case"), func(t *testing.T) {
			sec, order := readCase(t, file)
			base, _ := url.Parse(strings.TrimSpace(sec["base"]))
			if sec["base"] == "" {
				base, _ = url.Parse("https://news.example.org/section/page.html")
			}
			snap, err := Extract([]byte(sec["page"]), strings.TrimSpace(sec["content-type"]), base, compileRules(t, sec["rules"]))
			var got string
			if err != nil {
				got = "error: " + err.Error() + "\n"
			} else {
				b, _ := json.MarshalIndent(snap.Items, "", "  ")
				got = string(b) + "\n"
			}
			if *update {
				var out strings.Builder
				for _, name := range order {
					if name == "want" {
						continue
					}
					out.WriteString("-- " + name + " --\n" + sec[name])
				}
				out.WriteString("-- want --\n" + got)
				if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != sec["want"] {
				t.Errorf("extracted:\n%s\nwant:\n%s", got, sec["want"])
			}
		})
	}
}

func FuzzExtract(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.case")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		f.Add(data)
	}
	f.Add([]byte(`<ul><li><a href="javascript:x">a</a><li><a href="//h/x#y">b</a><li><time datetime="2025">`))
	rules := Rules{
		Listing: &ListingRules{Items: cascadia.MustCompile("li, article, tr")},
		Article: &ArticleRules{Body: cascadia.MustCompile("body")},
	}
	base, _ := url.Parse("https://news.example.org/a/b.html")
	f.Fuzz(func(t *testing.T, page []byte) {
		snap, err := Extract(page, "text/html", base, rules)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, it := range snap.Items {
			if it.ID == "" || seen[it.Key()] {
				t.Fatalf("item without identity or repeated: %+v", it)
			}
			seen[it.Key()] = true
			if it.URL != "" {
				u, err := url.Parse(it.URL)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Fragment != "" {
					t.Fatalf("item URL %q is not an absolute http(s) URL without fragment", it.URL)
				}
			}
			if strings.ContainsAny(it.Title+it.Date+it.Summary, "\n\t") {
				t.Fatalf("inline field with a line break: %+v", it)
			}
		}
	})
}

func FuzzAutoExtract(f *testing.F) {
	f.Add([]byte(stablePage([]string{"A Story Everyone Reads Today"}, "10:00", "ad-1")))
	f.Add([]byte(`<ul><li><h3><a href="/a/1.html">One two three four</a></h3></li><li><h3><a href="/a/2.html">Five six seven eight</a></h3></li><li><h3><a href="/a/3.html">Nine ten eleven twelve</a></h3></li></ul>`))
	f.Add([]byte(`<main><h1>Press Office</h1><p>Opens in January.</p><a href="/c">Contacts</a> <a href="/d">Accreditation</a></main>`))
	f.Add([]byte(`<head><title>Site » Blog » A headline of four</title><link rel="canonical" href="/2025/12/17/a-headline-of-four.html"></head>` +
		`<h1><span class="kicker">Kicker</span><br>A headline of four</h1><p>Foto: A. B.</p><p>24. März 2004, 19:49 | Genesis</p><p>` + strings.Repeat("Text of the article. ", 30) + `</p>` +
		`<ul><li><a href="https://shop.example.com/1">Offer one two three</a></li><li><a href="/a/2.html">Five six seven eight</a></li><li><a href="/a/3.html">Nine ten eleven twelve</a></li></ul>`))
	f.Add([]byte(`<head><script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Snow","articleBody":"<p>One &amp; two</p><p>` +
		strings.Repeat("Three four five six. ", 50) + `</p>"}</script></head><h1><a href="../index.html">Site Name Here</a></h1>` +
		`<h2>Snow on the panels</h2><div class="newsletter"><form><input type="email"><p>Subscribe to our letter</p></form></div><p>Read on with a subscription.</p>`))
	f.Add([]byte(`<head><title>Only who loves | Quotes_智能_好奇心日报</title><meta property="og:title" content="Only who "loves""><meta property="og:title" content="News"></head>` +
		`<h1>Quotes</h1><p>He said <span class="rollover-people"><a href="/p/1">Omar</a><span class="rollover-people-block"><img src="/i.jpg"><a href="/a/1">` + strings.Repeat("latest story ", 8) + `</a></span></span> today.</p>` +
		`<p><strong>Read more:</strong> <a href="/a/2-another-story">Another story of the day</a></p>` +
		strings.Repeat(`<p>Whatsapp Facebook Pint</p><p>`+strings.Repeat("A quote of the day to read. ", 6)+`</p>`, 5)))
	f.Add([]byte(`<head><title>Tagung der Gruppe in Eichstätt | Blog</title><link rel="canonical" href="//news.example.org/news/m/1c62-b0eb-3b4d/undefined"></head>` +
		`<div class="post"><h2>Tagung der Gruppe in Eichstätt</h2><p>` + strings.Repeat("Ein Satz des Beitrags. ", 6) + `</p></div><div class="widget-area"><aside><h1>Letzte</h1><ul>` +
		`<li><a href="/section/" aria-current="page">Tagung der Gruppe in Eichstätt</a></li><li><a href="/811">Neuerscheinung eines Buches heute</a></li><li><a href="?p=797">Tagungsbericht über den Vormärz hier</a></li></ul></aside></div>`))
	// Paragraphs parted by breaks beside a box of short lines, teasers
	// with summaries under a short report.
	f.Add([]byte(`<head><title>Accord signed | Agency</title></head><main><h1>Accord signed</h1><div>` + strings.Repeat("A sentence of the report that runs on for a while. ", 3) + `<br><br>` +
		strings.Repeat("Another sentence of the report that runs on. ", 3) + `<br> <br><br><b>Tip:</b> <a href="https://shop.example.com/">x</a></div>` +
		`<ul><li><a href="/2025/12/01/one-two-three.html">One two three four</a><span>December 1, 2025</span><p>` + strings.Repeat("summary ", 30) + `</p></li>` +
		`<li><a href="/2025/12/02/five-six-seven.html">Five six seven eight</a><p>` + strings.Repeat("summary ", 30) + `</p></li>` +
		`<li><a href="/2025/12/03/nine-ten-eleven.html">Nine ten eleven twelve</a><p>` + strings.Repeat("summary ", 30) + `</p></li></ul></main>`))
	base, _ := url.Parse("https://news.example.org/section/")
	f.Fuzz(func(t *testing.T, page []byte) {
		rules := Rules{AutoListing: true, AutoArticle: true, AutoFeed: true}
		snap, err := Extract(page, "text/html", base, rules)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, it := range snap.Items {
			// A page's text is watched only when nothing else was found.
			if it.Kind == KindPage && !snap.PageFallback(rules) {
				t.Fatalf("a page item beside others: %+v", snap.Items)
			}
			if it.ID == "" || seen[it.Key()] {
				t.Fatalf("item without identity or repeated: %+v", it)
			}
			seen[it.Key()] = true
			for _, s := range []string{it.Title, it.Summary, it.Body} {
				if !norm.NFC.IsNormalString(s) {
					t.Fatalf("text not in NFC: %q", s)
				}
			}
		}
	})
}

// A teaser has more links than its headline: a kicker to its section, a
// byline, tags. Zero-config takes the teaser for the item, with its date
// and summary, not the headline alone (which left the summaries outside
// the listing, where they passed for an article of 2,000 words).
func TestTeasersWithKickerLinks(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html><body><nav><a href="/world/">World</a> <a href="/sport/">Sport</a></nav><main><ul class="teasers">`)
	for i := 0; i < 6; i++ {
		fmt.Fprintf(&b, `<li class="teaser"><article class="card"><a class="media" href="/news/story-%d.html"><img src="/i/%d.jpg" alt=""></a>
<a class="kicker" href="/politics/">Politics</a><h3><a href="/news/story-%d.html">Cabinet approves the harbour plan number %d</a></h3>
<div class="meta"><span class="byline">By <a href="/people/jane-doe">Jane Doe</a></span> · <span class="date">9 décembre 2025 à 14h%02d</span></div>
<p class="summary">The council met on Tuesday and approved the plan after a long debate about the budget, with <a href="/topics/harbour">harbour</a> workers watching.</p>
<ul class="tags"><li><a href="/politics/">Politics</a></li><li><a href="/economy/">Economy</a></li></ul></article></li>`, i, i, i, i, 10+i)
	}
	b.WriteString(`</ul></main></body></html>`)
	base, _ := url.Parse("https://agency.example/")
	snap, err := Extract([]byte(b.String()), "text/html", base, Rules{AutoListing: true, AutoArticle: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Items) != 6 {
		t.Fatalf("want the 6 teasers and nothing else, got %d: %+v", len(snap.Items), snap.Items)
	}
	for i, it := range snap.Items {
		if it.Kind != KindListing || it.URL != fmt.Sprintf("https://agency.example/news/story-%d.html", i) || it.Published != "2025-12-09" ||
			!strings.HasPrefix(it.Summary, "The council met") {
			t.Errorf("item %d: %+v", i, it)
		}
	}
}

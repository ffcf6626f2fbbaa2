package snapshot

import (
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// teasers is a listing of n teasers whose summaries have words words each.
func teasers(n, words int) string {
	var b strings.Builder
	b.WriteString(`<ul class="news">`)
	for i := range n {
		fmt.Fprintf(&b, `<li><h3><a href="/2025/12/story-%d.html">Delegation returns from the harvest festival %d</a></h3><time>2025-12-%02d</time><p>%s</p></li>`,
			i, i, i%28+1, strings.Repeat("word ", words))
	}
	b.WriteString(`</ul>`)
	return b.String()
}

// A listing page with one <h1> and long summaries holds no article: the
// extractor is not asked. An article page with a "More From" box, or a
// listing under an introduction of some length, may hold one.
func TestOnlyListing(t *testing.T) {
	menu := `<nav><ul>` + strings.Repeat(`<li><a href="/section/">Politics and the economy of the regions</a></li>`, 60) + `</ul></nav>`
	footer := `<footer><p>` + strings.Repeat("Copyright notice and terms of use. ", 20) + `</p></footer>`
	prose := `<p>` + strings.Repeat("The assembly adopted the budget for the coming year after a long debate. ", 20) + `</p>`
	for _, c := range []struct {
		name string
		body string
		want bool
	}{
		{"listing page", menu + `<main><h1>News</h1>` + teasers(30, 150) + `</main>` + footer, true},
		{"listing page without landmarks", `<div class="nav">` + menu + `</div><h1>News</h1>` + teasers(20, 40), true},
		{"article with a More From box", menu + `<main><article><h1>Plenary meeting held</h1>` + prose + `</article><section><h2>More From Politics</h2>` + teasers(6, 0) + `</section></main>`, false},
		{"listing under an introduction", `<main><h1>Press releases</h1>` + prose + teasers(20, 30) + `</main>`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			root, err := html.Parse(strings.NewReader(`<html><body>` + c.body + `</body></html>`))
			if err != nil {
				t.Fatal(err)
			}
			doc := goquery.NewDocumentFromNode(root)
			items := doc.Find("ul.news > li").Nodes
			if got := onlyListing(root, items); got != c.want {
				t.Errorf("onlyListing = %v, want %v", got, c.want)
			}
		})
	}
}

// Zero-config extraction of such pages: the listing page is a listing; the
// agency page is an article and a listing.
func TestZeroConfigKinds(t *testing.T) {
	prose := `<p>` + strings.Repeat("The assembly adopted the budget for the coming year after a long debate. ", 20) + `</p>`
	rules := Rules{AutoListing: true, AutoArticle: true}
	base := mustParse("https://agency.example.org/news/")
	listing, err := Extract([]byte(`<html><body><main><h1>News</h1>`+teasers(30, 150)+`</main></body></html>`), "text/html", base, rules)
	if err != nil {
		t.Fatal(err)
	}
	if len(listing.Items) != 30 || listing.Items[0].Kind != KindListing {
		t.Errorf("listing page: %d items, first %q", len(listing.Items), listing.Items[0].Kind)
	}
	article, err := Extract([]byte(`<html><head><title>Plenary meeting held</title></head><body><main><article><h1>Plenary meeting held</h1>`+prose+`</article><section><h2>More From Politics</h2>`+teasers(6, 0)+`</section></main></body></html>`), "text/html", base, rules)
	if err != nil {
		t.Fatal(err)
	}
	if len(article.Items) != 7 || article.Items[0].Kind != KindArticle || !strings.Contains(article.Items[0].Body, "adopted the budget") {
		t.Errorf("agency page: %d items, first %+v", len(article.Items), article.Items[0])
	}
}

// benchPage is a listing page as the load benchmark serves them: a menu, a
// script, 30 teasers with summaries, a footer (about 30 KB).
func benchPage() []byte {
	menu := `<nav><ul>` + strings.Repeat(`<li><a href="/section/">Politics and economy</a></li>`, 60) + `</ul></nav>`
	script := `<script>` + strings.Repeat("var x = 1; ", 200) + `</script>`
	return []byte(`<html><head><title>News</title>` + script + `</head><body>` + menu + `<main><h1>News</h1>` + teasers(30, 120) + `</main><footer><p>Copyright</p></footer></body></html>`)
}

// BenchmarkExtract extracts a listing page with selectors and without
// (zero-config: the listing found by itself, the article looked for).
func BenchmarkExtract(b *testing.B) {
	page := benchPage()
	base := mustParse("https://agency.example.org/news/")
	for _, c := range []struct {
		name  string
		rules Rules
	}{
		{"selectors", Rules{Listing: &ListingRules{Items: cascadia.MustCompile("ul.news > li"), Title: cascadia.MustCompile("h3"),
			Date: cascadia.MustCompile("time"), Summary: cascadia.MustCompile("p")}}},
		{"zero-config", Rules{AutoListing: true, AutoArticle: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				snap, err := Extract(page, "text/html", base, c.rules)
				if err != nil || len(snap.Items) != 30 {
					b.Fatalf("%d items, %v", len(snap.Items), err)
				}
			}
		})
	}
}

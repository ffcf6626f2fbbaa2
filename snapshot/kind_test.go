package snapshot

import (
	"fmt"
	"reflect"
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
			if got := onlyListing(root, items, minLooseArticleWords); got != c.want {
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

// An article that links three stories in its text (a "Read also" list, as
// agency and newspaper articles have) is still an article: the stories
// are a small part of its words. A page whose extracted text is its
// teasers is not.
func TestListingInBody(t *testing.T) {
	prose := strings.Repeat("The harbour authority said the tender would stay open until the spring. ", 25)
	short := strings.Repeat("The harbour authority said the tender would stay open. ", 8)
	stories := []Item{
		{Kind: KindListing, Title: "Cabinet signs agreement on grain exports"},
		{Kind: KindListing, Title: "Railway company publishes summer timetable"},
		{Kind: KindListing, Title: "City council reviews plan for the old port"},
	}
	written := ""
	for i := range stories {
		stories[i].Summary = "The " + strings.ToLower(stories[i].Title) + " after a debate of several hours."
		written += stories[i].Title + " " + stories[i].Summary + " "
	}
	post := strings.Repeat("The harbour authority said the tender would stay open until the spring. ", 13) // 156 words
	var longList []Item
	longWritten := ""
	for i := range 20 {
		it := Item{Kind: KindListing, Title: fmt.Sprintf("Council reviews the plan for the old port, part %d", i)}
		longList = append(longList, it)
		longWritten += it.Title + " "
	}
	for _, c := range []struct {
		name  string
		items []Item
		body  string
		at    bool
		want  bool
	}{
		{"teasers written out", stories, written, false, true},
		{"teasers under a short introduction", stories, "Latest news from the harbour. " + written, false, true},
		{"article linking three stories", stories, prose + "Read also: " + written + prose, false, false},
		{"titles of one word", []Item{{Kind: KindListing, Title: "here"}, {Kind: KindListing, Title: "report"}, {Kind: KindListing, Title: "tender"}},
			"Read the report here about the tender. " + prose, false, false},
		{"table rows read without their links", []Item{{Kind: KindListing, Title: "iOS 26.4", Summary: "iPhone 11 and later"},
			{Kind: KindListing, Title: "macOS 26.4", Summary: "Mac computers with Apple silicon"}, {Kind: KindListing, Title: "tvOS 26.4", Summary: "Apple TV HD and Apple TV 4K"}},
			"Security releases. iPhone 11 and later 24 Mar 2026 Mac computers with Apple silicon 24 Mar 2026 Apple TV HD and Apple TV 4K 24 Mar 2026", false, true},
		{"two stories only", stories[:2], written, false, false},
		// At an article's address the least article is shorter: a
		// notice of seventy-two words above three of the site's headlines.
		{"short article at an article's address", stories, short + written, true, false},
		{"short article elsewhere", stories, short + written, false, true},
		// A post of its own words (160) above a longer list of the blog's
		// others: an article at a post's address, the list elsewhere.
		{"post above a longer list at an article's address", longList, post + longWritten, true, false},
		{"post above a longer list elsewhere", longList, post + longWritten, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := listingInBody(c.items, c.body, c.at); got != c.want {
				t.Errorf("listingInBody = %v, want %v", got, c.want)
			}
		})
	}
}

// Zero-config extraction of an article with a "Read also" list in its text
// keeps the article (it was once taken for the list written out).
func TestZeroConfigArticleWithLinks(t *testing.T) {
	prose := `<p>` + strings.Repeat("The harbour authority said the tender for the old port would stay open until the spring. ", 12) + `</p>`
	also := `<p>Read also:</p><ul>` +
		`<li><a href="/2025/12/01/grain-exports.html">Cabinet signs agreement on grain exports</a></li>` +
		`<li><a href="/2025/12/02/summer-timetable.html">Railway company publishes summer timetable</a></li>` +
		`<li><a href="/2025/12/03/old-port-plan.html">City council reviews plan for the old port</a></li></ul>`
	page := `<html><head><title>Harbour authority opens tender</title><meta property="og:type" content="article"></head><body>` +
		`<nav><ul>` + strings.Repeat(`<li><a href="/section/">Politics and economy</a></li>`, 20) + `</ul></nav>` +
		`<main><article><h1>Harbour authority opens tender</h1>` + prose + also + prose + `</article></main></body></html>`
	snap, err := Extract([]byte(page), "text/html", mustParse("https://agency.example.org/2025/12/04/tender.html"), Rules{AutoListing: true, AutoArticle: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Items) == 0 || snap.Items[0].Kind != KindArticle || !strings.Contains(snap.Items[0].Body, "stay open until the spring") {
		t.Fatalf("items %+v, want the article first", snap.Items)
	}
	if snap.Items[0].Title != "Harbour authority opens tender" {
		t.Errorf("title %q", snap.Items[0].Title)
	}
}

// A short news item (an agency's brief of some 70 words) beside a long
// list of other news is an article when its address is an article's; the
// same page at a section's address is the section's front.
func TestShortArticleBesideLongList(t *testing.T) {
	page := agencyBrief(20, false)
	rules := Rules{AutoListing: true, AutoArticle: true}
	for _, c := range []struct {
		address string
		article bool
	}{
		{"https://agency.example.org/news/2025/12/17/harbour-authority-opens-tender.html", true},
		{"https://agency.example.org/en/news/608399", true},
		{"https://agency.example.org/news/", false},
		{"https://agency.example.org/2025/12/", false},
	} {
		snap, err := Extract(page, "text/html", mustParse(c.address), rules)
		if err != nil {
			t.Fatal(err)
		}
		got := len(snap.Items) > 0 && snap.Items[0].Kind == KindArticle
		if got != c.article || len(snap.Items) != 20+map[bool]int{true: 1}[c.article] {
			t.Errorf("%s: article %v, %d items; want article %v", c.address, got, len(snap.Items), c.article)
		}
	}
}

// agencyBrief is a short news item with a list of n other news under it:
// inside the same <main>, where the article extractor keeps the list, or
// after it.
func agencyBrief(n int, inside bool) []byte {
	brief := `<p>` + strings.Repeat("The harbour authority opened the tender for the old port on Wednesday. ", 6) + `</p>`
	more := `<section><h2>More news</h2>` + teasers(n, 0) + `</section>`
	head := `<html><head><title>Harbour authority opens tender</title><meta property="og:type" content="article"></head><body>`
	if inside {
		return []byte(head + `<main><h1>Harbour authority opens tender</h1>` + brief + more + `</main></body></html>`)
	}
	return []byte(head + `<main><h1>Harbour authority opens tender</h1>` + brief + `</main>` + more + `</body></html>`)
}

// The article's body is its own text: a new story in the list under it
// is a new listing item, not an edit of the article.
func TestArticleBodyWithoutItsList(t *testing.T) {
	base := mustParse("https://agency.example.org/news/2025/12/17/harbour-authority-opens-tender.html")
	rules := Rules{AutoListing: true, AutoArticle: true}
	var bodies []string
	for _, n := range []int{6, 7} {
		snap, err := Extract(agencyBrief(n, true), "text/html", base, rules)
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.Items) != n+1 || snap.Items[0].Kind != KindArticle {
			t.Fatalf("%d teasers: %d items, first %q", n, len(snap.Items), snap.Items[0].Kind)
		}
		bodies = append(bodies, snap.Items[0].Body)
	}
	if bodies[0] != bodies[1] || strings.Contains(bodies[0], "harvest festival") || !strings.Contains(bodies[0], "opened the tender") {
		t.Errorf("bodies:\n%q\n%q", bodies[0], bodies[1])
	}
}

// An extracted article keeps its paragraphs, one a line, so that an edit
// is shown in its paragraph (go-trafilatura's own text runs them all
// together, and builds its list items and cells without atoms).
func TestArticleBodyParagraphs(t *testing.T) {
	paras := []string{
		strings.Repeat("The assembly adopted the budget for the coming year after a long debate. ", 5),
		strings.Repeat("Deputies of the eastern provinces asked for more money for the railway. ", 5),
		strings.Repeat("The minister said the harbour would be rebuilt within three years. ", 5),
	}
	page := `<html><head><title>Budget adopted</title></head><body><article><h1>Budget adopted</h1>` +
		`<p>` + paras[0] + `</p><p>` + paras[1] + `</p><ul><li>Railway: 40 million</li><li>Harbour: 25 million</li></ul>` +
		`<p>The <b>minister</b> said the harbour would be rebuilt within three years. ` + strings.Repeat("The minister said the harbour would be rebuilt within three years. ", 4) + `</p></article></body></html>`
	a, err := AutoArticle([]byte(page), "text/html", mustParse("https://agency.example.org/news/budget-adopted.html"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(a.Body, "\n")
	want := []string{strings.TrimSpace(paras[0]), strings.TrimSpace(paras[1]), "Railway: 40 million", "Harbour: 25 million", strings.TrimSpace(paras[2])}
	if len(lines) < len(want) || !reflect.DeepEqual(lines[len(lines)-len(want):], want) {
		t.Errorf("body lines:\n%q\nwant them to end with\n%q", lines, want)
	}
}

// Beside an article, share buttons, tag lists and links in the article's
// own sentences are not a listing to track: a zero-config source of the
// page tracks the article alone.
func TestArticleFurnitureNotTracked(t *testing.T) {
	sentence := func(i int) string {
		return fmt.Sprintf(`<p>The assembly adopted the budget after <a href="/2025/12/%d/debate-in-the-chamber.html">a long debate in the chamber</a> that lasted into the night, and the minister thanked <a href="/2025/12/%d/deputies-of-the-provinces.html">the deputies of every province</a> for their work on the text. `, i, i) +
			strings.Repeat("The harbour will be rebuilt within three years. ", 4) + `</p>`
	}
	var body strings.Builder
	for i := range 6 {
		body.WriteString(sentence(i))
	}
	for _, c := range []struct{ name, extra string }{
		{"share buttons", `<p><a href="https://www.facebook.com/agency">Facebook</a> <a href="https://twitter.com/agency">Twitter</a> <a href="https://t.me/agency">Telegram</a></p>`},
		{"keywords", `<div class="keywords"><a href="/t/budget">Budget</a><a href="/t/assembly">Assembly</a><a href="/t/harbour">Harbour</a><a href="/t/provinces">Provinces</a></div>`},
		{"links in sentences", ``},
	} {
		t.Run(c.name, func(t *testing.T) {
			page := `<html><head><title>Budget adopted</title></head><body><article><h1>Budget adopted</h1>` + body.String() + c.extra + `</article></body></html>`
			snap, err := Extract([]byte(page), "text/html", mustParse("https://agency.example.org/news/budget-adopted.html"), Rules{AutoListing: true, AutoArticle: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(snap.Items) != 1 || snap.Items[0].Kind != KindArticle {
				t.Errorf("items %+v, want the article alone", snap.Items)
			}
		})
	}
}

// Paragraphs that lead with a date or a dateline before their headline's
// link are a listing; paragraphs of an article with a link inside a
// sentence are not.
func TestParagraphTeasers(t *testing.T) {
	for _, c := range []struct {
		name, lead string
		listing    bool
	}{
		{"date first", "December %d, 2025 — ", true},
		{"dateline", "Pyongyang, December %d (KCNA) -- ", true},
		{"numeric date", "2025.12.%02d ", true},
		{"clause", "The office of the prosecutor in the western district said on day %d that it ", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString(`<html><body><div class="content">`)
			for i := 1; i <= 6; i++ {
				fmt.Fprintf(&b, `<p>`+c.lead+`<a href="/news/2025/12/%d/story.html">Delegation returns from the harvest festival %d</a></p>`, i, i, i)
			}
			b.WriteString(`</div></body></html>`)
			snap, err := Extract([]byte(b.String()), "text/html", mustParse("https://agency.example.org/news/"), Rules{AutoListing: true})
			if c.listing && (err != nil || len(snap.Items) != 6) {
				t.Errorf("want 6 items: %v %+v", err, snap)
			}
			if !c.listing && err == nil && len(snap.Items) > 0 {
				t.Errorf("want no listing: %+v", snap.Items)
			}
		})
	}
}

// Teasers whose headline link stands alone above a summary are a
// listing, however long the summary; a list whose entries are sentences
// with a link in them is not.
func TestTeasersWithSummaries(t *testing.T) {
	const summary = "The delegation met farmers of the region, visited the new grain store and spoke with the managers of the cooperative about the coming season."
	for _, c := range []struct {
		name, item string
		listing    bool
	}{
		{"headline, date, summary", `<li><a href="/news/2025/12/%[1]d/story.html">Delegation returns from the harvest festival %[1]d</a><span>December %[1]d, 2025</span><p>` + summary + `</p></li>`, true},
		{"headline in a block", `<li><div class="title"><a href="/news/2025/12/%[1]d/story.html">Delegation returns from the harvest festival %[1]d</a></div><div class="lead">` + summary + `</div></li>`, true},
		{"sentence led by a link", `<li><a href="/news/2025/12/%[1]d/story.html">The delegation of district %[1]d</a> returned from the harvest festival, met farmers of the region and visited the new grain store with the managers.</li>`, false},
		{"link and sentence in one paragraph", `<li><p><a href="/news/2025/12/%[1]d/story.html">Delegation returns from the harvest festival %[1]d</a> and its members said the farmers of the region expect a better season than the last one, with more rain in the spring and higher prices for grain at the markets of the district.</p></li>`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString(`<html><body><div class="content"><ul>`)
			for i := 1; i <= 6; i++ {
				fmt.Fprintf(&b, c.item, i)
			}
			b.WriteString(`</ul></div></body></html>`)
			snap, err := Extract([]byte(b.String()), "text/html", mustParse("https://agency.example.org/news/"), Rules{AutoListing: true})
			if c.listing && (err != nil || len(snap.Items) != 6 || snap.Items[0].Title != "Delegation returns from the harvest festival 1") {
				t.Errorf("want 6 items: %v %+v", err, snap)
			}
			if !c.listing && err == nil && len(snap.Items) > 0 {
				t.Errorf("want no listing: %+v", snap.Items)
			}
		})
	}
}

// A grid's column that holds the whole article, with the one link of a
// "Previous article" box under it, is no teaser beside the grid's columns
// of related posts (Bootstrap's "col-sm-8" and "col-sm-6" look alike once
// their numbers go): the article stays the page's, and the posts are its
// listing.
func TestArticleColumnAmongTeaserColumns(t *testing.T) {
	paras := []string{
		"The Chinese money plant is a beautiful, unusual and easy to grow houseplant. Slow to propagate and only recently known around the world, its biggest obstacle is finding one in the first place.",
		"The plant is native to the Yunnan province of China. Legend has it that in 1946 a Norwegian missionary took it home from there and shared cuttings with friends across Scandinavia, which is why it is still found there more than anywhere else.",
		"Pilea plants have a very distinctive look: green shoots grow out of the crown and each ends in a single saucer-shaped leaf that can reach ten centimetres across. When the plant grows healthy and dense, its leaves form an attractive mound.",
		"Pilea plant care is fairly minimal. The plants are hardy down to zone 10, which means most gardeners will grow a Chinese money plant in pots indoors, near a bright window but out of the reach of direct sun.",
		"They like sandy, well-draining soil and should dry out between waterings. They need very little feeding, but do well with the occasional addition of a standard houseplant fertiliser in spring and summer.",
		"Propagation is by the small offshoots that appear around the base of a mature plant. Cut one free with a clean knife, set it in moist soil, and within a few weeks it will have roots of its own and can be given away to a friend.",
		"Turn the pot a quarter of a turn every few days. The leaves follow the light, and a plant left in one place soon leans towards the window and grows lopsided, with its crown bent and its lower leaves in the shade.",
		"Drooping leaves usually mean the plant is thirsty, while yellowing lower leaves and soft stems are a sign of too much water. Let the top of the soil dry out before watering again, and empty the saucer after half an hour.",
		"Repot every second spring into a pot only a little larger than the last. A plant that has filled its pot with roots will slow down, and a fresh mix of potting soil and sand gives it room for another two years of growth.",
	}
	summary := "Growing this plant takes little more than a sunny spot, a pot with good drainage and some patience through its first winter, as the gardeners who tried it report."
	var b strings.Builder
	b.WriteString(`<html><head><title>Chinese money plant: how to grow a pilea - garden.example.com</title></head><body>`)
	b.WriteString(`<header><div class="logo"><a href="https://garden.example.com">garden.example.com</a></div><div class="topnav"><a href="/composting/">Composting</a><a href="/houseplants/">Houseplants</a><a href="/lawn-care/">Lawn care</a></div></header>`)
	b.WriteString(`<div class="row"><div class="col-sm-8"><div class="all-content"><div class="breadcrumb"><a href="https://garden.example.com">Home</a> » <a href="/houseplants/">Houseplants</a></div>`)
	b.WriteString(`<h1>Chinese money plant: how to grow a pilea</h1><div class="article-text"><p>` + strings.Join(paras, "</p><p>") + `</p></div>`)
	b.WriteString(`<div class="prev"><b>Previous article:</b><div class="one-title"><a href="/zone-9-privacy-trees">Zone 9 privacy trees: growing trees for privacy in zone 9</a></div>`)
	b.WriteString(`<div class="row"><div class="col-sm-6"><div class="one-img"></div></div><div class="col-sm-6"><div class="one-text">` + summary + `</div></div></div></div></div></div>`)
	b.WriteString(`<div class="col-sm-4"><div class="sitebar">`)
	for _, name := range []string{"composting-cardboard", "saxifraga-plant-care-tips", "yarrow-control-tips"} {
		fmt.Fprintf(&b, `<div class="one-title"><a href="/%s">%s: what every gardener should know</a></div>`, name, name)
	}
	b.WriteString(`</div></div></div><div class="more-news"><div class="row">`)
	for _, name := range []string{"oleander-care-tips", "bamboo-plants-zone-8", "crown-rot-african-violets", "pasque-flower-care", "berries-in-containers", "blanching-celery"} {
		fmt.Fprintf(&b, `<div class="col-sm-6"><a href="/%s">%s: tips for growing it in the garden</a><p>%s</p></div>`, name, name, summary)
	}
	b.WriteString(`</div></div></body></html>`)
	snap, err := Extract([]byte(b.String()), "text/html", mustParse("file:///saved/page.html"), Rules{AutoListing: true, AutoArticle: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Items) == 0 || snap.Items[0].Kind != KindArticle || !strings.Contains(snap.Items[0].Body, paras[5]) {
		t.Fatalf("got %+v, want the article first", snap.Items)
	}
	items := 0
	for _, it := range snap.Items[1:] {
		if strings.Contains(it.Title, "Chinese money plant") {
			t.Errorf("the article's column is an item: %+v", it)
		}
		items++
	}
	if items < 6 {
		t.Errorf("%d items, want the six related posts and more", items)
	}
}

// A short agency report above a "More From" list of teasers with their
// summaries: one extractor takes the list for the article (it has the
// more words), or one teaser (an <article> of its own); the other reads
// the report, which is the page's article, and the list is its listing.
func TestShortReportAboveSummarisedTeasers(t *testing.T) {
	report := []string{
		"The delegation of the ministry of agriculture signed a trade accord with the provincial government in the capital on Tuesday, after two days of talks on grain exports and machinery.",
		"Officials said the accord would double the trade between the two sides within three years and open the regional markets to farmers of the northern districts.",
	}
	summaries := []string{
		"The council agreed on a new plan for regional development after talks with delegations from the neighbouring provinces, officials said on Monday.",
		"Exports of grain and machinery reached record levels in the first quarter, according to figures released by the statistics office.",
		"The minister visited the new port and met the workers who built it, praising their effort through a difficult winter on the coast.",
	}
	for _, c := range []struct {
		name   string
		teaser string
		n      int
	}{
		{"list of 20", `<li><a href="/politics/2025-12/%02[1]d/council-report-%[1]d.html">Council report number %[1]d on the regions</a><span>December %[1]d, 2025</span><p>%[2]s</p></li>`, 20},
		{"five articles", `<li><article class="teaser"><h3><a href="/politics/2025-12/%02[1]d/council-report-%[1]d.html">Council report number %[1]d on the regions</a></h3><p>%[2]s</p><time>December %[1]d, 2025</time></article></li>`, 5},
	} {
		var b strings.Builder
		b.WriteString(`<html><head><title>Delegation signs trade accord in the capital - Agency</title>`)
		b.WriteString(`<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Delegation signs trade accord in the capital","datePublished":"2025-12-09T10:00:00+08:00"}</script></head>`)
		b.WriteString(`<body><header><nav><a href="/">Home</a> <a href="/politics/">Politics</a> <a href="/economy/">Economy</a></nav></header><main>`)
		b.WriteString(`<div class="detail"><h1>Delegation signs trade accord in the capital</h1><div class="info">December 9, 2025</div><div class="content"><p>` + strings.Join(report, "</p><p>") + `</p></div></div>`)
		b.WriteString(`<div class="more"><h2>More From Politics</h2><ul>`)
		for i := 1; i <= c.n; i++ {
			fmt.Fprintf(&b, c.teaser, i, summaries[i%3]+" "+summaries[(i+1)%3])
		}
		b.WriteString(`</ul></div></main><footer><p>Copyright 2025 Agency. All rights reserved.</p></footer></body></html>`)
		snap, err := Extract([]byte(b.String()), "text/html", mustParse("https://agency.example.org/politics/2025-12/09/delegation-signs-trade-accord.html"), Rules{AutoListing: true, AutoArticle: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.Items) == 0 || snap.Items[0].Kind != KindArticle {
			t.Errorf("%s: got %+v, want the report as the article", c.name, snap.Items)
			continue
		}
		if body := snap.Items[0].Body; body != strings.Join(report, "\n") {
			t.Errorf("%s: body %q, want the report", c.name, body)
		}
		if len(snap.Items) != c.n+1 {
			t.Errorf("%s: %d items, want the report and the %d teasers", c.name, len(snap.Items), c.n)
		}
	}
}

// A paywalled report shows its headline, a line under it and its first
// sentence, beside a box of three other stories: the page declares its
// article and stands at an article's address, and those few words are
// its article, not the box's furniture.
func TestPaywalledReportBesideShortBox(t *testing.T) {
	const sentence = "A senior prison official said in a sworn affidavit that anyone determined enough could escape from the island's prison."
	var b strings.Builder
	b.WriteString(`<html><head><title>Prison official: anyone could escape from Northward - Island Compass</title>`)
	b.WriteString(`<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Prison official: anyone could escape from Northward","datePublished":"2022-05-04T09:00:00-05:00"}</script></head><body>`)
	b.WriteString(`<div class="td-post-header"><h1 class="entry-title">Prison official: anyone could escape from Northward</h1><time datetime="2022-05-04">May 4, 2022</time></div>`)
	b.WriteString(`<div class="td-post-content"><h2>The prison is not fit for high-risk offenders</h2><p>` + sentence + `</p>`)
	b.WriteString(`<div class="paywall"><p>You have reached your limit of free articles this month.</p><a href="/subscribe/">Subscribe</a></div></div>`)
	b.WriteString(`<div class="td-more-articles-box"><span>More articles</span>`)
	for _, s := range []string{"word-of-the-week-66", "bank-increases-net-income-in-first-quarter", "plans-to-turn-the-landfill-into-a-park"} {
		fmt.Fprintf(&b, `<div class="td_module_wrap"><h3><a href="/2022/05/04/%s/">%s</a></h3><time>May 4, 2022</time></div>`, s, strings.ReplaceAll(s, "-", " "))
	}
	b.WriteString(`</div></body></html>`)
	snap, err := Extract([]byte(b.String()), "text/html", mustParse("https://www.example.ky/2022/05/04/prison-official-anyone-could-escape-from-northward/"), Rules{AutoListing: true, AutoArticle: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Items) == 0 || snap.Items[0].Kind != KindArticle || !strings.Contains(snap.Items[0].Body, sentence) {
		t.Fatalf("got %+v, want the report's first sentence as the article", snap.Items)
	}
	if len(snap.Items) != 4 {
		t.Errorf("%d items, want the article and the box's three", len(snap.Items))
	}
}

// Advertising among the stories is not tracked: a box whose header says
// "Anzeige" or "Sponsored", and a teaser with such a badge. An ad slot
// labelled so between two stories marks itself, not the stories after it.
func TestAdvertisingLeftOut(t *testing.T) {
	story := func(i int, extra string) string {
		return fmt.Sprintf(`<div class="teaser"><h3><a href="/news/2025/12/%d/story.html">Delegation returns from the harvest festival %d</a></h3>%s<p>The delegation met farmers of the region and visited the new grain store.</p></div>`, i, i, extra)
	}
	var b strings.Builder
	b.WriteString(`<html><body><main><section class="stage"><div class="stage-head"><h2>News</h2></div><div class="grid">`)
	for i := 1; i <= 3; i++ {
		b.WriteString(story(i, ""))
	}
	b.WriteString(`<div class="slot"><span>Advertisement</span><div id="ad-1"></div></div>`)
	for i := 4; i <= 6; i++ {
		b.WriteString(story(i, ""))
	}
	b.WriteString(story(7, `<span class="badge">Sponsored</span>`))
	b.WriteString(`</div></section><section class="stage"><div class="stage-head"><h2>Save with our partners</h2><div class="sub">ANZEIGE</div></div><div class="grid">`)
	for i := 8; i <= 11; i++ {
		b.WriteString(story(i, ""))
	}
	b.WriteString(`</div></section></main></body></html>`)
	snap, err := Extract([]byte(b.String()), "text/html", mustParse("https://agency.example.org/"), Rules{AutoListing: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range snap.Items {
		got = append(got, strings.TrimPrefix(it.Title, "Delegation returns from the harvest festival "))
	}
	if want := []string{"1", "2", "3", "4", "5", "6"}; !reflect.DeepEqual(got, want) {
		t.Errorf("stories %q, want %q", got, want)
	}
}

// A state agency's article page with the plainest markup (no <h1>, no
// og:type, the title in a <div>) and a "More" list is an article and a
// listing.
func TestPlainAgencyArticle(t *testing.T) {
	prose := strings.Repeat("The delegation of the Supreme Assembly met the farmers of the eastern province and visited the new grain store. ", 4)
	var more strings.Builder
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&more, `<tr><td><a href="/en/item/2025/12/%d/news-%d.html">Cabinet discusses the harvest report number %d</a></td><td>2025.12.%02d</td></tr>`, i, i, i, i)
	}
	page := `<html><head><title>KCNA Watch</title></head><body><table><tr><td><div class="title">Delegation Visits Eastern Province</div><div class="date">2025.12.17</div>` +
		`<div class="content"><p>` + prose + `</p><p>` + prose + `</p></div></td></tr></table><div class="more">More</div><table class="list">` + more.String() + `</table></body></html>`
	snap, err := Extract([]byte(page), "text/html", mustParse("https://agency.example.org/en/item/2025/12/17/item-7.html"), Rules{AutoListing: true, AutoArticle: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Items) != 7 || snap.Items[0].Kind != KindArticle || !strings.Contains(snap.Items[0].Body, "new grain store") {
		t.Errorf("%d items, first %+v", len(snap.Items), snap.Items[0])
	}
}

// A document page that calls itself an article, at an address like an
// article's, made of a short introduction and a long table of releases (as
// a vendor's security releases page is), is that table: its text is the
// table written out, not an article to track beside it.
func TestReleaseTableIsNotAnArticle(t *testing.T) {
	var rows strings.Builder
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&rows, `<tr><td><a href="/en-gb/%d">Phone OS 26.%d and Tablet OS 26.%d</a></td><td>Phone 11 and later, Tablet Pro 12.9-inch 3rd generation and later, Tablet Air 3rd generation and later</td><td>%02d Mar 2026</td></tr>`, 120000+i, i, i, i%28+1)
	}
	page := `<html><head><title>Security releases</title><meta property="og:type" content="article"></head><body><main><h1>Security releases</h1>` +
		`<p>This document lists security updates for our software. For the protection of our customers, we do not disclose, discuss or confirm security issues until an investigation has occurred and patches are generally available. Keeping your software up to date is one of the most important things you can do to keep your device secure.</p>` +
		`<table><tr><th>Name and information link</th><th>Available for</th><th>Release date</th></tr>` + rows.String() + `</table></main></body></html>`
	snap, err := Extract([]byte(page), "text/html", mustParse("https://support.example.com/en-gb/100100"), Rules{AutoListing: true, AutoArticle: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Items) != 30 || snap.Items[0].Kind != KindListing {
		t.Errorf("%d items, first %q: want the 30 rows alone", len(snap.Items), snap.Items[0].Kind)
	}
}

// A short post (under minLooseArticleWords) with a few related links
// under it, on a page that declares nothing: at an article's address it
// is an article; at a section's, the same page is taken for its list.
func TestShortPostAtArticleAddress(t *testing.T) {
	post := prose("post", 4, 22) // 88 words
	page := `<html><head><title>Interning of small integers</title></head><body><div class="post"><h2>Interning of small integers</h2><p>` +
		strings.Join(post, "</p><p>") + `</p></div>` + teasers(4, 0) + `</body></html>`
	rules := Rules{AutoListing: true, AutoArticle: true}
	for _, c := range []struct {
		address string
		article bool
	}{
		{"https://blog.example.org/2019/10/21/interning-of-small-integers/", true},
		{"https://blog.example.org/notes/", false},
	} {
		snap, err := Extract([]byte(page), "text/html", mustParse(c.address), rules)
		if err != nil {
			t.Fatal(err)
		}
		got := len(snap.Items) > 0 && snap.Items[0].Kind == KindArticle
		if got != c.article {
			t.Errorf("%s: article %v, want %v (%d items)", c.address, got, c.article, len(snap.Items))
			continue
		}
		if got && (!strings.Contains(snap.Items[0].Body, post[3]) || strings.Contains(snap.Items[0].Body, "harvest festival")) {
			t.Errorf("%s: body %q", c.address, snap.Items[0].Body)
		}
	}
}

// A page read from a file (`pubwatch inspect FILE`, a saved page) is at
// the address it gives itself, when it gives one: its canonical link or
// og:url, not the file's name. There, as at a fetched article's address,
// a short report beside a longer list of the site's other news is the
// page's article. A page saved from a browser's tree may have an element
// a script put before its <head>; the parser then moves what the head
// holds into the body, and the address is found there.
func TestSavedPageAddress(t *testing.T) {
	brief := prose("tender", 3, 25) // 75 words, where the 20 teasers have 140
	page := func(before, head string) []byte {
		return []byte(`<html>` + before + `<head><title>Harbour authority opens tender</title>` + head + `</head><body>` +
			`<div class="story"><h1>Harbour authority opens tender</h1><p>` + strings.Join(brief, "</p><p>") + `</p></div>` +
			`<section><h2>More news</h2>` + teasers(20, 0) + `</section></body></html>`)
	}
	const article = "https://agency.example.org/news/2025/12/17/harbour-authority-opens-tender.html"
	rules := Rules{AutoListing: true, AutoArticle: true}
	for _, c := range []struct {
		name, address, head string
		article             bool
		before              string
	}{
		{"saved, canonical link", "file:///saved/page.html", `<link rel="canonical" href="` + article + `">`, true, ""},
		{"saved from a browser, canonical link", "file:///saved/page.html", `<link rel="canonical" href="` + article + `">`, true, `<div id="css-stamp" style="position: absolute"></div>`},
		{"saved from a browser, og:url", "file:///saved/page.html", `<meta property="og:url" content="` + article + `">`, true, `<div id="css-stamp"></div>`},
		{"saved from a browser without an address", "file:///saved/page.html", ``, false, `<div id="css-stamp"></div>`},
		{"saved, og:url", "file:///saved/page.html", `<meta property="og:url" content="` + article + `">`, true, ""},
		{"saved, canonical path", "file:///saved/page.html", `<link rel="canonical" href="/news/2025/12/17/harbour-authority-opens-tender.html">`, true, ""},
		{"saved front page named like a slug", "file:///saved/agency_main_site.html", `<link rel="canonical" href="https://agency.example.org/news/">`, false, ""},
		{"saved without an address", "file:///saved/page.html", ``, false, ""},
		{"fetched, canonical at the front page", article, `<link rel="canonical" href="https://agency.example.org/">`, true, ""},
		{"fetched section, canonical an article's", "https://agency.example.org/news/", `<link rel="canonical" href="` + article + `">`, true, ""},
		{"fetched section", "https://agency.example.org/news/", `<link rel="canonical" href="https://agency.example.org/news/">`, false, ""},
	} {
		snap, err := Extract(page(c.before, c.head), "text/html", mustParse(c.address), rules)
		if err != nil {
			t.Fatal(err)
		}
		got := len(snap.Items) > 0 && snap.Items[0].Kind == KindArticle
		if got != c.article || len(snap.Items) != 20+map[bool]int{true: 1}[c.article] {
			t.Errorf("%s: article %v, %d items; want article %v", c.name, got, len(snap.Items), c.article)
			continue
		}
		if got && (!strings.Contains(snap.Items[0].Body, brief[2]) || strings.Contains(snap.Items[0].Body, "harvest festival")) {
			t.Errorf("%s: body %q", c.name, snap.Items[0].Body)
		}
	}
}

// An article's column inside an element named after the sidebar beside
// it ("l-sidebar-fixed") is the page's content, not its furniture: the
// page is not taken for its "More From" box alone.
func TestArticleInsideSidebarLayout(t *testing.T) {
	paras := prose("wheeler", 5, 30)
	page := `<html><head><title>Chairman departs</title></head><body>` +
		`<header><h1>Chairman departs</h1></header>` +
		`<div class="l-sidebar-fixed l-segment"><div class="l-col__main"><div class="c-entry-content"><p>` + strings.Join(paras, "</p><p>") + `</p></div></div>` +
		`<div class="l-col__sidebar">` + teasers(4, 12) + `</div></div></body></html>`
	snap, err := Extract([]byte(page), "text/html", mustParse("https://tech.example.com/2016/12/15/13971502/chairman-departs"), Rules{AutoListing: true, AutoArticle: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Items) == 0 || snap.Items[0].Kind != KindArticle || !strings.Contains(snap.Items[0].Body, paras[4]) {
		t.Fatalf("got %d items, first %+v", len(snap.Items), snap.Items)
	}
}

// withoutListing takes the site's own stories out of an article's body:
// a "More From" box under it, "Read also" links between its paragraphs.
// A buying guide's offers on shops' sites and a list article's entries,
// each between paragraphs of its own, are the article.
func TestWithoutListing(t *testing.T) {
	page := mustParse("https://news.example.org/2025/12/17/harbour-tender.html")
	para := prose("para", 8, 25)
	own := func(titles ...string) (items []Item) {
		for i, title := range titles {
			items = append(items, Item{Kind: KindListing, Title: title, URL: fmt.Sprintf("https://www.example.org/2025/12/%02d/story.html", i+1)})
		}
		return items
	}
	shop := func(titles ...string) (items []Item) {
		for _, title := range titles {
			items = append(items, Item{Kind: KindListing, Title: title, URL: "https://www.shop.example.com/offer?tag=guide-21"})
		}
		return items
	}
	entries := []string{"Costume one made of paper bags", "Costume two made of old sheets", "Costume three made of cardboard",
		"Costume four made of tinfoil", "Costume five made of felt"}
	for _, c := range []struct {
		name  string
		body  string
		items []Item
		want  string
	}{
		{"a More From box under the article",
			lines(para[:3], []string{"More news", "Cabinet signs agreement on grain exports", "Railway company publishes summer timetable", "City council reviews plan for the old port"}),
			own("Cabinet signs agreement on grain exports", "Railway company publishes summer timetable", "City council reviews plan for the old port"),
			lines(para[:3])},
		{"an archive box ending the body, under its headings",
			lines(para[:3], []string{"Aus dem Archiv", "Weitere Meldungen aus dem Archiv vom 28.04.2020", "Cabinet signs agreement on grain exports, 28.04.2020", "Railway company publishes summer timetable, 28.04.2020", "City council reviews plan for the old port, 28.04.2020"}),
			own("Cabinet signs agreement on grain exports, 28.04.2020", "Railway company publishes summer timetable, 28.04.2020", "City council reviews plan for the old port, 28.04.2020"),
			lines(para[:3])},
		{"a box between paragraphs keeps the subheading under it",
			lines(para[:3], []string{"Weitere Meldungen aus dem Archiv", "Cabinet signs agreement on grain exports", "Railway company publishes summer timetable", "City council reviews plan for the old port", "What the budget holds"}, para[3:5]),
			own("Cabinet signs agreement on grain exports", "Railway company publishes summer timetable", "City council reviews plan for the old port"),
			lines(para[:3], []string{"What the budget holds"}, para[3:5])},
		{"read-also links between paragraphs",
			lines(para[:1], []string{"Read also: Cabinet signs agreement on grain exports"}, para[1:2], []string{"Read more: Railway company publishes summer timetable"}, para[2:4]),
			own("Cabinet signs agreement on grain exports", "Railway company publishes summer timetable", "City council reviews plan for the old port"),
			lines(para[:4])},
		{"a buying guide's offers",
			lines(para[:1], []string{"Notebook with a quad-core processor for 832 euros"}, para[1:2], []string{"Headset with camera for 325 euros", "USB stick of 64 gigabytes for 16 euros"}),
			shop("Notebook with a quad-core processor for 832 euros", "Headset with camera for 325 euros", "USB stick of 64 gigabytes for 16 euros"),
			lines(para[:1], []string{"Notebook with a quad-core processor for 832 euros"}, para[1:2], []string{"Headset with camera for 325 euros", "USB stick of 64 gigabytes for 16 euros"})},
		{"a list article's entries",
			lines(para[:1], entries[:1], para[1:2], entries[1:2], para[2:3], entries[2:3], para[3:4], entries[3:4], para[4:5], entries[4:5], para[5:6]),
			own(entries...),
			lines(para[:1], entries[:1], para[1:2], entries[1:2], para[2:3], entries[2:3], para[3:4], entries[3:4], para[4:5], entries[4:5], para[5:6])},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := withoutListing(c.body, c.items, page); got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestSiteKey(t *testing.T) {
	for host, want := range map[string]string{
		"www.example.org":   "example.org",
		"news.example.org":  "example.org",
		"example.org":       "example.org",
		"www.bbc.co.uk":     "bbc.co.uk",
		"www.folha.com.br":  "folha.com.br",
		"amazon.de":         "amazon.de",
		"a.b.shop.example.": "shop.example",
		"localhost":         "localhost",
	} {
		if got := siteKey(host); got != want {
			t.Errorf("siteKey(%q) = %q, want %q", host, got, want)
		}
	}
}

func TestArticleAddress(t *testing.T) {
	for addr, want := range map[string]bool{
		"https://agency.example.org/news/2025/12/17/budget-adopted-by-assembly.html":       true,
		"https://www.example.com/Breaking-News/Son-stabbed-608399":                         true,
		"https://www.example.jp/articles/ASM2Q5HKNM2QUCVL02D.html":                         true,
		"https://agency.example.org/politics/20251217/c0001.html":                          true,
		"http://blog.example.org/blog/archives/2019/04/treeviz.html":                       true,
		"https://www.example.com/news/m/1c621104-b0eb-3b4d-9b0a-7bb979f80d7d/undefined":    true,
		"https://english.news.example.cn/20250317/8d1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c/c.html": true,
		"https://www.example.ir/Detail/2025/03/17/745123/Iran-talks":                       true,
		"https://www.example.sy/en/?p=345678":                                              true,
		"https://www.example.net/NewsFocus/policies/view?articleId=261234":                 true,
		"https://www.example.kr/news/articleView.html?idxno=345678":                        true,
		"https://news.example.com/main/read.naver?mode=LSD&sid1=100&aid=0014512345":        true,
		"https://agency.example.org/politics/":                                             false,
		"https://www.example.kr/news/articleList.html?sc_section_code=S1N1&page=2":         false,
		"https://www.example.com/news/list?categoryId=100001":                              false,
		"https://www.example.com/news/?page=12345":                                         false,
		"https://www.example.org/news/undefined":                                           false,
		"https://agency.example.org/2025/12/":                                              false,
		"https://agency.example.org/2025/12/17/":                                           false,
		"https://agency.example.org/2025/12/page/2":                                        false,
		"https://www.example.org/en/":                                                      false,
		"https://www.example.org/newsroom/index.html":                                      false,
		"https://www.example.org/sections/international":                                   false,
	} {
		if got := articleAddress(mustParse(addr)); got != want {
			t.Errorf("articleAddress(%s) = %v, want %v", addr, got, want)
		}
	}
}

// A short post under a blog's menu of a few one-word links, saved to a
// file (no address says it is a post), is the page's article: the menu
// is furniture, no listing to hold the post to a front page's measure.
func TestShortPostUnderLinkBar(t *testing.T) {
	post := prose("letter", 4, 22) // 88 words
	page := func(paras []string) []byte {
		return []byte(`<html><head><title>Letters - Blog</title></head><body>` +
			`<div class="uMenuH"><ul><li><a href="/blog">Blog</a></li><li><a href="/photo">Albums</a></li><li><a href="/imprint">Imprint</a></li></ul></div>` +
			`<div id="content"><h2>Letters from the harbour</h2><p>` + strings.Join(paras, "</p><p>") + `</p></div></body></html>`)
	}
	rules := Rules{AutoListing: true, AutoArticle: true}
	snap, err := Extract(page(post), "text/html", mustParse("file:///saved/page.html"), rules)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Items) != 1 || snap.Items[0].Kind != KindArticle || !strings.Contains(snap.Items[0].Body, post[3]) {
		t.Fatalf("got %+v, want the post alone as the article", snap.Items)
	}
	// Under the same menu, a line of text is no article.
	snap, err = Extract(page([]string{"Nothing here yet."}), "text/html", mustParse("file:///saved/page.html"), rules)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range snap.Items {
		if it.Kind == KindArticle {
			t.Errorf("a page of one line read as an article: %+v", it)
		}
	}
}

// A post laid out by a page builder, every block of it named a widget
// (Elementor's "elementor-widget-text-editor"), is an article, not
// furniture beside its "You may also like" box.
func TestPageBuilderPost(t *testing.T) {
	paras := prose("earring", 6, 30)
	var blocks strings.Builder
	for _, p := range paras {
		fmt.Fprintf(&blocks, `<div class="elementor-widget-wrap"><div class="elementor-element elementor-widget elementor-widget-text-editor"><div class="elementor-widget-container"><p>%s</p></div></div></div>`, p)
	}
	page := `<html><head><title>Ear candy</title></head><body>` +
		`<div class="elementor-widget elementor-widget-nav-menu"><ul><li><a href="/beauty/">Beauty</a></li><li><a href="/fashion/">Fashion</a></li><li><a href="/travel/">Travel</a></li></ul></div>` +
		`<h1>Ear candy</h1>` + blocks.String() + `<h2>You may also like</h2>` + teasers(3, 0) + `</body></html>`
	snap, err := Extract([]byte(page), "text/html", mustParse("file:///saved/page.html"), Rules{AutoListing: true, AutoArticle: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Items) == 0 || snap.Items[0].Kind != KindArticle || !strings.Contains(snap.Items[0].Body, paras[5]) {
		t.Fatalf("got %+v, want the post as the article", snap.Items)
	}
	for _, it := range snap.Items[1:] {
		if strings.Contains(it.Title, "Beauty") || strings.Contains(it.Title, "Fashion") {
			t.Errorf("the builder's menu was taken for items: %+v", it)
		}
	}
}

// A site that writes its header, sidebar and content in the one markup
// of its boxes (a heading with a link, then text) may have its regions
// found as a listing of three or four items (a news system's table rows,
// a blog's "div > div"); the one that holds the page's prose is its
// article, not a teaser. A blog's front page with its newest post in full
// above the excerpts of the others keeps them all.
func TestWithoutOwnArticle(t *testing.T) {
	base := mustParse("file:///saved/page.html")
	boxes := func(page string) ([]Item, []*html.Node) {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		var items []Item
		var nodes []*html.Node
		doc.Find("div.box").Each(func(_ int, s *goquery.Selection) {
			it := autoItem(s, base)
			it.Kind = KindListing
			items = append(items, it)
			nodes = append(nodes, s.Nodes[0])
		})
		return items, nodes
	}
	box := func(href, title, text string) string {
		return fmt.Sprintf(`<div class="box"><h3><a href="%s">%s</a></h3><p>%s</p></div>`, href, title, text)
	}
	paras := prose("cinema", 4, 45)
	regions := box("/", "Talks about town", "A blog about the city and its people.") +
		box("/recommended/", "Recommended", "Friends of this blog and what they write about the city.") +
		box("/news/", "News", "What happened this week.") +
		box("/2013/08/07/cinemas-go-digital/", "Cinemas go digital", strings.Join(paras, " "))
	items, nodes := boxes(regions)
	if len(items) != 4 {
		t.Fatalf("%d boxes", len(items))
	}
	kept, keptNodes := withoutOwnArticle(items, nodes, base, nil)
	if len(kept) != 3 || len(keptNodes) != 3 {
		t.Errorf("the page's regions: kept %d items, %d nodes; want the three boxes without the article", len(kept), len(keptNodes))
	}
	for _, it := range kept {
		if it.Title == "Cinemas go digital" {
			t.Errorf("the article was kept as an item")
		}
	}
	kept, _ = withoutOwnArticle(items[1:], nodes[1:], base, nil)
	if len(kept) != 0 {
		t.Errorf("two boxes left are the page's layout, not a listing: kept %+v", kept)
	}

	var posts strings.Builder
	posts.WriteString(box("/2025/12/17/newest-post/", "The newest post of all", strings.Join(prose("newest", 4, 50), " ")))
	for i := range 6 {
		posts.WriteString(box(fmt.Sprintf("/2025/12/%02d/older-post-%d/", 10-i, i), fmt.Sprintf("An older post number %d", i), prose(fmt.Sprintf("older%d", i), 1, 40)[0]))
	}
	items, nodes = boxes(posts.String())
	if kept, _ := withoutOwnArticle(items, nodes, base, nil); len(kept) != 7 {
		t.Errorf("the blog's front page lists %d posts, want 7", len(kept))
	}
}

// An aggregator may set its short post in the same boxes as its column of
// other stories, with the headline in a header above and repeated in the
// post's box: at an article's address, the box holding the headline is
// the page's article, not a teaser, and the other boxes stay its listing.
func TestShortPostAmongItsColumn(t *testing.T) {
	story := func(href, title string, paras ...string) string {
		var b strings.Builder
		fmt.Fprintf(&b, `<div class="story"><h3><a href="%s">%s</a></h3>`, href, title)
		for _, p := range paras {
			fmt.Fprintf(&b, `<p>%s</p>`, p)
		}
		b.WriteString(`</div>`)
		return b.String()
	}
	const headline = "Council cancels joint events with the mayor"
	post := prose("cancel", 3, 30)
	var column strings.Builder
	for i := range 12 {
		column.WriteString(story(fmt.Sprintf("/news/m/%d/other-story-number-%d.html", 1000+i, i),
			fmt.Sprintf("Another story of the day number %d", i), prose(fmt.Sprintf("other%d", i), 1, 12)[0]))
	}
	// The post's box links to where it was first published.
	page := `<html><head><title>` + headline + `</title></head><body><header><h1>` + headline + `</h1></header>` +
		`<main>` + story("https://source.example/2016/10/03/council-cancels-joint-events", headline, post...) + `</main>` +
		`<div class="column">` + column.String() + `</div></body></html>`
	at := mustParse("https://news.example/news/m/777/council-cancels-joint-events.html")
	snap, err := Extract([]byte(page), "text/html", at, Rules{AutoListing: true, AutoArticle: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Items) == 0 || snap.Items[0].Kind != KindArticle || !strings.Contains(snap.Items[0].Body, post[2]) {
		t.Fatalf("got %+v, want the post as the article", snap.Items)
	}
	listed := 0
	for _, it := range snap.Items[1:] {
		if it.Title == headline {
			t.Errorf("the post was kept as a teaser: %+v", it)
		}
		listed++
	}
	if listed != 12 {
		t.Errorf("%d teasers beside the post, want the column's 12", listed)
	}

	// The same page at a section's address is the column's listing: no
	// headline is looked for there.
	snap, err = Extract([]byte(page), "text/html", mustParse("https://news.example/news/"), Rules{AutoListing: true, AutoArticle: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Items) == 0 || snap.Items[0].Kind != KindListing {
		t.Errorf("at a section's address: got %+v, want the column as a listing", snap.Items[:1])
	}
}

// A page read from a file tells its own links from other sites' by the
// address it gives itself: a buying guide saved to disk keeps its shops'
// offers in its body, as it does fetched.
func TestSiteAddress(t *testing.T) {
	links := func(prefix string, n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `<a href="%s%d">Link %d</a> `, prefix, i, i)
		}
		return b.String()
	}
	const canonical = `<html><head><link rel="canonical" href="https://guide.example.com/2025/12/best-notebooks"></head><body><p>Text</p></body></html>`
	for _, c := range []struct {
		name, page, base, want string
	}{
		{"a saved page, by its canonical link", canonical, "file:///saved/page.html", "https://guide.example.com/2025/12/best-notebooks"},
		{"a fetched page, where it was fetched", canonical, "https://mirror.example.org/guide", "https://mirror.example.org/guide"},
		{"a saved page, by a canonical link without a scheme", `<html><head><link rel="canonical" href="//www.example.cl/politica/gira-por-magallanes-5287894"></head></html>`, "file:///saved/page.html", "https://www.example.cl/politica/gira-por-magallanes-5287894"},
		{"a fetched page, with a canonical link without a scheme", `<html><head><link rel="canonical" href="//www.example.cl/politica/gira"></head></html>`, "http://www.example.cl/politica/gira?utm_source=feed", "http://www.example.cl/politica/gira?utm_source=feed"},
		{"a saved page that says nothing of itself", `<html><body><p>Text</p></body></html>`, "file:///saved/page.html", "file:///saved/page.html"},
		{"a saved page whose links lead to its site", `<html><body>` + links("https://en.wiki.example/wiki/", 6) + links("https://www.other.example/", 2) + `</body></html>`, "file:///saved/page.html", "https://wiki.example"},
		{"a saved page whose links lead nowhere in particular", `<html><body>` + links("https://en.wiki.example/wiki/", 4) + links("https://www.other.example/", 3) + `</body></html>`, "file:///saved/page.html", "file:///saved/page.html"},
		{"a fetched page, whatever its links", `<html><body>` + links("https://en.wiki.example/wiki/", 6) + `</body></html>`, "https://mirror.example.org/guide", "https://mirror.example.org/guide"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(c.page))
			if err != nil {
				t.Fatal(err)
			}
			if got := siteAddress(doc, mustParse(c.base), ownAddress(doc, mustParse(c.base))); got.String() != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
	// A saved encyclopedia page without an address of its own keeps its
	// references to other sites, known by where its own links lead.
	refs := []string{"Over and over: why is the film industry still obsessed with loops?", "The perfect comedy, for ever and ever"}
	refItems := []Item{
		{Kind: KindListing, Title: refs[0], URL: "https://www.paper.example/film/2019/feb/13/loops"},
		{Kind: KindListing, Title: refs[1], URL: "https://www.paper.example/film/2013/feb/07/comedy"},
	}
	refBody := lines(prose("loops", 2, 25), refs)
	wiki, _ := goquery.NewDocumentFromReader(strings.NewReader(`<html><body>` + links("https://en.wiki.example/wiki/", 8) + links("https://www.paper.example/film/", 2) + `</body></html>`))
	if got := withoutListing(refBody, refItems, siteAddress(wiki, mustParse("file:///saved/page.html"), ownAddress(wiki, mustParse("file:///saved/page.html")))); got != refBody {
		t.Errorf("the saved encyclopedia page lost its references:\n%s", got)
	}

	offers := []string{"Notebook with a quad-core processor for 832 euros", "Headset with camera for 325 euros", "USB stick of 64 gigabytes for 16 euros"}
	var items []Item
	for _, o := range offers {
		items = append(items, Item{Kind: KindListing, Title: o, URL: "https://www.shop.example.net/offer?tag=guide-21"})
	}
	body := lines(prose("guide", 2, 25), offers)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(canonical))
	if got := withoutListing(body, items, siteAddress(doc, mustParse("file:///saved/page.html"), ownAddress(doc, mustParse("file:///saved/page.html")))); got != body {
		t.Errorf("the saved guide lost its offers:\n%s", got)
	}
}

// A blog post at an address that says nothing ("/822") whose sidebar of
// the newest posts, longer than the post, begins with the post itself is
// the post's page: the page links to itself under its headline. Read from
// a file, the address is the one the page gives itself. A page with the
// same sidebar that links to itself under no headline, or only from the
// site's root, is a listing as before; and the post's own link is no item
// of its sidebar, fetched or saved.
func TestPostInItsOwnSidebar(t *testing.T) {
	post := prose("tagung", 4, 25) // 100 words, where the sidebar has 150
	page := func(self, canonical string) []byte {
		menu := ""
		if strings.HasPrefix(self, "menu:") {
			// A section's page, linked from its menu under its name.
			self = strings.TrimPrefix(self, "menu:")
			menu = `<ul class="main-menu"><li><a href="` + self + `">Tagung: Institutionen revolutionärer Macht in den Revolutionen</a></li></ul>`
			self = "/823"
		}
		var side strings.Builder
		// As WordPress's Twenty Fourteen lays out its sidebar.
		side.WriteString(`<div id="content-sidebar" class="content-sidebar widget-area" role="complementary">` +
			`<aside class="widget widget_text"><h1 class="widget-title">Was ist dieses Blog?</h1><div class="textwidget">Das Blog einer Forschungsgruppe.</div></aside>` +
			`<aside class="widget widget_recent_entries"><h1 class="widget-title">Letzte Artikel</h1><ul>`)
		fmt.Fprintf(&side, `<li><a href="%s">Tagung: Institutionen revolutionärer Macht in den Revolutionen</a> <span class="post-date">28. Januar 2015</span></li>`, self)
		for i := range 14 {
			fmt.Fprintf(&side, `<li><a href="/%d">Neuerscheinung: Jahrbuch der Gesellschaft zur Geschichte %d</a> <span class="post-date">%d. Januar 2015</span></li>`, 800-i, i, 27-i)
		}
		side.WriteString(`</ul></aside></div>`)
		return []byte(`<html><head><title>Tagung: Institutionen revolutionärer Macht in den Revolutionen | achtundvierzig</title>` + canonical +
			`</head><body>` + menu + `<div class="post"><h2>Tagung: Institutionen revolutionärer Macht in den Revolutionen</h2><p>` +
			strings.Join(post, "</p><p>") + `</p></div>` + side.String() + `</body></html>`)
	}
	rules := Rules{AutoListing: true, AutoArticle: true}
	for _, c := range []struct {
		name, address, self, canonical string
		article                        bool
	}{
		{"fetched", "https://blog.example.org/822", "/822", "", true},
		{"fetched with a query", "https://blog.example.org/?p=822", "/?p=822", "", true},
		{"saved, canonical link", "file:///saved/page.html", "https://blog.example.org/822", `<link rel="canonical" href="https://blog.example.org/822">`, true},
		{"saved without an address", "file:///saved/page.html", "https://blog.example.org/822", "", false},
		{"fetched, the post linked from elsewhere", "https://blog.example.org/822", "/823", "", false},
		{"fetched, linked from the menu only", "https://blog.example.org/822", "menu:/822", "", false},
		{"front page", "https://blog.example.org/", "/", "", false},
	} {
		snap, err := Extract(page(c.self, c.canonical), "text/html", mustParse(c.address), rules)
		if err != nil {
			t.Fatal(err)
		}
		got := len(snap.Items) > 0 && snap.Items[0].Kind == KindArticle
		if got != c.article {
			t.Errorf("%s: article %v, want %v (%d items)", c.name, got, c.article, len(snap.Items))
			continue
		}
		if got && !strings.Contains(snap.Items[0].Body, post[3]) {
			t.Errorf("%s: body %q", c.name, snap.Items[0].Body)
		}
		listed := 0
		for _, it := range snap.Items {
			if it.Kind == KindListing {
				listed++
				if strings.HasSuffix(it.URL, "/822") && strings.HasSuffix(c.self, "/822") && c.name != "saved without an address" {
					t.Errorf("%s: the page's own link is an item: %+v", c.name, it)
				}
			}
		}
		if listed < 14 {
			t.Errorf("%s: %d items listed, want the sidebar's", c.name, listed)
		}
	}
}

// A broadcaster's short item at an article's address (a programme's page:
// its headline and a description of 36 words) beside a long row of its
// other programmes is the page's article: its headline counts towards the
// shortest article, as it does for a page without a listing. The same
// description at a section's address is a listing's introduction.
func TestShortReportWithItsHeadline(t *testing.T) {
	desc := prose("programme", 2, 18) // 36 words
	page := `<html><head><title>Nahrungsergänzungsmittel - Das dubiose Geschäft mit der Hoffnung</title></head><body>` +
		`<div class="player"><h1>Nahrungsergänzungsmittel - Das dubiose Geschäft mit der Hoffnung</h1><p>` + strings.Join(desc, " ") + `</p></div>` +
		`<section><h2>Mehr aus der Sendung</h2>` + teasers(24, 0) + `</section></body></html>`
	rules := Rules{AutoListing: true, AutoArticle: true}
	for _, c := range []struct {
		address string
		article bool
	}{
		{"https://www.example.de/swr/player/Y3JpZDovL3N3ci5kZS9hZXgvbzExNjIyMjY/nahrungsergaenzungsmittel-das-dubiose-geschaeft", true},
		{"https://www.example.de/swr/sendungen/", false},
		// An agency's story named under a day's and its record's folders,
		// and a post named by its number in the query.
		{"https://english.news.example.cn/20251217/8d1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c/c.html", true},
		{"https://www.example.sy/en/?p=345678", true},
		{"https://www.example.kr/news/articleList.html?sc_section_code=S1N1&page=2", false},
	} {
		snap, err := Extract([]byte(page), "text/html", mustParse(c.address), rules)
		if err != nil {
			t.Fatal(err)
		}
		got := len(snap.Items) > 0 && snap.Items[0].Kind == KindArticle
		if got != c.article || len(snap.Items) < 24 {
			t.Errorf("%s: article %v, %d items; want article %v beside the 24 programmes", c.address, got, len(snap.Items), c.article)
			continue
		}
		if got && !strings.Contains(snap.Items[0].Body, desc[1]) {
			t.Errorf("%s: body %q", c.address, snap.Items[0].Body)
		}
	}
}

// A blog's post of two sentences under its headline, at an article's
// address and with no listing beside it, is the page's article; the same
// few words elsewhere are watched as the page's text.
func TestTwoSentencePost(t *testing.T) {
	page := `<html><head><title>Die Möglichkeit nichts zu tun ist auch eine Möglichkeit | gnaur</title></head><body>` +
		`<header><a href="/">gnaur</a></header><div class="post"><h1>Die Möglichkeit nichts zu tun ist auch eine Möglichkeit</h1>` +
		`<p>„Ich weiß ich bin betrunken und sollte das vielleicht nicht sagen…“ – „Dann sag es nicht“ – „Ok.“ So endete der Abend.</p></div>` +
		`<footer>Bloggen auf WordPress.com.</footer></body></html>`
	rules := Rules{AutoListing: true, AutoArticle: true}
	for _, c := range []struct {
		address string
		want    string
	}{
		{"https://gnaur.example.com/2013/06/14/die-moglichkeit-nichts-zu-tun-ist-auch-eine-moglichkeit/", KindArticle},
		{"https://gnaur.example.com/notes/", KindPage},
	} {
		snap, err := Extract([]byte(page), "text/html", mustParse(c.address), rules)
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.Items) != 1 || snap.Items[0].Kind != c.want {
			t.Errorf("%s: %+v, want one item of kind %s", c.address, snap.Items, c.want)
			continue
		}
		if c.want == KindArticle && (!strings.Contains(snap.Items[0].Body, "Dann sag es nicht") || strings.Contains(snap.Items[0].Body, "WordPress")) {
			t.Errorf("%s: body %q", c.address, snap.Items[0].Body)
		}
	}
}

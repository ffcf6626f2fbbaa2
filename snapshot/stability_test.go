package snapshot

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// stablePage is an agency article page with a "More From" list; the
// arguments are what changes from one fetch to the next without the news
// changing.
func stablePage(mostRead []string, stamp, adID string) string {
	var side strings.Builder
	for i, h := range mostRead {
		fmt.Fprintf(&side, `<li><a href="/news/2025/popular-%d.html">%s</a></li>`, i, h)
	}
	body := strings.Repeat(`<p>The plenary meeting of the assembly discussed the budget for the coming year and heard reports from the cabinet on the economy.</p>`, 4)
	return `<!DOCTYPE html><html><head><title>Plenary Meeting Held | Agency</title><meta property="og:type" content="article"></head><body>
<header class="site-header"><nav><a href="/">Home</a> <a href="/politics/">Politics</a></nav></header>
<div class="ad-slot" id="` + adID + `"><a href="https://ads.example/click?id=` + adID + `">Buy the Best Tractors in the Country Today</a></div>
<main><article><h1>Plenary Meeting Held</h1><p class="dateline">December 17, 2025</p><div class="body">` + body + `</div></article>
<section class="more-from"><h2>More From Politics</h2><ul>
<li><a href="/news/2025/12/16/delegation.html">Government Delegation Returns Home</a> <span class="date">December 16, 2025</span></li>
<li><a href="/news/2025/12/15/trade.html">Trade Agreement Signed With Neighbouring Country</a> <span class="date">December 15, 2025</span></li>
<li><a href="/news/2025/12/14/anniversary.html">Meeting Marks Anniversary of Founding</a> <span class="date">December 14, 2025</span></li>
</ul></section></main>
<aside class="sidebar"><h2>Most Read</h2><ol>` + side.String() + `</ol></aside>
<footer><p>Updated ` + stamp + `</p></footer></body></html>`
}

// The same news with another sidebar, timestamp and ad gives identical
// items and body.
func TestExtractionIsStable(t *testing.T) {
	base, _ := url.Parse("https://agency.example/news/2025/12/17/plenary.html")
	rules := Rules{AutoListing: true, AutoArticle: true}
	a, err := Extract([]byte(stablePage([]string{"Winter Preparations Under Way in the North", "Harvest Completed Ahead of Schedule Again"}, "10:02:13", "ad-81723")), "text/html", base, rules)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Extract([]byte(stablePage([]string{"New Railway Line Opens in the Mountains", "Orchestra Gives Concert for Workers", "Scientists Report Progress on New Rice Variety"}, "10:17:55", "ad-99120")), "text/html", base, rules)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("items differ:\n%+v\n%+v", a.Items, b.Items)
	}
	if len(a.Items) != 4 || a.Items[0].Kind != KindArticle || !strings.Contains(a.Items[0].Body, "plenary meeting") {
		t.Errorf("want the article and its three More From items, got %+v", a.Items)
	}
	// And it is deterministic: the same bytes, the same result.
	for i := 0; i < 5; i++ {
		c, _ := Extract([]byte(stablePage([]string{"Winter Preparations Under Way in the North", "Harvest Completed Ahead of Schedule Again"}, "10:02:13", "ad-81723")), "text/html", base, rules)
		if !reflect.DeepEqual(a, c) {
			t.Fatal("extraction is not deterministic")
		}
	}
}

// The date printed under the headline is the article's date, however it
// is marked up; a footer's "Page generated" stamp that changes at every
// visit (which go-htmldate prefers to an unmarked dateline) never is.
func TestDatelineBeatsFooterStamp(t *testing.T) {
	base, _ := url.Parse("https://agency.example/news/harbour.html")
	page := func(dateline, stamp string) string {
		return `<!DOCTYPE html><html><head><title>Harbour Opens Bridge | Agency</title></head><body>
<header><a href="/">Agency</a></header><main><article><h1>Harbour Opens Bridge</h1>` + dateline +
			strings.Repeat(`<p>The harbour council opened the new bridge to traffic on Tuesday after two years of work by the railway and steel workers.</p>`, 4) +
			`</article></main><footer><p>Page generated ` + stamp + `</p></footer></body></html>`
	}
	for _, tc := range []struct{ name, dateline string }{
		{"classed", `<p class="dateline">December 24, 2025</p>`},
		{"bare paragraph", `<p>December 24, 2025</p>`},
		{"time without datetime", `<time>December 24, 2025</time>`},
		{"byline", `<div class="meta">By Staff | December 24, 2025</div>`},
		{"numeric", `<p>24.12.2025 14:30</p>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, stamp := range []string{"2025-12-17 10:00:00", "2025-12-18 08:31:07", "2026-01-03 23:59:59"} {
				snap, err := Extract([]byte(page(tc.dateline, stamp)), "text/html", base, Rules{AutoArticle: true})
				if err != nil {
					t.Fatal(err)
				}
				if it := snap.Items[0]; it.Date != "2025-12-24" || it.Published != "2025-12-24" {
					t.Errorf("stamp %s: date %q, published %q; want 2025-12-24", stamp, it.Date, it.Published)
				}
			}
		})
	}
}

package labelled

import (
	"fmt"
	"math/rand"
	"strings"
)

// layout writes a page around its items; v varies furniture and details.
type layout struct {
	name  string
	build func(g *gen, items []Item, v int) string
}

var layouts = []layout{
	{"agency-section", func(g *gen, items []Item, v int) string {
		// A state news agency's section page: headline, date, summary.
		var b strings.Builder
		b.WriteString(g.navMenu(v) + g.breadcrumbs("politics") + `<main><h1>Politics</h1><ul class="news-list">`)
		for i, it := range items {
			long, _, _ := g.date(i)
			fmt.Fprintf(&b, `<li class="news-item"><h3><a href="%s">%s</a></h3><span class="date">%s</span><p class="summary">%s</p></li>`, path(it.URL), it.Title, long, g.summary())
		}
		b.WriteString(`</ul>` + g.pagination() + `</main>` + g.mostRead(v) + g.footer())
		return page("Politics | National News Agency", "", b.String())
	}},
	{"agency-article-more-from", func(g *gen, items []Item, v int) string {
		// An article page followed by a "More From" list of teasers.
		var b strings.Builder
		b.WriteString(g.navMenu(v) + `<main><article class="news-article"><h1>Supreme Assembly Holds Plenary Meeting</h1><p class="dateline">December 17, 2025</p><div class="article-body">`)
		for i := 0; i < 5; i++ {
			b.WriteString(`<p>` + g.summary() + ` ` + g.summary() + ` The session continued with reports from the <a href="/glossary/provinces">provinces</a> and the cabinet.</p>`)
		}
		b.WriteString(`</div>` + g.share() + `</article><section class="more-from"><h2>More From Politics</h2><ul>`)
		for i, it := range items {
			long, _, _ := g.date(i)
			fmt.Fprintf(&b, `<li><a href="%s">%s</a> <span class="date">%s</span></li>`, path(it.URL), it.Title, long)
		}
		b.WriteString(`</ul></section></main>` + g.footer())
		return page("Supreme Assembly Holds Plenary Meeting | Agency", `<meta property="og:type" content="article">`, b.String())
	}},
	{"newspaper-cards", func(g *gen, items []Item, v int) string {
		// A newspaper's card grid: image link and headline link to the same story.
		var b strings.Builder
		b.WriteString(`<header class="masthead"><a href="/">The Daily Example</a>` + g.navMenu(v) + `</header><main class="content"><div class="card-grid">`)
		for i, it := range items {
			_, iso, _ := g.date(i)
			fmt.Fprintf(&b, `<div class="card card-%d"><a href="%s" class="card-image"><img src="/img/%d.jpg" alt=""></a><div class="card-body"><span class="kicker">Politics</span><h2 class="card-title"><a href="%s">%s</a></h2><time datetime="%sT09:00:00Z">%s</time><p>%s</p></div></div>`,
				i, path(it.URL), i, path(it.URL), it.Title, iso, iso, g.summary())
		}
		b.WriteString(`</div></main>` + g.tagCloud() + g.footer())
		return page("The Daily Example", "", b.String())
	}},
	{"blog-article-run", func(g *gen, items []Item, v int) string {
		// A WordPress-style blog index: a run of <article> elements.
		var b strings.Builder
		b.WriteString(`<div id="page"><header id="masthead" class="site-header"><p class="site-title"><a href="/">Field Notes</a></p>` + g.navMenu(v+1) + `</header><div id="content"><main id="main" class="site-main">`)
		for i, it := range items {
			_, iso, _ := g.date(i)
			fmt.Fprintf(&b, `<article id="post-%d" class="post-%d post type-post status-publish"><header class="entry-header"><h2 class="entry-title"><a href="%s" rel="bookmark">%s</a></h2><div class="entry-meta"><time class="entry-date published" datetime="%s">%s</time> by <a href="/author/editor/">Editor</a></div></header><div class="entry-summary"><p>%s <a href="%s" class="more-link">Continue reading</a></p></div></article>`,
				1000+i, 1000+i, path(it.URL), it.Title, iso, iso, g.summary(), path(it.URL))
		}
		b.WriteString(`</main><aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2>Recent Posts</h2><ul>`)
		for i := 0; i < 5 && i < len(items); i++ {
			fmt.Fprintf(&b, `<li><a href="%s">%s</a></li>`, path(items[i].URL), items[i].Title)
		}
		b.WriteString(`</ul></section></aside></div>` + g.footer() + `</div>`)
		return page("Field Notes", "", b.String())
	}},
	{"government-press-table", func(g *gen, items []Item, v int) string {
		// A ministry's press releases as a table with a header row.
		var b strings.Builder
		b.WriteString(g.navMenu(v) + `<div class="container"><h1>Press Releases</h1><table class="releases"><thead><tr><th>Date</th><th>Title</th><th>Department</th></tr></thead><tbody>`)
		for i, it := range items {
			_, _, dotted := g.date(i)
			fmt.Fprintf(&b, `<tr><td>%s</td><td><a href="%s">%s</a></td><td>Press Office</td></tr>`, dotted, path(it.URL), it.Title)
		}
		b.WriteString(`</tbody></table>` + g.pagination() + `</div>` + g.footer())
		return page("Press Releases | Ministry", "", b.String())
	}},
	{"drupal-views", func(g *gen, items []Item, v int) string {
		// A Drupal government site: views rows with fields.
		var b strings.Builder
		b.WriteString(`<div class="region region-header">` + g.navMenu(v) + `</div><div class="region region-content"><div class="view view-news"><div class="view-content">`)
		for i, it := range items {
			long, _, _ := g.date(i)
			fmt.Fprintf(&b, `<div class="views-row views-row-%d"><div class="views-field views-field-created"><span class="field-content">%s</span></div><div class="views-field views-field-title"><h4 class="field-content"><a href="%s">%s</a></h4></div><div class="views-field views-field-body"><div class="field-content">%s</div></div></div>`,
				i+1, long, path(it.URL), it.Title, g.summary())
		}
		b.WriteString(`</div>` + g.pagination() + `</div></div>` + g.mostRead(v) + g.footer())
		return page("News | City Council", "", b.String())
	}},
	{"newsroom", func(g *gen, items []Item, v int) string {
		// A company newsroom: press items with a meta line and excerpt.
		var b strings.Builder
		b.WriteString(g.navMenu(v) + `<section class="newsroom"><h1>Newsroom</h1><div class="press-list">`)
		for i, it := range items {
			long, _, _ := g.date(i)
			fmt.Fprintf(&b, `<div class="press-item"><div class="meta"><span class="category">Press release</span> · <span class="date">%s</span></div><h3><a href="%s">%s</a></h3><div class="excerpt"><p>%s</p></div><a href="%s" class="read-more">Read more</a></div>`,
				long, path(it.URL), it.Title, g.summary(), path(it.URL))
		}
		b.WriteString(`</div></section><div class="newsletter-signup"><h2>Get our news by email</h2><a href="/newsletter/subscribe">Subscribe to the newsletter now</a></div>` + g.footer())
		return page("Newsroom | Example Corp", "", b.String())
	}},
	{"plain-ul", func(g *gen, items []Item, v int) string {
		// An old-fashioned page: a bare list with dates after the links.
		var b strings.Builder
		b.WriteString(`<table width="100%"><tr><td valign="top" width="180">`)
		for _, s := range []string{"Home Page of the Institute", "About the Institute", "Annual Reports Archive", "Statistics and Data", "Contact Information", "Job Vacancies at the Institute", "Library Catalogue Search"} {
			fmt.Fprintf(&b, `<a href="/%s.html">%s</a><br>`, strings.ToLower(strings.ReplaceAll(s, " ", "_")), s)
		}
		b.WriteString(`</td><td valign="top"><div id="content"><h2>Announcements</h2><ul>`)
		for i, it := range items {
			_, _, dotted := g.date(i)
			fmt.Fprintf(&b, `<li><a href="%s">%s</a> – %s</li>`, path(it.URL), it.Title, dotted)
		}
		b.WriteString(`</ul></div></td></tr></table>`)
		return page("Institute Announcements", "", b.String())
	}},
	{"hub-sections", func(g *gen, items []Item, v int) string {
		// A home page made of section boxes, all of them the page's items.
		var b strings.Builder
		b.WriteString(g.navMenu(v) + `<main class="home">`)
		per := (len(items) + 2) / 3
		for s := 0; s < 3; s++ {
			fmt.Fprintf(&b, `<section class="home-section section-%d"><h2><a href="/section-%d/">Section %d</a></h2><ul class="teasers">`, s, s, s)
			for i := s * per; i < (s+1)*per && i < len(items); i++ {
				fmt.Fprintf(&b, `<li class="teaser"><a href="%s" class="teaser-link"><span class="teaser-title">%s</span></a></li>`, path(items[i].URL), items[i].Title)
			}
			b.WriteString(`</ul></section>`)
		}
		b.WriteString(`</main>` + g.mostRead(0) + g.footer())
		return page("Home | National News Agency", "", b.String())
	}},
	{"release-table-headerless", func(g *gen, items []Item, v int) string {
		// Release notes in a table whose first row is the header.
		var b strings.Builder
		b.WriteString(g.navMenu(v) + `<div class="main"><div class="table-wrapper"><table class="gb-table"><tbody><tr><th>Name and information link</th><th>Available for</th><th>Release date</th></tr>`)
		for i, it := range items {
			long, _, _ := g.date(i)
			fmt.Fprintf(&b, `<tr><td><p><a href="%s">%s</a></p></td><td><p>All supported devices</p></td><td><p>%s</p></td></tr>`, path(it.URL), it.Title, long)
		}
		b.WriteString(`</tbody></table></div></div>` + g.footer())
		return page("Security Releases", "", b.String())
	}},
	{"ordered-list-dotted", func(g *gen, items []Item, v int) string {
		// A numbered list of decrees with dotted dates first.
		var b strings.Builder
		b.WriteString(g.navMenu(v) + `<div class="page"><div class="decrees"><h1>Decrees</h1><ol class="decree-list">`)
		for i, it := range items {
			_, _, dotted := g.date(i)
			fmt.Fprintf(&b, `<li class="decree"><span class="num">%s</span> <a class="decree-link" href="%s">%s</a></li>`, dotted, path(it.URL), it.Title)
		}
		b.WriteString(`</ol></div>` + g.tagCloud() + `</div>` + g.footer())
		return page("Decrees | Presidential Office", "", b.String())
	}},
	{"media-objects", func(g *gen, items []Item, v int) string {
		// Bootstrap media objects inside a column beside a sidebar.
		var b strings.Builder
		b.WriteString(g.navMenu(v) + `<div class="container"><div class="row"><div class="col-md-8">`)
		for i, it := range items {
			long, _, _ := g.date(i)
			fmt.Fprintf(&b, `<div class="media"><a class="media-left" href="%s"><img src="/t/%d.jpg" alt="%s"></a><div class="media-body"><h4 class="media-heading"><a href="%s">%s</a></h4><small class="text-muted">%s</small><p>%s</p></div></div>`,
				path(it.URL), i, it.Title, path(it.URL), it.Title, long, g.summary())
		}
		b.WriteString(`</div><div class="col-md-4">` + g.mostRead(1) + `</div></div></div>` + g.footer())
		return page("Latest | Regional Government", "", b.String())
	}},
	{"unmarked-link-bar", func(g *gen, items []Item, v int) string {
		// A bar of section links with headline-length texts and no menu
		// markup, more of them than items in the list.
		var b strings.Builder
		b.WriteString(`<div class="top-links">`)
		for _, s := range []string{"Latest Government Decisions on Trade", "Regional News From All Provinces", "Culture and Arts in the Capital",
			"Science and Technology Achievements", "Sports Results and Fixtures Today", "International Relations and Diplomacy",
			"Economy and Industry Reports", "Agriculture and Harvest Updates", "Education and Youth Programmes", "Health and Medicine Reports",
			"Photo Galleries of the Week", "Video Reports From the Regions"} {
			fmt.Fprintf(&b, `<a href="/%s/">%s</a> | `, strings.ToLower(strings.Fields(s)[0]), s)
		}
		b.WriteString(`</div><div class="list">`)
		for i, it := range items {
			long, _, _ := g.date(i)
			fmt.Fprintf(&b, `<div class="entry"><h3><a href="%s">%s</a></h3><em>%s</em></div>`, path(it.URL), it.Title, long)
		}
		b.WriteString(`</div>` + g.footer())
		return page("News", "", b.String())
	}},
	{"read-more-teasers", func(g *gen, items []Item, v int) string {
		// Teasers whose headline is not a link: only "Read more" is.
		var b strings.Builder
		b.WriteString(g.navMenu(v) + `<div id="news">`)
		for i, it := range items {
			long, _, _ := g.date(i)
			fmt.Fprintf(&b, `<div class="teaser"><h3>%s</h3><p class="date">%s</p><p>%s</p><a href="%s">Read more</a></div>`, it.Title, long, g.summary(), path(it.URL))
		}
		b.WriteString(`</div>` + g.footer())
		return page("News | Embassy", "", b.String())
	}},
}

// Pages returns the labelled set: every layout with several item counts and
// furniture variants, 42 pages.
func Pages() []Page {
	var out []Page
	counts := []int{4, 9, 17}
	for li, l := range layouts {
		for vi, n := range counts {
			g := &gen{r: rand.New(rand.NewSource(int64(li*10 + vi))), used: map[string]bool{}}
			section := "news"
			items := g.items(n, section)
			out = append(out, Page{
				Name:  fmt.Sprintf("%02d-%s-%d", li+1, l.name, n),
				URL:   host + "/index.html",
				HTML:  l.build(g, items, vi),
				Items: items,
			})
		}
	}
	return out
}

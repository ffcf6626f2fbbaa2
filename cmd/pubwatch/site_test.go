package main

import "strings"

// The test site: a section listing and an article page with a "More From"
// list, modelled on a state news agency, in revisions.

func listingPage(items ...string) string {
	return `<!DOCTYPE html><html><head><title>Politics | Agency</title>
<script>var ads = ["slot-1"];</script></head><body>
<nav class="menu"><ul><li><a href="/news/">Politics</a></li><li><a href="/economy/">Economy</a></li></ul></nav>
<main><h1>Politics</h1><ul class="news">` + strings.Join(items, "\n") + `</ul></main>
<footer>Page generated 2025-12-17 10:00:00</footer></body></html>`
}

func teaser(href, title, date, summary string) string {
	return `<li><a href="` + href + `">` + title + `</a> <span class="date">` + date + `</span><p>` + summary + `</p></li>`
}

func articlePage(body string, more ...string) string {
	return `<!DOCTYPE html><html><head><title>Plenary Meeting</title></head><body>
<header><a href="/">Agency</a></header>
<article><h1>Supreme Assembly Holds Plenary Meeting</h1><p class="dateline">December 17, 2025</p>
<div class="article-body">` + body + `</div></article>
<section class="more-from"><h2>More From Politics</h2><ul>` + strings.Join(more, "\n") + `</ul></section>
</body></html>`
}

const articleBodyV1 = `<p>The plenary meeting was held on Tuesday in the capital.</p>
<p>The meeting discussed the state budget for 2025 and adopted the budget for the coming year.</p>
<p>It also adopted a law on the protection of cultural heritage.</p>`

const articleBodyV2 = `<p>The plenary meeting was held on Tuesday in the capital.</p>
<p>The meeting discussed the state budget for 2025 and approved the budget for the coming year.</p>
<p>It also adopted a law on the protection of cultural heritage.</p>`

func moreFrom(href, title, date string) string {
	return `<li><a href="` + href + `">` + title + `</a> <span class="date">` + date + `</span></li>`
}

func revision1() map[string]string {
	return map[string]string{
		"/news/": listingPage(
			teaser("/news/a.html", "Delegation Leaves for Talks", "December 17, 2025", "The delegation left on Tuesday."),
			teaser("/news/b.html#top", "Trade Agreement Signed", "December 16, 2025", "The agreement covers machinery."),
			teaser("c.html", "Anniversary Meeting Held", "December 15, 2025", "Speakers recalled seven decades."),
		),
		"/news/plenary.html": articlePage(articleBodyV1,
			moreFrom("/news/a.html", "Delegation Leaves for Talks", "December 17, 2025"),
			moreFrom("/news/b.html", "Trade Agreement Signed", "December 16, 2025"),
		),
		"/flaky/": listingPage(teaser("/flaky/1.html", "Flaky One", "December 1, 2025", "One.")),
	}
}

func revision2() map[string]string {
	return map[string]string{
		"/news/": listingPage(
			teaser("/news/d.html", `New &lt;script&gt;alert("x")&lt;/script&gt; Decree <script>alert(4)</script><img src=x onerror="alert(1)"> Issued`, "December 18, 2025", `Summary with <b onclick="alert(2)">markup</b>.`),
			teaser("javascript:alert(3)", "Link That Runs Code", "December 18, 2025", "Should not be clickable."),
			teaser("/news/a.html", "Delegation Arrives for Talks", "December 17, 2025", "The delegation left on Tuesday."),
			teaser("c.html", "Anniversary Meeting Held", "December 14, 2025", "Speakers recalled seven decades."),
		),
		"/news/plenary.html": articlePage(articleBodyV2,
			moreFrom("/news/d.html", "New Decree Issued", "December 18, 2025"),
			moreFrom("/news/a.html", "Delegation Arrives for Talks", "December 17, 2025"),
			moreFrom("/news/b.html", "Trade Agreement Signed", "December 16, 2025"),
		),
		"/flaky/": "STATUS 500",
	}
}

func siteConfig(base string) string {
	return `store:
  path: state/pubwatch.db
reports:
  dir: reports
concurrency: 2
defaults:
  timeout: 10s
fetch:
  host_delay: 0s
  retries: 0
sources:
  - name: politics
    url: ` + base + `/news/
    listing:
      items: "ul.news > li"
      title: "a"
      link: "a"
      date: ".date"
      summary: "p"
  - name: plenary
    url: ` + base + `/news/plenary.html
    article:
      title: "h1"
      body: ".article-body"
      date: ".dateline"
    listing:
      items: ".more-from li"
  - name: flaky
    url: ` + base + `/flaky/
    listing:
      items: "ul.news > li"
`
}

// Package evaluation measures pubwatch's change detection: it generates news
// sites and revision sequences with known events, mixed with revisions that
// change nothing but noise, serves them over HTTP, runs pubwatch over them
// (zero-config and with selectors) and scores the events it reports.
package evaluation

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
)

// story is one article of a generated site.
type story struct {
	slug    string
	title   string
	date    string
	summary string
	paras   []string
}

// site is the state of a generated news site at one revision.
type site struct {
	layout  int
	stories []*story // in listing order
	// noise
	popular  []string
	stamp    string
	adID     string
	views    int
	tracking string
	spaces   bool
	// broken pages
	status  int    // 503 when the server fails
	special string // "captcha", "empty"
}

func (s *site) clone() *site {
	c := *s
	c.stories = append([]*story(nil), s.stories...)
	c.popular = append([]string(nil), s.popular...)
	return &c
}

var words = strings.Fields(`assembly budget cabinet capital council delegation economy exports farmers festival harbour harvest hospital industry
	ministry museum orchestra parliament pension railway reform region school science ship station students summit teachers trade university
	winter workers youth bridge library treaty energy coal steel rice wheat fishing forest mountain river airport`)

var verbs = strings.Fields(`approves opens signs discusses reviews welcomes announces completes launches celebrates`)

func (g *generator) title() string {
	for {
		t := strings.Title(words[g.r.Intn(len(words))]) + " " + strings.Title(verbs[g.r.Intn(len(verbs))]) + " " +
			strings.Title(words[g.r.Intn(len(words))]) + " " + strings.Title(words[g.r.Intn(len(words))]) + " Plan"
		if !g.used[t] {
			g.used[t] = true
			return t
		}
	}
}

func (g *generator) sentence() string { return sentenceOf(g.r, words) }

type generator struct {
	r     *rand.Rand
	used  map[string]bool
	count int
	// removed stories may come back; moved maps new slugs to old ones.
	removed []*story
	moved   map[string]string
}

func (g *generator) story() *story {
	g.count++
	t := g.title()
	st := &story{slug: fmt.Sprintf("%d-%s", 1000+g.count, strings.ToLower(strings.ReplaceAll(t, " ", "-"))), title: t,
		date: fmt.Sprintf("December %d, 2025", 1+g.count%28), summary: g.sentence()}
	for i := 0; i < 4+g.r.Intn(4); i++ {
		st.paras = append(st.paras, g.sentence()+" "+g.sentence())
	}
	return st
}

// listing renders the section page.
func (s *site) listing() string {
	if s.special == "captcha" {
		return `<html><head><title>Attention Required</title></head><body><h1>Please verify you are a human</h1><p>Complete the CAPTCHA to continue.</p></body></html>`
	}
	var items strings.Builder
	link := func(st *story) string {
		u := st.slug + ".html" // relative: the site lives under /siteN/news/
		if s.tracking != "" {
			u += "?utm_source=" + s.tracking + "&utm_medium=web"
		}
		return u
	}
	sp := func(x string) string {
		if s.spaces {
			return "\n   " + strings.ReplaceAll(x, " ", "  ") + "\u00a0 "
		}
		return x
	}
	if s.special != "empty" {
		for _, st := range s.stories {
			switch s.layout % 4 {
			case 0:
				fmt.Fprintf(&items, `<li class="news-item"><h3><a href="%s">%s</a></h3><span class="date">%s</span><p class="summary">%s</p><span class="views">%d views</span></li>`,
					link(st), sp(st.title), st.date, sp(st.summary), s.views)
			case 1:
				fmt.Fprintf(&items, `<div class="card"><a href="%s"><img src="/i/%s.jpg" alt=""></a><h2 class="card-title"><a href="%s">%s</a></h2><time>%s</time><p>%s</p><span class="views">%d views</span></div>`,
					link(st), st.slug, link(st), sp(st.title), st.date, sp(st.summary), s.views)
			case 2:
				fmt.Fprintf(&items, `<tr><td>%s</td><td><a href="%s">%s</a></td><td>Press office</td></tr>`, st.date, link(st), sp(st.title))
			default:
				fmt.Fprintf(&items, `<article class="post"><h2 class="entry-title"><a href="%s">%s</a></h2><time>%s</time><div class="entry-summary"><p>%s</p></div></article>`,
					link(st), sp(st.title), st.date, sp(st.summary))
			}
		}
	}
	var list string
	switch s.layout % 4 {
	case 0:
		list = `<ul class="news-list">` + items.String() + `</ul>`
	case 1:
		list = `<div class="cards">` + items.String() + `</div>`
	case 2:
		list = `<table class="releases"><thead><tr><th>Date</th><th>Title</th><th>Office</th></tr></thead><tbody>` + items.String() + `</tbody></table>`
	default:
		list = `<main id="main">` + items.String() + `</main>`
	}
	return page("News | Agency", s.furniture(list), false)
}

// article renders a story's page, with a "More From" list of the others.
func (s *site) article(st *story) string {
	var body, more strings.Builder
	for _, p := range st.paras {
		fmt.Fprintf(&body, "<p>%s</p>", p)
	}
	n := 0
	for _, o := range s.stories {
		if o != st && n < 4 {
			fmt.Fprintf(&more, `<li><a href="%s.html">%s</a> <span class="date">%s</span></li>`, relative(st.slug, o.slug), o.title, o.date)
			n++
		}
	}
	return page(st.title+" | Agency", true, s.furniture(`<article><h1>`+st.title+`</h1><p class="dateline">`+st.date+`</p><div class="article-body">`+body.String()+
		`</div><div class="share"><a href="https://social.example/share">Share</a></div></article><section class="more-from"><h2>More From News</h2><ul>`+more.String()+`</ul></section>`))
}

func (s *site) furniture(content string) string {
	var pop strings.Builder
	for i, p := range s.popular {
		fmt.Fprintf(&pop, `<li><a href="/popular/%d-%s.html">%s</a></li>`, i, strings.ToLower(strings.ReplaceAll(p, " ", "-")), p)
	}
	return `<header class="site-header"><a href="/">Agency</a><nav class="main-nav"><ul><li><a href="/news/">News</a></li><li><a href="/world/">World</a></li><li><a href="/sport/">Sport</a></li></ul></nav></header>
<div class="ad" id="` + s.adID + `"><a href="https://ads.example/c?id=` + s.adID + `">Advertisement: Buy Tractors Today</a></div>` + content +
		`<aside class="sidebar"><div class="most-read"><h2>Most read</h2><ol>` + pop.String() + `</ol></div></aside>
<footer><p>Page generated ` + s.stamp + `</p><a href="/about/">About</a></footer>`
}

func page(title string, args ...any) string {
	body, article := "", false
	for _, a := range args {
		switch v := a.(type) {
		case string:
			body = v
		case bool:
			article = v
		}
	}
	meta := ""
	if article {
		meta = `<meta property="og:type" content="article">`
	}
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + title + `</title>` + meta + `</head><body>` + body + `</body></html>`
}

// sortedSlugs lists the stories' slugs, for messages.
func (s *site) sortedSlugs() []string {
	var out []string
	for _, st := range s.stories {
		out = append(out, st.slug)
	}
	sort.Strings(out)
	return out
}

// relative is the link from one story's page to another's.
func relative(from, to string) string {
	if strings.HasPrefix(from, "archive/") && !strings.HasPrefix(to, "archive/") {
		return "../" + to
	}
	if !strings.HasPrefix(from, "archive/") || !strings.HasPrefix(to, "archive/") {
		return to
	}
	return strings.TrimPrefix(to, "archive/")
}

// Package labelled builds pubwatch's labelled set of listing pages: index
// pages written after real news agency, newspaper, government, company and
// blog layouts, each surrounded by the furniture that trips up listing
// detection (menus with more links than the list, footers, "most read"
// boxes, tag clouds, pagination, share links), with the items a reader
// would call the page's list.
package labelled

import (
	"fmt"
	"math/rand"
	"strings"
)

// Item is an expected listing item.
type Item struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Page is one labelled page.
type Page struct {
	Name  string
	URL   string
	HTML  string
	Items []Item
}

const host = "https://news.example.org"

var subjects = []string{"Cabinet", "Supreme Assembly", "Delegation", "Ministry of Trade", "Central Bank", "City Council",
	"Prime Minister", "Foreign Minister", "Parliament", "Election Commission", "National Library", "State Orchestra",
	"Harbour Authority", "Railway Company", "Weather Service", "University", "Health Ministry", "Supreme Court"}
var verbs = []string{"Approves", "Announces", "Discusses", "Signs", "Rejects", "Opens", "Reviews", "Publishes", "Welcomes", "Postpones"}
var objects = []string{"New Budget for Next Year", "Agreement on Grain Exports", "Plan to Rebuild the Old Port",
	"Report on Winter Preparations", "Draft Law on Cultural Heritage", "Visit of Foreign Delegation",
	"Measures Against Flooding", "Results of the Harvest", "Programme for Young Scientists", "Reform of Pension System",
	"Exhibition of Modern Art", "Timetable for the Summer", "Tender for New Hospital", "Statement on Border Incident"}
var months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

type gen struct {
	r    *rand.Rand
	used map[string]bool
}

func (g *gen) headline() string {
	for {
		h := subjects[g.r.Intn(len(subjects))] + " " + verbs[g.r.Intn(len(verbs))] + " " + objects[g.r.Intn(len(objects))]
		if !g.used[h] {
			g.used[h] = true
			return h
		}
	}
}

func (g *gen) slug(h string) string {
	return strings.ToLower(strings.NewReplacer(" ", "-", ",", "").Replace(h))
}

func (g *gen) date(i int) (long, iso, dotted string) {
	d, m := 28-i%27, (11-i/27)%12
	return fmt.Sprintf("%s %d, 2025", months[m], d), fmt.Sprintf("2025-%02d-%02d", m+1, d), fmt.Sprintf("%02d.%02d.2025", d, m+1)
}

func (g *gen) summary() string {
	parts := []string{"Officials said the decision", "The measure", "According to the statement, the plan", "Speakers noted that the programme"}
	ends := []string{"will take effect next month.", "follows months of consultation with the provinces.", "was adopted unanimously on Tuesday.", "is expected to cost less than planned."}
	return parts[g.r.Intn(len(parts))] + " " + ends[g.r.Intn(len(ends))]
}

// items makes n expected items with their paths.
func (g *gen) items(n int, section string) []Item {
	out := make([]Item, n)
	for i := range out {
		h := g.headline()
		out[i] = Item{Title: h, URL: fmt.Sprintf("%s/%s/2025/%d/%s.html", host, section, 100+i, g.slug(h))}
	}
	return out
}

func path(u string) string { return strings.TrimPrefix(u, host) }

// Furniture around the list.

func (g *gen) navMenu(style int) string {
	sections := []string{"Politics", "Economy", "Society", "Culture", "Sports", "Science", "World", "Opinion", "Video", "Photo", "Archive", "Regions", "Weather", "Travel"}
	var b strings.Builder
	switch style % 3 {
	case 0:
		b.WriteString(`<nav class="main-nav"><ul>`)
	case 1:
		b.WriteString(`<div id="main-menu" class="menu"><ul class="menu-list">`)
	default:
		b.WriteString(`<div role="navigation"><ul>`)
	}
	for _, s := range sections {
		fmt.Fprintf(&b, `<li class="menu-item"><a href="/%s/">%s</a><ul class="submenu"><li><a href="/%s/latest/">Latest %s News Today</a></li><li><a href="/%s/analysis/">%s Analysis and Opinion</a></li></ul></li>`,
			strings.ToLower(s), s, strings.ToLower(s), s, strings.ToLower(s), s)
	}
	if style%3 == 0 {
		b.WriteString(`</ul></nav>`)
	} else {
		b.WriteString(`</ul></div>`)
	}
	return b.String()
}

func (g *gen) footer() string {
	var b strings.Builder
	b.WriteString(`<footer class="site-footer"><div class="footer-links"><ul>`)
	for _, l := range []string{"About the Agency", "Contact the Editors", "Terms of Use and Privacy", "Advertise With Us", "Careers at the Agency", "RSS Feeds for All Sections", "Mobile Applications for Phones"} {
		fmt.Fprintf(&b, `<li><a href="/about/%s">%s</a></li>`, strings.ToLower(strings.ReplaceAll(l, " ", "-")), l)
	}
	b.WriteString(`</ul></div><p>&copy; 2025 National News Agency</p></footer>`)
	return b.String()
}

func (g *gen) mostRead(style int) string {
	var b strings.Builder
	switch style % 2 {
	case 0:
		b.WriteString(`<aside class="sidebar"><div class="widget most-read"><h2>Most Read</h2><ol>`)
	default:
		b.WriteString(`<div class="most-popular-box"><h2>Most Popular</h2><ol>`)
	}
	for i := 0; i < 5; i++ {
		h := g.headline()
		fmt.Fprintf(&b, `<li><a href="/popular/%d/%s.html">%s</a></li>`, i, g.slug(h), h)
	}
	if style%2 == 0 {
		b.WriteString(`</ol></div></aside>`)
	} else {
		b.WriteString(`</ol></div>`)
	}
	return b.String()
}

func (g *gen) tagCloud() string {
	var b strings.Builder
	b.WriteString(`<div class="tag-cloud"><h3>Topics</h3>`)
	for _, t := range []string{"budget", "elections", "harbour", "culture", "weather", "trade", "health", "science"} {
		fmt.Fprintf(&b, `<a href="/tag/%s/" class="tag">%s</a> `, t, t)
	}
	b.WriteString(`</div>`)
	return b.String()
}

func (g *gen) pagination() string {
	return `<nav class="pagination"><a href="?page=1">1</a> <a href="?page=2">2</a> <a href="?page=3">3</a> <a href="?page=2" rel="next">Next page</a></nav>`
}

func (g *gen) share() string {
	return `<div class="share-links"><a href="https://facebook.example/share">Share on Facebook</a> <a href="https://x.example/intent">Share on X</a> <a href="mailto:?subject=news">Send by email</a></div>`
}

func (g *gen) breadcrumbs(section string) string {
	return `<ol class="breadcrumbs"><li><a href="/">Home</a></li><li><a href="/` + section + `/">` + section + `</a></li></ol>`
}

func page(title, head, body string) string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>` + title + `</title>` + head +
		`<script>window.dataLayer=[];</script><style>.x{color:red}</style></head><body>` + body + `</body></html>`
}

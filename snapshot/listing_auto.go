package snapshot

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Listing is a list of items found on a page without selectors, with the
// selectors that select it, so they can be pinned in the config.
type Listing struct {
	Selector ListingSelector
	Items    []Item
	// Score ranks listings: the main listing scores highest.
	Score float64
	// Widget marks a box of other stories ("most read", "popular").
	Widget bool
	// quality is the score per item; articleShare the share of items
	// whose links look like links to articles.
	quality      float64
	articleShare float64
	// nodes are the items' elements.
	nodes []*html.Node
}

// ListingSelector holds CSS selectors as text.
type ListingSelector struct {
	Items   string `json:"items"`
	Title   string `json:"title,omitempty"`
	Link    string `json:"link,omitempty"`
	Date    string `json:"date,omitempty"`
	Summary string `json:"summary,omitempty"`
}

var (
	// boilerplate names classes, ids and roles of page furniture that holds
	// links but not the page's items.
	boilerplate = regexp.MustCompile(`(?i)(^|[-_\s])(nav|navbar|navigation|menu|menus|submenu|footer|masthead|site-?header|sidebar|widget|widgets|related|share|sharing|social|tags|tag-?cloud|breadcrumbs?|pagination|pager|comments?|newsletter|subscribe|subscription|signup|login|cookie|consent|promo|sponsored|advert|advertisement|ads|banner|skip|toolbar|dropdown|mega-?menu|author-?bio|byline|hidden|is-?hidden)([-_\s]|$)`)
	// pageBuilder drops the prefix a page builder gives every block of
	// a page, text or not: Elementor's "elementor-widget-text-editor" is
	// a paragraph, its "elementor-widget-nav-menu" a menu.
	pageBuilder = strings.NewReplacer("elementor-widget", "")
	// nonItemPath marks links to listings of their own, not to items.
	// widgetClass names boxes of other stories beside the page's own list
	// ("most read", "popular"): their items are real, but they belong to
	// the main listing only on a home page made of many such boxes.
	widgetClass = regexp.MustCompile(`(?i)(^|[-_\s])(popular|most-?read|mostread|most-?viewed|most-?popular|trending|top-?stories)([-_\s]|$)`)
	nonItemPath = regexp.MustCompile(`(?i)/(tags?|categor(y|ies)|authors?|topics?|newsletters?|subscribe|subscription|login|signin|sign-in|register|account|search|profile|contact|about|privacy|terms|cookies?|feed|rss)(/|$|\?|\.)`)
	nonItemText = regexp.MustCompile(`(?i)^(more|sign up|subscribe|newsletter|log ?in|sign in|next|previous|older|newer|home|menu|share|comments?|\d+)\b`)
	// slugWords finds a path segment of three or more joined words, as
	// article URLs have.
	slugWords   = regexp.MustCompile(`[\p{L}\d]+[-_][\p{L}\d]+[-_][\p{L}\d]+`)
	datePattern = regexp.MustCompile(`(?i)\b(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}|(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}|\d{1,2}\.? (jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|januar|februar|märz|mai|juni|juli|oktober|dezember)[a-zä]*\.? \d{4}|\d+ (minutes?|hours?|days?) ago)\b|\d{4} ?年 ?\d{1,2} ?月 ?\d{1,2} ?日|\d{4}년 ?\d{1,2}월 ?\d{1,2}일`)
	// looseDate finds a day, a month's name in any language and a year
	// ("17 декабря 2025", "17 de diciembre de 2025", "17 tháng 12 năm
	// 2025", "26 آذر 1404"): taken only if the date parser reads it.
	looseDate = regexp.MustCompile(`\b\d{1,2}\.?(?:\s+(?:de\s+)?\pL{2,}\.?){1,2},?\s+(?:de\s+)?(?:19|20|13|14)\d\d\b|\b\d{1,2} tháng \d{1,2},? (?:năm )?(?:19|20)\d\d\b`)
)

// FindListings detects the repeated blocks on a page that are its items
// (teasers, cards, list entries, table rows) and returns them best first.
// The first listing merges every group of items that plays the main role
// on the page (a home page's sections); the others are the groups one by
// one. Navigation, footers, widgets and pagination are left out.
func FindListings(doc *goquery.Document, base *url.URL) []Listing {
	return findListings(doc, documentBase(doc, base))
}

// findListings is FindListings with the page's <base> already applied.
func findListings(doc *goquery.Document, base *url.URL) []Listing {
	body := doc.Find("body").First()
	if body.Length() == 0 {
		return nil
	}
	// The page's own links are no items: those to the address it was
	// fetched from, and those to the one it gives itself (a file's
	// page, or one fetched with a campaign's parameters).
	own := canonicalURL(ownAddress(doc, base))
	f := &finder{base: base, page: canonicalURL(base), own: own, hrefs: map[*html.Node][]string{},
		heads: map[*html.Node][]string{}, major: map[*html.Node]bool{}, words: map[*html.Node]int{}}
	f.collect(body.Nodes[0])
	groups := f.groups(body.Nodes[0])
	if len(groups) == 0 {
		return nil
	}
	var out []Listing
	for _, g := range groups {
		if l := g.listing(doc, base); len(l.Items) > 0 {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	main := mergeListings(out)
	if len(out) > 1 && len(main.Items) > len(out[0].Items) {
		out = append([]Listing{main}, out...)
	}
	return out
}

type finder struct {
	base  *url.URL
	page  string
	own   string
	hrefs map[*html.Node][]string // up to maxTeaserLinks+1 distinct item links under a node
	// heads: up to two distinct headline links (in a heading, of three
	// words or more) under a node; major: the item links that are
	// headlines.
	heads map[*html.Node][]string
	major map[*html.Node]bool
	// words: the words of text under a node with an item link below it.
	words map[*html.Node]int
	links []*html.Node // item links in document order
	// adHeads caches, by element, whether its header says its content is
	// advertising.
	adHeads map[*html.Node]bool
}

// adLabel is the whole text of a label that marks advertising, in the
// languages of the publications watched.
var adLabel = regexp.MustCompile(`(?i)^(anzeige|werbung|advertisement|advertorial|sponsored|sponsored content|sponsored by .{1,40}|paid content|paid post|promoted|partner content|publicidad|publicité|pubblicità|reklama|реклама|на правах рекламы|广告|廣告|広告|광고|إعلان)$`)

// advertised reports whether an item is advertising: a teaser with an
// "Anzeige" or "Sponsored" badge, or one in a box whose header says so
// (as a newspaper's box of partners' voucher codes does). A label further
// down a box marks an ad slot among the stories, not the stories.
func (f *finder) advertised(item *html.Node) bool {
	if hasAdLabel(item, 0) {
		return true
	}
	child := item
	for a, up := item.Parent, 0; a != nil && a.Type == html.ElementNode && up < 5; a, child, up = a.Parent, a, up+1 {
		labelled, ok := f.adHeads[a]
		if !ok {
			labelled = false
			if head := firstElementChild(a); head != nil && head != child && !containsNode(head, child) {
				labelled = hasAdLabel(head, 0)
			}
			if f.adHeads == nil {
				f.adHeads = map[*html.Node]bool{}
			}
			f.adHeads[a] = labelled
		}
		if labelled && firstElementChild(a) != child {
			return true
		}
	}
	return false
}

// hasAdLabel reports whether n, or an element a few levels under it, is
// an advertising label.
func hasAdLabel(n *html.Node, depth int) bool {
	if n.Type != html.ElementNode || skippedAtoms[n.DataAtom] || depth > 4 {
		return false
	}
	if n.FirstChild != nil && n.FirstChild == n.LastChild && n.FirstChild.Type == html.TextNode {
		t := strings.TrimSpace(n.FirstChild.Data)
		return len(t) < 60 && adLabel.MatchString(t)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasAdLabel(c, depth+1) {
			return true
		}
	}
	return false
}

// firstElementChild is n's first element child that is not a script or a
// style.
func firstElementChild(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && !skippedAtoms[c.DataAtom] {
			return c
		}
	}
	return nil
}

func containsNode(n, x *html.Node) bool {
	for ; x != nil; x = x.Parent {
		if x == n {
			return true
		}
	}
	return false
}

// itemLink returns the absolute URL of an anchor that may lead to an item,
// and its text; "" if it may not.
func (f *finder) itemLink(n *html.Node) (href, text string) {
	for _, a := range n.Attr {
		if a.Key == "href" {
			href = strings.TrimSpace(a.Val)
		}
	}
	if href == "" || strings.HasPrefix(href, "#") {
		return "", ""
	}
	abs := resolve(f.base, href)
	if abs == "" {
		return "", ""
	}
	if c := canonicalURL(mustParse(abs)); c == f.page || c == f.own {
		return "", ""
	}
	u := mustParse(abs)
	if u.Path == "" || u.Path == "/" || nonItemPath.MatchString(u.Path) {
		return "", ""
	}
	text = inline([]*html.Node{n})
	if text == "" || nonItemText.MatchString(text) && WordCount(text) <= 3 {
		return "", ""
	}
	return abs, text
}

// collect walks the tree once, noting item links and, for every node, up
// to two distinct item links below it, and up to two distinct headline
// links: a teaser's kicker ("World") or section link beside its headline
// does not make it two items.
func (f *finder) collect(n *html.Node) (all, heads []string, words int) {
	if n.Type == html.TextNode {
		return nil, nil, WordCount(n.Data)
	}
	if n.Type != html.ElementNode && n.Type != html.DocumentNode {
		return nil, nil, 0
	}
	if skippedAtoms[n.DataAtom] || isBoilerplate(n) {
		return nil, nil, 0
	}
	add := func(hs []string, h string, most int) []string {
		if len(hs) >= most || slices.Contains(hs, h) {
			return hs
		}
		return append(hs, h)
	}
	if n.DataAtom == atom.A {
		if h, text := f.itemLink(n); h != "" {
			f.links = append(f.links, n)
			all = add(all, h, maxTeaserLinks+1)
			if WordCount(text) >= minHeadlineWords && inHeading(n) {
				f.major[n] = true
				heads = add(heads, h, 2)
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		a, h, w := f.collect(c)
		words += w
		for _, x := range a {
			all = add(all, x, maxTeaserLinks+1)
		}
		for _, x := range h {
			heads = add(heads, x, 2)
		}
	}
	if len(all) > 0 {
		f.hrefs[n] = all
		f.words[n] = words
	}
	if len(heads) > 0 {
		f.heads[n] = heads
	}
	return all, heads, words
}

// inHeading reports whether a link is a heading's (<h1> to <h6>, the link
// in it or around it), as a teaser's headline is.
func inHeading(a *html.Node) bool {
	for n, k := a, 0; n != nil && k < 3; n, k = n.Parent, k+1 {
		switch n.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			return true
		}
	}
	for c := a.FirstChild; c != nil; c = c.NextSibling {
		switch c.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			return true
		}
	}
	return false
}

// minHeadlineWords is the fewest words of a link that is a headline, not a
// kicker, a section's name or a byline; a teaser has at most
// maxTeaserLinks distinct item links (its headline, a kicker, a few tags):
// an element with more, and one headline, is a column of the page's
// layout, not a teaser.
// A teaser has at most maxTeaserWords of text (a long summary among
// them); a column that holds a whole article has more, with the one link
// of a "Previous article" box below it.
// An element named furniture holds content when it has minProseParagraphs
// paragraphs of minProseWords words or more: a sidebar's blurb has one,
// an article's column many.
const (
	minProseWords      = 25
	minProseParagraphs = 3
)

const (
	minHeadlineWords = 3
	maxTeaserLinks   = 5
	maxTeaserWords   = 300
)

// isBoilerplate reports whether an element is page furniture: by its tag,
// role or class, unless it holds the page's content (a <main>, an
// <article>, an <h1>, several headings or several long paragraphs), as
// wrappers named after their navigation or the sidebar beside the column
// they hold ("l-sidebar-fixed") sometimes do.
func isBoilerplate(n *html.Node) bool {
	if !furniture(n) {
		return false
	}
	switch n.DataAtom {
	case atom.Body, atom.Html, atom.Main, atom.Article:
		return false
	}
	headings, prose := 0, 0
	var holdsContent func(*html.Node) bool
	holdsContent = func(c *html.Node) bool {
		for ; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Main, atom.Article, atom.H1:
				return true
			case atom.H2, atom.H3:
				if headings++; headings > 3 {
					return true
				}
			case atom.P:
				if hasWords(c, minProseWords) {
					if prose++; prose >= minProseParagraphs {
						return true
					}
				}
				continue
			}
			if holdsContent(c.FirstChild) {
				return true
			}
		}
		return false
	}
	return !holdsContent(n.FirstChild)
}

// hasWords reports whether the texts under n hold least words or more.
func hasWords(n *html.Node, least int) bool {
	words := 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if words += WordCount(c.Data); words >= least {
					return true
				}
			case html.ElementNode:
				if !skippedAtoms[c.DataAtom] && walk(c) {
					return true
				}
			}
		}
		return false
	}
	return walk(n)
}

// furniture reports whether tag, role or class name an element as page
// furniture.
func furniture(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Footer, atom.Aside, atom.Form, atom.Select, atom.Button:
		return true
	case atom.Header:
		// A page's header, not an article's or a teaser's.
		for p := n.Parent; p != nil; p = p.Parent {
			if p.DataAtom == atom.Article || p.DataAtom == atom.Main || p.DataAtom == atom.Section || p.DataAtom == atom.Li {
				return false
			}
		}
		return true
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "role":
			switch a.Val {
			case "navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "search":
				return true
			}
		case "class", "id":
			if boilerplate.MatchString(pageBuilder.Replace(a.Val)) {
				return true
			}
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "hidden":
			return true
		}
	}
	return false
}

type group struct {
	key    string
	items  []*html.Node
	widget bool
}

// groups finds each item link's item and groups the items by their shape.
// An item is the highest of the elements around its link that hold no
// other item link and whose shape recurs among the other links' elements,
// so that a lone lead story is recognised as the same kind of teaser as
// the row of stories below it.
func (f *finder) groups(body *html.Node) []*group {
	chains := make([][]*html.Node, 0, len(f.links))
	freq := map[string]int{}
	for _, a := range f.links {
		// Up to the highest element with no other item link; from a
		// headline, with no other headline.
		chain := []*html.Node{a}
		for p := a.Parent; p != nil && p != body && f.words[p] <= maxTeaserWords && (len(f.hrefs[p]) == 1 || f.major[a] && len(f.heads[p]) == 1 && len(f.hrefs[p]) <= maxTeaserLinks); p = p.Parent {
			chain = append(chain, p)
		}
		chains = append(chains, chain)
		seen := map[string]bool{}
		for _, n := range chain {
			if k := itemKey(n); !seen[k] {
				seen[k] = true
				freq[k]++
			}
		}
	}
	byKey := map[string]*group{}
	var order []*group
	seen := map[*html.Node]bool{}
	for _, chain := range chains {
		// The highest element of a shape that recurs; the link itself if
		// none does.
		item := chain[0]
		for _, n := range chain {
			if freq[itemKey(n)] >= 3 {
				item = n
			}
		}
		if seen[item] {
			continue
		}
		seen[item] = true
		if f.advertised(item) {
			continue
		}
		key := itemKey(item)
		g := byKey[key]
		if g == nil {
			g = &group{key: key}
			byKey[key] = g
			order = append(order, g)
		}
		g.items = append(g.items, item)
	}
	var out []*group
	for _, g := range order {
		if len(g.items) >= 3 {
			g.widget = inWidget(g.items[0])
			out = append(out, g)
		}
	}
	return out
}

func inWidget(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if widgetClass.MatchString(attr(p, "class")) || widgetClass.MatchString(attr(p, "id")) {
			return true
		}
	}
	return false
}

// itemKey is the shape items are grouped by. Items with classes of their
// own are alike wherever they stand; bare ones (li, div) only under alike
// parents.
func itemKey(n *html.Node) string {
	key := signature(n)
	if attr(n, "class") == "" {
		key += " < " + signature(n.Parent)
	}
	return key
}

var (
	digits = regexp.MustCompile(`\d+`)
	// stateClass names classes that say how an element is shown, not
	// what it is.
	stateClass = regexp.MustCompile(`^(selected|active|show|shown|visible|current|first|last|odd|even|new|open|closed|(is|has|js|show|u-is)-.*)$`)
)

// shapeClasses are an element's classes that say what it is: numbers
// dropped (so that "item-1" and "item-2" look alike), state classes left
// out.
func shapeClasses(n *html.Node) []string {
	var out []string
	for _, c := range strings.Fields(digits.ReplaceAllString(attr(n, "class"), "")) {
		if !stateClass.MatchString(c) {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// signature is an element's tag and shape classes.
func signature(n *html.Node) string {
	if n == nil {
		return ""
	}
	return n.Data + "." + strings.Join(shapeClasses(n), ".")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// listing turns a group into items and scores it.
func (g *group) listing(doc *goquery.Document, base *url.URL) Listing {
	l := Listing{Selector: fieldSelectors(g.items), Widget: g.widget, nodes: g.items}
	l.Selector.Items = groupSelector(doc, g.items)
	seen := map[string]bool{}
	words, dated, summed, prose := 0, 0, 0, 0
	for _, n := range g.items {
		sel := goquery.NewDocumentFromNode(n).Selection
		if inProse(sel) || n.DataAtom == atom.A && n.Parent != nil && inProse(goquery.NewDocumentFromNode(n.Parent).Selection) {
			// Running text with a link in it, or a link in running text:
			// an article's words, not a list.
			prose++
		}
		it := autoItem(sel, base)
		if it.ID == "" || seen[it.ID] {
			continue
		}
		seen[it.ID] = true
		l.Items = append(l.Items, it)
		words += min(WordCount(it.Title), 12)
		if it.Date != "" {
			dated++
		}
		if it.Summary != "" {
			summed++
		}
	}
	n := len(l.Items)
	if n == 0 || prose*2 > len(g.items) {
		// Paragraphs with a link in them: an article's text, not a list.
		l.Items = nil
		return l
	}
	articles := 0
	for _, it := range l.Items {
		if articleURL(it.URL) {
			articles++
		}
	}
	l.articleShare = float64(articles) / float64(n)
	avgWords := float64(words) / float64(n)
	quality := min(avgWords/6, 1.5) + float64(dated)/float64(n) + 0.5*float64(summed)/float64(n)
	if g.items[0].DataAtom == atom.Tr {
		quality += 0.5 // table rows: short names are normal there
	} else if avgWords < 3 {
		quality *= 0.2 // menus and tag lists have one- and two-word links
	}
	// Links to section fronts ("/politics/") make a menu, not a list.
	quality *= 0.2 + 0.8*l.articleShare
	l.quality = quality
	l.Score = float64(n) * quality
	if g.widget {
		l.Score *= 0.5
	}
	return l
}

// inProse reports whether an item is running text with a link in it rather
// than a teaser: no heading, not a table row, and its links' text a small
// part of its own, or a paragraph whose link comes after words of its own
// ("…the attorney's office <a>said in a statement</a>."), where a
// teaser's starts with its headline.
func inProse(s *goquery.Selection) bool {
	if s.IsMatcher(trSel) || s.FindMatcher(headingSel).Length() > 0 || len(s.Nodes) == 1 && headlineAlone(s.Nodes[0]) {
		return false
	}
	text := len(inline(s.Nodes))
	links := 0
	s.FindMatcher(hrefLinkSel).AddBackMatcher(hrefLinkSel).Each(func(_ int, a *goquery.Selection) {
		links += len(inline(a.Nodes))
	})
	if text > 80 && links*10 < text*3 {
		return true
	}
	return len(s.Nodes) == 1 && s.Nodes[0].DataAtom == atom.P && leadWords(textBeforeLink(s.Nodes[0])) >= 4
}

// headlineAlone reports whether an item starts with its link, a headline
// of minHeadlineWords or more that stands in a block of its own, with at
// most a date beside it, and its other words in blocks below: a teaser
// with its summary ("<li><a>Budget adopted</a><span>December 9,
// 2025</span><p>The assembly …</p></li>"), not a sentence with a link in
// it ("<li><a>The assembly</a> adopted the budget …</li>").
func headlineAlone(item *html.Node) bool {
	var link *html.Node
	for n := range item.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.A && attr(n, "href") != "" {
			link = n
			break
		}
	}
	if link == nil || WordCount(inline([]*html.Node{link})) < minHeadlineWords || leadWords(textBeforeLink(item)) > 0 {
		return false
	}
	// The link's block: its nearest block ancestor, up to the item.
	block := link.Parent
	for block != item && !blockAtoms[elementAtom(block)] {
		block = block.Parent
	}
	// The words in that block outside the link and outside blocks
	// below it: a sentence the link is part of, or a date.
	var beside strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c == link:
			case c.Type == html.TextNode:
				beside.WriteString(c.Data)
				beside.WriteByte(' ')
			case c.Type == html.ElementNode && !skippedAtoms[c.DataAtom] && !blockAtoms[elementAtom(c)]:
				walk(c)
			}
		}
	}
	walk(block)
	return leadWords(beside.String()) == 0
}

// leadWords counts the words with letters of a text before a link, dates
// left out: "December 17, 2025 — " or "Pyongyang, Dec. 17 (KCNA) -- " lead
// a teaser's headline, a clause leads a link in a sentence.
func leadWords(s string) int {
	n := 0
	for _, w := range strings.Fields(datePattern.ReplaceAllString(s, " ")) {
		if strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			n++
		}
	}
	return n
}

// textBeforeLink is the text of n before its first link.
func textBeforeLink(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node) bool
	walk = func(c *html.Node) bool {
		for ; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type == html.ElementNode && c.DataAtom == atom.A:
				return false
			case c.Type == html.ElementNode && !skippedAtoms[c.DataAtom]:
				if !walk(c.FirstChild) {
					return false
				}
			}
			if b.Len() > 200 {
				return false
			}
		}
		return true
	}
	walk(n.FirstChild)
	return b.String()
}

// mergeListings joins the groups that make up the page's main items: every
// group of headline-like items, and on a home page made of many such
// groups also the boxes of popular stories.
func mergeListings(ls []Listing) Listing {
	var keep []Listing
	hub := 0
	for _, l := range ls {
		if l.quality >= 0.6 && len(l.Items) >= 3 && l.articleShare >= 0.5 {
			keep = append(keep, l)
			if !l.Widget {
				hub++
			}
		}
	}
	var m Listing
	var sels []string
	seen := map[string]bool{}
	for _, l := range keep {
		if l.Widget && hub < 4 {
			continue
		}
		sels = append(sels, l.Selector.Items)
		m.nodes = append(m.nodes, l.nodes...)
		m.quality = max(m.quality, l.quality)
		for _, it := range l.Items {
			if !seen[it.ID] {
				seen[it.ID] = true
				m.Items = append(m.Items, it)
			}
		}
		m.Score += l.Score
	}
	m.Selector.Items = strings.Join(sels, ", ")
	return m
}

// The selectors every candidate item is searched with, compiled once
// (with those of extract.go).
const (
	headings     = "h1, h2, h3, h4, h5, h6"
	headingLinks = "h1 a[href], h2 a[href], h3 a[href], h4 a[href], h5 a[href], h6 a[href]"
)

var (
	headingLinkSel = cascadia.MustCompile(headingLinks)
	trSel          = cascadia.MustCompile("tr")
	imgAltSel      = cascadia.MustCompile("img[alt]")
	paragraphSel   = cascadia.MustCompile("p")
	summarySel     = cascadia.MustCompile("p, .summary, .excerpt, .teaser, .description, .dek, .standfirst, .lead, td")
)

// autoItem reads a teaser: its main link (the one in a heading, else the
// one with the longest text), its title, date and summary.
func autoItem(s *goquery.Selection, base *url.URL) Item {
	it := Item{Kind: KindListing}
	var link *goquery.Selection
	if h := firstMatch(s, headingLinkSel); h.Length() > 0 {
		link = h
	} else {
		best := 0
		s.FindMatcher(hrefLinkSel).AddBackMatcher(hrefLinkSel).Each(func(_ int, a *goquery.Selection) {
			if n := len(inline(a.Nodes)); n > best {
				best, link = n, a
			}
		})
	}
	if link != nil {
		it.URL = resolve(base, strings.TrimSpace(link.AttrOr("href", "")))
	}
	if h := firstMatch(s, headingSel); h.Length() > 0 {
		it.Title = inline(h.Nodes)
	}
	if it.Title == "" && link != nil {
		it.Title = inline(link.Nodes)
	}
	if it.Title == "" && link != nil {
		it.Title = strings.TrimSpace(link.AttrOr("title", link.FindMatcher(imgAltSel).AttrOr("alt", "")))
	}
	if t := firstMatch(s, timeSel); t.Length() > 0 {
		it.Date = dateText(t)
	} else {
		it.Date = dateInItem(s.Nodes)
	}
	s.FindMatcher(summarySel).EachWithBreak(func(_ int, p *goquery.Selection) bool {
		t := inline(p.Nodes)
		words := WordCount(t)
		if words >= 5 && t != it.Title && !strings.Contains(it.Title, t) && p.FindMatcher(hrefLinkSel).Length() == 0 || words >= 8 && !strings.Contains(t, it.Title) {
			it.Summary = t
			return false
		}
		return true
	})
	if s.IsMatcher(trSel) && it.Summary == "" {
		// A table row: its other cells describe the item.
		var cells []string
		s.Children().Each(func(i int, c *goquery.Selection) {
			if t := inline(c.Nodes); t != "" && t != it.Title && t != it.Date {
				cells = append(cells, t)
			}
		})
		it.Summary = strings.Join(cells, " · ")
	}
	it.ID = Identity(it.URL, it.Title)
	it.Published = normalizeDate(it.Date)
	return it
}

// dateInItem is dateInText of the item's text, looked for first in each of
// its texts with a digit in it, in order: a teaser's date stands in a text
// of its own, and reading the whole teaser (its summary too) with the date
// patterns cost a fifth of a zero-config run. Only if none holds a date
// is the whole text read, for a date split between elements ("9
// <b>December</b> 2025").
func dateInItem(nodes []*html.Node) string {
	digits := false
	var found string
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		switch {
		case n.Type == html.TextNode:
			if containsDigit(n.Data) || strings.ContainsFunc(n.Data, func(r rune) bool { return r > unicode.MaxASCII && unicode.IsDigit(r) }) {
				digits = true
				if d := dateInText(collapse(n.Data)); d != "" {
					found = d
					return false
				}
			}
		case n.Type == html.ElementNode && skippedAtoms[n.DataAtom]:
			return true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	for _, n := range nodes {
		if !walk(n) {
			return found
		}
	}
	if !digits {
		return ""
	}
	return dateInText(inline(nodes))
}

// groupSelector writes a CSS selector for a group of items: the items' tag
// and shared classes under their parent's, made more specific until it
// selects no other elements (when that can be done in a few steps).
func groupSelector(doc *goquery.Document, items []*html.Node) string {
	simple := func(n *html.Node, shared []string) string {
		s := n.Data
		for _, c := range shared {
			s += "." + cssEscape(c)
		}
		return s
	}
	sharedClasses := func(nodes []*html.Node) []string {
		count := map[string]int{}
		for _, n := range nodes {
			seen := map[string]bool{}
			for _, c := range strings.Fields(attr(n, "class")) {
				if !seen[c] && !digits.MatchString(c) && !stateClass.MatchString(c) {
					seen[c] = true
					count[c]++
				}
			}
		}
		var out []string
		for c, k := range count {
			if k == len(nodes) {
				out = append(out, c)
			}
		}
		sort.Strings(out)
		return out
	}
	sel := simple(items[0], sharedClasses(items))
	level := items
	for depth := 0; depth < 4; depth++ {
		if doc.Find(sel).Length() == len(items) {
			return sel
		}
		parents := make([]*html.Node, 0, len(level))
		for _, n := range level {
			if n.Parent == nil || n.Parent.Type != html.ElementNode {
				return sel
			}
			parents = append(parents, n.Parent)
		}
		same := true
		for _, p := range parents {
			same = same && p.Data == parents[0].Data
		}
		if !same {
			return sel
		}
		sel = simple(parents[0], sharedClasses(parents)) + " > " + sel
		level = parents
	}
	return sel
}

// fieldSelectors suggests the field selectors that, pinned in a config,
// read a group's items as automatic detection does.
func fieldSelectors(items []*html.Node) ListingSelector {
	var sel ListingSelector
	all := func(m cascadia.Selector) bool {
		for _, n := range items {
			if goquery.NewDocumentFromNode(n).FindMatcher(m).Length() == 0 {
				return false
			}
		}
		return true
	}
	if all(headingSel) {
		sel.Title = headings
		if all(headingLinkSel) {
			sel.Link = headingLinks
		}
	}
	if all(timeSel) {
		sel.Date = "time"
	}
	if all(paragraphSel) {
		sel.Summary = "p"
	}
	return sel
}

func cssEscape(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r == '-' || r == '_' || r >= '0' && r <= '9' && i > 0 || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, "\\%x ", r)
	}
	return b.String()
}

// articleURL reports whether a link looks like it leads to one article
// rather than to a section front: a number or a long slug in its path, a
// file name, or a deep path.
func articleURL(s string) bool {
	u := mustParse(s)
	p := strings.Trim(u.Path, "/")
	if p == "" {
		return u.RawQuery != ""
	}
	segs := strings.Split(p, "/")
	last := segs[len(segs)-1]
	switch {
	case strings.ContainsAny(p, "0123456789"):
		return true
	case strings.Contains(last, "."):
		return true
	case slugWords.MatchString(last):
		return true
	case len(segs) >= 3:
		return true
	}
	return u.RawQuery != ""
}

func mustParse(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{}
	}
	return u
}

// canonicalURL is a canonical URL (see Canonicalizer) without its
// trailing slash, for telling whether a link points at the page itself.
func canonicalURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	return strings.TrimSuffix(Canonicalizer{}.URL(u).String(), "/")
}

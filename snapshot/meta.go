package snapshot

import (
	"encoding/json"
	stdhtml "html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what a page says about itself: JSON-LD, <meta> tags and the
// <title>, read before the article text is extracted.
type pageMeta struct {
	Title     string
	Byline    string
	Published string
	// Body is the article's text as the page states it in JSON-LD
	// (articleBody), a paragraph a line; often cut to a teaser.
	Body string
}

var (
	// Separators between a headline and the site's name in <title>.
	titleSeparator   = regexp.MustCompile(` [|\-–—\\/>»] `)
	titleHierarchy   = regexp.MustCompile(` [\\/>»] `)
	titleBeforeLast  = regexp.MustCompile(`(.*)[|\-–—\\/>»] .*`)
	titleAfterFirst  = regexp.MustCompile(`[^|\-–—\\/>»]*[|\-–—\\/>»](.*)`)
	titleAnySep      = regexp.MustCompile(`[|\-–—\\/>»]+`)
	metaPropertyName = regexp.MustCompile(`(?i)\s*(article|dc|dcterm|og|twitter)\s*:\s*(author|creator|description|published_time|title|site_name)\s*`)
	metaNameName     = regexp.MustCompile(`(?i)^\s*(?:(dc|dcterm|og|twitter|parsely|article|weibo:(article|webpage))\s*[-.:]\s*)?(author|creator|pub-date|published_time|description|title|site_name)\s*$`)
	jsonLDArticle    = regexp.MustCompile(`^(Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting|LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference)$`)
	schemaOrg        = regexp.MustCompile(`^https?://schema\.org/?$`)
)

// readMeta reads a page's title, byline and publication date the way
// Mozilla Readability does: JSON-LD first, then Dublin Core, Open Graph and
// other <meta> tags, then the <title> with the site name trimmed off. A
// tag's value is its content attribute, or its value attribute where a
// page (or a copy saved through a DOM, as the Postlight fixtures are) has
// only that.
func readMeta(doc *goquery.Document) pageMeta {
	ld := jsonLD(doc)
	values := map[string]string{}
	// A title's first tag counts: a page's template may repeat og:title
	// with the section's name ("Aktuelles") after the article's. Of
	// other tags the last does, as in Readability: an author's name
	// after the publisher's.
	set := func(key, v string) {
		if _, ok := values[key]; !ok || !strings.HasSuffix(key, "title") {
			values[key] = v
		}
	}
	doc.Find("meta[content], meta[value]").Each(func(_ int, m *goquery.Selection) {
		content := strings.TrimSpace(m.AttrOr("content", m.AttrOr("value", "")))
		if content == "" {
			return
		}
		if prop := m.AttrOr("property", ""); prop != "" {
			if found := metaPropertyName.FindAllString(prop, -1); len(found) > 0 {
				for i := len(found) - 1; i >= 0; i-- {
					set(strings.Join(strings.Fields(strings.ToLower(found[i])), ""), content)
				}
				return
			}
		}
		if name := m.AttrOr("name", ""); name != "" && metaNameName.MatchString(name) {
			key := strings.ReplaceAll(strings.Join(strings.Fields(strings.ToLower(name)), ""), ".", ":")
			set(key, content)
		}
	})
	m := pageMeta{
		Title: first(ld["title"], values["dc:title"], values["dcterm:title"], values["og:title"],
			values["weibo:article:title"], values["weibo:webpage:title"], values["title"],
			values["twitter:title"], values["parsely-title"]),
		Byline: first(ld["byline"], values["dc:creator"], values["dcterm:creator"], values["author"], values["parsely-author"]),
		Published: first(ld["datePublished"], values["article:published_time"], values["dcterms:available"],
			values["dcterms:created"], values["dcterms:issued"], values["weibo:article:create_at"], values["parsely-pub-date"]),
	}
	if m.Title == "" {
		m.Title = documentTitle(doc)
	} else if t := documentTitle(doc); cutAtQuote(m.Title, t) || sectionTitle(m.Title, t, doc.Find("title").First().Text()) {
		m.Title = t
	}
	if a := values["article:author"]; m.Byline == "" && !strings.HasPrefix(a, "http") {
		m.Byline = a
	}
	m.Title = stdhtml.UnescapeString(m.Title)
	m.Byline = stdhtml.UnescapeString(m.Byline)
	m.Body = statedText(ld["articleBody"])
	return m
}

// cutAtQuote reports whether a title from a <meta> tag is the page's
// <title> cut where it quotes a word: a page that writes
// content="Senator calls Biden "unfit"" without escaping its quotes
// leaves the tag only "Senator calls Biden".
func cutAtQuote(meta, title string) bool {
	rest, ok := strings.CutPrefix(title, meta)
	rest = strings.TrimSpace(rest)
	return ok && meta != "" && strings.HasPrefix(rest, `"`)
}

// sectionTitle reports whether a title from a page's metadata is one
// word that the page's <title> (raw), a headline (title, as
// documentTitle reads it), does not hold: the section's name
// ("Medienmitteilungen" over "Impfen und Boostern ist bis Ende Februar
// noch überall möglich").
func sectionTitle(meta, title, raw string) bool {
	return WordCount(meta) == 1 && WordCount(title) >= 3 && !strings.Contains(titleKey(raw), titleKey(meta))
}

// statedText is the text of a JSON-LD articleBody, a paragraph a line:
// plain text with entities, or, as some sites write it, HTML.
func statedText(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	if strings.Contains(s, "<") && strings.Contains(s, ">") {
		if nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}); err == nil {
			return paragraphs(nodes)
		}
	}
	var out []string
	for _, l := range strings.Split(stdhtml.UnescapeString(s), "\n") {
		if l = collapse(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// documentTitle is the page's <title> without the site name around it.
func documentTitle(doc *goquery.Document) string {
	orig := strings.TrimSpace(doc.Find("title").First().Text())
	cur := orig
	hierarchical := false
	switch {
	case titleSeparator.MatchString(cur):
		hierarchical = titleHierarchy.MatchString(cur)
		cur = titleBeforeLast.ReplaceAllString(orig, "$1")
		if WordCount(cur) < 3 {
			cur = titleAfterFirst.ReplaceAllString(orig, "$1")
		}
	case strings.Contains(cur, ": "):
		full := false
		doc.Find("h1, h2").EachWithBreak(func(_ int, h *goquery.Selection) bool {
			full = strings.TrimSpace(h.Text()) == cur
			return !full
		})
		if !full {
			cur = orig[strings.LastIndex(orig, ":")+1:]
			if WordCount(cur) < 3 {
				cur = orig[strings.Index(orig, ":")+1:]
			} else if WordCount(orig[:strings.Index(orig, ":")]) > 5 {
				cur = orig
			}
		}
	case titleAfterHeading(doc, orig) != "":
		// "国务院常务会议部署推进城市更新工作-新华网": Chinese and Japanese
		// sites put no spaces around the separator.
		cur = titleAfterHeading(doc, orig)
	case len([]rune(cur)) > 150 || len([]rune(cur)) < 15:
		if h1 := doc.Find("h1"); h1.Length() == 1 {
			cur = h1.Text()
		}
	}
	cur = strings.TrimSpace(multiSpace.ReplaceAllString(cur, " "))
	n := WordCount(cur)
	if n <= 4 && (!hierarchical || n != WordCount(titleAnySep.ReplaceAllString(orig, ""))-1) {
		cur = orig
	}
	return cur
}

// titleAfterHeading returns the page's only <h1> if the title is that
// heading followed by a separator and the site's name.
func titleAfterHeading(doc *goquery.Document, title string) string {
	h1 := doc.Find("h1")
	if h1.Length() != 1 {
		return ""
	}
	h := strings.TrimSpace(h1.Text())
	rest, ok := strings.CutPrefix(title, h)
	rest = strings.TrimSpace(rest)
	if !ok || h == "" || rest == "" || !strings.ContainsRune("|-–—_\\/>»·", []rune(rest)[0]) {
		return ""
	}
	return h
}

var multiSpace = regexp.MustCompile(`\s{2,}`)

// jsonLD reads the first schema.org article in the page's JSON-LD.
func jsonLD(doc *goquery.Document) map[string]string {
	var out map[string]string
	doc.Find(`script[type="application/ld+json"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		text := strings.NewReplacer("<![CDATA[", "", "]]>", "").Replace(s.Text())
		var parsed any
		if json.Unmarshal([]byte(text), &parsed) != nil {
			return true
		}
		obj := articleObject(parsed)
		if obj == nil {
			return true
		}
		out = map[string]string{}
		name, _ := obj["name"].(string)
		headline, _ := obj["headline"].(string)
		switch {
		case name != "" && headline != "" && name != headline:
			t := documentTitle(doc)
			raw := collapse(doc.Find("title").First().Text())
			if similarity(headline, t) > 0.75 && similarity(name, t) <= 0.75 ||
				headsTitle(headline, raw) && endsTitle(name, raw) {
				// The name may be the site's, which ends the <title>
				// the headline begins.
				out["title"] = headline
			} else {
				out["title"] = name
			}
		case name != "":
			out["title"] = strings.TrimSpace(name)
		case headline != "":
			out["title"] = strings.TrimSpace(headline)
		}
		switch a := obj["author"].(type) {
		case map[string]any:
			if n, ok := a["name"].(string); ok {
				out["byline"] = strings.TrimSpace(n)
			}
		case []any:
			var names []string
			for _, e := range a {
				if m, ok := e.(map[string]any); ok {
					if n, ok := m["name"].(string); ok {
						names = append(names, strings.TrimSpace(n))
					}
				}
			}
			out["byline"] = strings.Join(names, ", ")
		}
		if d, ok := obj["datePublished"].(string); ok {
			out["datePublished"] = d
		}
		if b, ok := obj["articleBody"].(string); ok {
			out["articleBody"] = b
		}
		return false
	})
	return out
}

// articleObject finds the schema.org article object in parsed JSON-LD.
func articleObject(parsed any) map[string]any {
	var obj map[string]any
	switch p := parsed.(type) {
	case []any:
		for _, e := range p {
			if m, ok := e.(map[string]any); ok {
				if t, _ := m["@type"].(string); jsonLDArticle.MatchString(t) {
					obj = m
					break
				}
			}
		}
	case map[string]any:
		obj = p
	}
	if obj == nil {
		return nil
	}
	switch c := obj["@context"].(type) {
	case string:
		if !schemaOrg.MatchString(c) {
			return nil
		}
	case map[string]any:
		if v, _ := c["@vocab"].(string); !schemaOrg.MatchString(v) {
			return nil
		}
	default:
		return nil
	}
	if _, ok := obj["@type"]; !ok {
		graph, _ := obj["@graph"].([]any)
		for _, g := range graph {
			if m, ok := g.(map[string]any); ok {
				if t, _ := m["@type"].(string); jsonLDArticle.MatchString(t) {
					obj = m
					break
				}
			}
		}
	}
	if t, _ := obj["@type"].(string); !jsonLDArticle.MatchString(t) {
		return nil
	}
	return obj
}

// similarity is 1 minus the share of b's text made of words a lacks.
func similarity(a, b string) float64 {
	words := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' })
	}
	wa, wb := words(a), words(b)
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	inA := map[string]bool{}
	for _, w := range wa {
		inA[w] = true
	}
	var uniq []string
	for _, w := range wb {
		if !inA[w] {
			uniq = append(uniq, w)
		}
	}
	return 1 - float64(len(strings.Join(uniq, " ")))/float64(len(strings.Join(wb, " ")))
}

// headlines are the page's candidates for the article's headline, read
// before the extractors rewrite the tree.
type headlines struct {
	// matched is a heading the page's title begins (or ends) with, the
	// rest being separators and the site's name or section ("Standing
	// Rock protesters hold out … | Dakota Access pipeline").
	matched string
	// lone is the page's one <h1> that reads as a headline and does not
	// name the site, and after is the text that follows it.
	lone, after string
	// raw is the page's <title>, collapsed.
	raw string
	// sites are the site's names (siteNames).
	sites []string
}

// readHeadlines finds the headline candidates for a page whose title
// (metadata or <title>) is title.
func readHeadlines(doc *goquery.Document, title string, base *url.URL) headlines {
	h := headlines{sites: siteNames(doc, base)}
	h.raw = collapse(doc.Find("title").First().Text())
	titles := []string{collapse(title), h.raw}
	var lone []*html.Node
	h1 := doc.Find("h1")
	if h1.Length() > maxHeadings {
		h1 = h1.Slice(0, maxHeadings)
	}
	// The site's logo, or the name the <title> ends in, is the site's
	// name, wherever else it appears: before the headline or after it.
	texts := make([]string, h1.Length())
	named := make([]bool, h1.Length())
	h1.Each(func(i int, s *goquery.Selection) {
		texts[i] = headingText(s.Nodes[0])
		if text := texts[i]; text != "" && (homeLink(s.Nodes[0], text) || endsTitle(text, h.raw)) {
			named[i] = true
			h.sites = append(h.sites, titleKey(text))
		}
	})
	h1.EachWithBreak(func(i int, s *goquery.Selection) bool {
		text := texts[i]
		if text == "" || len([]rune(text)) > 300 || named[i] {
			return true
		}
		// A kicker over the headline inside its <h1> ("Olympische
		// Spiele in Paris" over "Getränke per Schiff ins Stadtzentrum"),
		// where the title has the headline alone or between separators
		// (with the kicker before it, too); or a line of date and
		// categories under it.
		for _, part := range []string{withoutKicker(s.Nodes[0]), withoutTrailer(s.Nodes[0]), withoutTrailingDate(text)} {
			if part == "" {
				continue
			}
			for _, t := range titles {
				if headsTitle(part, t) || titlePart(part, t) {
					h.matched = part
					return false
				}
			}
		}
		for _, t := range titles {
			// A one-word heading only where it is the page's one <h1>:
			// "News" over the article is the section's, "Kleine
			// Schafskunde" before the site's name the post's.
			if headsTitle(text, t) || headsTitleBeforeSite(text, t, h.sites) && (headlineLike(text) || h1.Length() == 1 || WordCount(text) >= 2) {
				h.matched = text
				return false
			}
		}
		if headlineLike(text) && !namesSite(text, h.sites) && (h1.Length() == 1 || WordCount(text) >= 3) {
			lone = append(lone, s.Nodes[0])
		}
		return true
	})
	// The one <h1> that is not the site's name ("Papaganda" in the
	// header's, the headline in the post's), of three words or more where
	// there are several ("Kategorien" over a sidebar is none).
	if len(lone) > 1 {
		// Of several, the one the title begins with ("Frei erfunden:
		// Grab-Bote fliegt nach Singapur" of "…, Thailand", over
		// "Leserkommentare").
		var begins []*html.Node
		for _, n := range lone {
			for _, t := range titles {
				if strings.HasPrefix(titleKey(t), titleKey(headingText(n))) {
					begins = append(begins, n)
					break
				}
			}
		}
		lone = begins
	}
	if h.matched == "" && len(lone) <= 1 {
		// No <h1> heads the article: a blog's post title in an <h2>
		// ("Gregory Szorc's Digital Home | Mercurial's Journey to …"),
		// where the title is it and the site's name. Or an <h2> states
		// the whole title under a section's <h1> that shares almost no
		// words with it ("Information and Resources" over "Superbugs:
		// What They Are and How You Get Them").
		doc.Find("h2").EachWithBreak(func(i int, s *goquery.Selection) bool {
			if i >= maxHeadings {
				return false
			}
			text := headingText(s.Nodes[0])
			if text == "" || namesSite(text, h.sites) {
				return true
			}
			for _, t := range titles {
				whole := titleKey(text) == titleKey(t)
				if len(lone) == 0 && headsTitle(text, t) && !whole || len(lone) == 1 && whole && WordCount(text) >= 3 && unrelated(headingText(lone[0]), t) {
					h.matched = text
					return false
				}
			}
			return true
		})
	}
	if h.matched == "" && len(lone) == 1 {
		h.lone, h.after = headingText(lone[0]), textAfter(lone[0], 3000)
	}
	return h
}

// unrelated reports whether two headings share almost no words: a
// section's "Information and Resources" and the article's "Superbugs:
// What They Are and How You Get Them", not an article's two wordings.
func unrelated(a, b string) bool {
	return max(similarity(a, b), similarity(b, a)) < 0.3
}

// headingText is a heading's text, collapsed, without the mark a
// documentation page ends its headings in, a link to themselves
// ("Evolve: Shared Mutable History¶"); not "#", which ends "C#".
func headingText(n *html.Node) string {
	return strings.TrimRight(collapse(nodeText(n)), "¶§ ")
}

// maxHeadings is how many of a page's <h1>, and then <h2>, are looked at
// for its headline: a post's comes before its sidebar's and footer's
// boxes.
const maxHeadings = 8

// homeLink reports whether a heading whose text is text is a link to the
// site's home page and nothing else: the site's logo in an <h1>
// ("<h1><a href="../index.html">jan-grosser.de</a></h1>").
func homeLink(heading *html.Node, text string) bool {
	a := goquery.NewDocumentFromNode(heading).Find("a[href]")
	if a.Length() != 1 || collapse(a.Text()) != text {
		return false
	}
	u, err := url.Parse(strings.TrimSpace(a.AttrOr("href", "")))
	if err != nil || u.RawQuery != "" || u.Host == "" && u.Path == "" {
		// An anchor on the page itself ("#", "#top") is no home.
		return false
	}
	p := strings.TrimLeft(u.Path, "./")
	return p == "" || strings.HasPrefix(p, "index.") && !strings.Contains(p, "/")
}

// nodeText is the text under n, as goquery's Text reads it.
func nodeText(n *html.Node) string { return goquery.NewDocumentFromNode(n).Text() }

// withoutKicker returns a heading's text without the kicker over it: the
// heading's first part, in an element of its own (a <span>, <small>,
// <div> or <time> before the headline and a line break or the headline's
// own element), with separators between them dropped. It returns "" for
// a heading of one part.
func withoutKicker(n *html.Node) string {
	// Down through wrappers: <h1><span class="post-title">…</span></h1>.
	for {
		var only *html.Node
		parts := 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode || c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
				only = c
				parts++
			}
		}
		if parts != 1 || only.Type != html.ElementNode {
			break
		}
		n = only
	}
	var first *html.Node
	for c := n.FirstChild; c != nil && first == nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode && c.DataAtom != atom.Br:
			first = c
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return ""
		}
	}
	if first == nil || collapse(nodeText(first)) == "" {
		return ""
	}
	// "<em>‘Fantastic Beasts’</em>: A Nice Place to Visit" and
	// "<span>Editor’s Letter:</span> bye …" are one headline each.
	if strings.HasSuffix(collapse(nodeText(first)), ":") {
		return ""
	}
	if next := first.NextSibling; next != nil && next.Type == html.TextNode && strings.HasPrefix(strings.TrimSpace(next.Data), ":") {
		return ""
	}
	var rest strings.Builder
	for c := first.NextSibling; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			rest.WriteString(c.Data)
		case html.ElementNode:
			rest.WriteString(" " + nodeText(c) + " ")
		}
	}
	text := strings.TrimLeft(collapse(rest.String()), headlineSeparators+" ")
	if !headlineLike(text) {
		return ""
	}
	return text
}

// withoutTrailer returns a heading's text without a last part under a
// line break (<br><small>02.02.2022 • Presse</small>), or "".
func withoutTrailer(n *html.Node) string {
	last := n.LastChild
	for last != nil && last.Type == html.TextNode && strings.TrimSpace(last.Data) == "" {
		last = last.PrevSibling
	}
	if last == nil || last.Type != html.ElementNode || last.PrevSibling == nil || last.PrevSibling.DataAtom != atom.Br {
		return ""
	}
	var b strings.Builder
	for c := n.FirstChild; c != last.PrevSibling; c = c.NextSibling {
		b.WriteString(nodeText(c))
	}
	// "Best of Houzz 2022:<br>…" goes on under the break.
	if text := collapse(b.String()); headlineLike(text) && !strings.HasSuffix(text, ":") {
		return text
	}
	return ""
}

// withoutTrailingDate is a heading's text without the date it ends in
// ("Delegation signs trade accord December 9, 2025", the date in a
// <span> of the <h1>), or "" when it ends in none.
func withoutTrailingDate(text string) string {
	locs := datePattern.FindAllStringIndex(text, -1)
	if len(locs) == 0 || locs[len(locs)-1][1] != len(text) {
		return ""
	}
	head := strings.TrimRight(text[:locs[len(locs)-1][0]], " "+headlineSeparators+",")
	if !headlineLike(head) {
		return ""
	}
	return head
}

// titlePart reports whether heading is one of the parts of title between
// its separators or after a colon ("Olympische Spiele in Paris - Getränke
// per Schiff ins Stadtzentrum - Lebensmittelpraxis.de",
// "Corona-Lockerungen: Autohäuser rechnen … | MDR.DE").
func titlePart(heading, title string) bool {
	h := titleKey(heading)
	for _, part := range titleSeparator.Split(title, -1) {
		if titleKey(part) == h {
			return true
		}
		if _, after, ok := strings.Cut(part, ": "); ok && titleKey(after) == h {
			return true
		}
	}
	return false
}

// headsTitleBeforeSite reports whether title is heading followed by a
// separator and the site's name, however long the name ("Alles hat seine
// Zeit… | Marktplatz für ein gutes Leben") and however short the heading
// ("Penny - Stardew Valley Wiki", where it is the page's one <h1>).
func headsTitleBeforeSite(heading, title string, sites []string) bool {
	h, t := titleKey(heading), titleKey(title)
	rest, ok := strings.CutPrefix(t, h)
	return ok && letters(h) != "" && startsWithSeparator(rest) && namesSite(rest, sites)
}

// headline is the article's headline as the page shows it, written as
// its heading writes it (typographic quotes, full wording): the heading
// the title is made of, or else a page's one <h1> that the body follows:
// a headline of its own, unlike the title written for search engines and
// sharing ("Amazon Alexa: 6 Can’t-Miss Gadgets …" in <title> and
// og:title, "Here Are 6 Can’t-Miss Gadgets …" over the article).
// Otherwise it is the title without the site's name, before it or after
// it.
func (h headlines) headline(title, body string) string {
	switch {
	case h.matched != "":
		// An <h1> that is the whole <title> (a hidden one for screen
		// readers) has the site's name too.
		if titleKey(h.matched) == titleKey(h.raw) && titleSeparator.MatchString(h.matched) {
			return withoutSiteName(h.matched, h.sites)
		}
		return h.matched
	case h.lone != "" && follows(body, h.after):
		if head, ok := headlineThenName(h.lone, title); ok {
			return head
		}
		return h.lone
	}
	if h.raw != "" && h.raw != collapse(title) && strings.HasPrefix(titleKey(h.raw), titleKey(title)) {
		// The title is the <title> cut at its last separator
		// (documentTitle): "Four Years Remaining » Blog Archive" of
		// "Four Years Remaining » Blog Archive » Interning of Small
		// Integers in Python". Where the site's name leads, the whole
		// <title> says more.
		if cut := withoutLeadingSiteName(h.raw, h.sites); cut != h.raw {
			return withoutSiteName(cut, h.sites)
		}
		// The part cut was the site's name; a section's before it, after
		// the same separator, goes too ("… | Politics | The Daily
		// Planet").
		if seps := titleSeparator.FindAllString(h.raw, -1); len(seps) >= 2 {
			sep, _ := utf8.DecodeRuneInString(strings.TrimSpace(seps[len(seps)-1]))
			title = withoutSection(collapse(title), sep)
		}
	}
	return withoutIdeographSiteName(withoutLeadingSiteName(withoutSiteName(title, h.sites), h.sites))
}

// headlineThenName returns the part of line that is the headline where
// the rest is a separator and a short name: the site's, as a heading may
// carry it for screen readers ("Was wir über uns nicht hören wollen |
// FASSETTE.NET"). The part is as line writes it; the two are compared
// by titleKey.
func headlineThenName(line, headline string) (string, bool) {
	l, h := []rune(line), []rune(headline)
	if len(h) == 0 || len(l) <= len(h) {
		return "", false
	}
	head, rest := string(l[:len(h)]), string(l[len(h):])
	if titleKey(head) != titleKey(headline) || !startsWithSeparator(rest) || WordCount(rest) > maxKickerWords {
		return "", false
	}
	return strings.TrimSpace(head), true
}

// withoutIdeographSiteName cuts a short last part from a title written in
// Chinese or Japanese, where sites put their name after a separator with
// or without spaces ("武汉的声音：有英勇的你，才有英雄的城！-新华网",
// "…機能付きマウスを発売。 | サンワサプライ株式会社"): a name of twelve
// characters or fewer, without punctuation, after a headline of ten or
// more; a section's name before it goes too ("…_教育频道_中国青年网").
// Other titles are returned as they are.
func withoutIdeographSiteName(title string) string {
	for range 2 {
		cut := withoutIdeographTail(title)
		if cut == title {
			break
		}
		title = cut
	}
	return title
}

// withoutIdeographTail cuts one last part (see withoutIdeographSiteName)
// and the full stop before it.
func withoutIdeographTail(title string) string {
	runes := []rune(strings.TrimSpace(title))
	for i := len(runes) - 2; i > 0 && len(runes)-i <= 14; i-- {
		if !strings.ContainsRune("-_|｜", runes[i]) {
			continue
		}
		head := []rune(strings.TrimSpace(string(runes[:i])))
		tail := []rune(strings.TrimSpace(string(runes[i+1:])))
		if len(tail) == 0 || len(tail) > 12 || len(head) < 10 || !mostlyIdeographs(head) || !mostlyIdeographs(tail) ||
			strings.ContainsFunc(string(tail), func(r rune) bool { return unicode.IsPunct(r) }) {
			return title
		}
		return strings.TrimRight(string(head), "。 ")
	}
	return title
}

// mostlyIdeographs reports whether most of the letters of rs are Chinese
// characters or Japanese kana.
func mostlyIdeographs(rs []rune) bool {
	n, letters := 0, 0
	for _, r := range rs {
		if unicode.IsLetter(r) {
			letters++
			if Ideograph(r) {
				n++
			}
		}
	}
	return letters > 0 && 2*n > letters
}

// follows reports whether the body begins in after, the text that
// follows the heading: most of its first twenty words are there. The
// article's text comes soon after its headline, not elsewhere on the page
// (a section's name in an <h1> above a sidebar).
func follows(body, after string) bool {
	words := strings.Fields(strings.ToLower(body))
	if len(words) > 20 {
		words = words[:20]
	}
	if len(words) == 0 {
		return false
	}
	near := map[string]bool{}
	for _, w := range strings.Fields(strings.ToLower(after)) {
		near[w] = true
	}
	found := 0
	for _, w := range words {
		if near[w] {
			found++
		}
	}
	return 2*found >= len(words)
}

// headlineLike reports whether text reads as a headline: three words or
// more (ten characters in scripts written without spaces), at most 300
// characters.
func headlineLike(text string) bool {
	n := len([]rune(text))
	if n > 300 {
		return false
	}
	return WordCount(text) >= 3 || n >= 10 && !strings.Contains(text, " ")
}

// siteNames are the names a page gives its site, folded by titleKey:
// og:site_name and application-name, and the labels of its host (four
// letters or more, not "www").
func siteNames(doc *goquery.Document, base *url.URL) []string {
	var names []string
	doc.Find(`meta[property="og:site_name"], meta[name="og:site_name"], meta[name="application-name"]`).Each(func(_ int, s *goquery.Selection) {
		if n := titleKey(s.AttrOr("content", s.AttrOr("value", ""))); n != "" {
			names = append(names, n)
		}
	})
	host := ""
	if base != nil {
		host = base.Hostname()
	}
	doc.Find(`link[rel="canonical"], meta[property="og:url"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if u, err := url.Parse(s.AttrOr("href", s.AttrOr("content", ""))); err == nil && u.Host != "" {
			host = u.Hostname()
			return false
		}
		return true
	})
	for _, label := range strings.Split(strings.ToLower(host), ".") {
		if len(label) >= 4 && label != "www" {
			names = append(names, label)
		}
	}
	return names
}

// namesSite reports whether text holds one of the site's names ("POLITICO
// Politico Logo"), compared by letters alone ("Archive of Our Own" holds
// "archiveofourown").
func namesSite(text string, names []string) bool {
	key := letters(titleKey(text))
	for _, n := range names {
		if n := letters(n); n != "" && strings.Contains(key, n) {
			return true
		}
	}
	return false
}

// isSiteName reports whether text is one of the site's names, letter
// case and punctuation aside.
func isSiteName(text string, names []string) bool {
	key := letters(titleKey(text))
	return key != "" && slices.ContainsFunc(names, func(n string) bool { return letters(n) == key })
}

// mostlySiteName reports whether text holds one of the site's names and
// little else: at most as many letters again ("Four Years Remaining" of
// fouryears.eu, not "JVNDB-2018-013542" of jvndb.jvn.jp).
func mostlySiteName(text string, names []string) bool {
	key := letters(titleKey(text))
	for _, n := range names {
		if n := letters(n); n != "" && strings.Contains(key, n) && len(key) <= 2*len(n) {
			return true
		}
	}
	return false
}

func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// withoutSiteName cuts the site's name from the end of a title, where
// pages put it after a separator: "atg 1700 - Pastebin.com",
// "…を発売。 | サンワサプライ株式会社". What is left must read as a title
// of its own (two words, or eight characters).
func withoutSiteName(title string, names []string) string {
	runes := []rune(title)
	for i := len(runes) - 1; i > 0; i-- {
		if !strings.ContainsRune(headlineSeparators, runes[i]) {
			continue
		}
		head, tail := strings.TrimSpace(string(runes[:i])), strings.TrimSpace(string(runes[i+1:]))
		if tail == "" || WordCount(head) < 2 && len([]rune(head)) < 8 || !namesSite(tail, names) && (!organization(tail) || strings.ContainsRune(":：", runes[i])) {
			continue
		}
		// A hyphen inside a word ("Covid-19") is not a separator, unless
		// what follows it is exactly the site's name ("…on Tuesday-Xinhua").
		if runes[i] == '-' && (runes[i-1] != ' ' || i+1 < len(runes) && runes[i+1] != ' ') && !isSiteName(tail, names) {
			continue
		}
		return withoutSection(strings.TrimRight(head, " "+headlineSeparators), runes[i])
	}
	return title
}

// withoutSection cuts a section's name from the end of a title whose
// site's name followed it after the same separator ("… | Politics" of
// "… | Politics | The Daily Planet"): a name of three words or fewer
// after a headline of four or more.
func withoutSection(title string, sep rune) string {
	i := strings.LastIndex(title, " "+string(sep)+" ")
	if i < 0 {
		return title
	}
	head, tail := strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+len(string(sep))+2:])
	named := 0 // the tail's words with letters: "Politics & Diplomacy" is two
	for _, w := range strings.Fields(tail) {
		if strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			named++
		}
	}
	if first, _ := utf8.DecodeRuneInString(tail); tail == "" || named > 3 || unicode.IsLower(first) || WordCount(head) < 4 {
		return title
	}
	return head
}

// organization reports whether a title's last part is the name of an
// organization by its form, whatever the site's other names: a domain
// name ("FASSETTE.NET") or a name with a legal form ("Berliner
// Leichtathletik Verband e.V.", "Example Media GmbH").
func organization(text string) bool {
	text = strings.TrimSpace(text)
	first, _ := utf8.DecodeRuneInString(text)
	return WordCount(text) <= 8 && !unicode.IsLower(first) && orgName.MatchString(text)
}

// orgName is a domain name (in any case) or a name ending in a legal
// form, written as the form is ("AG", not "ag": "… lo que se" is no
// company).
var orgName = regexp.MustCompile(`^((?i:\S+\.(com|net|org|info|de|at|ch|fr|es|it|nl|pl|uk|co\.uk|eu|io))|.+\s(e\.\s?V\.|GmbH|gGmbH|AG|Inc\.?|Ltd\.?|LLC|S\.A\.|S\.L\.|SE))$`)

// withoutLeadingSiteName cuts the site's name from the start of a title,
// where some pages put it before a separator: "BMAS - Änderung der
// Anforderungen …", "Disfunctions.de » Blog Archiv » Podcasts in Plex
// einbinden" (after separators of a hierarchy, the last part). What is
// left must read as a title of its own and not name the site; a colon
// ("Apple: …") is no such separator.
func withoutLeadingSiteName(title string, names []string) string {
	runes := []rune(title)
	for i := 1; i < len(runes)-1; i++ {
		r := runes[i]
		if !strings.ContainsRune(headlineSeparators, r) || r == ':' || r == '：' {
			continue
		}
		if r == '-' && (runes[i-1] != ' ' || runes[i+1] != ' ') {
			continue
		}
		head := strings.TrimSpace(string(runes[:i]))
		if !mostlySiteName(head, names) {
			return title
		}
		rest := strings.TrimLeft(string(runes[i+1:]), headlineSeparators+" ")
		if parts := titleHierarchy.Split(rest, -1); titleHierarchy.MatchString(title) && len(parts) > 1 {
			rest = strings.TrimSpace(parts[len(parts)-1])
		}
		if WordCount(rest) < 2 && len([]rune(rest)) < 8 || namesSite(rest, names) {
			return title
		}
		return rest
	}
	return title
}

// headsTitle reports whether heading is title, or title's first or last
// part before or after a separator, compared without case and with
// quotes and dashes folded.
func headsTitle(heading, title string) bool {
	h, t := titleKey(heading), titleKey(title)
	if h == "" || t == "" {
		return false
	}
	if h == t {
		return true
	}
	if WordCount(heading) < 2 && len([]rune(heading)) < 8 {
		return false
	}
	// The heading is the larger part: "Silicon Exposed: Open Verilog flow
	// for …" has the blog's name in its <h1>, not the headline.
	if rest, ok := strings.CutPrefix(t, h); ok {
		return startsWithSeparator(rest) && len([]rune(rest)) <= len([]rune(h))
	}
	if rest, ok := strings.CutSuffix(t, h); ok {
		r := []rune(strings.TrimSpace(rest))
		return len(r) > 0 && strings.ContainsRune(headlineSeparators, r[len(r)-1]) && len(r) <= len([]rune(h))
	}
	return false
}

// endsTitle reports whether text is a name of a few words that is the
// last part of title after a separator, and the shorter part: the site's
// name after a headline ("Was ist Virales Marketing? | DimidoBlog"), not
// a headline after the site's name and section ("BKA - Listenseite für
// Pressemitteilungen 2022 - Messengerdienste sind kein rechtsfreier
// Raum").
func endsTitle(text, title string) bool {
	h, t := titleKey(text), titleKey(title)
	rest, ok := strings.CutSuffix(t, h)
	// Chinese and Japanese titles put no space around the separator
	// ("…来帮你找对象_智能_好奇心日报").
	first, _ := utf8.DecodeRuneInString(h)
	if !ok || h == "" || !strings.HasSuffix(rest, " ") && !Ideograph(first) || WordCount(text) > maxNameWords {
		return false
	}
	r := []rune(strings.TrimSpace(rest))
	return len(r) > 0 && strings.ContainsRune(headlineSeparators, r[len(r)-1]) && len(r) > len([]rune(h))
}

// maxNameWords is the most words endsTitle takes for a site's name.
const maxNameWords = 3

const headlineSeparators = "|-–—_\\/>»·:：｜~"

func startsWithSeparator(rest string) bool {
	r := []rune(strings.TrimSpace(rest))
	return len(r) > 0 && strings.ContainsRune(headlineSeparators, r[0])
}

// titleKey folds what differs between a page's <title> and its heading:
// case, typographic quotes, runs of spaces.
func titleKey(s string) string {
	return strings.ToLower(collapse(foldPunctuation(s)))
}

package snapshot

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ErrNoMatch is wrapped by extraction errors where a required selector
// matched nothing: a page that no longer has the expected structure, never
// a page whose items were all removed.
var ErrNoMatch = errors.New("matched nothing")

// Parse reads an HTML document, converting it to UTF-8 from the charset
// named by contentType, a BOM or a <meta> tag.
func Parse(body []byte, contentType string) (*goquery.Document, error) {
	utf, _ := toUTF8(body, contentType)
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(utf))
	if err != nil {
		return nil, fmt.Errorf("parsing HTML: %w", err)
	}
	return doc, nil
}

// Extract applies rules to a fetched page. base is what relative links
// resolve against (a <base href> in the page takes precedence).
func Extract(body []byte, contentType string, base *url.URL, rules Rules) (*Snapshot, error) {
	if rules.Feed || (rules.AutoFeed && LooksLikeFeed(body, contentType)) {
		snap, err := extractFeed(body, base, rules)
		if err != nil {
			return nil, err
		}
		normalizeItems(snap, rules)
		return snap, nil
	}
	utf, _ := toUTF8(body, contentType)
	root, err := html.Parse(bytes.NewReader(utf))
	if err != nil {
		return nil, fmt.Errorf("parsing HTML: %w", err)
	}
	doc := goquery.NewDocumentFromNode(root)
	base = documentBase(doc, base)
	snap, found, err := extractDocument(doc, base, rules)
	if err != nil {
		return nil, err
	}
	itemNodes := found.nodes
	if rules.Article == nil && rules.AutoArticle {
		// Asked only beside a listing, where the answer counts.
		// The address the page gives itself, read once: the extractors
		// rewrite the tree.
		own := ownAddress(doc, base)
		atArticle := len(snap.Items) > 0 && (atArticleAddress(base, own) || linksItself(doc, base, own))
		if found.auto {
			var headline *html.Node
			if atArticle {
				headline = onlyHeadline(root)
			}
			snap.Items, itemNodes = withoutOwnArticle(snap.Items, itemNodes, base, headline)
		}
		onlyArticle := !rules.AutoListing && rules.Listing == nil
		hasListing := len(snap.Items) > 0
		atArticle = atArticle && hasListing
		strong := hasListing && declaresArticle(doc, len(snap.Items), atArticle)
		linkBar := found.auto && found.quality < minListingQualityBesideArticle
		// Beside a link bar, an article is held to what one without a
		// listing is: a short post under a blog's menu of three links
		// is the page's article.
		if onlyArticle || !hasListing || strong || !onlyListing(root, itemNodes, looseArticleWords(atArticle || linkBar)) {
			site := siteAddress(doc, base, own)
			// Last: article extraction rewrites the tree.
			art, err := articleFromNode(root, base)
			writtenOut := false
			// A listing of one- and two-word links (share buttons, tags,
			// a section menu) is no measure of an article beside it.
			teaserWords := 0
			if !linkBar {
				teaserWords = listingWords(snap.Items)
			}
			if err == nil && hasListing {
				// What the extractor took for an article may be the
				// listing itself, written out as text; or it may have kept
				// a "More From" box under the article, whose teasers are
				// the listing's items and would change the body with
				// every new one. A page that declares an article beside a
				// short list keeps what is left of the text without them;
				// beside a long one (a table of releases on a page that
				// calls itself an article) the text is the list.
				inBody := listingInBody(snap.Items, art.Body, atArticle)
				body := withoutListing(art.Body, snap.Items, site)
				if (inBody || WordCount(body) < minArticleWords) && art.other != "" && !listingInBody(snap.Items, art.other, atArticle) {
					// The extractor chosen took the listing, or one of
					// its teasers, for the article (a column of teasers
					// with their summaries is longer than a short
					// report, and a teaser may be an <article>); the
					// other may have read the article.
					if other := withoutListing(art.other, snap.Items, site); inBody || WordCount(other) > WordCount(body) {
						body, inBody = other, false
					}
				}
				writtenOut = inBody && !(strong && len(snap.Items) < shortListing)
				art.Body = body
			}
			switch {
			case writtenOut:
			case err == nil && hasListing && !strong && !linkBar && looseArticleTooShort(WordCount(art.Title)+WordCount(art.Body), teaserWords, atArticle):
				// A front page calling itself an article, with fewer words
				// the extractor found between its teasers than the
				// teasers have themselves.
			case err == nil && WordCount(art.Title)+WordCount(art.Body) >= shortestArticle(hasListing && !(strong && len(snap.Items) < shortListing), base, own):
				// The headline counts: a short post is its headline and
				// a few sentences.
				it := Item{Kind: KindArticle, ID: "article", URL: urlString(base),
					Title: clean(art.Title, rules.Ignore), Body: clean(art.Body, rules.Ignore)}
				if !art.Published.IsZero() {
					it.Date = art.Published.UTC().Format("2006-01-02")
					it.Published = it.Date
				}
				if linkBar {
					// Beside an article, a "listing" of one- and two-word
					// links (share buttons, tags, a section menu) is the
					// page's furniture: tracked, it would report a new
					// menu entry as news.
					kept := snap.Items[:0]
					for _, li := range snap.Items {
						if li.Kind != KindListing {
							kept = append(kept, li)
						}
					}
					snap.Items = kept
				}
				snap.Items = append([]Item{it}, snap.Items...)
			case onlyArticle:
				if err == nil {
					err = fmt.Errorf("%d words", WordCount(art.Body))
				}
				return nil, fmt.Errorf("no article found on the page (%v)", err)
			}
		}
	}
	if len(snap.Items) == 0 && rules.AutoListing && rules.AutoArticle {
		// Neither: a page of two links, a form, a notice. It is watched
		// as text, as kind: page would (the extractors rewrote the tree,
		// so it is read again).
		if snap, err = pageFallback(utf, base, rules); err != nil {
			return nil, err
		}
	}
	normalizeItems(snap, rules)
	return snap, nil
}

// ErrNothingFound is the error of a zero-config page with neither an
// article, nor a listing, nor any text.
var ErrNothingFound = errors.New("found neither an article nor a listing nor any text on the page")

// pageFallback reads a zero-config page that holds neither an article nor
// a listing as its text (one item of kind page).
func pageFallback(utf []byte, base *url.URL, rules Rules) (*Snapshot, error) {
	root, err := html.Parse(bytes.NewReader(utf))
	if err != nil {
		return nil, fmt.Errorf("parsing HTML: %w", err)
	}
	page := Rules{Page: &PageRules{}, IgnoreSelectors: rules.IgnoreSelectors, Ignore: rules.Ignore}
	snap, _, err := extractDocument(goquery.NewDocumentFromNode(root), base, page)
	if err != nil {
		return nil, err
	}
	if len(snap.Items) == 0 || WordCount(snap.Items[0].Body) == 0 {
		return nil, ErrNothingFound
	}
	return snap, nil
}

// PageFallback reports whether a snapshot taken without selectors is a
// page's text because it holds neither an article nor a listing.
func (s *Snapshot) PageFallback(rules Rules) bool {
	return rules.AutoListing && rules.AutoArticle && len(s.Items) == 1 && s.Items[0].Kind == KindPage
}

// normalizeItems makes items comparable: counters out of listing fields,
// punctuation folded if asked, extra tracking parameters dropped, and the
// identity the source asks for.
func normalizeItems(snap *Snapshot, rules Rules) {
	c := Canonicalizer{Extra: rules.TrackingParams}
	seen := map[string]bool{}
	out := snap.Items[:0]
	for _, it := range snap.Items {
		// One text in one form: a page that writes "য়" as one character
		// today and as two tomorrow has not changed.
		it.Title, it.Date, it.Summary, it.Body = nfc(it.Title), nfc(it.Date), nfc(it.Summary), nfc(it.Body)
		listed := it.Kind == KindListing || it.Kind == KindFeed
		if listed && !rules.KeepCounters {
			it.Title, it.Date, it.Summary = dropCounters(it.Title), dropCounters(it.Date), dropCounters(it.Summary)
		}
		if rules.FoldPunctuation {
			it.Title, it.Date, it.Summary, it.Body = foldPunctuation(it.Title), foldPunctuation(it.Date), foldPunctuation(it.Summary), foldPunctuation(it.Body)
		}
		if listed && len(rules.TrackingParams) > 0 && it.URL != "" {
			if u, err := url.Parse(it.URL); err == nil {
				canon := c.URL(u).String()
				if it.ID == it.URL {
					it.ID = canon
				}
				it.URL = canon
			}
		}
		if it.Kind == KindListing && rules.Identity == IdentityTitle {
			it.ID = Identity("", it.Title)
		}
		if it.ID == "" || seen[it.Key()] {
			continue
		}
		seen[it.Key()] = true
		out = append(out, it)
	}
	snap.Items = out
}

// listingWords counts the words of a listing's titles and summaries.
func listingWords(items []Item) int {
	n := 0
	for _, it := range items {
		n += WordCount(it.Title) + WordCount(it.Summary)
	}
	return n
}

// listingInBody reports whether a body is the listing written out as
// text: at least three of its items are in it (by a title of two words or
// more, or a summary of three), and their words leave fewer than the
// least article taken beside a listing (looseArticleWords) beside them,
// or make half the body. An article that links a few stories in its
// text, or whose extractor kept the "More From" box under it, has far
// more words of its own; at an article's address, a post with the words
// of an article found beside a listing (minLooseArticleWords) above a
// long list of the blog's others is an article, where a table of
// releases under a paragraph is not.
func listingInBody(items []Item, body string, atArticle bool) bool {
	found, covered := 0, 0
	for _, it := range items {
		if it.Kind != KindListing {
			continue
		}
		if WordCount(it.Title) >= 2 && strings.Contains(body, it.Title) || WordCount(it.Summary) >= 3 && strings.Contains(body, it.Summary) {
			found++
			covered += WordCount(it.Title) + WordCount(it.Summary) + WordCount(it.Date)
		}
	}
	words := WordCount(body)
	own := words - covered
	return found >= 3 && (covered*2 >= words && (!atArticle || own < minLooseArticleWords) || own < looseArticleWords(atArticle))
}

// withoutListing returns an article's body without its lines that are
// the listing's items: a line that is an item's title, date, summary or
// one of its cells (a table's rows come out a cell a line), or most of
// whose words are an item's title or summary, and the short line that
// heads them. A paragraph that quotes a headline among words of its own
// stays; so do the items of an article made of them (see ownItems), and
// items that link to other sites than page's: a "More From" box holds
// the site's own stories, a buying guide's list the shops' offers.
func withoutListing(body string, items []Item, page *url.URL) string {
	var texts []string
	exact := map[string]bool{}
	site := ""
	if page != nil && (page.Scheme == "http" || page.Scheme == "https") {
		site = siteKey(page.Hostname())
	}
	for _, it := range items {
		if it.Kind != KindListing {
			continue
		}
		if u, err := url.Parse(it.URL); site != "" && err == nil && u.Host != "" && siteKey(u.Hostname()) != site {
			continue
		}
		if WordCount(it.Title) >= 2 {
			texts = append(texts, it.Title)
		}
		if WordCount(it.Summary) >= 3 {
			texts = append(texts, it.Summary)
		}
		for _, t := range append([]string{it.Title, it.Date, it.Summary}, strings.Split(it.Summary, " · ")...) {
			if t != "" {
				exact[t] = true
			}
		}
	}
	if len(exact) == 0 {
		return body
	}
	lines := strings.Split(body, "\n")
	isItem := make([]bool, len(lines))
	for i, l := range lines {
		isItem[i] = exact[strings.TrimSpace(l)] || itemLine(l, texts)
	}
	own := ownItems(lines, isItem)
	kept := lines[:0:0]
	heading := false // whether the last kept line may head what follows
	last := false    // whether the body's last line is an item taken out
	for i, l := range lines {
		if isItem[i] && !own[i] {
			if heading {
				// "More news", "Read also": the list's own heading.
				kept = kept[:len(kept)-1]
				heading = false
			}
			last = true
			continue
		}
		kept = append(kept, l)
		heading = WordCount(l) <= 5 && !strings.ContainsAny(l, ".!?。")
		last = last && strings.TrimSpace(l) == ""
	}
	if last {
		// Under the article, what headed a box of other stories that
		// ends the body: "Aus dem Archiv", "Weitere Meldungen aus dem
		// Archiv vom 28.04.2020", the last lines of a media box.
		n := len(kept)
		for n > 1 && len(kept)-n < maxBoxHeadLines && boxHead(kept[n-1]) {
			n--
		}
		kept = kept[:n]
	}
	return strings.Join(kept, "\n")
}

// boxHead reports whether a line under an article may head a box of
// other stories: a few words, not a sentence.
func boxHead(l string) bool {
	l = strings.TrimSpace(l)
	return WordCount(l) <= 8 && !sentenceEnd.MatchString(l) && !strings.HasSuffix(l, "。")
}

// maxBoxHeadLines is the most lines taken for the head of a box of
// other stories that ends an article's body.
const maxBoxHeadLines = 6

// ownItems marks the item lines that are the article's own: a buying
// guide's products, a list article's entries, each between paragraphs
// of the article's text. Where minOwnItems or more item lines stand
// between paragraphs (minOwnItemWords words of lines that are not items
// before and after each), the page's listing is the article's structure
// and those lines stay; a "More From" box under the article, or one
// "Read also" link inside it, goes.
func ownItems(lines []string, isItem []bool) []bool {
	own := make([]bool, len(lines))
	// prose[i] is the words of non-item lines before line i.
	prose := make([]int, len(lines)+1)
	for i, l := range lines {
		prose[i+1] = prose[i]
		if !isItem[i] {
			prose[i+1] += WordCount(l)
		}
	}
	n, last := 0, -1
	for i := range lines {
		if !isItem[i] {
			continue
		}
		// Prose since the last item line (or the top), and after this one.
		since := prose[i] - prose[last+1]
		if since >= minOwnItemWords && prose[len(lines)]-prose[i+1] >= minOwnItemWords {
			own[i] = true
			n++
		}
		last = i
	}
	if n < minOwnItems {
		return make([]bool, len(lines))
	}
	return own
}

// An article is made of its listing's items when minOwnItems of them
// stand each between minOwnItemWords words of its own text.
const (
	minOwnItems     = 5
	minOwnItemWords = 20
)

// siteKey is the part of a host name that names its site: its last two
// labels, or three where the second to last is a short one of a country's
// registry ("bbc.co.uk", "folha.com.br"): "news.example.org" and
// "www.example.org" are one site.
func siteKey(host string) string {
	labels := strings.Split(strings.TrimSuffix(strings.ToLower(host), "."), ".")
	n := 2
	if len(labels) >= 3 && len(labels[len(labels)-2]) <= 3 && len(labels[len(labels)-1]) == 2 {
		n = 3
	}
	if len(labels) <= n {
		return strings.Join(labels, ".")
	}
	return strings.Join(labels[len(labels)-n:], ".")
}

// itemLine reports whether most of a line's words are one of the texts.
func itemLine(line string, texts []string) bool {
	words := 0
	for _, t := range texts {
		if strings.Contains(line, t) {
			if words == 0 {
				words = WordCount(line)
			}
			if WordCount(t)*2 >= words {
				return true
			}
		}
	}
	return false
}

// looseArticleTooShort reports whether the article the extractor found
// beside a listing, on a page that does not declare an article, is too
// short to be one: its words (its headline's and its text's, as for any
// article) fewer than looseArticleWords, or, at an address that is not
// an article's, fewer than the listing's items have. At an
// article's address a short report beside a long "More From" box or a
// sidebar of the site's other stories is the page's article.
func looseArticleTooShort(words, listing int, atArticle bool) bool {
	return words < looseArticleWords(atArticle) || !atArticle && words < listing
}

// looseArticleWords is the shortest article taken beside a listing on a
// page that does not declare one: minLooseArticleWords, or at an
// article's address minArticleWords. A short post or notice at
// "/2019/10/21/interning-of-small-integers/" with a few links under it
// is an article, and a front page's address seldom looks like that.
func looseArticleWords(atArticle bool) int {
	if atArticle {
		return minArticleWords
	}
	return minLooseArticleWords
}

// shortestArticle is the fewest words (a headline's and a text's) taken
// for an article: minArticleWords, or minShortPostWords at an article's
// address on a page without a listing, where a blog's post of two
// sentences under its headline ("/2013/06/14/die-moglichkeit-nichts-zu-tun/")
// is the page's article, not its text as a whole (kind page): its sidebar
// and footer would report their changes as the post's. A short "More
// From" box beside an article the page declares counts as no listing: a
// paywalled report's first two sentences are the page's article.
func shortestArticle(hasListing bool, base, own *url.URL) int {
	if !hasListing && atArticleAddress(base, own) {
		return minShortPostWords
	}
	return minArticleWords
}

// minArticleWords is the shortest body taken for an article;
// minListingItems the fewest items taken for a listing found by itself.
const (
	minArticleWords = 40
	// minShortPostWords is the shortest article at an article's address on a
	// page without a listing (see shortestArticle).
	minShortPostWords = 20
	// minLooseArticleWords is the shortest body taken for the article of
	// a page that has a listing and does not declare itself an article
	// in JSON-LD.
	minLooseArticleWords = 150
	minListingItems      = 3
	// shortListing is the length from which a listing is no "More From"
	// box but a page's list.
	shortListing = 15
	// minListingQualityBesideArticle is the least quality (see
	// group.listing) of a listing found by itself that is kept beside an
	// article: the labelled listings score above 1, an agency's "More
	// From" box above 2, and share bars, tag lists and section menus under
	// 0.1.
	minListingQualityBesideArticle = 0.2
)

// declaresArticle reports whether a page with a listing of n items is also
// an article page: it says so in schema.org JSON-LD, or by og:type or by
// one <h1> inside an <article>, if its listing is short (a "More From"
// box, not a front page) or its own address is an article's. Many front
// pages call themselves og:type article, but few have the address of one;
// an agency's short news beside a long list of others has. A lone <h1>
// says nothing: most listing pages have one, some at addresses like
// articles' (Apple's security releases at /en-gb/100100).
func declaresArticle(doc *goquery.Document, n int, at bool) bool {
	if len(jsonLD(doc)) > 0 {
		return true
	}
	if n >= shortListing && !at {
		return false
	}
	return strings.EqualFold(doc.Find(`meta[property="og:type"]`).AttrOr("content", ""), "article") ||
		doc.Find("article h1").Length() == 1
}

// articleAddress reports whether a page's address is one article's: its
// last segment a slug of three words or more, or with a number of five
// digits or more ("/news/2025/12/17/budget-adopted-by-assembly.html",
// "/Breaking-News/Son-stabbed-608399"), or an identifier of letters and
// digits ("/articles/ASM2Q5HKNM2QUCVL02D.html"), or a name under a day's
// or a month's folder ("/politics/20251217/c0001.html",
// "/blog/archives/2019/04/treeviz.html"), where a section's or an
// archive's is a word or a date ("/politics/", "/2025/12/",
// "/2025/12/17/").
func articleAddress(u *url.URL) bool {
	if u == nil {
		return false
	}
	p := strings.Trim(u.Path, "/")
	last := p[strings.LastIndexByte(p, '/')+1:]
	if scriptPlaceholder(last) {
		// "/news/m/1c621104-b0eb-3b4d-9b0a-7bb979f80d7d/undefined": a
		// script wrote a value it did not have; the name is the segment
		// before.
		p = strings.TrimSuffix(p, "/"+last)
		last = p[strings.LastIndexByte(p, '/')+1:]
	}
	last = strings.TrimSuffix(last, path.Ext(last))
	if slugWords.MatchString(last) || longNumber.MatchString(last) || identifier(last) || queryIdentifier(u.RawQuery) {
		return true
	}
	// "/politics/20251217/c0001.html": a page named under a day's folder,
	// or under a record's folder in a day's ("/20250317/8d1a…5c/c.html",
	// "/Detail/2025/03/17/745123/Iran-talks").
	return datedFolder.MatchString("/"+p) && strings.IndexFunc(last, unicode.IsLetter) >= 0
}

// queryIdentifier reports whether a query names one record: a post's
// number ("?p=822", WordPress's own addresses) or an article's, a
// number of five digits or more under a name that says so
// ("view?articleId=261234", "articleView.html?idxno=345678",
// "read.naver?…&aid=0014512345"). A section's or a page of a list's
// number is short or named otherwise ("?sid1=100", "?page=2",
// "?categoryId=100001").
func queryIdentifier(query string) bool {
	if query == "" {
		return false
	}
	for _, kv := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if v == "" || strings.Trim(v, "0123456789") != "" {
			continue
		}
		k = strings.ToLower(k)
		if k == "p" || len(v) >= 5 && recordKey.MatchString(k) {
			return true
		}
	}
	return false
}

var recordKey = regexp.MustCompile(`^(article|news|story|post|doc|content|item|entry|a|n)?[-_]?(id|no|idx|idxno|num)$`)

// scriptPlaceholder reports whether a path segment is what a script
// writes for a value it does not have.
func scriptPlaceholder(s string) bool {
	switch s {
	case "undefined", "null", "NaN", "[object Object]":
		return true
	}
	return false
}

// identifier reports whether a path segment is a record's identifier:
// twelve or more ASCII letters and digits, three or more of each.
func identifier(s string) bool {
	if len(s) < 12 {
		return false
	}
	letters, digits := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letters++
		default:
			return false
		}
	}
	return letters >= 3 && digits >= 3
}

// atArticleAddress reports whether a page is at an article's address
// (see articleAddress): the one it was fetched from or the one it gives
// itself (own, from ownAddress). A page read from a file has only the one
// it gives itself, when it gives one: a file's name says little of the
// page.
func atArticleAddress(base, own *url.URL) bool {
	if base != nil && base.Scheme == "file" && own != nil && own.Scheme != "file" {
		return articleAddress(own)
	}
	return articleAddress(base) || articleAddress(own)
}

// linksItself reports whether a page links to itself under its headline:
// a blog post at "/822" or "/?p=822" whose sidebar of the newest posts
// begins with it, an agency's story in its own "Most read" box. Such a
// page is its article's, whatever its address looks like. The headline is
// what the page's <title> begins with, of three words or more; a front
// page's link to itself under the site's name is at the site's root, and
// is not asked about, and a section's page links to itself under its name
// from its menu or breadcrumbs (inMenu), which do not count.
func linksItself(doc *goquery.Document, base, own *url.URL) bool {
	var addrs []string
	var last []string
	for _, u := range []*url.URL{base, own} {
		if u == nil || u.Scheme != "http" && u.Scheme != "https" {
			continue
		}
		p := strings.Trim(u.Path, "/")
		if p == "" && u.RawQuery == "" {
			continue
		}
		addrs = append(addrs, canonicalURL(u))
		// The cheap test first: a link to the page holds its last
		// segment, as written or escaped ("/2024/über-uns",
		// "/2024/%C3%BCber-uns").
		if p == "" {
			last = append(last, u.RawQuery)
			continue
		}
		e := strings.Trim(u.EscapedPath(), "/")
		last = append(last, p[strings.LastIndexByte(p, '/')+1:], e[strings.LastIndexByte(e, '/')+1:])
	}
	if len(addrs) == 0 {
		return false
	}
	title := ""
	for _, root := range doc.Nodes {
		for n := range root.Descendants() {
			if n.DataAtom != atom.A || n.Type != html.ElementNode {
				continue
			}
			href := attr(n, "href")
			if href == "" || !slices.ContainsFunc(last, func(l string) bool { return strings.Contains(href, l) }) {
				continue
			}
			u, err := url.Parse(resolve(base, strings.TrimSpace(href)))
			if err != nil || !slices.Contains(addrs, canonicalURL(u)) || inMenu(n) {
				continue
			}
			text := strings.ToLower(collapse(nodeText(n)))
			if WordCount(text) < minHeadlineWords {
				continue
			}
			if title == "" {
				title = strings.ToLower(collapse(doc.Find("title").First().Text()))
			}
			if strings.HasPrefix(title, text) {
				return true
			}
		}
	}
	return false
}

// inMenu reports whether an element is in a page's menu or breadcrumbs,
// where a section's page links to itself under its name.
func inMenu(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Nav {
			return true
		}
		for _, a := range p.Attr {
			switch {
			case a.Key == "role" && (a.Val == "navigation" || a.Val == "menu" || a.Val == "menubar"):
				return true
			case (a.Key == "class" || a.Key == "id") && menuName.MatchString(a.Val):
				return true
			}
		}
	}
	return false
}

var menuName = regexp.MustCompile(`(?i)(^|[-_\s])(nav|navbar|navigation|menu|menus|submenu|mega-?menu|dropdown|breadcrumbs?)([-_\s]|$)`)

// siteAddress is the address whose site tells a page's own links from
// others': the one it was fetched from, or, read from a file, the one it
// gives itself (own, from ownAddress).
func siteAddress(doc *goquery.Document, base, own *url.URL) *url.URL {
	if base != nil && base.Scheme == "file" {
		if own != nil && (own.Scheme == "http" || own.Scheme == "https") {
			return own
		}
		if host := linkedSite(doc); host != "" {
			return &url.URL{Scheme: "https", Host: host}
		}
	}
	return base
}

// linkedSite is the site most of a page's absolute links go to, when
// one clearly leads: a page saved without its address still links to
// its own site's sections and stories by full address more often than
// to any other (its relative links are its own site's too). "" when
// no site leads.
func linkedSite(doc *goquery.Document) string {
	count := map[string]int{}
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		href = strings.TrimSpace(href)
		if !strings.HasPrefix(href, "http://") && !strings.HasPrefix(href, "https://") && !strings.HasPrefix(href, "//") {
			return
		}
		u, err := url.Parse(href)
		if err != nil || u.Hostname() == "" {
			return
		}
		count[siteKey(u.Hostname())]++
	})
	best, first, second := "", 0, 0
	for site, n := range count {
		switch {
		case n > first || n == first && site < best:
			best, first, second = site, n, max(first, second)
		case n > second:
			second = n
		}
	}
	if first < minLinksToSite || first < 2*second {
		return ""
	}
	return best
}

// minLinksToSite is the fewest absolute links that make a site the
// page's own (see linkedSite).
const minLinksToSite = 3

// ownAddress is the address a page gives itself (its canonical link or
// og:url) resolved against base, or nil. A page saved to a file and
// read from there says where it came from only so.
func ownAddress(doc *goquery.Document, base *url.URL) *url.URL {
	// Where pages put them: the <head>'s children, read without a
	// search of the whole tree.
	var canonical, og string
	look := func(c *html.Node) {
		switch {
		case c.DataAtom == atom.Link && canonical == "" && strings.EqualFold(attr(c, "rel"), "canonical"):
			canonical = attr(c, "href")
		case c.DataAtom == atom.Meta && og == "" && attr(c, "property") == "og:url":
			og = attr(c, "content")
		}
	}
	var head *html.Node
	for _, root := range doc.Nodes {
		for top := root.FirstChild; top != nil; top = top.NextSibling {
			if top.DataAtom != atom.Html {
				continue
			}
			for h := top.FirstChild; h != nil; h = h.NextSibling {
				if h.DataAtom != atom.Head {
					continue
				}
				head = h
				for c := h.FirstChild; c != nil; c = c.NextSibling {
					look(c)
				}
			}
		}
	}
	if canonical == "" && og == "" && (head == nil || head.FirstChild == nil) {
		// A page saved from a browser's tree may have an element the
		// browser's scripts put before <head> ("<html><div …></div>
		// <head>"), and a parser then moves all the head holds into
		// the <body>.
		for _, root := range doc.Nodes {
			for n := range root.Descendants() {
				if n.Type == html.ElementNode {
					look(n)
				}
				if canonical != "" {
					break
				}
			}
		}
	}
	href := canonical
	if href == "" {
		href = og
	}
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil || href == "" {
		return nil
	}
	switch {
	case u.Host != "" && u.Scheme == "" && (base == nil || base.Scheme != "http" && base.Scheme != "https"):
		// "//www.example.org/news/…" on a saved page: the file's scheme
		// is not the page's.
		u.Scheme = "https"
	case base != nil:
		u = base.ResolveReference(u)
	}
	return u
}

var (
	longNumber  = regexp.MustCompile(`\d{5,}`)
	datedFolder = regexp.MustCompile(`/(19|20)\d\d(/\d\d(/\d\d)?|\d{4})/([^/]*\d[^/]*/)?[^/]+$`)
)

// onlyListing reports whether a page holds too little prose outside its
// listing's items (and its menus, header and footer) for an article of
// least words, the least taken beside a listing the page does not declare
// an article (looseArticleWords): then the extractor, the dearest step of a check
// (language detection, two extractors compared), would only find the
// listing again. A page with that much prose beside its listing is asked
// for an article whatever its markup: many agencies mark their articles
// with neither og:type nor an <h1>.
func onlyListing(root *html.Node, items []*html.Node, least int) bool {
	if len(items) == 0 {
		return false
	}
	skip := make(map[*html.Node]bool, len(items))
	for _, n := range items {
		skip[n] = true
	}
	words := 0
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			words += WordCount(n.Data)
			return words < least
		case html.ElementNode:
			if skip[n] || skippedAtoms[n.DataAtom] || isBoilerplate(n) {
				return true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	return walk(root)
}

// withoutOwnArticle takes the page's own article out of a listing found
// by itself: its longest item, with an article's words
// (minLooseArticleWords), twice the words of all the others or, among
// four items or fewer, more than all of them: the page's regions in the
// one markup a site uses for its boxes (a blog's post among its header's
// and sidebar's "div > div", a news system's story in a table row beside
// its menu rows). Where fewer than minListingItems items are left, they
// were the page's layout, not a listing, and none is kept. A blog's front
// page with its newest post in full above the others' excerpts keeps them
// all: the excerpts of five posts or more have more than half the post's
// words.
//
// headline, when not nil, is the one <h1> of a page at an article's
// address: an item with a short article's words (minArticleWords) that
// holds it, or its text, is the page's own article whatever the others
// hold (an aggregator's short post in the same boxes as its column of
// other stories, its headline repeated above the text).
func withoutOwnArticle(items []Item, nodes []*html.Node, base *url.URL, headline *html.Node) ([]Item, []*html.Node) {
	var own, headed *html.Node
	headlineText := ""
	if headline != nil {
		headlineText = collapse(nodeText(headline))
	}
	ownWords, all := 0, 0
	for _, n := range nodes {
		w := textWords(n, 1<<20)
		all += w
		if w > ownWords {
			own, ownWords = n, w
		}
		if headed == nil && w >= minArticleWords && heads(n, headline, headlineText) {
			headed = n
		}
	}
	others := all - ownWords
	switch {
	case headed != nil:
		own = headed
	case own == nil || ownWords < minLooseArticleWords || ownWords < 2*others && !(len(nodes) <= 4 && ownWords > others):
		return items, nodes
	}
	id := autoItem(goquery.NewDocumentFromNode(own).Selection, base).ID
	keptNodes := make([]*html.Node, 0, len(nodes)-1)
	for _, n := range nodes {
		if n != own {
			keptNodes = append(keptNodes, n)
		}
	}
	kept := make([]Item, 0, len(items))
	listed := 0
	for _, it := range items {
		if it.Kind == KindListing && it.ID == id {
			continue
		}
		if it.Kind == KindListing {
			listed++
		}
		kept = append(kept, it)
	}
	if listed >= minListingItems {
		return kept, keptNodes
	}
	kept = kept[:0]
	for _, it := range items {
		if it.Kind != KindListing {
			kept = append(kept, it)
		}
	}
	return kept, nil
}

// onlyHeadline is the page's <h1> when it has exactly one, else nil.
func onlyHeadline(root *html.Node) *html.Node {
	var found *html.Node
	count := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && count < 2; c = c.NextSibling {
			if c.Type != html.ElementNode || skippedAtoms[c.DataAtom] {
				continue
			}
			if c.DataAtom == atom.H1 {
				found = c
				count++
				continue
			}
			walk(c)
		}
	}
	walk(root)
	if count != 1 {
		return nil
	}
	return found
}

// heads reports whether item holds the headline element, or its text
// (collapsed) when that is a headline's words (minHeadlineWords).
func heads(item, headline *html.Node, text string) bool {
	if headline == nil {
		return false
	}
	for p := headline; p != nil; p = p.Parent {
		if p == item {
			return true
		}
	}
	return WordCount(text) >= minHeadlineWords && strings.Contains(collapse(nodeText(item)), text)
}

// textWords counts the words of the text under n, up to limit, leaving
// out scripts and styles.
func textWords(n *html.Node, limit int) int {
	words := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && words < limit; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				words += WordCount(c.Data)
			case c.Type == html.ElementNode && !skippedAtoms[c.DataAtom]:
				walk(c)
			}
		}
	}
	walk(n)
	return words
}

// ExtractDocument is Extract on a parsed document. Elements matched by
// the rules' IgnoreSelectors are removed from it.
func ExtractDocument(doc *goquery.Document, base *url.URL, rules Rules) (*Snapshot, error) {
	snap, _, err := extractDocument(doc, documentBase(doc, base), rules)
	return snap, err
}

// foundListing is what extractDocument tells Extract of the listing it
// took, for the question whether the page also holds an article: its
// items' elements, and, for a listing found by itself, its quality (score
// per item; selectors' listings are taken whatever it is).
type foundListing struct {
	nodes   []*html.Node
	auto    bool
	quality float64
}

// extractDocument is ExtractDocument with the page's <base> already
// applied to base; it also returns the listing it took.
func extractDocument(doc *goquery.Document, base *url.URL, rules Rules) (*Snapshot, foundListing, error) {
	var found foundListing
	for _, m := range rules.IgnoreSelectors {
		doc.FindMatcher(m).Remove()
	}
	snap := &Snapshot{}
	if r := rules.Page; r != nil {
		sel := doc.Selection.Find("body")
		if r.Select != nil {
			sel = doc.FindMatcher(r.Select)
		}
		if sel.Length() == 0 {
			return nil, found, fmt.Errorf("page.select %w", ErrNoMatch)
		}
		body := clean(pageText(sel.Nodes), rules.Ignore)
		title := clean(inline(doc.Find("title").First().Nodes), rules.Ignore)
		snap.Items = append(snap.Items, Item{Kind: KindPage, ID: "page", Title: title, URL: urlString(base), Body: body})
	}
	if r := rules.Article; r != nil {
		it, err := extractArticle(doc, base, r, rules)
		if err != nil {
			return nil, found, err
		}
		snap.Items = append(snap.Items, it)
	}
	if r := rules.Listing; r != nil {
		items, nodes, err := extractListing(doc, base, r, rules)
		if err != nil {
			return nil, found, err
		}
		snap.Items = append(snap.Items, items...)
		found.nodes = nodes
	} else if rules.AutoListing {
		ls := findListings(doc, base)
		switch {
		case len(ls) > 0 && len(ls[0].Items) >= minListingItems:
			for _, it := range ls[0].Items {
				it.Title, it.Date, it.Summary = clean(it.Title, rules.Ignore), clean(it.Date, rules.Ignore), clean(it.Summary, rules.Ignore)
				snap.Items = append(snap.Items, it)
			}
			found = foundListing{nodes: ls[0].nodes, auto: true, quality: ls[0].quality}
		case !rules.AutoArticle:
			return nil, found, fmt.Errorf("no listing found on the page: %w", ErrNoMatch)
		}
	}
	return snap, found, nil
}

func extractArticle(doc *goquery.Document, base *url.URL, r *ArticleRules, rules Rules) (Item, error) {
	bodySel := doc.FindMatcher(r.Body)
	if bodySel.Length() == 0 {
		return Item{}, fmt.Errorf("article.body %w", ErrNoMatch)
	}
	var title *goquery.Selection
	if r.Title != nil {
		title = firstMatch(doc.Selection, r.Title)
	} else {
		title = doc.Find("h1").First()
	}
	var date *goquery.Selection
	if r.Date != nil {
		date = firstMatch(doc.Selection, r.Date)
	} else {
		date = doc.Find("time").First()
	}
	it := Item{
		Kind:  KindArticle,
		ID:    "article",
		URL:   urlString(base),
		Title: clean(inline(title.Nodes), rules.Ignore),
		Date:  clean(dateText(date), rules.Ignore),
		Body:  clean(paragraphs(bodySel.Nodes), rules.Ignore),
	}
	it.Published = normalizeDate(it.Date)
	return it, nil
}

func extractListing(doc *goquery.Document, base *url.URL, r *ListingRules, rules Rules) ([]Item, []*html.Node, error) {
	matches := doc.FindMatcher(r.Items)
	if matches.Length() == 0 {
		return nil, nil, fmt.Errorf("listing.items %w", ErrNoMatch)
	}
	var items []Item
	seen := map[string]bool{}
	matches.Each(func(_ int, s *goquery.Selection) {
		it := Item{Kind: KindListing}
		it.Title = clean(inline(listingTitle(s, r).Nodes), rules.Ignore)
		it.URL = resolve(base, listingLink(s, r))
		if r.Date != nil {
			it.Date = clean(dateText(firstMatch(s, r.Date)), rules.Ignore)
		} else {
			it.Date = clean(dateText(firstMatch(s, timeSel)), rules.Ignore)
		}
		if r.Summary != nil {
			it.Summary = clean(inline(firstMatch(s, r.Summary).Nodes), rules.Ignore)
		}
		if it.Title == "" && it.URL == "" {
			// Neither link nor title: the item's own text is the best
			// name it has, and what identifies it.
			it.Title = clean(inline(s.Nodes), rules.Ignore)
		}
		it.ID = Identity(it.URL, it.Title)
		if rules.Identity == IdentitySelector && r.ID != nil {
			if id := selectedID(firstMatch(s, r.ID)); id != "" {
				it.ID = "id:" + id
			}
		}
		it.Published = normalizeDate(it.Date)
		if it.ID == "" || seen[it.ID] {
			// An empty item cannot be recognised on the next check; a
			// repeated one (an image link and a headline link to the
			// same story, say) is tracked once.
			return
		}
		seen[it.ID] = true
		items = append(items, it)
	})
	if len(items) == 0 {
		return nil, nil, fmt.Errorf("listing.items matched %d elements but none has a link or title", matches.Length())
	}
	return items, matches.Nodes, nil
}

// The selectors every listing item is searched with, compiled once.
var (
	timeSel     = cascadia.MustCompile("time")
	datetimeSel = cascadia.MustCompile("time[datetime]")
	headingSel  = cascadia.MustCompile(headings)
	linkSel     = cascadia.MustCompile("a")
	hrefSel     = cascadia.MustCompile("[href]")
	hrefLinkSel = cascadia.MustCompile("a[href]")
)

func listingTitle(s *goquery.Selection, r *ListingRules) *goquery.Selection {
	if r.Title != nil {
		return firstMatch(s, r.Title)
	}
	if h := firstMatch(s, headingSel); h.Length() > 0 {
		return h
	}
	if s.IsMatcher(linkSel) {
		return s
	}
	return firstMatch(s, hrefLinkSel)
}

func listingLink(s *goquery.Selection, r *ListingRules) string {
	var a *goquery.Selection
	if r.Link != nil {
		a = firstMatch(s, r.Link)
		if !a.IsMatcher(hrefSel) {
			a = firstMatch(a, hrefLinkSel)
		}
	} else if s.IsMatcher(hrefLinkSel) {
		a = s
	} else {
		a = firstMatch(s, hrefLinkSel)
	}
	href, _ := a.Attr("href")
	return strings.TrimSpace(href)
}

// selectedID is the identifying value of an element: its data-id, id or
// href attribute, else its text.
func selectedID(s *goquery.Selection) string {
	if s.Length() == 0 {
		return ""
	}
	for _, a := range []string{"data-id", "id", "href"} {
		if v, ok := s.Attr(a); ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return inline(s.Nodes)
}

// Identity is a listing item's identity: its absolute link, or, for an item
// without one, its normalized title.
func Identity(link, title string) string {
	if link != "" {
		return link
	}
	if t := strings.ToLower(collapse(title)); t != "" {
		return "title:" + t
	}
	return ""
}

func dateText(s *goquery.Selection) string {
	if s.Length() == 0 {
		return ""
	}
	if t := inline(s.Nodes); t != "" {
		return t
	}
	if dt, ok := s.Attr("datetime"); ok {
		return collapse(dt)
	}
	return collapse(s.FindMatcher(datetimeSel).AttrOr("datetime", ""))
}

// documentBase applies the page's <base href>, if any, to base.
func documentBase(doc *goquery.Document, base *url.URL) *url.URL {
	var href string
	var found bool
	// The first <base href> in tree order, as browsers take it; a walk
	// that stops there, since every page is searched and few have one.
	for _, root := range doc.Nodes {
		if href, found = firstBaseHref(root); found {
			break
		}
	}
	if !found {
		return base
	}
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return base
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "file" {
		return base
	}
	return u
}

// firstBaseHref returns the href of the first base element under n that
// has one.
func firstBaseHref(n *html.Node) (string, bool) {
	if n.Type == html.ElementNode && n.DataAtom == atom.Base {
		for _, a := range n.Attr {
			if a.Key == "href" {
				return a.Val, true
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if href, ok := firstBaseHref(c); ok {
			return href, true
		}
	}
	return "", false
}

// resolve makes href absolute and canonical (see Canonicalizer). Links
// that are not http, https (or file, for pages read from disk) are dropped.
func resolve(base *url.URL, href string) string {
	if href == "" {
		return ""
	}
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return ""
		}
	case "file":
		if base == nil || base.Scheme != "file" {
			return ""
		}
	default:
		return ""
	}
	return Canonicalizer{}.URL(u).String()
}

func urlString(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.String()
}

// firstMatch is s.FindMatcher(m).First(): the first descendant of s's
// nodes, in document order, that m matches. For the one node of a teaser
// or a document it stops at that match instead of collecting every other.
func firstMatch(s *goquery.Selection, m goquery.Matcher) *goquery.Selection {
	if len(s.Nodes) != 1 {
		return s.FindMatcher(m).First()
	}
	if n := cascadia.Query(s.Nodes[0], m); n != nil {
		return s.FindNodes(n)
	}
	return s.FindNodes()
}

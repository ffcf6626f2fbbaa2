package snapshot

import (
	"bytes"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"github.com/PuerkitoBio/goquery"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Article is what automatic extraction finds on an article page.
type Article struct {
	Title  string
	Byline string
	// Published is the publication date, zero when none was found.
	Published time.Time
	// Body is the article text, one paragraph per line.
	Body string
	// other is the body the extractor not chosen found, cleaned as Body
	// is: beside a listing, the chosen one may be the listing written
	// out, and the other the article (see Extract).
	other string
}

// AutoArticle finds the article on a page without selectors: the body with
// go-trafilatura, the title, byline and date from the page's own metadata.
func AutoArticle(body []byte, contentType string, base *url.URL) (*Article, error) {
	utf, _ := toUTF8(body, contentType)
	root, err := html.Parse(bytes.NewReader(utf))
	if err != nil {
		return nil, err
	}
	a, err := articleFromNode(root, base)
	if err != nil {
		return nil, err
	}
	// As Extract keeps its items' text (normalizeItems).
	a.Title, a.Byline, a.Body = nfc(a.Title), nfc(a.Byline), nfc(a.Body)
	return a, nil
}

// articleFromNode extracts the article from the parsed page. It changes
// the tree: call it after everything else that reads the document.
func articleFromNode(root *html.Node, base *url.URL) (*Article, error) {
	doc := goquery.NewDocumentFromNode(root)
	meta := readMeta(doc)
	// Read before the extractors rewrite the tree; parsed only if nothing
	// better is found.
	datelines := linesAfterHeading(doc)
	heads := readHeadlines(doc, meta.Title, base)
	withoutAsides(root)
	// Both extractors rewrite the tree they are given: the second gets a
	// copy, which is cheaper than parsing the page again.
	second := cloneTree(root)
	r, err := trafilatura.ExtractDocument(root, trafilatura.Options{OriginalURL: base, ExcludeComments: true})
	if err != nil {
		return nil, err
	}
	a := &Article{
		Title:     collapse(meta.Title),
		Byline:    collapse(first(meta.Byline, r.Metadata.Author)),
		Published: r.Metadata.Date,
		Body:      trafilaturaBody(r),
	}
	alt := readabilityBody(second, base)
	chose := preferSecond(a.Body, alt) || gluedText(a.Body, alt)
	if chose {
		a.Body, a.other = alt, a.Body
	} else {
		a.other = alt
	}
	a.Title = collapse(heads.headline(meta.Title, a.Body))
	a.Body = withoutHeadline(a.Body, a.Title)
	if !chose {
		a.Body = mended(a.Body, alt)
	}
	a.Body = withoutTrailingFurniture(withoutLeadingFurniture(a.Body))
	a.other = withoutTrailingFurniture(withoutLeadingFurniture(withoutHeadline(a.other, a.Title)))
	if statedBodyBetter(a.Body, meta.Body) {
		a.Body = meta.Body
	}
	// The page's own statement of its publication time (JSON-LD, meta
	// tags) beats a date found in its text or URL.
	t, stated := parseMetaTime(meta.Published)
	if stated {
		a.Published = t
	}
	// Without such a statement, the date printed under the headline beats
	// go-htmldate's guess, which may come from anywhere on the page: a
	// "Page generated 2025-12-17 10:31" footer that changes at every
	// visit would change the article's date with it.
	if !stated {
		for _, l := range datelines {
			if l.near || a.Published.IsZero() {
				if d := normalizeDate(dateInText(l.text)); d != "" {
					if t, _ := time.Parse(time.DateOnly, d); a.Published.IsZero() || t.Format(time.DateOnly) != a.Published.UTC().Format(time.DateOnly) {
						a.Published = t
					}
					break
				}
			}
		}
	}
	return a, nil
}

var metaTimeLayouts = []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02"}

func parseMetaTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range metaTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// trafilaturaBody is go-trafilatura's text one block per line: its
// ContentText runs the paragraphs together, so it is rendered from the
// extracted tree instead, its text nodes kept apart as ContentText keeps
// them (go-trafilatura trims the white space around inline elements).
func trafilaturaBody(r *trafilatura.ExtractResult) string {
	if r.ContentNode == nil {
		return bodyText(r.ContentText)
	}
	return spacedParagraphs([]*html.Node{r.ContentNode})
}

// bodyText normalizes extracted text to one collapsed paragraph per line.
func bodyText(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = collapse(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// readabilityBody is the article text go-readability finds in the tree, or
// "".
func readabilityBody(root *html.Node, base *url.URL) string {
	art, err := readability.FromDocument(root, base)
	if err != nil || art.Node == nil {
		return ""
	}
	var sb strings.Builder
	if art.RenderText(&sb) != nil {
		return ""
	}
	return bodyText(sb.String())
}

// preferSecond decides between two extractors' bodies. Measured on the
// AEB pages and the trafilatura evaluation pages, trafilatura's is right
// more often, but it fails in three ways that readability's output shows
// up:
//   - it stops early: readability's text holds all of trafilatura's and
//     half as much again, in sentences of its own (not only the short
//     lines around a short report: its section, author, date, a print
//     link);
//   - it reads something else: readability's text has more than twice
//     the words, whatever it shares with trafilatura's (trafilatura took
//     a teaser, a consent notice or a product box for the article);
//   - it takes in some boilerplate: readability's text is a little
//     shorter and all of it is in trafilatura's. But when what only
//     trafilatura has is more than two long paragraphs, that is article
//     text readability cut, not boilerplate (a letter whose signatures
//     readability kept and whose body it dropped), and trafilatura's
//     stands.
func preferSecond(first, second string) bool {
	a, aWords := shingleSet(first)
	b, bWords := shingleSet(second)
	if len(b) < 50 {
		return false
	}
	ratio := float64(len(b)) / float64(max(len(a), 1))
	switch {
	case bWords > 2*aWords:
		// Unless readability took the page's column of posts, the
		// first of which is trafilatura's: each with the same line of
		// share buttons under it.
		return !firstOfColumn(a, second)
	case ratio > 1.5:
		return contained(a, b) > 0.9 && proseBeyond(second, a)
	case ratio < 0.9:
		return contained(b, a) > 0.8 && longParagraphsMissing(first, second, b) <= 2
	}
	return false
}

// gluedText reports whether first is second's paragraphs run together
// in one line, with little else: go-trafilatura, when it finds too
// little, takes an <article>'s text whole, its headline and date glued to
// the text (in Chinese and Japanese, without so much as a space).
func gluedText(first, second string) bool {
	if strings.Contains(first, "\n") || !strings.Contains(second, "\n") {
		return false
	}
	// Letters and digits alone: the glue leaves no space between a date
	// and the text's first word.
	glued := letters(first)
	total := 0
	for _, p := range strings.Split(second, "\n") {
		p = letters(p)
		if !strings.Contains(glued, p) {
			return false
		}
		total += len(p)
	}
	return total > 0 && float64(len(glued)) < 1.5*float64(total)
}

// firstOfColumn reports whether text is a column of posts whose first is
// a (shingle hashes): a short line (a post's share buttons, "Whatsapp
// Facebook Pint Baixar") repeats minRepeats times or more, once for every
// paragraph and a half or fewer (an article's "Advertisement" stands
// between longer runs of its text), and the first post between two of
// them holds nearly all of a.
func firstOfColumn(a map[uint64]bool, text string) bool {
	lines := strings.Split(text, "\n")
	count := map[string]int{}
	most, paragraphs := "", 0
	for _, l := range lines {
		l = strings.TrimSpace(l)
		switch n := WordCount(l); {
		case n >= 10:
			paragraphs++
		case n > 0 && n <= 8:
			count[l]++
			if count[l] > count[most] {
				most = l
			}
		}
	}
	if count[most] < minRepeats || 3*count[most] < 2*paragraphs {
		return false
	}
	// The first post: the lines between two of the repeated ones (or
	// the text's start) that hold a paragraph of minPostWords.
	var post []string
	prose := false
	for _, l := range lines {
		if strings.TrimSpace(l) == most {
			if prose {
				break
			}
			post = post[:0]
			continue
		}
		post = append(post, l)
		prose = prose || WordCount(l) >= minPostWords
	}
	first, _ := shingleSet(strings.Join(post, "\n"))
	return contained(a, first) > 0.9
}

const (
	// minRepeats is the fewest times a line repeats in a column of
	// posts.
	minRepeats = 4
	// minPostWords is the fewest words of a paragraph that makes the
	// lines around it a post, not a breadcrumb or a label.
	minPostWords = 20
)

// proseBeyond reports whether text has sentences that are not in a
// (shingle hashes): a paragraph of ten words or more, or ending as a
// sentence does, not all of whose shingles a holds.
func proseBeyond(text string, a map[uint64]bool) bool {
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if WordCount(l) < 10 && !(WordCount(l) >= 5 && sentenceEnd.MatchString(l)) {
			continue
		}
		set, _ := shingleSet(l)
		if contained(set, a) < 0.5 {
			return true
		}
	}
	return false
}

// mended is trafilatura's body with what it dropped of the article and
// readability kept, where readability's text holds nearly all of
// trafilatura's (so both read the same article): a lede set apart from
// the text (a summary box, a bold first paragraph), up to two paragraphs
// of twenty words or more above trafilatura's first; and paragraphs
// trafilatura cut short (the text before a link lost), each taken whole
// from readability's where it holds all of trafilatura's and more. Where
// trafilatura's holds nearly all of readability's as well, the short
// lines around the text only trafilatura kept go.
func mended(first, second string) string {
	if second == "" {
		return first
	}
	// Shingles within paragraphs, of both: trafilatura and readability
	// break paragraphs in different places.
	lines := strings.Split(first, "\n")
	lineWords := make([][]string, len(lines))
	lineSets := make([][]uint64, len(lines))
	a := map[uint64]bool{}
	for i, l := range lines {
		lineWords[i] = words(l)
		if len(lineWords[i]) < 8 {
			// A heading or a label: too short to tell where it is.
			continue
		}
		lineSets[i] = shingleHashes(lineWords[i])
		for _, k := range lineSets[i] {
			a[k] = true
		}
	}
	if len(a) == 0 {
		return first
	}
	paras := strings.Split(second, "\n")
	paraWords := make([][]string, len(paras))
	sets := make([][]uint64, len(paras))
	owner := map[uint64]int{} // a shingle's paragraph in second
	for j, p := range paras {
		paraWords[j] = words(p)
		sets[j] = shingleHashes(paraWords[j])
		for _, k := range sets[j] {
			owner[k] = j
		}
	}
	if contained(a, owner) < 0.9 {
		return first
	}
	// The paragraph of second each line of first is in, or -1.
	in := make([]int, len(lines))
	for i, s := range lineSets {
		in[i] = -1
		count := map[int]int{}
		for _, k := range s {
			if j, ok := owner[k]; ok {
				count[j]++
			}
		}
		for j, n := range count {
			if float64(n) >= 0.9*float64(len(s)) {
				in[i] = j
			}
		}
	}
	changed := false
	out := make([]string, 0, len(lines)+2)
	// The lede: second's paragraphs above the one first's first shared
	// line is in, when they are prose first lacks.
	for i := range lines {
		if in[i] < 0 {
			continue
		}
		if top := in[i]; top > 0 && top <= 2 {
			lede := true
			for j := range top {
				if WordCount(paras[j]) < 20 || shareOf(sets[j], a) >= 0.5 {
					lede = false
				}
			}
			if lede {
				out = append(out, paras[:top]...)
				changed = true
			}
		}
		break
	}
	// Where readability's text is nearly all in trafilatura's too, the
	// short lines only trafilatura has under the text or above it (below
	// its first line, which may be a deck) are the page's furniture:
	// "Temas", "Lust auf mehr?", "Siguenos en Telegram". Inside the text
	// such a line may be a heading readability dropped.
	trim := contained(owner, a) >= 0.97
	firstIn, lastIn := len(lines), -1
	for i, j := range in {
		if j >= 0 {
			firstIn, lastIn = min(firstIn, i), i
		}
	}
	var foldedSecond string
	if trim {
		foldedSecond = " " + strings.Join(words(second), " ") + " "
	}
	for i, l := range lines {
		switch j := in[i]; {
		case j < 0 && trim && i > 0 && (i < firstIn || i > lastIn) && WordCount(l) < 25 &&
			!strings.Contains(foldedSecond, " "+strings.Join(lineWords[i], " ")+" "):
			changed = true
		case j < 0:
			out = append(out, l)
		case endOf(lineWords[i], paraWords[j]):
			// Cut short (see cutShort). A line above that is the
			// paragraph's start (trafilatura broke it in two) goes with it.
			if n := len(out); n > 0 && strings.Contains(" "+strings.Join(paraWords[j], " ")+" ", " "+strings.Join(words(out[n-1]), " ")+" ") {
				out = out[:n-1]
			}
			out = append(out, paras[j])
			changed = true
		default:
			out = append(out, l)
		}
	}
	if !changed {
		return first
	}
	return strings.Join(out, "\n")
}

// shingleHashes are the FNV-1a hashes of the 4-word shingles of ws (runs
// of four words), cheaper to build and compare than the joined words.
func shingleHashes(ws []string) []uint64 {
	if len(ws) < 4 {
		return nil
	}
	out := make([]uint64, 0, len(ws)-3)
	for i := 0; i+4 <= len(ws); i++ {
		h := uint64(14695981039346656037)
		for _, w := range ws[i : i+4] {
			for k := 0; k < len(w); k++ {
				h = (h ^ uint64(w[k])) * 1099511628211
			}
			h = (h ^ ' ') * 1099511628211
		}
		out = append(out, h)
	}
	return out
}

// shareOf is the share of hashes that are in b.
func shareOf(hashes []uint64, b map[uint64]bool) float64 {
	if len(hashes) == 0 {
		return 0
	}
	n := 0
	for _, k := range hashes {
		if b[k] {
			n++
		}
	}
	return float64(n) / float64(len(hashes))
}

// cutShort reports whether a paragraph is the end of a longer one, word
// for word: what trafilatura keeps of one whose first sentences it lost.
// (A paragraph that is the start of a longer one is not: readability
// runs a photo's caption into the paragraph above it.)
func cutShort(part, whole string) bool { return endOf(words(part), words(whole)) }

// endOf reports whether the words p end the longer w.
func endOf(p, w []string) bool {
	return len(p) > 0 && len(w) > len(p) && slices.Equal(p, w[len(w)-len(p):])
}

// words are a text's words, in lower case, without punctuation.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// longParagraphsMissing counts the paragraphs (lines) of first that are
// not in second, whose shingles are b, and that are long: 25 words, or
// 200 characters in scripts written without spaces.
func longParagraphsMissing(first, second string, b map[uint64]bool) int {
	n := 0
	for line := range strings.Lines(first) {
		line = strings.TrimSuffix(line, "\n")
		if len(strings.Fields(line)) < 25 && utf8.RuneCountInString(line) < 200 {
			continue
		}
		if s, _ := shingleSet(line); len(s) > 0 {
			if contained(s, b) >= 0.5 {
				continue
			}
		} else if strings.Contains(second, line) {
			continue
		}
		n++
	}
	return n
}

// statedBodyBetter reports whether the article's text as the page states
// it in JSON-LD is the article where the extractors found none: an
// article's words (minLooseArticleWords), and most of what they found not
// in it: a paywall's prompt and a teaser, a template's notices, where the
// page writes its text in with a script. It must have twice their words,
// or, sharing next to nothing with them, as many. A stated teaser,
// shorter than the page's text, is not taken.
func statedBodyBetter(body, stated string) bool {
	n, m := WordCount(stated), WordCount(body)
	if n < minLooseArticleWords || n < m {
		return false
	}
	found, _ := shingleSet(body)
	in, _ := shingleSet(stated)
	shared := contained(found, in)
	return shared < 0.5 && n >= 2*m || shared < 0.2
}

// shingleSet is the set of a text's 4-word shingles, by hash (see
// shingleHashes), and its number of words.
func shingleSet(s string) (map[uint64]bool, int) {
	ws := words(s)
	hashes := shingleHashes(ws)
	set := make(map[uint64]bool, len(hashes))
	for _, h := range hashes {
		set[h] = true
	}
	return set, len(ws)
}

// contained is the share of a's shingles that are in b.
func contained[V, W any](a map[uint64]V, b map[uint64]W) float64 {
	if len(a) == 0 {
		return 0
	}
	n := 0
	for k := range a {
		if _, ok := b[k]; ok {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// withoutAsides removes from the tree, in one walk before the
// extractors read it, what a page carries beside its article that both
// of them may take for its text:
//   - account forms: a sign-in, registration or newsletter dialog ("Zu
//     dieser E-Mail-Adresse ist kein ZDF-Konto vorhanden …", a line of
//     text per error message; a subscription form's labels and consent
//     lines), which can read as an article, above all beside a short
//     one (removeAccountForm);
//   - readers' comments: the elements a page names for them ("comment",
//     "comment-list", id="comments", Disqus's thread), which some pages
//     set inside the article's own container, where go-trafilatura keeps
//     them. One that holds an <h1> or a <main> is the page, not its
//     comments;
//   - paragraphs that only point to another story (relatedLink): "Read
//     more: Alibaba poised to launch …", "Lesen Sie auch: …". They are
//     the site's, and change as it links other stories;
//   - the cards a page shows over a word of its text when the pointer
//     rests on it, kept inside the paragraph (popupCard): a person's
//     photo and latest stories ("Ilhan Omar" in The Hill's text), a
//     footnote's or a glossary entry's text. The word it explains stays.
func withoutAsides(root *html.Node) {
	var a asides
	a.walk(root, nil, nil)
	for _, f := range a.forms {
		removeAccountForm(f)
	}
	for _, n := range a.comments {
		if n.Parent != nil && !holdsPage(n) {
			n.Parent.RemoveChild(n)
		}
	}
	for _, n := range append(a.related, a.popups...) {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
	for _, n := range a.custom {
		if n.Parent != nil {
			unwrap(n)
		}
	}
	for _, n := range a.broken {
		paragraphsFromBreaks(n)
	}
}

// minBrokenWords is the fewest words of a run of text between double
// breaks that makes it a paragraph (paragraphsFromBreaks).
const minBrokenWords = 15

// breaksText reports whether n is a block whose text may run in
// paragraphs parted by <br>: not a paragraph, a preformatted text, a
// list, a table's structure or an inline element.
func breaksText(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Pre, atom.Ul, atom.Ol, atom.Dl, atom.Table, atom.Tbody, atom.Thead, atom.Tr:
		return false
	case atom.Body:
		return true
	}
	return blockAtoms[n.DataAtom]
}

// doubleBreak reports whether br is followed by another <br>, white
// space aside.
func doubleBreak(br *html.Node) bool {
	for c := br.NextSibling; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "":
		case c.Type == html.ElementNode && c.DataAtom == atom.Br:
			return true
		default:
			return false
		}
	}
	return false
}

// paragraphsFromBreaks puts each run of text and inline elements in n
// that two <br> or more part from the next in a <p> of its own, as
// readability does on its copy of the page: go-trafilatura reads such a
// text twice over, whole and then again a paragraph at a time. Block
// elements among them stay where they are. Only a text does: two runs
// or more of minBrokenWords, not a box's lines parted by breaks (an
// advertising label, a shop's tip), which as paragraphs would draw
// go-trafilatura away from a short article beside them.
func paragraphsFromBreaks(n *html.Node) {
	long, words := 0, 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode && (c.DataAtom == atom.Br && doubleBreak(c) || blockAtoms[c.DataAtom] && c.DataAtom != atom.Br):
			if words >= minBrokenWords {
				long++
			}
			words = 0
		case c.Type == html.TextNode:
			words += WordCount(c.Data)
		case c.Type == html.ElementNode && !skippedAtoms[c.DataAtom]:
			words += textWords(c, minBrokenWords)
		}
	}
	if words >= minBrokenWords {
		long++
	}
	if long < 2 {
		return
	}
	var cur *html.Node
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.ElementNode && c.DataAtom == atom.Br && doubleBreak(c):
			// The run of breaks ends the paragraph and goes.
			cur = nil
			for c != nil && (c.Type == html.ElementNode && c.DataAtom == atom.Br || c.Type == html.TextNode && strings.TrimSpace(c.Data) == "") {
				next = c.NextSibling
				n.RemoveChild(c)
				c = next
			}
			continue
		case c.Type == html.ElementNode && (blockAtoms[c.DataAtom] && c.DataAtom != atom.Br || skippedAtoms[c.DataAtom]):
			cur = nil
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "" && cur == nil:
		case c.Type == html.TextNode || c.Type == html.ElementNode:
			if cur == nil {
				cur = &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
				n.InsertBefore(cur, c)
			}
			n.RemoveChild(c)
			cur.AppendChild(c)
		}
		c = next
	}
}

// customElement reports whether n is a custom element (a web
// component's tag: a name with a hyphen, no namespace prefix, that HTML
// does not define).
func customElement(n *html.Node) bool {
	return n.DataAtom == 0 && strings.Contains(n.Data, "-") && !strings.Contains(n.Data, ":")
}

// unwrap puts n's children in its place.
func unwrap(n *html.Node) {
	for c := n.FirstChild; c != nil; c = n.FirstChild {
		n.RemoveChild(c)
		n.Parent.InsertBefore(c, n)
	}
	n.Parent.RemoveChild(n)
}

// asides are what withoutAsides found, in the order of the document.
type asides struct {
	forms, comments, related, popups []*html.Node
	// custom are a paragraph's custom elements ("<hl-trusted-source>"
	// around a citation's link), whose text go-trafilatura drops with
	// the tag it does not know: they give way to what they hold.
	custom []*html.Node
	// broken are the blocks whose text runs in paragraphs parted by two
	// <br> or more: each paragraph goes in a <p> of its own
	// (paragraphsFromBreaks).
	broken []*html.Node
}

// walk looks at n's descendants; form is the form and p the paragraph n
// is in. It reports whether it found a card under n: of nested elements
// named for one, the innermost card goes, as the one around it holds the
// word as well ("rollover-people" around the link and
// "rollover-people-block").
func (a *asides) walk(n, form, p *html.Node) bool {
	held := false
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		f, q := form, p
		switch c.DataAtom {
		case atom.Form:
			f = c
		case atom.Input:
			if form != nil && accountField(c) && (len(a.forms) == 0 || a.forms[len(a.forms)-1] != form) {
				a.forms = append(a.forms, form)
			}
		case atom.P:
			q = c
			if relatedLink(c) {
				a.related = append(a.related, c)
			}
		case atom.Br:
			if p == nil && breaksText(n) && doubleBreak(c) && (len(a.broken) == 0 || a.broken[len(a.broken)-1] != n) {
				a.broken = append(a.broken, n)
			}
		}
		if commentNames[strings.ToLower(attr(c, "id"))] || anyClass(attr(c, "class"), commentNames) {
			a.comments = append(a.comments, c)
		}
		if a.walk(c, f, q) {
			held = true
			continue
		}
		if p != nil && popupCard(c, p) {
			a.popups = append(a.popups, c)
			held = true
		} else if p != nil && customElement(c) && textWords(c, 1) > 0 {
			a.custom = append(a.custom, c)
		}
	}
	return held
}

// removeAccountForm removes a form with a password or an e-mail field
// with the dialog around it: the highest of its ancestors named for it
// (accountPanel). Nothing that may hold the article is removed
// (mayHoldArticle): some sites wrap the whole page in one form, with a
// sign-in box in its header.
func removeAccountForm(f *html.Node) {
	if f.Parent == nil || mayHoldArticle(f) {
		return
	}
	panel := f
	for p := f.Parent; p != nil && p.Type == html.ElementNode && p.DataAtom != atom.Body; p = p.Parent {
		if accountPanel.MatchString(attr(p, "class")+" "+attr(p, "id")) && !mayHoldArticle(p) {
			panel = p
		}
	}
	if panel.Parent != nil {
		panel.Parent.RemoveChild(panel)
	}
}

// accountField reports whether an input asks for a password or an e-mail
// address.
func accountField(n *html.Node) bool {
	switch strings.ToLower(attr(n, "type")) {
	case "password", "email":
		return true
	}
	return false
}

// mayHoldArticle reports whether an element around an account form may
// hold the page's article too: it has more than maxSignInWords words, an
// <h1> or <main>, or a paragraph of more than 60 words. ZDF's sign-in
// dialog, with every message it may show in six panels, has 700 words in
// sentences of 30 or fewer.
func mayHoldArticle(n *html.Node) bool {
	if textWords(n, maxSignInWords+1) > maxSignInWords || holdsPage(n) {
		return true
	}
	for d := range n.Descendants() {
		if d.DataAtom == atom.P && textWords(d, 61) > 60 {
			return true
		}
	}
	return false
}

const maxSignInWords = 1000

// accountPanel matches the class or id of an element around a sign-in or
// subscription form: "b-login", "x-dialog-login", "signin-panel",
// "account-modal", "newsletter-box".
var accountPanel = regexp.MustCompile(`(?i)(^|[\s_-])(log-?in|sign-?in|sign-?up|register|registration|account|konto|anmeldung|password|newsletter|subscribe|subscription)([\s_-]|$)`)

// cloneTree copies a parsed document.
func cloneTree(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace}
	if len(n.Attr) > 0 {
		c.Attr = append([]html.Attribute(nil), n.Attr...)
	}
	var prev *html.Node
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		ck := cloneTree(k)
		ck.Parent = c
		if prev == nil {
			c.FirstChild = ck
		} else {
			prev.NextSibling, ck.PrevSibling = ck, prev
		}
		prev = ck
	}
	c.LastChild = prev
	return c
}

// dateline is a short text with a year in it after the page's headline;
// near ones are among the first few texts after it, where a dateline
// stands.
type dateline struct {
	text string
	near bool
}

// nearHeading is how many texts after the headline are near it.
const nearHeading = 4

// linesAfterHeading returns the short texts with a year in them among the
// first texts after the page's only <h1>: where agencies give the day
// ("2025年12月17日 19:30 来源：新华社", "17 декабря 2025, 14:30") on pages
// whose metadata and go-htmldate give none. Sentences are too long to be
// taken for a dateline.
func linesAfterHeading(doc *goquery.Document) []dateline {
	h1 := doc.Find("h1")
	if h1.Length() != 1 {
		return nil
	}
	seen := 0
	var lines []dateline
	textsAfter(h1.Nodes[0], func(text string) bool {
		t := strings.TrimSpace(text)
		if t == "" {
			return true
		}
		if seen++; seen > 12 {
			return false
		}
		if len(t) <= 120 && len([]rune(t)) <= 60 {
			if f := asciiDigits(t); yearPattern.MatchString(f) || hijriYear.MatchString(f) {
				lines = append(lines, dateline{text: t, near: seen <= nearHeading})
			}
		}
		return true
	})
	return lines
}

// textsAfter calls visit with each text that follows n in the document,
// climbing out of n's parents, leaving out scripts and styles, until
// visit returns false.
func textsAfter(n *html.Node, visit func(text string) bool) {
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for ; n != nil; n = n.NextSibling {
			switch {
			case n.Type == html.TextNode:
				if !visit(n.Data) {
					return false
				}
			case n.Type == html.ElementNode && !skippedAtoms[n.DataAtom]:
				if !walk(n.FirstChild) {
					return false
				}
			}
		}
		return true
	}
	for ; n != nil; n = n.Parent {
		if !walk(n.NextSibling) {
			return
		}
	}
}

// textAfter is the text that follows n in the document, up to limit
// bytes, leaving out scripts and styles.
func textAfter(n *html.Node, limit int) string {
	var b []byte
	textsAfter(n, func(text string) bool {
		b = append(append(b, text...), ' ')
		return len(b) < limit
	})
	return string(b)
}

// leadingFurniture are the short lines sites put above an article's text
// that are not the article: reading times, "updated" stamps, relative
// times, bylines, photo credits, in the languages of the corpus.
var leadingFurniture = regexp.MustCompile(`^(` + labelledLines + `|` +
	`\d+\s*(?i:min|mins|minutes?|minuten|minutos|minuti|minuter|minutter|dakika|minut|minuuttia)\.?\s*(?i:read|lesen|lesezeit|de lecture|de lectura|di lettura|de leitura|leestijd|okuma|czytania|läsning|læsning|lesing|lukuaika)?\.?|` +
	// "vor 2 Stunden", "2 hours ago", "2 ore fa", "2 uur geleden", "2 saat
	// önce", "2 godziny temu", "for 2 timer siden", "för 2 timmar sedan".
	// With a label and a bullet before them, and in words ("• Publiziert
	// vor einer Stunde", "Published an hour ago", "il y a une heure").
	`([•·|]\s*)?((?i:published|posted|updated|publiziert|veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado)\s+)?` +
	`((?i:vor|il y a|hace|há)\s+(\d+|(?i:einer|einem|wenigen|une|un|una|um|uma))\s+\p{L}+|(\d+|(?i:an?|one))\s+(?i:minutes?|hours?|days?|weeks?)\s+(?i:ago))|` +
	`((?i:for|för)\s+)?\d+\s+\p{L}+\s+(?i:fa|geleden|önce|temu|siden|sedan)|` +
	// A byline: the word, then one to four capitalized names.
	`(?i:` + bylineWords + `)\s+\p{Lu}[\p{L}.'’-]*(\s+\p{Lu}[\p{L}.'’-]*){0,3}|` +
	`(?i:photo|foto|bild|image|credit|crédit)s?\s*:.*|(©|\((?i:c)\)).*|` +
	// What a page's script, its advertising or its sharing box leaves
	// above the text: the page's address to copy, alone on its line.
	`(?i:(continue reading|story continues|article continues) below( (the )?(advertisement|ad))?|order reprints|print this article)|(?i:https?://)\S+|` +
	// A time alone on its line, and a photo agency's credit without its
	// label ("AFP via Getty Images", "picture alliance / dpa").
	`\d{1,2}:\d\d(\s*(?i:uhr|am|pm|[ap]\.m\.))?|` +
	`([^\s/|]+(\s[^\s/|]+){0,3}\s+(?i:via)\s+)?(?i:getty images|shutterstock|istock(photo)?|picture alliance|imago( images)?|alamy)(\s*[/|]\s*.{0,40})?` +
	`)$`)

// labelledLines are the lines that say what they are: a reading time, an
// "updated" stamp, an author or a category by its label, who submitted
// or wrote the piece, counts of comments, ratings and reads ("5343 mal
// gelesen | 32 Kommentare", "(2 Bewertungen)"); and the labels of the
// buttons and landmarks around the text, alone on their line (print,
// save, share, enlarge, search, listen, the main content's hidden
// heading).
const labelledLines = `(?i:print( article)?|save|share|drucken|teilen|merken|vergrößern|suche(n|\.\.\.)?|search|imprimer|partager|imprimir|compartir|` +
	`hauptinhalt|main content|skip to (main )?content|zum inhalt( springen)?|(listen( to this article)?|artikel anhören|vorlesen|écouter l'article)(\s*[·•|:–-]?\s*\d+(:\d\d)?\s*(min(ute)?s?\.?)?)?)|` +
	`(?i:lesedauer|lesezeit|(estimated )?reading time|read time|temps de lecture|tiempo de lectura|tempo di lettura|tempo de leitura|leestijd|okuma süresi|czas czytania|lästid|læsetid|lesetid|lukuaika)\b.*|(?i:время чтения)\s*:.*|` +
	`(?i:lecture|lectura|lettura|leitura)\s*:?\s*\d+\s*min\.?|` +
	`((?i:article|artikel|post|beitrag)\s+)?(?i:last updated|updated|aktualisiert|mis à jour|actualizado|actualizada|aggiornato|atualizado|atualizada|bijgewerkt|güncelleme|güncellendi|aktualizacja|zaktualizowano|opdateret|uppdaterad|oppdatert|päivitetty)` +
	`(?i: am| on| at| le| el| il| em| op| den| kl\.?)?\s*:?\s*\d.*|` +
	`(?i:author|autor|autorin|auteur|autore|autora|yazar|muhabir|editor|redaktion|source|quelle|fuente|fonte|kaynak)\s*:.*|` +
	`(?i:submitted by|posted by|written by|gespeichert von|veröffentlicht von|verfasst von|geschrieben von|publicado por|escrito por|publié par|écrit par|pubblicato da|scritto da)\b.*|` +
	`(?i:filed under|abgelegt unter|posted in|kategorie|kategorien|categories|category|catégorie|categoría|categoria)\s*:.*|` +
	`\(?` + counted + `\)?(\s*[|·•]\s*\(?` + counted + `\)?)*`

// counted is a count of comments, ratings or reads.
const counted = `\d[\d.,]*\s+(?i:comments?|kommentare?|commentaires?|comentarios?|commenti|bewertungen|ratings?|mal gelesen|views|aufrufe)`

// bylineWords are the words a byline begins with: "By", "Von", "Par",
// "Por", "Di", "Door", "Av", "Af".
const bylineWords = `by|von|par|por|di|door|av|af`

// trailingFurniture are the short lines sites put under an article that
// are not the article: copyright and credit lines, "read also" links,
// subscription and sharing prompts, tags, advertising notices. A footer's
// "© 2025" would otherwise change every body it ends on New Year's Day.
var trailingFurniture = regexp.MustCompile(`^(?i:` +
	`(©|\(c\)|copyright\b).*|.*\ball rights reserved\.?|` +
	`(subscribe|sign up|newsletter|abonnieren|jetzt abonnieren|suscríbete|suscribete|abonnez)\b.*|` +
	// "Read also" alone, or before a colon and the title it links.
	`(read (also|more)|see also|related( articles| stories| posts)?|lesen sie (auch|mehr)|mehr zum thema|zum weiterlesen|weiterlesen|weitere artikel|` +
	`lea también|lee también|ver también|lire aussi|à lire aussi|voir aussi|czytaj (też|także|więcej)|leggi anche)\s*(:.*|[→»…]|\.\.\.)?|` +
	`(share|teilen|partager|compartir)( this| on| auf| sur| en)?\b.{0,40}|` +
	`(tags|schlagwörter|themen|stichwörter|étiquettes|etiquetas)\s*:.*|` +
	`(photo|foto|bild|image|credit|crédit)s?\s*:.*|(anzeige|werbung|advertisement|publicidad)\b.{0,60}|` +
	// Who edited it, as agencies sign their reports ("Editor: huaxia",
	// "【责任编辑：张三】").
	`[\[【(]?(editor|editors|redaktion|责任编辑|編集)\s*[:：].{0,40}[\]】)]?|` +
	// Prompts to comment, share, print or save, run together in
	// Chinese, Japanese and Korean ("コメントを書くこの記事をシェア",
	// "分享到：", "【纠错】", "공유하기").
	`([\[【]?(コメントを書く|コメント|この記事をシェア|記事をシェア|シェア|ツイート|ブックマーク|印刷|記事を保存|分享到[:：]?|分享|打印|纠错|댓글|공유하기|스크랩)[\]】]?\s*)+` +
	`)$`)

// trailingCredit are the longer lines under an article that are not its
// text: whom to follow and where, how to reach the author ("Email Tariq
// Malik at … or follow him @tariqjmalik. Follow us on Twitter …", "Have a
// tip? … may be reached at …"). Who else reported or edited it ("Reporting
// by …; Editing by …") is the article's, as the benchmarks' truths
// disagree on it.
var trailingCredit = regexp.MustCompile(`^(?i:` +
	`(follow|síguenos|siga-nos|folgen sie|suivez|segui)\b.*\b(twitter|instagram|facebook|youtube|linkedin|tiktok|threads|bluesky)\b.*|` +
	`(write to|email|e-mail|reach|contact)\b.{0,80}(@|\btwitter\b).*|.*\bmay be reached at\b.*|` +
	`(you may also like|explore further|filed under|like this (story|article)\?)\b.*` +
	`)$`)

// withoutTrailingFurniture drops trailingFurniture lines (of fifteen
// words or fewer) and trailingCredit lines (of forty or fewer), six at
// most, from the end of a body, up to the last line that is text.
func withoutTrailingFurniture(body string) string {
	lines := strings.Split(body, "\n")
	n := len(lines)
	for n > 1 && len(lines)-n < 6 {
		l := strings.TrimSpace(lines[n-1])
		w := WordCount(l)
		if !(w <= 15 && trailingFurniture.MatchString(l) || w <= 40 && trailingCredit.MatchString(l)) {
			break
		}
		n--
	}
	if n == len(lines) {
		return body
	}
	return strings.Join(lines[:n], "\n")
}

// withoutHeadline drops the article's headline from the top of its body,
// where trafilatura keeps it: among the first three lines, before the
// first that is text, a line that is the headline (letter case and
// spacing aside) is not the text, and it is the item's title already.
func withoutHeadline(body, headline string) string {
	if headline == "" {
		return body
	}
	lines := strings.Split(body, "\n")
	if rest, ok := afterRepeatedLead(lines, headline); ok {
		return rest
	}
	for i := 0; i < len(lines)-1 && i < 3; i++ {
		l := collapse(lines[i])
		if _, withName := headlineThenName(l, headline); strings.EqualFold(l, headline) || kickerAndHeadline(l, headline) || withName {
			return strings.Join(append(lines[:i:i], lines[i+1:]...), "\n")
		}
		if WordCount(l) > 10 {
			break
		}
	}
	return body
}

// afterRepeatedLead returns a body's lines after its headline, where the
// lines above the headline are all repeated below it: go-trafilatura's
// text of a short report may start with the report, then the page from
// the headline down, the report again among it.
func afterRepeatedLead(lines []string, headline string) (string, bool) {
	for k := 1; k < len(lines)-1 && k <= len(lines)/2; k++ {
		if !strings.EqualFold(collapse(lines[k]), headline) {
			continue
		}
		below := lines[k+1:]
		for _, l := range lines[:k] {
			if !slices.Contains(below, l) {
				return "", false
			}
		}
		return strings.Join(below, "\n"), true
	}
	return "", false
}

// kickerAndHeadline reports whether a line is the headline of three words
// or more after a kicker of maxKickerWords or fewer, as trafilatura
// writes the two out on one line, with or without a space between them
// ("Interne Unterlagen im Netz Daten von Rheinmetall gehackt").
func kickerAndHeadline(line, headline string) bool {
	if WordCount(headline) < 3 || len(line) <= len(headline) {
		return false
	}
	kicker := line[:len(line)-len(headline)]
	return strings.EqualFold(line[len(kicker):], headline) && WordCount(kicker) <= maxKickerWords
}

// maxKickerWords is the longest kicker over a headline.
const maxKickerWords = 6

// withoutLeadingFurniture drops leadingFurniture lines (of ten words or
// fewer) and date lines from the top of a body, until the first line that
// is text; and, among its first six lines and in its first half wherever
// they stand, photo credits and captions that end in one, and
// advertising disclosures (aboveTheText). A short agency report's last
// lines, "© 2019 Associated Press", are its own.
func withoutLeadingFurniture(body string) string {
	lines := strings.Split(body, "\n")
	i := 0
	for i < len(lines) && i < 6 {
		l := strings.TrimSpace(lines[i])
		if !(WordCount(l) <= 10 && leadingFurniture.MatchString(l)) && !dateLine(l) && !aboveTheText(l) {
			break
		}
		i++
	}
	if i == len(lines) {
		return body
	}
	kept := lines[i:i]
	for j := i; j < len(lines); j++ {
		if j < 6 && 2*j < len(lines) && aboveTheText(strings.TrimSpace(lines[j])) {
			continue
		}
		kept = append(kept, lines[j])
	}
	if len(kept) == len(lines) {
		return body
	}
	return strings.Join(kept, "\n")
}

// aboveTheText reports whether a line is a photo's credit or a caption
// ending in one ("GdP-Vize René Klemmer. Foto: GdP/Hagen Immel", "… en
// el Congreso (Foto: Natacha Pisarenko/Pool via REUTERS)."), a notice of
// advertising or affiliate links, a byline, a labelled line (an author,
// a reading time, a count of comments) or a labelled date ("Veröffentlicht
// am 06.12.2022"): lines sites put among an article's first that are not
// its text, under a kicker too.
func aboveTheText(l string) bool {
	n := WordCount(l)
	return n <= 30 && photoCredit.MatchString(l) || n <= 45 && disclosure.MatchString(l) || n <= 15 && byline.MatchString(l) ||
		n <= 10 && labelledLine.MatchString(l) || n <= 16 && datedLabel(l)
}

// labelledLine is a labelled line (see labelledLines): among an article's
// first lines it is not the text, after a kicker too.
var labelledLine = regexp.MustCompile(`^(` + labelledLines + `)$`)

// datedLabel reports whether a line is a label of publication and a date
// ("Posted: Thursday, April 21, 2022. 10:11 pm CST.", "Veröffentlicht am
// 06.12.2022", "Stand des Artikels: 26. Februar 2020, 12:30 Uhr.").
func datedLabel(l string) bool {
	m := publishedLabel.FindStringIndex(l)
	return m != nil && dateLine(strings.TrimSpace(l[m[1]:]))
}

var publishedLabel = regexp.MustCompile(`^(?i:posted|published|publicado|publié|publiée|veröffentlicht|erschienen|pubblicato|publicerad|opublikowano|stand des artikels|stand|datum|date|fecha|data)(?i: am| on| le| el| il| em| den| op)?\s*:?\s+`)

var (
	// sentenceEnd ends a sentence: five words or more that end so are
	// one ("The meeting was held on 12 March 2024."), not a date line.
	sentenceEnd = regexp.MustCompile(`[.!?]$`)
	photoCredit = regexp.MustCompile(`^((©|\((?i:c)\)).*|.*\b(?i:foto|photo|bild|image|credit|crédit)s?\s*:\s*[^.!?:]{1,80}\)?\.?|.*/\s*(?i:getty images|reuters|afp|dpa|ap|imago|picture alliance)\)?\.?)$`)
	// byline is a line of authors: the word, then names between commas
	// and "and" ("Von Volkmar Kabisch, Jan Lukas Strozyk und Benedikt
	// Strunz, NDR").
	byline     = regexp.MustCompile(`^(?i:` + bylineWords + `)\s+` + bylineName + `(\s*(,|&|\s(?i:and|und|et|y)\s)\s*` + bylineName + `)*$`)
	disclosure = regexp.MustCompile(`(?i)^\*?(anzeige|werbung|advertisement|sponsored|publicidad|publicité)\b.{0,80}$|\b(affiliate[- ]links?|we may (receive|earn) (a )?(compensation|commission)|advertisers do not influence|references to products from one or more of our advertisers|enthält (werbung|affiliate)|provisions?-?links?)\b`)
)

// bylineName is a name in a byline: one to four capitalized words.
const bylineName = `\p{Lu}[\p{L}.'’-]*(\s+\p{Lu}[\p{L}.'’-]*){0,3}`

// dateLine reports whether a line above the text is a date, with a time,
// a section or an author beside it between bars ("24. März 2004, 19:49 |
// Genesis", "January 13, 2020 at 08:45 AM | categories: Python | View
// Comments"): what is left without its digits and bars is four words or
// fewer, or every part between bars is.
func dateLine(l string) bool {
	n := WordCount(l)
	if n == 0 || n > 16 || n >= 5 && sentenceEnd.MatchString(l) || normalizeDate(l) == "" {
		return false
	}
	for _, part := range strings.Split(l, "|") {
		if normalizeDate(part) == "" && WordCount(part) > 4 {
			return false
		}
		if normalizeDate(part) != "" && WordCount(part) > 8 {
			return false
		}
	}
	return true
}

// popupCard reports whether an element in paragraph p is a card shown
// over a word (see withoutAsides): named for one (popupName), with
// minPopupWords words or more, and not the whole paragraph.
func popupCard(n, p *html.Node) bool {
	if !popupName.MatchString(attr(n, "class")) {
		return false
	}
	text := collapse(nodeText(n))
	return WordCount(text) >= minPopupWords && len(text) < len(collapse(nodeText(p)))
}

var popupName = regexp.MustCompile(`(?i)rollover|tooltip|popover|hovercard|hover-card`)

// minPopupWords is the fewest words of a card over a word (popupCard).
const minPopupWords = 12

// relatedLink reports whether a paragraph is a label of a few words
// ending in a colon, then one link to a page whose text is a headline of
// three words or more, and nothing else.
func relatedLink(p *html.Node) bool {
	var link *html.Node
	for d := range p.Descendants() {
		if d.Type == html.ElementNode && d.DataAtom == atom.A {
			if link != nil {
				return false
			}
			link = d
		}
	}
	if link == nil {
		return false
	}
	href := strings.ToLower(strings.TrimSpace(attr(link, "href")))
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(href, "mailto:") || strings.HasPrefix(href, "tel:") || strings.HasPrefix(href, "javascript:") {
		return false
	}
	linked := collapse(nodeText(link))
	if WordCount(linked) < minRelatedWords {
		return false
	}
	text := collapse(nodeText(p))
	i := strings.LastIndex(text, linked)
	if i < 0 || letters(text[i+len(linked):]) != "" {
		return false
	}
	label := strings.TrimSpace(text[:i])
	n := WordCount(label)
	return n >= 1 && n <= maxRelatedLabelWords && (strings.HasSuffix(label, ":") || strings.HasSuffix(label, "："))
}

const (
	// minRelatedWords is the fewest words of a linked headline in a
	// paragraph of its own (relatedLink): "Source: Reuters" is none.
	minRelatedWords = 3
	// maxRelatedLabelWords is the most words of the label before it
	// ("Lesen Sie auch:", "À lire aussi :").
	maxRelatedLabelWords = 4
)

// anyClass reports whether one of the classes in a class attribute is in
// names, compared in lower case.
func anyClass(class string, names map[string]bool) bool {
	for class != "" {
		class = strings.TrimLeft(class, " \t\n\f\r")
		end := strings.IndexAny(class, " \t\n\f\r")
		if end < 0 {
			end = len(class)
		}
		if c := class[:end]; c != "" && names[strings.ToLower(c)] {
			return true
		}
		class = class[end:]
	}
	return false
}

// holdsPage reports whether n holds the page's <h1> or <main>.
func holdsPage(n *html.Node) bool {
	for d := range n.Descendants() {
		if d.DataAtom == atom.H1 || d.DataAtom == atom.Main {
			return true
		}
	}
	return false
}

// commentNames are the classes and ids of readers' comments and of the
// lists and forms around them, as blog and news systems name them.
var commentNames = map[string]bool{
	"comment": true, "comments": true, "commentlist": true, "comment-list": true, "comment-body": true,
	"comment-content": true, "comment-respond": true, "comment-area": true, "comment-section": true,
	"comment-thread": true, "comment-wrapper": true, "comment-form": true, "comments-area": true,
	"comments-section": true, "comments-list": true, "comments-wrapper": true, "comments-container": true,
	"disqus_thread": true, "respond": true,
}

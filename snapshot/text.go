package snapshot

import (
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// blockAtoms start a new paragraph in extracted text.
var blockAtoms = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Br: true, atom.Dd: true, atom.Details: true, atom.Div: true, atom.Dl: true,
	atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true, atom.Hr: true,
	atom.Li: true, atom.Main: true, atom.Nav: true, atom.Ol: true, atom.P: true,
	atom.Pre: true, atom.Section: true, atom.Summary: true, atom.Table: true,
	atom.Td: true, atom.Th: true, atom.Tr: true, atom.Ul: true,
}

// skippedAtoms hold no readable text.
var skippedAtoms = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Svg: true, atom.Object: true, atom.Head: true,
}

// paragraphs returns the readable text under the nodes, one paragraph per
// line, with white space inside each paragraph collapsed.
func paragraphs(nodes []*html.Node) string { return render(nodes, false, false, '\n') }

// spacedParagraphs is paragraphs with a space between text nodes that
// have none, for trees whose builder trimmed the white space around its
// inline elements (go-trafilatura's), as its own text output does.
func spacedParagraphs(nodes []*html.Node) string { return render(nodes, false, true, '\n') }

// afterLeaf reports whether a text node follows a sibling with nothing in
// it, a text node most often: go-trafilatura strips inline elements (links,
// spans) and leaves their texts side by side, which its own text output
// joins without a space ("Artikel \"Warum …?\"." stays that, not
// "Artikel \" Warum …? \" .").
func afterLeaf(n *html.Node) bool {
	p := n.PrevSibling
	return p != nil && p.FirstChild == nil && (p.Type == html.TextNode || !voidAtoms[p.DataAtom])
}

// voidAtoms are the elements that never hold anything.
var voidAtoms = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true,
	atom.Hr: true, atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true,
	atom.Source: true, atom.Track: true, atom.Wbr: true,
}

// render writes the readable text under the nodes, one block per line
// (or, with sep ' ', on one line). With marks, headings are prefixed with #
// by level, list items with "- ", and each link's target follows its text,
// as urlwatch's html2text does. With spaced, text nodes are kept apart by
// a space. The text is built in pooled buffers and copied out once, at its
// exact size.
func render(nodes []*html.Node, marks, spaced bool, sep byte) string {
	bufs := renderBuffers.Get().(*[2][]byte)
	cur, out := bufs[0][:0], bufs[1][:0]
	defer func() {
		if cap(cur)+cap(out) <= maxPooledRender {
			bufs[0], bufs[1] = cur, out
			renderBuffers.Put(bufs)
		}
	}()
	prefix := ""
	flush := func() {
		mark := len(out)
		if mark > 0 {
			out = append(out, sep)
		}
		out = append(out, prefix...)
		body := len(out)
		if out = appendCollapsed(out, cur); len(out) == body {
			out = out[:mark] // nothing to say: no line
		}
		cur = cur[:0]
		prefix = ""
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if spaced && len(cur) > 0 && !afterLeaf(n) {
				cur = append(cur, ' ')
			}
			cur = append(cur, n.Data...)
			return
		case html.ElementNode:
			if skippedAtoms[elementAtom(n)] {
				return
			}
		}
		block := n.Type == html.ElementNode && blockAtoms[elementAtom(n)]
		if block {
			flush()
			if marks {
				switch elementAtom(n) {
				case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
					prefix = strings.Repeat("#", int(n.Data[1]-'0')) + " "
				case atom.Li:
					prefix = "- "
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if marks && n.Type == html.ElementNode && n.DataAtom == atom.A {
			if href := strings.TrimSpace(attrValue(n, "href")); href != "" && !strings.HasPrefix(strings.ToLower(href), "javascript:") {
				if u, err := url.Parse(href); err == nil {
					href = Canonicalizer{}.URL(u).String()
				}
				cur = append(cur, " ("+href+")"...)
			}
		}
		if block {
			flush()
		}
	}
	for _, n := range nodes {
		walk(n)
		flush()
	}
	return string(out)
}

// elementAtom is an element's tag as an atom, also for elements built
// without one (go-trafilatura makes its paragraphs, list items and table
// cells so).
func elementAtom(n *html.Node) atom.Atom {
	if n.DataAtom != 0 {
		return n.DataAtom
	}
	return atom.Lookup([]byte(n.Data))
}

var renderBuffers = sync.Pool{New: func() any { return new([2][]byte) }}

const maxPooledRender = 1 << 20

// inline returns the readable text under the nodes as one line.
func inline(nodes []*html.Node) string { return render(nodes, false, false, ' ') }

// collapse folds runs of white space (including non-breaking and other
// Unicode spaces) into one space and trims the ends.
func collapse(s string) string {
	if collapsed(s) {
		return s
	}
	return string(appendCollapsed(make([]byte, 0, len(s)), []byte(s)))
}

// appendCollapsed appends b to dst as collapse would return it.
func appendCollapsed(dst, b []byte) []byte {
	start := len(dst)
	space := false
	for i := 0; i < len(b); {
		if c := b[i]; c < utf8.RuneSelf {
			if asciiSpace[c] {
				space = true
				i++
				continue
			}
			// A run of ASCII words with single spaces between them is
			// copied whole: in most text that is a whole sentence.
			j := i + 1
			for j < len(b) {
				if c := b[j]; c >= utf8.RuneSelf || asciiSpace[c] {
					if c != ' ' || j+1 == len(b) || b[j+1] >= utf8.RuneSelf || asciiSpace[b[j+1]] {
						break
					}
					j++ // a single space, before another word
				}
				j++
			}
			dst, space, i = appendWord(dst, start, space, b[i:j]), false, j
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if plainRune(r) {
			// A run of letters that are neither spaces nor invisible
			// (Cyrillic, Chinese, Japanese, Korean, accented Latin) is
			// copied whole, as the ASCII words are.
			j := i + size
			for j < len(b) && b[j] >= utf8.RuneSelf {
				r, size := utf8.DecodeRune(b[j:])
				if !plainRune(r) {
					break
				}
				j += size
			}
			dst, space, i = appendWord(dst, start, space, b[i:j]), false, j
			continue
		}
		i += size
		switch {
		case unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' || r == '\ufeff':
			space = true
			continue
		case r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\u00ad':
			continue
		}
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// appendWord appends w to dst, after a space if white space came before
// it and it is not the first word since start.
func appendWord(dst []byte, start int, space bool, w []byte) []byte {
	if space && len(dst) > start {
		dst = append(dst, ' ')
	}
	return append(dst, w...)
}

// plainRune reports whether r, decoded from valid UTF-8, is neither white
// space (unicode.IsSpace, U+200B, U+FEFF) nor one of the invisible
// characters collapse drops (U+00AD, U+200C, U+200D, U+2060): those all
// fall in U+0085–U+00AD, U+1680, U+2000–U+2060, U+3000 and U+FEFF.
func plainRune(r rune) bool {
	switch {
	case r > 0xAD && r < 0x1680, r > 0x1680 && r < 0x2000, r > 0x2060 && r < 0x3000:
		return true
	case r > 0x3000:
		return r != 0xFEFF && r != utf8.RuneError
	}
	return false
}

// WordCount counts the words of s, as len(strings.Fields(s)) does for
// text written with spaces, without making the slice: words are counted
// on every teaser and paragraph a page is judged by, and in the bodies a
// check compares. Chinese and Japanese put no spaces between words: their
// characters count a word for every two (about the length of a word in
// either), and their punctuation separates words as a space does, so that
// an agency's article of 400 characters weighs as an English one of 200
// words. Thai, Lao, Khmer and Burmese put spaces between phrases, not
// words: their letters count a word for every three (their vowel and tone
// marks not at all).
func WordCount(s string) int {
	n, ideographs, letters, inWord := 0, 0, 0, false
	for i := 0; i < len(s); {
		var space bool
		if c := s[i]; c < utf8.RuneSelf {
			space = asciiSpace[c]
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			switch {
			case r < 0x0e00:
				space = unicode.IsSpace(r)
			case r >= 0x2e80 && Ideograph(r):
				ideographs++
				inWord = false
				continue
			case Unspaced(r):
				if !unicode.IsMark(r) {
					letters++
				}
				inWord = false
				continue
			case r < 0x2e80:
				space = unicode.IsSpace(r)
			default:
				space = unicode.IsSpace(r) || r >= 0x3000 && unicode.IsPunct(r)
			}
		}
		if !space && !inWord {
			n++
		}
		inWord = !space
	}
	return n + (ideographs+1)/2 + (letters+2)/3
}

// Unspaced reports whether r belongs to a script of Southeast Asia
// written without spaces between words.
func Unspaced(r rune) bool {
	return unicode.In(r, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}

// Ideograph reports whether r is a Chinese character or Japanese kana.
func Ideograph(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// collapsed reports whether s is ASCII text that collapse would return
// unchanged: single spaces between words, none at the ends. Most text is,
// and it needs no copy.
func collapsed(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prev := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || (asciiSpace[c] && (c != ' ' || prev == ' ')) {
			return false
		}
		prev = c
	}
	return true
}

// clean applies the ignore patterns to each paragraph and drops the
// paragraphs they empty.
func clean(s string, ignore []*regexp.Regexp) string {
	if len(ignore) == 0 || s == "" {
		return s
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		for _, re := range ignore {
			l = re.ReplaceAllString(l, "")
		}
		if l = collapse(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// pageText renders a page's text the way urlwatch's html2text does, so that
// what a reader can see changing changes in it (see render).
func pageText(nodes []*html.Node) string { return render(nodes, true, false, '\n') }

func attrValue(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// nfc is s in Unicode's composed form (NFC). Most text is so already,
// and is returned as it is after a look at each character in a table of
// the Basic Multilingual Plane's (nfcInert), cheaper than the norm
// package's own check; text with a character outside the table, or that
// may combine with the one before it, is given to the package.
func nfc(s string) string {
	inert := nfcInert()
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r > 0xFFFF || inert[r>>6]&(1<<(r&63)) == 0 {
			return norm.NFC.String(s)
		}
		i += size
	}
	return s
}

// nfcInert marks the characters of the Basic Multilingual Plane that are
// in NFC alone and that nothing before them combines with (of canonical
// combining class 0): a text made of them is in NFC.
var nfcInert = sync.OnceValue(func() *[0x10000 / 64]uint64 {
	var t [0x10000 / 64]uint64
	for r := rune(0); r <= 0xFFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		c := string(r)
		if p := norm.NFC.PropertiesString(c); p.BoundaryBefore() && p.CCC() == 0 && norm.NFC.IsNormalString(c) {
			t[r>>6] |= 1 << (r & 63)
		}
	}
	return &t
})

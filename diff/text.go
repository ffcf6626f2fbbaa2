package diff

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/pubwatch/pubwatch/snapshot"
)

// Operations in a text diff.
const (
	OpEqual  = "equal"
	OpInsert = "insert"
	OpDelete = "delete"
)

// Op is one run of a text diff: text kept, inserted or deleted.
type Op struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// Word diffs cost time in proportion to the size of a changed block times
// how much of it changed. A block of changed paragraphs up to
// blockTokens is diffed word by word as a whole; a larger one (a rewrite)
// is first paired paragraph by paragraph, and only paragraphs that still
// resemble each other are diffed word by word. A single paragraph over
// maxWordTokens is shown deleted and inserted whole. These choices are
// explicit and the same on every machine, never a timeout's.
const (
	blockTokens   = 4000
	maxWordTokens = 40000
	// pairWindow is how far from its own position a deleted paragraph
	// looks for its rewritten version.
	pairWindow = 8
	// pairSimilarity is the share of distinct words two paragraphs must
	// have in common to be shown as one edited paragraph.
	pairSimilarity = 0.5
)

// Text returns the diff from a to b. Lines (paragraphs) are aligned first;
// inside each block of changed lines the words are diffed and the result
// cleaned up for people (go-diff's semantic cleanup). go-diff runs without
// a deadline, so the result never depends on the machine's speed.
func Text(a, b string) []Op {
	a, b = strings.ToValidUTF8(a, "\uFFFD"), strings.ToValidUTF8(b, "\uFFFD")
	if a == b {
		if a == "" {
			return nil
		}
		return []Op{{OpEqual, a}}
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	ra, rb, lines := dmp.DiffLinesToRunes(a, b)
	lineDiffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines)

	var out []Op
	var del, ins strings.Builder
	flush := func() {
		switch {
		case del.Len() > 0 && ins.Len() > 0:
			out = append(out, words(dmp, del.String(), ins.String())...)
		case del.Len() > 0:
			out = append(out, Op{OpDelete, del.String()})
		case ins.Len() > 0:
			out = append(out, Op{OpInsert, ins.String()})
		}
		del.Reset()
		ins.Reset()
	}
	for _, d := range lineDiffs {
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			del.WriteString(d.Text)
		case diffmatchpatch.DiffInsert:
			ins.WriteString(d.Text)
		default:
			flush()
			out = append(out, Op{OpEqual, d.Text})
		}
	}
	flush()
	return merge(out)
}

// words diffs two blocks of changed paragraphs.
func words(dmp *diffmatchpatch.DiffMatchPatch, a, b string) []Op {
	ta, tb := tokenize(a), tokenize(b)
	if len(ta)+len(tb) <= blockTokens {
		return wordDiff(dmp, ta, tb)
	}
	return paragraphs(dmp, a, b)
}

// paragraphs pairs the paragraphs of a large changed block in order, each
// deleted paragraph with the first inserted one ahead that resembles it,
// and diffs the pairs word by word.
func paragraphs(dmp *diffmatchpatch.DiffMatchPatch, a, b string) []Op {
	la, lb := strings.SplitAfter(a, "\n"), strings.SplitAfter(b, "\n")
	sb := make([]map[string]bool, len(lb))
	for i, l := range lb {
		sb[i] = wordSet(l)
	}
	var out []Op
	j := 0
	for i, pa := range la {
		if pa == "" {
			continue
		}
		sa := wordSet(pa)
		match := -1
		// Look near where the paragraph would stand in b, and not behind
		// the last pair.
		center := i * len(lb) / len(la)
		for k := max(j, center-pairWindow); k < len(lb) && k <= center+pairWindow; k++ {
			if similarity(sa, sb[k]) >= pairSimilarity {
				match = k
				break
			}
		}
		if match < 0 {
			out = append(out, Op{OpDelete, pa})
			continue
		}
		for ; j < match; j++ {
			out = append(out, Op{OpInsert, lb[j]})
		}
		ta, tb := tokenize(pa), tokenize(lb[match])
		if len(ta)+len(tb) > maxWordTokens {
			out = append(out, Op{OpDelete, pa}, Op{OpInsert, lb[match]})
		} else {
			out = append(out, wordDiff(dmp, ta, tb)...)
		}
		j = match + 1
	}
	for ; j < len(lb); j++ {
		out = append(out, Op{OpInsert, lb[j]})
	}
	return out
}

// wordSet is the set of a paragraph's words, for telling how alike two
// paragraphs are; in Chinese and Japanese text the pairs of neighbouring
// characters, which single characters too common to tell much.
func wordSet(s string) map[string]bool {
	set := map[string]bool{}
	prev := ""
	for _, t := range tokenize(s) {
		switch r, _ := utf8.DecodeRuneInString(t); tokenClass(r) {
		case classWord:
			set[t] = true
			prev = ""
		case classIdeograph, classCluster:
			if prev != "" {
				set[prev+t] = true
			}
			prev = t
		default:
			prev = ""
		}
	}
	return set
}

// similarity is the Jaccard index of two word sets.
func similarity(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	common := 0
	for w := range a {
		if b[w] {
			common++
		}
	}
	return float64(common) / float64(len(a)+len(b)-common)
}

// wordDiff diffs two token lists.
func wordDiff(dmp *diffmatchpatch.DiffMatchPatch, ta, tb []string) []Op {
	index := map[string]rune{}
	var table []string
	encode := func(tokens []string) []rune {
		rs := make([]rune, len(tokens))
		for i, t := range tokens {
			r, ok := index[t]
			if !ok {
				r = indexRune(len(table))
				index[t] = r
				table = append(table, t)
			}
			rs[i] = r
		}
		return rs
	}
	diffs := dmp.DiffMainRunes(encode(ta), encode(tb), false)
	for i := range diffs {
		var sb strings.Builder
		for _, r := range diffs[i].Text {
			sb.WriteString(table[runeIndex(r)])
		}
		diffs[i].Text = sb.String()
	}
	diffs = dmp.DiffCleanupSemantic(diffs)
	out := make([]Op, 0, len(diffs))
	for _, d := range diffs {
		out = append(out, Op{opName(d.Type), d.Text})
	}
	return out
}

// indexRune maps a token index to a rune that survives string conversion:
// go-diff returns its runs as strings, so surrogate halves are skipped.
func indexRune(i int) rune {
	r := rune(i + 1)
	if r >= 0xD800 {
		r += 0x800
	}
	return r
}

func runeIndex(r rune) int {
	if r >= 0xD800+0x800 {
		r -= 0x800
	}
	return int(r) - 1
}

// tokenize splits text into words (letters, digits and marks), runs of white
// space, and single other characters. A Chinese character or Japanese kana
// is a token by itself, and so is a Thai, Lao, Khmer or Burmese letter with
// the vowel and tone marks on it: those languages put no spaces between
// words, and a run of them is a whole clause.
func tokenize(s string) []string {
	var tokens []string
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		class := tokenClass(r)
		n := size
		switch class {
		case classSpace, classWord:
			for n < len(s) {
				r2, size2 := utf8.DecodeRuneInString(s[n:])
				if tokenClass(r2) != class {
					break
				}
				n += size2
			}
		case classCluster:
			for n < len(s) {
				r2, size2 := utf8.DecodeRuneInString(s[n:])
				if !unicode.IsMark(r2) {
					break
				}
				n += size2
			}
		}
		tokens = append(tokens, s[:n])
		s = s[n:]
	}
	return tokens
}

// Token classes: a run of one class is one token, except for classOther
// and classIdeograph, whose characters stand alone, and classCluster, a
// letter with its marks.
const (
	classOther = iota
	classSpace
	classWord
	classIdeograph
	classCluster
)

func tokenClass(r rune) int {
	switch {
	case r == '\n':
		return classOther // each line break stands alone, so paragraphs stay apart
	case unicode.IsSpace(r):
		return classSpace
	case r >= 0x2e80 && snapshot.Ideograph(r):
		return classIdeograph
	case r >= 0x0e00 && r < 0x2e80 && !unicode.IsMark(r) && snapshot.Unspaced(r) || r >= 0xa9e0 && r < 0xaa80 && !unicode.IsMark(r) && snapshot.Unspaced(r):
		return classCluster
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_':
		return classWord
	}
	return classOther
}

func opName(t diffmatchpatch.Operation) string {
	switch t {
	case diffmatchpatch.DiffInsert:
		return OpInsert
	case diffmatchpatch.DiffDelete:
		return OpDelete
	}
	return OpEqual
}

// merge joins adjacent runs of the same operation and drops empty ones,
// in linear time however many runs are joined.
func merge(in []Op) []Op {
	ops := make([]Op, 0, len(in))
	for _, o := range in {
		if o.Text != "" {
			ops = append(ops, o)
		}
	}
	var out []Op
	for i := 0; i < len(ops); {
		j := i
		n := 0
		for ; j < len(ops) && ops[j].Op == ops[i].Op; j++ {
			n += len(ops[j].Text)
		}
		if n > 0 {
			var sb strings.Builder
			sb.Grow(n)
			for k := i; k < j; k++ {
				sb.WriteString(ops[k].Text)
			}
			out = append(out, Op{ops[i].Op, sb.String()})
		}
		i = j
	}
	return out
}

// Old returns the text before the change the ops describe.
func Old(ops []Op) string { return join(ops, OpInsert) }

// New returns the text after the change the ops describe.
func New(ops []Op) string { return join(ops, OpDelete) }

func join(ops []Op, skip string) string {
	var sb strings.Builder
	for _, o := range ops {
		if o.Op != skip {
			sb.WriteString(o.Text)
		}
	}
	return sb.String()
}

package diff

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
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

// maxWordTokens bounds the word diff of one changed block of paragraphs.
// A block larger than this is a rewrite, shown paragraph by paragraph
// instead of word by word; the choice is explicit, never a timeout's.
const maxWordTokens = 40000

// Text returns the diff from a to b. Lines (paragraphs) are aligned first;
// inside each block of changed lines the words are diffed and the result
// cleaned up for people (go-diff's semantic cleanup). go-diff runs without
// a deadline, so the result never depends on the machine's speed.
func Text(a, b string) []Op {
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

// words diffs two blocks of text word by word.
func words(dmp *diffmatchpatch.DiffMatchPatch, a, b string) []Op {
	ta, tb := tokenize(a), tokenize(b)
	if len(ta)+len(tb) > maxWordTokens {
		return []Op{{OpDelete, a}, {OpInsert, b}}
	}
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
// space, and single other characters.
func tokenize(s string) []string {
	var tokens []string
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		class := tokenClass(r)
		n := size
		if class != 0 {
			for n < len(s) {
				r2, size2 := utf8.DecodeRuneInString(s[n:])
				if tokenClass(r2) != class {
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

func tokenClass(r rune) int {
	switch {
	case r == '\n':
		return 0 // each line break stands alone, so paragraphs stay apart
	case unicode.IsSpace(r):
		return 1
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_':
		return 2
	}
	return 0
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

// merge joins adjacent runs of the same operation and drops empty ones.
func merge(ops []Op) []Op {
	out := ops[:0]
	for _, o := range ops {
		if o.Text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Op == o.Op {
			out[n-1].Text += o.Text
			continue
		}
		out = append(out, o)
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

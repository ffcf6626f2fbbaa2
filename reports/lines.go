package reports

import (
	"strings"
	"unicode/utf8"

	"github.com/pubwatch/pubwatch/diff"
)

// contextLines is how many unchanged paragraphs are shown around an edit.
const contextLines = 1

// maxContextChars bounds the unchanged text shown on each side of an edit
// within one paragraph.
const maxContextChars = 160

// diffLine is one paragraph of a diff as displayed. Gap marks paragraphs
// left out between shown ones.
type diffLine struct {
	Ops []diff.Op
	Gap bool
}

// displayLines splits a diff into paragraphs and keeps the changed ones
// with a little context, so an edit in a long article shows that edit and
// not the article.
func displayLines(ops []diff.Op) []diffLine {
	var lines [][]diff.Op
	cur := []diff.Op{}
	for _, o := range ops {
		parts := strings.Split(o.Text, "\n")
		for i, p := range parts {
			if i > 0 {
				lines = append(lines, cur)
				cur = []diff.Op{}
			}
			if p != "" {
				cur = append(cur, diff.Op{Op: o.Op, Text: p})
			}
		}
	}
	lines = append(lines, cur)

	changed := make([]bool, len(lines))
	for i, l := range lines {
		for _, o := range l {
			if o.Op != diff.OpEqual {
				changed[i] = true
			}
		}
	}
	keep := make([]bool, len(lines))
	for i := range lines {
		if !changed[i] {
			continue
		}
		for j := i - contextLines; j <= i+contextLines; j++ {
			if j >= 0 && j < len(lines) {
				keep[j] = true
			}
		}
	}
	var out []diffLine
	skipped := false
	for i, l := range lines {
		if !keep[i] {
			skipped = true
			continue
		}
		if len(l) == 0 {
			continue
		}
		if skipped {
			out = append(out, diffLine{Gap: true})
			skipped = false
		}
		out = append(out, diffLine{Ops: trimLine(l, changed[i])})
	}
	if skipped && len(out) > 0 {
		out = append(out, diffLine{Gap: true})
	}
	return out
}

// trimLine shortens the unchanged text of a paragraph that is far from an
// edit: a context paragraph keeps its start, and inside a changed
// paragraph long unchanged runs keep their ends near the edits.
func trimLine(l []diff.Op, changed bool) []diff.Op {
	out := make([]diff.Op, len(l))
	copy(out, l)
	if !changed {
		if len(out) == 1 {
			out[0].Text = head(out[0].Text, 2*maxContextChars)
		}
		return out
	}
	for i, o := range out {
		if o.Op != diff.OpEqual {
			continue
		}
		first, last := i == 0, i == len(out)-1
		switch {
		case first && last:
		case first:
			out[i].Text = tail(o.Text, maxContextChars)
		case last:
			out[i].Text = head(o.Text, maxContextChars)
		case utf8.RuneCountInString(o.Text) > 2*maxContextChars+10:
			out[i].Text = head(o.Text, maxContextChars) + " … " + tail(o.Text, maxContextChars)
		}
	}
	return out
}

// head keeps about n characters from the start, cut at a space.
func head(s string, n int) string {
	if utf8.RuneCountInString(s) <= n+10 {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i+1]
	}
	return cut + "…"
}

// tail keeps about n characters from the end, cut at a space.
func tail(s string, n int) string {
	if utf8.RuneCountInString(s) <= n+10 {
		return s
	}
	r := []rune(s)
	cut := string(r[len(r)-n:])
	if i := strings.IndexByte(cut, ' '); i >= 0 && i < n/2 {
		cut = cut[i:]
	}
	return "…" + cut
}

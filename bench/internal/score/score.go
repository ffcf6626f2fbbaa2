// Package score implements the article-extraction benchmark's metric: 4-word
// shingles of \w+ tokens, precision and recall averaged over pages.
package score

import (
	"strings"
	"unicode"
)

// Counts are one page's shingle counts.
type Counts struct {
	TP, FP, FN int
}

// Compare counts the shingles that a predicted text shares with the true
// one (TP), has in excess (FP) and misses (FN).
func Compare(truth, pred string) Counts {
	t, p := shingles(truth), shingles(pred)
	var c Counts
	for s, n := range t {
		m := p[s]
		c.TP += min(n, m)
		if n > m {
			c.FN += n - m
		}
	}
	for s, m := range p {
		if n := t[s]; m > n {
			c.FP += m - n
		}
	}
	return c
}

// Tokens are the runs of word characters (letters, digits, underscore).
func Tokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_')
	})
}

func shingles(s string) map[string]int {
	tokens := Tokens(s)
	out := map[string]int{}
	if len(tokens) == 0 {
		return out
	}
	if len(tokens) < 4 {
		out[strings.Join(tokens, " ")]++
		return out
	}
	for i := 0; i+4 <= len(tokens); i++ {
		out[strings.Join(tokens[i:i+4], " ")]++
	}
	return out
}

// Summary averages page scores as the benchmark does: precision over pages
// that predicted something, recall over pages that have a truth; a page
// with neither excess nor shortfall scores 1 on both.
type Summary struct {
	Precision, Recall, F1 float64
	Pages                 int
}

// Summarize averages per-page counts.
func Summarize(pages []Counts) Summary {
	var ps, rs float64
	var np, nr int
	for _, c := range pages {
		if c.FP == 0 && c.FN == 0 {
			ps, rs, np, nr = ps+1, rs+1, np+1, nr+1
			continue
		}
		if c.TP+c.FP > 0 {
			ps += float64(c.TP) / float64(c.TP+c.FP)
			np++
		}
		if c.TP+c.FN > 0 {
			rs += float64(c.TP) / float64(c.TP+c.FN)
			nr++
		}
	}
	s := Summary{Pages: len(pages)}
	if np > 0 {
		s.Precision = ps / float64(np)
	}
	if nr > 0 {
		s.Recall = rs / float64(nr)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pubwatch/pubwatch/bench/internal/score"
)

// A folder of saved article pages that nobody tuned on is scored as a new
// user reads one: `pubwatch inspect --json FILE`, beside go-trafilatura
// and go-readability alone on the same file. The folder holds what AEB
// holds:
//
//	ground-truth.json  {"<id>": {"articleBody": "…", "title": "…", "date": "2025-12-09", "url": "…"}}
//	html/<id>.html     (or html/<id>.html.gz)
//
// title, date and url may be left out; url is not given to any reader (a
// saved file says only what it holds).

// savedTruth is what a page's publisher wrote: its text, title and date.
type savedTruth struct {
	ArticleBody string `json:"articleBody"`
	Title       string `json:"title"`
	Date        string `json:"date"`
	URL         string `json:"url"`
}

// inspected is what `pubwatch inspect --json` prints that counts here.
type inspected struct {
	Kind    string `json:"kind"`
	Article *struct {
		Title string `json:"title"`
		Date  string `json:"date"`
		Body  string `json:"body"`
	} `json:"article"`
}

// fileReader reads one saved page: from its file (pubwatch) or its bytes
// at the file's address (the baselines). kind is what inspect calls the
// page ("article", "both", "listing", "page", "none"); the baselines
// always read an article.
type fileReader struct {
	name string
	read func(file string, page []byte) (got reading, kind string, err error)
}

// pagesResult is one reader's outcome on a folder of saved pages.
type pagesResult struct {
	name   string
	bodies score.Summary
	meta   metaScore
	// notArticle counts the pages it did not read as an article, by the
	// kind it read them as.
	notArticle map[string]int
	took       time.Duration
}

// inspectReader runs the pubwatch binary at bin on each file.
func inspectReader(bin string) fileReader {
	return fileReader{"pubwatch inspect", func(file string, _ []byte) (reading, string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, bin, "--json", "inspect", file)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return reading{}, "", fmt.Errorf("%s: %v: %s", file, err, strings.TrimSpace(stderr.String()))
		}
		var in inspected
		if err := json.Unmarshal(out, &in); err != nil {
			return reading{}, "", fmt.Errorf("%s: reading inspect's JSON: %v", file, err)
		}
		if in.Article == nil {
			return reading{}, in.Kind, nil
		}
		return reading{text: in.Article.Body, title: in.Article.Title, day: in.Article.Date}, in.Kind, nil
	}}
}

// baselineReaders are go-trafilatura and go-readability alone, each on
// the page's bytes at its file's address, as inspect reads them.
func baselineReaders() []fileReader {
	var out []fileReader
	for _, name := range []string{"go-trafilatura alone", "go-readability alone"} {
		read := readerNamed(name)
		out = append(out, fileReader{name, func(file string, page []byte) (reading, string, error) {
			return read(page, &url.URL{Scheme: "file", Path: filepath.ToSlash(file)}), "article", nil
		}})
	}
	return out
}

// readerNamed is the named reader's function (sets.go).
func readerNamed(name string) func(page []byte, base *url.URL) reading {
	for _, r := range readers {
		if r.name == name {
			return r.read
		}
	}
	panic("no reader " + name)
}

// savedPages scores each reader on the saved pages in dir: bodies with
// the AEB metric, titles exact (white space folded), dates by the day,
// and the pages it did not read as an article. Pages are written out
// uncompressed to a folder of their own, so that every reader reads the
// same file.
func savedPages(dir string, rs []fileReader, verbose bool) ([]pagesResult, error) {
	var truth map[string]savedTruth
	if err := readJSON(filepath.Join(dir, "ground-truth.json"), &truth); err != nil {
		return nil, err
	}
	if len(truth) == 0 {
		return nil, fmt.Errorf("%s: ground-truth.json names no page", dir)
	}
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	tmp, err := os.MkdirTemp("", "pubwatch-pages-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	files := make(map[string]string, len(ids))
	pages := make(map[string][]byte, len(ids))
	for _, id := range ids {
		page, err := savedPage(filepath.Join(dir, "html", id))
		if err != nil {
			return nil, err
		}
		files[id] = filepath.Join(tmp, id+".html")
		if err := os.WriteFile(files[id], page, 0o644); err != nil {
			return nil, err
		}
		pages[id] = page
	}
	perPage := make(map[string][]string, len(ids))
	var out []pagesResult
	for _, r := range rs {
		res := pagesResult{name: r.name, notArticle: map[string]int{}}
		var counts []score.Counts
		start := time.Now()
		for _, id := range ids {
			got, kind, err := r.read(files[id], pages[id])
			if err != nil {
				// One page that breaks a reader scores nothing for it and
				// is named; the others are still read.
				fmt.Fprintf(os.Stderr, "extract: %s, page %s: %v\n", r.name, id, err)
				got, kind = reading{}, "error"
			}
			if kind != "article" && kind != "both" {
				res.notArticle[kind]++
			}
			w := truth[id]
			c := score.Compare(w.ArticleBody, got.text)
			counts = append(counts, c)
			res.meta.add(reading{title: w.Title, day: dayOfText(w.Date)}, got)
			note := fmt.Sprintf("%s %s", r.name, pageScore(c))
			if kind != "article" && kind != "both" {
				note += " (" + kind + ")"
			}
			if w.Title != "" && folded(got.title) != folded(w.Title) {
				note += fmt.Sprintf(" title %q", got.title)
			}
			perPage[id] = append(perPage[id], note)
		}
		res.took = time.Since(start)
		res.bodies = score.Summarize(counts)
		out = append(out, res)
	}
	if verbose {
		for _, id := range ids {
			fmt.Printf("%-20s %s | want title %q\n", id, strings.Join(perPage[id], " | "), truth[id].Title)
		}
	}
	fmt.Printf("\nsaved pages in %s (%d pages, read from their files):\n", dir, len(ids))
	for _, r := range out {
		var kinds []string
		for k, n := range r.notArticle {
			kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
		}
		sort.Strings(kinds)
		not := "all read as articles"
		if len(kinds) > 0 {
			not = "not read as articles: " + strings.Join(kinds, ", ")
		}
		fmt.Printf("  %-22s body P %.3f  R %.3f  F1 %.3f  titles %s  dates %s  %s  %.0f ms/page\n",
			r.name, r.bodies.Precision, r.bodies.Recall, r.bodies.F1, ofTruth(r.meta.titlesRight, r.meta.titles),
			ofTruth(r.meta.datesRight, r.meta.dates), not, float64(r.took.Milliseconds())/float64(len(ids)))
	}
	return out, nil
}

// ofTruth is n of the truth's given values right, "-" where it gives none.
func ofTruth(n, given int) string {
	if given == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f (%d of %d)", share(n, given), n, given)
}

// savedPage reads html/<id>.html, or html/<id>.html.gz.
func savedPage(name string) ([]byte, error) {
	if b, err := os.ReadFile(name + ".html"); err == nil {
		return b, nil
	}
	b, err := readGzip(name + ".html.gz")
	if err != nil {
		return nil, fmt.Errorf("no page %s.html, and %s.html.gz: %w", name, name, err)
	}
	return b, nil
}

// dayOfText is the day a truth's date gives ("2025-12-09", or an RFC 3339
// time), "" if none.
func dayOfText(s string) string {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return dayOf(t)
	}
	if len(s) >= 10 {
		if t, err := time.Parse(time.DateOnly, s[:10]); err == nil {
			return dayOf(t)
		}
	}
	return ""
}

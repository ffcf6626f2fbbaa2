package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/pubwatch/pubwatch/fetch"
	"github.com/pubwatch/pubwatch/snapshot"
)

// InspectOptions are the flags of inspect.
type InspectOptions struct {
	YAML    bool
	Items   int
	Timeout time.Duration
	Robots  bool
}

func newInspectCommand(opts *Options) *cobra.Command {
	var io InspectOptions
	cmd := &cobra.Command{
		Use:   "inspect URL|FILE",
		Short: "Show what automatic extraction finds on a page",
		Long: `Inspect fetches a page (or reads a file) and prints what pubwatch finds
without selectors: the kind of page it guesses (article, listing or both;
page when it finds neither, and a zero-config source watches the page's
text), the article's title, byline, date and body, and the listing
candidates with their selectors, item counts and first items, the main
listing first.
--yaml prints a source block with the selectors pinned; --json prints it
all as JSON. No config is needed.

Exit codes: 0 inspected, 1 the page could not be read, 2 usage error.`,
		Args: rangeArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInspect(cmd.Context(), opts, io, args[0])
		},
	}
	cmd.Flags().BoolVar(&io.YAML, "yaml", false, "print a source block with the selectors pinned")
	cmd.Flags().IntVarP(&io.Items, "items", "n", 5, "items to show per listing")
	cmd.Flags().DurationVar(&io.Timeout, "timeout", 30*time.Second, "for fetching the page")
	cmd.Flags().BoolVar(&io.Robots, "robots", true, "obey robots.txt")
	return cmd
}

// inspection is the JSON form of what inspect found.
type inspection struct {
	Kind     string             `json:"kind"`
	Article  *inspectedArticle  `json:"article"`
	Listings []inspectedListing `json:"listings"`
	Feed     []inspectedItem    `json:"feed,omitempty"`
	// Page is the text a zero-config source watches on a page with
	// neither an article nor a listing.
	Page   *inspectedPage `json:"page,omitempty"`
	source string
	base   *url.URL
	sels   []snapshot.ListingSelector
}

type inspectedArticle struct {
	Title  string `json:"title"`
	Byline string `json:"byline"`
	Date   string `json:"date"`
	Body   string `json:"body"`
}

type inspectedPage struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

type inspectedListing struct {
	Selector snapshot.ListingSelector `json:"selector"`
	Count    int                      `json:"count"`
	Items    []inspectedItem          `json:"items"`
}

type inspectedItem struct {
	Title   string `json:"title"`
	URL     string `json:"url"`
	Date    string `json:"date"`
	Summary string `json:"summary"`
}

func runInspect(ctx context.Context, opts *Options, io InspectOptions, target string) error {
	body, ct, base, err := readTarget(ctx, io, target)
	if err != nil {
		return err
	}
	in := inspection{Kind: "none", Listings: []inspectedListing{}, source: target, base: base}
	if snapshot.LooksLikeFeed(body, ct) {
		snap, err := snapshot.Extract(body, ct, base, snapshot.Rules{Feed: true})
		if err != nil {
			return err
		}
		in.Kind = "feed"
		for _, it := range snap.Items {
			in.Feed = append(in.Feed, inspectedItem{it.Title, it.URL, it.Date, it.Summary})
		}
		return printInspection(opts, io, &in)
	}
	doc, err := snapshot.Parse(body, ct)
	if err != nil {
		return err
	}
	for _, l := range snapshot.FindListings(doc, base) {
		il := inspectedListing{Selector: l.Selector, Count: len(l.Items), Items: []inspectedItem{}}
		for _, it := range l.Items {
			il.Items = append(il.Items, inspectedItem{it.Title, it.URL, it.Date, it.Summary})
		}
		in.Listings = append(in.Listings, il)
	}
	// The kind is what a zero-config source of the page tracks.
	tracked := false
	snap, err := snapshot.Extract(body, ct, base, snapshot.Rules{AutoArticle: true, AutoListing: true})
	if err == nil {
		for _, it := range snap.Items {
			tracked = tracked || it.Kind == snapshot.KindListing
		}
		if snap.PageFallback(snapshot.Rules{AutoArticle: true, AutoListing: true}) {
			in.Page = &inspectedPage{Title: snap.Items[0].Title, Text: snap.Items[0].Body}
		}
		if len(snap.Items) > 0 && snap.Items[0].Kind == snapshot.KindArticle {
			art, _ := snapshot.AutoArticle(body, ct, base)
			a := snap.Items[0]
			in.Article = &inspectedArticle{Title: a.Title, Date: a.Date, Body: a.Body}
			if art != nil {
				in.Article.Byline = art.Byline
			}
		}
	}
	switch {
	case in.Article != nil && tracked:
		in.Kind = "both"
	case in.Article != nil:
		in.Kind = "article"
	case tracked:
		in.Kind = "listing"
	case in.Page != nil:
		in.Kind = "page"
	}
	return printInspection(opts, io, &in)
}

// readTarget fetches a URL or reads a file.
func readTarget(ctx context.Context, io InspectOptions, target string) (body []byte, contentType string, base *url.URL, err error) {
	if u, perr := url.Parse(target); perr == nil && (u.Scheme == "http" || u.Scheme == "https") {
		f := fetch.New(fetch.Options{HostDelay: -1})
		resp, err := f.Fetch(ctx, fetch.Request{URL: target, UserAgent: defaultUserAgent(), Timeout: io.Timeout, IgnoreRobots: !io.Robots})
		if err != nil {
			return nil, "", nil, err
		}
		final, _ := url.Parse(resp.URL)
		return resp.Body, resp.ContentType, final, nil
	}
	abs, err := filepath.Abs(target)
	if err != nil {
		return nil, "", nil, err
	}
	resp, err := fetch.New(fetch.Options{}).Fetch(ctx, fetch.Request{File: abs})
	if err != nil {
		return nil, "", nil, err
	}
	return resp.Body, resp.ContentType, &url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}, nil
}

func printInspection(opts *Options, io InspectOptions, in *inspection) error {
	switch {
	case opts.JSON:
		return writeJSON(opts, in)
	case io.YAML:
		return writeSourceYAML(opts.stdout, in)
	}
	w := opts.stdout
	fmt.Fprintf(w, "kind: %s\n", in.Kind)
	if a := in.Article; a != nil {
		fmt.Fprintf(w, "\narticle\n  title:  %s\n  byline: %s\n  date:   %s\n  body:   %d words: %s\n",
			a.Title, a.Byline, a.Date, snapshot.WordCount(a.Body), excerpt(a.Body, 200))
	}
	for i, it := range in.Feed {
		if i == 0 {
			fmt.Fprintf(w, "\nfeed: %d entries\n", len(in.Feed))
		}
		if i >= io.Items {
			break
		}
		fmt.Fprintf(w, "  - %s\n    %s %s\n", it.Title, it.URL, it.Date)
	}
	for i, l := range in.Listings {
		label := "listing"
		switch {
		case i == 0 && (in.Kind == "both" || in.Kind == "listing"):
			label = "main listing"
		case i == 0:
			fmt.Fprintf(w, "\nlisting candidates, not tracked (too short, or beside the article only the page's furniture):\n")
		}
		fmt.Fprintf(w, "\n%s %d: %d items\n  items:   %s\n", label, i+1, l.Count, l.Selector.Items)
		for k, v := range map[string]string{"title": l.Selector.Title, "link": l.Selector.Link, "date": l.Selector.Date, "summary": l.Selector.Summary} {
			if v != "" {
				fmt.Fprintf(w, "  %-8s %s\n", k+":", v)
			}
		}
		for j, it := range l.Items {
			if j >= io.Items {
				fmt.Fprintf(w, "  … %d more\n", l.Count-j)
				break
			}
			fmt.Fprintf(w, "  - %s\n    %s", it.Title, it.URL)
			if it.Date != "" {
				fmt.Fprintf(w, "  (%s)", it.Date)
			}
			fmt.Fprintln(w)
		}
	}
	switch in.Kind {
	case "page":
		fmt.Fprintf(w, "\nno article and no listing of three items or more found: a zero-config source watches the page's text, as kind: page would\n  title: %s\n  text:  %d words: %s\n",
			in.Page.Title, snapshot.WordCount(in.Page.Text), excerpt(in.Page.Text, 200))
	case "none":
		fmt.Fprintln(w, "\nno article, no listing of three items or more, and no text found on the page")
	}
	return nil
}

var nameChars = regexp.MustCompile(`[^a-z0-9]+`)

// writeSourceYAML prints a source block for the config with the main
// listing's selectors pinned.
func writeSourceYAML(w io.Writer, in *inspection) error {
	name := "source"
	if in.base != nil {
		name = strings.Trim(nameChars.ReplaceAllString(strings.ToLower(in.base.Host+in.base.Path), "-"), "-")
		if len(name) > 40 {
			name = strings.Trim(name[:40], "-")
		}
		if name == "" {
			name = "source"
		}
	}
	src := map[string]any{"name": name}
	if in.base != nil && (in.base.Scheme == "http" || in.base.Scheme == "https") {
		src["url"] = in.base.String()
	} else {
		src["file"] = in.source
	}
	switch in.Kind {
	case "feed":
		src["kind"] = "feed"
	case "article":
		src["kind"] = "article"
	case "listing", "both":
		l := in.Listings[0]
		listing := map[string]string{"items": l.Selector.Items}
		for k, v := range map[string]string{"title": l.Selector.Title, "link": l.Selector.Link, "date": l.Selector.Date, "summary": l.Selector.Summary} {
			if v != "" {
				listing[k] = v
			}
		}
		src["listing"] = listing
		if in.Kind == "both" {
			src["kind"] = "listing"
			fmt.Fprintln(w, "# The page also has an article; add article selectors (or use kind: auto) to track it.")
		}
	default:
		src["kind"] = "page"
	}
	out, err := yaml.Marshal([]any{src})
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func excerpt(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func defaultUserAgent() string { return "pubwatch-inspect (+https://github.com/pubwatch/pubwatch)" }

package snapshot

import (
	"bytes"
	"fmt"
	"mime"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"
)

// feedTypes are the media types of RSS, Atom and JSON feeds.
var feedTypes = map[string]bool{
	"application/rss+xml": true, "application/atom+xml": true, "application/rdf+xml": true,
	"application/feed+json": true, "application/xml": true, "text/xml": true, "application/json": true,
}

// LooksLikeFeed reports whether a fetched body is a feed rather than a page:
// by its media type, or, when that is vague, by how it starts.
func LooksLikeFeed(body []byte, contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	if !feedTypes[mt] && mt != "text/plain" && mt != "" {
		return false
	}
	head := bytes.ToLower(body[:min(len(body), 2048)])
	return bytes.Contains(head, []byte("<rss")) || bytes.Contains(head, []byte("<feed")) ||
		bytes.Contains(head, []byte("<rdf:rdf")) || bytes.Contains(head, []byte("jsonfeed.org/version"))
}

// extractFeed turns the entries of an RSS (0.9x, 1.0, 2.0), Atom or JSON
// feed into items. An entry's identity is its guid or id, else its link,
// else its title.
func extractFeed(body []byte, base *url.URL, rules Rules) (*Snapshot, error) {
	utf, _ := toUTF8(body, "")
	if bytes.HasPrefix(bytes.TrimSpace(body), []byte("<")) {
		// XML declares its own encoding; gofeed honours it.
		utf = body
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(utf))
	if err != nil {
		return nil, fmt.Errorf("parsing feed: %w", err)
	}
	if feed.Link != "" {
		if u, err := url.Parse(feed.Link); err == nil && base != nil {
			base = base.ResolveReference(u)
		}
	}
	snap := &Snapshot{}
	seen := map[string]bool{}
	for _, e := range feed.Items {
		it := Item{Kind: KindFeed}
		it.Title = clean(htmlText(e.Title, false), rules.Ignore)
		it.URL = resolve(base, strings.TrimSpace(e.Link))
		it.Date = strings.TrimSpace(e.Published)
		if it.Date == "" {
			it.Date = strings.TrimSpace(e.Updated)
		}
		switch {
		case e.PublishedParsed != nil:
			it.Published = e.PublishedParsed.UTC().Format("2006-01-02")
		case e.UpdatedParsed != nil:
			it.Published = e.UpdatedParsed.UTC().Format("2006-01-02")
		}
		it.Summary = clean(htmlText(e.Description, false), rules.Ignore)
		it.Body = clean(htmlText(e.Content, true), rules.Ignore)
		it.ID = strings.TrimSpace(e.GUID)
		if it.ID == "" {
			it.ID = Identity(it.URL, it.Title)
		}
		if it.ID == "" || seen[it.ID] {
			continue
		}
		seen[it.ID] = true
		snap.Items = append(snap.Items, it)
	}
	if len(snap.Items) == 0 && len(feed.Items) > 0 {
		return nil, fmt.Errorf("feed has %d entries but none has an id, link or title", len(feed.Items))
	}
	return snap, nil
}

// htmlText is the readable text of an HTML fragment (feeds carry escaped
// HTML in titles, descriptions and content).
func htmlText(fragment string, keepParagraphs bool) string {
	if !strings.ContainsAny(fragment, "<&") {
		return collapse(fragment)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(fragment))
	if err != nil {
		return collapse(fragment)
	}
	if keepParagraphs {
		return paragraphs(doc.Nodes)
	}
	return inline(doc.Nodes)
}

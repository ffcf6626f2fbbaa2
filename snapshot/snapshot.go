package snapshot

import (
	"regexp"

	"github.com/PuerkitoBio/goquery"
)

// Item kinds. A source's items are keyed by kind and ID together, so a
// listing teaser and the article it links to can both be tracked.
const (
	KindListing = "listing"
	KindArticle = "article"
	KindPage    = "page"
	KindFeed    = "feed"
)

// Item is one tracked thing on a page: a listing teaser, the page's article,
// or the text of the whole page.
type Item struct {
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	URL   string `json:"url,omitempty"`
	Date  string `json:"date,omitempty"`
	// Published is the day Date names, as 2006-01-02 ("" if it names
	// none). It is derived, so changes are reported on Date.
	Published string `json:"published,omitempty"`
	Summary   string `json:"summary,omitempty"`
	Body      string `json:"body,omitempty"`
}

// Key identifies the item within its source's snapshot.
func (it Item) Key() string { return it.Kind + " " + it.ID }

// Snapshot is what one good check of a source extracted, in page order.
type Snapshot struct {
	Items []Item `json:"items"`
	// Gone holds, by item key, why a followed article known before is no
	// longer there although its item is still listed ("deleted: HTTP 404").
	Gone map[string]string `json:"gone,omitempty"`
	// Tombstones are items removed earlier, remembered so that one coming
	// back is reported as reappeared, not new.
	Tombstones []Item `json:"tombstones,omitempty"`
}

// ExtractionVersion changes whenever pubwatch reads pages differently (a
// body kept in paragraphs, dates found where they were not): it is part
// of every source's fingerprint, so that after an upgrade a baseline is
// read again with the new extraction before it is compared, and the
// difference in reading is not reported as a change of the page.
const ExtractionVersion = "2026-12-03.50"

// Followed reports whether an item is an article page followed from a
// listing (rather than the page's own article).
func (it Item) Followed() bool { return it.Kind == KindArticle && it.ID != "article" }

// Rules say what to extract from a page. At least one of Listing, Article or
// Page is set. They are built (and their selectors compiled) by the config
// package.
type Rules struct {
	Listing *ListingRules
	Article *ArticleRules
	// AutoListing finds the page's main listing without selectors (when
	// Listing is nil); AutoArticle finds its article (when Article is nil)
	// if the page is an article page.
	AutoListing bool
	AutoArticle bool
	Page        *PageRules
	// Feed reads the page as an RSS, Atom or JSON feed whose entries are
	// the items.
	Feed bool
	// AutoFeed reads the page as a feed when it turns out to be one (for
	// sources whose kind was not given).
	AutoFeed bool
	// Ignore patterns are removed from every extracted text before it is
	// compared.
	Ignore []*regexp.Regexp
	// IgnoreSelectors match elements removed before extraction (counters,
	// share bars, "updated N minutes ago").
	IgnoreSelectors []goquery.Matcher
	// FoldPunctuation makes typographic quotes and dashes plain.
	FoldPunctuation bool
	// KeepCounters keeps relative times and view/comment counts in listing
	// fields, which are dropped by default.
	KeepCounters bool
	// TrackingParams are more query parameters to drop from item links.
	TrackingParams []string
	// Identity is how listing items are recognised from one check to the
	// next: IdentityLink (default), IdentityTitle, or IdentitySelector
	// (the value ListingRules.ID selects).
	Identity string
}

// Identities of listing items.
const (
	IdentityLink     = "link"
	IdentityTitle    = "title"
	IdentitySelector = "selector"
)

// ListingRules select the items of a list of teasers. Items is required;
// a nil field selector falls back to a default described on each field.
type ListingRules struct {
	// Items matches one element per item.
	Items goquery.Matcher
	// Title: text of the first match; default the first heading, else the
	// first link.
	Title goquery.Matcher
	// Link: href of the first match, or of the first link inside it;
	// default the first link in the item (or the item itself if it is one).
	Link goquery.Matcher
	// Date: text (or datetime attribute) of the first match; default the
	// first <time> element.
	Date goquery.Matcher
	// Summary: text of the first match; default none.
	Summary goquery.Matcher
	// ID selects the element whose data-id, id, href or text identifies
	// the item, for Identity "selector".
	ID goquery.Matcher
}

// ArticleRules select a single article on the page. Body is required.
type ArticleRules struct {
	// Title defaults to the first <h1>.
	Title goquery.Matcher
	// Body: text of every match, paragraph structure kept.
	Body goquery.Matcher
	// Date defaults to the first <time> element.
	Date goquery.Matcher
}

// PageRules track the text of the page, or of the selected part of it, as a
// single item.
type PageRules struct {
	// Select defaults to <body>.
	Select goquery.Matcher
}

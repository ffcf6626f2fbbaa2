package web

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pubwatch/pubwatch/store"
)

// Atom feeds (RFC 4287) of the event log: /feed.atom for every source,
// /sources/{name}/feed.atom for one. An entry is an event, its content
// the change as the pages draw it; entry ids are stable (the event's id
// under the server's address); a feed is paged by the events' time,
// newest first, with a "next" link to older ones (RFC 5005).

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Links     []atomLink `xml:"link"`
	Category  struct {
		Term string `xml:"term,attr"`
	} `xml:"category"`
	Content atomText `xml:"content"`
}

// base is the server's address as feeds give it.
func (s *Server) base(r *http.Request) string {
	if s.opts.BaseURL != "" {
		return s.opts.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) feed(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name := r.PathValue("name")
	if name != "" {
		if state, err := s.st.SourceState(ctx, name); err != nil {
			return err
		} else if state == nil {
			return notFound("no source %q in the store", name)
		}
	}
	before, err := cursor(r)
	if err != nil {
		return err
	}
	base := s.base(r)
	spec := feedSpec{source: name, before: before, host: hostOf(base), self: base + "/feed.atom", alternate: base + "/",
		link: func(ev store.Event, v eventView) string {
			if v.ItemID != "" {
				return base + "/items/" + v.ItemID
			}
			return base + "/sources/" + url.PathEscape(ev.Source)
		}}
	if name != "" {
		spec.self = base + "/sources/" + url.PathEscape(name) + "/feed.atom"
		spec.alternate = base + "/sources/" + url.PathEscape(name)
	}
	f, err := buildFeed(ctx, s.st, spec)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	return encodeFeed(w, f)
}

// WriteFeed writes the Atom feed of the latest events of every source
// for the reports folder (feed.atom beside latest.html), for those who
// publish the folder as static files: an entry links the report of the
// run that reported its event. reportsURL is where the folder is
// published ("": the links are relative to the feed).
func WriteFeed(ctx context.Context, w io.Writer, st *store.Store, reportsURL string) error {
	base := strings.TrimSuffix(reportsURL, "/")
	prefix := ""
	if base != "" {
		prefix = base + "/"
	}
	dirs := map[string]string{}
	spec := feedSpec{host: hostOf(base), self: prefix + "feed.atom", alternate: prefix + "index.html",
		link: func(ev store.Event, _ eventView) string {
			dir, ok := dirs[ev.ReportRun]
			if !ok && ev.ReportRun != "" {
				if r, err := st.Run(ctx, ev.ReportRun); err == nil && r != nil {
					dir = r.ReportDir
				}
				dirs[ev.ReportRun] = dir
			}
			if dir == "" {
				return prefix + "latest.html"
			}
			return prefix + dir + "/report.html"
		}}
	f, err := buildFeed(ctx, st, spec)
	if err != nil {
		return err
	}
	return encodeFeed(w, f)
}

// feedSpec says what a feed holds and where its links go.
type feedSpec struct {
	// source is the one source whose events it holds ("": every source);
	// before, the event its page starts before (0: the newest).
	source string
	before int64
	// host names the feed's ids; self and alternate are its links.
	host, self, alternate string
	// link is an entry's alternate link.
	link func(store.Event, eventView) string
}

func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "pubwatch.invalid"
}

// buildFeed makes a page of a feed: up to pageSize events, newest first,
// with a "next" link to the page after them.
func buildFeed(ctx context.Context, st *store.Store, spec feedSpec) (*atomFeed, error) {
	evs, err := st.FindEvents(ctx, store.EventFilter{Source: spec.source, Before: spec.before, Limit: pageSize + 1})
	if err != nil {
		return nil, err
	}
	title := "pubwatch: every source"
	if spec.source != "" {
		title = "pubwatch: " + spec.source
	}
	f := &atomFeed{ID: "tag:" + spec.host + ",2025:feed/" + url.PathEscape(spec.source), Title: title,
		Author: atomPerson{Name: "pubwatch"}, Updated: atomTime(time.Now())}
	self := spec.self
	if spec.before != 0 {
		self += "?before=" + strconv.FormatInt(spec.before, 10)
	}
	f.Links = append(f.Links, atomLink{Rel: "self", Type: "application/atom+xml", Href: self},
		atomLink{Rel: "alternate", Type: "text/html", Href: spec.alternate})
	if len(evs) > pageSize {
		evs = evs[:pageSize]
		f.Links = append(f.Links, atomLink{Rel: "next", Type: "application/atom+xml", Href: spec.self + "?before=" + strconv.FormatInt(evs[len(evs)-1].ID, 10)})
	}
	if len(evs) > 0 {
		f.Updated = atomTime(evs[0].At)
	}
	for _, ev := range evs {
		v := viewEvent(ev, true)
		e := atomEntry{ID: "tag:" + spec.host + ",2025:event/" + strconv.FormatInt(ev.ID, 10),
			Updated: atomTime(ev.At), Published: atomTime(ev.At)}
		e.Category.Term = ev.Kind
		e.Title = ev.Source + ": " + ev.Kind
		if v.Title != "" {
			e.Title += ": " + v.Title
		}
		e.Links = append(e.Links, atomLink{Rel: "alternate", Type: "text/html", Href: spec.link(ev, v)})
		if v.Href != "" {
			e.Links = append(e.Links, atomLink{Rel: "related", Type: "text/html", Href: v.Href})
		}
		var body bytes.Buffer
		if err := pages.ExecuteTemplate(&body, "feed-entry", v); err != nil {
			return nil, err
		}
		e.Content = atomText{Type: "html", Body: body.String()}
		f.Entries = append(f.Entries, e)
	}
	return f, nil
}

func encodeFeed(w io.Writer, f *atomFeed) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

package web

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
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
	evs, err := s.st.FindEvents(ctx, store.EventFilter{Source: name, Before: before, Limit: pageSize + 1})
	if err != nil {
		return err
	}
	base := s.base(r)
	host := "pubwatch"
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	self := base + "/feed.atom"
	title := "pubwatch: every source"
	if name != "" {
		self = base + "/sources/" + url.PathEscape(name) + "/feed.atom"
		title = "pubwatch: " + name
	}
	f := atomFeed{ID: "tag:" + host + ",2025:feed/" + url.PathEscape(name), Title: title,
		Author: atomPerson{Name: "pubwatch"}, Updated: atomTime(time.Now())}
	if before != 0 {
		f.Links = append(f.Links, atomLink{Rel: "self", Type: "application/atom+xml", Href: self + "?before=" + strconv.FormatInt(before, 10)})
	} else {
		f.Links = append(f.Links, atomLink{Rel: "self", Type: "application/atom+xml", Href: self})
	}
	f.Links = append(f.Links, atomLink{Rel: "alternate", Type: "text/html", Href: base + "/"})
	if len(evs) > pageSize {
		evs = evs[:pageSize]
		f.Links = append(f.Links, atomLink{Rel: "next", Type: "application/atom+xml", Href: self + "?before=" + strconv.FormatInt(evs[len(evs)-1].ID, 10)})
	}
	if len(evs) > 0 {
		f.Updated = atomTime(evs[0].At)
	}
	for _, ev := range evs {
		v := viewEvent(ev, true)
		e := atomEntry{ID: "tag:" + host + ",2025:event/" + strconv.FormatInt(ev.ID, 10),
			Updated: atomTime(ev.At), Published: atomTime(ev.At)}
		e.Category.Term = ev.Kind
		e.Title = ev.Source + ": " + ev.Kind
		if v.Title != "" {
			e.Title += ": " + v.Title
		}
		link := base + "/sources/" + url.PathEscape(ev.Source)
		if v.ItemID != "" {
			link = base + "/items/" + v.ItemID
		}
		e.Links = append(e.Links, atomLink{Rel: "alternate", Type: "text/html", Href: link})
		if v.Href != "" {
			e.Links = append(e.Links, atomLink{Rel: "related", Type: "text/html", Href: v.Href})
		}
		var body bytes.Buffer
		if err := pages.ExecuteTemplate(&body, "feed-entry", v); err != nil {
			return err
		}
		e.Content = atomText{Type: "html", Body: body.String()}
		f.Entries = append(f.Entries, e)
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	if _, err := w.Write([]byte(xml.Header)); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	return enc.Encode(f)
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

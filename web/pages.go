package web

import (
	"context"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/monitor"
	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/snapshot"
	"github.com/pubwatch/pubwatch/store"
)

// pageSize is how many events, sources or items a page lists.
const pageSize = 50

// eventView is an event as the pages show it.
type eventView struct {
	ID     int64
	Source string
	Kind   string
	At     time.Time
	// Title and Href are the item's (Href only http(s)); ItemID links
	// to its page ("": a source's own event).
	Title, Href, ItemID string
	// Note says what happened beyond the kind: a change's summary, a
	// removal's or a suspect check's reason, an error.
	Note string
	// Change is a changed item's diff, drawn as the reports draw it.
	Change template.HTML
}

// viewEvent decodes an event for the pages; withDiff draws a change's
// diff too.
func viewEvent(ev store.Event, withDiff bool) eventView {
	v := eventView{ID: ev.ID, Source: ev.Source, Kind: ev.Kind, At: ev.At}
	if ev.ItemKey != "" {
		v.ItemID = store.ItemID(ev.Source, ev.ItemKey)
	}
	d, err := monitor.ReadEvent(ev)
	if err != nil {
		v.Note = "(this event's data could not be read)"
		return v
	}
	var it *snapshot.Item
	switch {
	case d.Item != nil:
		it = d.Item
	case d.Change != nil:
		it = &d.Change.Item
		v.Note = d.Change.Summary
		if withDiff {
			v.Change, _ = reports.ChangeHTML(*d.Change)
		}
	case d.Move != nil:
		it = &d.Move.Item
		v.Note = "from place " + strconv.Itoa(d.Move.From+1) + " to " + strconv.Itoa(d.Move.To+1)
	}
	if it != nil {
		v.Title, v.Href = label(*it), reports.SafeURL(it.URL)
	}
	switch {
	case d.Error != "":
		v.Note = d.Error
	case d.Reason != "" && v.Note == "":
		v.Note = d.Reason
	case d.Reason != "":
		v.Note += " (" + d.Reason + ")"
	}
	if ev.Kind == config.EventBaseline {
		v.Note = strconv.Itoa(d.Items) + " items in the first snapshot"
		if d.Items == 1 {
			v.Note = "1 item in the first snapshot"
		}
	}
	return v
}

func label(it snapshot.Item) string { return reports.ItemLabel(it) }

func viewEvents(evs []store.Event, withDiff bool) []eventView {
	out := make([]eventView, len(evs))
	for i, ev := range evs {
		out[i] = viewEvent(ev, withDiff)
	}
	return out
}

// sourceView is a source's state as the pages show it.
type sourceView struct {
	store.SourceState
	Status string
}

func viewSource(st store.SourceState) sourceView {
	v := sourceView{SourceState: st, Status: "ok"}
	switch {
	case st.Failures > 0:
		v.Status = "error"
	case !st.SuspectSince.IsZero():
		v.Status = "suspect"
	case st.LastCheckAt.IsZero():
		v.Status = "new"
	}
	return v
}

// cursor reads a page's ?before=: the id of the last event of the page
// before it (0: the newest).
func cursor(r *http.Request) (int64, error) {
	b := r.URL.Query().Get("before")
	if b == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(b, 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequest("before=%q is not an event id", b)
	}
	return id, nil
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	total, troubledN, err := s.st.CountSources(ctx)
	if err != nil {
		return err
	}
	troubled, err := s.st.TroubledStates(ctx, pageSize)
	if err != nil {
		return err
	}
	after := r.URL.Query().Get("after")
	sources, err := s.st.SourceStates(ctx, after, pageSize+1)
	if err != nil {
		return err
	}
	next := ""
	if len(sources) > pageSize {
		sources, next = sources[:pageSize], sources[pageSize-1].Name
	}
	events, err := s.st.FindEvents(ctx, store.EventFilter{Limit: 30})
	if err != nil {
		return err
	}
	return s.render(w, "home", "pubwatch", struct {
		Total, TroubledCount int
		Troubled, Sources    []sourceView
		After, Next          string
		Events               []eventView
	}{total, troubledN, mapped(troubled, viewSource), mapped(sources, viewSource), after, next, viewEvents(events, false)})
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query().Get("q")
	if len(q) > 200 {
		return badRequest("the search is longer than 200 bytes")
	}
	var items []store.ItemInfo
	var err error
	if s.index != nil {
		items, err = s.index.search(r.Context(), q, pageSize)
	} else {
		items, err = s.st.SearchItems(r.Context(), q, time.Time{}, pageSize)
	}
	if err != nil {
		return err
	}
	return s.render(w, "search", "Search: "+q, struct {
		Query string
		Items []store.ItemInfo
	}{q, items})
}

// current is what a source is now: its state, its baseline's items and
// address, its last checks.
type current struct {
	state  *store.SourceState
	items  []snapshot.Item
	url    string
	checks []store.CheckInfo
}

// currentOf reads a source's current state; an unknown source is not
// found.
func (s *Server) currentOf(ctx context.Context, name string) (*current, error) {
	state, err := s.st.SourceState(ctx, name)
	if err != nil {
		return nil, err
	}
	if state == nil {
		return nil, notFound("no source %q in the store", name)
	}
	c := &current{state: state}
	if state.BaselineID != 0 {
		si, err := s.st.Snapshot(ctx, state.BaselineID)
		if err != nil {
			return nil, err
		}
		snap, err := s.st.Items(ctx, si)
		if err != nil {
			return nil, err
		}
		c.items, c.url = snap.Items, si.URL
	}
	if c.checks, err = s.st.Checks(ctx, name, 20); err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Server) source(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name := r.PathValue("name")
	c, err := s.currentOf(ctx, name)
	if err != nil {
		return err
	}
	before, err := cursor(r)
	if err != nil {
		return err
	}
	events, err := s.st.FindEvents(ctx, store.EventFilter{Source: name, Before: before, Limit: pageSize + 1})
	if err != nil {
		return err
	}
	var next int64
	if len(events) > pageSize {
		events, next = events[:pageSize], events[pageSize-1].ID
	}
	return s.render(w, "source", name, struct {
		Source sourceView
		URL    string
		Href   string
		Events []eventView
		Next   int64
		Items  []snapshot.Item
		Checks []store.CheckInfo
	}{viewSource(*c.state), c.url, reports.SafeURL(c.url), viewEvents(events, before == 0), next, c.items, c.checks})
}

// version is one state of an item: the snapshot that holds it, when that
// was taken, and the event that found it ("first" for an item of a
// source's first snapshot).
type version struct {
	N          int       `json:"version"`
	SnapshotID int64     `json:"snapshot_id"`
	At         time.Time `json:"at"`
	Kind       string    `json:"kind"`
	EventID    int64     `json:"event_id,omitempty"`
}

// versions lists an item's versions, oldest first, and its events.
func (s *Server) versions(ctx context.Context, source, key string) ([]version, []store.Event, error) {
	evs, err := s.st.ItemEvents(ctx, source, key)
	if err != nil {
		return nil, nil, err
	}
	var out []version
	if len(evs) == 0 || evs[0].Kind != config.EventNew && evs[0].Kind != config.EventReappeared {
		// In the source's first snapshot, before any event named it.
		first, err := s.st.FirstSnapshot(ctx, source)
		if err != nil {
			return nil, nil, err
		}
		if _, ok, err := s.itemAt(ctx, first, key); err != nil {
			return nil, nil, err
		} else if ok {
			out = append(out, version{SnapshotID: first.ID, At: first.TakenAt, Kind: "first"})
		}
	}
	for _, ev := range evs {
		switch ev.Kind {
		case config.EventNew, config.EventReappeared, config.EventChanged, config.EventSuppressed:
			if ev.SnapshotID != 0 {
				out = append(out, version{SnapshotID: ev.SnapshotID, At: ev.At, Kind: ev.Kind, EventID: ev.ID})
			}
		}
	}
	for i := range out {
		out[i].N = i + 1
	}
	if len(out) == 0 && len(evs) == 0 {
		return nil, nil, notFound("no item %q in source %q", key, source)
	}
	return out, evs, nil
}

// itemAt returns the item with the key in a snapshot.
func (s *Server) itemAt(ctx context.Context, si *store.SnapshotInfo, key string) (snapshot.Item, bool, error) {
	snap, err := s.st.Items(ctx, si)
	if err != nil {
		return snapshot.Item{}, false, err
	}
	i := slices.IndexFunc(snap.Items, func(it snapshot.Item) bool { return it.Key() == key })
	if i < 0 {
		return snapshot.Item{}, false, nil
	}
	return snap.Items[i], true, nil
}

// comparison is the diff between two versions of an item.
type comparison struct {
	From, To   version
	FromItem   snapshot.Item
	ToItem     snapshot.Item
	Change     diff.Change
	Same       bool
	sourceName string
}

// compare loads versions ?from= and ?to= (numbers; default the last two)
// and diffs them.
func (s *Server) compare(ctx context.Context, r *http.Request, source, key string, vs []version) (*comparison, error) {
	if len(vs) == 0 {
		return nil, nil
	}
	pick := func(param string, def int) (version, error) {
		v := r.URL.Query().Get(param)
		if v == "" {
			return vs[def], nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > len(vs) {
			return version{}, badRequest("%s=%q is not a version of this item (1 to %d)", param, v, len(vs))
		}
		return vs[n-1], nil
	}
	to, err := pick("to", len(vs)-1)
	if err != nil {
		return nil, err
	}
	from, err := pick("from", max(len(vs)-2, 0))
	if err != nil {
		return nil, err
	}
	c := &comparison{From: from, To: to, sourceName: source}
	for _, side := range []struct {
		v  version
		it *snapshot.Item
	}{{from, &c.FromItem}, {to, &c.ToItem}} {
		si, err := s.st.Snapshot(ctx, side.v.SnapshotID)
		if err != nil {
			return nil, err
		}
		it, ok, err := s.itemAt(ctx, si, key)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, notFound("version %d of the item is no longer stored", side.v.N)
		}
		*side.it = it
	}
	var changed bool
	c.Change, changed = diff.CompareItems(c.FromItem, c.ToItem)
	c.Same = !changed
	return c, nil
}

func (s *Server) item(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	source, key, err := store.ParseItemID(r.PathValue("id"))
	if err != nil {
		return err
	}
	vs, evs, err := s.versions(ctx, source, key)
	if err != nil {
		return err
	}
	c, err := s.compare(ctx, r, source, key, vs)
	if err != nil {
		return err
	}
	var drawn template.HTML
	var cur snapshot.Item
	if c != nil {
		cur = c.ToItem
		if !c.Same {
			if drawn, err = reports.ChangeHTML(c.Change); err != nil {
				return err
			}
		}
	}
	title := label(cur)
	if title == "" && len(evs) > 0 {
		title = viewEvent(evs[len(evs)-1], false).Title
	}
	slices.Reverse(evs)
	return s.render(w, "item", title, struct {
		ID, Source, Title, Href string
		Item                    snapshot.Item
		Versions                []version
		Compare                 *comparison
		Diff                    template.HTML
		Paragraphs              []string
		Events                  []eventView
	}{r.PathValue("id"), source, title, reports.SafeURL(cur.URL), cur, vs, c, drawn, strings.Split(cur.Body, "\n"), viewEvents(evs, false)})
}

// storedPage serves a version's page as it was captured, as plain text:
// never as the watched site's live HTML.
func (s *Server) storedPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	source, _, err := store.ParseItemID(r.PathValue("id"))
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("snapshot"), 10, 64)
	if err != nil {
		return badRequest("%q is not a snapshot id", r.PathValue("snapshot"))
	}
	si, err := s.st.Snapshot(ctx, id)
	if err != nil {
		return err
	}
	if si.Source != source {
		return notFound("snapshot %d is not one of %q", id, source)
	}
	b, err := s.st.Content(ctx, si.ContentHash)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Disposition", `inline; filename="snapshot-`+strconv.FormatInt(id, 10)+`.txt"`)
	_, err = w.Write(b)
	return err
}

func (s *Server) runs(w http.ResponseWriter, r *http.Request) error {
	runs, err := s.st.Runs(r.Context(), 200)
	if err != nil {
		return err
	}
	return s.render(w, "runs", "Runs", struct {
		Runs    []store.RunInfo
		Reports bool
	}{runs, s.opts.ReportsDir != ""})
}

func mapped[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

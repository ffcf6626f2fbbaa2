package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/monitor"
	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/store"
)

// The JSON API (README, "The archive's JSON API"). Names are snake_case as
// in the report schema; times are RFC 3339 in UTC ("" when never); lists
// are arrays, never null; items and changes have the report schema's
// shapes. New fields may be added.

type apiSource struct {
	Name           string `json:"name"`
	Status         string `json:"status"`
	LastCheckAt    string `json:"last_check_at"`
	NextCheckAt    string `json:"next_check_at"`
	Failures       int    `json:"failures"`
	LastError      string `json:"last_error"`
	TroubledSince  string `json:"troubled_since"`
	TroubledChecks int    `json:"troubled_checks"`
	BaselineID     int64  `json:"baseline_snapshot_id"`
}

func toAPISource(st store.SourceState) apiSource {
	v := viewSource(st)
	return apiSource{Name: st.Name, Status: v.Status, LastCheckAt: apiTime(st.LastCheckAt), NextCheckAt: apiTime(st.NextCheckAt),
		Failures: st.Failures, LastError: st.LastError, TroubledSince: apiTime(st.TroubledSince),
		TroubledChecks: st.TroubledChecks, BaselineID: st.BaselineID}
}

type apiEvent struct {
	ID                 int64   `json:"id"`
	Source             string  `json:"source"`
	Kind               string  `json:"kind"`
	At                 string  `json:"at"`
	RunID              string  `json:"run_id"`
	ItemID             string  `json:"item_id,omitempty"`
	ItemKey            string  `json:"item_key,omitempty"`
	SnapshotID         int64   `json:"snapshot_id,omitempty"`
	PreviousSnapshotID int64   `json:"previous_snapshot_id,omitempty"`
	Significance       float64 `json:"significance"`
	// Title and URL are the item's; Note what the pages say beside it.
	Title  string `json:"title,omitempty"`
	URL    string `json:"url,omitempty"`
	Note   string `json:"note,omitempty"`
	Reason string `json:"reason,omitempty"`
	Error  string `json:"error,omitempty"`
	// Item (new, reappeared, removed) or Change (changed, suppressed),
	// in the report schema.
	Item   any `json:"item,omitempty"`
	Change any `json:"change,omitempty"`
}

// apiItem is an item of a source's baseline: its id in the archive and
// the item in the report schema.
type apiItem struct {
	ItemID string `json:"item_id"`
	Item   any    `json:"item"`
}

func toAPIEvent(ev store.Event) apiEvent {
	v := viewEvent(ev, false)
	out := apiEvent{ID: ev.ID, Source: ev.Source, Kind: ev.Kind, At: apiTime(ev.At), RunID: ev.RunID, ItemKey: ev.ItemKey,
		ItemID: v.ItemID, SnapshotID: ev.SnapshotID, PreviousSnapshotID: ev.PreviousSnapshotID,
		Significance: float64(int(ev.Significance*100+0.5)) / 100, Title: v.Title, URL: v.Href, Note: v.Note}
	if d, err := monitor.ReadEvent(ev); err == nil {
		out.Reason, out.Error = d.Reason, d.Error
		switch {
		case d.Item != nil:
			out.Item = reports.ItemJSON(*d.Item)
		case d.Change != nil:
			out.Change = reports.ChangeJSON(*d.Change, d.Reason)
		}
	}
	return out
}

func apiTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// limit reads ?limit= (1 to 500, default pageSize).
func limit(r *http.Request) (int, error) {
	l := r.URL.Query().Get("limit")
	if l == "" {
		return pageSize, nil
	}
	n, err := strconv.Atoi(l)
	if err != nil || n < 1 || n > 500 {
		return 0, badRequest("limit=%q is not a number from 1 to 500", l)
	}
	return n, nil
}

func (s *Server) apiSources(w http.ResponseWriter, r *http.Request) error {
	n, err := limit(r)
	if err != nil {
		return err
	}
	states, err := s.st.SourceStates(r.Context(), r.URL.Query().Get("after"), n+1)
	if err != nil {
		return err
	}
	next := ""
	if len(states) > n {
		states, next = states[:n], states[n-1].Name
	}
	return writeJSON(w, http.StatusOK, struct {
		Sources []apiSource `json:"sources"`
		Next    string      `json:"next"`
	}{mapped(states, toAPISource), next})
}

func (s *Server) apiSource(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	c, err := s.currentOf(r.Context(), name)
	if err != nil {
		return err
	}
	out := struct {
		apiSource
		URL    string            `json:"url"`
		Items  []apiItem         `json:"items"`
		Checks []store.CheckInfo `json:"checks"`
	}{toAPISource(*c.state), c.url, []apiItem{}, c.checks}
	for _, it := range c.items {
		out.Items = append(out.Items, apiItem{store.ItemID(name, it.Key()), reports.ItemJSON(it)})
	}
	if out.Checks == nil {
		out.Checks = []store.CheckInfo{}
	}
	return writeJSON(w, http.StatusOK, out)
}

// kinds are the event kinds ?kind= may name.
var kinds = map[string]bool{
	config.EventNew: true, config.EventChanged: true, config.EventRemoved: true, config.EventReappeared: true,
	config.EventMoved: true, config.EventSuppressed: true, config.EventBaseline: true, config.EventFailing: true,
	config.EventSuspect: true, config.EventAttention: true, config.EventRecovered: true,
}

// eventFilter reads ?source=&kind=&since=&cursor=&limit=.
func eventFilter(r *http.Request) (store.EventFilter, error) {
	q := r.URL.Query()
	f := store.EventFilter{Source: q.Get("source")}
	for _, k := range strings.Split(q.Get("kind"), ",") {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		if !kinds[k] {
			return f, badRequest("kind=%q is not an event kind", k)
		}
		f.Kinds = append(f.Kinds, k)
	}
	if since := q.Get("since"); since != "" {
		t, err := time.Parse(time.RFC3339, since)
		if err != nil {
			return f, badRequest("since=%q is not an RFC 3339 time (2025-12-09T00:00:00Z)", since)
		}
		f.Since = t
	}
	if c := q.Get("cursor"); c != "" {
		id, err := strconv.ParseInt(c, 10, 64)
		if err != nil || id <= 0 {
			return f, badRequest("cursor=%q is not a cursor this API gave", c)
		}
		f.Before = id
	}
	n, err := limit(r)
	f.Limit = n
	return f, err
}

func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) error {
	f, err := eventFilter(r)
	if err != nil {
		return err
	}
	n := f.Limit
	f.Limit = n + 1
	evs, err := s.st.FindEvents(r.Context(), f)
	if err != nil {
		return err
	}
	next := ""
	if len(evs) > n {
		evs, next = evs[:n], strconv.FormatInt(evs[n-1].ID, 10)
	}
	return writeJSON(w, http.StatusOK, struct {
		Events     []apiEvent `json:"events"`
		NextCursor string     `json:"next_cursor"`
	}{mapped(evs, toAPIEvent), next})
}

func (s *Server) apiVersions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := r.PathValue("id")
	source, key, err := store.ParseItemID(id)
	if err != nil {
		return err
	}
	vs, evs, err := s.versions(ctx, source, key)
	if err != nil {
		return err
	}
	out := struct {
		ItemID   string    `json:"item_id"`
		Source   string    `json:"source"`
		Key      string    `json:"key"`
		Title    string    `json:"title"`
		URL      string    `json:"url"`
		Versions []version `json:"versions"`
	}{ItemID: id, Source: source, Key: key, Versions: vs}
	if out.Versions == nil {
		out.Versions = []version{}
	}
	if len(evs) > 0 {
		v := viewEvent(evs[len(evs)-1], false)
		out.Title, out.URL = v.Title, v.Href
	} else if len(vs) > 0 {
		si, err := s.st.Snapshot(ctx, vs[0].SnapshotID)
		if err != nil {
			return err
		}
		if it, ok, err := s.itemAt(ctx, si, key); err != nil {
			return err
		} else if ok {
			out.Title, out.URL = label(it), reports.SafeURL(it.URL)
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiDiff(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := r.PathValue("id")
	source, key, err := store.ParseItemID(id)
	if err != nil {
		return err
	}
	vs, _, err := s.versions(ctx, source, key)
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		return notFound("the item has no stored version")
	}
	c, err := s.compare(ctx, r, source, key, vs)
	if err != nil {
		return err
	}
	out := struct {
		ItemID string  `json:"item_id"`
		From   version `json:"from"`
		To     version `json:"to"`
		Same   bool    `json:"same"`
		Change any     `json:"change"`
	}{ItemID: id, From: c.From, To: c.To, Same: c.Same}
	if !c.Same {
		out.Change = reports.ChangeJSON(c.Change, "")
	}
	return writeJSON(w, http.StatusOK, out)
}

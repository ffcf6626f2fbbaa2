package monitor

import (
	"encoding/json"
	"fmt"
	gojson "github.com/goccy/go-json"
	"iter"
	"time"

	"github.com/pubwatch/pubwatch/config"
	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/snapshot"
	"github.com/pubwatch/pubwatch/store"
)

// EventData is an event's stored form (store.Event's Data, as JSON): what
// a report or the archive needs to render it. Only the fields of its kind
// are set.
type EventData struct {
	// URL is the source's, as shown.
	URL    string         `json:"url,omitempty"`
	Item   *snapshot.Item `json:"item,omitempty"`
	Change *diff.Change   `json:"change,omitempty"`
	Move   *diff.Move     `json:"move,omitempty"`
	// Reason: why an item was removed or a change suppressed, why a
	// check was suspect.
	Reason string `json:"reason,omitempty"`
	// Error, Failures and Since describe a failing source.
	Error    string    `json:"error,omitempty"`
	Failures int       `json:"failures,omitempty"`
	Since    time.Time `json:"since,omitzero"`
	// Items is a baseline's size.
	Items int `json:"items,omitempty"`
}

// ReadEvent decodes an event's data.
func ReadEvent(ev store.Event) (EventData, error) {
	var d EventData
	if err := gojson.Unmarshal(ev.Data, &d); err != nil {
		return d, fmt.Errorf("event %d: %w", ev.ID, err)
	}
	return d, nil
}

// lean is an item as an event keeps it: without the article body, which
// the snapshot holds and the diffs show where it changed.
func lean(it snapshot.Item) *snapshot.Item {
	it.Body = ""
	return &it
}

// leanChange is a change as an event keeps it: the item without its body,
// the previous state only as the diffs show it.
func leanChange(c diff.Change) *diff.Change {
	c.Item = *lean(c.Item)
	c.Previous = snapshot.Item{}
	return &c
}

// newEvent encodes one event of a check.
func newEvent(kind, key string, significance float64, d EventData) store.Event {
	b, err := json.Marshal(d)
	if err != nil {
		// Items, changes and moves are plain strings and numbers.
		panic(fmt.Sprintf("encoding a %s event: %v", kind, err))
	}
	return store.Event{Kind: kind, ItemKey: key, Significance: significance, Data: b}
}

// changeEvents are the events of a change set, in report order.
func changeEvents(url string, cs *diff.ChangeSet) []store.Event {
	var out []store.Event
	for _, it := range cs.New {
		out = append(out, newEvent(config.EventNew, it.Key(), 1, EventData{URL: url, Item: lean(it)}))
	}
	for _, it := range cs.Reappeared {
		out = append(out, newEvent(config.EventReappeared, it.Key(), 1, EventData{URL: url, Item: lean(it)}))
	}
	for _, c := range cs.Changed {
		out = append(out, newEvent(config.EventChanged, c.Item.Key(), c.Significance, EventData{URL: url, Change: leanChange(c)}))
	}
	for _, it := range cs.Removed {
		out = append(out, newEvent(config.EventRemoved, it.Key(), 1, EventData{URL: url, Item: lean(it), Reason: cs.Reason(it)}))
	}
	for _, m := range cs.Moved {
		m.Item = *lean(m.Item)
		out = append(out, newEvent(config.EventMoved, m.Item.Key(), 0, EventData{URL: url, Move: &m}))
	}
	for _, s := range cs.Suppressed {
		out = append(out, newEvent(config.EventSuppressed, s.Item.Key(), s.Significance, EventData{URL: url, Change: leanChange(s.Change), Reason: s.Reason}))
	}
	return out
}

// events are what a good or suspect check found: its changes, the
// baseline it made, the source turning suspect, or recovering.
func (m *Monitor) events(src *config.Source, out *reports.Source, trouble *store.SourceState) []store.Event {
	var evs []store.Event
	switch out.Status {
	case reports.StatusSuspect:
		// Suspect checks in a row are one piece of news.
		if trouble == nil || trouble.SuspectSince.IsZero() {
			evs = append(evs, newEvent(config.EventSuspect, "", 1, EventData{URL: src.Location(), Reason: out.Reason}))
		}
		if ev, ok := m.escalation(src, trouble, out.Reason); ok {
			evs = append(evs, ev)
		}
		return evs
	case reports.StatusFirst:
		evs = append(evs, newEvent(config.EventBaseline, "", 1, EventData{URL: src.Location(), Items: out.Items, Reason: out.Reason}))
	default:
		evs = changeEvents(src.Location(), &out.Changes)
	}
	if trouble != nil {
		// out.Reason, if any, says how (accepted as the site's new state).
		evs = append([]store.Event{recoveredEvent(src, trouble, out.Reason)}, evs...)
	}
	return evs
}

// escalation is the event of a failing or suspect check that makes its
// source need attention: the first of its troubled checks in a row to
// pass the source's attention_checks or attention_after. why is this
// check's error or reason.
func (m *Monitor) escalation(src *config.Source, trouble *store.SourceState, why string) (store.Event, bool) {
	now := m.now()
	since, before := now, 0
	var elapsed time.Duration
	if trouble != nil && trouble.TroubledChecks > 0 {
		since, before = trouble.TroubledSince, trouble.TroubledChecks
		if trouble.LastCheckAt.After(since) {
			elapsed = trouble.LastCheckAt.Sub(since)
		}
	}
	reached := func(checks int, d time.Duration) bool {
		return checks >= src.Trust.AttentionChecks || d >= src.Trust.AttentionAfter
	}
	if !reached(before+1, now.Sub(since)) || (before > 0 && reached(before, elapsed)) {
		return store.Event{}, false
	}
	return newEvent(config.EventAttention, "", 1, EventData{URL: src.Location(), Reason: why, Failures: before + 1, Since: since}), true
}

// recoveredEvent is the event of a good check of a troubled source.
// reason, if not "", says how.
func recoveredEvent(src *config.Source, trouble *store.SourceState, reason string) store.Event {
	d := EventData{URL: src.Location(), Failures: trouble.Failures, Since: trouble.FailingSince, Error: trouble.LastError, Reason: reason}
	if trouble.Failures == 0 {
		d.Since = trouble.SuspectSince
	}
	return newEvent(config.EventRecovered, "", 1, d)
}

// entry is one source's part of a report rebuilt from the log.
type entry struct {
	src *reports.Source
	cs  diff.ChangeSet
}

// add puts an event into the entry.
func (e *entry) add(ev store.Event) error {
	// (goccy/go-json reads what encoding/json does, faster: a report
	// reads every event of its run.)
	d, err := ReadEvent(ev)
	if err != nil {
		return err
	}
	s, cs := e.src, &e.cs
	if s.URL == "" {
		s.URL = d.URL
	}
	switch ev.Kind {
	case config.EventNew, config.EventReappeared, config.EventRemoved:
		if d.Item == nil {
			return fmt.Errorf("event %d: %s without its item", ev.ID, ev.Kind)
		}
		switch ev.Kind {
		case config.EventNew:
			cs.New = append(cs.New, *d.Item)
		case config.EventReappeared:
			cs.Reappeared = append(cs.Reappeared, *d.Item)
		default:
			cs.Removed = append(cs.Removed, *d.Item)
			if d.Reason != "" {
				if cs.Reasons == nil {
					cs.Reasons = map[string]string{}
				}
				cs.Reasons[d.Item.Key()] = d.Reason
			}
		}
	case config.EventChanged, config.EventSuppressed:
		if d.Change == nil {
			return fmt.Errorf("event %d: %s without its change", ev.ID, ev.Kind)
		}
		if ev.Kind == config.EventChanged {
			cs.Changed = append(cs.Changed, *d.Change)
		} else {
			cs.Suppressed = append(cs.Suppressed, diff.Suppressed{Change: *d.Change, Reason: d.Reason})
		}
	case config.EventMoved:
		if d.Move == nil {
			return fmt.Errorf("event %d: moved without its move", ev.ID)
		}
		cs.Moved = append(cs.Moved, *d.Move)
	case config.EventBaseline:
		s.Items, s.Reason = d.Items, d.Reason
	case config.EventFailing:
		s.Transition = reports.TransitionFailing
		s.Error, s.Failures, s.FailingSince = d.Error, d.Failures, d.Since
	case config.EventSuspect:
		s.Transition, s.Reason = reports.TransitionSuspect, d.Reason
	case config.EventAttention:
		s.Transition = reports.TransitionAttention
		if s.Reason == "" && s.Error == "" {
			s.Reason = d.Reason
		}
	case config.EventRecovered:
		s.Transition = reports.TransitionRecovered
		if d.Reason != "" {
			s.Reason = d.Reason
		}
	default:
		return fmt.Errorf("event %d: unknown kind %q", ev.ID, ev.Kind)
	}
	return nil
}

// fromLog puts the events into report entries: those found by the run's
// own checks (run.ID) into its sources, those of interrupted runs into
// entries of their own after them, one for each run and source, marked
// with the run that found them. An event of the run's own for a source
// the run does not list makes an entry too (a notification's run lists
// none: its entries are its events'). keep, if not nil, picks the events.
// An event that cannot be read is left out, with a warning naming its
// source: one bad entry does not cost a run its report.
// A check's events are consecutive in the log: once a run's events pass
// packAfter bytes, each entry is packed when its events are read, so a
// large run is not held unpacked.
func (m *Monitor) fromLog(run *reports.Run, events iter.Seq2[store.Event, error], keep func(store.Event) bool) error {
	type key struct{ run, source string }
	entries := make(map[key]*entry, len(run.Sources))
	for i := range run.Sources {
		// The run's own changes are the log's, whatever it held.
		run.Sources[i].SetChanges(diff.ChangeSet{})
		entries[key{run.ID, run.Sources[i].Name}] = &entry{src: &run.Sources[i]}
	}
	var added []*entry
	var last *entry
	read := 0
	for ev, err := range events {
		if err != nil {
			return err
		}
		if keep != nil && !keep(ev) {
			continue
		}
		k := key{ev.RunID, ev.Source}
		e := entries[k]
		if e == nil {
			e = &entry{src: &reports.Source{Name: ev.Source, Status: ev.CheckStatus,
				SnapshotID: ev.SnapshotID, PreviousSnapshotID: ev.PreviousSnapshotID}}
			if ev.RunID != run.ID {
				e.src.FoundBy, e.src.FoundAt = ev.RunID, ev.At
			}
			entries[k], added = e, append(added, e)
		}
		read += len(ev.Data)
		if e != last {
			if last != nil {
				last.finish(read > packAfter)
			}
			if err := e.unpack(); err != nil {
				return err
			}
			last = e
		}
		if err := e.add(ev); err != nil {
			m.logger().Warn("leaving out an event that cannot be read", "source", ev.Source, "run", ev.RunID, "error", err)
		}
	}
	if last != nil {
		last.finish(read > packAfter)
	}
	for _, e := range added {
		run.Sources = append(run.Sources, *e.src)
	}
	return nil
}

// packAfter is how many bytes of events a report reads before it packs
// its entries: below, packing costs more time than the memory is worth.
const packAfter = 16 << 20

// finish moves the entry's changes into its source, compressed if pack.
func (e *entry) finish(pack bool) {
	e.src.SetChanges(e.cs)
	e.cs = diff.ChangeSet{}
	if pack {
		// Packing only saves memory: a source it fails on stays as it is.
		_ = e.src.Pack()
	}
}

// unpack takes back the changes finish gave the source, to add to them
// (a check's events are consecutive, so this is rare).
func (e *entry) unpack() error {
	s, err := e.src.Unpacked()
	if err != nil {
		return err
	}
	e.cs = s.Changes
	e.src.SetChanges(diff.ChangeSet{})
	return nil
}

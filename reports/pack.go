package reports

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/klauspost/compress/s2"

	"github.com/pubwatch/pubwatch/diff"
)

// A run of thousands of changed sources holds their changes until its
// reports are written: titles, summaries, bodies and diffs, tens of
// megabytes. Pack keeps a source's changes compressed instead (about a
// quarter of the size) with their counts beside them, and Unpacked restores
// them one source at a time while a report is written.

// Tally counts a source's changes, so that a packed source still answers
// how many there are.
type Tally struct {
	New, Reappeared, Changed, Removed, Moved, Suppressed int
}

// Events is how many events the tally counts.
func (t Tally) Events() int {
	return t.New + t.Reappeared + t.Changed + t.Removed + t.Moved + t.Suppressed
}

func tallyOf(cs *diff.ChangeSet) Tally {
	return Tally{len(cs.New), len(cs.Reappeared), len(cs.Changed), len(cs.Removed), len(cs.Moved), len(cs.Suppressed)}
}

// Tally returns the source's change counts, packed or not.
func (s *Source) Tally() Tally { return s.counts() }

// counts returns the source's change counts, packed (or forgotten) or not.
func (s *Source) counts() Tally {
	if s.packed != nil || s.forgotten {
		return s.tally
	}
	return tallyOf(&s.Changes)
}

// SetChanges gives the source its changes, unpacked, in place of any it
// had, packed or forgotten.
func (s *Source) SetChanges(cs diff.ChangeSet) {
	s.Changes, s.packed, s.forgotten, s.tally = cs, nil, false, Tally{}
}

// Forget drops the source's changes and keeps their counts: the changes
// are kept elsewhere (the event log) and read back from there.
func (s *Source) Forget() {
	if s.packed == nil && !s.forgotten {
		s.tally = tallyOf(&s.Changes)
	}
	s.Changes, s.packed, s.forgotten = diff.ChangeSet{}, nil, true
}

// Pack compresses the source's changes in memory; Changes is then empty
// until Unpacked. A source without changes, or one Pack fails on, is left
// as it is.
func (s *Source) Pack() error {
	cs := &s.Changes
	if s.packed != nil || tallyOf(cs) == (Tally{}) && len(cs.Unfollowed) == 0 && len(cs.Reasons) == 0 {
		return nil
	}
	b, err := json.Marshal(&s.Changes)
	if err != nil {
		return fmt.Errorf("packing the changes of %s: %w", s.Name, err)
	}
	s.tally = tallyOf(&s.Changes)
	// Encode returns a slice with room for the worst case, larger than
	// the input; only the compressed bytes are kept.
	s.packed = bytes.Clone(s2.Encode(nil, b))
	s.Changes = diff.ChangeSet{}
	return nil
}

// Unpacked returns the source with its changes, decoded if it was packed.
// A source whose changes were forgotten has none to give: that is an
// error, not an empty change set.
func (s Source) Unpacked() (Source, error) {
	if s.forgotten && s.tally.Events() > 0 {
		return s, fmt.Errorf("the changes of %s were not kept (read them from the event log)", s.Name)
	}
	if s.packed == nil {
		return s, nil
	}
	b, err := s2.Decode(nil, s.packed)
	if err != nil {
		return s, fmt.Errorf("unpacking the changes of %s: %w", s.Name, err)
	}
	if err := json.Unmarshal(b, &s.Changes); err != nil {
		return s, fmt.Errorf("unpacking the changes of %s: %w", s.Name, err)
	}
	s.packed = nil
	return s, nil
}

package ss12000

import (
	"errors"
	"maps"
	"time"

	wire "github.com/elevsynk/elevsynk/internal/source/ss12000"
)

// ErrNotFound is returned by mutations naming an id the store lacks.
var ErrNotFound = errors.New("sandbox: no such entity")

// Put stores entities as they are (ids must be set), stamping a zero
// meta with the clock. It does not record anything as changed beyond
// that; use the mutations to emulate register edits.
func (s *Server) Put(st *wire.State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	for id, x := range st.Organisations {
		x.Meta = stamp(x.Meta, now)
		s.orgs[id] = x
	}
	for id, x := range st.Persons {
		x.Meta = stamp(x.Meta, now)
		s.persons[id] = x
	}
	for id, x := range st.Groups {
		x.Meta = stamp(x.Meta, now)
		s.groups[id] = x
	}
	for id, x := range st.Duties {
		x.Meta = stamp(x.Meta, now)
		s.duties[id] = x
	}
	for id, x := range st.Activities {
		x.Meta = stamp(x.Meta, now)
		s.activities[id] = x
	}
	for id, x := range st.Syllabuses {
		x.Meta = stamp(x.Meta, now)
		s.syllabuses[id] = x
	}
	s.version++
}

func stamp(m wire.Meta, now time.Time) wire.Meta {
	if m.Created.IsZero() {
		m.Created = now
	}
	if m.Modified.IsZero() {
		m.Modified = m.Created
	}
	return m
}

// Snapshot returns the data as served, in the client's State shape, so a
// test can cmp.Diff it against what the client fetched.
func (s *Server) Snapshot() *wire.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &wire.State{
		Organisations: maps.Clone(s.orgs),
		Persons:       maps.Clone(s.persons),
		Groups:        maps.Clone(s.groups),
		Duties:        maps.Clone(s.duties),
		Activities:    maps.Clone(s.activities),
		Syllabuses:    maps.Clone(s.syllabuses),
	}
}

// Clear empties the register (and the deletion log, tokens and counters):
// the "empty register" fault real vendors produce during a school-year
// rollover or a failed import.
func (s *Server) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reset()
}

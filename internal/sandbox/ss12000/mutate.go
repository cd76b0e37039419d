package ss12000

import (
	"slices"
	"time"

	wire "github.com/elevsynk/elevsynk/internal/source/ss12000"
)

// Mutations emulate edits in the register. Each one sets meta.modified of
// every entity whose own attributes it changes to the clock's now; the
// spec says modified follows changes to attributes that belong directly to
// the entity (components/schemas/Meta, property modified), and a group's
// groupMemberships are such an attribute (components/schemas/Group_allOf).

func civil(t time.Time) string { return t.Format(time.DateOnly) }

// MovePupil ends the person's open membership in group from the day
// before on and starts one in group to on on: a pupil changing class.
func (s *Server) MovePupil(personID, from, to string, on time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	gf, ok1 := s.groups[from]
	gt, ok2 := s.groups[to]
	if _, ok3 := s.persons[personID]; !ok1 || !ok2 || !ok3 {
		return ErrNotFound
	}
	now := s.opts.Now()
	gf.GroupMemberships = slices.Clone(gf.GroupMemberships)
	for i, m := range gf.GroupMemberships {
		if m.Person.ID == personID && (m.EndDate == "" || m.EndDate >= civil(on)) {
			gf.GroupMemberships[i].EndDate = civil(on.AddDate(0, 0, -1))
		}
	}
	gt.GroupMemberships = append(slices.Clone(gt.GroupMemberships), wire.GroupMembership{
		Person: wire.ObjectReference{ID: personID}, StartDate: civil(on),
	})
	gf.Meta.Modified, gt.Meta.Modified = now, now
	s.groups[from], s.groups[to] = gf, gt
	s.version++
	return nil
}

// AddMembership adds the person to the group from start on.
func (s *Server) AddMembership(groupID, personID string, start time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[groupID]
	if _, ok2 := s.persons[personID]; !ok || !ok2 {
		return ErrNotFound
	}
	g.GroupMemberships = append(slices.Clone(g.GroupMemberships), wire.GroupMembership{
		Person: wire.ObjectReference{ID: personID}, StartDate: civil(start),
	})
	g.Meta.Modified = s.opts.Now()
	s.groups[groupID] = g
	s.version++
	return nil
}

// EndGroup sets the group's end date, and ends its open memberships then.
func (s *Server) EndGroup(groupID string, on time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[groupID]
	if !ok {
		return ErrNotFound
	}
	g.EndDate = civil(on)
	g.GroupMemberships = slices.Clone(g.GroupMemberships)
	for i, m := range g.GroupMemberships {
		if m.EndDate == "" || m.EndDate > civil(on) {
			g.GroupMemberships[i].EndDate = civil(on)
		}
	}
	g.Meta.Modified = s.opts.Now()
	s.groups[groupID] = g
	s.version++
	return nil
}

// RenameGroup changes the group's displayName.
func (s *Server) RenameGroup(groupID, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[groupID]
	if !ok {
		return ErrNotFound
	}
	g.DisplayName = name
	g.Meta.Modified = s.opts.Now()
	s.groups[groupID] = g
	s.version++
	return nil
}

// AddPerson adds a person created now (the id must be new).
func (s *Server) AddPerson(p wire.Person) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.persons[p.ID]; dup || p.ID == "" {
		return ErrNotFound
	}
	now := s.opts.Now()
	p.Meta = wire.Meta{Created: now, Modified: now}
	s.persons[p.ID] = p
	s.version++
	return nil
}

// DeletePerson removes the person and their duties, records both in the
// deletion log, and drops the references others held: memberships in
// groups and teacher assignments on activities, bumping those entities.
func (s *Server) DeletePerson(personID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.persons[personID]; !ok {
		return ErrNotFound
	}
	now := s.opts.Now()
	delete(s.persons, personID)
	s.deletions = append(s.deletions, deletion{entity: "Person", id: personID, at: now})
	gone := map[string]bool{}
	for id, d := range s.duties {
		if d.Person != nil && d.Person.ID == personID {
			delete(s.duties, id)
			gone[id] = true
			s.deletions = append(s.deletions, deletion{entity: "Duty", id: id, at: now})
		}
	}
	for id, g := range s.groups {
		kept := slices.DeleteFunc(slices.Clone(g.GroupMemberships), func(m wire.GroupMembership) bool { return m.Person.ID == personID })
		if len(kept) != len(g.GroupMemberships) {
			g.GroupMemberships, g.Meta.Modified = nilIfEmpty(kept), now
			s.groups[id] = g
		}
	}
	for id, a := range s.activities {
		kept := slices.DeleteFunc(slices.Clone(a.Teachers), func(t wire.DutyAssignment) bool { return gone[t.Duty.ID] })
		if len(kept) != len(a.Teachers) {
			a.Teachers, a.Meta.Modified = nilIfEmpty(kept), now
			s.activities[id] = a
		}
	}
	s.version++
	return nil
}

// DeleteGroup removes a group, records it, and drops it from activities
// and from duties' assignment roles.
func (s *Server) DeleteGroup(groupID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.groups[groupID]; !ok {
		return ErrNotFound
	}
	now := s.opts.Now()
	delete(s.groups, groupID)
	s.deletions = append(s.deletions, deletion{entity: "Group", id: groupID, at: now})
	for id, a := range s.activities {
		kept := slices.DeleteFunc(slices.Clone(a.Groups), func(g wire.ObjectReference) bool { return g.ID == groupID })
		if len(kept) != len(a.Groups) {
			a.Groups, a.Meta.Modified = kept, now
			s.activities[id] = a
		}
	}
	for id, d := range s.duties {
		kept := slices.DeleteFunc(slices.Clone(d.AssignmentRole), func(r wire.AssignmentRole) bool { return r.Group.ID == groupID })
		if len(kept) != len(d.AssignmentRole) {
			d.AssignmentRole, d.Meta.Modified = nilIfEmpty(kept), now
			s.duties[id] = d
		}
	}
	s.version++
	return nil
}

// nilIfEmpty keeps Snapshot equal to what a client decodes: an empty list
// is omitted on the wire (omitempty) and so decodes as nil.
func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

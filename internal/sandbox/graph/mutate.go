package graph

import (
	"errors"
	"slices"
)

// ErrNotFound is returned by mutations and views for an unknown id.
var ErrNotFound = errors.New("not found")

// Mutations emulate what teachers and admins do by hand in Teams and the
// admin centres; they go through the change log, so delta sees them.

// RenameGroup sets the display name, as a teacher renaming a team does.
func (s *Server) RenameGroup(id, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[id]
	if g == nil {
		return ErrNotFound
	}
	g.displayName = name
	s.logChange(change{group: id})
	return nil
}

// AddMember adds a user to a group, as a teacher adding a pupil does.
func (s *Server) AddMember(groupID, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[groupID]
	if g == nil || s.users[userID] == nil {
		return ErrNotFound
	}
	s.addMember(g, userID)
	return nil
}

// ArchiveTeam archives a provisioned team at once. Archiving changes the
// team, not the group, so delta does not see it.
func (s *Server) ArchiveTeam(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.provisioned(id)
	if g == nil {
		return ErrNotFound
	}
	g.team.archived = true
	return nil
}

// Group is a read-only view of a group for tests.
type Group struct {
	ID, DisplayName, Description, MailNickname, UniqueName string
	Unified, SecurityEnabled                               bool
	Members, Owners                                        []string // user ids
	// ClassExternalID is set for education classes.
	IsClass         bool
	ClassExternalID string
	// Team says a team is provisioned; TeamTemplate and Archived describe it.
	Team         bool
	TeamTemplate string
	Archived     bool
}

// Groups returns every group, sorted by id.
func (s *Server) Groups() []Group {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	var out []Group
	for _, g := range s.sortedGroups() {
		v := Group{ID: g.id, DisplayName: g.displayName, Description: g.description, MailNickname: g.mailNickname,
			UniqueName: g.uniqueName, Unified: g.unified, SecurityEnabled: g.securityEnabled,
			Members: slices.Clone(g.members), Owners: slices.Clone(g.owners)}
		if g.class != nil {
			v.IsClass, v.ClassExternalID = true, g.class.externalID
		}
		if g.team != nil && g.team.provisioned {
			v.Team, v.TeamTemplate, v.Archived = true, g.team.template, g.team.archived
		}
		out = append(out, v)
	}
	return out
}

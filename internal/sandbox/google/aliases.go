package google

import (
	"net/http"
	"slices"
)

type aliasJSON struct {
	Alias string `json:"alias,omitempty"`
}

// createAlias: "NOT_FOUND if the course does not exist. ALREADY_EXISTS if
// the alias already exists" (Classroom reference, courses.aliases.create).
func (s *Server) createAlias(c *call) {
	var in aliasJSON
	if !c.decode(&in) {
		return
	}
	if !validAlias(in.Alias) {
		c.fail(http.StatusBadRequest, "INVALID_ARGUMENT", "", "invalid alias")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.pathCourse(c)
	if co == nil {
		return
	}
	if _, ok := s.aliases[in.Alias]; ok {
		c.fail(http.StatusConflict, "ALREADY_EXISTS", "", "Requested entity already exists")
		return
	}
	s.aliases[in.Alias] = co.id
	co.aliases = append(co.aliases, in.Alias)
	slices.Sort(co.aliases)
	s.wrote(c)
	c.ok(in)
}

// listAliases pages a course's aliases in alias order (Classroom
// reference, courses.aliases.list).
func (s *Server) listAliases(c *call) {
	list := "aliases/" + c.seg[2]
	size, after, ok := s.pageArgs(c, list)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.pathCourse(c)
	if co == nil {
		return
	}
	entries := make([]entry[string], len(co.aliases))
	for i, a := range co.aliases {
		entries[i] = entry[string]{a, a}
	}
	pg, next := page(entries, list, after, size)
	out := struct {
		Aliases       []aliasJSON `json:"aliases,omitempty"`
		NextPageToken string      `json:"nextPageToken,omitempty"`
	}{NextPageToken: next}
	for _, e := range pg {
		out.Aliases = append(out.Aliases, aliasJSON{Alias: e.v})
	}
	c.ok(out)
}

// deleteAlias: "NOT_FOUND if the alias does not exist" (Classroom
// reference, courses.aliases.delete).
func (s *Server) deleteAlias(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.course(c.seg[2])
	alias := c.seg[4]
	if co == nil || s.aliases[alias] != co.id {
		notFound(c)
		return
	}
	delete(s.aliases, alias)
	co.aliases = slices.DeleteFunc(co.aliases, func(a string) bool { return a == alias })
	s.wrote(c)
	c.empty()
}

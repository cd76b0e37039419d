package google

import (
	"net/http"
	"slices"
	"strings"
)

// memberJSON is the Member resource (Directory reference, members).
type memberJSON struct {
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Email  string `json:"email"`
	Role   string `json:"role"`
	Type   string `json:"type"`
	Status string `json:"status"`
}

func memberOut(u *User, m *member) memberJSON {
	return memberJSON{Kind: "admin#directory#member", ID: u.ID, Email: u.Email, Role: m.role, Type: "USER", Status: "ACTIVE"}
}

// validRole: "OWNER, MANAGER, MEMBER" (Directory reference, Member.role).
func validRole(r string) bool { return r == "OWNER" || r == "MANAGER" || r == "MEMBER" }

// insertMember adds a user by e-mail or id with a role (MEMBER when left
// out). An existing member is 409 duplicate "Member already exists."; an
// unknown user 404. Only users are emulated, not nested groups or
// external addresses.
func (s *Server) insertMember(c *call) {
	var in struct {
		Email, ID, Role string
	}
	if !c.decode(&in) {
		return
	}
	if in.Role == "" {
		in.Role = "MEMBER"
	}
	if !validRole(in.Role) {
		c.fail(http.StatusBadRequest, "", "invalid", "Invalid Input: role")
		return
	}
	key := in.Email
	if key == "" {
		key = in.ID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.group(c.seg[4])
	if g == nil {
		c.fail(http.StatusNotFound, "", "notFound", "Resource Not Found: groupKey")
		return
	}
	u := s.user(key)
	if u == nil {
		c.fail(http.StatusNotFound, "", "notFound", "Resource Not Found: memberKey")
		return
	}
	if _, ok := g.members[u.ID]; ok {
		c.fail(http.StatusConflict, "", "duplicate", "Member already exists.")
		return
	}
	m := &member{role: in.Role, seq: s.bump()}
	g.members[u.ID] = m
	s.wrote(c)
	c.ok(memberOut(u, m))
}

// listMembers pages members in the order they joined, optionally only
// some roles ("roles ... Allowed values are OWNER, MANAGER, and MEMBER",
// comma-separated; Directory reference, members.list).
func (s *Server) listMembers(c *call) {
	list := "members/" + c.seg[4]
	var roles []string
	if v := c.r.URL.Query().Get("roles"); v != "" {
		roles = strings.Split(v, ",")
		for _, r := range roles {
			if !validRole(r) {
				c.fail(http.StatusBadRequest, "", "invalid", "Invalid Input: roles")
				return
			}
		}
	}
	size, after, ok := s.pageArgs(c, list)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.pathGroup(c)
	if g == nil {
		return
	}
	entries := make([]entry[string], 0, len(g.members)) // user ids
	for id, m := range g.members {
		if roles == nil || slices.Contains(roles, m.role) {
			entries = append(entries, entry[string]{seqKey(m.seq), id})
		}
	}
	pg, next := page(entries, list, after, size)
	out := struct {
		Kind          string       `json:"kind"`
		Members       []memberJSON `json:"members,omitempty"`
		NextPageToken string       `json:"nextPageToken,omitempty"`
	}{Kind: "admin#directory#members", NextPageToken: next}
	for _, e := range pg {
		out.Members = append(out.Members, memberOut(s.users[e.v], g.members[e.v]))
	}
	c.ok(out)
}

// groupMember finds the group and the member named by the path, or writes
// the 404; s.mu is held.
func (s *Server) groupMember(c *call) (*group, *User, *member) {
	g := s.group(c.seg[4])
	u := s.user(c.seg[6])
	if g == nil || u == nil || g.members[u.ID] == nil {
		c.fail(http.StatusNotFound, "", "notFound", "Resource Not Found: memberKey")
		return nil, nil, nil
	}
	return g, u, g.members[u.ID]
}

func (s *Server) getMember(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, u, m := s.groupMember(c); m != nil {
		c.ok(memberOut(u, m))
	}
}

// updateMember changes a member's role (members.patch, members.update).
func (s *Server) updateMember(c *call) {
	var in struct{ Role string }
	if !c.decode(&in) {
		return
	}
	if !validRole(in.Role) {
		c.fail(http.StatusBadRequest, "", "invalid", "Invalid Input: role")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, u, m := s.groupMember(c)
	if m == nil {
		return
	}
	m.role = in.Role
	s.wrote(c)
	c.ok(memberOut(u, m))
}

func (s *Server) deleteMember(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, u, m := s.groupMember(c)
	if m == nil {
		return
	}
	delete(g.members, u.ID)
	s.wrote(c)
	c.empty()
}

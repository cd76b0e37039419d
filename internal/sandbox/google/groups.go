package google

import (
	"net/http"
	"slices"
	"strings"
)

// CustomerID is the customer id the server answers to besides my_customer
// ("my_customer ... to represent your account's customerId", Directory
// reference, groups.list).
const CustomerID = "C0sandbox"

// group is one Directory group as the server keeps it.
type group struct {
	id, email, name, desc string
	aliases               []string // lower case, sorted
	members               map[string]*member
}

type member struct {
	role string
	seq  int64
}

// groupJSON is the Group resource (Directory reference, groups).
type groupJSON struct {
	Kind               string   `json:"kind"`
	ID                 string   `json:"id"`
	Email              string   `json:"email"`
	Name               string   `json:"name"`
	Description        string   `json:"description"`
	AdminCreated       bool     `json:"adminCreated"`
	DirectMembersCount string   `json:"directMembersCount"`
	Aliases            []string `json:"aliases,omitempty"`
}

func (g *group) json() groupJSON {
	return groupJSON{Kind: "admin#directory#group", ID: g.id, Email: g.email, Name: g.name, Description: g.desc,
		AdminCreated: true, DirectMembersCount: itoa(int64(len(g.members))), Aliases: slices.Clone(g.aliases)}
}

// group finds a group by groupKey: "the group's email address, group
// alias, or the unique group ID" (Directory reference, groups.get);
// s.mu is held.
func (s *Server) group(key string) *group {
	if g, ok := s.groups[key]; ok {
		return g
	}
	return s.groups[s.groupEmail[strings.ToLower(key)]]
}

// pathGroup finds the group the path names, or writes the 404; s.mu is
// held.
func (s *Server) pathGroup(c *call) *group {
	g := s.group(c.seg[4])
	if g == nil {
		notFound(c)
	}
	return g
}

// addressFree says whether e-mail is in the domain and unused by any user,
// group or alias; s.mu is held.
func (s *Server) addressFree(c *call, email string) bool {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || len(local) > 64 || domain != s.opts.Domain {
		c.fail(http.StatusBadRequest, "", "invalid", "Invalid Input: email")
		return false
	}
	_, isUser := s.byEmail[email]
	_, isGroup := s.groupEmail[email]
	if isUser || isGroup {
		c.fail(http.StatusConflict, "", "duplicate", "Entity already exists.")
		return false
	}
	return true
}

type groupIn struct {
	Email       *string `json:"email"`
	Name        *string `json:"name"`
	Description *string `json:"description"`
}

// insertGroup: "email ... The email must be unique. This property is
// required when creating a group" (Directory reference, Group.email); a
// taken address is 409 duplicate "Entity already exists.".
func (s *Server) insertGroup(c *call) {
	var in groupIn
	if !c.decode(&in) {
		return
	}
	if in.Email == nil {
		c.fail(http.StatusBadRequest, "", "required", "Missing required field: email")
		return
	}
	email := strings.ToLower(*in.Email)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.addressFree(c, email) {
		return
	}
	g := &group{id: "0" + s.newID(3000000000000), email: email, members: map[string]*member{}}
	if in.Name != nil {
		g.name = *in.Name
	}
	if in.Description != nil {
		g.desc = *in.Description
	}
	s.groups[g.id] = g
	s.groupEmail[email] = g.id
	s.wrote(c)
	c.ok(g.json())
}

func (s *Server) getGroup(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.pathGroup(c)
	if g == nil {
		return
	}
	c.ok(g.json())
}

// listGroups needs customer or domain ("You must provide either the
// customer or the domain parameter", Directory reference, groups.list)
// and pages in e-mail order.
func (s *Server) listGroups(c *call) {
	q := c.r.URL.Query()
	cust, domain := q.Get("customer"), strings.ToLower(q.Get("domain"))
	if (cust == "" && domain == "") || (cust != "" && cust != "my_customer" && cust != CustomerID) ||
		(domain != "" && domain != s.opts.Domain) {
		c.fail(http.StatusBadRequest, "", "badRequest", "Bad Request")
		return
	}
	size, after, ok := s.pageArgs(c, "groups")
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	entries := make([]entry[*group], 0, len(s.groups))
	for _, g := range s.groups {
		entries = append(entries, entry[*group]{g.email, g})
	}
	pg, next := page(entries, "groups", after, size)
	out := struct {
		Kind          string      `json:"kind"`
		Groups        []groupJSON `json:"groups,omitempty"`
		NextPageToken string      `json:"nextPageToken,omitempty"`
	}{Kind: "admin#directory#groups", NextPageToken: next}
	for _, e := range pg {
		out.Groups = append(out.Groups, e.v.json())
	}
	c.ok(out)
}

// updateGroup is groups.patch (only the fields sent change) and
// groups.update (PUT: fields left out are cleared, but email stays). A new
// e-mail must be free; with KeepOldGroupEmail the old one becomes an alias.
func (s *Server) updateGroup(c *call) {
	var in groupIn
	if !c.decode(&in) {
		return
	}
	put := c.r.Method == http.MethodPut
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.pathGroup(c)
	if g == nil {
		return
	}
	if in.Email != nil && strings.ToLower(*in.Email) != g.email {
		email := strings.ToLower(*in.Email)
		wasAlias := s.groupEmail[email] == g.id
		if !wasAlias && !s.addressFree(c, email) {
			return
		}
		old := g.email
		g.aliases = slices.DeleteFunc(g.aliases, func(a string) bool { return a == email })
		g.email = email
		s.groupEmail[email] = g.id
		if s.opts.KeepOldGroupEmail {
			g.aliases = append(g.aliases, old)
			slices.Sort(g.aliases)
		} else {
			delete(s.groupEmail, old)
		}
	}
	switch {
	case in.Name != nil:
		g.name = *in.Name
	case put:
		g.name = ""
	}
	switch {
	case in.Description != nil:
		g.desc = *in.Description
	case put:
		g.desc = ""
	}
	s.wrote(c)
	c.ok(g.json())
}

func (s *Server) deleteGroup(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.pathGroup(c)
	if g == nil {
		return
	}
	delete(s.groupEmail, g.email)
	for _, a := range g.aliases {
		delete(s.groupEmail, a)
	}
	delete(s.groups, g.id)
	s.wrote(c)
	c.empty()
}

type groupAliasJSON struct {
	Kind         string `json:"kind"`
	ID           string `json:"id"`
	PrimaryEmail string `json:"primaryEmail"`
	Alias        string `json:"alias"`
}

// insertGroupAlias adds an address (Directory reference,
// groups.aliases.insert); it must be free like a group e-mail.
func (s *Server) insertGroupAlias(c *call) {
	var in struct {
		Alias string `json:"alias"`
	}
	if !c.decode(&in) {
		return
	}
	alias := strings.ToLower(in.Alias)
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.pathGroup(c)
	if g == nil {
		return
	}
	if !s.addressFree(c, alias) {
		return
	}
	g.aliases = append(g.aliases, alias)
	slices.Sort(g.aliases)
	s.groupEmail[alias] = g.id
	s.wrote(c)
	c.ok(groupAliasJSON{Kind: "admin#directory#alias", ID: g.id, PrimaryEmail: g.email, Alias: alias})
}

// listGroupAliases answers every alias at once; groups.aliases.list has
// no paging parameters (Directory reference).
func (s *Server) listGroupAliases(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.pathGroup(c)
	if g == nil {
		return
	}
	out := struct {
		Kind    string           `json:"kind"`
		Aliases []groupAliasJSON `json:"aliases"`
	}{Kind: "admin#directory#aliases", Aliases: []groupAliasJSON{}}
	for _, a := range g.aliases {
		out.Aliases = append(out.Aliases, groupAliasJSON{Kind: "admin#directory#alias", ID: g.id, PrimaryEmail: g.email, Alias: a})
	}
	c.ok(out)
}

func (s *Server) deleteGroupAlias(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.group(c.seg[4])
	alias := strings.ToLower(c.seg[6])
	if g == nil || !slices.Contains(g.aliases, alias) {
		notFound(c)
		return
	}
	g.aliases = slices.DeleteFunc(g.aliases, func(a string) bool { return a == alias })
	delete(s.groupEmail, alias)
	s.wrote(c)
	c.empty()
}

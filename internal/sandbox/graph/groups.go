package graph

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

// groupWrite is the body of a group create, upsert or update
// (api/group-post-groups, api/group-upsert, api/group-update).
type groupWrite struct {
	DisplayName     *string  `json:"displayName"`
	Description     *string  `json:"description"`
	MailNickname    *string  `json:"mailNickname"`
	GroupTypes      []string `json:"groupTypes"`
	MailEnabled     *bool    `json:"mailEnabled"`
	SecurityEnabled *bool    `json:"securityEnabled"`
	Visibility      *string  `json:"visibility"`
	Members         []string `json:"members@odata.bind"`
	Owners          []string `json:"owners@odata.bind"`
}

// maxRelationships is the cap on owners plus members bound in one create or
// update: "you can add a maximum of 20 relationships" on create
// (concepts/teams-create-group-and-team) and "up to 20 members can be added
// in a single request" on update (api/group-post-members, example 2).
const maxRelationships = 20

func parseGroupWrite(body []byte) (groupWrite, error) {
	var w groupWrite
	if err := json.Unmarshal(body, &w); err != nil {
		return groupWrite{}, err
	}
	return w, nil
}

func badRequest(msg string) response {
	return errorResponse(http.StatusBadRequest, "Request_BadRequest", msg)
}

func notFound(msg string) response {
	return errorResponse(http.StatusNotFound, "Request_ResourceNotFound", msg)
}

// msgAlreadyExist is Graph's answer to binding a present member or owner;
// the whole request is refused ("If an error condition exists in the
// request body, no members are added", api/group-post-members).
const msgAlreadyExist = "One or more added object references already exist for the following modified properties: 'members'."

// msgNotReplicated is the answer to a member add that reaches a replica not
// yet knowing the new group (api/group-post-members: "might return a 400
// Bad Request error with the message …").
const msgNotReplicated = "The source resource object or one of the objects being referenced do not exist."

// resolveBinds turns bind URLs into user ids, or says why not.
func (s *Server) resolveBinds(urls []string) ([]string, *response) {
	out := make([]string, 0, len(urls))
	for _, u := range urls {
		id, ok := bindID(u)
		if !ok || s.users[id] == nil {
			r := badRequest("Resource '" + id + "' does not exist or one of its queried reference-property objects are not present.")
			return nil, &r
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// bind adds members and owners all-or-nothing under s.mu.
func (s *Server) bind(g *group, w groupWrite, creating bool) *response {
	if len(w.Members)+len(w.Owners) > maxRelationships {
		r := badRequest("Too many relationships in one request; at most 20 are allowed.")
		return &r
	}
	members, bad := s.resolveBinds(w.Members)
	if bad != nil {
		return bad
	}
	owners, bad := s.resolveBinds(w.Owners)
	if bad != nil {
		return bad
	}
	if len(members)+len(owners) == 0 {
		return nil
	}
	if !creating && s.young(g) {
		r := badRequest(msgNotReplicated)
		return &r
	}
	for _, id := range members {
		if g.isMember(id) {
			r := badRequest(msgAlreadyExist)
			return &r
		}
	}
	for _, id := range owners {
		if g.isOwner(id) {
			r := badRequest(strings.Replace(msgAlreadyExist, "'members'", "'owners'", 1))
			return &r
		}
	}
	for _, id := range members {
		s.addMember(g, id)
	}
	for _, id := range owners {
		g.owners = append(g.owners, id)
		s.logChange(change{group: g.id})
	}
	return nil
}

// create makes a group from a create body under s.mu, or says why not.
func (s *Server) create(w groupWrite, uniqueName string) (*group, *response) {
	if w.DisplayName == nil || w.MailNickname == nil || w.MailEnabled == nil || w.SecurityEnabled == nil {
		r := badRequest("displayName, mailNickname, mailEnabled and securityEnabled are required.")
		return nil, &r
	}
	unified := slices.Contains(w.GroupTypes, "Unified")
	// Only Microsoft 365 and security groups can be created; mail-enabled
	// security groups and distribution groups cannot (groups-overview,
	// "Group types in Microsoft Entra ID and Microsoft Graph").
	if !unified && *w.MailEnabled || unified && !*w.MailEnabled || !unified && !*w.SecurityEnabled {
		r := badRequest("Only Microsoft 365 groups and security groups can be created.")
		return nil, &r
	}
	if !validNickname(*w.MailNickname) || *w.DisplayName == "" || len(*w.DisplayName) > 256 {
		r := badRequest("Invalid value specified for property 'mailNickname' or 'displayName'.")
		return nil, &r
	}
	if unified && s.nicknameTaken(*w.MailNickname, "") {
		r := badRequest("Another object with the same value for property mailNickname already exists.")
		return nil, &r
	}
	g := &group{id: s.newID('g'), displayName: *w.DisplayName, mailNickname: *w.MailNickname, uniqueName: uniqueName,
		unified: unified, mailEnabled: *w.MailEnabled, securityEnabled: *w.SecurityEnabled, created: s.opts.Now()}
	if w.Description != nil {
		g.description = *w.Description
	}
	g.visibility = "Public"
	if w.Visibility != nil {
		g.visibility = *w.Visibility
	}
	if bad := s.bind(g, w, true); bad != nil {
		return nil, bad
	}
	s.groups[g.id] = g
	s.indexGroup(g)
	s.sorted = nil
	s.logChange(change{group: g.id})
	return g, nil
}

// update applies the writable properties and binds of w under s.mu. Type
// properties of an existing group are left alone.
func (s *Server) update(g *group, w groupWrite) *response {
	if w.MailNickname != nil && (!validNickname(*w.MailNickname) || g.unified && s.nicknameTaken(*w.MailNickname, g.id)) {
		r := badRequest("Invalid or taken value for property 'mailNickname'.")
		return &r
	}
	if w.DisplayName != nil && (*w.DisplayName == "" || len(*w.DisplayName) > 256) {
		r := badRequest("Invalid value specified for property 'displayName'.")
		return &r
	}
	if bad := s.bind(g, w, false); bad != nil {
		return bad
	}
	changed := false
	set := func(dst *string, v *string) {
		if v != nil && *dst != *v {
			*dst, changed = *v, true
		}
	}
	if w.MailNickname != nil && *w.MailNickname != g.mailNickname {
		s.unindexGroup(g)
		g.mailNickname = *w.MailNickname
		s.indexGroup(g)
		changed = true
	}
	set(&g.displayName, w.DisplayName)
	set(&g.description, w.Description)
	set(&g.visibility, w.Visibility)
	if changed {
		s.logChange(change{group: g.id})
	}
	return nil
}

// upsertGroup is PATCH /groups(uniqueName='…'): with Prefer:
// create-if-missing it creates the group (201 with the group) when no group
// has the uniqueName, and otherwise updates it (204); without the header it
// is an update only (api/group-upsert).
func (s *Server) upsertGroup(req request, uniqueName string) response {
	w, err := parseGroupWrite(req.body)
	if err != nil || uniqueName == "" {
		return badRequest("Invalid request body.")
	}
	if g := s.byUniqueName(uniqueName); g != nil {
		if bad := s.update(g, w); bad != nil {
			return *bad
		}
		return response{status: http.StatusNoContent}
	}
	if !strings.Contains(strings.ToLower(req.header.Get("Prefer")), "create-if-missing") {
		return notFound("Resource '" + uniqueName + "' does not exist or one of its queried reference-property objects are not present.")
	}
	g, bad := s.create(w, uniqueName)
	if bad != nil {
		return *bad
	}
	return response{status: http.StatusCreated, body: s.groupJSON(req.base, g, nil)}
}

func (s *Server) byUniqueName(n string) *group { return s.byUnique[foldKey(n)] }

func (s *Server) patchGroup(req request, id string) response {
	g := s.groups[id]
	if g == nil {
		return notFound("Resource '" + id + "' does not exist or one of its queried reference-property objects are not present.")
	}
	w, err := parseGroupWrite(req.body)
	if err != nil {
		return badRequest("Invalid request body.")
	}
	if bad := s.update(g, w); bad != nil {
		return *bad
	}
	return response{status: http.StatusNoContent}
}

func (s *Server) getGroup(req request, id string) response {
	g := s.groups[id]
	if g == nil {
		return notFound("Resource '" + id + "' does not exist or one of its queried reference-property objects are not present.")
	}
	return response{status: http.StatusOK, body: s.groupJSON(req.base, g, selectSet(req.query))}
}

func (s *Server) getGroupByUniqueName(req request, name string) response {
	g := s.byUniqueName(name)
	if g == nil {
		return notFound("Resource does not exist or one of its queried reference-property objects are not present.")
	}
	return response{status: http.StatusOK, body: s.groupJSON(req.base, g, selectSet(req.query))}
}

// deleteGroup removes the group with its class and team (api/group-delete).
func (s *Server) deleteGroup(id string) response {
	g := s.groups[id]
	if g == nil {
		return notFound("Resource '" + id + "' does not exist or one of its queried reference-property objects are not present.")
	}
	s.unindexGroup(g)
	s.sorted = nil
	delete(s.groups, id)
	s.logChange(change{group: id, deleted: true})
	return response{status: http.StatusNoContent}
}

// listGroups serves GET /groups with $filter=startsWith(mailNickname,'…')
// or startsWith(displayName,'…') (both support eq and startsWith,
// resources/group), $select and paging.
func (s *Server) listGroups(req request) response {
	match := func(*group) bool { return true }
	if f := req.query.Get("$filter"); f != "" {
		flt, err := parseFilter(f)
		if err != nil || (flt.attr != "mailNickname" && flt.attr != "displayName") || flt.op == "in" {
			return badRequest("Unsupported query.")
		}
		match = func(g *group) bool {
			if flt.attr == "displayName" {
				return matchString(flt, g.displayName)
			}
			return matchString(flt, g.mailNickname)
		}
	}
	var list []*group
	for _, g := range s.sortedGroups() {
		if match(g) {
			list = append(list, g)
		}
	}
	sel := selectSet(req.query)
	return pageJSON(s, req, list, func(g *group) map[string]any { return s.groupJSON(req.base, g, sel) })
}

// matchString applies a filter to one string value; Graph compares
// strings case-insensitively.
func matchString(f filter, v string) bool {
	switch f.op {
	case "startsWith":
		return len(v) >= len(f.values[0]) && strings.EqualFold(v[:len(f.values[0])], f.values[0])
	default:
		for _, want := range f.values {
			if strings.EqualFold(v, want) {
				return true
			}
		}
	}
	return false
}

// sortedGroups lists the groups by id. The list is kept until a group is
// created or deleted, so paging through them does not sort each page.
func (s *Server) sortedGroups() []*group {
	if s.sorted == nil {
		s.sorted = make([]*group, 0, len(s.groups))
		for _, g := range s.groups {
			s.sorted = append(s.sorted, g)
		}
		slices.SortFunc(s.sorted, func(a, b *group) int { return strings.Compare(a.id, b.id) })
	}
	return s.sorted
}

// groupJSON renders the selected properties; nil sel gives the defaults.
func (s *Server) groupJSON(base string, g *group, sel map[string]bool) map[string]any {
	types := []string{}
	if g.unified {
		types = []string{"Unified"}
	}
	provisioning := []string{}
	if g.team != nil && g.team.provisioned {
		provisioning = []string{"Team"}
	}
	all := map[string]any{
		"id": g.id, "displayName": g.displayName, "description": nullable(g.description),
		"mailNickname": g.mailNickname, "uniqueName": nullable(g.uniqueName), "groupTypes": types,
		"mailEnabled": g.mailEnabled, "securityEnabled": g.securityEnabled, "visibility": g.visibility,
		"resourceProvisioningOptions": provisioning, "createdDateTime": g.created.UTC().Format(time.RFC3339),
	}
	return pick(all, sel, "@odata.context", base+"/$metadata#groups/$entity")
}

// pick keeps the selected properties (id always) and adds one annotation.
func pick(all map[string]any, sel map[string]bool, annotation, value string) map[string]any {
	out := map[string]any{annotation: value}
	for k, v := range all {
		if sel == nil || sel[k] || k == "id" {
			out[k] = v
		}
	}
	return out
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// listRelation serves GET /groups/{id}/members and /owners: users with the
// selected properties, paged (api/group-list-members).
func (s *Server) listRelation(req request, id, rel string) response {
	g := s.groups[id]
	if g == nil {
		return notFound("Resource '" + id + "' does not exist or one of its queried reference-property objects are not present.")
	}
	ids := g.members
	if rel == "owners" {
		ids = g.owners
	}
	sel := selectSet(req.query)
	return pageJSON(s, req, ids, func(uid string) map[string]any { return userJSON(s.users[uid], sel) })
}

// removeRef serves DELETE /groups/{id}/members|owners/{id}/$ref. The last
// owner cannot be removed (api/group-delete-owners).
func (s *Server) removeRef(id, rel, uid string) response {
	g := s.groups[id]
	if g == nil {
		return notFound("Resource '" + id + "' does not exist or one of its queried reference-property objects are not present.")
	}
	if rel == "members" {
		if !g.isMember(uid) {
			return notFound("Resource '" + uid + "' does not exist or one of its queried reference-property objects are not present.")
		}
		s.removeMember(g, uid)
		return response{status: http.StatusNoContent}
	}
	i := slices.Index(g.owners, uid)
	if i < 0 {
		return notFound("Resource '" + uid + "' does not exist or one of its queried reference-property objects are not present.")
	}
	if len(g.owners) == 1 {
		return badRequest("The group must have at least one owner; the last owner cannot be removed.")
	}
	g.owners = slices.Delete(g.owners, i, i+1)
	s.logChange(change{group: g.id})
	return response{status: http.StatusNoContent}
}

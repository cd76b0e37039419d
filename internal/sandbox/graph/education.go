package graph

import (
	"encoding/json"
	"net/http"
)

// classWrite is the body of POST /education/classes
// (api/educationclass-post).
type classWrite struct {
	DisplayName    *string `json:"displayName"`
	MailNickname   *string `json:"mailNickname"`
	Description    *string `json:"description"`
	ExternalID     *string `json:"externalId"`
	ExternalSource *string `json:"externalSource"`
}

// createClass makes an education class: "This will also create a universal
// group" whose id the class shares, and no team (api/educationclass-post).
// The group is a Microsoft 365 group, so its mailNickname must be unique;
// nothing makes externalId unique, so a retried create with a new nickname
// would duplicate the class.
func (s *Server) createClass(req request) response {
	var w classWrite
	if err := json.Unmarshal(req.body, &w); err != nil {
		return badRequest("Invalid request body.")
	}
	if w.DisplayName == nil || w.MailNickname == nil {
		return badRequest("displayName and mailNickname are required.")
	}
	t := true
	g, bad := s.create(groupWrite{DisplayName: w.DisplayName, MailNickname: w.MailNickname, Description: w.Description,
		GroupTypes: []string{"Unified"}, MailEnabled: &t, SecurityEnabled: new(bool)}, "")
	if bad != nil {
		return *bad
	}
	g.visibility = "HiddenMembership"
	g.class = &class{}
	if w.ExternalID != nil {
		g.class.externalID = *w.ExternalID
	}
	if w.ExternalSource != nil {
		g.class.externalSource = *w.ExternalSource
	}
	return response{status: http.StatusCreated, body: classJSON(req.base, g, nil)}
}

func classJSON(base string, g *group, sel map[string]bool) map[string]any {
	all := map[string]any{"id": g.id, "displayName": g.displayName, "mailNickname": g.mailNickname,
		"description": nullable(g.description), "externalId": nullable(g.class.externalID),
		"externalSource": nullable(g.class.externalSource)}
	return pick(all, sel, "@odata.type", "#microsoft.graph.educationClass")
}

// listClasses serves GET /education/classes with
// $filter=startsWith(mailNickname,'…') or externalId eq '…', $select and
// paging (api/educationclass-list).
func (s *Server) listClasses(req request) response {
	match := func(*group) bool { return true }
	if f := req.query.Get("$filter"); f != "" {
		flt, err := parseFilter(f)
		switch {
		case err == nil && flt.attr == "mailNickname" && flt.op != "in":
			match = func(g *group) bool { return matchString(flt, g.mailNickname) }
		case err == nil && flt.attr == "externalId" && flt.op == "eq":
			match = func(g *group) bool { return matchString(flt, g.class.externalID) }
		default:
			return badRequest("Unsupported query.")
		}
	}
	var list []*group
	for _, g := range s.sortedGroups() {
		if g.class != nil && match(g) {
			list = append(list, g)
		}
	}
	sel := selectSet(req.query)
	return pageJSON(s, req, list, func(g *group) map[string]any { return classJSON(req.base, g, sel) })
}

func (s *Server) getClass(req request, id string) response {
	g := s.groups[id]
	if g == nil || g.class == nil {
		return notFound("Resource '" + id + "' does not exist.")
	}
	return response{status: http.StatusOK, body: classJSON(req.base, g, selectSet(req.query))}
}

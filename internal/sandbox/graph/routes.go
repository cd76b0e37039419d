package graph

import "net/http"

const batchRoute = "POST /$batch"

// route names the endpoint of a request, as the counters key it ("PATCH
// /groups/{id}"), and picks its handler; the handler is nil when the
// sandbox does not serve the endpoint.
func (s *Server) route(req request, top bool) (string, func(request) response) {
	segs, err := splitPath(req.path)
	if err != nil {
		return req.method + " (malformed)", nil
	}
	names := make([]string, len(segs))
	for i, sg := range segs {
		names[i] = sg.name
	}
	m := req.method
	get, post, patch, del := m == http.MethodGet, m == http.MethodPost, m == http.MethodPatch, m == http.MethodDelete
	switch {
	case len(segs) == 1 && names[0] == "$batch" && post && top:
		return batchRoute, nil
	case len(segs) == 1 && names[0] == "groups" && segs[0].keyName == "" && get:
		return "GET /groups", s.listGroups
	case len(segs) == 2 && names[0] == "groups" && names[1] == "delta" && get:
		return "GET /groups/delta", s.delta
	case len(segs) == 1 && names[0] == "groups" && segs[0].keyName == "uniqueName":
		key := segs[0].key
		switch {
		case patch:
			return "PATCH /groups(uniqueName='{name}')", func(r request) response { return s.upsertGroup(r, key) }
		case get:
			return "GET /groups(uniqueName='{name}')", func(r request) response { return s.getGroupByUniqueName(r, key) }
		}
	case len(segs) == 2 && names[0] == "groups":
		id := names[1]
		switch {
		case get:
			return "GET /groups/{id}", func(r request) response { return s.getGroup(r, id) }
		case patch:
			return "PATCH /groups/{id}", func(r request) response { return s.patchGroup(r, id) }
		case del:
			return "DELETE /groups/{id}", func(r request) response { return s.deleteGroup(id) }
		}
	case len(segs) == 3 && names[0] == "groups" && (names[2] == "members" || names[2] == "owners") && get:
		id, rel := names[1], names[2]
		return "GET /groups/{id}/" + rel, func(r request) response { return s.listRelation(r, id, rel) }
	case len(segs) == 5 && names[0] == "groups" && (names[2] == "members" || names[2] == "owners") && names[4] == "$ref" && del:
		id, rel, uid := names[1], names[2], names[3]
		return "DELETE /groups/{id}/" + rel + "/{id}/$ref", func(request) response { return s.removeRef(id, rel, uid) }
	case len(segs) == 1 && names[0] == "users" && get:
		return "GET /users", s.listUsers
	case len(segs) == 2 && names[0] == "education" && names[1] == "classes":
		switch {
		case get:
			return "GET /education/classes", s.listClasses
		case post:
			return "POST /education/classes", s.createClass
		}
	case len(segs) == 3 && names[0] == "education" && names[1] == "classes" && get:
		id := names[2]
		return "GET /education/classes/{id}", func(r request) response { return s.getClass(r, id) }
	case len(segs) == 1 && names[0] == "teams" && post:
		return "POST /teams", s.createTeam
	case len(segs) == 2 && names[0] == "teams" && get:
		id := names[1]
		return "GET /teams/{id}", func(r request) response { return s.getTeam(r, id) }
	case len(segs) == 3 && names[0] == "teams" && (names[2] == "archive" || names[2] == "unarchive") && post:
		id, archive := names[1], names[2] == "archive"
		return "POST /teams/{id}/" + names[2], func(r request) response { return s.archiveTeam(r, id, archive) }
	case len(segs) == 4 && names[0] == "teams" && names[2] == "operations" && get:
		id, op := names[1], names[3]
		return "GET /teams/{id}/operations/{id}", func(request) response { return s.getOperation(id, op) }
	}
	return req.method + " (unknown)", nil
}

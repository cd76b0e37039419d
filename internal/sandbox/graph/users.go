package graph

import (
	"slices"
	"strings"
)

// userAttr reads a filterable user attribute; userPrincipalName, mail,
// employeeId and id support eq and in (resources/user, "Properties").
func userAttr(u *User, attr string) (string, bool) {
	switch attr {
	case "id":
		return u.ID, true
	case "userPrincipalName":
		return u.UserPrincipalName, true
	case "mail":
		return u.Mail, true
	case "employeeId":
		return u.EmployeeID, true
	}
	return "", false
}

// listUsers serves GET /users with $filter=attr eq '…' or attr in (…),
// at most 15 values (see maxInValues), $select and paging.
func (s *Server) listUsers(req request) response {
	ids := make([]string, 0, len(s.users))
	for id := range s.users {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if f := req.query.Get("$filter"); f != "" {
		flt, err := parseFilter(f)
		if _, ok := userAttr(&User{}, flt.attr); err != nil || !ok || flt.op == "startsWith" {
			return badRequest("Unsupported query.")
		}
		ids = slices.DeleteFunc(ids, func(id string) bool {
			v, _ := userAttr(s.users[id], flt.attr)
			return v == "" || !matchString(flt, v)
		})
	}
	sel := selectSet(req.query)
	return pageJSON(s, req, ids, func(id string) map[string]any { return userJSON(s.users[id], sel) })
}

func userJSON(u *User, sel map[string]bool) map[string]any {
	all := map[string]any{"id": u.ID, "userPrincipalName": nullable(u.UserPrincipalName), "mail": nullable(u.Mail),
		"employeeId": nullable(u.EmployeeID), "displayName": nullable(u.DisplayName)}
	return pick(all, sel, "@odata.type", "#microsoft.graph.user")
}

// UserByKey finds a seeded user by user principal name, case-insensitively;
// for tests.
func (s *Server) UserByKey(upn string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if strings.EqualFold(u.UserPrincipalName, upn) {
			return *u, true
		}
	}
	return User{}, false
}

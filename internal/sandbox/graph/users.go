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
// at most 15 values (see maxInValues), $select and paging. A filtered
// list is looked up in the attribute index, so resolving a register of
// 120 000 people 15 at a time does not scan the directory each time.
func (s *Server) listUsers(req request) response {
	ids := s.userIDs
	if f := req.query.Get("$filter"); f != "" {
		flt, err := parseFilter(f)
		if _, ok := userAttr(&User{}, flt.attr); err != nil || !ok || flt.op == "startsWith" {
			return badRequest("Unsupported query.")
		}
		ids = nil
		for _, v := range flt.values {
			for _, id := range s.userIndex[flt.attr][foldKey(v)] {
				if u, _ := userAttr(s.users[id], flt.attr); matchString(flt, u) && !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
		slices.Sort(ids)
	}
	sel := selectSet(req.query)
	return pageJSON(s, req, ids, func(id string) map[string]any { return userJSON(s.users[id], sel) })
}

// foldKey is the index key of a value Graph compares case-insensitively;
// a hit is checked again with matchString, so a fold ToLower misses is
// the only thing the index could get wrong, and directory keys are ASCII.
func foldKey(v string) string { return strings.ToLower(v) }

// indexUsers builds the sorted id list and the attribute index; the
// directory is seeded once, in New.
func (s *Server) indexUsers() {
	s.userIndex = map[string]map[string][]string{}
	for id := range s.users {
		s.userIDs = append(s.userIDs, id)
	}
	slices.Sort(s.userIDs)
	for _, attr := range []string{"id", "userPrincipalName", "mail", "employeeId"} {
		idx := map[string][]string{}
		for _, id := range s.userIDs {
			if v, _ := userAttr(s.users[id], attr); v != "" {
				idx[foldKey(v)] = append(idx[foldKey(v)], id)
			}
		}
		s.userIndex[attr] = idx
	}
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

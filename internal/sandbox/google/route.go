package google

import "net/http"

// route maps an HTTP method and path to the API, the method's name in the
// reference (the key of Counts) and its handler; nil when not emulated.
func (s *Server) route(verb string, seg []string) (api, name string, h func(*call)) {
	switch {
	case len(seg) >= 2 && seg[0] == "v1" && seg[1] == "courses":
		name, h = s.routeClassroom(verb, seg[2:])
		return apiClassroom, name, h
	case len(seg) >= 4 && seg[0] == "admin" && seg[1] == "directory" && seg[2] == "v1" && seg[3] == "groups":
		name, h = s.routeDirectory(verb, seg[4:])
		return apiDirectory, name, h
	}
	return "", "", nil
}

// routeClassroom handles what follows /v1/courses.
func (s *Server) routeClassroom(verb string, rest []string) (string, func(*call)) {
	type r = struct {
		name string
		h    func(*call)
	}
	var m map[string]r
	switch len(rest) {
	case 0:
		m = map[string]r{http.MethodPost: {"courses.create", s.createCourse}, http.MethodGet: {"courses.list", s.listCourses}}
	case 1:
		m = map[string]r{http.MethodGet: {"courses.get", s.getCourse}, http.MethodPatch: {"courses.patch", s.patchCourse},
			http.MethodDelete: {"courses.delete", s.deleteCourse}}
	case 2:
		switch rest[1] {
		case "aliases":
			m = map[string]r{http.MethodPost: {"courses.aliases.create", s.createAlias}, http.MethodGet: {"courses.aliases.list", s.listAliases}}
		case roleTeachers, roleStudents:
			m = map[string]r{http.MethodPost: {"courses." + rest[1] + ".create", s.addToRoster},
				http.MethodGet: {"courses." + rest[1] + ".list", s.listRoster}}
		}
	case 3:
		switch rest[1] {
		case "aliases":
			m = map[string]r{http.MethodDelete: {"courses.aliases.delete", s.deleteAlias}}
		case roleTeachers, roleStudents:
			m = map[string]r{http.MethodGet: {"courses." + rest[1] + ".get", s.getRosterEntry},
				http.MethodDelete: {"courses." + rest[1] + ".delete", s.removeFromRoster}}
		}
	}
	x := m[verb]
	return x.name, x.h
}

// routeDirectory handles what follows /admin/directory/v1/groups.
func (s *Server) routeDirectory(verb string, rest []string) (string, func(*call)) {
	type r = struct {
		name string
		h    func(*call)
	}
	var m map[string]r
	switch {
	case len(rest) == 0:
		m = map[string]r{http.MethodPost: {"groups.insert", s.insertGroup}, http.MethodGet: {"groups.list", s.listGroups}}
	case len(rest) == 1:
		m = map[string]r{http.MethodGet: {"groups.get", s.getGroup}, http.MethodPatch: {"groups.patch", s.updateGroup},
			http.MethodPut: {"groups.update", s.updateGroup}, http.MethodDelete: {"groups.delete", s.deleteGroup}}
	case len(rest) == 2 && rest[1] == "aliases":
		m = map[string]r{http.MethodPost: {"groups.aliases.insert", s.insertGroupAlias}, http.MethodGet: {"groups.aliases.list", s.listGroupAliases}}
	case len(rest) == 3 && rest[1] == "aliases":
		m = map[string]r{http.MethodDelete: {"groups.aliases.delete", s.deleteGroupAlias}}
	case len(rest) == 2 && rest[1] == "members":
		m = map[string]r{http.MethodPost: {"members.insert", s.insertMember}, http.MethodGet: {"members.list", s.listMembers}}
	case len(rest) == 3 && rest[1] == "members":
		m = map[string]r{http.MethodGet: {"members.get", s.getMember}, http.MethodPatch: {"members.patch", s.updateMember},
			http.MethodPut: {"members.update", s.updateMember}, http.MethodDelete: {"members.delete", s.deleteMember}}
	}
	x := m[verb]
	return x.name, x.h
}

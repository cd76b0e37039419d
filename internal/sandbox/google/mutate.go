package google

import (
	"errors"
	"slices"
	"strings"
)

// The methods below change state the way people do in the Classroom and
// Admin UIs, without counting as API requests, for drift tests.

var errNotFound = errors.New("not found")

// RenameCourse sets a course's name, as its teacher can.
func (s *Server) RenameCourse(idOrAlias, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.course(idOrAlias)
	if co == nil {
		return errNotFound
	}
	co.name = name
	co.updated = s.opts.Now()
	return nil
}

// SetCourseState sets a course's state, e.g. a teacher archiving it.
func (s *Server) SetCourseState(idOrAlias, state string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.course(idOrAlias)
	if co == nil {
		return errNotFound
	}
	co.state = state
	return nil
}

// AddStudent enrols a user by e-mail or id, as a teacher inviting a
// student who accepts; caps and states are not checked.
func (s *Server) AddStudent(idOrAlias, user string) error {
	return s.enrol(idOrAlias, user, roleStudents)
}

// AddTeacher adds a co-teacher the same way.
func (s *Server) AddTeacher(idOrAlias, user string) error {
	return s.enrol(idOrAlias, user, roleTeachers)
}

func (s *Server) enrol(idOrAlias, user, role string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	co, u := s.course(idOrAlias), s.user(user)
	if co == nil || u == nil {
		return errNotFound
	}
	roster(co, role)[u.ID] = s.bump()
	return nil
}

// RemoveStudent unenrols a student.
func (s *Server) RemoveStudent(idOrAlias, user string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	co, u := s.course(idOrAlias), s.user(user)
	if co == nil || u == nil {
		return errNotFound
	}
	delete(co.students, u.ID)
	return nil
}

// AddGroupMember adds a user to a group with role, as a group owner can.
func (s *Server) AddGroupMember(groupKey, user, role string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, u := s.group(groupKey), s.user(user)
	if g == nil || u == nil {
		return errNotFound
	}
	g.members[u.ID] = &member{role: role, seq: s.bump()}
	return nil
}

// CourseView is a course as tests inspect it.
type CourseView struct {
	ID, Name, Description, Section, OwnerEmail, State string
	Aliases                                           []string
	// Teachers and Students are e-mails, sorted.
	Teachers, Students []string
}

// Courses returns every course, ordered by id.
func (s *Server) Courses() []CourseView {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]CourseView, 0, len(s.courses))
	for _, co := range s.courses {
		out = append(out, CourseView{ID: co.id, Name: co.name, Description: co.desc, Section: co.section,
			OwnerEmail: s.users[co.ownerID].Email, State: co.state, Aliases: slices.Clone(co.aliases),
			Teachers: s.emails(co.teachers), Students: s.emails(co.students)})
	}
	slices.SortFunc(out, func(a, b CourseView) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// GroupView is a group as tests inspect it.
type GroupView struct {
	ID, Email, Name, Description string
	Aliases                      []string
	// Owners and Members (role MEMBER or MANAGER) are e-mails, sorted.
	Owners, Members []string
}

// Groups returns every group, ordered by e-mail.
func (s *Server) Groups() []GroupView {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]GroupView, 0, len(s.groups))
	for _, g := range s.groups {
		v := GroupView{ID: g.id, Email: g.email, Name: g.name, Description: g.desc, Aliases: slices.Clone(g.aliases),
			Owners: []string{}, Members: []string{}}
		for id, m := range g.members {
			if m.role == "OWNER" {
				v.Owners = append(v.Owners, s.users[id].Email)
			} else {
				v.Members = append(v.Members, s.users[id].Email)
			}
		}
		slices.Sort(v.Owners)
		slices.Sort(v.Members)
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b GroupView) int { return strings.Compare(a.Email, b.Email) })
	return out
}

// emails returns the sorted e-mails of the user ids in m; s.mu is held.
func (s *Server) emails(m map[string]int64) []string {
	out := make([]string, 0, len(m))
	for id := range m {
		out = append(out, s.users[id].Email)
	}
	slices.Sort(out)
	return out
}

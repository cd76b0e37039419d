package google

import "net/http"

// Roles of a course roster, the last segment of their paths.
const (
	roleTeachers = "teachers"
	roleStudents = "students"
)

// rosterJSON is a Teacher or Student resource: courseId, userId and the
// profile, whose emailAddress is filled with the
// classroom.profile.emails scope (Classroom reference, UserProfile).
type rosterJSON struct {
	CourseID string      `json:"courseId"`
	UserID   string      `json:"userId"`
	Profile  profileJSON `json:"profile"`
}

type profileJSON struct {
	ID           string   `json:"id"`
	Name         nameJSON `json:"name"`
	EmailAddress string   `json:"emailAddress,omitempty"`
}

type nameJSON struct {
	GivenName  string `json:"givenName,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
	FullName   string `json:"fullName,omitempty"`
}

func (s *Server) rosterEntry(co *course, u *User) rosterJSON {
	full := u.GivenName
	if u.FamilyName != "" {
		full += " " + u.FamilyName
	}
	return rosterJSON{CourseID: co.id, UserID: u.ID, Profile: profileJSON{ID: u.ID, EmailAddress: u.Email,
		Name: nameJSON{GivenName: u.GivenName, FamilyName: u.FamilyName, FullName: full}}}
}

func roster(co *course, role string) map[string]int64 {
	if role == roleTeachers {
		return co.teachers
	}
	return co.students
}

// addToRoster is courses.teachers.create and courses.students.create.
// Admins add users of their domain directly
// (https://developers.google.com/workspace/classroom/guides/manage-users).
// "ALREADY_EXISTS if the user is already a student or teacher in the
// course"; "FAILED_PRECONDITION ... CourseMemberLimitReached,
// CourseNotModifiable" (courses.students.create) and
// "CourseTeacherLimitReached" (courses.teachers.create), at the limits of
// https://support.google.com/edu/classroom/answer/7300976.
func (s *Server) addToRoster(c *call) {
	role := c.seg[3]
	var in struct {
		UserID string `json:"userId"`
	}
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.course(c.seg[2])
	u := s.user(in.UserID)
	if co == nil || u == nil {
		notFound(c)
		return
	}
	_, isT := co.teachers[u.ID]
	_, isS := co.students[u.ID]
	switch {
	case isT || isS:
		c.fail(http.StatusConflict, "ALREADY_EXISTS", "", "Requested entity already exists")
		return
	case co.state == stateArchived || co.state == stateDeclined:
		c.precondition("CourseNotModifiable", "The course is not modifiable in its current state.")
		return
	case role == roleTeachers && len(co.teachers) >= s.opts.MaxTeachers:
		c.precondition("CourseTeacherLimitReached", "The course teacher limit has been reached.")
		return
	case len(co.teachers)+len(co.students) >= s.opts.MaxMembers:
		c.precondition("CourseMemberLimitReached", "The course member limit has been reached.")
		return
	}
	roster(co, role)[u.ID] = s.bump()
	s.wrote(c)
	c.ok(s.rosterEntry(co, u))
}

// listRoster pages teachers or students in the order they joined
// (Classroom reference, courses.teachers.list, courses.students.list).
func (s *Server) listRoster(c *call) {
	role := c.seg[3]
	list := role + "/" + c.seg[2]
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
	r := roster(co, role)
	entries := make([]entry[*User], 0, len(r))
	for id, seq := range r {
		entries = append(entries, entry[*User]{seqKey(seq), s.users[id]})
	}
	pg, next := page(entries, list, after, size)
	items := make([]rosterJSON, 0, len(pg))
	for _, e := range pg {
		items = append(items, s.rosterEntry(co, e.v))
	}
	out := map[string]any{role: items}
	if next != "" {
		out["nextPageToken"] = next
	}
	c.ok(out)
}

// getRosterEntry: NOT_FOUND unless the user has that role in the course.
func (s *Server) getRosterEntry(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	co, u := s.rosterMember(c)
	if co == nil {
		return
	}
	c.ok(s.rosterEntry(co, u))
}

// removeFromRoster: the owner cannot be removed ("CannotRemoveCourseOwner
// indicates that the course owner cannot be removed",
// https://developers.google.com/workspace/classroom/troubleshooting/common-errors);
// ownership is transferred with courses.patch first.
func (s *Server) removeFromRoster(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	co, u := s.rosterMember(c)
	if co == nil {
		return
	}
	if c.seg[3] == roleTeachers && co.ownerID == u.ID {
		c.precondition("CannotRemoveCourseOwner", "The course owner cannot be removed.")
		return
	}
	delete(roster(co, c.seg[3]), u.ID)
	s.wrote(c)
	c.empty()
}

// rosterMember finds the course and the user holding the path's role, or
// writes the 404; s.mu is held.
func (s *Server) rosterMember(c *call) (*course, *User) {
	co := s.course(c.seg[2])
	u := s.user(c.seg[4])
	if co == nil || u == nil {
		notFound(c)
		return nil, nil
	}
	if _, ok := roster(co, c.seg[3])[u.ID]; !ok {
		notFound(c)
		return nil, nil
	}
	return co, u
}

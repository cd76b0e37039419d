package google

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Course states (Classroom reference, Course.courseState).
const (
	stateActive      = "ACTIVE"
	stateArchived    = "ARCHIVED"
	stateProvisioned = "PROVISIONED"
	stateDeclined    = "DECLINED"
)

// course is one Classroom course as the server keeps it.
type course struct {
	seq                                    int64
	id, name, section, heading, desc, room string
	ownerID, state                         string
	created, updated                       time.Time
	aliases                                []string         // sorted
	teachers, students                     map[string]int64 // user id -> join order
}

// courseJSON is the Course resource (Classroom reference, courses).
type courseJSON struct {
	ID                 string `json:"id,omitempty"`
	Name               string `json:"name,omitempty"`
	Section            string `json:"section,omitempty"`
	DescriptionHeading string `json:"descriptionHeading,omitempty"`
	Description        string `json:"description,omitempty"`
	Room               string `json:"room,omitempty"`
	OwnerID            string `json:"ownerId,omitempty"`
	CourseState        string `json:"courseState,omitempty"`
	CreationTime       string `json:"creationTime,omitempty"`
	UpdateTime         string `json:"updateTime,omitempty"`
}

func (c *course) json() courseJSON {
	return courseJSON{ID: c.id, Name: c.name, Section: c.section, DescriptionHeading: c.heading,
		Description: c.desc, Room: c.room, OwnerID: c.ownerID, CourseState: c.state,
		CreationTime: c.created.UTC().Format(time.RFC3339Nano), UpdateTime: c.updated.UTC().Format(time.RFC3339Nano)}
}

// course finds a course by Classroom id or alias: "This identifier can be
// either the Classroom-assigned identifier or an alias" (Classroom
// reference, courses.get); s.mu is held.
func (s *Server) course(idOrAlias string) *course {
	if id, ok := s.aliases[idOrAlias]; ok {
		return s.courses[id]
	}
	return s.courses[idOrAlias]
}

// pathCourse finds the course the path names, or writes the 404; s.mu is
// held.
func (s *Server) pathCourse(c *call) *course {
	co := s.course(c.seg[2])
	if co == nil {
		notFound(c)
	}
	return co
}

// validAlias: "d:<name> indicates a domain-scoped alias ... p:<name>
// indicates a project-scoped alias ... maximum length of 256 characters"
// (Classroom reference, courses.aliases, CourseAlias.alias).
func validAlias(a string) bool {
	return len(a) <= 256 && len(a) > 2 && (strings.HasPrefix(a, "d:") || strings.HasPrefix(a, "p:"))
}

// createCourse: "The user specified in ownerId is the owner of the created
// course and added as a teacher ... NOT_FOUND if the primary teacher is
// not a valid user ... ALREADY_EXISTS if an alias was specified in the id
// and already exists" (Classroom reference, courses.create). "When creating
// a Course, you can specify the alias within the id field"; without
// courseState it is PROVISIONED
// (https://developers.google.com/workspace/classroom/guides/manage-courses).
func (s *Server) createCourse(c *call) {
	var in courseJSON
	if !c.decode(&in) {
		return
	}
	if in.Name == "" || len(in.Name) > 750 || in.OwnerID == "" {
		c.fail(http.StatusBadRequest, "INVALID_ARGUMENT", "", "name and ownerId are required")
		return
	}
	if in.ID != "" && !validAlias(in.ID) {
		c.fail(http.StatusBadRequest, "INVALID_ARGUMENT", "", "id must be an alias")
		return
	}
	switch in.CourseState {
	case "":
		in.CourseState = stateProvisioned
	case stateActive, stateProvisioned:
	default:
		c.fail(http.StatusBadRequest, "INVALID_ARGUMENT", "", "invalid courseState")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.aliases[in.ID]; ok {
		c.fail(http.StatusConflict, "ALREADY_EXISTS", "", "Requested entity already exists")
		return
	}
	owner := s.user(in.OwnerID)
	if owner == nil {
		c.fail(http.StatusNotFound, "NOT_FOUND", "", "Requested entity was not found.")
		return
	}
	now := s.opts.Now()
	co := &course{id: s.newID(700000000000), name: in.Name, section: in.Section, heading: in.DescriptionHeading,
		desc: in.Description, room: in.Room, ownerID: owner.ID, state: in.CourseState, created: now, updated: now,
		teachers: map[string]int64{}, students: map[string]int64{}}
	co.seq = s.seq
	co.teachers[owner.ID] = s.bump()
	s.courses[co.id] = co
	s.listed = nil
	if in.ID != "" {
		co.aliases = []string{in.ID}
		s.aliases[in.ID] = co.id
	}
	s.wrote(c)
	c.ok(co.json())
}

func (s *Server) getCourse(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.pathCourse(c)
	if co == nil {
		return
	}
	c.ok(co.json())
}

// listCourses: "Returned courses are ordered by creation time, with the
// most recently created coming first" (Classroom reference, courses.list),
// with the courseStates, teacherId and studentId filters.
func (s *Server) listCourses(c *call) {
	size, after, ok := s.pageArgs(c, "courses")
	if !ok {
		return
	}
	q := c.r.URL.Query()
	states := q["courseStates"]
	s.mu.Lock()
	defer s.mu.Unlock()
	var teacher, student string
	for _, f := range []struct {
		param string
		dst   *string
	}{{"teacherId", &teacher}, {"studentId", &student}} {
		if v := q.Get(f.param); v != "" {
			u := s.user(v)
			if u == nil {
				notFound(c)
				return
			}
			*f.dst = u.ID
		}
	}
	if s.listed == nil {
		s.listed = make([]entry[*course], 0, len(s.courses))
		for _, co := range s.courses {
			s.listed = append(s.listed, entry[*course]{seqKey(1<<62 - co.seq), co}) // newest first
		}
	}
	entries := s.listed
	if len(states) > 0 || teacher != "" || student != "" {
		entries = filterCourses(s.listed, states, teacher, student)
	}
	pg, next := page(entries, "courses", after, size)
	out := struct {
		Courses       []courseJSON `json:"courses,omitempty"`
		NextPageToken string       `json:"nextPageToken,omitempty"`
	}{NextPageToken: next}
	for _, e := range pg {
		out.Courses = append(out.Courses, e.v.json())
	}
	c.ok(out)
}

// filterCourses keeps the courses in one of states (if any) that teacher
// teaches and student attends (if given).
func filterCourses(all []entry[*course], states []string, teacher, student string) []entry[*course] {
	var entries []entry[*course]
	for _, e := range all {
		co := e.v
		if len(states) > 0 && !slices.Contains(states, co.state) {
			continue
		}
		if _, ok := co.teachers[teacher]; teacher != "" && !ok {
			continue
		}
		if _, ok := co.students[student]; student != "" && !ok {
			continue
		}
		entries = append(entries, e)
	}
	return entries
}

// patchableCourseFields are the updateMask fields the Classroom reference
// lists for courses.patch.
var patchableCourseFields = []string{"courseState", "description", "descriptionHeading", "name", "ownerId",
	"room", "section", "subject", "learningStandardSettings", "levels"}

// patchCourse: "INVALID_ARGUMENT if invalid fields are specified in the
// update mask or if no update mask is supplied. FAILED_PRECONDITION for
// ... CourseNotModifiable ... IneligibleOwner" (Classroom reference,
// courses.patch). An archived course takes no change but its state, though
// "the course state can be changed in a request that changes other
// properties" (https://developers.google.com/workspace/classroom/troubleshooting/common-errors,
// CourseNotModifiable). Admins "can also specify [ownerId] in a patch
// course request to transfer ownership" (Course.ownerId); the new owner
// must teach the course already.
func (s *Server) patchCourse(c *call) {
	mask := strings.Split(c.r.URL.Query().Get("updateMask"), ",")
	for _, f := range mask {
		if !slices.Contains(patchableCourseFields, f) {
			c.fail(http.StatusBadRequest, "INVALID_ARGUMENT", "", "invalid updateMask")
			return
		}
	}
	var in courseJSON
	if !c.decode(&in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.pathCourse(c)
	if co == nil {
		return
	}
	next := *co
	for _, f := range mask {
		switch f {
		case "name":
			if in.Name == "" || len(in.Name) > 750 {
				c.fail(http.StatusBadRequest, "INVALID_ARGUMENT", "", "name is required")
				return
			}
			next.name = in.Name
		case "description":
			next.desc = in.Description
		case "descriptionHeading":
			next.heading = in.DescriptionHeading
		case "room":
			next.room = in.Room
		case "section":
			next.section = in.Section
		case "courseState":
			if in.CourseState != stateActive && in.CourseState != stateArchived {
				c.fail(http.StatusBadRequest, "INVALID_ARGUMENT", "", "invalid courseState")
				return
			}
			next.state = in.CourseState
		case "ownerId":
			u := s.user(in.OwnerID)
			if u == nil {
				notFound(c)
				return
			}
			if _, ok := co.teachers[u.ID]; !ok {
				c.precondition("IneligibleOwner", "The new owner must be a teacher of the course.")
				return
			}
			next.ownerID = u.ID
		}
	}
	if co.state == stateArchived && next.state == stateArchived && len(mask) > 0 && !(len(mask) == 1 && mask[0] == "courseState") {
		c.precondition("CourseNotModifiable", "The course is not modifiable in its current state.")
		return
	}
	next.updated = s.opts.Now()
	*co = next
	s.wrote(c)
	c.ok(co.json())
}

// deleteCourse only deletes archived courses: "You can only delete a class
// after you archive it" (https://support.google.com/edu/classroom/answer/6149237);
// the API answers FAILED_PRECONDITION otherwise, as observed in
// https://github.com/openclaw/gogcli/pull/770.
func (s *Server) deleteCourse(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.pathCourse(c)
	if co == nil {
		return
	}
	if co.state != stateArchived {
		c.fail(http.StatusBadRequest, "FAILED_PRECONDITION", "", "Precondition check failed.")
		return
	}
	for _, a := range co.aliases {
		delete(s.aliases, a)
	}
	delete(s.courses, co.id)
	s.listed = nil
	s.wrote(c)
	c.empty()
}

func notFound(c *call) {
	if c.api == apiDirectory {
		c.fail(http.StatusNotFound, "", "notFound", "Resource Not Found")
		return
	}
	c.fail(http.StatusNotFound, "NOT_FOUND", "", "Requested entity was not found.")
}

// bump advances the sequence for ordering; s.mu is held.
func (s *Server) bump() int64 {
	s.seq++
	return s.seq
}

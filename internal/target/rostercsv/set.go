// Package rostercsv turns rooms and the register they came from into a
// roster CSV file set: Microsoft School Data Sync v2.1 or OneRoster 1.1
// bulk. SDS v2.1 is OneRoster-like (the same orgs, users, classes and
// enrollments with sourcedIds), so both are one Set of records written in
// two dialects. Build is pure; Target (target.go) is the adapter that
// keeps the files in a directory.
package rostercsv

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
)

// Set is one full snapshot of classes and their people as roster records,
// each slice sorted by its sourcedId (enrollments by class, then user).
type Set struct {
	Orgs        []Org
	Sessions    []Session
	Courses     []Course
	Users       []User
	Roles       []Role
	Classes     []Class
	Enrollments []Enrollment
}

// Org is a school unit ("school") or the organiser above it.
type Org struct {
	SourcedID, Name, Type, ParentID string
}

// Session is a school year: 1 July to 30 June, the Swedish läsår
// (Skolförordningen 3 kap. 2 §: the school year starts in the autumn).
type Session struct {
	SourcedID, Title string
	// SchoolYear is the calendar year the school year ends in, as OneRoster
	// and SDS number them.
	SchoolYear int
	Start, End roster.Date
}

// Course is what a class teaches: a syllabus at a school, or, for rooms
// without one (a class group), the rule that made them.
type Course struct {
	SourcedID, OrgID, SessionID, Title, Code string
}

// User is a person in the rooms. SourcedID is the register's id (a UUID,
// not personal data); Username is the account key the rooms hold.
type User struct {
	SourcedID, Username, GivenName, FamilyName string
	// Teacher is true for a user who owns a class anywhere: OneRoster 1.1
	// gives a user one role.
	Teacher bool
	OrgIDs  []string
}

// Role is a user's role at an org, from the SDS default list of values
// (https://learn.microsoft.com/en-us/schooldatasync/default-list-of-values):
// teacher (role group Staff) or student.
type Role struct {
	UserID, OrgID, Role string
	Primary             bool
}

// Class is a room. Its sourcedId is the room's key, so a read back finds
// the room again whatever it is called.
type Class struct {
	SourcedID, OrgID, Title, CourseID, SessionID string
}

// Enrollment is one person in one class: an owner is a teacher, a member
// a student.
type Enrollment struct {
	ClassID, UserID, OrgID, Role string
}

// The role values this package writes.
const (
	RoleTeacher = "teacher"
	RoleStudent = "student"
)

// Build makes the Set of the rooms not archived (a class missing from a
// full snapshot is what SDS and OneRoster bulk take as ended), resolving
// each room's school, syllabus and dates from its register object (the
// room key names it: "<rule>:activity:<id>" and so on) and each account
// key to its person. on is the day of the build: the school year of a
// room whose object has no dates. Only people in the rooms are written, so
// nobody the Mapping excluded (a protected identity) comes back here.
func Build(rooms []target.Room, reg *roster.Snapshot, on roster.Date) (Set, error) {
	if reg == nil {
		return Set{}, fmt.Errorf("rostercsv: no register to resolve the rooms' schools and people from")
	}
	b := newBuilder(reg, on)
	if b.root == nil {
		return Set{}, fmt.Errorf("rostercsv: the register has no organisation of type %s to place the schools under", roster.OrganisationHuvudman)
	}
	for i := range rooms {
		if r := &rooms[i]; !r.Archived {
			b.room(r)
		}
	}
	return b.set(), nil
}

type builder struct {
	x        *roster.Index
	on       roster.Date
	root     *roster.Organisation
	byKey    map[string]*roster.Person
	orgs     map[string]Org
	sessions map[string]Session
	courses  map[string]Course
	users    map[string]*User
	roles    map[[2]string]string
	out      Set
}

func newBuilder(reg *roster.Snapshot, on roster.Date) *builder {
	b := &builder{x: roster.NewIndex(reg), on: on, byKey: map[string]*roster.Person{},
		orgs: map[string]Org{}, sessions: map[string]Session{}, courses: map[string]Course{},
		users: map[string]*User{}, roles: map[[2]string]string{}}
	for i := range reg.Organisations {
		if o := &reg.Organisations[i]; o.Type == roster.OrganisationHuvudman && b.root == nil {
			b.root = o
		}
	}
	// Every attribute a Mapping can take account keys from (its
	// accountKey: eduPersonPrincipalName, e-mail or an external id), the
	// first person holding a value winning, as the Mapping picks.
	for i := range reg.Persons {
		p := &reg.Persons[i]
		put := func(k string) {
			if _, ok := b.byKey[k]; k != "" && !ok {
				b.byKey[k] = p
			}
		}
		for _, k := range p.EduPersonPrincipalNames {
			put(k)
		}
		for _, e := range p.Emails {
			put(e.Value)
		}
		for _, e := range p.ExternalIdentifiers {
			put(e.Value)
		}
	}
	return b
}

// origin is what a room's register object says about it.
type origin struct {
	unit       *roster.Organisation
	syllabus   *roster.Syllabus
	start, end roster.Date
}

func (b *builder) origin(key string) origin {
	_, rest, _ := strings.Cut(key, ":")
	kind, id, _ := strings.Cut(rest, ":")
	var o origin
	switch kind {
	case "activity":
		if a := b.x.Activity(id); a != nil {
			o = origin{unit: b.x.Organisation(a.SchoolUnitID), start: a.StartDate, end: a.EndDate}
			if a.SyllabusID != "" {
				o.syllabus = b.x.Syllabus(a.SyllabusID)
			}
		}
	case "group":
		if g := b.x.Group(id); g != nil {
			o = origin{unit: b.x.Organisation(g.SchoolUnitID), start: g.StartDate, end: g.EndDate}
		}
	case "school":
		o.unit = b.school(id)
	}
	return o
}

// school is the unit a "school:" key names: its school unit code, or "id:"
// and its id when it has none (internal/mapping's schoolKey).
func (b *builder) school(code string) *roster.Organisation {
	if id, ok := strings.CutPrefix(code, "id:"); ok {
		return b.x.Organisation(id)
	}
	for _, c := range b.x.ChildrenOf(b.root.ID) {
		if c.SchoolUnitCode == code {
			return c
		}
	}
	return nil
}

func (b *builder) room(r *target.Room) {
	o := b.origin(r.Key)
	org := b.org(o.unit)
	session := b.session(cmp.Or(o.start, o.end, b.on))
	course := b.course(org, session, o.syllabus, r.Key)
	b.out.Classes = append(b.out.Classes, Class{SourcedID: r.Key, OrgID: org, Title: r.Name, CourseID: course, SessionID: session})
	for _, list := range []struct {
		keys []string
		role string
	}{{r.Owners, RoleTeacher}, {r.Members, RoleStudent}} {
		for _, k := range list.keys {
			u := b.user(k)
			b.out.Enrollments = append(b.out.Enrollments, Enrollment{ClassID: r.Key, UserID: u.SourcedID, OrgID: org, Role: list.role})
			rk := [2]string{u.SourcedID, org}
			if list.role == RoleTeacher {
				u.Teacher = true
				b.roles[rk] = RoleTeacher
			} else if b.roles[rk] == "" {
				b.roles[rk] = RoleStudent
			}
			if !slices.Contains(u.OrgIDs, org) {
				u.OrgIDs = append(u.OrgIDs, org)
			}
		}
	}
}

// org adds the unit and the organiser above it, and returns the unit's
// sourcedId; a room of no school belongs to the organiser.
func (b *builder) org(unit *roster.Organisation) string {
	if _, ok := b.orgs[b.root.ID]; !ok {
		// "district" is the default-list type of the level that runs
		// schools, which a Swedish huvudman is.
		b.orgs[b.root.ID] = Org{SourcedID: b.root.ID, Name: b.root.DisplayName, Type: "district"}
	}
	if unit == nil || unit.ID == b.root.ID {
		return b.root.ID
	}
	if _, ok := b.orgs[unit.ID]; !ok {
		b.orgs[unit.ID] = Org{SourcedID: unit.ID, Name: unit.DisplayName, Type: "school", ParentID: b.root.ID}
	}
	return unit.ID
}

func (b *builder) session(d roster.Date) string {
	end := d.Year()
	if d.Month() >= time.July {
		end++
	}
	id := fmt.Sprintf("schoolyear-%d", end)
	if _, ok := b.sessions[id]; !ok {
		b.sessions[id] = Session{SourcedID: id, Title: fmt.Sprintf("%d/%02d", end-1, end%100), SchoolYear: end,
			Start: roster.NewDate(end-1, time.July, 1), End: roster.NewDate(end, time.June, 30)}
	}
	return id
}

func (b *builder) course(org, session string, s *roster.Syllabus, key string) string {
	var c Course
	if s != nil {
		c = Course{SourcedID: org + "/" + s.ID, Title: cmp.Or(s.CourseName, s.SubjectName), Code: cmp.Or(s.CourseCode, s.SubjectCode)}
	} else {
		rule, _, _ := strings.Cut(key, ":")
		c = Course{SourcedID: org + "/rule:" + rule, Title: rule, Code: rule}
	}
	c.OrgID, c.SessionID = org, session
	if _, ok := b.courses[c.SourcedID]; !ok {
		b.courses[c.SourcedID] = c
	}
	return c.SourcedID
}

// user is the user of an account key: the register's person, or, for a
// key the register does not hold (an extra owner a Mapping names), a user
// whose sourcedId is a digest of the key, so it stays the same between
// runs and says nothing.
func (b *builder) user(key string) *User {
	if u, ok := b.users[key]; ok {
		return u
	}
	u := &User{Username: key}
	if p := b.byKey[key]; p != nil {
		u.SourcedID, u.GivenName, u.FamilyName = p.ID, p.GivenName, p.FamilyName
	} else {
		sum := sha256.Sum256([]byte(key))
		u.SourcedID = "key-" + hex.EncodeToString(sum[:12])
	}
	b.users[key] = u
	return u
}

func (b *builder) set() Set {
	s := b.out
	for _, o := range b.orgs {
		s.Orgs = append(s.Orgs, o)
	}
	for _, v := range b.sessions {
		s.Sessions = append(s.Sessions, v)
	}
	for _, c := range b.courses {
		s.Courses = append(s.Courses, c)
	}
	for _, u := range b.users {
		s.Users = append(s.Users, *u)
	}
	slices.SortFunc(s.Users, func(a, b User) int {
		return cmp.Or(cmp.Compare(a.SourcedID, b.SourcedID), cmp.Compare(a.Username, b.Username))
	})
	// Two account keys of one person (rooms holding both) are one user,
	// named by the first key in key order.
	users := s.Users[:0]
	for _, u := range s.Users {
		if n := len(users); n > 0 && users[n-1].SourcedID == u.SourcedID {
			users[n-1].Teacher = users[n-1].Teacher || u.Teacher
			users[n-1].OrgIDs = append(users[n-1].OrgIDs, u.OrgIDs...)
			continue
		}
		users = append(users, u)
	}
	for i := range users {
		slices.Sort(users[i].OrgIDs)
		users[i].OrgIDs = slices.Compact(users[i].OrgIDs)
	}
	s.Users = users
	for k, r := range b.roles {
		s.Roles = append(s.Roles, Role{UserID: k[0], OrgID: k[1], Role: r})
	}
	slices.SortFunc(s.Orgs, func(a, b Org) int { return cmp.Compare(a.SourcedID, b.SourcedID) })
	slices.SortFunc(s.Sessions, func(a, b Session) int { return cmp.Compare(a.SourcedID, b.SourcedID) })
	slices.SortFunc(s.Courses, func(a, b Course) int { return cmp.Compare(a.SourcedID, b.SourcedID) })
	slices.SortFunc(s.Roles, func(a, b Role) int { return cmp.Or(cmp.Compare(a.UserID, b.UserID), cmp.Compare(a.OrgID, b.OrgID)) })
	// A user's first org, in id order, is their primary one: SDS asks
	// for one primary role per user (roles.csv isPrimary).
	for i := range s.Roles {
		s.Roles[i].Primary = i == 0 || s.Roles[i-1].UserID != s.Roles[i].UserID
	}
	slices.SortFunc(s.Classes, func(a, b Class) int { return cmp.Compare(a.SourcedID, b.SourcedID) })
	slices.SortFunc(s.Enrollments, func(a, b Enrollment) int {
		// "teacher" before "student": the compaction below keeps the first.
		return cmp.Or(cmp.Compare(a.ClassID, b.ClassID), cmp.Compare(a.UserID, b.UserID), cmp.Compare(b.Role, a.Role))
	})
	// One person as owner and member of one class (two keys) is enrolled
	// once, as teacher.
	s.Enrollments = slices.CompactFunc(s.Enrollments, func(a, b Enrollment) bool { return a.ClassID == b.ClassID && a.UserID == b.UserID })
	return s
}

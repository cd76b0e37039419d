package mapping

import (
	"fmt"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// selector is a compiled PeopleSelector.
type selector struct {
	role      elevsynkv1.Role
	dutyRoles map[roster.DutyRole]bool // nil: every duty role
}

// rolesFor says which roles make sense for which register object. Roles
// that need a group (Students, Mentors, ...) are refused for School and
// Organisation rules rather than guessed at; the message says what to use.
var rolesFor = map[elevsynkv1.RegisterObject][]elevsynkv1.Role{
	elevsynkv1.RegisterActivity: {elevsynkv1.RoleTeachers, elevsynkv1.RoleStudents, elevsynkv1.RoleMentors,
		elevsynkv1.RoleGroupMembers, elevsynkv1.RoleStaff, elevsynkv1.RolePrincipals, elevsynkv1.RoleEnrolled},
	elevsynkv1.RegisterGroup: {elevsynkv1.RoleTeachers, elevsynkv1.RoleStudents, elevsynkv1.RoleMentors,
		elevsynkv1.RoleGroupMembers, elevsynkv1.RoleStaff, elevsynkv1.RolePrincipals, elevsynkv1.RoleEnrolled},
	elevsynkv1.RegisterSchool:       {elevsynkv1.RoleStaff, elevsynkv1.RolePrincipals, elevsynkv1.RoleEnrolled},
	elevsynkv1.RegisterOrganisation: {elevsynkv1.RoleStaff, elevsynkv1.RolePrincipals, elevsynkv1.RoleEnrolled},
}

func compileSelectors(rule, field string, from elevsynkv1.RegisterObject, sels []elevsynkv1.PeopleSelector) ([]selector, []Problem) {
	var out []selector
	var ps []Problem
	for i, s := range sels {
		f := fmt.Sprintf("%s[%d]", field, i)
		allowed := rolesFor[from]
		ok := false
		for _, r := range allowed {
			ok = ok || r == s.Role
		}
		if !ok && allowed != nil {
			ps = append(ps, Problem{Rule: rule, Field: f + ".role",
				Message: fmt.Sprintf("role %q does not apply to a %s; use one of %v (Staff with dutyRoles [Lärare] for a school's teachers)", s.Role, from, allowed)})
			continue
		}
		sel := selector{role: s.Role}
		if len(s.DutyRoles) > 0 {
			if s.Role != elevsynkv1.RoleStaff {
				ps = append(ps, Problem{Rule: rule, Field: f + ".dutyRoles", Message: "dutyRoles may only be set with role Staff"})
				continue
			}
			sel.dutyRoles = make(map[roster.DutyRole]bool, len(s.DutyRoles))
			for _, d := range s.DutyRoles {
				sel.dutyRoles[roster.DutyRole(d)] = true
			}
		}
		out = append(out, sel)
	}
	return out, ps
}

// scope is what a selector picks people from: the activity or group of the
// room (nil for School and Organisation rules) and the school units.
type scope struct {
	activity *roster.Activity
	group    *roster.Group
	units    []string
}

// collect appends the account keys sel picks in sc to dst.
func (e *evaluator) collect(dst []int32, sel selector, sc scope) []int32 {
	switch sel.role {
	case elevsynkv1.RoleTeachers:
		if sc.activity != nil {
			return e.teachers(dst, sc.activity)
		}
		for _, a := range e.x.ActivitiesOfGroup(sc.group.ID) {
			if e.w.active(a.StartDate, a.EndDate) {
				dst = e.teachers(dst, a)
			}
		}
	case elevsynkv1.RoleStudents, elevsynkv1.RoleGroupMembers:
		students := sel.role == elevsynkv1.RoleStudents
		if sc.group != nil {
			return e.groupMembers(dst, sc.group, students)
		}
		for _, id := range sc.activity.GroupIDs {
			if g := e.x.Group(id); g != nil {
				dst = e.groupMembers(dst, g, students)
			}
		}
	case elevsynkv1.RoleMentors:
		if sc.group != nil {
			return e.mentors(dst, sc.group.ID)
		}
		for _, id := range sc.activity.GroupIDs {
			dst = e.mentors(dst, id)
		}
	case elevsynkv1.RoleStaff, elevsynkv1.RolePrincipals:
		roles := sel.dutyRoles
		if sel.role == elevsynkv1.RolePrincipals {
			roles = principal
		}
		for _, u := range sc.units {
			for _, d := range e.x.DutiesAt(u) {
				if (roles == nil || roles[d.DutyRole]) && e.w.active(d.StartDate, d.EndDate) {
					dst = e.appendPerson(dst, d.PersonID)
				}
			}
		}
	case elevsynkv1.RoleEnrolled:
		for _, u := range sc.units {
			for _, i := range e.people.enrolled[u] {
				dst = add(dst, &e.people.all[i])
			}
		}
	}
	return dst
}

var principal = map[roster.DutyRole]bool{roster.DutyRektor: true}

// teachers: the activity's teacher assignments that count today, whose
// duty also counts today (a teacher who left keeps no ownership).
func (e *evaluator) teachers(dst []int32, a *roster.Activity) []int32 {
	for _, t := range a.Teachers {
		if !e.w.active(t.StartDate, t.EndDate) {
			continue
		}
		if d := e.x.Duty(t.DutyID); d != nil && e.w.active(d.StartDate, d.EndDate) {
			dst = e.appendPerson(dst, d.PersonID)
		}
	}
	return dst
}

// groupMembers: the group's memberships that count today; with students, only
// people with an enrolment that counts today.
func (e *evaluator) groupMembers(dst []int32, g *roster.Group, students bool) []int32 {
	for _, i := range e.membersOf(g) {
		p := &e.people.all[i]
		if students && !p.student {
			continue
		}
		dst = add(dst, p)
	}
	return dst
}

// membersOf is the person-table indexes of g's members whose membership
// counts today, worked out once per group: a class's members are read for
// each of its activities.
//
// The first group of a school unit asked for resolves the members of all
// the unit's groups that count today, against a map of the people
// enrolled there. A lookup per membership in the municipality's person
// map, too large for the CPU's caches, grew 35x for 10x the pupils; one
// school's map and its people's ids stay in cache while its groups are
// read. A member enrolled elsewhere is looked up in the whole map.
func (e *evaluator) membersOf(g *roster.Group) []int32 {
	if m, ok := e.resolved[g]; ok {
		return m
	}
	if e.groupsAt == nil {
		e.groupsAt = map[string][]*roster.Group{}
		for i := range e.snap.Groups {
			if x := &e.snap.Groups[i]; e.w.active(x.StartDate, x.EndDate) {
				e.groupsAt[x.SchoolUnitID] = append(e.groupsAt[x.SchoolUnitID], x)
			}
		}
	}
	// The unit's groups are resolved together, so the first tells whether
	// they are; if so, g is a group that does not count today, read through
	// an activity that does, and only the whole map is left to look in.
	var local map[string]int32
	if at := e.groupsAt[g.SchoolUnitID]; len(at) > 0 {
		if _, done := e.resolved[at[0]]; !done {
			local = e.people.enrolledAt(e.snap, g.SchoolUnitID)
			for _, x := range at {
				e.resolved[x] = e.resolve(x, local)
			}
		}
	}
	if m, ok := e.resolved[g]; ok {
		return m
	}
	m := e.resolve(g, local)
	e.resolved[g] = m
	return m
}

// resolve is membersOf for one group, looking people up in local (which
// may be nil) first.
func (e *evaluator) resolve(g *roster.Group, local map[string]int32) []int32 {
	out := make([]int32, 0, len(g.Memberships))
	for i := range g.Memberships {
		m := &g.Memberships[i]
		if !e.w.active(m.StartDate, m.EndDate) {
			continue
		}
		at, ok := local[m.PersonID]
		if !ok {
			at, ok = e.people.at[m.PersonID]
		}
		if ok {
			out = append(out, at)
		}
	}
	return out
}

// mentors: duties with assignment role Mentor on the group, both counting today.
func (e *evaluator) mentors(dst []int32, groupID string) []int32 {
	for _, r := range e.x.RolesOf(groupID) {
		if r.Role.Role == roster.AssignmentMentor && e.w.active(r.Role.StartDate, r.Role.EndDate) &&
			e.w.active(r.Duty.StartDate, r.Duty.EndDate) {
			dst = e.appendPerson(dst, r.Duty.PersonID)
		}
	}
	return dst
}

func (e *evaluator) appendPerson(dst []int32, personID string) []int32 {
	if p := e.people.lookup(personID); p != nil {
		return add(dst, p)
	}
	return dst
}

package imsxml

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source/export"
)

// The kinds a group type or a member role falls into (see the package doc).
const (
	kindUnit = iota + 1
	kindOrg
	kindSubject
	kindContacts
	kindGroup
)

func groupKind(t string) int {
	switch strings.ToLower(t) {
	case "unit", "school", "skolenhet":
		return kindUnit
	case "organization", "organisation", "municipality", "huvudman":
		return kindOrg
	case "subject":
		return kindSubject
	case "contactgroup":
		return kindContacts
	}
	return kindGroup
}

var groupTypes = map[string]roster.GroupType{
	"class": roster.GroupKlass, "educationgroup": roster.GroupUndervisning, "course": roster.GroupUndervisning,
	"mentorgroup": roster.GroupMentor, "schedulegroup": roster.GroupSchema, "examgroup": roster.GroupProvgrupp,
	"departmentgroup": roster.GroupAvdelning, "department": roster.GroupAvdelning, "staffgroup": roster.GroupPersonalgrupp,
}

const (
	rolePupil = iota + 1
	roleTeacher
	roleMentor
	rolePrincipal
	roleStaff
)

func roleOf(t string) int {
	switch strings.ToLower(t) {
	case "student", "learner", "01":
		return rolePupil
	case "instructor", "02":
		return roleTeacher
	case "mentor", "06":
		return roleMentor
	case "principal":
		return rolePrincipal
	case "staff", "administrator", "manager", "teachingassistant", "05", "07", "08":
		return roleStaff
	}
	return 0 // guardians, contacts, and the roles groups have in groups
}

// Snapshot is the register the state holds, sorted.
func (s *State) Snapshot() *roster.Snapshot {
	b := builder{st: s, unitOf: map[string]string{}, enrolled: map[[2]string]bool{}, pupilClasses: map[string][]string{}}
	b.placeGroups()
	b.organisations()
	b.groupsAndActivities()
	b.mentorsFromContacts()
	b.persons()
	b.snap.Duties = b.duties.List()
	b.snap.Sort()
	return &b.snap
}

type builder struct {
	st       *State
	snap     roster.Snapshot
	duties   export.Duties
	unitOf   map[string]string // group id → its school unit's id
	enrolled map[[2]string]bool
	// pupilClasses are the Klass groups each pupil is in, for mentors
	// named in contact groups.
	pupilClasses map[string][]string
	enrolments   []enrolment
	syllabuses   map[string]bool
	subjectOf    map[string][]subjectRole // a subject group's groups, in id order
}

type subjectRole struct {
	group string
	role  Role
}

type enrolment struct {
	person string
	e      roster.Enrolment
}

// sortedIDs gives map keys in order, so the output does not depend on map
// iteration.
func sortedIDs[V any](m map[string]V) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// placeGroups finds each group's school unit: the unit that lists it as a
// member, its parent relationship, or, for a group inside a group (a
// subject in a class), its parent group's unit.
func (b *builder) placeGroups() {
	parentOf := map[string]string{}
	for _, g := range sortedIDs(b.st.Members) {
		for _, m := range b.st.Members[g] {
			if k := m.Key; k.Group {
				if _, ok := parentOf[k.ID]; !ok || g < parentOf[k.ID] {
					parentOf[k.ID] = g
				}
			}
		}
	}
	for id, g := range b.st.Groups {
		if g.Parent != "" {
			parentOf[id] = g.Parent
		}
	}
	var find func(id string, hops int) string
	find = func(id string, hops int) string {
		g := b.st.Groups[id]
		if g != nil && groupKind(g.Type) == kindUnit {
			return id
		}
		p, ok := parentOf[id]
		if !ok || hops > 8 { // a cycle in a broken export ends here
			return ""
		}
		return find(p, hops+1)
	}
	for id, g := range b.st.Groups {
		if k := groupKind(g.Type); k != kindUnit && k != kindOrg {
			b.unitOf[id] = find(id, 0)
		}
	}
}

func (b *builder) organisations() {
	for _, id := range sortedIDs(b.st.Groups) {
		g := b.st.Groups[id]
		k := groupKind(g.Type)
		if k != kindUnit && k != kindOrg {
			continue
		}
		o := roster.Organisation{ID: id, DisplayName: g.Name, ParentID: g.Parent, OrganisationCode: g.OrgCode,
			OrganisationNumber: g.OrgNumber, MunicipalityCode: g.MunicipalityCode, StartDate: g.Begin, EndDate: g.End}
		if k == kindOrg {
			o.Type = roster.OrganisationHuvudman
			if g.OrgType != "" {
				o.Type = roster.OrganisationType(g.OrgType)
			}
			b.snap.Organisations = append(b.snap.Organisations, o)
			continue
		}
		o.Type = roster.OrganisationSkolenhet
		o.SchoolUnitCode = g.SchoolUnitCode
		for _, t := range g.SchoolTypes {
			o.SchoolTypes = append(o.SchoolTypes, roster.SchoolType(t))
		}
		for _, m := range b.st.Members[id] {
			k, r := m.Key, m.Role
			if k.Group || r.Inactive {
				continue
			}
			switch roleOf(k.Role) {
			case rolePrincipal:
				if o.SchoolUnitCode == "" {
					o.SchoolUnitCode = r.details().SchoolUnitCode
				}
				b.duty(k.ID, id, roster.DutyRektor, r)
			case roleStaff, roleTeacher, roleMentor:
				b.duty(k.ID, id, roster.DutyAnnanPersonal, r)
			case rolePupil:
				b.enrol(k.ID, id, "", r, o.SchoolTypes)
			}
		}
		b.snap.Organisations = append(b.snap.Organisations, o)
	}
}

// duty makes person staff at unit: role unless the member role's subrole
// names an SS 12000 duty role; dates from the member role.
func (b *builder) duty(person, unit string, role roster.DutyRole, r Role) *roster.Duty {
	if sub := r.details().Subrole; sub != "" {
		role = roster.DutyRole(sub)
	}
	d := b.duties.Of(person, unit, role)
	if d.StartDate.IsZero() {
		d.StartDate, d.EndDate = r.Begin, r.End
	}
	return d
}

// enrol records that person is a pupil at unit, once per unit: from their
// Student role in the unit, or in a class there (classYear).
func (b *builder) enrol(person, unit, classYear string, r Role, unitTypes []roster.SchoolType) {
	if unit == "" || b.enrolled[[2]string{person, unit}] {
		return
	}
	b.enrolled[[2]string{person, unit}] = true
	x := r.details()
	e := roster.Enrolment{SchoolUnitID: unit, SchoolType: roster.SchoolType(x.SchoolType),
		ProgrammeCode: x.ProgramCode, StartDate: x.PlacementBegin, EndDate: x.PlacementEnd}
	year := cmp.Or(x.SchoolYear, classYear)
	e.SchoolYear, _ = strconv.Atoi(year)
	if e.SchoolType == "" && len(unitTypes) > 0 {
		e.SchoolType = unitTypes[0]
	}
	b.enrolments = append(b.enrolments, enrolment{person, e})
}

func (b *builder) unitTypes(unit string) []roster.SchoolType {
	var ts []roster.SchoolType
	if g := b.st.Groups[unit]; g != nil {
		for _, t := range g.SchoolTypes {
			ts = append(ts, roster.SchoolType(t))
		}
	}
	return ts
}

func (b *builder) groupsAndActivities() {
	b.syllabuses = map[string]bool{}
	b.subjectOf = map[string][]subjectRole{}
	for _, g := range sortedIDs(b.st.Members) {
		for _, m := range b.st.Members[g] {
			if m.Key.Group && m.Key.Role == "Subject" {
				b.subjectOf[m.Key.ID] = append(b.subjectOf[m.Key.ID], subjectRole{g, m.Role})
			}
		}
	}
	for _, id := range sortedIDs(b.st.Groups) {
		g := b.st.Groups[id]
		switch groupKind(g.Type) {
		case kindGroup:
			b.group(id, g)
		case kindSubject:
			b.subject(id, g)
		}
	}
}

func (b *builder) group(id string, g *Group) {
	unit := b.unitOf[id]
	out := roster.Group{ID: id, DisplayName: g.Name, Type: groupTypes[strings.ToLower(g.Type)], SchoolUnitID: unit,
		StartDate: g.Begin, EndDate: g.End}
	if out.Type == "" {
		out.Type = roster.GroupOvrigt
	}
	types := b.unitTypes(unit)
	if len(g.SchoolTypes) > 0 {
		out.SchoolType = roster.SchoolType(g.SchoolTypes[0])
	} else if len(types) == 1 {
		out.SchoolType = types[0]
	}
	var teachers []roster.ActivityTeacher
	var syllabus string
	for _, m := range b.st.Members[id] {
		k, r := m.Key, m.Role
		if k.Group || r.Inactive {
			continue
		}
		switch roleOf(k.Role) {
		case rolePupil:
			out.Memberships = append(out.Memberships, roster.Membership{PersonID: k.ID, StartDate: r.Begin, EndDate: r.End})
			if out.Type == roster.GroupKlass {
				b.pupilClasses[k.ID] = append(b.pupilClasses[k.ID], id)
				b.enrol(k.ID, unit, g.SchoolYear, r, types)
			}
		case roleTeacher:
			d := b.duty(k.ID, unit, roster.DutyLarare, Role{})
			teachers = append(teachers, roster.ActivityTeacher{DutyID: d.ID, StartDate: r.Begin, EndDate: r.End})
			if syllabus == "" {
				syllabus = b.syllabus(out.SchoolType, r.details().SubjectCode, "", r.details().CourseCode)
			}
		case roleMentor:
			b.duties.Mentor(k.ID, unit, id, r.Begin, r.End)
		case roleStaff:
			b.duty(k.ID, unit, roster.DutyAnnanPersonal, Role{})
		}
	}
	b.snap.Groups = append(b.snap.Groups, out)
	if len(teachers) > 0 {
		// A teaching group with its own teachers is taught as one
		// activity (Tieto v3 and later, IST, Alvis).
		b.snap.Activities = append(b.snap.Activities, roster.Activity{ID: export.ActivityID(id), DisplayName: g.Name,
			Type: roster.ActivityUndervisning, SchoolUnitID: unit, GroupIDs: []string{id}, Teachers: teachers,
			SyllabusID: syllabus, StartDate: g.Begin, EndDate: g.End})
	}
}

// subject is a Tieto v1/v2 subject group: the teaching of one subject to
// the groups it is a member of.
func (b *builder) subject(id string, g *Group) {
	var groups []string
	begin, end := g.Begin, g.End
	for _, p := range b.subjectOf[id] {
		groups = append(groups, p.group)
		if begin.IsZero() && end.IsZero() { // Tieto dates the subject's role in its group
			begin, end = p.role.Begin, p.role.End
		}
	}
	if g.Parent != "" && !slices.Contains(groups, g.Parent) {
		groups = append(groups, g.Parent)
	}
	unit := b.unitOf[id]
	var schoolType roster.SchoolType
	if len(g.SchoolTypes) > 0 {
		schoolType = roster.SchoolType(g.SchoolTypes[0])
	} else if types := b.unitTypes(unit); len(types) == 1 {
		schoolType = types[0]
	}
	a := roster.Activity{ID: id, DisplayName: g.Name, Type: roster.ActivityUndervisning, SchoolUnitID: unit,
		GroupIDs: groups, StartDate: begin, EndDate: end,
		SyllabusID: b.syllabus(schoolType, g.SubjectCode, cmp.Or(g.SubjectName, g.Name), g.CourseCode)}
	for _, m := range b.st.Members[id] {
		if k, r := m.Key, m.Role; !k.Group && !r.Inactive && roleOf(k.Role) == roleTeacher {
			d := b.duty(k.ID, unit, roster.DutyLarare, Role{})
			a.Teachers = append(a.Teachers, roster.ActivityTeacher{DutyID: d.ID, StartDate: r.Begin, EndDate: r.End})
		}
	}
	b.snap.Activities = append(b.snap.Activities, a)
}

// syllabus is the id of the syllabus of a subject or course code (or,
// without either, a subject name), made on first use; "" with none.
func (b *builder) syllabus(st roster.SchoolType, subject, name, course string) string {
	if subject == "" && course == "" && name == "" {
		return ""
	}
	id := syllabusID(st, subject, course, name)
	if !b.syllabuses[id] {
		b.syllabuses[id] = true
		b.snap.Syllabuses = append(b.snap.Syllabuses, roster.Syllabus{ID: id, SchoolType: st, SubjectCode: subject,
			SubjectName: cmp.Or(name, subject, course), CourseCode: course})
	}
	return id
}

func syllabusID(st roster.SchoolType, subject, course, name string) string {
	if subject == "" && course == "" {
		return export.DerivedID("syllabus-named", string(st), name)
	}
	return export.DerivedID("syllabus", string(st), subject, course)
}

// mentorsFromContacts reads Tieto's contact groups: the pupil's mentor
// there mentors the pupil's classes.
func (b *builder) mentorsFromContacts() {
	for _, id := range sortedIDs(b.st.Groups) {
		if groupKind(b.st.Groups[id].Type) != kindContacts {
			continue
		}
		members := b.st.Members[id]
		var pupils []string
		for _, m := range members {
			if roleOf(m.Key.Role) == rolePupil && !m.Key.Group {
				pupils = append(pupils, m.Key.ID)
			}
		}
		for _, m := range members {
			k, r := m.Key, m.Role
			if k.Group || r.Inactive || roleOf(k.Role) != roleMentor {
				continue
			}
			for _, p := range pupils {
				for _, class := range b.pupilClasses[p] {
					if !b.mentors(k.ID, class) {
						b.duties.Mentor(k.ID, b.unitOf[class], class, r.Begin, r.End)
					}
				}
			}
		}
	}
}

// mentors says whether person already mentors class.
func (b *builder) mentors(person, class string) bool {
	d := b.duties.Of(person, b.unitOf[class], roster.DutyLarare)
	return slices.ContainsFunc(d.AssignmentRoles, func(a roster.AssignmentRole) bool {
		return a.GroupID == class && a.Role == roster.AssignmentMentor
	})
}

func (b *builder) persons() {
	byPerson := map[string][]roster.Enrolment{}
	for _, e := range b.enrolments {
		byPerson[e.person] = append(byPerson[e.person], e.e)
	}
	staff := map[string]bool{}
	for _, d := range b.duties.List() {
		staff[d.PersonID] = true
	}
	for _, id := range sortedIDs(b.st.Persons) {
		p := b.st.Persons[id]
		out := roster.Person{ID: id, GivenName: p.Given, FamilyName: p.Family, EduPersonPrincipalNames: p.Logins,
			CivicNo: p.CivicNo, SecurityMarking: roster.SecurityNone, PersonStatus: roster.PersonAktiv,
			Enrolments: byPerson[id]}
		switch {
		case p.Protected && p.Level2:
			out.SecurityMarking = roster.SecuritySkyddadFolkbokforing
		case p.Protected:
			out.SecurityMarking = roster.SecuritySekretessmarkering
		}
		switch strings.ToLower(p.Status) {
		case "deceased":
			out.PersonStatus = roster.PersonAvliden
		case "emigrated":
			out.PersonStatus = roster.PersonUtvandrad
		}
		school := roster.EmailSkolaElev
		if staff[id] {
			school = roster.EmailSkolaPersonal
		}
		for _, e := range []struct {
			v string
			t roster.EmailType
		}{{p.Email, school}, {p.WorkEmail, school}, {p.HomeEmail, roster.EmailPrivat}} {
			if e.v != "" && !slices.ContainsFunc(out.Emails, func(x roster.Email) bool { return x.Value == e.v }) {
				out.Emails = append(out.Emails, roster.Email{Value: e.v, Type: e.t})
			}
		}
		for i := range out.Enrolments {
			if out.Enrolments[i].ProgrammeCode == "" {
				out.Enrolments[i].ProgrammeCode = p.ProgramCode
			}
		}
		b.snap.Persons = append(b.snap.Persons, out)
	}
}

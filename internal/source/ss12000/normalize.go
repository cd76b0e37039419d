package ss12000

import (
	"fmt"
	"slices"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// Normalize converts the wire-level register into a roster.Snapshot,
// sorted (roster.Snapshot.Sort). Enum values pass through unchanged: the
// roster uses the spec's Swedish values, and an unknown value is kept for
// validation and mapping rules to judge rather than dropped here.
//
// Dates must be RFC 3339 full-dates as the spec says; a date-time is cut to
// its date, since some vendors send "2016-10-15T00:00:00". Any other bad
// date fails the whole conversion, naming the entity and field but not the
// value: reading an unparseable end date as "open-ended" would keep a pupil
// in a class forever, and an unreadable snapshot is never acted on.
//
// The civic number goes only into roster.Person.CivicNo, which the roster
// never serialises.
func Normalize(st *State) (*roster.Snapshot, error) {
	n := normalizer{}
	snap := &roster.Snapshot{
		Organisations: make([]roster.Organisation, 0, len(st.Organisations)),
		Persons:       make([]roster.Person, 0, len(st.Persons)),
		Groups:        make([]roster.Group, 0, len(st.Groups)),
		Duties:        make([]roster.Duty, 0, len(st.Duties)),
		Syllabuses:    make([]roster.Syllabus, 0, len(st.Syllabuses)),
		Activities:    make([]roster.Activity, 0, len(st.Activities)),
	}
	for _, o := range st.Organisations {
		snap.Organisations = append(snap.Organisations, n.organisation(&o))
	}
	for _, p := range st.Persons {
		snap.Persons = append(snap.Persons, n.person(&p))
	}
	for _, g := range st.Groups {
		snap.Groups = append(snap.Groups, n.group(&g))
	}
	for _, d := range st.Duties {
		snap.Duties = append(snap.Duties, n.duty(&d))
	}
	for _, s := range st.Syllabuses {
		snap.Syllabuses = append(snap.Syllabuses, syllabus(&s))
	}
	for _, a := range st.Activities {
		snap.Activities = append(snap.Activities, n.activity(&a))
	}
	if n.err != nil {
		return nil, n.err
	}
	snap.Sort()
	return snap, nil
}

// normalizer keeps the first date error so the converters stay linear.
type normalizer struct{ err error }

func (n *normalizer) date(entity, id, field, s string) roster.Date {
	if len(s) > 10 && s[10] == 'T' {
		s = s[:10]
	}
	d, err := roster.ParseDate(s)
	if err != nil && n.err == nil {
		n.err = fmt.Errorf("ss12000: %s %s: invalid %s, want YYYY-MM-DD", entity, id, field)
	}
	return d
}

func ref(r *ObjectReference) string {
	if r == nil {
		return ""
	}
	return r.ID
}

func (n *normalizer) organisation(o *Organisation) roster.Organisation {
	out := roster.Organisation{
		ID:                 o.ID,
		DisplayName:        o.DisplayName,
		Type:               roster.OrganisationType(o.OrganisationType),
		ParentID:           ref(o.ParentOrganisation),
		OrganisationCode:   o.OrganisationCode,
		OrganisationNumber: o.OrganisationNumber,
		SchoolUnitCode:     o.SchoolUnitCode,
		MunicipalityCode:   o.MunicipalityCode,
		StartDate:          n.date("Organisation", o.ID, "startDate", o.StartDate),
		EndDate:            n.date("Organisation", o.ID, "endDate", o.EndDate),
	}
	for _, t := range o.SchoolTypes {
		out.SchoolTypes = append(out.SchoolTypes, roster.SchoolType(t))
	}
	return out
}

func (n *normalizer) person(p *Person) roster.Person {
	out := roster.Person{
		ID:                      p.ID,
		GivenName:               p.GivenName,
		FamilyName:              p.FamilyName,
		EduPersonPrincipalNames: slices.Clone(p.EduPersonPrincipalNames),
		SecurityMarking:         roster.SecurityMarking(p.SecurityMarking),
		PersonStatus:            roster.PersonStatus(p.PersonStatus),
	}
	if p.CivicNo != nil {
		out.CivicNo = roster.CivicNo(p.CivicNo.Value)
	}
	for _, e := range p.Emails {
		out.Emails = append(out.Emails, roster.Email{Value: e.Value, Type: roster.EmailType(e.Type)})
	}
	for _, x := range p.ExternalIdentifiers {
		out.ExternalIdentifiers = append(out.ExternalIdentifiers, roster.Identifier{Value: x.Value, Context: x.Context, GloballyUnique: x.GloballyUnique})
	}
	for _, e := range p.Enrolments {
		year := 0
		if e.SchoolYear != nil {
			year = *e.SchoolYear
		}
		out.Enrolments = append(out.Enrolments, roster.Enrolment{
			SchoolUnitID:  e.EnroledAt.ID,
			SchoolYear:    year,
			SchoolType:    roster.SchoolType(e.SchoolType),
			ProgrammeCode: e.EducationCode,
			StartDate:     n.date("Person", p.ID, "enrolments.startDate", e.StartDate),
			EndDate:       n.date("Person", p.ID, "enrolments.endDate", e.EndDate),
			Cancelled:     e.Cancelled,
		})
	}
	return out
}

func (n *normalizer) group(g *Group) roster.Group {
	out := roster.Group{
		ID:           g.ID,
		DisplayName:  g.DisplayName,
		Type:         roster.GroupType(g.GroupType),
		SchoolUnitID: g.Organisation.ID,
		SchoolType:   roster.SchoolType(g.SchoolType),
		StartDate:    n.date("Group", g.ID, "startDate", g.StartDate),
		EndDate:      n.date("Group", g.ID, "endDate", g.EndDate),
	}
	if len(g.GroupMemberships) > 0 {
		out.Memberships = make([]roster.Membership, 0, len(g.GroupMemberships))
	}
	for _, m := range g.GroupMemberships {
		out.Memberships = append(out.Memberships, roster.Membership{
			PersonID:  m.Person.ID,
			StartDate: n.date("Group", g.ID, "groupMemberships.startDate", m.StartDate),
			EndDate:   n.date("Group", g.ID, "groupMemberships.endDate", m.EndDate),
		})
	}
	return out
}

func (n *normalizer) duty(d *Duty) roster.Duty {
	out := roster.Duty{
		ID:           d.ID,
		PersonID:     ref(d.Person),
		SchoolUnitID: d.DutyAt.ID,
		DutyRole:     roster.DutyRole(d.DutyRole),
		Description:  d.Description,
		Signature:    d.Signature,
		StartDate:    n.date("Duty", d.ID, "startDate", d.StartDate),
		EndDate:      n.date("Duty", d.ID, "endDate", d.EndDate),
	}
	for _, r := range d.AssignmentRole {
		out.AssignmentRoles = append(out.AssignmentRoles, roster.AssignmentRole{
			GroupID:   r.Group.ID,
			Role:      roster.AssignmentRoleType(r.AssignmentRoleType),
			StartDate: n.date("Duty", d.ID, "assignmentRole.startDate", r.StartDate),
			EndDate:   n.date("Duty", d.ID, "assignmentRole.endDate", r.EndDate),
		})
	}
	return out
}

func syllabus(s *Syllabus) roster.Syllabus {
	return roster.Syllabus{
		ID:                 s.ID,
		SchoolType:         roster.SchoolType(s.SchoolType),
		SubjectCode:        s.SubjectCode,
		SubjectName:        s.SubjectName,
		SubjectDesignation: s.SubjectDesignation,
		CourseCode:         s.CourseCode,
		CourseName:         s.CourseName,
		StartSchoolYear:    s.StartSchoolYear,
		EndSchoolYear:      s.EndSchoolYear,
		Official:           s.Official,
	}
}

func (n *normalizer) activity(a *Activity) roster.Activity {
	out := roster.Activity{
		ID:           a.ID,
		DisplayName:  a.DisplayName,
		Type:         roster.ActivityType(a.ActivityType),
		SchoolUnitID: a.Organisation.ID,
		SyllabusID:   ref(a.Syllabus),
		StartDate:    n.date("Activity", a.ID, "startDate", a.StartDate),
		EndDate:      n.date("Activity", a.ID, "endDate", a.EndDate),
	}
	for _, g := range a.Groups {
		out.GroupIDs = append(out.GroupIDs, g.ID)
	}
	for _, t := range a.Teachers {
		out.Teachers = append(out.Teachers, roster.ActivityTeacher{
			DutyID:    t.Duty.ID,
			StartDate: n.date("Activity", a.ID, "teachers.startDate", t.StartDate),
			EndDate:   n.date("Activity", a.ID, "teachers.endDate", t.EndDate),
			Grader:    t.Grader,
		})
	}
	return out
}

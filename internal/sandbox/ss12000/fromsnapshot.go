package ss12000

import (
	"github.com/elevsynk/elevsynk/internal/roster"
	wire "github.com/elevsynk/elevsynk/internal/source/ss12000"
)

// FromSnapshot loads a roster snapshot (e.g. from internal/rostergen) into
// the store, stamping every entity with the clock's now. It is the inverse
// of the client's Normalize for the fields the roster keeps, so a test can
// check snapshot → server → client → Normalize round-trips.
func (s *Server) FromSnapshot(snap *roster.Snapshot) {
	st := &wire.State{
		Organisations: make(map[string]wire.Organisation, len(snap.Organisations)),
		Persons:       make(map[string]wire.Person, len(snap.Persons)),
		Groups:        make(map[string]wire.Group, len(snap.Groups)),
		Duties:        make(map[string]wire.Duty, len(snap.Duties)),
		Activities:    make(map[string]wire.Activity, len(snap.Activities)),
		Syllabuses:    make(map[string]wire.Syllabus, len(snap.Syllabuses)),
	}
	for i := range snap.Organisations {
		o := &snap.Organisations[i]
		st.Organisations[o.ID] = organisation(o)
	}
	for i := range snap.Persons {
		p := &snap.Persons[i]
		st.Persons[p.ID] = person(p)
	}
	for i := range snap.Groups {
		g := &snap.Groups[i]
		st.Groups[g.ID] = group(g)
	}
	for i := range snap.Duties {
		d := &snap.Duties[i]
		st.Duties[d.ID] = duty(d)
	}
	for i := range snap.Syllabuses {
		y := &snap.Syllabuses[i]
		st.Syllabuses[y.ID] = syllabus(y)
	}
	for i := range snap.Activities {
		a := &snap.Activities[i]
		st.Activities[a.ID] = activity(a)
	}
	s.Put(st)
}

func optRef(id string) *wire.ObjectReference {
	if id == "" {
		return nil
	}
	return &wire.ObjectReference{ID: id}
}

func organisation(o *roster.Organisation) wire.Organisation {
	out := wire.Organisation{
		ID:                 o.ID,
		DisplayName:        o.DisplayName,
		OrganisationCode:   o.OrganisationCode,
		OrganisationType:   wire.OrganisationType(o.Type),
		OrganisationNumber: o.OrganisationNumber,
		ParentOrganisation: optRef(o.ParentID),
		SchoolUnitCode:     o.SchoolUnitCode,
		MunicipalityCode:   o.MunicipalityCode,
		StartDate:          o.StartDate.String(),
		EndDate:            o.EndDate.String(),
	}
	for _, t := range o.SchoolTypes {
		out.SchoolTypes = append(out.SchoolTypes, wire.SchoolType(t))
	}
	return out
}

func person(p *roster.Person) wire.Person {
	out := wire.Person{
		ID:                      p.ID,
		GivenName:               p.GivenName,
		FamilyName:              p.FamilyName,
		EduPersonPrincipalNames: p.EduPersonPrincipalNames,
		SecurityMarking:         wire.SecurityMarking(p.SecurityMarking),
		PersonStatus:            wire.PersonStatus(p.PersonStatus),
	}
	if c := p.CivicNo.Reveal(); c != "" {
		out.CivicNo = &wire.CivicNo{Value: c}
	}
	for _, e := range p.Emails {
		out.Emails = append(out.Emails, wire.Email{Value: e.Value, Type: wire.EmailType(e.Type)})
	}
	for _, x := range p.ExternalIdentifiers {
		out.ExternalIdentifiers = append(out.ExternalIdentifiers, wire.ExternalIdentifier{Value: x.Value, Context: x.Context, GloballyUnique: x.GloballyUnique})
	}
	for _, e := range p.Enrolments {
		year := e.SchoolYear
		out.Enrolments = append(out.Enrolments, wire.Enrolment{
			EnroledAt:     wire.ObjectReference{ID: e.SchoolUnitID},
			SchoolYear:    &year,
			SchoolType:    wire.SchoolType(e.SchoolType),
			StartDate:     e.StartDate.String(),
			EndDate:       e.EndDate.String(),
			Cancelled:     e.Cancelled,
			EducationCode: e.ProgrammeCode,
		})
	}
	return out
}

func group(g *roster.Group) wire.Group {
	out := wire.Group{
		ID:           g.ID,
		DisplayName:  g.DisplayName,
		StartDate:    g.StartDate.String(),
		EndDate:      g.EndDate.String(),
		GroupType:    wire.GroupType(g.Type),
		SchoolType:   wire.SchoolType(g.SchoolType),
		Organisation: wire.ObjectReference{ID: g.SchoolUnitID},
	}
	for _, m := range g.Memberships {
		out.GroupMemberships = append(out.GroupMemberships, wire.GroupMembership{
			Person: wire.ObjectReference{ID: m.PersonID}, StartDate: m.StartDate.String(), EndDate: m.EndDate.String(),
		})
	}
	return out
}

func duty(d *roster.Duty) wire.Duty {
	out := wire.Duty{
		ID:          d.ID,
		Person:      optRef(d.PersonID),
		DutyAt:      wire.ObjectReference{ID: d.SchoolUnitID},
		DutyRole:    wire.DutyRole(d.DutyRole),
		Description: d.Description,
		Signature:   d.Signature,
		StartDate:   d.StartDate.String(),
		EndDate:     d.EndDate.String(),
	}
	for _, r := range d.AssignmentRoles {
		out.AssignmentRole = append(out.AssignmentRole, wire.AssignmentRole{
			Group: wire.ObjectReference{ID: r.GroupID}, AssignmentRoleType: wire.AssignmentRoleType(r.Role),
			StartDate: r.StartDate.String(), EndDate: r.EndDate.String(),
		})
	}
	return out
}

func syllabus(y *roster.Syllabus) wire.Syllabus {
	return wire.Syllabus{
		ID:                 y.ID,
		SchoolType:         wire.SchoolType(y.SchoolType),
		SubjectCode:        y.SubjectCode,
		SubjectName:        y.SubjectName,
		SubjectDesignation: y.SubjectDesignation,
		CourseCode:         y.CourseCode,
		CourseName:         y.CourseName,
		StartSchoolYear:    y.StartSchoolYear,
		EndSchoolYear:      y.EndSchoolYear,
		Official:           y.Official,
	}
}

func activity(a *roster.Activity) wire.Activity {
	out := wire.Activity{
		ID:           a.ID,
		DisplayName:  a.DisplayName,
		StartDate:    a.StartDate.String(),
		EndDate:      a.EndDate.String(),
		ActivityType: wire.ActivityType(a.Type),
		Syllabus:     optRef(a.SyllabusID),
		Organisation: wire.ObjectReference{ID: a.SchoolUnitID},
		Groups:       []wire.ObjectReference{}, // required by the spec, even when empty
	}
	for _, g := range a.GroupIDs {
		out.Groups = append(out.Groups, wire.ObjectReference{ID: g})
	}
	for _, t := range a.Teachers {
		out.Teachers = append(out.Teachers, wire.DutyAssignment{
			Duty: wire.ObjectReference{ID: t.DutyID}, StartDate: t.StartDate.String(), EndDate: t.EndDate.String(), Grader: t.Grader,
		})
	}
	return out
}

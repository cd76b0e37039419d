package roster

import (
	"cmp"
	"slices"
)

// Sort puts s in canonical order: every entity list by ID, and nested lists
// whose order carries no meaning (memberships, enrolments, assignment roles,
// activity groups and teachers, school types, external identifiers) by
// their content. EduPersonPrincipalNames and Emails keep register order,
// because the first one is the preferred account key.
//
// Sources call Sort before returning a snapshot, so that two reads of an
// unchanged register are equal and hash alike.
func (s *Snapshot) Sort() {
	slices.SortStableFunc(s.Organisations, func(a, b Organisation) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortStableFunc(s.Persons, func(a, b Person) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortStableFunc(s.Groups, func(a, b Group) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortStableFunc(s.Duties, func(a, b Duty) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortStableFunc(s.Syllabuses, func(a, b Syllabus) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortStableFunc(s.Activities, func(a, b Activity) int { return cmp.Compare(a.ID, b.ID) })
	for i := range s.Organisations {
		slices.Sort(s.Organisations[i].SchoolTypes)
	}
	for i := range s.Persons {
		sortPersonLists(&s.Persons[i])
	}
	for i := range s.Groups {
		slices.SortFunc(s.Groups[i].Memberships, compareMembership)
	}
	for i := range s.Duties {
		slices.SortFunc(s.Duties[i].AssignmentRoles, compareAssignmentRole)
	}
	for i := range s.Activities {
		slices.Sort(s.Activities[i].GroupIDs)
		slices.SortFunc(s.Activities[i].Teachers, compareActivityTeacher)
	}
}

func sortPersonLists(p *Person) {
	slices.SortFunc(p.ExternalIdentifiers, compareIdentifier)
	slices.SortFunc(p.Enrolments, compareEnrolment)
}

func compareIdentifier(a, b Identifier) int {
	return cmp.Or(cmp.Compare(a.Context, b.Context), cmp.Compare(a.Value, b.Value))
}

func compareMembership(a, b Membership) int {
	return cmp.Or(cmp.Compare(a.PersonID, b.PersonID), a.StartDate.Compare(b.StartDate), a.EndDate.Compare(b.EndDate))
}

func compareAssignmentRole(a, b AssignmentRole) int {
	return cmp.Or(cmp.Compare(a.GroupID, b.GroupID), cmp.Compare(a.Role, b.Role),
		a.StartDate.Compare(b.StartDate), a.EndDate.Compare(b.EndDate))
}

func compareActivityTeacher(a, b ActivityTeacher) int {
	return cmp.Or(cmp.Compare(a.DutyID, b.DutyID), a.StartDate.Compare(b.StartDate), a.EndDate.Compare(b.EndDate))
}

func compareEnrolment(a, b Enrolment) int {
	return cmp.Or(cmp.Compare(a.SchoolUnitID, b.SchoolUnitID), cmp.Compare(a.SchoolType, b.SchoolType),
		a.StartDate.Compare(b.StartDate), a.EndDate.Compare(b.EndDate), cmp.Compare(a.SchoolYear, b.SchoolYear))
}

package roster

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIndex(t *testing.T) {
	s := fixture()
	// pupil1 leaves 7A and comes back: the group must be listed once.
	s.Groups[0].Memberships = append(s.Groups[0].Memberships, Membership{PersonID: "p-pupil1", StartDate: MustParseDate("2025-01-07")})
	x := NewIndex(s)

	ids := func(n int, id func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = id(i)
		}
		return out
	}
	groupIDs := func(gs []*Group) []string { return ids(len(gs), func(i int) string { return gs[i].ID }) }
	personIDs := func(ps []*Person) []string { return ids(len(ps), func(i int) string { return ps[i].ID }) }
	activityIDs := func(as []*Activity) []string { return ids(len(as), func(i int) string { return as[i].ID }) }

	tests := []struct {
		name string
		got  any
		want any
	}{
		{"person by id points into snapshot", x.Person("p-pupil2") == &s.Persons[1], true},
		{"unknown id is nil", x.Group("g-gone") == nil, true},
		{"organisation by id", x.Organisation("org-su").SchoolUnitCode, "12345678"},
		{"duty by id", x.Duty("d-teacher").PersonID, "p-teacher"},
		{"syllabus by id", x.Syllabus("s-ma").SubjectDesignation, "MA"},
		{"activity by id", x.Activity("a-7a-ma").DisplayName, "7A Matematik"},
		{"groups of pupil1, once each", groupIDs(x.GroupsOf("p-pupil1")), []string{"g-7a", "g-7a-ma"}},
		{"groups of pupil2", groupIDs(x.GroupsOf("p-pupil2")), []string{"g-7a"}},
		{"groups of teacher", len(x.GroupsOf("p-teacher")), 0},
		{"duties of teacher", len(x.DutiesOf("p-teacher")), 1},
		{"students at unit", personIDs(x.StudentsAt("org-su")), []string{"p-pupil1", "p-pupil2"}},
		{"children of huvudman", len(x.ChildrenOf("org-hm")), 1},
		{"groups at unit", groupIDs(x.GroupsAt("org-su")), []string{"g-7a", "g-7a-ma"}},
		{"duties at unit", len(x.DutiesAt("org-su")), 1},
		{"mentor of 7A", x.RolesOf("g-7a")[0].Duty.ID + "/" + string(x.RolesOf("g-7a")[0].Role.Role), "d-teacher/Mentor"},
		{"activities of group", activityIDs(x.ActivitiesOfGroup("g-7a-ma")), []string{"a-7a-ma"}},
		{"activities of duty", activityIDs(x.ActivitiesOfDuty("d-teacher")), []string{"a-7a-ma"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestIndexDuplicateIDKeepsFirst(t *testing.T) {
	s := fixture()
	dup := s.Persons[0]
	dup.GivenName = "Other"
	s.Persons = append(s.Persons, dup)
	if got := NewIndex(s).Person("p-pupil1"); got != &s.Persons[0] {
		t.Errorf("Person(dup) returned a later occurrence")
	}
}

func TestCounts(t *testing.T) {
	s := fixture()
	tests := []struct {
		on   Date
		want Counts
	}{
		{Date{}, Counts{Organisations: 2, SchoolUnits: 1, Persons: 3, Students: 2, Staff: 1, Groups: 2, Duties: 1, Activities: 1, Syllabuses: 1, Memberships: 3, Teachers: 1}},
		// pupil2's enrolment ended 2024-12-20.
		{MustParseDate("2025-01-07"), Counts{Organisations: 2, SchoolUnits: 1, Persons: 3, Students: 1, Staff: 1, Groups: 2, Duties: 1, Activities: 1, Syllabuses: 1, Memberships: 3, Teachers: 1}},
		// Before anyone started.
		{MustParseDate("2019-01-01"), Counts{Organisations: 2, SchoolUnits: 1, Persons: 3, Students: 0, Staff: 0, Groups: 2, Duties: 1, Activities: 1, Syllabuses: 1, Memberships: 3, Teachers: 1}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, s.Counts(tt.on)); diff != "" {
			t.Errorf("Counts(%q) (-want +got):\n%s", tt.on, diff)
		}
	}
}

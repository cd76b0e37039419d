package mapping

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

func TestSelectors(t *testing.T) {
	staff := func(roles ...string) elevsynkv1.PeopleSelector {
		return elevsynkv1.PeopleSelector{Role: elevsynkv1.RoleStaff, DutyRoles: roles}
	}
	role := func(r elevsynkv1.Role) elevsynkv1.PeopleSelector { return elevsynkv1.PeopleSelector{Role: r} }
	tests := []struct {
		name   string
		from   elevsynkv1.RegisterObject
		filter string
		sel    elevsynkv1.PeopleSelector
		key    string
		want   []string
	}{
		// t2's assignment ended on 09-01; the active one counts.
		{"activity teachers", elevsynkv1.RegisterActivity, "", role(elevsynkv1.RoleTeachers), "r:activity:a-ma", []string{"t1@x"}},
		{"activity students", elevsynkv1.RegisterActivity, "", role(elevsynkv1.RoleStudents), "r:activity:a-ma", []string{"s1@x"}},
		{"activity mentors (of its groups: none)", elevsynkv1.RegisterActivity, "", role(elevsynkv1.RoleMentors), "r:activity:a-ma", []string{}},
		{"group teachers through its activity", elevsynkv1.RegisterGroup, `group.id == "g-7a-ma"`, role(elevsynkv1.RoleTeachers), "r:group:g-7a-ma", []string{"t1@x"}},
		{"class mentors", elevsynkv1.RegisterGroup, `group.type == "Klass"`, role(elevsynkv1.RoleMentors), "r:group:g-7a", []string{"m@x"}},
		// Not s2 (starts later), s3 (ended), the protected, the emigrated, the keyless, the guest (no enrolment).
		{"class students", elevsynkv1.RegisterGroup, `group.type == "Klass"`, role(elevsynkv1.RoleStudents), "r:group:g-7a", []string{"listed@x", "s1@x"}},
		{"class group members include non-students", elevsynkv1.RegisterGroup, `group.type == "Klass"`, role(elevsynkv1.RoleGroupMembers), "r:group:g-7a", []string{"guest@x", "listed@x", "s1@x"}},
		// d-gone (an ended Rektor duty of t2) does not count; t2's teacher duty does.
		{"school staff", elevsynkv1.RegisterSchool, "", staff(), "r:school:11111111", []string{"lib@x", "m@x", "r@x", "t1@x", "t2@x"}},
		{"school staff by duty role", elevsynkv1.RegisterSchool, "", staff("Rektor", "Bibliotekarie"), "r:school:11111111", []string{"lib@x", "r@x"}},
		{"school principals", elevsynkv1.RegisterSchool, "", role(elevsynkv1.RolePrincipals), "r:school:11111111", []string{"r@x"}},
		// s2 is enrolled although their class membership starts later; s3's enrolment ended.
		{"school enrolled", elevsynkv1.RegisterSchool, "", role(elevsynkv1.RoleEnrolled), "r:school:11111111", []string{"listed@x", "s1@x", "s2@x"}},
		{"organisation principals", elevsynkv1.RegisterOrganisation, "", role(elevsynkv1.RolePrincipals), "r:organisation:org-hm", []string{"r@x"}},
		{"group enrolled at its school", elevsynkv1.RegisterGroup, `group.id == "g-7a"`, role(elevsynkv1.RoleEnrolled), "r:group:g-7a", []string{"listed@x", "s1@x", "s2@x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := oneRule(elevsynkv1.Rule{From: tt.from, Filter: tt.filter, Members: []elevsynkv1.PeopleSelector{tt.sel}})
			st, _ := evaluate(t, spec, Options{}, fixture(), fixDay)
			if diff := cmp.Diff(tt.want, roomByKey(t, st, tt.key).Members); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOwnersAndExtraOwners(t *testing.T) {
	spec := oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterGroup, Filter: `group.type == "Klass"`,
		Owners:      []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleMentors}},
		Members:     []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleStudents}, {Role: elevsynkv1.RoleStaff}},
		ExtraOwners: []string{"it@x", "s1@x"}})
	st, rep := evaluate(t, spec, Options{}, fixture(), fixDay)
	r := roomByKey(t, st, "r:group:g-7a")
	if diff := cmp.Diff([]string{"it@x", "m@x", "s1@x"}, r.Owners); diff != "" {
		t.Errorf("owners (-want +got):\n%s", diff)
	}
	// Owners are not repeated as members (m@x is staff, s1@x a student).
	if diff := cmp.Diff([]string{"lib@x", "listed@x", "r@x", "t1@x", "t2@x"}, r.Members); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	if len(rep.Findings) != 0 {
		t.Errorf("findings = %v, want none", rep.Findings)
	}
}

func TestRoleNotForObject(t *testing.T) {
	spec := oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterSchool, Members: []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleStudents}}})
	_, err := Compile(spec, Options{})
	ce, ok := err.(*CompileError)
	if !ok || len(ce.Problems) != 1 || ce.Problems[0].Field != "members[0].role" {
		t.Fatalf("Compile error = %v, want one problem at members[0].role", err)
	}
}

// Enrolled counts an enrolment at the school that counts today: not one
// cancelled, ended or at another school; a second person with a taken id
// enrols the first, as an id lookup would.
func TestEnrolledPerSchool(t *testing.T) {
	d := roster.MustParseDate
	s := fixture()
	s.Organisations = append(s.Organisations, roster.Organisation{ID: "org-su2", DisplayName: "Södra skolan",
		Type: roster.OrganisationSkolenhet, ParentID: "org-hm", SchoolUnitCode: "22222222", SchoolTypes: []roster.SchoolType{roster.SchoolTypeGR}})
	enrolled := func(id, key string, es ...roster.Enrolment) roster.Person {
		return roster.Person{ID: id, EduPersonPrincipalNames: []string{key}, SecurityMarking: roster.SecurityNone,
			PersonStatus: roster.PersonAktiv, Enrolments: es}
	}
	at := func(unit string) roster.Enrolment {
		return roster.Enrolment{SchoolUnitID: unit, SchoolYear: 8, SchoolType: roster.SchoolTypeGR, StartDate: d("2026-08-17")}
	}
	moved, cancelled := at("org-su"), at("org-su2")
	moved.EndDate, cancelled.Cancelled = d("2026-09-01"), true
	s.Persons = append(s.Persons,
		enrolled("p-moved", "moved@x", moved, at("org-su2")),
		enrolled("p-cancelled", "cancelled@x", cancelled),
		enrolled("p-twice", "twice@x", at("org-su2"), at("org-su2")),
		enrolled("p-s1", "not-s1@x", at("org-su2")), // p-s1's id again
	)
	spec := oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterSchool, Members: []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleEnrolled}}})
	st, _ := evaluate(t, spec, Options{}, s, fixDay)
	for key, want := range map[string][]string{
		"r:school:11111111": {"listed@x", "s1@x", "s2@x"},
		"r:school:22222222": {"moved@x", "s1@x", "twice@x"},
	} {
		if diff := cmp.Diff(want, roomByKey(t, st, key).Members); diff != "" {
			t.Errorf("%s members (-want +got):\n%s", key, diff)
		}
	}
}

// A group's members are found wherever they are enrolled, or when they are
// enrolled nowhere, and a group that ended is still read through an
// activity that counts today: membersOf looks people up in the group's
// school first, a whole school at a time.
func TestGroupMembersAcrossSchools(t *testing.T) {
	d := roster.MustParseDate
	s := fixture()
	s.Organisations = append(s.Organisations, roster.Organisation{ID: "org-su2", DisplayName: "Södra skolan",
		Type: roster.OrganisationSkolenhet, ParentID: "org-hm", SchoolUnitCode: "22222222", SchoolTypes: []roster.SchoolType{roster.SchoolTypeGR}})
	s.Persons = append(s.Persons,
		roster.Person{ID: "p-south", EduPersonPrincipalNames: []string{"south@x"}, SecurityMarking: roster.SecurityNone,
			PersonStatus: roster.PersonAktiv, Enrolments: []roster.Enrolment{{SchoolUnitID: "org-su2", SchoolYear: 8,
				SchoolType: roster.SchoolTypeGR, StartDate: d("2026-08-17")}}},
		// p-south's id again: the first person with it is the member.
		roster.Person{ID: "p-south", EduPersonPrincipalNames: []string{"not-south@x"}, SecurityMarking: roster.SecurityNone,
			PersonStatus: roster.PersonAktiv})
	member := func(id string) roster.Membership { return roster.Membership{PersonID: id} }
	s.Groups = append(s.Groups,
		// p-s1 is enrolled at org-su, p-guest nowhere.
		roster.Group{ID: "g-8s", DisplayName: "8S", Type: roster.GroupKlass, SchoolUnitID: "org-su2", SchoolType: roster.SchoolTypeGR,
			Memberships: []roster.Membership{member("p-south"), member("p-s1"), member("p-guest"), member("p-unknown"),
				{PersonID: "p-s2", EndDate: d("2026-09-01")}}},
		roster.Group{ID: "g-8s-old", DisplayName: "8S gammal", Type: roster.GroupUndervisning, SchoolUnitID: "org-su2",
			StartDate: d("2025-08-18"), EndDate: d("2026-06-12"), Memberships: []roster.Membership{member("p-south")}})
	// The ended group read first, with the school's groups, and last, after
	// them.
	s.Activities = append(s.Activities,
		roster.Activity{ID: "a-8s", DisplayName: "8S Svenska", Type: roster.ActivityUndervisning,
			SchoolUnitID: "org-su2", GroupIDs: []string{"g-8s-old", "g-8s"}, StartDate: d("2026-08-17")},
		roster.Activity{ID: "a-8s-en", DisplayName: "8S Engelska", Type: roster.ActivityUndervisning,
			SchoolUnitID: "org-su2", GroupIDs: []string{"g-8s", "g-8s-old"}, StartDate: d("2026-08-17")})
	for _, tt := range []struct {
		from elevsynkv1.RegisterObject
		role elevsynkv1.Role
		key  string
		want []string
	}{
		{elevsynkv1.RegisterGroup, elevsynkv1.RoleStudents, "r:group:g-8s", []string{"s1@x", "south@x"}},
		{elevsynkv1.RegisterGroup, elevsynkv1.RoleGroupMembers, "r:group:g-8s", []string{"guest@x", "s1@x", "south@x"}},
		{elevsynkv1.RegisterActivity, elevsynkv1.RoleStudents, "r:activity:a-8s", []string{"s1@x", "south@x"}},
		{elevsynkv1.RegisterActivity, elevsynkv1.RoleStudents, "r:activity:a-8s-en", []string{"s1@x", "south@x"}},
		// The class of 7A at org-su is unchanged by org-su2's.
		{elevsynkv1.RegisterGroup, elevsynkv1.RoleStudents, "r:group:g-7a", []string{"listed@x", "s1@x"}},
	} {
		spec := oneRule(elevsynkv1.Rule{From: tt.from, Members: []elevsynkv1.PeopleSelector{{Role: tt.role}}})
		st, _ := evaluate(t, spec, Options{}, s, fixDay)
		if diff := cmp.Diff(tt.want, roomByKey(t, st, tt.key).Members); diff != "" {
			t.Errorf("%s %s members (-want +got):\n%s", tt.key, tt.role, diff)
		}
	}
}

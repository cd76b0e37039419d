package mapping

import (
	"testing"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// fixture is one school with one of every case the selectors, windows
// and exclusions must tell apart. Evaluated on fixDay (2026-09-14):
// s2's class membership starts on 09-20, s3's ended on 09-10.
func fixture() *roster.Snapshot {
	d := roster.MustParseDate
	term := func(id, key string) roster.Person {
		return roster.Person{ID: id, EduPersonPrincipalNames: []string{key}, SecurityMarking: roster.SecurityNone, PersonStatus: roster.PersonAktiv}
	}
	pupil := func(id, key string) roster.Person {
		p := term(id, key)
		p.Enrolments = []roster.Enrolment{{SchoolUnitID: "org-su", SchoolYear: 7, SchoolType: roster.SchoolTypeGR, StartDate: d("2026-08-17")}}
		return p
	}
	s3 := pupil("p-s3", "s3@x")
	s3.Enrolments[0].EndDate = d("2026-09-10")
	prot := pupil("p-prot", "prot@x")
	prot.SecurityMarking = roster.SecuritySkyddadFolkbokforing
	sekr := pupil("p-sekr", "sekr@x")
	sekr.SecurityMarking = roster.SecuritySekretessmarkering
	utv := pupil("p-utv", "utv@x")
	utv.PersonStatus = roster.PersonUtvandrad
	nokey := pupil("p-nokey", "")
	nokey.EduPersonPrincipalNames = nil
	guest := term("p-guest", "guest@x") // a member without enrolment
	member := func(id string) roster.Membership { return roster.Membership{PersonID: id} }
	return &roster.Snapshot{
		Organisations: []roster.Organisation{
			{ID: "org-hm", DisplayName: "Exempelstads kommun", Type: roster.OrganisationHuvudman},
			{ID: "org-su", DisplayName: "Norra skolan", Type: roster.OrganisationSkolenhet, ParentID: "org-hm",
				SchoolUnitCode: "11111111", SchoolTypes: []roster.SchoolType{roster.SchoolTypeGR}},
		},
		Persons: []roster.Person{
			term("p-t1", "t1@x"), term("p-t2", "t2@x"), term("p-m", "m@x"), term("p-r", "r@x"), term("p-lib", "lib@x"),
			pupil("p-s1", "s1@x"), pupil("p-s2", "s2@x"), s3, prot, sekr, utv, nokey, pupil("p-listed", "listed@x"), guest,
		},
		Groups: []roster.Group{
			{ID: "g-7a", DisplayName: "7A", Type: roster.GroupKlass, SchoolUnitID: "org-su", SchoolType: roster.SchoolTypeGR,
				StartDate: d("2026-08-17"), EndDate: d("2027-06-11"),
				Memberships: []roster.Membership{member("p-s1"), {PersonID: "p-s2", StartDate: d("2026-09-20")},
					{PersonID: "p-s3", EndDate: d("2026-09-10")}, member("p-prot"), member("p-sekr"), member("p-utv"),
					member("p-nokey"), member("p-listed"), member("p-guest")}},
			{ID: "g-7a-ma", DisplayName: "7A Matematik", Type: roster.GroupUndervisning, SchoolUnitID: "org-su",
				SchoolType: roster.SchoolTypeGR, StartDate: d("2026-08-17"), EndDate: d("2027-06-11"),
				Memberships: []roster.Membership{member("p-s1")}},
			{ID: "g-old", DisplayName: "6A", Type: roster.GroupKlass, SchoolUnitID: "org-su",
				StartDate: d("2025-08-18"), EndDate: d("2026-06-12"), Memberships: []roster.Membership{member("p-s1")}},
		},
		Duties: []roster.Duty{
			{ID: "d-t1", PersonID: "p-t1", SchoolUnitID: "org-su", DutyRole: roster.DutyLarare},
			{ID: "d-t2", PersonID: "p-t2", SchoolUnitID: "org-su", DutyRole: roster.DutyLarare},
			{ID: "d-m", PersonID: "p-m", SchoolUnitID: "org-su", DutyRole: roster.DutyLarare,
				AssignmentRoles: []roster.AssignmentRole{{GroupID: "g-7a", Role: roster.AssignmentMentor}}},
			{ID: "d-r", PersonID: "p-r", SchoolUnitID: "org-su", DutyRole: roster.DutyRektor},
			{ID: "d-lib", PersonID: "p-lib", SchoolUnitID: "org-su", DutyRole: roster.DutyBibliotekarie},
			{ID: "d-gone", PersonID: "p-t2", SchoolUnitID: "org-su", DutyRole: roster.DutyRektor, EndDate: d("2026-06-30")},
		},
		Syllabuses: []roster.Syllabus{{ID: "syl-ma", SchoolType: roster.SchoolTypeGR, SubjectCode: "GRGRMAT01", SubjectName: "Matematik", SubjectDesignation: "MA"}},
		Activities: []roster.Activity{
			{ID: "a-ma", DisplayName: "7A Matematik", Type: roster.ActivityUndervisning, SchoolUnitID: "org-su",
				GroupIDs: []string{"g-7a-ma"}, SyllabusID: "syl-ma", StartDate: d("2026-08-17"), EndDate: d("2027-06-11"),
				Teachers: []roster.ActivityTeacher{{DutyID: "d-t1"}, {DutyID: "d-t2", EndDate: d("2026-09-01")}}},
		},
	}
}

var fixDay = roster.MustParseDate("2026-09-14")

// oneRule is a spec with a single rule.
func oneRule(r elevsynkv1.Rule) elevsynkv1.MappingSpec {
	if r.Name == "" {
		r.Name = "r"
	}
	if r.Room.Kind == "" {
		r.Room.Kind = elevsynkv1.RoomTeam
	}
	if r.Room.Name == "" {
		r.Room.Name = "x"
	}
	return elevsynkv1.MappingSpec{SourceRefs: []elevsynkv1.LocalReference{{Name: "register"}}, Rules: []elevsynkv1.Rule{r}}
}

// evaluate compiles and evaluates spec over snap and fails the test on error.
func evaluate(t *testing.T, spec elevsynkv1.MappingSpec, opts Options, snap *roster.Snapshot, on roster.Date) (desired.State, Report) {
	t.Helper()
	st, rep, err := mustCompile(t, spec, opts).Evaluate(snap, nil, on)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return st, rep
}

func roomByKey(t *testing.T, st desired.State, key string) desired.Room {
	t.Helper()
	for _, r := range st.Rooms {
		if r.Key == key {
			return r
		}
	}
	t.Fatalf("no room %q among %d", key, len(st.Rooms))
	return desired.Room{}
}

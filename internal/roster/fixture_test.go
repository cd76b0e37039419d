package roster

// fixture is a small, valid municipality: one huvudman, one F-9 school, a
// class 7A with a mentor, a maths group with an activity and a teacher.
// Tests mutate copies of it to provoke exactly one finding each.
func fixture() *Snapshot {
	d := MustParseDate
	return &Snapshot{
		Organisations: []Organisation{
			{ID: "org-hm", DisplayName: "Exempelstads kommun", Type: OrganisationHuvudman, MunicipalityCode: "0180"},
			{ID: "org-su", DisplayName: "Björkskolan", Type: OrganisationSkolenhet, ParentID: "org-hm",
				SchoolUnitCode: "12345678", SchoolTypes: []SchoolType{SchoolTypeGR, SchoolTypeFKLASS}},
		},
		Persons: []Person{
			{ID: "p-pupil1", GivenName: "Åsa", FamilyName: "Öberg", CivicNo: "201101012383",
				EduPersonPrincipalNames: []string{"asa.oberg@exempelstad.se"},
				SecurityMarking:         SecurityNone, PersonStatus: PersonAktiv,
				Enrolments: []Enrolment{{SchoolUnitID: "org-su", SchoolYear: 7, SchoolType: SchoolTypeGR, StartDate: d("2024-08-19")}}},
			{ID: "p-pupil2", GivenName: "Erik", FamilyName: "Ärlig",
				Emails:     []Email{{Value: "erik.arlig@exempelstad.se", Type: EmailSkolaElev}},
				Enrolments: []Enrolment{{SchoolUnitID: "org-su", SchoolYear: 7, SchoolType: SchoolTypeGR, StartDate: d("2024-08-19"), EndDate: d("2024-12-20")}}},
			{ID: "p-teacher", GivenName: "Karin", FamilyName: "Lind",
				EduPersonPrincipalNames: []string{"karin.lind@exempelstad.se"}},
		},
		Groups: []Group{
			{ID: "g-7a", DisplayName: "7A", Type: GroupKlass, SchoolUnitID: "org-su", SchoolType: SchoolTypeGR,
				StartDate:   d("2024-08-19"),
				Memberships: []Membership{{PersonID: "p-pupil1"}, {PersonID: "p-pupil2", EndDate: d("2024-12-20")}}},
			{ID: "g-7a-ma", DisplayName: "7A Matematik", Type: GroupUndervisning, SchoolUnitID: "org-su", SchoolType: SchoolTypeGR,
				Memberships: []Membership{{PersonID: "p-pupil1"}}},
		},
		Duties: []Duty{
			{ID: "d-teacher", PersonID: "p-teacher", SchoolUnitID: "org-su", DutyRole: DutyLarare, Signature: "KLI",
				StartDate:       d("2020-08-01"),
				AssignmentRoles: []AssignmentRole{{GroupID: "g-7a", Role: AssignmentMentor}}},
		},
		Syllabuses: []Syllabus{
			{ID: "s-ma", SchoolType: SchoolTypeGR, SubjectCode: "GRGRMAT01", SubjectName: "Matematik", SubjectDesignation: "MA", Official: true},
		},
		Activities: []Activity{
			{ID: "a-7a-ma", DisplayName: "7A Matematik", Type: ActivityUndervisning, SchoolUnitID: "org-su",
				GroupIDs: []string{"g-7a-ma"}, Teachers: []ActivityTeacher{{DutyID: "d-teacher"}}, SyllabusID: "s-ma",
				StartDate: d("2024-08-19")},
		},
	}
}

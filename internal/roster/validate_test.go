package roster

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(s *Snapshot)
		want   Findings
	}{
		{name: "clean fixture", mutate: func(*Snapshot) {}, want: nil},
		{
			name:   "membership of unknown person",
			mutate: func(s *Snapshot) { s.Groups[0].Memberships[0].PersonID = "p-gone" },
			want:   Findings{{Kind: DanglingReference, Entity: EntityGroup, ID: "g-7a", Field: "groupMemberships.person", Ref: "p-gone"}},
		},
		{
			name: "activity with unknown group, syllabus and empty organisation",
			mutate: func(s *Snapshot) {
				s.Activities[0].GroupIDs = append(s.Activities[0].GroupIDs, "g-gone")
				s.Activities[0].SyllabusID = "s-gone"
				s.Activities[0].SchoolUnitID = ""
			},
			want: Findings{
				{Kind: DanglingReference, Entity: EntityActivity, ID: "a-7a-ma", Field: "groups", Ref: "g-gone"},
				{Kind: DanglingReference, Entity: EntityActivity, ID: "a-7a-ma", Field: "organisation"},
				{Kind: DanglingReference, Entity: EntityActivity, ID: "a-7a-ma", Field: "syllabus", Ref: "s-gone"},
			},
		},
		{
			name:   "duty without person is a vacancy, not a finding",
			mutate: func(s *Snapshot) { s.Duties[0].PersonID = "" },
			want:   nil,
		},
		{
			name:   "enrolment at unknown unit",
			mutate: func(s *Snapshot) { s.Persons[1].Enrolments[0].SchoolUnitID = "org-gone" },
			want:   Findings{{Kind: DanglingReference, Entity: EntityPerson, ID: "p-pupil2", Field: "enrolments.enroledAt", Ref: "org-gone"}},
		},
		{
			name: "duplicate person id reported once per extra occurrence",
			mutate: func(s *Snapshot) {
				s.Persons = append(s.Persons, s.Persons[0], s.Persons[0])
			},
			want: Findings{
				{Kind: DuplicateID, Entity: EntityPerson, ID: "p-pupil1"},
				{Kind: DuplicateID, Entity: EntityPerson, ID: "p-pupil1"},
			},
		},
		{
			name: "person with neither eppn nor email",
			mutate: func(s *Snapshot) {
				s.Persons[0].EduPersonPrincipalNames = []string{""}
			},
			want: Findings{{Kind: NoAccountKey, Entity: EntityPerson, ID: "p-pupil1"}},
		},
		{
			name:   "klass group without mentor or activity",
			mutate: func(s *Snapshot) { s.Duties[0].AssignmentRoles = nil },
			want:   Findings{{Kind: GroupWithoutTeacher, Entity: EntityGroup, ID: "g-7a"}},
		},
		{
			name: "activity without teacher leaves its group without teacher too",
			mutate: func(s *Snapshot) {
				s.Activities[0].Teachers = nil
			},
			want: Findings{
				{Kind: ActivityWithoutTeacher, Entity: EntityActivity, ID: "a-7a-ma"},
				{Kind: GroupWithoutTeacher, Entity: EntityGroup, ID: "g-7a-ma"},
			},
		},
		{
			name: "teacher pointing at unknown duty does not count as a teacher",
			mutate: func(s *Snapshot) {
				s.Activities[0].Teachers[0].DutyID = "d-gone"
			},
			want: Findings{
				{Kind: DanglingReference, Entity: EntityActivity, ID: "a-7a-ma", Field: "teachers.duty", Ref: "d-gone"},
				{Kind: GroupWithoutTeacher, Entity: EntityGroup, ID: "g-7a-ma"},
			},
		},
		{
			name: "mentor group without teacher is not checked",
			mutate: func(s *Snapshot) {
				s.Groups = append(s.Groups, Group{ID: "g-mentor", Type: GroupMentor, SchoolUnitID: "org-su"})
			},
			want: nil,
		},
		{
			name:   "school unit code with 7 digits",
			mutate: func(s *Snapshot) { s.Organisations[1].SchoolUnitCode = "1234567" },
			want:   Findings{{Kind: InvalidSchoolUnitCode, Entity: EntityOrganisation, ID: "org-su", Field: "schoolUnitCode"}},
		},
		{
			name:   "school unit code with letters",
			mutate: func(s *Snapshot) { s.Organisations[1].SchoolUnitCode = "1234567X" },
			want:   Findings{{Kind: InvalidSchoolUnitCode, Entity: EntityOrganisation, ID: "org-su", Field: "schoolUnitCode"}},
		},
		{
			name:   "grundskola without school unit code",
			mutate: func(s *Snapshot) { s.Organisations[1].SchoolUnitCode = "" },
			want:   Findings{{Kind: InvalidSchoolUnitCode, Entity: EntityOrganisation, ID: "org-su", Field: "schoolUnitCode"}},
		},
		{
			name: "förskola may lack a school unit code",
			mutate: func(s *Snapshot) {
				s.Organisations[1].SchoolUnitCode = ""
				s.Organisations[1].SchoolTypes = []SchoolType{SchoolTypeFS}
			},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fixture()
			tt.mutate(s)
			got := Validate(s)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFindingsCounts(t *testing.T) {
	s := fixture()
	s.Persons[0].EduPersonPrincipalNames = nil
	s.Persons[1].Emails = nil
	s.Activities[0].Teachers = nil
	f := Validate(s)
	wantCounts := map[Kind]int{NoAccountKey: 2, ActivityWithoutTeacher: 1, GroupWithoutTeacher: 1}
	if diff := cmp.Diff(wantCounts, f.Counts()); diff != "" {
		t.Errorf("Counts (-want +got):\n%s", diff)
	}
	wantSummary := []KindCount{{ActivityWithoutTeacher, 1}, {GroupWithoutTeacher, 1}, {NoAccountKey, 2}}
	if diff := cmp.Diff(wantSummary, f.Summary()); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}
	if got := len(f.OfKind(NoAccountKey)); got != 2 {
		t.Errorf("OfKind(NoAccountKey) has %d findings, want 2", got)
	}
}

// TestFindingsCarryNoPersonalData: findings go to status and logs, so their
// JSON must not contain a name, civic number or e-mail address from the input.
func TestFindingsCarryNoPersonalData(t *testing.T) {
	s := fixture()
	for i := range s.Persons {
		s.Persons[i].Enrolments = append(s.Persons[i].Enrolments, Enrolment{SchoolUnitID: "org-gone"})
	}
	s.Groups[0].Memberships = append(s.Groups[0].Memberships, Membership{PersonID: "p-gone"})
	s.Activities[0].Teachers = nil
	f := Validate(s)
	if len(f) < 4 {
		t.Fatalf("expected several findings, got %d", len(f))
	}
	b, _ := json.Marshal(f)
	for _, p := range fixture().Persons {
		for _, secret := range append([]string{p.GivenName, p.FamilyName, p.CivicNo.Reveal()}, p.AccountKeys()...) {
			if secret != "" && strings.Contains(string(b), secret) {
				t.Errorf("findings contain personal data %q", secret)
			}
		}
	}
}

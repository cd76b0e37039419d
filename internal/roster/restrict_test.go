package roster

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOnlySchoolUnits(t *testing.T) {
	s := &Snapshot{
		Organisations: []Organisation{
			{ID: "hm", Type: OrganisationHuvudman},
			{ID: "north", Type: OrganisationSkolenhet, SchoolUnitCode: "11111111", ParentID: "hm"},
			{ID: "south", Type: OrganisationSkolenhet, SchoolUnitCode: "22222222", ParentID: "hm"},
		},
		Persons: []Person{
			{ID: "pupil-n", Enrolments: []Enrolment{{SchoolUnitID: "north"}}},
			{ID: "pupil-s", Enrolments: []Enrolment{{SchoolUnitID: "south"}}},
			{ID: "teacher-n"},
			{ID: "teacher-s"},
		},
		Duties:     []Duty{{ID: "d-n", PersonID: "teacher-n", SchoolUnitID: "north"}, {ID: "d-s", PersonID: "teacher-s", SchoolUnitID: "south"}},
		Groups:     []Group{{ID: "g-n", SchoolUnitID: "north"}, {ID: "g-s", SchoolUnitID: "south"}},
		Activities: []Activity{{ID: "a-n", SchoolUnitID: "north"}, {ID: "a-s", SchoolUnitID: "south"}},
		Syllabuses: []Syllabus{{ID: "ma"}},
	}
	got := OnlySchoolUnits(s, map[string]bool{"11111111": true})
	ids := func(n int, id func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = id(i)
		}
		return out
	}
	gotIDs := map[string][]string{
		"organisations": ids(len(got.Organisations), func(i int) string { return got.Organisations[i].ID }),
		"persons":       ids(len(got.Persons), func(i int) string { return got.Persons[i].ID }),
		"duties":        ids(len(got.Duties), func(i int) string { return got.Duties[i].ID }),
		"groups":        ids(len(got.Groups), func(i int) string { return got.Groups[i].ID }),
		"activities":    ids(len(got.Activities), func(i int) string { return got.Activities[i].ID }),
		"syllabuses":    ids(len(got.Syllabuses), func(i int) string { return got.Syllabuses[i].ID }),
	}
	want := map[string][]string{
		"organisations": {"hm", "north"},
		"persons":       {"pupil-n", "teacher-n"},
		"duties":        {"d-n"},
		"groups":        {"g-n"},
		"activities":    {"a-n"},
		"syllabuses":    {"ma"},
	}
	if d := cmp.Diff(want, gotIDs); d != "" {
		t.Errorf("kept (-want +got):\n%s", d)
	}
}

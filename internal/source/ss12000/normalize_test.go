package ss12000_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source/ss12000"
)

func TestNormalize(t *testing.T) {
	st := &ss12000.State{
		Groups: map[string]ss12000.Group{"g1": {
			ID: "g1", DisplayName: "Sv 8", GroupType: "Undervisning", Organisation: ss12000.ObjectReference{ID: "o1"},
			// Some vendors send date-times for dates; the date part counts.
			StartDate: "2025-08-18T00:00:00", EndDate: "2026-06-12",
			GroupMemberships: []ss12000.GroupMembership{
				{Person: ss12000.ObjectReference{ID: "p2"}, StartDate: "2025-08-18"},
				{Person: ss12000.ObjectReference{ID: "p1"}},
			},
		}},
		Persons: map[string]ss12000.Person{"p1": {ID: "p1", GivenName: "A", FamilyName: "B",
			CivicNo: &ss12000.CivicNo{Value: "201201012381"}, SecurityMarking: "Skyddad folkbokföring",
			Enrolments: []ss12000.Enrolment{{EnroledAt: ss12000.ObjectReference{ID: "o1"}, SchoolType: "GR", StartDate: "2019-08-19"}}}},
		Duties: map[string]ss12000.Duty{"d1": {ID: "d1", DutyAt: ss12000.ObjectReference{ID: "o1"}, DutyRole: "Lärare", StartDate: "2020-01-01"}},
	}
	got, err := ss12000.Normalize(st)
	if err != nil {
		t.Fatal(err)
	}
	want := &roster.Snapshot{
		Organisations: []roster.Organisation{},
		Persons: []roster.Person{{ID: "p1", GivenName: "A", FamilyName: "B", CivicNo: "201201012381", SecurityMarking: "Skyddad folkbokföring",
			Enrolments: []roster.Enrolment{{SchoolUnitID: "o1", SchoolType: "GR", StartDate: roster.MustParseDate("2019-08-19")}}}},
		Groups: []roster.Group{{ID: "g1", DisplayName: "Sv 8", Type: "Undervisning", SchoolUnitID: "o1",
			StartDate: roster.MustParseDate("2025-08-18"), EndDate: roster.MustParseDate("2026-06-12"),
			Memberships: []roster.Membership{{PersonID: "p1"}, {PersonID: "p2", StartDate: roster.MustParseDate("2025-08-18")}}}},
		Duties:     []roster.Duty{{ID: "d1", SchoolUnitID: "o1", DutyRole: "Lärare", StartDate: roster.MustParseDate("2020-01-01")}},
		Syllabuses: []roster.Syllabus{},
		Activities: []roster.Activity{},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestNormalizeRejectsBadDates(t *testing.T) {
	for _, tc := range []struct {
		name  string
		st    *ss12000.State
		field string
	}{
		{"membership end", &ss12000.State{Groups: map[string]ss12000.Group{"g1": {ID: "g1",
			GroupMemberships: []ss12000.GroupMembership{{Person: ss12000.ObjectReference{ID: "p1"}, EndDate: "2012-02-30"}}}}},
			"Group g1: invalid groupMemberships.endDate"},
		{"enrolment start", &ss12000.State{Persons: map[string]ss12000.Person{"p1": {ID: "p1",
			Enrolments: []ss12000.Enrolment{{StartDate: "20120101-2381"}}}}},
			"Person p1: invalid enrolments.startDate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ss12000.Normalize(tc.st)
			if err == nil || !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("err = %v, want it to name %q", err, tc.field)
			}
			if strings.Contains(err.Error(), "2012") {
				t.Errorf("err = %q repeats the value", err)
			}
		})
	}
}

func TestWirePersonDoesNotPrintPersonalData(t *testing.T) {
	p := ss12000.Person{ID: "p1", GivenName: "Maja", CivicNo: &ss12000.CivicNo{Value: "201201012381"}}
	for _, s := range []string{fmt.Sprint(p), fmt.Sprintf("%+v %#v", p, p), fmt.Sprint(*p.CivicNo)} {
		if strings.Contains(s, "Maja") || strings.Contains(s, "201201012381") {
			t.Errorf("printed %q", s)
		}
	}
}

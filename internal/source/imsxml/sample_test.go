package imsxml

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source/export"
)

func readFile(t testing.TB, name string, prev *State) *State {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := Read(f, name, export.Auto, prev)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestTietoExample reads Tieto's published compulsory-school example
// (testdata/README.md): ISO-8859-1, namespaced, Tieto v1 structure.
func TestTietoExample(t *testing.T) {
	s := readFile(t, "tieto-organization-gr.xml", nil).Snapshot()
	const (
		unit      = "328"
		class     = "10751"
		teacher   = "00a9025e-593f-4e5a-8ae2-ae7b6019ffd7"
		principal = "3c1e4d2c-c4d1-4688-94cf-6cb0984aa813"
	)
	wantOrgs := []roster.Organisation{{ID: unit, DisplayName: "1. Jonas Ladugårdsskola", Type: roster.OrganisationSkolenhet,
		OrganisationCode: "328", SchoolUnitCode: "52940467", MunicipalityCode: "1011", SchoolTypes: []roster.SchoolType{"GR"},
		StartDate: roster.MustParseDate("1990-01-01")}}
	if d := cmp.Diff(wantOrgs, s.Organisations); d != "" {
		t.Errorf("organisations (-want +got):\n%s", d)
	}
	if len(s.Groups) != 1 || s.Groups[0].ID != class || s.Groups[0].Type != roster.GroupKlass || len(s.Groups[0].Memberships) != 3 {
		t.Fatalf("groups: want class %s with 3 pupils, got %+v", class, s.Groups)
	}
	var pupils, staff int
	for _, p := range s.Persons {
		if p.CivicNo == "" || p.SecurityMarking != roster.SecurityNone {
			t.Errorf("person %s: civic number %t, marking %q", p.ID, p.CivicNo != "", p.SecurityMarking)
		}
		switch len(p.Enrolments) {
		case 1:
			pupils++
			if e := p.Enrolments[0]; e.SchoolUnitID != unit || e.SchoolYear != 3 || e.SchoolType != "GR" {
				t.Errorf("pupil %s's enrolment: %+v", p.ID, e)
			}
		case 0:
			staff++
		}
	}
	if pupils != 3 || staff != 2 {
		t.Errorf("%d pupils and %d staff, want 3 and 2", pupils, staff)
	}
	wantDuties := []roster.Duty{
		{ID: export.DutyID(principal, unit), PersonID: principal, SchoolUnitID: unit, DutyRole: roster.DutyRektor},
		{ID: export.DutyID(teacher, unit), PersonID: teacher, SchoolUnitID: unit, DutyRole: roster.DutyLarare},
	}
	if d := cmp.Diff(wantDuties, s.Duties); d != "" {
		t.Errorf("duties (-want +got):\n%s", d)
	}
	// Each subject group of the class is taught as an activity of the class.
	if len(s.Activities) != 2 {
		t.Fatalf("%d activities, want 2", len(s.Activities))
	}
	for _, a := range s.Activities {
		if len(a.GroupIDs) != 1 || a.GroupIDs[0] != class || len(a.Teachers) != 1 || a.Teachers[0].DutyID != export.DutyID(teacher, unit) ||
			a.SchoolUnitID != unit || a.StartDate != roster.MustParseDate("2013-08-19") || a.SyllabusID == "" {
			t.Errorf("activity %+v", a)
		}
	}
	if f := roster.Validate(s).Summary(); len(f) != 1 || f[0].Kind != "NoAccountKey" {
		t.Errorf("findings %v, want only NoAccountKey (the example has no user names)", f)
	}
}

// TestTietoDelta applies Tieto's published Delta example on top of the
// Complete one: its persons are added or replaced, and prev is unchanged.
func TestTietoDelta(t *testing.T) {
	complete := readFile(t, "tieto-organization-gr.xml", nil)
	before := complete.Snapshot().Hash()
	delta := readFile(t, "tieto-organization-gy-delta.xml", complete)
	if got := complete.Snapshot().Hash(); got != before {
		t.Fatal("applying a Delta changed the state it was applied to")
	}
	if n, want := len(delta.Persons), len(complete.Persons)+3; n != want {
		t.Errorf("%d persons after the Delta, want %d", n, want)
	}
	if _, err := Read(mustOpen(t, "tieto-organization-gy-delta.xml"), "delta.xml", export.Auto, nil); err == nil {
		t.Error("a Delta with nothing before it was accepted")
	}
}

func mustOpen(t *testing.T, name string) *os.File {
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

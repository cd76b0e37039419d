package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/mapping"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixture is a small school: a teacher, a pupil, a pupil with a protected
// identity whom a lenient Tenant placed in a class, and a pupil without an
// account; a class renamed in the target with an extra member, a team
// not made yet, a room without owners, and an orphan.
func fixture() Input {
	snap := &roster.Snapshot{
		Organisations: []roster.Organisation{{ID: "s1", DisplayName: "Norra skolan", Type: roster.OrganisationSkolenhet}},
		Persons: []roster.Person{
			{ID: "p-bo", GivenName: "Bo", FamilyName: "Lärare", EduPersonPrincipalNames: []string{"bo@x.se"}, CivicNo: "197001012383"},
			{ID: "p-anna", GivenName: "Anna", FamilyName: "Elev", EduPersonPrincipalNames: []string{"anna@x.se"}, CivicNo: "201001012389",
				Enrolments: []roster.Enrolment{{SchoolUnitID: "s1"}}},
			{ID: "p-cilla", GivenName: "Cilla", FamilyName: "Skyddad", EduPersonPrincipalNames: []string{"cilla@x.se"},
				SecurityMarking: roster.SecuritySekretessmarkering, CivicNo: "201002022388", Enrolments: []roster.Enrolment{{SchoolUnitID: "s1"}}},
			{ID: "p-dan", GivenName: "Dan", FamilyName: "Utan", Enrolments: []roster.Enrolment{{SchoolUnitID: "s1"}}},
		},
	}
	want := desired.State{Rooms: []desired.Room{
		{Key: "k:group:7a", Kind: elevsynkv1.RoomClassTeam, Name: "NOS 7A", School: "Norra skolan", Owners: []string{"bo@x.se"}, Members: []string{"anna@x.se", "cilla@x.se"}},
		{Key: "k:group:lag", Kind: elevsynkv1.RoomTeam, Name: "NOS Arbetslag", School: "Norra skolan", Owners: []string{"bo@x.se"}},
		{Key: "k:group:tom", Kind: elevsynkv1.RoomSecurityGroup, Name: "NOS Tom", School: "Norra skolan", Members: []string{"anna@x.se"}},
	}}
	have := []target.Room{
		{Key: "k:group:7a", Kind: elevsynkv1.RoomClassTeam, ID: "g1", Name: "7A gammal", Owners: []string{"bo@x.se"}, Members: []string{"anna@x.se", "cilla@x.se", "vikarie@x.se"}},
		{Key: "k:group:tom", Kind: elevsynkv1.RoomSecurityGroup, ID: "g3", Name: "NOS Tom", Members: []string{"anna@x.se"}},
		{Key: "k:group:gammal", Kind: elevsynkv1.RoomTeam, ID: "g2", Name: "Gammal grupp", Owners: []string{"bo@x.se"}, Members: []string{"cilla@x.se", "anna@x.se"}},
	}
	day := roster.NewDate(2026, time.December, 2)
	p := plan.Compute(want, have, elevsynkv1.Policy{Deletion: elevsynkv1.DeletionArchive}, day)
	return Input{
		Tenant: "norra/norra", DisplayName: "Norra kommun", GeneratedAt: time.Date(2026, 12, 2, 7, 0, 0, 0, time.UTC), Register: snap,
		Mappings: []MappingInput{{Name: "skolor", Want: want,
			Report: mapping.Report{
				ExcludedPeople: []elevsynkv1.ReasonCount{{Reason: mapping.ReasonSecurityMarking, Count: 1}, {Reason: mapping.ReasonNoAccountKey, Count: 1}},
				// The builder must hold back a protected person even if a
				// report were to name one.
				LeftOut:  []mapping.LeftOut{{PersonID: "p-dan", Reason: mapping.ReasonNoAccountKey}, {PersonID: "p-cilla", Reason: mapping.ReasonSecurityMarking}},
				Findings: []elevsynkv1.ReasonCount{{Reason: mapping.FindingRoomWithoutOwners, Count: 1}},
			},
			Targets: []TargetInput{{Name: "microsoft365", Platform: "microsoft365", Mode: elevsynkv1.ModeApply, Want: want, Have: have, Plan: p,
				NotHeld: []NotHeld{{Why: "the target cannot hold them", Count: 1}}}},
		}},
	}
}

func TestBuild(t *testing.T) {
	r := Build(fixture())
	name := func(ids []int) []string {
		out := []string{}
		for _, i := range ids {
			out = append(out, r.People[i].Key)
		}
		return out
	}
	type room struct {
		Name, State, ObservedName string
		Drift                     []plan.Reason
		Owners, Members, Extra    []string
		Protected                 int
	}
	var got []room // by school, then kind, then name
	for _, x := range r.Targets[0].Rooms {
		got = append(got, room{x.Name, x.State, x.ObservedName, x.Drift, name(x.Owners), name(x.Members), name(x.ExtraMembers), x.Protected})
	}
	want := []room{
		{Name: "Gammal grupp", State: Orphaned, Drift: []plan.Reason{plan.Orphaned}, Owners: []string{}, Members: []string{}, Extra: []string{"anna@x.se"}, Protected: 1},
		{Name: "NOS 7A", State: Drifted, ObservedName: "7A gammal", Drift: []plan.Reason{plan.Renamed, plan.ExtraMembers},
			Owners: []string{"bo@x.se"}, Members: []string{"anna@x.se"}, Extra: []string{"vikarie@x.se"}, Protected: 1},
		{Name: "NOS Tom", State: InSync, Owners: []string{}, Members: []string{"anna@x.se"}, Extra: []string{}},
		{Name: "NOS Arbetslag", State: Missing, Drift: []plan.Reason{plan.Missing}, Owners: []string{"bo@x.se"}, Members: []string{}, Extra: []string{}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rooms (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]LeftPerson{{Name: "Dan Utan", Reason: mapping.ReasonNoAccountKey, School: "Norra skolan"}}, r.LeftOut.People); diff != "" {
		t.Errorf("left out (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Finding{{Reason: mapping.FindingRoomWithoutOwners, Count: 1, Rooms: []string{"NOS Tom"}}}, r.Findings); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]School{{Name: "Norra skolan", Rooms: map[string]int{"ClassTeam": 1, "SecurityGroup": 1, "Team": 1}, Memberships: 5}}, r.Schools); diff != "" {
		t.Errorf("schools (-want +got):\n%s", diff)
	}
	if r.People[indexOf(r, "vikarie@x.se")].Name != "" {
		t.Error("an account the register does not know got a name")
	}
}

func indexOf(r Report, key string) int {
	for i, p := range r.People {
		if p.Key == key {
			return i
		}
	}
	return -1
}

// Neither form holds a civic number, nor the name or account of the
// person with a protected identity, however they reached the input.
func TestPrivacy(t *testing.T) {
	r := Build(fixture())
	var js, page bytes.Buffer
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	for form, out := range map[string]string{"json": js.String(), "html": page.String()} {
		for _, leak := range []string{"Cilla", "Skyddad", "cilla@x.se", "197001012383", "201001012389", "201002022388", "p-cilla"} {
			if strings.Contains(out, leak) {
				t.Errorf("the %s report holds %q", form, leak)
			}
		}
		if !strings.Contains(out, "Anna Elev") {
			t.Errorf("the %s report lacks an unprotected pupil's name: the scan proves nothing", form)
		}
	}
	if !strings.Contains(page.String(), Notice) {
		t.Error("the page does not say it holds personal data")
	}
}

func TestJSONGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, Build(fixture())); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "report.golden.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("JSON report (-golden +got), run with -update if intended:\n%s", diff)
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	r := Build(fixture())
	for _, name := range []string{"r.html", "r.json"} {
		path := filepath.Join(dir, name)
		if err := WriteFile(path, r); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", name, fi.Mode().Perm())
		}
	}
	if err := WriteFile(filepath.Join(dir, "r.txt"), r); err == nil || !strings.Contains(err.Error(), ".html or .json") {
		t.Errorf("r.txt: %v, want a refusal naming the extensions", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".r*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// Account keys that differ in case only are one person, as the plan
// has them: no member is shown missing or extra for it.
func TestKeysCompareAsThePlan(t *testing.T) {
	want := desired.State{Rooms: []desired.Room{{Key: "k", Kind: elevsynkv1.RoomTeam, Name: "Lag", Owners: []string{"bo@x.se"}, Members: []string{"anna@x.se"}}}}
	have := []target.Room{{Key: "k", Kind: elevsynkv1.RoomTeam, ID: "g", Name: "Lag", Owners: []string{"Bo@X.se"}, Members: []string{"ANNA@x.se"}}}
	p := plan.Compute(want, have, elevsynkv1.Policy{}, roster.NewDate(2026, time.December, 2))
	r := Build(Input{Mappings: []MappingInput{{Want: want, Targets: []TargetInput{{Want: want, Have: have, Plan: p}}}}})
	room := r.Targets[0].Rooms[0]
	if room.State != InSync || len(room.MissingMembers)+len(room.ExtraMembers)+len(room.MissingOwners)+len(room.ExtraOwners) != 0 {
		t.Errorf("room %+v, want in sync with no one missing or extra", room)
	}
}

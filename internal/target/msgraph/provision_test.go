package msgraph

import (
	"context"
	"fmt"
	"slices"
	"testing"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/sandbox/graph"
	"github.com/elevsynk/elevsynk/internal/target"
)

func people(prefix string, from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("%s%02d@skola.example", prefix, i))
	}
	slices.Sort(out)
	return out
}

// handState has a room of every kind, with more members than one request
// may carry.
func handState() desired.State {
	st := desired.State{Rooms: []desired.Room{
		{Key: "undervisning:activity:a1", Kind: elevsynkv1.RoomClassTeam, Name: "NO 7A Matematik 2026/27",
			Owners: people("t", 1, 2), Members: people("s", 0, 25)},
		{Key: "klasser:group:g7a", Kind: elevsynkv1.RoomTeam, Name: "NO Klass 7A", MailNickname: "no-klass-7a",
			Description: "Klass 7A", Owners: people("t", 2, 4), Members: people("s", 0, 5)},
		{Key: "elever-sakerhetsgrupp:school:111", Kind: elevsynkv1.RoomSecurityGroup, Name: "SG NO Elever",
			MailNickname: "sg-no-elever", Members: people("s", 0, 30)},
		{Key: "foraldrar:school:111", Kind: elevsynkv1.RoomMailGroup, Name: "NO Vårdnadshavare", MailNickname: "no-vh",
			Owners: people("t", 1, 2), Members: append(people("t", 2, 3), people("s", 0, 1)...)},
	}}
	for i := range st.Rooms {
		r := &st.Rooms[i]
		r.SetPeople(r.Owners, r.Members)
	}
	st.Sort()
	return st
}

// handState0 is the empty state: every room orphaned.
func handState0() desired.State { return desired.State{} }

func TestProvisionEveryKind(t *testing.T) {
	st := handState()
	e := newEnv(t, usersFor(st), nil)
	tg := e.adapter(nil)
	p, res := sync1(t, context.Background(), tg, st)
	if len(res.Failures) > 0 || res.Applied != len(p.Actions) {
		t.Fatalf("first apply: %+v", res)
	}
	checkObserved(t, tg, st)
	checkNoDuplicates(t, e.sb)

	// What Graph holds: a class with its key as externalId and a class
	// team; a standard team; owners of Microsoft 365 groups also members;
	// the prefix on every nickname.
	byName := map[string]graphGroup{}
	for _, g := range e.sb.Groups() {
		byName[g.DisplayName] = graphGroup{g.IsClass, g.ClassExternalID, g.Team, g.TeamTemplate, g.Unified, len(g.Owners), len(g.Members), g.MailNickname}
	}
	want := map[string]graphGroup{
		"NO 7A Matematik 2026/27": {true, "undervisning:activity:a1", true, "educationClass", true, 1, 26, "elevsynk-undervisning-activity-a1"},
		"NO Klass 7A":             {false, "", true, "standard", true, 2, 7, "elevsynk-no-klass-7a"},
		"SG NO Elever":            {false, "", false, "", false, 0, 30, "elevsynk-sg-no-elever"},
		"NO Vårdnadshavare":       {false, "", false, "", true, 1, 3, "elevsynk-no-vh"},
	}
	if !cmpEqual(t, want, byName) {
		return
	}

	// Nothing changed: the second round writes nothing.
	e.sb.ResetCounters()
	before := tg.Stats()
	p, res = sync1(t, context.Background(), tg, st)
	if len(p.Actions) != 0 || e.sb.Writes() != 0 {
		t.Errorf("second round: %d actions, %d writes (%v)", len(p.Actions), e.sb.Writes(), e.sb.Counts())
	}
	if after := tg.Stats(); after.Writes != before.Writes {
		t.Errorf("adapter counted %d writes in a no-change round", after.Writes-before.Writes)
	}
}

type graphGroup struct {
	IsClass    bool
	ExternalID string
	Team       bool
	Template   string
	Unified    bool
	Owners     int
	Members    int
	Nick       string
}

func cmpEqual[T comparable](t *testing.T, want, got map[string]T) bool {
	t.Helper()
	ok := true
	for k, w := range want {
		if g, found := got[k]; !found || g != w {
			t.Errorf("%s: got %+v, want %+v", k, g, w)
			ok = false
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d groups, want %d", len(got), len(want))
		ok = false
	}
	return ok
}

// A room whose owners have no account cannot get a team; people without
// an account are counted and left out.
func TestUnresolvedPeople(t *testing.T) {
	st := handState()
	e := newEnv(t, usersFor(st, "t01@skola.example", "s03@skola.example"), nil)
	tg := e.adapter(nil)
	_, res := sync1(t, context.Background(), tg, st)
	if res.Unresolved != 2 {
		t.Errorf("Unresolved = %d, want 2", res.Unresolved)
	}
	var failed []string
	for _, f := range res.Failures {
		failed = append(failed, string(f.Kind)+" "+string(f.Op))
	}
	// The class team's only owner is t01.
	if !slices.Equal(failed, []string{"ClassTeam Create"}) {
		t.Errorf("failures %v, want the class team's create only", failed)
	}
	have, _ := tg.Observe(context.Background())
	for _, r := range have {
		if slices.Contains(r.Members, "s03@skola.example") || slices.Contains(r.Owners, "t01@skola.example") {
			t.Errorf("%s lists a person without an account", r.Key)
		}
	}
}

// An adapter that never observed applies the whole plan from nothing
// again, as after a lost cluster with a stale plan: groups are found by
// uniqueName (the upsert answers 204, or 400 for owners already bound),
// the class by its externalId after its nickname collides, and nothing is
// made twice.
func TestCreateAgainFindsExisting(t *testing.T) {
	st := handState()
	e := newEnv(t, usersFor(st), nil)
	converge(t, e.adapter(nil), st, 2)
	before := len(e.sb.Groups())

	p := plan.Compute(st, nil, policy, day)
	e.sb.ResetCounters()
	res := e.adapter(nil).Apply(context.Background(), p.Actions)
	if len(res.Failures) > 0 || res.Applied != len(p.Actions) {
		t.Fatalf("second create: %+v", res)
	}
	c := e.sb.Counts()
	if c["GET /groups(uniqueName='{name}')"] != 3 || c["GET /education/classes"] != 1 || c["POST /teams"] != 0 {
		t.Errorf("adoption took other paths than expected: %v", c)
	}
	if n := len(e.sb.Groups()); n != before {
		t.Errorf("%d groups after creating again, want %d", n, before)
	}
	checkNoDuplicates(t, e.sb)
	tg := e.adapter(nil)
	checkObserved(t, tg, st)
	if p, _ := sync1(t, context.Background(), tg, st); len(p.Actions) != 0 {
		t.Errorf("%d actions left", len(p.Actions))
	}
}

// A hand-built create of a staff team takes the template it names.
func TestTeamTemplate(t *testing.T) {
	e := newEnv(t, []graph.User{{ID: "u1", UserPrincipalName: "rektor@skola.example"}}, nil)
	tg := e.adapter(nil)
	res := tg.Apply(context.Background(), []target.Action{{Op: target.OpCreate, Kind: elevsynkv1.RoomTeam,
		Key: "personal:school:1", Name: "NO Personal", MailNickname: "no-personal", Template: "educationStaff",
		People: []string{"Rektor@Skola.Example"}}})
	if res.Applied != 1 || len(res.Failures) > 0 {
		t.Fatalf("apply: %+v", res)
	}
	if g := groupByName(t, e.sb, "NO Personal"); g.TeamTemplate != "educationStaff" || len(g.Owners) != 1 {
		t.Errorf("staff team %+v", g)
	}
}

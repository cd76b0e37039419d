package msgraph

import (
	"context"
	"slices"
	"strings"
	"testing"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/sandbox/graph"
	"github.com/elevsynk/elevsynk/internal/target"
)

func groupByName(t *testing.T, sb *graph.Server, name string) graph.Group {
	t.Helper()
	for _, g := range sb.Groups() {
		if g.DisplayName == name {
			return g
		}
	}
	t.Fatalf("no group %q", name)
	return graph.Group{}
}

func roomByKey(t *testing.T, rooms []target.Room, key string) target.Room {
	t.Helper()
	for _, r := range rooms {
		if r.Key == key {
			return r
		}
	}
	t.Fatalf("no room %q observed", key)
	return target.Room{}
}

// A teacher renames the team and adds a pupil by hand: the next observe,
// incremental, shows both, the plan corrects both, and the room is back.
func TestDriftByHand(t *testing.T) {
	st := handState()
	e := newEnv(t, usersFor(st), nil)
	tg := e.adapter(nil)
	converge(t, tg, st, 2)
	team := groupByName(t, e.sb, "NO Klass 7A")
	extra, _ := e.sb.UserByKey("s20@skola.example")
	if err := e.sb.RenameGroup(team.ID, "Bästa klassen"); err != nil {
		t.Fatal(err)
	}
	if err := e.sb.AddMember(team.ID, extra.ID); err != nil {
		t.Fatal(err)
	}
	e.sb.ResetCounters()
	have, err := tg.Observe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c := e.sb.Counts(); c["GET /groups/delta"] != 1 || c["GET /groups"] != 0 {
		t.Errorf("observe was not incremental: %v", c)
	}
	r := roomByKey(t, have, "klasser:group:g7a")
	if r.Name != "Bästa klassen" || !slices.Contains(r.Members, "s20@skola.example") {
		t.Fatalf("drift not observed: name %q, members %v", r.Name, r.Members)
	}
	p := plan.Compute(st, have, policy, day)
	var ops []target.Op
	for _, a := range p.Actions {
		ops = append(ops, a.Op)
	}
	if !slices.Equal(ops, []target.Op{target.OpRename, target.OpRemoveMembers}) {
		t.Errorf("plan %v, want Rename and RemoveMembers", ops)
	}
	if res := tg.Apply(context.Background(), p.Actions); len(res.Failures) > 0 {
		t.Fatalf("apply: %+v", res)
	}
	checkObserved(t, tg, st)
}

// Archiving is on the team, not the group, so delta does not see it; the
// next full pass does, and Correct unarchives.
func TestArchivedByHand(t *testing.T) {
	st := handState()
	e := newEnv(t, usersFor(st), nil)
	tg := e.adapter(nil)
	converge(t, tg, st, 2)
	team := groupByName(t, e.sb, "NO Klass 7A")
	if err := e.sb.ArchiveTeam(team.ID); err != nil {
		t.Fatal(err)
	}
	seen := false
	for range 5 { // FullEvery is 5
		have, err := tg.Observe(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		seen = seen || roomByKey(t, have, "klasser:group:g7a").Archived
	}
	if !seen {
		t.Fatal("archived team not seen within a full-pass cycle")
	}
	pol := elevsynkv1.Policy{Drift: elevsynkv1.DriftPolicy{Archived: elevsynkv1.DriftCorrect}}
	have, _ := tg.Observe(context.Background())
	p := plan.Compute(st, have, pol, day)
	if len(p.Actions) != 1 || p.Actions[0].Op != target.OpUnarchive {
		t.Fatalf("plan %+v, want one Unarchive", p.Actions)
	}
	if res := tg.Apply(context.Background(), p.Actions); res.Applied != 1 {
		t.Fatalf("unarchive: %+v", res)
	}
	if groupByName(t, e.sb, "NO Klass 7A").Archived {
		t.Error("team still archived")
	}
}

// Rooms no longer desired are archived (teams; the plan leaves groups
// without a team in place) and deleted under Delete. Asked to archive a
// group without a team, the adapter refuses with the reason.
func TestArchiveAndDelete(t *testing.T) {
	st := handState()
	e := newEnv(t, usersFor(st), nil)
	tg := e.adapter(nil)
	converge(t, tg, st, 2)
	have, _ := tg.Observe(context.Background())
	p := plan.Compute(handState0(), have, elevsynkv1.Policy{}, day)
	if res := tg.Apply(context.Background(), p.Actions); res.Applied != 2 || len(res.Failures) > 0 {
		t.Errorf("archive all: %+v", res)
	}
	sg := roomByKey(t, have, "elever-sakerhetsgrupp:school:111")
	res := tg.Apply(context.Background(), []target.Action{{Op: target.OpArchive, Kind: sg.Kind, Key: sg.Key, ID: sg.ID}})
	if len(res.Failures) != 1 || !strings.Contains(res.Failures[0].Message, "archives teams only") {
		t.Errorf("archiving a security group: %+v", res)
	}
	for _, g := range e.sb.Groups() {
		if g.Team && !g.Archived {
			t.Errorf("team %q not archived", g.DisplayName)
		}
	}
	have, _ = tg.Observe(context.Background())
	p = plan.Compute(handState0(), have, elevsynkv1.Policy{Deletion: elevsynkv1.DeletionDelete}, day)
	if res := tg.Apply(context.Background(), p.Actions); res.Applied != 4 || len(res.Failures) > 0 {
		t.Errorf("delete all: %+v", res)
	}
	if n := len(e.sb.Groups()); n != 0 {
		t.Errorf("%d groups left", n)
	}
	if have, _ := tg.Observe(context.Background()); len(have) != 0 {
		t.Errorf("observed %d rooms after deleting all", len(have))
	}
}

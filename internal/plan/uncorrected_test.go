package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

func TestUncorrected(t *testing.T) {
	a := room(team, "a", people("t1"), people("s1", "s2"))
	noOwner := room(sg, "b", nil, people("s1"))
	renamedExtra := with(seen(a, "1"), func(r *target.Room) { r.Name = "by hand"; r.Members = append(r.Members, "s9") })
	tests := []struct {
		name    string
		policy  elevsynkv1.Policy
		applied bool
		left    []Drift
	}{
		{"not applied keeps all drift", elevsynkv1.Policy{}, false,
			[]Drift{drifted(team, "a", Renamed, ExtraMembers)}},
		{"applied under Correct leaves none", elevsynkv1.Policy{}, true, nil},
		{"Report leaves the reported field",
			elevsynkv1.Policy{Drift: elevsynkv1.DriftPolicy{Name: elevsynkv1.DriftReport}}, true,
			[]Drift{drifted(team, "a", Renamed)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Compute(state(a), []target.Room{renamedExtra}, tt.policy, day)
			if d := cmp.Diff(tt.left, p.Uncorrected(tt.applied)); d != "" {
				t.Errorf("uncorrected (-want +got):\n%s", d)
			}
		})
	}

	// A room with no desired owner keeps a hand-added owner: reported, and
	// still there after the plan.
	withOwner := with(seen(noOwner, "2"), func(r *target.Room) { r.Owners = people("admin") })
	p := Compute(state(noOwner), []target.Room{withOwner}, elevsynkv1.Policy{}, day)
	want := []Drift{{Kind: sg, Key: "b", Name: "name b", Reasons: []Reason{ExtraOwners}}}
	if d := cmp.Diff(want, p.Uncorrected(true)); d != "" {
		t.Errorf("ownerless room (-want +got):\n%s", d)
	}
}

func TestSummaryString(t *testing.T) {
	tests := []struct {
		s    Summary
		want string
	}{
		{Summary{}, "no changes"},
		{Summary{Creates: 1, Updates: 2}, "1 create, 2 updates"},
		{Summary{Archives: 3, Deletes: 1, MemberAdds: 40, MemberRemoves: 2, OwnerAdds: 4}, "3 archivals, 1 deletion, +40/-2 members, +4 owners"},
		{Summary{OwnerRemoves: 1}, "-1 owners"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestWithoutEchoes(t *testing.T) {
	drift := []Drift{
		drifted(team, "a", Renamed, MissingMembers),
		drifted(team, "b", Missing),
		drifted(team, "c", ExtraMembers),
	}
	recent := []target.Action{
		act(target.OpRename, team, "a", "1"),          // our rename, not yet visible
		act(target.OpCreate, team, "b", ""),           // our create, not yet listed
		act(target.OpAddMembers, team, "c", "3", "x"), // adds do not explain extra members
	}
	want := []Drift{drifted(team, "a", MissingMembers), drifted(team, "c", ExtraMembers)}
	if d := cmp.Diff(want, WithoutEchoes(drift, recent)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if d := cmp.Diff(drift, WithoutEchoes(drift, nil)); d != "" {
		t.Errorf("no recent writes should leave drift as it is (-want +got):\n%s", d)
	}
}

package plan

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

func TestSummary(t *testing.T) {
	p := Plan{Actions: []target.Action{
		{Op: target.OpCreate, Kind: team, Key: "a", People: people("t1@x", "t2@x")},
		{Op: target.OpCreate, Kind: team, Key: "b"},
		act(target.OpUnarchive, team, "c", "1"),
		{Op: target.OpRename, Kind: team, Key: "c", ID: "1", Name: "n"},
		{Op: target.OpSetDescription, Kind: team, Key: "c", ID: "1"},
		act(target.OpAddOwners, team, "c", "1", "t3@x"),
		act(target.OpAddMembers, team, "a", "", "p1@x", "p2@x", "p3@x"),
		act(target.OpAddMembers, team, "c", "1", "p4@x"),
		act(target.OpRemoveMembers, team, "c", "1", "p5@x", "p6@x"),
		act(target.OpRemoveOwners, team, "c", "1", "t4@x", "t5@x", "t6@x"),
		act(target.OpArchive, team, "d", "2"),
		act(target.OpArchive, team, "e", "3"),
		act(target.OpDelete, team, "f", "4"),
	}}
	want := Summary{Creates: 2, Updates: 3, Archives: 2, Deletes: 1,
		MemberAdds: 4, MemberRemoves: 2, OwnerAdds: 3, OwnerRemoves: 3}
	got := p.Summary()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}
	if p.Empty() || !(Plan{Drift: []Drift{{Key: "x"}}}).Empty() {
		t.Error("Empty should go by actions alone")
	}

	at := metav1.NewTime(time.Date(2026, 9, 14, 6, 0, 0, 0, time.UTC))
	api := got.ToAPI("sha256:ab", at)
	wantAPI := elevsynkv1.PlanSummary{Hash: "sha256:ab", Time: at, Creates: 2, Updates: 3, Archives: 2, Deletes: 1,
		MemberAdds: 4, MemberRemoves: 2, OwnerAdds: 3, OwnerRemoves: 3}
	if diff := cmp.Diff(wantAPI, api); diff != "" {
		t.Errorf("ToAPI (-want +got):\n%s", diff)
	}
	if got := (Summary{MemberAdds: 1 << 40}).ToAPI("", at).MemberAdds; got != 1<<31-1 {
		t.Errorf("a count past int32 gave %d, want it saturated", got)
	}
}

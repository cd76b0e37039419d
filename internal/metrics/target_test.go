package metrics

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/target"
)

func TestObserveTarget(t *testing.T) {
	_, reg := fresh(t)
	drift := func(reasons ...plan.Reason) plan.Drift {
		return plan.Drift{Kind: elevsynkv1.RoomTeam, Key: "k", Name: "n", Reasons: reasons}
	}
	type call struct {
		inv   elevsynkv1.Inventory
		drift []plan.Drift
	}
	tests := []struct {
		name                  string
		call                  call
		wantRooms, wantReason map[string]float64 // non-zero series only
	}{
		{
			name: "rooms by state, drifted rooms by reason, a room under each of its reasons",
			call: call{elevsynkv1.Inventory{Managed: 10, InSync: 7, Drifted: 3, Missing: 2, Orphaned: 1},
				[]plan.Drift{drift(plan.Renamed, plan.ExtraMembers), drift(plan.ExtraMembers), drift(plan.Missing), drift(plan.Orphaned)}},
			wantRooms:  map[string]float64{"managed": 10, "inSync": 7, "drifted": 3, "missing": 2, "orphaned": 1},
			wantReason: map[string]float64{"Renamed": 1, "ExtraMembers": 2, "Missing": 1, "Orphaned": 1},
		},
		{
			name:       "a later sync with less drift sets the gone reasons to zero",
			call:       call{elevsynkv1.Inventory{Managed: 10, InSync: 9, Drifted: 1}, []plan.Drift{drift(plan.Renamed)}},
			wantRooms:  map[string]float64{"managed": 10, "inSync": 9, "drifted": 1},
			wantReason: map[string]float64{"Renamed": 1},
		},
		{
			name:       "a reason outside the fixed set counts under Other",
			call:       call{elevsynkv1.Inventory{Managed: 1, Drifted: 1}, []plan.Drift{drift("SomethingNew")}},
			wantRooms:  map[string]float64{"managed": 1, "drifted": 1},
			wantReason: map[string]float64{"Other": 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ObserveTarget("ns", "t", tt.call.inv, tt.call.drift)
			if diff := cmp.Diff(full(tt.wantRooms, "name=t,namespace=ns,state=", []string{"managed", "inSync", "drifted", "missing", "orphaned"}),
				series(t, reg, "elevsynk_target_rooms")); diff != "" {
				t.Errorf("rooms (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(full(tt.wantReason, "name=t,namespace=ns,reason=", driftReasons),
				series(t, reg, "elevsynk_target_drifted_rooms")); diff != "" {
				t.Errorf("drifted rooms (-want +got):\n%s", diff)
			}
		})
	}
}

// full spells out a fixed set's series: every value, zero where want has none.
func full(want map[string]float64, prefix string, values []string) map[string]float64 {
	out := map[string]float64{}
	for _, v := range values {
		out[prefix+v] = want[v]
	}
	return out
}

func TestActionsApplied(t *testing.T) {
	s, _ := fresh(t)
	acts := []target.Action{
		{Op: target.OpCreate, Kind: elevsynkv1.RoomTeam, Key: "a"},
		{Op: target.OpAddMembers, Kind: elevsynkv1.RoomTeam, Key: "a"},
		{Op: target.OpRename, Kind: elevsynkv1.RoomTeam, Key: "b"},
		{Op: target.OpAddMembers, Kind: elevsynkv1.RoomTeam, Key: "b"},
	}
	res := target.Result{Applied: 2, Skipped: 1, Failures: []target.Failure{{Op: target.OpRename, Kind: elevsynkv1.RoomTeam, Key: "b"}}}
	ActionsApplied("ns", "t", acts, res)
	ActionsApplied("ns", "t", acts[:1], target.Result{Applied: 1})

	got := map[string]float64{}
	for _, op := range ops {
		for _, r := range []string{resultApplied, resultFailed, resultSkipped} {
			if v := counterValue(t, s.targetActions.WithLabelValues("ns", "t", op, r)); v != 0 {
				got[op+"/"+r] = v
			}
		}
	}
	want := map[string]float64{"Create/applied": 2, "AddMembers/applied": 1, "Rename/failed": 1, "AddMembers/skipped": 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
	// Every op and result exists from the first Apply, so increase() sees
	// the first failure of an op.
	if n, wantN := countSeries(t, s.targetActions), len(ops)*3; n != wantN {
		t.Errorf("%d series, want %d", n, wantN)
	}
}

func TestTargetAPI(t *testing.T) {
	s, _ := fresh(t)
	TargetAPI("ns", "t", target.Stats{Requests: 10, Writes: 4, Throttled: 1}, target.Stats{Requests: 25, Writes: 6, Throttled: 3})
	TargetAPI("ns", "t", target.Stats{Requests: 5}, target.Stats{Requests: 7, Writes: 1})
	// Counts that went down (they never should) add nothing, and do not panic.
	TargetAPI("ns", "t", target.Stats{Requests: 9, Writes: 9, Throttled: 9}, target.Stats{})
	got := []float64{
		counterValue(t, s.targetRequests.WithLabelValues("ns", "t")),
		counterValue(t, s.targetWrites.WithLabelValues("ns", "t")),
		counterValue(t, s.targetThrottled.WithLabelValues("ns", "t")),
	}
	if diff := cmp.Diff([]float64{17, 3, 2}, got); diff != "" {
		t.Errorf("requests, writes, throttled (-want +got):\n%s", diff)
	}
}

func TestGuardTripped(t *testing.T) {
	s, _ := fresh(t)
	for _, tripped := range []bool{true, false, true} {
		GuardTripped("ns", "t", tripped)
		if got, want := gaugeValue(t, s.guardTripped.WithLabelValues("ns", "t")), bit(tripped); got != want {
			t.Errorf("GuardTripped(%v): gauge %v, want %v", tripped, got, want)
		}
	}
}

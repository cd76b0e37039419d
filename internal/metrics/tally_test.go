package metrics

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

func TestByOp(t *testing.T) {
	act := func(op target.Op, key string) target.Action {
		return target.Action{Op: op, Kind: elevsynkv1.RoomCourse, Key: key}
	}
	fail := func(op target.Op, key string) target.Failure {
		return target.Failure{Op: op, Kind: elevsynkv1.RoomCourse, Key: key, Message: "HTTP 500"}
	}
	const (
		create = target.OpCreate
		rename = target.OpRename
		add    = target.OpAddMembers
		remove = target.OpRemoveMembers
	)
	tests := []struct {
		name    string
		actions []target.Action
		res     target.Result
		want    map[target.Op]counts
	}{
		{
			name:    "all applied",
			actions: []target.Action{act(create, "a"), act(add, "a"), act(rename, "b")},
			res:     target.Result{Applied: 3},
			want:    map[target.Op]counts{create: {applied: 1}, add: {applied: 1}, rename: {applied: 1}},
		},
		{
			name:    "a failure skips the room's later actions only",
			actions: []target.Action{act(create, "a"), act(rename, "b"), act(add, "a"), act(add, "b"), act(remove, "b")},
			res:     target.Result{Applied: 2, Skipped: 2, Failures: []target.Failure{fail(rename, "b")}},
			want:    map[target.Op]counts{create: {applied: 1}, rename: {failed: 1}, add: {applied: 1, skipped: 1}, remove: {skipped: 1}},
		},
		{
			name:    "ctx ended: the end of the plan was skipped",
			actions: []target.Action{act(create, "a"), act(add, "a"), act(rename, "b"), act(add, "b")},
			res:     target.Result{Applied: 2, Skipped: 2},
			want:    map[target.Op]counts{create: {applied: 1}, add: {applied: 1, skipped: 1}, rename: {skipped: 1}},
		},
		{
			name: "an adapter that ran the removal first reports it applied though the add failed",
			// The Google adapter removes a course's members before adding.
			actions: []target.Action{act(add, "a"), act(remove, "a")},
			res:     target.Result{Applied: 1, Failures: []target.Failure{fail(add, "a")}},
			want:    map[target.Op]counts{add: {failed: 1}, remove: {applied: 1}},
		},
		{
			name:    "two failures of one op on two rooms",
			actions: []target.Action{act(add, "a"), act(add, "b"), act(remove, "a")},
			res:     target.Result{Skipped: 1, Failures: []target.Failure{fail(add, "b"), fail(add, "a")}},
			want:    map[target.Op]counts{add: {failed: 2}, remove: {skipped: 1}},
		},
		{
			name:    "a failure the plan did not hold still counts as failed",
			actions: []target.Action{act(create, "a")},
			res:     target.Result{Applied: 1, Failures: []target.Failure{fail(target.OpDelete, "zz")}},
			want:    map[target.Op]counts{create: {applied: 1}, target.OpDelete: {failed: 1}},
		},
		{
			name: "no actions",
			want: map[target.Op]counts{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := byOp(tt.actions, tt.res)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(counts{})); diff != "" {
				t.Errorf("byOp (-want +got):\n%s", diff)
			}
			var sum counts
			for _, c := range got {
				sum.applied, sum.failed, sum.skipped = sum.applied+c.applied, sum.failed+c.failed, sum.skipped+c.skipped
			}
			if want := (counts{tt.res.Applied, len(tt.res.Failures), tt.res.Skipped}); sum != want {
				t.Errorf("totals %+v, want the Result's %+v", sum, want)
			}
		})
	}
}

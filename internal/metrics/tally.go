package metrics

import (
	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

// counts is how many of one op's actions were applied, failed or skipped.
type counts struct{ applied, failed, skipped int }

// byOp splits one Apply's Result by op; target.Result counts only totals.
//
// Failures name their op, so failed is exact. Which other actions were
// skipped follows the Target contract: those after a failed action on the
// same room, in plan order. Where that disagrees with res.Skipped (ctx
// ended mid-apply, or an adapter ran a room's actions in another order, as
// the Google adapter does with a course's removals) the difference is
// settled from the end of the plan, where a cancelled Apply stops. So the
// totals per result are the Result's, and the split by op is exact unless
// ctx ended or a room's actions were reordered.
func byOp(actions []target.Action, res target.Result) map[target.Op]counts {
	type room struct {
		kind elevsynkv1.RoomKind
		key  string
	}
	type step struct {
		op target.Op
		room
	}
	out := map[target.Op]counts{}
	unmatched := map[step]int{}
	for _, f := range res.Failures {
		unmatched[step{f.Op, room{f.Kind, f.Key}}]++
		c := out[f.Op]
		c.failed++
		out[f.Op] = c
	}

	const (
		applied = iota
		failed
		skipped
	)
	status := make([]int, len(actions))
	failedRooms := map[room]bool{}
	nSkipped := 0
	for i, a := range actions {
		s := step{a.Op, room{a.Kind, a.Key}}
		switch {
		case failedRooms[s.room]:
			status[i] = skipped
			nSkipped++
		case unmatched[s] > 0:
			unmatched[s]--
			status[i] = failed
			failedRooms[s.room] = true
		}
	}
	for i := len(actions) - 1; i >= 0 && nSkipped != res.Skipped; i-- {
		switch {
		case nSkipped < res.Skipped && status[i] == applied:
			status[i] = skipped
			nSkipped++
		case nSkipped > res.Skipped && status[i] == skipped:
			status[i] = applied
			nSkipped--
		}
	}

	for i, a := range actions {
		c := out[a.Op]
		switch status[i] {
		case applied:
			c.applied++
		case skipped:
			c.skipped++
		}
		out[a.Op] = c
	}
	return out
}

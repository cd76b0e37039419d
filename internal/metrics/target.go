package metrics

import (
	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/target"
)

// ObserveTarget records a Target's rooms by state and its drifted rooms by
// reason, as plan.Compute found them. Call it in the Target reconcile right
// after plan.Compute, with p.Inventory and p.Drift.
func ObserveTarget(namespace, name string, inv elevsynkv1.Inventory, drift []plan.Drift) {
	for state, n := range map[string]int32{stateManaged: inv.Managed, stateInSync: inv.InSync,
		stateDrifted: inv.Drifted, stateMissing: inv.Missing, stateOrphaned: inv.Orphaned} {
		std.targetRooms.WithLabelValues(namespace, name, state).Set(float64(n))
	}
	byReason := map[string]int{}
	for _, d := range drift {
		for _, r := range d.Reasons {
			byReason[string(r)]++
		}
	}
	setAll(std.targetDrift, namespace, name, driftReasons, byReason)
}

// ActionsApplied counts the actions of one Apply by op and result. Call it
// in act right after conn.target.Apply, with the actions given and the
// Result returned. See byOp for how the result is split by op.
func ActionsApplied(namespace, name string, actions []target.Action, res target.Result) {
	folded := map[string]counts{}
	for op, c := range byOp(actions, res) {
		l := within(ops, string(op))
		f := folded[l]
		f.applied, f.failed, f.skipped = f.applied+c.applied, f.failed+c.failed, f.skipped+c.skipped
		folded[l] = f
	}
	// Every op and result is added to, zero included, so each series
	// exists from the first Apply and increase() sees its first step.
	for _, op := range ops {
		c := folded[op]
		for result, n := range map[string]int{resultApplied: c.applied, resultFailed: c.failed, resultSkipped: c.skipped} {
			std.targetActions.WithLabelValues(namespace, name, op, result).Add(float64(n))
		}
	}
}

// TargetAPI counts the API traffic of one sync: the adapter's Stats before
// and after it. Call it where the Target reconcile sets status.api (its
// deferred apiCounts), with the same two Stats.
func TargetAPI(namespace, name string, before, after target.Stats) {
	add := func(c interface{ Add(float64) }, d int64) {
		// Stats only grow, but Add panics on a negative value and a
		// metric must never take the manager down.
		c.Add(float64(max(d, 0)))
	}
	add(std.targetRequests.WithLabelValues(namespace, name), after.Requests-before.Requests)
	add(std.targetWrites.WithLabelValues(namespace, name), after.Writes-before.Writes)
	add(std.targetThrottled.WithLabelValues(namespace, name), after.Throttled-before.Throttled)
}

// GuardTripped records whether the deletion guard held back a Target's
// last plan. Call it after act on every sync that planned, with
// status.lastPlan.blockedBy == ReasonDeletionGuard, so it falls back to 0
// once the plan is approved or shrinks.
func GuardTripped(namespace, name string, tripped bool) {
	std.guardTripped.WithLabelValues(namespace, name).Set(bit(tripped))
}

func bit(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

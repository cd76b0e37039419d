// Package metrics holds elevsynk's own Prometheus metrics, all named
// elevsynk_*, registered on controller-runtime's registry so the manager's
// metrics endpoint serves them next to controller-runtime's.
//
// Labels are low-cardinality only: namespace and name of an elevsynk object,
// its kind, and fixed sets of state, reason, op and result values. A label
// never carries a person, an account key, a room key or a room name: the
// register is children's personal data, and one series per room or person
// would also grow without bound. Counts only, as in status.
//
// Where the controllers call each function:
//
//	Outcome        in finish (controllers/status.go), after setOutcome, for every kind.
//	SyncDuration   in each kind's Reconcile around r.reconcile (only when a sync ran).
//	Forget         in each kind's Reconcile where Get returns NotFound.
//	SourceFetched  in the RegisterSource reconcile: success after the snapshot is
//	               stored (and for manual sources), refused where the shrink or empty
//	               guard stalls, failed where fetchError is returned.
//	ObserveMapping in the Mapping's Reconcile after reconcile, from its status.
//	ObserveTarget  in the Target reconcile right after plan.Compute.
//	GuardTripped   in the Target reconcile after act, from status.lastPlan.blockedBy.
//	ActionsApplied in act, right after conn.target.Apply.
//	TargetAPI      in the Target reconcile's deferred API count, with the same Stats.
//
// Gauges are set, never left behind: each function sets every value of its
// fixed set (zero when absent) so a series that was non-zero falls back to
// zero instead of freezing, and Forget deletes an object's series when the
// object is deleted. Unknown values of a fixed set are counted under Other.
package metrics

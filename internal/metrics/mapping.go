package metrics

import (
	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// ObserveMapping records a Mapping's desired rooms by room kind and the
// people it excludes by reason. Call it in the Mapping's Reconcile after
// reconcile, with status.rooms and status.excludedPeople, so it follows the
// status on every path (evaluated, unchanged, or a rule error that keeps the
// last desired state).
func ObserveMapping(namespace, name string, rooms []elevsynkv1.KindCount, excluded []elevsynkv1.ReasonCount) {
	byKind := make(map[string]int, len(rooms))
	for _, k := range rooms {
		byKind[string(k.Kind)] += int(k.Count)
	}
	setAll(std.mappingRooms, namespace, name, roomKinds, byKind)
	byReason := make(map[string]int, len(excluded))
	for _, r := range excluded {
		byReason[r.Reason] += int(r.Count)
	}
	setAll(std.mappingExcluded, namespace, name, excludedReasons, byReason)
}

package controllers

import (
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// changedBySomeone passes the events of an object's own kind that someone
// caused: a create, a delete, a new generation (spec), or a new value of an
// annotation that asks for work (a reconcile request, an approval). A
// controller's own status patches pass none, so they never re-run it, as
// Flux's GenerationChangedPredicate plus ReconcileRequestedPredicate do.
func changedBySomeone() predicate.Predicate {
	return predicate.Or(predicate.GenerationChangedPredicate{}, annotationsChanged(
		elevsynkv1.ReconcileRequestAnnotation, elevsynkv1.ApproveSnapshotAnnotation, elevsynkv1.ApprovePlanAnnotation))
}

// annotationsChanged passes updates that change the value of any of keys.
func annotationsChanged(keys ...string) predicate.Predicate {
	return predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			if e.ObjectOld == nil || e.ObjectNew == nil {
				return false
			}
			old, cur := e.ObjectOld.GetAnnotations(), e.ObjectNew.GetAnnotations()
			for _, k := range keys {
				if old[k] != cur[k] {
					return true
				}
			}
			return false
		},
		CreateFunc:  func(event.CreateEvent) bool { return false },
		DeleteFunc:  func(event.DeleteEvent) bool { return false },
		GenericFunc: func(event.GenericEvent) bool { return false },
	}
}

// statusChanged passes creates, deletes and the updates where what
// reports, a part of a watched object's status another controller acts on,
// changed, or the object's generation did.
func statusChanged(what func(client.Object) string) predicate.Predicate {
	return predicate.Or(predicate.GenerationChangedPredicate{}, predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			return e.ObjectOld != nil && e.ObjectNew != nil && what(e.ObjectOld) != what(e.ObjectNew)
		},
		CreateFunc:  func(event.CreateEvent) bool { return false },
		DeleteFunc:  func(event.DeleteEvent) bool { return false },
		GenericFunc: func(event.GenericEvent) bool { return false },
	})
}

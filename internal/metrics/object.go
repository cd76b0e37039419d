package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// Kind is the kind of an elevsynk object; its values are the kind label's
// fixed set on elevsynk_ready, elevsynk_stalled and the sync histogram.
type Kind string

// The kinds, named as in the API.
const (
	KindTenant         Kind = "Tenant"
	KindRegisterSource Kind = "RegisterSource"
	KindMapping        Kind = "Mapping"
	KindTarget         Kind = "Target"
)

// KindOf returns the Kind of an elevsynk object, or "" for any other
// value. Typed objects read through a client often have an empty TypeMeta,
// so the kind comes from the Go type.
func KindOf(obj any) Kind {
	switch obj.(type) {
	case *elevsynkv1.Tenant:
		return KindTenant
	case *elevsynkv1.RegisterSource:
		return KindRegisterSource
	case *elevsynkv1.Mapping:
		return KindMapping
	case *elevsynkv1.Target:
		return KindTarget
	}
	return ""
}

// Outcome records how an object's last reconcile ended: Ready, and
// Stalled with the condition's reason (a CamelCase constant from the code,
// so a bounded set). Call it in finish (controllers/status.go) after
// setOutcome, for every kind:
//
//	metrics.Outcome(metrics.KindOf(obj), obj.GetNamespace(), obj.GetName(), o.ready, o.stalled, o.reason)
func Outcome(kind Kind, namespace, name string, ready, stalled bool, reason string) {
	std.ready.WithLabelValues(string(kind), namespace, name).Set(bit(ready))
	if !stalled {
		reason = ""
	}
	std.mu.Lock()
	defer std.mu.Unlock()
	// The new series is set before the old one goes, so a scrape never
	// finds the object without one (which would reset an alert's for).
	std.stalled.WithLabelValues(string(kind), namespace, name, reason).Set(bit(stalled))
	o := object{kind, namespace, name}
	if last, ok := std.stalledReason[o]; ok && last != reason {
		std.stalled.DeleteLabelValues(string(kind), namespace, name, last)
	}
	std.stalledReason[o] = reason
}

// SyncDuration records how long one reconcile that did its work took. Call
// it in each kind's Reconcile around r.reconcile, after the due check (a
// reconcile that only found nothing due is not a sync):
//
//	start := time.Now(); o, err := r.reconcile(ctx, &t); metrics.SyncDuration(metrics.KindTarget, time.Since(start))
func SyncDuration(kind Kind, d time.Duration) {
	std.syncDuration.WithLabelValues(string(kind)).Observe(d.Seconds())
}

// Forget deletes every series of a deleted object, so its gauges do not
// linger and alerts about it resolve. Call it in each kind's Reconcile
// where Get returns NotFound.
func Forget(kind Kind, namespace, name string) {
	for _, v := range std.byKind[kind] {
		v.DeletePartialMatch(prometheus.Labels{labelNamespace: namespace, labelName: name})
	}
	std.ready.DeleteLabelValues(string(kind), namespace, name)
	std.mu.Lock()
	defer std.mu.Unlock()
	std.stalled.DeletePartialMatch(prometheus.Labels{labelKind: string(kind), labelNamespace: namespace, labelName: name})
	delete(std.stalledReason, object{kind, namespace, name})
}

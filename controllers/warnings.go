package controllers

import (
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// warner records a Warning event each time an object turns to a failing
// state, Stalled or Ready=False for a failure, so `kubectl describe` and
// `kubectl events` say what went wrong and when, as the alert runbooks
// tell the reader to look. A wait for data in memory is progress, not a
// failure, and records nothing. The note is the condition's message, which
// names objects, rooms and counts only (never people).
//
// Only a change of reason records: an object failing the same way at every
// retry records once. A reason seen again within warnAgain of its last
// event is not recorded either, so a Target flapping between Ready and
// ObserveFailed cannot flood the events.
type warner struct {
	rec  events.EventRecorder
	now  func() time.Time
	mu   sync.Mutex
	last map[warnKey]time.Time
}

type warnKey struct {
	uid    types.UID
	reason string
}

// warnAgain is the shortest gap between two events of one reason on one
// object; about what the events API folds into one series.
const warnAgain = 10 * time.Minute

func newWarner(rec events.EventRecorder, now func() time.Time) *warner {
	return &warner{rec: rec, now: now, last: map[warnKey]time.Time{}}
}

// observe records the event, if any, for the outcome o of obj, whose
// conditions before the reconcile were in before. A nil warner records
// nothing (reconcilers built without a recorder, in tests).
func (w *warner) observe(obj, before object, o outcome) {
	if w == nil || w.rec == nil || !o.warn {
		return
	}
	prev := apimeta.FindStatusCondition(before.GetReconcileStatus().Conditions, elevsynkv1.ConditionReady)
	if prev != nil && prev.Status == metav1.ConditionFalse && prev.Reason == o.reason {
		return // the same failure as before
	}
	key, now := warnKey{obj.GetUID(), o.reason}, w.now()
	w.mu.Lock()
	if t, ok := w.last[key]; ok && now.Sub(t) < warnAgain {
		w.mu.Unlock()
		return
	}
	w.last[key] = now
	for k, t := range w.last {
		if now.Sub(t) >= warnAgain {
			delete(w.last, k) // bounded by the objects failing in the last window
		}
	}
	w.mu.Unlock()
	action := "Reconcile"
	if o.stalled {
		action = "Stall"
	}
	w.rec.Eventf(obj, nil, corev1.EventTypeWarning, o.reason, action, "%s", o.message)
}

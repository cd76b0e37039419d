// Package controllers holds one reconciler per elevsynk kind. Reconcilers are
// wiring: they read objects, call into internal/ for the work, and patch
// status in one place.
package controllers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"time"

	jsonpatch "github.com/evanphx/json-patch/v5"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/metrics"
)

// object is an elevsynk object with the shared status.
type object interface {
	client.Object
	GetReconcileStatus() *elevsynkv1.ReconcileStatus
}

// outcome is what one reconcile concluded, in the words an administrator
// reads in `kubectl get -o wide` and `kubectl describe`.
type outcome struct {
	ready   bool
	stalled bool // retrying cannot help until someone changes something
	warn    bool // a failure, recorded as a Warning event (warner)
	reason  string
	message string
	requeue ctrl.Result // when to look again though nothing changed
}

func readyOutcome(reason, format string, args ...any) outcome {
	return outcome{ready: true, reason: reason, message: fmt.Sprintf(format, args...)}
}

func waitingOutcome(reason, format string, args ...any) outcome {
	return outcome{reason: reason, message: fmt.Sprintf(format, args...)}
}

func stalledOutcome(reason, format string, args ...any) outcome {
	return outcome{stalled: true, warn: true, reason: reason, message: fmt.Sprintf(format, args...)}
}

// setOutcome writes the outcome into the object's conditions following
// kstatus: Ready always present; Stalled present only while true; Reconciling
// is removed because the reconcile that sets an outcome has finished.
func setOutcome(obj object, o outcome) {
	st := obj.GetReconcileStatus()
	gen := obj.GetGeneration()
	ready := metav1.ConditionFalse
	if o.ready {
		ready = metav1.ConditionTrue
	}
	apimeta.SetStatusCondition(&st.Conditions, metav1.Condition{
		Type: elevsynkv1.ConditionReady, Status: ready, Reason: o.reason, Message: o.message, ObservedGeneration: gen,
	})
	apimeta.RemoveStatusCondition(&st.Conditions, elevsynkv1.ConditionReconciling)
	if o.stalled {
		apimeta.SetStatusCondition(&st.Conditions, metav1.Condition{
			Type: elevsynkv1.ConditionStalled, Status: metav1.ConditionTrue, Reason: o.reason, Message: o.message, ObservedGeneration: gen,
		})
	} else {
		apimeta.RemoveStatusCondition(&st.Conditions, elevsynkv1.ConditionStalled)
	}
	st.ObservedGeneration = gen
	if v, ok := obj.GetAnnotations()[elevsynkv1.ReconcileRequestAnnotation]; ok {
		st.LastHandledReconcileAt = v
	}
}

// conditionError is a reason an object cannot act that belongs in its
// status rather than in the controller's retry backoff: a missing Tenant, a
// missing reference, a bad spec. The watches re-queue the object when the
// cause may have gone.
type conditionError struct {
	outcome
	retry error // when set, also retried with the controller's backoff
}

func (e *conditionError) Error() string { return e.message }

// waitFor is a wait for something a person must add (a Tenant, a Secret, a
// referenced object): a failure until it comes.
func waitFor(reason, format string, args ...any) error {
	o := waitingOutcome(reason, format, args...)
	o.warn = true
	return &conditionError{outcome: o}
}

// waitForMemory is waitFor for data another controller keeps in this
// manager's memory (a snapshot, desired rooms): it also looks again after
// memoryPoll. The watch event that should wake it can be missed after a
// restart or a failover (the crash tests saw it), and a missed wake-up
// must not cost an interval.
func waitForMemory(reason, format string, args ...any) error {
	ce := &conditionError{outcome: waitingOutcome(reason, format, args...)}
	ce.requeue = ctrl.Result{RequeueAfter: memoryPoll}
	return ce
}

// memoryPoll is how often an object waiting for data in memory looks; it
// costs no request outside the manager.
const memoryPoll = 5 * time.Second

func stallOn(reason, format string, args ...any) error {
	return &conditionError{outcome: stalledOutcome(reason, format, args...)}
}

// failWith shows err under reason and retries it with backoff.
func failWith(reason string, err error) error {
	o := waitingOutcome(reason, "%v", err)
	o.warn = true
	return &conditionError{outcome: o, retry: err}
}

// ReasonReconcileFailed: the reconcile failed in a way retrying may fix.
const ReasonReconcileFailed = "ReconcileFailed"

// statusTimeout bounds the status patches, which use a context of their
// own: a reconcile that ran out of time must still say so.
const statusTimeout = 30 * time.Second

// finish records the outcome of one reconcile in obj's status and patches it
// in one place. It never writes spec (Argo CD would show the object out of
// sync). An error that is not a conditionError is shown as Ready=False and
// returned as failed, for the caller to retry with backoff; perr is a
// failed status patch. A turn to failure is recorded by w.
func finish(ctx context.Context, c client.Client, w *warner, obj, before object, o outcome, err error) (requeue ctrl.Result, failed, perr error) {
	var ce *conditionError
	switch {
	case errors.As(err, &ce):
		o, failed = ce.outcome, ce.retry
	case err != nil:
		o, failed = waitingOutcome(ReasonReconcileFailed, "%v", err), err
		o.warn = true
	}
	setOutcome(obj, o)
	logOutcome(ctx, before, o)
	w.observe(obj, before, o)
	metrics.Outcome(metrics.KindOf(obj), obj.GetNamespace(), obj.GetName(), o.ready, o.stalled, o.reason)
	return o.requeue, failed, patchStatus(ctx, c, obj, before)
}

// patchStatus patches obj's status from before, unless nothing changed: a
// Tenant that sums up its sources and Targets is woken by each of their
// patches and mostly finds the same sums, and an empty patch still costs
// the API server a write and the manager the object it answers with. An
// object deleted in the meantime is no error.
func patchStatus(ctx context.Context, c client.Client, obj, before object) error {
	data, err := statusPatch(obj, before)
	if err != nil || data == nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), statusTimeout)
	defer cancel()
	if err := client.IgnoreNotFound(c.Status().Patch(ctx, obj, client.RawPatch(types.MergePatchType, data))); err != nil {
		return fmt.Errorf("patching status: %w", err)
	}
	return nil
}

// statusPatch is the JSON merge patch (RFC 7386) from before's status to
// obj's, or nil when they are equal. It diffs the statuses only, since the
// status subresource ignores the rest: client.MergeFrom diffed the whole
// objects, managedFields and all, which cost a Tenant's reconcile more
// than anything else it did.
func statusPatch(obj, before object) ([]byte, error) {
	from, err := json.Marshal(statusOf(before))
	if err != nil {
		return nil, fmt.Errorf("patching status: %w", err)
	}
	to, err := json.Marshal(statusOf(obj))
	if err != nil {
		return nil, fmt.Errorf("patching status: %w", err)
	}
	diff, err := jsonpatch.CreateMergePatch(from, to)
	if err != nil || string(diff) == "{}" {
		return nil, err
	}
	return fmt.Appendf(nil, `{"status":%s}`, diff), nil
}

// statusOf is the Status field of one of the API's kinds.
func statusOf(obj object) any {
	return reflect.ValueOf(obj).Elem().FieldByName("Status").Interface()
}

// progressAfter is how long a reconcile runs before its Reconciling=True
// condition is patched. Most reconciles (an unchanged register, a Target
// in line) end sooner, and then send only their outcome: one status patch
// instead of two, and every status patch wakes every watcher of the object.
var progressAfter = 2 * time.Second

// progress is the Reconciling=True condition of one reconcile, so that
// `kubectl get` shows a long fetch or apply in progress. The patches go
// through copies, from a timer: the server's answer would overwrite the
// status the reconcile is still building in obj.
type progress struct {
	ctx             context.Context
	c               client.Client
	mu              sync.Mutex
	timer           *time.Timer
	before, patched object
	due, ended      bool
}

// startWork sets Reconciling=True with what the controller is doing on
// obj, and patches it once the reconcile has run progressAfter. Call end
// before finish, so that no progress patch lands after the outcome.
func startWork(ctx context.Context, c client.Client, obj object, format string, args ...any) *progress {
	p := &progress{ctx: ctx, c: c}
	p.set(obj, format, args...)
	return p
}

// set says what the controller is doing now; once the progress patch is
// due, at once.
func (p *progress) set(obj object, format string, args ...any) {
	p.update(obj, false, format, args...)
}

// setNow is set for work that writes to a target, shown at once: whoever
// watches `kubectl get` sees that rooms are being changed, and an apply
// cut short by a crash leaves that on record.
func (p *progress) setNow(obj object, format string, args ...any) {
	p.update(obj, true, format, args...)
}

func (p *progress) update(obj object, now bool, format string, args ...any) {
	before := obj.DeepCopyObject().(object)
	apimeta.SetStatusCondition(&obj.GetReconcileStatus().Conditions, metav1.Condition{
		Type: elevsynkv1.ConditionReconciling, Status: metav1.ConditionTrue, Reason: elevsynkv1.ReasonProgressing,
		Message: fmt.Sprintf(format, args...), ObservedGeneration: obj.GetGeneration(),
	})
	p.mu.Lock()
	defer p.mu.Unlock()
	p.before, p.patched = before, obj.DeepCopyObject().(object)
	if p.timer == nil {
		p.timer = time.AfterFunc(progressAfter, p.send)
	}
	p.due = p.due || now
	if p.due && !p.ended {
		p.patch()
	}
}

func (p *progress) send() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.ended && !p.due {
		p.due = true
		p.patch()
	}
}

// patch sends the condition; a failure only costs the progress display,
// since the outcome patch that follows carries the whole status.
func (p *progress) patch() {
	if err := patchStatus(p.ctx, p.c, p.patched, p.before); err != nil {
		log.FromContext(p.ctx).V(1).Info("progress not shown", "error", err.Error())
	}
}

// end stops the progress patch, waiting for one under way; nil is no work.
func (p *progress) end() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ended = true
	p.timer.Stop()
}

// logOutcome logs a change of the Ready condition at info level and an
// unchanged one at debug level. Messages are the condition's, which name
// objects, rooms and counts only.
func logOutcome(ctx context.Context, before object, o outcome) {
	l := log.FromContext(ctx)
	prev := apimeta.FindStatusCondition(before.GetReconcileStatus().Conditions, elevsynkv1.ConditionReady)
	if prev != nil && prev.Reason == o.reason && (prev.Status == metav1.ConditionTrue) == o.ready {
		l = l.V(1)
	}
	l.Info("reconciled", "ready", o.ready, "stalled", o.stalled, "reason", o.reason, "message", o.message)
}

// jittered adds up to a tenth to an interval, so that tenants applied
// together (a new shard, a manager restart) do not all fetch and sync at
// the same moment, as Flux's interval jitter does.
func jittered(d time.Duration) time.Duration {
	return d + rand.N(d/10+1)
}

// timeSync records how long a reconcile that did work took; defer it.
func timeSync(kind metrics.Kind, start time.Time) {
	metrics.SyncDuration(kind, time.Since(start))
}

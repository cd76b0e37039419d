package controllers

import (
	"errors"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/retry"
)

// pace is what a controller remembers of its last attempt on one object.
// It lives in memory, not in status: the status patch of one attempt may
// not be in the cache yet when the next event arrives, and after a restart
// every object is looked at once anyway.
type pace struct {
	next     time.Time // when the next attempt is due if nothing changes
	failures int       // attempts in a row that failed in a way retrying may fix

	// What the attempt acted on; a change to any of them is due at once.
	generation int64
	request    string // reconcile-request annotation
	approval   string // approval annotation (snapshot or plan)
	inputs     string // the controller's other inputs (Tenant, desired rooms)
}

// pacer keeps a pace per object.
type pacer struct {
	mu sync.Mutex
	m  map[types.NamespacedName]pace
}

func (p *pacer) get(key types.NamespacedName) (pace, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pc, ok := p.m[key]
	return pc, ok
}

func (p *pacer) forget(key types.NamespacedName) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.m, key)
}

// due says whether obj should be worked on now, given its approval
// annotation and the controller's other inputs, and if not, how long
// until it should. Status changes are not inputs: an object never works
// again because its own status changed.
func (p *pacer) due(obj client.Object, approvalKey, inputs string, now time.Time) (time.Duration, bool) {
	last, seen := p.get(client.ObjectKeyFromObject(obj))
	a := obj.GetAnnotations()
	switch {
	case !seen, obj.GetGeneration() != last.generation, a[elevsynkv1.ReconcileRequestAnnotation] != last.request,
		approvalKey != "" && a[approvalKey] != last.approval, inputs != last.inputs:
		return 0, true
	}
	if wait := last.next.Sub(now); wait > 0 {
		return wait, false
	}
	return 0, true
}

// settle records an attempt on obj, as it was read (the status patch
// writes the server's newer metadata into the object it patches, and a
// generation or annotation that arrived meanwhile was not acted on), that
// began at now and says when to
// look again: after its interval (or the reconcile's own requeue, if
// sooner) when it succeeded or is waiting for someone, after a capped,
// jittered exponential backoff when it failed in a way retrying may fix
// (failed non-nil). The failure is then not returned to controller-runtime,
// whose rate limiter starts at 5 ms and would hammer a register that is
// down. A failed status patch (perr) is: the attempt is forgotten, so
// the object works again soon rather than after its interval.
func (p *pacer) settle(obj client.Object, approvalKey, inputs string, now time.Time, interval time.Duration,
	res ctrl.Result, failed, perr error) (ctrl.Result, error) {
	key := client.ObjectKeyFromObject(obj)
	if perr != nil {
		p.forget(key)
		return ctrl.Result{}, perr
	}
	last, _ := p.get(key)
	a := obj.GetAnnotations()
	pc := pace{generation: obj.GetGeneration(), request: a[elevsynkv1.ReconcileRequestAnnotation], inputs: inputs}
	if approvalKey != "" {
		pc.approval = a[approvalKey]
	}
	wait := jittered(interval)
	if res.RequeueAfter > 0 && res.RequeueAfter < wait {
		wait = res.RequeueAfter
	}
	if failed != nil {
		pc.failures = last.failures + 1
		wait = min(wait, reconcileRetry.Delay(pc.failures))
		// A server that asked for a longer pause than a client waits
		// inside one request is left alone for that long.
		var tl *retry.TooLongError
		if errors.As(failed, &tl) {
			wait = min(jittered(interval), max(wait, tl.Wait))
		}
	}
	pc.next = now.Add(wait)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[types.NamespacedName]pace{}
	}
	p.m[key] = pc
	return ctrl.Result{RequeueAfter: wait}, nil
}

// reconcileRetry is the backoff of a failed reconcile: 5 s doubling to
// 5 min (never more than the object's interval), with the retry package's
// equal jitter so that tenants that failed together do not retry in
// lockstep.
var reconcileRetry = retry.Policy{BaseDelay: 5 * time.Second, MaxDelay: 5 * time.Minute}

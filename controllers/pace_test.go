package controllers

import (
	"errors"
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/retry"
)

func TestPacer(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	const interval = 15 * time.Minute
	obj := func(gen int64, annotations ...string) *elevsynkv1.RegisterSource {
		o := &elevsynkv1.RegisterSource{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "src", Generation: gen, Annotations: map[string]string{}}}
		for i := 0; i+1 < len(annotations); i += 2 {
			o.Annotations[annotations[i]] = annotations[i+1]
		}
		return o
	}
	approval := elevsynkv1.ApproveSnapshotAnnotation
	tests := []struct {
		name   string
		last   *elevsynkv1.RegisterSource // settled at t0; nil: never seen
		failed error
		now    *elevsynkv1.RegisterSource
		inputs string
		after  time.Duration // since t0
		due    bool
	}{
		{name: "never seen: due", now: obj(1), due: true},
		{name: "nothing changed: waits its interval", last: obj(1), now: obj(1), after: time.Minute},
		{name: "interval passed", last: obj(1), now: obj(1), after: interval + interval/10 + time.Second, due: true},
		{name: "new generation", last: obj(1), now: obj(2), after: time.Minute, due: true},
		{name: "new reconcile request", last: obj(1, elevsynkv1.ReconcileRequestAnnotation, "a"), now: obj(1, elevsynkv1.ReconcileRequestAnnotation, "b"), after: time.Minute, due: true},
		{name: "request already handled", last: obj(1, elevsynkv1.ReconcileRequestAnnotation, "a"), now: obj(1, elevsynkv1.ReconcileRequestAnnotation, "a"), after: time.Minute},
		{name: "new approval", last: obj(1, approval, "sha256:1"), now: obj(1, approval, "sha256:2"), after: time.Minute, due: true},
		{name: "approval left on", last: obj(1, approval, "sha256:1"), now: obj(1, approval, "sha256:1"), after: time.Minute},
		{name: "an input changed", last: obj(1), now: obj(1), inputs: "tenant@2", after: time.Minute, due: true},
		{name: "failed: waits the first backoff", last: obj(1), failed: errors.New("500"), now: obj(1), after: 2 * time.Second},
		{name: "failed: due after the first backoff", last: obj(1), failed: errors.New("500"), now: obj(1), after: 5 * time.Second, due: true},
		{name: "server asked for an hour: waits", last: obj(1), failed: fmt.Errorf("fetch: %w", &retry.TooLongError{Wait: time.Hour, Max: time.Minute}),
			now: obj(1), after: 10 * time.Minute},
		{name: "server asked for an hour: not past the interval", last: obj(1), failed: &retry.TooLongError{Wait: time.Hour, Max: time.Minute},
			now: obj(1), after: interval + interval/10 + time.Second, due: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p pacer
			if tt.last != nil {
				if _, err := p.settle(tt.last, approval, "", t0, interval, ctrl.Result{}, tt.failed, nil); err != nil {
					t.Fatal(err)
				}
			}
			if _, due := p.due(tt.now, approval, tt.inputs, t0.Add(tt.after)); due != tt.due {
				t.Errorf("due = %t, want %t", due, tt.due)
			}
		})
	}
}

func TestPacerBackoffGrowsAndResets(t *testing.T) {
	var p pacer
	o := &elevsynkv1.Target{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "t", Generation: 1}}
	now := time.Now()
	var waits []time.Duration
	for range 8 {
		res, _ := p.settle(o, "", "", now, time.Hour, ctrl.Result{}, errors.New("observe failed"), nil)
		waits = append(waits, res.RequeueAfter)
	}
	for i, w := range waits {
		nominal := min(5*time.Second<<i, 5*time.Minute)
		if w < nominal/2 || w > nominal {
			t.Errorf("wait after failure %d = %s, want %s to %s", i+1, w, nominal/2, nominal)
		}
	}
	res, _ := p.settle(o, "", "", now, time.Hour, ctrl.Result{}, nil, nil)
	if res.RequeueAfter < time.Hour {
		t.Errorf("after a success the wait is %s, want the interval", res.RequeueAfter)
	}
	if res, _ := p.settle(o, "", "", now, time.Hour, ctrl.Result{}, errors.New("again"), nil); res.RequeueAfter > 5*time.Second {
		t.Errorf("the first failure after a success waits %s, want the first backoff", res.RequeueAfter)
	}
	if _, err := p.settle(o, "", "", now, time.Hour, ctrl.Result{}, nil, errors.New("conflict")); err == nil {
		t.Error("a failed status patch was swallowed")
	}
	if _, due := p.due(o, "", "", now); !due {
		t.Error("after a failed status patch the object is not due")
	}
}

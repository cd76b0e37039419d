package controllers

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// Each step is one reconcile's outcome, at a time after the start; the
// warner sees the conditions the step before left.
func TestWarnerRecordsTurnsToFailure(t *testing.T) {
	ready := readyOutcome(ReasonInSync, "in sync")
	observe := failWith(ReasonObserveFailed, errors.New("observing the target: HTTP 503")).(*conditionError).outcome
	guard := stalledOutcome(ReasonDeletionGuard, "the plan would archive 40 rooms")
	missing := waitFor(ReasonSecretNotFound, "Secret %q does not exist", "graph").(*conditionError).outcome
	memory := waitForMemory(ReasonNoDesired, "waiting for Mapping %q", "skolor").(*conditionError).outcome
	type step struct {
		at time.Duration
		o  outcome
	}
	tests := []struct {
		name  string
		steps []step
		want  []string
	}{
		{"a first failure", []step{{0, observe}}, []string{"Warning ObserveFailed observing the target: HTTP 503"}},
		{"the same failure at every retry", []step{{0, observe}, {time.Minute, observe}, {20 * time.Minute, observe}},
			[]string{"Warning ObserveFailed observing the target: HTTP 503"}},
		{"a stall", []step{{0, ready}, {time.Hour, guard}}, []string{"Warning DeletionGuard the plan would archive 40 rooms"}},
		{"a missing Secret", []step{{0, missing}}, []string{`Warning SecretNotFound Secret "graph" does not exist`}},
		{"one failure after another", []step{{0, observe}, {time.Minute, guard}},
			[]string{"Warning ObserveFailed observing the target: HTTP 503", "Warning DeletionGuard the plan would archive 40 rooms"}},
		{"flapping within the window", []step{{0, observe}, {time.Minute, ready}, {2 * time.Minute, observe}, {3 * time.Minute, ready}, {4 * time.Minute, observe}},
			[]string{"Warning ObserveFailed observing the target: HTTP 503"}},
		{"flapping after the window", []step{{0, observe}, {time.Minute, ready}, {11 * time.Minute, observe}},
			[]string{"Warning ObserveFailed observing the target: HTTP 503", "Warning ObserveFailed observing the target: HTTP 503"}},
		{"waiting for memory is progress", []step{{0, memory}, {time.Minute, ready}}, nil},
		{"success", []step{{0, ready}, {time.Minute, ready}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := events.NewFakeRecorder(10)
			start := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
			var now time.Time
			w := newWarner(rec, func() time.Time { return now })
			obj := &elevsynkv1.Target{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "m365", UID: "u1", Generation: 1}}
			for _, s := range tc.steps {
				now = start.Add(s.at)
				before := obj.DeepCopy()
				setOutcome(obj, s.o)
				w.observe(obj, before, s.o)
			}
			close(rec.Events)
			var got []string
			for e := range rec.Events {
				got = append(got, e)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

package controllers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
)

// A Target that observes the same rooms as at its last plan, with the
// same desired rooms, keeps that plan instead of planning again; a
// change in the target is planned and corrected. A sync that plans sets
// lastSyncTime and lastPlan.time to the same instant; one that keeps the
// plan moves only lastSyncTime.
func TestTargetKeepsAPlanWhileNothingChanged(t *testing.T) {
	ns := newNamespace(t)
	_, hs, snap := registerSandbox(t)
	gs, gurl := googleSandbox(t, snap)
	create(t, tenant(ns, "exempelstad"))
	create(t, credentials(ns, "elevsynk", "s3cret"))
	create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "google"},
		StringData: map[string]string{"credentials.json": "{}"}})
	create(t, manualSource(ns))
	create(t, registerSource(ns, hs.URL))
	create(t, schoolMapping(ns))
	tg := googleTarget(ns, gurl)
	create(t, tg)
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonApplied)

	// The sync after the apply observes its writes: it plans, and is in sync.
	syncTarget(t, tg)
	if !planned(tg) || tg.Status.LastPlan.Creates != 0 {
		t.Fatalf("sync after the apply: last sync %v, last plan %+v", tg.Status.LastSyncTime, tg.Status.LastPlan)
	}
	kept := *tg.Status.LastPlan

	// Status times are whole seconds: a second on, a kept plan shows.
	time.Sleep(time.Second)
	syncTarget(t, tg)
	if planned(tg) || tg.Status.LastPlan.Time != kept.Time {
		t.Fatalf("no-change sync planned again: last sync %v, last plan %+v, kept %+v", tg.Status.LastSyncTime, tg.Status.LastPlan, kept)
	}
	if tg.Status.API == nil || tg.Status.API.Requests == 0 {
		t.Fatalf("no-change sync did not observe: api %+v", tg.Status.API)
	}

	// A teacher renames a course: the target changed, so it plans and corrects.
	course := gs.Courses()[0]
	if err := gs.RenameCourse(course.ID, "Vår kurs"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	syncTarget(t, tg)
	if !planned(tg) || tg.Status.LastPlan.Updates != 1 || !tg.Status.LastPlan.Applied {
		t.Fatalf("sync after a rename: last sync %v, last plan %+v", tg.Status.LastSyncTime, tg.Status.LastPlan)
	}
	if readyReason(tg) != controllers.ReasonApplied {
		t.Fatalf("sync after a rename: reason %s", readyReason(tg))
	}
}

// syncTarget asks tg for a reconcile and waits until it handled it.
func syncTarget(t *testing.T, tg *elevsynkv1.Target) {
	t.Helper()
	requestReconcile(t, tg, nil)
	eventually(t, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(tg), tg); err != nil {
			return err
		}
		if tg.Status.LastHandledReconcileAt != tg.Annotations[elevsynkv1.ReconcileRequestAnnotation] || readyReason(tg) == "" {
			return fmt.Errorf("request not handled yet")
		}
		return nil
	})
}

func planned(tg *elevsynkv1.Target) bool {
	return tg.Status.LastPlan != nil && tg.Status.LastSyncTime != nil && tg.Status.LastPlan.Time.Equal(tg.Status.LastSyncTime)
}

func readyReason(tg *elevsynkv1.Target) string {
	for _, c := range tg.Status.Conditions {
		if c.Type == elevsynkv1.ConditionReady {
			return c.Reason
		}
	}
	return ""
}

package controllers

import (
	"testing"
	"time"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/event"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// TestTenantCountsOnlyWhatItReads: of a Target's status updates, only
// those that change what the Tenant counts re-queue it; a sync that only
// wrote its time does not. Creates and deletes always do.
func TestTenantCountsOnlyWhatItReads(t *testing.T) {
	synced := func(change func(*elevsynkv1.Target)) *elevsynkv1.Target {
		tg := &elevsynkv1.Target{}
		tg.Status.Inventory = &elevsynkv1.Inventory{Managed: 40, Drifted: 2}
		apimeta.SetStatusCondition(&tg.Status.Conditions, metav1.Condition{Type: elevsynkv1.ConditionReady, Status: metav1.ConditionTrue, Reason: "Succeeded"})
		apimeta.SetStatusCondition(&tg.Status.Conditions, metav1.Condition{Type: elevsynkv1.ConditionDriftDetected, Status: metav1.ConditionTrue, Reason: "Drifted"})
		tg.Status.LastSyncTime = &metav1.Time{Time: time.Date(2026, 9, 14, 8, 0, 0, 0, time.UTC)}
		if change != nil {
			change(tg)
		}
		return tg
	}
	tests := []struct {
		name   string
		change func(*elevsynkv1.Target)
		want   bool
	}{
		{"only the sync time", func(tg *elevsynkv1.Target) {
			tg.Status.LastSyncTime.Time = tg.Status.LastSyncTime.Add(15 * time.Minute)
		}, false},
		{"the API counts", func(tg *elevsynkv1.Target) { tg.Status.API = &elevsynkv1.APICounts{Requests: 9} }, false},
		{"not Ready", func(tg *elevsynkv1.Target) {
			apimeta.SetStatusCondition(&tg.Status.Conditions, metav1.Condition{Type: elevsynkv1.ConditionReady, Status: metav1.ConditionFalse, Reason: "Failed"})
		}, true},
		{"rooms managed", func(tg *elevsynkv1.Target) { tg.Status.Inventory.Managed++ }, true},
		{"rooms drifted", func(tg *elevsynkv1.Target) { tg.Status.Inventory.Drifted = 0 }, true},
		{"drift corrected", func(tg *elevsynkv1.Target) {
			apimeta.SetStatusCondition(&tg.Status.Conditions, metav1.Condition{Type: elevsynkv1.ConditionDriftDetected, Status: metav1.ConditionFalse, Reason: "InSync"})
		}, true},
	}
	p := statusChanged(tenantReads)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Update(event.UpdateEvent{ObjectOld: synced(nil), ObjectNew: synced(tt.change)}); got != tt.want {
				t.Errorf("update passes = %v, want %v", got, tt.want)
			}
		})
	}
	if !p.Create(event.CreateEvent{Object: synced(nil)}) || !p.Delete(event.DeleteEvent{Object: synced(nil)}) {
		t.Error("a create or delete does not re-count the tenant")
	}
	src := &elevsynkv1.RegisterSource{}
	ready := src.DeepCopy()
	apimeta.SetStatusCondition(&ready.Status.Conditions, metav1.Condition{Type: elevsynkv1.ConditionReady, Status: metav1.ConditionTrue, Reason: "Succeeded"})
	if !p.Update(event.UpdateEvent{ObjectOld: src, ObjectNew: ready}) {
		t.Error("a source that became Ready does not re-count the tenant")
	}
}

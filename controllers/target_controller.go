package controllers

import (
	"context"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// indexTargetMapping indexes Targets by the Mapping they keep.
const indexTargetMapping = ".spec.mappingRef.name"

// TargetReconciler keeps a Mapping's rooms in a target.
type TargetReconciler struct {
	Client client.Client
}

// Reconcile checks the target's tenant and mapping; syncing arrives with the target work.
func (r *TargetReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var t elevsynkv1.Target
	if err := r.Client.Get(ctx, req.NamespacedName, &t); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	before := t.DeepCopy()
	o, err := r.reconcile(ctx, &t)
	return finish(ctx, r.Client, &t, before, o, err)
}

func (r *TargetReconciler) reconcile(ctx context.Context, t *elevsynkv1.Target) (outcome, error) {
	if _, err := tenantOf(ctx, r.Client, t.Namespace); err != nil {
		return outcome{}, err
	}
	if err := getReferenced(ctx, r.Client, t.Namespace, "Mapping", t.Spec.MappingRef.Name, &elevsynkv1.Mapping{}); err != nil {
		return outcome{}, err
	}
	return waitingOutcome(elevsynkv1.ReasonNotImplemented, "this version does not sync targets yet; nothing was written"), nil
}

// SetupWithManager watches Targets, the Mapping each keeps and the Tenant.
func (r *TargetReconciler) SetupWithManager(mgr ctrl.Manager) error {
	err := mgr.GetFieldIndexer().IndexField(context.Background(), &elevsynkv1.Target{}, indexTargetMapping,
		func(obj client.Object) []string { return []string{obj.(*elevsynkv1.Target).Spec.MappingRef.Name} })
	if err != nil {
		return err
	}
	return ctrl.NewControllerManagedBy(mgr).
		For(&elevsynkv1.Target{}).
		Watches(&elevsynkv1.Mapping{}, enqueueReferrers(mgr, &elevsynkv1.TargetList{}, indexTargetMapping)).
		Watches(&elevsynkv1.Tenant{}, enqueueNamespace(mgr, &elevsynkv1.TargetList{})).
		Complete(r)
}

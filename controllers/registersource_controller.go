package controllers

import (
	"context"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// RegisterSourceReconciler fetches registers.
type RegisterSourceReconciler struct {
	Client client.Client
}

// +kubebuilder:rbac:groups="",resources=secrets;configmaps,verbs=get;list;watch

// Reconcile checks the source's tenant; fetching arrives with the register work.
func (r *RegisterSourceReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var src elevsynkv1.RegisterSource
	if err := r.Client.Get(ctx, req.NamespacedName, &src); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	before := src.DeepCopy()
	o, err := r.reconcile(ctx, &src)
	return finish(ctx, r.Client, &src, before, o, err)
}

func (r *RegisterSourceReconciler) reconcile(ctx context.Context, src *elevsynkv1.RegisterSource) (outcome, error) {
	if _, err := tenantOf(ctx, r.Client, src.Namespace); err != nil {
		return outcome{}, err
	}
	return waitingOutcome(elevsynkv1.ReasonNotImplemented, "this version does not read registers yet; nothing was fetched"), nil
}

// SetupWithManager watches RegisterSources and their namespace's Tenant.
func (r *RegisterSourceReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&elevsynkv1.RegisterSource{}).
		Watches(&elevsynkv1.Tenant{}, enqueueNamespace(mgr, &elevsynkv1.RegisterSourceList{})).
		Complete(r)
}

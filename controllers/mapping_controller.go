package controllers

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// indexMappingSources indexes Mappings by the RegisterSources they read.
const indexMappingSources = ".spec.sourceRefs.name"

// MappingReconciler turns register snapshots into desired rooms.
type MappingReconciler struct {
	Client client.Client
}

// Reconcile checks the mapping's tenant and sources; rules arrive with the mapping work.
func (r *MappingReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var m elevsynkv1.Mapping
	if err := r.Client.Get(ctx, req.NamespacedName, &m); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	before := m.DeepCopy()
	o, err := r.reconcile(ctx, &m)
	return finish(ctx, r.Client, &m, before, o, err)
}

func (r *MappingReconciler) reconcile(ctx context.Context, m *elevsynkv1.Mapping) (outcome, error) {
	if _, err := tenantOf(ctx, r.Client, m.Namespace); err != nil {
		return outcome{}, err
	}
	for _, ref := range m.Spec.SourceRefs {
		if err := getReferenced(ctx, r.Client, m.Namespace, "RegisterSource", ref.Name, &elevsynkv1.RegisterSource{}); err != nil {
			return outcome{}, err
		}
	}
	return waitingOutcome(elevsynkv1.ReasonNotImplemented, "this version does not evaluate rules yet; no rooms are desired"), nil
}

// getReferenced reads a referenced object; a missing one is a wait shown in
// status, since applying it fixes the reference.
func getReferenced(ctx context.Context, c client.Reader, namespace, kind, name string, obj client.Object) error {
	err := c.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, obj)
	if apierrors.IsNotFound(err) {
		return waitFor(elevsynkv1.ReasonDependencyMissing, "%s %q does not exist in namespace %s", kind, name, namespace)
	}
	if err != nil {
		return fmt.Errorf("reading %s %q: %w", kind, name, err)
	}
	return nil
}

// SetupWithManager watches Mappings, the RegisterSources they read and the Tenant.
func (r *MappingReconciler) SetupWithManager(mgr ctrl.Manager) error {
	err := mgr.GetFieldIndexer().IndexField(context.Background(), &elevsynkv1.Mapping{}, indexMappingSources,
		func(obj client.Object) []string {
			refs := obj.(*elevsynkv1.Mapping).Spec.SourceRefs
			names := make([]string, len(refs))
			for i, ref := range refs {
				names[i] = ref.Name
			}
			return names
		})
	if err != nil {
		return err
	}
	return ctrl.NewControllerManagedBy(mgr).
		For(&elevsynkv1.Mapping{}).
		Watches(&elevsynkv1.RegisterSource{}, enqueueReferrers(mgr, &elevsynkv1.MappingList{}, indexMappingSources)).
		Watches(&elevsynkv1.Tenant{}, enqueueNamespace(mgr, &elevsynkv1.MappingList{})).
		Complete(r)
}

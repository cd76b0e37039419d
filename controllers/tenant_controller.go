package controllers

import (
	"context"
	"errors"
	"fmt"
	"time"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/metrics"
)

// TenantReconciler aggregates the state of a namespace's objects into its Tenant.
type TenantReconciler struct {
	Client   client.Client
	Recorder events.EventRecorder

	warnings *warner
}

// +kubebuilder:rbac:groups=elevsynk.io,resources=tenants;registersources;mappings;targets,verbs=get;list;watch
// +kubebuilder:rbac:groups=elevsynk.io,resources=tenants/status;registersources/status;mappings/status;targets/status,verbs=get;update;patch
// +kubebuilder:rbac:groups="",resources=events,verbs=create;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile counts the tenant's objects and rooms.
func (r *TenantReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var tenant elevsynkv1.Tenant
	if err := r.Client.Get(ctx, req.NamespacedName, &tenant); err != nil {
		if client.IgnoreNotFound(err) == nil {
			metrics.Forget(metrics.KindTenant, req.Namespace, req.Name)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	defer timeSync(metrics.KindTenant, time.Now())
	before := tenant.DeepCopy()
	o, err := r.reconcile(ctx, &tenant)
	res, failed, perr := finish(ctx, r.Client, r.warnings, &tenant, before, o, err)
	return res, errors.Join(failed, perr)
}

func (r *TenantReconciler) reconcile(ctx context.Context, tenant *elevsynkv1.Tenant) (outcome, error) {
	if _, err := tenantOf(ctx, r.Client, tenant.Namespace); err != nil {
		return outcome{}, err
	}
	ns := client.InNamespace(tenant.Namespace)
	var sources elevsynkv1.RegisterSourceList
	var mappings elevsynkv1.MappingList
	var targets elevsynkv1.TargetList
	for _, l := range []client.ObjectList{&sources, &mappings, &targets} {
		if err := r.Client.List(ctx, l, ns); err != nil {
			return outcome{}, fmt.Errorf("listing the tenant's objects: %w", err)
		}
	}

	st := &tenant.Status
	st.Sources = countReady(sourceObjects(sources.Items))
	st.Mappings = countReady(mappingObjects(mappings.Items))
	st.Targets = countReady(targetObjects(targets.Items))
	st.Rooms, st.DriftedRooms = 0, 0
	for _, t := range targets.Items {
		if inv := t.Status.Inventory; inv != nil {
			st.Rooms += inv.Managed
			// Drift a Target corrected in the same sync is history; count
			// the rooms of Targets whose drift remains.
			if apimeta.IsStatusConditionTrue(t.Status.Conditions, elevsynkv1.ConditionDriftDetected) {
				st.DriftedRooms += inv.Drifted
			}
		}
	}
	setDrift(tenant, st.DriftedRooms)

	notReady := (st.Sources.Total - st.Sources.Ready) + (st.Mappings.Total - st.Mappings.Ready) + (st.Targets.Total - st.Targets.Ready)
	summary := fmt.Sprintf("%d/%d sources, %d/%d mappings, %d/%d targets ready; %d rooms, %d drifted",
		st.Sources.Ready, st.Sources.Total, st.Mappings.Ready, st.Mappings.Total, st.Targets.Ready, st.Targets.Total, st.Rooms, st.DriftedRooms)
	if tenant.Spec.Suspend {
		summary = "suspended, nothing is written; " + summary
	}
	switch {
	case st.Targets.Total == 0:
		return waitingOutcome(ReasonNoTargets, "the tenant has no Targets yet; %s", summary), nil
	case notReady > 0:
		return waitingOutcome(elevsynkv1.ReasonDependencyNotReady, "%s", summary), nil
	default:
		return readyOutcome(elevsynkv1.ReasonSucceeded, "%s", summary), nil
	}
}

// ReasonNoTargets: a tenant without Targets keeps no rooms.
const ReasonNoTargets = "NoTargets"

// setDrift keeps the DriftDetected condition in step with a count of drifted rooms.
func setDrift(obj object, drifted int32) {
	st := obj.GetReconcileStatus()
	if drifted == 0 {
		apimeta.SetStatusCondition(&st.Conditions, metav1.Condition{Type: elevsynkv1.ConditionDriftDetected,
			Status: metav1.ConditionFalse, Reason: "InSync", Message: "no drifted rooms", ObservedGeneration: obj.GetGeneration()})
		return
	}
	apimeta.SetStatusCondition(&st.Conditions, metav1.Condition{Type: elevsynkv1.ConditionDriftDetected,
		Status: metav1.ConditionTrue, Reason: "Drifted", Message: fmt.Sprintf("%d rooms differ from the desired state", drifted),
		ObservedGeneration: obj.GetGeneration()})
}

func countReady(objs []object) elevsynkv1.ObjectCounts {
	c := elevsynkv1.ObjectCounts{Total: int32(len(objs))}
	for _, o := range objs {
		if isReady(o) {
			c.Ready++
		}
	}
	return c
}

func sourceObjects(items []elevsynkv1.RegisterSource) []object { return pointers(items) }
func mappingObjects(items []elevsynkv1.Mapping) []object       { return pointers(items) }
func targetObjects(items []elevsynkv1.Target) []object         { return pointers(items) }

func pointers[T any, P interface {
	*T
	object
}](items []T) []object {
	out := make([]object, len(items))
	for i := range items {
		out[i] = P(&items[i])
	}
	return out
}

// SetupWithManager watches Tenants and re-queues a namespace's Tenants when
// an object in the namespace comes, goes, or changes in what the Tenant
// counts of it (tenantReads). Every sync writes its time into the object's
// status; re-counting the namespace for each of those was a twentieth of
// a quiet cycle's CPU and changed nothing.
func (r *TenantReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	r.warnings = newWarner(r.Recorder, time.Now)
	toTenants := enqueueNamespace(mgr, &elevsynkv1.TenantList{})
	counted := builder.WithPredicates(statusChanged(tenantReads))
	return ctrl.NewControllerManagedBy(mgr).
		For(&elevsynkv1.Tenant{}).
		Watches(&elevsynkv1.Tenant{}, toTenants).
		Watches(&elevsynkv1.RegisterSource{}, toTenants, counted).
		Watches(&elevsynkv1.Mapping{}, toTenants, counted).
		Watches(&elevsynkv1.Target{}, toTenants, counted).
		WithOptions(opts).
		Complete(r)
}

// tenantReads is what reconcile counts of a source, Mapping or Target:
// whether it is Ready, and of a Target its rooms and whether its drift
// remains.
func tenantReads(obj client.Object) string {
	s := fmt.Sprint(isReady(obj.(object)))
	if t, ok := obj.(*elevsynkv1.Target); ok {
		if inv := t.Status.Inventory; inv != nil {
			s += fmt.Sprintf(" %d %d", inv.Managed, inv.Drifted)
		}
		s += fmt.Sprint(" ", apimeta.IsStatusConditionTrue(t.Status.Conditions, elevsynkv1.ConditionDriftDetected))
	}
	return s
}

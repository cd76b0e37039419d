package controllers

import (
	"context"
	"fmt"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// tenantOf returns the namespace's only Tenant. Every object in a namespace
// belongs to that tenant; without exactly one, nothing may act.
func tenantOf(ctx context.Context, c client.Reader, namespace string) (*elevsynkv1.Tenant, error) {
	var list elevsynkv1.TenantList
	if err := c.List(ctx, &list, client.InNamespace(namespace)); err != nil {
		return nil, fmt.Errorf("listing tenants: %w", err)
	}
	switch len(list.Items) {
	case 0:
		return nil, waitFor(elevsynkv1.ReasonTenantNotFound,
			"namespace %s has no Tenant; apply one to give its objects a school organiser", namespace)
	case 1:
		return &list.Items[0], nil
	default:
		return nil, stallOn(ReasonTooManyTenants, "namespace %s has %d Tenants; keep exactly one", namespace, len(list.Items))
	}
}

// ReasonTooManyTenants: a namespace holds more than one Tenant.
const ReasonTooManyTenants = "TooManyTenants"

// tenantInputs identifies the namespace's Tenant as a reconcile input: a
// Tenant applied, replaced or changed makes the namespace's objects work
// again; its status does not.
func tenantInputs(ctx context.Context, c client.Reader, namespace string) string {
	t, err := tenantOf(ctx, c, namespace)
	if err != nil {
		return "no tenant"
	}
	return fmt.Sprintf("tenant %s@%d", t.UID, t.Generation)
}

// tenantNow is now in the Tenant's time zone, so that dates (membership
// windows, archive dates, the day a Mapping evaluates) are the tenant's.
func tenantNow(t *elevsynkv1.Tenant, now time.Time) (time.Time, error) {
	loc, err := t.Spec.Location()
	if err != nil {
		return time.Time{}, stallOn(elevsynkv1.ReasonInvalidSpec, "Tenant %s: %v", t.Name, err)
	}
	return now.In(loc), nil
}

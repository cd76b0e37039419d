package v1alpha1

// The methods below give controllers one way to reach the status every kind
// shares, so conditions are set and patched in one place.

// GetReconcileStatus returns the shared part of the Tenant's status.
func (in *Tenant) GetReconcileStatus() *ReconcileStatus { return &in.Status.ReconcileStatus }

// GetReconcileStatus returns the shared part of the RegisterSource's status.
func (in *RegisterSource) GetReconcileStatus() *ReconcileStatus {
	return &in.Status.ReconcileStatus
}

// GetReconcileStatus returns the shared part of the Mapping's status.
func (in *Mapping) GetReconcileStatus() *ReconcileStatus { return &in.Status.ReconcileStatus }

// GetReconcileStatus returns the shared part of the Target's status.
func (in *Target) GetReconcileStatus() *ReconcileStatus { return &in.Status.ReconcileStatus }

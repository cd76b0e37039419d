package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// Condition types. Ready is always present; Reconciling and Stalled follow
// kstatus ("abnormal-true": present and True only while it holds).
const (
	// ConditionReady says whether the object did its job on the last reconcile.
	ConditionReady = "Ready"
	// ConditionReconciling is True while the controller works toward the spec.
	ConditionReconciling = "Reconciling"
	// ConditionStalled is True when retrying cannot help until someone acts:
	// a bad manifest, a tripped guard, a register that shrank too much.
	ConditionStalled = "Stalled"
	// ConditionDriftDetected is True when a target's rooms differ from the
	// desired state (on a Target, and aggregated on the Tenant).
	ConditionDriftDetected = "DriftDetected"
)

// Condition reasons shared by the kinds. Each kind adds its own.
const (
	ReasonSucceeded          = "Succeeded"
	ReasonProgressing        = "Progressing"
	ReasonSuspended          = "Suspended"
	ReasonTenantNotFound     = "TenantNotFound"
	ReasonDependencyMissing  = "DependencyNotFound"
	ReasonDependencyNotReady = "DependencyNotReady"
	ReasonInvalidSpec        = "InvalidSpec"
)

// Annotations users and tools set on objects.
const (
	// ReconcileRequestAnnotation asks for an immediate reconcile; its value
	// (any string, usually a timestamp) is echoed in
	// status.lastHandledReconcileAt once handled, the way Flux does it.
	ReconcileRequestAnnotation = "elevsynk.io/reconcile-requested-at"

	// ApprovePlanAnnotation on a Target carries the hash of one plan that
	// tripped the deletion guard; that exact plan is then applied, and no other.
	ApprovePlanAnnotation = "elevsynk.io/approve-plan"

	// SandboxAnnotation set to "true" on a RegisterSource or a Target says
	// its endpoints are a local sandbox (the demo's, a test's): plain http
	// is then allowed to a loopback host (localhost, 127.0.0.0/8, ::1), and
	// the adapters use sandbox settings there (no client-side rate limit,
	// short backoffs, and a fixed token for a Graph sandbox on plain http,
	// which has no token endpoint MSAL would use). Plain http to any other
	// host is refused with or without it, and without it every endpoint
	// must be https, so no credentials or personal data travel unencrypted.
	SandboxAnnotation = "elevsynk.io/sandbox"
)

// IsSandbox reports whether obj carries SandboxAnnotation=true.
func IsSandbox(obj metav1.Object) bool { return obj.GetAnnotations()[SandboxAnnotation] == "true" }

// LocalReference names another object of this API in the same namespace.
type LocalReference struct {
	// Name of the object, in the same namespace.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
}

// SecretReference names a Secret in the same namespace. Which keys it must
// hold is documented on the field that uses it.
type SecretReference struct {
	// Name of the Secret, in the same namespace.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
}

// ConfigMapKeyReference names one key of a ConfigMap in the same namespace.
type ConfigMapKeyReference struct {
	// Name of the ConfigMap, in the same namespace.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// Key in the ConfigMap's data or binaryData.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Key string `json:"key"`
}

// ReconcileStatus is the part of status every kind shares.
type ReconcileStatus struct {
	// Conditions of the object. Ready is always present.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// ObservedGeneration is the metadata.generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// LastHandledReconcileAt is the value of the
	// elevsynk.io/reconcile-requested-at annotation last acted on.
	// +optional
	LastHandledReconcileAt string `json:"lastHandledReconcileAt,omitempty"`
}

// KindCount is a count of rooms of one kind.
type KindCount struct {
	// Kind of room.
	Kind RoomKind `json:"kind"`
	// Count of rooms of that kind.
	// +optional
	Count int32 `json:"count,omitempty"`
}

// ReasonCount is a count of people or records for one reason. It never
// carries who they are.
type ReasonCount struct {
	// Reason, a CamelCase word such as SecurityMarking or NoAccountKey.
	Reason string `json:"reason"`
	// Count of people or records.
	// +optional
	Count int32 `json:"count,omitempty"`
}

// ApproveSnapshotAnnotation on a RegisterSource carries the content hash of
// one fetched snapshot that the shrink guard refused; that exact snapshot is
// then used, and no other.
const ApproveSnapshotAnnotation = "elevsynk.io/approve-snapshot"

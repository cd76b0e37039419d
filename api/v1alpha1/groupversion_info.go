// Package v1alpha1 holds the elevsynk.io/v1alpha1 API: Tenant, RegisterSource,
// Mapping and Target.
//
// One namespace is one tenant (a municipality or an independent school
// organiser). Every reference between objects is a plain name in the same
// namespace, so a cross-namespace reference cannot be written at all.
//
// +kubebuilder:object:generate=true
// +groupName=elevsynk.io
package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	// GroupVersion is the group and version of this API.
	GroupVersion = schema.GroupVersion{Group: "elevsynk.io", Version: "v1alpha1"}

	// SchemeBuilder registers the types of this API with a runtime.Scheme.
	SchemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)

	// AddToScheme adds the types of this API to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)

// addKnownTypes uses apimachinery only, so the API package stays cheap to
// import for other programs.
func addKnownTypes(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion,
		&Tenant{}, &TenantList{},
		&RegisterSource{}, &RegisterSourceList{},
		&Mapping{}, &MappingList{},
		&Target{}, &TargetList{},
	)
	metav1.AddToGroupVersion(s, GroupVersion)
	return nil
}

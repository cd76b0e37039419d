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
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the group and version of this API.
	GroupVersion = schema.GroupVersion{Group: "elevsynk.io", Version: "v1alpha1"}

	// SchemeBuilder registers the types of this API with a runtime.Scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: GroupVersion}

	// AddToScheme adds the types of this API to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)

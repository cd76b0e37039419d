package controllers

import (
	"context"
	"errors"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
	"github.com/elevsynk/elevsynk/internal/target/google"
)

// Connect is the built-in Connector: it knows every target kind this
// version writes to.
func Connect(ctx context.Context, t *elevsynkv1.Target, secret map[string][]byte) (target.Target, error) {
	switch {
	case t.Spec.Microsoft365 != nil:
		return nil, errors.New("microsoft365: not supported by this version")
	case t.Spec.Google != nil:
		return google.FromSpec(ctx, *t.Spec.Google, secret, google.Options{})
	case t.Spec.SchoolDataSync != nil:
		return nil, errors.New("schoolDataSync: not supported by this version")
	case t.Spec.File != nil:
		return nil, errors.New("file: not supported by this version")
	}
	return nil, errors.New("the spec names no target kind")
}

// platform is the family of room kinds a Target holds.
func platform(spec *elevsynkv1.TargetSpec) target.Platform {
	if spec.Google != nil {
		return target.Google
	}
	return target.Microsoft365
}

package controllers

import (
	"context"
	"errors"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

// Connect is the built-in Connector: it knows every target kind this
// version writes to.
func Connect(ctx context.Context, t *elevsynkv1.Target, secret map[string][]byte) (target.Target, error) {
	switch {
	case t.Spec.Microsoft365 != nil:
		return nil, errors.New("microsoft365: not supported by this version")
	case t.Spec.Google != nil:
		return nil, errors.New("google: not supported by this version")
	case t.Spec.SchoolDataSync != nil:
		return nil, errors.New("schoolDataSync: not supported by this version")
	case t.Spec.File != nil:
		return nil, errors.New("file: not supported by this version")
	}
	return nil, errors.New("the spec names no target kind")
}

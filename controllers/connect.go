package controllers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/time/rate"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
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

// SandboxConnect is Connect for the sandboxes of the demo and the tests:
// no client-side rate limit and short backoff, so a local run is quick.
// Real services need the defaults, which follow their published quotas.
func SandboxConnect(ctx context.Context, t *elevsynkv1.Target, secret map[string][]byte) (target.Target, error) {
	if t.Spec.Google != nil {
		return google.FromSpec(ctx, *t.Spec.Google, secret, google.Options{
			ClassroomQPS: rate.Inf, DirectoryQPS: rate.Inf, BaseDelay: 10 * time.Millisecond, MaxDelay: 200 * time.Millisecond})
	}
	return Connect(ctx, t, secret)
}

// admission is the platform's check of a room before planning.
func admission(spec *elevsynkv1.TargetSpec) func(desired.Room) error {
	if spec.Google != nil {
		return google.Caps
	}
	return needsOwner
}

// needsOwner: a team cannot be made without an owner ("an owner must be
// specified", https://learn.microsoft.com/en-us/graph/api/team-post).
func needsOwner(r desired.Room) error {
	if (r.Kind == elevsynkv1.RoomTeam || r.Kind == elevsynkv1.RoomClassTeam) && len(r.Owners) == 0 {
		return fmt.Errorf("%s %s: a team needs at least one owner", r.Kind, r.Key)
	}
	return nil
}

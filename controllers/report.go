package controllers

import (
	"path/filepath"
	"time"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/report"
	"github.com/elevsynk/elevsynk/internal/snapshots"
)

// writeReport writes the Target's overview report into spec.report.path,
// if set: the rooms it was planned with, what it observed and the plan,
// before the plan is applied, as `elevsynk report` shows them.
func writeReport(t *elevsynkv1.Target, tenant *elevsynkv1.Tenant, d snapshots.Desired, prep platform.Prepared, p plan.Plan, now time.Time) error {
	out := t.Spec.Report
	if out == nil {
		return nil
	}
	on := platform.Of(&t.Spec)
	mode := t.Spec.Mode
	if mode == "" {
		mode = elevsynkv1.ModePlan
	}
	in := report.Input{Tenant: tenant.Namespace + "/" + tenant.Name, DisplayName: tenant.Spec.DisplayName, GeneratedAt: now,
		Register: d.Register,
		Mappings: []report.MappingInput{{Name: t.Spec.MappingRef.Name, Want: d.State, Report: d.Report,
			Targets: []report.TargetInput{{Name: t.Name, Platform: string(on), Mode: mode, Want: prep.Want, Have: prep.Have,
				Plan: p, NotHeld: report.NotHeldOf(prep, on)}}}}}
	ext := ".html"
	if out.Format == "JSON" {
		ext = ".json"
	}
	path := filepath.Join(out.Path, t.Namespace+"-"+t.Name+ext)
	// Errors name the path, the operator's own configuration, never data.
	return report.WriteFile(path, report.Build(in))
}

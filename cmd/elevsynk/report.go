package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/types"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/report"
)

const reportHelp = `usage: elevsynk report -f DIR -o report.html|report.json

Writes an overview of each Tenant in DIR for the people who run its
schools' IT: every room with its owners and members, desired against what
each Target holds now, drift and its reason, rooms a platform cannot hold,
the people left out and why, and data-quality findings. It is built as
'elevsynk plan' builds its plans: the live register, the Targets observed
read-only; nothing is written to any target.

The report holds personal data (names and account keys; never a civic
number, never anyone with a protected identity, who is only counted). It
is written with mode 0600. The HTML form is one file with no external
script or font; the JSON form is its data. With several Tenants in DIR,
the namespace goes into each file's name: report-<namespace>.html.

flags:
`

func runReport(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	dir := fs.String("f", "", "directory of the Tenants' manifests and Secrets")
	path := fs.String("o", "report.html", "file to write, .html or .json")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), reportHelp)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return fmt.Errorf("-f DIR is required")
	}
	set, err := manifests.Read(*dir, scheme())
	if err != nil {
		return err
	}
	var tenants []*elevsynkv1.Tenant
	for _, o := range set.Objects {
		if t, ok := o.Object.(*elevsynkv1.Tenant); ok {
			tenants = append(tenants, t)
		}
	}
	if len(tenants) == 0 {
		return fmt.Errorf("the directory holds no Tenant")
	}
	slices.SortFunc(tenants, func(a, b *elevsynkv1.Tenant) int { return cmp.Compare(a.Namespace, b.Namespace) })
	now := time.Now()
	for _, t := range tenants {
		in, err := reportInput(ctx, set, t, now)
		if err != nil {
			return fmt.Errorf("tenant %s/%s: %w", t.Namespace, t.Name, err)
		}
		r := report.Build(in)
		file := *path
		if len(tenants) > 1 {
			ext := filepath.Ext(file)
			file = strings.TrimSuffix(file, ext) + "-" + t.Namespace + ext
		}
		if err := report.WriteFile(file, r); err != nil {
			return err
		}
		rooms := 0
		for _, tg := range r.Targets {
			rooms += len(tg.Rooms)
		}
		fmt.Fprintf(out, "wrote %s: %d targets, %d rooms, %d people (personal data: mode 0600)\n", file, len(r.Targets), rooms, len(r.People))
	}
	return nil
}

// reportInput evaluates each Mapping of the tenant once and observes each
// of its Targets, as plan does.
func reportInput(ctx context.Context, set *manifests.Set, tenant *elevsynkv1.Tenant, now time.Time) (report.Input, error) {
	in := report.Input{Tenant: tenant.Namespace + "/" + tenant.Name, DisplayName: tenant.Spec.DisplayName, GeneratedAt: now}
	byMapping := map[string][]*elevsynkv1.Target{}
	for _, t := range manifests.In[*elevsynkv1.Target](set, tenant.Namespace) {
		byMapping[t.Spec.MappingRef.Name] = append(byMapping[t.Spec.MappingRef.Name], t)
	}
	for _, name := range slices.Sorted(maps.Keys(byMapping)) {
		ev, err := evaluate(ctx, set, types.NamespacedName{Namespace: tenant.Namespace, Name: name}, now)
		if err != nil {
			return report.Input{}, err
		}
		if in.Register == nil {
			in.Register = ev.Register // names come from the first Mapping's register
		}
		m := report.MappingInput{Name: name, Want: ev.State, Report: ev.Report}
		targets := byMapping[name]
		slices.SortFunc(targets, func(a, b *elevsynkv1.Target) int { return cmp.Compare(a.Name, b.Name) })
		for _, t := range targets {
			o, err := observePlan(ctx, set, t, ev.State, now)
			if err != nil {
				return report.Input{}, fmt.Errorf("target %s: %w", t.Name, err)
			}
			m.Targets = append(m.Targets, report.TargetInput{Name: t.Name, Platform: string(platform.Of(&t.Spec)),
				Mode: cmp.Or(t.Spec.Mode, elevsynkv1.ModePlan), Want: o.prep.Want, Have: o.prep.Have, Plan: o.plan,
				NotHeld: report.NotHeldOf(o.prep, platform.Of(&t.Spec))})
		}
		in.Mappings = append(in.Mappings, m)
	}
	return in, nil
}

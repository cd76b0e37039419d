package main

import (
	"context"
	"fmt"
	"os"

	eventsv1 "k8s.io/api/events/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
	"sigs.k8s.io/yaml"

	"github.com/prometheus/common/expfmt"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// dump writes what the operator made public during the demo: every
// elevsynk object with its status, every event and every metric. It is
// what an administrator, a log pipeline or Prometheus would see, and what
// the privacy test scans for personal data.
func (d *demo) dump(ctx context.Context, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	lists := []client.ObjectList{&elevsynkv1.TenantList{}, &elevsynkv1.RegisterSourceList{}, &elevsynkv1.MappingList{},
		&elevsynkv1.TargetList{}, &eventsv1.EventList{}}
	for _, l := range lists {
		if err := d.c.List(ctx, l); err != nil {
			return err
		}
		out, err := yaml.Marshal(l)
		if err != nil {
			return err
		}
		fmt.Fprintf(f, "# %T\n%s\n", l, out)
	}
	families, err := ctrlmetrics.Registry.Gather()
	if err != nil {
		return err
	}
	enc := expfmt.NewEncoder(f, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range families {
		if err := enc.Encode(mf); err != nil {
			return err
		}
	}
	return nil
}

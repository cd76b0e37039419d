package metrics

import (
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
)

// familyNames are the metric names a gatherer holds.
func familyNames(t *testing.T, g prometheus.Gatherer) []string {
	t.Helper()
	fams, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fams {
		out = append(out, f.GetName())
	}
	return out
}

func TestLint(t *testing.T) {
	_, reg := fresh(t)
	touchAll("ns", "a")
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
	for _, n := range familyNames(t, reg) {
		if !strings.HasPrefix(n, "elevsynk_") {
			t.Errorf("metric %s is not named elevsynk_*", n)
		}
	}
}

// TestServedByManager checks the package's metrics are on the registry
// controller-runtime's metrics endpoint serves.
func TestServedByManager(t *testing.T) {
	_, reg := fresh(t)
	touchAll("ns", "a")
	want := familyNames(t, reg)
	counter := &countingRegisterer{Registerer: prometheus.NewRegistry()}
	newSet(counter)
	if len(want) != counter.n {
		t.Errorf("touchAll touched %d metrics of %d: %v", len(want), counter.n, want)
	}

	// The package's own set, not the test's.
	std = stdAtInit
	touchAll("metrics-test", "a")
	defer func() {
		for _, k := range []Kind{KindTenant, KindRegisterSource, KindMapping, KindTarget} {
			Forget(k, "metrics-test", "a")
		}
	}()
	served := familyNames(t, ctrlmetrics.Registry)
	for _, n := range want {
		if !slices.Contains(served, n) {
			t.Errorf("%s is not on controller-runtime's registry", n)
		}
	}
}

// stdAtInit is the set the package registered on controller-runtime's
// registry, whatever a test has swapped in since.
var stdAtInit = std

// countingRegisterer counts the collectors registered on it.
type countingRegisterer struct {
	prometheus.Registerer
	n int
}

func (c *countingRegisterer) MustRegister(cs ...prometheus.Collector) {
	c.n += len(cs)
	c.Registerer.MustRegister(cs...)
}

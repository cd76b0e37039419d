package metrics

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/target"
)

// fresh points the package's functions at a new set on a new registry for
// the length of the test, so tests see only their own series. Tests that
// use it must not run in parallel.
func fresh(t *testing.T) (*set, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	s, old := newSet(reg), std
	std = s
	t.Cleanup(func() { std = old })
	return s, reg
}

// touchAll calls every exported recording function once, so every metric
// has a series, with the label values the alerts match on.
func touchAll(namespace, name string) {
	ObserveTarget(namespace, name, elevsynkv1.Inventory{Managed: 3, InSync: 2, Drifted: 1},
		[]plan.Drift{{Kind: elevsynkv1.RoomTeam, Key: "k", Reasons: []plan.Reason{plan.Renamed}}})
	ActionsApplied(namespace, name, []target.Action{{Op: target.OpRename, Kind: elevsynkv1.RoomTeam, Key: "k"}}, target.Result{Applied: 1})
	TargetAPI(namespace, name, target.Stats{}, target.Stats{Requests: 2, Writes: 1, Throttled: 1})
	GuardTripped(namespace, name, true)
	SourceFetched(namespace, name, FetchSuccess, &metav1.Time{Time: time.Unix(1_700_000_000, 0)})
	ObserveMapping(namespace, name, []elevsynkv1.KindCount{{Kind: elevsynkv1.RoomTeam, Count: 3}},
		[]elevsynkv1.ReasonCount{{Reason: "SecurityMarking", Count: 1}})
	for _, k := range []Kind{KindTenant, KindRegisterSource, KindMapping} {
		Outcome(k, namespace, name, true, false, "Succeeded")
	}
	// DeletionGuard is the Target controller's ReasonDeletionGuard.
	Outcome(KindTarget, namespace, name, false, true, "DeletionGuard")
	SyncDuration(KindTarget, 1500*time.Millisecond)
}

// series lists the label sets of a gathered family's series, as
// "label=value,..." with labels sorted by name, with their values.
func series(t *testing.T, g prometheus.Gatherer, name string) map[string]float64 {
	t.Helper()
	fams, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			out[labelString(m)] = value(m)
		}
	}
	return out
}

func labelString(m *dto.Metric) string {
	s := ""
	for i, l := range m.GetLabel() {
		if i > 0 {
			s += ","
		}
		s += l.GetName() + "=" + l.GetValue()
	}
	return s
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Histogram != nil:
		return float64(m.GetHistogram().GetSampleCount())
	}
	return 0
}

func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	return testutil.ToFloat64(c)
}

func gaugeValue(t *testing.T, g prometheus.Gauge) float64 {
	t.Helper()
	return testutil.ToFloat64(g)
}

func countSeries(t *testing.T, c prometheus.Collector) int {
	t.Helper()
	return testutil.CollectAndCount(c)
}

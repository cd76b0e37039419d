package metrics

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
)

func TestForget(t *testing.T) {
	_, reg := fresh(t)
	touchAll("ns", "a")
	touchAll("ns", "b")
	touchAll("other", "a")
	all := allSeries(t, reg)
	// of picks from series those of one object.
	of := func(series []string, namespace, name string, kind Kind) []string {
		var out []string
		for _, s := range series {
			if strings.Contains(s, "name="+name+",") && strings.Contains(s, "namespace="+namespace) && seriesKind(s) == kind {
				out = append(out, s)
			}
		}
		return out
	}
	var forgotten []string
	for _, k := range []Kind{KindTarget, KindRegisterSource, KindMapping, KindTenant} {
		Forget(k, "ns", "a")
		mine := of(all, "ns", "a", k)
		if len(mine) == 0 {
			t.Fatalf("touchAll made no series of %s ns/a: the test would check nothing", k)
		}
		forgotten = append(forgotten, mine...)
		want := slices.DeleteFunc(slices.Clone(all), func(s string) bool { return slices.Contains(forgotten, s) })
		if diff := cmp.Diff(want, allSeries(t, reg)); diff != "" {
			t.Errorf("after Forget(%s, ns, a) (-want +got):\n%s", k, diff)
		}
	}
	// A forgotten object that comes back starts afresh: one stalled series.
	Outcome(KindTarget, "ns", "a", false, true, "DeletionGuard")
	Outcome(KindTarget, "ns", "a", true, false, "Applied")
	want := []string{"elevsynk_ready{kind=Target,name=a,namespace=ns}", "elevsynk_stalled{kind=Target,name=a,namespace=ns,reason=}"}
	if diff := cmp.Diff(want, of(allSeries(t, reg), "ns", "a", KindTarget)); diff != "" {
		t.Errorf("Target ns/a after it came back (-want +got):\n%s", diff)
	}
}

// allSeries lists every series gathered as name{labels}, sorted.
func allSeries(t *testing.T, g prometheus.Gatherer) []string {
	t.Helper()
	fams, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			out = append(out, f.GetName()+"{"+labelString(m)+"}")
		}
	}
	slices.Sort(out)
	return out
}

// seriesKind is the kind of object a series describes: its kind label on
// the metrics shared by all kinds, its name's prefix otherwise.
func seriesKind(s string) Kind {
	for _, k := range []Kind{KindTenant, KindRegisterSource, KindMapping, KindTarget} {
		if strings.Contains(s, "{kind="+string(k)+",") {
			return k
		}
	}
	switch {
	case strings.HasPrefix(s, "elevsynk_target_"):
		return KindTarget
	case strings.HasPrefix(s, "elevsynk_source_"):
		return KindRegisterSource
	case strings.HasPrefix(s, "elevsynk_mapping_"):
		return KindMapping
	}
	return ""
}

package metrics

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	dto "github.com/prometheus/client_model/go"
	"sigs.k8s.io/yaml"
)

const promDir = "../../config/prometheus"

type ruleFile struct {
	APIVersion string         `json:"apiVersion"`
	Kind       string         `json:"kind"`
	Metadata   map[string]any `json:"metadata"`
	Spec       struct {
		Groups []struct {
			Name  string `json:"name"`
			Rules []rule `json:"rules"`
		} `json:"groups"`
	} `json:"spec"`
}

type rule struct {
	Alert       string            `json:"alert"`
	Expr        string            `json:"expr"`
	For         string            `json:"for"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

// readYAML decodes a file; strictly, so a misspelt field (annotation: for
// annotations:) fails, unless into leaves fields out on purpose.
func readYAML(t *testing.T, path string, into any, strict bool) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	decode := yaml.Unmarshal
	if strict {
		decode = yaml.UnmarshalStrict
	}
	if err := decode(b, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestAlertsReadOurMetrics checks every alert reads only metrics this
// package registers, with labels they have and label values they take.
func TestAlertsReadOurMetrics(t *testing.T) {
	var f ruleFile
	readYAML(t, filepath.Join(promDir, "prometheusrule.yaml"), &f, true)
	if f.APIVersion != "monitoring.coreos.com/v1" || f.Kind != "PrometheusRule" {
		t.Fatalf("%s %s, want monitoring.coreos.com/v1 PrometheusRule", f.APIVersion, f.Kind)
	}

	// What a fresh registry holds with every metric touched once: each
	// metric's labels and the values they took.
	_, reg := fresh(t)
	touchAll("ns", "a")
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]map[string][]string{}
	for _, fam := range fams {
		labels := map[string][]string{}
		for _, m := range fam.GetMetric() {
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = append(labels[l.GetName()], l.GetValue())
			}
		}
		names := []string{fam.GetName()}
		if fam.GetType() == dto.MetricType_HISTOGRAM {
			names = append(names, fam.GetName()+"_bucket", fam.GetName()+"_sum", fam.GetName()+"_count")
		}
		for _, n := range names {
			known[n] = labels
		}
	}

	var alerts []string
	for _, g := range f.Spec.Groups {
		for _, r := range g.Rules {
			alerts = append(alerts, r.Alert)
			sels := selectors(r.Expr)
			if len(sels) == 0 {
				t.Errorf("%s: no metric found in %q", r.Alert, r.Expr)
			}
			for _, s := range sels {
				labels, ok := known[s.Metric]
				if !ok {
					t.Errorf("%s reads %q, which this package does not register", r.Alert, s.Metric)
					continue
				}
				for _, m := range s.Matchers {
					values, ok := labels[m.Label]
					switch {
					case !ok:
						t.Errorf("%s: %s has no label %q", r.Alert, s.Metric, m.Label)
					case (m.Op == "=" || m.Op == "!=") && !slices.Contains(values, m.Value):
						t.Errorf("%s: %s{%s%s%q}: %q is not a value %s takes", r.Alert, s.Metric, m.Label, m.Op, m.Value, m.Value, m.Label)
					}
				}
			}
		}
	}
	want := []string{"ElevsynkReconcileFailing", "ElevsynkRegisterSourceStale", "ElevsynkDeletionGuardTripped",
		"ElevsynkStalled", "ElevsynkDriftPersists"}
	if diff := cmp.Diff(want, alerts); diff != "" {
		t.Errorf("alerts (-want +got):\n%s", diff)
	}
}

// TestAlertsAreExplained checks each alert says what happened and what to
// do, and how urgent it is.
func TestAlertsAreExplained(t *testing.T) {
	var f ruleFile
	readYAML(t, filepath.Join(promDir, "prometheusrule.yaml"), &f, true)
	for _, g := range f.Spec.Groups {
		for _, r := range g.Rules {
			for _, a := range []string{"summary", "description", "runbook"} {
				if strings.TrimSpace(r.Annotations[a]) == "" {
					t.Errorf("%s has no %s annotation", r.Alert, a)
				}
			}
			if s := r.Labels["severity"]; s != "warning" && s != "info" && s != "critical" {
				t.Errorf("%s: severity %q", r.Alert, s)
			}
		}
	}
}

// TestServiceMonitorFindsManager checks the ServiceMonitor selects the
// manager's metrics Service in config/manager and keeps the tenant
// namespace label the alerts name.
func TestServiceMonitorFindsManager(t *testing.T) {
	var sm struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Namespace string `json:"namespace"`
		} `json:"metadata"`
		Spec struct {
			Selector struct {
				MatchLabels map[string]string `json:"matchLabels"`
			} `json:"selector"`
			NamespaceSelector struct {
				MatchNames []string `json:"matchNames"`
			} `json:"namespaceSelector"`
			Endpoints []struct {
				Port        string `json:"port"`
				Path        string `json:"path"`
				Interval    string `json:"interval"`
				HonorLabels bool   `json:"honorLabels"`
			} `json:"endpoints"`
		} `json:"spec"`
	}
	readYAML(t, filepath.Join(promDir, "servicemonitor.yaml"), &sm, false)

	type port struct {
		Name string `json:"name"`
	}
	type service struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name      string            `json:"name"`
			Namespace string            `json:"namespace"`
			Labels    map[string]string `json:"labels"`
		} `json:"metadata"`
		Spec struct {
			Ports []port `json:"ports"`
		} `json:"spec"`
	}
	b, err := os.ReadFile("../../config/manager/manager.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var matched []string
	for _, doc := range bytes.Split(b, []byte("\n---\n")) {
		var s service
		if err := yaml.Unmarshal(doc, &s); err != nil {
			t.Fatal(err)
		}
		if s.Kind != "Service" || !slices.Contains(sm.Spec.NamespaceSelector.MatchNames, s.Metadata.Namespace) {
			continue
		}
		selected := true
		for k, v := range sm.Spec.Selector.MatchLabels {
			selected = selected && s.Metadata.Labels[k] == v
		}
		if !selected {
			continue
		}
		matched = append(matched, s.Metadata.Name)
		for _, e := range sm.Spec.Endpoints {
			if !slices.Contains(s.Spec.Ports, port{e.Port}) {
				t.Errorf("Service %s has no port %q", s.Metadata.Name, e.Port)
			}
		}
	}
	if diff := cmp.Diff([]string{"elevsynk-manager-metrics"}, matched); diff != "" {
		t.Errorf("Services selected (-want +got):\n%s", diff)
	}
	if len(sm.Spec.Endpoints) != 1 || !sm.Spec.Endpoints[0].HonorLabels || sm.Spec.Endpoints[0].Path != "/metrics" {
		t.Errorf("endpoints %+v: want one, on /metrics, with honorLabels so the tenant's namespace label survives", sm.Spec.Endpoints)
	}
}

// TestKustomizationListsAll checks the kustomization ships every manifest
// in the directory.
func TestKustomizationListsAll(t *testing.T) {
	var k struct {
		Resources []string `json:"resources"`
	}
	readYAML(t, filepath.Join(promDir, "kustomization.yaml"), &k, true)
	files, err := filepath.Glob(filepath.Join(promDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range files {
		if b := filepath.Base(f); b != "kustomization.yaml" {
			want = append(want, b)
		}
	}
	got := slices.Sorted(slices.Values(k.Resources))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
}

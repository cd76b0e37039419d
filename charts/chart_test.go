// Package charts_test checks the Helm chart: helm lint and helm template
// for the default values and the examples, the rendered objects against
// config/ (the same CRDs, rules, alerts and hardening), the schema refusing
// bad values, and, on a real API server, every rendered object applied and
// the manager run from the rendered Deployment as its ServiceAccount.
package charts_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

const chartDir = "elevsynk"

// install is one way to install the chart, as an operator would.
type install struct {
	name      string
	release   string
	namespace string
	values    []string // files under elevsynk/examples
}

var installs = []install{
	{name: "default", release: "elevsynk", namespace: "elevsynk-system"},
	{name: "monitoring", release: "monitored", namespace: "monitoring-install", values: []string{"monitoring.yaml"}},
	{name: "namespaced", release: "elevsynk", namespace: "elevsynk-namespaced", values: []string{"namespaced.yaml"}},
	{name: "sharded", release: "sharded", namespace: "elevsynk-sharded", values: []string{"sharded.yaml"}},
}

func (in install) args() []string {
	var args []string
	for _, v := range in.values {
		args = append(args, "-f", filepath.Join(chartDir, "examples", v))
	}
	return args
}

// helm runs the helm binary `make test` built (hack/tools.sh helm).
func helm(t *testing.T, args ...string) ([]byte, error) {
	t.Helper()
	bin := os.Getenv("HELM")
	if bin == "" {
		t.Fatal("HELM is not set: run `make test`, or `export HELM=$(hack/tools.sh helm)` to build helm into bin/ once")
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("helm %s: %w\n%s%s", strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return out, nil
}

// render is `helm template` of one install, decoded.
func render(t *testing.T, in install, extra ...string) []*unstructured.Unstructured {
	t.Helper()
	args := append([]string{"template", in.release, chartDir, "--namespace", in.namespace}, in.args()...)
	out, err := helm(t, append(args, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	var objs []*unstructured.Unstructured
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(out), 4096)
	for {
		var u unstructured.Unstructured
		if err := dec.Decode(&u.Object); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decoding helm template of %s: %v", in.name, err)
		}
		if u.Object != nil {
			objs = append(objs, &u)
		}
	}
	if len(objs) == 0 {
		t.Fatalf("helm template of %s rendered nothing", in.name)
	}
	return objs
}

func TestLint(t *testing.T) {
	for _, in := range installs {
		t.Run(in.name, func(t *testing.T) {
			if _, err := helm(t, append([]string{"lint", "--strict", chartDir, "--namespace", in.namespace}, in.args()...)...); err != nil {
				t.Error(err)
			}
		})
	}
}

// The chart's CRDs and the files its RBAC and alerts come from are
// config/'s: `make chart` copies them.
func TestCopiesOfConfig(t *testing.T) {
	copies := map[string]string{
		"../config/rbac/role.yaml":                 "elevsynk/files/role.yaml",
		"../config/rbac/leader_election_role.yaml": "elevsynk/files/leader_election_role.yaml",
		"../config/prometheus/prometheusrule.yaml": "elevsynk/files/prometheusrule.yaml",
	}
	bases, err := filepath.Glob("../config/crd/bases/*.yaml")
	if err != nil || len(bases) == 0 {
		t.Fatalf("no CRDs in config/crd/bases (%v)", err)
	}
	for _, b := range bases {
		copies[b] = filepath.Join("elevsynk/crds", filepath.Base(b))
	}
	chartCRDs, _ := filepath.Glob("elevsynk/crds/*")
	for _, c := range chartCRDs {
		if !slices.Contains(bases, filepath.Join("../config/crd/bases", filepath.Base(c))) {
			t.Errorf("%s is not in config/crd/bases; run `make chart`", c)
		}
	}
	for src, dst := range copies {
		want, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(dst)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is not a copy of %s; run `make chart`", dst, src)
		}
	}
}

// rulesOf reads the rules of the Role or ClusterRole in a config/ file.
func rulesOf(t *testing.T, path string) []rbacv1.PolicyRule {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var role rbacv1.ClusterRole
	if err := yaml.Unmarshal(data, &role); err != nil {
		t.Fatal(err)
	}
	return role.Rules
}

// Cluster-wide, one ClusterRole with the generated rules; namespaced, a
// Role with the same rules in each watched namespace and no ClusterRole.
// Either way the leader election Role is config/'s, in the release's
// namespace, and every binding names the chart's ServiceAccount.
func TestRBAC(t *testing.T) {
	manager := rulesOf(t, "../config/rbac/role.yaml")
	election := rulesOf(t, "../config/rbac/leader_election_role.yaml")
	for _, in := range installs {
		t.Run(in.name, func(t *testing.T) {
			objs := render(t, in)
			var sa string
			roles := map[string][]rbacv1.PolicyRule{} // by kind and namespace
			for _, o := range objs {
				switch o.GetKind() {
				case "ServiceAccount":
					sa = o.GetNamespace() + "/" + o.GetName()
				case "ClusterRole", "Role":
					var r rbacv1.ClusterRole
					convert(t, o, &r)
					roles[o.GetKind()+" "+o.GetNamespace()+" "+strings.TrimPrefix(o.GetName(), fullname(in))] = r.Rules
				}
			}
			want := map[string][]rbacv1.PolicyRule{"Role " + in.namespace + " -leader-election": election}
			if ns := watchNamespaces(t, in); len(ns) > 0 {
				for _, n := range ns {
					want["Role "+n+" -manager"] = manager
				}
			} else {
				want["ClusterRole  -manager"] = manager
			}
			if diff := cmp.Diff(want, roles); diff != "" {
				t.Errorf("roles and rules (-want +got):\n%s", diff)
			}
			for _, o := range objs {
				if k := o.GetKind(); k != "ClusterRoleBinding" && k != "RoleBinding" {
					continue
				}
				var b rbacv1.RoleBinding
				convert(t, o, &b)
				if len(b.Subjects) != 1 || b.Subjects[0].Namespace+"/"+b.Subjects[0].Name != sa || b.RoleRef.Name != o.GetName() {
					t.Errorf("%s %s/%s binds %+v to %s, not the ServiceAccount %s to its role", o.GetKind(), o.GetNamespace(), o.GetName(), b.Subjects, b.RoleRef.Name, sa)
				}
			}
		})
	}
}

func fullname(in install) string {
	if strings.Contains(in.release, "elevsynk") {
		return in.release
	}
	return in.release + "-elevsynk"
}

// watchNamespaces is what an install's values set, read from its files.
func watchNamespaces(t *testing.T, in install) []string {
	t.Helper()
	var ns []string
	for _, v := range in.values {
		var vals struct {
			WatchNamespaces []string `json:"watchNamespaces"`
		}
		data, err := os.ReadFile(filepath.Join(chartDir, "examples", v))
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, &vals); err != nil {
			t.Fatal(err)
		}
		ns = append(ns, vals.WatchNamespaces...)
	}
	return ns
}

// deployments are the rendered manager Deployments by name.
func deployments(t *testing.T, objs []*unstructured.Unstructured) map[string]*appsv1.Deployment {
	t.Helper()
	out := map[string]*appsv1.Deployment{}
	for _, o := range objs {
		if o.GetKind() == "Deployment" {
			var d appsv1.Deployment
			convert(t, o, &d)
			out[d.Name] = &d
		}
	}
	return out
}

// flagValues are a container's --name=value arguments by name; a bare
// --name has the value "true".
func flagValues(args []string) map[string]string {
	out := map[string]string{}
	for _, a := range args {
		name, value, ok := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if !ok {
			value = "true"
		}
		out[name] = value
	}
	return out
}

// Each install runs the managers it should: one, or with shards the main
// one for objects without the shard label and one per shard, each with its
// own Lease; namespaced, one watching exactly the listed namespaces.
func TestManagers(t *testing.T) {
	type manager struct{ Selector, Lease, Namespaces string }
	want := map[string]map[string]manager{
		"default":    {"elevsynk": {Lease: "elevsynk.io"}},
		"monitoring": {"monitored-elevsynk": {Lease: "elevsynk.io"}},
		"namespaced": {"elevsynk": {Lease: "elevsynk.io", Namespaces: "exempelstad,friskolan"}},
		"sharded": {
			"sharded-elevsynk":        {Selector: "!sharding.elevsynk.io/key", Lease: "elevsynk.io"},
			"sharded-elevsynk-shard1": {Selector: "sharding.elevsynk.io/key=shard1", Lease: "shard1.elevsynk.io"},
			"sharded-elevsynk-shard2": {Selector: "sharding.elevsynk.io/key=shard2", Lease: "shard2.elevsynk.io"},
			"sharded-elevsynk-shard3": {Selector: "sharding.elevsynk.io/key=shard3", Lease: "shard3.elevsynk.io"},
		},
	}
	for _, in := range installs {
		t.Run(in.name, func(t *testing.T) {
			got := map[string]manager{}
			selectors := map[string]string{}
			for name, d := range deployments(t, render(t, in)) {
				f := flagValues(d.Spec.Template.Spec.Containers[0].Args)
				got[name] = manager{Selector: f["watch-label-selector"], Lease: f["leader-election-id"], Namespaces: f["watch-namespaces"]}
				sel := fmt.Sprint(d.Spec.Selector.MatchLabels)
				if other, ok := selectors[sel]; ok {
					t.Errorf("Deployments %s and %s select the same pods %s", other, name, sel)
				}
				selectors[sel] = name
			}
			if diff := cmp.Diff(want[in.name], got); diff != "" {
				t.Errorf("managers (-want +got):\n%s", diff)
			}
		})
	}
}

// The chart runs the manager as config/manager does: the same pod and
// container security contexts, probes, ports and resources, and every
// argument config/ passes.
func TestDeploymentAsConfig(t *testing.T) {
	data, err := os.ReadFile("../config/manager/manager.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var want *appsv1.Deployment
	for _, doc := range strings.Split(string(data), "\n---\n") {
		var d appsv1.Deployment
		if err := yaml.Unmarshal([]byte(doc), &d); err != nil {
			t.Fatal(err)
		}
		if d.Kind == "Deployment" {
			want = &d
		}
	}
	if want == nil {
		t.Fatal("config/manager/manager.yaml has no Deployment")
	}
	got := deployments(t, render(t, installs[0]))["elevsynk"]
	if got == nil {
		t.Fatal("the default install renders no Deployment elevsynk")
	}
	wp, gp := want.Spec.Template.Spec, got.Spec.Template.Spec
	if diff := cmp.Diff(wp.SecurityContext, gp.SecurityContext); diff != "" {
		t.Errorf("pod security context (-config +chart):\n%s", diff)
	}
	wc, gc := wp.Containers[0], gp.Containers[0]
	for _, c := range []struct {
		what      string
		want, got any
	}{
		{"container security context", wc.SecurityContext, gc.SecurityContext},
		{"liveness probe", wc.LivenessProbe, gc.LivenessProbe},
		{"readiness probe", wc.ReadinessProbe, gc.ReadinessProbe},
		{"ports", wc.Ports, gc.Ports},
		{"resources", wc.Resources, gc.Resources},
		{"termination grace period", wp.TerminationGracePeriodSeconds, gp.TerminationGracePeriodSeconds},
	} {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-config +chart):\n%s", c.what, diff)
		}
	}
	for _, a := range wc.Args {
		if !slices.Contains(gc.Args, a) {
			t.Errorf("the chart's manager lacks config/'s argument %s (it has %v)", a, gc.Args)
		}
	}
}

// With monitoring on, the PrometheusRule carries config/prometheus's
// alerts and the ServiceMonitor scrapes as config/prometheus's does.
func TestMonitoringAsConfig(t *testing.T) {
	var rule, monitor map[string]any
	for _, o := range render(t, installs[1]) {
		switch o.GetKind() {
		case "PrometheusRule":
			rule = o.Object["spec"].(map[string]any)
		case "ServiceMonitor":
			monitor = o.Object["spec"].(map[string]any)
		}
	}
	for _, c := range []struct {
		file string
		got  map[string]any
		drop func(map[string]any)
	}{
		{"../config/prometheus/prometheusrule.yaml", rule, func(map[string]any) {}},
		// The namespace and the labels selected are the release's.
		{"../config/prometheus/servicemonitor.yaml", monitor, func(spec map[string]any) {
			delete(spec, "selector")
			delete(spec, "namespaceSelector")
		}},
	} {
		data, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		var want map[string]any
		if err := yaml.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		if c.got == nil {
			t.Fatalf("the monitoring install renders nothing like %s", c.file)
		}
		wantSpec := want["spec"].(map[string]any)
		c.drop(wantSpec)
		c.drop(c.got)
		if diff := cmp.Diff(wantSpec, c.got); diff != "" {
			t.Errorf("spec differs from %s (-config +chart):\n%s", c.file, diff)
		}
	}
}

// values.schema.json and the templates refuse values that would not work,
// before anything reaches a cluster.
func TestValuesRefused(t *testing.T) {
	for _, c := range []struct {
		name string
		set  []string
		want string
	}{
		{"typo at the top", []string{"replicas=2"}, "additional properties 'replicas' not allowed"},
		{"typo inside", []string{"image.tags=1.0"}, "additional properties 'tags' not allowed"},
		{"typo in leader election", []string{"leaderElection.enable=false"}, "additional properties 'enable' not allowed"},
		{"concurrency zero", []string{"concurrency=0"}, "concurrency"},
		{"duration without unit", []string{"reconcileTimeout=30"}, "reconcileTimeout"},
		{"log level", []string{"logLevel=verbose"}, "logLevel"},
		{"namespace name", []string{"watchNamespaces={Exempelstad}"}, "watchNamespaces"},
		{"shard name", []string{"sharding.shards={Shard_1}"}, "shards"},
		{"replicas without a leader", []string{"replicaCount=2", "leaderElection.enabled=false"}, "needs leaderElection.enabled"},
		{"selector and shards", []string{"watchLabelSelector=a=b", "sharding.shards={s1}"}, "not both"},
		{"ServiceMonitor without Service", []string{"serviceMonitor.enabled=true", "metrics.service.enabled=false"}, "needs metrics.service.enabled"},
		{"no ServiceAccount named", []string{"serviceAccount.create=false"}, "serviceAccount.name"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"template", "elevsynk", chartDir}
			for _, s := range c.set {
				args = append(args, "--set", s)
			}
			_, err := helm(t, args...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("helm template with %v: %v; want an error saying %q", c.set, err, c.want)
			}
		})
	}
}

func convert(t *testing.T, u *unstructured.Unstructured, into any) {
	t.Helper()
	if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(u.Object, into, true); err != nil {
		t.Fatalf("%s %s: %v", u.GetKind(), u.GetName(), err)
	}
}

package argocd_test

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/elevsynk/elevsynk/config/argocd"
)

// TestFixtures runs every script on its fixtures, as Argo CD's own
// resource_customizations tests do: health_test.yaml beside each script
// lists the inputs under testdata/ and the health each must give.
func TestFixtures(t *testing.T) {
	files, err := filepath.Glob("health/*/*/health_test.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no health_test.yaml under health/ (%v)", err)
	}
	for _, file := range files {
		var suite struct {
			Tests []struct {
				HealthStatus struct {
					Status  string `json:"status"`
					Message string `json:"message"`
				} `json:"healthStatus"`
				InputPath string `json:"inputPath"`
			} `json:"tests"`
		}
		readYAML(t, file, &suite)
		for _, tc := range suite.Tests {
			t.Run(filepath.Join(filepath.Dir(file), tc.InputPath), func(t *testing.T) {
				var obj unstructured.Unstructured
				readYAML(t, filepath.Join(filepath.Dir(file), tc.InputPath), &obj.Object)
				got, err := argocd.Evaluate(&obj)
				if err != nil {
					t.Fatal(err)
				}
				want := argocd.Health{Status: tc.HealthStatus.Status, Message: tc.HealthStatus.Message}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("health (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// Every kind of the API has a script: Argo CD shows a custom resource
// without one as healthy the moment it exists.
func TestEveryKindHasAScript(t *testing.T) {
	crds, err := filepath.Glob("../crd/bases/*.yaml")
	if err != nil || len(crds) == 0 {
		t.Fatalf("no CRDs in ../crd/bases (%v)", err)
	}
	for _, file := range crds {
		var crd struct {
			Spec struct {
				Group string `json:"group"`
				Names struct {
					Kind string `json:"kind"`
				} `json:"names"`
			} `json:"spec"`
		}
		readYAML(t, file, &crd)
		if _, err := argocd.Scripts.ReadFile(argocd.ScriptPath(crd.Spec.Group, crd.Spec.Names.Kind)); err != nil {
			t.Errorf("%s: no health script for %s/%s: %v", file, crd.Spec.Group, crd.Spec.Names.Kind, err)
		}
	}
}

// What each condition reason the controllers set means to Argo CD, and
// which kinds set it. ready: Ready=True; waiting: Ready=False until
// something appears; failing: Ready=False and retried with backoff;
// stalled: Ready=False and Stalled=True; reconciling: the reason of
// Reconciling=True.
var reasons = map[string]struct {
	class string
	kinds []string
}{
	"Succeeded":            {"ready", []string{"Tenant"}},
	"Fetched":              {"ready", []string{"RegisterSource"}},
	"ManualGroups":         {"ready", []string{"RegisterSource"}},
	"Evaluated":            {"ready", []string{"Mapping"}},
	"InSync":               {"ready", []string{"Target"}},
	"Applied":              {"ready", []string{"Target"}},
	"Planned":              {"ready", []string{"Target"}},
	"Observed":             {"ready", []string{"Target"}},
	"Suspended":            {"ready", []string{"Target"}},
	"Progressing":          {"reconciling", allKinds},
	"TenantNotFound":       {"waiting", []string{"RegisterSource", "Mapping", "Target"}},
	"DependencyNotFound":   {"waiting", []string{"RegisterSource", "Mapping", "Target"}},
	"DependencyNotReady":   {"waiting", []string{"Tenant"}},
	"NoTargets":            {"waiting", []string{"Tenant"}},
	"SnapshotNotReady":     {"waiting", []string{"Mapping"}},
	"DesiredStateNotReady": {"waiting", []string{"Target"}},
	"SecretNotFound":       {"waiting", []string{"RegisterSource", "Target"}},
	"FetchFailed":          {"failing", []string{"RegisterSource"}},
	"ObserveFailed":        {"failing", []string{"Target"}},
	"ApplyFailed":          {"failing", []string{"Target"}},
	"ReportFailed":         {"failing", []string{"Target"}},
	"ReconcileFailed":      {"failing", allKinds},
	"InvalidSpec":          {"stalled", allKinds},
	"TooManyTenants":       {"stalled", allKinds},
	"RuleError":            {"stalled", []string{"Mapping"}},
	"RegisterShrank":       {"stalled", []string{"RegisterSource"}},
	"EmptyRegister":        {"stalled", []string{"RegisterSource"}},
	"AuthenticationFailed": {"stalled", []string{"RegisterSource"}},
	"TLSFailed":            {"stalled", []string{"RegisterSource"}},
	"SizeLimitExceeded":    {"stalled", []string{"RegisterSource"}},
	"EmptyDirectory":       {"stalled", []string{"RegisterSource"}},
	"JoinAttributeMissing": {"stalled", []string{"RegisterSource"}},
	"ManagedGroup":         {"stalled", []string{"RegisterSource"}},
	"GroupNotFound":        {"stalled", []string{"RegisterSource"}},
	"HostKeyMismatch":      {"stalled", []string{"RegisterSource"}},
	"ConnectFailed":        {"stalled", []string{"RegisterSource", "Target"}},
	"DeletionGuard":        {"stalled", []string{"Target"}},
}

var allKinds = []string{"Tenant", "RegisterSource", "Mapping", "Target"}

// TestEveryReason runs each reason the code defines through the scripts of
// the kinds that give it. A reason added to the controllers fails here
// until it is placed: a new wait needs the scripts' waiting list, or Argo
// CD would show it as Degraded.
func TestEveryReason(t *testing.T) {
	defined := reasonConstants(t, "../../api/v1alpha1", "../../controllers", "../../internal/source")
	for value, where := range defined {
		if _, ok := reasons[value]; !ok {
			t.Errorf("reason %q (%s) has no place in reasons: decide its Argo CD health", value, where)
		}
	}
	for reason, r := range reasons {
		if _, ok := defined[reason]; !ok {
			t.Errorf("reasons lists %q, which no Reason constant defines any more", reason)
		}
		for _, kind := range r.kinds {
			t.Run(kind+"/"+reason, func(t *testing.T) {
				const msg = "what the controller says"
				conds := []any{condition("Ready", "False", reason, msg)}
				want := argocd.Health{Status: "Degraded", Message: reason + ": " + msg}
				switch r.class {
				case "ready":
					conds = []any{condition("Ready", "True", reason, msg)}
					want = argocd.Health{Status: "Healthy", Message: msg}
					if reason == "Suspended" {
						want.Status = "Suspended"
					}
				case "reconciling":
					conds = []any{condition("Ready", "True", "Succeeded", "before"), condition("Reconciling", "True", reason, msg)}
					want = argocd.Health{Status: "Progressing", Message: msg}
				case "waiting":
					want = argocd.Health{Status: "Progressing", Message: msg}
				case "stalled":
					conds = append(conds, condition("Stalled", "True", reason, msg))
				}
				obj := unstructured.Unstructured{Object: map[string]any{
					"apiVersion": "elevsynk.io/v1alpha1", "kind": kind,
					"metadata": map[string]any{"name": "x", "namespace": "exempelstad", "generation": int64(2)},
					"spec":     map[string]any{},
					"status":   map[string]any{"observedGeneration": int64(2), "conditions": conds},
				}}
				got, err := argocd.Evaluate(&obj)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("health (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func condition(typ, status, reason, message string) map[string]any {
	return map[string]any{"type": typ, "status": status, "reason": reason, "message": message, "observedGeneration": int64(2)}
}

// reasonConstants finds the string constants named Reason* in the
// packages' non-test files, by value, with where each is defined.
func reasonConstants(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	found := map[string]string{}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s (%v)", dir, err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, decl := range f.Decls {
				gen, ok := decl.(*ast.GenDecl)
				if !ok || gen.Tok != token.CONST {
					continue
				}
				for _, spec := range gen.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, name := range vs.Names {
						if !strings.HasPrefix(name.Name, "Reason") || i >= len(vs.Values) {
							continue
						}
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							v, _ := strconv.Unquote(lit.Value)
							found[v] = fmt.Sprintf("%s in %s", name.Name, fset.Position(name.Pos()))
						}
					}
				}
			}
		}
	}
	if len(found) < 10 {
		t.Fatalf("found only %d Reason constants in %v; has the code moved?", len(found), dirs)
	}
	return found
}

var update = flag.Bool("update", false, "rewrite argocd-cm.yaml from the scripts")

// TestConfigMap checks that argocd-cm.yaml carries exactly the scripts;
// `go test ./config/argocd -run TestConfigMap -update` rewrites it.
func TestConfigMap(t *testing.T) {
	want := configMap(t)
	if *update {
		if err := os.WriteFile("argocd-cm.yaml", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("argocd-cm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("argocd-cm.yaml differs from the scripts; run `go test ./config/argocd -run TestConfigMap -update` (-want +got):\n%s", diff)
	}
}

// configMap is argocd-cm.yaml as the scripts make it.
func configMap(t *testing.T) []byte {
	t.Helper()
	scripts, err := filepath.Glob("health/*/*/health.lua")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts (%v)", err)
	}
	slices.Sort(scripts)
	var b strings.Builder
	b.WriteString(`# Argo CD health checks for elevsynk's kinds, made from health/ by
# ` + "`go test ./config/argocd -run TestConfigMap -update`" + `; do not edit.
# Merge it into Argo CD's argocd-cm, e.g. as a kustomize patch of an Argo
# CD install, or copy the data into the argo-cd Helm chart's configs.cm.
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
  labels:
    app.kubernetes.io/name: argocd-cm
    app.kubernetes.io/part-of: argocd
data:
`)
	for _, s := range scripts {
		parts := strings.Split(filepath.ToSlash(s), "/") // health/<group>/<kind>/health.lua
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "  resource.customizations.health.%s_%s: |\n", parts[1], parts[2])
		for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
			if line == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString("    " + line + "\n")
		}
	}
	return []byte(b.String())
}

func readYAML(t *testing.T, path string, into any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

package manifests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

func testScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(s))
	utilruntime.Must(elevsynkv1.AddToScheme(s))
	return s
}

func TestReadSamples(t *testing.T) {
	set, err := Read(filepath.Join("..", "..", "config", "samples"), testScheme())
	if err != nil {
		t.Fatal(err)
	}
	srcs := set.RegisterSources()
	if len(srcs) != 1 {
		t.Fatalf("%d RegisterSources, want 1", len(srcs))
	}
	if got, want := srcs[0].Where(), "registersource.yaml (document 2, RegisterSource exempelstad/register)"; got != want {
		t.Errorf("Where() = %q, want %q", got, want)
	}
	sec, ok := set.Secret("exempelstad", "register-credentials")
	if !ok || string(sec.Data["clientID"]) != "elevsynk" {
		t.Errorf("stringData not turned into data: %v", ok)
	}
}

func TestReadRejects(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown field", "apiVersion: elevsynk.io/v1alpha1\nkind: Target\nmetadata: {name: t}\nspec: {mappingRf: {name: m}}\n",
			`bad.yaml: document 1 (Target t): strict decoding error: unknown field "spec.mappingRf"`},
		{"unknown kind of ours", "apiVersion: elevsynk.io/v1alpha1\nkind: Tennant\nmetadata: {name: t}\n",
			"bad.yaml: document 1: no kind \"Tennant\""},
		{"not YAML", "apiVersion: [\n", "bad.yaml: document 1"},
		{"wrong type", "apiVersion: elevsynk.io/v1alpha1\nkind: Mapping\nmetadata: {name: m}\nspec: {rules: 3}\n",
			"bad.yaml: document 1 (Mapping m)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Read(dir, testScheme())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestReadSkipsOtherKinds(t *testing.T) {
	dir := t.TempDir()
	doc := "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ns1}\n"
	if err := os.WriteFile(filepath.Join(dir, "x.yml"), []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	set, err := Read(dir, testScheme())
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Objects) != 1 || set.Objects[0].Index != 1 {
		t.Errorf("read %+v, want only the Namespace (document 2)", set.Objects)
	}
}

// FuzzDecodeFile: manifests come from customers' repositories; no input may
// panic the CLI.
func FuzzDecodeFile(f *testing.F) {
	f.Add([]byte("apiVersion: elevsynk.io/v1alpha1\nkind: Target\nmetadata: {name: t}\nspec: {mode: Apply}\n"))
	f.Add([]byte("---\n---\napiVersion: v1\nkind: Secret\nstringData: {a: b}\n"))
	f.Add([]byte("apiVersion: elevsynk.io/v1alpha1\nkind: Mapping\nspec: {rules: [{name: x, room: {kind: 7}}]}\n"))
	scheme := testScheme()
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = decodeFile("fuzz.yaml", data, scheme, options{})
	})
}

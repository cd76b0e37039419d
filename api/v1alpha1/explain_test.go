package v1alpha1_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

// `kubectl explain` shows a field's description but not its schema
// default, so every field with a default says it in its doc comment: the
// word "default" and each value of it. An empty object default ({}) only
// lets the defaults inside apply and needs no words.
func TestDescriptionsSayTheirDefaults(t *testing.T) {
	files, err := filepath.Glob("../../config/crd/bases/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs found: %v", err)
	}
	var missing []string
	defaults := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var crd apiextensionsv1.CustomResourceDefinition
		if err := yaml.Unmarshal(data, &crd); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, v := range crd.Spec.Versions {
			walk(crd.Spec.Names.Kind, *v.Schema.OpenAPIV3Schema, func(path string, s apiextensionsv1.JSONSchemaProps) {
				if s.Default == nil || string(s.Default.Raw) == "{}" {
					return
				}
				defaults++
				if problem := sayDefault(s.Description, s.Default.Raw); problem != "" {
					missing = append(missing, fmt.Sprintf("%s: %s (default %s)", path, problem, s.Default.Raw))
				}
			})
		}
	}
	if defaults == 0 {
		t.Fatal("no defaults found in the CRDs; the walk is broken")
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d defaulted fields do not say their default in their doc comment:\n%s", len(missing), defaults, strings.Join(missing, "\n"))
	}
}

// walk calls fn for every property under s, with its path from the kind.
func walk(path string, s apiextensionsv1.JSONSchemaProps, fn func(string, apiextensionsv1.JSONSchemaProps)) {
	fn(path, s)
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		walk(path+"."+name, s.Properties[name], fn)
	}
	if s.Items != nil && s.Items.Schema != nil {
		walk(path+"[]", *s.Items.Schema, fn)
	}
}

// sayDefault says what the description lacks of the default raw, or "".
func sayDefault(description string, raw []byte) string {
	if !strings.Contains(strings.ToLower(description), "default") {
		return `no "default" in the description`
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err.Error()
	}
	for _, want := range leaves(v) {
		if !strings.Contains(description, want) {
			return fmt.Sprintf("the description does not name %q", want)
		}
	}
	return ""
}

// leaves are the scalar values of a default, as text.
func leaves(v any) []string {
	switch v := v.(type) {
	case map[string]any:
		var out []string
		for _, k := range slices.Sorted(maps.Keys(v)) {
			out = append(out, leaves(v[k])...)
		}
		return out
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, leaves(e)...)
		}
		return out
	}
	return []string{fmt.Sprint(v)}
}

package mapping

import (
	"os"
	"testing"

	"sigs.k8s.io/yaml"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// refDay is rostergen's default reference day.
var refDay = roster.MustParseDate("2026-09-14")

// sampleSpec reads the shipped sample presets, so the tests break when the
// samples and the template data model drift apart.
func sampleSpec(tb testing.TB) elevsynkv1.MappingSpec {
	tb.Helper()
	b, err := os.ReadFile("../../config/samples/mapping.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	var m elevsynkv1.Mapping
	if err := yaml.UnmarshalStrict(b, &m); err != nil {
		tb.Fatal(err)
	}
	return m.Spec
}

func mustCompile(tb testing.TB, spec elevsynkv1.MappingSpec, opts Options) *Program {
	tb.Helper()
	p, err := Compile(spec, opts)
	if err != nil {
		tb.Fatalf("Compile: %v", err)
	}
	return p
}

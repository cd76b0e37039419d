package validate

import (
	"context"
	"testing"

	"github.com/elevsynk/elevsynk/config/crd"
)

// BenchmarkLoadSchemas is the one-off cost per process: the CRDs' CEL
// rules are compiled here.
func BenchmarkLoadSchemas(b *testing.B) {
	for b.Loop() {
		if _, err := LoadSchemas(crd.Bases); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDirSamples validates config/samples (9 objects) with loaded schemas.
func BenchmarkDirSamples(b *testing.B) {
	s, scheme := schemas(b), testScheme()
	for b.Loop() {
		r, err := s.Dir(context.Background(), "../../config/samples", scheme)
		if err != nil || len(r.Problems) > 0 {
			b.Fatal(err, r.Problems)
		}
	}
}

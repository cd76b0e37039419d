package roster_test

import (
	"testing"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
)

// Benchmarks at the scale of a large municipality (120 000 pupils), the
// size the architecture requires the pipeline to handle.

func large(b *testing.B) *roster.Snapshot {
	b.Helper()
	s, _ := rostergen.Generate(rostergen.Config{Seed: 1, Pupils: 120000})
	return s
}

func BenchmarkNewIndex(b *testing.B) {
	s := large(b)
	b.ReportAllocs()
	for b.Loop() {
		roster.NewIndex(s)
	}
}

func BenchmarkValidate(b *testing.B) {
	s := large(b)
	b.ReportAllocs()
	for b.Loop() {
		roster.Validate(s)
	}
}

func BenchmarkHash(b *testing.B) {
	s := large(b)
	b.ReportAllocs()
	for b.Loop() {
		s.Hash()
	}
}

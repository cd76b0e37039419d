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

// BenchmarkIndexAll builds every lookup family once, the most any caller
// can pay (families are built on first use).
func BenchmarkIndexAll(b *testing.B) {
	s := large(b)
	b.ReportAllocs()
	for b.Loop() {
		x := roster.NewIndex(s)
		x.Organisation("")
		x.Person("")
		x.Group("")
		x.Duty("")
		x.Syllabus("")
		x.Activity("")
		x.GroupsOf("")
		x.DutiesOf("")
		x.StudentsAt("")
		x.ChildrenOf("")
		x.GroupsAt("")
		x.DutiesAt("")
		x.RolesOf("")
		x.ActivitiesOfGroup("")
		x.ActivitiesOfDuty("")
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

package mapping

import (
	"testing"

	"github.com/elevsynk/elevsynk/internal/rostergen"
)

// BenchmarkEvaluate120k evaluates the sample presets over a 120 000-pupil
// municipality. Measure with
//
//	GOMAXPROCS=1 go test ./internal/mapping/ -run XXX -bench Evaluate120k -benchmem -benchtime 3x
func BenchmarkEvaluate120k(b *testing.B) {
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 1, Pupils: 120000})
	p := mustCompile(b, sampleSpec(b), Options{})
	b.ReportAllocs()
	var rooms int
	var members int64
	for b.Loop() {
		st, _, err := p.Evaluate(snap, nil, refDay)
		if err != nil {
			b.Fatal(err)
		}
		rooms, members = len(st.Rooms), st.Memberships()
	}
	b.ReportMetric(float64(rooms), "rooms")
	b.ReportMetric(float64(members), "memberships")
}

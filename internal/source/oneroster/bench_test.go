package oneroster

import (
	"strconv"
	"testing"
	"testing/fstest"
	"time"

	"github.com/elevsynk/elevsynk/internal/rostergen"
	"github.com/elevsynk/elevsynk/internal/source/export"
)

// benchBundle is a generated municipality of pupils as a 1.2 bulk bundle,
// and its size in bytes.
func benchBundle(pupils int) (fstest.MapFS, int64) {
	gen, _ := rostergen.Generate(rostergen.Config{Seed: 1, Pupils: pupils})
	fsys := writeBundle(gen)
	var size int64
	for _, f := range fsys {
		size += int64(len(f.Data))
	}
	return fsys, size
}

// BenchmarkRead reads a 12 000- and a 120 000-pupil municipality's bundle.
//
//	go test ./internal/source/oneroster -run '^$' -bench 'Read$' -benchtime 3x -benchmem
func BenchmarkRead(b *testing.B) {
	for _, pupils := range []int{12_000, 120_000} {
		b.Run("pupils="+strconv.Itoa(pupils), func(b *testing.B) {
			fsys, size := benchBundle(pupils)
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Read(fsys, export.Auto, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadScaling reads both sizes in each iteration and reports how
// many times longer the ten times larger bundle takes (x-for-10x; 10 is
// linear). Both reads share the machine's load at the moment, so the
// ratio holds up better on a busy machine than two separate runs do.
//
//	go test ./internal/source/oneroster -run '^$' -bench ReadScaling -benchtime 3x
func BenchmarkReadScaling(b *testing.B) {
	small, _ := benchBundle(12_000)
	large, _ := benchBundle(120_000)
	var ts, tl time.Duration
	for b.Loop() {
		for _, x := range []struct {
			fsys fstest.MapFS
			d    *time.Duration
		}{{small, &ts}, {large, &tl}} {
			start := time.Now()
			if _, err := Read(x.fsys, export.Auto, nil); err != nil {
				b.Fatal(err)
			}
			*x.d += time.Since(start)
		}
	}
	n := float64(b.N)
	b.ReportMetric(ts.Seconds()/n, "s-12k")
	b.ReportMetric(tl.Seconds()/n, "s-120k")
	b.ReportMetric(float64(tl)/float64(ts), "x-for-10x")
}

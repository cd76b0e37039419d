// Package benchdata is the municipality the benchmarks measure: a
// rostergen register evaluated through config/samples' Mapping, so every
// package's figures are of the same data.
package benchdata

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/controlplane"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/mapping"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
)

// Day is the evaluation day of the benchmarks, in the autumn term.
var Day = roster.MustParseDate("2026-09-14")

// SampleProgram is config/samples' Mapping compiled.
func SampleProgram() (*mapping.Program, error) {
	data, err := os.ReadFile(filepath.Join(controlplane.Root(), "config", "samples", "mapping.yaml"))
	if err != nil {
		return nil, err
	}
	var m elevsynkv1.Mapping
	if err := yaml.UnmarshalStrict(data, &m); err != nil {
		return nil, fmt.Errorf("config/samples/mapping.yaml: %w", err)
	}
	return mapping.Compile(m.Spec, mapping.Options{})
}

// Municipality is a generated register of the given size (seed 1) and the
// rooms the sample Mapping wants from it on Day.
func Municipality(pupils int) (*roster.Snapshot, desired.State, error) {
	prog, err := SampleProgram()
	if err != nil {
		return nil, desired.State{}, err
	}
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 1, Pupils: pupils})
	st, _, err := prog.Evaluate(snap, nil, Day)
	return snap, st, err
}

// ReportFloor reports a run's virtual time against the floor its quotas
// allow, and their ratio, the figure the provisioning goals are set in.
func ReportFloor(b *testing.B, virtual, floor time.Duration) {
	b.ReportMetric(virtual.Seconds(), "virtual-s")
	b.ReportMetric(floor.Seconds(), "floor-s")
	b.ReportMetric(float64(virtual)/float64(floor), "x-floor")
}

// CPUTime is the CPU the process has used so far, user and system, all
// threads (the garbage collector's too). Unlike wall time, another
// process or a neighbour on the host stealing the CPU does not inflate it:
// on the shared two-core machine a tenth of the time was stolen.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

package google

import (
	"fmt"
	"strings"
	"testing"
	"time"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/benchdata"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/sandbox/fault"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
	"github.com/elevsynk/elevsynk/internal/target"
)

// The per-user quotas of the one impersonated admin: Classroom 1,200
// requests a minute (https://developers.google.com/workspace/classroom/reference/limits),
// Directory 2,400 (https://developers.google.com/workspace/admin/directory/v1/limits).
var (
	classroomQuota = fault.Quota{Limit: 1200, Window: time.Minute}
	directoryQuota = fault.Quota{Limit: 2400, Window: time.Minute}
)

// BenchmarkProvisionQuota provisions a generated municipality from nothing
// into a Google sandbox that enforces both quotas on a virtual clock,
// passing until the plan is empty, with the Target's default rate limits,
// and reports the virtual time against the floor the quota alone allows:
// the requests served, reads included, divided by the permitted rate.
// x-floor is their ratio; the goal is at most 1.1.
//
// Each API is measured on its own (the courses against Classroom, the
// groups against Directory), with one worker: the virtual clock moves by
// each Sleep, and concurrent sleepers would add up their waits. The two
// quotas are separate, and Apply runs each API's rooms on workers of
// their own, so a Target's time is the longer of the two. Measure with
//
//	go test ./internal/target/google/ -run '^$' -bench ProvisionQuota -benchtime 1x
func BenchmarkProvisionQuota(b *testing.B) {
	for _, pupils := range []int{3000, 12000, 120000} {
		_, all, err := benchdata.Municipality(pupils)
		if err != nil {
			b.Fatal(err)
		}
		fit, _ := target.Fit(all, target.Google)
		byAPI := map[string]desired.State{}
		for _, r := range fit.Rooms {
			if def.Caps(r) != nil {
				continue // refused before any request; see TestCaps
			}
			api := "directory"
			if r.Kind == elevsynkv1.RoomCourse {
				api = "classroom"
			}
			st := byAPI[api]
			st.Rooms = append(st.Rooms, r)
			byAPI[api] = st
		}
		for _, api := range []string{"classroom", "directory"} {
			want := byAPI[api]
			b.Run(fmt.Sprintf("pupils=%d/api=%s", pupils, api), func(b *testing.B) {
				q := classroomQuota
				if api == "directory" {
					q = directoryQuota
				}
				var elapsed time.Duration
				var served, refused, passes int
				for b.Loop() {
					e := newEnv(b, sandbox.Options{PageSize: 1000, ClassroomQuota: classroomQuota, DirectoryQuota: directoryQuota}, want)
					tg := e.adapter(b, Options{ClassroomQPS: 20, DirectoryQPS: 40, Workers: 1}) // the defaults
					start := e.clock.Now()
					passes = converge(b, tg, want, 10)
					elapsed = e.clock.Now().Sub(start)
					served, refused = 0, e.s.OverQuota()
					for m, n := range e.s.Counts() {
						if strings.HasPrefix(m, "courses.") == (api == "classroom") {
							served += n
						}
					}
					served -= refused
				}
				b.ReportMetric(float64(len(want.Rooms)), "rooms")
				b.ReportMetric(float64(served), "requests")
				b.ReportMetric(float64(refused), "throttled")
				b.ReportMetric(float64(passes), "passes")
				benchdata.ReportFloor(b, elapsed, q.Floor(served))
			})
		}
	}
}

// converge passes until a plan has no actions, at most rounds times, and
// returns the passes it took.
func converge(t testing.TB, tg *Target, st desired.State, rounds int) int {
	t.Helper()
	for i := range rounds {
		if p, _ := pass(t, tg, st); len(p.Actions) == 0 {
			return i + 1
		}
	}
	t.Fatalf("not converged after %d passes", rounds)
	return rounds
}

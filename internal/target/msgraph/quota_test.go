package msgraph

import (
	"fmt"
	"testing"
	"time"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/benchdata"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/sandbox/graph"
	"github.com/elevsynk/elevsynk/internal/target"
)

// graphWrites is Graph's write quota per app and tenant
// (concepts/throttling-limits, "Identity and access service limits");
// teamCreates is Teams' limit on POST /teams per app and tenant
// (includes/throttling-teams, "Microsoft Teams service limits").
var (
	graphWrites = graph.Quota{Limit: 3000, Window: 150 * time.Second}
	teamCreates = graph.Quota{Limit: 10, Window: time.Second}
)

// BenchmarkProvisionQuota provisions a generated municipality from nothing
// into a Graph sandbox that enforces the write quota and the Teams
// creation limit on a virtual clock, syncing until the plan is empty, and
// reports the virtual time it took against the floor the quotas alone
// allow: the writes served divided by the permitted rate, or the teams
// divided by theirs if that is longer. x-floor is their ratio; the goal is
// at most 1.1.
// The sandbox's replication and team-operation delays are on, as Graph
// has them. Measure with
//
//	go test ./internal/target/msgraph/ -run '^$' -bench ProvisionQuota -benchtime 1x
func BenchmarkProvisionQuota(b *testing.B) {
	for _, pupils := range []int{3000, 12000, 120000} {
		b.Run(fmt.Sprintf("pupils=%d", pupils), func(b *testing.B) {
			_, all, err := benchdata.Municipality(pupils)
			if err != nil {
				b.Fatal(err)
			}
			want := withOwners(target.Fit(all, target.Microsoft365))
			var elapsed time.Duration
			var served, throttled int
			for b.Loop() {
				e := newEnv(b, usersFor(want), func(o *graph.Options) {
					o.WriteQuota, o.PageSize = graphWrites, 999
					o.RouteQuotas = map[string]graph.Quota{"POST /teams": teamCreates}
				})
				// Retry-After up to the whole window is waited for here;
				// the controller waits the same after a TooLongError.
				tg := e.withOptions(Options{MaxRetryAfter: graphWrites.Window, PollInterval: 10 * time.Second})
				start := e.clock.Now()
				converge(b, tg, want, 10)
				elapsed = e.clock.Now().Sub(start)
				served, throttled = e.sb.Writes()-e.sb.Throttled(), e.sb.Throttled()
			}
			teams := 0
			for _, r := range want.Rooms {
				if r.Kind == elevsynkv1.RoomTeam || r.Kind == elevsynkv1.RoomClassTeam {
					teams++
				}
			}
			b.ReportMetric(float64(len(want.Rooms)), "rooms")
			b.ReportMetric(float64(teams), "teams")
			b.ReportMetric(float64(served), "writes")
			b.ReportMetric(float64(throttled), "throttled")
			benchdata.ReportFloor(b, elapsed, max(graphWrites.Floor(served), teamCreates.Floor(teams)))
		})
	}
}

// withOwners keeps the rooms a team can be made of: Graph makes no team
// without an owner, so platform.Prepare leaves those out.
func withOwners(s desired.State, _ map[elevsynkv1.RoomKind]int) desired.State {
	out := desired.State{}
	for _, r := range s.Rooms {
		if len(r.Owners) > 0 || (r.Kind != elevsynkv1.RoomTeam && r.Kind != elevsynkv1.RoomClassTeam) {
			out.Rooms = append(out.Rooms, r)
		}
	}
	return out
}

package msgraph

import (
	"context"
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

// Team creates go at Teams' rate alongside the member adds, not before
// them: with Graph's rates scaled to a one-second window (20 writes and 10
// team creates a second), creating 100 teams of 25 pupils takes the time
// the writes alone need, and only the first $batch of team creates, sent
// before Graph said to slow down, has some refused.
func TestTeamCreatesRunAlongsideMemberAdds(t *testing.T) {
	writes := graph.Quota{Limit: 20, Window: time.Second}
	st := desired.State{}
	for i := range 100 {
		r := desired.Room{Key: fmt.Sprintf("klasser:group:%03d", i), Kind: elevsynkv1.RoomTeam, Name: fmt.Sprintf("Klass %03d", i),
			MailNickname: fmt.Sprintf("klasser-group-%03d", i), Owners: people("t", 0, 1), Members: people("s", 0, 25)}
		r.SetPeople(r.Owners, r.Members)
		st.Rooms = append(st.Rooms, r)
	}
	st.Sort()
	e := newEnv(t, usersFor(st), func(o *graph.Options) {
		o.WriteQuota, o.ReplicationDelay, o.TeamDelay = writes, 0, 0
		o.RouteQuotas = map[string]graph.Quota{"POST /teams": teamCreates}
	})
	tg := e.withOptions(Options{MaxRetryAfter: time.Minute, PollInterval: time.Second})
	start := e.clock.Now()
	p, res := sync1(t, context.Background(), tg, st)
	if len(res.Failures) > 0 || res.Applied != len(p.Actions) {
		t.Fatalf("apply: %+v", res)
	}
	elapsed := e.clock.Now().Sub(start)
	served := e.sb.Writes() - e.sb.Throttled()
	// Each room: its group with the owner, two member PATCHes, its team.
	if served != 400 {
		t.Errorf("%d writes served, want 400", served)
	}
	// One second more for polling the team operations.
	if floor := writes.Floor(served) + time.Second; elapsed > floor+floor/10 {
		t.Errorf("took %v, floor %v: team creation ran apart from the member adds", elapsed, floor)
	}
	if n := e.sb.Counts()["POST /teams"] - len(st.Rooms); n > teamCreatesPerSecond {
		t.Errorf("%d team creates refused, want at most %d", n, teamCreatesPerSecond)
	}
	checkObserved(t, tg, st)
}

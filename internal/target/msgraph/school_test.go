package msgraph

import (
	"context"
	"math/rand"
	"net/http"
	"os"
	"slices"
	gosync "sync"
	"testing"

	"sigs.k8s.io/yaml"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/mapping"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	"github.com/elevsynk/elevsynk/internal/target"
)

// schoolState is the desired state of a clean generated municipality
// under the sample mapping, as Microsoft 365 holds it. Team rooms without
// an owner are dropped: Graph makes no team without one, which
// TestUnresolvedPeople covers.
func schoolState(t *testing.T, pupils int) desired.State {
	t.Helper()
	b, err := os.ReadFile("../../../config/samples/mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m elevsynkv1.Mapping
	if err := yaml.UnmarshalStrict(b, &m); err != nil {
		t.Fatal(err)
	}
	p, err := mapping.Compile(m.Spec, mapping.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 1, Pupils: pupils, Faults: &rostergen.Faults{}})
	st, _, err := p.Evaluate(snap, nil, day)
	if err != nil {
		t.Fatal(err)
	}
	st, _ = target.Fit(st, target.Microsoft365)
	st.Rooms = slices.DeleteFunc(st.Rooms, func(r desired.Room) bool { return hasTeam(r.Kind) && len(r.Owners) == 0 })
	return st
}

// createWrites are the writes of creating a room, documented in
// docs/microsoft365.md: the fixed requests of its kind, plus one for a
// room whose member count is not a multiple of 20 (its last, partly
// filled member PATCH), plus the owner PATCHes a create cannot carry (a
// create binds at most 20 relationships, and an owner of a Microsoft 365
// group takes two, as owner and member).
func createWrites(r desired.Room) int {
	fixed := map[elevsynkv1.RoomKind]int{elevsynkv1.RoomClassTeam: 3, elevsynkv1.RoomTeam: 2,
		elevsynkv1.RoomMailGroup: 1, elevsynkv1.RoomSecurityGroup: 1}[r.Kind]
	perCreate := 10
	if r.Kind == elevsynkv1.RoomSecurityGroup {
		perCreate = 20
	}
	extraOwners := 0
	if n := len(r.Owners) - perCreate; n > 0 {
		extraOwners = (n + perCreate - 1) / perCreate
	}
	partial := 0
	if len(r.Members)%20 != 0 {
		partial = 1
	}
	return fixed + extraOwners + partial
}

// Provisioning a school from nothing takes at most the documented writes
// per room plus one write per 20 memberships; once the delta link exists
// a no-change observe reads one page.
func TestSchoolProvisioningEfficiency(t *testing.T) {
	st := schoolState(t, 120)
	e := newEnv(t, usersFor(st), nil)
	tg := e.adapter(nil)
	p, res := sync1(t, context.Background(), tg, st)
	if len(res.Failures) > 0 || res.Applied != len(p.Actions) {
		t.Fatalf("apply: %d failures, %d of %d applied; first %+v", len(res.Failures), res.Applied, len(p.Actions), res.Failures[0])
	}
	budget, members, memberships := 0, 0, 0
	for _, r := range st.Rooms {
		budget += createWrites(r)
		members += len(r.Members)
		memberships += len(r.Owners) + len(r.Members)
	}
	budget += (members + 19) / 20
	writes := e.sb.Writes()
	if writes > budget {
		t.Errorf("%d writes for %d rooms and %d members, budget %d: %v", writes, len(st.Rooms), members, budget, e.sb.Counts())
	}
	stats := tg.Stats()
	t.Logf("%d rooms, %d memberships: %d Graph writes (%.3f per membership), %d HTTP requests of which %d writes (%.3f per membership), budget %d",
		len(st.Rooms), memberships, writes, float64(writes)/float64(memberships), stats.Requests, stats.Writes,
		float64(stats.Writes)/float64(memberships), budget)
	checkObserved(t, tg, st)
	checkNoDuplicates(t, e.sb)

	// The observe above was incremental and read our own writes back;
	// the next one finds nothing new.
	e.sb.ResetCounters()
	if _, err := tg.Observe(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := e.sb.Requests(); n > 2 {
		t.Errorf("no-change observe took %d requests: %v", n, e.sb.Counts())
	}
	p, _ = sync1(t, context.Background(), tg, st)
	if len(p.Actions) != 0 || e.sb.Writes() != 0 {
		t.Errorf("no-change sync: %d actions, %d writes", len(p.Actions), e.sb.Writes())
	}
}

// Killed at a random request, a sync leaves the tenant so that the next
// syncs converge with no duplicate group, class or team: by a restarted
// adapter (even seeds), or by the same one, whose next observe is then
// incremental (odd seeds).
func TestKillHalfway(t *testing.T) {
	st := schoolState(t, 60)
	users := usersFor(st)
	// How many requests an uninterrupted sync takes.
	ref := newEnv(t, users, nil)
	var n int
	var mu gosync.Mutex
	count := func(r *http.Request, rt http.RoundTripper) (*http.Response, error) {
		mu.Lock()
		n++
		mu.Unlock()
		return rt.RoundTrip(r)
	}
	sync1(t, context.Background(), ref.adapter(count), st)

	for seed := int64(1); seed <= 20; seed++ {
		e := newEnv(t, users, nil)
		at := rand.New(rand.NewSource(seed)).Intn(n) + 1
		ctx, cancel := context.WithCancel(context.Background())
		seen := 0
		kill := func(r *http.Request, rt http.RoundTripper) (*http.Response, error) {
			mu.Lock()
			seen++
			hit := seen == at
			mu.Unlock()
			if hit && seed%2 == 0 {
				cancel() // before the request leaves
			}
			resp, err := rt.RoundTrip(r)
			if hit {
				cancel() // after the server acted on it
			}
			return resp, err
		}
		tg := e.adapter(kill)
		if have, err := tg.Observe(ctx); err == nil {
			tg.Apply(ctx, plan.Compute(st, have, policy, day).Actions)
		}
		cancel()

		next := tg
		if seed%2 == 0 {
			next = e.adapter(nil)
		}
		converge(t, next, st, 3)
		checkObserved(t, next, st)
		checkNoDuplicates(t, e.sb)
		if got := len(e.sb.Groups()); got != len(st.Rooms) {
			t.Errorf("seed %d (killed at request %d of %d): %d groups for %d rooms", seed, at, n, got, len(st.Rooms))
		}
		if t.Failed() {
			t.Fatalf("seed %d: killed at request %d of %d", seed, at, n)
		}
	}
}

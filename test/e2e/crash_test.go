package e2e

import (
	"context"
	"math/rand"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	"github.com/elevsynk/elevsynk/internal/desired"
)

const (
	pupils     = 2000
	killPoints = 20
	// convergeWithin bounds every wait; generous for two loaded cores.
	convergeWithin = 150 * time.Second
	// lostTriggerAfter: see world.noLostTrigger. A fetch and an evaluation
	// of the 2,000 pupils take a second or two.
	lostTriggerAfter = 30 * time.Second
)

// killer kills whichever replica is acting when the Graph sandbox's write
// count reaches the next kill point. Between a kill and the next acting
// replica it is disarmed, so the writes still in flight from the dead
// process do not spend a kill point on it.
type killer struct {
	mu     sync.Mutex
	points []int // write counts, ascending
	used   []int // the counts the kills happened at
	target *replica
	killed chan *replica
	last   time.Time
}

func newKiller() *killer { return &killer{killed: make(chan *replica, 1)} }

// place draws the kill points from [1, upTo] with seed.
func (k *killer) place(t *testing.T, seed int64, upTo int) {
	t.Helper()
	if upTo < killPoints*3 {
		t.Fatalf("only %d writes expected: too few to place %d kill points", upTo, killPoints)
	}
	rng := rand.New(rand.NewSource(seed))
	seen := map[int]bool{}
	var pts []int
	for len(pts) < killPoints {
		if n := 1 + rng.Intn(upTo); !seen[n] {
			seen[n] = true
			pts = append(pts, n)
		}
	}
	slices.Sort(pts)
	k.mu.Lock()
	defer k.mu.Unlock()
	k.points = pts
}

// onWrite is the Graph sandbox's hook: it runs under the sandbox's lock
// before the write is carried out, so the write lands and the dead
// process never reads its answer.
func (k *killer) onWrite(n int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.target == nil || len(k.points) == 0 || len(k.used) == len(k.points) || n < k.points[len(k.used)] {
		return
	}
	k.used = append(k.used, n)
	k.last = time.Now()
	r := k.target
	k.target = nil
	r.kill()
	k.killed <- r
}

// arm makes r the replica the next kill point kills.
func (k *killer) arm(r *replica) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.target = r
}

func (k *killer) done() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.points) > 0 && len(k.used) == len(k.points)
}

// expectedWrites is a floor under the writes a first provisioning of want
// takes, whatever the restarts: each room is created by one write, and its
// owners and members beyond the first 20 go in writes of at most 20
// (docs/microsoft365.md). Kill points below it are all reached.
func expectedWrites(want desired.State) int {
	n := 0
	for _, r := range want.Rooms {
		n += 1 + max(0, (len(r.Owners)+len(r.Members)-1)/20)
	}
	return n
}

func memberships(want desired.State) int {
	n := 0
	for _, r := range want.Rooms {
		n += len(r.Owners) + len(r.Members)
	}
	return n
}

// begin serves a municipality generated from worldSeed in namespace ns,
// computes what it should provision, and places the kill points with a
// seed of the clock, which it logs; E2E_SEED=<seed> replays one.
func begin(t *testing.T, ns string, worldSeed int64) (*killer, *world, desired.State) {
	t.Helper()
	seed := time.Now().UnixNano()
	if v := os.Getenv("E2E_SEED"); v != "" {
		var err error
		if seed, err = strconv.ParseInt(v, 10, 64); err != nil {
			t.Fatalf("E2E_SEED: %v", err)
		}
	}
	t.Logf("seed %d (E2E_SEED replays it)", seed)
	k := newKiller()
	w := newWorld(t, ns, worldSeed, pupils, k.onWrite)
	want := w.desiredNow(t)
	k.place(t, seed, expectedWrites(want))
	return k, w, want
}

// TestCrashDuringProvisioning kills the one manager with SIGKILL at 20
// random points of a 2,000-pupil municipality's first provisioning,
// restarting it each time, and checks the tenant converges with no room
// duplicated, no membership lost and nothing deleted or archived.
func TestCrashDuringProvisioning(t *testing.T) {
	k, w, want := begin(t, "crash", 17)

	m := &replica{name: "manager", logs: logDir(t)}
	t.Cleanup(m.stop)
	m.start(t)
	k.arm(m)
	deadline := time.After(convergeWithin)
	for !k.done() {
		k.arm(restartKilled(t, k, w, deadline, m))
	}
	converge(t, w, want, k)
}

// restartKilled waits for the killer to kill one of replicas, checking
// meanwhile that nothing waits on a lost trigger, restarts it once it has
// exited, and returns it. It fails the test at deadline.
func restartKilled(t *testing.T, k *killer, w *world, deadline <-chan time.Time, replicas ...*replica) *replica {
	t.Helper()
	for {
		select {
		case <-time.After(time.Second):
			w.noLostTrigger(t)
		case r := <-k.killed:
			done, _ := r.current()
			<-done
			r.start(t)
			// The wait is one manager's: a lost trigger stops the writes, so
			// the manager that lost it lives on. Managers killed a second or
			// two apart rarely show Reconciling=True, which a fetch or an
			// observe patches only after 2 s, and their waits added up.
			w.waitedAt = time.Time{}
			return r
		case <-deadline:
			stuck(t, w, replicas...)
			t.Fatalf("only %d of %d kill points reached (writes %d)", len(k.used), killPoints, w.graph.Writes())
		}
	}
}

// TestLeaderFailover runs two replicas with leader election and kills the
// leader at 20 random points of the first provisioning; the killed one is
// restarted, so there are always two.
func TestLeaderFailover(t *testing.T) {
	k, w, want := begin(t, "failover", 23)

	args := []string{"--leader-elect", "--leader-election-id=e2e-failover", "--leader-election-namespace=" + w.ns,
		"--leader-election-lease-duration=4s", "--leader-election-renew-deadline=3s", "--leader-election-retry-period=500ms"}
	logs := logDir(t)
	replicas := []*replica{{name: "a", args: args, logs: logs}, {name: "b", args: args, logs: logs}}
	for _, r := range replicas {
		t.Cleanup(r.stop)
		r.start(t)
	}
	holders := map[string]bool{}
	deadline := time.After(convergeWithin)
	for !k.done() {
		leader := waitForLeader(t, replicas, deadline)
		holder := leaseHolder(t, w.ns, "e2e-failover")
		if holders[holder] {
			t.Fatalf("lease holder %q led before and was killed", holder)
		}
		holders[holder] = true
		k.arm(leader)
		restartKilled(t, k, w, deadline, replicas...)
	}
	t.Logf("%d leaders, each a distinct lease holder", len(holders))
	converge(t, w, want, k)
}

// logDir holds the managers' logs; it is kept when the test fails, and
// its path logged, for a look at what the manager did.
func logDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "elevsynk-e2e-logs-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("manager logs kept in %s", dir)
			return
		}
		_ = os.RemoveAll(dir)
	})
	return dir
}

// stuck dumps the goroutines of the managers and of the test (with its
// sandboxes) into the log directory, to see what waits on what.
func stuck(t *testing.T, w *world, replicas ...*replica) {
	t.Helper()
	for _, obj := range []client.Object{w.source, w.mapper, w.target} {
		if err := cp.Client.Get(context.Background(), client.ObjectKeyFromObject(obj), obj); err != nil {
			t.Fatal(err)
		}
		reason, ready := readyReason(obj)
		t.Logf("%T %s: Ready=%v %s", obj, obj.GetName(), ready, reason)
	}
	for _, r := range replicas {
		<-r.dump()
	}
	f, err := os.Create(filepath.Join(replicas[0].logs, "test-goroutines.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_ = pprof.Lookup("goroutine").WriteTo(f, 2)
}

// waitForLeader is the replica whose current process logged that it
// acquired the lease.
func waitForLeader(t *testing.T, replicas []*replica, deadline <-chan time.Time) *replica {
	t.Helper()
	for {
		for _, r := range replicas {
			if _, leading := r.current(); isClosed(leading) {
				return r
			}
		}
		select {
		case <-deadline:
			t.Fatal("no replica acquired the lease")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// leaseHolder is the Lease's holderIdentity (hostname and a random id
// per process, as controller-runtime makes it).
func leaseHolder(t *testing.T, ns, name string) string {
	t.Helper()
	var l coordinationv1.Lease
	if err := cp.Client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, &l); err != nil {
		t.Fatal(err)
	}
	if l.Spec.HolderIdentity == nil || *l.Spec.HolderIdentity == "" {
		t.Fatal("the lease has no holder")
	}
	return *l.Spec.HolderIdentity
}

// converge waits for the Target to be Ready in sync and the sandbox to
// hold exactly want, then checks nothing was duplicated or removed.
func converge(t *testing.T, w *world, want desired.State, k *killer) {
	t.Helper()
	deadline := time.Now().Add(convergeWithin)
	for {
		reason, ready := w.targetReady(t)
		if ready && (reason == controllers.ReasonInSync || reason == controllers.ReasonApplied) {
			p := w.remaining(t, want)
			if p.Empty() {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("Target Ready (%s) but %d actions remain: %s", reason, len(p.Actions), p.Summary())
			}
		}
		w.noLostTrigger(t)
		if time.Now().After(deadline) {
			t.Fatalf("the Target is not Ready in sync (reason %q) %s after the last kill", reason, convergeWithin)
		}
		time.Sleep(time.Second)
	}
	t.Logf("kill points (Graph write counts): %v", k.used)
	t.Logf("converged %s after the last kill", time.Since(k.last).Round(100*time.Millisecond))
	t.Logf("Graph: %d requests, %d writes; %d rooms, %d memberships (owners and members)",
		w.graph.Requests(), w.graph.Writes(), len(want.Rooms), memberships(want))
	checkSandbox(t, w, want)
}

// checkSandbox: one group per desired room, no two sharing an identity,
// no room deleted or archived, no member or owner removed.
func checkSandbox(t *testing.T, w *world, want desired.State) {
	t.Helper()
	groups := w.graph.Groups()
	if len(groups) != len(want.Rooms) {
		t.Errorf("%d groups in the tenant, want one per desired room: %d", len(groups), len(want.Rooms))
	}
	seen := map[string]bool{}
	for _, g := range groups {
		for kind, id := range map[string]string{"uniqueName": g.UniqueName, "externalId": g.ClassExternalID, "mailNickname": g.MailNickname} {
			if id == "" {
				continue
			}
			if seen[kind+"="+id] {
				t.Errorf("two groups share %s %q", kind, id)
			}
			seen[kind+"="+id] = true
		}
		if g.Archived {
			t.Errorf("group %s is archived", g.ID)
		}
	}
	teams := 0
	for _, r := range want.Rooms {
		if r.Kind == elevsynkv1.RoomTeam || r.Kind == elevsynkv1.RoomClassTeam {
			teams++
		}
	}
	provisioned := 0
	for _, g := range groups {
		if g.Team {
			provisioned++
		}
	}
	if provisioned != teams {
		t.Errorf("%d teams provisioned, want %d", provisioned, teams)
	}
	removals := map[string]int{}
	for route, n := range w.graph.Counts() {
		if strings.HasPrefix(route, "DELETE ") || strings.HasSuffix(route, "/archive") {
			removals[route] = n
		}
	}
	if len(removals) > 0 {
		t.Errorf("the tenant was sent deletions or archivals: %v", removals)
	}
}

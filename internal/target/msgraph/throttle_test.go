package msgraph

import (
	"testing"

	"github.com/elevsynk/elevsynk/internal/sandbox/graph"
)

// Under 30 % throttling (inner $batch requests included) and a
// replication delay, syncing converges and the throttles are counted.
func TestConvergesUnderThrottling(t *testing.T) {
	st := handState()
	e := newEnv(t, usersFor(st), func(o *graph.Options) { o.ThrottleRate, o.Seed = 0.3, 3 })
	tg := e.adapter(nil)
	converge(t, tg, st, 4)
	e.sb.SetThrottleRate(0)
	checkObserved(t, tg, st)
	checkNoDuplicates(t, e.sb)
	if tg.Stats().Throttled == 0 || e.sb.Throttled() == 0 {
		t.Errorf("no throttling seen: adapter %d, sandbox %d", tg.Stats().Throttled, e.sb.Throttled())
	}
	t.Logf("throttled %d of %d requests", tg.Stats().Throttled, tg.Stats().Requests)
}

package controllers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	graphsandbox "github.com/elevsynk/elevsynk/internal/sandbox/graph"
)

// The fault matrix: a first provisioning through the Target controller
// under each of the faults the Graph sandbox emulates, and of the network
// (replies lost after the write, reads that hang until the client's
// timeout), converges (a second
// sync finds nothing to do), makes no duplicate, and stays within a few
// times the requests of a run without faults (ten for replication delay,
// which polls until the new groups replicate). The figures per fault are
// logged.
func TestFaultMatrix(t *testing.T) {
	tests := []struct {
		name string
		opts graphsandbox.Options
		// faults installed before the Target is created
		faults []graphsandbox.Fault
		wrap   func(http.Handler) http.Handler
	}{
		{name: "no fault"},
		{name: "30% throttled with Retry-After", opts: graphsandbox.Options{ThrottleRate: 0.3, Seed: 11, RetryAfter: time.Second}},
		{name: "503 bursts", faults: []graphsandbox.Fault{{Status: http.StatusServiceUnavailable, Skip: 20, Times: 3},
			{Status: http.StatusGatewayTimeout, Skip: 60, Times: 2}}},
		{name: "500 part-way", faults: []graphsandbox.Fault{{Status: http.StatusInternalServerError, Skip: 40, Times: 10}}},
		{name: "partial $batch failures", faults: []graphsandbox.Fault{{Route: "PATCH /groups/{id}",
			Status: http.StatusInternalServerError, Skip: 5, Times: 6}}},
		{name: "replication delay", opts: graphsandbox.Options{ReplicationDelay: 2 * time.Second, TeamDelay: time.Second}},
		{name: "lost replies", wrap: loseReplies(5, 2)},
		{name: "timeouts", wrap: hangReads(2, 2)},
	}
	var clean int
	for i, tt := range tests {
		run := func(t *testing.T) {
			ns, m, snap := school(t)
			waitForCondition(t, m, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonEvaluated)
			gs, _, tg := graphTarget(t, ns, snap, tt.opts, tt.wrap)
			for _, f := range tt.faults {
				gs.AddFault(f)
			}
			start := time.Now()
			create(t, tg)
			// Each failed apply waits its backoff (5 s, then 10 s, ...)
			// before the next: give the worst case a few of them.
			eventuallyWithin(t, 2*time.Minute, func() error {
				return hasCondition(tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonApplied)
			})
			took := time.Since(start)
			requests, writes, throttled := gs.Requests(), gs.Writes(), gs.Throttled()
			requestReconcile(t, tg, nil)
			waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonInSync)
			t.Logf("%s: converged in %s with %d requests, %d writes, %d throttled", tt.name, took.Round(100*time.Millisecond), requests, writes, throttled)
			if dups := duplicateGroups(gs.Groups()); len(dups) > 0 {
				t.Errorf("duplicate rooms: %v", dups)
			}
			if i == 0 {
				clean = requests
				return
			}
			if requests > 10*clean {
				t.Errorf("%d requests, more than ten times the %d without faults", requests, clean)
			}
		}
		if i == 0 {
			t.Run(tt.name, run) // the baseline, before the others run in parallel
			continue
		}
		t.Run(tt.name, func(t *testing.T) { t.Parallel(); run(t) })
	}
}

// duplicateGroups lists the ownership markers held by more than one group.
func duplicateGroups(groups []graphsandbox.Group) []string {
	seen := map[string]int{}
	for _, g := range groups {
		for _, k := range []string{"uniqueName " + g.UniqueName, "class " + g.ClassExternalID, "mailNickname " + strings.ToLower(g.MailNickname)} {
			if !strings.HasSuffix(k, " ") {
				seen[k]++
			}
		}
	}
	var out []string
	for k, n := range seen {
		if n > 1 {
			out = append(out, k)
		}
	}
	return out
}

// hangReads leaves every nth read, times times, unanswered until the
// client gives up on it (its request timeout).
func hangReads(nth, times int) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		var reads, hung atomic.Int64
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && reads.Add(1)%int64(nth) == 0 && hung.Add(1) <= int64(times) {
				<-r.Context().Done()
				return
			}
			h.ServeHTTP(w, r)
		})
	}
}

// loseReplies carries out every nth write and then drops the connection
// instead of answering, times times: the client cannot tell whether the
// write happened, as after a network cut.
func loseReplies(nth, times int) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		var writes, lost atomic.Int64
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet || writes.Add(1)%int64(nth) != 0 || lost.Add(1) > int64(times) {
				h.ServeHTTP(w, r)
				return
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
				}
			}
		})
	}
}

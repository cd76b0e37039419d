package controllers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	"github.com/elevsynk/elevsynk/internal/roster"
	graphsandbox "github.com/elevsynk/elevsynk/internal/sandbox/graph"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
	"github.com/elevsynk/elevsynk/internal/source"
)

// quietWindow is how long a failing object is watched for what it sends.
const quietWindow = 20 * time.Second

// testManagerLabel keeps objects away from the suite's manager, for tests
// that start and stop a manager of their own.
const testManagerLabel = "elevsynk.io/test-manager"

// ownManager starts a manager for the objects labelled testManagerLabel=id
// and returns its stop function, which waits until it has stopped.
func ownManager(t *testing.T, id string) func() {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done, err := startManager(ctx, testManagerLabel+"="+id)
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
		}
	}
	t.Cleanup(stop)
	return stop
}

func labelled[T client.Object](obj T, id string) T {
	if id != "" {
		obj.SetLabels(map[string]string{testManagerLabel: id})
	}
	return obj
}

func registerRequests(s *sandbox.Server) int {
	n := 0
	for _, c := range s.Counts() {
		n += c
	}
	return n
}

// A failing register is asked again after a backoff, not in a loop; a
// refused one is not asked again before its interval, whatever is left on
// it; and a manager restarted while the register is down, empty or shrunk
// fetches once, then behaves the same. Each case counts the requests the
// register gets in 20 s.
func TestRegisterFailuresStayQuiet(t *testing.T) {
	tests := []struct {
		name    string
		restart bool
		break_  func(t *testing.T, srv *sandbox.Server, snap *roster.Snapshot, src *elevsynkv1.RegisterSource)
		// wantReason on Ready, and whether Stalled
		wantReason string
		stalled    bool
		// fetches: the most fetch attempts (token requests) in the window,
		// and the fewest.
		minFetches, maxFetches int
	}{
		{name: "answering 500", break_: down, wantReason: controllers.ReasonFetchFailed, minFetches: 2, maxFetches: 4},
		{name: "asking to wait an hour", break_: waitAnHour, wantReason: controllers.ReasonFetchFailed, minFetches: 1, maxFetches: 1},
		{name: "shrunk with an old approval left on", break_: shrinkWithOldApproval,
			wantReason: source.ReasonRegisterShrank, stalled: true, maxFetches: 0},
		{name: "restarted while down", restart: true, break_: down, wantReason: controllers.ReasonFetchFailed, minFetches: 2, maxFetches: 4},
		{name: "restarted while empty", restart: true, break_: empty, wantReason: source.ReasonEmptyRegister, stalled: true, maxFetches: 1, minFetches: 1},
		{name: "restarted while shrunk", restart: true, break_: shrink, wantReason: source.ReasonRegisterShrank, stalled: true, maxFetches: 1, minFetches: 1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			id := ""
			var stop func()
			if tt.restart {
				id = fmt.Sprintf("quiet-%d", i)
				stop = ownManager(t, id)
			}
			ns := newNamespace(t)
			srv, hs, snap := registerSandbox(t)
			create(t, labelled(tenant(ns, "exempelstad"), id))
			create(t, credentials(ns, "elevsynk", "s3cret"))
			src := labelled(registerSource(ns, hs.URL), id)
			create(t, src)
			waitForCondition(t, src, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonFetched)
			fetch := registerRequests(srv) // one full fetch

			if tt.restart {
				stop()
				tt.break_(t, srv, snap, src)
				ownManager(t, id)
			} else {
				tt.break_(t, srv, snap, src)
				requestReconcile(t, src, nil)
			}
			waitForCondition(t, src, elevsynkv1.ConditionReady, metav1.ConditionFalse, tt.wantReason)
			if tt.stalled {
				waitForCondition(t, src, elevsynkv1.ConditionStalled, metav1.ConditionTrue, tt.wantReason)
			}
			// The window starts at the request (or restart), so the
			// attempt that set the condition is counted.
			tokens, requests := srv.Count("token"), registerRequests(srv)
			time.Sleep(quietWindow)
			tokens, requests = srv.Count("token")-tokens, registerRequests(srv)-requests
			if tt.restart || !tt.stalled {
				tokens++ // the attempt before the window
			}
			t.Logf("%d fetch attempts, %d requests in %s (a full fetch is %d)", tokens, requests, quietWindow, fetch)
			if tokens < tt.minFetches || tokens > tt.maxFetches {
				t.Errorf("%d fetch attempts, want %d to %d", tokens, tt.minFetches, tt.maxFetches)
			}
			if requests > tt.maxFetches*fetch {
				t.Errorf("%d requests, more than %d fetches of %d", requests, tt.maxFetches, fetch)
			}
		})
	}
}

func down(_ *testing.T, srv *sandbox.Server, _ *roster.Snapshot, _ *elevsynkv1.RegisterSource) {
	srv.AddFault(sandbox.Fault{Kind: sandbox.FaultStatus, Status: http.StatusInternalServerError})
}

// waitAnHour throttles with a Retry-After longer than any client waits.
func waitAnHour(_ *testing.T, srv *sandbox.Server, _ *roster.Snapshot, _ *elevsynkv1.RegisterSource) {
	srv.AddFault(sandbox.Fault{Kind: sandbox.FaultStatus, Status: http.StatusServiceUnavailable, RetryAfter: "3600"})
}

func empty(_ *testing.T, srv *sandbox.Server, _ *roster.Snapshot, _ *elevsynkv1.RegisterSource) {
	srv.Clear()
}

func shrink(t *testing.T, srv *sandbox.Server, snap *roster.Snapshot, _ *elevsynkv1.RegisterSource) {
	t.Helper()
	for i, g := range snap.Groups {
		if i%2 == 0 {
			if err := srv.DeleteGroup(g.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// shrinkWithOldApproval leaves the approval of an earlier snapshot on the
// source, as an administrator would after approving one.
func shrinkWithOldApproval(t *testing.T, srv *sandbox.Server, snap *roster.Snapshot, src *elevsynkv1.RegisterSource) {
	t.Helper()
	requestReconcile(t, src, map[string]string{elevsynkv1.ApproveSnapshotAnnotation: src.Status.ContentHash})
	eventually(t, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(src), src); err != nil {
			return err
		}
		if got, want := src.Status.LastHandledApproval, src.Annotations[elevsynkv1.ApproveSnapshotAnnotation]; got != want {
			return fmt.Errorf("last handled approval %q, want %q", got, want)
		}
		return nil
	})
	shrink(t, srv, snap, src)
}

// stamps records when each request reached a handler.
type stamps struct {
	h  http.Handler
	mu sync.Mutex
	at []time.Time
}

func (s *stamps) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.at = append(s.at, time.Now())
	s.mu.Unlock()
	s.h.ServeHTTP(w, r)
}

// since returns the times of the requests after t0.
func (s *stamps) since(t0 time.Time) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []time.Time
	for _, t := range s.at {
		if t.After(t0) {
			out = append(out, t)
		}
	}
	return out
}

// graphTarget provisions the school mapping into a Graph sandbox that the
// returned stamps record, with the deletion guard off. wrap, if not nil,
// stands between the sandbox and the network.
func graphTarget(t *testing.T, ns string, snap *roster.Snapshot, opts graphsandbox.Options, wrap func(http.Handler) http.Handler) (*graphsandbox.Server, *stamps, *elevsynkv1.Target) {
	t.Helper()
	for _, p := range snap.Persons {
		for _, k := range p.EduPersonPrincipalNames {
			opts.Users = append(opts.Users, graphsandbox.User{UserPrincipalName: k})
		}
	}
	gs := graphsandbox.New(opts)
	var h http.Handler = gs
	if wrap != nil {
		h = wrap(gs)
	}
	st := &stamps{h: h}
	ghs := httptest.NewServer(st)
	t.Cleanup(ghs.Close)
	create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "graph"},
		StringData: map[string]string{"clientID": "app", "clientSecret": "unused"}})
	off := intstr.FromString("100%")
	tg := &elevsynkv1.Target{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "microsoft365", Annotations: sandboxAnnotation()},
		Spec: elevsynkv1.TargetSpec{MappingRef: elevsynkv1.LocalReference{Name: "skolor"}, Mode: elevsynkv1.ModeApply,
			Policy: elevsynkv1.Policy{DeletionGuard: &elevsynkv1.DeletionGuard{MaxDeletions: off, MaxMemberRemovals: &off}},
			Microsoft365: &elevsynkv1.Microsoft365Target{Endpoint: ghs.URL, TenantID: "11111111-2222-3333-4444-555555555555",
				Auth: elevsynkv1.Microsoft365Auth{ClientSecret: &elevsynkv1.SecretReference{Name: "graph"}}}}}
	return gs, st, tg
}

// A Target whose observe keeps failing tries again after a backoff, a few
// times in 20 s; an apply that fails part-way is retried within seconds,
// not after the 30-minute interval, and the retry sends only what is left.
func TestTargetFailuresRetryWithBackoff(t *testing.T) {
	t.Run("observe keeps failing", func(t *testing.T) {
		t.Parallel()
		ns, _, snap := school(t)
		gs, st, tg := graphTarget(t, ns, snap, graphsandbox.Options{}, nil)
		gs.AddFault(graphsandbox.Fault{Status: http.StatusInternalServerError})
		start := time.Now()
		create(t, tg)
		waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonObserveFailed)
		time.Sleep(quietWindow - time.Since(start))
		at := st.since(start)
		t.Logf("%d Graph requests in %s: %v", len(at), quietWindow, gaps(at))
		// Attempts at 0 s, after 2.5-5 s, after 5-10 s more, perhaps one
		// more: each is one failing request (500 is not retried inside
		// an attempt; Graph retries only 429, 503 and 504).
		if len(at) < 2 || len(at) > 4 {
			t.Errorf("%d requests in %s, want 2 to 4", len(at), quietWindow)
		}
		for _, g := range gaps(at) {
			if g < 2*time.Second {
				t.Errorf("an attempt %s after the one before: no backoff", g)
			}
		}
	})

	t.Run("apply fails part-way", func(t *testing.T) {
		t.Parallel()
		ns, m, snap := school(t)
		waitForCondition(t, m, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonEvaluated)
		gs, st, tg := graphTarget(t, ns, snap, graphsandbox.Options{}, nil)
		// Once the first rooms are made, 40 requests fail with a 500 the
		// adapter does not retry.
		gs.AddFault(graphsandbox.Fault{Status: http.StatusInternalServerError, Skip: 60, Times: 40})
		create(t, tg)
		waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonApplyFailed)
		failedAt := time.Now()
		firstWrites := gs.Writes()
		waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonApplied)
		retryWrites := gs.Writes() - firstWrites
		retries := st.since(failedAt)
		if len(retries) == 0 {
			t.Fatal("no request after the failed apply")
		}
		next := retries[0].Sub(failedAt)
		t.Logf("first attempt %d writes; retry after %s with %d writes", firstWrites, next, retryWrites)
		if next > 10*time.Second {
			t.Errorf("the retry came %s after the failure, want within the 5 s backoff", next)
		}
		if retryWrites == 0 || retryWrites >= firstWrites {
			t.Errorf("the retry wrote %d, the first attempt %d: want only what was left", retryWrites, firstWrites)
		}
	})
}

// gaps are the times between consecutive requests.
func gaps(at []time.Time) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(at); i++ {
		out = append(out, at[i].Sub(at[i-1]).Round(100*time.Millisecond))
	}
	return out
}

package sds

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/benchdata"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/retry"
	"github.com/elevsynk/elevsynk/internal/roster"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/sds"
	"github.com/elevsynk/elevsynk/internal/target"
)

type fixedToken struct{}

func (fixedToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "t", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// waits records the pauses the client asked for, without pausing.
type waits []time.Duration

func (w *waits) sleep(_ context.Context, d time.Duration) error { *w = append(*w, d); return nil }

func newTarget(t testing.TB, dir, url string, w *waits) *Target {
	t.Helper()
	spec := elevsynkv1.SchoolDataSyncTarget{Path: dir, Upload: &elevsynkv1.SchoolDataSyncUpload{Endpoint: url,
		TenantID: "11111111-2222-3333-4444-555555555555", DisplayName: "elevsynk test"}}
	tg, err := FromSpec(spec, "ns-sds", nil, Options{Credential: fixedToken{}, Sandbox: true, Sleep: w.sleep,
		PollInterval: time.Second, Retry: retry.Policy{BaseDelay: time.Second, MaxDelay: 8 * time.Second, Jitter: func() float64 { return 0 }}})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// sync is one reconcile as the controller runs it: observe, plan, apply.
func syncOnce(t testing.TB, tg *Target, want desired.State, reg *roster.Snapshot) (plan.Plan, target.Result) {
	t.Helper()
	ctx := context.Background()
	tg.UseRegister(reg)
	have, err := tg.Observe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fit, _ := target.Fit(want, target.SchoolDataSync)
	p := plan.Compute(fit, have, elevsynkv1.Policy{Deletion: elevsynkv1.DeletionArchive, Drift: elevsynkv1.DriftPolicy{
		Name: elevsynkv1.DriftCorrect, Description: elevsynkv1.DriftCorrect, Members: elevsynkv1.DriftCorrect, Owners: elevsynkv1.DriftCorrect}},
		benchdata.Day)
	if p.Empty() {
		return p, target.Result{}
	}
	res := tg.Apply(ctx, p.Actions)
	if len(res.Failures) > 0 {
		t.Fatalf("apply failed: %+v", res.Failures[0])
	}
	return p, res
}

func TestUploadAndIdempotence(t *testing.T) {
	snap, want, err := benchdata.Municipality(60)
	if err != nil {
		t.Fatal(err)
	}
	sb := sandbox.New(sandbox.Options{RunPolls: 2})
	srv := httptest.NewServer(sb)
	defer srv.Close()
	dir := t.TempDir()
	var w waits
	tg := newTarget(t, dir, srv.URL, &w)

	syncOnce(t, tg, want, snap)
	status, rep, ok := sb.LastRun()
	if !ok || status != "completed" || len(rep.Errors) > 0 {
		t.Fatalf("run: %s, %d errors", status, len(rep.Errors))
	}
	st := tg.RunStatus()
	if st.LastRun == nil || st.LastRun.Status != "completed" || st.LastRun.Groups != int64(st.Classes) || st.UploadedHash != st.ContentHash {
		t.Fatalf("status: %+v run %+v", st, st.LastRun)
	}
	first := sb.Counts()
	if first.SourceSystems != 1 || first.Connectors != 1 || first.Years != 1 || first.Flows != 1 || first.Uploads != 1 {
		t.Fatalf("objects made: %+v", first)
	}

	// Unchanged: the plan is empty and nothing is uploaded.
	if p, _ := syncOnce(t, tg, want, snap); !p.Empty() {
		t.Fatalf("second plan not empty: %s", p.Summary())
	}
	if got := sb.Counts().Uploads; got != 1 {
		t.Errorf("uploads after an unchanged sync = %d, want 1", got)
	}

	// A new process (a restart mid-upload leaves the SDS objects made):
	// it finds them by name and makes none again.
	want.Rooms = want.Rooms[1:]
	tg2 := newTarget(t, dir, srv.URL, &w)
	syncOnce(t, tg2, want, snap)
	c := sb.Counts()
	if c.SourceSystems != 1 || c.Connectors != 1 || c.Years != 1 || c.Flows != 1 || c.Uploads != 2 {
		t.Errorf("after restart: %+v", c)
	}
}

// TestThrottleAndFailure counts requests and waits: a throttled request
// waits the server's Retry-After once per 429 and is sent again; a 503
// without one backs off exponentially; nothing is given up that would
// succeed, and no request is repeated beyond the faults.
func TestThrottleAndFailure(t *testing.T) {
	snap, want, err := benchdata.Municipality(30)
	if err != nil {
		t.Fatal(err)
	}
	base := func() int {
		sb := sandbox.New(sandbox.Options{})
		srv := httptest.NewServer(sb)
		defer srv.Close()
		var w waits
		syncOnce(t, newTarget(t, t.TempDir(), srv.URL, &w), want, snap)
		return sb.Counts().Requests
	}()
	tests := []struct {
		name      string
		opts      sandbox.Options
		wantWaits []time.Duration
	}{
		{"throttled", sandbox.Options{Skip: 3, Throttle: 2, RetryAfter: 3 * time.Second}, []time.Duration{3 * time.Second, 3 * time.Second}},
		{"failing", sandbox.Options{Skip: 3, Fail: 3}, []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := sandbox.New(tt.opts)
			srv := httptest.NewServer(sb)
			defer srv.Close()
			var w waits
			tg := newTarget(t, t.TempDir(), srv.URL, &w)
			syncOnce(t, tg, want, snap)
			c := sb.Counts()
			if extra := c.Requests - base; extra != tt.opts.Throttle+tt.opts.Fail {
				t.Errorf("requests = %d, want %d more than the %d of a quiet run", c.Requests, tt.opts.Throttle+tt.opts.Fail, base)
			}
			if got := tg.Stats().Throttled; got != int64(tt.opts.Throttle) {
				t.Errorf("throttled = %d, want %d", got, tt.opts.Throttle)
			}
			if len(w) != len(tt.wantWaits) {
				t.Fatalf("waits = %v, want %v", w, tt.wantWaits)
			}
			for i := range w {
				if w[i] != tt.wantWaits[i] {
					t.Errorf("wait %d = %v, want %v", i, w[i], tt.wantWaits[i])
				}
			}
		})
	}
}

// TestRefusedRun: a set SDS fails leaves the record as it was, so the next
// sync tries again, and the error names the run's code, never data.
func TestRefusedRun(t *testing.T) {
	snap, want, err := benchdata.Municipality(30)
	if err != nil {
		t.Fatal(err)
	}
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb)
	defer srv.Close()
	var w waits
	tg := newTarget(t, t.TempDir(), srv.URL, &w)
	// The register loses its schools' organiser: the set cannot be built.
	bad := *snap
	bad.Organisations = nil
	tg.UseRegister(&bad)
	fit, _ := target.Fit(want, target.SchoolDataSync)
	p := plan.Compute(fit, nil, elevsynkv1.Policy{Deletion: elevsynkv1.DeletionArchive}, benchdata.Day)
	res := tg.Apply(context.Background(), p.Actions)
	if len(res.Failures) == 0 {
		t.Fatal("a set without an organiser was applied")
	}
	if c := sb.Counts(); c.Requests != 0 {
		t.Errorf("bad input sent %d requests", c.Requests)
	}
	if have, _ := tg.Observe(context.Background()); len(have) != 0 {
		t.Errorf("the record took %d rooms of a failed apply", len(have))
	}
}

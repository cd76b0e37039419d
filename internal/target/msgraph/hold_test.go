package msgraph

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/retry"
	"github.com/elevsynk/elevsynk/internal/sandbox/fault"
	"github.com/elevsynk/elevsynk/internal/sandbox/graph"
)

// withOptions makes a Target on e's tenant with the client secret, on e's
// clock; Sleep, if set in opts, is called before the clock moves on.
func (e *env) withOptions(opts Options) *Target {
	e.t.Helper()
	sleep := opts.Sleep
	opts.HTTPClient, opts.Now = e.srv.Client(), e.clock.Now
	opts.Sleep = func(ctx context.Context, d time.Duration) error {
		if sleep != nil {
			if err := sleep(ctx, d); err != nil {
				return err
			}
		}
		return e.clock.Sleep(ctx, d)
	}
	tg, err := FromSpec(context.Background(), e.spec(), map[string][]byte{"clientID": []byte(clientID), "clientSecret": []byte(clientSecret)}, opts)
	if err != nil {
		e.t.Fatal(err)
	}
	return tg
}

// A 429 to one Target holds back the tenant's other Targets: the second
// sends nothing until the Retry-After has passed, and when that is beyond
// MaxRetryAfter it fails without sending at all.
func TestTenantHold(t *testing.T) {
	for _, tc := range []struct {
		name       string
		retryAfter time.Duration
		waits      []time.Duration // of the second Target
		seenAtWait []int           // GET /groups the sandbox had when it waited
		total      int             // GET /groups at the end
		tooLong    bool
	}{
		{"waits the Retry-After", 30 * time.Second, []time.Duration{30 * time.Second}, []int{1}, 2, false},
		{"an hour fails without sending", time.Hour, nil, nil, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil, nil)
			e.sb.AddFault(graph.Fault{Route: "GET /groups", Status: http.StatusTooManyRequests, RetryAfter: tc.retryAfter, Times: 1})
			first := e.withOptions(Options{MaxAttempts: 1})
			var waits []time.Duration
			var seen []int
			second := e.withOptions(Options{Sleep: func(_ context.Context, d time.Duration) error {
				waits, seen = append(waits, d), append(seen, e.sb.Counts()["GET /groups"])
				return nil
			}})
			if err := first.getJSON(context.Background(), first.get(query{}, "groups"), new(page)); err == nil {
				t.Fatal("the first Target was not throttled")
			}
			err := second.getJSON(context.Background(), second.get(query{}, "groups"), new(page))
			var tl *retry.TooLongError
			if errors.As(err, &tl) != tc.tooLong || (err != nil && !tc.tooLong) {
				t.Errorf("second Target: %v, want a TooLongError: %v", err, tc.tooLong)
			}
			if d := cmp.Diff(tc.waits, waits); d != "" {
				t.Errorf("second Target's waits (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.seenAtWait, seen); d != "" {
				t.Errorf("requests sent when it waited (-want +got):\n%s", d)
			}
			if n := e.sb.Counts()["GET /groups"]; n != tc.total {
				t.Errorf("%d GET /groups, want %d", n, tc.total)
			}
		})
	}
}

// A server that always answers 503 with Retry-After gets at most
// MaxAttempts (6) requests, direct or inside a $batch, and no wait is
// longer than MaxRetryAfter: an hour fails after one request, a wait at
// the cap is waited before each retry.
func TestRetryAfterForever(t *testing.T) {
	for _, tc := range []struct {
		name       string
		batch      bool
		retryAfter time.Duration
		requests   int
		waits      []time.Duration
	}{
		{"direct, an hour", false, time.Hour, 1, nil},
		{"direct, at the cap", false, 2 * time.Minute, 6, repeat(2*time.Minute, 5)},
		{"in a batch, an hour", true, time.Hour, 1, nil},
		{"in a batch, at the cap", true, 2 * time.Minute, 6, repeat(2*time.Minute, 5)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil, nil)
			e.sb.AddFault(graph.Fault{Route: "GET /users", Status: http.StatusServiceUnavailable, RetryAfter: tc.retryAfter})
			var waits []time.Duration
			tg := e.withOptions(Options{Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }})
			ctx := context.Background()
			var err error
			if tc.batch {
				c := &call{ri: tg.get(query{}, "users")}
				if err = tg.run(ctx, []*call{c}); err == nil {
					err = c.err()
				}
			} else {
				err = tg.getJSON(ctx, tg.get(query{}, "users"), new(page))
			}
			var tl *retry.TooLongError
			if err == nil || errors.As(err, &tl) != (tc.waits == nil) {
				t.Errorf("err = %v, want a TooLongError: %v", err, tc.waits == nil)
			}
			if n := e.sb.Counts()["GET /users"]; n != tc.requests {
				t.Errorf("%d GET /users, want %d", n, tc.requests)
			}
			if d := cmp.Diff(tc.waits, waits); d != "" {
				t.Errorf("waits (-want +got):\n%s", d)
			}
		})
	}
}

func repeat(d time.Duration, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}

// fixedToken stands in for Entra ID, so that only Graph requests reach
// the server under test.
type fixedToken struct{}

func (fixedToken) GetToken(context.Context, azpolicy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "t", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// A server that never answers fails the request after Options.Timeout,
// having been sent one request: a transport error is not retried.
func TestHungServerTimesOut(t *testing.T) {
	var silent fault.Silent
	hs := httptest.NewServer(&silent)
	t.Cleanup(hs.Close)
	spec := elevsynkv1.Microsoft365Target{Endpoint: hs.URL, TenantID: tenantID}
	tg, err := FromSpec(context.Background(), spec, nil, Options{Sandbox: true, Credential: fixedToken{}, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	err = tg.getJSON(context.Background(), tg.get(query{}, "groups"), new(page))
	var ne interface{ Timeout() bool }
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if n := silent.Requests(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

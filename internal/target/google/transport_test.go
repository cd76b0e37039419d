package google

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/time/rate"

	"github.com/elevsynk/elevsynk/internal/retry"
	"github.com/elevsynk/elevsynk/internal/target"
)

// fakeClock is a clock whose Sleep moves time on at once.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept time.Duration
	naps  int
}

func newClock() *fakeClock { return &fakeClock{now: time.Date(2026, 9, 14, 6, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.now = c.now.Add(d)
		c.slept += d
		c.naps++
	}
	return nil
}

// scripted answers each request with the next status of its script (and
// 200 after), recording the bodies it saw.
type scripted struct {
	mu       sync.Mutex
	statuses []int
	headers  []http.Header
	bodies   []string
	seen     int
}

func (s *scripted) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		s.bodies = append(s.bodies, string(b))
	}
	code, h := 200, http.Header{}
	if s.seen < len(s.statuses) {
		code = s.statuses[s.seen]
		if s.seen < len(s.headers) && s.headers[s.seen] != nil {
			h = s.headers[s.seen]
		}
	}
	s.seen++
	body := `{}`
	if code == 403 {
		body = `{"error":{"code":403,"message":"x","errors":[{"domain":"usageLimits","reason":"userRateLimitExceeded"}]}}`
	}
	return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

func newTestTransport(base http.RoundTripper, clock *fakeClock, opts Options) (*transport, *target.Counter) {
	opts.Now, opts.Sleep = clock.Now, clock.Sleep
	opts = opts.withDefaults()
	var c target.Counter
	return newTransport(base, opts, newLimits(opts), &c), &c
}

func TestTransportRetries(t *testing.T) {
	for _, tc := range []struct {
		name      string
		statuses  []int
		headers   []http.Header
		want      int // final status
		attempts  int
		throttled int64
		minSleep  time.Duration
	}{
		{"ok", nil, nil, 200, 1, 0, 0},
		{"429 twice", []int{429, 429}, nil, 200, 3, 2, 1500 * time.Millisecond}, // ≥ 0.5 s + 1 s
		{"403 rate limit", []int{403}, nil, 200, 2, 1, 500 * time.Millisecond},
		{"500 retried, not a throttle", []int{500, 503}, nil, 200, 3, 0, 0},
		{"503 Retry-After", []int{503}, []http.Header{{"Retry-After": {"7"}}}, 200, 2, 1, 7 * time.Second},
		{"404 not retried", []int{404}, nil, 404, 1, 0, 0},
		{"409 not retried", []int{409}, nil, 409, 1, 0, 0},
		{"gives up", []int{429, 429, 429, 429, 429}, nil, 429, 4, 4, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newClock()
			base := &scripted{statuses: tc.statuses, headers: tc.headers}
			tr, stats := newTestTransport(base, clock, Options{MaxRetries: 3, ClassroomQPS: rate.Inf})
			req, _ := http.NewRequest(http.MethodPost, "http://sandbox/v1/courses", strings.NewReader(`{"name":"x"}`))
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			st := stats.Load()
			if resp.StatusCode != tc.want || base.seen != tc.attempts || st.Throttled != tc.throttled || st.Requests != int64(tc.attempts) || st.Writes != int64(tc.attempts) {
				t.Errorf("status %d after %d attempts, stats %+v", resp.StatusCode, base.seen, st)
			}
			for _, b := range base.bodies {
				if b != `{"name":"x"}` {
					t.Errorf("replayed body %q", b)
				}
			}
			if clock.slept < tc.minSleep || clock.slept > time.Duration(tc.attempts)*32*time.Second {
				t.Errorf("slept %v, want at least %v", clock.slept, tc.minSleep)
			}
		})
	}
}

func TestRetryPolicyOfOptions(t *testing.T) {
	got := Options{MaxRetries: 3, BaseDelay: time.Second}.withDefaults().retry()
	want := retry.Policy{MaxAttempts: 4, BaseDelay: time.Second, MaxDelay: 32 * time.Second, MaxRetryAfter: 2 * time.Minute}
	if d := cmp.Diff(want, got, cmpopts.IgnoreFields(retry.Policy{}, "Jitter")); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// A server that always answers 503 with Retry-After gets at most
// MaxRetries+1 requests, and the transport never waits past
// MaxRetryAfter: an hour fails at once after one request, a wait at the
// cap is waited each time.
func TestRetryAfterForever(t *testing.T) {
	for _, tc := range []struct {
		name       string
		retryAfter string
		requests   int
		waits      []time.Duration
	}{
		{"an hour fails at once", "3600", 1, nil},
		{"at the cap waits each retry", "120", 4, []time.Duration{2 * time.Minute, 2 * time.Minute, 2 * time.Minute}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var waits []time.Duration
			statuses := make([]int, 10)
			headers := make([]http.Header, 10)
			for i := range statuses {
				statuses[i], headers[i] = http.StatusServiceUnavailable, http.Header{"Retry-After": {tc.retryAfter}}
			}
			base := &scripted{statuses: statuses, headers: headers}
			opts := Options{MaxRetries: 3, ClassroomQPS: rate.Inf, Now: newClock().Now,
				Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}.withDefaults()
			tr := newTransport(base, opts, newLimits(opts), &target.Counter{})
			req, _ := http.NewRequest(http.MethodGet, "http://sandbox/v1/courses", nil)
			resp, err := tr.RoundTrip(req)
			if err == nil {
				resp.Body.Close()
			}
			var tl *retry.TooLongError
			if tooLong := errors.As(err, &tl); tooLong != (tc.waits == nil) {
				t.Errorf("err = %v, want a TooLongError: %v", err, tc.waits == nil)
			}
			if base.seen != tc.requests {
				t.Errorf("%d requests, want %d", base.seen, tc.requests)
			}
			if d := cmp.Diff(tc.waits, waits); d != "" {
				t.Errorf("waits (-want +got):\n%s", d)
			}
		})
	}
}

// The limiter spaces requests on the injected clock: 45 requests at 20
// per second with a burst of 5 take 2 virtual seconds.
func TestRateLimit(t *testing.T) {
	clock := newClock()
	tr, _ := newTestTransport(&scripted{}, clock, Options{ClassroomQPS: 20, DirectoryQPS: rate.Inf, Burst: 5})
	for range 45 {
		req, _ := http.NewRequest(http.MethodGet, "http://sandbox/v1/courses", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if clock.slept < 1900*time.Millisecond || clock.slept > 2100*time.Millisecond {
		t.Errorf("45 Classroom requests took %v of virtual time, want 2 s", clock.slept)
	}
	before := clock.slept
	for range 45 {
		req, _ := http.NewRequest(http.MethodGet, "http://sandbox/admin/directory/v1/groups", nil)
		resp, _ := tr.RoundTrip(req)
		resp.Body.Close()
	}
	if clock.slept != before {
		t.Errorf("unlimited Directory requests slept %v", clock.slept-before)
	}
}

// A batch takes a token a call, more than the bucket holds: 45 calls in
// one request take as long as 45 requests, and count as 45.
func TestRateLimitOfABatch(t *testing.T) {
	clock := newClock()
	tr, stats := newTestTransport(&scripted{}, clock, Options{ClassroomQPS: 20, DirectoryQPS: rate.Inf, Burst: 5})
	req, _ := http.NewRequestWithContext(withCalls(context.Background(), 45), http.MethodPost, "http://sandbox/batch", nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if clock.slept < 1900*time.Millisecond || clock.slept > 2100*time.Millisecond {
		t.Errorf("a batch of 45 calls took %v of virtual time, want 2 s", clock.slept)
	}
	if s := stats.Load(); s.Requests != 45 || s.Writes != 0 {
		t.Errorf("stats %+v, want 45 requests and no writes", s)
	}
}

func TestTransportStopsWithContext(t *testing.T) {
	clock := newClock()
	tr, _ := newTestTransport(&scripted{statuses: []int{429, 429}}, clock, Options{ClassroomQPS: rate.Inf})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://sandbox/v1/courses", nil)
	if _, err := tr.RoundTrip(req); err == nil {
		t.Error("no error after cancel")
	}
}

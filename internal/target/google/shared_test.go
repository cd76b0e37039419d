package google

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/sandbox/fault"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
)

// onDomain makes a Target for domain d on the sandbox at url, with the
// Classroom limit at 20 per second and a burst of 5, on clock.
func onDomain(t *testing.T, url, d string, clock *fakeClock) *Target {
	t.Helper()
	spec := elevsynkv1.GoogleTarget{Endpoint: url, Domain: d, AdminSubject: "admin@" + d,
		Auth: elevsynkv1.GoogleAuth{ServiceAccount: &elevsynkv1.SecretReference{Name: "google"}}}
	tg, err := FromSpec(context.Background(), spec, nil, Options{Sandbox: true, ClassroomQPS: 20, DirectoryQPS: rate.Inf, Burst: 5,
		Now: clock.Now, Sleep: clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// Two Targets on one domain share its quota: taking turns, they get 24
// Classroom requests through in the first second (the burst of 5 and one
// every 50 ms), not 48 as with a limiter each. A Target on another
// domain has its own budget and does not wait.
func TestDomainSharesRateLimit(t *testing.T) {
	clock := newClock()
	start := clock.Now()
	var mu sync.Mutex
	var arrivals []time.Time
	sb := sandbox.New(sandbox.Options{Domain: domain})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, clock.Now())
		mu.Unlock()
		sb.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	a, b := onDomain(t, hs.URL, domain, clock), onDomain(t, hs.URL, domain, clock)
	for range 30 {
		for _, tg := range []*Target{a, b} {
			if _, err := tg.cr.Courses.List().Do(); err != nil {
				t.Fatal(err)
			}
		}
	}
	first := 0
	for _, at := range arrivals {
		if at.Before(start.Add(time.Second)) {
			first++
		}
	}
	if len(arrivals) != 60 || first != 24 {
		t.Errorf("%d requests, %d of them in the first second; want 60 and 24", len(arrivals), first)
	}
	before := clock.Now()
	other := onDomain(t, hs.URL, "other.example.edu", clock)
	for range 5 {
		if _, err := other.cr.Courses.List().Do(); err != nil {
			t.Fatal(err)
		}
	}
	if waited := clock.Now().Sub(before); waited != 0 {
		t.Errorf("a Target on another domain waited %s for its burst", waited)
	}
}

// A server that never answers fails the request after Options.Timeout,
// having been sent one request: a transport error is not retried.
func TestHungServerTimesOut(t *testing.T) {
	var silent fault.Silent
	hs := httptest.NewServer(&silent)
	t.Cleanup(hs.Close)
	spec := elevsynkv1.GoogleTarget{Endpoint: hs.URL, Domain: domain, AdminSubject: "admin@" + domain}
	tg, err := FromSpec(context.Background(), spec, nil, Options{Sandbox: true, ClassroomQPS: rate.Inf, DirectoryQPS: rate.Inf, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = tg.cr.Courses.List().Do()
	var ne interface{ Timeout() bool }
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if n := silent.Requests(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

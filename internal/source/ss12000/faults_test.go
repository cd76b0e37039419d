package ss12000_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/elevsynk/elevsynk/internal/retry"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
	"github.com/elevsynk/elevsynk/internal/source/ss12000"
)

func TestFaults(t *testing.T) {
	// The sleeps the client's fake clock must record; Jitter is fixed at
	// 0.5, so a backoff d waits 0.75d: 375ms, 750ms, 1.5s, 3s.
	backoff := []time.Duration{375 * time.Millisecond, 750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second}
	for _, tc := range []struct {
		name     string
		fault    sandbox.Fault
		sleeps   []time.Duration
		requests int // to /persons
		check    func(t *testing.T, err error)
	}{
		{"429 with Retry-After seconds, then success",
			sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultStatus, Status: 429, RetryAfter: "3", Times: 2},
			[]time.Duration{3 * time.Second, 3 * time.Second}, 4, nil},
		{"503 with Retry-After HTTP-date, then success",
			sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultStatus, Status: 503, RetryAfter: t0.Add(7 * time.Second).Format(http.TimeFormat), Times: 1},
			[]time.Duration{7 * time.Second}, 3, nil},
		{"500 without Retry-After backs off, then success",
			sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultStatus, Status: 500, Times: 2},
			backoff[:2], 4, nil},
		{"502 forever gives up after max attempts",
			sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultStatus, Status: 502},
			backoff, 5, func(t *testing.T, err error) {
				var se *ss12000.StatusError
				if !errors.As(err, &se) || se.StatusCode != 502 || se.Attempts != 5 {
					t.Errorf("err = %v, want a StatusError 502 after 5 attempts", err)
				}
			}},
		{"Retry-After beyond MaxRetryAfter fails at once",
			sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultStatus, Status: 429, RetryAfter: "3600"},
			nil, 1, func(t *testing.T, err error) {
				if !strings.Contains(err.Error(), "wait") {
					t.Errorf("err = %v, want it to say the wait was too long", err)
				}
			}},
		// A server that always answers 503 with an hour's Retry-After gets
		// one request and no wait: never more than MaxAttempts, never a
		// wait over the cap.
		{"503 with Retry-After 3600 forever",
			sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultStatus, Status: 503, RetryAfter: "3600"},
			nil, 1, func(t *testing.T, err error) {
				var tl *retry.TooLongError
				var se *ss12000.StatusError
				if !errors.As(err, &tl) || tl.Wait != time.Hour || tl.Max != 2*time.Minute || !errors.As(err, &se) || se.StatusCode != 503 {
					t.Errorf("err = %v, want a TooLongError of 1h over 2m and the StatusError 503", err)
				}
			}},
		{"503 with Retry-After 120 forever waits the cap MaxAttempts-1 times",
			sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultStatus, Status: 503, RetryAfter: "120"},
			[]time.Duration{2 * time.Minute, 2 * time.Minute, 2 * time.Minute, 2 * time.Minute}, 5, func(t *testing.T, err error) {
				var se *ss12000.StatusError
				if !errors.As(err, &se) || se.Attempts != 5 {
					t.Errorf("err = %v, want a StatusError after 5 attempts", err)
				}
			}},
		{"malformed JSON is not retried and names the endpoint",
			sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultMalformed},
			nil, 1, func(t *testing.T, err error) {
				var de *ss12000.DecodeError
				if !errors.As(err, &de) || de.Endpoint != ss12000.Persons || de.Page != 1 || de.Offset < 0 {
					t.Errorf("err = %#v, want a DecodeError for persons page 1 with an offset", err)
				}
				for _, secret := range []string{"201201012381", "Maj", "givenName"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("error text %q repeats the body (%q)", err, secret)
					}
				}
			}},
		{"a bare array is not the envelope",
			sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultNotEnvelope},
			nil, 1, func(t *testing.T, err error) {
				var de *ss12000.DecodeError
				if !errors.As(err, &de) || de.Endpoint != ss12000.Persons {
					t.Errorf("err = %v, want a DecodeError for persons", err)
				}
			}},
		{"400 is final",
			sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultStatus, Status: 400},
			nil, 1, func(t *testing.T, err error) {
				var se *ss12000.StatusError
				if !errors.As(err, &se) || se.StatusCode != 400 {
					t.Errorf("err = %v, want a StatusError 400", err)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			e.srv.AddFault(tc.fault)
			c := e.client(t, nil)
			got, err := c.FetchFull(context.Background())
			if tc.check == nil {
				if err != nil {
					t.Fatal(err)
				}
				if d := diffState(e.srv.Snapshot(), got); d != "" {
					t.Errorf("(-served +fetched):\n%s", d)
				}
			} else {
				if err == nil {
					t.Fatal("want an error")
				}
				tc.check(t, err)
			}
			if d := cmp.Diff(tc.sleeps, e.clock.Sleeps()); d != "" {
				t.Errorf("sleeps (-want +got):\n%s", d)
			}
			if n := e.srv.Count("persons"); n != tc.requests {
				t.Errorf("%d requests to /persons, want %d", n, tc.requests)
			}
		})
	}
}

func TestSlowPageHonoursContext(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.srv.AddFault(sandbox.Fault{Endpoint: "groups", Kind: sandbox.FaultSlow, Delay: 10 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.client(t, nil).FetchFull(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s; the deadline was not honoured", d)
	}
	if n := e.srv.Count("groups"); n != 1 {
		t.Errorf("%d requests to /groups, want 1 (no retry after cancellation)", n)
	}
}

func TestSlowPageWithinDeadline(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.srv.AddFault(sandbox.Fault{Endpoint: "groups", Kind: sandbox.FaultSlow, Delay: 20 * time.Millisecond, Times: 1})
	got, err := e.client(t, nil).FetchFull(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d := diffState(e.srv.Snapshot(), got); d != "" {
		t.Errorf("(-served +fetched):\n%s", d)
	}
}

// A server that accepts requests and never answers costs one attempt per
// timeout: each attempt ends after Timeout (or TokenTimeout for the token
// endpoint), is retried as a transport error, and the fetch fails after
// MaxAttempts with a timeout, having sent exactly MaxAttempts requests.
func TestHungServerTimesOut(t *testing.T) {
	for _, tc := range []struct {
		name     string
		endpoint string // the one that never answers
		edit     func(*ss12000.Config)
	}{
		{"page", "organisations", func(c *ss12000.Config) { c.Timeout = 50 * time.Millisecond }},
		{"token", "token", func(c *ss12000.Config) { c.TokenTimeout = 50 * time.Millisecond }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			// An hour stands for never: the sandbox gives up when the
			// client does.
			e.srv.AddFault(sandbox.Fault{Endpoint: tc.endpoint, Kind: sandbox.FaultSlow, Delay: time.Hour})
			c := e.client(t, func(c *ss12000.Config) {
				tc.edit(c)
				c.Retry.MaxAttempts = 3
			})
			_, err := c.FetchFull(context.Background())
			var ne interface{ Timeout() bool }
			if !errors.As(err, &ne) || !ne.Timeout() {
				t.Fatalf("err = %v, want a timeout", err)
			}
			if n := e.srv.Count(tc.endpoint); n != 3 {
				t.Errorf("%d requests to %s, want 3 (MaxAttempts)", n, tc.endpoint)
			}
		})
	}
}

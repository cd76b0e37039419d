package ss12000_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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
		{"Retry-After beyond MaxWait fails at once",
			sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultStatus, Status: 429, RetryAfter: "3600"},
			nil, 1, func(t *testing.T, err error) {
				if !strings.Contains(err.Error(), "wait") {
					t.Errorf("err = %v, want it to say the wait was too long", err)
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

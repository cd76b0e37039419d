package msgraph

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/elevsynk/elevsynk/internal/sandbox/graph"
	"github.com/elevsynk/elevsynk/internal/target"
)

// An expired delta link (400 syncStateNotFound after seven days) or one
// the service dropped (410) makes Observe fall back to a full pass.
func TestDeltaFallsBackToFullPass(t *testing.T) {
	st := handState()
	e := newEnv(t, usersFor(st), nil)
	tg := e.adapter(nil)
	converge(t, tg, st, 2)
	tests := []struct {
		name  string
		spoil func()
	}{
		{"expired", func() { e.clock.Add(8 * 24 * time.Hour) }},
		{"gone", func() { e.sb.AddFault(graph.Fault{Route: "GET /groups/delta", Status: http.StatusGone, Times: 1}) }},
	}
	for _, tt := range tests {
		if _, err := tg.Observe(context.Background()); err != nil { // a delta round, to start from a fresh link
			t.Fatal(err)
		}
		tt.spoil()
		e.sb.ResetCounters()
		if _, err := tg.Observe(context.Background()); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if c := e.sb.Counts(); c["GET /groups"] != 1 {
			t.Errorf("%s: no full pass: %v", tt.name, c)
		}
		checkObserved(t, tg, st)
	}
}

// Direct requests are retried on 503 with backoff and on 429 after
// Retry-After, through Options.Sleep, and counted.
func TestRetriesAndCounts(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.sb.AddFault(graph.Fault{Route: "GET /groups", Status: http.StatusServiceUnavailable, Times: 2})
	e.sb.AddFault(graph.Fault{Route: "GET /education/classes", Status: http.StatusTooManyRequests, RetryAfter: 7 * time.Second, Times: 1})
	var slept []time.Duration
	tg, err := FromSpec(context.Background(), e.spec(), map[string][]byte{"clientID": []byte(clientID), "clientSecret": []byte(clientSecret)},
		Options{HTTPClient: e.srv.Client(), Backoff: time.Second, FullEvery: 1, Jitter: func() float64 { return 1 },
			Now: e.clock.Now, Sleep: func(ctx context.Context, d time.Duration) error {
				slept = append(slept, d)
				return e.clock.Sleep(ctx, d)
			}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tg.Observe(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{7 * time.Second, time.Second, 2 * time.Second}
	if len(slept) != len(want) || slept[0] != want[0] || slept[1] != want[1] || slept[2] != want[2] {
		t.Errorf("slept %v, want %v", slept, want)
	}
	// Full pass without delta: classes (2 tries) and groups (3 tries).
	if s := tg.Stats(); s.Requests != 5 || s.Throttled != 1 || s.Writes != 0 {
		t.Errorf("stats %+v, want 5 requests, 1 throttled, 0 writes", s)
	}
}

// A quiet delta round reports the rooms of the last Observe again, and
// what an Observe handed out stays as it was: a change by hand after it
// is reported in new lists, so a caller may keep the old ones to compare.
func TestObservedRoomsStay(t *testing.T) {
	st := handState()
	e := newEnv(t, usersFor(st), nil)
	tg := e.adapter(nil)
	converge(t, tg, st, 2)
	first, err := tg.Observe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kept := target.CloneRooms(first)
	checkObserved(t, tg, st)

	if err := e.sb.AddMember(groupByName(t, e.sb, "SG NO Elever").ID, "u-t01-at-skola.example"); err != nil {
		t.Fatal(err)
	}
	have, err := tg.Observe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(have, func(r target.Room) bool { return r.Name == "SG NO Elever" })
	if i < 0 {
		t.Fatal("the security group is not observed")
	}
	if n := len(have[i].Members); n != 31 {
		t.Errorf("added by hand: %d members observed, want 31", n)
	}
	if d := cmp.Diff(kept, first); d != "" {
		t.Errorf("the first Observe's rooms changed (-then +now):\n%s", d)
	}
}

package graph

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// The write quota is a sliding window on the sandbox's clock: writes over
// it are answered 429 with the wait until the window has room, reads are
// not limited, a refused write does not count, and a $batch's inner
// writes count one by one.
func TestWriteQuota(t *testing.T) {
	c := newClock()
	f := newFixture(t, Options{Now: c.Now, WriteQuota: Quota{Limit: 3, Window: 10 * time.Second}})
	write := func() (int, string) {
		st, h, _ := f.do(http.MethodDelete, "/groups/nope", nil)
		return st, h.Get("Retry-After")
	}
	for i := range 3 {
		if st, _ := write(); st != http.StatusNotFound {
			t.Fatalf("write %d: HTTP %d, want 404 (served)", i, st)
		}
		c.Add(2 * time.Second)
	}
	// The first write was at 0 s; it is now 6 s.
	if st, ra := write(); st != http.StatusTooManyRequests || ra != "4" {
		t.Fatalf("fourth write: HTTP %d Retry-After %q, want 429 and 4", st, ra)
	}
	if st, _, _ := f.do(http.MethodGet, "/groups", nil); st != http.StatusOK {
		t.Errorf("a read over the write quota: HTTP %d, want 200", st)
	}
	c.Add(4 * time.Second)
	if st, _ := write(); st != http.StatusNotFound {
		t.Fatalf("a write once the oldest left the window: HTTP %d, want 404", st)
	}
	if st, ra := write(); st != http.StatusTooManyRequests || ra != "2" {
		t.Fatalf("then: HTTP %d Retry-After %q, want 429 and 2 (the write at 2 s leaves at 12 s)", st, ra)
	}

	c.Add(time.Minute)
	reqs := make([]map[string]any, 4)
	for i := range reqs {
		reqs[i] = map[string]any{"id": fmt.Sprint(i + 1), "method": "DELETE", "url": "/groups/nope"}
	}
	_, _, body := f.do(http.MethodPost, "/$batch", map[string]any{"requests": reqs})
	statuses := map[float64]int{}
	for _, r := range body["responses"].([]any) {
		statuses[r.(map[string]any)["status"].(float64)]++
	}
	if statuses[http.StatusNotFound] != 3 || statuses[http.StatusTooManyRequests] != 1 {
		t.Errorf("a $batch of 4 writes with room for 3: statuses %v, want three served and one 429", statuses)
	}
}

// A route quota holds its route only, and a request it refuses counts
// against neither it nor the write quota; one the write quota refuses
// does not count against the route's.
func TestRouteQuota(t *testing.T) {
	c := newClock()
	f := newFixture(t, Options{Now: c.Now, WriteQuota: Quota{Limit: 3, Window: time.Minute},
		RouteQuotas: map[string]Quota{"POST /teams": {Limit: 1, Window: time.Second}}})
	team := func() (int, string) {
		st, h, _ := f.do(http.MethodPost, "/teams", map[string]any{})
		return st, h.Get("Retry-After")
	}
	if st, _ := team(); st == http.StatusTooManyRequests {
		t.Fatalf("first team create: HTTP %d", st)
	}
	if st, ra := team(); st != http.StatusTooManyRequests || ra != "1" {
		t.Fatalf("second team create in the same second: HTTP %d Retry-After %q, want 429 and 1", st, ra)
	}
	if st, _, _ := f.do(http.MethodDelete, "/groups/nope", nil); st != http.StatusNotFound {
		t.Errorf("another write beside the held route: HTTP %d, want 404 (served)", st)
	}
	c.Add(time.Second)
	if st, _ := team(); st == http.StatusTooManyRequests {
		t.Errorf("a team create a second later: HTTP %d", st)
	}
	// Three writes served (two team creates, one delete): the write quota
	// is full, so the next team create is refused by it and its second
	// stays free.
	c.Add(time.Second)
	if st, ra := team(); st != http.StatusTooManyRequests || ra != "58" {
		t.Errorf("a team create over the write quota: HTTP %d Retry-After %q, want 429 and 58", st, ra)
	}
	c.Add(58 * time.Second)
	if st, _ := team(); st == http.StatusTooManyRequests {
		t.Errorf("a team create once the write quota has room: HTTP %d", st)
	}
}

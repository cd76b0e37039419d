package ss12000_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
	"github.com/elevsynk/elevsynk/internal/source/ss12000"
)

// The fixture has 4 persons.
func TestPaging(t *testing.T) {
	for _, tc := range []struct {
		name     string
		pageSize int
		fault    *sandbox.Fault
		requests int   // to /persons
		wantErr  error // nil: the fetch must equal the served data
	}{
		{"page size 1", 1, nil, 4, nil},
		{"last page full, null token", 2, nil, 2, nil},
		{"single page", 4, nil, 1, nil},
		{"empty first page with a token", 2, &sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultEmptyPage, Times: 1}, 3, nil},
		{"empty middle page with a token", 1, &sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultEmptyPage, Skip: 2, Times: 2}, 6, nil},
		{"looping token", 1, &sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultLoopToken}, 2, ss12000.ErrPageTokenLoop},
		{"empty pages forever", 1, &sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultEmptyPage}, 4, ss12000.ErrTooManyEmptyPages},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			if tc.fault != nil {
				e.srv.AddFault(*tc.fault)
			}
			c := e.client(t, func(c *ss12000.Config) { c.PageSize = tc.pageSize; c.MaxEmptyPages = 3 })
			got, err := c.FetchFull(context.Background())
			if n := e.srv.Count("persons"); n != tc.requests {
				t.Errorf("%d requests to /persons, want %d", n, tc.requests)
			}
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := diffState(e.srv.Snapshot(), got); d != "" {
				t.Errorf("(-served +fetched):\n%s", d)
			}
		})
	}
}

// TestFollowUpPagesCarryOnlyTokenAndLimit: the sandbox answers 400 to a
// pageToken with filters, as the spec says, so this would also fail the
// fetch; the query log shows why.
func TestFollowUpPagesCarryOnlyTokenAndLimit(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	c := e.client(t, func(c *ss12000.Config) { c.PageSize = 1 })
	prev, err := c.FetchFull(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.srv.ResetCounters()
	e.sclk.Advance(1)
	for _, id := range []string{class7A, class7B} {
		if err := e.srv.RenameGroup(id, "x"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.FetchChanges(context.Background(), prev, t0); err != nil {
		t.Fatal(err)
	}
	q := e.srv.Queries("groups")
	if len(q) != 2 {
		t.Fatalf("%d requests to /groups, want 2", len(q))
	}
	if q[0].Get("meta.modified.after") == "" || q[0].Has("pageToken") {
		t.Errorf("first page query %v, want the filter and no token", q[0])
	}
	var keys []string
	for k := range q[1] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !cmp.Equal(keys, []string{"limit", "pageToken"}) {
		t.Errorf("follow-up query keys %v, want only limit and pageToken", keys)
	}
}

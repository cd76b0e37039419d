package ss12000_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/elevsynk/elevsynk/internal/roster"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
	"github.com/elevsynk/elevsynk/internal/source/ss12000"
)

func TestFetchFullEqualsServed(t *testing.T) {
	for _, tc := range []struct {
		name     string
		basePath string
		pageSize int
	}{
		{"IST base path, page size 1", "/v2.0", 1},
		{"Edlevo base path, page size 2", "/api/v1", 2},
		{"one page per listing", "/v2.0", 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{BasePath: tc.basePath})
			c := e.client(t, func(c *ss12000.Config) { c.PageSize = tc.pageSize })
			got, err := c.FetchFull(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if d := diffState(e.srv.Snapshot(), got); d != "" {
				t.Errorf("fetched register differs from served (-served +fetched):\n%s", d)
			}
			if !got.Info.Full || got.Info.Duplicates != 0 {
				t.Errorf("Info = %+v, want a clean full fetch", got.Info)
			}
		})
	}
}

// TestRoundTrip: roster → sandbox → client → Normalize gives the roster back.
func TestRoundTrip(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	st, err := e.client(t, nil).FetchFull(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	snap, err := ss12000.Normalize(st)
	if err != nil {
		t.Fatal(err)
	}
	// CivicNo is unexported from JSON but compared here by value.
	if d := cmp.Diff(fixture(), snap); d != "" {
		t.Errorf("round trip differs (-want +got):\n%s", d)
	}
	if got := snap.Persons[0].CivicNo.Reveal(); got != "201201012381" {
		t.Errorf("civic number not carried into the roster")
	}
}

// TestIncrementalEqualsFull applies the register edits the operator must
// follow and checks that an incremental fetch onto the previous state
// gives what a fresh full fetch gives.
func TestIncrementalEqualsFull(t *testing.T) {
	newPupil := ss12000.Person{ID: "00000000-0000-0000-0000-00000000b009", GivenName: "Eva", FamilyName: "Ek", SecurityMarking: "Ingen"}
	for _, tc := range []struct {
		name     string
		mutate   func(*sandbox.Server) error
		upserted int
		deleted  int
		// readAgain asks for changes since before the first fetch, as the
		// since margin does for the last minutes: what comes again as it
		// was is no change.
		readAgain bool
	}{
		{"move pupil to another class", func(s *sandbox.Server) error {
			return s.MovePupil(pupilBo, class7A, class7B, time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
		}, 2, 0, false},
		{"end a group", func(s *sandbox.Server) error {
			return s.EndGroup(class7B, time.Date(2025, 12, 19, 0, 0, 0, 0, time.UTC))
		}, 1, 0, false},
		// The teacher's duty goes with the person, and the activity loses
		// its teacher; 7A loses nothing (Dan is no member).
		{"delete a person", func(s *sandbox.Server) error { return s.DeletePerson(teacherDan) }, 1, 2, false},
		{"delete a pupil", func(s *sandbox.Server) error { return s.DeletePerson(pupilAnna) }, 1, 1, false},
		{"add a person", func(s *sandbox.Server) error { return s.AddPerson(newPupil) }, 1, 0, false},
		{"rename a group", func(s *sandbox.Server) error { return s.RenameGroup(class7A, "7A Sjöhästarna") }, 1, 0, false},
		{"delete a group", func(s *sandbox.Server) error { return s.DeleteGroup(class7B) }, 0, 1, false},
		// 7A carries a mentor role and an activity: both lose it.
		{"delete a group with roles", func(s *sandbox.Server) error { return s.DeleteGroup(class7A) }, 2, 1, false},
		{"nothing changed", func(*sandbox.Server) error { return nil }, 0, 0, false},
		{"everything read again", func(*sandbox.Server) error { return nil }, 11, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			c := e.client(t, nil)
			ctx := context.Background()
			prev, err := c.FetchFull(ctx)
			if err != nil {
				t.Fatal(err)
			}
			since := e.sclk.Now()
			if tc.readAgain {
				since = since.Add(-time.Hour)
			}
			e.sclk.Advance(time.Minute)
			if err := tc.mutate(e.srv); err != nil {
				t.Fatal(err)
			}
			before := e.srv.Snapshot()
			got, err := c.FetchChanges(ctx, prev, since)
			if err != nil {
				t.Fatal(err)
			}
			full, err := c.FetchFull(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffState(full, got); d != "" {
				t.Errorf("incremental differs from full (-full +incremental):\n%s", d)
			}
			if d := diffState(before, got); d != "" {
				t.Errorf("incremental differs from served (-served +incremental):\n%s", d)
			}
			// Every entity the edits send again has changed.
			changed := tc.upserted + tc.deleted
			if tc.readAgain {
				changed = 0
			}
			if got.Info.Full || got.Info.Upserted != tc.upserted || got.Info.Deleted != tc.deleted || got.Info.Changed != changed {
				t.Errorf("Info = %+v, want incremental with %d upserted, %d deleted, %d changed", got.Info, tc.upserted, tc.deleted, changed)
			}
			if prev.Len() != 11 {
				t.Errorf("FetchChanges modified prev: %d entities, want 11", prev.Len())
			}
		})
	}
}

// TestIncrementalQueries checks what goes on the wire: the filters on the
// first page of each listing, and deletedEntities with the spec's entity
// names.
func TestIncrementalQueries(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	c := e.client(t, func(c *ss12000.Config) { c.IncrementalCreated = true })
	prev, err := c.FetchFull(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.srv.ResetCounters()
	since := time.Date(2025, 9, 1, 6, 0, 0, 0, time.UTC)
	if _, err := c.FetchChanges(context.Background(), prev, since); err != nil {
		t.Fatal(err)
	}
	q := e.srv.Queries("persons")
	if len(q) != 2 || q[0].Get("meta.modified.after") != "2025-09-01T06:00:00Z" || q[1].Get("meta.created.after") != "2025-09-01T06:00:00Z" {
		t.Errorf("persons queries = %v, want one modified.after and one created.after", q)
	}
	d := e.srv.Queries("deletedEntities")
	want := []string{"Organisation", "Person", "Group", "Duty", "Syllabus", "Activity"}
	if len(d) != 1 || d[0].Get("after") != "2025-09-01T06:00:00Z" || !cmp.Equal(d[0]["entities"], want) {
		t.Errorf("deletedEntities queries = %v", d)
	}
}

func TestIncrementalFallsBackWithoutDeletedEntities(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.srv.AddFault(sandbox.Fault{Endpoint: "deletedEntities", Kind: sandbox.FaultStatus, Status: 501})
	c := e.client(t, nil)
	ctx := context.Background()
	prev, err := c.FetchFull(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.srv.DeletePerson(pupilCeline); err != nil {
		t.Fatal(err)
	}
	got, err := c.FetchChanges(ctx, prev, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Info.Full || got.Info.FallbackReason == "" {
		t.Errorf("Info = %+v, want a full fallback", got.Info)
	}
	if _, ok := got.Persons[pupilCeline]; ok {
		t.Error("deleted pupil still present after fallback")
	}
	if want := []ss12000.Endpoint{ss12000.DeletedEntities}; !cmp.Equal(got.Unsupported, want) {
		t.Errorf("Unsupported = %v, want %v", got.Unsupported, want)
	}
	// Known unsupported: the next poll goes straight to a full fetch.
	e.srv.ResetCounters()
	if _, err := c.FetchChanges(ctx, got, t0); err != nil {
		t.Fatal(err)
	}
	if n := e.srv.Count("deletedEntities"); n != 0 {
		t.Errorf("asked deletedEntities %d times after learning it is unsupported", n)
	}
}

func TestOptionalEndpoints(t *testing.T) {
	for _, tc := range []struct {
		endpoint string
		status   int
		wantErr  bool
	}{
		{"syllabuses", 404, false},
		{"activities", 501, false},
		{"persons", 404, true},
	} {
		t.Run(tc.endpoint, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			e.srv.AddFault(sandbox.Fault{Endpoint: tc.endpoint, Kind: sandbox.FaultStatus, Status: tc.status})
			st, err := e.client(t, nil).FetchFull(context.Background())
			if tc.wantErr {
				if err == nil {
					t.Fatal("want an error for a required endpoint")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := []ss12000.Endpoint{ss12000.Endpoint(tc.endpoint)}; !cmp.Equal(st.Unsupported, want) {
				t.Errorf("Unsupported = %v, want %v", st.Unsupported, want)
			}
			if _, err := ss12000.Normalize(st); err != nil {
				t.Errorf("Normalize of a partial register: %v", err)
			}
		})
	}
}

func TestEmptyRegister(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.srv.Clear()
	st, err := e.client(t, nil).FetchFull(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	snap, err := ss12000.Normalize(st)
	if err != nil {
		t.Fatal(err)
	}
	// The source returns it; refusing to act on it is the caller's guard.
	if st.Len() != 0 || len(snap.Persons) != 0 {
		t.Errorf("got %d entities from an empty register", st.Len())
	}
	_ = roster.Snapshot{}
}

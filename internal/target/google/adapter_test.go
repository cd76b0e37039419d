package google

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
	"github.com/elevsynk/elevsynk/internal/target"
)

const (
	course = elevsynkv1.RoomCourse
	gg     = elevsynkv1.RoomGoogleGroup
	mg     = elevsynkv1.RoomMailGroup
)

func TestCourseAndGroupLifecycle(t *testing.T) {
	for _, keep := range []bool{true, false} {
		t.Run(map[bool]string{true: "old address kept", false: "old address dropped"}[keep], func(t *testing.T) {
			st := desired.State{Rooms: []desired.Room{
				room(course, "kurs:activity:1", "MA 7A", []string{"T1@example.edu", "t2@example.edu"}, []string{"s1@example.edu", "s2@example.edu"}),
				room(gg, "klass:group:1", "Klass 7A", []string{"t1@example.edu"}, []string{"s1@example.edu", "s2@example.edu"}),
				room(mg, "personal:school:1", "Personal Norra", []string{"r@example.edu"}, []string{"t1@example.edu", "t2@example.edu"}),
			}}
			e := newEnv(t, sandbox.Options{KeepOldGroupEmail: keep, PageSize: 1}, st, "s3@example.edu")
			tg := e.adapter(t, Options{})
			p, res := pass(t, tg, st)
			if len(res.Failures) > 0 || res.Applied != len(p.Actions) {
				t.Fatalf("first apply: %+v of %d actions", res, len(p.Actions))
			}
			observedEquals(t, tg, expected(st))
			cv := e.s.Courses()
			if len(cv) != 1 || cv[0].State != "ACTIVE" || cv[0].OwnerEmail != "t1@example.edu" || cv[0].Aliases[0] != def.courseAlias("kurs:activity:1") {
				t.Errorf("course %+v", cv)
			}
			for _, g := range e.s.Groups() {
				if strings.HasPrefix(g.Email, "elevsynk") || len(g.Aliases) != 1 || !strings.HasPrefix(g.Aliases[0], "elevsynk.") {
					t.Errorf("group addresses: %s, aliases %v", g.Email, g.Aliases)
				}
			}

			// Second pass: nothing to do, nothing written.
			e.s.ResetCounters()
			before := tg.Stats()
			p, res = pass(t, tg, st)
			if !p.Empty() || res.Applied != 0 || sandbox.Sum(e.s.Writes()) != 0 || tg.Stats().Writes != before.Writes {
				t.Errorf("second pass: %d actions, %d sandbox writes", len(p.Actions), sandbox.Sum(e.s.Writes()))
			}

			// Changes: rename, new description, people moved between roles.
			st2 := desired.State{Rooms: []desired.Room{
				room(course, "kurs:activity:1", "MA 7A (ht)", []string{"t2@example.edu", "s1@example.edu"}, []string{"t1@example.edu", "s3@example.edu"}),
				room(gg, "klass:group:1", "Klass 7A", []string{"s1@example.edu"}, []string{"t1@example.edu"}),
				room(mg, "personal:school:1", "Personal Norra", []string{"r@example.edu"}, []string{"t1@example.edu", "t2@example.edu"}),
			}}
			st2.Rooms[2].Description = ""
			p, res = pass(t, tg, st2)
			if len(res.Failures) > 0 || res.Applied != len(p.Actions) {
				t.Fatalf("changes: %+v of %d actions", res, len(p.Actions))
			}
			observedEquals(t, tg, expected(st2))
			if o := e.s.Courses()[0].OwnerEmail; o != "t2@example.edu" {
				t.Errorf("owner after t1 left the teachers: %s", o)
			}

			// Orphans: the course archived then deleted, the groups deleted.
			tg2 := e.adapter(t, Options{}) // a restart: nothing cached
			have, err := tg2.Observe(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			res = tg2.Apply(context.Background(), []target.Action{
				{Op: target.OpArchive, Kind: course, Key: "kurs:activity:1"},
				{Op: target.OpDelete, Kind: gg, Key: "klass:group:1"},
				{Op: target.OpArchive, Kind: mg, Key: "personal:school:1"},
			})
			if len(have) != 3 || res.Applied != 2 || len(res.Failures) != 1 || res.Failures[0].Key != "personal:school:1" ||
				!strings.Contains(res.Failures[0].Message, "cannot be archived") {
				t.Errorf("archive: %+v", res)
			}
			if cv := e.s.Courses(); cv[0].State != "ARCHIVED" {
				t.Errorf("course state %s", cv[0].State)
			}
			res = tg2.Apply(context.Background(), []target.Action{
				{Op: target.OpDelete, Kind: course, Key: "kurs:activity:1"},
				{Op: target.OpDelete, Kind: mg, Key: "personal:school:1"},
				{Op: target.OpDelete, Kind: gg, Key: "klass:group:1"}, // gone already
			})
			if res.Applied != 3 || len(e.s.Courses()) != 0 || len(e.s.Groups()) != 0 {
				t.Errorf("delete: %+v, %d courses, %d groups left", res, len(e.s.Courses()), len(e.s.Groups()))
			}
			observedEquals(t, tg2, nil)
		})
	}
}

// A teacher's rename and a student added by hand show as such.
func TestDriftObserved(t *testing.T) {
	st := desired.State{Rooms: []desired.Room{
		room(course, "kurs:activity:1", "MA 7A", []string{"t1@example.edu"}, []string{"s1@example.edu"}),
		room(course, "kurs:activity:2", "SV 7A", []string{"t1@example.edu"}, []string{"s1@example.edu"}),
	}}
	e := newEnv(t, sandbox.Options{}, st, "s9@example.edu")
	tg := e.adapter(t, Options{})
	if _, res := pass(t, tg, st); len(res.Failures) > 0 {
		t.Fatal(res)
	}
	alias := def.courseAlias("kurs:activity:1")
	if err := e.s.RenameCourse(alias, "Matte!"); err != nil {
		t.Fatal(err)
	}
	if err := e.s.AddStudent(alias, "S9@example.edu"); err != nil {
		t.Fatal(err)
	}
	want := expected(st)
	want[0].Name = "Matte!"
	want[0].Members = []string{"s1@example.edu", "s9@example.edu"}
	observedEquals(t, tg, want)

	p, res := pass(t, tg, st)
	var ops []target.Op
	for _, a := range p.Actions {
		ops = append(ops, a.Op)
	}
	if len(res.Failures) > 0 || len(ops) != 2 || ops[0] != target.OpRename || ops[1] != target.OpRemoveMembers {
		t.Errorf("correction: ops %v, %+v", ops, res)
	}
	observedEquals(t, tg, expected(st))
}

func TestUnresolvedAndUnsupported(t *testing.T) {
	st := desired.State{Rooms: []desired.Room{
		room(course, "kurs:activity:1", "MA", []string{"gone@example.edu", "t1@example.edu"}, []string{"s1@example.edu", "nobody@example.edu"}),
		room(gg, "klass:group:1", "Klass", []string{"t1@example.edu"}, []string{"nobody@example.edu", "s1@example.edu"}),
		room(elevsynkv1.RoomSecurityGroup, "sg:school:1", "SG", nil, []string{"s1@example.edu"}),
	}}
	e := newEnv(t, sandbox.Options{}, desired.State{}, "t1@example.edu", "s1@example.edu")
	tg := e.adapter(t, Options{})
	_, res := pass(t, tg, st)
	// gone@ cannot own the course (t1 does instead) and nobody@ is left
	// out twice: three unresolved; the security group fails.
	if res.Unresolved != 3 || len(res.Failures) != 1 || res.Failures[0].Kind != elevsynkv1.RoomSecurityGroup ||
		!strings.Contains(res.Failures[0].Message, "Cloud Identity") {
		t.Errorf("result %+v", res)
	}
	noPeople(t, res.Failures)
	cv := e.s.Courses()
	if len(cv) != 1 || cv[0].OwnerEmail != "t1@example.edu" {
		t.Errorf("courses %+v", cv)
	}
	// Actions on a room that does not exist fail; they are not unresolved.
	res = tg.Apply(context.Background(), []target.Action{
		{Op: target.OpAddMembers, Kind: course, Key: "kurs:activity:404", People: []string{"s1@example.edu"}},
		{Op: target.OpAddMembers, Kind: gg, Key: "klass:group:404", People: []string{"s1@example.edu"}},
		{Op: target.OpRename, Kind: course, Key: "kurs:activity:404", Name: "x"},
	})
	if len(res.Failures) != 2 || res.Skipped != 1 || res.Unresolved != 0 {
		t.Errorf("missing rooms: %+v", res)
	}
	noPeople(t, res.Failures)
}

// Each API's rooms have workers of their own: with one worker, a group is
// created while a course's create is still waiting for its answer. Were
// the rooms on one queue, the course's create would wait for a group that
// is never sent, and fail after the deadlock guard.
func TestAPIsDoNotQueueBehindEachOther(t *testing.T) {
	st := desired.State{Rooms: []desired.Room{
		room(course, "kurs:activity:1", "MA 7A", []string{"t1@example.edu"}, []string{"s1@example.edu"}),
		room(gg, "klass:group:1", "Klass 7A", []string{"t1@example.edu"}, []string{"s1@example.edu"}),
	}}
	e := newEnv(t, sandbox.Options{}, st)
	groupSeen := make(chan struct{})
	var once sync.Once
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/admin/directory/v1/groups"):
			once.Do(func() { close(groupSeen) })
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/v1/courses"):
			select {
			case <-groupSeen:
			case <-time.After(10 * time.Second): // the deadlock guard
				http.Error(w, "no group was created while this course waited", http.StatusConflict)
				return
			}
		}
		e.s.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	e.url = hs.URL
	tg := e.adapter(t, Options{Workers: 1})
	p, res := pass(t, tg, st)
	if len(res.Failures) > 0 || res.Applied != len(p.Actions) {
		t.Fatalf("apply: %+v of %d actions", res, len(p.Actions))
	}
	observedEquals(t, tg, expected(st))
}

// The Target keeps its connections: with Workers requests in flight (and
// as many again on the other API in Apply), the default transport's two
// idle connections per host would redial, a TLS handshake each with
// Google, for every request past them.
func TestConnectionsAreKept(t *testing.T) {
	var st desired.State
	for i := range 12 {
		st.Rooms = append(st.Rooms, room(course, fmt.Sprintf("kurs:activity:%d", i), fmt.Sprintf("MA %d", i), []string{"t1@example.edu"}, []string{"s1@example.edu"}),
			room(gg, fmt.Sprintf("klass:group:%d", i), fmt.Sprintf("Klass %d", i), []string{"t1@example.edu"}, []string{"s1@example.edu"}))
	}
	e := newEnv(t, sandbox.Options{}, st)
	var dials atomic.Int64
	hs := httptest.NewUnstartedServer(e.s)
	hs.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	hs.Start()
	t.Cleanup(hs.Close)
	e.url = hs.URL
	const workers = 4
	tg := e.adapter(t, Options{Workers: workers})
	for range 3 {
		pass(t, tg, st)
	}
	// 2 × workers are kept; a request may dial while another returns its
	// connection, so allow as many again. The default transport took 49.
	if n := dials.Load(); n > 4*workers {
		t.Errorf("%d connections for 3 passes with %d workers, want at most %d", n, workers, 4*workers)
	}
}

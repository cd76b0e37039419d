package google

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/mapping"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
	"github.com/elevsynk/elevsynk/internal/target"
)

// school is the desired state of a generated school (rostergen, 300
// pupils, no data faults) under rules like config/samples/mapping.yaml
// with Google kinds: a course per teaching activity, a Google group per
// class, a mail group of the staff per school. Rooms outside Caps are
// dropped, as the controller reports them as findings instead.
func school(t *testing.T) desired.State {
	t.Helper()
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 1, Pupils: 300, Domain: domain, Faults: &rostergen.Faults{}})
	spec := elevsynkv1.MappingSpec{
		SourceRefs: []elevsynkv1.LocalReference{{Name: "register"}},
		Rules: []elevsynkv1.Rule{
			{Name: "kurs", From: elevsynkv1.RegisterActivity,
				Room:    elevsynkv1.RoomTemplate{Kind: course, Name: "{{ .School.Abbreviation }} {{ .Activity.DisplayName }} {{ schoolYear }}"},
				Owners:  []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleTeachers}},
				Members: []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleStudents}}},
			{Name: "klass", From: elevsynkv1.RegisterGroup, Filter: `group.type == "Klass"`,
				Room:    elevsynkv1.RoomTemplate{Kind: gg, Name: "{{ .School.Abbreviation }} Klass {{ .Group.DisplayName }}"},
				Owners:  []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleMentors}},
				Members: []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleStudents}}},
			{Name: "personal", From: elevsynkv1.RegisterSchool,
				Room:    elevsynkv1.RoomTemplate{Kind: mg, Name: "{{ .School.Abbreviation }} Personal"},
				Owners:  []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RolePrincipals}},
				Members: []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleStaff}}},
		},
	}
	p, err := mapping.Compile(spec, mapping.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, _, err := p.Evaluate(snap, nil, day)
	if err != nil {
		t.Fatal(err)
	}
	var kept desired.State
	for _, r := range st.Rooms {
		if def.Caps(r) == nil {
			kept.Rooms = append(kept.Rooms, r)
		}
	}
	if len(kept.Rooms) < len(st.Rooms)*9/10 {
		t.Fatalf("Caps refused %d of %d rooms", len(st.Rooms)-len(kept.Rooms), len(st.Rooms))
	}
	return kept
}

func counts(st desired.State) map[elevsynkv1.RoomKind]int {
	n := map[elevsynkv1.RoomKind]int{}
	for _, r := range st.Rooms {
		n[r.Kind]++
	}
	return n
}

// From nothing, a generated school is provisioned; what is observed is
// what was desired; a second pass writes nothing.
func TestProvisionGeneratedSchool(t *testing.T) {
	st := school(t)
	e := newEnv(t, sandbox.Options{KeepOldGroupEmail: true}, st)
	tg := e.adapter(t, Options{ClassroomQPS: 20, DirectoryQPS: 40})
	start := e.clock.Now()
	p, res := pass(t, tg, st)
	if len(res.Failures) > 0 || res.Applied != len(p.Actions) || res.Unresolved != 0 {
		t.Fatalf("apply: %+v of %d actions", res, len(p.Actions))
	}
	stats := tg.Stats()
	n := counts(st)
	t.Logf("%d courses, %d Google groups, %d mail groups, %d memberships: %d actions, %d requests (%d writes), %.1f requests per room, %v at the default rate limits",
		n[course], n[gg], n[mg], st.Memberships(), len(p.Actions), stats.Requests, stats.Writes,
		float64(stats.Requests)/float64(len(st.Rooms)), e.clock.Now().Sub(start).Round(time.Second))
	observedEquals(t, tg, expected(st))
	if got := len(e.s.Courses()); got != n[course] {
		t.Errorf("%d courses in the sandbox, want %d", got, n[course])
	}
	if got := len(e.s.Groups()); got != n[gg]+n[mg] {
		t.Errorf("%d groups in the sandbox, want %d", got, n[gg]+n[mg])
	}

	e.s.ResetCounters()
	before := tg.Stats()
	p, res = pass(t, tg, st)
	after := tg.Stats()
	if !p.Empty() || res.Applied != 0 || sandbox.Sum(e.s.Writes()) != 0 || after.Writes != before.Writes {
		t.Errorf("second pass: %d actions, %d writes", len(p.Actions), sandbox.Sum(e.s.Writes()))
	}
	// The second observe reads no course aliases: they are cached.
	if a := e.s.Counts()["courses.aliases.list"]; a != 0 {
		t.Errorf("second observe read aliases of %d courses", a)
	}
	t.Logf("second pass: %d requests, 0 writes", after.Requests-before.Requests)
}

// cutClient loses the response of request n and cancels cancel, as a
// crash right after the server acted would.
type cutClient struct {
	n      int64
	seen   atomic.Int64
	dead   atomic.Bool
	cancel context.CancelFunc
}

// RoundTrip models a process that dies at request n: that reply is lost,
// nothing is sent after it, and requests already sent are carried out by
// the server (they are not aborted halfway, and none reaches the server
// after the restart, as none could from a dead process).
func (c *cutClient) RoundTrip(r *http.Request) (*http.Response, error) {
	if c.dead.Load() {
		return nil, context.Canceled
	}
	resp, err := http.DefaultTransport.RoundTrip(r.WithContext(context.WithoutCancel(r.Context())))
	if c.seen.Add(1) == c.n {
		c.dead.Store(true)
		if err == nil {
			resp.Body.Close()
		}
		c.cancel()
		return nil, context.Canceled
	}
	return resp, err
}

// An apply cut off at a random request, then redone by a fresh adapter
// (a restart: nothing cached), leaves no duplicate room and ends at the
// desired state.
func TestCutOffAndRedone(t *testing.T) {
	full := school(t)
	// A slice of the school keeps forty runs quick.
	var st desired.State
	seen := map[elevsynkv1.RoomKind]int{}
	for _, r := range full.Rooms {
		if seen[r.Kind] < 4 {
			seen[r.Kind]++
			st.Rooms = append(st.Rooms, r)
		}
	}
	ref := newEnv(t, sandbox.Options{}, st)
	pass(t, ref.adapter(t, Options{Workers: 1}), st)
	total := ref.s.Counts()
	requests := int64(sandbox.Sum(total))
	for seed := range uint64(40) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 1))
			e := newEnv(t, sandbox.Options{KeepOldGroupEmail: seed%2 == 0}, st)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cut := &cutClient{n: 1 + rng.Int64N(requests), cancel: cancel}
			tg := e.adapter(t, Options{HTTPClient: &http.Client{Transport: cut}, Workers: 1 + int(seed%3)})
			if have, err := tg.Observe(ctx); err == nil {
				res := tg.Apply(ctx, plan.Compute(st, have, elevsynkv1.Policy{}, day).Actions)
				noPeople(t, res.Failures)
			}
			tg = e.adapter(t, Options{})
			for i := 0; ; i++ {
				p, res := pass(t, tg, st)
				if p.Empty() {
					break
				}
				if len(res.Failures) > 0 || i == 2 {
					t.Fatalf("redo %d after a cut at request %d: %+v", i, cut.n, res)
				}
			}
			observedEquals(t, tg, expected(st))
			aliases := map[string]bool{}
			for _, c := range e.s.Courses() {
				for _, a := range c.Aliases {
					if aliases[a] {
						t.Errorf("two courses with alias %s", a)
					}
					aliases[a] = true
				}
			}
			n := counts(st)
			if len(e.s.Courses()) != n[course] || len(e.s.Groups()) != n[gg]+n[mg] {
				t.Errorf("cut at request %d of %d: %d courses, %d groups; want %d, %d",
					cut.n, requests, len(e.s.Courses()), len(e.s.Groups()), n[course], n[gg]+n[mg])
			}
		})
	}
}

// Under injected throttling (20 % of requests answered 429, or 403
// userRateLimitExceeded on Directory) one pass still converges.
func TestThrottledApplyConverges(t *testing.T) {
	st := school(t)
	e := newEnv(t, sandbox.Options{ThrottleRate: 0.2, Seed: 3}, st)
	tg := e.adapter(t, Options{MaxRetries: 12, BaseDelay: 100 * time.Millisecond, MaxDelay: 5 * time.Second})
	p, res := pass(t, tg, st)
	if len(res.Failures) > 0 || res.Applied != len(p.Actions) {
		t.Fatalf("apply: %+v", res)
	}
	stats := tg.Stats()
	if stats.Throttled == 0 || stats.Throttled*3 < stats.Requests/10 {
		t.Errorf("stats %+v: throttling not seen as injected", stats)
	}
	t.Logf("%d rooms under 20%% throttling: %d requests (%.1f per room), %d throttled, %d writes, %v of backoff",
		len(st.Rooms), stats.Requests, float64(stats.Requests)/float64(len(st.Rooms)), stats.Throttled, stats.Writes,
		e.clock.slept.Round(time.Second))
	e.s.SetThrottleRate(0)
	observedEquals(t, tg, expected(st))
}

// When 30 % of the writes are carried out but their replies lost (500),
// the retries meet the earlier writes (ALREADY_EXISTS, duplicate) and the
// one pass still ends at the desired state, without a duplicate.
func TestLostRepliesConverge(t *testing.T) {
	st := school(t)
	for seed := range uint64(3) {
		e := newEnv(t, sandbox.Options{LostRate: 0.3, Seed: seed, KeepOldGroupEmail: seed == 1}, st)
		tg := e.adapter(t, Options{MaxRetries: 12, BaseDelay: time.Millisecond})
		p, res := pass(t, tg, st)
		if len(res.Failures) > 0 || res.Applied != len(p.Actions) {
			t.Fatalf("seed %d: %+v", seed, res)
		}
		n := counts(st)
		if len(e.s.Courses()) != n[course] || len(e.s.Groups()) != n[gg]+n[mg] {
			t.Errorf("seed %d: %d courses, %d groups", seed, len(e.s.Courses()), len(e.s.Groups()))
		}
		e.s.ClearFaults()
		observedEquals(t, tg, expected(st))
	}
}

// A class over the caps is a Failure naming the cap, with nothing
// written for it; the other rooms are applied.
func TestCapsFailNotTruncate(t *testing.T) {
	big := people("p", 1001)
	teachers := people("t", 51)
	st := desired.State{Rooms: []desired.Room{
		room(course, "kurs:activity:big", "Aula", teachers[:1], big),
		room(course, "kurs:activity:staff", "Kollegium", teachers, nil),
		room(course, "kurs:activity:ok", "MA", teachers[:1], big[:20]),
	}}
	e := newEnv(t, sandbox.Options{}, st)
	tg := e.adapter(t, Options{})
	if err := def.Caps(st.Rooms[0]); err == nil || !strings.Contains(err.Error(), "1002 members, at most 1000") {
		t.Errorf("def.Caps(big) = %v", err)
	}
	_, res := pass(t, tg, st)
	if len(res.Failures) != 2 {
		t.Fatalf("failures %+v", res.Failures)
	}
	noPeople(t, res.Failures)
	for _, f := range res.Failures {
		want := map[string]string{"kurs:activity:big": "1001 students to add beside a teacher, at most 999",
			"kurs:activity:staff": "51 teachers, at most 50"}[f.Key]
		if want == "" || !strings.Contains(f.Message, want) {
			t.Errorf("failure %+v, want %q", f, want)
		}
	}
	for _, c := range e.s.Courses() {
		if len(c.Students) != 0 && c.Name != "MA" {
			t.Errorf("%s got %d students", c.Name, len(c.Students))
		}
	}
}

// A course at the cap because of students added by hand takes the
// register's newcomers once those are removed: the adapter removes
// before it adds students.
func TestFullCourseMakesRoomBeforeAdding(t *testing.T) {
	students := people("s", 1004)
	st := desired.State{Rooms: []desired.Room{room(course, "kurs:activity:full", "Stor", []string{"t@example.edu"}, students[:995])}}
	e := newEnv(t, sandbox.Options{}, st, students[995:]...)
	tg := e.adapter(t, Options{})
	if _, res := pass(t, tg, st); len(res.Failures) > 0 {
		t.Fatal(res)
	}
	alias := def.courseAlias("kurs:activity:full")
	for _, s := range students[995:1000] { // by hand: 1 + 1000 members
		if err := e.s.AddStudent(alias, s); err != nil {
			t.Fatal(err)
		}
	}
	st2 := desired.State{Rooms: []desired.Room{room(course, "kurs:activity:full", "Stor", []string{"t@example.edu"},
		append(append([]string{}, students[:995]...), students[1000:]...))}}
	p, res := pass(t, tg, st2)
	if len(res.Failures) > 0 || res.Applied != len(p.Actions) {
		t.Fatalf("%+v", res)
	}
	observedEquals(t, tg, expected(st2))
}

// The Target satisfies the contract with its default options too.
func TestFromSpecDefaults(t *testing.T) {
	e := newEnv(t, sandbox.Options{}, desired.State{})
	spec := elevsynkv1.GoogleTarget{Endpoint: e.url + "/", Domain: "Example.EDU", AdminSubject: "admin@example.edu"}
	tg, err := FromSpec(context.Background(), spec, nil, Options{ClassroomQPS: rate.Inf, DirectoryQPS: rate.Inf, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	var _ target.Target = tg
	if rooms, err := tg.Observe(context.Background()); err != nil || len(rooms) != 0 {
		t.Errorf("Observe = %v, %v", rooms, err)
	}
	if s := tg.Stats(); s.Requests != 2 || s.Writes != 0 {
		t.Errorf("stats %+v", s)
	}
}

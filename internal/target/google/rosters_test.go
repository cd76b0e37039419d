package google

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/elevsynk/elevsynk/internal/desired"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
	"github.com/elevsynk/elevsynk/internal/target"
)

// listReads counts, per course or group id, the lists sent through it
// whose path ends in one of lists: teachers and members for the people
// (courses.teachers.list, members.list), aliases for courses.aliases.list.
type listReads struct {
	mu    sync.Mutex
	byID  map[string]int
	lists []string
	base  http.RoundTripper
}

func (c *listReads) RoundTrip(r *http.Request) (*http.Response, error) {
	paths := []string{r.URL.Path}
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/batch") {
		paths = batchPaths(r)
	} else if r.Method != http.MethodGet {
		paths = nil
	}
	for _, p := range paths {
		segs := strings.Split(strings.Trim(p, "/"), "/")
		if n := len(segs); n >= 2 && slices.Contains(c.lists, segs[n-1]) {
			c.mu.Lock()
			c.byID[segs[n-2]]++
			c.mu.Unlock()
		}
	}
	return c.base.RoundTrip(r)
}

// batchPaths are the paths of the GETs in a batch request's parts.
func batchPaths(r *http.Request) []string {
	body, err := r.GetBody()
	if err != nil {
		panic(err)
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		panic(err)
	}
	var out []string
	mr := multipart.NewReader(body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			panic(err)
		}
		req, err := http.ReadRequest(bufio.NewReader(p))
		if err != nil {
			panic(err)
		}
		out = append(out, req.URL.Path)
	}
}

// take returns the counts since the last take.
func (c *listReads) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.byID
	c.byID = map[string]int{}
	return out
}

// With RecheckPasses 4, Observe reads the people of every room it has not
// read before, then a quarter of them a pass, each room once in four
// passes, and at once a room Apply wrote to; a pupil added by hand is
// seen within four passes, and the rooms not read keep their people.
func TestRostersReadInTurn(t *testing.T) {
	var st desired.State
	for i := range 6 {
		st.Rooms = append(st.Rooms, room(course, fmt.Sprintf("kurs:activity:%d", i), fmt.Sprintf("MA %d", i),
			[]string{"t1@example.edu"}, []string{"s1@example.edu", "s2@example.edu"}))
	}
	for i := range 2 {
		st.Rooms = append(st.Rooms, room(gg, fmt.Sprintf("klass:group:%d", i), fmt.Sprintf("Klass %d", i),
			[]string{"t1@example.edu"}, []string{"s1@example.edu"}))
	}
	st.Sort()
	e := newEnv(t, sandbox.Options{}, st, "s9@example.edu")
	reads := &listReads{byID: map[string]int{}, lists: []string{"teachers", "members"}, base: http.DefaultTransport}
	tg := e.adapter(t, Options{RecheckPasses: 4, HTTPClient: &http.Client{Transport: reads}})
	if _, res := pass(t, tg, st); len(res.Failures) > 0 {
		t.Fatal(res)
	}
	have, err := tg.Observe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kept := target.CloneRooms(have)
	ids := map[string]string{} // room key by id
	for _, r := range have {
		ids[r.ID] = r.Key
	}
	// Apply made every room, so all are read.
	if got := reads.take(); len(got) != len(st.Rooms) {
		t.Fatalf("after the Apply that made them, %d rooms read, want %d", len(got), len(st.Rooms))
	}

	alias := def.courseAlias("kurs:activity:0")
	if err := e.s.AddStudent(alias, "s9@example.edu"); err != nil {
		t.Fatal(err)
	}
	total := map[string]int{}
	seenAt := 0
	for p := 1; p <= 4; p++ {
		got, err := tg.Observe(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		read := reads.take()
		if len(read) != 2 {
			t.Errorf("pass %d read %d rooms, want 2 (a quarter of 8)", p, len(read))
		}
		for id, n := range read {
			total[ids[id]] += n
		}
		want := expected(st)
		for _, r := range got {
			if r.Key == "kurs:activity:0" && len(r.Members) == 3 && seenAt == 0 {
				seenAt = p
			}
		}
		if seenAt > 0 {
			want[0].Members = []string{"s1@example.edu", "s2@example.edu", "s9@example.edu"}
		}
		if d := cmp.Diff(want, got, noID); d != "" {
			t.Errorf("pass %d (-want +got):\n%s", p, d)
		}
	}
	if seenAt == 0 {
		t.Error("the pupil added by hand was not seen in four passes")
	}
	for _, r := range st.Rooms {
		if total[r.Key] != 1 {
			t.Errorf("%s read %d times in four passes, want once", r.Key, total[r.Key])
		}
	}

	// Apply wrote to rooms (the hand-made change undone, a pupil added):
	// the next pass reads them, besides its share of the others.
	st.Rooms[3].SetPeople(st.Rooms[3].Owners, append(st.Rooms[3].Members, "s9@example.edu"))
	p, res := pass(t, tg, st)
	if len(res.Failures) > 0 {
		t.Fatal(res)
	}
	written := map[string]bool{}
	for _, a := range p.Actions {
		written[a.Key] = true
	}
	if !written[st.Rooms[0].Key] || !written[st.Rooms[3].Key] || len(written) != 2 {
		t.Fatalf("the plan wrote to %v, want %s and %s", written, st.Rooms[0].Key, st.Rooms[3].Key)
	}
	reads.take()
	got, err := tg.Observe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	read := reads.take()
	for _, r := range got {
		if written[r.Key] && read[r.ID] == 0 {
			t.Errorf("%s: written by Apply and not read again", r.Key)
		}
	}
	if want := 2 + 2; len(read) != want { // ceil(6 / 4) of the others
		t.Errorf("after the Apply: %d rooms read, want %d", len(read), want)
	}
	if d := cmp.Diff(expected(st), got, noID); d != "" {
		t.Errorf("after the Apply (-want +got):\n%s", d)
	}
	// Later passes hand out the cached lists again and read new ones, and
	// never change what an earlier pass handed out.
	if d := cmp.Diff(kept, have); d != "" {
		t.Errorf("the rooms of the first pass changed (-then +now):\n%s", d)
	}
}

// With AliasRecheck 4h and an hour between passes, Observe lists the
// aliases of a quarter of the courses a pass, those checked longest ago:
// every course once in four passes, never all in one.
func TestAliasesReadInTurn(t *testing.T) {
	var st desired.State
	for i := range 8 {
		st.Rooms = append(st.Rooms, room(course, fmt.Sprintf("kurs:activity:%d", i), fmt.Sprintf("MA %d", i),
			[]string{"t1@example.edu"}, []string{"s1@example.edu"}))
	}
	st.Sort()
	e := newEnv(t, sandbox.Options{}, st)
	reads := &listReads{byID: map[string]int{}, lists: []string{"aliases"}, base: http.DefaultTransport}
	tg := e.adapter(t, Options{AliasRecheck: 4 * time.Hour, HTTPClient: &http.Client{Transport: reads}})
	if _, res := pass(t, tg, st); len(res.Failures) > 0 {
		t.Fatal(res)
	}
	reads.take()
	total := map[string]int{}
	for p := 1; p <= 4; p++ {
		if err := e.clock.Sleep(context.Background(), time.Hour); err != nil {
			t.Fatal(err)
		}
		observedEquals(t, tg, expected(st))
		read := reads.take()
		if len(read) != 2 {
			t.Errorf("pass %d listed the aliases of %d courses, want 2", p, len(read))
		}
		for id, n := range read {
			total[id] += n
		}
	}
	if len(total) != 8 {
		t.Errorf("four passes listed the aliases of %d courses, want all 8: %v", len(total), total)
	}
	for id, n := range total {
		if n != 1 {
			t.Errorf("course %s: aliases listed %d times, want once", id, n)
		}
	}
}

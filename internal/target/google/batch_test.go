package google

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/elevsynk/elevsynk/internal/desired"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
)

// sent records the method and path of every HTTP request through it.
type sent struct {
	mu   sync.Mutex
	reqs []string
	base http.RoundTripper
}

func (s *sent) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.reqs = append(s.reqs, r.Method+" "+r.URL.Path)
	s.mu.Unlock()
	return s.base.RoundTrip(r)
}

// take returns the requests sent since the last take, by method and path,
// with course ids left out.
func (s *sent) take() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for _, r := range s.reqs {
		if segs := strings.Split(r, "/"); len(segs) == 5 && segs[2] == "courses" {
			segs[3] = "{id}"
			r = strings.Join(segs, "/")
		}
		out[r]++
	}
	s.reqs = nil
	return out
}

// Observe reads the rosters it rechecks in batches of 25 courses, a
// batch request for 50 lists; a list throttled in its batch is read
// again alone with its course, and Observe reports what the lists hold either way.
func TestRostersReadInBatches(t *testing.T) {
	var st desired.State
	for i := range 60 {
		st.Rooms = append(st.Rooms, room(course, fmt.Sprintf("kurs:activity:%02d", i), fmt.Sprintf("MA %d", i),
			[]string{"t1@example.edu"}, []string{"s1@example.edu", "s2@example.edu"}))
	}
	st.Sort()
	e := newEnv(t, sandbox.Options{}, st)
	reqs := &sent{base: http.DefaultTransport}
	tg := e.adapter(t, Options{HTTPClient: &http.Client{Transport: reqs}})
	if _, res := pass(t, tg, st); len(res.Failures) > 0 {
		t.Fatal(res)
	}
	reqs.take()
	e.s.ResetCounters()

	before := tg.Stats().Requests
	e.s.AddFault(sandbox.Fault{Method: "courses.students.list", Status: http.StatusTooManyRequests, Times: 1})
	observedEquals(t, tg, expected(st))
	want := map[string]int{
		"GET /v1/courses":                1, // one page of 60
		"GET /admin/directory/v1/groups": 1,
		"POST /batch":                    3, // 25, 25 and 10 courses
		// The course with the throttled list, alone.
		"GET /v1/courses/{id}/teachers": 1,
		"GET /v1/courses/{id}/students": 1,
	}
	if d := cmp.Diff(want, reqs.take()); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
	// Google counts each call in a batch; so do Stats.
	calls := map[string]int{"courses.list": 1, "groups.list": 1, "courses.teachers.list": 61, "courses.students.list": 61}
	if d := cmp.Diff(calls, e.s.Counts()); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
	if n := tg.Stats().Requests - before; n != 124 {
		t.Errorf("Stats count %d calls, want 124", n)
	}
}

// FuzzReadAnswers: a batch's answer, whatever it holds, never panics the
// reader, and fills in only calls that were sent, with a status.
func FuzzReadAnswers(f *testing.F) {
	f.Add("--b\r\nContent-Type: application/http\r\nContent-ID: <response-0>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}\r\n--b--\r\n")
	f.Add("--b\r\nContent-ID: <response-1>\r\n\r\nHTTP/1.1 429 Too Many Requests\r\n\r\n\r\n--b--\r\n")
	f.Add("--b\r\nContent-ID: <response-7>\r\n\r\nHTTP/1.1 200 OK\r\n\r\n--b--")
	f.Add("")
	f.Fuzz(func(t *testing.T, body string) {
		calls := []*batchCall{{}, {}}
		if err := readAnswers(strings.NewReader(body), "b", calls); err != nil {
			return
		}
		for i, c := range calls {
			if c.status != 0 && (c.status < 100 || c.status > 999) {
				t.Errorf("call %d: status %d", i, c.status)
			}
		}
	})
}

// A batch answer that cannot be read says what is wrong; a call it leaves
// out keeps status 0, so Observe reads that course alone.
func TestReadAnswers(t *testing.T) {
	part := func(id, resp string) string {
		return "--b\r\nContent-Type: application/http\r\nContent-ID: <" + id + ">\r\n\r\n" + resp + "\r\n"
	}
	ok := "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}"
	for _, tt := range []struct {
		name, body, err string
		status          []int
	}{
		{"both", part("response-0", ok) + part("response-1", "HTTP/1.1 429 Too Many Requests\r\n\r\n") + "--b--\r\n", "", []int{200, 429}},
		{"one left out", part("response-1", ok) + "--b--\r\n", "", []int{0, 200}},
		{"not sent", part("response-2", ok) + "--b--\r\n", `an answer for call "2", which was not sent`, nil},
		{"no id", part("", ok) + "--b--\r\n", "which was not sent", nil},
		{"not a response", part("response-0", "hello") + "--b--\r\n", "call 0: malformed HTTP response", nil},
		{"cut off in a body", part("response-0", ok), "classroom batch: call 0:", nil},
		// Cut off in the first part's headers, no answer at all: each
		// course is then read alone.
		{"cut off in headers", part("response-0", ok)[:30], "", []int{0, 0}},
	} {
		calls := []*batchCall{{}, {}}
		err := readAnswers(strings.NewReader(tt.body), "b", calls)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want one saying %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := []int{calls[0].status, calls[1].status}; !slices.Equal(got, tt.status) {
			t.Errorf("%s: statuses %v, want %v", tt.name, got, tt.status)
		}
	}
}

// A batch part's roster page gives the account keys the client's types
// give: the e-mail in lower case, else the user id.
func TestRosterPageKeys(t *testing.T) {
	for _, tc := range []struct {
		body string
		want []string
		next string
	}{
		{`{"students":[{"userId":"1","profile":{"emailAddress":"Anna.Berg@Exempel.se"}},{"userId":"2","profile":{}},{"userId":"3"}]}`,
			[]string{"anna.berg@exempel.se", "id:2", "id:3"}, ""},
		{`{"teachers":[{"userId":"4","profile":{"emailAddress":"l@x"}}],"nextPageToken":"p2"}`, []string{"l@x"}, "p2"},
		{`{}`, []string{}, ""},
	} {
		var p rosterPage
		if err := json.Unmarshal([]byte(tc.body), &p); err != nil {
			t.Fatal(err)
		}
		got := append(rosterKeys(p.Teachers), rosterKeys(p.Students)...)
		if diff := cmp.Diff(tc.want, got); diff != "" || p.NextPageToken != tc.next {
			t.Errorf("%s: keys (-want +got):\n%s next page %q, want %q", tc.body, diff, p.NextPageToken, tc.next)
		}
	}
}

package google

import (
	"bufio"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/api/classroom/v1"

	"github.com/elevsynk/elevsynk/internal/sandbox/fault"
)

// postBatch sends parts (each the text of one call) as a batch and
// returns the status, and the answer's parts as Content-ID, then status
// line and body.
func postBatch(t *testing.T, url string, parts []string) (int, []string) {
	t.Helper()
	var b strings.Builder
	for i, p := range parts {
		fmt.Fprintf(&b, "--batch_x\r\nContent-Type: application/http\r\nContent-ID: <item%d>\r\n\r\n%s\r\n", i, p)
	}
	b.WriteString("--batch_x--\r\n")
	resp, err := http.Post(url+"/batch", "multipart/mixed; boundary=batch_x", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil
	}
	_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	mr := multipart.NewReader(resp.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return resp.StatusCode, out
		}
		if err != nil {
			t.Fatal(err)
		}
		r, err := http.ReadResponse(bufio.NewReader(p), nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		out = append(out, p.Header.Get("Content-ID")+" "+r.Status+" "+strings.TrimSpace(string(body)))
	}
}

// A batch answers each call in order, as that call alone would be
// answered, under the call's Content-ID; each call is counted, and the
// quota counts each; a malformed batch runs none of its calls.
func TestBatch(t *testing.T) {
	now := t0
	f := newFixture(t, Options{Now: func() time.Time { return now }, ClassroomQuota: fault.Quota{Limit: 4, Window: time.Minute}})
	if _, err := f.cr.Courses.Create(&classroom.Course{Id: "d:c", Name: "C", OwnerId: "u0@example.edu"}).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.cr.Courses.Students.Create("d:c", &classroom.Student{UserId: "u1@example.edu"}).Do(); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(f.s)
	defer hs.Close()
	f.s.ResetCounters()
	now = now.Add(time.Minute) // the setup's calls leave the quota's window

	// Google's own example leaves the HTTP version out.
	_, got := postBatch(t, hs.URL, []string{
		"GET /v1/courses/d:c/students?fields=students/profile/emailAddress",
		"GET /v1/courses/d:nope/teachers HTTP/1.1\r\n",
		"GET /v1/courses/d:c/teachers?fields=teachers/userId HTTP/1.1\r\n\r\n",
	})
	want := []string{
		`<response-item0> 200 OK {"students":[{"profile":{"emailAddress":"u1@example.edu"}}]}`,
		`<response-item1> 404 Not Found`,
		`<response-item2> 200 OK {"teachers":[{"userId":"100000000000000001"}]}`,
	}
	for i := range got {
		if i < len(want) && strings.HasPrefix(want[i], "<response-item1>") {
			got[i], _, _ = strings.Cut(got[i], " {") // the error's text is not the point
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("answers (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]int{"courses.students.list": 1, "courses.teachers.list": 2}, f.s.Counts()); d != "" {
		t.Errorf("counts (-want +got):\n%s", d)
	}
	// Three calls of the quota's four are spent: of two more, one is over.
	_, got = postBatch(t, hs.URL, []string{"GET /v1/courses/d:c/teachers", "GET /v1/courses/d:c/students"})
	if len(got) != 2 || !strings.Contains(got[0], " 200 ") || !strings.Contains(got[1], " 429 ") {
		t.Errorf("at the quota's edge: %q, want a 200 and a 429", got)
	}

	f.s.ResetCounters()
	many := make([]string, maxBatchCalls+1)
	for i := range many {
		many[i] = "GET /v1/courses/d:c/teachers"
	}
	for name, parts := range map[string][]string{
		"too many calls":  many,
		"a full URL":      {"GET http://other.example/v1/courses"},
		"no request line": {""},
		"a batch within":  {"POST /batch"},
		"a bad call last": {"GET /v1/courses/d:c/teachers", "GET"},
	} {
		if code, _ := postBatch(t, hs.URL, parts); code != http.StatusBadRequest {
			t.Errorf("%s: HTTP %d, want 400", name, code)
		}
	}
	if c := f.s.Counts(); len(c) != 0 {
		t.Errorf("malformed batches ran calls: %v", c)
	}
}

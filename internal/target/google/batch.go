package google

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/api/googleapi"

	"github.com/elevsynk/elevsynk/internal/target"
)

// Classroom takes up to 50 calls in one HTTP request, a batch, and counts
// each toward the quota as if sent alone ("Batching Requests",
// https://developers.google.com/workspace/classroom/guides/batch). Observe
// reads the rosters it rechecks in batches, a course's teachers and
// students in one with 24 other courses': one round trip for 50 lists
// instead of 50, and a quiet sync's requests are most of them rosters.
// The Go client has no batches, so they are written here; a list that
// does not come back whole and 200 in its batch (a throttled call, a
// second page) is read again alone, with the client's paging and retries.
const batchCalls = 50

// batchCall is one GET in a batch: its path and query, and its answer.
type batchCall struct {
	path   string
	status int
	body   []byte
}

// batch sends calls, at most batchCalls, as one request, and fills in
// each call's answer; a call the answer leaves out keeps status 0.
func (t *Target) batch(ctx context.Context, calls []*batchCall) error {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i, c := range calls {
		pw, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/http"},
			"Content-ID": {"<" + strconv.Itoa(i) + ">"}})
		if err != nil {
			return err
		}
		fmt.Fprintf(pw, "GET %s HTTP/1.1\r\n\r\n", c.path)
	}
	if err := mw.Close(); err != nil {
		return err
	}
	// To the API's batchPath, "batch" in Classroom's discovery document.
	req, err := http.NewRequestWithContext(withCalls(ctx, len(calls)), http.MethodPost,
		t.cr.BasePath+"batch", bytes.NewReader(body.Bytes()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
	resp, err := t.hc.Do(req)
	if err != nil {
		return fmt.Errorf("classroom batch: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("classroom batch: HTTP %d", resp.StatusCode)
	}
	mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		return fmt.Errorf("classroom batch: the answer is %q, not multipart/mixed", resp.Header.Get("Content-Type"))
	}
	return readAnswers(resp.Body, params["boundary"], calls)
}

// readAnswers reads a batch's answer, the parts of body, into calls.
func readAnswers(body io.Reader, boundary string, calls []*batchCall) error {
	mr := multipart.NewReader(body, boundary)
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("classroom batch: %w", err)
		}
		id, ok := strings.CutPrefix(strings.Trim(p.Header.Get("Content-ID"), "<>"), "response-")
		i, err := strconv.Atoi(id)
		if !ok || err != nil || i < 0 || i >= len(calls) {
			return fmt.Errorf("classroom batch: an answer for call %q, which was not sent", id)
		}
		r, err := http.ReadResponse(bufio.NewReader(p), nil)
		if err != nil {
			return fmt.Errorf("classroom batch: call %d: %w", i, err)
		}
		b, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		_ = r.Body.Close()
		if err != nil {
			return fmt.Errorf("classroom batch: call %d: %w", i, err)
		}
		calls[i].status, calls[i].body = r.StatusCode, b
	}
}

// readCourses reads the teachers and students of rooms' courses, at most
// batchCalls/2 of them, in one batch; a course whose lists do not come
// back whole is read alone.
func (t *Target) readCourses(ctx context.Context, rooms []*target.Room) error {
	calls := make([]*batchCall, 0, 2*len(rooms))
	for _, r := range rooms {
		calls = append(calls, t.rosterCall(r.ID, "teachers", teacherFields), t.rosterCall(r.ID, "students", studentFields))
	}
	if err := t.batch(ctx, calls); err != nil {
		return err
	}
	for i, r := range rooms {
		var teachers, students rosterPage
		if !whole(calls[2*i], &teachers, &teachers.NextPageToken) || !whole(calls[2*i+1], &students, &students.NextPageToken) {
			if err := t.readCourse(ctx, r); err != nil {
				return err
			}
			continue
		}
		r.Owners, r.Members = rosterKeys(teachers.Teachers), rosterKeys(students.Students)
		slices.Sort(r.Owners)
		slices.Sort(r.Members)
	}
	return nil
}

// rosterPage is what teacherFields and studentFields ask of a
// courses.teachers.list or courses.students.list page. Decoding batch
// parts into it rather than the client's types, whose profiles have a
// dozen fields and whose entries are pointers, takes a third less CPU: a
// quiet cycle decodes every course's roster.
type rosterPage struct {
	NextPageToken string        `json:"nextPageToken"`
	Teachers      []rosterEntry `json:"teachers"`
	Students      []rosterEntry `json:"students"`
}

type rosterEntry struct {
	UserID  string `json:"userId"`
	Profile struct {
		EmailAddress string `json:"emailAddress"`
	} `json:"profile"`
}

// rosterKeys is the account keys of a page's teachers or students.
func rosterKeys(entries []rosterEntry) []string {
	out := make([]string, len(entries))
	for i, x := range entries {
		out[i] = keyOf(x.Profile.EmailAddress, x.UserID)
	}
	return out
}

// rosterCall is the first page of a course's teachers or students, as
// courses.teachers.list and courses.students.list ask for it.
func (t *Target) rosterCall(courseID, list string, fields googleapi.Field) *batchCall {
	q := url.Values{"pageSize": {strconv.FormatInt(t.opts.PageSize, 10)}, "fields": {string(fields)}, "alt": {"json"}}
	return &batchCall{path: "/v1/courses/" + url.PathEscape(courseID) + "/" + list + "?" + q.Encode()}
}

// whole decodes a call's answer into v if it is a 200 with no next page.
func whole(c *batchCall, v any, next *string) bool {
	return c.status == http.StatusOK && json.Unmarshal(c.body, v) == nil && *next == ""
}

// callsKey is the context key of the calls a batch request carries.
type callsKey struct{}

// withCalls says that requests made with ctx are batches of n calls, for
// the transport's rate limit and counts.
func withCalls(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, callsKey{}, n)
}

// callsIn is the calls a request made with ctx carries, and whether it is
// a batch: one, and no, unless withCalls said otherwise.
func callsIn(ctx context.Context) (n int, batch bool) {
	if n, ok := ctx.Value(callsKey{}).(int); ok {
		return n, true
	}
	return 1, false
}

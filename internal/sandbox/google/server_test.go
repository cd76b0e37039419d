package google

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	admin "google.golang.org/api/admin/directory/v1"
	"google.golang.org/api/classroom/v1"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/elevsynk/elevsynk/internal/sandbox/fault"
)

var t0 = time.Date(2026, 8, 17, 7, 0, 0, 0, time.UTC)

type fixture struct {
	s   *Server
	cr  *classroom.Service
	dir *admin.Service
}

func newFixture(t *testing.T, opts Options) fixture {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return t0 }
	}
	if opts.Users == nil {
		for i := range 8 {
			opts.Users = append(opts.Users, User{Email: fmt.Sprintf("u%d@example.edu", i), GivenName: "U", FamilyName: fmt.Sprint(i)})
		}
	}
	s := New(opts)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	ctx := context.Background()
	cr, err := classroom.NewService(ctx, option.WithEndpoint(hs.URL+"/"), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	dir, err := admin.NewService(ctx, option.WithEndpoint(hs.URL+"/"), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	return fixture{s, cr, dir}
}

// apiErr returns the HTTP code and the Classroom "@Reason" or the
// Directory errors[0].reason of err; 0 for nil.
func apiErr(t *testing.T, err error) (int, string) {
	t.Helper()
	if err == nil {
		return 0, ""
	}
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		t.Fatalf("not a googleapi.Error: %v", err)
	}
	if len(ge.Errors) > 0 {
		return ge.Code, ge.Errors[0].Reason
	}
	if r, ok := strings.CutPrefix(ge.Message, "@"); ok {
		r, _, _ = strings.Cut(r, " ")
		return ge.Code, r
	}
	return ge.Code, ""
}

func wantErr(t *testing.T, err error, code int, reason string) {
	t.Helper()
	if c, r := apiErr(t, err); c != code || r != reason {
		t.Errorf("error = %d %q, want %d %q (%v)", c, r, code, reason, err)
	}
}

func TestCourseCreateAliasAndStates(t *testing.T) {
	f := newFixture(t, Options{})
	c, err := f.cr.Courses.Create(&classroom.Course{Id: "d:ma7a", Name: "MA 7A", OwnerId: "U0@example.edu", CourseState: "ACTIVE"}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if c.Id == "d:ma7a" || c.CourseState != "ACTIVE" || c.OwnerId == "" {
		t.Errorf("created %+v", c)
	}
	_, err = f.cr.Courses.Create(&classroom.Course{Id: "d:ma7a", Name: "again", OwnerId: "u0@example.edu"}).Do()
	wantErr(t, err, 409, "")
	got, err := f.cr.Courses.Get("d:ma7a").Do()
	if err != nil || got.Id != c.Id || got.Name != "MA 7A" {
		t.Fatalf("get by alias = %+v, %v", got, err)
	}
	al, err := f.cr.Courses.Aliases.List(c.Id).Do()
	if err != nil || len(al.Aliases) != 1 || al.Aliases[0].Alias != "d:ma7a" {
		t.Fatalf("aliases = %+v, %v", al, err)
	}
	_, err = f.cr.Courses.Aliases.Create(c.Id, &classroom.CourseAlias{Alias: "d:ma7a"}).Do()
	wantErr(t, err, 409, "")

	p, err := f.cr.Courses.Create(&classroom.Course{Name: "Draft", OwnerId: "u1@example.edu"}).Do()
	if err != nil || p.CourseState != "PROVISIONED" {
		t.Errorf("default state = %+v, %v", p, err)
	}
	for _, tc := range []struct {
		name   string
		course *classroom.Course
		code   int
	}{
		{"unknown owner", &classroom.Course{Name: "x", OwnerId: "nobody@example.edu"}, 404},
		{"no name", &classroom.Course{OwnerId: "u0@example.edu"}, 400},
		{"id not an alias", &classroom.Course{Id: "123", Name: "x", OwnerId: "u0@example.edu"}, 400},
		{"alias too long", &classroom.Course{Id: "d:" + strings.Repeat("a", 255), Name: "x", OwnerId: "u0@example.edu"}, 400},
		{"archived on create", &classroom.Course{Name: "x", OwnerId: "u0@example.edu", CourseState: "ARCHIVED"}, 400},
	} {
		_, err := f.cr.Courses.Create(tc.course).Do()
		if code, _ := apiErr(t, err); code != tc.code {
			t.Errorf("%s: code %d, want %d", tc.name, code, tc.code)
		}
	}
}

func TestCoursePatchArchiveDelete(t *testing.T) {
	f := newFixture(t, Options{})
	c, err := f.cr.Courses.Create(&classroom.Course{Id: "d:x", Name: "X", OwnerId: "u0@example.edu", CourseState: "ACTIVE"}).Do()
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.cr.Courses.Patch("d:x", &classroom.Course{Name: "Y"}).Do()
	wantErr(t, err, 400, "") // no updateMask
	_, err = f.cr.Courses.Patch("d:x", &classroom.Course{Name: "Y"}).UpdateMask("name,colour").Do()
	wantErr(t, err, 400, "")
	got, err := f.cr.Courses.Patch("d:x", &classroom.Course{Name: "Y", Description: "d"}).UpdateMask("name,description").Do()
	if err != nil || got.Name != "Y" || got.Description != "d" {
		t.Fatalf("patch = %+v, %v", got, err)
	}
	err = deleteCourse(f, "d:x")
	wantErr(t, err, 400, "") // FAILED_PRECONDITION: not archived
	if _, err := f.cr.Courses.Patch("d:x", &classroom.Course{CourseState: "ARCHIVED"}).UpdateMask("courseState").Do(); err != nil {
		t.Fatal(err)
	}
	_, err = f.cr.Courses.Patch("d:x", &classroom.Course{Name: "Z"}).UpdateMask("name").Do()
	wantErr(t, err, 400, "CourseNotModifiable")
	_, err = f.cr.Courses.Students.Create("d:x", &classroom.Student{UserId: "u1@example.edu"}).Do()
	wantErr(t, err, 400, "CourseNotModifiable")
	// A state change may come with other fields.
	if _, err := f.cr.Courses.Patch("d:x", &classroom.Course{Name: "Z", CourseState: "ACTIVE"}).UpdateMask("name,courseState").Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.cr.Courses.Patch(c.Id, &classroom.Course{CourseState: "ARCHIVED"}).UpdateMask("courseState").Do(); err != nil {
		t.Fatal(err)
	}
	if err := deleteCourse(f, "d:x"); err != nil {
		t.Fatal(err)
	}
	_, err = f.cr.Courses.Get("d:x").Do()
	wantErr(t, err, 404, "")
	// The alias is free again.
	if _, err := f.cr.Courses.Create(&classroom.Course{Id: "d:x", Name: "X", OwnerId: "u0@example.edu"}).Do(); err != nil {
		t.Fatal(err)
	}
}

func deleteCourse(f fixture, id string) error {
	_, err := f.cr.Courses.Delete(id).Do()
	return err
}

func TestRosters(t *testing.T) {
	f := newFixture(t, Options{PageSize: 2, MaxTeachers: 3, MaxMembers: 5})
	if _, err := f.cr.Courses.Create(&classroom.Course{Id: "d:c", Name: "C", OwnerId: "u0@example.edu", CourseState: "ACTIVE"}).Do(); err != nil {
		t.Fatal(err)
	}
	addT := func(u string) error {
		_, err := f.cr.Courses.Teachers.Create("d:c", &classroom.Teacher{UserId: u}).Do()
		return err
	}
	addS := func(u string) error {
		_, err := f.cr.Courses.Students.Create("d:c", &classroom.Student{UserId: u}).Do()
		return err
	}
	for _, tc := range []struct {
		name   string
		err    error
		code   int
		reason string
	}{
		{"teacher", addT("u1@example.edu"), 0, ""},
		{"owner again", addT("u0@example.edu"), 409, ""},
		{"teacher as student", addS("u1@example.edu"), 409, ""},
		{"student", addS("u2@example.edu"), 0, ""},
		{"student by mixed case", addS("U2@Example.edu"), 409, ""},
		{"unknown", addS("nobody@example.edu"), 404, ""},
		{"third teacher", addT("u3@example.edu"), 0, ""},
		{"teacher cap", addT("u4@example.edu"), 400, "CourseTeacherLimitReached"},
		{"fifth member", addS("u4@example.edu"), 0, ""},
		{"member cap", addS("u5@example.edu"), 400, "CourseMemberLimitReached"},
	} {
		if c, r := apiErr(t, tc.err); c != tc.code || r != tc.reason {
			t.Errorf("%s: %d %q, want %d %q", tc.name, c, r, tc.code, tc.reason)
		}
	}
	var emails []string
	err := f.cr.Courses.Teachers.List("d:c").Pages(context.Background(), func(p *classroom.ListTeachersResponse) error {
		if len(p.Teachers) > 2 {
			t.Errorf("page of %d over PageSize", len(p.Teachers))
		}
		for _, x := range p.Teachers {
			emails = append(emails, x.Profile.EmailAddress)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"u0@example.edu", "u1@example.edu", "u3@example.edu"}, emails); diff != "" {
		t.Errorf("teachers (-want +got):\n%s", diff)
	}
	_, err = f.cr.Courses.Teachers.Delete("d:c", "u0@example.edu").Do()
	wantErr(t, err, 400, "CannotRemoveCourseOwner")
	_, err = f.cr.Courses.Patch("d:c", &classroom.Course{OwnerId: "u2@example.edu"}).UpdateMask("ownerId").Do()
	wantErr(t, err, 400, "IneligibleOwner")
	if _, err := f.cr.Courses.Patch("d:c", &classroom.Course{OwnerId: "u1@example.edu"}).UpdateMask("ownerId").Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.cr.Courses.Teachers.Delete("d:c", "u0@example.edu").Do(); err != nil {
		t.Fatal(err)
	}
	_, err = f.cr.Courses.Teachers.Get("d:c", "u0@example.edu").Do()
	wantErr(t, err, 404, "")
	if _, err := f.cr.Courses.Students.Get("d:c", "u2@example.edu").Do(); err != nil {
		t.Error(err)
	}
	_, err = f.cr.Courses.Students.Delete("d:c", "u1@example.edu").Do()
	wantErr(t, err, 404, "")
	want := CourseView{ID: f.s.Courses()[0].ID, Name: "C", OwnerEmail: "u1@example.edu", State: "ACTIVE", Aliases: []string{"d:c"},
		Teachers: []string{"u1@example.edu", "u3@example.edu"}, Students: []string{"u2@example.edu", "u4@example.edu"}}
	if diff := cmp.Diff([]CourseView{want}, f.s.Courses()); diff != "" {
		t.Errorf("course (-want +got):\n%s", diff)
	}
}

func TestListCoursesNewestFirstStableAcrossInserts(t *testing.T) {
	f := newFixture(t, Options{PageSize: 3})
	for i := range 7 {
		if _, err := f.cr.Courses.Create(&classroom.Course{Name: fmt.Sprint("c", i), OwnerId: "u0@example.edu"}).Do(); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	pages := 0
	err := f.cr.Courses.List().PageSize(50).Pages(context.Background(), func(p *classroom.ListCoursesResponse) error {
		pages++
		for _, c := range p.Courses {
			names = append(names, c.Name)
		}
		// A course made between pages is newer than the cursor: it does
		// not shift the pages still to come.
		_, err := f.cr.Courses.Create(&classroom.Course{Name: "late", OwnerId: "u0@example.edu"}).Do()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"c6", "c5", "c4", "c3", "c2", "c1", "c0"}, names); diff != "" || pages != 3 {
		t.Errorf("pages %d, names (-want +got):\n%s", pages, diff)
	}
	_, err = f.cr.Courses.List().PageToken("bm9wZQ").Do()
	wantErr(t, err, 400, "")
	// A token of another list is refused.
	_, err = f.cr.Courses.Teachers.List(f.s.Courses()[0].ID).PageToken(encodeToken("courses", seqKey(3))).Do()
	wantErr(t, err, 400, "")
	l, err := f.cr.Courses.List().CourseStates("ACTIVE").Do()
	if err != nil || len(l.Courses) != 0 {
		t.Errorf("ACTIVE filter = %d courses, %v", len(l.Courses), err)
	}
}

func TestGroupsAndMembers(t *testing.T) {
	f := newFixture(t, Options{PageSize: 2})
	g, err := f.dir.Groups.Insert(&admin.Group{Email: "7A@example.edu", Name: "7A", Description: "d"}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if g.Email != "7a@example.edu" || g.Id == "" {
		t.Errorf("inserted %+v", g)
	}
	for _, tc := range []struct {
		name   string
		g      *admin.Group
		code   int
		reason string
	}{
		{"duplicate", &admin.Group{Email: "7a@example.edu"}, 409, "duplicate"},
		{"user's address", &admin.Group{Email: "u1@example.edu"}, 409, "duplicate"},
		{"other domain", &admin.Group{Email: "x@elsewhere.edu"}, 400, "invalid"},
		{"no email", &admin.Group{Name: "x"}, 400, "required"},
	} {
		_, err := f.dir.Groups.Insert(tc.g).Do()
		if c, r := apiErr(t, err); c != tc.code || r != tc.reason {
			t.Errorf("%s: %d %q, want %d %q", tc.name, c, r, tc.code, tc.reason)
		}
	}
	if _, err := f.dir.Groups.Aliases.Insert(g.Id, &admin.Alias{Alias: "marker@example.edu"}).Do(); err != nil {
		t.Fatal(err)
	}
	got, err := f.dir.Groups.Get("marker@example.edu").Do()
	if err != nil || got.Id != g.Id || !cmp.Equal(got.Aliases, []string{"marker@example.edu"}) {
		t.Errorf("get by alias = %+v, %v", got, err)
	}
	for _, e := range []string{"b@example.edu", "c@example.edu", "d@example.edu"} {
		if _, err := f.dir.Groups.Insert(&admin.Group{Email: e}).Do(); err != nil {
			t.Fatal(err)
		}
	}
	var emails []string
	err = f.dir.Groups.List().Domain("example.edu").Pages(context.Background(), func(p *admin.Groups) error {
		for _, g := range p.Groups {
			emails = append(emails, g.Email)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"7a@example.edu", "b@example.edu", "c@example.edu", "d@example.edu"}, emails); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	_, err = f.dir.Groups.List().Do()
	wantErr(t, err, 400, "badRequest")
	if l, err := f.dir.Groups.List().Customer("my_customer").MaxResults(200).Do(); err != nil || len(l.Groups) != 2 {
		t.Errorf("customer list: %v", err)
	}

	ins := func(email, role string) error {
		_, err := f.dir.Members.Insert(g.Id, &admin.Member{Email: email, Role: role}).Do()
		return err
	}
	wantErr(t, ins("u1@example.edu", "OWNER"), 0, "")
	wantErr(t, ins("u2@example.edu", ""), 0, "")
	wantErr(t, ins("U2@example.edu", "OWNER"), 409, "duplicate")
	wantErr(t, ins("nobody@example.edu", "MEMBER"), 404, "notFound")
	wantErr(t, ins("u3@example.edu", "BOSS"), 400, "invalid")
	_, err = f.dir.Members.Insert("nogroup@example.edu", &admin.Member{Email: "u1@example.edu"}).Do()
	wantErr(t, err, 404, "notFound")
	owners, err := f.dir.Members.List(g.Id).Roles("OWNER").Do()
	if err != nil || len(owners.Members) != 1 || owners.Members[0].Email != "u1@example.edu" {
		t.Errorf("owners = %+v, %v", owners, err)
	}
	if _, err := f.dir.Members.Patch(g.Id, "u2@example.edu", &admin.Member{Role: "OWNER"}).Do(); err != nil {
		t.Fatal(err)
	}
	if err := f.dir.Members.Delete(g.Id, "u1@example.edu").Do(); err != nil {
		t.Fatal(err)
	}
	wantErr(t, f.dir.Members.Delete(g.Id, "u1@example.edu").Do(), 404, "notFound")
	want := GroupView{ID: g.Id, Email: "7a@example.edu", Name: "7A", Description: "d", Aliases: []string{"marker@example.edu"},
		Owners: []string{"u2@example.edu"}, Members: []string{}}
	if diff := cmp.Diff(want, f.s.Groups()[0]); diff != "" {
		t.Errorf("group (-want +got):\n%s", diff)
	}
	if err := f.dir.Groups.Delete("marker@example.edu").Do(); err != nil {
		t.Fatal(err)
	}
	// Its addresses are free again.
	if _, err := f.dir.Groups.Insert(&admin.Group{Email: "marker@example.edu"}).Do(); err != nil {
		t.Error(err)
	}
}

func TestGroupEmailChange(t *testing.T) {
	for _, keep := range []bool{true, false} {
		t.Run(fmt.Sprint("keep=", keep), func(t *testing.T) {
			f := newFixture(t, Options{KeepOldGroupEmail: keep})
			g, err := f.dir.Groups.Insert(&admin.Group{Email: "old@example.edu", Name: "n", Description: "d"}).Do()
			if err != nil {
				t.Fatal(err)
			}
			got, err := f.dir.Groups.Patch(g.Id, &admin.Group{Email: "new@example.edu"}).Do()
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			if keep {
				want = []string{"old@example.edu"}
			}
			if got.Email != "new@example.edu" || got.Name != "n" || got.Description != "d" || !cmp.Equal(got.Aliases, want) {
				t.Errorf("after patch %+v", got)
			}
			_, err = f.dir.Groups.Get("old@example.edu").Do()
			if (err == nil) != keep {
				t.Errorf("old address resolves: %v", err)
			}
			// groups.update clears what it does not send.
			got, err = f.dir.Groups.Update(g.Id, &admin.Group{Email: "new@example.edu", Name: "m"}).Do()
			if err != nil || got.Description != "" || got.Name != "m" {
				t.Errorf("update = %+v, %v", got, err)
			}
		})
	}
}

func TestThrottlingAndFaults(t *testing.T) {
	f := newFixture(t, Options{ThrottleRate: 1})
	_, err := f.cr.Courses.List().Do()
	wantErr(t, err, 429, "")
	var ge *googleapi.Error
	if errors.As(err, &ge); !strings.Contains(ge.Body, "RESOURCE_EXHAUSTED") {
		t.Errorf("body %s", ge.Body)
	}
	_, err = f.dir.Groups.List().Domain("example.edu").Do()
	wantErr(t, err, 403, "userRateLimitExceeded")
	f.s.SetThrottleRate(0)
	f.s.AddFault(Fault{Method: "groups.list", Skip: 1, Times: 1, Status: 403, Reason: "quotaExceeded"})
	for i, want := range []int{0, 403, 0} {
		_, err := f.dir.Groups.List().Domain("example.edu").Do()
		if c, _ := apiErr(t, err); c != want {
			t.Errorf("call %d: %d, want %d", i, c, want)
		}
	}
	f.s.AddFault(Fault{Method: "courses.create", RetryAfter: "1"})
	_, err = f.cr.Courses.Create(&classroom.Course{Name: "x", OwnerId: "u0@example.edu"}).Do()
	if errors.As(err, &ge); ge.Code != 503 || ge.Header.Get("Retry-After") != "1" {
		t.Errorf("fault = %v", err)
	}
	f.s.ClearFaults()
	if _, err := f.cr.Courses.Create(&classroom.Course{Name: "x", OwnerId: "u0@example.edu"}).Do(); err != nil {
		t.Error(err)
	}
	wantCounts := map[string]int{"courses.list": 1, "groups.list": 4, "courses.create": 2}
	if diff := cmp.Diff(wantCounts, f.s.Counts()); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"courses.create": 1}, f.s.Writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
}

// The quotas are per API, on the sandbox's clock, and count reads: a
// request over one is refused as that API refuses it, with the wait until
// the window has room, and does not count; the other API is not held up.
func TestQuotas(t *testing.T) {
	now := t0
	f := newFixture(t, Options{Now: func() time.Time { return now },
		ClassroomQuota: fault.Quota{Limit: 2, Window: time.Minute}, DirectoryQuota: fault.Quota{Limit: 1, Window: time.Minute}})
	retryAfter := func(err error) string {
		var ge *googleapi.Error
		if !errors.As(err, &ge) {
			return ""
		}
		return ge.Header.Get("Retry-After")
	}
	for i := range 2 {
		if _, err := f.cr.Courses.List().Do(); err != nil {
			t.Fatalf("read %d within the quota: %v", i, err)
		}
		now = now.Add(20 * time.Second)
	}
	_, err := f.cr.Courses.Create(&classroom.Course{Name: "x", OwnerId: "u0@example.edu"}).Do()
	wantErr(t, err, 429, "")
	if ra := retryAfter(err); ra != "20" {
		t.Errorf("Classroom Retry-After %q at 40 s, want 20 (the read at 0 s leaves at 60 s)", ra)
	}
	if _, err := f.dir.Groups.List().Domain("example.edu").Do(); err != nil {
		t.Errorf("Directory with Classroom over its quota: %v", err)
	}
	_, err = f.dir.Groups.List().Domain("example.edu").Do()
	wantErr(t, err, 403, "userRateLimitExceeded")
	if ra := retryAfter(err); ra != "60" {
		t.Errorf("Directory Retry-After %q, want 60", ra)
	}
	now = now.Add(20 * time.Second)
	if _, err := f.cr.Courses.Create(&classroom.Course{Name: "x", OwnerId: "u0@example.edu"}).Do(); err != nil {
		t.Errorf("a write once the oldest read left the window: %v", err)
	}
	_, err = f.cr.Courses.List().Do()
	wantErr(t, err, 429, "")
	if got := f.s.OverQuota(); got != 3 {
		t.Errorf("OverQuota = %d, want 3", got)
	}
	if diff := cmp.Diff(map[string]int{"courses.create": 1}, f.s.Writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
}

func TestSeededThrottleRepeats(t *testing.T) {
	run := func() []int {
		f := newFixture(t, Options{ThrottleRate: 0.3, Seed: 7})
		var codes []int
		for range 40 {
			_, err := f.cr.Courses.List().Do()
			c, _ := apiErr(t, err)
			codes = append(codes, c)
		}
		return codes
	}
	a, b := run(), run()
	n := 0
	for _, c := range a {
		if c == 429 {
			n++
		}
	}
	if !cmp.Equal(a, b) || n == 0 || n == len(a) {
		t.Errorf("throttled %d of %d; repeat equal: %v", n, len(a), cmp.Equal(a, b))
	}
}

func TestTeacherStyleMutations(t *testing.T) {
	f := newFixture(t, Options{})
	if _, err := f.cr.Courses.Create(&classroom.Course{Id: "d:k", Name: "K", OwnerId: "u0@example.edu", CourseState: "ACTIVE"}).Do(); err != nil {
		t.Fatal(err)
	}
	f.s.ResetCounters()
	if err := f.s.RenameCourse("d:k", "K (renamed)"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.AddStudent("d:k", "u5@example.edu"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.AddStudent("d:none", "u5@example.edu"); err == nil {
		t.Error("AddStudent to a missing course succeeded")
	}
	c, err := f.cr.Courses.Get("d:k").Do()
	if err != nil || c.Name != "K (renamed)" {
		t.Errorf("course = %+v, %v", c, err)
	}
	st, err := f.cr.Courses.Students.List("d:k").Do()
	if err != nil || len(st.Students) != 1 || st.Students[0].Profile.EmailAddress != "u5@example.edu" {
		t.Errorf("students = %+v, %v", st, err)
	}
	if n := Sum(f.s.Writes()); n != 0 {
		t.Errorf("mutations counted as %d API writes", n)
	}
}

func TestUnknownPath(t *testing.T) {
	f := newFixture(t, Options{})
	_, err := f.cr.UserProfiles.Get("me").Do()
	wantErr(t, err, 404, "")
}

func TestLostRepliesAreCarriedOut(t *testing.T) {
	f := newFixture(t, Options{LostRate: 1})
	_, err := f.cr.Courses.Create(&classroom.Course{Id: "d:l", Name: "L", OwnerId: "u0@example.edu"}).Do()
	wantErr(t, err, 500, "")
	_, err = f.dir.Groups.Insert(&admin.Group{Email: "l@example.edu"}).Do()
	wantErr(t, err, 500, "backendError")
	f.s.ClearFaults()
	// The writes happened: a retry meets them.
	_, err = f.cr.Courses.Create(&classroom.Course{Id: "d:l", Name: "L", OwnerId: "u0@example.edu"}).Do()
	wantErr(t, err, 409, "")
	_, err = f.dir.Groups.Insert(&admin.Group{Email: "l@example.edu"}).Do()
	wantErr(t, err, 409, "duplicate")
	// Reads are never lost.
	g := newFixture(t, Options{LostRate: 1})
	if _, err := g.cr.Courses.List().Do(); err != nil {
		t.Error(err)
	}
}

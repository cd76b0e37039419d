package ss12000_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/elevsynk/elevsynk/internal/roster"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
	"github.com/elevsynk/elevsynk/internal/source/ss12000"
)

// fakeClock records the client's sleeps and advances instead of waiting.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// serverClock is the sandbox's clock, moved by tests between mutations.
type serverClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *serverClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *serverClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

var t0 = time.Date(2025, 9, 1, 6, 0, 0, 0, time.UTC)

type env struct {
	srv   *sandbox.Server
	hs    *httptest.Server
	clock *fakeClock
	sclk  *serverClock
}

// newEnv starts a sandbox holding the fixture register.
func newEnv(t *testing.T, opts sandbox.Options) *env {
	t.Helper()
	e := &env{clock: &fakeClock{now: t0}, sclk: &serverClock{now: t0}}
	opts.Now = e.sclk.Now
	e.srv = sandbox.New(opts)
	e.srv.FromSnapshot(fixture())
	e.hs = httptest.NewServer(e.srv)
	t.Cleanup(e.hs.Close)
	return e
}

// client returns a bearer-auth client for e; edit adjusts the config.
func (e *env) client(t *testing.T, edit func(*ss12000.Config)) *ss12000.Client {
	t.Helper()
	cfg := ss12000.Config{
		BaseURL: e.hs.URL + e.srv.BasePath(),
		Auth: ss12000.Auth{OAuth2: &ss12000.OAuth2{
			TokenURL: e.hs.URL + "/token", ClientID: "client", ClientSecret: "secret",
		}},
		PageSize: 2,
		Clock:    e.clock,
		Sandbox:  true,
		Retry:    ss12000.RetryPolicy{Jitter: func() float64 { return 0.5 }},
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := ss12000.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// ignoreInfo compares registers, not how they were fetched.
var ignoreInfo = cmpopts.IgnoreFields(ss12000.State{}, "Info")

func diffState(want, got *ss12000.State) string { return cmp.Diff(want, got, ignoreInfo) }

// Ids are fixed UUIDs so failures are readable.
const (
	orgHuvudman = "00000000-0000-0000-0000-00000000a001"
	orgSchool   = "00000000-0000-0000-0000-00000000a002"
	pupilAnna   = "00000000-0000-0000-0000-00000000b001"
	pupilBo     = "00000000-0000-0000-0000-00000000b002"
	pupilCeline = "00000000-0000-0000-0000-00000000b003"
	teacherDan  = "00000000-0000-0000-0000-00000000b004"
	class7A     = "00000000-0000-0000-0000-00000000c001"
	class7B     = "00000000-0000-0000-0000-00000000c002"
	dutyDan     = "00000000-0000-0000-0000-00000000d001"
	sylMath     = "00000000-0000-0000-0000-00000000e001"
	actMath7A   = "00000000-0000-0000-0000-00000000f001"
)

var (
	termStart = roster.MustParseDate("2025-08-18")
	termEnd   = roster.MustParseDate("2026-06-12")
)

// fixture is a small but complete register: a huvudman, a school unit,
// three pupils in two classes, a teacher with a mentor role and one
// activity. Names and civic numbers are made up.
func fixture() *roster.Snapshot {
	seven := 7
	pupil := func(id, given, family, civic string) roster.Person {
		return roster.Person{
			ID: id, GivenName: given, FamilyName: family,
			EduPersonPrincipalNames: []string{given + "@elev.example.se"},
			Emails:                  []roster.Email{{Value: given + "@elev.example.se", Type: "Skola elev"}},
			CivicNo:                 roster.CivicNo(civic),
			SecurityMarking:         "Ingen",
			PersonStatus:            "Aktiv",
			Enrolments: []roster.Enrolment{{SchoolUnitID: orgSchool, SchoolYear: 7, SchoolType: "GR",
				StartDate: roster.MustParseDate("2019-08-19")}},
		}
	}
	s := &roster.Snapshot{
		Organisations: []roster.Organisation{
			{ID: orgHuvudman, DisplayName: "Exempels kommun", Type: "Huvudman", OrganisationNumber: "2120000000", MunicipalityCode: "0180"},
			{ID: orgSchool, DisplayName: "Exempelskolan", Type: "Skolenhet", ParentID: orgHuvudman, SchoolUnitCode: "12345678",
				SchoolTypes: []roster.SchoolType{"GR"}, StartDate: roster.MustParseDate("2001-07-01")},
		},
		Persons: []roster.Person{
			pupil(pupilAnna, "Anna", "Andersson", "201201012381"),
			pupil(pupilBo, "Bo", "Berg", "201202022380"),
			pupil(pupilCeline, "Celine", "Carlsson", "201203032389"),
			{ID: teacherDan, GivenName: "Dan", FamilyName: "Dahl", EduPersonPrincipalNames: []string{"dan@example.se"},
				ExternalIdentifiers: []roster.Identifier{{Value: "dd01", Context: "https://example.se/hr", GloballyUnique: false}},
				SecurityMarking:     "Ingen"},
		},
		Groups: []roster.Group{
			{ID: class7A, DisplayName: "7A", Type: "Klass", SchoolUnitID: orgSchool, SchoolType: "GR", StartDate: termStart, EndDate: termEnd,
				Memberships: []roster.Membership{{PersonID: pupilAnna, StartDate: termStart}, {PersonID: pupilBo, StartDate: termStart}}},
			{ID: class7B, DisplayName: "7B", Type: "Klass", SchoolUnitID: orgSchool, SchoolType: "GR", StartDate: termStart, EndDate: termEnd,
				Memberships: []roster.Membership{{PersonID: pupilCeline, StartDate: termStart, EndDate: termEnd}}},
		},
		Duties: []roster.Duty{{ID: dutyDan, PersonID: teacherDan, SchoolUnitID: orgSchool, DutyRole: "Lärare", StartDate: roster.MustParseDate("2015-08-01"),
			AssignmentRoles: []roster.AssignmentRole{{GroupID: class7A, Role: "Mentor", StartDate: termStart}}}},
		Syllabuses: []roster.Syllabus{{ID: sylMath, SchoolType: "GR", SubjectCode: "GRGRMAT01", SubjectName: "Matematik", SubjectDesignation: "MA",
			StartSchoolYear: &seven, EndSchoolYear: &seven, Official: true}},
		Activities: []roster.Activity{{ID: actMath7A, DisplayName: "MA 7A", Type: "Undervisning", SchoolUnitID: orgSchool,
			GroupIDs: []string{class7A}, Teachers: []roster.ActivityTeacher{{DutyID: dutyDan, Grader: true}}, SyllabusID: sylMath,
			StartDate: termStart, EndDate: termEnd}},
	}
	s.Sort()
	return s
}

package google

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/elevsynk/elevsynk/internal/sandbox/fault"
)

// User is a Workspace account the server knows.
type User struct {
	// ID is the numeric user id; "" gets one assigned.
	ID         string
	Email      string
	GivenName  string
	FamilyName string
}

// Options configure a Server. The zero value serves domain example.edu with
// the documented caps and pages of at most 100 items.
type Options struct {
	// Domain is the Workspace's primary domain: group e-mails must be in it
	// and groups.list?domain= filters on it. "" means example.edu.
	Domain string
	Users  []User
	// PageSize is the largest page any list returns, whatever the client
	// asks for ("The server may return fewer than the specified number of
	// results", Classroom reference, courses.students.list). 0 means 100.
	PageSize int
	// MaxTeachers and MaxMembers are Classroom's class size limits: 50
	// teachers, 1000 members counting teachers and students
	// (https://support.google.com/edu/classroom/answer/7300976). 0 means
	// those values.
	MaxTeachers, MaxMembers int
	// ThrottleRate is the share of requests, 0 to 1, answered as throttled,
	// drawn from a PCG seeded with Seed so that a run repeats exactly.
	ThrottleRate float64
	Seed         uint64
	// LostRate is the share of writes, 0 to 1, that are carried out but
	// answered 500 backendError, as if the reply were lost on the way:
	// bulk Classroom writes see such sporadic 500s
	// (https://github.com/GAM-team/GAM/issues/1161), and a client that
	// retries meets its own earlier write (ALREADY_EXISTS, duplicate).
	LostRate float64
	// KeepOldGroupEmail: changing a group's e-mail keeps the previous one as
	// an alias, as the Admin console does ("If you change a group's email
	// address in the Admin console, the previous address gets added as an
	// email alias", https://support.google.com/a/answer/9007750). The
	// Directory reference does not say whether groups.patch does the same,
	// so tests run both ways.
	KeepOldGroupEmail bool
	// Now is the clock for creationTime, updateTime and the quotas; nil
	// means time.Now.
	Now func() time.Time
	// ClassroomQuota and DirectoryQuota, if set, are the per-user quotas
	// every request counts against, reads included; all domain-wide
	// delegation traffic is the one impersonated admin, so the per-user
	// limit is the one that binds. Classroom allows 1,200 requests per
	// minute per user as a 60-second moving average
	// (https://developers.google.com/workspace/classroom/reference/limits),
	// Directory 2,400 queries per minute per user per project
	// (https://developers.google.com/workspace/admin/directory/v1/limits).
	// A request over a quota is refused as that page says, Classroom 429
	// RESOURCE_EXHAUSTED, Directory 403 userRateLimitExceeded, with a
	// Retry-After until the window has room (the pages ask clients for
	// exponential backoff; the header lets a client that reads it wait
	// exactly), and does not count.
	ClassroomQuota, DirectoryQuota fault.Quota
}

// Server is the emulator; use it as an http.Handler (httptest.NewServer)
// and point clients at its URL with option.WithEndpoint(url + "/").
type Server struct {
	opts Options

	mu      sync.Mutex
	rng     *rand.Rand
	seq     int64
	users   map[string]*User  // id -> user
	byEmail map[string]string // lower-case e-mail -> user id

	courses map[string]*course // id -> course
	// listed is every course in courses.list order, made again after a
	// create or delete: a municipality's courses are paged through on
	// every Observe, and sorting them for each page was most of it.
	listed  []entry[*course]
	aliases map[string]string // course alias -> course id

	groups     map[string]*group // id -> group
	groupEmail map[string]string // lower-case e-mail or alias -> group id

	faults fault.List[Fault]
	counts fault.Tally[string]
	writes fault.Tally[string]

	classroomWindow, directoryWindow fault.Window
	overQuota                        int // requests refused by a quota
}

// New returns a server with the users of opts and nothing else.
func New(opts Options) *Server {
	if opts.Domain == "" {
		opts.Domain = "example.edu"
	}
	opts.Domain = strings.ToLower(opts.Domain)
	if opts.PageSize <= 0 {
		opts.PageSize = 100
	}
	if opts.MaxTeachers <= 0 {
		opts.MaxTeachers = 50
	}
	if opts.MaxMembers <= 0 {
		opts.MaxMembers = 1000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		opts:       opts,
		rng:        rand.New(rand.NewPCG(opts.Seed, 0x5eed)),
		users:      map[string]*User{},
		byEmail:    map[string]string{},
		courses:    map[string]*course{},
		aliases:    map[string]string{},
		groups:     map[string]*group{},
		groupEmail: map[string]string{},
	}
	s.AddUsers(opts.Users...)
	return s
}

// AddUsers adds accounts; a user whose e-mail is known already is skipped.
func (s *Server) AddUsers(users ...User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range users {
		e := strings.ToLower(u.Email)
		if _, ok := s.byEmail[e]; ok || e == "" {
			continue
		}
		if u.ID == "" {
			u.ID = s.newID(100000000000000000)
		}
		u.Email = e
		s.users[u.ID] = &u
		s.byEmail[e] = u.ID
	}
}

// newID returns a fresh numeric id above base; s.mu is held.
func (s *Server) newID(base int64) string {
	s.seq++
	return itoa(base + s.seq)
}

// user finds a user by id or e-mail (case-insensitive), as Classroom's
// userId and Directory's memberKey accept either; s.mu is held.
func (s *Server) user(key string) *User {
	if u, ok := s.users[key]; ok {
		return u
	}
	if id, ok := s.byEmail[strings.ToLower(key)]; ok {
		return s.users[id]
	}
	return nil
}

// ServeHTTP routes the Classroom paths under /v1/ and the Directory paths
// under /admin/directory/v1/, the relative paths google.golang.org/api
// appends to the endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/batch" {
		s.serveBatch(w, r)
		return
	}
	seg, ok := segments(r.URL)
	if !ok {
		writeClassroomError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "", "malformed path")
		return
	}
	api, method, handle := s.route(r.Method, seg)
	if handle == nil {
		writeClassroomError(w, http.StatusNotFound, "NOT_FOUND", "", "no such method")
		return
	}
	s.counts.Add(method)
	if s.throttled(w, api, method) {
		return
	}
	c := &call{w: w, r: r, seg: seg, api: api, method: method}
	if f := r.URL.Query().Get("fields"); f != "" {
		sel, err := parseFields(f)
		if err != nil {
			c.fail(http.StatusBadRequest, "INVALID_ARGUMENT", "invalidParameter", "Invalid field selection "+f)
			return
		}
		c.fields = sel
	}
	if r.Method != http.MethodGet && s.lose() {
		lost := *c
		lost.w = discard{}
		handle(&lost)
		if api == apiDirectory {
			writeDirectoryError(w, http.StatusInternalServerError, "backendError", "Backend Error")
		} else {
			writeClassroomError(w, http.StatusInternalServerError, "INTERNAL", "", "Internal error encountered.")
		}
		return
	}
	handle(c)
}

// lose draws whether this write's reply is lost.
func (s *Server) lose() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fault.Draw(s.opts.LostRate, s.rng)
}

// discard is a ResponseWriter for a reply that is lost.
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// segments splits the escaped path and unescapes each part, so an alias or
// e-mail with an escaped character stays one segment.
func segments(u *url.URL) ([]string, bool) {
	parts := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	for i, p := range parts {
		v, err := url.PathUnescape(p)
		if err != nil || v == "" {
			return nil, false
		}
		parts[i] = v
	}
	return parts, true
}

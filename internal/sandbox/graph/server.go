package graph

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/elevsynk/elevsynk/internal/sandbox/fault"
)

// Options configure a Server. The zero value serves an empty tenant with no
// authentication, pages of 100, no delays and no throttling.
type Options struct {
	// Users seeds the directory.
	Users []User
	// PageSize is the page size of lists when the client sends no $top;
	// $top is honoured up to 999 (concepts/paging). 0 means 100.
	PageSize int
	// Now is the clock for replication windows, team operations and token
	// lifetimes; nil means time.Now.
	Now func() time.Time
	// ReplicationDelay is how long a new group stays unknown to the
	// replicas that serve team creation and member adds: team creation
	// answers 404 and member adds 400 in that window (api/team-post,
	// example 4; api/group-post-members).
	ReplicationDelay time.Duration
	// TeamDelay is how long a team create, archive or unarchive operation
	// stays inProgress (resources/teamsasyncoperation).
	TeamDelay time.Duration
	// ThrottleRate is the share of requests, each inner $batch request on
	// its own, answered 429 with Retry-After (concepts/throttling). The
	// draw is seeded by Seed, so runs repeat.
	ThrottleRate float64
	Seed         int64
	// RetryAfter is the Retry-After of throttled answers, whole seconds;
	// 0 means 1 s.
	RetryAfter time.Duration
	// WriteQuota, if set, is Graph's write limit per app and tenant: at
	// most Limit writes in any Window, on the Now clock, so a test can run
	// hours of provisioning in virtual time. Graph allows 3,000 writes per
	// 2 min 30 s per app and tenant (concepts/throttling-limits, "Identity
	// and access service limits"); each request inside a $batch counts on
	// its own (concepts/json-batching). A write over the limit is answered
	// 429 with the Retry-After until the oldest write in the window leaves
	// it, and does not count.
	WriteQuota Quota
	// RouteQuotas, if set, limit single routes per app and tenant, keyed
	// as Counts keys them: Teams allows "POST /teams" 10 requests a
	// second (includes/throttling-teams, "Microsoft Teams service
	// limits"). A request over one is answered 429 with its Retry-After
	// and counts against neither quota.
	RouteQuotas map[string]Quota
	// DeltaTokenTTL is how long a delta token stays usable; 0 means seven
	// days (devblogs.microsoft.com/microsoft365dev/duration-of-change-tracking-tokens-for-identity-and-education-resources).
	DeltaTokenTTL time.Duration

	// TenantID, ClientID and ClientSecret turn on authentication: every
	// Graph request then needs a bearer token from the token endpoint.
	// Empty ClientID accepts every request.
	TenantID     string
	ClientID     string
	ClientSecret string
	// FederatedSubject is the subject a federated (workload identity)
	// assertion must carry; empty refuses federated assertions.
	FederatedSubject string

	// OnWrite, if set, is called with the running write count (Writes)
	// as each write arrives, before it is carried out, under the server's
	// lock: it must not call the Server. A crash test kills the client
	// from it, so the write lands and its answer is lost.
	OnWrite func(writes int)
}

// Server is the emulator; use it as an http.Handler. Serve it with
// httptest.NewTLSServer when the client authenticates: MSAL talks to
// authorities over https only.
type Server struct {
	opts Options

	mu    sync.Mutex
	rng   *rand.Rand
	users map[string]*User
	// userIDs are the users' ids, sorted; userIndex finds them by a
	// filterable attribute's folded value.
	userIDs   []string
	userIndex map[string]map[string][]string
	groups    map[string]*group
	// byUnique and nicknames find groups by folded uniqueName and by the
	// nickname of a Microsoft 365 group (unique among them); sorted is
	// the groups by id, nil after a create or delete.
	byUnique  map[string]*group
	nicknames map[string]string
	sorted    []*group
	ops       map[string]*operation
	pending   []string // operations not yet settled, oldest first
	nextID    int
	seq       int64
	changes   []change
	tokens    map[string]time.Time

	faults       fault.List[Fault]
	counts       fault.Tally[string]
	writes       int
	requests     int
	throttled    int
	window       fault.Window // the writes counted against WriteQuota
	routeWindows map[string]*fault.Window
}

// New returns a server with opts.Users in the directory.
func New(opts Options) *Server {
	if opts.PageSize <= 0 {
		opts.PageSize = 100
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = time.Second
	}
	if opts.DeltaTokenTTL <= 0 {
		opts.DeltaTokenTTL = 7 * 24 * time.Hour
	}
	s := &Server{
		opts:         opts,
		rng:          rand.New(rand.NewSource(opts.Seed)),
		users:        map[string]*User{},
		groups:       map[string]*group{},
		byUnique:     map[string]*group{},
		routeWindows: map[string]*fault.Window{},
		nicknames:    map[string]string{},
		ops:          map[string]*operation{},
		tokens:       map[string]time.Time{},
	}
	for i, u := range opts.Users {
		if u.ID == "" {
			// Directory object ids are GUIDs (resources/user, "id").
			u.ID = fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1)
		}
		s.users[u.ID] = &u
	}
	s.indexUsers()
	return s
}

// request is one Graph call, direct or inside a $batch.
type request struct {
	method string
	path   string // after /v1.0, decoded
	query  url.Values
	header http.Header
	body   []byte
	// base is the absolute service root, e.g. https://127.0.0.1:1234/v1.0,
	// for @odata.nextLink and Location.
	base string
}

// response is what a handler answers; body is JSON-encoded unless nil.
type response struct {
	status int
	header http.Header
	body   any
}

const apiRoot = "/v1.0"

// maxBody bounds request bodies, compressed and not.
const maxBody = 4 << 20

// ServeHTTP serves the token endpoints and the Graph API under /v1.0.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, apiRoot+"/") {
		s.serveAuth(w, r)
		return
	}
	body, err := readBody(r)
	if err != nil {
		writeResponse(w, errorResponse(http.StatusBadRequest, "BadRequest", "unreadable request body"))
		return
	}
	if !s.authorised(r) {
		writeResponse(w, errorResponse(http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or invalid."))
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	req := request{method: r.Method, path: strings.TrimPrefix(r.URL.Path, apiRoot), query: r.URL.Query(),
		header: r.Header, body: body, base: scheme + "://" + r.Host + apiRoot}
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
	writeResponse(w, s.dispatch(req, true))
}

// readBody reads the body, gunzipping it when the client compressed it:
// the Graph SDKs compress request bodies by default (kiota
// CompressionHandler).
func readBody(r *http.Request) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(raw) > maxBody {
		return nil, errors.New("body too large or unreadable")
	}
	if !strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		return raw, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxBody+1))
	if err != nil || len(out) > maxBody {
		return nil, errors.New("body too large or unreadable")
	}
	return out, nil
}

func writeResponse(w http.ResponseWriter, resp response) {
	for k, v := range resp.header {
		w.Header()[k] = v
	}
	if resp.body == nil {
		w.WriteHeader(resp.status)
		return
	}
	b, err := json.Marshal(resp.body)
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.status)
	_, _ = w.Write(b)
}

// errorResponse is Graph's error shape (concepts/errors).
func errorResponse(status int, code, message string) response {
	return response{status: status, body: map[string]any{
		"error": map[string]any{"code": code, "message": message},
	}}
}

// dispatch routes one request; top says it is not inside a $batch (a batch
// in a batch is refused). Each request is counted, may be faulted or
// throttled, and then runs under the lock; a $batch runs its inner
// requests through dispatch one by one.
func (s *Server) dispatch(req request, top bool) response {
	rt, h := s.route(req, top)
	s.mu.Lock()
	s.counts.Add(rt)
	if rt == batchRoute {
		s.mu.Unlock()
		return s.batch(req)
	}
	defer s.mu.Unlock()
	if isWrite(req.method) {
		s.writes++
		if s.opts.OnWrite != nil {
			s.opts.OnWrite(s.writes)
		}
	}
	if resp, ok := s.fault(rt); ok {
		return resp
	}
	if wait, over := s.overQuota(rt, req.method); over {
		s.throttled++
		resp := errorResponse(http.StatusTooManyRequests, "TooManyRequests", "Too many requests.")
		resp.header = http.Header{"Retry-After": {retryAfterSeconds(wait)}}
		return resp
	}
	if fault.Draw(s.opts.ThrottleRate, s.rng) {
		s.throttled++
		return s.throttle()
	}
	s.settle()
	if h == nil {
		return errorResponse(http.StatusBadRequest, "BadRequest", "Resource not found for the segment or method.")
	}
	return h(req)
}

// throttle is a 429 as Graph sends it: Retry-After in seconds
// (concepts/throttling, "Best practices to handle throttling").
func (s *Server) throttle() response {
	resp := errorResponse(http.StatusTooManyRequests, "TooManyRequests", "Too many requests.")
	resp.header = http.Header{"Retry-After": {retryAfterSeconds(s.opts.RetryAfter)}}
	return resp
}

// Quota is a limit of requests in a sliding window.
type Quota = fault.Quota

// overQuota counts a request against its route's quota and a write
// against the write quota, or says how long until both have room for it.
// Under s.mu.
func (s *Server) overQuota(route, method string) (time.Duration, bool) {
	now := s.opts.Now()
	rq, limited := s.opts.RouteQuotas[route]
	var rw *fault.Window
	if limited {
		if rw = s.routeWindows[route]; rw == nil {
			rw = new(fault.Window)
			s.routeWindows[route] = rw
		}
		if wait, ok := rw.Peek(rq, now); !ok {
			return wait, true
		}
	}
	if isWrite(method) {
		if wait, ok := s.window.Take(s.opts.WriteQuota, now); !ok {
			return wait, true
		}
	}
	if limited {
		rw.Take(rq, now)
	}
	return 0, false
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

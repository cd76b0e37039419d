package graph

import (
	"net/http"
	"strconv"
	"time"
)

// Fault is one injected answer. Faults are deterministic: of the requests
// to Route, the first Skip pass, the next Times (0 = all the rest) get the
// fault.
type Fault struct {
	// Route is a counter key such as "POST /teams" or "GET /groups/delta";
	// empty matches every route but $batch.
	Route  string
	Status int // 0 means 503
	Code   string
	// RetryAfter, if positive, is sent as Retry-After in whole seconds.
	RetryAfter time.Duration
	Skip       int
	Times      int
}

// AddFault installs f; faults are checked in the order added.
func (s *Server) AddFault(f Fault) { s.faults.Add(f, f.Skip, f.Times) }

// fault answers the first matching fault, under s.mu.
func (s *Server) fault(route string) (response, bool) {
	f, ok := s.faults.Match(func(f Fault) bool { return f.Route == "" || f.Route == route })
	if !ok {
		return response{}, false
	}
	st := f.Status
	if st == 0 {
		st = http.StatusServiceUnavailable
	}
	code := f.Code
	if code == "" {
		code = http.StatusText(st)
	}
	resp := errorResponse(st, code, "Injected fault.")
	if f.RetryAfter > 0 {
		resp.header = http.Header{"Retry-After": {retryAfterSeconds(f.RetryAfter)}}
	}
	if st == http.StatusTooManyRequests {
		s.throttled++
	}
	return resp, true
}

func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(max(1, int((d+time.Second-1)/time.Second)))
}

// Counts returns how many requests each route got, inner $batch requests
// included under their own routes; keys look like "PATCH /groups/{id}".
func (s *Server) Counts() map[string]int { return s.counts.Snapshot() }

// Writes is the number of POST, PATCH, PUT and DELETE requests received,
// inner $batch requests counted one by one and the $batch envelope not:
// what Graph's write quota counts (concepts/throttling-limits, "Identity
// and access service limits").
func (s *Server) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

// Requests is the number of HTTP requests to the API (a $batch is one).
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Throttled is the number of 429 answers given, inner ones included.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// ResetCounters zeroes the counters.
func (s *Server) ResetCounters() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.Reset()
	s.writes, s.requests, s.throttled = 0, 0, 0
}

// SetThrottleRate changes the share of throttled requests.
func (s *Server) SetThrottleRate(rate float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.ThrottleRate = rate
}

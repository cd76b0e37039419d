package google

import (
	"net/http"
	"strconv"
	"time"

	"github.com/elevsynk/elevsynk/internal/sandbox/fault"
)

// Fault is one injected failure. Faults are deterministic: of the requests
// to Method ("" = every method), the first Skip pass, the next Times are
// hit (0 = all the rest).
type Fault struct {
	Method string // e.g. "courses.students.create", "members.insert"
	// Status and Reason are the reply: 503 with Reason "backendError" when
	// Status is 0. A Reason is Directory's errors[].reason, or for
	// Classroom the "@Reason" message prefix.
	Status     int
	Reason     string
	RetryAfter string // Retry-After header value, if any
	Skip       int
	Times      int
}

// AddFault installs f; faults are checked in the order added, before the
// seeded throttling.
func (s *Server) AddFault(f Fault) { s.faults.Add(f, f.Skip, f.Times) }

// ClearFaults removes every fault and stops the seeded throttling and
// lost replies.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.Clear()
	s.opts.ThrottleRate, s.opts.LostRate = 0, 0
}

// SetThrottleRate changes the share of throttled requests.
func (s *Server) SetThrottleRate(rate float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.ThrottleRate = rate
}

// throttled answers the request with an injected fault or a throttle and
// reports whether it did. Classroom throttles with 429 RESOURCE_EXHAUSTED
// ("the RESOURCE_EXHAUSTED error that is returned when a request exceeds
// your limits", https://developers.google.com/workspace/classroom/reference/limits),
// Directory with 403 userRateLimitExceeded
// (https://developers.google.com/workspace/admin/directory/v1/limits).
func (s *Server) throttled(w http.ResponseWriter, api, method string) bool {
	s.mu.Lock()
	f, hit := s.faults.Match(func(f Fault) bool { return f.Method == "" || f.Method == method })
	throttle := !hit && fault.Draw(s.opts.ThrottleRate, s.rng)
	var wait time.Duration
	if !hit && !throttle {
		wait = s.takeQuota(api)
	}
	s.mu.Unlock()
	if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		throttle = true
	}
	switch {
	case hit:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		st, reason := f.Status, f.Reason
		if st == 0 {
			st, reason = http.StatusServiceUnavailable, "backendError"
		}
		if api == apiDirectory {
			writeDirectoryError(w, st, reason, "injected fault")
		} else {
			writeClassroomError(w, st, http.StatusText(st), reason, "injected fault")
		}
	case throttle && api == apiDirectory:
		writeDirectoryError(w, http.StatusForbidden, "userRateLimitExceeded", "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'.")
	case throttle:
		writeClassroomError(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", "", "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user'.")
	default:
		return false
	}
	return true
}

// takeQuota counts a request against its API's quota, or returns how long
// until the quota has room for it; s.mu is held.
func (s *Server) takeQuota(api string) time.Duration {
	q, win := s.opts.ClassroomQuota, &s.classroomWindow
	if api == apiDirectory {
		q, win = s.opts.DirectoryQuota, &s.directoryWindow
	}
	wait, ok := win.Take(q, s.opts.Now())
	if ok {
		return 0
	}
	s.overQuota++
	return max(wait, time.Nanosecond)
}

// OverQuota is the number of requests refused by ClassroomQuota or
// DirectoryQuota.
func (s *Server) OverQuota() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.overQuota
}

// wrote counts a request that changed state.
func (s *Server) wrote(c *call) { s.writes.Add(c.method) }

// Counts returns the requests per method ("courses.create",
// "members.insert", ...), throttled and failed ones included.
func (s *Server) Counts() map[string]int { return s.counts.Snapshot() }

// Writes returns the requests per method that changed state.
func (s *Server) Writes() map[string]int { return s.writes.Snapshot() }

// ResetCounters zeroes Counts and Writes.
func (s *Server) ResetCounters() {
	s.counts.Reset()
	s.writes.Reset()
}

// Sum adds up the values of a Counts or Writes map.
func Sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

package ss12000

import (
	"io"
	"maps"
	"net/http"
	"net/url"
	"time"
)

// FaultKind is what an injected fault does to a matching request.
type FaultKind int

const (
	// FaultStatus answers Fault.Status (e.g. 429, 500, 503, 404, 501)
	// with Fault.RetryAfter in Retry-After if set.
	FaultStatus FaultKind = iota
	// FaultMalformed answers 200 with JSON cut off inside a person, with a
	// made-up civic number and name in it, so tests can check that errors
	// do not repeat them.
	FaultMalformed
	// FaultNotEnvelope answers 200 with a bare JSON array instead of the
	// {data, pageToken} object.
	FaultNotEnvelope
	// FaultSlow waits Fault.Delay (or until the request is cancelled)
	// and then serves normally.
	FaultSlow
	// FaultEmptyPage answers an empty page whose token continues where the
	// request would have started, as servers that filter after paging do.
	FaultEmptyPage
	// FaultLoopToken serves the page normally but always hands back the
	// same token, as a buggy server would.
	FaultLoopToken
)

// Fault is one injected misbehaviour. Faults are deterministic: the first
// Skip matching requests pass, the next Times are hit (0 = all the rest).
type Fault struct {
	Endpoint   string // "persons", "deletedEntities", "token"; "" = every API endpoint
	Kind       FaultKind
	Status     int    // for FaultStatus; 0 means 503
	RetryAfter string // Retry-After header value, seconds or HTTP-date
	Delay      time.Duration
	Skip       int
	Times      int
}

// AddFault installs f; faults are checked in the order added.
func (s *Server) AddFault(f Fault) { s.faults.Add(f, f.Skip, f.Times) }

// ClearFaults removes every fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// match returns the fault that applies to this request, if any, and
// advances the faults' counters.
func (s *Server) match(ep string) *Fault {
	f, ok := s.faults.Match(func(f Fault) bool { return f.Endpoint == ep || (f.Endpoint == "" && ep != "token") })
	if !ok {
		return nil
	}
	return &f
}

// injectFault applies a fault that ends the request and reports whether it
// did. FaultSlow delays here; FaultEmptyPage and FaultLoopToken change the
// page, so they are returned for the list handler to apply.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request, ep string) (bool, *Fault) {
	f := s.match(ep)
	if f == nil {
		return false, nil
	}
	switch f.Kind {
	case FaultStatus:
		st := f.Status
		if st == 0 {
			st = http.StatusServiceUnavailable
		}
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		s.writeError(w, st, "injected", "injected fault")
		return true, nil
	case FaultMalformed:
		s.statuses.Add(http.StatusOK)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":[{"id":"00000000-0000-0000-0000-000000000001","civicNo":{"value":"201201012381"},"givenName":"Maj`))
		return true, nil
	case FaultNotEnvelope:
		s.statuses.Add(http.StatusOK)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[]`))
		return true, nil
	case FaultSlow:
		// net/http notices a client that hung up only once the body is
		// read; unread, a token POST would hold the handler for Delay.
		_, _ = io.Copy(io.Discard, r.Body)
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true, nil
		}
	case FaultEmptyPage, FaultLoopToken:
		return false, f
	}
	return false, nil
}

func (s *Server) count(ep string, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.Add(ep)
	s.queries[ep] = append(s.queries[ep], maps.Clone(r.URL.Query()))
}

// Count is the number of requests to ep ("persons", "token", ...) so far,
// faulted ones included.
func (s *Server) Count(ep string) int { return s.counts.Get(ep) }

// Counts returns a copy of every endpoint's request count.
func (s *Server) Counts() map[string]int { return s.counts.Snapshot() }

// Statuses returns how many responses had each HTTP status.
func (s *Server) Statuses() map[int]int { return s.statuses.Snapshot() }

// Queries returns the query of every request to ep, in order.
func (s *Server) Queries(ep string) []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.queries[ep]...)
}

// ResetCounters zeroes the counters and the query log.
func (s *Server) ResetCounters() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.Reset()
	s.statuses.Reset()
	s.queries = map[string][]url.Values{}
}

package fault

import (
	"io"
	"net/http"
	"sync/atomic"
)

// Silent is a server that takes requests and never answers, counting
// them: a hung vendor, for testing that clients time out. A request ends
// only when its client gives up. The zero value is ready.
type Silent struct {
	requests atomic.Int64
}

func (s *Silent) ServeHTTP(_ http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	// net/http notices a client that hung up only once the body is read.
	_, _ = io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

// Requests is the number of requests taken so far.
func (s *Silent) Requests() int64 { return s.requests.Load() }

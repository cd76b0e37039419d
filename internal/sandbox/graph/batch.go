package graph

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// JSON batching (concepts/json-batching): at most 20 requests, unique ids,
// relative URLs, headers required with a body, dependsOn ordering with 424
// Failed Dependency after a failed dependency, each request evaluated (and
// throttled) on its own, responses in any order.

const maxBatch = 20

type batchItem struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
	DependsOn []string          `json:"dependsOn"`
}

type batchBody struct {
	Requests []batchItem `json:"requests"`
}

var errBatch = errors.New("invalid batch")

// parseBatch reads and checks a batch body; it returns the requests in an
// order that runs every request after its dependencies.
func parseBatch(body []byte) ([]batchItem, error) {
	var b batchBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, errBatch
	}
	if len(b.Requests) == 0 || len(b.Requests) > maxBatch {
		return nil, errBatch
	}
	ids := map[string]bool{}
	for _, r := range b.Requests {
		if r.ID == "" || ids[r.ID] || r.Method == "" || r.URL == "" || strings.Contains(r.URL, "://") {
			return nil, errBatch
		}
		if hasBody(r.Body) && len(r.Headers) == 0 {
			return nil, errBatch
		}
		ids[r.ID] = true
	}
	for _, r := range b.Requests {
		for _, d := range r.DependsOn {
			if !ids[d] || d == r.ID {
				return nil, errBatch
			}
		}
	}
	// Kahn's order, stable in the listed order; a cycle leaves some out.
	done := map[string]bool{}
	out := make([]batchItem, 0, len(b.Requests))
	for len(out) < len(b.Requests) {
		progressed := false
		for _, r := range b.Requests {
			if done[r.ID] || !allDone(r.DependsOn, done) {
				continue
			}
			done[r.ID] = true
			out = append(out, r)
			progressed = true
		}
		if !progressed {
			return nil, errBatch
		}
	}
	return out, nil
}

func allDone(ids []string, done map[string]bool) bool {
	for _, id := range ids {
		if !done[id] {
			return false
		}
	}
	return true
}

func hasBody(b json.RawMessage) bool {
	t := strings.TrimSpace(string(b))
	return t != "" && t != "null"
}

// batch serves POST /$batch.
func (s *Server) batch(req request) response {
	items, err := parseBatch(req.body)
	if err != nil {
		return badRequest("Invalid batch request: at most 20 requests with unique ids, relative URLs, headers with every body and known dependsOn ids.")
	}
	status := map[string]int{}
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		resp := s.batchOne(req, it, status)
		status[it.ID] = resp.status
		entry := map[string]any{"id": it.ID, "status": resp.status}
		h := map[string]string{}
		for k := range resp.header {
			h[k] = resp.header.Get(k)
		}
		if resp.body != nil {
			h["Content-Type"] = "application/json"
			entry["body"] = resp.body
		}
		if len(h) > 0 {
			entry["headers"] = h
		}
		out = append(out, entry)
	}
	// "The status codes on individual responses … the order of responses
	// may be different from the order of requests" (concepts/json-batching).
	s.mu.Lock()
	s.rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	s.mu.Unlock()
	return response{status: http.StatusOK, body: map[string]any{"responses": out}}
}

func (s *Server) batchOne(outer request, it batchItem, status map[string]int) response {
	for _, d := range it.DependsOn {
		if status[d] >= 400 {
			return errorResponse(http.StatusFailedDependency, "FailedDependency", "A request this one depends on failed.")
		}
	}
	u, err := url.Parse(it.URL)
	if err != nil {
		return badRequest("Invalid request URL.")
	}
	h := http.Header{}
	for k, v := range it.Headers {
		h.Set(k, v)
	}
	var body []byte
	if hasBody(it.Body) {
		body = it.Body
	}
	path := strings.TrimPrefix("/"+strings.TrimPrefix(u.Path, "/"), apiRoot)
	return s.dispatch(request{method: strings.ToUpper(it.Method), path: path, query: u.Query(), header: h, body: body, base: outer.base}, false)
}

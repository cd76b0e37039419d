package google

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/time/rate"

	"github.com/elevsynk/elevsynk/internal/retry"
	"github.com/elevsynk/elevsynk/internal/target"
)

// transport puts every request under its API's rate limit, counts it, and
// retries throttles and server errors with backoff. Requests are replayed
// with GetBody, which google.golang.org/api's requests (bytes.Buffer
// bodies) have.
type transport struct {
	base   http.RoundTripper
	opts   Options
	retry  retry.Policy
	limits *limits
	stats  *target.Counter
}

func newTransport(base http.RoundTripper, opts Options, lim *limits, stats *target.Counter) *transport {
	return &transport{base: base, opts: opts, retry: opts.retry(), limits: lim, stats: stats}
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	lim := t.limits.classroom
	if strings.Contains(req.URL.Path, "/admin/directory/") {
		lim = t.limits.directory
	}
	calls, batch := callsIn(ctx)
	write := req.Method != http.MethodGet && !batch // batches only read
	for attempt := 1; ; attempt++ {
		if err := t.wait(ctx, lim, calls); err != nil {
			return nil, err
		}
		r := req
		if attempt > 1 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r = req.Clone(ctx)
			r.Body = body
		}
		for range calls {
			t.stats.Request(write)
		}
		resp, err := t.base.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		throttle, again := classify(resp)
		if throttle {
			t.stats.Throttle()
		}
		if !again || attempt >= t.retry.MaxAttempts || (req.Body != nil && req.GetBody == nil) {
			return resp, nil
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		d, err := t.retry.Wait(attempt, resp.Header.Get("Retry-After"), t.opts.Now())
		if err != nil {
			// The status and the wait only: the URL can hold an e-mail.
			return nil, fmt.Errorf("google: HTTP %d: %w", resp.StatusCode, err)
		}
		if err := t.opts.Sleep(ctx, d); err != nil {
			return nil, err
		}
	}
}

// wait takes a token a call from lim on the injectable clock. The tokens
// are reserved one by one: a batch holds more calls than the bucket.
func (t *transport) wait(ctx context.Context, lim *rate.Limiter, calls int) error {
	if lim.Limit() == rate.Inf {
		return nil
	}
	now := t.opts.Now()
	rs := make([]*rate.Reservation, calls)
	for i := range rs {
		rs[i] = lim.ReserveN(now, 1)
	}
	if err := t.opts.Sleep(ctx, rs[calls-1].DelayFrom(now)); err != nil {
		at := t.opts.Now()
		for _, r := range slices.Backward(rs) {
			r.CancelAt(at)
		}
		return err
	}
	return nil
}

// classify says whether resp is a throttle and whether to retry it.
// Throttles: 429 (Classroom RESOURCE_EXHAUSTED,
// https://developers.google.com/workspace/classroom/reference/limits), 403
// with reason userRateLimitExceeded, rateLimitExceeded or quotaExceeded
// (Directory, https://developers.google.com/workspace/admin/directory/v1/limits),
// and 503 with Retry-After. Other 500, 502, 503 and 504 are retried too:
// bulk Classroom writes see sporadic 500s
// (https://github.com/GAM-team/GAM/issues/1161), and every write here is
// idempotent.
func classify(resp *http.Response) (throttle, retry bool) {
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true, true
	case http.StatusServiceUnavailable:
		return resp.Header.Get("Retry-After") != "", true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return false, true
	case http.StatusForbidden:
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		limited := rateLimitReason(b)
		return limited, limited
	}
	return false, false
}

// rateLimitReason reports whether a Google JSON error body carries one of
// the rate-limit reasons.
func rateLimitReason(body []byte) bool {
	var e struct {
		Error struct {
			Errors []struct{ Reason string } `json:"errors"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return false
	}
	for _, x := range e.Error.Errors {
		switch x.Reason {
		case "userRateLimitExceeded", "rateLimitExceeded", "quotaExceeded":
			return true
		}
	}
	return false
}

package google

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/elevsynk/elevsynk/internal/target"
)

// transport puts every request under its API's rate limit, counts it, and
// retries throttles and server errors with backoff. Requests are replayed
// with GetBody, which google.golang.org/api's requests (bytes.Buffer
// bodies) have.
type transport struct {
	base      http.RoundTripper
	opts      Options
	classroom *rate.Limiter
	directory *rate.Limiter
	stats     *target.Counter

	mu  sync.Mutex
	rng *rand.Rand
}

func newTransport(base http.RoundTripper, opts Options, stats *target.Counter) *transport {
	return &transport{base: base, opts: opts, stats: stats,
		classroom: rate.NewLimiter(opts.ClassroomQPS, opts.Burst),
		directory: rate.NewLimiter(opts.DirectoryQPS, opts.Burst),
		rng:       rand.New(rand.NewPCG(uint64(opts.Now().UnixNano()), 1))}
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	lim := t.classroom
	if strings.Contains(req.URL.Path, "/admin/directory/") {
		lim = t.directory
	}
	write := req.Method != http.MethodGet
	for attempt := 0; ; attempt++ {
		if err := t.wait(ctx, lim); err != nil {
			return nil, err
		}
		r := req
		if attempt > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r = req.Clone(ctx)
			r.Body = body
		}
		t.stats.Request(write)
		resp, err := t.base.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		throttle, retry := classify(resp)
		if throttle {
			t.stats.Throttle()
		}
		if !retry || attempt >= t.opts.MaxRetries || (req.Body != nil && req.GetBody == nil) {
			return resp, nil
		}
		d := t.backoff(attempt, resp.Header.Get("Retry-After"))
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		if err := t.opts.Sleep(ctx, d); err != nil {
			return nil, err
		}
	}
}

// wait takes a token from lim on the injectable clock.
func (t *transport) wait(ctx context.Context, lim *rate.Limiter) error {
	if lim.Limit() == rate.Inf {
		return nil
	}
	now := t.opts.Now()
	r := lim.ReserveN(now, 1)
	if err := t.opts.Sleep(ctx, r.DelayFrom(now)); err != nil {
		r.CancelAt(t.opts.Now())
		return err
	}
	return nil
}

// backoff is BaseDelay doubled per attempt, capped at MaxDelay, with
// "equal jitter" (half fixed, half random), and never less than a
// Retry-After the server sent.
func (t *transport) backoff(attempt int, retryAfter string) time.Duration {
	d := t.opts.MaxDelay
	if attempt < 30 {
		d = min(t.opts.BaseDelay<<attempt, t.opts.MaxDelay)
	}
	t.mu.Lock()
	d = d/2 + time.Duration(t.rng.Int64N(int64(d/2)+1))
	t.mu.Unlock()
	if s, err := strconv.Atoi(retryAfter); err == nil && s > 0 {
		d = max(d, time.Duration(s)*time.Second)
	}
	return d
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

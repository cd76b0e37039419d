package msgraph

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	khttp "github.com/microsoft/kiota-http-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"

	"github.com/elevsynk/elevsynk/internal/retry"
	"github.com/elevsynk/elevsynk/internal/target"
)

// retrier takes the place of kiota's RetryHandler in the SDK's middleware
// chain. It retries 429, 503 and 504 as Microsoft documents (honour
// Retry-After, else back off exponentially:
// https://learn.microsoft.com/en-us/graph/throttling) but sleeps through
// Options.Sleep, so tests do not wait, and it counts every attempt in the
// Target's Counter. Every attempt first waits out the tenant's hold, and
// a 429 extends it.
type retrier struct {
	counter *target.Counter
	sleep   func(context.Context, time.Duration) error
	now     func() time.Time
	policy  retry.Policy
	hold    *hold
}

// writeKey marks a $batch context that carries a write, since the batch
// itself is a POST either way.
type writeKey struct{}

func withWrite(ctx context.Context, write bool) context.Context {
	return context.WithValue(ctx, writeKey{}, write)
}

func isWrite(req *http.Request) bool {
	if w, ok := req.Context().Value(writeKey{}).(bool); ok {
		return w
	}
	return req.Method != http.MethodGet
}

// Intercept implements khttp.Middleware.
func (r retrier) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	write := isWrite(req)
	for attempt := 1; ; attempt++ {
		if err := r.hold.wait(req.Context(), r.policy, r.now(), r.sleep); err != nil {
			return nil, err
		}
		// A fresh request each time: later middleware (compression) edits
		// headers and body in place.
		try := req.Clone(req.Context())
		if body != nil {
			try.Body = io.NopCloser(bytes.NewReader(body))
			try.ContentLength = int64(len(body))
		}
		resp, err := p.Next(try, i)
		r.counter.Request(write)
		if err != nil {
			return nil, err
		}
		ra := resp.Header.Get("Retry-After")
		if resp.StatusCode == http.StatusTooManyRequests {
			r.hold.throttled(r.policy, ra, r.now())
		}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable && ra != "" {
			r.counter.Throttle()
		}
		if !retryable(resp.StatusCode) || attempt >= r.policy.MaxAttempts {
			return resp, nil
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d, err := r.policy.Wait(attempt, ra, r.now())
		if err != nil {
			return nil, fmt.Errorf("microsoft365: HTTP %d: %w", resp.StatusCode, err)
		}
		if err := r.sleep(req.Context(), d); err != nil {
			return nil, err
		}
	}
}

// retryable: the answers Microsoft says to retry, 429 Too Many Requests,
// 503 Service Unavailable and 504 Gateway Timeout (graph/throttling,
// "Best practices to handle throttling"; graph/errors).
func retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// middlewares is the SDK's default chain with the retrier in place of
// kiota's RetryHandler, and without its CompressionHandler. That one
// gzips every request body with a fresh compressor of most of a megabyte:
// for $batch bodies of a few kilobytes it was three quarters of what a
// Graph full read cost the manager, and 7 % of a first pass. Graph takes
// bodies either way.
func middlewares(r retrier) []khttp.Middleware {
	var out []khttp.Middleware
	for _, m := range msgraphcore.GetDefaultMiddlewaresWithOptions(&msgraphcore.GraphClientOptions{}) {
		switch m.(type) {
		case *khttp.RetryHandler, khttp.RetryHandler:
			out = append(out, r)
		case *khttp.CompressionHandler:
		default:
			out = append(out, m)
		}
	}
	return out
}

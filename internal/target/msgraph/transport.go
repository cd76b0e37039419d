package msgraph

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	khttp "github.com/microsoft/kiota-http-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"

	"github.com/elevsynk/elevsynk/internal/target"
)

// retrier takes the place of kiota's RetryHandler in the SDK's middleware
// chain. It retries 429, 503 and 504 as Microsoft documents (honour
// Retry-After, else back off exponentially:
// https://learn.microsoft.com/en-us/graph/throttling) but sleeps through
// Options.Sleep, so tests do not wait, and it counts every attempt in the
// Target's Counter.
type retrier struct {
	counter     *target.Counter
	sleep       func(context.Context, time.Duration) error
	maxAttempts int
	backoff     time.Duration
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
		delay, retry := retryDelay(resp, attempt, r.backoff)
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "" {
			r.counter.Throttle()
		}
		if !retry || attempt >= r.maxAttempts {
			return resp, nil
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err := r.sleep(req.Context(), delay); err != nil {
			return nil, err
		}
	}
}

// retryDelay says whether an answer is worth another try and after how
// long: Retry-After when given, else Backoff doubled per attempt, capped at
// a minute.
func retryDelay(resp *http.Response, attempt int, backoff time.Duration) (time.Duration, bool) {
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
	default:
		return 0, false
	}
	return retryAfter(resp.Header.Get("Retry-After"), attempt, backoff), true
}

func retryAfter(h string, attempt int, backoff time.Duration) time.Duration {
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(0, time.Until(t))
	}
	return min(backoff<<min(attempt-1, 10), time.Minute)
}

// middlewares is the SDK's default chain with the retrier in place of
// kiota's RetryHandler.
func middlewares(r retrier) []khttp.Middleware {
	var out []khttp.Middleware
	for _, m := range msgraphcore.GetDefaultMiddlewaresWithOptions(&msgraphcore.GraphClientOptions{}) {
		switch m.(type) {
		case *khttp.RetryHandler, khttp.RetryHandler:
			out = append(out, r)
		default:
			out = append(out, m)
		}
	}
	return out
}

package msgraph

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
)

// TestBodiesUncompressed provisions through a hook that sees every
// request: bodies go out plain (see middlewares), and there are bodies.
func TestBodiesUncompressed(t *testing.T) {
	st := handState()
	e := newEnv(t, usersFor(st), nil)
	var bodies, gzipped atomic.Int64
	tg := e.adapter(func(r *http.Request, next http.RoundTripper) (*http.Response, error) {
		if r.Body != nil && r.Body != http.NoBody {
			bodies.Add(1)
		}
		if r.Header.Get("Content-Encoding") != "" {
			gzipped.Add(1)
		}
		return next.RoundTrip(r)
	})
	p, res := sync1(t, context.Background(), tg, st)
	if len(res.Failures) > 0 || res.Applied != len(p.Actions) {
		t.Fatalf("apply: %+v", res)
	}
	if bodies.Load() == 0 || gzipped.Load() != 0 {
		t.Errorf("%d requests with a body, %d of them compressed; want some, none", bodies.Load(), gzipped.Load())
	}
}

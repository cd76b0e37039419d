package msgraph

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/elevsynk/elevsynk/internal/retry"
	"github.com/elevsynk/elevsynk/internal/target"
)

// hold is the time before which no request goes to one tenant. Graph
// throttles per app and tenant ("limits any further requests from that
// client app for some time", https://learn.microsoft.com/en-us/graph/throttling),
// so when one Target of a tenant is told to wait, its other Targets would
// only be throttled too, and their requests "accrue against your usage
// limits": all of them hold back until the Retry-After has passed.
type hold struct {
	mu    sync.Mutex
	until time.Time
}

// tenantHolds keys holds by endpoint and tenant id: a sandbox is not the
// service's quota.
var tenantHolds target.PerKey[*hold]

func holdOf(endpoint, tenant string) *hold {
	return tenantHolds.Get(endpoint+" "+tenant, func() *hold { return new(hold) })
}

// longestHold bounds what one answer can hold a tenant for: a Retry-After
// of years is a server's mistake, and Time.Add must not overflow.
const longestHold = 24 * time.Hour

// throttled records a 429's Retry-After. A wait beyond the policy's cap
// is recorded whole: the request that got it fails, and so do the other
// Targets' until the time is up, without sending.
func (h *hold) throttled(p retry.Policy, retryAfter string, now time.Time) {
	d, ok, err := p.RetryAfter(retryAfter, now)
	if tl := (*retry.TooLongError)(nil); errors.As(err, &tl) {
		d = tl.Wait
	}
	if !ok || d <= 0 {
		return
	}
	until := now.Add(min(d, longestHold))
	h.mu.Lock()
	defer h.mu.Unlock()
	if until.After(h.until) {
		h.until = until
	}
}

// wait sleeps until the hold has passed, or fails at once when that is
// longer than the policy waits.
func (h *hold) wait(ctx context.Context, p retry.Policy, now time.Time, sleep func(context.Context, time.Duration) error) error {
	h.mu.Lock()
	d := h.until.Sub(now)
	h.mu.Unlock()
	if d <= 0 {
		return nil
	}
	d, err := p.Bound(d)
	if err != nil {
		return fmt.Errorf("microsoft365: the tenant is throttled: %w", err)
	}
	return sleep(ctx, d)
}

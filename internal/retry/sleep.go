// Package retry holds what the clients that retry (the SS 12000 source,
// the Google and Microsoft 365 targets) and the controllers share: how long
// to wait before the next try (backoff and a bounded Retry-After), and
// waiting it out on the real clock without outliving the request.
package retry

import (
	"context"
	"time"
)

// Sleep waits d, or returns ctx.Err() as soon as ctx ends. A d of zero or
// less only checks ctx, so a cancelled request never waits.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

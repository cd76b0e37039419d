package retry

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxRetryAfter bounds a server's Retry-After when a Policy leaves
// MaxRetryAfter zero: long enough for the waits Graph, Google and the
// SS 12000 vendors send in practice, short enough that one request cannot
// hold a reconcile (and the controller's worker) for long.
const DefaultMaxRetryAfter = 2 * time.Minute

// Policy is when to try a request again. The clients keep their own
// rules for which answers are worth another try; Policy is only the
// timing.
type Policy struct {
	// MaxAttempts is the number of tries of one request, the first
	// included.
	MaxAttempts int
	// BaseDelay is the first backoff; it doubles per attempt up to
	// MaxDelay. A zero MaxDelay keeps every backoff at BaseDelay.
	BaseDelay, MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After honoured; 0 means
	// DefaultMaxRetryAfter.
	MaxRetryAfter time.Duration
	// Jitter returns a value in [0,1); nil means math/rand/v2, which is
	// safe for concurrent use. Tests fix it.
	Jitter func() float64
}

// WithDefaults fills the zero fields of p from def, so each client states
// its defaults once as a Policy.
func (p Policy) WithDefaults(def Policy) Policy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = def.MaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = def.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = def.MaxDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = def.MaxRetryAfter
	}
	if p.Jitter == nil {
		p.Jitter = def.Jitter
	}
	return p
}

// Delay is the backoff after the attempt-th failure (attempt counts from
// 1): BaseDelay doubled per attempt, capped at MaxDelay, with "equal
// jitter" (half fixed, half random) so that clients throttled together do
// not come back in lockstep, while a wait never drops below half the
// nominal delay. This is Google's "truncated exponential backoff"
// (https://developers.google.com/workspace/admin/directory/v1/limits) and
// the exponential backoff Microsoft asks for when Graph sends no
// Retry-After (https://learn.microsoft.com/en-us/graph/throttling).
func (p Policy) Delay(attempt int) time.Duration {
	d := max(p.BaseDelay, 0)
	for i := 1; i < attempt && d < p.MaxDelay; i++ {
		d *= 2
	}
	if p.MaxDelay > 0 {
		d = min(d, p.MaxDelay)
	}
	j := rand.Float64
	if p.Jitter != nil {
		j = p.Jitter
	}
	return d/2 + time.Duration(j()*float64(d/2))
}

// Wait is the pause before the next try after the attempt-th failure: the
// server's Retry-After when it gave one, else Delay(attempt). A
// Retry-After of zero (or a date already past, as clock skew makes) gives
// no real pause, so it falls back to the backoff rather than retrying at
// once. A Retry-After over the cap is a *TooLongError.
func (p Policy) Wait(attempt int, retryAfter string, now time.Time) (time.Duration, error) {
	d, ok, err := p.RetryAfter(retryAfter, now)
	if err != nil {
		return 0, err
	}
	if ok && d > 0 {
		return d, nil
	}
	return p.Delay(attempt), nil
}

// RetryAfter reads a Retry-After header (RFC 9110 §10.2.3): delay-seconds
// or an HTTP-date, relative to now. ok is false when the header is absent
// or unusable; a date in the past means now.
//
// A wait over MaxRetryAfter is not shortened to the cap but refused with
// a *TooLongError, for all clients alike: retrying before the server's
// time is up only earns another throttle, and Graph counts those tries
// against the quota too ("Avoid immediate retries, because all requests
// accrue against your usage limits", graph/throttling). Failing at once
// ends the reconcile with an error that says how long the server asked
// for, and the controller tries again later, instead of a worker sleeping
// through an hour-long penalty.
func (p Policy) RetryAfter(h string, now time.Time) (d time.Duration, ok bool, err error) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false, nil
	}
	if secs, perr := strconv.ParseInt(h, 10, 64); perr == nil {
		if secs < 0 {
			return 0, false, nil
		}
		// Compare in seconds: secs*time.Second could overflow.
		if secs > int64(p.maxRetryAfter()/time.Second) {
			return 0, true, &TooLongError{Wait: time.Duration(min(secs, int64(maxDuration/time.Second))) * time.Second, Max: p.maxRetryAfter()}
		}
		return time.Duration(secs) * time.Second, true, nil
	}
	t, perr := http.ParseTime(h)
	if perr != nil {
		return 0, false, nil
	}
	d, err = p.Bound(t.Sub(now))
	return d, true, err
}

// Bound is d if the policy accepts waiting that long, zero for a d in the
// past, and a *TooLongError beyond MaxRetryAfter. Besides Retry-After it
// serves waits a client learnt another way, such as a tenant-wide hold.
func (p Policy) Bound(d time.Duration) (time.Duration, error) {
	if d > p.maxRetryAfter() {
		return 0, &TooLongError{Wait: d, Max: p.maxRetryAfter()}
	}
	return max(d, 0), nil
}

func (p Policy) maxRetryAfter() time.Duration {
	if p.MaxRetryAfter > 0 {
		return p.MaxRetryAfter
	}
	return DefaultMaxRetryAfter
}

const maxDuration = time.Duration(1<<63 - 1)

// TooLongError is a server asking to wait longer than the policy allows.
// Wait lets a controller requeue after the server's time instead of its
// own backoff.
type TooLongError struct {
	Wait, Max time.Duration
}

func (e *TooLongError) Error() string {
	return fmt.Sprintf("server asks to wait %s, more than the %s allowed", e.Wait, e.Max)
}

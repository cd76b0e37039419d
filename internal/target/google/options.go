package google

import (
	"context"
	"net/http"
	"time"

	"golang.org/x/time/rate"

	"github.com/elevsynk/elevsynk/internal/retry"
)

// Options are the knobs FromSpec takes besides the spec: test hooks and
// tuning. The zero value is right for production.
type Options struct {
	// HTTPClient's transport carries every request (under the rate limit,
	// retries and, for https endpoints, the OAuth2 token); nil means
	// http.DefaultTransport.
	HTTPClient *http.Client
	// Now and Sleep are the clock: the rate limiter reserves at Now and
	// waits with Sleep, and so does retry backoff. nil means time.Now and
	// a timer that stops when ctx ends.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error

	// ClassroomQPS and DirectoryQPS are client-side rate limits. Classroom
	// allows 50 queries per second per project and 20 per user; all
	// domain-wide delegation traffic is the one impersonated admin, so 20
	// binds (https://developers.google.com/workspace/classroom/reference/limits).
	// Directory allows 2,400 queries per minute per user per project, 40
	// per second (https://developers.google.com/workspace/admin/directory/v1/limits).
	// 0 means those defaults; rate.Inf turns the limit off.
	ClassroomQPS, DirectoryQPS rate.Limit

	// Sandbox allows a plain http endpoint on a loopback host, which is
	// then sent no credentials (a sandbox needs no Secret); every other
	// endpoint must be https (internal/endpoint).
	Sandbox bool
	// Burst is the limiters' bucket size; 0 means 5.
	Burst int

	// MaxRetries is how often one request is retried after a throttle or
	// a server error before its error is returned; 0 means 7. BaseDelay
	// (0 means 1 s) doubles per retry up to MaxDelay (0 means 32 s), with
	// jitter: Google's "truncated exponential backoff"
	// (https://developers.google.com/workspace/admin/directory/v1/limits).
	// A Retry-After over MaxRetryAfter (0 means 2 minutes) fails the
	// request at once (see retry.Policy.RetryAfter). Jitter is the
	// backoff's random source, in [0,1); nil means math/rand.
	MaxRetries          int
	BaseDelay, MaxDelay time.Duration
	MaxRetryAfter       time.Duration
	Jitter              func() float64

	// Timeout bounds one HTTP request, reading the answer included; 0
	// means 60 s. It covers the service account's token requests too.
	Timeout time.Duration

	// Workers is how many rooms Observe reads at once, and Apply changes
	// at once of each API (Classroom and Directory have quotas of their
	// own); 0 means 4. One room's actions always run in order.
	Workers int
	// PageSize is asked of Classroom lists; 0 means 500 ("The server may
	// return fewer than the specified number of results", Classroom
	// reference, courses.students.list). Directory lists ask for their
	// maximum, 200 (Directory reference, groups.list maxResults).
	PageSize int64
	// AliasRecheck is how long Observe trusts what it learnt of a course's
	// aliases before listing them again, a share of the courses each pass
	// (see ownedCourses); 0 means 24 hours. Courses made by teachers are
	// then not re-read on every pass.
	AliasRecheck time.Duration
	// RecheckPasses: each Observe reads again the people of one in
	// RecheckPasses of the rooms it read before and Apply has not written
	// to since, those read longest ago (see rosters); 0 means 1, every
	// room every pass.
	RecheckPasses int
}

func (o Options) withDefaults() Options {
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = retry.Sleep
	}
	if o.ClassroomQPS == 0 {
		o.ClassroomQPS = 20
	}
	if o.DirectoryQPS == 0 {
		o.DirectoryQPS = 40
	}
	if o.Burst <= 0 {
		o.Burst = 5
	}
	if o.MaxRetries <= 0 {
		o.MaxRetries = 7
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = time.Second
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 32 * time.Second
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = retry.DefaultMaxRetryAfter
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Minute
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.PageSize <= 0 {
		o.PageSize = 500
	}
	if o.RecheckPasses <= 0 {
		o.RecheckPasses = 1
	}
	if o.AliasRecheck <= 0 {
		o.AliasRecheck = 24 * time.Hour
	}
	return o
}

// retry is the timing of the transport's retries.
func (o Options) retry() retry.Policy {
	return retry.Policy{MaxAttempts: o.MaxRetries + 1, BaseDelay: o.BaseDelay, MaxDelay: o.MaxDelay,
		MaxRetryAfter: o.MaxRetryAfter, Jitter: o.Jitter}
}

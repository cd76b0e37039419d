package msgraph

import (
	"context"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/elevsynk/elevsynk/internal/retry"
)

// Options are the knobs tests and operators turn; the zero value follows
// Microsoft's guidance with real time.
type Options struct {
	// HTTPClient carries Graph and token requests (its Transport is the
	// bottom of the SDK's middleware chain); nil means
	// http.DefaultTransport.
	HTTPClient *http.Client
	// TokenFile is the federated token of workload identity; empty reads
	// AZURE_FEDERATED_TOKEN_FILE as the AKS webhook sets it.
	TokenFile string
	// Credential, if set, replaces the spec's auth and the Secret. It is
	// for a sandbox on plain http (a demo), whose token endpoint MSAL will
	// not use: MSAL takes https authorities only.
	Credential azcore.TokenCredential

	// Sleep waits d or until ctx ends; nil sleeps on a timer. Now reads
	// HTTP-date Retry-After values and the tenant's throttling hold; nil
	// means time.Now. Tests pass a fake clock's.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time
	// MaxAttempts bounds tries of one request on 429, 503 and 504; 0
	// means 6.
	MaxAttempts int
	// Backoff is the first delay of exponential backoff when an answer
	// has no Retry-After; 0 means 2 s. It doubles per attempt up to a
	// minute, with jitter from Jitter (in [0,1); nil means math/rand).
	Backoff time.Duration
	Jitter  func() float64
	// MaxRetryAfter is the longest Retry-After waited for; a longer one
	// fails the request at once (see retry.Policy.RetryAfter). 0 means
	// 2 minutes.
	MaxRetryAfter time.Duration
	// Timeout bounds one HTTP request, reading the answer included, and
	// one token request; 0 means 60 s.
	Timeout time.Duration
	// ReplicationRetries and ReplicationDelay handle a new group that
	// other replicas do not know yet: team creation answering 404 and
	// member adds answering 400 are retried this many times, first after
	// ReplicationDelay and then after twice the wait before. Microsoft
	// recommends three retries 10 s apart for team creation
	// (https://learn.microsoft.com/en-us/graph/api/team-post, example 4).
	// 0 means 3 and 10 s.
	ReplicationRetries int
	ReplicationDelay   time.Duration
	// PollInterval and PollAttempts pace the polling of team operations;
	// 0 means 5 s and 60.
	PollInterval time.Duration
	PollAttempts int
	// FullEvery makes every FullEvery-th Observe a full pass; the others
	// read /groups/delta. 0 means 12; 1 turns delta off.
	FullEvery int

	// Sandbox allows a plain http endpoint on a loopback host; every
	// other endpoint must be https (internal/endpoint).
	Sandbox bool
}

func (o Options) withDefaults() Options {
	if o.Sleep == nil {
		o.Sleep = retry.Sleep
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defD := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.MaxAttempts, 6)
	def(&o.ReplicationRetries, 3)
	def(&o.PollAttempts, 60)
	def(&o.FullEvery, 12)
	defD(&o.Backoff, 2*time.Second)
	defD(&o.MaxRetryAfter, retry.DefaultMaxRetryAfter)
	defD(&o.Timeout, time.Minute)
	defD(&o.ReplicationDelay, 10*time.Second)
	defD(&o.PollInterval, 5*time.Second)
	return o
}

// retry is the timing of retries, of direct requests and of requests
// inside a $batch alike.
func (o Options) retry() retry.Policy {
	return retry.Policy{MaxAttempts: o.MaxAttempts, BaseDelay: o.Backoff, MaxDelay: time.Minute,
		MaxRetryAfter: o.MaxRetryAfter, Jitter: o.Jitter}
}

package ss12000

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/elevsynk/elevsynk/internal/endpoint"
	"github.com/elevsynk/elevsynk/internal/retry"
)

// Config is everything a Client needs, as plain values: the controller
// reads the Secrets and fills it in, so this package never sees Kubernetes.
type Config struct {
	// BaseURL is the API root including the vendor's base path, e.g.
	// https://api.ist.com/ss12000v2-api/source/SE00100/v2.0 (IST) or
	// https://host/api/v1 (Edlevo). Endpoint paths are appended to it.
	BaseURL string

	Auth Auth

	// CAPEM, when set, replaces the system roots for verifying the server
	// (and the token endpoint).
	CAPEM []byte

	// PageSize is the limit sent on every list request; 0 means 100.
	PageSize int

	// HTTPClient, when set, is the base client: its Transport (if an
	// *http.Transport) is cloned to add TLS settings. Its Timeout is not
	// used; Timeout and TokenTimeout are.
	HTTPClient *http.Client

	// Timeout bounds one page request, reading the body included; 0 means
	// 30 s. TokenTimeout bounds one OAuth2 token request; 0 means 15 s.
	// A server that accepts a connection and never answers then fails the
	// attempt instead of hanging the reconcile.
	Timeout, TokenTimeout time.Duration

	Retry RetryPolicy

	// Clock is used for sleeping between retries and for State.Info times;
	// nil means the real clock. Tests inject one so nothing really waits.
	Clock Clock

	// Optional lists the endpoints whose 404/501 is tolerated; nil means
	// DefaultOptional.
	Optional []Endpoint

	// IncrementalCreated also asks each list for meta.created.after in an
	// incremental fetch, for vendors that do not set modified on creation.
	// It costs one more listing per endpoint.
	IncrementalCreated bool

	// MaxPageBytes bounds one response body; 0 means 256 MiB.
	MaxPageBytes int64

	// MaxEmptyPages bounds consecutive empty pages that still carry a
	// token; 0 means 100.
	MaxEmptyPages int

	// UserAgent is sent on every request; empty means "elevsynk".
	UserAgent string

	// Sandbox allows plain http to a loopback host, for BaseURL and the
	// token URL alike; every other URL must be https (internal/endpoint).
	Sandbox bool
}

// Auth is how the client authenticates. Set exactly one of OAuth2 and
// APIKey, or neither when MutualTLS alone authenticates; MutualTLS may be
// combined with either.
type Auth struct {
	OAuth2    *OAuth2
	APIKey    *APIKey
	MutualTLS *MutualTLS
}

// OAuth2 is the client credentials grant (RFC 6749 §4.4). The spec itself
// only says bearer tokens (components/securitySchemes/BearerAuth); IST and
// Edlevo issue them this way.
type OAuth2 struct {
	TokenURL     string
	ClientID     string
	ClientSecret string
	Scopes       []string
	// AuthStyleInParams sends client id and secret in the form body
	// instead of HTTP Basic (RFC 6749 §2.3.1 allows both). False means
	// auto-detect, which tries Basic first.
	AuthStyleInParams bool
}

// APIKey sends a static key in a request header.
type APIKey struct {
	Header string // empty means X-API-Key
	Key    string
}

// MutualTLS presents a client certificate.
type MutualTLS struct {
	CertPEM []byte
	KeyPEM  []byte
}

// RetryPolicy bounds retries of 429 and 5xx responses and transport
// errors. Zero fields take defaultRetry's values; a Retry-After beyond
// MaxRetryAfter fails the request (see retry.Policy.RetryAfter).
type RetryPolicy = retry.Policy

// defaultRetry: 5 tries, backoff from 500 ms up to 30 s, Retry-After up
// to 2 minutes.
var defaultRetry = RetryPolicy{MaxAttempts: 5, BaseDelay: 500 * time.Millisecond, MaxDelay: 30 * time.Second,
	MaxRetryAfter: retry.DefaultMaxRetryAfter}

// Clock is the time source; Sleep returns ctx.Err() if ctx ends first.
type Clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error { return retry.Sleep(ctx, d) }

func (c *Config) validate() error {
	if c.BaseURL == "" {
		return errors.New("ss12000: BaseURL is required")
	}
	a := c.Auth
	switch {
	case a.OAuth2 != nil && a.APIKey != nil:
		return errors.New("ss12000: set only one of Auth.OAuth2 and Auth.APIKey")
	case a.OAuth2 == nil && a.APIKey == nil && a.MutualTLS == nil:
		return errors.New("ss12000: no authentication configured")
	case a.OAuth2 != nil && (a.OAuth2.TokenURL == "" || a.OAuth2.ClientID == ""):
		return errors.New("ss12000: OAuth2 needs TokenURL and ClientID")
	case a.APIKey != nil && a.APIKey.Key == "":
		return errors.New("ss12000: APIKey.Key is empty")
	case a.MutualTLS != nil && (len(a.MutualTLS.CertPEM) == 0 || len(a.MutualTLS.KeyPEM) == 0):
		return errors.New("ss12000: MutualTLS needs CertPEM and KeyPEM")
	}
	if err := endpoint.Check("BaseURL", c.BaseURL, c.Sandbox); err != nil {
		return fmt.Errorf("ss12000: %w", err)
	}
	if a.OAuth2 != nil {
		if err := endpoint.Check("TokenURL", a.OAuth2.TokenURL, c.Sandbox); err != nil {
			return fmt.Errorf("ss12000: %w", err)
		}
	}
	return nil
}

package ss12000

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

// Client reads one SS 12000 API. It is safe for concurrent use; its token
// cache is shared by all calls.
type Client struct {
	base     string
	http     *http.Client
	apiKey   *APIKey
	retry    RetryPolicy
	clock    Clock
	pageSize int
	optional []Endpoint
	created  bool
	maxBytes int64
	maxEmpty int
	agent    string

	requests atomic.Int64
	retries  atomic.Int64
}

// New validates cfg and returns a Client. It does not contact the server.
func New(cfg Config) (*Client, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	hc, err := newHTTPClient(&cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:     strings.TrimRight(cfg.BaseURL, "/"),
		http:     hc,
		apiKey:   cfg.Auth.APIKey,
		retry:    cfg.Retry.WithDefaults(defaultRetry),
		clock:    cfg.Clock,
		pageSize: cfg.PageSize,
		optional: cfg.Optional,
		created:  cfg.IncrementalCreated,
		maxBytes: cfg.MaxPageBytes,
		maxEmpty: cfg.MaxEmptyPages,
		agent:    cfg.UserAgent,
	}
	if c.clock == nil {
		c.clock = realClock{}
	}
	if c.pageSize <= 0 {
		c.pageSize = 100
	}
	if c.optional == nil {
		c.optional = DefaultOptional
	}
	if c.maxBytes <= 0 {
		c.maxBytes = 256 << 20
	}
	if c.maxEmpty <= 0 {
		c.maxEmpty = 100
	}
	if c.agent == "" {
		c.agent = "elevsynk"
	}
	return c, nil
}

// Stats are the client's request counters, for metrics.
type Stats struct {
	Requests int64 // HTTP requests sent to the API, retries included
	Retries  int64 // of which were retries
}

// Stats returns the counters since New.
func (c *Client) Stats() Stats {
	return Stats{Requests: c.requests.Load(), Retries: c.retries.Load()}
}

func (c *Client) isOptional(ep Endpoint) bool { return slices.Contains(c.optional, ep) }

// get fetches one page, retrying 429, 5xx and transport errors within the
// retry policy, and returns the body of a 200.
func (c *Client) get(ctx context.Context, ep Endpoint, page int, q url.Values) ([]byte, error) {
	u := c.base + "/" + string(ep)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			c.retries.Add(1)
		}
		body, again, retryAfter, err := c.try(ctx, ep, page, u)
		if err == nil {
			return body, nil
		}
		if !again {
			return nil, err
		}
		if attempt >= c.retry.MaxAttempts {
			var se *StatusError
			if errors.As(err, &se) {
				se.Attempts = attempt
			}
			return nil, fmt.Errorf("ss12000: %s page %d: giving up after %d attempts: %w", ep, page, attempt, err)
		}
		wait, werr := c.retry.Wait(attempt, retryAfter, c.clock.Now())
		if werr != nil {
			return nil, fmt.Errorf("ss12000: %s page %d: %w: %w", ep, page, werr, err)
		}
		if err := c.clock.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("ss12000: %s page %d: %w", ep, page, err)
		}
	}
}

// try sends one request. On an error, again says whether another try may
// cure it, and retryAfter is the server's Retry-After, if any.
func (c *Client) try(ctx context.Context, ep Endpoint, page int, u string) (body []byte, again bool, retryAfter string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, false, "", fmt.Errorf("ss12000: %s: building request: %w", ep, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.agent)
	if c.apiKey != nil {
		h := c.apiKey.Header
		if h == "" {
			h = "X-API-Key"
		}
		req.Header.Set(h, c.apiKey.Key)
	}
	c.requests.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, "", fmt.Errorf("ss12000: %s page %d: %w", ep, page, ctx.Err())
		}
		if ae := asAuthError(err); ae != nil {
			return nil, ae.StatusCode == http.StatusTooManyRequests || ae.StatusCode >= 500, "", ae
		}
		if tlsRefused(err) {
			return nil, false, "", fmt.Errorf("ss12000: %s page %d: TLS refused (check the CA and client certificate): %w", ep, page, redactURL(err))
		}
		return nil, true, "", fmt.Errorf("ss12000: %s page %d: %w", ep, page, redactURL(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes+1))
		if err != nil {
			if ctx.Err() != nil {
				return nil, false, "", fmt.Errorf("ss12000: %s page %d: %w", ep, page, ctx.Err())
			}
			return nil, true, "", fmt.Errorf("ss12000: %s page %d: reading body: %w", ep, page, err)
		}
		if int64(len(body)) > c.maxBytes {
			return nil, false, "", fmt.Errorf("ss12000: %s page %d: response larger than %d bytes", ep, page, c.maxBytes)
		}
		return body, false, "", nil
	}
	// Drain a little so the connection can be reused; never keep it.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	se := &StatusError{Endpoint: ep, Page: page, StatusCode: resp.StatusCode, Attempts: 1}
	return nil, retryable(resp.StatusCode), resp.Header.Get("Retry-After"), se
}

// retryable is 429 Too Many Requests (RFC 6585 §4) and 5xx except 501,
// which says the endpoint does not exist rather than that it failed.
func retryable(code int) bool {
	return code == http.StatusTooManyRequests || code >= 500 && code != http.StatusNotImplemented
}

// tlsRefused recognises TLS failures that a retry cannot cure: the server
// rejected our certificate (a TLS alert, surfaced by crypto/tls as a
// net.OpError with Op "remote error"), or we rejected the server's.
func tlsRefused(err error) bool {
	var op *net.OpError
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	return errors.As(err, &op) && op.Op == "remote error" ||
		errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he)
}

// redactURL drops the query from a *url.Error: page tokens are opaque and
// may encode whatever the server likes.
func redactURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if p, perr := url.Parse(ue.URL); perr == nil {
			p.RawQuery = ""
			return &url.Error{Op: ue.Op, URL: p.String(), Err: ue.Err}
		}
	}
	return err
}

func itoa(n int) string { return strconv.Itoa(n) }

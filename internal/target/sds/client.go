package sds

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/elevsynk/elevsynk/internal/retry"
	"github.com/elevsynk/elevsynk/internal/target"
)

// client is a plain net/http JSON client of Microsoft Graph beta
// external/industryData and of the data lake its upload sessions point at.
// It is not msgraph-sdk-go: industryData exists only in beta, which the
// v1.0 SDK does not have, and the beta SDK (a separate module of generated
// code) would be the only user of itself here for eight calls. It shares
// the rest with the microsoft365 adapter: the azidentity credential
// (internal/target/entra) and the retry policy (internal/retry), retrying
// 429, 503 and 504 after Retry-After or exponential backoff as Graph asks
// (https://learn.microsoft.com/en-us/graph/throttling).
type client struct {
	hc      *http.Client
	cred    azcore.TokenCredential
	scope   string
	policy  retry.Policy
	sleep   func(context.Context, time.Duration) error
	now     func() time.Time
	counter *target.Counter
}

// APIError is a refused request: its status and Graph's error code (never
// the message, which may echo data, nor the URL, which may carry a SAS).
type APIError struct {
	What   string
	Status int
	Code   string
}

func (e *APIError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("%s: HTTP %d", e.What, e.Status)
	}
	return fmt.Sprintf("%s: HTTP %d %s", e.What, e.Status, e.Code)
}

// request is one call; what names it in errors without its URL.
type request struct {
	method, url, what string
	body              []byte
	json              bool
	header            map[string]string
	// bearer sends the Graph token; the data lake takes the SAS in the URL.
	bearer bool
}

// do sends r, retrying as the policy allows, and returns the answer of the
// last try with its body read. A non-2xx answer is an *APIError.
func (c *client) do(ctx context.Context, r request) (*http.Response, []byte, error) {
	for attempt := 1; ; attempt++ {
		resp, body, err := c.once(ctx, r)
		if err != nil {
			return nil, nil, err
		}
		ra := resp.Header.Get("Retry-After")
		throttled := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable && ra != ""
		if throttled {
			c.counter.Throttle()
		}
		if resp.StatusCode < 300 {
			return resp, body, nil
		}
		retryable := throttled || resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusGatewayTimeout
		if !retryable || attempt >= c.policy.MaxAttempts {
			return resp, body, apiError(r.what, resp.StatusCode, body)
		}
		wait, err := c.policy.Wait(attempt, ra, c.now())
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", r.what, err)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, nil, err
		}
	}
}

func (c *client) once(ctx context.Context, r request) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, bytes.NewReader(r.body))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", r.what, err)
	}
	if r.body == nil {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	if r.json {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	if r.bearer {
		tok, err := c.cred.GetToken(ctx, azpolicy.TokenRequestOptions{Scopes: []string{c.scope}})
		if err != nil {
			return nil, nil, fmt.Errorf("%s: getting a token: %w", r.what, err)
		}
		req.Header.Set("Authorization", "Bearer "+tok.Token)
	}
	resp, err := c.hc.Do(req)
	c.counter.Request(r.method != http.MethodGet)
	if err != nil {
		// A *url.Error prints its URL, and a data lake URL holds its SAS.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, nil, fmt.Errorf("%s: %w", r.what, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: reading the answer: %w", r.what, err)
	}
	return resp, body, nil
}

// maxAnswer bounds an answer read: industryData answers are small lists.
const maxAnswer = 8 << 20

// apiError reads Graph's error code ({"error":{"code":…}}); ParseError
// is fuzzed, as the answer comes from outside.
func apiError(what string, status int, body []byte) *APIError {
	return &APIError{What: what, Status: status, Code: ParseErrorCode(body)}
}

// ParseErrorCode is the code of a Graph or storage error body, "" when it
// has none. Codes are short identifiers; anything else is dropped so an
// error never carries free text from the answer.
func ParseErrorCode(body []byte) string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || !isCode(e.Error.Code) {
		return ""
	}
	return e.Error.Code
}

func isCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-')
	}) < 0
}

// getJSON and sendJSON are do for Graph JSON calls.
func (c *client) getJSON(ctx context.Context, url, what string, out any) error {
	_, body, err := c.do(ctx, request{method: http.MethodGet, url: url, what: what, bearer: true})
	if err != nil {
		return err
	}
	return decode(body, what, out)
}

func (c *client) sendJSON(ctx context.Context, method, url, what string, in, out any) (*http.Response, error) {
	var b []byte
	if in != nil {
		var err error
		if b, err = json.Marshal(in); err != nil {
			return nil, err
		}
	}
	resp, body, err := c.do(ctx, request{method: method, url: url, what: what, body: b, json: in != nil, bearer: true})
	if err != nil || out == nil {
		return resp, err
	}
	return resp, decode(body, what, out)
}

func decode(body []byte, what string, out any) error {
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s: the answer is not the JSON expected: %w", what, err)
	}
	return nil
}

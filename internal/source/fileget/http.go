package fileget

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/elevsynk/elevsynk/internal/retry"
)

// HTTP is an export at an HTTPS URL: one file or a zip.
type HTTP struct {
	URL string
	// Client sends the requests: its transport carries TLS (CA, client
	// certificate); Header adds e.g. Authorization.
	Client *http.Client
	Header http.Header
	// TempDir holds the download while it is read; "" is os.TempDir().
	TempDir string
	// Retry is when to try again after a network error, 429 or 5xx.
	Retry retry.Policy
	// now is the clock for Retry-After dates; tests fix it.
	now func() time.Time
}

// defaultRetry tries a download three times: an export server that is
// down for longer is waited for by the source's next fetch, not here.
var defaultRetry = retry.Policy{MaxAttempts: 3, BaseDelay: 2 * time.Second, MaxDelay: 30 * time.Second}

// StatusError is an answer that is not the export.
type StatusError struct {
	URL    string
	Status int
}

func (e *StatusError) Error() string {
	switch e.Status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Sprintf("%s answered %d %s: check the auth Secret", e.URL, e.Status, http.StatusText(e.Status))
	case http.StatusNotFound:
		return fmt.Sprintf("%s answered 404 Not Found: check the url", e.URL)
	}
	return fmt.Sprintf("%s answered %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// Get downloads the export unless the server says it is since's.
func (h HTTP) Get(ctx context.Context, since string) (*Export, error) {
	pol := h.Retry.WithDefaults(defaultRetry)
	now := h.now
	if now == nil {
		now = time.Now
	}
	e := &Export{}
	for attempt := 1; ; attempt++ {
		resp, err := h.do(ctx, since)
		e.Requests++
		retryAfter := ""
		switch {
		case err != nil && ctx.Err() != nil:
			return nil, err
		case err != nil:
		case resp.StatusCode == http.StatusNotModified:
			resp.Body.Close()
			e.Version, e.Unchanged = since, true
			return e, nil
		case resp.StatusCode == http.StatusOK:
			err := h.save(e, resp, since)
			resp.Body.Close()
			if err != nil {
				e.Close()
				return nil, err
			}
			return e, nil
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			retryAfter = resp.Header.Get("Retry-After")
			resp.Body.Close()
			err = &StatusError{URL: redact(h.URL), Status: resp.StatusCode}
		default:
			resp.Body.Close()
			return nil, &StatusError{URL: redact(h.URL), Status: resp.StatusCode}
		}
		if attempt >= pol.MaxAttempts {
			return nil, err
		}
		wait, werr := pol.Wait(attempt, retryAfter, now())
		if werr != nil {
			return nil, errors.Join(err, werr)
		}
		if err := retry.Sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func (h HTTP) do(ctx context.Context, since string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.URL, nil)
	if err != nil {
		return nil, err
	}
	for k, vs := range h.Header {
		req.Header[k] = vs
	}
	if v, ok := strings.CutPrefix(since, "etag:"); ok {
		req.Header.Set("If-None-Match", v)
	} else if v, ok := strings.CutPrefix(since, "modified:"); ok {
		req.Header.Set("If-Modified-Since", v)
	}
	client := h.Client
	if client == nil {
		client = http.DefaultClient
	}
	return client.Do(req)
}

// save copies the body to a temporary file and opens it. The version is
// the ETag, else Last-Modified, else the content's hash, so a server that
// sends neither still lets an unchanged export go unread.
func (h HTTP) save(e *Export, resp *http.Response, since string) error {
	f, err := os.CreateTemp(h.TempDir, "elevsynk-export-*")
	if err != nil {
		return fmt.Errorf("a temporary file for the download: %w", err)
	}
	e.cleanup = append(e.cleanup, func() error { return os.Remove(f.Name()) })
	sum := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, sum), resp.Body)
	e.Bytes = n
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		// net/http fails the body with io.ErrUnexpectedEOF when it is
		// shorter than Content-Length.
		return fmt.Errorf("%s: the download broke off after %s: %w", redact(h.URL), sizeText(n), err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return fmt.Errorf("%s: downloaded %s of %s", redact(h.URL), sizeText(n), sizeText(resp.ContentLength))
	}
	switch {
	case resp.Header.Get("ETag") != "":
		e.Version = "etag:" + resp.Header.Get("ETag")
	case resp.Header.Get("Last-Modified") != "":
		e.Version = "modified:" + resp.Header.Get("Last-Modified")
	default:
		e.Version = "sha256:" + hex.EncodeToString(sum.Sum(nil))
	}
	if e.Version == since {
		e.Unchanged = true
		return nil
	}
	u, _ := url.Parse(h.URL)
	return openLocal(e, f.Name(), baseName(u.Path))
}

// redact drops a URL's query and user info, where a token may hide.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the url"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

package ss12000

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// DecodeError says that a response was not the JSON the spec promises. It
// names the endpoint, the page (1-based) and where the JSON went wrong, and
// never quotes the body: it may hold names and civic numbers.
type DecodeError struct {
	Endpoint Endpoint
	Page     int
	Reason   string // from a fixed vocabulary, never from the body
	Offset   int64  // byte offset into the body, or -1 when unknown
	Field    string // JSON path of the schema field, e.g. "data.meta", when known
}

func (e *DecodeError) Error() string {
	s := fmt.Sprintf("ss12000: %s page %d: %s", e.Endpoint, e.Page, e.Reason)
	if e.Field != "" {
		s += " in field " + e.Field
	}
	if e.Offset >= 0 {
		s += " at byte offset " + strconv.FormatInt(e.Offset, 10)
	}
	return s
}

// StatusError is a response with a status we do not retry (or stopped
// retrying). The body is not kept.
type StatusError struct {
	Endpoint   Endpoint
	Page       int
	StatusCode int
	Attempts   int
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("ss12000: %s page %d: HTTP %d %s", e.Endpoint, e.Page, e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden:
		s += " (check the credentials and the API client's permissions)"
	case e.StatusCode == http.StatusBadRequest:
		s += " (the server refused the query)"
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	return s
}

// Unsupported reports whether the status means the server does not
// implement the endpoint at all (404 Not Found or 501 Not Implemented).
func (e *StatusError) Unsupported() bool {
	return e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusNotImplemented
}

// ErrPageTokenLoop is returned when the server hands back a pageToken it
// has already given for the same listing, which would page forever.
var ErrPageTokenLoop = errors.New("ss12000: server repeated a pageToken")

// ErrTooManyEmptyPages is returned when a server keeps sending empty pages
// with fresh tokens; see Config.MaxEmptyPages.
var ErrTooManyEmptyPages = errors.New("ss12000: too many consecutive empty pages")

// AuthError is a failure to get a token from the OAuth2 token endpoint.
type AuthError struct {
	StatusCode int    // HTTP status of the token endpoint, 0 if none
	Code       string // RFC 6749 §5.2 error code, e.g. invalid_client
	Err        error  // the underlying error when there was no response
}

func (e *AuthError) Error() string {
	if e.StatusCode == 0 {
		return fmt.Sprintf("ss12000: oauth2 token request failed: %v", e.Err)
	}
	s := fmt.Sprintf("ss12000: oauth2 token request failed: HTTP %d", e.StatusCode)
	if e.Code != "" {
		s += " " + e.Code
	}
	return s + " (check client id, client secret and token URL)"
}

func (e *AuthError) Unwrap() error { return e.Err }

func unsupported(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Unsupported()
}

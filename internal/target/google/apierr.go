package google

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"google.golang.org/api/googleapi"
)

// apiError is what the adapter keeps of a failed call: the method, the
// HTTP code and Google's reason. Messages are dropped, so a Failure built
// from it cannot carry an address.
type apiError struct {
	method string
	code   int
	reason string
}

func (e *apiError) Error() string {
	if e.reason != "" {
		return fmt.Sprintf("%s: HTTP %d %s", e.method, e.code, e.reason)
	}
	return fmt.Sprintf("%s: HTTP %d", e.method, e.code)
}

// wrap turns a call's error into an *apiError, keeping context errors and
// reducing transport errors to the method name.
func wrap(method string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		return &apiError{method: method, reason: "transport error"}
	}
	return &apiError{method: method, code: ge.Code, reason: reasonOf(ge)}
}

// reasonOf is Directory's errors[0].reason or Classroom's "@Reason"
// message prefix ("the error message is prepended with @ and a specific
// error type",
// https://developers.google.com/workspace/classroom/troubleshooting/error-structure).
func reasonOf(ge *googleapi.Error) string {
	if r, ok := strings.CutPrefix(ge.Message, "@"); ok {
		r, _, _ = strings.Cut(r, " ")
		return r
	}
	if len(ge.Errors) > 0 {
		return ge.Errors[0].Reason
	}
	return ""
}

func codeOf(err error) int {
	var e *apiError
	if errors.As(err, &e) {
		return e.code
	}
	return 0
}

func reason(err error) string {
	var e *apiError
	if errors.As(err, &e) {
		return e.reason
	}
	return ""
}

func isCode(err error, code int) bool { return codeOf(err) == code }

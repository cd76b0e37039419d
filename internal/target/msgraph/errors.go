package msgraph

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// graphError is a failed Graph answer. Its text is the status and Graph's
// error code only: Graph's messages can quote object ids and names.
type graphError struct {
	status  int
	code    string
	message string
}

func (e *graphError) Error() string {
	if e.code == "" {
		return fmt.Sprintf("HTTP %d", e.status)
	}
	return fmt.Sprintf("HTTP %d %s", e.status, e.code)
}

// parseError reads Graph's error shape {"error":{"code","message"}}.
func parseError(status int, body []byte) *graphError {
	var b struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &b)
	return &graphError{status: status, code: b.Error.Code, message: b.Error.Message}
}

// asGraphError turns an SDK error into a graphError, when it is one.
func asGraphError(err error) (*graphError, bool) {
	var ge *graphError
	if errors.As(err, &ge) {
		return ge, true
	}
	var oe *odataerrors.ODataError
	if errors.As(err, &oe) {
		out := &graphError{status: oe.ResponseStatusCode}
		if m := oe.GetErrorEscaped(); m != nil {
			if c := m.GetCode(); c != nil {
				out.code = *c
			}
			if msg := m.GetMessage(); msg != nil {
				out.message = *msg
			}
		}
		return out, true
	}
	return nil, false
}

// alreadyExists: binding a present member or owner ("One or more added
// object references already exist",
// https://learn.microsoft.com/en-us/graph/api/group-post-members).
func (e *graphError) alreadyExists() bool {
	return e != nil && (e.status == 400 && strings.Contains(e.message, "already exist") && !e.nicknameTaken())
}

// notReplicated: a member add that reached a replica not knowing the new
// group yet ("The source resource object or one of the objects being
// referenced do not exist", group-post-members).
func (e *graphError) notReplicated() bool {
	return e != nil && (e.status == 400 && strings.Contains(e.message, "source resource object"))
}

// nicknameTaken: a Microsoft 365 group with the mailNickname exists.
func (e *graphError) nicknameTaken() bool {
	return e != nil && (e.status == 400 && strings.Contains(e.message, "same value for property mailNickname"))
}

// expiredDelta: a delta link past its lifetime (400 syncStateNotFound,
// https://devblogs.microsoft.com/microsoft365dev/duration-of-change-tracking-tokens-for-identity-and-education-resources)
// or one the service dropped (410 Gone).
func (e *graphError) expiredDelta() bool {
	return e != nil && (e.status == 410 || e.status == 400 && strings.EqualFold(e.code, "syncStateNotFound"))
}

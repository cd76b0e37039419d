package google

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// call is one request on its way through a handler.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	seg    []string
	api    string    // apiClassroom or apiDirectory
	method string    // e.g. "courses.students.create"
	fields selection // the fields parameter; nil for all
}

const (
	apiClassroom = "classroom"
	apiDirectory = "directory"
)

// decode reads the JSON body into v; a malformed body is a 400.
func (c *call) decode(v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, 1<<20))
	if err := dec.Decode(v); err != nil {
		c.fail(http.StatusBadRequest, "INVALID_ARGUMENT", "invalid", "Invalid JSON payload received.")
		return false
	}
	return true
}

// ok writes v as the 200 response, with only the fields asked for.
func (c *call) ok(v any) {
	c.w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	if c.fields == nil {
		_ = json.NewEncoder(c.w).Encode(v)
		return
	}
	out, err := filter(v, c.fields)
	if err != nil {
		c.fail(http.StatusInternalServerError, "INTERNAL", "backendError", err.Error())
		return
	}
	_, _ = c.w.Write(out)
}

// empty is the 200 with an empty JSON object that Classroom answers
// deletes with ("If successful, the response body is an empty JSON
// object", Classroom reference, courses.delete); Directory deletes answer
// 204 with no body (Directory reference, groups.delete, members.delete).
func (c *call) empty() {
	if c.api == apiDirectory {
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	c.ok(struct{}{})
}

// fail writes an error in the API's own format. status is the canonical
// code Classroom puts in "status"; reason is Directory's errors[].reason.
func (c *call) fail(code int, status, reason, message string) {
	if c.api == apiDirectory {
		writeDirectoryError(c.w, code, reason, message)
		return
	}
	writeClassroomError(c.w, code, status, "", message)
}

// precondition is Classroom's FAILED_PRECONDITION with the "@Reason "
// prefix its message carries ("the error message is prepended with @ and
// a specific error type",
// https://developers.google.com/workspace/classroom/troubleshooting/error-structure).
func (c *call) precondition(reason, message string) {
	writeClassroomError(c.w, http.StatusBadRequest, "FAILED_PRECONDITION", reason, message)
}

// writeClassroomError writes {"error":{"code","message","status"}}, the
// shape of the Classroom error structure page cited above.
func writeClassroomError(w http.ResponseWriter, code int, status, reason, message string) {
	if reason != "" {
		message = "@" + reason + " " + message
	}
	writeJSONError(w, code, map[string]any{"code": code, "message": message, "status": status})
}

// writeDirectoryError writes the Admin SDK shape with errors[].reason, as
// in https://developers.google.com/workspace/admin/directory/v1/limits
// (403 userRateLimitExceeded) and the duplicate/notFound replies.
func writeDirectoryError(w http.ResponseWriter, code int, reason, message string) {
	domain := "global"
	if reason == "userRateLimitExceeded" || reason == "quotaExceeded" {
		domain = "usageLimits"
	}
	writeJSONError(w, code, map[string]any{"code": code, "message": message,
		"errors": []map[string]string{{"message": message, "domain": domain, "reason": reason}}})
}

func writeJSONError(w http.ResponseWriter, code int, body map[string]any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": body})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

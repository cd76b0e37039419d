package google

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzPageToken: decoding never panics, and what decodes is exactly what
// encodeToken makes for the parts, so no two tokens name the same page.
func FuzzPageToken(f *testing.F) {
	f.Add(encodeToken("courses", seqKey(42)))
	f.Add(encodeToken("students/7000", "0000000000000000003"))
	f.Add("")
	f.Add("AA")
	f.Add("Y291cnNlcwA=")
	f.Fuzz(func(t *testing.T, tok string) {
		list, after, err := decodeToken(tok)
		if err != nil {
			return
		}
		if again := encodeToken(list, after); again != tok {
			t.Errorf("%q decodes to (%q, %q), which encodes to %q", tok, list, after, again)
		}
	})
}

// FuzzReadCall: a batch's part, whatever it holds, never panics the
// sandbox, and what reads as a call is a path on this server.
func FuzzReadCall(f *testing.F) {
	f.Add("GET /v1/courses/d:c/students?fields=students/userId")
	f.Add("GET /v1/courses HTTP/1.1\r\nAuthorization: Bearer x\r\n\r\n")
	f.Add("POST /v1/courses HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
	f.Add("GET http://other.example/v1/courses")
	outer := httptest.NewRequest(http.MethodPost, "/batch", nil)
	f.Fuzz(func(t *testing.T, part string) {
		req, err := readCall(outer, strings.NewReader(part))
		if err != nil {
			return
		}
		if !strings.HasPrefix(req.URL.Path, "/") || strings.HasPrefix(req.URL.Path, "/batch") {
			t.Errorf("%q reads as a call to %q", part, req.URL.Path)
		}
	})
}

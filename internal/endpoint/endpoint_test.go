package endpoint_test

import (
	"net/url"
	"strings"
	"testing"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/endpoint"
)

func TestCheck(t *testing.T) {
	const hint = "a loopback sandbox may use http with the annotation " + elevsynkv1.SandboxAnnotation + "=true"
	for _, tc := range []struct {
		url     string
		sandbox bool
		want    string // a part of the error; "" means allowed
	}{
		{url: "https://graph.microsoft.com"},
		{url: "https://graph.microsoft.com", sandbox: true},
		{url: "https://127.0.0.1:8443"},
		{url: ""},
		{url: "http://graph.example", want: `spec.x "http://graph.example": plain http is refused; use https`},
		{url: "http://graph.example", sandbox: true, want: "not loopback, even with the annotation " + elevsynkv1.SandboxAnnotation},
		{url: "http://10.0.0.1:8082", sandbox: true, want: "not loopback"},
		{url: "http://localhost.example.com", sandbox: true, want: "not loopback"},
		{url: "http://127.0.0.1:8082", want: hint},
		{url: "http://localhost:8082", want: hint},
		{url: "http://[::1]:8082", want: hint},
		{url: "http://127.0.0.1:8082", sandbox: true},
		{url: "http://127.1.2.3", sandbox: true},
		{url: "http://localhost:8082/", sandbox: true},
		{url: "http://[::1]:8082", sandbox: true},
		{url: "ftp://127.0.0.1", sandbox: true, want: "not an absolute https URL"},
		{url: "/v2.0", sandbox: true, want: "not an absolute https URL"},
		{url: "http://%31", sandbox: true, want: "not an absolute https URL"},
	} {
		err := endpoint.Check("spec.x", tc.url, tc.sandbox)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("Check(%q, sandbox %v) = %v, want allowed", tc.url, tc.sandbox, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("Check(%q, sandbox %v) = %v, want an error containing %q", tc.url, tc.sandbox, err, tc.want)
		}
	}
}

// Nothing but https leaves the machine: a URL Check allows is https, or
// plain http to a loopback host with sandbox set.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1:8083", "http://localhost", "https://[::1]", "http://%31", "HTTP://localhost", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if raw == "" {
			return
		}
		u, err := url.Parse(raw)
		if endpoint.Check("f", raw, false) == nil && (err != nil || u.Scheme != "https") {
			t.Errorf("%q allowed without sandbox", raw)
		}
		if endpoint.Check("f", raw, true) == nil && (err != nil || u.Scheme != "https" && !endpoint.Loopback(u.Hostname())) {
			t.Errorf("%q allowed off loopback", raw)
		}
	})
}

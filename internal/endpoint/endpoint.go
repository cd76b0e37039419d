// Package endpoint decides whether a URL may carry our traffic: register
// data, personal data and tokens travel over https only. A sandbox on the
// loopback interface may use plain http, and only when the object that
// names it says it is one (the annotation elevsynk.io/sandbox=true): a
// mistyped or downgraded URL to a real service must fail, not leak.
//
// This package knows nothing of Kubernetes, so that the API clients below
// the controllers can use it; callers read the annotation.
package endpoint

import (
	"fmt"
	"net"
	"net/url"
)

// annotationHint names the annotation (api/v1alpha1.SandboxAnnotation) in
// messages; the test keeps the two in step.
const annotationHint = "elevsynk.io/sandbox=true"

// Error is a URL refused for the field that holds it.
type Error struct {
	Field  string // e.g. spec.microsoft365.endpoint
	URL    string
	Reason string
}

func (e *Error) Error() string { return fmt.Sprintf("%s %q: %s", e.Field, e.URL, e.Reason) }

// Check refuses raw unless it is an absolute https URL, or an http URL on
// a loopback host when sandbox is set. An empty raw is the caller's
// business (most fields default to the public service) and passes.
func Check(field, raw string, sandbox bool) error {
	if raw == "" {
		return nil
	}
	refuse := func(reason string) error { return &Error{Field: field, URL: raw, Reason: reason} }
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return refuse("not an absolute https URL")
	}
	switch {
	case u.Scheme == "https":
		return nil
	case !Loopback(u.Hostname()):
		if sandbox {
			return refuse("plain http is refused for a host that is not loopback, even with the annotation " + annotationHint)
		}
		return refuse("plain http is refused; use https")
	case !sandbox:
		return refuse("plain http is refused; use https (a loopback sandbox may use http with the annotation " + annotationHint + ")")
	}
	return nil
}

// Loopback reports whether host (a URL's Hostname) names this machine:
// localhost, 127.0.0.0/8 or ::1. Nothing outside it is reached that way.
func Loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// OnLoopback reports whether raw is a URL on a loopback host, whatever
// its scheme.
func OnLoopback(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Host != "" && Loopback(u.Hostname())
}

// PlainHTTP reports whether raw is a plain http URL.
func PlainHTTP(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == "http"
}

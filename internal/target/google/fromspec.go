package google

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
	googleoauth "golang.org/x/oauth2/google"
	admin "google.golang.org/api/admin/directory/v1"
	"google.golang.org/api/classroom/v1"
	"google.golang.org/api/impersonate"
	"google.golang.org/api/option"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/endpoint"
)

// CredentialsKey is the key of the service account key in the Secret that
// spec.auth.serviceAccount names.
const CredentialsKey = "credentials.json"

// Scopes are the OAuth scopes the service account must be granted for
// domain-wide delegation in the Admin console: courses, rosters and
// roster e-mails in Classroom, groups (with their members and aliases) in
// Directory.
var Scopes = []string{
	classroom.ClassroomCoursesScope,
	classroom.ClassroomRostersScope,
	classroom.ClassroomProfileEmailsScope,
	admin.AdminDirectoryGroupScope,
}

// FromSpec builds the adapter from a Target's spec and the data of the
// Secret its auth names (nil for workload identity). Options carry test
// hooks (HTTP client, clock, retry delays, rate limit).
//
// Authentication: a service account key (Secret key credentials.json)
// with domain-wide delegation impersonating spec.adminSubject, or
// workload identity: the pod's federated credentials impersonate the
// service account spec.auth.workloadIdentity.clientID, which signs for
// spec.adminSubject (impersonate.CredentialsConfig.Subject, "useful when
// using domain wide delegation"). Both Classroom roster writes and
// Directory writes need an admin: "Domain administrators are permitted to
// directly add users within their domain"
// (https://developers.google.com/workspace/classroom/guides/manage-users).
//
// spec.endpoint replaces both APIs' base URL. It must be https, unless
// opts.Sandbox allows plain http on a loopback host: no credentials are
// made or sent there (a token never travels unencrypted), so such a
// sandbox needs no Secret.
func FromSpec(ctx context.Context, spec elevsynkv1.GoogleTarget, secret map[string][]byte, opts Options) (*Target, error) {
	if spec.Domain == "" || spec.AdminSubject == "" {
		return nil, errors.New("google target: domain and adminSubject are required")
	}
	if err := endpoint.Check("spec.google.endpoint", spec.Endpoint, opts.Sandbox); err != nil {
		return nil, fmt.Errorf("google target: %w", err)
	}
	opts = opts.withDefaults()
	base := opts.HTTPClient.Transport
	if base == nil {
		// Observe keeps Workers requests in flight, Apply as many per
		// API; the default transport keeps two idle connections per host
		// and would dial again, a TLS handshake with Google, for the rest.
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 2 * opts.Workers
		base = tr
	}
	if !endpoint.PlainHTTP(spec.Endpoint) { // Check allowed it: a loopback sandbox
		// The token requests of the service account key take the
		// client from the context; without one they would have no timeout.
		tctx := context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Transport: base, Timeout: opts.Timeout})
		ts, err := tokenSource(tctx, spec, secret)
		if err != nil {
			return nil, err
		}
		base = &oauth2.Transport{Source: oauth2.ReuseTokenSource(nil, ts), Base: base}
	}
	t := &Target{domain: strings.ToLower(spec.Domain), customer: spec.CustomerID, markers: MarkersOf(spec.MarkerPrefix),
		opts: opts, courseKeys: map[string]courseAliases{}, rosters: rosters{byRoom: map[roomRef]*cachedPeople{}}}
	if t.customer == "" {
		t.customer = "my_customer"
	}
	lim := limitsOf(spec.Endpoint, t.domain, opts)
	t.hc = &http.Client{Transport: newTransport(base, opts, lim, &t.stats), Timeout: opts.Timeout}
	co := []option.ClientOption{option.WithHTTPClient(t.hc)}
	if spec.Endpoint != "" {
		co = append(co, option.WithEndpoint(strings.TrimRight(spec.Endpoint, "/")+"/"))
	}
	var err error
	if t.cr, err = classroom.NewService(ctx, co...); err != nil {
		return nil, err
	}
	if t.dir, err = admin.NewService(ctx, co...); err != nil {
		return nil, err
	}
	return t, nil
}

// tokenSource makes the delegated token source; the errors say what is
// missing, never what a key holds.
func tokenSource(ctx context.Context, spec elevsynkv1.GoogleTarget, secret map[string][]byte) (oauth2.TokenSource, error) {
	// Token refreshes outlive the reconcile that made the Target.
	ctx = context.WithoutCancel(ctx)
	switch {
	case spec.Auth.ServiceAccount != nil:
		key := secret[CredentialsKey]
		if len(key) == 0 {
			return nil, errors.New("google target: the Secret has no " + CredentialsKey)
		}
		cfg, err := googleoauth.JWTConfigFromJSON(key, Scopes...)
		if err != nil {
			return nil, errors.New("google target: " + CredentialsKey + " is not a service account key")
		}
		cfg.Subject = spec.AdminSubject
		return cfg.TokenSource(ctx), nil
	case spec.Auth.WorkloadIdentity != nil:
		ts, err := impersonate.CredentialsTokenSource(ctx, impersonate.CredentialsConfig{
			TargetPrincipal: spec.Auth.WorkloadIdentity.ClientID, Scopes: Scopes, Subject: spec.AdminSubject})
		if err != nil {
			return nil, errors.New("google target: workload identity: " + err.Error())
		}
		return ts, nil
	}
	return nil, errors.New("google target: set auth.serviceAccount or auth.workloadIdentity")
}

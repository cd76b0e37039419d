// Package platform joins a Target's spec to its adapter: which adapter
// serves it, and which desired rooms it can hold. The Target controller
// and `elevsynk plan` share it, so the CLI shows exactly what the
// controller would do.
package platform

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"golang.org/x/time/rate"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/endpoint"
	"github.com/elevsynk/elevsynk/internal/retry"
	"github.com/elevsynk/elevsynk/internal/sandbox/loopbacktls"
	"github.com/elevsynk/elevsynk/internal/target"
	"github.com/elevsynk/elevsynk/internal/target/file"
	"github.com/elevsynk/elevsynk/internal/target/google"
	"github.com/elevsynk/elevsynk/internal/target/msgraph"
	"github.com/elevsynk/elevsynk/internal/target/rostercsv"
	"github.com/elevsynk/elevsynk/internal/target/sds"
)

// Connect makes the adapter for a Target from its spec and the data of the
// Secret its auth names (nil when it names none).
type Connector func(ctx context.Context, t *elevsynkv1.Target, secret map[string][]byte) (target.Target, error)

// Connect is the built-in Connector. Its endpoints must be https
// (CheckEndpoints), and it uses the production settings of each adapter
// (rate limits after the published quotas, documented backoff), unless
// the Target carries elevsynkv1.SandboxAnnotation and its endpoint is on
// a loopback host: a local sandbox (the demo, the tests) then gets no
// client-side rate limit and short backoffs and replication waits, so a
// run is quick, a request timeout of localTimeout, and a Graph sandbox
// on plain http a fixed token (MSAL takes https authorities only), or on
// https the trust of the sandboxes' certificate (internal/sandbox/loopbacktls)
// in place of the system's roots, so its authority and token endpoint run
// the real credential.
func Connect(ctx context.Context, t *elevsynkv1.Target, secret map[string][]byte) (target.Target, error) {
	sandbox := elevsynkv1.IsSandbox(t)
	local := sandbox && endpoint.OnLoopback(endpointOf(&t.Spec))
	switch {
	case t.Spec.Microsoft365 != nil:
		opts := msgraph.Options{Sandbox: sandbox}
		if local {
			opts.Backoff, opts.ReplicationDelay, opts.PollInterval = 10*time.Millisecond, 10*time.Millisecond, 10*time.Millisecond
			opts.Timeout = localTimeout
			if endpoint.PlainHTTP(t.Spec.Microsoft365.Endpoint) {
				opts.Credential = sandboxToken{}
			} else {
				opts.HTTPClient = loopbackClient()
			}
		}
		return msgraph.FromSpec(ctx, *t.Spec.Microsoft365, secret, opts)
	case t.Spec.Google != nil:
		opts := google.Options{Sandbox: sandbox, RecheckPasses: t.Spec.RecheckPasses()}
		if local {
			opts.ClassroomQPS, opts.DirectoryQPS = rate.Inf, rate.Inf
			opts.BaseDelay, opts.MaxDelay = 10*time.Millisecond, 200*time.Millisecond
			opts.Timeout = localTimeout
		}
		return google.FromSpec(ctx, *t.Spec.Google, secret, opts)
	case t.Spec.SchoolDataSync != nil:
		opts := sds.Options{Sandbox: sandbox}
		if local {
			opts.Retry = retry.Policy{BaseDelay: 10 * time.Millisecond, MaxDelay: 200 * time.Millisecond}
			opts.PollInterval, opts.Timeout = 10*time.Millisecond, localTimeout
			if endpoint.PlainHTTP(t.Spec.SchoolDataSync.Upload.Endpoint) {
				opts.Credential = sandboxToken{}
			} else {
				opts.HTTPClient = loopbackClient()
			}
		}
		return sds.FromSpec(*t.Spec.SchoolDataSync, t.Namespace+"-"+t.Name, secret, opts)
	case t.Spec.File != nil && t.Spec.File.Format == elevsynkv1.FileFormatOneRoster:
		return rostercsv.New(t.Spec.File.Path, t.Namespace+"-"+t.Name, rostercsv.OneRoster, nil), nil
	case t.Spec.File != nil:
		return file.New(t.Spec.File.Path, t.Namespace+"-"+t.Name), nil
	}
	return nil, errors.New("the spec names no target kind")
}

// localTimeout bounds a request to a sandbox on this machine, which
// answers in milliseconds; a hung one is given up on quickly.
const localTimeout = 5 * time.Second

// CheckEndpoints refuses the Target's endpoint, naming its field, unless
// it is https, or plain http on a loopback host with the Target carrying
// elevsynkv1.SandboxAnnotation (internal/endpoint). Connect refuses the
// same; this is for checking manifests without connecting.
func CheckEndpoints(t *elevsynkv1.Target) []error {
	var field string
	switch {
	case t.Spec.Microsoft365 != nil:
		field = "spec.microsoft365.endpoint"
	case t.Spec.Google != nil:
		field = "spec.google.endpoint"
	case t.Spec.SchoolDataSync != nil && t.Spec.SchoolDataSync.Upload != nil:
		field = "spec.schoolDataSync.upload.endpoint"
	default:
		return nil
	}
	var errs []error
	if err := endpoint.Check(field, endpointOf(&t.Spec), elevsynkv1.IsSandbox(t)); err != nil {
		errs = append(errs, err)
	}
	if m := t.Spec.Microsoft365; m != nil {
		// MSAL takes https authorities only, sandbox or not.
		if err := endpoint.Check("spec.microsoft365.authorityHost", m.AuthorityHost, false); err != nil {
			errs = append(errs, err)
		}
	}
	if s := t.Spec.SchoolDataSync; s != nil && s.Upload != nil {
		if err := endpoint.Check("spec.schoolDataSync.upload.authorityHost", s.Upload.AuthorityHost, false); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// endpointOf is the API endpoint a Target's spec names; empty for the
// public service.
func endpointOf(spec *elevsynkv1.TargetSpec) string {
	switch {
	case spec.Microsoft365 != nil:
		return spec.Microsoft365.Endpoint
	case spec.Google != nil:
		return spec.Google.Endpoint
	case spec.SchoolDataSync != nil && spec.SchoolDataSync.Upload != nil:
		return spec.SchoolDataSync.Upload.Endpoint
	}
	return ""
}

// sandboxToken is the bearer a Graph sandbox without authentication takes.
type sandboxToken struct{}

func (sandboxToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "sandbox", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// loopbackClient trusts the local sandboxes' certificate only.
func loopbackClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: loopbacktls.Pool(), MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: tr}
}

// SecretName is the Secret a Target's auth names, if any.
func SecretName(spec *elevsynkv1.TargetSpec) string {
	switch {
	case spec.Microsoft365 != nil && spec.Microsoft365.Auth.ClientSecret != nil:
		return spec.Microsoft365.Auth.ClientSecret.Name
	case spec.Microsoft365 != nil && spec.Microsoft365.Auth.ClientCertificate != nil:
		return spec.Microsoft365.Auth.ClientCertificate.Name
	case spec.Google != nil && spec.Google.Auth.ServiceAccount != nil:
		return spec.Google.Auth.ServiceAccount.Name
	case spec.SchoolDataSync != nil && spec.SchoolDataSync.Upload != nil:
		a := spec.SchoolDataSync.Upload.Auth
		switch {
		case a.ClientSecret != nil:
			return a.ClientSecret.Name
		case a.ClientCertificate != nil:
			return a.ClientCertificate.Name
		}
	}
	return ""
}

// Of is the family of room kinds a Target holds.
func Of(spec *elevsynkv1.TargetSpec) target.Platform {
	switch {
	case spec.Google != nil:
		return target.Google
	case spec.SchoolDataSync != nil:
		return target.SchoolDataSync
	case spec.File != nil && spec.File.Format == elevsynkv1.FileFormatOneRoster:
		return target.OneRoster
	case spec.File != nil:
		return target.File
	}
	return target.Microsoft365
}

// Prepared is the desired and observed rooms a plan compares for one
// Target, and what was left out on the way.
type Prepared struct {
	Want desired.State
	Have []target.Room
	// Skipped counts desired rooms by kind that the platform has no kind for.
	Skipped map[elevsynkv1.RoomKind]int
	// Refused counts desired rooms the platform cannot hold (a course
	// without a teacher, a class over Classroom's caps); First says why,
	// by room key, for the first of them.
	Refused int
	First   error
}

// Prepare fits the Mapping's rooms to the Target: kinds onto its platform,
// archive dates after its grace period, and rooms it cannot hold left out
// together with their observed counterparts, so a room that stops fitting
// is left as it is, never archived as if it were no longer wanted.
func Prepare(d desired.State, have []target.Room, spec *elevsynkv1.TargetSpec) Prepared {
	want, skipped := target.Fit(withArchiveDays(d, spec.Policy.ArchiveAfterDays), Of(spec))
	p := Prepared{Want: desired.State{Rooms: make([]desired.Room, 0, len(want.Rooms))}, Have: have, Skipped: skipped}
	type roomID struct {
		kind elevsynkv1.RoomKind
		key  string
	}
	refused := map[roomID]bool{}
	admit := admission(spec)
	for _, room := range want.Rooms {
		if err := admit(room); err != nil {
			if p.Refused == 0 {
				p.First = err
			}
			p.Refused++
			refused[roomID{room.Kind, room.Key}] = true
			continue
		}
		p.Want.Rooms = append(p.Want.Rooms, room)
	}
	if p.Refused > 0 {
		p.Have = make([]target.Room, 0, len(have))
		for _, h := range have {
			if !refused[roomID{h.Kind, h.Key}] {
				p.Have = append(p.Have, h)
			}
		}
	}
	return p
}

// Notes says in words what Prepare left out, or "" when nothing.
func (p Prepared) Notes(platform target.Platform) string {
	var parts []string
	if len(p.Skipped) > 0 {
		kinds := slices.Sorted(maps.Keys(p.Skipped))
		counts := make([]string, len(kinds))
		for i, k := range kinds {
			counts[i] = fmt.Sprintf("%d %s", p.Skipped[k], k)
		}
		parts = append(parts, fmt.Sprintf("%s rooms have no counterpart on %s and are left out", strings.Join(counts, ", "), platform))
	}
	if p.Refused > 0 {
		parts = append(parts, fmt.Sprintf("%d rooms the target cannot hold are left as they are (first: %v)", p.Refused, p.First))
	}
	return strings.Join(parts, "; ")
}

// withArchiveDays moves each room's archive date to the Target's grace
// period after the register's end date; the Mapping used its default.
func withArchiveDays(s desired.State, days int32) desired.State {
	out := desired.State{Rooms: make([]desired.Room, len(s.Rooms))}
	for i, room := range s.Rooms {
		if !room.Lifetime.End.IsZero() {
			room.Lifetime.ArchiveAfter = room.Lifetime.End.AddDays(int(days))
		}
		out.Rooms[i] = room
	}
	return out
}

// admission is the platform's check of a room before planning.
func admission(spec *elevsynkv1.TargetSpec) func(desired.Room) error {
	switch {
	case spec.Google != nil:
		return google.MarkersOf(spec.Google.MarkerPrefix).Caps
	case spec.File != nil, spec.SchoolDataSync != nil:
		// A file holds any room; a roster any class, owned or not (SDS
		// makes the team, and a class without a teacher is still a class).
		return func(desired.Room) error { return nil }
	}
	return needsOwner
}

// needsOwner: a team cannot be made without an owner ("an owner must be
// specified", https://learn.microsoft.com/en-us/graph/api/team-post).
func needsOwner(r desired.Room) error {
	if (r.Kind == elevsynkv1.RoomTeam || r.Kind == elevsynkv1.RoomClassTeam) && len(r.Owners) == 0 {
		return fmt.Errorf("%s %s: a team needs at least one owner", r.Kind, r.Key)
	}
	return nil
}

// GroupReader connects to a Target's directory to read groups kept by
// hand (a directoryGroups RegisterSource), with connect and the data of
// the Secret the Target's auth names. Only Microsoft 365 and Google
// Targets have groups to read.
func GroupReader(ctx context.Context, connect Connector, t *elevsynkv1.Target, secret map[string][]byte) (target.GroupReader, error) {
	if t.Spec.Microsoft365 == nil && t.Spec.Google == nil {
		return nil, fmt.Errorf("the Target %q is not a microsoft365 or google Target; only those have groups to read", t.Name)
	}
	tg, err := connect(ctx, t, secret)
	if err != nil {
		return nil, err
	}
	r, ok := tg.(target.GroupReader)
	if !ok {
		return nil, fmt.Errorf("the adapter of Target %q cannot read groups", t.Name)
	}
	return r, nil
}

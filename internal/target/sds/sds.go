// Package sds is the School Data Sync target: the SDS v2.1 CSV file set of
// a Mapping's class rooms (internal/target/rostercsv), written to a volume
// and, with spec.schoolDataSync.upload, sent to SDS through Microsoft
// Graph beta external/industryData, with what SDS made of it read back.
package sds

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	ep "github.com/elevsynk/elevsynk/internal/endpoint"
	"github.com/elevsynk/elevsynk/internal/retry"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
	"github.com/elevsynk/elevsynk/internal/target/entra"
	"github.com/elevsynk/elevsynk/internal/target/rostercsv"
)

// Options are what tests and the sandbox change; the zero value follows
// Microsoft's guidance on real time.
type Options struct {
	// HTTPClient carries Graph, data lake and token requests; nil means
	// http.DefaultTransport.
	HTTPClient *http.Client
	// TokenFile is workload identity's federated token (entra.Options).
	TokenFile string
	// Credential, if set, replaces the spec's auth (a sandbox on plain http).
	Credential azcore.TokenCredential
	// Sleep and Now: nil means the real clock.
	Sleep func(context.Context, time.Duration) error
	Now   func() time.Time
	// Retry is the timing of retries; zero fields take 6 attempts from
	// 2 s doubling to a minute, Retry-After up to 2 minutes.
	Retry retry.Policy
	// Timeout bounds one request; 0 means 60 s.
	Timeout time.Duration
	// PollInterval and PollAttempts pace the wait for a validation run
	// after an upload; 0 means 30 s and 20. A run still going after them is
	// read again at the next sync.
	PollInterval time.Duration
	PollAttempts int
	// Sandbox allows a plain http endpoint, and data lake, on loopback.
	Sandbox bool
}

func (o Options) withDefaults() Options {
	if o.Sleep == nil {
		o.Sleep = retry.Sleep
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.Retry = o.Retry.WithDefaults(retry.Policy{MaxAttempts: 6, BaseDelay: 2 * time.Second, MaxDelay: time.Minute})
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 30 * time.Second
	}
	if o.PollAttempts <= 0 {
		o.PollAttempts = 20
	}
	return o
}

// DefaultEndpoint is the global Microsoft Graph service.
const DefaultEndpoint = "https://graph.microsoft.com"

// Target is one schoolDataSync Target.
type Target struct {
	*rostercsv.Target
	flow    *flow // nil without upload
	opts    Options
	counter target.Counter

	mu      sync.Mutex
	runID   string
	lastRun *elevsynkv1.SchoolDataSyncRun
}

var (
	_ target.Target       = (*Target)(nil)
	_ target.RegisterUser = (*Target)(nil)
	_ target.RunReporter  = (*Target)(nil)
)

// FromSpec builds the target of spec, named name (<namespace>-<name>), with
// the data of the Secret its upload auth names. No request is sent.
func FromSpec(spec elevsynkv1.SchoolDataSyncTarget, name string, secret map[string][]byte, opts Options) (*Target, error) {
	opts = opts.withDefaults()
	t := &Target{opts: opts}
	if up := spec.Upload; up != nil {
		endpoint := strings.TrimRight(up.Endpoint, "/")
		if endpoint == "" {
			endpoint = DefaultEndpoint
		}
		if err := ep.Check("spec.schoolDataSync.upload.endpoint", endpoint, opts.Sandbox); err != nil {
			return nil, fmt.Errorf("schoolDataSync: %w", err)
		}
		if err := ep.Check("spec.schoolDataSync.upload.authorityHost", up.AuthorityHost, false); err != nil {
			return nil, fmt.Errorf("schoolDataSync: %w", err)
		}
		cred := opts.Credential
		if cred == nil {
			var err error
			cred, err = entra.Credential(entra.App{TenantID: up.TenantID, AuthorityHost: up.AuthorityHost, Auth: up.Auth, Field: "schoolDataSync.upload"},
				secret, entra.Options{HTTPClient: opts.HTTPClient, TokenFile: opts.TokenFile})
			if err != nil {
				return nil, err
			}
		}
		hc := &http.Client{Timeout: opts.Timeout,
			// Location is followed by hand: a redirect must not carry the token elsewhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		if opts.HTTPClient != nil {
			hc.Transport = opts.HTTPClient.Transport
		}
		display := up.DisplayName
		if display == "" {
			display = "elevsynk"
		}
		c := &client{hc: hc, cred: entra.Timed{TokenCredential: cred, Timeout: opts.Timeout}, scope: endpoint + "/.default",
			policy: opts.Retry, sleep: opts.Sleep, now: opts.Now, counter: &t.counter}
		t.flow = &flow{c: c, base: endpoint + "/beta/external/industryData", name: display}
	}
	var publish rostercsv.Publisher
	if t.flow != nil {
		publish = t.upload
	}
	t.Target = rostercsv.New(spec.Path, name, rostercsv.SDS, publish)
	return t, nil
}

// upload publishes a new set: find or make the flow, upload, validate.
// A run SDS failed is an error, so the record keeps the rooms as they were
// and the next sync uploads again.
func (t *Target) upload(ctx context.Context, files []rostercsv.File, _ string) error {
	if err := t.flow.ensure(ctx, roster.DateOf(t.opts.Now())); err != nil {
		return err
	}
	r, err := t.flow.upload(ctx, files, pollOptions{interval: t.opts.PollInterval, attempts: t.opts.PollAttempts, plainLake: t.opts.Sandbox})
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.runID = r.ID
	t.mu.Unlock()
	if r.Status == running {
		t.setRun(&elevsynkv1.SchoolDataSyncRun{ID: r.ID, Status: r.Status})
		return nil
	}
	st, err := t.flow.observe(ctx, r.ID)
	if err != nil {
		return err
	}
	t.setRun(st)
	if st.Status == "failed" {
		return fmt.Errorf("SDS failed validation run %s (%s)", r.ID, orNone(st.ErrorCode))
	}
	return nil
}

func orNone(code string) string {
	if code == "" {
		return "no error code"
	}
	return code
}

func (t *Target) setRun(r *elevsynkv1.SchoolDataSyncRun) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lastRun = r
}

// Observe reads the record of the rooms last written and, with upload,
// SDS's last run: the one this process started, else the newest.
func (t *Target) Observe(ctx context.Context) ([]target.Room, error) {
	rooms, err := t.Target.Observe(ctx)
	if err != nil || t.flow == nil {
		return rooms, err
	}
	t.mu.Lock()
	id := t.runID
	t.mu.Unlock()
	if id == "" {
		if id, err = t.flow.latest(ctx); err != nil {
			return nil, fmt.Errorf("reading SDS runs: %w", err)
		}
	}
	if id != "" {
		st, err := t.flow.observe(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("reading SDS run %s: %w", id, err)
		}
		t.setRun(st)
	}
	return rooms, nil
}

// RunStatus is the last set written and SDS's last run, for status.
func (t *Target) RunStatus() *elevsynkv1.SchoolDataSyncStatus {
	w := t.Last()
	t.mu.Lock()
	defer t.mu.Unlock()
	st := &elevsynkv1.SchoolDataSyncStatus{ContentHash: w.Hash, UploadedHash: w.Published,
		Classes: int32(w.Classes), Enrollments: int32(w.Enrollments)}
	if t.lastRun != nil {
		r := *t.lastRun
		st.LastRun = &r
	}
	return st
}

// Stats counts the file record's reads and writes and the API requests.
func (t *Target) Stats() target.Stats {
	a, b := t.Target.Stats(), t.counter.Load()
	return target.Stats{Requests: a.Requests + b.Requests, Writes: a.Writes + b.Writes, Throttled: a.Throttled + b.Throttled}
}

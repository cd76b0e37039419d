package source

import (
	"context"
	"time"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source/ss12000"
)

// SinceMargin covers clock skew between us and the register's server: an
// incremental fetch asks for changes since a little before the last began.
const SinceMargin = 5 * time.Minute

type ss12000Fetcher struct {
	client *ss12000.Client
	units  map[string]bool // school unit codes to keep; empty keeps all
}

func newSS12000(ctx context.Context, spec *elevsynkv1.SS12000Source, secrets Secrets, sandbox bool) (*ss12000Fetcher, error) {
	cfg := ss12000.Config{BaseURL: spec.URL, PageSize: int(spec.PageSize), Sandbox: sandbox}
	a := spec.Auth
	switch {
	case a.OAuth2 != nil:
		data, err := secretKeys(ctx, secrets, a.OAuth2.SecretRef.Name, "clientID", "clientSecret")
		if err != nil {
			return nil, err
		}
		cfg.Auth.OAuth2 = &ss12000.OAuth2{TokenURL: a.OAuth2.TokenURL, ClientID: string(data["clientID"]),
			ClientSecret: string(data["clientSecret"]), Scopes: a.OAuth2.Scopes}
	case a.MutualTLS != nil:
		data, err := secretKeys(ctx, secrets, a.MutualTLS.SecretRef.Name, "tls.crt", "tls.key")
		if err != nil {
			return nil, err
		}
		cfg.Auth.MutualTLS = &ss12000.MutualTLS{CertPEM: data["tls.crt"], KeyPEM: data["tls.key"]}
	case a.APIKey != nil:
		data, err := secretKeys(ctx, secrets, a.APIKey.SecretRef.Name, "apiKey")
		if err != nil {
			return nil, err
		}
		cfg.Auth.APIKey = &ss12000.APIKey{Header: a.APIKey.Header, Key: string(data["apiKey"])}
	}
	var err error
	if cfg.CAPEM, err = caPEM(ctx, secrets, spec.CASecretRef); err != nil {
		return nil, err
	}
	client, err := ss12000.New(cfg)
	if err != nil {
		return nil, err
	}
	f := &ss12000Fetcher{client: client, units: map[string]bool{}}
	for _, code := range spec.SchoolUnitCodes {
		f.units[code] = true
	}
	return f, nil
}

func (f *ss12000Fetcher) Fetch(ctx context.Context, prev *Result, full bool) (*Result, error) {
	before := f.client.Stats().Requests
	var (
		st  *ss12000.State
		err error
	)
	prevState, _ := prevResume(prev)
	if full || prevState == nil {
		st, err = f.client.FetchFull(ctx)
	} else {
		st, err = f.client.FetchChanges(ctx, prevState, prev.Started.Add(-SinceMargin))
	}
	if err != nil {
		return nil, err
	}
	requests := int(f.client.Stats().Requests - before)
	if !st.Info.Full && st.Info.Changed == 0 {
		return &Result{Snapshot: prev.Snapshot, Started: st.Info.Started, Requests: requests, Unchanged: true, resume: st}, nil
	}
	snap, err := ss12000.Normalize(st)
	if err != nil {
		return nil, err
	}
	if len(f.units) > 0 {
		snap = roster.OnlySchoolUnits(snap, f.units)
	}
	return &Result{Snapshot: snap, Full: st.Info.Full, Started: st.Info.Started, Requests: requests, resume: st}, nil
}

func prevResume(prev *Result) (*ss12000.State, bool) {
	if prev == nil {
		return nil, false
	}
	st, ok := prev.resume.(*ss12000.State)
	return st, ok
}

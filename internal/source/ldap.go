package source

import (
	"context"
	"time"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/source/ldap"
)

type ldapFetcher struct{ client *ldap.Client }

func newLDAP(ctx context.Context, spec *elevsynkv1.LDAPSource, secrets Secrets) (*ldapFetcher, error) {
	data, err := secretKeys(ctx, secrets, spec.BindSecretRef.Name, "username", "password")
	if err != nil {
		return nil, err
	}
	cfg := ldap.Config{URL: spec.URL, BindDN: string(data["username"]), Password: string(data["password"]),
		BaseDN: spec.BaseDN, Filter: spec.Filter, PageSize: int(spec.PageSize), JoinAttribute: spec.JoinAttribute,
		JoinKey: spec.JoinKey, Attributes: spec.Attributes}
	if cfg.CAPEM, err = caPEM(ctx, secrets, spec.CASecretRef); err != nil {
		return nil, err
	}
	client, err := ldap.New(cfg)
	if err != nil {
		return nil, err
	}
	return &ldapFetcher{client: client}, nil
}

// Fetch reads the whole directory every time: LDAP has no portable change
// feed (AD's DirSync needs rights a read-only account lacks), and a
// directory of a municipality reads in seconds.
func (f *ldapFetcher) Fetch(ctx context.Context, _ *Result, _ bool) (*Result, error) {
	started := time.Now()
	d, st, err := f.client.Read(ctx)
	if err != nil {
		return nil, err
	}
	return &Result{Directory: d, Full: true, Started: started, Requests: st.Requests}, nil
}

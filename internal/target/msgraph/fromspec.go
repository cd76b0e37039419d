package msgraph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/microsoft/kiota-abstractions-go/store"
	kauth "github.com/microsoft/kiota-authentication-azure-go"
	khttp "github.com/microsoft/kiota-http-go"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	ep "github.com/elevsynk/elevsynk/internal/endpoint"
	"github.com/elevsynk/elevsynk/internal/retry"
	"github.com/elevsynk/elevsynk/internal/target"
	"github.com/elevsynk/elevsynk/internal/target/entra"
)

// Target is one Microsoft 365 tenant. It keeps what it last observed, and
// the delta link, between calls: the controller keeps one Target per
// Target object across reconciles. Observe and Apply are serialised.
type Target struct {
	opts     Options
	policy   retry.Policy
	hold     *hold // shared by the tenant's Targets
	adapter  *msgraphcore.GraphRequestAdapterBase
	base     string // endpoint + "/v1.0"
	prefix   string
	attr     string // user attribute account keys match
	counter  target.Counter
	mu       sync.Mutex
	state    *state
	observes int
	// reported is the last Observe's rooms while nothing has changed the
	// state since: a quiet delta round then needs no new report, which
	// for a municipality is a map walk and a sort of every room's people.
	reported []target.Room
}

var _ target.Target = (*Target)(nil)

// DefaultEndpoint is the global Microsoft Graph service.
const DefaultEndpoint = "https://graph.microsoft.com"

// FromSpec builds the adapter from a Target's spec and the data of the
// Secret its auth names (nil for workload identity). No request is sent.
func FromSpec(ctx context.Context, spec elevsynkv1.Microsoft365Target, secret map[string][]byte, opts Options) (*Target, error) {
	opts = opts.withDefaults()
	endpoint := strings.TrimRight(spec.Endpoint, "/")
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	if err := ep.Check("spec.microsoft365.endpoint", endpoint, opts.Sandbox); err != nil {
		return nil, fmt.Errorf("microsoft365: %w", err)
	}
	u, _ := url.Parse(endpoint) // Check parsed it
	if err := ep.Check("spec.microsoft365.authorityHost", spec.AuthorityHost, false); err != nil {
		return nil, fmt.Errorf("microsoft365: %w", err)
	}
	attr, err := lookupAttr(spec.UserLookup)
	if err != nil {
		return nil, err
	}
	prefix := spec.MailNicknamePrefix
	if prefix == "" {
		prefix = "elevsynk-"
	}
	cred := opts.Credential
	if cred == nil {
		if cred, err = credential(spec, secret, opts); err != nil {
			return nil, err
		}
	}
	// The token provider sends tokens only to the endpoint's host, and
	// only over https unless the host is localhost
	// (kiota-authentication-azure-go).
	auth, err := kauth.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(entra.Timed{TokenCredential: cred, Timeout: opts.Timeout},
		[]string{endpoint + "/.default"}, []string{u.Hostname()})
	if err != nil {
		return nil, fmt.Errorf("microsoft365: %w", err)
	}
	t := &Target{opts: opts, policy: opts.retry(), hold: holdOf(endpoint, spec.TenantID),
		prefix: prefix, attr: attr, base: endpoint + "/v1.0", state: newState()}
	var parent http.RoundTripper = http.DefaultTransport
	if opts.HTTPClient != nil && opts.HTTPClient.Transport != nil {
		parent = opts.HTTPClient.Transport
	}
	r := retrier{counter: &t.counter, sleep: opts.Sleep, now: opts.Now, policy: t.policy, hold: t.hold}
	hc := &http.Client{
		Transport:     khttp.NewCustomTransportWithParentTransport(parent, middlewares(r)...),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       opts.Timeout,
	}
	// The adapter is set up as msgraph-sdk-go's GraphServiceClient sets
	// up its own, with JSON only: every body here is JSON.
	adapter, err := msgraphcore.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth,
		msgraphcore.GraphClientOptions{GraphServiceLibraryVersion: sdkVersion},
		jsonserialization.NewJsonParseNodeFactory(), jsonserialization.NewJsonSerializationWriterFactory(), hc)
	if err != nil {
		return nil, fmt.Errorf("microsoft365: %w", err)
	}
	adapter.SetBaseUrl(t.base)
	adapter.EnableBackingStore(store.BackingStoreFactoryInstance)
	t.adapter = adapter
	return t, nil
}

// lookupAttr is the Graph user property spec.userLookup names.
func lookupAttr(v string) (string, error) {
	switch v {
	case "", "UserPrincipalName":
		return "userPrincipalName", nil
	case "Mail":
		return "mail", nil
	case "EmployeeId":
		return "employeeId", nil
	}
	return "", fmt.Errorf("microsoft365: unknown userLookup %q", v)
}

// credential builds the azidentity credential of the spec's auth.
func credential(spec elevsynkv1.Microsoft365Target, secret map[string][]byte, opts Options) (azcore.TokenCredential, error) {
	return entra.Credential(entra.App{TenantID: spec.TenantID, AuthorityHost: spec.AuthorityHost, Auth: spec.Auth, Field: "microsoft365"},
		secret, entra.Options{HTTPClient: opts.HTTPClient, TokenFile: opts.TokenFile})
}

// Stats counts the API traffic since the Target was made.
func (t *Target) Stats() target.Stats { return t.counter.Load() }

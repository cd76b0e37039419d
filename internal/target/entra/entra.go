// Package entra makes the Microsoft Entra ID token credential of a
// Target's app registration, for the adapters that call Microsoft Graph
// (microsoft365 through the Graph SDK, schoolDataSync over plain HTTP).
package entra

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// App is an app registration's sign-in: its tenant, authority and auth.
type App struct {
	TenantID, AuthorityHost string
	Auth                    elevsynkv1.Microsoft365Auth
	// Field starts errors, naming the spec the app comes from
	// ("microsoft365", "schoolDataSync.upload").
	Field string
}

// Options are the transport and the federated token file.
type Options struct {
	// HTTPClient carries token requests; nil means azcore's default.
	HTTPClient *http.Client
	// TokenFile is the federated token of workload identity; empty reads
	// AZURE_FEDERATED_TOKEN_FILE as the AKS webhook sets it.
	TokenFile string
}

// Credential builds the azidentity credential of the app's auth from the
// data of the Secret it names. Errors name Secret keys, never values.
func Credential(app App, secret map[string][]byte, opts Options) (azcore.TokenCredential, error) {
	var co azcore.ClientOptions
	if opts.HTTPClient != nil {
		co.Transport = opts.HTTPClient
	}
	disco := false
	if app.AuthorityHost != "" {
		co.Cloud = cloud.Configuration{ActiveDirectoryAuthorityHost: app.AuthorityHost}
		// Instance discovery asks the public cloud about the authority;
		// a private authority is not there.
		disco = true
	}
	need := func(keys ...string) error {
		for _, k := range keys {
			if len(secret[k]) == 0 {
				return fmt.Errorf("%s: the Secret has no %s", app.Field, k)
			}
		}
		return nil
	}
	a := app.Auth
	switch {
	case a.ClientSecret != nil:
		if err := need("clientID", "clientSecret"); err != nil {
			return nil, err
		}
		return azidentity.NewClientSecretCredential(app.TenantID, string(secret["clientID"]), string(secret["clientSecret"]),
			&azidentity.ClientSecretCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: disco})
	case a.ClientCertificate != nil:
		if err := need("clientID", "tls.crt", "tls.key"); err != nil {
			return nil, err
		}
		pem := append(append([]byte{}, secret["tls.crt"]...), '\n')
		certs, key, err := azidentity.ParseCertificates(append(pem, secret["tls.key"]...), nil)
		if err != nil {
			return nil, fmt.Errorf("%s: tls.crt and tls.key are not a PEM certificate and key", app.Field)
		}
		return azidentity.NewClientCertificateCredential(app.TenantID, string(secret["clientID"]), certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: disco})
	case a.WorkloadIdentity != nil:
		file := opts.TokenFile
		if file == "" {
			file = os.Getenv("AZURE_FEDERATED_TOKEN_FILE")
		}
		if file == "" {
			return nil, fmt.Errorf("%s: workload identity needs AZURE_FEDERATED_TOKEN_FILE (set by the AKS workload identity webhook)", app.Field)
		}
		return azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
			ClientOptions: co, ClientID: a.WorkloadIdentity.ClientID, TenantID: app.TenantID,
			TokenFilePath: file, DisableInstanceDiscovery: disco})
	}
	return nil, errors.New(app.Field + ": set one of auth.clientSecret, auth.clientCertificate or auth.workloadIdentity")
}

// Timed bounds each token request by timeout: a client asks for a token
// under the request's context, which need have no deadline, and the token
// request is not under the http.Client's Timeout.
type Timed struct {
	azcore.TokenCredential
	Timeout time.Duration
}

// GetToken implements azcore.TokenCredential.
func (c Timed) GetToken(ctx context.Context, o azpolicy.TokenRequestOptions) (azcore.AccessToken, error) {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	return c.TokenCredential.GetToken(ctx, o)
}

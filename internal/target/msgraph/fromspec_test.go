package msgraph

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azpolicy "github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/sandbox/graph"
)

func selfSigned(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "elevsynk"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	k, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: k})
}

// kubeToken is a stand-in for a projected service account token.
func kubeToken(sub string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"RS256"}`)) + "." +
		enc.EncodeToString([]byte(`{"sub":"`+sub+`","exp":`+strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)+`}`)) + ".c2ln"
}

// Each auth of the spec gets a token from the sandbox's identity
// endpoints through azidentity, and wrong credentials fail without
// showing them.
func TestAuthentication(t *testing.T) {
	const subject = "system:serviceaccount:elevsynk:manager"
	e := newEnv(t, nil, func(o *graph.Options) { o.FederatedSubject = subject })
	crt, key := selfSigned(t)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(kubeToken(subject)), 0o600); err != nil {
		t.Fatal(err)
	}
	badFile := filepath.Join(t.TempDir(), "bad")
	if err := os.WriteFile(badFile, []byte(kubeToken("system:serviceaccount:other:sa")), 0o600); err != nil {
		t.Fatal(err)
	}
	ref := &elevsynkv1.SecretReference{Name: "graph"}
	tests := []struct {
		name   string
		auth   elevsynkv1.Microsoft365Auth
		secret map[string][]byte
		file   string
		ok     bool
	}{
		{"client secret", elevsynkv1.Microsoft365Auth{ClientSecret: ref},
			map[string][]byte{"clientID": []byte(clientID), "clientSecret": []byte(clientSecret)}, "", true},
		{"wrong secret", elevsynkv1.Microsoft365Auth{ClientSecret: ref},
			map[string][]byte{"clientID": []byte(clientID), "clientSecret": []byte("hunter2-wrong")}, "", false},
		{"client certificate", elevsynkv1.Microsoft365Auth{ClientCertificate: ref},
			map[string][]byte{"clientID": []byte(clientID), "tls.crt": crt, "tls.key": key}, "", true},
		{"workload identity", elevsynkv1.Microsoft365Auth{WorkloadIdentity: &elevsynkv1.WorkloadIdentity{ClientID: clientID}},
			nil, tokenFile, true},
		{"workload identity of another account", elevsynkv1.Microsoft365Auth{WorkloadIdentity: &elevsynkv1.WorkloadIdentity{ClientID: clientID}},
			nil, badFile, false},
	}
	for _, tt := range tests {
		spec := e.spec()
		spec.Auth = tt.auth
		tg, err := FromSpec(context.Background(), spec, tt.secret,
			Options{HTTPClient: e.srv.Client(), TokenFile: tt.file, Sleep: e.clock.Sleep, MaxAttempts: 1})
		if err != nil {
			t.Errorf("%s: FromSpec: %v", tt.name, err)
			continue
		}
		_, err = tg.Observe(context.Background())
		if (err == nil) != tt.ok {
			t.Errorf("%s: Observe error %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: error shows the secret: %v", tt.name, err)
		}
	}
}

func TestFromSpecRefusals(t *testing.T) {
	ref := &elevsynkv1.SecretReference{Name: "graph"}
	base := elevsynkv1.Microsoft365Target{TenantID: tenantID, Auth: elevsynkv1.Microsoft365Auth{ClientSecret: ref}}
	ok := map[string][]byte{"clientID": []byte("x"), "clientSecret": []byte("s3cr3t-value")}
	tests := []struct {
		name   string
		edit   func(*elevsynkv1.Microsoft365Target)
		secret map[string][]byte
		want   string
	}{
		{"missing secret key", nil, map[string][]byte{"clientID": []byte("x")}, "no clientSecret"},
		{"relative endpoint", func(s *elevsynkv1.Microsoft365Target) { s.Endpoint = "graph.local" }, ok, "endpoint"},
		{"plain http", func(s *elevsynkv1.Microsoft365Target) { s.Endpoint = "http://graph.example" }, ok,
			`spec.microsoft365.endpoint "http://graph.example": plain http is refused; use https`},
		{"loopback http without the annotation", func(s *elevsynkv1.Microsoft365Target) { s.Endpoint = "http://127.0.0.1:8082" }, ok,
			"a loopback sandbox may use http with the annotation elevsynk.io/sandbox=true"},
		{"plain http authority", func(s *elevsynkv1.Microsoft365Target) { s.AuthorityHost = "http://login.example/" }, ok,
			`spec.microsoft365.authorityHost "http://login.example/": plain http is refused; use https`},
		{"unknown lookup", func(s *elevsynkv1.Microsoft365Target) { s.UserLookup = "Phone" }, ok, "userLookup"},
		{"no auth", func(s *elevsynkv1.Microsoft365Target) { s.Auth = elevsynkv1.Microsoft365Auth{} }, ok, "set one of"},
		{"bad certificate", func(s *elevsynkv1.Microsoft365Target) {
			s.Auth = elevsynkv1.Microsoft365Auth{ClientCertificate: ref}
		}, map[string][]byte{"clientID": []byte("x"), "tls.crt": []byte("s3cr3t-value"), "tls.key": []byte("k")}, "not a PEM"},
	}
	for _, tt := range tests {
		spec := base
		if tt.edit != nil {
			tt.edit(&spec)
		}
		_, err := FromSpec(context.Background(), spec, tt.secret, Options{})
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("%s: error %v, want one mentioning %q and not the secret", tt.name, err, tt.want)
		}
	}
}

// staticToken is a credential that hands out a fixed token.
type staticToken struct{}

func (staticToken) GetToken(context.Context, azpolicy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "demo", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// A sandbox on plain http (the demo) works with Options.Credential and
// the sandbox's authentication off.
func TestPlainHTTPSandbox(t *testing.T) {
	sb := graph.New(graph.Options{})
	srv := httptest.NewServer(sb)
	defer srv.Close()
	spec := elevsynkv1.Microsoft365Target{Endpoint: srv.URL, TenantID: tenantID,
		Auth: elevsynkv1.Microsoft365Auth{ClientSecret: &elevsynkv1.SecretReference{Name: "unused"}}}
	tg, err := FromSpec(context.Background(), spec, nil, Options{Credential: staticToken{}, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tg.Observe(context.Background()); err != nil {
		t.Fatal(err)
	}
	if sb.Counts()["GET /groups"] != 1 {
		t.Errorf("counts %v", sb.Counts())
	}
}

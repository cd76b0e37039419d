package platform_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/endpoint"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/sandbox/graph"
	"github.com/elevsynk/elevsynk/internal/sandbox/loopbacktls"
	"github.com/elevsynk/elevsynk/internal/source"
)

const refusedHint = "a loopback sandbox may use http with the annotation elevsynk.io/sandbox=true"

// Every endpoint a manifest names is https, or plain http to a loopback
// sandbox the object declares. Connect and source.New refuse the rest,
// naming the field, and so does CheckEndpoints (elevsynk validate).
func TestPlainHTTPRefused(t *testing.T) {
	graph := func(url string) elevsynkv1.TargetSpec {
		return elevsynkv1.TargetSpec{Microsoft365: &elevsynkv1.Microsoft365Target{Endpoint: url, TenantID: "t",
			Auth: elevsynkv1.Microsoft365Auth{ClientSecret: &elevsynkv1.SecretReference{Name: "graph"}}}}
	}
	google := func(url string) elevsynkv1.TargetSpec {
		return elevsynkv1.TargetSpec{Google: &elevsynkv1.GoogleTarget{Endpoint: url, Domain: "x.se", AdminSubject: "admin@x.se"}}
	}
	register := func(url, tokenURL string) elevsynkv1.RegisterSourceSpec {
		return elevsynkv1.RegisterSourceSpec{SS12000: &elevsynkv1.SS12000Source{URL: url,
			Auth: elevsynkv1.SS12000Auth{OAuth2: &elevsynkv1.OAuth2ClientCredentials{TokenURL: tokenURL,
				SecretRef: elevsynkv1.SecretReference{Name: "creds"}}}}}
	}
	for _, tc := range []struct {
		name    string
		sandbox bool
		target  *elevsynkv1.TargetSpec
		source  *elevsynkv1.RegisterSourceSpec
		want    string // a part of the error; "" means allowed
	}{
		{name: "graph https", target: ptr(graph("https://graph.microsoft.com"))},
		{name: "graph default", target: ptr(graph(""))},
		{name: "graph http", target: ptr(graph("http://graph.example")),
			want: `spec.microsoft365.endpoint "http://graph.example": plain http is refused; use https`},
		{name: "graph loopback", target: ptr(graph("http://127.0.0.1:8082")), want: `spec.microsoft365.endpoint "http://127.0.0.1:8082": plain http is refused; use https (` + refusedHint + ")"},
		{name: "graph loopback sandbox", sandbox: true, target: ptr(graph("http://127.0.0.1:8082"))},
		{name: "graph authority http", target: ptr(withAuthority(graph("https://graph.microsoft.com"), "http://login.example/")),
			want: `spec.microsoft365.authorityHost "http://login.example/": plain http is refused; use https`},
		{name: "graph sandbox elsewhere", sandbox: true, target: ptr(graph("http://graph.example")), want: "not loopback"},
		{name: "google https", target: ptr(google("https://www.googleapis.com"))},
		{name: "google http", target: ptr(google("http://google.example")),
			want: `spec.google.endpoint "http://google.example": plain http is refused; use https`},
		{name: "google loopback", target: ptr(google("http://localhost:8083")), want: refusedHint},
		{name: "google loopback sandbox", sandbox: true, target: ptr(google("http://[::1]:8083"))},
		{name: "google sandbox elsewhere", sandbox: true, target: ptr(google("http://10.0.0.1:8083")), want: "not loopback"},
		{name: "register http", source: ptr(register("http://register.example/v2.0", "https://register.example/token")),
			want: `spec.ss12000.url "http://register.example/v2.0": plain http is refused; use https`},
		{name: "token http", source: ptr(register("https://register.example/v2.0", "http://register.example/token")),
			want: `spec.ss12000.auth.oauth2.tokenURL "http://register.example/token": plain http is refused; use https`},
		{name: "register loopback", source: ptr(register("http://127.0.0.1:8081/v2.0", "http://127.0.0.1:8081/token")), want: refusedHint},
		{name: "register loopback sandbox", sandbox: true, source: ptr(register("http://127.0.0.1:8081/v2.0", "http://127.0.0.1:8081/token"))},
		{name: "register sandbox elsewhere", sandbox: true, source: ptr(register("http://register.example/v2.0", "http://127.0.0.1/token")),
			want: `spec.ss12000.url "http://register.example/v2.0": plain http is refused for a host that is not loopback`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			meta := metav1.ObjectMeta{Namespace: "ns", Name: "x"}
			if tc.sandbox {
				meta.Annotations = map[string]string{elevsynkv1.SandboxAnnotation: "true"}
			}
			var checked, built error
			secrets := func(context.Context, string) (map[string][]byte, error) {
				return map[string][]byte{"clientID": []byte("id"), "clientSecret": []byte("s")}, nil
			}
			switch {
			case tc.target != nil:
				tg := &elevsynkv1.Target{ObjectMeta: meta, Spec: *tc.target}
				checked = errors.Join(platform.CheckEndpoints(tg)...)
				secret, _ := secrets(context.Background(), "")
				_, built = platform.Connect(context.Background(), tg, secret)
			default:
				src := &elevsynkv1.RegisterSource{ObjectMeta: meta, Spec: *tc.source}
				checked = errors.Join(source.CheckEndpoints(src)...)
				_, built = source.New(context.Background(), src, secrets, nil)
			}
			for what, err := range map[string]error{"check": checked, "connect": built} {
				switch {
				case tc.want == "" && errors.As(err, new(*endpoint.Error)):
					t.Errorf("%s: %v, want the endpoint allowed", what, err)
				case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
					t.Errorf("%s: %v, want an error containing %q", what, err, tc.want)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func withAuthority(spec elevsynkv1.TargetSpec, host string) elevsynkv1.TargetSpec {
	spec.Microsoft365.AuthorityHost = host
	return spec
}

// A Graph sandbox on https, as `elevsynk sandbox` serves it, runs the real
// client-secret credential against its own authority when the Target
// declares it a sandbox; without the annotation the sandbox's certificate
// is not trusted, and the same Target fails at the TLS handshake.
func TestGraphSandboxOverTLS(t *testing.T) {
	const tenant, clientID, secret = "11111111-2222-3333-4444-555555555555", "app", "sandbox-secret"
	sb := graph.New(graph.Options{TenantID: tenant, ClientID: clientID, ClientSecret: secret})
	srv := httptest.NewUnstartedServer(sb)
	srv.TLS = loopbacktls.ServerConfig()
	srv.StartTLS()
	defer srv.Close()
	spec := elevsynkv1.TargetSpec{Microsoft365: &elevsynkv1.Microsoft365Target{Endpoint: srv.URL, AuthorityHost: srv.URL, TenantID: tenant,
		Auth: elevsynkv1.Microsoft365Auth{ClientSecret: &elevsynkv1.SecretReference{Name: "graph"}}}}
	creds := map[string][]byte{"clientID": []byte(clientID), "clientSecret": []byte(secret)}
	for _, tc := range []struct {
		name    string
		sandbox bool
		want    string // a part of the error; "" means Observe succeeds
	}{
		{name: "declared sandbox", sandbox: true},
		{name: "undeclared", want: "certificate signed by unknown authority"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tg := &elevsynkv1.Target{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "x"}, Spec: spec}
			if tc.sandbox {
				tg.Annotations = map[string]string{elevsynkv1.SandboxAnnotation: "true"}
			}
			adapter, err := platform.Connect(context.Background(), tg, creds)
			if err != nil {
				t.Fatal(err)
			}
			before := sb.TokensIssued()
			_, err = adapter.Observe(context.Background())
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Observe: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("Observe: %v, want an error containing %q", err, tc.want)
			}
			if got := sb.TokensIssued() - before; tc.want == "" && got != 1 {
				t.Errorf("token requests = %d, want 1 (the real credential)", got)
			}
		})
	}
}

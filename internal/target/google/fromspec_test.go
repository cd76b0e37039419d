package google

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"golang.org/x/time/rate"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
)

// serviceAccountKey is a key file whose token_uri is tokenURL.
func serviceAccountKey(t *testing.T, tokenURL string) []byte {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	b, _ := json.Marshal(map[string]string{
		"type": "service_account", "client_email": "sync@proj.iam.gserviceaccount.com", "private_key_id": "1",
		"private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), "token_uri": tokenURL})
	return b
}

// A key with domain-wide delegation signs for adminSubject with the
// Classroom and Directory scopes, and its token goes with every request.
func TestServiceAccountDelegation(t *testing.T) {
	var mu sync.Mutex
	var claims map[string]any
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		parts := strings.Split(r.Form.Get("assertion"), ".")
		if len(parts) == 3 {
			b, _ := base64.RawURLEncoding.DecodeString(parts[1])
			mu.Lock()
			_ = json.Unmarshal(b, &claims)
			mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"tok-1","token_type":"Bearer","expires_in":3600}`))
	}))
	t.Cleanup(tokens.Close)
	s := sandbox.New(sandbox.Options{})
	var auth []string
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(api.Close)
	spec := elevsynkv1.GoogleTarget{Endpoint: api.URL, Domain: "example.edu", AdminSubject: "admin@example.edu",
		Auth: elevsynkv1.GoogleAuth{ServiceAccount: &elevsynkv1.SecretReference{Name: "google"}}}
	tg, err := FromSpec(context.Background(), spec, map[string][]byte{CredentialsKey: serviceAccountKey(t, tokens.URL)},
		Options{HTTPClient: api.Client(), ClassroomQPS: rate.Inf, DirectoryQPS: rate.Inf})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tg.Observe(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(auth) != 2 || auth[0] != "Bearer tok-1" || auth[1] != "Bearer tok-1" {
		t.Errorf("Authorization headers %q", auth)
	}
	scope, _ := claims["scope"].(string)
	if claims["sub"] != "admin@example.edu" || claims["iss"] != "sync@proj.iam.gserviceaccount.com" ||
		scope != strings.Join(Scopes, " ") {
		t.Errorf("assertion claims %v", claims)
	}
}

func TestFromSpecRefuses(t *testing.T) {
	sa := elevsynkv1.GoogleAuth{ServiceAccount: &elevsynkv1.SecretReference{Name: "google"}}
	for _, tc := range []struct {
		name   string
		spec   elevsynkv1.GoogleTarget
		secret map[string][]byte
		want   string
	}{
		{"no domain", elevsynkv1.GoogleTarget{AdminSubject: "a@x.se", Auth: sa}, nil, "domain and adminSubject"},
		{"no subject", elevsynkv1.GoogleTarget{Domain: "x.se", Auth: sa}, nil, "domain and adminSubject"},
		{"no auth", elevsynkv1.GoogleTarget{Domain: "x.se", AdminSubject: "a@x.se"}, nil, "set auth.serviceAccount"},
		{"no key", elevsynkv1.GoogleTarget{Domain: "x.se", AdminSubject: "a@x.se", Auth: sa}, map[string][]byte{"other": []byte("x")}, "has no credentials.json"},
		{"not a key", elevsynkv1.GoogleTarget{Domain: "x.se", AdminSubject: "a@x.se", Auth: sa},
			map[string][]byte{CredentialsKey: []byte(`{"private_key":"SECRET-MATERIAL"`)}, "is not a service account key"},
		// Plain http was once taken for a sandbox anywhere, and sent
		// personal data with no authentication.
		{"plain http", elevsynkv1.GoogleTarget{Endpoint: "http://google.example", Domain: "x.se", AdminSubject: "a@x.se", Auth: sa}, nil,
			`spec.google.endpoint "http://google.example": plain http is refused; use https`},
		{"loopback http without the annotation", elevsynkv1.GoogleTarget{Endpoint: "http://127.0.0.1:8083", Domain: "x.se", AdminSubject: "a@x.se"}, nil,
			"a loopback sandbox may use http with the annotation elevsynk.io/sandbox=true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromSpec(context.Background(), tc.spec, tc.secret, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "SECRET") {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

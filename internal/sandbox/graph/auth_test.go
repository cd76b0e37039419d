package graph

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func jwt(sub string, exp time.Time) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"none"}`)) + "." +
		enc.EncodeToString([]byte(`{"sub":"`+sub+`","exp":`+strconv.FormatInt(exp.Unix(), 10)+`}`)) + ".sig"
}

func TestTokenEndpoint(t *testing.T) {
	f := newFixture(t, Options{TenantID: "tenant", ClientID: "app", ClientSecret: "s3cret", FederatedSubject: "system:serviceaccount:ns:sa"})
	if st, _, _ := f.do(http.MethodGet, "/groups", nil); st != http.StatusUnauthorized {
		t.Fatalf("no token: status %d, want 401", st)
	}
	_, _, disc := f.do(http.MethodGet, f.srv.URL+"/tenant/v2.0/.well-known/openid-configuration", nil)
	ep, _ := disc["token_endpoint"].(string)
	if ep != f.srv.URL+"/tenant/oauth2/v2.0/token" || disc["issuer"] == nil || disc["authorization_endpoint"] == nil {
		t.Fatalf("discovery: %v", disc)
	}
	future := time.Now().Add(time.Hour)
	tests := []struct {
		name string
		form url.Values
		ok   bool
	}{
		{"secret", url.Values{"client_secret": {"s3cret"}}, true},
		{"wrong secret", url.Values{"client_secret": {"nope"}}, false},
		{"certificate assertion", url.Values{"client_assertion": {jwt("app", future)}}, true},
		{"federated assertion", url.Values{"client_assertion": {jwt("system:serviceaccount:ns:sa", future)}}, true},
		{"expired assertion", url.Values{"client_assertion": {jwt("app", time.Now().Add(-time.Minute))}}, false},
		{"foreign subject", url.Values{"client_assertion": {jwt("someone", future)}}, false},
		{"wrong client", url.Values{"client_id": {"other"}, "client_secret": {"s3cret"}}, false},
	}
	for _, tt := range tests {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"app"}, "scope": {"https://graph.microsoft.com/.default"}}
		for k, v := range tt.form {
			form[k] = v
		}
		if form.Get("client_assertion") != "" {
			form.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
		}
		req, _ := http.NewRequest(http.MethodPost, ep, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		st, _, body := f.send(req)
		tok, _ := body["access_token"].(string)
		if (st == http.StatusOK && tok != "") != tt.ok {
			t.Errorf("%s: status %d %v", tt.name, st, body)
			continue
		}
		if tt.ok {
			if st, _, _ := f.do(http.MethodGet, "/groups", nil, "Authorization", "Bearer "+tok); st != http.StatusOK {
				t.Errorf("%s: API with the token: status %d", tt.name, st)
			}
		}
	}
}

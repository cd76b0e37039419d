package graph

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// The Microsoft identity platform endpoints MSAL uses for the client
// credentials flow, so azidentity's own credentials run against the
// sandbox: OpenID discovery (MSAL reads the token endpoint and issuer from
// it when instance discovery is off) and the token endpoint with a client
// secret or a client assertion
// (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow).

// tokenTTL is the life of an access token. Tokens and assertions are
// dated by the wall clock, not Options.Now: MSAL caches tokens by the wall
// clock, and a test clock that jumps days ahead must not expire them.
const tokenTTL = time.Hour

func (s *Server) serveAuth(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case len(parts) == 4 && r.Method == http.MethodGet && parts[1] == "v2.0" && parts[2] == ".well-known" && parts[3] == "openid-configuration":
		s.serveDiscovery(w, r, parts[0])
	case len(parts) == 4 && r.Method == http.MethodPost && parts[1] == "oauth2" && parts[2] == "v2.0" && parts[3] == "token":
		s.serveToken(w, r, parts[0])
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) serveDiscovery(w http.ResponseWriter, r *http.Request, tenant string) {
	if !s.knownTenant(tenant) {
		http.NotFound(w, r)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	root := scheme + "://" + r.Host + "/" + tenant
	writeJSON(w, http.StatusOK, map[string]any{
		"token_endpoint":         root + "/oauth2/v2.0/token",
		"authorization_endpoint": root + "/oauth2/v2.0/authorize",
		"issuer":                 root + "/v2.0",
	})
}

func (s *Server) knownTenant(t string) bool {
	return s.opts.TenantID == "" || strings.EqualFold(t, s.opts.TenantID)
}

// oauthError is the token endpoint's error shape.
func oauthError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]any{"error": code, "error_description": "sandbox: " + code})
}

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request, tenant string) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	f := r.PostForm
	switch {
	case !s.knownTenant(tenant):
		oauthError(w, http.StatusBadRequest, "invalid_tenant")
		return
	case f.Get("grant_type") != "client_credentials":
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	case s.opts.ClientID == "" || f.Get("client_id") != s.opts.ClientID:
		oauthError(w, http.StatusBadRequest, "unauthorized_client")
		return
	}
	ok := false
	if sec := f.Get("client_secret"); sec != "" {
		ok = sec == s.opts.ClientSecret
	} else if a := f.Get("client_assertion"); a != "" && f.Get("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		sub, exp, err := assertionClaims(a)
		ok = err == nil && time.Now().Before(exp) &&
			(sub == s.opts.ClientID || s.opts.FederatedSubject != "" && sub == s.opts.FederatedSubject)
	}
	if !ok {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	s.mu.Lock()
	s.tokens[tok] = time.Now().Add(tokenTTL)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type": "Bearer", "access_token": tok,
		"expires_in": int(tokenTTL.Seconds()), "ext_expires_in": int(tokenTTL.Seconds()),
	})
}

// assertionClaims reads sub and exp of a JWT client assertion. The sandbox
// checks claims, not signatures: it stands in for the identity platform's
// trust in a certificate or a federated issuer, which tests do not model.
func assertionClaims(jwt string) (string, time.Time, error) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 || len(jwt) > 16<<10 {
		return "", time.Time{}, errToken
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return "", time.Time{}, errToken
	}
	var c struct {
		Sub string `json:"sub"`
		Exp int64  `json:"exp"`
	}
	if err := json.Unmarshal(b, &c); err != nil || c.Sub == "" {
		return "", time.Time{}, errToken
	}
	return c.Sub, time.Unix(c.Exp, 0), nil
}

// TokensIssued is the number of access tokens the token endpoint gave.
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tokens)
}

// authorised checks the bearer token when authentication is on.
func (s *Server) authorised(r *http.Request) bool {
	if s.opts.ClientID == "" {
		return true
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[tok]
	return ok && time.Now().Before(exp)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Authorised says whether r carries a bearer token this server issued (or
// the server takes every request), for another emulator sharing its
// tenant: the School Data Sync sandbox serves Graph beta beside it.
func (s *Server) Authorised(r *http.Request) bool { return s.authorised(r) }

package ss12000

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// serveToken is the OAuth2 token endpoint for the client credentials grant
// (RFC 6749 §4.4). The client authenticates with HTTP Basic or with
// client_id/client_secret in the form, both allowed by RFC 6749 §2.3.1,
// but not both at once ("MUST NOT use more than one authentication method").
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		tokenError(w, http.StatusMethodNotAllowed, "invalid_request")
		return
	}
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type") // RFC 6749 §5.2
		return
	}
	id, secret, basic := r.BasicAuth()
	if basic {
		// RFC 6749 §2.3.1: Basic credentials are form-urlencoded first.
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	}
	if _, inForm := r.PostForm["client_id"]; inForm {
		if basic {
			tokenError(w, http.StatusBadRequest, "invalid_request")
			return
		}
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if !equal(id, s.opts.ClientID) || !equal(secret, s.opts.ClientSecret) {
		if basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="token"`)
		}
		tokenError(w, http.StatusUnauthorized, "invalid_client") // RFC 6749 §5.2
		return
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	tok := hex.EncodeToString(b[:])
	s.mu.Lock()
	s.tokens[tok] = s.opts.Now().Add(s.opts.TokenTTL)
	s.mu.Unlock()
	// RFC 6749 §5.1: the response is JSON and must not be cached.
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": tok,
		"token_type":   "Bearer",
		"expires_in":   int(s.opts.TokenTTL.Seconds()),
	})
}

func tokenError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

// authorised checks the request against the auth mode and writes the
// refusal itself.
func (s *Server) authorised(w http.ResponseWriter, r *http.Request) bool {
	switch s.opts.Auth {
	case AuthNone:
		return true
	case AuthAPIKey:
		if equal(r.Header.Get(s.opts.APIKeyHeader), s.opts.APIKey) {
			return true
		}
	case AuthMTLS:
		if r.TLS != nil && len(r.TLS.VerifiedChains) > 0 {
			return true
		}
	case AuthBearer:
		// RFC 6750 §2.1: "Authorization: Bearer <token>".
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if ok {
			s.mu.Lock()
			exp, known := s.tokens[tok]
			s.mu.Unlock()
			if known && s.opts.Now().Before(exp) {
				return true
			}
		}
		// RFC 6750 §3: challenge with the error code.
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	s.writeError(w, http.StatusUnauthorized, "unauthorized", "missing or invalid credentials")
	return false
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

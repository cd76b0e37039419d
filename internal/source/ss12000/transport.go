package ss12000

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// newHTTPClient builds the client every request goes through: TLS settings
// (CA, client certificate) on the transport, then the OAuth2 token layer,
// with Timeout on every page request.
func newHTTPClient(cfg *Config) (*http.Client, error) {
	var rt http.RoundTripper
	if cfg.HTTPClient != nil {
		rt = cfg.HTTPClient.Transport
	}
	tr, err := tlsTransport(rt, cfg)
	if err != nil {
		return nil, err
	}
	timeout := cmp.Or(cfg.Timeout, 30*time.Second)
	if cfg.Auth.OAuth2 == nil {
		return &http.Client{Transport: tr, Timeout: timeout}, nil
	}
	o := cfg.Auth.OAuth2
	cc := &clientcredentials.Config{
		ClientID:     o.ClientID,
		ClientSecret: o.ClientSecret,
		TokenURL:     o.TokenURL,
		Scopes:       o.Scopes,
	}
	if o.AuthStyleInParams {
		cc.AuthStyle = oauth2.AuthStyleInParams
	}
	// The token endpoint is reached with the same TLS settings (mTLS
	// vendors put it behind the same gateway) but without retries of ours.
	return &http.Client{
		Transport: &tokenTransport{cc: cc, client: &http.Client{Transport: tr}, timeout: cmp.Or(cfg.TokenTimeout, 15*time.Second), base: tr},
		Timeout:   timeout,
	}, nil
}

// tokenTransport adds the bearer token of the client credentials grant.
// It stands where oauth2.Transport would, because that one's token source
// has no context of its own: here the token request runs under the page
// request's context, bounded by its own timeout, so a token endpoint that
// never answers fails the attempt instead of hanging the fetch. The token
// is cached until it expires, so a fetch of thousands of pages costs one
// token request; concurrent requests wait for the one in flight.
type tokenTransport struct {
	cc      *clientcredentials.Config
	client  *http.Client // for the token endpoint
	timeout time.Duration
	base    http.RoundTripper

	mu  sync.Mutex
	tok *oauth2.Token
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := t.token(req.Context())
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	r := req.Clone(req.Context())
	tok.SetAuthHeader(r)
	return t.base.RoundTrip(r)
}

func (t *tokenTransport) token(ctx context.Context) (*oauth2.Token, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tok.Valid() {
		return t.tok, nil
	}
	ctx, cancel := context.WithTimeout(context.WithValue(ctx, oauth2.HTTPClient, t.client), t.timeout)
	defer cancel()
	tok, err := t.cc.Token(ctx)
	if err != nil {
		return nil, err
	}
	t.tok = tok
	return tok, nil
}

func tlsTransport(rt http.RoundTripper, cfg *Config) (http.RoundTripper, error) {
	if len(cfg.CAPEM) == 0 && cfg.Auth.MutualTLS == nil {
		if rt == nil {
			return http.DefaultTransport, nil
		}
		return rt, nil
	}
	var t *http.Transport
	switch b := rt.(type) {
	case nil:
		t = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		t = b.Clone()
	default:
		return nil, errors.New("ss12000: CAPEM/MutualTLS need an *http.Transport base")
	}
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if len(cfg.CAPEM) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(cfg.CAPEM) {
			return nil, errors.New("ss12000: CAPEM holds no usable certificate")
		}
		t.TLSClientConfig.RootCAs = pool
	}
	if m := cfg.Auth.MutualTLS; m != nil {
		cert, err := tls.X509KeyPair(m.CertPEM, m.KeyPEM)
		if err != nil {
			// X509KeyPair's errors describe the PEM, never the key bytes.
			return nil, errors.New("ss12000: client certificate: " + err.Error())
		}
		t.TLSClientConfig.Certificates = []tls.Certificate{cert}
	}
	return t, nil
}

// asAuthError recognises a failed token request inside a transport error.
func asAuthError(err error) *AuthError {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return nil
	}
	ae := &AuthError{Code: errorCode(re.ErrorCode)}
	if re.Response != nil {
		ae.StatusCode = re.Response.StatusCode
	}
	return ae
}

// errorCode keeps an RFC 6749 §5.2 error code only if it looks like one
// (the spec limits it to printable ASCII; real ones are snake_case words).
func errorCode(s string) string {
	if len(s) > 40 {
		return ""
	}
	for _, r := range s {
		if r != '_' && (r < 'a' || r > 'z') {
			return ""
		}
	}
	return s
}

package ss12000

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// newHTTPClient builds the client every request goes through: TLS settings
// (CA, client certificate) on the transport, then the OAuth2 token layer.
// The token source is built once per Client and caches the token until it
// expires, so a fetch of thousands of pages costs one token request.
func newHTTPClient(cfg *Config) (*http.Client, error) {
	base := &http.Client{}
	if cfg.HTTPClient != nil {
		*base = *cfg.HTTPClient
	}
	tr, err := tlsTransport(base.Transport, cfg)
	if err != nil {
		return nil, err
	}
	base.Transport = tr
	if cfg.Auth.OAuth2 == nil {
		return base, nil
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
	tokenCtx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: tr, Timeout: base.Timeout})
	return &http.Client{
		Transport: &oauth2.Transport{Source: cc.TokenSource(tokenCtx), Base: tr},
		Timeout:   base.Timeout,
	}, nil
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

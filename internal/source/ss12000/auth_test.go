package ss12000_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
	"github.com/elevsynk/elevsynk/internal/source/ss12000"
)

func TestAuthModes(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts sandbox.Options
		auth func(e *env) ss12000.Auth
	}{
		{"oauth2 basic", sandbox.Options{}, func(e *env) ss12000.Auth {
			return ss12000.Auth{OAuth2: &ss12000.OAuth2{TokenURL: e.hs.URL + "/token", ClientID: "client", ClientSecret: "secret"}}
		}},
		{"oauth2 form", sandbox.Options{ClientID: "id:with/odd&chars", ClientSecret: "s3cr=t"}, func(e *env) ss12000.Auth {
			return ss12000.Auth{OAuth2: &ss12000.OAuth2{TokenURL: e.hs.URL + "/token", ClientID: "id:with/odd&chars", ClientSecret: "s3cr=t", AuthStyleInParams: true}}
		}},
		{"api key", sandbox.Options{Auth: sandbox.AuthAPIKey, APIKeyHeader: "X-Customer-Key", APIKey: "k1"}, func(*env) ss12000.Auth {
			return ss12000.Auth{APIKey: &ss12000.APIKey{Header: "X-Customer-Key", Key: "k1"}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.opts)
			c := e.client(t, func(c *ss12000.Config) { c.Auth = tc.auth(e) })
			got, err := c.FetchFull(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if d := diffState(e.srv.Snapshot(), got); d != "" {
				t.Errorf("(-served +fetched):\n%s", d)
			}
		})
	}
}

func TestWrongCredentials(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opts     sandbox.Options
		auth     func(e *env) ss12000.Auth
		check    func(t *testing.T, err error)
		requests int // to the API, i.e. no retry storm
	}{
		{"oauth2 wrong secret", sandbox.Options{}, func(e *env) ss12000.Auth {
			return ss12000.Auth{OAuth2: &ss12000.OAuth2{TokenURL: e.hs.URL + "/token", ClientID: "client", ClientSecret: "wrong-secret-xyz"}}
		}, func(t *testing.T, err error) {
			var ae *ss12000.AuthError
			if !errors.As(err, &ae) || ae.StatusCode != 401 || ae.Code != "invalid_client" {
				t.Errorf("err = %v, want an AuthError 401 invalid_client", err)
			}
			if strings.Contains(err.Error(), "wrong-secret-xyz") {
				t.Error("error text contains the secret")
			}
		}, 0},
		{"api key wrong", sandbox.Options{Auth: sandbox.AuthAPIKey}, func(*env) ss12000.Auth {
			return ss12000.Auth{APIKey: &ss12000.APIKey{Key: "nope"}}
		}, func(t *testing.T, err error) {
			var se *ss12000.StatusError
			if !errors.As(err, &se) || se.StatusCode != 401 || !strings.Contains(err.Error(), "credentials") {
				t.Errorf("err = %v, want a StatusError 401 that says to check the credentials", err)
			}
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.opts)
			_, err := e.client(t, func(c *ss12000.Config) { c.Auth = tc.auth(e) }).FetchFull(context.Background())
			if err == nil {
				t.Fatal("want an error")
			}
			tc.check(t, err)
			if n := e.srv.Count("organisations"); n != tc.requests {
				t.Errorf("%d API requests, want %d", n, tc.requests)
			}
		})
	}
}

func TestTokenCachedUntilExpiry(t *testing.T) {
	t.Run("reused", func(t *testing.T) {
		e := newEnv(t, sandbox.Options{})
		c := e.client(t, func(c *ss12000.Config) { c.PageSize = 1 })
		for range 2 {
			if _, err := c.FetchFull(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		if n := e.srv.Count("token"); n != 1 {
			t.Errorf("%d token requests for %d API requests, want 1", n, c.Stats().Requests)
		}
	})
	t.Run("expired", func(t *testing.T) {
		// x/oauth2 renews a token 10s before it expires, so a 5s token is
		// stale at once and every request must fetch a new one.
		e := newEnv(t, sandbox.Options{TokenTTL: 5 * time.Second})
		c := e.client(t, nil)
		if _, err := c.FetchFull(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n, want := int64(e.srv.Count("token")), c.Stats().Requests; n != want {
			t.Errorf("%d token requests, want one per API request (%d)", n, want)
		}
	})
}

func TestMutualTLS(t *testing.T) {
	caPEM, ca, caKey := newCA(t)
	certPEM, keyPEM := newLeaf(t, ca, caKey)
	srv := sandbox.New(sandbox.Options{Auth: sandbox.AuthMTLS})
	srv.FromSnapshot(fixture())
	hs := httptest.NewUnstartedServer(srv)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	hs.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	hs.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	hs.StartTLS()
	t.Cleanup(hs.Close)
	serverCA := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: hs.Certificate().Raw})

	for _, tc := range []struct {
		name    string
		auth    ss12000.Auth
		wantErr bool
	}{
		{"client certificate", ss12000.Auth{MutualTLS: &ss12000.MutualTLS{CertPEM: certPEM, KeyPEM: keyPEM}}, false},
		{"no client certificate", ss12000.Auth{APIKey: &ss12000.APIKey{Key: "unused"}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{now: t0}
			c, err := ss12000.New(ss12000.Config{BaseURL: hs.URL + "/v2.0", Auth: tc.auth, CAPEM: serverCA, Clock: clock})
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.FetchFull(context.Background())
			if tc.wantErr {
				if err == nil {
					t.Fatal("want an error without a client certificate")
				}
				if len(clock.Sleeps()) != 0 {
					t.Errorf("retried a TLS refusal %d times", len(clock.Sleeps()))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := diffState(srv.Snapshot(), got); d != "" {
				t.Errorf("(-served +fetched):\n%s", d)
			}
		})
	}
}

func newCA(t *testing.T) ([]byte, *x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test client CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), cert, key
}

func newLeaf(t *testing.T, ca *x509.Certificate, caKey *ecdsa.PrivateKey) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "elevsynk"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}

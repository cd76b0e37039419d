// Package loopbacktls is the TLS identity of the local sandboxes
// (`elevsynk sandbox`, `elevsynk demo`): one self-signed certificate for
// localhost, 127.0.0.1 and ::1, and the pool that trusts it.
//
// MSAL takes https authorities only, so a Microsoft 365 Target can run its
// real azidentity credential against the Graph sandbox only over TLS. The
// sandbox and the manager are separate processes, so both derive the same
// certificate from a fixed Ed25519 seed (Ed25519 signatures are
// deterministic) instead of sharing a file. The key is public by design:
// the pool is used only for a Target that says it is a sandbox
// (elevsynk.io/sandbox=true) and whose endpoint is on a loopback host,
// which is never a real service (internal/platform).
package loopbacktls

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"sync"
	"time"
)

var identity = sync.OnceValues(derive)

// derive makes the certificate from the fixed seed.
func derive() (tls.Certificate, *x509.Certificate) {
	seed := sha256.Sum256([]byte("elevsynk loopback sandbox"))
	key := ed25519.NewKeyFromSeed(seed[:])
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "elevsynk loopback sandbox"},
		NotBefore:             time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2126, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		panic("loopbacktls: " + err.Error()) // a fixed template and key: cannot fail at run time
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic("loopbacktls: " + err.Error())
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, cert
}

// ServerConfig is the TLS configuration a sandbox serves with.
func ServerConfig() *tls.Config {
	c, _ := identity()
	return &tls.Config{Certificates: []tls.Certificate{c}, MinVersion: tls.VersionTLS12}
}

// Pool trusts the sandboxes' certificate and nothing else.
func Pool() *x509.CertPool {
	_, cert := identity()
	p := x509.NewCertPool()
	p.AddCert(cert)
	return p
}

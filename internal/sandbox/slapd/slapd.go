// Package slapd runs a real OpenLDAP slapd, Debian's, for the tests and
// the demo: its own configuration, database and TLS certificate in a
// temporary directory, on free loopback ports, with an Active
// Directory-like schema and the entries it is given. hack/slapd.sh
// installs slapd; a test that needs it fails, never skips, without it.
//
// The schema is what Debian's OpenLDAP ships: core, cosine,
// inetOrgPerson, nis and msuser (Microsoft's Active Directory classes and
// attributes, with their Microsoft OIDs, so entries are objectClass user
// with userPrincipalName and mail as on a domain controller). msuser.schema
// leaves two attributes that AD's user class allows outside every class:
// sAMAccountName (AD has it from the securityPrincipal class) and
// employeeID. The auxiliary class elevsynkADUser, under OpenLDAP's
// experimental arc 1.3.6.1.4.1.4203.666, allows both; it is the only
// definition of ours.
//
// Like Active Directory, the directory returns at most MaxPageSize entries
// to a search without paging and in each page of a paged one (slapd's
// limits size.soft, size.hard and size.pr), so a client that does not page
// reads a truncated directory and is told so (sizeLimitExceeded).
package slapd

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-ldap/ldap/v3"

	"github.com/elevsynk/elevsynk/internal/rostergen"
)

// Suffix is the directory's root, and the DNs of the administrator and of
// the read-only service account a RegisterSource binds as.
const (
	Suffix    = "dc=exempelstad,dc=se"
	UsersDN   = "ou=Users," + Suffix
	AdminDN   = "cn=admin," + Suffix
	ServiceDN = "cn=elevsynk,ou=Service," + Suffix
)

// MaxPageSize is Active Directory's default MaxPageSize.
const MaxPageSize = 1000

// Entry is one directory entry: its DN and attributes.
type Entry struct {
	DN         string
	Attributes map[string][]string
}

// Options configure a Server.
type Options struct {
	// Entries are loaded below Suffix (UsersDN and the service account's
	// OU are made for them).
	Entries []Entry
	// MaxEntries, when set, caps the entries one paged search may return
	// in all (slapd's size.prtotal), so a test can hit a size limit as an
	// administrator's limit policy would. 0 is no cap.
	MaxEntries int
}

// Server is a running slapd.
type Server struct {
	// URL is ldap://127.0.0.1:port (StartTLS), LDAPSURL ldaps://127.0.0.1:port.
	URL, LDAPSURL string
	// CAPEM is the certificate of the CA that signed the server's
	// certificate (for 127.0.0.1 and localhost).
	CAPEM []byte
	// ServicePassword is the service account's password; the
	// administrator's is the tests' own business (Modify uses it).
	ServicePassword string

	adminPassword string
	cmd           *exec.Cmd
	dir           string
	done          chan struct{}
	mu            sync.Mutex
	output        bytes.Buffer
}

// Binary finds slapd: $SLAPD, then PATH, then Debian's /usr/sbin/slapd.
func Binary() (string, error) {
	if p := os.Getenv("SLAPD"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("slapd"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/sbin/slapd"); err == nil {
		return "/usr/sbin/slapd", nil
	}
	return "", errors.New("slapd not found: run hack/slapd.sh (make test does) to install Debian's slapd")
}

// Start configures, loads and starts a slapd in a new temporary directory.
func Start(opts Options) (*Server, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "elevsynk-slapd-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, adminPassword: randomSecret(), ServicePassword: randomSecret()}
	if err := s.configure(opts); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := s.load(filepath.Join(filepath.Dir(bin), "slapadd"), opts.Entries); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// A port found free may be taken before slapd binds it; a few tries
	// make that race harmless.
	for try := 0; ; try++ {
		err = s.start(bin)
		if err == nil || try == 3 {
			break
		}
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

func randomSecret() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// schema is the auxiliary class that allows the AD attributes msuser.schema
// defines but no class of it allows (see the package comment).
const schema = `objectclass ( 1.3.6.1.4.1.4203.666.100.1 NAME 'elevsynkADUser' SUP top AUXILIARY
 MAY ( sAMAccountName $ employeeID ) )
`

func (s *Server) configure(opts Options) error {
	caPEM, certPEM, keyPEM, err := certificates()
	if err != nil {
		return err
	}
	s.CAPEM = caPEM
	files := map[string][]byte{"ca.crt": caPEM, "server.crt": certPEM, "server.key": keyPEM, "elevsynk.schema": []byte(schema)}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(s.dir, name), data, 0o600); err != nil {
			return err
		}
	}
	if err := os.Mkdir(filepath.Join(s.dir, "db"), 0o700); err != nil {
		return err
	}
	total := "unlimited"
	if opts.MaxEntries > 0 {
		total = fmt.Sprint(opts.MaxEntries)
	}
	var b strings.Builder
	for _, f := range []string{"core", "cosine", "inetorgperson", "nis", "msuser"} {
		fmt.Fprintf(&b, "include /etc/ldap/schema/%s.schema\n", f)
	}
	fmt.Fprintf(&b, `include %[1]s/elevsynk.schema
pidfile %[1]s/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCACertificateFile %[1]s/ca.crt
TLSCertificateFile %[1]s/server.crt
TLSCertificateKeyFile %[1]s/server.key
database mdb
maxsize 104857600
suffix %[2]q
rootdn %[3]q
rootpw %[4]s
directory %[1]s/db
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact=%[5]q read by * none
limits dn.exact=%[5]q size.soft=%[6]d size.hard=%[6]d size.pr=%[6]d size.prtotal=%[7]s
`, s.dir, Suffix, AdminDN, s.adminPassword, ServiceDN, MaxPageSize, total)
	return os.WriteFile(filepath.Join(s.dir, "slapd.conf"), []byte(b.String()), 0o600)
}

// load writes the entries as LDIF and loads them with slapadd before slapd
// starts: much faster than adding them over the wire.
func (s *Server) load(slapadd string, entries []Entry) error {
	base := []Entry{
		{DN: Suffix, Attributes: map[string][]string{"objectClass": {"dcObject", "organization"}, "o": {"Exempelstad"}, "dc": {"exempelstad"}}},
		{DN: UsersDN, Attributes: map[string][]string{"objectClass": {"organizationalUnit"}, "ou": {"Users"}}},
		{DN: "ou=Service," + Suffix, Attributes: map[string][]string{"objectClass": {"organizationalUnit"}, "ou": {"Service"}}},
		{DN: ServiceDN, Attributes: map[string][]string{"objectClass": {"person"}, "cn": {"elevsynk"}, "sn": {"elevsynk"},
			"userPassword": {s.ServicePassword}}},
	}
	var b bytes.Buffer
	for _, e := range append(base, entries...) {
		writeLDIF(&b, e)
	}
	path := filepath.Join(s.dir, "data.ldif")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		return err
	}
	out, err := exec.Command(slapadd, "-q", "-f", filepath.Join(s.dir, "slapd.conf"), "-l", path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("slapadd: %v: %s", err, out)
	}
	return nil
}

// writeLDIF writes one entry (RFC 2849), base64 for values that are not
// safe strings (non-ASCII, leading space, colon or '<').
func writeLDIF(b *bytes.Buffer, e Entry) {
	line := func(attr, v string) {
		safe := utf8.ValidString(v) && !strings.ContainsAny(v, "\r\n\x00") &&
			(v == "" || !strings.ContainsAny(v[:1], " :<")) && !strings.HasSuffix(v, " ")
		for _, r := range v {
			if r > 126 {
				safe = false
			}
		}
		if safe {
			fmt.Fprintf(b, "%s: %s\n", attr, v)
		} else {
			fmt.Fprintf(b, "%s:: %s\n", attr, base64.StdEncoding.EncodeToString([]byte(v)))
		}
	}
	line("dn", e.DN)
	for _, attr := range sortedKeys(e.Attributes) {
		for _, v := range e.Attributes[attr] {
			line(attr, v)
		}
	}
	b.WriteString("\n")
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) start(bin string) error {
	plain, err := freePort()
	if err != nil {
		return err
	}
	secure, err := freePort()
	if err != nil {
		return err
	}
	s.URL, s.LDAPSURL = fmt.Sprintf("ldap://127.0.0.1:%d", plain), fmt.Sprintf("ldaps://127.0.0.1:%d", secure)
	// -d 0: stay in the foreground, so the process is ours to stop, and
	// log nothing but start-up errors.
	cmd := exec.Command(bin, "-d", "0", "-f", filepath.Join(s.dir, "slapd.conf"), "-h", s.URL+"/ "+s.LDAPSURL+"/")
	cmd.Stdout, cmd.Stderr = &lockedWriter{s: s}, &lockedWriter{s: s}
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-exited:
			return fmt.Errorf("slapd exited at start: %s", s.log())
		default:
		}
		if c, err := net.DialTimeout("tcp", strings.TrimPrefix(s.LDAPSURL, "ldaps://"), 200*time.Millisecond); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("slapd did not listen within 10 s: %s", s.log())
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.cmd, s.done = cmd, exited
	return nil
}

type lockedWriter struct{ s *Server }

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	return w.s.output.Write(p)
}

func (s *Server) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(s.output.Bytes()))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return strings.Join(lines[max(0, len(lines)-10):], "\n")
}

// Stop ends slapd and removes its directory.
func (s *Server) Stop() error {
	if s.cmd != nil {
		_ = s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	}
	return os.RemoveAll(s.dir)
}

// admin connects over LDAPS as the administrator.
func (s *Server) admin() (*ldap.Conn, error) {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CAPEM)
	c, err := ldap.DialURL(s.LDAPSURL, ldap.DialWithTLSConfig(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}))
	if err != nil {
		return nil, err
	}
	if err := c.Bind(AdminDN, s.adminPassword); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Replace sets an attribute of an entry, as an administrator changing an
// address in Active Directory does.
func (s *Server) Replace(dn, attr string, values ...string) error {
	c, err := s.admin()
	if err != nil {
		return err
	}
	defer c.Close()
	req := ldap.NewModifyRequest(dn, nil)
	req.Replace(attr, values)
	return c.Modify(req)
}

// Delete removes an entry.
func (s *Server) Delete(dn string) error {
	c, err := s.admin()
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Del(ldap.NewDelRequest(dn, nil))
}

// certificates makes a CA and a server certificate for the loopback
// names, signed by it (ECDSA P-256, which GnuTLS and Go both take).
func certificates() (caPEM, certPEM, keyPEM []byte, err error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "elevsynk test directory CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(7 * 24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, nil, nil, err
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(7 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, nil, err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), nil
}

// UserDN is the DN of the account with this login name.
func UserDN(sAMAccountName string) string {
	return "cn=" + ldap.EscapeDN(sAMAccountName) + "," + UsersDN
}

// Users are the accounts as AD user entries. The attributes AD's top class
// requires (instanceType, objectCategory, nTSecurityDescriptor) carry the
// values a domain controller would, the descriptor an empty one; sn, which
// the standard person class requires and AD's does not, is the login name.
func Users(accounts []rostergen.Account) []Entry {
	out := make([]Entry, len(accounts))
	for i, a := range accounts {
		attrs := map[string][]string{
			"objectClass": {"user", "elevsynkADUser"}, "cn": {a.SAMAccountName}, "sn": {a.SAMAccountName}, "sAMAccountName": {a.SAMAccountName},
			"userPrincipalName": {a.UserPrincipalName}, "mail": {a.Mail}, "instanceType": {"4"},
			"objectCategory":       {"CN=Person,CN=Schema,CN=Configuration,DC=exempelstad,DC=se"},
			"nTSecurityDescriptor": {"\x01\x00\x04\x80"},
		}
		if a.EmployeeID != "" {
			attrs["employeeID"] = []string{a.EmployeeID}
		}
		out[i] = Entry{DN: UserDN(a.SAMAccountName), Attributes: attrs}
	}
	return out
}

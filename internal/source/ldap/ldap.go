// Package ldap reads a directory (Active Directory, or the AD that MIM
// writes to, or any LDAPv3 server) as a supplement to a register: one
// roster.DirectoryEntry per entry under a base DN that matches a filter,
// carrying the join attribute's value and the attributes the source maps
// to register person attributes.
//
// The connection is always encrypted: ldaps://, or ldap:// with StartTLS,
// which is required. The bind is a simple bind with a user and password.
// Entries are read in pages (RFC 2696): Active Directory answers at most
// MaxPageSize (1000) entries to a search, paged or not, and says
// sizeLimitExceeded past it; a directory cut short by a size limit is
// never returned as if it were whole.
//
// Errors name the spec field to fix and never carry an entry's values,
// the bind user or the password.
package ldap

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	goldap "github.com/go-ldap/ldap/v3"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// Register person attributes a directory can supply (the keys of
// spec.ldap.attributes).
const (
	AttrEduPersonPrincipalName = "eduPersonPrincipalName"
	AttrEmail                  = "email"
	AttrExternalIdentifier     = "externalIdentifier"
)

// Config is one directory to read.
type Config struct {
	URL              string // ldaps://host[:port] or ldap://host[:port]
	BindDN, Password string
	CAPEM            []byte // extra roots to trust; nil trusts the system's
	BaseDN, Filter   string
	PageSize         int // 0 means 1000
	JoinAttribute    string
	JoinKey          elevsynkv1.JoinKey // folds join values as the join compares them
	// Attributes maps register person attributes (the Attr constants) to
	// directory attributes.
	Attributes map[string]string
	// Timeout bounds each request; 0 means a minute. The whole read is
	// bounded by the caller's context.
	Timeout time.Duration
}

// FieldError is a spec field whose value cannot work.
type FieldError struct {
	Field   string // e.g. spec.ldap.filter
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// BindError is a bind the directory refused: wrong user or password, or
// a locked or expired account.
type BindError struct{ Err error }

func (e *BindError) Error() string {
	return "spec.ldap.bindSecretRef: the directory refused the bind: " + resultText(e.Err)
}

func (e *BindError) Unwrap() error { return e.Err }

// TLSError is a TLS connection that could not be made: an untrusted or
// wrong certificate, or a server without StartTLS.
type TLSError struct{ Err error }

func (e *TLSError) Error() string {
	return "spec.ldap.url: no TLS connection to the directory (trust a private CA with spec.ldap.caSecretRef): " + e.Err.Error()
}

func (e *TLSError) Unwrap() error { return e.Err }

// SizeLimitError is a search the directory cut short at a size limit.
type SizeLimitError struct{ Read int }

func (e *SizeLimitError) Error() string {
	stopped := fmt.Sprintf("stopped at a size limit after %d entries", e.Read)
	if e.Read == 0 {
		// slapd refuses a page larger than what is left of its limit
		// before sending any entry.
		stopped = "refused the search at a size limit before sending any entry"
	}
	return fmt.Sprintf("the directory %s: raise the bind user's limit "+
		"(Active Directory: MaxPageSize and MaxResultSetSize; OpenLDAP: limits size.prtotal) or narrow "+
		"spec.ldap.baseDN or spec.ldap.filter; a directory cut short is never used", stopped)
}

// Client reads one directory.
type Client struct {
	cfg    Config
	host   string // host:port to dial
	tls    *tls.Config
	ldaps  bool
	attrs  []string // directory attributes to ask for
	filter string
}

// New checks cfg and returns a Client; a bad field is a *FieldError.
func New(cfg Config) (*Client, error) {
	if cfg.PageSize <= 0 {
		cfg.PageSize = 1000
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = time.Minute
	}
	c := &Client{cfg: cfg}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") || u.Host == "" || (u.Path != "" && u.Path != "/") ||
		u.RawQuery != "" || u.User != nil {
		return nil, &FieldError{"spec.ldap.url", fmt.Sprintf("%q is not ldaps://host[:port] or ldap://host[:port]", cfg.URL)}
	}
	c.ldaps = u.Scheme == "ldaps"
	port := u.Port()
	if port == "" {
		port = map[bool]string{true: "636", false: "389"}[c.ldaps]
	}
	c.host = net.JoinHostPort(u.Hostname(), port)
	c.tls = &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	if len(cfg.CAPEM) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(cfg.CAPEM) {
			return nil, &FieldError{"spec.ldap.caSecretRef", "ca.crt holds no PEM certificate"}
		}
		c.tls.RootCAs = pool
	}
	if _, err := goldap.ParseDN(cfg.BaseDN); err != nil || strings.TrimSpace(cfg.BaseDN) == "" {
		return nil, &FieldError{"spec.ldap.baseDN", fmt.Sprintf("%q is not a distinguished name", cfg.BaseDN)}
	}
	if c.filter, err = Filter(cfg.Filter); err != nil {
		return nil, err
	}
	if !validAttribute(cfg.JoinAttribute) {
		return nil, &FieldError{"spec.ldap.joinAttribute", fmt.Sprintf("%q is not a directory attribute name", cfg.JoinAttribute)}
	}
	if c.attrs, err = Attributes(cfg.Attributes); err != nil {
		return nil, err
	}
	c.attrs = append(c.attrs, cfg.JoinAttribute)
	slices.Sort(c.attrs)
	c.attrs = slices.Compact(c.attrs)
	return c, nil
}

// Filter checks an RFC 4515 filter and returns it as it is sent; an empty
// one is (objectClass=user), the CRD's default.
func Filter(f string) (string, error) {
	if strings.TrimSpace(f) == "" {
		f = "(objectClass=user)"
	}
	if _, err := goldap.CompileFilter(f); err != nil {
		return "", &FieldError{"spec.ldap.filter", fmt.Sprintf("not an RFC 4515 filter: %v", strings.TrimPrefix(err.Error(), "LDAP Result Code 201 \"Filter Compile Error\": "))}
	}
	return f, nil
}

// Attributes checks an attribute map (register attribute → directory
// attribute) and returns the directory attributes it reads, sorted.
func Attributes(m map[string]string) ([]string, error) {
	if len(m) == 0 {
		return nil, &FieldError{"spec.ldap.attributes", "maps no attribute: name at least one of eduPersonPrincipalName, email, externalIdentifier"}
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		switch k {
		case AttrEduPersonPrincipalName, AttrEmail, AttrExternalIdentifier:
		default:
			return nil, &FieldError{"spec.ldap.attributes", fmt.Sprintf("%q is not eduPersonPrincipalName, email or externalIdentifier", k)}
		}
		if !validAttribute(m[k]) {
			return nil, &FieldError{"spec.ldap.attributes." + k, fmt.Sprintf("%q is not a directory attribute name", m[k])}
		}
		out = append(out, m[k])
	}
	return out, nil
}

// validAttribute is an RFC 4512 attribute descriptor (keystring):
// a letter, then letters, digits and hyphens.
func validAttribute(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '-')) {
			return false
		}
	}
	return true
}

// Stats is what one Read cost.
type Stats struct {
	Requests int // bind and search pages
}

// Read connects, binds and reads every matching entry.
func (c *Client) Read(ctx context.Context) (*roster.Directory, Stats, error) {
	var st Stats
	conn, err := c.connect(ctx)
	if err != nil {
		return nil, st, err
	}
	defer conn.Close()
	// A cancelled context closes the connection, which ends the request
	// in flight with an error.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	st.Requests++
	if err := conn.Bind(c.cfg.BindDN, c.cfg.Password); err != nil {
		if ctx.Err() != nil {
			return nil, st, ctx.Err()
		}
		var le *goldap.Error
		if errors.As(err, &le) && le.ResultCode != goldap.ErrorNetwork {
			return nil, st, &BindError{Err: err}
		}
		return nil, st, fmt.Errorf("ldap: bind: %s", resultText(err))
	}
	d, err := c.search(ctx, conn, &st)
	return d, st, err
}

// connect dials and sets up TLS. A TCP failure is a plain error (the
// directory may come back); a TLS failure is a *TLSError.
func (c *Client) connect(ctx context.Context) (*goldap.Conn, error) {
	d := net.Dialer{Timeout: c.cfg.Timeout}
	raw, err := d.DialContext(ctx, "tcp", c.host)
	if err != nil {
		return nil, fmt.Errorf("ldap: connecting to %s: %w", c.host, err)
	}
	if c.ldaps {
		tc := tls.Client(raw, c.tls)
		hctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
		if err := tc.HandshakeContext(hctx); err != nil {
			raw.Close()
			return nil, &TLSError{Err: err}
		}
		conn := goldap.NewConn(tc, true)
		conn.Start()
		conn.SetTimeout(c.cfg.Timeout)
		return conn, nil
	}
	conn := goldap.NewConn(raw, false)
	conn.Start()
	conn.SetTimeout(c.cfg.Timeout)
	if err := conn.StartTLS(c.tls); err != nil {
		conn.Close()
		return nil, &TLSError{Err: errors.New(resultText(err))}
	}
	return conn, nil
}

// search reads every page. The paging control asks for PageSize entries
// a page; the cookie of each answer asks for the next.
func (c *Client) search(ctx context.Context, conn *goldap.Conn, st *Stats) (*roster.Directory, error) {
	paging := goldap.NewControlPaging(uint32(c.cfg.PageSize))
	req := goldap.NewSearchRequest(c.cfg.BaseDN, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false,
		c.filter, c.attrs, []goldap.Control{paging})
	var entries []*goldap.Entry
	for {
		st.Requests++
		res, err := conn.Search(req)
		if res != nil {
			entries = append(entries, res.Entries...)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, c.searchError(err, len(entries))
		}
		ctl, _ := goldap.FindControl(res.Controls, goldap.ControlTypePaging).(*goldap.ControlPaging)
		if ctl == nil || len(ctl.Cookie) == 0 {
			break
		}
		paging.SetCookie(ctl.Cookie)
	}
	return c.directory(entries), nil
}

func (c *Client) searchError(err error, read int) error {
	var le *goldap.Error
	if !errors.As(err, &le) {
		return fmt.Errorf("ldap: search: %w", err)
	}
	switch le.ResultCode {
	case goldap.LDAPResultSizeLimitExceeded, goldap.LDAPResultAdminLimitExceeded:
		return &SizeLimitError{Read: read}
	case goldap.LDAPResultNoSuchObject:
		return &FieldError{"spec.ldap.baseDN", fmt.Sprintf("%q does not exist in the directory", c.cfg.BaseDN)}
	case goldap.LDAPResultInsufficientAccessRights:
		return &BindError{Err: err}
	}
	return fmt.Errorf("ldap: search: %s", resultText(err))
}

// directory turns search entries into a directory: the join value folded
// as the join compares it, the mapped attributes, sorted. Values are
// trimmed; empty ones are dropped. An entry without the join attribute is
// counted, not kept.
func (c *Client) directory(entries []*goldap.Entry) *roster.Directory {
	d := &roster.Directory{Entries: make([]roster.DirectoryEntry, 0, len(entries))}
	for _, e := range entries {
		join := firstValue(e, c.cfg.JoinAttribute)
		if join == "" {
			d.WithoutJoinValue++
			continue
		}
		de := roster.DirectoryEntry{JoinValue: roster.JoinValue(c.cfg.JoinKey.Fold(join))}
		if a, ok := c.cfg.Attributes[AttrEduPersonPrincipalName]; ok {
			de.EduPersonPrincipalNames = values(e, a)
		}
		if a, ok := c.cfg.Attributes[AttrEmail]; ok {
			for _, v := range values(e, a) {
				de.Emails = append(de.Emails, roster.Email{Value: v})
			}
		}
		if a, ok := c.cfg.Attributes[AttrExternalIdentifier]; ok {
			for _, v := range values(e, a) {
				de.ExternalIdentifiers = append(de.ExternalIdentifiers, roster.Identifier{Value: v, Context: a})
			}
		}
		d.Entries = append(d.Entries, de)
	}
	d.Sort()
	return d
}

// values are an attribute's trimmed, non-empty values; attribute names
// compare case-insensitively, as LDAP's do.
func values(e *goldap.Entry, attr string) []string {
	var out []string
	for _, a := range e.Attributes {
		if !strings.EqualFold(a.Name, attr) {
			continue
		}
		for _, v := range a.Values {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

func firstValue(e *goldap.Entry, attr string) string {
	if v := values(e, attr); len(v) > 0 {
		return v[0]
	}
	return ""
}

// resultText is an LDAP error without the server's diagnostic message,
// which may quote a DN or a user name.
func resultText(err error) string {
	var le *goldap.Error
	if errors.As(err, &le) {
		if le.ResultCode == goldap.ErrorNetwork && le.Err != nil {
			return le.Err.Error()
		}
		return fmt.Sprintf("LDAP result %d (%s)", le.ResultCode, goldap.LDAPResultCodeMap[le.ResultCode])
	}
	return err.Error()
}

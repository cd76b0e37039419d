package slapd

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"github.com/elevsynk/elevsynk/internal/rostergen"
)

// The server behaves as Active Directory does where a reader notices:
// at most MaxPageSize entries to a search without paging, then
// sizeLimitExceeded; all of them in pages; the service account reads but
// cannot write; a Replace shows in the next read.
func TestServerActsLikeAD(t *testing.T) {
	accounts := make([]rostergen.Account, MaxPageSize+50)
	for i := range accounts {
		sam := fmt.Sprintf("elev%d", i)
		accounts[i] = rostergen.Account{SAMAccountName: sam, UserPrincipalName: sam + "@exempelstad.se", Mail: sam + "@skola.exempelstad.se",
			EmployeeID: fmt.Sprintf("2011010%05d", i)}
	}
	s, err := Start(Options{Entries: Users(accounts)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop() })
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CAPEM)
	c, err := ldap.DialURL(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.StartTLS(&tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}); err != nil {
		t.Fatalf("StartTLS: %v", err)
	}
	if err := c.Bind(ServiceDN, s.ServicePassword); err != nil {
		t.Fatal(err)
	}
	search := ldap.NewSearchRequest(UsersDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=user)", []string{"mail"}, nil)

	res, err := c.Search(search)
	if !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) || res == nil || len(res.Entries) != MaxPageSize {
		t.Errorf("unpaged search: %v entries, error %v; want %d and sizeLimitExceeded", len(res.Entries), err, MaxPageSize)
	}
	res, err = c.SearchWithPaging(search, MaxPageSize)
	if err != nil || len(res.Entries) != len(accounts) {
		t.Fatalf("paged search: %d entries, %v; want %d", len(res.Entries), err, len(accounts))
	}

	write := ldap.NewModifyRequest(UserDN("elev1"), nil)
	write.Replace("mail", []string{"x@skola.exempelstad.se"})
	if err := c.Modify(write); !ldap.IsErrorWithCode(err, ldap.LDAPResultInsufficientAccessRights) {
		t.Errorf("the service account's write: %v, want insufficientAccessRights", err)
	}
	if err := s.Replace(UserDN("elev1"), "mail", "ny@skola.exempelstad.se"); err != nil {
		t.Fatal(err)
	}
	one := ldap.NewSearchRequest(UserDN("elev1"), ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", []string{"mail"}, nil)
	if res, err := c.Search(one); err != nil || res.Entries[0].GetAttributeValue("mail") != "ny@skola.exempelstad.se" {
		t.Errorf("after Replace: %v, %v", res, err)
	}
}

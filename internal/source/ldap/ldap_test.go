package ldap

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/mapping"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	"github.com/elevsynk/elevsynk/internal/sandbox/slapd"
)

// The package's directory: a generated municipality large enough that
// Active Directory's 1000-entry pages matter, its accounts with the
// default faults, in a real slapd.
var (
	srv      *slapd.Server
	register *roster.Snapshot
	faults   rostergen.DirectoryReport
	accounts []rostergen.Account
)

func TestMain(m *testing.M) {
	register, _ = rostergen.Generate(rostergen.Config{Seed: 11, Pupils: 1100})
	accounts, faults = rostergen.Directory(register, rostergen.DirectoryConfig{Seed: 11})
	var err error
	srv, err = slapd.Start(slapd.Options{Entries: slapd.Users(accounts)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if err := srv.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// config reads the package's directory by civic number in employeeID.
func config() Config {
	return Config{URL: srv.LDAPSURL, BindDN: slapd.ServiceDN, Password: srv.ServicePassword, CAPEM: srv.CAPEM,
		BaseDN: slapd.UsersDN, Filter: "(objectClass=user)", JoinAttribute: "employeeID", JoinKey: elevsynkv1.JoinKeyCivicNo,
		Attributes: map[string]string{AttrEmail: "mail", AttrExternalIdentifier: "sAMAccountName"}}
}

func read(t *testing.T, cfg Config) (*roster.Directory, Stats, error) {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c.Read(context.Background())
}

// set is the report's person ids as a set.
func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// The directory read over LDAPS and over StartTLS, in pages, joins the
// register exactly as its injected faults say.
func TestReadJoinsTheGeneratedDirectory(t *testing.T) {
	missing := set(faults.Missing)
	if len(register.Persons) <= slapd.MaxPageSize || len(faults.Missing) == 0 || len(faults.Duplicated) == 0 || len(faults.OtherCase) == 0 {
		t.Fatalf("%d persons, faults %+v: the test needs more than a page and every fault", len(register.Persons), faults)
	}
	// By civic number, as the generator says its faults join.
	j := faults.ByEmployeeID(register)
	civic := elevsynkv1.JoinCounts{Matched: int32(j.Matched), PeopleWithoutEntry: int32(j.PeopleWithoutEntry),
		PeopleWithDuplicates: int32(j.PeopleWithDuplicates), EntriesWithoutPerson: int32(j.EntriesWithoutPerson),
		DuplicateKeys: int32(j.DuplicateKeys)}
	if civic.PeopleWithDuplicates != int32(len(faults.Duplicated)) || civic.PeopleWithoutEntry != int32(len(faults.Missing)) {
		t.Fatalf("expected %+v does not follow from faults %+v", civic, faults)
	}

	// By eduPersonPrincipalName in userPrincipalName: the other-case
	// principal names join all the same; a duplicate account has a
	// principal name of its own (AD keeps them unique), which joins
	// nobody, and so does the account of a person the register gives no
	// principal name.
	var upn elevsynkv1.JoinCounts
	upn.EntriesWithoutPerson = int32(faults.Extra + faults.WithoutEmployeeID + len(faults.Duplicated))
	for _, p := range register.Persons {
		switch {
		case missing[p.ID]:
			upn.PeopleWithoutEntry++
		case len(p.EduPersonPrincipalNames) == 0:
			upn.PeopleWithoutEntry++
			upn.EntriesWithoutPerson++
		default:
			upn.Matched++
		}
	}

	tests := []struct {
		name      string
		url       string
		joinAttr  string
		joinKey   elevsynkv1.JoinKey
		entries   int
		without   int
		want      elevsynkv1.JoinCounts
		wantPages int
	}{
		{"civic number over LDAPS", srv.LDAPSURL, "employeeID", elevsynkv1.JoinKeyCivicNo,
			len(accounts) - faults.WithoutEmployeeID, faults.WithoutEmployeeID, civic, 2},
		{"principal name over StartTLS", srv.URL, "userPrincipalName", elevsynkv1.JoinKeyEduPersonPrincipalName,
			len(accounts), 0, upn, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config()
			cfg.URL, cfg.JoinAttribute, cfg.JoinKey = tt.url, tt.joinAttr, tt.joinKey
			d, st, err := read(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Entries) != tt.entries || d.WithoutJoinValue != tt.without {
				t.Errorf("%d entries, %d without join value; want %d and %d", len(d.Entries), d.WithoutJoinValue, tt.entries, tt.without)
			}
			if pages := st.Requests - 1; pages != tt.wantPages {
				t.Errorf("%d search pages, want %d of at most %d entries", pages, tt.wantPages, slapd.MaxPageSize)
			}
			m, err := mapping.Merge(register, []mapping.Supplement{{Source: "ad", JoinKey: tt.joinKey, People: d.Entries}}, elevsynkv1.JoinKeyPersonID)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Source = "ad"
			if diff := cmp.Diff([]elevsynkv1.JoinCounts{tt.want}, m.Joins); diff != "" {
				t.Errorf("join counts (-want +got):\n%s", diff)
			}
		})
	}
}

// Each entry carries what the attribute map names: the address as
// the directory has it, the login name as an external identifier whose
// context is the attribute.
func TestReadCarriesTheMappedAttributes(t *testing.T) {
	d, _, err := read(t, config())
	if err != nil {
		t.Fatal(err)
	}
	byCivic := map[string]roster.DirectoryEntry{}
	for _, e := range d.Entries {
		byCivic[e.JoinValue.Reveal()] = e
	}
	otherCase := set(faults.OtherCase)
	checked := 0
	for _, p := range register.Persons {
		e, ok := byCivic[p.CivicNo.Reveal()]
		if !ok || !otherCase[p.ID] {
			continue
		}
		checked++
		a := accounts[0]
		for _, x := range accounts {
			if x.EmployeeID == p.CivicNo.Reveal() {
				a = x
				break
			}
		}
		want := roster.DirectoryEntry{JoinValue: e.JoinValue, Emails: []roster.Email{{Value: a.Mail}},
			ExternalIdentifiers: []roster.Identifier{{Value: a.SAMAccountName, Context: "sAMAccountName"}}}
		if diff := cmp.Diff(want, e); diff != "" {
			t.Errorf("entry (-want +got):\n%s", diff)
		}
		if a.Mail == strings.ToLower(a.Mail) {
			t.Errorf("an other-case account's address %q is in lower case", a.Mail)
		}
	}
	if checked == 0 {
		t.Fatal("no other-case account checked")
	}
}

// What goes wrong with a directory is said in the error's type and
// message, naming the field to fix, never the password.
func TestReadFailures(t *testing.T) {
	small, err := slapd.Start(slapd.Options{Entries: slapd.Users(accounts[:30]), MaxEntries: 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = small.Stop() })
	tests := []struct {
		name   string
		change func(*Config)
		want   any // a pointer to the error type
		text   string
	}{
		{"wrong password", func(c *Config) { c.Password = "wrong-password" }, new(*BindError),
			"spec.ldap.bindSecretRef: the directory refused the bind: LDAP result 49 (Invalid Credentials)"},
		{"untrusted certificate over LDAPS", func(c *Config) { c.CAPEM = nil }, new(*TLSError), "x509: certificate signed by unknown authority"},
		{"untrusted certificate over StartTLS", func(c *Config) { c.URL, c.CAPEM = srv.URL, nil }, new(*TLSError), "certificate signed by unknown authority"},
		{"base DN that does not exist", func(c *Config) { c.BaseDN = "ou=Elever," + slapd.Suffix }, new(*FieldError),
			`spec.ldap.baseDN: "ou=Elever,dc=exempelstad,dc=se" does not exist in the directory`},
		{"size limit", func(c *Config) {
			c.URL, c.CAPEM, c.Password, c.PageSize = small.LDAPSURL, small.CAPEM, small.ServicePassword, 10
		}, new(*SizeLimitError), "the directory stopped at a size limit after 20 entries"},
		{"nothing listens", func(c *Config) { c.URL = "ldaps://127.0.0.1:1" }, nil, "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config()
			tt.change(&cfg)
			_, _, err := read(t, cfg)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.want != nil && !errors.As(err, tt.want) {
				t.Errorf("%T %v, want %T", err, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("error %q does not say %q", err, tt.text)
			}
			for _, secret := range []string{cfg.Password, srv.ServicePassword, slapd.ServiceDN} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q shows the bind user or a password", err)
				}
			}
		})
	}
}

// A filter that matches nothing is an empty directory, not an error:
// the source's guard refuses it with its own reason.
func TestReadEmptyFilter(t *testing.T) {
	cfg := config()
	cfg.Filter = "(&(objectClass=user)(employeeID=0))"
	d, _, err := read(t, cfg)
	if err != nil || len(d.Entries) != 0 || d.WithoutJoinValue != 0 {
		t.Fatalf("got %v entries, %v; want an empty directory", d, err)
	}
}

func TestNewRefusesBadFields(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		text   string
	}{
		{"plain scheme", func(c *Config) { c.URL = "http://dc.exempelstad.se" }, `spec.ldap.url: "http://dc.exempelstad.se" is not ldaps://host[:port]`},
		{"URL with a path", func(c *Config) { c.URL = "ldaps://dc/ou=x" }, "spec.ldap.url:"},
		{"URL with a user", func(c *Config) { c.URL = "ldaps://admin@dc" }, "spec.ldap.url:"},
		{"CA that is no PEM", func(c *Config) { c.CAPEM = []byte("not a certificate") }, "spec.ldap.caSecretRef: ca.crt holds no PEM certificate"},
		{"base DN", func(c *Config) { c.BaseDN = "ou=Elever,,dc=x" }, "spec.ldap.baseDN:"},
		{"empty base DN", func(c *Config) { c.BaseDN = " " }, "spec.ldap.baseDN:"},
		{"filter", func(c *Config) { c.Filter = "(objectClass=user" }, "spec.ldap.filter: not an RFC 4515 filter"},
		{"join attribute", func(c *Config) { c.JoinAttribute = "employee ID" }, `spec.ldap.joinAttribute: "employee ID" is not a directory attribute name`},
		{"unknown register attribute", func(c *Config) { c.Attributes = map[string]string{"civicNo": "employeeID"} },
			`spec.ldap.attributes: "civicNo" is not eduPersonPrincipalName, email or externalIdentifier`},
		{"bad directory attribute", func(c *Config) { c.Attributes = map[string]string{AttrEmail: "1mail"} },
			`spec.ldap.attributes.email: "1mail" is not a directory attribute name`},
		{"no attribute", func(c *Config) { c.Attributes = nil }, "spec.ldap.attributes: maps no attribute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config()
			tt.change(&cfg)
			_, err := New(cfg)
			var fe *FieldError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("got %v, want a FieldError saying %q", err, tt.text)
			}
		})
	}
}

package ldap

import (
	"errors"
	"strings"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// A filter from a manifest is either refused with a FieldError naming
// spec.ldap.filter, or sent as written and compiles.
func FuzzFilter(f *testing.F) {
	for _, s := range []string{"", "(objectClass=user)", "(&(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))",
		"(employeeID=*)", "(cn=a\\2a*)", "(objectClass=user", "((", "(|(mail=*@x)(upn~=y))", "(cn=\x00)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := Filter(in)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "spec.ldap.filter" {
				t.Fatalf("error %v does not name spec.ldap.filter", err)
			}
			return
		}
		if strings.TrimSpace(in) != "" && out != in {
			t.Fatalf("filter %q sent as %q", in, out)
		}
		if _, err := goldap.CompileFilter(out); err != nil {
			t.Fatalf("accepted %q, which does not compile: %v", out, err)
		}
	})
}

// An attribute map is refused naming spec.ldap.attributes, or gives one
// valid directory attribute per register attribute it maps.
func FuzzAttributes(f *testing.F) {
	f.Add("email", "mail", "eduPersonPrincipalName", "userPrincipalName")
	f.Add("externalIdentifier", "sAMAccountName", "email", "")
	f.Add("civicNo", "employeeID", "", "")
	f.Add("email", "mail;lang-sv", "email", "x")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		m := map[string]string{k1: v1, k2: v2}
		attrs, err := Attributes(m)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || !strings.HasPrefix(fe.Field, "spec.ldap.attributes") {
				t.Fatalf("error %v does not name spec.ldap.attributes", err)
			}
			return
		}
		if len(attrs) != len(m) {
			t.Fatalf("%d attributes for a map of %d", len(attrs), len(m))
		}
		for k, v := range m {
			if k != AttrEmail && k != AttrEduPersonPrincipalName && k != AttrExternalIdentifier {
				t.Fatalf("accepted register attribute %q", k)
			}
			if !validAttribute(v) {
				t.Fatalf("accepted directory attribute %q", v)
			}
		}
	})
}

// Whatever a directory answers, the entries kept have a join value,
// folded for an e-mail-like key, every value is trimmed and non-empty,
// and no entry is lost uncounted.
func FuzzDirectory(f *testing.F) {
	f.Add("employeeID", "201101012383", "mail", "Anna@X.se", " ", "")
	f.Add("EMPLOYEEID", "", "MAIL", "", "x", "y")
	f.Add("userPrincipalName", "A@B", "mail", "\t", "b", "c")
	f.Fuzz(func(t *testing.T, a1, v1, a2, v2, v3, v4 string) {
		c, err := New(Config{URL: "ldaps://dc", BaseDN: "dc=x", JoinAttribute: "userPrincipalName",
			JoinKey: elevsynkv1.JoinKeyEduPersonPrincipalName, Attributes: map[string]string{AttrEmail: "mail", AttrExternalIdentifier: "sAMAccountName"}})
		if err != nil {
			t.Fatal(err)
		}
		entries := []*goldap.Entry{
			goldap.NewEntry("cn=a,dc=x", map[string][]string{a1: {v1, v3}, a2: {v2}}),
			goldap.NewEntry("cn=b,dc=x", map[string][]string{a2: {v4, v1}, "userPrincipalName": {v3}}),
		}
		d := c.directory(entries)
		if len(d.Entries)+d.WithoutJoinValue != len(entries) {
			t.Fatalf("%d kept and %d without join value of %d", len(d.Entries), d.WithoutJoinValue, len(entries))
		}
		for i, e := range d.Entries {
			j := e.JoinValue.Reveal()
			if j == "" || j != strings.ToLower(j) || j != strings.TrimSpace(j) {
				t.Fatalf("join value %q kept", j)
			}
			if i > 0 && d.Entries[i-1].JoinValue > e.JoinValue {
				t.Fatal("entries not sorted")
			}
			for _, m := range e.Emails {
				if m.Value == "" || m.Value != strings.TrimSpace(m.Value) {
					t.Fatalf("address %q kept", m.Value)
				}
			}
		}
	})
}

package controllers_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	graphsandbox "github.com/elevsynk/elevsynk/internal/sandbox/graph"
	"github.com/elevsynk/elevsynk/internal/sandbox/slapd"
	"github.com/elevsynk/elevsynk/internal/source"
)

// directory starts a real slapd holding accounts.
func directory(t *testing.T, accounts []rostergen.Account, maxEntries int) *slapd.Server {
	t.Helper()
	s, err := slapd.Start(slapd.Options{Entries: slapd.Users(accounts), MaxEntries: maxEntries})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop() })
	return s
}

// ldapSecrets are the Secrets ldapSource names: s's service account
// with password, and s's CA.
func ldapSecrets(t *testing.T, ns string, s *slapd.Server, password string) {
	t.Helper()
	create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "ad-bind"},
		StringData: map[string]string{"username": slapd.ServiceDN, "password": password}})
	create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "ad-ca"},
		Data: map[string][]byte{"ca.crt": s.CAPEM}})
}

// ldapSource reads the e-mail addresses of s by civic number in
// employeeID, over LDAPS with s's CA, bound as its service account.
func ldapSource(ns string, s *slapd.Server) *elevsynkv1.RegisterSource {
	return &elevsynkv1.RegisterSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "ad"},
		Spec: elevsynkv1.RegisterSourceSpec{LDAP: &elevsynkv1.LDAPSource{
			URL: s.LDAPSURL, BindSecretRef: elevsynkv1.SecretReference{Name: "ad-bind"},
			CASecretRef: &elevsynkv1.SecretReference{Name: "ad-ca"}, BaseDN: slapd.UsersDN,
			JoinAttribute: "employeeID", JoinKey: elevsynkv1.JoinKeyCivicNo,
			Attributes: map[string]string{"email": "mail"}, Precedence: elevsynkv1.PrecedenceDirectory}}}
}

// ldapMapping makes a team per class whose members are listed by the
// address the directory gives them.
func ldapMapping(ns string) *elevsynkv1.Mapping {
	m := mapping(ns, "skolor", "register", "ad")
	m.Spec.AccountKey = &elevsynkv1.AccountKey{Attribute: elevsynkv1.JoinKeyEmail}
	m.Spec.Rules = schoolMapping(ns).Spec.Rules[1:]
	return m
}

// ldapTenant is a tenant whose Mapping joins the generated register with
// its generated directory in a real slapd.
type ldapTenant struct {
	ns       string
	snap     *roster.Snapshot
	accounts []rostergen.Account
	faults   rostergen.DirectoryReport
	dir      *slapd.Server
	ad       *elevsynkv1.RegisterSource
	m        *elevsynkv1.Mapping
}

// ldapSchool applies the register, the LDAP source and the Mapping in a
// namespace of their own (not waited for).
func ldapSchool(t *testing.T) ldapTenant {
	t.Helper()
	d := ldapTenant{ns: newNamespace(t)}
	var hs *httptest.Server
	_, hs, d.snap = registerSandbox(t)
	d.accounts, d.faults = rostergen.Directory(d.snap, rostergen.DirectoryConfig{Seed: 7})
	d.dir = directory(t, d.accounts, 0)
	create(t, tenant(d.ns, "exempelstad"))
	create(t, credentials(d.ns, "elevsynk", "s3cret"))
	create(t, registerSource(d.ns, hs.URL))
	ldapSecrets(t, d.ns, d.dir, d.dir.ServicePassword)
	d.ad, d.m = ldapSource(d.ns, d.dir), ldapMapping(d.ns)
	create(t, d.ad)
	create(t, d.m)
	return d
}

// An LDAP supplement gives a register's pupils the directory's addresses:
// the join counts in status are exactly the generated directory's faults,
// the Microsoft 365 Target provisions the class teams with those
// addresses, and an address changed in the directory changes the member
// of the same team, not the team.
func TestLDAPSupplementGivesRoomsTheDirectorysAddresses(t *testing.T) {
	d := ldapSchool(t)
	ns, snap, accounts, faults, dir, ad, m := d.ns, d.snap, d.accounts, d.faults, d.dir, d.ad, d.m

	waitForCondition(t, ad, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonFetched)
	entries := len(accounts) - faults.WithoutEmployeeID
	wantFindings := []elevsynkv1.ReasonCount{{Reason: "DuplicateJoinValue", Count: int32(len(faults.Duplicated))},
		{Reason: "EntryWithoutJoinValue", Count: int32(faults.WithoutEmployeeID)}}
	if int(ad.Status.Counts.Persons) != entries || !cmp.Equal(wantFindings, ad.Status.Findings) {
		t.Errorf("source counts %+v, findings %+v; want %d entries and %+v", ad.Status.Counts, ad.Status.Findings, entries, wantFindings)
	}
	waitForCondition(t, m, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonEvaluated)
	j := faults.ByEmployeeID(snap)
	want := []elevsynkv1.JoinCounts{{Source: "ad", Matched: int32(j.Matched), PeopleWithoutEntry: int32(j.PeopleWithoutEntry),
		PeopleWithDuplicates: int32(j.PeopleWithDuplicates), EntriesWithoutPerson: int32(j.EntriesWithoutPerson), DuplicateKeys: int32(j.DuplicateKeys)}}
	if diff := cmp.Diff(want, m.Status.Joins); diff != "" {
		t.Errorf("join counts (-want +got):\n%s", diff)
	}

	// The tenant's users have the directory's addresses as mail, and the
	// Target looks members up by mail. The sandbox cannot rename a user,
	// so each address a test may change to is a user of its own.
	var users []graphsandbox.User
	for _, a := range accounts {
		users = append(users, graphsandbox.User{UserPrincipalName: a.UserPrincipalName, Mail: a.Mail},
			graphsandbox.User{UserPrincipalName: "ny." + a.UserPrincipalName, Mail: "ny." + a.Mail})
	}
	gs := graphsandbox.New(graphsandbox.Options{Users: users})
	ghs := httptest.NewServer(gs)
	t.Cleanup(ghs.Close)
	create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "graph"},
		StringData: map[string]string{"clientID": "app", "clientSecret": "unused"}})
	tg := &elevsynkv1.Target{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "microsoft365", Annotations: sandboxAnnotation()},
		Spec: elevsynkv1.TargetSpec{MappingRef: elevsynkv1.LocalReference{Name: "skolor"}, Mode: elevsynkv1.ModeApply,
			Microsoft365: &elevsynkv1.Microsoft365Target{Endpoint: ghs.URL, TenantID: "11111111-2222-3333-4444-555555555555",
				UserLookup: "Mail", Auth: elevsynkv1.Microsoft365Auth{ClientSecret: &elevsynkv1.SecretReference{Name: "graph"}}}}}
	create(t, tg)
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonApplied)

	byID := map[string]graphsandbox.User{}
	for _, u := range users {
		got, _ := gs.UserByKey(u.UserPrincipalName)
		byID[got.ID] = got
	}
	before := gs.Groups()
	var team *graphsandbox.Group
	var pupil graphsandbox.User
	members := 0
	for i, g := range before {
		for _, id := range g.Members {
			if u := byID[id]; !strings.HasSuffix(strings.ToLower(u.Mail), "@skola.exempelstad.se") || strings.HasPrefix(u.Mail, "ny.") {
				t.Errorf("group %s has a member whose address is not the directory's", g.DisplayName)
			}
			if team == nil {
				team, pupil = &before[i], byID[id]
			}
			members++
		}
	}
	if members == 0 {
		t.Fatalf("no member in %d groups", len(before))
	}

	account := slices.IndexFunc(accounts, func(a rostergen.Account) bool { return strings.EqualFold(a.Mail, pupil.Mail) })
	if err := dir.Replace(slapd.UserDN(accounts[account].SAMAccountName), "mail", "ny."+pupil.Mail); err != nil {
		t.Fatal(err)
	}
	requestReconcile(t, ad, nil)
	renamed, _ := gs.UserByKey("ny." + pupil.UserPrincipalName)
	eventually(t, func() error {
		after := gs.Groups()
		g := groupNamed(after, team.DisplayName)
		switch {
		case len(after) != len(before) || g == nil || g.ID != team.ID:
			return fmt.Errorf("%d groups, was %d; %q is %+v, was %s", len(after), len(before), team.DisplayName, g, team.ID)
		case slices.Contains(g.Members, pupil.ID) || !slices.Contains(g.Members, renamed.ID):
			return fmt.Errorf("the members of %q do not show the new address yet", team.DisplayName)
		}
		return nil
	})
}

func groupNamed(groups []graphsandbox.Group, name string) *graphsandbox.Group {
	for i := range groups {
		if groups[i].DisplayName == name {
			return &groups[i]
		}
	}
	return nil
}

// What can go wrong with a directory stops the LDAP source with a reason
// and a message naming what to fix; its Mapping waits instead of joining
// nothing, and its Target writes nothing.
func TestLDAPSourceBadInput(t *testing.T) {
	_, hs, snap := registerSandbox(t)
	accounts, _ := rostergen.Directory(snap, rostergen.DirectoryConfig{Seed: 7})
	good := directory(t, accounts, 0)
	limited := directory(t, accounts, 100)
	half, without := slices.Clone(accounts), 0
	for i := range half {
		if i%2 == 0 {
			half[i].EmployeeID = ""
		}
		if half[i].EmployeeID == "" {
			without++
		}
	}
	halfJoined := directory(t, half, 0)
	tests := []struct {
		name   string
		dir    *slapd.Server
		change func(l *elevsynkv1.LDAPSource, password *string)
		reason string
		text   string
	}{
		{"bind failure", good, func(_ *elevsynkv1.LDAPSource, p *string) { *p = "wrong" },
			controllers.ReasonAuthenticationFailed, "spec.ldap.bindSecretRef: the directory refused the bind"},
		{"TLS failure", good, func(l *elevsynkv1.LDAPSource, _ *string) { l.CASecretRef = nil },
			controllers.ReasonTLSFailed, "spec.ldap.url: no TLS connection to the directory"},
		{"a filter that returns nothing", good, func(l *elevsynkv1.LDAPSource, _ *string) { l.Filter = "(&(objectClass=user)(employeeID=0))" },
			source.ReasonEmptyDirectory, "matches spec.ldap.filter; an empty directory is never used"},
		{"size limit", limited, func(l *elevsynkv1.LDAPSource, _ *string) { l.PageSize = 50 },
			controllers.ReasonSizeLimitExceeded, "the directory stopped at a size limit after 100 entries"},
		{"join attribute missing on half the entries", halfJoined, func(*elevsynkv1.LDAPSource, *string) {},
			source.ReasonJoinAttributeMissing, fmt.Sprintf("%d of the %d entries read have no value of spec.ldap.joinAttribute", without, len(half))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ns := newNamespace(t)
			create(t, tenant(ns, "exempelstad"))
			create(t, credentials(ns, "elevsynk", "s3cret"))
			create(t, registerSource(ns, hs.URL))
			ad, password := ldapSource(ns, tt.dir), tt.dir.ServicePassword
			tt.change(ad.Spec.LDAP, &password)
			ldapSecrets(t, ns, tt.dir, password)
			create(t, ad)
			m := ldapMapping(ns)
			create(t, m)
			out := t.TempDir()
			tg := target(ns, "export", "skolor")
			tg.Spec.File.Path, tg.Spec.Mode = out, elevsynkv1.ModeApply
			create(t, tg)

			waitForCondition(t, ad, elevsynkv1.ConditionStalled, metav1.ConditionTrue, tt.reason)
			if msg := readyMessage(ad); !strings.Contains(msg, tt.text) || strings.Contains(msg, tt.dir.ServicePassword) {
				t.Errorf("message %q does not say %q (or shows the password)", msg, tt.text)
			}
			// The Mapping waits for the register first, which may fetch after
			// the directory failed, and then for the directory.
			eventually(t, func() error {
				if err := hasCondition(m, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonNoSnapshot); err != nil {
					return err
				}
				if msg := readyMessage(m); !strings.Contains(msg, `waiting for RegisterSource "ad" to read the directory`) {
					return fmt.Errorf("mapping message %q does not say it waits for the directory", msg)
				}
				return nil
			})
			waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonNoDesired)
			if _, err := os.Stat(filepath.Join(out, ns+"-export.json")); !os.IsNotExist(err) {
				t.Errorf("the Target wrote rooms from a register without its directory (stat: %v)", err)
			}
		})
	}
}

// A directory that fails after a good read keeps the last good one in
// use: the Mapping's rooms and their addresses stay as they were.
func TestLDAPSourceKeepsTheLastGoodDirectory(t *testing.T) {
	d := ldapSchool(t)
	ns, ad, m := d.ns, d.ad, d.m
	waitForCondition(t, m, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonEvaluated)
	good, goodJoins := m.Status.DesiredHash, m.Status.Joins

	bind := &corev1.Secret{}
	if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "ad-bind"}, bind); err != nil {
		t.Fatal(err)
	}
	bind.Data["password"] = []byte("changed-by-someone")
	if err := k8s.Update(context.Background(), bind); err != nil {
		t.Fatal(err)
	}
	requestReconcile(t, ad, nil)
	waitForCondition(t, ad, elevsynkv1.ConditionStalled, metav1.ConditionTrue, controllers.ReasonAuthenticationFailed)
	requestReconcile(t, m, nil)
	waitForCondition(t, m, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonEvaluated)
	if m.Status.DesiredHash != good || !cmp.Equal(goodJoins, m.Status.Joins) {
		t.Errorf("after the failed read: hash %s joins %+v; want the last good %s %+v", m.Status.DesiredHash, m.Status.Joins, good, goodJoins)
	}
}

package main

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	"github.com/elevsynk/elevsynk/internal/sandbox/slapd"
)

// directoryKey is the demo's LDAP source.
var directoryKey = client.ObjectKey{Namespace: "exempelstad", Name: "ad"}

// startDirectory runs a real slapd (hack/slapd.sh installs it) holding the
// municipality's Active Directory accounts, with the generator's faults.
func startDirectory(snap *roster.Snapshot, seed int64) (*slapd.Server, error) {
	accounts, _ := rostergen.Directory(snap, rostergen.DirectoryConfig{Seed: seed})
	return slapd.Start(slapd.Options{Entries: slapd.Users(accounts)})
}

// addDirectory applies an LDAP RegisterSource for dir and makes the
// sample Mapping read it as a supplement: e-mail addresses joined by civic
// number in employeeID. Its precedence is the register's, so the account
// keys and the rooms of the rest of the story stay as they are.
func addDirectory(ctx context.Context, c client.Client, dir *slapd.Server) error {
	ns := directoryKey.Namespace
	for _, s := range []*corev1.Secret{
		{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "ad-bind"},
			StringData: map[string]string{"username": slapd.ServiceDN, "password": dir.ServicePassword}},
		{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "ad-ca"}, Data: map[string][]byte{"ca.crt": dir.CAPEM}},
	} {
		if err := c.Create(ctx, s); err != nil {
			return err
		}
	}
	src := &elevsynkv1.RegisterSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: directoryKey.Name},
		Spec: elevsynkv1.RegisterSourceSpec{LDAP: &elevsynkv1.LDAPSource{
			URL: dir.LDAPSURL, BindSecretRef: elevsynkv1.SecretReference{Name: "ad-bind"},
			CASecretRef: &elevsynkv1.SecretReference{Name: "ad-ca"}, BaseDN: slapd.UsersDN,
			JoinAttribute: "employeeID", JoinKey: elevsynkv1.JoinKeyCivicNo, Attributes: map[string]string{"email": "mail"}}}}
	if err := c.Create(ctx, src); err != nil {
		return fmt.Errorf("applying RegisterSource %s: %w", directoryKey.Name, err)
	}
	m := &elevsynkv1.Mapping{}
	if err := c.Get(ctx, mapKey, m); err != nil {
		return err
	}
	m.Spec.SourceRefs = append(m.Spec.SourceRefs, elevsynkv1.LocalReference{Name: directoryKey.Name})
	return c.Update(ctx, m)
}

// directoryStory tells what the directory held and how it joined.
func (d *demo) directoryStory(ctx context.Context, m *elevsynkv1.Mapping) error {
	src := &elevsynkv1.RegisterSource{}
	if err := d.waitFor(ctx, directoryKey, src, func() bool { return isTrue(src, elevsynkv1.ConditionReady) }); err != nil {
		return err
	}
	d.step("Active Directory (a real OpenLDAP slapd with AD's schema) supplements the register with e-mail addresses, joined by civic number in employeeID")
	d.say("%s (counts only, never who):", readyMessage(src))
	for _, f := range src.Status.Findings {
		d.say("  %-24s %d", f.Reason, f.Count)
	}
	if len(m.Status.Joins) != 1 {
		return fmt.Errorf("the Mapping shows %d joins, want the directory's", len(m.Status.Joins))
	}
	j := m.Status.Joins[0]
	d.say("joined: %d matched, %d register people without an entry, %d with duplicate entries, %d ambiguous, %d entries without a register person, %d duplicate keys",
		j.Matched, j.PeopleWithoutEntry, j.PeopleWithDuplicates, j.PeopleAmbiguous, j.EntriesWithoutPerson, j.DuplicateKeys)
	if j.Matched == 0 {
		return fmt.Errorf("the directory joined nobody")
	}
	return nil
}

package validate

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

func TestSecretRefs(t *testing.T) {
	ref := func(name string) elevsynkv1.SecretReference { return elevsynkv1.SecretReference{Name: name} }
	ptr := func(name string) *elevsynkv1.SecretReference { r := ref(name); return &r }
	tests := []struct {
		name string
		spec any
		want []secretRef
	}{
		{"ss12000 with every reference", elevsynkv1.RegisterSourceSpec{SS12000: &elevsynkv1.SS12000Source{
			Auth: elevsynkv1.SS12000Auth{
				OAuth2:    &elevsynkv1.OAuth2ClientCredentials{SecretRef: ref("oauth")},
				MutualTLS: &elevsynkv1.MutualTLSAuth{SecretRef: ref("tls")},
				APIKey:    &elevsynkv1.APIKeyAuth{SecretRef: ref("key")},
			},
			CASecretRef: ptr("ca"),
		}}, []secretRef{
			{"spec.ss12000.auth.oauth2.secretRef", "oauth"},
			{"spec.ss12000.auth.mutualTLS.secretRef", "tls"},
			{"spec.ss12000.auth.apiKey.secretRef", "key"},
			{"spec.ss12000.caSecretRef", "ca"},
		}},
		{"file sources and ldap", elevsynkv1.RegisterSourceSpec{
			IMSEnterprise: &elevsynkv1.FileSource{Auth: &elevsynkv1.HTTPAuth{BasicAuthSecretRef: ptr("ims")}},
			OneRoster:     &elevsynkv1.FileSource{},
			SchoolSoft:    &elevsynkv1.SchoolSoftSource{FileSource: elevsynkv1.FileSource{SFTP: &elevsynkv1.SFTPLocation{SecretRef: ref("ss")}}},
			CSV:           &elevsynkv1.CSVSource{FileSource: elevsynkv1.FileSource{CASecretRef: ptr("csv")}},
			LDAP:          &elevsynkv1.LDAPSource{BindSecretRef: ref("ldap")},
		}, []secretRef{
			{"spec.imsEnterprise.auth.basicAuthSecretRef", "ims"},
			{"spec.schoolSoft.sftp.secretRef", "ss"},
			{"spec.csv.caSecretRef", "csv"},
			{"spec.ldap.bindSecretRef", "ldap"},
		}},
		{"microsoft365", elevsynkv1.TargetSpec{Microsoft365: &elevsynkv1.Microsoft365Target{
			Auth: elevsynkv1.Microsoft365Auth{ClientSecret: ptr("graph"), ClientCertificate: ptr("cert")},
		}}, []secretRef{
			{"spec.microsoft365.auth.clientSecret", "graph"},
			{"spec.microsoft365.auth.clientCertificate", "cert"},
		}},
		{"google", elevsynkv1.TargetSpec{Google: &elevsynkv1.GoogleTarget{Auth: elevsynkv1.GoogleAuth{ServiceAccount: ptr("sa")}}},
			[]secretRef{{"spec.google.auth.serviceAccount", "sa"}}},
		{"workload identity names no Secret", elevsynkv1.TargetSpec{Google: &elevsynkv1.GoogleTarget{
			Auth: elevsynkv1.GoogleAuth{WorkloadIdentity: &elevsynkv1.WorkloadIdentity{ClientID: "x"}}}}, nil},
		{"mapping", elevsynkv1.MappingSpec{Rules: []elevsynkv1.Rule{{Name: "a"}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, secretRefs(tt.spec)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

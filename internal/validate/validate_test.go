package validate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/sandbox/sftpd"
)

// Base objects each case changes in one place, in namespace skola.
const (
	baseTenant = `
apiVersion: elevsynk.io/v1alpha1
kind: Tenant
metadata: {name: skola, namespace: skola}
spec:
  displayName: Exempelstad
`
	baseSource = `
apiVersion: elevsynk.io/v1alpha1
kind: RegisterSource
metadata: {name: register, namespace: skola}
spec:
  ss12000:
    url: https://register.example/v2.0
    auth: {oauth2: {tokenURL: https://register.example/token, secretRef: {name: creds}}}
`
	baseMapping = `
apiVersion: elevsynk.io/v1alpha1
kind: Mapping
metadata: {name: skolor, namespace: skola}
spec:
  sourceRefs: [{name: register}]
  rules:
    - name: klasser
      from: Group
      room: {kind: Team, name: '{{ .Group.DisplayName }}'}
`
	baseTarget = `
apiVersion: elevsynk.io/v1alpha1
kind: Target
metadata: {name: m365, namespace: skola}
spec:
  mappingRef: {name: skolor}
  microsoft365:
    tenantID: 11111111-2222-3333-4444-555555555555
    auth: {clientSecret: {name: graph}}
`
	secrets = `
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: skola}
---
apiVersion: v1
kind: Secret
metadata: {name: graph, namespace: skola}
`
)

// repo writes the base objects, one per file, with fragment merged into
// the one of kind (a YAML null deletes a field), and returns the directory.
func repo(t *testing.T, kind, fragment string) string {
	t.Helper()
	dir := t.TempDir()
	for file, base := range map[string]string{"tenant.yaml": baseTenant, "source.yaml": baseSource, "mapping.yaml": baseMapping, "target.yaml": baseTarget, "secrets.yaml": secrets} {
		if strings.Contains(base, "kind: "+kind+"\n") {
			base = merged(t, base, fragment)
		}
		if err := os.WriteFile(filepath.Join(dir, file), []byte(base), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func merged(t *testing.T, base, fragment string) string {
	t.Helper()
	var obj, frag map[string]any
	if err := yaml.Unmarshal([]byte(base), &obj); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(fragment), &frag); err != nil {
		t.Fatal(err)
	}
	merge(obj, frag)
	out, err := yaml.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func merge(dst, src map[string]any) {
	for k, v := range src {
		sv, ok := v.(map[string]any)
		dv, ok2 := dst[k].(map[string]any)
		switch {
		case v == nil:
			delete(dst, k)
		case ok && ok2:
			merge(dv, sv)
		default:
			dst[k] = v
		}
	}
}

func validateDir(t *testing.T, dir string) Report {
	t.Helper()
	r, err := schemas(t).Dir(context.Background(), dir, testScheme())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestBaseIsValid(t *testing.T) {
	if r := validateDir(t, repo(t, "", "")); len(r.Problems) != 0 || r.Objects != 6 {
		t.Errorf("%d objects, problems %v; want 6 and none", r.Objects, r.Problems)
	}
}

// The cases and messages of api/v1alpha1's TestInvalidManifestsAreRejected,
// which a real API server (envtest) produced: offline, the same manifests
// must fail with the same words at the same field.
func TestSameVerdictAsTheAPIServer(t *testing.T) {
	tests := []struct {
		name, kind, fragment string
		want                 string // "field: message" as the API server says it
	}{
		{"source without a kind", "RegisterSource", `spec: {ss12000: null}`,
			"set exactly one of ss12000, imsEnterprise, oneRoster, schoolSoft, unikum, csv, ldap, manual or directoryGroups"},
		{"source with two kinds", "RegisterSource", `spec: {oneRoster: {url: https://x.example/roster.zip}}`,
			"set exactly one of ss12000, imsEnterprise, oneRoster, schoolSoft, unikum, csv, ldap, manual or directoryGroups"},
		{"ss12000 with two auth methods", "RegisterSource", `spec: {ss12000: {auth: {apiKey: {secretRef: {name: k}}}}}`,
			"set exactly one of auth.oauth2, auth.mutualTLS or auth.apiKey"},
		{"ss12000 url not a URL", "RegisterSource", `spec: {ss12000: {url: "register.example/v2.0"}}`,
			"url must be an absolute http or https URL"},
		{"interval not a duration", "RegisterSource", `spec: {interval: "15 minutes"}`,
			`spec.interval: Invalid value: "15 minutes"`},
		{"interval too short", "RegisterSource", `spec: {interval: 10s}`,
			"interval must be at least 1m"},
		{"shrink percent over 100", "RegisterSource", `spec: {maxShrinkPercent: 150}`,
			"spec.maxShrinkPercent: Invalid value: 150: spec.maxShrinkPercent in body should be less than or equal to 100"},
		{"file source with url and path", "RegisterSource",
			`spec: {ss12000: null, imsEnterprise: {url: "https://x.example/e.xml", path: /exports/e.xml}}`,
			"set exactly one of url, sftp or path"},
		{"file source with auth but no url", "RegisterSource",
			`spec: {ss12000: null, oneRoster: {path: /exports/or, auth: {bearerTokenSecretRef: {name: t}}}}`,
			"auth is for url; an sftp location has its own secretRef"},
		{"file source with two auths", "RegisterSource",
			`spec: {ss12000: null, oneRoster: {url: "https://x.example/or.zip", auth: {bearerTokenSecretRef: {name: t}, basicAuthSecretRef: {name: b}}}}`,
			"set exactly one of bearerTokenSecretRef, basicAuthSecretRef or clientCertificateSecretRef"},
		{"sftp without a host key", "RegisterSource",
			`spec: {ss12000: null, imsEnterprise: {sftp: {host: sftp.example, user: u, path: /e.xml, secretRef: {name: k}, hostKeys: []}}}`,
			"hostKeys in body should have at least 1 items"},
		{"unknown encoding", "RegisterSource",
			`spec: {ss12000: null, schoolSoft: {path: /exports/ss, encoding: latin1, schoolUnitCode: "12345678", schoolName: Skolan}}`,
			`spec.schoolSoft.encoding: Unsupported value: "latin1"`},
		{"mapping without sources", "Mapping", `spec: {sourceRefs: []}`,
			"spec.sourceRefs: Invalid value: 0: spec.sourceRefs in body should have at least 1 items"},
		{"mapping names a source twice", "Mapping", `spec: {sourceRefs: [{name: register}, {name: register}]}`,
			"each source may be named only once in sourceRefs"},
		{"rule without a name", "Mapping",
			`spec: {rules: [{name: "", from: Group, room: {kind: Team, name: x}}]}`,
			`spec.rules[0].name: Invalid value: ""`},
		{"two rules with one name", "Mapping",
			`spec: {rules: [{name: a, from: Group, room: {kind: Team, name: x}}, {name: a, from: School, room: {kind: Team, name: z}}]}`,
			`spec.rules[1]: Duplicate value: {"name":"a"}`},
		{"rule with an unknown room kind", "Mapping",
			`spec: {rules: [{name: a, from: Group, room: {kind: Channel, name: x}}]}`,
			`spec.rules[0].room.kind: Unsupported value: "Channel": supported values: "ClassTeam", "Team", "SecurityGroup", "MailGroup", "Course", "GoogleGroup"`},
		{"class team from a school", "Mapping",
			`spec: {rules: [{name: a, from: School, room: {kind: ClassTeam, name: x}}]}`,
			"ClassTeam and Course rooms are made from an Activity or a Group"},
		{"duty roles without role Staff", "Mapping",
			`spec: {rules: [{name: a, from: School, room: {kind: Team, name: x}, members: [{role: Enrolled, dutyRoles: [Lärare]}]}]}`,
			"dutyRoles may only be set with role Staff"},
		{"negative membership window", "Mapping", `spec: {membershipWindow: {daysAfterEnd: -1}}`,
			"spec.membershipWindow.daysAfterEnd in body should be greater than or equal to 0"},
		{"target without a kind", "Target", `spec: {microsoft365: null}`,
			"set exactly one of microsoft365, google, schoolDataSync or file"},
		{"target with two kinds", "Target", `spec: {file: {path: /data/rooms}}`,
			"set exactly one of microsoft365, google, schoolDataSync or file"},
		{"unknown mode", "Target", `spec: {mode: Sync}`,
			`spec.mode: Unsupported value: "Sync": supported values: "Apply", "Plan", "Observe"`},
		{"deletion guard over 100%", "Target", `spec: {policy: {deletionGuard: {maxDeletions: "150%"}}}`,
			"deletionGuard.maxDeletions must be a count such as 25 or a percentage from 0% to 100% such as 5%"},
		{"deletion guard negative", "Target", `spec: {policy: {deletionGuard: {maxDeletions: -3}}}`,
			"deletionGuard.maxDeletions must be a count such as 25 or a percentage from 0% to 100% such as 5%"},
		{"tenant id not a GUID", "Target", `spec: {microsoft365: {tenantID: contoso}}`,
			`spec.microsoft365.tenantID: Invalid value: "contoso"`},
		{"microsoft365 without auth", "Target", `spec: {microsoft365: {auth: {clientSecret: null}}}`,
			"set exactly one of auth.clientSecret, auth.clientCertificate or auth.workloadIdentity"},
		{"unknown drift action", "Target", `spec: {policy: {drift: {name: Revert}}}`,
			`spec.policy.drift.name: Unsupported value: "Revert": supported values: "Correct", "Report", "Ignore"`},
		{"tenant term ends before it starts", "Tenant",
			`spec: {calendar: {terms: [{name: HT26, start: "2026-08-17", end: "2026-06-01"}]}}`,
			"a term's end date must be after its start date"},
		{"tenant excludes an unknown marking", "Tenant",
			`spec: {privacy: {excludedSecurityMarkings: [Hemlig]}}`,
			`spec.privacy.excludedSecurityMarkings[0]: Unsupported value: "Hemlig"`},
		{"tenant without a display name", "Tenant", `spec: {displayName: null}`,
			"spec.displayName: "},
		// Explicit zero values that the Go types omit: the API server
		// (envtest, kube-apiserver v1.36.3) refuses them with these words.
		{"shrink percent zero", "Tenant", `spec: {safety: {maxSourceShrinkPercent: 0}}`,
			"spec.safety.maxSourceShrinkPercent: Invalid value: 0: spec.safety.maxSourceShrinkPercent in body should be greater than or equal to 1"},
		{"empty mode", "Target", `spec: {mode: ""}`,
			`spec.mode: Unsupported value: "": supported values: "Apply", "Plan", "Observe"`},
		{"page size zero", "RegisterSource", `spec: {ss12000: {pageSize: 0}}`,
			"spec.ss12000.pageSize: Invalid value: 0: spec.ss12000.pageSize in body should be greater than or equal to 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validateDir(t, repo(t, tt.kind, tt.fragment))
			var got []string
			for _, p := range r.Problems {
				if p.Kind == tt.kind && !p.Warning {
					got = append(got, p.Field+": "+p.Message)
				}
			}
			found := false
			for _, g := range got {
				found = found || strings.Contains(g, tt.want)
			}
			if !found {
				t.Errorf("no %s error says %q; got %q", tt.kind, tt.want, got)
			}
		})
	}
}

// A mistake both the schema and the rule compiler see is one line, in the
// API server's words; a problem only the compiler sees is kept.
func TestOneLinePerMistake(t *testing.T) {
	tests := []struct {
		name, kind, fragment string
		want                 []string // "field: message" of every error
	}{
		{"negative membership window", "Mapping", `spec: {membershipWindow: {daysAfterEnd: -1}}`,
			[]string{"spec.membershipWindow.daysAfterEnd: Invalid value: -1: spec.membershipWindow.daysAfterEnd in body should be greater than or equal to 0"}},
		{"two rules with one name", "Mapping",
			`spec: {rules: [{name: a, from: Group, room: {kind: Team, name: x}}, {name: a, from: School, room: {kind: Team, name: z}}]}`,
			[]string{`spec.rules[1]: Duplicate value: {"name":"a"}`}},
		{"class team from a school", "Mapping",
			`spec: {rules: [{name: a, from: School, room: {kind: ClassTeam, name: x}}]}`,
			[]string{"spec.rules[0]: Invalid value: ClassTeam and Course rooms are made from an Activity or a Group; use Team, SecurityGroup, MailGroup or GoogleGroup for a School or Organisation"}},
		{"class team from a school, and a bad filter", "Mapping",
			`spec: {rules: [{name: a, from: School, filter: "school.nme == ''", room: {kind: ClassTeam, name: x}}]}`,
			[]string{
				"spec.rules[0]: Invalid value: ClassTeam and Course rooms are made from an Activity or a Group; use Team, SecurityGroup, MailGroup or GoogleGroup for a School or Organisation",
				"spec.rules[a].filter: line 1, column 7: undefined field 'nme'",
			}},
		{"rule without a name", "Mapping",
			`spec: {rules: [{name: "", from: Group, room: {kind: Team, name: x}}]}`,
			[]string{`spec.rules[0].name: Invalid value: "": spec.rules[0].name in body should be at least 1 chars long`}},
		{"plain http register", "RegisterSource",
			`spec: {ss12000: {url: "http://register.example/v2.0", auth: {oauth2: {tokenURL: "http://127.0.0.1/token", secretRef: {name: creds}}}}}`,
			[]string{
				`spec.ss12000.url: "http://register.example/v2.0": plain http is refused; use https`,
				`spec.ss12000.auth.oauth2.tokenURL: "http://127.0.0.1/token": plain http is refused; use https (a loopback sandbox may use http with the annotation elevsynk.io/sandbox=true)`,
			}},
		{"a column mapping with an unknown field", "RegisterSource",
			`spec: {ss12000: null, csv: {path: /exports, persons: {name: elever.csv, columns: {id: Id, givenName: G, familyName: F, shoeSize: S}}}}`,
			[]string{"spec.csv.persons.columns.shoeSize: unknown field; the persons file knows id, givenName, familyName, civicNo, email, eduPersonPrincipalName, role, school, schoolType, schoolYear, class, securityMarking, protected"}},
		{"plain http Graph", "Target", `spec: {microsoft365: {endpoint: "http://graph.example"}}`,
			[]string{`spec.microsoft365.endpoint: "http://graph.example": plain http is refused; use https`}},
		{"annotated sandbox not on loopback", "Target",
			`{metadata: {annotations: {elevsynk.io/sandbox: "true"}}, spec: {microsoft365: {endpoint: "http://10.0.0.1:8082"}}}`,
			[]string{`spec.microsoft365.endpoint: "http://10.0.0.1:8082": plain http is refused for a host that is not loopback, even with the annotation elevsynk.io/sandbox=true`}},
		{"annotated loopback sandbox", "Target",
			`{metadata: {annotations: {elevsynk.io/sandbox: "true"}}, spec: {microsoft365: {endpoint: "http://127.0.0.1:8082"}}}`, nil},
		{"tenant calendar the schema lets through", "Tenant", `spec: {calendar: {rollover: "02-30"}}`,
			[]string{`spec.calendar: calendar: rollover "02-30": want MM-DD, e.g. 07-01`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validateDir(t, repo(t, tt.kind, tt.fragment))
			var got []string
			for _, p := range r.Problems {
				if p.Warning || p.Kind != tt.kind {
					t.Errorf("unexpected problem %s", p)
					continue
				}
				got = append(got, p.Field+": "+p.Message)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHostKeysAreChecked: a pinned SFTP host key that does not parse is
// an error at its index (the Secret it names is only a warning here).
func TestHostKeysAreChecked(t *testing.T) {
	r := validateDir(t, repo(t, "RegisterSource",
		`spec: {ss12000: null, imsEnterprise: {sftp: {host: h, user: u, path: /, secretRef: {name: k}, hostKeys: ["`+sftpd.HostKey()+`", "ssh-ed25519 notakey"]}}}`))
	var errs []string
	for _, p := range r.Problems {
		if !p.Warning {
			errs = append(errs, p.Field+": "+p.Message)
		}
	}
	want := []string{"spec.imsEnterprise.sftp.hostKeys[1]: not a public key in authorized_keys form, e.g. ssh-ed25519 AAAAC3Nza... (ssh-keyscan prints them)"}
	if diff := cmp.Diff(want, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestTenantCalendarProblemOncePerTenant(t *testing.T) {
	dir := repo(t, "Tenant", `spec: {calendar: {rollover: "02-30"}}`)
	second := strings.ReplaceAll(baseMapping, "name: skolor", "name: andra")
	if err := os.WriteFile(filepath.Join(dir, "mapping2.yaml"), []byte(second), 0o600); err != nil {
		t.Fatal(err)
	}
	want := []Problem{{File: "tenant.yaml", Doc: 1, Kind: "Tenant", Namespace: "skola", Name: "skola", Field: "spec.calendar",
		Message: `calendar: rollover "02-30": want MM-DD, e.g. 07-01`}}
	if diff := cmp.Diff(want, validateDir(t, dir).Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestValidateSet(t *testing.T) {
	set, err := manifests.Read(repo(t, "Mapping", `spec: {rules: [{name: a, from: Group, filter: "grupp.id == ''", room: {kind: Team, name: x}}]}`), testScheme())
	if err != nil {
		t.Fatal(err)
	}
	got, err := schemas(t).Validate(context.Background(), set)
	if err != nil {
		t.Fatal(err)
	}
	want := []Problem{{File: "mapping.yaml", Doc: 1, Kind: "Mapping", Namespace: "skola", Name: "skolor", Field: "spec.rules[a].filter",
		Message: "line 1, column 1: undeclared reference to 'grupp' (in container '')"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

package v1alpha1_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/elevsynk/elevsynk/internal/controlplane"
)

var env *controlplane.Env

func TestMain(m *testing.M) {
	var err error
	env, err = controlplane.Start("")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if err := env.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping envtest:", err)
	}
	os.Exit(code)
}

// decodeAll splits a multi-document YAML stream into objects.
func decodeAll(t *testing.T, data []byte) []*unstructured.Unstructured {
	t.Helper()
	var objs []*unstructured.Unstructured
	r := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	for {
		var u unstructured.Unstructured
		if err := r.Decode(&u.Object); err != nil {
			if errors.Is(err, io.EOF) {
				return objs
			}
			t.Fatalf("decoding YAML: %v", err)
		}
		if len(u.Object) > 0 {
			objs = append(objs, &u)
		}
	}
}

func TestSamplesAreAccepted(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(controlplane.Root(), "config", "samples", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples found: %v", err)
	}
	var objs []*unstructured.Unstructured
	for _, f := range files {
		if filepath.Base(f) == "kustomization.yaml" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		objs = append(objs, decodeAll(t, data)...)
	}
	// Namespaces first, as kubectl and Argo CD order them.
	sort.SliceStable(objs, func(i, j int) bool { return objs[i].GetKind() == "Namespace" && objs[j].GetKind() != "Namespace" })
	ctx := context.Background()
	kinds := map[string]int{}
	for _, obj := range objs {
		if err := env.Client.Create(ctx, obj); err != nil && !apierrors.IsAlreadyExists(err) {
			t.Errorf("%s %s rejected: %v", obj.GetKind(), obj.GetName(), err)
		}
		kinds[obj.GetKind()]++
	}
	for _, kind := range []string{"Tenant", "RegisterSource", "Mapping", "Target"} {
		if kinds[kind] == 0 {
			t.Errorf("config/samples has no %s", kind)
		}
	}
}

// base objects that each invalid case changes in one place.
const (
	validSource = `
apiVersion: elevsynk.io/v1alpha1
kind: RegisterSource
metadata: {name: register}
spec:
  ss12000:
    url: https://register.example/v2.0
    auth: {oauth2: {tokenURL: https://register.example/token, secretRef: {name: creds}}}
`
	validMapping = `
apiVersion: elevsynk.io/v1alpha1
kind: Mapping
metadata: {name: skolor}
spec:
  sourceRefs: [{name: register}]
  rules:
    - name: klasser
      from: Group
      room: {kind: Team, name: '{{ .Group.DisplayName }}'}
`
	validTarget = `
apiVersion: elevsynk.io/v1alpha1
kind: Target
metadata: {name: m365}
spec:
  mappingRef: {name: skolor}
  microsoft365:
    tenantID: 11111111-2222-3333-4444-555555555555
    auth: {clientSecret: {name: graph}}
`
	validTenant = `
apiVersion: elevsynk.io/v1alpha1
kind: Tenant
metadata: {name: tenant}
spec:
  displayName: Exempelstad
`
)

// patch merges a YAML fragment into a base object; a null deletes a field.
func patch(t *testing.T, base, fragment string) *unstructured.Unstructured {
	t.Helper()
	var obj, frag map[string]any
	if err := yaml.Unmarshal([]byte(base), &obj); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(fragment), &frag); err != nil {
		t.Fatal(err)
	}
	merge(obj, frag)
	return &unstructured.Unstructured{Object: obj}
}

func merge(dst, src map[string]any) {
	for k, v := range src {
		if v == nil {
			delete(dst, k)
			continue
		}
		sv, ok := v.(map[string]any)
		dv, ok2 := dst[k].(map[string]any)
		if ok && ok2 {
			merge(dv, sv)
			continue
		}
		dst[k] = v
	}
}

func TestBaseObjectsAreValid(t *testing.T) {
	ctx := context.Background()
	for _, base := range []string{validTenant, validSource, validMapping, validTarget} {
		obj := patch(t, base, `metadata: {namespace: default}`)
		if err := env.Client.Create(ctx, obj); err != nil {
			t.Errorf("base %s rejected: %v", obj.GetKind(), err)
		}
	}
}

func TestInvalidManifestsAreRejected(t *testing.T) {
	tests := []struct {
		name     string
		base     string
		fragment string
		want     string // a part of the API server's message
	}{
		{"source without a kind", validSource, `spec: {ss12000: null}`,
			"set exactly one of ss12000, imsEnterprise, oneRoster, schoolSoft, unikum, csv, ldap, manual or directoryGroups"},
		{"source with two kinds", validSource, `spec: {oneRoster: {url: https://x.example/roster.zip}}`,
			"set exactly one of ss12000, imsEnterprise, oneRoster, schoolSoft, unikum, csv, ldap, manual or directoryGroups"},
		{"ldap with a plain URL", validSource, `spec: {ss12000: null, ldap: {url: "http://dc.example", bindSecretRef: {name: b}, baseDN: "dc=x", joinAttribute: employeeID, joinKey: CivicNo, attributes: {email: mail}}}`,
			`spec.ldap.url: Invalid value: "http://dc.example"`},
		{"ldap with an unknown register attribute", validSource, `spec: {ss12000: null, ldap: {url: "ldaps://dc.example", bindSecretRef: {name: b}, baseDN: "dc=x", joinAttribute: employeeID, joinKey: CivicNo, attributes: {civicNo: employeeID}}}`,
			"attributes keys must be eduPersonPrincipalName, email or externalIdentifier"},
		{"ldap with a directory attribute that is no name", validSource, `spec: {ss12000: null, ldap: {url: "ldaps://dc.example", bindSecretRef: {name: b}, baseDN: "dc=x", joinAttribute: employeeID, joinKey: CivicNo, attributes: {email: "mail address"}}}`,
			"attributes values must be directory attribute names, e.g. mail"},
		{"ldap with an unknown precedence", validSource, `spec: {ss12000: null, ldap: {url: "ldaps://dc.example", bindSecretRef: {name: b}, baseDN: "dc=x", joinAttribute: employeeID, joinKey: CivicNo, attributes: {email: mail}, precedence: Both}}`,
			`spec.ldap.precedence: Unsupported value: "Both": supported values: "Register", "Directory"`},
		{"directory groups naming none", validSource, `spec: {ss12000: null, directoryGroups: {targetRef: {name: m365}}}`,
			"set ids, displayNamePrefix or both"},
		{"ss12000 with two auth methods", validSource, `spec: {ss12000: {auth: {apiKey: {secretRef: {name: k}}}}}`,
			"set exactly one of auth.oauth2, auth.mutualTLS or auth.apiKey"},
		{"ss12000 url not a URL", validSource, `spec: {ss12000: {url: "register.example/v2.0"}}`,
			"url must be an absolute http or https URL"},
		{"interval not a duration", validSource, `spec: {interval: "15 minutes"}`,
			`spec.interval: Invalid value: "15 minutes"`},
		{"interval too short", validSource, `spec: {interval: 10s}`,
			"interval must be at least 1m"},
		{"shrink percent over 100", validSource, `spec: {maxShrinkPercent: 150}`,
			"spec.maxShrinkPercent: Invalid value: 150: spec.maxShrinkPercent in body should be less than or equal to 100"},
		{"file source with url and path", validSource,
			`spec: {ss12000: null, imsEnterprise: {url: "https://x.example/e.xml", path: /exports/e.xml}}`,
			"set exactly one of url, sftp or path"},
		{"file source with auth but no url", validSource,
			`spec: {ss12000: null, oneRoster: {path: /exports/or, auth: {bearerTokenSecretRef: {name: t}}}}`,
			"auth is for url; an sftp location has its own secretRef"},
		{"file source with two auths", validSource,
			`spec: {ss12000: null, oneRoster: {url: "https://x.example/or.zip", auth: {bearerTokenSecretRef: {name: t}, basicAuthSecretRef: {name: b}}}}`,
			"set exactly one of bearerTokenSecretRef, basicAuthSecretRef or clientCertificateSecretRef"},
		{"sftp without a host key", validSource,
			`spec: {ss12000: null, imsEnterprise: {sftp: {host: sftp.example, user: u, path: /e.xml, secretRef: {name: k}, hostKeys: []}}}`,
			"hostKeys in body should have at least 1 items"},
		{"unknown encoding", validSource,
			`spec: {ss12000: null, schoolSoft: {path: /exports/ss, encoding: latin1, schoolUnitCode: "12345678", schoolName: Skolan}}`,
			`spec.schoolSoft.encoding: Unsupported value: "latin1"`},
		{"unikum without an id key", validSource,
			`spec: {ss12000: null, unikum: {path: /exports/unikum}}`,
			`spec.unikum.idKeySecretRef: Required value`},
		{"mapping without sources", validMapping, `spec: {sourceRefs: []}`,
			"spec.sourceRefs: Invalid value: 0: spec.sourceRefs in body should have at least 1 items"},
		{"mapping names a source twice", validMapping, `spec: {sourceRefs: [{name: register}, {name: register}]}`,
			"each source may be named only once in sourceRefs"},
		{"rule without a name", validMapping,
			`spec: {rules: [{name: "", from: Group, room: {kind: Team, name: x}}]}`,
			`spec.rules[0].name: Invalid value: ""`},
		{"two rules with one name", validMapping,
			`spec: {rules: [{name: a, from: Group, room: {kind: Team, name: x}}, {name: a, from: School, room: {kind: Team, name: z}}]}`,
			`spec.rules[1]: Duplicate value: {"name":"a"}`},
		{"rule with an unknown room kind", validMapping,
			`spec: {rules: [{name: a, from: Group, room: {kind: Channel, name: x}}]}`,
			`spec.rules[0].room.kind: Unsupported value: "Channel": supported values: "ClassTeam", "Team", "SecurityGroup", "MailGroup", "Course", "GoogleGroup"`},
		{"class team from a school", validMapping,
			`spec: {rules: [{name: a, from: School, room: {kind: ClassTeam, name: x}}]}`,
			"ClassTeam and Course rooms are made from an Activity or a Group"},
		{"duty roles without role Staff", validMapping,
			`spec: {rules: [{name: a, from: School, room: {kind: Team, name: x}, members: [{role: Enrolled, dutyRoles: [Lärare]}]}]}`,
			"dutyRoles may only be set with role Staff"},
		{"negative membership window", validMapping, `spec: {membershipWindow: {daysAfterEnd: -1}}`,
			"spec.membershipWindow.daysAfterEnd in body should be greater than or equal to 0"},
		{"target without a kind", validTarget, `spec: {microsoft365: null}`,
			"set exactly one of microsoft365, google, schoolDataSync or file"},
		{"target with two kinds", validTarget, `spec: {file: {path: /data/rooms}}`,
			"set exactly one of microsoft365, google, schoolDataSync or file"},
		{"roster recheck not a duration", validTarget, `spec: {microsoft365: null, google: {domain: skola.example, adminSubject: admin@skola.example, auth: {serviceAccount: {name: g}}, rosterRecheck: "a day"}}`,
			`spec.google.rosterRecheck: Invalid value: "a day"`},
		{"unknown mode", validTarget, `spec: {mode: Sync}`,
			`spec.mode: Unsupported value: "Sync": supported values: "Apply", "Plan", "Observe"`},
		{"deletion guard over 100%", validTarget, `spec: {policy: {deletionGuard: {maxDeletions: "150%"}}}`,
			"deletionGuard.maxDeletions must be a count such as 25 or a percentage from 0% to 100% such as 5%"},
		{"deletion guard negative", validTarget, `spec: {policy: {deletionGuard: {maxDeletions: -3}}}`,
			"deletionGuard.maxDeletions must be a count such as 25 or a percentage from 0% to 100% such as 5%"},
		{"tenant id not a GUID", validTarget, `spec: {microsoft365: {tenantID: contoso}}`,
			`spec.microsoft365.tenantID: Invalid value: "contoso"`},
		{"microsoft365 without auth", validTarget, `spec: {microsoft365: {auth: {clientSecret: null}}}`,
			"set exactly one of auth.clientSecret, auth.clientCertificate or auth.workloadIdentity"},
		{"sds upload without auth", validTarget,
			`spec: {microsoft365: null, schoolDataSync: {path: /data/sds, upload: {tenantID: 11111111-2222-3333-4444-555555555555, auth: {}}}}`,
			"set exactly one of upload.auth.clientSecret, upload.auth.clientCertificate or upload.auth.workloadIdentity"},
		{"sds upload endpoint not a URL", validTarget,
			`spec: {microsoft365: null, schoolDataSync: {path: /data/sds, upload: {endpoint: graph.example, tenantID: 11111111-2222-3333-4444-555555555555, auth: {clientSecret: {name: s}}}}}`,
			"upload.endpoint must be an absolute http or https URL"},
		{"sds without a path", validTarget, `spec: {microsoft365: null, schoolDataSync: {}}`,
			"spec.schoolDataSync.path: Required value"},
		{"unknown file format", validTarget, `spec: {microsoft365: null, file: {path: /data/rooms, format: CSV}}`,
			`spec.file.format: Unsupported value: "CSV": supported values: "JSON", "OneRoster"`},
		{"unknown drift action", validTarget, `spec: {policy: {drift: {name: Revert}}}`,
			`spec.policy.drift.name: Unsupported value: "Revert": supported values: "Correct", "Report", "Ignore"`},
		{"tenant term ends before it starts", validTenant,
			`spec: {calendar: {terms: [{name: HT26, start: "2026-08-17", end: "2026-06-01"}]}}`,
			"a term's end date must be after its start date"},
		{"tenant excludes an unknown marking", validTenant,
			`spec: {privacy: {excludedSecurityMarkings: [Hemlig]}}`,
			`spec.privacy.excludedSecurityMarkings[0]: Unsupported value: "Hemlig"`},
		{"tenant without a display name", validTenant, `spec: {displayName: null}`,
			"spec.displayName: Required value"},
	}
	ctx := context.Background()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := patch(t, tt.base, fmt.Sprintf(`metadata: {namespace: default, name: invalid-%d}`, i))
			merge(obj.Object, patch(t, "{}", tt.fragment).Object)
			err := env.Client.Create(ctx, obj)
			if err == nil {
				t.Fatalf("accepted; want rejection with %q", tt.want)
			}
			if !apierrors.IsInvalid(err) {
				t.Fatalf("got %v, want an Invalid error", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("message\n  %s\ndoes not say\n  %s", err, tt.want)
			}
		})
	}
}

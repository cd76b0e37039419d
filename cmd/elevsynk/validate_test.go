package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A small valid configuration repository, one file per concern; each case
// below breaks it in one place.
var validRepo = map[string]string{
	"tenant.yaml": `apiVersion: v1
kind: Namespace
metadata: {name: skola}
---
apiVersion: elevsynk.io/v1alpha1
kind: Tenant
metadata: {name: skola, namespace: skola}
spec:
  displayName: Exempelstads kommun
`,
	"source.yaml": `apiVersion: v1
kind: Secret
metadata: {name: register-credentials, namespace: skola}
stringData: {clientID: elevsynk, clientSecret: hemligt-och-aldrig-utskrivet}
---
apiVersion: elevsynk.io/v1alpha1
kind: RegisterSource
metadata: {name: register, namespace: skola}
spec:
  interval: 15m
  ss12000:
    url: https://register.example/v2.0
    auth:
      oauth2: {tokenURL: https://register.example/token, secretRef: {name: register-credentials}}
`,
	"mapping.yaml": `apiVersion: elevsynk.io/v1alpha1
kind: Mapping
metadata: {name: skolor, namespace: skola}
spec:
  sourceRefs: [{name: register}]
  rules:
    - name: klasser
      from: Group
      filter: group.type == "Klass"
      room: {kind: Team, name: '{{ .Group.DisplayName }} {{ schoolYear }}'}
      owners: [{role: Mentors}]
      members: [{role: Students}]
    - name: personal
      from: School
      room: {kind: Team, name: '{{ .School.Abbreviation }} Personal'}
      members: [{role: Staff}]
`,
	"target.yaml": `apiVersion: v1
kind: Secret
metadata: {name: graph-credentials, namespace: skola}
stringData: {clientID: app, clientSecret: hemligt-och-aldrig-utskrivet}
---
apiVersion: elevsynk.io/v1alpha1
kind: Target
metadata: {name: m365, namespace: skola}
spec:
  mappingRef: {name: skolor}
  mode: Plan
  microsoft365:
    tenantID: 11111111-2222-3333-4444-555555555555
    auth: {clientSecret: {name: graph-credentials}}
`,
}

const manualSource = `apiVersion: elevsynk.io/v1alpha1
kind: RegisterSource
metadata: {name: manuell, namespace: skola}
spec:
  manual:
    groups: [{id: arbetslag-a, displayName: Arbetslag A, members: [anna@skola.example]}]
`

// edit is a change to one file of validRepo: old replaced by new, or the
// whole file when old is empty.
type edit struct{ file, old, new string }

// writeRepo writes validRepo with edits applied to a new directory. An
// edit whose old text is not there fails the test, so no case can pass by
// changing nothing.
func writeRepo(t *testing.T, edits ...edit) string {
	t.Helper()
	files := map[string]string{}
	for name, text := range validRepo {
		files[name] = text
	}
	for _, e := range edits {
		if e.old == "" {
			files[e.file] = e.new
			continue
		}
		if !strings.Contains(files[e.file], e.old) {
			t.Fatalf("%s does not contain %q", e.file, e.old)
		}
		files[e.file] = strings.Replace(files[e.file], e.old, e.new, 1)
	}
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// problem is one expected output line: it starts with where and contains says.
type problem struct{ where, says string }

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		edits   []edit
		want    []problem
		summary string // the last line
		code    int
	}{
		{name: "valid", summary: "7 objects checked: 0 errors, 0 warnings", code: 0},
		{name: "bad enum",
			edits:   []edit{{"target.yaml", "mode: Plan", "mode: Sometimes"}},
			want:    []problem{{"target.yaml:2: Target skola/m365: spec.mode: ", `Unsupported value: "Sometimes": supported values: "Apply", "Plan", "Observe"`}},
			summary: "7 objects checked: 2 errors, 0 warnings", code: 1}, // and: CEL rules not checked
		{name: "two auth methods",
			edits:   []edit{{"source.yaml", "      oauth2:", "      apiKey: {secretRef: {name: register-credentials}}\n      oauth2:"}},
			want:    []problem{{"source.yaml:2: RegisterSource skola/register: spec.ss12000.auth: ", "set exactly one of auth.oauth2, auth.mutualTLS or auth.apiKey"}},
			summary: "7 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "bad duration",
			edits: []edit{{"source.yaml", "interval: 15m", "interval: 15 minutes"}},
			want: []problem{
				{"source.yaml:2: RegisterSource skola/register: spec.interval: ", `Invalid value: "15 minutes": spec.interval in body should match`},
				{"source.yaml:2: RegisterSource skola/register: spec.interval: ", "interval must be at least 1m"}},
			summary: "0 objects checked: 2 errors, 0 warnings", code: 1},
		{name: "duration too short",
			edits:   []edit{{"source.yaml", "interval: 15m", "interval: 30s"}},
			want:    []problem{{"source.yaml:2: RegisterSource skola/register: spec.interval: ", `Invalid value: "30s": interval must be at least 1m`}},
			summary: "7 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "bad CEL filter",
			edits:   []edit{{"mapping.yaml", `filter: group.type == "Klass"`, `filter: group.type == "Klass" && grupp.id != ""`}},
			want:    []problem{{"mapping.yaml:1: Mapping skola/skolor: spec.rules[klasser].filter: ", "line 1, column 26: undeclared reference to 'grupp'"}},
			summary: "7 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "filter not a condition",
			edits:   []edit{{"mapping.yaml", `filter: group.type == "Klass"`, `filter: group.type`}},
			want:    []problem{{"mapping.yaml:1: Mapping skola/skolor: spec.rules[klasser].filter: ", "line 1, column 6: the filter must be true or false"}},
			summary: "7 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "template calls an unknown function",
			edits:   []edit{{"mapping.yaml", "{{ schoolYear }}", "{{ skolår }}"}},
			want:    []problem{{"mapping.yaml:1: Mapping skola/skolor: spec.rules[klasser].room.name: ", `function "skolår" not defined`}},
			summary: "7 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "template reads an unknown field",
			edits:   []edit{{"mapping.yaml", "{{ .School.Abbreviation }}", "{{ .School.Förkortning }}"}},
			want:    []problem{{"mapping.yaml:1: Mapping skola/skolor: spec.rules[personal].room.name: ", "can't evaluate field Förkortning"}},
			summary: "7 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "role that does not apply",
			edits:   []edit{{"mapping.yaml", "members: [{role: Staff}]", "members: [{role: Students}]"}},
			want:    []problem{{"mapping.yaml:1: Mapping skola/skolor: spec.rules[personal].members[0].role: ", `role "Students" does not apply to a School`}},
			summary: "7 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "missing mappingRef target",
			edits:   []edit{{"target.yaml", "mappingRef: {name: skolor}", "mappingRef: {name: skolorna}"}},
			want:    []problem{{"target.yaml:2: Target skola/m365: spec.mappingRef.name: ", `no Mapping "skolorna" in namespace "skola"`}},
			summary: "7 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "missing source",
			edits:   []edit{{"mapping.yaml", "sourceRefs: [{name: register}]", "sourceRefs: [{name: register}, {name: extra}]"}},
			want:    []problem{{"mapping.yaml:1: Mapping skola/skolor: spec.sourceRefs[1].name: ", `no RegisterSource "extra" in namespace "skola"`}},
			summary: "7 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "manual primary source",
			edits: []edit{{"manual.yaml", "", manualSource},
				{"mapping.yaml", "sourceRefs: [{name: register}]", "sourceRefs: [{name: manuell}, {name: register}]"}},
			want: []problem{
				{"mapping.yaml:1: Mapping skola/skolor: spec.sourceRefs[0].name: ", `RegisterSource "manuell" is a supplement (manual groups, an LDAP directory or directory groups); the first source must be a register`},
				{"mapping.yaml:1: Mapping skola/skolor: spec.sourceRefs[1].name: ", "only manual, LDAP and directoryGroups sources can supplement"}},
			summary: "8 objects checked: 2 errors, 0 warnings", code: 1},
		{name: "manual supplement",
			edits: []edit{{"manual.yaml", "", manualSource},
				{"mapping.yaml", "sourceRefs: [{name: register}]", "sourceRefs: [{name: register}, {name: manuell}]"}},
			summary: "8 objects checked: 0 errors, 0 warnings", code: 0},
		{name: "account keys stay out of messages",
			edits:   []edit{{"manual.yaml", "", strings.Replace(manualSource, "members: [anna@skola.example]", "members: [anna@skola.example, anna@skola.example]", 1)}},
			want:    []problem{{"manual.yaml:1: RegisterSource skola/manuell: spec.manual.groups[0].members[1]: ", "Duplicate value"}},
			summary: "8 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "missing Tenant",
			edits:   []edit{{"tenant.yaml", "", "apiVersion: v1\nkind: Namespace\nmetadata: {name: skola}\n"}},
			want:    []problem{{"mapping.yaml:1: Mapping skola/skolor: metadata.namespace: ", `namespace "skola" has no Tenant`}},
			summary: "6 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "two Tenants",
			edits:   []edit{{"tenant2.yaml", "", "apiVersion: elevsynk.io/v1alpha1\nkind: Tenant\nmetadata: {name: annan, namespace: skola}\nspec: {displayName: Annan}\n"}},
			want:    []problem{{"tenant2.yaml:1: Tenant skola/annan: ", `namespace "skola" already has Tenant "skola" (tenant.yaml:2)`}},
			summary: "8 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "duplicate rule name",
			edits:   []edit{{"mapping.yaml", "name: personal", "name: klasser"}},
			want:    []problem{{"mapping.yaml:1: Mapping skola/skolor: spec.rules[1]: ", `Duplicate value: {"name":"klasser"}`}},
			summary: "7 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "missing Secret is a warning",
			edits: []edit{{"target.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: graph-credentials, namespace: skola}\nstringData: {clientID: app, clientSecret: hemligt-och-aldrig-utskrivet}\n---\n", ""}},
			want: []problem{{"warning: target.yaml:1: Target skola/m365: spec.microsoft365.auth.clientSecret.name: ",
				`Secret "graph-credentials" is not among these manifests`}},
			summary: "6 objects checked: 0 errors, 1 warnings", code: 0},
		{name: "unknown field",
			edits:   []edit{{"target.yaml", "  mode: Plan", "  mode: Plan\n  dryRun: true"}},
			want:    []problem{{"target.yaml:2: Target skola/m365: spec.dryRun: ", "unknown field"}},
			summary: "0 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "YAML syntax error",
			edits:   []edit{{"mapping.yaml", "sourceRefs: [{name: register}]", "sourceRefs: [{name: register}"}},
			want:    []problem{{"mapping.yaml:1: ", "yaml: line 5: did not find expected ',' or ']'"}},
			summary: "0 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "no namespace",
			edits:   []edit{{"target.yaml", "metadata: {name: m365, namespace: skola}", "metadata: {name: m365}"}},
			want:    []problem{{"target.yaml:2: Target /m365: metadata.namespace: ", "Required value"}},
			summary: "7 objects checked: 1 errors, 0 warnings", code: 1},
		{name: "name not a DNS subdomain",
			edits:   []edit{{"target.yaml", "metadata: {name: m365, namespace: skola}", "metadata: {name: M365_Skola, namespace: skola}"}},
			want:    []problem{{"target.yaml:2: Target skola/M365_Skola: metadata.name: ", "a lowercase RFC 1123 subdomain"}},
			summary: "7 objects checked: 1 errors, 0 warnings", code: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), []string{"validate", "-f", writeRepo(t, tt.edits...)}, &out, &errOut)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.code, errOut.String())
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			for _, w := range tt.want {
				if !hasLine(lines, w) {
					t.Errorf("no line starts with %q and says %q", w.where, w.says)
				}
			}
			if got := lines[len(lines)-1]; got != tt.summary {
				t.Errorf("summary %q, want %q", got, tt.summary)
			}
			if strings.Contains(out.String(), "hemligt") || strings.Contains(out.String(), "anna@") {
				t.Errorf("output carries a secret or an account key:\n%s", out.String())
			}
			if t.Failed() {
				t.Logf("output:\n%s", out.String())
			}
		})
	}
}

func hasLine(lines []string, w problem) bool {
	for _, l := range lines {
		if rest, ok := strings.CutPrefix(l, w.where); ok && strings.Contains(rest, w.says) {
			return true
		}
	}
	return false
}

func TestValidateSamples(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"validate", "-f", "../../config/samples"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errOut.String())
	}
	if !strings.HasSuffix(out.String(), " objects checked: 0 errors, 0 warnings\n") || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("config/samples is not clean:\n%s", out.String())
	}
}

func TestValidateWithoutDirectory(t *testing.T) {
	for _, args := range [][]string{{"validate"}, {"validate", "-f", filepath.Join(t.TempDir(), "saknas")}} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, &out, &errOut); code != 1 || !strings.HasPrefix(errOut.String(), "elevsynk validate: ") {
			t.Errorf("%q: exit %d, stderr %q; want 1 and a message", args, code, errOut.String())
		}
	}
}

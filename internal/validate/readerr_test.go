package validate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadProblems(t *testing.T) {
	tests := []struct {
		name, file, text string
		want             []Problem
	}{
		{"YAML error in the second document", "a.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nkind: [\n",
			[]Problem{{File: "a.yaml", Doc: 2, Message: "error converting YAML to JSON: yaml: line 5: did not find expected node content"}}}, // line 1 of the document
		{"elevsynk kind located raw, in a subdirectory", "base/source.yaml", "apiVersion: elevsynk.io/v1alpha1\nkind: RegisterSource\nmetadata: {name: r, namespace: skola}\nspec: {interval: 5 minutes, manual: {groups: [{id: a, displayName: A}]}, extra: 1}\n",
			[]Problem{
				{File: "base/source.yaml", Doc: 1, Kind: "RegisterSource", Namespace: "skola", Name: "r", Field: "spec.extra", Message: "unknown field: the CRD's schema has no such field"},
				{File: "base/source.yaml", Doc: 1, Kind: "RegisterSource", Namespace: "skola", Name: "r", Field: "spec.interval",
					Message: `Invalid value: "5 minutes": spec.interval in body should match '^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$'`},
				{File: "base/source.yaml", Doc: 1, Kind: "RegisterSource", Namespace: "skola", Name: "r", Field: "spec.interval",
					Message: `Invalid value: "string": type conversion error from 'string' to 'google.protobuf.Duration' evaluating rule: interval must be at least 1m`},
			}},
		{"unknown metadata field", "t.yaml", "apiVersion: elevsynk.io/v1alpha1\nkind: Tenant\nmetadata: {name: t, namespace: skola, lables: {a: b}}\nspec: {displayName: T}\n",
			[]Problem{{File: "t.yaml", Doc: 1, Kind: "Tenant", Namespace: "skola", Name: "t", Field: "metadata",
				Message: `Invalid value: strict decoding error: unknown field "lables"`}}},
		{"a Secret that does not decode says so without its data", "s.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: skola}\ndata: {password: '%%hemligt%%'}\n",
			[]Problem{{File: "s.yaml", Doc: 1, Kind: "Secret", Namespace: "skola", Name: "s", Message: "error decoding from json: illegal base64 data at input byte 0"}}},
		{"a template in a Secret's value is not printed", "s.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: skola}\nstringData:\n  password: {{ hemligt }}\n",
			[]Problem{{File: "s.yaml", Doc: 1, Message: "error converting YAML to JSON: yaml: invalid map key (is a {{ template }} left in a value?)"}}},
		{"unknown elevsynk kind", "k.yaml", "apiVersion: elevsynk.io/v1alpha1\nkind: Room\nmetadata: {name: r}\n",
			[]Problem{{File: "k.yaml", Doc: 1, Message: `no kind "Room" is registered for version "elevsynk.io/v1alpha1" in scheme "pkg/runtime/scheme.go:111"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tt.file)
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tt.text), 0o600); err != nil {
				t.Fatal(err)
			}
			r := validateDir(t, dir)
			if diff := cmp.Diff(tt.want, r.Problems); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if r.Objects != 0 {
				t.Errorf("%d objects checked after a read error", r.Objects)
			}
		})
	}
}

func TestReadProblemsNamesNoDocument(t *testing.T) {
	if _, ok := schemas(t).readProblems(context.Background(), t.TempDir(), errors.New("open x: permission denied")); ok {
		t.Error("an error naming no document became a problem")
	}
	if _, err := schemas(t).Dir(context.Background(), filepath.Join(t.TempDir(), "missing"), testScheme()); err == nil {
		t.Error("a missing directory is no error")
	}
}

func TestDocStarts(t *testing.T) {
	tests := []struct {
		text string
		want []int
	}{
		{"", nil},
		{"a: 1\n", []int{1}},
		{"a: 1", []int{1}},
		{"---\na: 1\n", []int{1}}, // a leading separator is line 1 of its document
		{"a: 1\n---\nb: 2\n", []int{1, 3}},
		{"a: 1\n--- # two\nb: 2\n", []int{1, 3}},
		{"a: 1\n---\n---\nb: 2\n", []int{1, 3}},
		{"a: 1\n---\n", []int{1}},
		{"# only a comment\n---\nb: 2\n", []int{1, 3}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, docStarts([]byte(tt.text))); diff != "" {
			t.Errorf("docStarts(%q) (-want +got):\n%s", tt.text, diff)
		}
	}
}

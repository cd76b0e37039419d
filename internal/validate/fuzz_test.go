package validate

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// FuzzValidate feeds arbitrary bytes as a manifest file: validating never
// panics, never fails on a readable directory, and every problem names
// the file and a document in it.
func FuzzValidate(f *testing.F) {
	samples, _ := filepath.Glob("../../config/samples/*.yaml")
	for _, s := range samples {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{baseTenant, baseSource, baseMapping, baseTarget, secrets,
		baseSource + "---\n" + secrets + "---\n" + baseTenant,
		"apiVersion: elevsynk.io/v1alpha1\nkind: Mapping\nmetadata: {name: m, namespace: s}\nspec: {sourceRefs: [{name: x}], rules: [{name: a, from: Group, filter: 'group.', room: {kind: Team, name: '{{ .Group.X }}'}}]}\n",
		"apiVersion: elevsynk.io/v1alpha1\nkind: Target\nmetadata: {name: t}\nspec: {interval: 1 hour, foo: {bar: 1}}\n",
		"kind: [\n", "---\n---\n", "- a\n", "\xff",
	} {
		f.Add([]byte(s))
	}
	s, err := loaded()
	if err != nil {
		f.Fatal(err)
	}
	scheme := testScheme()
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "f.yaml"), data, 0o600); err != nil {
			t.Fatal(err)
		}
		r, err := s.Dir(context.Background(), dir, scheme)
		if err != nil {
			t.Fatalf("readable directory: %v", err)
		}
		for _, p := range r.Problems {
			if p.File != "f.yaml" || p.Doc < 1 {
				t.Errorf("problem names no document of f.yaml: %s", p)
			}
		}
	})
}

// FuzzDocStarts checks docStarts against the reader manifests uses: as
// many documents, each beginning at the line docStarts names.
func FuzzDocStarts(f *testing.F) {
	for _, s := range []string{"a: 1\n---\nb: 2\n", "---\n---\n\n", "a\r\n--- #x\r\nb", "---x\n", "\n\n---\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var docs [][]byte
		r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
		for {
			doc, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return // manifests.Read reports it; no document to place
			}
			docs = append(docs, doc)
		}
		starts := docStarts(data)
		if len(starts) != len(docs) {
			t.Fatalf("%d starts %v, %d documents %q", len(starts), starts, len(docs), docs)
		}
		lines := strings.SplitAfter(string(data), "\n")
		for i, doc := range docs {
			first, _, _ := strings.Cut(string(doc), "\n")
			if got := strings.TrimRight(lines[starts[i]-1], "\r\n"); got != strings.TrimRight(first, "\r") {
				t.Errorf("document %d begins %q, line %d is %q", i+1, first, starts[i], got)
			}
		}
	})
}

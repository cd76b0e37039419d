package validate

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/elevsynk/elevsynk/internal/manifests"
)

// asMap gives a manifest as the map the schema checks run on.
type asMap func(o manifests.Object) (map[string]any, error)

// roundTrip converts the typed object back. A zero value its Go field
// omits (omitempty) is lost on the way: `maxSourceShrinkPercent: 0` comes
// back unset and is defaulted, where the API server refuses it.
func roundTrip(o manifests.Object) (map[string]any, error) {
	return runtime.DefaultUnstructuredConverter.ToUnstructured(o.Object)
}

// asWritten reads each manifest's document again from dir, so the schema
// checks see what the API server would be sent; it falls back to
// roundTrip for a file that changed since it was read.
func asWritten(dir string) asMap {
	files := map[string][]*unstructured.Unstructured{}
	return func(o manifests.Object) (map[string]any, error) {
		docs, ok := files[o.File]
		if !ok {
			docs = documents(filepath.Join(dir, o.File))
			files[o.File] = docs
		}
		if o.Index < len(docs) && docs[o.Index] != nil && docs[o.Index].GetObjectKind().GroupVersionKind() == o.Object.GetObjectKind().GroupVersionKind() {
			return docs[o.Index].Object, nil
		}
		return roundTrip(o)
	}
}

// documents reads file's documents as manifests.Read splits and numbers
// them (from 0), nil for one that is empty or not an object; it stops at
// the first the YAML reader refuses.
func documents(file string) []*unstructured.Unstructured {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var out []*unstructured.Unstructured
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) || err != nil {
			return out
		}
		u := &unstructured.Unstructured{}
		if err := utilyaml.Unmarshal(doc, &u.Object); err != nil || len(u.Object) == 0 {
			u = nil
		}
		out = append(out, u)
	}
}

// docStarts gives the file line (from 1) where each document begins, as
// utilyaml.YAMLReader splits them: a "---" line ends a document and is
// dropped, except before the first line of one, where it is kept and
// counts as the document's line 1.
func docStarts(data []byte) []int {
	var starts []int
	start := 0 // 0: no document under way
	for i, line := range strings.SplitAfter(string(data), "\n") {
		rest, sep := strings.CutPrefix(line, "---")
		if sep {
			rest = strings.TrimSpace(rest)
			sep = rest == "" || rest[0] == '#'
		}
		switch {
		case sep && start != 0:
			starts = append(starts, start)
			start = 0
		case start == 0 && line != "":
			start = i + 1
		}
	}
	if start != 0 {
		starts = append(starts, start)
	}
	return starts
}

var yamlLineRE = regexp.MustCompile(`\byaml: line (\d+)\b`)

// inFile rewrites the YAML parser's "yaml: line N", a line of document doc
// (from 1), as the line of file, which is where an editor goes.
func inFile(file string, doc int, msg string) string {
	data, err := os.ReadFile(file)
	if err != nil {
		return msg
	}
	starts := docStarts(data)
	if doc < 1 || doc > len(starts) {
		return msg
	}
	return yamlLineRE.ReplaceAllStringFunc(msg, func(m string) string {
		n, err := strconv.Atoi(yamlLineRE.FindStringSubmatch(m)[1])
		if err != nil {
			return m
		}
		return fmt.Sprintf("yaml: line %d", starts[doc-1]+n-1)
	})
}

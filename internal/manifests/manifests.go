// Package manifests reads a directory of YAML manifests, as a configuration
// repository holds them, into typed objects for the CLI.
package manifests

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// Object is one manifest and where it came from.
type Object struct {
	File   string // path relative to the directory read
	Index  int    // position of the document in the file, from 0
	Object runtime.Object
}

// Where names the manifest for messages: file, document and object.
func (o Object) Where() string {
	u, _ := runtime.DefaultUnstructuredConverter.ToUnstructured(o.Object)
	obj := unstructured.Unstructured{Object: u}
	return fmt.Sprintf("%s (document %d, %s %s/%s)", o.File, o.Index+1, o.Object.GetObjectKind().GroupVersionKind().Kind, obj.GetNamespace(), obj.GetName())
}

// Set is every manifest read from a directory.
type Set struct {
	Objects []Object
}

// Option changes how Read decodes.
type Option func(*options)

type options struct {
	defaults func(schema.GroupVersionKind, map[string]any)
}

// WithDefaults applies defaults (such as validate.Schemas.Default, the
// CRDs' own) to each document before it is decoded, so the objects read
// are what the API server would store and the controller would see: an
// absent archiveAfterDays reads 14, not 0.
func WithDefaults(defaults func(schema.GroupVersionKind, map[string]any)) Option {
	return func(o *options) { o.defaults = defaults }
}

// Read reads every .yaml and .yml file under dir (kustomization files
// excepted), decoding elevsynk kinds, Secrets and Namespaces strictly: an
// unknown field is an error naming the file, as `kubectl apply` would.
func Read(dir string, scheme *runtime.Scheme, opts ...Option) (*Set, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if !d.IsDir() && (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) && name != "kustomization.yaml" {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	set := &Set{}
	for _, path := range files {
		rel, _ := filepath.Rel(dir, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		objs, err := decodeFile(rel, data, scheme, o)
		if err != nil {
			return nil, err
		}
		set.Objects = append(set.Objects, objs...)
	}
	return set, nil
}

func decodeFile(file string, data []byte, scheme *runtime.Scheme, o options) ([]Object, error) {
	var out []Object
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for i := 0; ; i++ {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", file, i+1, err)
		}
		var u unstructured.Unstructured
		if err := utilyaml.Unmarshal(doc, &u.Object); err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", file, i+1, err)
		}
		if len(u.Object) == 0 {
			continue
		}
		gvk := u.GroupVersionKind()
		if gvk.Group != elevsynkv1.GroupVersion.Group && !(gvk.Group == "" && (gvk.Kind == "Secret" || gvk.Kind == "Namespace")) {
			continue // other kinds are not ours to read
		}
		if o.defaults != nil && gvk.Group == elevsynkv1.GroupVersion.Group {
			o.defaults(gvk, u.Object)
		}
		typed, err := scheme.New(gvk)
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", file, i+1, err)
		}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(u.Object, typed, true); err != nil {
			return nil, fmt.Errorf("%s: document %d (%s %s): %w", file, i+1, gvk.Kind, u.GetName(), err)
		}
		typed.GetObjectKind().SetGroupVersionKind(gvk)
		if s, ok := typed.(*corev1.Secret); ok {
			// kubectl turns stringData into data; do the same for readers.
			for k, v := range s.StringData {
				if s.Data == nil {
					s.Data = map[string][]byte{}
				}
				s.Data[k] = []byte(v)
			}
		}
		out = append(out, Object{File: file, Index: i, Object: typed})
	}
}

// Secret returns the Secret namespace/name from the set.
func (s *Set) Secret(namespace, name string) (*corev1.Secret, bool) {
	return Get[*corev1.Secret](s, namespace, name)
}

// RegisterSources returns the RegisterSources in the set with their origin.
func (s *Set) RegisterSources() []Object {
	var out []Object
	for _, o := range s.Objects {
		if _, ok := o.Object.(*elevsynkv1.RegisterSource); ok {
			out = append(out, o)
		}
	}
	return out
}

// Named is an object of the set with a namespace and a name.
type Named interface {
	runtime.Object
	GetNamespace() string
	GetName() string
}

// Of returns the objects of type T in the set, in the order read.
func Of[T Named](s *Set) []T {
	var out []T
	for _, o := range s.Objects {
		if t, ok := o.Object.(T); ok {
			out = append(out, t)
		}
	}
	return out
}

// In returns the objects of type T in one namespace.
func In[T Named](s *Set, namespace string) []T {
	var out []T
	for _, t := range Of[T](s) {
		if t.GetNamespace() == namespace {
			out = append(out, t)
		}
	}
	return out
}

// Get returns the object of type T named namespace/name.
func Get[T Named](s *Set, namespace, name string) (T, bool) {
	for _, t := range Of[T](s) {
		if t.GetNamespace() == namespace && t.GetName() == name {
			return t, true
		}
	}
	var zero T
	return zero, false
}

package validate

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// readErrRE takes apart the errors manifests.Read returns for a document
// it cannot decode: "FILE: document N: MSG" or "FILE: document N (KIND NAME): MSG".
var readErrRE = regexp.MustCompile(`(?s)^(.*?): document (\d+)(?: \((\S+) (.*?)\))?: (.*)$`)

// mapKeyRE matches the YAML parser's dump of a map used as a key, as a
// {{ template }} left in a value makes: it prints the document's text,
// which in a Secret is its data.
var mapKeyRE = regexp.MustCompile(`(?s)invalid map key: .*`)

// readProblems turns the error manifests.Read returned for dir into
// problems, or false when it names no document (a directory that cannot be
// read). A document of an elevsynk kind that does not decode is checked raw
// against its CRD, as the API server would check it, so that the problems
// come with their field paths ("spec.interval", an unknown "spec.foo")
// rather than as a Go type error.
func (s *Schemas) readProblems(ctx context.Context, dir string, err error) ([]Problem, bool) {
	m := readErrRE.FindStringSubmatch(err.Error())
	if m == nil {
		return nil, false
	}
	doc, _ := strconv.Atoi(m[2])
	p := Problem{File: m[1], Doc: doc, Kind: m[3], Name: m[4], Message: mapKeyRE.ReplaceAllString(m[5], "invalid map key (is a {{ template }} left in a value?)")}
	if p.Kind == "" {
		p.Message = inFile(filepath.Join(dir, p.File), doc, p.Message)
		return []Problem{p}, true
	}
	docs := documents(filepath.Join(dir, p.File))
	if doc > len(docs) || docs[doc-1] == nil {
		return []Problem{p}, true
	}
	u := docs[doc-1]
	p.Namespace = u.GetNamespace()
	k, ok := s.kinds[u.GroupVersionKind()]
	if !ok {
		return []Problem{p}, true
	}
	unknown, errs := k.checkRaw(ctx, u.Object)
	var located []Problem
	for _, f := range unknown {
		q := p
		q.Field, q.Message = f, "unknown field: the CRD's schema has no such field"
		located = append(located, q)
	}
	for _, e := range errs {
		q := p
		q.Field, q.Message = describe(e)
		located = append(located, q)
	}
	if len(located) == 0 {
		return []Problem{p}, true
	}
	return located, true
}

// checkRaw is check for an object straight from YAML: first the fields
// the schema does not know (the API server's strict field validation finds
// them by pruning, and drops them before validating) and the metadata,
// then everything check looks at.
func (k *kindSchema) checkRaw(ctx context.Context, obj map[string]any) (unknown []string, errs field.ErrorList) {
	unknown = structuralpruning.PruneWithOptions(obj, k.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	var om metav1.ObjectMeta
	if raw, ok := obj["metadata"].(map[string]any); ok {
		if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(raw, &om, true); err != nil {
			errs = append(errs, field.Invalid(field.NewPath("metadata"), field.OmitValueType{}, err.Error()))
		} else {
			errs = append(errs, apimachineryvalidation.ValidateObjectMeta(&om, k.namespaced, apimachineryvalidation.NameIsDNSSubdomain, field.NewPath("metadata"))...)
		}
	}
	return unknown, append(errs, k.check(ctx, obj)...)
}

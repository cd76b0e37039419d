package validate

import (
	"context"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/manifests"
)

// coreKinds are the built-in kinds manifests reads, with the metadata rules
// the API server applies to them (k8s.io/kubernetes pkg/apis/core/validation:
// ValidateSecret uses ValidateSecretName, a DNS subdomain; ValidateNamespace
// uses ValidateNamespaceName, a DNS label, and no namespace).
var coreKinds = map[string]struct {
	namespaced bool
	name       apimachineryvalidation.ValidateNameFunc
}{
	"Secret":    {true, apimachineryvalidation.NameIsDNSSubdomain},
	"Namespace": {false, apimachineryvalidation.ValidateNamespaceName},
}

// checkObject validates one manifest on its own: metadata, and for
// elevsynk kinds the CRD's schema and CEL rules. Secrets' data is not
// looked at, so no value of theirs can reach a message.
func (s *Schemas) checkObject(ctx context.Context, o manifests.Object, raw asMap) []Problem {
	gvk := o.Object.GetObjectKind().GroupVersionKind()
	var errs field.ErrorList
	if gvk.Group == elevsynkv1.GroupVersion.Group {
		k, ok := s.kinds[gvk]
		if !ok {
			return []Problem{problemAt(o, "apiVersion", fmt.Sprintf("no CustomResourceDefinition serves %s", gvk.GroupVersion()))}
		}
		errs = metadata(o.Object, k.namespaced, apimachineryvalidation.NameIsDNSSubdomain)
		u, err := raw(o)
		if err != nil {
			return append(fieldProblems(o, errs), problemAt(o, "", err.Error()))
		}
		errs = append(errs, k.check(ctx, u)...)
	} else if core, ok := coreKinds[gvk.Kind]; ok {
		errs = metadata(o.Object, core.namespaced, core.name)
	}
	return fieldProblems(o, errs)
}

func metadata(obj runtime.Object, namespaced bool, name apimachineryvalidation.ValidateNameFunc) field.ErrorList {
	m, err := meta.Accessor(obj)
	if err != nil {
		return field.ErrorList{field.Invalid(field.NewPath("metadata"), nil, err.Error())}
	}
	return apimachineryvalidation.ValidateObjectMetaAccessor(m, namespaced, name, field.NewPath("metadata"))
}

// problemAt is a problem with field of manifest o.
func problemAt(o manifests.Object, field, msg string) Problem {
	m, _ := meta.Accessor(o.Object)
	p := Problem{File: o.File, Doc: o.Index + 1, Kind: o.Object.GetObjectKind().GroupVersionKind().Kind, Field: field, Message: msg}
	if m != nil {
		p.Namespace, p.Name = m.GetNamespace(), m.GetName()
	}
	return p
}

func fieldProblems(o manifests.Object, errs field.ErrorList) []Problem {
	out := make([]Problem, 0, len(errs))
	for _, e := range errs {
		f, msg := describe(e)
		out = append(out, problemAt(o, f, msg))
	}
	return out
}

// describe is e as a field path and a message without personal data.
// An error about the whole object has no path (the API server prints
// "<nil>") and no value ("null"), only its detail.
func describe(e *field.Error) (path, msg string) {
	redact(e)
	path = e.Field
	if path == "<nil>" {
		path = ""
	}
	if e.BadValue == nil && e.Type == field.ErrorTypeInvalid && e.Detail != "" {
		return path, e.Detail
	}
	return path, e.ErrorBody()
}

// personalField reports fields that hold account keys (often e-mail
// addresses) or an admin's address: a message about them says what is
// wrong, never the value.
func personalField(path string) bool {
	for _, f := range []string{".extraOwners", ".accountKeys", ".adminSubject"} {
		if strings.Contains(path, f) {
			return true
		}
	}
	return strings.HasPrefix(path, "spec.manual.") && (strings.Contains(path, ".members") || strings.Contains(path, ".owners"))
}

// redact drops the value from an error about personal data: a field that
// holds account keys, any address-like string, or a list (which may be a
// member list).
func redact(e *field.Error) {
	personal := personalField(e.Field)
	switch v := e.BadValue.(type) {
	case string:
		personal = personal || strings.Contains(v, "@")
	case []any:
		personal = true
	}
	if personal {
		e.BadValue = field.OmitValueType{}
	}
}

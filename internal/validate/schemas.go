package validate

import (
	"context"
	"fmt"
	"io/fs"
	"path"

	apiextensions "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	schemacel "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structurallisttype "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"
)

// Schemas are the CRDs' schemas, compiled once: building the CEL programs
// of every x-kubernetes-validations rule is the slow part of validating.
type Schemas struct {
	kinds map[schema.GroupVersionKind]*kindSchema
}

// kindSchema is one served version of one CRD, in the forms the API
// server's create path uses.
type kindSchema struct {
	namespaced bool
	structural *structuralschema.Structural
	validator  apiservervalidation.SchemaValidator
	cel        *schemacel.Validator // nil when the version has no rules
}

// LoadSchemas compiles every CustomResourceDefinition in the YAML files of
// fsys (such as crd.Bases).
func LoadSchemas(fsys fs.FS) (*Schemas, error) {
	s := &Schemas{kinds: map[schema.GroupVersionKind]*kindSchema{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(name) != ".yaml" {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		var crd apiextensionsv1.CustomResourceDefinition
		if err := yaml.UnmarshalStrict(data, &crd); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return s.add(&crd)
	})
	if err != nil {
		return nil, err
	}
	if len(s.kinds) == 0 {
		return nil, fmt.Errorf("no CustomResourceDefinition found")
	}
	return s, nil
}

// Default applies the CRD's defaults to obj, an unstructured object of
// kind gvk, as the API server does before it stores it; objects of kinds
// without a CRD here are left as they are. It fits manifests.WithDefaults.
func (s *Schemas) Default(gvk schema.GroupVersionKind, obj map[string]any) {
	if k, ok := s.kinds[gvk]; ok {
		structuraldefaulting.Default(obj, k.structural)
	}
}

func (s *Schemas) add(crd *apiextensionsv1.CustomResourceDefinition) error {
	for _, v := range crd.Spec.Versions {
		if !v.Served || v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
			continue
		}
		var internal apiextensions.JSONSchemaProps
		if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.Schema.OpenAPIV3Schema, &internal, nil); err != nil {
			return fmt.Errorf("%s %s: %w", crd.Name, v.Name, err)
		}
		structural, err := structuralschema.NewStructural(&internal)
		if err != nil {
			return fmt.Errorf("%s %s: %w", crd.Name, v.Name, err)
		}
		validator, _, err := apiservervalidation.NewSchemaValidator(&internal)
		if err != nil {
			return fmt.Errorf("%s %s: %w", crd.Name, v.Name, err)
		}
		gvk := schema.GroupVersionKind{Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind}
		s.kinds[gvk] = &kindSchema{
			namespaced: crd.Spec.Scope == apiextensionsv1.NamespaceScoped,
			structural: structural,
			validator:  validator,
			cel:        schemacel.NewValidator(structural, true, celconfig.PerCallLimit),
		}
	}
	return nil
}

// check validates obj, an unstructured custom resource, the way the API
// server's create path does (customresource strategy: PrepareForCreate,
// then the decoder's defaulting, then Validate): status dropped, defaults
// applied, the OpenAPI schema, list-type invariants, then the CEL rules
// unless an earlier error makes them meaningless. It changes obj.
// https://github.com/kubernetes/apiextensions-apiserver/blob/master/pkg/registry/customresource/strategy.go
func (k *kindSchema) check(ctx context.Context, obj map[string]any) field.ErrorList {
	// Every elevsynk CRD has a status subresource, and create cannot set status.
	delete(obj, "status")
	structuraldefaulting.Default(obj, k.structural)
	errs := apiservervalidation.ValidateCustomResource(nil, obj, k.validator)
	errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, k.structural, obj)...)
	if k.cel == nil {
		return errs
	}
	if blocking(errs) {
		return append(errs, field.Invalid(nil, nil, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"))
	}
	celErrs, _ := k.cel.Validate(ctx, nil, k.structural, obj, nil, celconfig.RuntimeCELCostBudget)
	return append(errs, celErrs...)
}

// blocking reports the error types after which the API server skips the
// CEL rules, since they would see values of the wrong type or size.
func blocking(errs field.ErrorList) bool {
	for _, e := range errs {
		switch e.Type {
		case field.ErrorTypeNotSupported, field.ErrorTypeRequired, field.ErrorTypeTooLong, field.ErrorTypeTooMany, field.ErrorTypeTypeInvalid:
			return true
		}
	}
	return false
}

package validate

import (
	"fmt"
	"reflect"

	"k8s.io/apimachinery/pkg/api/meta"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/mapping"
)

// index finds manifests by kind, namespace and name. The first of a
// duplicate wins, as the first applied would.
type index map[key]manifests.Object

type key struct{ kind, namespace, name string }

func newIndex(set *manifests.Set) index {
	ix := index{}
	for _, o := range set.Objects {
		k := keyOf(o)
		if _, dup := ix[k]; !dup {
			ix[k] = o
		}
	}
	return ix
}

func keyOf(o manifests.Object) key {
	k := key{kind: o.Object.GetObjectKind().GroupVersionKind().Kind}
	if m, err := meta.Accessor(o.Object); err == nil {
		k.namespace, k.name = m.GetNamespace(), m.GetName()
	}
	return k
}

// tenants checks that each namespace holding elevsynk objects has exactly
// one Tenant, as the controllers require (one namespace is one school
// organiser), and returns it by namespace.
func tenants(set *manifests.Set) (map[string]manifests.Object, []Problem) {
	first := map[string]manifests.Object{} // first elevsynk object per namespace
	var order []string
	byNS := map[string]manifests.Object{}
	var ps []Problem
	for _, o := range set.Objects {
		if o.Object.GetObjectKind().GroupVersionKind().Group != elevsynkv1.GroupVersion.Group {
			continue
		}
		ns := keyOf(o).namespace
		if _, seen := first[ns]; !seen {
			first[ns] = o
			order = append(order, ns)
		}
		if _, ok := o.Object.(*elevsynkv1.Tenant); !ok {
			continue
		}
		if have, dup := byNS[ns]; dup {
			ps = append(ps, problemAt(o, "", fmt.Sprintf("namespace %q already has Tenant %q (%s:%d); keep exactly one Tenant per namespace",
				ns, have.Object.(*elevsynkv1.Tenant).Name, have.File, have.Index+1)))
			continue
		}
		byNS[ns] = o
	}
	for _, ns := range order {
		if _, ok := byNS[ns]; !ok && ns != "" { // no namespace is reported by the metadata check
			ps = append(ps, problemAt(first[ns], "metadata.namespace",
				fmt.Sprintf("namespace %q has no Tenant among these manifests; each namespace with elevsynk objects needs exactly one", ns)))
		}
	}
	return byNS, ps
}

// references checks what a Mapping and a Target name: objects in the same
// namespace in the set. Missing Secrets are warnings, since Secrets are
// often kept out of git (sealed, or created by an operator).
func references(ix index, o manifests.Object) []Problem {
	ns := keyOf(o).namespace
	if ns == "" {
		return nil // the metadata check says the namespace is missing; what it holds is unknowable
	}
	var ps []Problem
	switch x := o.Object.(type) {
	case *elevsynkv1.Mapping:
		for i, ref := range x.Spec.SourceRefs {
			f := fmt.Sprintf("spec.sourceRefs[%d].name", i)
			so, ok := ix[key{"RegisterSource", ns, ref.Name}]
			if !ok {
				ps = append(ps, problemAt(o, f, fmt.Sprintf("no RegisterSource %q in namespace %q among these manifests", ref.Name, ns)))
				continue
			}
			src := so.Object.(*elevsynkv1.RegisterSource)
			check := mapping.CheckSupplement
			if i == 0 {
				check = mapping.CheckPrimary
			}
			if err := check(src); err != nil {
				ps = append(ps, problemAt(o, f, err.Error()))
			}
		}
	case *elevsynkv1.Target:
		if _, ok := ix[key{"Mapping", ns, x.Spec.MappingRef.Name}]; !ok {
			ps = append(ps, problemAt(o, "spec.mappingRef.name", fmt.Sprintf("no Mapping %q in namespace %q among these manifests", x.Spec.MappingRef.Name, ns)))
		}
	}
	if spec := reflect.ValueOf(o.Object).Elem().FieldByName("Spec"); spec.IsValid() && o.Object.GetObjectKind().GroupVersionKind().Group == elevsynkv1.GroupVersion.Group {
		for _, ref := range secretRefs(spec.Interface()) {
			if _, ok := ix[key{"Secret", ns, ref.Name}]; !ok {
				p := problemAt(o, ref.Path+".name", fmt.Sprintf("Secret %q is not among these manifests; fine if it reaches the cluster another way (sealed, or made by hand)", ref.Name))
				p.Warning = true
				ps = append(ps, p)
			}
		}
	}
	return ps
}

package validate

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/manifests"
)

// Dir reads the manifests in dir with manifests.Read and validates them.
// A document that cannot be read stops the reading, as it stops
// `kubectl apply`; it is then the one problem reported, located in its
// file. The error is for a directory that cannot be read at all.
func (s *Schemas) Dir(ctx context.Context, dir string, scheme *runtime.Scheme) (Report, error) {
	set, err := manifests.Read(dir, scheme)
	if err != nil {
		ps, ok := s.readProblems(ctx, dir, err)
		if !ok {
			return Report{}, err
		}
		sortProblems(ps)
		return Report{Problems: ps}, nil
	}
	ps, err := s.validate(ctx, set, asWritten(dir))
	return Report{Objects: len(set.Objects), Problems: ps}, err
}

// Validate checks every manifest of set on its own (metadata, and the
// CRD's schema and CEL rules for elevsynk kinds), then each Mapping's
// rules, then the references between them. Problems come errors first,
// in file order. The error is for a failure of the checks themselves.
//
// The schema checks see the typed objects converted back to maps, which
// lose explicit zero values; Dir, which has the files, checks the
// documents as written.
func (s *Schemas) Validate(ctx context.Context, set *manifests.Set) ([]Problem, error) {
	return s.validate(ctx, set, roundTrip)
}

func (s *Schemas) validate(ctx context.Context, set *manifests.Set, raw asMap) ([]Problem, error) {
	ix := newIndex(set)
	byNS, ps := tenants(set)
	for _, o := range set.Objects {
		own := s.checkObject(ctx, o, raw)
		ps = append(ps, own...)
		if _, ok := o.Object.(*elevsynkv1.Mapping); ok {
			var tenant *manifests.Object
			if t, ok := byNS[keyOf(o).namespace]; ok {
				tenant = &t
			}
			fields := make([]string, len(own))
			for i, p := range own {
				fields[i] = p.Field
			}
			rps, err := checkRules(o, tenant, fields)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", o.Where(), err)
			}
			ps = append(ps, rps...)
		}
		ps = append(ps, references(ix, o)...)
		ps = append(ps, endpoints(o)...)
	}
	ps = dedupe(ps)
	sortProblems(ps)
	return ps, nil
}

// dedupe drops repeats, such as one Tenant calendar problem found through
// each Mapping of the namespace.
func dedupe(ps []Problem) []Problem {
	seen := map[Problem]bool{}
	out := ps[:0]
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

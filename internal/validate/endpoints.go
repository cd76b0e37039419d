package validate

import (
	"errors"
	"fmt"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/endpoint"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/source"
)

// endpoints flags the URLs the controllers would refuse: plain http,
// unless the object is an annotated loopback sandbox. The checks are the
// controllers' own.
func endpoints(o manifests.Object) []Problem {
	var errs []error
	switch obj := o.Object.(type) {
	case *elevsynkv1.RegisterSource:
		errs = source.CheckEndpoints(obj)
	case *elevsynkv1.Target:
		errs = platform.CheckEndpoints(obj)
	}
	ps := make([]Problem, 0, len(errs))
	for _, err := range errs {
		var e *endpoint.Error
		if errors.As(err, &e) {
			ps = append(ps, problemAt(o, e.Field, fmt.Sprintf("%q: %s", e.URL, e.Reason)))
		}
	}
	return ps
}

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

// endpoints flags the URLs the controllers would refuse (plain http,
// unless the object is an annotated loopback sandbox) and the source
// settings the CRD cannot check (a column mapping, SFTP host keys). The
// checks are the controllers' own.
func endpoints(o manifests.Object) []Problem {
	var errs []error
	switch obj := o.Object.(type) {
	case *elevsynkv1.RegisterSource:
		errs = append(source.CheckEndpoints(obj), source.CheckSpec(obj)...)
	case *elevsynkv1.Target:
		errs = platform.CheckEndpoints(obj)
	}
	ps := make([]Problem, 0, len(errs))
	for _, err := range errs {
		var (
			e  *endpoint.Error
			se *source.InvalidSpecError
		)
		switch {
		case errors.As(err, &e):
			ps = append(ps, problemAt(o, e.Field, fmt.Sprintf("%q: %s", e.URL, e.Reason)))
		case errors.As(err, &se):
			ps = append(ps, problemAt(o, se.Field, se.Err.Error()))
		}
	}
	return ps
}

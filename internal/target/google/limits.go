package google

import (
	"golang.org/x/time/rate"

	"github.com/elevsynk/elevsynk/internal/target"
)

// limits are the client-side rate limiters of one Workspace domain.
// Google counts quota per project and per user, and every request of a
// domain's Targets is the one impersonated admin
// (https://developers.google.com/workspace/classroom/reference/limits), so
// Targets on one domain must share one budget rather than each take the
// full quota.
type limits struct {
	classroom, directory *rate.Limiter
}

func newLimits(opts Options) *limits {
	return &limits{classroom: rate.NewLimiter(opts.ClassroomQPS, opts.Burst),
		directory: rate.NewLimiter(opts.DirectoryQPS, opts.Burst)}
}

// domainLimits holds the limits of every domain a Target was made for,
// keyed by endpoint and domain: a sandbox is not the service's quota. The
// first Target of a domain sets the rates; Options are the operator's and
// the same for all its Targets.
var domainLimits target.PerKey[*limits]

func limitsOf(endpoint, domain string, opts Options) *limits {
	return domainLimits.Get(endpoint+" "+domain, func() *limits { return newLimits(opts) })
}

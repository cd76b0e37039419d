package google

import (
	"net/http"
	"sync"
	"time"

	admin "google.golang.org/api/admin/directory/v1"
	"google.golang.org/api/classroom/v1"

	"github.com/elevsynk/elevsynk/internal/target"
)

// Target keeps Classroom courses and Directory groups of one Workspace
// domain. It is safe for one Observe or Apply at a time.
type Target struct {
	cr       *classroom.Service
	dir      *admin.Service
	hc       *http.Client // the services' client, for batches
	domain   string
	customer string
	markers  Markers
	opts     Options
	stats    target.Counter

	mu sync.Mutex
	// courseKeys caches what the aliases of each listed course said, by
	// course id; aliasPass is when Observe last listed them, aliasOwed the
	// fraction of a course whose aliases are due to be read again.
	courseKeys map[string]courseAliases
	aliasPass  time.Time
	aliasOwed  float64
	rosters    rosters
}

var _ target.Target = (*Target)(nil)

// Stats counts the API traffic since the Target was made: every call
// attempted (each call in a batch, as Google's quota counts them), the
// ones that write, and the throttled requests.
func (t *Target) Stats() target.Stats { return t.stats.Load() }

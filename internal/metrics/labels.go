package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/mapping"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/target"
)

// other stands for a value outside a fixed set, so a value added to the
// code later is still counted, under a bounded label, and zeroed when gone.
const other = "Other"

// The fixed label value sets. Each ends in other.
var (
	driftReasons = []string{string(plan.Missing), string(plan.Renamed), string(plan.DescriptionChanged),
		string(plan.MissingMembers), string(plan.ExtraMembers), string(plan.MissingOwners), string(plan.ExtraOwners),
		string(plan.Archived), string(plan.Orphaned), string(plan.Duplicate), other}
	roomKinds = []string{string(elevsynkv1.RoomClassTeam), string(elevsynkv1.RoomTeam), string(elevsynkv1.RoomSecurityGroup),
		string(elevsynkv1.RoomMailGroup), string(elevsynkv1.RoomCourse), string(elevsynkv1.RoomGoogleGroup), other}
	excludedReasons = []string{mapping.ReasonSecurityMarking, mapping.ReasonPersonStatus, mapping.ReasonListed,
		mapping.ReasonNoAccountKey, other}
	ops = []string{string(target.OpCreate), string(target.OpRename), string(target.OpSetDescription),
		string(target.OpAddOwners), string(target.OpAddMembers), string(target.OpRemoveMembers),
		string(target.OpRemoveOwners), string(target.OpUnarchive), string(target.OpArchive), string(target.OpDelete), other}
)

// Room states, as the Inventory's JSON fields name them.
const (
	stateManaged  = "managed"
	stateInSync   = "inSync"
	stateDrifted  = "drifted"
	stateMissing  = "missing"
	stateOrphaned = "orphaned"
)

// Action results.
const (
	resultApplied = "applied"
	resultFailed  = "failed"
	resultSkipped = "skipped"
)

// within returns v if it is one of values, else other.
func within(values []string, v string) string {
	for _, x := range values {
		if x == v {
			return v
		}
	}
	return other
}

// setAll sets an object's gauge for every value of a fixed set, zero for
// the values counts lacks, so no series keeps a stale count.
func setAll(g *prometheus.GaugeVec, namespace, name string, values []string, counts map[string]int) {
	folded := make(map[string]int, len(values))
	for v, n := range counts {
		folded[within(values, v)] += n
	}
	for _, v := range values {
		g.WithLabelValues(namespace, name, v).Set(float64(folded[v]))
	}
}

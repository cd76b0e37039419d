package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
)

// Label names. Values come from the fixed sets in labels.go, from the
// namespace and name of an elevsynk object, or from a condition reason.
const (
	labelNamespace = "namespace"
	labelName      = "name"
	labelKind      = "kind"
	labelState     = "state"
	labelReason    = "reason"
	labelOp        = "op"
	labelResult    = "result"
)

// syncBuckets span a Target's quick no-op resync (well under a second) to a
// first provisioning of a large municipality (tens of minutes, bounded by
// the vendors' write quotas).
var syncBuckets = []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600}

// set is every elevsynk metric. std is the one the manager serves; tests
// make their own on a fresh registry.
type set struct {
	targetRooms     *prometheus.GaugeVec
	targetDrift     *prometheus.GaugeVec
	targetActions   *prometheus.CounterVec
	targetRequests  *prometheus.CounterVec
	targetWrites    *prometheus.CounterVec
	targetThrottled *prometheus.CounterVec
	guardTripped    *prometheus.GaugeVec

	sourceFetches     *prometheus.CounterVec
	sourceLastSuccess *prometheus.GaugeVec

	mappingRooms    *prometheus.GaugeVec
	mappingExcluded *prometheus.GaugeVec

	ready        *prometheus.GaugeVec
	stalled      *prometheus.GaugeVec
	syncDuration *prometheus.HistogramVec

	// byKind lists the vectors labelled by namespace and name that belong
	// to each kind, for Forget.
	byKind map[Kind][]*prometheus.MetricVec

	// stalledReason is the reason label each object's stalled series
	// carries now, so a new reason replaces the old series rather than
	// adding one.
	mu            sync.Mutex
	stalledReason map[object]string
}

// object names one elevsynk object.
type object struct {
	kind            Kind
	namespace, name string
}

var std = newSet(ctrlmetrics.Registry)

func newSet(reg prometheus.Registerer) *set {
	obj := []string{labelNamespace, labelName}
	gauge := func(name, help string, extra ...string) *prometheus.GaugeVec {
		return prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, append(obj, extra...))
	}
	counter := func(name, help string, extra ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, append(obj, extra...))
	}
	s := &set{
		targetRooms: gauge("elevsynk_target_rooms",
			"Rooms of a Target by state at its last sync (managed is inSync plus drifted; do not sum over state).", labelState),
		targetDrift: gauge("elevsynk_target_drifted_rooms",
			"Rooms of a Target that differ from the desired state, by reason; a room with two reasons counts under both.", labelReason),
		targetActions: counter("elevsynk_target_actions_total",
			"Plan actions a Target applied, by op and result (applied, failed, skipped).", labelOp, labelResult),
		targetRequests: counter("elevsynk_target_api_requests_total",
			"HTTP requests a Target sent to its vendor's API."),
		targetWrites: counter("elevsynk_target_api_writes_total",
			"HTTP requests a Target sent that change state in the vendor's API."),
		targetThrottled: counter("elevsynk_target_api_throttled_total",
			"Throttled responses (429, or 503 with Retry-After) a Target received."),
		guardTripped: gauge("elevsynk_target_deletion_guard_tripped",
			"1 while a Target's last plan was held back by the deletion guard, else 0."),
		sourceFetches: counter("elevsynk_source_fetches_total",
			"Register fetches of a RegisterSource, by result (success, failed, refused by the shrink or empty guard).", labelResult),
		sourceLastSuccess: gauge("elevsynk_source_last_success_timestamp_seconds",
			"Unix time of a RegisterSource's last good snapshot."),
		mappingRooms: gauge("elevsynk_mapping_desired_rooms",
			"Rooms a Mapping desires, by room kind.", labelKind),
		mappingExcluded: gauge("elevsynk_mapping_excluded_people",
			"People a Mapping leaves out of every room, by reason.", labelReason),
		ready: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "elevsynk_ready",
			Help: "1 when an elevsynk object's Ready condition is True, else 0."},
			[]string{labelKind, labelNamespace, labelName}),
		stalled: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "elevsynk_stalled",
			Help: "1 while an elevsynk object is Stalled, with the condition's reason; 0 with an empty reason otherwise."},
			[]string{labelKind, labelNamespace, labelName, labelReason}),
		syncDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "elevsynk_sync_duration_seconds",
			Help: "Time one reconcile that did its work (fetch, evaluate, observe-plan-apply) took, by kind.", Buckets: syncBuckets},
			[]string{labelKind}),
		stalledReason: map[object]string{},
	}
	s.byKind = map[Kind][]*prometheus.MetricVec{
		KindTarget: {s.targetRooms.MetricVec, s.targetDrift.MetricVec, s.targetActions.MetricVec,
			s.targetRequests.MetricVec, s.targetWrites.MetricVec, s.targetThrottled.MetricVec, s.guardTripped.MetricVec},
		KindRegisterSource: {s.sourceFetches.MetricVec, s.sourceLastSuccess.MetricVec},
		KindMapping:        {s.mappingRooms.MetricVec, s.mappingExcluded.MetricVec},
	}
	reg.MustRegister(s.targetRooms, s.targetDrift, s.targetActions, s.targetRequests, s.targetWrites, s.targetThrottled,
		s.guardTripped, s.sourceFetches, s.sourceLastSuccess, s.mappingRooms, s.mappingExcluded,
		s.ready, s.stalled, s.syncDuration)
	return s
}

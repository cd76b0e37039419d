package metrics

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// FetchResult is how one register fetch ended; its values are the result
// label's fixed set.
type FetchResult string

const (
	// FetchSuccess: a snapshot was fetched and stored (a manual source
	// counts as fetched each interval).
	FetchSuccess FetchResult = "success"
	// FetchFailed: the register could not be read (network, auth, a bad
	// reply, a missing Secret).
	FetchFailed FetchResult = "failed"
	// FetchRefused: the register was read but the shrink or empty guard
	// refused it; the last good snapshot stays in use.
	FetchRefused FetchResult = "refused"
)

var fetchResults = []FetchResult{FetchSuccess, FetchFailed, FetchRefused}

// SourceFetched counts one fetch of a RegisterSource and records its last
// success, status.lastSuccessTime (nil if it never succeeded). Passing the
// status on every result, not only on success, restores the timestamp after
// a manager restart even while the source keeps failing, so the stale
// source alert still fires.
//
// Call it in the RegisterSource reconcile: FetchSuccess after the snapshot
// is stored and lastSuccessTime set (and in the manual-source branch),
// FetchRefused where the guard stalls, FetchFailed where fetchError is
// returned for source.New or Fetch.
func SourceFetched(namespace, name string, result FetchResult, lastSuccess *metav1.Time) {
	// Every result is added to, zero included, so each series exists from
	// the first fetch and increase() sees its first step.
	for _, r := range fetchResults {
		std.sourceFetches.WithLabelValues(namespace, name, string(r)).Add(bit(r == result))
	}
	if lastSuccess != nil {
		std.sourceLastSuccess.WithLabelValues(namespace, name).Set(float64(lastSuccess.Unix()))
	}
}

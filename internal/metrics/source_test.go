package metrics

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestSourceFetched(t *testing.T) {
	_, reg := fresh(t)
	at := func(unix int64) *metav1.Time { return &metav1.Time{Time: time.Unix(unix, 0)} }
	tests := []struct {
		name        string
		result      FetchResult
		lastSuccess *metav1.Time
		wantFetches map[string]float64
		wantLast    map[string]float64
	}{
		{
			name: "a failure before any success leaves no timestamp", result: FetchFailed,
			wantFetches: map[string]float64{"success": 0, "failed": 1, "refused": 0},
			wantLast:    map[string]float64{},
		},
		{
			name: "success", result: FetchSuccess, lastSuccess: at(1000),
			wantFetches: map[string]float64{"success": 1, "failed": 1, "refused": 0},
			wantLast:    map[string]float64{"name=s,namespace=ns": 1000},
		},
		{
			name: "refused keeps the last success", result: FetchRefused, lastSuccess: at(1000),
			wantFetches: map[string]float64{"success": 1, "failed": 1, "refused": 1},
			wantLast:    map[string]float64{"name=s,namespace=ns": 1000},
		},
		{
			name: "after a restart, a failure restores the timestamp from status", result: FetchFailed, lastSuccess: at(900),
			wantFetches: map[string]float64{"success": 1, "failed": 2, "refused": 1},
			wantLast:    map[string]float64{"name=s,namespace=ns": 900},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			SourceFetched("ns", "s", tt.result, tt.lastSuccess)
			if diff := cmp.Diff(full(tt.wantFetches, "name=s,namespace=ns,result=", []string{"success", "failed", "refused"}),
				series(t, reg, "elevsynk_source_fetches_total")); diff != "" {
				t.Errorf("fetches (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantLast, series(t, reg, "elevsynk_source_last_success_timestamp_seconds")); diff != "" {
				t.Errorf("last success (-want +got):\n%s", diff)
			}
		})
	}
}

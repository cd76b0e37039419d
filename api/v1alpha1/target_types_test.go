package v1alpha1

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestRecheckPasses(t *testing.T) {
	d := func(x time.Duration) *metav1.Duration { return &metav1.Duration{Duration: x} }
	google := func(recheck *metav1.Duration) *GoogleTarget { return &GoogleTarget{RosterRecheck: recheck} }
	tests := []struct {
		name string
		spec TargetSpec
		want int
	}{
		{"defaults: 6h of 10m", TargetSpec{Google: google(nil)}, 36},
		{"15m interval", TargetSpec{Interval: d(15 * time.Minute), Google: google(nil)}, 24},
		{"not a whole number of intervals rounds up", TargetSpec{Interval: d(25 * time.Minute), Google: google(d(time.Hour))}, 3},
		{"0s reads every room every sync", TargetSpec{Google: google(d(0))}, 1},
		{"interval longer than the recheck", TargetSpec{Interval: d(2 * time.Hour), Google: google(d(time.Hour))}, 1},
	}
	for _, tc := range tests {
		if got := tc.spec.RecheckPasses(); got != tc.want {
			t.Errorf("%s: RecheckPasses() = %d, want %d", tc.name, got, tc.want)
		}
	}
}

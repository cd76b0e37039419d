package metrics

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		obj  any
		want Kind
	}{
		{&elevsynkv1.Tenant{}, KindTenant},
		{&elevsynkv1.RegisterSource{}, KindRegisterSource},
		{&elevsynkv1.Mapping{}, KindMapping},
		{&elevsynkv1.Target{}, KindTarget},
		{elevsynkv1.Target{}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := KindOf(tt.obj); got != tt.want {
			t.Errorf("KindOf(%T) = %q, want %q", tt.obj, got, tt.want)
		}
	}
}

func TestOutcome(t *testing.T) {
	_, reg := fresh(t)
	type outcome struct {
		ready, stalled bool
		reason         string
	}
	tests := []struct {
		name                   string
		outcome                outcome
		wantReady, wantStalled map[string]float64
	}{
		{
			name:        "ready",
			outcome:     outcome{ready: true, reason: "Fetched"},
			wantReady:   map[string]float64{"kind=RegisterSource,name=s,namespace=ns": 1},
			wantStalled: map[string]float64{"kind=RegisterSource,name=s,namespace=ns,reason=": 0},
		},
		{
			name:        "stalled carries its reason",
			outcome:     outcome{stalled: true, reason: "RegisterShrank"},
			wantReady:   map[string]float64{"kind=RegisterSource,name=s,namespace=ns": 0},
			wantStalled: map[string]float64{"kind=RegisterSource,name=s,namespace=ns,reason=RegisterShrank": 1},
		},
		{
			name:        "a new reason replaces the old series",
			outcome:     outcome{stalled: true, reason: "AuthenticationFailed"},
			wantReady:   map[string]float64{"kind=RegisterSource,name=s,namespace=ns": 0},
			wantStalled: map[string]float64{"kind=RegisterSource,name=s,namespace=ns,reason=AuthenticationFailed": 1},
		},
		{
			name:        "waiting, not stalled",
			outcome:     outcome{reason: "FetchFailed"},
			wantReady:   map[string]float64{"kind=RegisterSource,name=s,namespace=ns": 0},
			wantStalled: map[string]float64{"kind=RegisterSource,name=s,namespace=ns,reason=": 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Outcome(KindRegisterSource, "ns", "s", tt.outcome.ready, tt.outcome.stalled, tt.outcome.reason)
			if diff := cmp.Diff(tt.wantReady, series(t, reg, "elevsynk_ready")); diff != "" {
				t.Errorf("ready (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantStalled, series(t, reg, "elevsynk_stalled")); diff != "" {
				t.Errorf("stalled (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSyncDuration(t *testing.T) {
	_, reg := fresh(t)
	SyncDuration(KindTarget, 1500*time.Millisecond)
	SyncDuration(KindTarget, 2*time.Hour)
	SyncDuration(KindMapping, 50*time.Millisecond)
	type hist struct {
		Count           uint64
		Sum             float64
		First, Last     float64 // bucket bounds
		InFirst, InLast uint64  // cumulative counts at those bounds
	}
	got := map[string]hist{}
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != "elevsynk_sync_duration_seconds" {
			continue
		}
		for _, m := range f.GetMetric() {
			h := m.GetHistogram()
			b := h.GetBucket()
			got[labelString(m)] = hist{h.GetSampleCount(), h.GetSampleSum(),
				b[0].GetUpperBound(), b[len(b)-1].GetUpperBound(), b[0].GetCumulativeCount(), b[len(b)-1].GetCumulativeCount()}
		}
	}
	want := map[string]hist{
		// Two hours is past the last bucket: only +Inf and the sum hold it.
		"kind=Target":  {Count: 2, Sum: 7201.5, First: 0.1, Last: 3600, InFirst: 0, InLast: 1},
		"kind=Mapping": {Count: 1, Sum: 0.05, First: 0.1, Last: 3600, InFirst: 1, InLast: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("histograms (-want +got):\n%s", diff)
	}
}

package metrics

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

func TestObserveMapping(t *testing.T) {
	_, reg := fresh(t)
	tests := []struct {
		name                   string
		rooms                  []elevsynkv1.KindCount
		excluded               []elevsynkv1.ReasonCount
		wantRooms, wantExclude map[string]float64 // non-zero series only
	}{
		{
			name:        "rooms by kind, people by reason",
			rooms:       []elevsynkv1.KindCount{{Kind: elevsynkv1.RoomClassTeam, Count: 120}, {Kind: elevsynkv1.RoomTeam, Count: 40}},
			excluded:    []elevsynkv1.ReasonCount{{Reason: "SecurityMarking", Count: 3}, {Reason: "NoAccountKey", Count: 7}},
			wantRooms:   map[string]float64{"ClassTeam": 120, "Team": 40},
			wantExclude: map[string]float64{"SecurityMarking": 3, "NoAccountKey": 7},
		},
		{
			name:        "kinds and reasons gone since fall to zero",
			rooms:       []elevsynkv1.KindCount{{Kind: elevsynkv1.RoomCourse, Count: 5}},
			wantRooms:   map[string]float64{"Course": 5},
			wantExclude: map[string]float64{},
		},
		{
			name:        "values outside the fixed sets count under Other",
			rooms:       []elevsynkv1.KindCount{{Kind: "Channel", Count: 2}, {Kind: "Board", Count: 1}},
			excluded:    []elevsynkv1.ReasonCount{{Reason: "Moved", Count: 4}},
			wantRooms:   map[string]float64{"Other": 3},
			wantExclude: map[string]float64{"Other": 4},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ObserveMapping("ns", "m", tt.rooms, tt.excluded)
			if diff := cmp.Diff(full(tt.wantRooms, "kind=", roomKinds), trimObject(series(t, reg, "elevsynk_mapping_desired_rooms"))); diff != "" {
				t.Errorf("desired rooms (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(full(tt.wantExclude, "reason=", excludedReasons), trimObject(series(t, reg, "elevsynk_mapping_excluded_people"))); diff != "" {
				t.Errorf("excluded people (-want +got):\n%s", diff)
			}
		})
	}
}

// trimObject drops the object's labels from the keys of series of ns/m,
// leaving "kind=..." or "reason=..." (labels sort by name).
func trimObject(in map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range in {
		k = strings.TrimSuffix(k, ",name=m,namespace=ns")
		out[strings.TrimPrefix(k, "name=m,namespace=ns,")] = v
	}
	return out
}

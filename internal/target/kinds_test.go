package target

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
)

func TestFit(t *testing.T) {
	in := desired.State{Rooms: []desired.Room{
		{Key: "a", Kind: elevsynkv1.RoomClassTeam}, {Key: "b", Kind: elevsynkv1.RoomTeam},
		{Key: "c", Kind: elevsynkv1.RoomSecurityGroup}, {Key: "d", Kind: elevsynkv1.RoomCourse},
		{Key: "e", Kind: elevsynkv1.RoomGoogleGroup}, {Key: "f", Kind: elevsynkv1.RoomMailGroup},
	}}
	tests := []struct {
		platform Platform
		kinds    map[string]elevsynkv1.RoomKind
		skipped  map[elevsynkv1.RoomKind]int
	}{
		{Microsoft365, map[string]elevsynkv1.RoomKind{"a": "ClassTeam", "b": "Team", "c": "SecurityGroup", "d": "ClassTeam", "e": "MailGroup", "f": "MailGroup"}, nil},
		{Google, map[string]elevsynkv1.RoomKind{"a": "Course", "b": "GoogleGroup", "d": "Course", "e": "GoogleGroup", "f": "MailGroup"},
			map[elevsynkv1.RoomKind]int{elevsynkv1.RoomSecurityGroup: 1}},
		{File, map[string]elevsynkv1.RoomKind{"a": "ClassTeam", "b": "Team", "c": "SecurityGroup", "d": "Course", "e": "GoogleGroup", "f": "MailGroup"}, nil},
		{SchoolDataSync, map[string]elevsynkv1.RoomKind{"a": "ClassTeam", "d": "ClassTeam"},
			map[elevsynkv1.RoomKind]int{elevsynkv1.RoomTeam: 1, elevsynkv1.RoomSecurityGroup: 1, elevsynkv1.RoomGoogleGroup: 1, elevsynkv1.RoomMailGroup: 1}},
	}
	for _, tt := range tests {
		t.Run(string(tt.platform), func(t *testing.T) {
			out, skipped := Fit(in, tt.platform)
			got := map[string]elevsynkv1.RoomKind{}
			for _, r := range out.Rooms {
				got[r.Key] = r.Kind
			}
			if d := cmp.Diff(tt.kinds, got); d != "" {
				t.Errorf("kinds (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.skipped, skipped); d != "" {
				t.Errorf("skipped (-want +got):\n%s", d)
			}
			if in.Rooms[0].Kind != elevsynkv1.RoomClassTeam {
				t.Error("Fit changed its input")
			}
		})
	}
}

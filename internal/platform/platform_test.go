package platform

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
)

func TestPrepare(t *testing.T) {
	end := roster.MustParseDate("2027-06-11")
	d := desired.State{Rooms: []desired.Room{
		{Key: "a", Kind: elevsynkv1.RoomClassTeam, Name: "A", Owners: []string{"t@x"}, Lifetime: desired.Lifetime{End: end, ArchiveAfter: end.AddDays(14)}},
		{Key: "b", Kind: elevsynkv1.RoomClassTeam, Name: "B"}, // no teacher
		{Key: "c", Kind: elevsynkv1.RoomSecurityGroup, Name: "C", MailNickname: "c"},
	}}
	have := []target.Room{{Key: "b", Kind: elevsynkv1.RoomCourse, ID: "1"}, {Key: "z", Kind: elevsynkv1.RoomCourse, ID: "2"}}
	google := &elevsynkv1.TargetSpec{Google: &elevsynkv1.GoogleTarget{Domain: "x.se"}, Policy: elevsynkv1.Policy{ArchiveAfterDays: 30}}

	p := Prepare(d, have, google)
	if got := keys(p.Want.Rooms); !cmp.Equal(got, []string{"a"}) {
		t.Errorf("want rooms %v: the class team without a teacher and the security group have no place on Google", got)
	}
	if p.Want.Rooms[0].Kind != elevsynkv1.RoomCourse || p.Want.Rooms[0].Lifetime.ArchiveAfter != end.AddDays(30) {
		t.Errorf("room %+v: want a Course archived 30 days after its end", p.Want.Rooms[0])
	}
	// The refused room's course is left alone, not orphaned; others stay.
	if len(p.Have) != 1 || p.Have[0].Key != "z" {
		t.Errorf("observed rooms %+v: want only z", p.Have)
	}
	notes := p.Notes(Of(google))
	for _, want := range []string{"1 SecurityGroup rooms have no counterpart on google", "1 rooms the target cannot hold", "Course b"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q do not say %q", notes, want)
		}
	}

	m365 := &elevsynkv1.TargetSpec{Microsoft365: &elevsynkv1.Microsoft365Target{}}
	p = Prepare(d, nil, m365)
	if got := keys(p.Want.Rooms); !cmp.Equal(got, []string{"a", "c"}) || p.Refused != 1 || p.Notes(Of(m365)) == "" {
		t.Errorf("Microsoft 365: rooms %v, refused %d: a team without an owner is refused", got, p.Refused)
	}
	if d.Rooms[0].Kind != elevsynkv1.RoomClassTeam || d.Rooms[0].Lifetime.ArchiveAfter != end.AddDays(14) {
		t.Error("Prepare changed its input")
	}
}

func keys(rooms []desired.Room) []string {
	out := make([]string, len(rooms))
	for i, r := range rooms {
		out[i] = r.Key
	}
	return out
}

package desired

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

func sample() State {
	return State{Rooms: []Room{
		{Key: "b:group:2", Kind: elevsynkv1.RoomTeam, Rule: "b", Name: "Klass 7A", Owners: []string{"m@x"}, Members: []string{"p1@x", "p2@x"}},
		{Key: "a:activity:1", Kind: elevsynkv1.RoomClassTeam, Rule: "a", Name: "MA 7A",
			Owners: []string{"t@x"}, Members: []string{"p1@x"},
			Lifetime: Lifetime{Start: roster.MustParseDate("2026-08-17"), End: roster.MustParseDate("2027-06-11"), ArchiveAfter: roster.MustParseDate("2027-06-25")}},
		{Key: "a:group:2", Kind: elevsynkv1.RoomTeam, Rule: "a", Name: "x", Owners: []string{}, Members: []string{}},
	}}
}

func TestMarshalJSONIsCanonical(t *testing.T) {
	s := sample()
	rev := State{Rooms: []Room{s.Rooms[2], s.Rooms[1], s.Rooms[0]}}
	a, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rev)
	if string(a) != string(b) {
		t.Errorf("order changed JSON:\n%s\n%s", a, b)
	}
	if s.Rooms[0].Key != "b:group:2" {
		t.Error("MarshalJSON reordered its receiver")
	}
	// ClassTeam sorts before Team; within Team, a: before b:.
	var back struct{ Rooms []Room }
	if err := json.Unmarshal(a, &back); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range back.Rooms {
		keys = append(keys, r.Key)
	}
	if diff := cmp.Diff([]string{"a:activity:1", "a:group:2", "b:group:2"}, keys); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(a), `"archiveAfter":"2027-06-25"`) {
		t.Errorf("lifetime not serialised: %s", a)
	}
	if s.Hash() != rev.Hash() {
		t.Error("Hash depends on slice order")
	}
}

func TestHashChanges(t *testing.T) {
	base := sample().Hash()
	tests := []struct {
		name   string
		mutate func(*State)
	}{
		{"rename", func(s *State) { s.Rooms[0].Name = "Klass 7B" }},
		{"member added", func(s *State) { s.Rooms[0].Members = append(s.Rooms[0].Members, "p3@x") }},
		{"owner becomes member", func(s *State) { s.Rooms[1].Owners, s.Rooms[1].Members = nil, []string{"p1@x", "t@x"} }},
		{"end date", func(s *State) { s.Rooms[1].Lifetime.End = roster.MustParseDate("2027-06-12") }},
		{"kind", func(s *State) { s.Rooms[2].Kind = elevsynkv1.RoomMailGroup }},
		{"room removed", func(s *State) { s.Rooms = s.Rooms[:2] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sample()
			tt.mutate(&s)
			if s.Hash() == base {
				t.Error("hash did not change")
			}
		})
	}
}

func TestCountsAndMemberships(t *testing.T) {
	s := sample()
	want := []elevsynkv1.KindCount{{Kind: elevsynkv1.RoomClassTeam, Count: 1}, {Kind: elevsynkv1.RoomTeam, Count: 2}}
	if diff := cmp.Diff(want, s.Counts()); diff != "" {
		t.Errorf("Counts (-want +got):\n%s", diff)
	}
	if got := s.Memberships(); got != 5 {
		t.Errorf("Memberships = %d, want 5", got)
	}
	if got := (State{}).Memberships(); got != 0 {
		t.Errorf("empty Memberships = %d", got)
	}
	b, _ := json.Marshal(State{})
	if string(b) != `{"rooms":[]}` {
		t.Errorf("empty state JSON = %s", b)
	}
}

func TestSetPeople(t *testing.T) {
	tests := []struct {
		name                 string
		owners, members      []string
		wantOwners, wantMems []string
	}{
		{"sorted and deduplicated", []string{"b", "a", "b"}, []string{"d", "c", "d"}, []string{"a", "b"}, []string{"c", "d"}},
		{"owner not also member", []string{"t"}, []string{"p", "t", "a"}, []string{"t"}, []string{"a", "p"}},
		{"all members are owners", []string{"a", "b"}, []string{"b", "a"}, []string{"a", "b"}, []string{}},
		{"nil stays empty list", nil, nil, []string{}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Room
			r.SetPeople(tt.owners, tt.members)
			if diff := cmp.Diff(tt.wantOwners, r.Owners); diff != "" {
				t.Errorf("owners (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantMems, r.Members); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNeedsMailNicknameAndDuplicates(t *testing.T) {
	for k, want := range map[elevsynkv1.RoomKind]bool{
		elevsynkv1.RoomTeam: true, elevsynkv1.RoomMailGroup: true, elevsynkv1.RoomGoogleGroup: true,
		elevsynkv1.RoomSecurityGroup: true, elevsynkv1.RoomClassTeam: false, elevsynkv1.RoomCourse: false,
	} {
		if got := NeedsMailNickname(k); got != want {
			t.Errorf("NeedsMailNickname(%s) = %v", k, got)
		}
	}
	s := sample()
	s.Rooms = append(s.Rooms, s.Rooms[0])
	if diff := cmp.Diff([]string{"b:group:2"}, s.DuplicateKeys()); diff != "" {
		t.Errorf("DuplicateKeys (-want +got):\n%s", diff)
	}
}

// Sort gives what a stable sort of the rooms gives, for any order of
// rooms, repeated keys among them.
func TestSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []elevsynkv1.RoomKind{elevsynkv1.RoomTeam, elevsynkv1.RoomClassTeam, elevsynkv1.RoomSecurityGroup}
	for n := range 40 {
		var s State
		for i := range n {
			s.Rooms = append(s.Rooms, Room{Kind: kinds[rng.IntN(len(kinds))],
				Key: fmt.Sprint("r:group:", rng.IntN(n/2+1)), Name: fmt.Sprint(i)})
		}
		want := slices.Clone(s.Rooms)
		slices.SortStableFunc(want, func(a, b Room) int { return Compare(&a, &b) })
		s.Sort()
		if diff := cmp.Diff(want, s.Rooms); diff != "" {
			t.Fatalf("%d rooms (-stable sort +Sort):\n%s", n, diff)
		}
	}
}

package target

import "testing"

func TestSameRooms(t *testing.T) {
	base := Room{Key: "a1", Kind: "Team", ID: "g1", Name: "7A", Description: "d", MailNickname: "n",
		Owners: []string{"l@x"}, Members: []string{"p@x", "q@x"}}
	with := func(f func(*Room)) []Room {
		rs := CloneRooms([]Room{base})
		f(&rs[0])
		return rs
	}
	tests := []struct {
		name  string
		rooms []Room
		same  bool
	}{
		{"a copy", with(func(*Room) {}), true},
		{"spelt anew", with(func(r *Room) { r.Members = []string{"p@" + "x", "q@x"} }), true},
		{"key", with(func(r *Room) { r.Key = "a2" }), false},
		{"kind", with(func(r *Room) { r.Kind = "Group" }), false},
		{"id", with(func(r *Room) { r.ID = "g2" }), false},
		{"renamed", with(func(r *Room) { r.Name = "7B" }), false},
		{"description", with(func(r *Room) { r.Description = "" }), false},
		{"nickname", with(func(r *Room) { r.MailNickname = "m" }), false},
		{"archived", with(func(r *Room) { r.Archived = true }), false},
		{"member left", with(func(r *Room) { r.Members = r.Members[:1] }), false},
		{"member became owner", with(func(r *Room) { r.Owners, r.Members = []string{"l@x", "p@x"}, []string{"q@x"} }), false},
		{"another member", with(func(r *Room) { r.Members[1] = "r@x" }), false},
		{"the same lists", []Room{base}, true},
		{"the same lists renamed", []Room{with(func(r *Room) { r.Owners, r.Members = base.Owners, base.Members; r.Name = "7B" })[0]}, false},
		{"a shorter view of the same list", []Room{with(func(r *Room) { r.Members = base.Members[:1] })[0]}, false},
		{"no rooms", nil, false},
		{"a room more", append(with(func(*Room) {}), base), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SameRooms([]Room{base}, tt.rooms); got != tt.same {
				t.Errorf("SameRooms = %v, want %v", got, tt.same)
			}
		})
	}
	// What an adapter hands out again is the same without a look inside.
	if rooms := []Room{base}; !SameRooms(rooms, rooms) {
		t.Error("a list of rooms is not the same as itself")
	}
}

// A clone shares no list with its original: changing one leaves the other.
func TestCloneRooms(t *testing.T) {
	orig := []Room{{Key: "a", Owners: []string{"o@x"}, Members: []string{"m@x"}}}
	c := CloneRooms(orig)
	c[0].Owners[0], c[0].Members[0], c[0].Name = "x@x", "y@x", "renamed"
	if orig[0].Owners[0] != "o@x" || orig[0].Members[0] != "m@x" || orig[0].Name != "" {
		t.Errorf("original changed with its clone: %+v", orig[0])
	}
}

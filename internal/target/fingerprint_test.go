package target

import "testing"

func TestFingerprint(t *testing.T) {
	base := Room{Key: "a1", Kind: "Team", ID: "g1", Name: "7A", Owners: []string{"l@x"}, Members: []string{"p@x", "q@x"}}
	with := func(f func(*Room)) []Room {
		r := base
		r.Owners, r.Members = append([]string(nil), base.Owners...), append([]string(nil), base.Members...)
		f(&r)
		return []Room{r}
	}
	same := Fingerprint([]Room{base})
	tests := []struct {
		name  string
		rooms []Room
		equal bool
	}{
		{"same rooms", with(func(*Room) {}), true},
		{"renamed", with(func(r *Room) { r.Name = "7B" }), false},
		{"member left", with(func(r *Room) { r.Members = r.Members[:1] }), false},
		{"member became owner", with(func(r *Room) { r.Owners, r.Members = []string{"l@x", "p@x"}, []string{"q@x"} }), false},
		{"archived", with(func(r *Room) { r.Archived = true }), false},
		{"no rooms", nil, false},
		{"fields run together", []Room{{Key: "a", Name: "1" + base.Name}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fingerprint(tt.rooms) == same; got != tt.equal {
				t.Errorf("same fingerprint = %v, want %v", got, tt.equal)
			}
		})
	}
}

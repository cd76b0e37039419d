package target

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

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

// The buffered hash is the hash of the plain stream, across the buffer's
// edge and for a string longer than the buffer.
func TestFingerprintBuffering(t *testing.T) {
	var rooms []Room
	for i := range 3000 {
		r := Room{Key: fmt.Sprintf("k%d", i), Kind: "Team", Name: strings.Repeat("n", i%7), Owners: []string{"o@x"}}
		for j := range i % 40 {
			r.Members = append(r.Members, fmt.Sprintf("m%d@x", j))
		}
		rooms = append(rooms, r)
	}
	rooms[1500].Description = strings.Repeat("d", 100<<10)
	h := sha256.New()
	put := func(s string) { fmt.Fprintf(h, "%d:%s", len(s), s) }
	for _, r := range rooms {
		for _, s := range []string{r.Key, string(r.Kind), r.ID, r.Name, r.Description, r.MailNickname} {
			put(s)
		}
		for _, l := range [][]string{r.Owners, r.Members} {
			fmt.Fprintf(h, "%d[", len(l))
			for _, s := range l {
				put(s)
			}
		}
		put(strconv.FormatBool(r.Archived))
	}
	if got, want := Fingerprint(rooms), "sha256:"+hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("Fingerprint = %s, want %s", got, want)
	}
}

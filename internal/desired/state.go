package desired

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"slices"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// State is every room a Mapping wants on one day.
type State struct {
	Rooms []Room `json:"rooms"`
}

// Room is one desired collaboration space.
type Room struct {
	// Key is stable register identity, "<rule>:activity:<id>",
	// "<rule>:group:<id>", "<rule>:school:<schoolUnitCode>" and so on; never
	// derived from a display name, so a rename in the register renames the
	// room instead of replacing it.
	Key  string              `json:"key"`
	Kind elevsynkv1.RoomKind `json:"kind"`
	Rule string              `json:"rule"`

	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// MailNickname is set for the kinds that have an address (NeedsMailNickname).
	MailNickname string `json:"mailNickname,omitempty"`
	// Template is the Teams template a Team is created with; "" is standard.
	Template string `json:"template,omitempty"`

	// Owners and Members are account keys, sorted and without duplicates;
	// an owner is never also listed as a member.
	Owners  []string `json:"owners"`
	Members []string `json:"members"`

	Lifetime Lifetime `json:"lifetime,omitzero"`

	// School is the display name of the school unit the room's object
	// belongs to, "" for the organiser's and manual rooms. It is for
	// reports: no target holds it, so it is not part of Hash.
	School string `json:"school,omitempty"`
}

// Lifetime is the register's period of the room's object. ArchiveAfter is
// End plus the archive grace days; zero End (open-ended) leaves it zero.
type Lifetime struct {
	Start        roster.Date `json:"start,omitzero"`
	End          roster.Date `json:"end,omitzero"`
	ArchiveAfter roster.Date `json:"archiveAfter,omitzero"`
}

// NeedsMailNickname reports whether rooms of kind k have a mail address
// whose local part the target must be given.
func NeedsMailNickname(k elevsynkv1.RoomKind) bool {
	switch k {
	case elevsynkv1.RoomTeam, elevsynkv1.RoomMailGroup, elevsynkv1.RoomGoogleGroup, elevsynkv1.RoomSecurityGroup:
		return true
	}
	return false
}

// Compare orders rooms by kind, then key: the canonical order of a State.
func Compare(a, b *Room) int {
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	return cmp.Compare(a.Key, b.Key)
}

// Sort puts the rooms in canonical order in place, equal rooms in the
// order they came. It sorts their indexes and then moves each room once: a
// Room is a few hundred bytes, and sorting the rooms themselves moved two
// at every swap and copied two for every comparison.
func (s *State) Sort() {
	order := make([]int32, len(s.Rooms))
	for i := range order {
		order[i] = int32(i)
	}
	byRoom := func(a, b int32) int {
		if c := Compare(&s.Rooms[a], &s.Rooms[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
	if slices.IsSortedFunc(order, byRoom) {
		return
	}
	slices.SortFunc(order, byRoom)
	// Place i takes room order[i]: follow each cycle of the permutation
	// from its first place, marking the places filled.
	for i := range order {
		if order[i] < 0 {
			continue
		}
		first, at := s.Rooms[i], i
		for int(order[at]) != i {
			next := int(order[at])
			s.Rooms[at], order[at] = s.Rooms[next], -1
			at = next
		}
		s.Rooms[at], order[at] = first, -1
	}
}

// MarshalJSON writes the rooms in canonical order whatever the slice order,
// so equal states give byte-identical JSON. It does not reorder s.
func (s State) MarshalJSON() ([]byte, error) {
	rooms := s.Rooms
	if !slices.IsSortedFunc(rooms, func(a, b Room) int { return Compare(&a, &b) }) {
		rooms = slices.Clone(rooms)
		slices.SortFunc(rooms, func(a, b Room) int { return Compare(&a, &b) })
	}
	if rooms == nil {
		rooms = []Room{}
	}
	// A distinct type without the method, or this would recurse.
	type plain struct {
		Rooms []Room `json:"rooms"`
	}
	return json.Marshal(plain{Rooms: rooms})
}

// Counts returns the number of rooms per kind, ordered by kind, as
// Mapping status shows them.
func (s State) Counts() []elevsynkv1.KindCount {
	n := map[elevsynkv1.RoomKind]int32{}
	for i := range s.Rooms {
		n[s.Rooms[i].Kind]++
	}
	out := make([]elevsynkv1.KindCount, 0, len(n))
	for k, c := range n {
		out = append(out, elevsynkv1.KindCount{Kind: k, Count: c})
	}
	slices.SortFunc(out, func(a, b elevsynkv1.KindCount) int { return cmp.Compare(a.Kind, b.Kind) })
	return out
}

// Memberships is the number of owner and member places across all rooms.
func (s State) Memberships() int64 {
	var n int64
	for i := range s.Rooms {
		n += int64(len(s.Rooms[i].Owners) + len(s.Rooms[i].Members))
	}
	return n
}

// hashVersion is hashed first so that a change of the canonical form shows
// as a hash change everywhere rather than as a silent collision.
const hashVersion = "elevsynk-desired-v3\n"

// Hash is "sha256:" and the hex digest of a canonical form of the rooms in
// canonical order: it changes when, and only when, some room changes. It
// is safe for status. The form is every field as a length-prefixed string
// (lists with their length first), which is unambiguous and, unlike JSON
// through reflection, cheap at a million memberships.
func (s State) Hash() string {
	rooms := make([]*Room, len(s.Rooms))
	for i := range s.Rooms {
		rooms[i] = &s.Rooms[i]
	}
	if !slices.IsSortedFunc(rooms, Compare) {
		slices.SortFunc(rooms, Compare)
	}
	h := sha256.New()
	buf := make([]byte, 0, 64<<10)
	buf = append(buf, hashVersion...)
	for _, r := range rooms {
		buf = appendField(buf, r.Key, string(r.Kind), r.Rule, r.Name, r.Description, r.MailNickname, r.Template,
			r.Lifetime.Start.String(), r.Lifetime.End.String(), r.Lifetime.ArchiveAfter.String())
		for _, list := range [2][]string{r.Owners, r.Members} {
			buf = binary.AppendUvarint(buf, uint64(len(list)))
			buf = appendField(buf, list...)
		}
		if len(buf) > 60<<10 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

func appendField(buf []byte, fields ...string) []byte {
	for _, f := range fields {
		buf = binary.AppendUvarint(buf, uint64(len(f)))
		buf = append(buf, f...)
	}
	return buf
}

// DuplicateKeys returns the keys held by more than one room, sorted; a
// mapping bug if ever non-empty, since plan.Compute matches rooms by key.
func (s State) DuplicateKeys() []string {
	seen := make(map[string]int, len(s.Rooms))
	var dups []string
	for i := range s.Rooms {
		k := s.Rooms[i].Key
		seen[k]++
		if seen[k] == 2 {
			dups = append(dups, k)
		}
	}
	slices.Sort(dups)
	return dups
}

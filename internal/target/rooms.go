package target

import "slices"

// CloneRooms copies rooms with their people, for a holder that changes
// them: what Observe returned is read-only.
func CloneRooms(rooms []Room) []Room {
	out := slices.Clone(rooms)
	for i := range out {
		out[i].Owners, out[i].Members = slices.Clone(out[i].Owners), slices.Clone(out[i].Members)
	}
	return out
}

// SameRooms reports whether a and b hold the same rooms in the same order,
// every field and person alike: whether what Observe returned is what it
// returned last time. It replaced a hash of the rooms, which read every
// string's bytes, scattered over the heap, on every sync of every Target.
// A string an adapter kept from one Observe to the next compares by
// pointer, so an unchanged target costs a scan of the lists.
func SameRooms(a, b []Room) bool {
	return slices.EqualFunc(a, b, func(x, y Room) bool {
		return x.Key == y.Key && x.Kind == y.Kind && x.ID == y.ID && x.Name == y.Name &&
			x.Description == y.Description && x.MailNickname == y.MailNickname && x.Archived == y.Archived &&
			slices.Equal(x.Owners, y.Owners) && slices.Equal(x.Members, y.Members)
	})
}

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
// Lists are never changed once Observe returned them, so a list an
// adapter handed out again is the same by its address, and a string it
// kept compares by pointer: an unchanged target costs little more than a
// pass over its rooms.
func SameRooms(a, b []Room) bool {
	if sameArray(a, b) {
		return true
	}
	return slices.EqualFunc(a, b, func(x, y Room) bool {
		return x.Key == y.Key && x.Kind == y.Kind && x.ID == y.ID && x.Name == y.Name &&
			x.Description == y.Description && x.MailNickname == y.MailNickname && x.Archived == y.Archived &&
			(sameArray(x.Owners, y.Owners) || slices.Equal(x.Owners, y.Owners)) &&
			(sameArray(x.Members, y.Members) || slices.Equal(x.Members, y.Members))
	})
}

// sameArray reports whether a and b are the same elements of one array.
func sameArray[E any](a, b []E) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

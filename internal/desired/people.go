package desired

import (
	"cmp"
	"slices"
)

// SetPeople sets r.Owners and r.Members from unsorted lists that may repeat
// keys: both end sorted and deduplicated, and an owner is dropped from the
// members. The slices passed in are reused (sorted in place), so callers
// that build them fresh per room pay no extra allocation.
func (r *Room) SetPeople(owners, members []string) {
	owners, members = People(owners, members)
	r.Owners, r.Members = nonNil(owners), nonNil(members)
}

// People sorts and deduplicates owners and members in place and drops the
// owners from the members: the rule of a Room's people, for lists of any
// ordered stand-in for account keys (mapping collects ranks in key order).
func People[T cmp.Ordered](owners, members []T) ([]T, []T) {
	slices.Sort(owners)
	owners = slices.Compact(owners)
	slices.Sort(members)
	members = slices.Compact(members)
	if len(owners) > 0 && len(members) > 0 {
		members = subtractSorted(members, owners)
	}
	return owners, members
}

// subtractSorted removes from a (in place) every element of b; both sorted.
func subtractSorted[T cmp.Ordered](a, b []T) []T {
	out, j := a[:0], 0
	for _, s := range a {
		for j < len(b) && b[j] < s {
			j++
		}
		if j < len(b) && b[j] == s {
			continue
		}
		out = append(out, s)
	}
	return out
}

// nonNil keeps JSON at [] rather than null for an empty list, so that a
// room that lost its last member hashes like one that never had any.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

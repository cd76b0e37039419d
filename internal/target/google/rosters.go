package google

import (
	"cmp"
	"slices"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// Classroom and Directory have no change query for rosters: drift is seen
// only by reading them, two requests or more a course, and for a
// municipality of 120 000 pupils a full read is 100 000 Classroom
// requests, over an hour of the 1 200 a minute the one admin may send
// (Classroom reference, limits). So Observe reads the people of a room
// when it has not read them before or Apply wrote to the room since, and
// otherwise only a share of the rooms each pass, those read longest ago:
// every room once in Options.RecheckPasses passes.

// roomRef names a listed room.
type roomRef struct {
	kind elevsynkv1.RoomKind
	key  string
}

// cachedPeople is what Observe last read of a room's people.
type cachedPeople struct {
	id              string // the course or group it was read from
	owners, members []string
	pass            int // the Observe pass that read it
}

// rosters holds the people of the rooms Observe read, by room.
type rosters struct {
	byRoom map[roomRef]*cachedPeople
	pass   int
}

// listed is a room Observe found in a list, and whether its people are to
// be read this pass.
type listed struct {
	ref  roomRef
	id   string
	read bool
}

// choose starts a pass over the rooms listed: it marks the rooms to read
// (not cached, cached under another id, or among the share of the cached
// ones read longest ago) and forgets the rooms no longer listed.
func (c *rosters) choose(rooms []listed, passes int) {
	c.pass++
	type readAt struct{ room, pass int }
	var cached []readAt
	seen := make(map[roomRef]bool, len(rooms))
	for i := range rooms {
		l := &rooms[i]
		seen[l.ref] = true
		if r := c.byRoom[l.ref]; r == nil || r.id != l.id {
			l.read = true
		} else {
			cached = append(cached, readAt{i, r.pass})
		}
	}
	for ref := range c.byRoom {
		if !seen[ref] {
			delete(c.byRoom, ref)
		}
	}
	// Oldest first, then by room, so that the share moves on each pass
	// and every cached room comes round within passes passes. Each room's
	// pass is looked up once, not twice a comparison.
	slices.SortFunc(cached, func(a, b readAt) int {
		ra, rb := rooms[a.room].ref, rooms[b.room].ref
		return cmp.Or(cmp.Compare(a.pass, b.pass), cmp.Compare(ra.kind, rb.kind), cmp.Compare(ra.key, rb.key))
	})
	share := (len(cached) + passes - 1) / max(passes, 1)
	for _, x := range cached[:share] {
		rooms[x.room].read = true
	}
}

// people returns the cached people of a room, which no one changes (see
// target.Target's Observe).
func (c *rosters) people(ref roomRef) (owners, members []string) {
	r := c.byRoom[ref]
	return r.owners, r.members
}

// store records the people read of a room in this pass. Observe hands the
// same lists out; a later read stores new ones.
func (c *rosters) store(ref roomRef, id string, owners, members []string) {
	c.byRoom[ref] = &cachedPeople{id: id, owners: owners, members: members, pass: c.pass}
}

// forget drops what is known of a room, so the next pass reads it: Apply
// wrote to it.
func (c *rosters) forget(ref roomRef) { delete(c.byRoom, ref) }

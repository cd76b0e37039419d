package plan

import (
	"cmp"
	"slices"

	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/target"
)

// sortedWant returns pointers to the desired rooms by kind and key, one per
// kind and key. The stable sort keeps the first of equal rooms first.
func sortedWant(rooms []desired.Room) []*desired.Room {
	ws := make([]*desired.Room, len(rooms))
	for i := range rooms {
		ws[i] = &rooms[i]
	}
	if !slices.IsSortedFunc(ws, desired.Compare) {
		slices.SortStableFunc(ws, desired.Compare)
	}
	return slices.CompactFunc(ws, func(a, b *desired.Room) bool { return desired.Compare(a, b) == 0 })
}

// sortedHave returns pointers to the observed rooms by kind, key and ID,
// so the room to keep among duplicates comes first.
func sortedHave(rooms []target.Room) []*target.Room {
	hs := make([]*target.Room, len(rooms))
	for i := range rooms {
		hs[i] = &rooms[i]
	}
	if !slices.IsSortedFunc(hs, compareHave) {
		slices.SortFunc(hs, compareHave)
	}
	return hs
}

func compareHave(a, b *target.Room) int {
	if c := compareRoom(a, b); c != 0 {
		return c
	}
	return compareID(a.ID, b.ID)
}

// compareID puts shorter ids first so that numeric ids (Classroom course
// ids) compare as numbers; ids of equal length compare as strings.
func compareID(a, b string) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

func compareRoom(a, b *target.Room) int {
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	return cmp.Compare(a.Key, b.Key)
}

func sameRoom(a, b *target.Room) bool { return compareRoom(a, b) == 0 }

// compareNext compares the next desired room with the next observed one;
// an exhausted side sorts after everything.
func compareNext(ws []*desired.Room, i int, hs []*target.Room, j int) int {
	switch {
	case j == len(hs):
		return -1
	case i == len(ws):
		return 1
	}
	if c := cmp.Compare(ws[i].Kind, hs[j].Kind); c != 0 {
		return c
	}
	return cmp.Compare(ws[i].Key, hs[j].Key)
}

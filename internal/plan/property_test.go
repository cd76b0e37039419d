package plan

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/target"
)

// TestProperties checks, over randomly generated want/have pairs (seeded,
// so a failure reproduces from its case number) under random policies:
//
//   - creates come first, then the per-room actions, archives, deletes;
//     each phase goes by kind, key and ID, and a room's per-room actions
//     are contiguous and in the documented order, so adds precede removes;
//   - people in an action are sorted, without repeats (case folded), and
//     there is someone in every add and remove;
//   - applying the plan to a model of the target never takes a room that
//     has owners down to none, at any step;
//   - Managed is InSync plus Drifted, and Drift has one entry per drifted,
//     missing and orphaned room;
//   - Compute leaves its inputs as they were;
//
// and, with every field at Correct and deletion at Archive, that the plan
// converges: computed again against the target it produced, it is empty.
func TestProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 3000 {
		want, have := randomPair(rng)
		policy := randomPolicy(rng)
		if n%2 == 0 {
			policy = elevsynkv1.Policy{Drift: elevsynkv1.DriftPolicy{Archived: correct}}
		}
		wantCopy, haveCopy := cloneState(want), target.CloneRooms(have)
		p := Compute(want, have, policy, day)
		if diff := gocmp.Diff(wantCopy, want); diff != "" {
			t.Fatalf("case %d: Compute changed want:\n%s", n, diff)
		}
		if diff := gocmp.Diff(haveCopy, have); diff != "" {
			t.Fatalf("case %d: Compute changed have:\n%s", n, diff)
		}
		if err := checkOrder(p.Actions); err != nil {
			t.Fatalf("case %d: %v\n%v", n, err, p.Actions)
		}
		if err := checkCounts(p); err != nil {
			t.Fatalf("case %d: %v", n, err)
		}
		m := newModel(have)
		if err := m.apply(p.Actions); err != nil {
			t.Fatalf("case %d: %v\n%v", n, err, p.Actions)
		}
		if n%2 != 0 {
			continue
		}
		if again := Compute(want, m.observe(), policy, day); !again.Empty() {
			t.Fatalf("case %d: no convergence; first plan\n%v\nsecond\n%v", n, p.Actions, again.Actions)
		}
	}
}

// phase ranks ops: the global phase times ten plus the rank within a room.
func phase(op target.Op) int {
	return map[target.Op]int{
		target.OpCreate: 0, target.OpUnarchive: 11, target.OpRename: 12, target.OpSetDescription: 13,
		target.OpAddOwners: 14, target.OpAddMembers: 15, target.OpRemoveMembers: 16, target.OpRemoveOwners: 17,
		target.OpArchive: 20, target.OpDelete: 30,
	}[op]
}

func compareAction(a, b target.Action) int {
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	return compareID(a.ID, b.ID)
}

func checkOrder(acts []target.Action) error {
	for i, a := range acts {
		if len(a.People) == 0 && phase(a.Op) >= phase(target.OpAddOwners) && phase(a.Op) <= phase(target.OpRemoveOwners) {
			return fmt.Errorf("action %d: %s with nobody", i, a.Op)
		}
		if !slices.IsSorted(a.People) || len(slices.Compact(folded(a.People))) != len(a.People) {
			return fmt.Errorf("action %d: people not sorted or repeated", i)
		}
		if i == 0 {
			continue
		}
		prev := acts[i-1]
		pp, p := phase(prev.Op), phase(a.Op)
		switch {
		case pp/10 > p/10:
			return fmt.Errorf("action %d: %s after %s", i, a.Op, prev.Op)
		case pp/10 < p/10:
		case p/10 == 1 && compareAction(prev, a) == 0:
			if pp >= p {
				return fmt.Errorf("action %d: %s after %s on one room", i, a.Op, prev.Op)
			}
		case compareAction(prev, a) >= 0:
			return fmt.Errorf("action %d: %s on %s/%s out of room order", i, a.Op, a.Kind, a.Key)
		}
	}
	return nil
}

func checkCounts(p Plan) error {
	inv := p.Inventory
	if inv.Managed != inv.InSync+inv.Drifted {
		return fmt.Errorf("inventory %+v: managed is not inSync+drifted", inv)
	}
	// Orphans already archived under the Archive policy are settled, not
	// drift; every other counted room is one drift entry.
	if got := len(p.Drift); got < int(inv.Drifted+inv.Missing) || got > int(inv.Drifted+inv.Missing+inv.Orphaned) {
		return fmt.Errorf("%d drift entries for inventory %+v", got, inv)
	}
	if !slices.IsSortedFunc(p.Drift, func(a, b Drift) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Key, b.Key))
	}) {
		return fmt.Errorf("drift not sorted")
	}
	return nil
}

// model is a target the way Graph keeps a group: owners, and member links
// that an owner normally also has; observed members are the links of
// people who are not owners (target.Room's contract). Keys fold case.
type model struct {
	rooms  map[string]*modelRoom // by ID
	nextID int
}

type modelRoom struct {
	room            target.Room
	owners, members map[string]string // folded key to spelling
}

func fold(k string) string { return strings.ToLower(k) }

func newModel(have []target.Room) *model {
	m := &model{rooms: map[string]*modelRoom{}, nextID: 1000}
	for _, r := range have {
		mr := &modelRoom{room: r, owners: map[string]string{}, members: map[string]string{}}
		for _, k := range r.Owners {
			mr.owners[fold(k)] = k
		}
		for _, k := range r.Members {
			mr.members[fold(k)] = k
		}
		m.rooms[r.ID] = mr
	}
	return m
}

func (m *model) apply(acts []target.Action) error {
	created := map[string]string{} // kind/key to ID
	for i, a := range acts {
		id := a.ID
		if id == "" {
			id = created[string(a.Kind)+"/"+a.Key]
		}
		r := m.rooms[id]
		if a.Op == target.OpCreate {
			m.nextID++
			id = fmt.Sprint(m.nextID)
			created[string(a.Kind)+"/"+a.Key] = id
			r = &modelRoom{room: target.Room{Key: a.Key, Kind: a.Kind, ID: id, Name: a.Name, Description: a.Description},
				owners: map[string]string{}, members: map[string]string{}}
			m.rooms[id] = r
		}
		if r == nil {
			return fmt.Errorf("action %d: %s on unknown room %s/%s %q", i, a.Op, a.Kind, a.Key, a.ID)
		}
		had := len(r.owners)
		for _, k := range a.People {
			switch a.Op {
			case target.OpCreate, target.OpAddOwners:
				r.owners[fold(k)], r.members[fold(k)] = k, k
			case target.OpAddMembers:
				if _, ok := r.members[fold(k)]; !ok {
					r.members[fold(k)] = k
				}
			case target.OpRemoveMembers:
				delete(r.members, fold(k))
			case target.OpRemoveOwners:
				delete(r.owners, fold(k))
			}
		}
		if had > 0 && len(r.owners) == 0 {
			return fmt.Errorf("action %d: %s left %s/%s without owners", i, a.Op, a.Kind, a.Key)
		}
		switch a.Op {
		case target.OpRename:
			r.room.Name = a.Name
		case target.OpSetDescription:
			r.room.Description = a.Description
		case target.OpArchive:
			r.room.Archived = true
		case target.OpUnarchive:
			r.room.Archived = false
		case target.OpDelete:
			delete(m.rooms, id)
		}
	}
	return nil
}

func (m *model) observe() []target.Room {
	var out []target.Room
	for _, r := range m.rooms {
		o := r.room
		o.Owners, o.Members = nil, nil
		for _, k := range r.owners {
			o.Owners = append(o.Owners, k)
		}
		for f, k := range r.members {
			if _, owner := r.owners[f]; !owner {
				o.Members = append(o.Members, k)
			}
		}
		out = append(out, o)
	}
	return out
}

// randomPair makes a small desired state and an observed one near it:
// rooms missing, renamed, redescribed, archived, ended, with people
// added, dropped, moved between roles and respelt, plus orphans, rooms
// under another kind and duplicates. Map iteration in observe and the
// shuffles here also vary the order of everything.
func randomPair(rng *rand.Rand) (desired.State, []target.Room) {
	pool := []string{"anna@x", "bo@x", "cy@x", "dag@x", "eva@x", "åsa@x", "T1@x", "t2@x"}
	pick := func() []string {
		var out []string
		for _, k := range pool {
			if rng.IntN(3) == 0 {
				out = append(out, respell(rng, k, 5))
			}
		}
		return out
	}
	kinds := []elevsynkv1.RoomKind{team, class, sg, course}
	var want desired.State
	for i := range rng.IntN(6) {
		r := desired.Room{Key: fmt.Sprint("k", i), Kind: kinds[rng.IntN(len(kinds))], Name: fmt.Sprint("n", i), Description: "d"}
		r.SetPeople(pick(), pick())
		if rng.IntN(5) == 0 {
			r.Lifetime.ArchiveAfter = day.AddDays(rng.IntN(3) - 1)
		}
		want.Rooms = append(want.Rooms, r)
	}
	var have []target.Room
	id := func() string { return fmt.Sprint(rng.IntN(200)) }
	for _, w := range want.Rooms {
		if rng.IntN(5) == 0 {
			continue
		}
		h := target.Room{Key: w.Key, Kind: w.Kind, ID: id(), Name: w.Name, Description: w.Description,
			Owners: respellAll(rng, w.Owners), Members: respellAll(rng, w.Members), Archived: rng.IntN(6) == 0}
		switch rng.IntN(8) {
		case 0:
			h.Name = "old"
		case 1:
			h.Description = ""
		case 2:
			h.Owners = pick()
		case 3:
			h.Members = pick()
		case 4:
			h.Owners, h.Members = h.Members, h.Owners
		case 5:
			h.Kind = kinds[rng.IntN(len(kinds))]
		}
		h.Members = slices.DeleteFunc(h.Members, func(k string) bool {
			return slices.ContainsFunc(h.Owners, func(o string) bool { return fold(o) == fold(k) })
		})
		have = append(have, h)
		if rng.IntN(6) == 0 {
			dup := h
			dup.ID = id()
			have = append(have, dup)
		}
	}
	for i := range rng.IntN(3) {
		have = append(have, target.Room{Key: fmt.Sprint("gone", i), Kind: kinds[rng.IntN(len(kinds))], ID: id(),
			Name: "old", Owners: pick(), Archived: rng.IntN(2) == 0})
	}
	// IDs must be unique for the model; duplicates of a key differ by ID.
	seenIDs := map[string]bool{}
	for i := range have {
		for seenIDs[have[i].ID] {
			have[i].ID += "0"
		}
		seenIDs[have[i].ID] = true
	}
	rng.Shuffle(len(want.Rooms), func(i, j int) { want.Rooms[i], want.Rooms[j] = want.Rooms[j], want.Rooms[i] })
	rng.Shuffle(len(have), func(i, j int) { have[i], have[j] = have[j], have[i] })
	return want, have
}

// respell upper-cases k one time in n.
func respell(rng *rand.Rand, k string, n int) string {
	if rng.IntN(n) == 0 {
		return strings.ToUpper(k)
	}
	return k
}

func respellAll(rng *rand.Rand, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = respell(rng, k, 3)
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func randomPolicy(rng *rand.Rand) elevsynkv1.Policy {
	a := func() elevsynkv1.DriftAction {
		return []elevsynkv1.DriftAction{"", correct, report, ignore}[rng.IntN(4)]
	}
	return elevsynkv1.Policy{
		Drift: elevsynkv1.DriftPolicy{Name: a(), Description: a(), Members: a(), Owners: a(), Archived: a()},
		Deletion: []elevsynkv1.DeletionPolicy{"", elevsynkv1.DeletionArchive, elevsynkv1.DeletionDelete,
			elevsynkv1.DeletionOrphan}[rng.IntN(4)],
	}
}

func cloneState(s desired.State) desired.State {
	out := desired.State{Rooms: slices.Clone(s.Rooms)}
	for i := range out.Rooms {
		out.Rooms[i].Owners, out.Rooms[i].Members = slices.Clone(s.Rooms[i].Owners), slices.Clone(s.Rooms[i].Members)
	}
	return out
}

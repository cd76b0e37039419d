package plan

import (
	"hash/maphash"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
)

// Plan is what it takes to bring a target in line with the desired state.
type Plan struct {
	// Actions are in the order the adapters must apply them (see the
	// package documentation).
	Actions []target.Action
	// Drift has one entry per drifted, missing or orphaned room, sorted by
	// kind, then key.
	Drift []Drift
	// Inventory counts the rooms by state. Managed is InSync plus Drifted.
	Inventory elevsynkv1.Inventory
	// Memberships counts the members and owners of the observed rooms, for
	// the removal guard.
	Memberships int
}

// Reason says how a room differs from the desired state.
type Reason string

// Reasons, in the order a Drift lists them.
const (
	Missing            Reason = "Missing"
	Renamed            Reason = "Renamed"
	DescriptionChanged Reason = "DescriptionChanged"
	MissingMembers     Reason = "MissingMembers"
	ExtraMembers       Reason = "ExtraMembers"
	MissingOwners      Reason = "MissingOwners"
	ExtraOwners        Reason = "ExtraOwners"
	Archived           Reason = "Archived"
	Orphaned           Reason = "Orphaned"
	Duplicate          Reason = "Duplicate"
)

// Drift is one room that differs from the desired state. It names no
// person, so it may go into a status.
type Drift struct {
	Kind elevsynkv1.RoomKind
	Key  string
	// Name is the desired name, or the observed one for an orphan.
	Name    string
	Reasons []Reason
}

// Compute diffs want against have (the rooms the target reports it owns)
// under policy, on the given day. It does not modify its inputs.
//
// want should hold one room per kind and key (desired.State.DuplicateKeys
// finds mapping bugs that break this); of rooms sharing both, the first in
// want is used.
func Compute(want desired.State, have []target.Room, policy elevsynkv1.Policy, on roster.Date) Plan {
	ws, hs := sortedWant(want.Rooms), sortedHave(have)
	// At least this many desired rooms are missing, each with a create,
	// a drift entry and most with an action adding members: a first plan
	// for a municipality grew each list from nothing, copying them over and
	// over, most of its CPU in the manager (where every copy is fresh
	// memory).
	missing := max(0, len(ws)-len(hs))
	b := builder{policy: resolve(policy), on: on, seed: maphash.MakeSeed(),
		creates: make([]target.Action, 0, missing), perRoom: make([]target.Action, 0, missing),
		drift: make([]Drift, 0, missing)}
	for i, j := 0, 0; i < len(ws) || j < len(hs); {
		// n is the number of observed rooms sharing the next kind and key.
		n := 0
		if j < len(hs) {
			n = 1
			for j+n < len(hs) && sameRoom(hs[j], hs[j+n]) {
				n++
			}
		}
		switch c := compareNext(ws, i, hs, j); {
		case c < 0:
			b.missing(ws[i])
			i++
			continue
		case c == 0:
			b.present(ws[i], hs[j])
			i++
		default:
			b.orphan(hs[j], Orphaned)
		}
		for _, dup := range hs[j+1 : j+n] {
			b.orphan(dup, Duplicate)
		}
		j += n
	}
	p := b.plan()
	for i := range have {
		p.Memberships += len(have[i].Owners) + len(have[i].Members)
	}
	return p
}

// Empty reports whether the plan changes nothing. A plan with no actions
// may still report drift the policy leaves alone.
func (p Plan) Empty() bool { return len(p.Actions) == 0 }

package plan

import (
	"hash/maphash"
	"slices"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
)

// builder collects a plan room by room, visited in kind and key order, so
// each phase comes out sorted without a sort of its own.
type builder struct {
	policy rules
	on     roster.Date
	seed   maphash.Seed // of sameKeys, new for every plan

	creates, perRoom, archives, deletes []target.Action

	drift []Drift
	inv   elevsynkv1.Inventory
}

func (b *builder) plan() Plan {
	acts := make([]target.Action, 0, len(b.creates)+len(b.perRoom)+len(b.archives)+len(b.deletes))
	acts = append(acts, b.creates...)
	acts = append(acts, b.perRoom...)
	acts = append(acts, b.archives...)
	acts = append(acts, b.deletes...)
	return Plan{Actions: acts, Drift: b.drift, Inventory: b.inv}
}

// expired reports whether the room's life is over on day on: its
// ArchiveAfter is set and not after on.
func expired(w *desired.Room, on roster.Date) bool {
	return !w.Lifetime.ArchiveAfter.IsZero() && !on.Before(w.Lifetime.ArchiveAfter)
}

// missing plans a desired room the target does not have.
func (b *builder) missing(w *desired.Room) {
	if expired(w, b.on) {
		return // creating it only to archive it helps no one
	}
	b.inv.Missing++
	b.drift = append(b.drift, Drift{Kind: w.Kind, Key: w.Key, Name: w.Name, Reasons: []Reason{Missing}})
	owners := folded(w.Owners)
	b.creates = append(b.creates, target.Action{Op: target.OpCreate, Kind: w.Kind, Key: w.Key,
		Name: w.Name, Description: w.Description, MailNickname: w.MailNickname, Template: w.Template,
		People: newRoomPeople(owners)})
	if members := newRoomPeople(folded(w.Members), owners); len(members) > 0 {
		b.perRoom = append(b.perRoom, target.Action{Op: target.OpAddMembers, Kind: w.Kind, Key: w.Key, People: members})
	}
}

// orphan plans an observed room that is not desired, or a duplicate of one.
func (b *builder) orphan(h *target.Room, why Reason) {
	b.inv.Orphaned++
	// An archived orphan under the Archive policy is where the policy
	// wants it: counted, but no longer drift.
	if h.Archived && b.policy.deletion == elevsynkv1.DeletionArchive {
		return
	}
	b.drift = append(b.drift, Drift{Kind: h.Kind, Key: h.Key, Name: h.Name, Reasons: []Reason{why}})
	switch b.policy.deletion {
	case elevsynkv1.DeletionArchive:
		// Groups have no archived state; the Archive policy leaves them in
		// place, reported, rather than deleting what it was told to keep.
		if target.Archivable(h.Kind) {
			b.archives = append(b.archives, actOn(target.OpArchive, h))
		}
	case elevsynkv1.DeletionDelete:
		b.deletes = append(b.deletes, actOn(target.OpDelete, h))
	}
}

// present plans a desired room the target has.
func (b *builder) present(w *desired.Room, h *target.Room) {
	b.inv.Managed++
	if expired(w, b.on) {
		b.inv.InSync++
		if !h.Archived && target.Archivable(h.Kind) {
			b.archives = append(b.archives, actOn(target.OpArchive, h))
		}
		return
	}
	p := b.policy
	// An archived room accepts no writes but its unarchiving.
	unarchive := h.Archived && p.archived == elevsynkv1.DriftCorrect
	r := roomPlan{b: b, h: h, writable: !h.Archived || unarchive}
	if h.Archived {
		r.note(Archived, p.archived, actOn(target.OpUnarchive, h))
	}
	if w.Name != h.Name {
		act := actOn(target.OpRename, h)
		act.Name = w.Name
		r.note(Renamed, p.name, act)
	}
	if w.Description != h.Description {
		act := actOn(target.OpSetDescription, h)
		act.Description = w.Description
		r.note(DescriptionChanged, p.description, act)
	}
	// Lists that hold the same keys are the usual case and differ in
	// nothing.
	if !b.sameKeys(w.Owners, h.Owners) || !b.sameKeys(w.Members, h.Members) {
		r.people(w, sorted(h.Owners), sorted(h.Members))
	}
	if len(r.reasons) == 0 {
		b.inv.InSync++
		return
	}
	b.inv.Drifted++
	slices.SortFunc(r.reasons, compareReason)
	b.drift = append(b.drift, Drift{Kind: w.Kind, Key: w.Key, Name: w.Name, Reasons: r.reasons})
}

// roomPlan gathers the reasons and actions for one present room.
type roomPlan struct {
	b        *builder
	h        *target.Room
	writable bool
	reasons  []Reason
}

// note records a difference under the field's policy: the reason unless
// ignored, the action if corrected and the room can be written.
func (r *roomPlan) note(why Reason, a elevsynkv1.DriftAction, act target.Action) {
	if a != elevsynkv1.DriftIgnore {
		r.reasons = append(r.reasons, why)
	}
	if a == elevsynkv1.DriftCorrect && r.writable {
		r.b.perRoom = append(r.b.perRoom, act)
	}
}

func (r *roomPlan) notePeople(why Reason, a elevsynkv1.DriftAction, op target.Op, keys []string) {
	act := actOn(op, r.h)
	act.People = keys
	r.note(why, a, act)
}

// people plans the owners and members of the room, observed as ho and hm.
func (r *roomPlan) people(w *desired.Room, ho, hm []string) {
	p := r.b.policy
	wo, wm, ho, hm := folded(w.Owners), folded(w.Members), folded(ho), folded(hm)
	// Owners go only under Correct, and never from a room with no desired
	// owner (see the package documentation).
	ownersGo := p.owners == elevsynkv1.DriftCorrect && len(wo) > 0
	if add := without(wo, ho); len(add) > 0 {
		r.notePeople(MissingOwners, p.owners, target.OpAddOwners, add)
	}
	// A desired member who is an observed owner is added as a member only
	// ahead of the owner's removal; an owner who stays is in the room
	// already. A desired member repeated among the desired owners in
	// another spelling is one person, and an owner.
	var add []string
	if ownersGo {
		add = without(wm, hm, wo)
	} else {
		add = without(wm, hm, wo, ho)
	}
	if len(add) > 0 {
		r.notePeople(MissingMembers, p.members, target.OpAddMembers, add)
	}
	// A desired owner listed as a member is a missing owner, not an extra
	// member: removing the membership would strip the owner.
	if rm := without(hm, wm, wo); len(rm) > 0 {
		r.notePeople(ExtraMembers, p.members, target.OpRemoveMembers, rm)
	}
	if rm := without(ho, wo); len(rm) > 0 {
		a := p.owners
		if !ownersGo && a == elevsynkv1.DriftCorrect {
			a = elevsynkv1.DriftReport // an ownerless room keeps what it has
		}
		r.notePeople(ExtraOwners, a, target.OpRemoveOwners, rm)
	}
}

// actOn is an action of op on the observed room h.
func actOn(op target.Op, h *target.Room) target.Action {
	return target.Action{Op: op, Kind: h.Kind, Key: h.Key, ID: h.ID}
}

// reasonOrder is the order a Drift lists its reasons in.
var reasonOrder = []Reason{Missing, Renamed, DescriptionChanged, MissingMembers, ExtraMembers,
	MissingOwners, ExtraOwners, Archived, Orphaned, Duplicate}

func compareReason(a, b Reason) int {
	return slices.Index(reasonOrder, a) - slices.Index(reasonOrder, b)
}

package msgraph

import (
	"context"

	"github.com/elevsynk/elevsynk/internal/target"
)

// update runs the room updates of one run in three waves: unarchive;
// names, descriptions, owner and member adds and member removes, with the
// writes given in also; owner removes.
func (ap *applier) update(ctx context.Context, tasks []*task, also []*write) error {
	t := ap.t
	var stale []*room
	rooms := map[*task]*room{}
	for _, tk := range tasks {
		r := ap.roomFor(tk)
		if r == nil {
			ap.fail(tk, "room not found in the tenant")
			continue
		}
		rooms[tk] = r
		if r.stale {
			stale = append(stale, r)
			r.stale = false
		}
	}
	if len(stale) > 0 {
		if err := t.readRelations(ctx, stale, true); err != nil {
			return err
		}
	}

	var unarchive []*task
	for _, tk := range tasks {
		if tk.a.Op == target.OpUnarchive && rooms[tk] != nil {
			unarchive = append(unarchive, tk)
		}
	}
	if err := ap.setArchived(ctx, unarchive, rooms, false); err != nil {
		return err
	}

	var ws []*write
	type props struct {
		tasks             []*task
		name, description *string
	}
	byRoom := map[*room]*props{}
	var order []*room
	for _, tk := range tasks {
		r := rooms[tk]
		if r == nil || tk.st != pending {
			continue
		}
		switch tk.a.Op {
		case target.OpRename, target.OpSetDescription:
			p := byRoom[r]
			if p == nil {
				p = &props{}
				byRoom[r] = p
				order = append(order, r)
			}
			p.tasks = append(p.tasks, tk)
			if tk.a.Op == target.OpRename {
				p.name = &tk.a.Name
			} else {
				p.description = &tk.a.Description
			}
		case target.OpAddOwners:
			ws = append(ws, t.addWrites(ctx, tk, r, ap.ids(tk), true)...)
		case target.OpAddMembers:
			ids := ap.ids(tk)
			if ap.keep[r] == nil {
				ap.keep[r] = map[string]bool{}
			}
			for _, id := range ids {
				ap.keep[r][id] = true
			}
			ws = append(ws, t.addWrites(ctx, tk, r, ids, false)...)
		case target.OpRemoveMembers:
			ws = append(ws, t.removeWrites(ctx, tk, r, ap.ids(tk), false)...)
		}
	}
	for _, r := range order {
		p := byRoom[r]
		ws = append(ws, t.propsWrite(ctx, p.tasks, r, p.name, p.description))
	}
	if err := ap.writeAll(ctx, append(ws, also...)); err != nil {
		return err
	}

	// Owner removals last. In a Microsoft 365 group the owner is a member
	// too; the membership goes with the ownership unless an AddMembers of
	// this Apply asked for the person.
	ws = ws[:0]
	var again []*write
	for _, tk := range tasks {
		r := rooms[tk]
		if r == nil || tk.a.Op != target.OpRemoveOwners || tk.st != pending {
			continue
		}
		ids := ap.ids(tk)
		ws = append(ws, t.removeWrites(ctx, tk, r, ids, true)...)
		if unified(r.kind) {
			var drop []string
			for _, id := range ids {
				if !ap.keep[r][id] {
					drop = append(drop, id)
				}
			}
			again = append(again, t.removeWrites(ctx, tk, r, drop, false)...)
		}
	}
	if err := ap.writeAll(ctx, ws); err != nil {
		return err
	}
	if err := ap.writeAll(ctx, again); err != nil {
		return err
	}
	for _, tk := range tasks {
		ap.succeed(tk)
	}
	return nil
}

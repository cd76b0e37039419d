package msgraph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

// groupSelect is the $select of group reads and of delta.
var groupSelect = []string{"id", "displayName", "description", "mailNickname", "uniqueName", "resourceProvisioningOptions"}

// groupJSON is a group as listed and as delta reports it; pointers tell an
// absent property from an empty one.
type groupJSON struct {
	ID                          string    `json:"id"`
	DisplayName                 *string   `json:"displayName"`
	Description                 *string   `json:"description"`
	MailNickname                *string   `json:"mailNickname"`
	UniqueName                  *string   `json:"uniqueName"`
	ResourceProvisioningOptions *[]string `json:"resourceProvisioningOptions"`
}

// Observe lists the rooms this Target owns. Most calls read /groups/delta
// from the last delta link; every FullEvery-th call, the first, and any
// call after the link expired read everything.
func (t *Target) Observe(ctx context.Context) ([]target.Room, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	full := t.state.deltaLink == "" || t.observes%t.opts.FullEvery == 0
	t.observes++
	if !full {
		changed, err := t.deltaPass(ctx)
		var ge *graphError
		if errors.As(err, &ge) && ge.expiredDelta() {
			full = true
		} else if err != nil {
			return nil, fmt.Errorf("microsoft365: observe: %w", err)
		}
		if changed {
			t.reported = nil
		}
	}
	if full {
		t.observes, t.reported = 1, nil
		if err := t.fullPass(ctx); err != nil {
			return nil, fmt.Errorf("microsoft365: observe: %w", err)
		}
	}
	if t.reported == nil {
		t.reported = t.state.report(t.prefix)
	}
	// Handed out as it is: a change makes a new report, never edits this.
	return t.reported, nil
}

// fullPass reads every owned group, class, member, owner and team. It
// takes the delta link first, so changes made during the pass show in the
// next delta round instead of being lost.
func (t *Target) fullPass(ctx context.Context) error {
	link := ""
	if t.opts.FullEvery > 1 {
		var err error
		if link, err = t.latestDeltaLink(ctx); err != nil {
			return err
		}
	}
	st := newState()
	st.userID, st.userKey = t.state.userID, t.state.userKey
	classes, err := t.listClasses(ctx)
	if err != nil {
		return err
	}
	ri := t.get(query{filter: "startsWith(mailNickname," + quote(t.prefix) + ")", sel: groupSelect, top: maxPage}, "groups")
	err = t.listAll(ctx, ri, func(raw json.RawMessage) error {
		var g groupJSON
		if err := json.Unmarshal(raw, &g); err != nil {
			return err
		}
		if r := t.roomOf(g, classes); r != nil {
			st.put(r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	rooms := make([]*room, 0, len(st.rooms))
	for _, r := range st.rooms {
		rooms = append(rooms, r)
	}
	old := t.state
	t.state = st
	if err := t.readRelations(ctx, rooms, true); err != nil {
		t.state = old
		return err
	}
	st.deltaLink = link
	return nil
}

// roomOf makes the room of an owned group, or nil for a group that is not
// ours: the nickname must carry the prefix, and the group must be an
// education class with an externalId or have a uniqueName of ours.
func (t *Target) roomOf(g groupJSON, classes map[string]string) *room {
	nick := deref(g.MailNickname)
	if !ours(t.prefix, nick) {
		return nil
	}
	r := &room{id: g.ID, name: deref(g.DisplayName), description: deref(g.Description), nick: nick,
		owners: map[string]bool{}, members: map[string]bool{}}
	if key, ok := classes[g.ID]; ok {
		r.kind, r.key = elevsynkv1.RoomClassTeam, key
	} else if kind, key, ok := parseUniqueName(t.prefix, deref(g.UniqueName)); ok {
		r.kind, r.key = kind, key
	} else {
		return nil
	}
	if g.ResourceProvisioningOptions != nil {
		r.teamReady = slices.Contains(*g.ResourceProvisioningOptions, "Team")
	}
	return r
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// listClasses maps the ids of owned education classes to their externalId.
func (t *Target) listClasses(ctx context.Context) (map[string]string, error) {
	ri := t.get(query{filter: "startsWith(mailNickname," + quote(t.prefix) + ")", sel: []string{"id", "externalId"}, top: maxPage},
		"education", "classes")
	out := map[string]string{}
	err := t.listAll(ctx, ri, func(raw json.RawMessage) error {
		var c struct {
			ID         string `json:"id"`
			ExternalID string `json:"externalId"`
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			return err
		}
		if c.ExternalID != "" {
			out[c.ID] = c.ExternalID
		}
		return nil
	})
	return out, err
}

// readRelations reads owners (and, with members, the members) of rooms,
// and the archived state of their teams, in $batch requests, following
// nextLinks of long member lists.
func (t *Target) readRelations(ctx context.Context, rooms []*room, members bool) error {
	type dest struct {
		r   *room
		set map[string]bool
	}
	var calls []*call
	var into []dest
	var teamCalls []*call
	var teamRooms []*room
	for _, r := range rooms {
		r.owners = map[string]bool{}
		oc := t.get(query{sel: t.userSelect(), top: maxPage}, "groups", r.id, "owners")
		calls, into = append(calls, &call{ri: oc}), append(into, dest{r, r.owners})
		if members {
			r.members = map[string]bool{}
			mc := t.get(query{sel: t.userSelect(), top: maxPage}, "groups", r.id, "members")
			calls, into = append(calls, &call{ri: mc}), append(into, dest{r, r.members})
		}
		// Archived state needs the team itself: a team list does not carry
		// it (techcommunity idea 2493603), and archiving does not change
		// the group.
		if hasTeam(r.kind) && r.teamReady {
			tc := t.get(query{sel: []string{"id", "isArchived"}}, "teams", r.id)
			teamCalls, teamRooms = append(teamCalls, &call{ri: tc}), append(teamRooms, r)
		}
		r.stale = false
	}
	if err := t.run(ctx, append(slices.Clone(calls), teamCalls...)); err != nil {
		return err
	}
	for len(calls) > 0 {
		var next []*call
		var nextInto []dest
		for i, c := range calls {
			if ge := c.err(); ge != nil {
				return fmt.Errorf("reading owners and members: %w", ge)
			}
			ids, link, err := t.learnUsers(c.body)
			if err != nil {
				return err
			}
			for _, id := range ids {
				into[i].set[id] = true
			}
			if link != "" {
				ri, err := t.linkRequest(link)
				if err != nil {
					return err
				}
				next, nextInto = append(next, &call{ri: ri}), append(nextInto, into[i])
			}
		}
		if err := t.run(ctx, next); err != nil {
			return err
		}
		calls, into = next, nextInto
	}
	for i, c := range teamCalls {
		var tm struct {
			IsArchived bool `json:"isArchived"`
		}
		if ge := c.err(); ge != nil {
			return fmt.Errorf("reading a team: %w", ge)
		}
		if err := c.decode(&tm); err != nil {
			return err
		}
		teamRooms[i].archived = tm.IsArchived
	}
	return nil
}

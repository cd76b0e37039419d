package google

import (
	"context"
	"errors"
	"slices"
	"strings"

	admin "google.golang.org/api/admin/directory/v1"

	"github.com/elevsynk/elevsynk/internal/target"
)

// errGroupArchive: a Directory group has no archived state.
const errGroupArchive = "groups in Google Workspace cannot be archived; use deletion policy Delete or Orphan for GoogleGroup and MailGroup rooms"

// group carries out one action on a Directory group, named by its marker
// address: a groupKey is "the group's email address, group alias, or the
// unique group ID" (Directory reference, groups.get).
func (rs *roomRun) group(ctx context.Context, a target.Action) error {
	gk := rs.t.markers.groupMarker(a.Kind, a.Key, rs.t.domain)
	dir := rs.t.dir
	switch a.Op {
	case target.OpCreate:
		return rs.createGroup(ctx, a, gk)
	case target.OpRename:
		_, err := dir.Groups.Patch(gk, &admin.Group{Name: a.Name}).Context(ctx).Do()
		return wrap("groups.patch", err)
	case target.OpSetDescription:
		_, err := dir.Groups.Patch(gk, &admin.Group{Description: a.Description, ForceSendFields: []string{"Description"}}).Context(ctx).Do()
		return wrap("groups.patch", err)
	case target.OpAddOwners:
		return forEach(a.People, func(p string) error { return rs.addGroupMember(ctx, gk, p, "OWNER") })
	case target.OpAddMembers:
		return forEach(a.People, func(p string) error { return rs.addGroupMember(ctx, gk, p, "MEMBER") })
	case target.OpRemoveMembers:
		return forEach(a.People, func(p string) error {
			return gone(wrap("members.delete", dir.Members.Delete(gk, p).Context(ctx).Do()))
		})
	case target.OpRemoveOwners:
		// Only owners go: one a previous AddMembers demoted stays a member.
		return forEach(a.People, func(p string) error {
			m, err := dir.Members.Get(gk, p).Context(ctx).Do()
			if err := wrap("members.get", err); err != nil || m.Role != "OWNER" {
				return gone(err)
			}
			return gone(wrap("members.delete", dir.Members.Delete(gk, p).Context(ctx).Do()))
		})
	case target.OpArchive:
		return errors.New(errGroupArchive)
	case target.OpUnarchive:
		return nil // never archived
	case target.OpDelete:
		return gone(wrap("groups.delete", dir.Groups.Delete(gk).Context(ctx).Do()))
	}
	return errors.New("unknown op " + string(a.Op))
}

// createGroup makes the group so that it never loses its marker, whether
// or not Directory keeps an old address when the e-mail changes (the
// Admin console does, https://support.google.com/a/answer/9007750; the
// Directory reference does not say):
//
//  1. groups.insert with a pending address derived from the key as its
//     e-mail (a retry answers 409 duplicate, and the group is found by
//     that address);
//  2. groups.aliases.insert of the marker, which stays through step 3;
//  3. groups.patch to the real address <mailNickname>@<domain>;
//  4. groups.aliases.delete of the pending address, if it was kept;
//  5. the owners, as OWNER members.
//
// Cut off before step 3, the group is not observed (Observe skips groups
// still at their pending address) and the plan's next Create finishes it.
func (rs *roomRun) createGroup(ctx context.Context, a target.Action, gk string) error {
	local, _, _ := strings.Cut(gk, "@")
	if n := len(local); n > maxLocalPart {
		return &CapError{Kind: a.Kind, Key: a.Key, What: "characters in the marker address of its key", Have: n, Max: maxLocalPart}
	}
	if a.MailNickname == "" {
		return errors.New("groups.insert: the room has no mail nickname")
	}
	dir := rs.t.dir
	email := strings.ToLower(a.MailNickname + "@" + rs.t.domain)
	pending := rs.t.markers.pendingAddress(a.Kind, a.Key, rs.t.domain)
	g, err := dir.Groups.Insert(&admin.Group{Email: pending, Name: a.Name, Description: a.Description}).Context(ctx).Do()
	err = wrap("groups.insert", err)
	if isCode(err, 409) {
		g, err = dir.Groups.Get(pending).Context(ctx).Do()
		err = wrap("groups.get", err)
	}
	if err != nil {
		return err
	}
	if !hasAddress(g, gk) {
		_, err := dir.Groups.Aliases.Insert(g.Id, &admin.Alias{Alias: gk}).Context(ctx).Do()
		if err := wrap("groups.aliases.insert", err); err != nil && !isCode(err, 409) {
			return err
		}
	}
	if !strings.EqualFold(g.Email, email) {
		if g, err = dir.Groups.Patch(g.Id, &admin.Group{Email: email}).Context(ctx).Do(); err != nil {
			return wrap("groups.patch", err)
		}
	}
	if hasAddress(g, pending) {
		err := dir.Groups.Aliases.Delete(g.Id, pending).Context(ctx).Do()
		if err := gone(wrap("groups.aliases.delete", err)); err != nil {
			return err
		}
	}
	return forEach(a.People, func(p string) error { return rs.addGroupMember(ctx, g.Id, p, "OWNER") })
}

func hasAddress(g *admin.Group, addr string) bool {
	return slices.ContainsFunc(g.Aliases, func(s string) bool { return strings.EqualFold(s, addr) })
}

// addGroupMember adds p with role; one already there (409 duplicate) gets
// the role if it differs. OWNER alone makes an owner, not also a member:
// a member's role is one of OWNER, MANAGER, MEMBER (Directory reference,
// Member.role).
func (rs *roomRun) addGroupMember(ctx context.Context, gk, p, role string) error {
	dir := rs.t.dir
	_, err := dir.Members.Insert(gk, &admin.Member{Email: p, Role: role}).Context(ctx).Do()
	err = wrap("members.insert", err)
	switch {
	case isCode(err, 409):
		m, err := dir.Members.Get(gk, p).Context(ctx).Do()
		if err != nil || m.Role == role {
			return wrap("members.get", err)
		}
		_, err = dir.Members.Patch(gk, p, &admin.Member{Role: role}).Context(ctx).Do()
		return wrap("members.patch", err)
	case isCode(err, 404):
		if !rs.checked {
			if _, err := dir.Groups.Get(gk).Context(ctx).Do(); err != nil {
				return wrap("groups.get", err)
			}
			rs.checked = true
		}
		rs.unresolved.Add(1)
		return nil
	}
	return err
}

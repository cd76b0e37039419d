// Package plan compares the desired rooms with the rooms a target reports it
// owns and turns the difference into ordered, idempotent actions, a drift
// report and inventory counts. It does no I/O: the same inputs always give
// the same Plan and the same Hash, whatever the order of the inputs.
//
// # Matching
//
// Rooms match by kind and key. A key observed under another kind than the
// desired one is two rooms: the observed one is orphaned, the desired one
// missing. Account keys (UPNs, e-mail addresses) compare case-insensitively;
// actions carry the desired spelling when they add a person and the
// observed spelling when they remove one. Two observed rooms with the same
// kind and key (left by a crash on a target without unique ids) keep the
// one with the lowest ID, shorter first so that numeric ids compare as
// numbers; the others are orphans with reason Duplicate.
//
// # Policy
//
// Each field of a present room follows policy.Drift: Correct reports the
// difference and writes the fix, Report only reports it, Ignore does
// neither. An empty value is the CRD default (Correct, except Report for
// Archived); a value this version does not know is read as Report, the
// reading that never writes. A room found archived while still desired is
// unarchived only under Correct; while it stays archived its name and
// description cannot be written (Teams: "users can no longer … edit the
// team's name, description", https://learn.microsoft.com/en-us/graph/api/team-archive;
// Classroom refuses changes to an archived course with CourseNotModifiable,
// https://developers.google.com/workspace/classroom/reference/rest/v1/courses/update),
// so its differences are reported and nothing is written to it.
//
// Owners and members are two sets; a person holds one role, as in the
// desired state and in target.Room. Someone observed as a member but
// desired as an owner is promoted by AddOwners alone and never removed as a
// member, since where an owner is also a member (Graph groups, Google
// groups) removing that membership would strip the owner. Someone observed as an owner but
// desired as a member gets AddMembers before RemoveOwners, since on some
// targets (Classroom, Google groups) removing the owner removes the person;
// an owner that stays (Owners not at Correct, or see below) is in the room
// already and is only reported, as ExtraOwners.
// A room with no desired owners keeps its observed owners: Graph refuses
// to remove the last owner ("the last owner (a user object) of the group
// cannot be removed", https://learn.microsoft.com/en-us/graph/api/group-delete-owners),
// and an owner someone added by hand to an ownerless group is the admin's
// business; they are still reported as ExtraOwners. With at least one
// desired owner and Owners at Correct, every desired owner that is missing
// is added before any extra one is removed, so a room never drops to zero
// owners.
//
// A room missing from the target is always created, whatever the policy:
// OpCreate with the desired owners, then OpAddMembers with the members.
//
// # Lifetime and deletion
//
// A desired room whose Lifetime.ArchiveAfter is set and not after the plan
// day is at the end of its life: it is archived if it is not already, gets
// no other change, and is not drift. Such a room that is missing is not
// created. An observed room that is not desired is orphaned and handled by
// policy.Deletion: Archive (the default) archives it unless it is archived
// already, Delete deletes it, Orphan leaves it; any other value is read as
// Orphan. Orphans are reported, except an orphan already archived under
// Archive: that is where the policy wants it, so it is counted in the
// inventory but is not drift. Groups (SecurityGroup, MailGroup,
// GoogleGroup) have no archived state (target.Archivable): Archive leaves
// them in place, reported, and an expired desired group is left alone.
//
// # Order
//
// Adapters apply actions in order, so the order is part of the contract:
//
//  1. every OpCreate;
//  2. per room: Unarchive, Rename, SetDescription, AddOwners, AddMembers,
//     RemoveMembers, RemoveOwners (adds before removes);
//  3. every OpArchive;
//  4. every OpDelete.
//
// Within a phase rooms go by kind, then key, then ID. People in an action
// are sorted. Drift is sorted the same way, one entry per room.
//
// # Privacy
//
// A Plan holds account keys in its actions and must not be logged or put
// in a status; Drift, Inventory, Summary and Hash hold only room kinds,
// keys, names, reasons and counts and are safe for status.
package plan

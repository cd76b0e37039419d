// Package target is the contract between the planner and the adapters that
// talk to Microsoft 365, Google Workspace and other targets.
//
// An adapter observes the rooms it owns (ownership is recovered from the
// target itself, never from local state) and applies ordered actions. Every
// action is idempotent: applying it twice, or after a crash in the middle of
// a previous apply, leaves the same end state and never a duplicate room.
package target

import (
	"context"
	"sync/atomic"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// Target is one Microsoft 365 tenant, Google domain or other target.
type Target interface {
	// Observe lists every room this operator owns in the target, with its
	// owners and members as account keys. The rooms are the caller's to
	// read and keep, not to change: an adapter may hand the same lists out
	// again, so it never changes a list once returned. Copying every list
	// on every sync was a twentieth of a quiet cycle's CPU.
	Observe(ctx context.Context) ([]Room, error)
	// Apply carries out actions in order. It goes on past a failed action,
	// skipping later actions on the same room, and stops only when ctx is
	// done. The Result says what was done and what failed.
	Apply(ctx context.Context, actions []Action) Result
	// Stats counts the API traffic since the Target was made.
	Stats() Stats
}

// Room is a room as observed in the target.
type Room struct {
	// Key is the room's stable key, recovered from the target (an education
	// class externalId, a reserved mailNickname, a Classroom alias, a group
	// marker).
	Key  string
	Kind elevsynkv1.RoomKind
	// ID is the target's own id for the room (group id, course id).
	ID string

	Name         string
	Description  string
	MailNickname string

	// Owners and Members are account keys in the target's lookup attribute
	// (e.g. userPrincipalName). A person with no such attribute is listed as
	// "id:" followed by the target's user id, so drift can still remove them.
	// Owners are not repeated in Members.
	Owners  []string
	Members []string

	Archived bool
}

// Op is one kind of action.
type Op string

const (
	// OpCreate makes the room with Name, Description, MailNickname and the
	// owners in People. Members follow in an OpAddMembers.
	OpCreate         Op = "Create"
	OpRename         Op = "Rename"
	OpSetDescription Op = "SetDescription"
	OpAddOwners      Op = "AddOwners"
	OpAddMembers     Op = "AddMembers"
	OpRemoveMembers  Op = "RemoveMembers"
	OpRemoveOwners   Op = "RemoveOwners"
	OpUnarchive      Op = "Unarchive"
	OpArchive        Op = "Archive"
	OpDelete         Op = "Delete"
)

// Action is one idempotent change to one room.
type Action struct {
	Op   Op
	Kind elevsynkv1.RoomKind
	Key  string
	// ID is the target's id of the room; empty for OpCreate and for actions
	// that follow an OpCreate in the same plan (the adapter knows the id
	// from the create).
	ID string

	// Name, Description and MailNickname: for OpCreate; Name for OpRename;
	// Description for OpSetDescription.
	Name         string
	Description  string
	MailNickname string
	// Template is, for OpCreate of a Team, the Teams template to create it
	// with: "standard" (also when empty) or "educationStaff".
	Template string

	// People are account keys: the owners for OpCreate and OpAddOwners, the
	// members or owners to add or remove otherwise. Sorted.
	People []string
}

// Result is what an Apply did.
type Result struct {
	// Applied counts actions carried out in full.
	Applied int
	// Skipped counts actions not tried because an earlier action on the same
	// room failed, or because ctx ended.
	Skipped int
	// Unresolved counts account keys with no user in the target; they are
	// left out of their action rather than failing it.
	Unresolved int
	// Failures name the room and the action, never a person.
	Failures []Failure
}

// Failure is one action that failed.
type Failure struct {
	Op      Op
	Kind    elevsynkv1.RoomKind
	Key     string
	Message string
}

// Stats counts API traffic. Adapters increment it; readers take a copy
// with Load.
type Stats struct {
	Requests  int64
	Writes    int64
	Throttled int64
}

// Counter is the concurrency-safe form of Stats an adapter embeds.
type Counter struct {
	requests, writes, throttled atomic.Int64
}

// Request counts one HTTP request; write says whether it changes state.
func (c *Counter) Request(write bool) {
	c.requests.Add(1)
	if write {
		c.writes.Add(1)
	}
}

// Throttle counts one throttled response (429, or 503 with Retry-After).
func (c *Counter) Throttle() { c.throttled.Add(1) }

// Load returns the counts so far.
func (c *Counter) Load() Stats {
	return Stats{Requests: c.requests.Load(), Writes: c.writes.Load(), Throttled: c.throttled.Load()}
}

// GroupReader reads groups kept by hand in a target's directory (an
// "IT-ansvariga" group in Entra ID, a Google group an administrator
// keeps), for a RegisterSource that offers them to Mappings as groups.
// Microsoft 365 and Google adapters implement it; it only reads.
type GroupReader interface {
	// Groups reads the groups with these ids and those whose display name
	// starts with prefix (case-insensitively; "" matches none), each once,
	// sorted by id, with owners and members as account keys in the
	// adapter's lookup attribute (people without one are left out). A
	// group named by id that does not exist is a *GroupNotFoundError; a
	// group this adapter manages is a *ManagedGroupError: a room cannot
	// feed the rooms it is made from.
	Groups(ctx context.Context, ids []string, prefix string) ([]Group, error)
}

// Group is a group read by a GroupReader.
type Group struct {
	ID, DisplayName string
	Owners, Members []string
}

// ManagedGroupError is a group a source names that elevsynk manages.
type ManagedGroupError struct{ ID, DisplayName string }

func (e *ManagedGroupError) Error() string {
	return "group " + e.ID + " (" + e.DisplayName + ") is a room elevsynk manages; it cannot be a source of rooms"
}

// GroupNotFoundError is a group id a source names that the directory
// does not have.
type GroupNotFoundError struct{ ID string }

func (e *GroupNotFoundError) Error() string {
	return "group " + e.ID + " does not exist in the directory"
}

// RegisterUser is a target that writes people's records, not only rooms
// (a roster file set: users with names, their schools). The controller
// hands it the register the desired rooms were made from before a sync.
type RegisterUser interface {
	UseRegister(*roster.Snapshot)
}

// RunReporter is a target that can say what the service did with the
// last data it was given (School Data Sync's last run), in counts and
// error codes only, for the Target's status.
type RunReporter interface {
	RunStatus() *elevsynkv1.SchoolDataSyncStatus
}

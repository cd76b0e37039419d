package plan

import (
	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
)

// day is the plan day of the tests.
var day = roster.MustParseDate("2026-09-14")

const (
	team   = elevsynkv1.RoomTeam
	class  = elevsynkv1.RoomClassTeam
	sg     = elevsynkv1.RoomSecurityGroup
	course = elevsynkv1.RoomCourse
)

// room is a desired room named after its key.
func room(kind elevsynkv1.RoomKind, key string, owners, members []string) desired.Room {
	r := desired.Room{Key: key, Kind: kind, Name: "name " + key, Description: "desc " + key}
	r.SetPeople(owners, members)
	return r
}

// seen is the observed copy of a desired room, with id.
func seen(r desired.Room, id string) target.Room {
	return target.Room{Key: r.Key, Kind: r.Kind, ID: id, Name: r.Name, Description: r.Description,
		MailNickname: r.MailNickname, Owners: r.Owners, Members: r.Members}
}

func people(keys ...string) []string { return keys }

// act is an action on an observed room.
func act(op target.Op, kind elevsynkv1.RoomKind, key, id string, keys ...string) target.Action {
	return target.Action{Op: op, Kind: kind, Key: key, ID: id, People: keys}
}

func drifted(kind elevsynkv1.RoomKind, key string, reasons ...Reason) Drift {
	return Drift{Kind: kind, Key: key, Name: "name " + key, Reasons: reasons}
}

func state(rooms ...desired.Room) desired.State { return desired.State{Rooms: rooms} }

// with returns r changed by f, for variations of one room in a table.
func with[T any](r T, f func(*T)) T {
	f(&r)
	return r
}

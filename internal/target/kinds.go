package target

import (
	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
)

// Platform is the family of a target: what room kinds it can hold.
type Platform string

const (
	Microsoft365 Platform = "microsoft365"
	Google       Platform = "google"
	// File holds every kind as it is (internal/target/file).
	File Platform = "file"
	// SchoolDataSync and OneRoster hold class groups only: a roster has
	// classes, not teams or groups (internal/target/rostercsv).
	SchoolDataSync Platform = "schoolDataSync"
	OneRoster      Platform = "oneRoster"
)

// rosterKinds is the kind table of the roster platforms: a class team and
// a course are both a class; School Data Sync makes the class group (and
// its team) from it. Staff teams, security and mail groups stay with a
// microsoft365 Target.
var rosterKinds = map[elevsynkv1.RoomKind]elevsynkv1.RoomKind{
	elevsynkv1.RoomClassTeam: elevsynkv1.RoomClassTeam,
	elevsynkv1.RoomCourse:    elevsynkv1.RoomClassTeam,
}

// kindOn says which kind a desired room becomes on a platform, so that one
// Mapping can feed a Microsoft 365 and a Google Target alike. A kind that
// maps to "" has no counterpart there and is skipped.
var kindOn = map[Platform]map[elevsynkv1.RoomKind]elevsynkv1.RoomKind{
	Microsoft365: {
		elevsynkv1.RoomClassTeam:     elevsynkv1.RoomClassTeam,
		elevsynkv1.RoomCourse:        elevsynkv1.RoomClassTeam,
		elevsynkv1.RoomTeam:          elevsynkv1.RoomTeam,
		elevsynkv1.RoomSecurityGroup: elevsynkv1.RoomSecurityGroup,
		elevsynkv1.RoomMailGroup:     elevsynkv1.RoomMailGroup,
		elevsynkv1.RoomGoogleGroup:   elevsynkv1.RoomMailGroup,
	},
	Google: {
		elevsynkv1.RoomClassTeam:   elevsynkv1.RoomCourse,
		elevsynkv1.RoomCourse:      elevsynkv1.RoomCourse,
		elevsynkv1.RoomTeam:        elevsynkv1.RoomGoogleGroup,
		elevsynkv1.RoomGoogleGroup: elevsynkv1.RoomGoogleGroup,
		elevsynkv1.RoomMailGroup:   elevsynkv1.RoomMailGroup,
		// Directory cannot make security groups (that is Cloud Identity's
		// groups.security label), so they stay on Microsoft 365 only.
	},
	File: {
		elevsynkv1.RoomClassTeam:     elevsynkv1.RoomClassTeam,
		elevsynkv1.RoomTeam:          elevsynkv1.RoomTeam,
		elevsynkv1.RoomSecurityGroup: elevsynkv1.RoomSecurityGroup,
		elevsynkv1.RoomMailGroup:     elevsynkv1.RoomMailGroup,
		elevsynkv1.RoomCourse:        elevsynkv1.RoomCourse,
		elevsynkv1.RoomGoogleGroup:   elevsynkv1.RoomGoogleGroup,
	},
	SchoolDataSync: rosterKinds,
	OneRoster:      rosterKinds,
}

// Fit returns the rooms of s as platform holds them, and how many rooms of
// each kind it has no place for. Keys stay as they are, so a room keeps its
// identity whichever kind it takes.
func Fit(s desired.State, platform Platform) (desired.State, map[elevsynkv1.RoomKind]int) {
	out := desired.State{Rooms: make([]desired.Room, 0, len(s.Rooms))}
	var skipped map[elevsynkv1.RoomKind]int
	for _, r := range s.Rooms {
		k := kindOn[platform][r.Kind]
		if k == "" {
			if skipped == nil {
				skipped = map[elevsynkv1.RoomKind]int{}
			}
			skipped[r.Kind]++
			continue
		}
		r.Kind = k
		out.Rooms = append(out.Rooms, r)
	}
	out.Sort()
	return out, skipped
}

// Archivable says whether rooms of kind k have an archived state: Teams
// can be archived (https://learn.microsoft.com/en-us/graph/api/team-archive)
// and so can Classroom courses (courseState ARCHIVED); plain groups cannot.
func Archivable(k elevsynkv1.RoomKind) bool {
	switch k {
	case elevsynkv1.RoomClassTeam, elevsynkv1.RoomTeam, elevsynkv1.RoomCourse:
		return true
	}
	return false
}

package google

import (
	"fmt"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
)

// Classroom's class size limits: "50 teachers per class", "1,000 members
// per class" counting teachers and students
// (https://support.google.com/edu/classroom/answer/7300976).
const (
	MaxCourseTeachers = 50
	MaxCourseMembers  = 1000
)

// CapError says why a desired room cannot be kept in Google Workspace as
// it is. It names the room by kind and key and gives counts only.
type CapError struct {
	Kind     elevsynkv1.RoomKind
	Key      string
	What     string // "teachers", "members", "key characters", ...
	Have     int
	Max      int
	Unusable bool // the kind itself is not supported; Have and Max are 0
}

func (e *CapError) Error() string {
	if e.Unusable {
		return fmt.Sprintf("%s %s: %s", e.Kind, e.Key, e.What)
	}
	return fmt.Sprintf("%s %s: %d %s, at most %d allowed", e.Kind, e.Key, e.Have, e.What, e.Max)
}

// errSecurityGroup explains the one kind this target refuses: the
// Directory API cannot mark a group as a security group, that needs the
// Cloud Identity Groups API label
// cloudidentity.googleapis.com/groups.security
// (https://cloud.google.com/identity/docs/how-to/update-group-to-security-group).
const errSecurityGroup = "security groups need the Cloud Identity Groups API; the Google target does not keep them"

// Caps reports, before anything is applied, whether room fits the limits
// of Google Workspace: a course's teachers and members, the length of the
// key its marker encodes, and whether the kind is supported at all. The
// controller can show the *CapError as a finding; Apply refuses the same
// rooms with a Failure rather than truncating them.
func (m Markers) Caps(room desired.Room) error {
	fail := func(what string, have, max int) error {
		return &CapError{Kind: room.Kind, Key: room.Key, What: what, Have: have, Max: max}
	}
	switch room.Kind {
	case elevsynkv1.RoomCourse:
		if n := len(m.courseAlias(room.Key)); n > maxCourseAlias {
			return fail("characters in the course alias of its key", n, maxCourseAlias)
		}
		if len(room.Owners) == 0 {
			return &CapError{Kind: room.Kind, Key: room.Key, What: "a course needs at least one owner", Unusable: true}
		}
		if n := len(room.Owners); n > MaxCourseTeachers {
			return fail("teachers", n, MaxCourseTeachers)
		}
		if n := len(room.Owners) + len(room.Members); n > MaxCourseMembers {
			return fail("members", n, MaxCourseMembers)
		}
	case elevsynkv1.RoomGoogleGroup, elevsynkv1.RoomMailGroup:
		if n := len(m.marker(room.Kind, room.Key)); n > maxLocalPart {
			return fail("characters in the marker address of its key", n, maxLocalPart)
		}
		if n := len(room.MailNickname); n == 0 || n > maxLocalPart {
			return fail("characters in the mail nickname", n, maxLocalPart)
		}
	case elevsynkv1.RoomSecurityGroup:
		return &CapError{Kind: room.Kind, Key: room.Key, What: errSecurityGroup, Unusable: true}
	default:
		return &CapError{Kind: room.Kind, Key: room.Key, What: "this kind is not kept in Google Workspace", Unusable: true}
	}
	return nil
}

package imsxml

import (
	"maps"
	"strings"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// State is what the exports read so far hold: the last Complete export with
// every later Delta applied. Snapshot turns it into the register.
type State struct {
	Persons map[string]*Person
	Groups  map[string]*Group
	// Members are each group's members, by group id, in key order
	// (compareKeys), one per key. A slice, not a map: a municipality has
	// millions, and a slice of them costs a third of a map's memory.
	Members map[string][]Member
}

// Person is an IMS person, reduced to what the register carries.
type Person struct {
	ID          string
	Given       string
	Family      string
	CivicNo     roster.CivicNo
	Logins      []string // userid without a type or of type EPPN, UPN, Username: the first is the primary
	Email       string   // email
	WorkEmail   string   // extension emailwork, emailworkschool
	HomeEmail   string   // emailhome
	Protected   bool     // extension privacy other than None or false
	Level2      bool     // privacy level 2 and up: skyddad folkbokföring
	Status      string   // extension status: Normal, Deceased, Emigrated
	ProgramCode string   // extension programcode
}

// Group is an IMS group: a school unit, an organisation, a class, a
// teaching group or a subject.
type Group struct {
	ID               string
	Type             string // grouptype/typevalue
	Name             string // description/short, else long, else full
	Begin, End       roster.Date
	Parent           string // relationship relation 1
	OrgCode          string // extension id (Tieto's unit id)
	SchoolUnitCode   string // extension schoolunitcode or csncode
	MunicipalityCode string
	OrgNumber        string // extension organizationnumber
	OrgType          string // extension organizationtypename
	SchoolTypes      []string
	SchoolYear       string
	SubjectCode      string
	SubjectName      string // extension subjectname
	CourseCode       string // extension course/coursecode or coursecode
}

// Member is one member's role in a group.
type Member struct {
	Key  MemberKey
	Role Role
}

// MemberKey is one member in one role.
type MemberKey struct {
	ID    string
	Group bool // the member is a group, not a person
	Role  string
}

// Role is a member's role. Most roles are a pupil's or teacher's with
// dates only, so the rest is kept apart: a municipality has millions.
type Role struct {
	Begin, End roster.Date
	Inactive   bool         // status 0 or Inactive
	Details    *RoleDetails // nil when the role has none
}

// RoleDetails are a role's extension values.
type RoleDetails struct {
	SchoolYear     string // extension schoolyear or placement/schoolyear
	SchoolUnitCode string // extension schoolunitcode or placement/schoolunitcode
	SchoolType     string // extension placement/schooltype
	ProgramCode    string // extension placement/programcode
	SubjectCode    string // extension activity/subjectcode
	CourseCode     string // extension activity/coursecode
	// PlacementBegin and PlacementEnd are a pupil's enrolment dates
	// (extension placement begin and end), apart from the role's timeframe.
	PlacementBegin, PlacementEnd roster.Date
	Subrole                      string // e.g. a staff member's SS 12000 duty role
}

func (r Role) details() RoleDetails {
	if r.Details == nil {
		return RoleDetails{}
	}
	return *r.Details
}

func newState() *State {
	return &State{Persons: map[string]*Person{}, Groups: map[string]*Group{}, Members: map[string][]Member{}}
}

// clone copies s deeply enough that applying a Delta to the copy leaves s
// as it was: the maps are copied; the records and member lists they hold
// are replaced, never changed, by a Delta.
func (s *State) clone() *State {
	return &State{Persons: maps.Clone(s.Persons), Groups: maps.Clone(s.Groups), Members: maps.Clone(s.Members)}
}

func compareKeys(a, b MemberKey) int {
	if c := strings.Compare(a.ID, b.ID); c != 0 {
		return c
	}
	if a.Group != b.Group {
		if a.Group {
			return 1
		}
		return -1
	}
	return strings.Compare(a.Role, b.Role)
}

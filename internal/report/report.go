// Package report is the overview school administrators read: every room
// of a tenant with its owners and members, desired against observed, why a
// room drifted, who was left out and why, and the register's data-quality
// findings. Status carries counts by design; this report holds the names,
// so it is personal data: it is written with mode 0600 and says so.
//
// Two rules hold whatever the input: a civic number is never in it (no
// field of the model takes one), and a person with a protected identity
// (an SS 12000 securityMarking other than Ingen) is never named, not even
// among the people left out: such people are only counted.
package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/mapping"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
)

// Notice heads every report.
const Notice = "This report holds personal data of pupils and staff (names and account keys). " +
	"Keep it as you keep the register: share it only with the people who run the school's IT."

// Report is one tenant's overview; its JSON form is the report's data.
type Report struct {
	Tenant      string    `json:"tenant"` // namespace/name
	DisplayName string    `json:"displayName"`
	GeneratedAt time.Time `json:"generatedAt"`
	Notice      string    `json:"notice"`
	// People are everyone a room lists, by index; rooms refer to them by
	// their index, which keeps a municipality's report small.
	People   []Person      `json:"people"`
	Schools  []School      `json:"schools"`
	Targets  []Target      `json:"targets"`
	LeftOut  LeftOut       `json:"leftOut"`
	Findings []Finding     `json:"findings"`
	Mappings []MappingInfo `json:"mappings"`
}

// Person is a name and the account key rooms list the person by. Name is
// "" for an account the register does not know (someone added by hand).
type Person struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// School counts the desired rooms and memberships of one school.
type School struct {
	Name        string         `json:"name"` // "" for the organiser's and manual rooms
	Rooms       map[string]int `json:"rooms"`
	Memberships int            `json:"memberships"`
}

// Target is one Target's rooms, desired against observed.
type Target struct {
	Name      string               `json:"name"`
	Platform  string               `json:"platform"`
	Mode      elevsynkv1.Mode      `json:"mode"`
	Mapping   string               `json:"mapping"`
	Summary   Actions              `json:"summary"`
	Inventory elevsynkv1.Inventory `json:"inventory"`
	// NotHeld counts the desired rooms the platform cannot hold, by why.
	NotHeld []NotHeld `json:"notHeld,omitempty"`
	Rooms   []Room    `json:"rooms"`
}

// Actions is what the Target's plan would do now.
type Actions struct {
	Creates       int `json:"creates"`
	Updates       int `json:"updates"`
	Archives      int `json:"archives"`
	Deletes       int `json:"deletes"`
	MemberAdds    int `json:"memberAdds"`
	MemberRemoves int `json:"memberRemoves"`
	OwnerAdds     int `json:"ownerAdds"`
	OwnerRemoves  int `json:"ownerRemoves"`
}

// NotHeld is a count of desired rooms a platform has no place for.
type NotHeld struct {
	Why   string `json:"why"`
	Count int    `json:"count"`
}

// Room states.
const (
	InSync   = "InSync"
	Drifted  = "Drifted"
	Missing  = "Missing"
	Orphaned = "Orphaned"
)

// Room is one room as desired and as observed. Owners and Members are the
// desired ones; Missing* are desired but not in the target, Extra* in the
// target but not desired. All are indexes into Report.People.
type Room struct {
	Kind   elevsynkv1.RoomKind `json:"kind"`
	Key    string              `json:"key"`
	Name   string              `json:"name"`
	School string              `json:"school,omitempty"`
	State  string              `json:"state"`
	Drift  []plan.Reason       `json:"drift,omitempty"`
	// ObservedName is the name in the target when it differs.
	ObservedName   string `json:"observedName,omitempty"`
	Archived       bool   `json:"archived,omitempty"`
	Owners         []int  `json:"owners"`
	Members        []int  `json:"members"`
	MissingOwners  []int  `json:"missingOwners,omitempty"`
	MissingMembers []int  `json:"missingMembers,omitempty"`
	ExtraOwners    []int  `json:"extraOwners,omitempty"`
	ExtraMembers   []int  `json:"extraMembers,omitempty"`
	// Protected counts the room's people, desired or observed, with a
	// protected identity: they are never listed.
	Protected int `json:"protected,omitempty"`
}

// LeftOut is who the Mappings left out of every room, and why.
type LeftOut struct {
	// Counts are the Mappings' counts by reason, protected identities
	// (SecurityMarking) included.
	Counts []elevsynkv1.ReasonCount `json:"counts"`
	// People are those left out for any reason but a protected identity.
	People []LeftPerson `json:"people"`
}

// LeftPerson is one person left out; never one with a protected identity.
type LeftPerson struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
	School string `json:"school,omitempty"`
}

// Finding is a data-quality problem and the rooms it concerns.
type Finding struct {
	Reason string   `json:"reason"`
	Count  int      `json:"count"`
	Rooms  []string `json:"rooms,omitempty"`
}

// MappingInfo is one Mapping's totals.
type MappingInfo struct {
	Name        string `json:"name"`
	Rooms       int    `json:"rooms"`
	Memberships int64  `json:"memberships"`
}

// Input is what a tenant's report is made of: its register, each
// Mapping's evaluation and each Target's observed rooms and plan.
type Input struct {
	Tenant      string
	DisplayName string
	GeneratedAt time.Time
	// Register is the primary register the Mappings evaluated: names,
	// schools and protected identities come from it.
	Register *roster.Snapshot
	Mappings []MappingInput
}

// MappingInput is one Mapping's evaluation.
type MappingInput struct {
	Name    string
	Want    desired.State
	Report  mapping.Report
	Targets []TargetInput
}

// TargetInput is one Target of the Mapping: the rooms it was planned with
// (platform.Prepare's), what it observed, and the plan.
type TargetInput struct {
	Name     string
	Platform string
	Mode     elevsynkv1.Mode
	Want     desired.State
	Have     []target.Room
	Plan     plan.Plan
	NotHeld  []NotHeld
}

// Build makes the report. It is a pure function of its input.
func Build(in Input) Report {
	b := newBuilder(in.Register)
	r := Report{Tenant: in.Tenant, DisplayName: in.DisplayName, GeneratedAt: in.GeneratedAt.UTC(), Notice: Notice,
		Schools: []School{}, Targets: []Target{}, Findings: []Finding{}, Mappings: []MappingInfo{}}
	schools := map[string]*School{}
	leftCounts := map[string]int32{}
	seenLeft := map[string]bool{}
	for _, m := range in.Mappings {
		withoutOwners := map[string]bool{}
		r.Mappings = append(r.Mappings, MappingInfo{Name: m.Name, Rooms: len(m.Want.Rooms), Memberships: m.Want.Memberships()})
		for _, room := range m.Want.Rooms {
			s := schools[room.School]
			if s == nil {
				s = &School{Name: room.School, Rooms: map[string]int{}}
				schools[room.School] = s
			}
			s.Rooms[string(room.Kind)]++
			s.Memberships += len(room.Owners) + len(room.Members)
			if len(room.Owners) == 0 {
				withoutOwners[room.Name] = true
			}
		}
		for _, c := range m.Report.ExcludedPeople {
			leftCounts[c.Reason] += c.Count
		}
		for _, lo := range m.Report.LeftOut {
			if p, ok := b.byID[lo.PersonID]; ok && !b.protected(p) && !seenLeft[lo.PersonID+"\x00"+lo.Reason] {
				seenLeft[lo.PersonID+"\x00"+lo.Reason] = true
				r.LeftOut.People = append(r.LeftOut.People, LeftPerson{Name: fullName(p), Reason: lo.Reason, School: b.schoolOf(p)})
			}
		}
		for _, f := range m.Report.Findings {
			fd := Finding{Reason: f.Reason, Count: int(f.Count)}
			if f.Reason == mapping.FindingRoomWithoutOwners {
				fd.Rooms = slices.Sorted(maps.Keys(withoutOwners))
			}
			r.Findings = append(r.Findings, fd)
		}
		for _, t := range m.Targets {
			r.Targets = append(r.Targets, b.target(m.Name, t))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(schools)) {
		r.Schools = append(r.Schools, *schools[name])
	}
	for _, reason := range slices.Sorted(maps.Keys(leftCounts)) {
		r.LeftOut.Counts = append(r.LeftOut.Counts, elevsynkv1.ReasonCount{Reason: reason, Count: leftCounts[reason]})
	}
	if r.LeftOut.People == nil {
		r.LeftOut.People = []LeftPerson{}
	}
	slices.SortFunc(r.LeftOut.People, func(a, b LeftPerson) int {
		return cmp.Or(cmp.Compare(a.Reason, b.Reason), cmp.Compare(a.Name, b.Name))
	})
	slices.SortFunc(r.Targets, func(a, b Target) int { return cmp.Compare(a.Name, b.Name) })
	r.People = b.people
	return r
}

// builder keeps the people table while rooms are added.
type builder struct {
	byID   map[string]*roster.Person
	byKey  map[string]*roster.Person // account keys: principal names, e-mail addresses, external ids
	units  map[string]string         // school unit id → name
	index  map[string]int            // account key → index in people
	people []Person
}

func newBuilder(snap *roster.Snapshot) *builder {
	b := &builder{byID: map[string]*roster.Person{}, byKey: map[string]*roster.Person{}, units: map[string]string{},
		index: map[string]int{}, people: []Person{}}
	if snap == nil {
		return b
	}
	for i := range snap.Organisations {
		b.units[snap.Organisations[i].ID] = snap.Organisations[i].DisplayName
	}
	for i := range snap.Persons {
		p := &snap.Persons[i]
		if _, dup := b.byID[p.ID]; dup {
			continue
		}
		b.byID[p.ID] = p
		for _, k := range p.EduPersonPrincipalNames {
			b.keep(k, p)
		}
		for _, e := range p.Emails {
			b.keep(e.Value, p)
		}
		for _, x := range p.ExternalIdentifiers {
			b.keep(x.Value, p)
		}
	}
	return b
}

func (b *builder) keep(key string, p *roster.Person) {
	if _, ok := b.byKey[key]; key != "" && !ok {
		b.byKey[key] = p
	}
}

// protected: the person's identity is protected, so the report never
// names them. Stricter than any Mapping: every marking but Ingen counts.
func (b *builder) protected(p *roster.Person) bool {
	return p.SecurityMarking != "" && p.SecurityMarking != roster.SecurityNone
}

func (b *builder) schoolOf(p *roster.Person) string {
	for _, e := range p.Enrolments {
		if name := b.units[e.SchoolUnitID]; name != "" {
			return name
		}
	}
	return ""
}

func fullName(p *roster.Person) string {
	switch {
	case p.GivenName == "":
		return p.FamilyName
	case p.FamilyName == "":
		return p.GivenName
	}
	return p.GivenName + " " + p.FamilyName
}

// refs turns account keys into people indexes, and counts the protected
// people among them instead of listing them.
func (b *builder) refs(keys []string, protected *int) []int {
	out := make([]int, 0, len(keys))
	for _, k := range keys {
		p := b.byKey[k]
		if p != nil && b.protected(p) {
			*protected++
			continue
		}
		i, ok := b.index[k]
		if !ok {
			i = len(b.people)
			name := ""
			if p != nil {
				name = fullName(p)
			}
			b.people = append(b.people, Person{Key: k, Name: name})
			b.index[k] = i
		}
		out = append(out, i)
	}
	return out
}

// target is one Target's part of the report.
func (b *builder) target(mappingName string, t TargetInput) Target {
	s := t.Plan.Summary()
	out := Target{Name: t.Name, Platform: t.Platform, Mode: t.Mode, Mapping: mappingName,
		Summary: Actions(s), Inventory: t.Plan.Inventory, NotHeld: t.NotHeld, Rooms: []Room{}}
	type id struct {
		kind elevsynkv1.RoomKind
		key  string
	}
	have := make(map[id]*target.Room, len(t.Have))
	for i := range t.Have {
		h := &t.Have[i]
		if _, dup := have[id{h.Kind, h.Key}]; !dup {
			have[id{h.Kind, h.Key}] = h
		}
	}
	drift := make(map[id][]plan.Reason, len(t.Plan.Drift))
	for _, d := range t.Plan.Drift {
		drift[id{d.Kind, d.Key}] = d.Reasons
	}
	for _, w := range t.Want.Rooms {
		k := id{w.Kind, w.Key}
		room := Room{Kind: w.Kind, Key: w.Key, Name: w.Name, School: w.School, State: InSync, Drift: drift[k]}
		room.Owners = b.refs(w.Owners, &room.Protected)
		room.Members = b.refs(w.Members, &room.Protected)
		if h := have[k]; h != nil {
			if h.Name != w.Name {
				room.ObservedName = h.Name
			}
			room.Archived = h.Archived
			room.MissingOwners = b.refs(plan.KeysNotIn(w.Owners, h.Owners), &room.Protected)
			room.MissingMembers = b.refs(plan.KeysNotIn(w.Members, h.Members), &room.Protected)
			room.ExtraOwners = b.refs(plan.KeysNotIn(h.Owners, w.Owners), &room.Protected)
			room.ExtraMembers = b.refs(plan.KeysNotIn(h.Members, w.Members), &room.Protected)
			delete(have, k)
		} else {
			room.State = Missing
		}
		if room.State == InSync && len(room.Drift) > 0 {
			room.State = Drifted
		}
		out.Rooms = append(out.Rooms, room)
	}
	// What is left of the observed rooms is no longer desired.
	for i := range t.Have {
		h := &t.Have[i]
		k := id{h.Kind, h.Key}
		if have[k] != h {
			continue // desired, or a duplicate of a room already listed
		}
		room := Room{Kind: h.Kind, Key: h.Key, Name: h.Name, State: Orphaned, Drift: drift[k], Archived: h.Archived,
			Owners: []int{}, Members: []int{}}
		room.ExtraOwners = b.refs(h.Owners, &room.Protected)
		room.ExtraMembers = b.refs(h.Members, &room.Protected)
		out.Rooms = append(out.Rooms, room)
	}
	slices.SortFunc(out.Rooms, func(a, b Room) int {
		return cmp.Or(cmp.Compare(a.School, b.School), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Key, b.Key))
	})
	return out
}

// NotHeldOf says in words which desired rooms platform.Prepare left out.
func NotHeldOf(p platform.Prepared, on target.Platform) []NotHeld {
	var out []NotHeld
	for _, k := range slices.Sorted(maps.Keys(p.Skipped)) {
		out = append(out, NotHeld{Why: fmt.Sprintf("%s has no kind for %s", on, k), Count: p.Skipped[k]})
	}
	if p.Refused > 0 {
		out = append(out, NotHeld{Why: fmt.Sprintf("the target cannot hold them (first: %v)", p.First), Count: p.Refused})
	}
	return out
}

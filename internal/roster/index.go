package roster

import "sync"

// Index answers "by id" and "who belongs to what" in O(1) for mapping code
// that walks a whole municipality. It points into the Snapshot it was built
// from: build it after the snapshot is complete and do not append to or
// re-sort the snapshot's slices while the index is in use.
//
// Each lookup family is built on first use (safely from several
// goroutines), so a caller pays only for what it asks: mapping a 120 000
// pupil municipality never needs the person-to-group relation, which alone
// costs a map entry per person.
//
// Relations ignore dates (an ended membership is still listed); callers
// filter with the ActiveOn helpers for the day they care about. When an id
// occurs twice (a DuplicateID finding) lookups return the first occurrence.
type Index struct {
	s *Snapshot

	organisations lazy[map[string]*Organisation]
	persons       lazy[map[string]*Person]
	groups        lazy[map[string]*Group]
	duties        lazy[map[string]*Duty]
	syllabuses    lazy[map[string]*Syllabus]
	activities    lazy[map[string]*Activity]

	groupsByPerson    lazy[map[string][]*Group]
	dutiesByPerson    lazy[map[string][]*Duty]
	studentsByUnit    lazy[map[string][]*Person]
	childrenByOrg     lazy[map[string][]*Organisation]
	groupsByUnit      lazy[map[string][]*Group]
	dutiesByUnit      lazy[map[string][]*Duty]
	rolesByGroup      lazy[map[string][]GroupRole]
	activitiesByGroup lazy[map[string][]*Activity]
	activitiesByDuty  lazy[map[string][]*Activity]
}

// GroupRole is a duty's assignment role seen from the group's side.
type GroupRole struct {
	Duty *Duty
	Role AssignmentRole
}

// lazy is a value built once, on first use.
type lazy[T any] struct {
	once sync.Once
	v    T
}

func (l *lazy[T]) get(build func() T) T {
	l.once.Do(func() { l.v = build() })
	return l.v
}

// NewIndex returns an index of s; nothing is built until asked for.
func NewIndex(s *Snapshot) *Index { return &Index{s: s} }

// byID maps each item's id to the item's first occurrence, sized up front
// so that 120 000 pupils do not cost a cascade of map growths.
func byID[T any](items []T, id func(*T) string) map[string]*T {
	m := make(map[string]*T, len(items))
	for i := range items {
		putFirst(m, id(&items[i]), &items[i])
	}
	return m
}

func (x *Index) buildOrganisations() map[string]*Organisation {
	return byID(x.s.Organisations, func(o *Organisation) string { return o.ID })
}
func (x *Index) buildPersons() map[string]*Person {
	return byID(x.s.Persons, func(p *Person) string { return p.ID })
}
func (x *Index) buildGroups() map[string]*Group {
	return byID(x.s.Groups, func(g *Group) string { return g.ID })
}
func (x *Index) buildDuties() map[string]*Duty {
	return byID(x.s.Duties, func(d *Duty) string { return d.ID })
}
func (x *Index) buildSyllabuses() map[string]*Syllabus {
	return byID(x.s.Syllabuses, func(s *Syllabus) string { return s.ID })
}
func (x *Index) buildActivities() map[string]*Activity {
	return byID(x.s.Activities, func(a *Activity) string { return a.ID })
}

func (x *Index) buildGroupsByPerson() map[string][]*Group {
	m := make(map[string][]*Group, len(x.s.Persons))
	for i := range x.s.Groups {
		g := &x.s.Groups[i]
		for _, mb := range g.Memberships {
			m[mb.PersonID] = appendOnce(m[mb.PersonID], g)
		}
	}
	return m
}

func (x *Index) buildDutiesByPerson() map[string][]*Duty {
	m := make(map[string][]*Duty, len(x.s.Duties))
	for i := range x.s.Duties {
		d := &x.s.Duties[i]
		m[d.PersonID] = append(m[d.PersonID], d)
	}
	return m
}

func (x *Index) buildStudentsByUnit() map[string][]*Person {
	m := make(map[string][]*Person, len(x.s.Organisations))
	for i := range x.s.Persons {
		p := &x.s.Persons[i]
		for j, e := range p.Enrolments {
			if !enroledEarlierAt(p.Enrolments[:j], e.SchoolUnitID) {
				m[e.SchoolUnitID] = append(m[e.SchoolUnitID], p)
			}
		}
	}
	return m
}

func (x *Index) buildChildrenByOrg() map[string][]*Organisation {
	m := make(map[string][]*Organisation, len(x.s.Organisations))
	for i := range x.s.Organisations {
		if o := &x.s.Organisations[i]; o.ParentID != "" {
			m[o.ParentID] = append(m[o.ParentID], o)
		}
	}
	return m
}

func (x *Index) buildGroupsByUnit() map[string][]*Group {
	m := make(map[string][]*Group, len(x.s.Organisations))
	for i := range x.s.Groups {
		g := &x.s.Groups[i]
		m[g.SchoolUnitID] = append(m[g.SchoolUnitID], g)
	}
	return m
}

func (x *Index) buildDutiesByUnit() map[string][]*Duty {
	m := make(map[string][]*Duty, len(x.s.Organisations))
	for i := range x.s.Duties {
		d := &x.s.Duties[i]
		m[d.SchoolUnitID] = append(m[d.SchoolUnitID], d)
	}
	return m
}

func (x *Index) buildRolesByGroup() map[string][]GroupRole {
	m := make(map[string][]GroupRole, len(x.s.Groups))
	for i := range x.s.Duties {
		d := &x.s.Duties[i]
		for _, r := range d.AssignmentRoles {
			m[r.GroupID] = append(m[r.GroupID], GroupRole{Duty: d, Role: r})
		}
	}
	return m
}

func (x *Index) buildActivitiesByGroup() map[string][]*Activity {
	m := make(map[string][]*Activity, len(x.s.Groups))
	for i := range x.s.Activities {
		a := &x.s.Activities[i]
		for _, g := range a.GroupIDs {
			m[g] = appendOnce(m[g], a)
		}
	}
	return m
}

func (x *Index) buildActivitiesByDuty() map[string][]*Activity {
	m := make(map[string][]*Activity, len(x.s.Duties))
	for i := range x.s.Activities {
		a := &x.s.Activities[i]
		for _, t := range a.Teachers {
			m[t.DutyID] = appendOnce(m[t.DutyID], a)
		}
	}
	return m
}

func putFirst[T any](m map[string]*T, id string, v *T) {
	if _, dup := m[id]; !dup {
		m[id] = v
	}
}

// appendOnce skips v when it was the last one appended: a person with two
// memberships of one group (say, left and came back) lists the group once.
func appendOnce[T any](s []*T, v *T) []*T {
	if n := len(s); n > 0 && s[n-1] == v {
		return s
	}
	return append(s, v)
}

func enroledEarlierAt(earlier []Enrolment, unitID string) bool {
	for _, e := range earlier {
		if e.SchoolUnitID == unitID {
			return true
		}
	}
	return false
}

// Lookups by id return nil when the id is unknown.

func (x *Index) Organisation(id string) *Organisation {
	return x.organisations.get(x.buildOrganisations)[id]
}
func (x *Index) Person(id string) *Person     { return x.persons.get(x.buildPersons)[id] }
func (x *Index) Group(id string) *Group       { return x.groups.get(x.buildGroups)[id] }
func (x *Index) Duty(id string) *Duty         { return x.duties.get(x.buildDuties)[id] }
func (x *Index) Syllabus(id string) *Syllabus { return x.syllabuses.get(x.buildSyllabuses)[id] }
func (x *Index) Activity(id string) *Activity { return x.activities.get(x.buildActivities)[id] }

// Relations, in snapshot order. The returned slices belong to the index:
// do not modify them.

// GroupsOf returns the groups personID is (or was) a member of.
func (x *Index) GroupsOf(personID string) []*Group {
	return x.groupsByPerson.get(x.buildGroupsByPerson)[personID]
}

// DutiesOf returns personID's duties; a person with any duty is staff.
func (x *Index) DutiesOf(personID string) []*Duty {
	return x.dutiesByPerson.get(x.buildDutiesByPerson)[personID]
}

// StudentsAt returns the persons with an enrolment at unitID.
func (x *Index) StudentsAt(unitID string) []*Person {
	return x.studentsByUnit.get(x.buildStudentsByUnit)[unitID]
}

// ChildrenOf returns the organisations whose parent is orgID.
func (x *Index) ChildrenOf(orgID string) []*Organisation {
	return x.childrenByOrg.get(x.buildChildrenByOrg)[orgID]
}

// GroupsAt returns the groups organised at unitID.
func (x *Index) GroupsAt(unitID string) []*Group {
	return x.groupsByUnit.get(x.buildGroupsByUnit)[unitID]
}

// DutiesAt returns the duties at unitID.
func (x *Index) DutiesAt(unitID string) []*Duty {
	return x.dutiesByUnit.get(x.buildDutiesByUnit)[unitID]
}

// RolesOf returns the assignment roles (mentor, ...) duties hold on groupID.
func (x *Index) RolesOf(groupID string) []GroupRole {
	return x.rolesByGroup.get(x.buildRolesByGroup)[groupID]
}

// ActivitiesOfGroup returns the activities groupID takes part in.
func (x *Index) ActivitiesOfGroup(groupID string) []*Activity {
	return x.activitiesByGroup.get(x.buildActivitiesByGroup)[groupID]
}

// ActivitiesOfDuty returns the activities dutyID teaches.
func (x *Index) ActivitiesOfDuty(dutyID string) []*Activity {
	return x.activitiesByDuty.get(x.buildActivitiesByDuty)[dutyID]
}

package roster

// Index answers "by id" and "who belongs to what" in O(1) for mapping code
// that walks a whole municipality. It points into the Snapshot it was built
// from: build it after the snapshot is complete and do not append to or
// re-sort the snapshot's slices while the index is in use.
//
// Relations ignore dates (an ended membership is still listed); callers
// filter with the ActiveOn helpers for the day they care about. When an id
// occurs twice (a DuplicateID finding) lookups return the first occurrence.
type Index struct {
	organisations map[string]*Organisation
	persons       map[string]*Person
	groups        map[string]*Group
	duties        map[string]*Duty
	syllabuses    map[string]*Syllabus
	activities    map[string]*Activity

	groupsByPerson    map[string][]*Group
	dutiesByPerson    map[string][]*Duty
	studentsByUnit    map[string][]*Person
	childrenByOrg     map[string][]*Organisation
	groupsByUnit      map[string][]*Group
	dutiesByUnit      map[string][]*Duty
	rolesByGroup      map[string][]GroupRole
	activitiesByGroup map[string][]*Activity
	activitiesByDuty  map[string][]*Activity
}

// GroupRole is a duty's assignment role seen from the group's side.
type GroupRole struct {
	Duty *Duty
	Role AssignmentRole
}

// NewIndex builds the index in one pass over s with maps sized up front, so
// that 120 000 pupils do not cost a cascade of map growths.
func NewIndex(s *Snapshot) *Index {
	x := &Index{
		organisations: make(map[string]*Organisation, len(s.Organisations)),
		persons:       make(map[string]*Person, len(s.Persons)),
		groups:        make(map[string]*Group, len(s.Groups)),
		duties:        make(map[string]*Duty, len(s.Duties)),
		syllabuses:    make(map[string]*Syllabus, len(s.Syllabuses)),
		activities:    make(map[string]*Activity, len(s.Activities)),

		groupsByPerson:    make(map[string][]*Group, len(s.Persons)),
		dutiesByPerson:    make(map[string][]*Duty, len(s.Duties)),
		studentsByUnit:    make(map[string][]*Person, len(s.Organisations)),
		childrenByOrg:     make(map[string][]*Organisation, len(s.Organisations)),
		groupsByUnit:      make(map[string][]*Group, len(s.Organisations)),
		dutiesByUnit:      make(map[string][]*Duty, len(s.Organisations)),
		rolesByGroup:      make(map[string][]GroupRole, len(s.Groups)),
		activitiesByGroup: make(map[string][]*Activity, len(s.Groups)),
		activitiesByDuty:  make(map[string][]*Activity, len(s.Duties)),
	}
	for i := range s.Organisations {
		o := &s.Organisations[i]
		putFirst(x.organisations, o.ID, o)
		if o.ParentID != "" {
			x.childrenByOrg[o.ParentID] = append(x.childrenByOrg[o.ParentID], o)
		}
	}
	for i := range s.Persons {
		p := &s.Persons[i]
		putFirst(x.persons, p.ID, p)
		for j, e := range p.Enrolments {
			if !enroledEarlierAt(p.Enrolments[:j], e.SchoolUnitID) {
				x.studentsByUnit[e.SchoolUnitID] = append(x.studentsByUnit[e.SchoolUnitID], p)
			}
		}
	}
	for i := range s.Groups {
		g := &s.Groups[i]
		putFirst(x.groups, g.ID, g)
		x.groupsByUnit[g.SchoolUnitID] = append(x.groupsByUnit[g.SchoolUnitID], g)
		for _, m := range g.Memberships {
			x.groupsByPerson[m.PersonID] = appendOnce(x.groupsByPerson[m.PersonID], g)
		}
	}
	for i := range s.Duties {
		d := &s.Duties[i]
		putFirst(x.duties, d.ID, d)
		x.dutiesByPerson[d.PersonID] = append(x.dutiesByPerson[d.PersonID], d)
		x.dutiesByUnit[d.SchoolUnitID] = append(x.dutiesByUnit[d.SchoolUnitID], d)
		for _, r := range d.AssignmentRoles {
			x.rolesByGroup[r.GroupID] = append(x.rolesByGroup[r.GroupID], GroupRole{Duty: d, Role: r})
		}
	}
	for i := range s.Syllabuses {
		putFirst(x.syllabuses, s.Syllabuses[i].ID, &s.Syllabuses[i])
	}
	for i := range s.Activities {
		a := &s.Activities[i]
		putFirst(x.activities, a.ID, a)
		for _, g := range a.GroupIDs {
			x.activitiesByGroup[g] = appendOnce(x.activitiesByGroup[g], a)
		}
		for _, t := range a.Teachers {
			x.activitiesByDuty[t.DutyID] = appendOnce(x.activitiesByDuty[t.DutyID], a)
		}
	}
	return x
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

func (x *Index) Organisation(id string) *Organisation { return x.organisations[id] }
func (x *Index) Person(id string) *Person             { return x.persons[id] }
func (x *Index) Group(id string) *Group               { return x.groups[id] }
func (x *Index) Duty(id string) *Duty                 { return x.duties[id] }
func (x *Index) Syllabus(id string) *Syllabus         { return x.syllabuses[id] }
func (x *Index) Activity(id string) *Activity         { return x.activities[id] }

// Relations, in snapshot order. The returned slices belong to the index:
// do not modify them.

// GroupsOf returns the groups personID is (or was) a member of.
func (x *Index) GroupsOf(personID string) []*Group { return x.groupsByPerson[personID] }

// DutiesOf returns personID's duties; a person with any duty is staff.
func (x *Index) DutiesOf(personID string) []*Duty { return x.dutiesByPerson[personID] }

// StudentsAt returns the persons with an enrolment at unitID.
func (x *Index) StudentsAt(unitID string) []*Person { return x.studentsByUnit[unitID] }

// ChildrenOf returns the organisations whose parent is orgID.
func (x *Index) ChildrenOf(orgID string) []*Organisation { return x.childrenByOrg[orgID] }

// GroupsAt returns the groups organised at unitID.
func (x *Index) GroupsAt(unitID string) []*Group { return x.groupsByUnit[unitID] }

// DutiesAt returns the duties at unitID.
func (x *Index) DutiesAt(unitID string) []*Duty { return x.dutiesByUnit[unitID] }

// RolesOf returns the assignment roles (mentor, ...) duties hold on groupID.
func (x *Index) RolesOf(groupID string) []GroupRole { return x.rolesByGroup[groupID] }

// ActivitiesOfGroup returns the activities groupID takes part in.
func (x *Index) ActivitiesOfGroup(groupID string) []*Activity { return x.activitiesByGroup[groupID] }

// ActivitiesOfDuty returns the activities dutyID teaches.
func (x *Index) ActivitiesOfDuty(dutyID string) []*Activity { return x.activitiesByDuty[dutyID] }

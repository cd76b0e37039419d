package roster

import (
	"cmp"
	"slices"
)

// Kind names a data-quality problem. The values appear in RegisterSource
// status, so they are stable identifiers.
type Kind string

const (
	// DanglingReference: an id that points at no entity of the expected type
	// (or a required reference left empty).
	DanglingReference Kind = "DanglingReference"
	// DuplicateID: two entities of one type share an id.
	DuplicateID Kind = "DuplicateID"
	// NoAccountKey: a person with neither an eduPersonPrincipalName nor an
	// e-mail address, who therefore cannot be matched to an account.
	NoAccountKey Kind = "NoAccountKey"
	// GroupWithoutTeacher: a Klass or Undervisning group that no duty reaches,
	// neither as a teacher of one of its activities nor by an assignment role.
	GroupWithoutTeacher Kind = "GroupWithoutTeacher"
	// ActivityWithoutTeacher: an activity with no teacher.
	ActivityWithoutTeacher Kind = "ActivityWithoutTeacher"
	// InvalidSchoolUnitCode: a skolenhetskod that is not 8 digits, or a
	// missing one on a Skolenhet whose school types require it.
	InvalidSchoolUnitCode Kind = "InvalidSchoolUnitCode"
)

// EntityType names the kind of register object a Finding is about; the
// values are SS 12000's EndPointsEnum names.
type EntityType string

const (
	EntityOrganisation EntityType = "Organisation"
	EntityPerson       EntityType = "Person"
	EntityGroup        EntityType = "Group"
	EntityDuty         EntityType = "Duty"
	EntitySyllabus     EntityType = "Syllabus"
	EntityActivity     EntityType = "Activity"
)

// Finding is one problem with one entity. It holds register ids and field
// names only, never names, civic numbers or e-mail addresses, so findings
// may be shown in status and logs.
type Finding struct {
	Kind   Kind       `json:"kind"`
	Entity EntityType `json:"entity"`
	ID     string     `json:"id"`
	// Field and Ref say which reference dangles (e.g. "groupMemberships.person"
	// and the missing person's id); empty for other kinds.
	Field string `json:"field,omitempty"`
	Ref   string `json:"ref,omitempty"`
}

// Findings is sorted by Kind, Entity, ID, Field, Ref.
type Findings []Finding

// Counts returns the number of findings per kind.
func (f Findings) Counts() map[Kind]int {
	c := make(map[Kind]int)
	for _, x := range f {
		c[x.Kind]++
	}
	return c
}

// KindCount is one row of Summary.
type KindCount struct {
	Kind  Kind `json:"kind"`
	Count int  `json:"count"`
}

// Summary returns Counts as a list sorted by kind, for status fields that
// must not reorder between reconciles.
func (f Findings) Summary() []KindCount {
	var out []KindCount
	for _, x := range f { // f is sorted by kind, so equal kinds are adjacent
		if n := len(out); n > 0 && out[n-1].Kind == x.Kind {
			out[n-1].Count++
		} else {
			out = append(out, KindCount{Kind: x.Kind, Count: 1})
		}
	}
	return out
}

// OfKind returns the findings of kind k.
func (f Findings) OfKind(k Kind) Findings {
	var out Findings
	for _, x := range f {
		if x.Kind == k {
			out = append(out, x)
		}
	}
	return out
}

// Validate checks s for the problems real registers have. It never fails:
// a register with findings is still synced, and the findings are reported.
func Validate(s *Snapshot) Findings {
	x := NewIndex(s)
	v := &validator{x: x}
	v.duplicates(s)
	v.organisations(s)
	v.persons(s)
	v.groups(s)
	v.duties(s)
	v.activities(s)
	slices.SortFunc(v.out, compareFinding)
	return v.out
}

type validator struct {
	x   *Index
	out Findings
}

func (v *validator) add(k Kind, e EntityType, id, field, ref string) {
	v.out = append(v.out, Finding{Kind: k, Entity: e, ID: id, Field: field, Ref: ref})
}

// ref reports a DanglingReference when id is set but unknown, or when a
// required reference is empty.
func (v *validator) ref(exists bool, required bool, e EntityType, id, field, ref string) {
	if ref == "" && !required {
		return
	}
	if ref == "" || !exists {
		v.add(DanglingReference, e, id, field, ref)
	}
}

func (v *validator) duplicates(s *Snapshot) {
	dups(v, EntityOrganisation, s.Organisations, func(o *Organisation) string { return o.ID })
	dups(v, EntityPerson, s.Persons, func(p *Person) string { return p.ID })
	dups(v, EntityGroup, s.Groups, func(g *Group) string { return g.ID })
	dups(v, EntityDuty, s.Duties, func(d *Duty) string { return d.ID })
	dups(v, EntitySyllabus, s.Syllabuses, func(y *Syllabus) string { return y.ID })
	dups(v, EntityActivity, s.Activities, func(a *Activity) string { return a.ID })
}

// dups reports every occurrence after the first of an id within one type.
// SS 12000 ids share one namespace across types, but only a clash within a
// type breaks lookups, so that is what is reported.
func dups[T any](v *validator, e EntityType, items []T, id func(*T) string) {
	seen := make(map[string]struct{}, len(items))
	for i := range items {
		k := id(&items[i])
		if _, ok := seen[k]; ok {
			v.add(DuplicateID, e, k, "", "")
		}
		seen[k] = struct{}{}
	}
}

func (v *validator) organisations(s *Snapshot) {
	for i := range s.Organisations {
		o := &s.Organisations[i]
		v.ref(v.x.Organisation(o.ParentID) != nil, false, EntityOrganisation, o.ID, "parentOrganisation", o.ParentID)
		if !validSchoolUnitCode(o) {
			v.add(InvalidSchoolUnitCode, EntityOrganisation, o.ID, "schoolUnitCode", "")
		}
	}
}

func validSchoolUnitCode(o *Organisation) bool {
	if o.SchoolUnitCode != "" {
		_, ok := digits(o.SchoolUnitCode)
		return ok && len(o.SchoolUnitCode) == 8
	}
	if o.Type != OrganisationSkolenhet {
		return true
	}
	for _, t := range o.SchoolTypes {
		if !schoolTypesWithoutUnitCode[t] {
			return false
		}
	}
	return true
}

func (v *validator) persons(s *Snapshot) {
	for i := range s.Persons {
		p := &s.Persons[i]
		if len(p.AccountKeys()) == 0 {
			v.add(NoAccountKey, EntityPerson, p.ID, "", "")
		}
		for _, e := range p.Enrolments {
			v.ref(v.x.Organisation(e.SchoolUnitID) != nil, true, EntityPerson, p.ID, "enrolments.enroledAt", e.SchoolUnitID)
		}
	}
}

func (v *validator) groups(s *Snapshot) {
	for i := range s.Groups {
		g := &s.Groups[i]
		v.ref(v.x.Organisation(g.SchoolUnitID) != nil, true, EntityGroup, g.ID, "organisation", g.SchoolUnitID)
		for _, m := range g.Memberships {
			v.ref(v.x.Person(m.PersonID) != nil, true, EntityGroup, g.ID, "groupMemberships.person", m.PersonID)
		}
		if (g.Type == GroupKlass || g.Type == GroupUndervisning) && !v.hasTeacher(g.ID) {
			v.add(GroupWithoutTeacher, EntityGroup, g.ID, "", "")
		}
	}
}

// hasTeacher: a duty that exists reaches the group through an activity's
// teachers or through an assignment role. Dates are not considered: an
// ended group with its ended teacher is not a data-quality problem.
func (v *validator) hasTeacher(groupID string) bool {
	for _, r := range v.x.RolesOf(groupID) {
		if r.Duty != nil {
			return true
		}
	}
	for _, a := range v.x.ActivitiesOfGroup(groupID) {
		for _, t := range a.Teachers {
			if v.x.Duty(t.DutyID) != nil {
				return true
			}
		}
	}
	return false
}

func (v *validator) duties(s *Snapshot) {
	for i := range s.Duties {
		d := &s.Duties[i]
		// Duty.person is optional in SS 12000 (a vacancy), dutyAt is required.
		v.ref(v.x.Person(d.PersonID) != nil, false, EntityDuty, d.ID, "person", d.PersonID)
		v.ref(v.x.Organisation(d.SchoolUnitID) != nil, true, EntityDuty, d.ID, "dutyAt", d.SchoolUnitID)
		for _, r := range d.AssignmentRoles {
			v.ref(v.x.Group(r.GroupID) != nil, true, EntityDuty, d.ID, "assignmentRole.group", r.GroupID)
		}
	}
}

func (v *validator) activities(s *Snapshot) {
	for i := range s.Activities {
		a := &s.Activities[i]
		v.ref(v.x.Organisation(a.SchoolUnitID) != nil, true, EntityActivity, a.ID, "organisation", a.SchoolUnitID)
		v.ref(v.x.Syllabus(a.SyllabusID) != nil, false, EntityActivity, a.ID, "syllabus", a.SyllabusID)
		for _, g := range a.GroupIDs {
			v.ref(v.x.Group(g) != nil, true, EntityActivity, a.ID, "groups", g)
		}
		for _, t := range a.Teachers {
			v.ref(v.x.Duty(t.DutyID) != nil, true, EntityActivity, a.ID, "teachers.duty", t.DutyID)
		}
		if len(a.Teachers) == 0 {
			v.add(ActivityWithoutTeacher, EntityActivity, a.ID, "", "")
		}
	}
}

func compareFinding(a, b Finding) int {
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Entity, b.Entity),
		cmp.Compare(a.ID, b.ID), cmp.Compare(a.Field, b.Field), cmp.Compare(a.Ref, b.Ref))
}

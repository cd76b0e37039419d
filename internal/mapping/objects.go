package mapping

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// organisations builds the School and Organisation values once per
// evaluation, with the abbreviations settled across all schools.
func (e *evaluator) organisations() {
	orgs := e.snap.Organisations
	e.orgs = make(map[string]*Organisation, len(orgs))
	e.schools = make(map[string]*School, len(orgs))
	var units []*roster.Organisation
	for i := range orgs {
		o := &orgs[i]
		if _, dup := e.orgs[o.ID]; dup {
			continue // the first wins, as in roster.Index
		}
		e.orgs[o.ID] = &Organisation{ID: o.ID, DisplayName: o.DisplayName, Type: string(o.Type),
			OrganisationCode: o.OrganisationCode, OrganisationNumber: o.OrganisationNumber, MunicipalityCode: o.MunicipalityCode}
		if o.Type == roster.OrganisationSkolenhet {
			units = append(units, o)
		}
	}
	abbr := abbreviations(units, e.p.opts.Abbreviations)
	for _, o := range units {
		types := make([]string, len(o.SchoolTypes))
		for i, t := range o.SchoolTypes {
			types[i] = string(t)
		}
		e.schools[o.ID] = &School{ID: o.ID, DisplayName: o.DisplayName, SchoolUnitCode: o.SchoolUnitCode,
			Abbreviation: abbr[o.ID], OrganisationCode: o.OrganisationCode, MunicipalityCode: o.MunicipalityCode,
			SchoolTypes: types}
	}
	e.roots = make(map[string]*Organisation, len(units))
	for _, o := range units {
		e.roots[o.ID] = e.orgs[e.rootOf(o.ID)]
	}
}

// rootOf walks up to the huvudman (or the top, if none is marked so); the
// step bound protects against a cycle in a broken register.
func (e *evaluator) rootOf(id string) string {
	for range len(e.orgs) + 1 {
		o := e.x.Organisation(id)
		if o == nil || o.Type == roster.OrganisationHuvudman || o.ParentID == "" {
			return id
		}
		id = o.ParentID
	}
	return id
}

// unitsUnder returns the school units below org, in register order.
func (e *evaluator) unitsUnder(orgID string) []string {
	var out []string
	seen := map[string]bool{orgID: true}
	queue := []string{orgID}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, c := range e.x.ChildrenOf(id) {
			if seen[c.ID] {
				continue
			}
			seen[c.ID] = true
			if c.Type == roster.OrganisationSkolenhet {
				out = append(out, c.ID)
			}
			queue = append(queue, c.ID)
		}
	}
	return out
}

// abbreviations gives every school unit its abbreviation: the explicit
// one for its schoolUnitCode if given, else Abbreviate of its name; when a
// derived abbreviation is already taken, the schools that come later in
// schoolUnitCode order (then id) get "2", "3", ... appended. So the result
// depends on the other schools, but only a new school with a smaller code
// and the same derived abbreviation can change an existing school's; give
// explicit abbreviations where names must never move.
func abbreviations(units []*roster.Organisation, explicit map[string]string) map[string]string {
	ordered := slices.Clone(units)
	slices.SortFunc(ordered, func(a, b *roster.Organisation) int {
		return cmp.Or(cmp.Compare(a.SchoolUnitCode, b.SchoolUnitCode), cmp.Compare(a.ID, b.ID))
	})
	out := make(map[string]string, len(units))
	used := make(map[string]bool, len(units))
	for _, o := range ordered {
		if a, ok := explicit[o.SchoolUnitCode]; ok && o.SchoolUnitCode != "" {
			out[o.ID] = a
			used[a] = true
		}
	}
	for _, o := range ordered {
		if _, done := out[o.ID]; done {
			continue
		}
		base := Abbreviate(o.DisplayName)
		if base == "" {
			base = "SK"
		}
		a := base
		for n := 2; used[a]; n++ {
			a = base + strconv.Itoa(n)
		}
		out[o.ID] = a
		used[a] = true
	}
	return out
}

func (e *evaluator) activityData(a *roster.Activity) *Activity {
	d := &Activity{ID: a.ID, DisplayName: a.DisplayName, Type: string(a.Type),
		StartDate: a.StartDate.String(), EndDate: a.EndDate.String(), GroupNames: make([]string, 0, len(a.GroupIDs))}
	if s := e.schools[a.SchoolUnitID]; s != nil {
		d.SchoolUnitCode = s.SchoolUnitCode
	}
	if y := e.x.Syllabus(a.SyllabusID); y != nil {
		d.SchoolType, d.SubjectCode, d.SubjectName = string(y.SchoolType), y.SubjectCode, y.SubjectName
		d.SubjectDesignation, d.CourseCode, d.CourseName = y.SubjectDesignation, y.CourseCode, y.CourseName
	}
	for _, id := range a.GroupIDs {
		if g := e.x.Group(id); g != nil {
			d.GroupNames = append(d.GroupNames, g.DisplayName)
		}
	}
	return d
}

func groupData(g *roster.Group, s *School) *Group {
	d := &Group{ID: g.ID, DisplayName: g.DisplayName, Type: string(g.Type), SchoolType: string(g.SchoolType),
		StartDate: g.StartDate.String(), EndDate: g.EndDate.String(), SchoolTypes: []string{}}
	if g.SchoolType != "" {
		d.SchoolTypes = []string{string(g.SchoolType)}
	}
	if s != nil {
		d.SchoolUnitCode = s.SchoolUnitCode
	}
	return d
}

package unikum

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"testing/fstest"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source/export"
)

// formCodes is the inverse of schoolTypes.
var formCodes = map[roster.SchoolType]string{}

func init() {
	for code, t := range schoolTypes {
		formCodes[t] = code
	}
}

// writeExport writes s the way a register feeding Unikum would: objects
// in objects.txt, relations in relations.txt, tab-separated, leaving out
// people with a protected identity (Unikum has no marking for them). Only
// school units and Klass groups are written: Unikum's classes say nothing
// of teaching.
func writeExport(s *roster.Snapshot, comma rune) fstest.MapFS {
	var objs, rels bytes.Buffer
	ow, rw := csv.NewWriter(&objs), csv.NewWriter(&rels)
	ow.Comma, rw.Comma = comma, comma
	skip := map[string]bool{}
	civic := map[string]string{}
	for _, p := range s.Persons {
		if p.SecurityMarking != roster.SecurityNone {
			skip[p.ID] = true
		}
		civic[p.ID] = p.CivicNo.Reveal()[:8] + "-" + p.CivicNo.Reveal()[8:]
	}
	for _, o := range s.Organisations {
		if o.Type != roster.OrganisationSkolenhet {
			continue
		}
		ow.Write([]string{o.ID, o.SchoolUnitCode, o.DisplayName, formCodes[mainForm(o)], "", "", "", "", "", "", "", "", "", "", "school"})
	}
	for _, g := range s.Groups {
		if g.Type != roster.GroupKlass {
			continue
		}
		form := ""
		if g.SchoolType != roster.SchoolTypeFKLASS {
			form = formCodes[g.SchoolType]
		}
		ow.Write([]string{g.ID, g.DisplayName, form, "", "", "", "class"})
		rw.Write([]string{"add", "class_in_school", g.ID, g.SchoolUnitID})
		for _, m := range g.Memberships {
			if !skip[m.PersonID] {
				rw.Write([]string{"add", "student_in_class", civic[m.PersonID], g.ID})
			}
		}
	}
	for _, p := range s.Persons {
		if skip[p.ID] {
			continue
		}
		email, year := "", ""
		if len(p.Emails) > 0 {
			email = p.Emails[0].Value
		}
		for _, e := range p.Enrolments {
			year = strconv.Itoa(e.SchoolYear)
			rw.Write([]string{"add", "student_in_school", civic[p.ID], e.SchoolUnitID})
		}
		ow.Write([]string{p.GivenName, p.FamilyName, email, civic[p.ID], "", "", "", "", "", "", "", "", "", "", "", year, "", "", "user"})
	}
	for _, d := range s.Duties {
		if skip[d.PersonID] {
			continue
		}
		rw.Write([]string{"add", "staff_in_school", civic[d.PersonID], d.SchoolUnitID})
		for _, ar := range d.AssignmentRoles {
			if ar.Role == roster.AssignmentMentor {
				rw.Write([]string{"add", "teacher_in_class", civic[d.PersonID], ar.GroupID})
			}
		}
	}
	ow.Flush()
	rw.Flush()
	return fstest.MapFS{"objects.txt": {Data: objs.Bytes()}, "relations.txt": {Data: rels.Bytes()}}
}

// mainForm is the one school form a Unikum school row has: the school's
// first that Unikum can name.
func mainForm(o roster.Organisation) roster.SchoolType {
	for _, t := range o.SchoolTypes {
		if _, ok := formCodes[t]; ok {
			return t
		}
	}
	return ""
}

// expected is what the reader can give back of s, with exactly these
// substitutions (each a thing Unikum's format cannot carry):
//   - people with a protected identity are left out, with their duties,
//     memberships and mentor roles;
//   - person ids are export.PseudonymID(key, "unikum-person", civic
//     number), and every reference to a person follows; persons lose
//     their eduPersonPrincipalNames, external identifiers and every
//     e-mail address but the first;
//   - only school units are kept, without parent, organisation or
//     municipality code;
//   - only Klass groups are kept, without dates (memberships too); a
//     förskoleklass class gets its school's form (Unikum has no code for
//     förskoleklass); teaching groups, activities and syllabuses are gone;
//   - enrolments lose their dates and programme;
//   - duties get export.DutyID(person, unit) as id, role Lärare if they
//     hold a mentor role and Annan personal if not, no description,
//     signature or dates; mentor roles lose their dates.
func expected(s *roster.Snapshot, key []byte) *roster.Snapshot {
	out := &roster.Snapshot{}
	id := map[string]string{}
	form := map[string]roster.SchoolType{}
	for _, p := range s.Persons {
		if p.SecurityMarking != roster.SecurityNone {
			continue
		}
		id[p.ID] = export.PseudonymID(key, "unikum-person", p.CivicNo.Reveal())
		p.ID = id[p.ID]
		p.EduPersonPrincipalNames, p.ExternalIdentifiers = nil, nil
		if len(p.Emails) > 1 {
			p.Emails = p.Emails[:1]
		}
		p.Enrolments = slices.Clone(p.Enrolments)
		for i := range p.Enrolments {
			e := &p.Enrolments[i]
			e.StartDate, e.EndDate, e.ProgrammeCode = roster.Date{}, roster.Date{}, ""
		}
		out.Persons = append(out.Persons, p)
	}
	for _, o := range s.Organisations {
		if o.Type == roster.OrganisationSkolenhet {
			o.ParentID, o.OrganisationCode, o.MunicipalityCode = "", "", ""
			form[o.ID] = mainForm(o)
			out.Organisations = append(out.Organisations, o)
		}
	}
	for _, g := range s.Groups {
		if g.Type != roster.GroupKlass {
			continue
		}
		g.StartDate, g.EndDate = roster.Date{}, roster.Date{}
		if g.SchoolType == roster.SchoolTypeFKLASS {
			g.SchoolType = form[g.SchoolUnitID]
		}
		var ms []roster.Membership
		for _, m := range g.Memberships {
			if pid, ok := id[m.PersonID]; ok {
				ms = append(ms, roster.Membership{PersonID: pid})
			}
		}
		g.Memberships = ms
		out.Groups = append(out.Groups, g)
	}
	for _, d := range s.Duties {
		pid, ok := id[d.PersonID]
		if !ok {
			continue
		}
		nd := roster.Duty{ID: export.DutyID(pid, d.SchoolUnitID), PersonID: pid, SchoolUnitID: d.SchoolUnitID, DutyRole: roster.DutyAnnanPersonal}
		for _, ar := range d.AssignmentRoles {
			if ar.Role == roster.AssignmentMentor {
				nd.DutyRole = roster.DutyLarare
				nd.AssignmentRoles = append(nd.AssignmentRoles, roster.AssignmentRole{GroupID: ar.GroupID, Role: roster.AssignmentMentor})
			}
		}
		out.Duties = append(out.Duties, nd)
	}
	out.Sort()
	return out
}

package roster

// OnlySchoolUnits returns the part of s that belongs to the school units
// with the given school unit codes: those units and every organisation that
// is not a school unit (the organiser and its levels), the groups, duties and
// activities at the kept units, the people enrolled or on duty there, and
// every syllabus. An organiser that buys the service for a few schools first
// uses this to keep the others' pupils out of the pipeline entirely.
func OnlySchoolUnits(s *Snapshot, codes map[string]bool) *Snapshot {
	units := map[string]bool{}
	out := &Snapshot{Syllabuses: s.Syllabuses}
	for _, o := range s.Organisations {
		if o.Type != OrganisationSkolenhet {
			out.Organisations = append(out.Organisations, o)
			continue
		}
		if codes[o.SchoolUnitCode] {
			units[o.ID] = true
			out.Organisations = append(out.Organisations, o)
		}
	}
	people := map[string]bool{}
	for _, d := range s.Duties {
		if units[d.SchoolUnitID] {
			out.Duties = append(out.Duties, d)
			people[d.PersonID] = true
		}
	}
	for _, p := range s.Persons {
		for _, e := range p.Enrolments {
			if units[e.SchoolUnitID] {
				people[p.ID] = true
				break
			}
		}
		if people[p.ID] {
			out.Persons = append(out.Persons, p)
		}
	}
	for _, g := range s.Groups {
		if units[g.SchoolUnitID] {
			out.Groups = append(out.Groups, g)
		}
	}
	for _, a := range s.Activities {
		if units[a.SchoolUnitID] {
			out.Activities = append(out.Activities, a)
		}
	}
	return out
}

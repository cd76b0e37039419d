package roster

// Counts is the size of a snapshot, as shown in RegisterSource status and
// compared by the shrink guard.
type Counts struct {
	Organisations int `json:"organisations"`
	SchoolUnits   int `json:"schoolUnits"`
	Persons       int `json:"persons"`
	Students      int `json:"students"` // persons with an enrolment active on the day
	Staff         int `json:"staff"`    // persons with a duty active on the day
	Groups        int `json:"groups"`
	Duties        int `json:"duties"`
	Activities    int `json:"activities"`
	Syllabuses    int `json:"syllabuses"`
	// Memberships are group memberships, and Teachers the teacher
	// assignments of activities: a broken export can keep every person and
	// group yet drop these, and acting on it would empty every room.
	Memberships int `json:"memberships"`
	Teachers    int `json:"teachers"`
}

// Counts counts s as of day on. With a zero on, every enrolment that is not
// cancelled and every duty counts, whatever its dates.
func (s *Snapshot) Counts(on Date) Counts {
	c := Counts{
		Organisations: len(s.Organisations),
		Persons:       len(s.Persons),
		Groups:        len(s.Groups),
		Duties:        len(s.Duties),
		Activities:    len(s.Activities),
		Syllabuses:    len(s.Syllabuses),
	}
	for i := range s.Groups {
		c.Memberships += len(s.Groups[i].Memberships)
	}
	for i := range s.Activities {
		c.Teachers += len(s.Activities[i].Teachers)
	}
	for i := range s.Organisations {
		if s.Organisations[i].Type == OrganisationSkolenhet {
			c.SchoolUnits++
		}
	}
	for i := range s.Persons {
		if s.Persons[i].IsStudentOn(on) {
			c.Students++
		}
	}
	staff := make(map[string]struct{}, len(s.Duties))
	for i := range s.Duties {
		d := &s.Duties[i]
		if d.PersonID != "" && (on.IsZero() || d.ActiveOn(on)) {
			staff[d.PersonID] = struct{}{}
		}
	}
	c.Staff = len(staff)
	return c
}

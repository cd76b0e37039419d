package roster

// ActiveOn helpers apply SS 12000's inclusive start and end dates, with an
// unset date meaning open-ended. Mapping code adds its grace windows by
// shifting d, not by editing the register's dates.

func (m Membership) ActiveOn(d Date) bool     { return InRange(d, m.StartDate, m.EndDate) }
func (e Enrolment) ActiveOn(d Date) bool      { return !e.Cancelled && InRange(d, e.StartDate, e.EndDate) }
func (g *Group) ActiveOn(d Date) bool         { return InRange(d, g.StartDate, g.EndDate) }
func (o *Organisation) ActiveOn(d Date) bool  { return InRange(d, o.StartDate, o.EndDate) }
func (u *Duty) ActiveOn(d Date) bool          { return InRange(d, u.StartDate, u.EndDate) }
func (r AssignmentRole) ActiveOn(d Date) bool { return InRange(d, r.StartDate, r.EndDate) }
func (a *Activity) ActiveOn(d Date) bool      { return InRange(d, a.StartDate, a.EndDate) }
func (t ActivityTeacher) ActiveOn(d Date) bool {
	return InRange(d, t.StartDate, t.EndDate)
}

// IsStudentOn reports whether p has an enrolment active on d. With a zero d,
// any enrolment that is not cancelled counts.
func (p *Person) IsStudentOn(d Date) bool {
	for _, e := range p.Enrolments {
		if e.Cancelled {
			continue
		}
		if d.IsZero() || e.ActiveOn(d) {
			return true
		}
	}
	return false
}

// AccountKeys returns the values a target account can be matched on, in
// preference order: eduPersonPrincipalNames first, then e-mail addresses.
// An empty result is the NoAccountKey finding.
func (p *Person) AccountKeys() []string {
	keys := make([]string, 0, len(p.EduPersonPrincipalNames)+len(p.Emails))
	for _, e := range p.EduPersonPrincipalNames {
		if e != "" {
			keys = append(keys, e)
		}
	}
	for _, e := range p.Emails {
		if e.Value != "" {
			keys = append(keys, e.Value)
		}
	}
	return keys
}

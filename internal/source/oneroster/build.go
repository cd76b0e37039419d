package oneroster

import (
	"slices"
	"strings"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source/export"
)

var orgTypes = map[string]roster.OrganisationType{
	"school":     roster.OrganisationSkolenhet,
	"district":   roster.OrganisationHuvudman,
	"local":      roster.OrganisationForvaltning,
	"department": roster.OrganisationOvrigt,
	"state":      roster.OrganisationOvrigt,
	"national":   roster.OrganisationOvrigt,
}

// staffRoles are the OneRoster 1.1 and 1.2 roles of staff, as duties. 1.1
// has no principal: a school's administrators are its leadership.
var staffRoles = map[string]roster.DutyRole{
	"teacher":               roster.DutyLarare,
	"administrator":         roster.DutyRektor,
	"principal":             roster.DutyRektor,
	"aide":                  roster.DutyLararassistent,
	"counselor":             roster.DutyKurator,
	"proctor":               roster.DutyAnnanPersonal,
	"siteAdministrator":     roster.DutySkoladministrator,
	"districtAdministrator": roster.DutySkoladministrator,
	"systemAdministrator":   roster.DutySkoladministrator,
}

// Roles of people the model does not hold: guardians are not synced.
var familyRoles = map[string]bool{"guardian": true, "parent": true, "relative": true}

// assignment is one user's role at one organisation.
type assignment struct {
	role       string
	org        string
	begin, end roster.Date
	rec        *record
}

// build turns the records into a snapshot, checking every reference: one
// to a record that is not in the bundle is an error, one to a tombstone
// (a record being deleted) is dropped.
func build(st *State) (*roster.Snapshot, error) {
	b := builder{st: st, snap: &roster.Snapshot{}, schoolTypes: map[string]map[roster.SchoolType]bool{}}
	steps := []func() error{b.orgs, b.sessions, b.courses, b.users, b.classes, b.enrollments}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	b.snap.Duties = b.duties.List()
	for i := range b.snap.Organisations {
		o := &b.snap.Organisations[i]
		for t := range b.schoolTypes[o.ID] {
			o.SchoolTypes = append(o.SchoolTypes, t)
		}
	}
	b.snap.Sort()
	return b.snap, nil
}

type builder struct {
	st          *State
	snap        *roster.Snapshot
	duties      export.Duties
	orgType     map[string]roster.OrganisationType
	terms       map[string][2]roster.Date
	persons     map[string]int // person index by user id; users not held are absent
	groups      map[string]int // group index by class id
	activities  map[string]int // activity index by class id
	schoolTypes map[string]map[roster.SchoolType]bool
}

// sorted is a table's live records in id order, so what is built (the
// order duties are named in, for one) does not depend on map order.
func (b *builder) sorted(kind string) ([]string, records) {
	recs := b.st.tables[kind]
	ids := make([]string, 0, len(recs))
	for id, r := range recs {
		if !r.deleted {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, recs
}

// ref checks a reference from field h of r to kind: ok is false for a
// tombstone, and an id the bundle never had is an error.
func (b *builder) ref(r *record, h, kind, id string) (bool, error) {
	target, found := b.st.tables[kind][id]
	if !found {
		return false, r.errAt(h, "refers to a record "+kind+".csv does not have")
	}
	return !target.deleted, nil
}

func date(r *record, h string) (roster.Date, error) {
	d, err := roster.ParseDate(r.get(h))
	if err != nil {
		return d, r.errAt(h, "not a date (YYYY-MM-DD)")
	}
	return d, nil
}

func (b *builder) noteSchoolType(unit string, t roster.SchoolType) {
	if t == "" || b.orgType[unit] != roster.OrganisationSkolenhet {
		return
	}
	if b.schoolTypes[unit] == nil {
		b.schoolTypes[unit] = map[roster.SchoolType]bool{}
	}
	b.schoolTypes[unit][t] = true
}

func (b *builder) orgs() error {
	ids, recs := b.sorted("orgs")
	b.orgType = make(map[string]roster.OrganisationType, len(ids))
	for _, id := range ids {
		t, ok := orgTypes[recs[id].get("type")]
		if !ok {
			return recs[id].errAt("type", "unknown org type: want school, district, local, department, state or national")
		}
		b.orgType[id] = t
	}
	for _, id := range ids {
		r := recs[id]
		o := roster.Organisation{ID: id, DisplayName: r.get("name"), Type: b.orgType[id]}
		if p := r.get("parentSourcedId"); p != "" {
			live, err := b.ref(r, "parentSourcedId", "orgs", p)
			if err != nil {
				return err
			}
			if live {
				o.ParentID = p
			}
		}
		if code := r.get("identifier"); o.Type == roster.OrganisationSkolenhet && len(code) == 8 && digits(code) {
			o.SchoolUnitCode = code
		}
		b.snap.Organisations = append(b.snap.Organisations, o)
	}
	return nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (b *builder) sessions() error {
	ids, recs := b.sorted("academicSessions")
	b.terms = make(map[string][2]roster.Date, len(ids))
	for _, id := range ids {
		start, err := date(recs[id], "startDate")
		if err != nil {
			return err
		}
		end, err := date(recs[id], "endDate")
		if err != nil {
			return err
		}
		b.terms[id] = [2]roster.Date{start, end}
	}
	return nil
}

// list splits a OneRoster list field ("a,b,c").
func list(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// gradeOf is the school form and year of the first grade in r's h.
func gradeOf(r *record, h string) (roster.SchoolType, int, error) {
	g := list(r.get(h))
	if len(g) == 0 {
		return "", 0, nil
	}
	t, y, ok := grade(g[0])
	if !ok {
		return "", 0, r.errAt(h, "unknown grade: want a CEDS grade level such as KG, 01-13 or Other")
	}
	return t, y, nil
}

func (b *builder) courses() error {
	ids, recs := b.sorted("courses")
	for _, id := range ids {
		r := recs[id]
		y := roster.Syllabus{ID: id, SubjectName: r.get("title"), CourseCode: r.get("courseCode")}
		if s := list(r.get("subjects")); len(s) > 0 {
			y.SubjectName = s[0]
		}
		if s := list(r.get("subjectCodes")); len(s) > 0 {
			y.SubjectCode = s[0]
		}
		if y.CourseCode != "" {
			y.CourseName = r.get("title")
		}
		y.Official = y.SubjectCode != "" || y.CourseCode != ""
		for _, g := range list(r.get("grades")) {
			t, year, ok := grade(g)
			if !ok {
				return r.errAt("grades", "unknown grade: want a CEDS grade level such as KG, 01-13 or Other")
			}
			if y.SchoolType == "" {
				y.SchoolType = t
			}
			if t != y.SchoolType || t == "" {
				continue
			}
			if y.StartSchoolYear == nil || year < *y.StartSchoolYear {
				y.StartSchoolYear = &year
			}
			if y.EndSchoolYear == nil || year > *y.EndSchoolYear {
				y.EndSchoolYear = &year
			}
		}
		b.snap.Syllabuses = append(b.snap.Syllabuses, y)
	}
	return nil
}

// assignments are each user's roles: from roles.csv (1.2) when the bundle
// has one, else from users.csv's role at each of its orgSourcedIds (1.1).
func (b *builder) assignments() (map[string][]assignment, error) {
	out := map[string][]assignment{}
	add := func(user string, a assignment) error {
		if !familyRoles[a.role] && a.role != "student" {
			if _, ok := staffRoles[a.role]; !ok {
				return a.rec.errAt("role", "unknown role")
			}
		}
		live, err := b.ref(a.rec, "orgSourcedId", "orgs", a.org)
		if err != nil || !live {
			return err
		}
		out[user] = append(out[user], a)
		return nil
	}
	if len(b.st.tables["roles"]) > 0 {
		ids, recs := b.sorted("roles")
		for _, id := range ids {
			r := recs[id]
			user := r.get("userSourcedId")
			if live, err := b.ref(r, "userSourcedId", "users", user); err != nil || !live {
				if err != nil {
					return nil, err
				}
				continue
			}
			begin, err := date(r, "beginDate")
			if err != nil {
				return nil, err
			}
			end, err := date(r, "endDate")
			if err != nil {
				return nil, err
			}
			if err := add(user, assignment{role: r.get("role"), org: r.get("orgSourcedId"), begin: begin, end: end, rec: r}); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	ids, recs := b.sorted("users")
	for _, id := range ids {
		r := recs[id]
		for _, org := range list(r.get("orgSourcedIds")) {
			if err := add(id, assignment{role: r.get("role"), org: org, rec: r}); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (b *builder) users() error {
	roles, err := b.assignments()
	if err != nil {
		return err
	}
	ids, recs := b.sorted("users")
	b.persons = make(map[string]int, len(ids))
	for _, id := range ids {
		r := recs[id]
		p := roster.Person{ID: id, GivenName: r.get("givenName"), FamilyName: r.get("familyName"),
			SecurityMarking: roster.SecurityNone, PersonStatus: roster.PersonAktiv}
		held, student := false, false
		for _, a := range roles[id] {
			switch {
			case familyRoles[a.role]:
			case a.role == "student":
				held, student = true, true
				if b.orgType[a.org] != roster.OrganisationSkolenhet {
					continue
				}
				t, year, err := gradeOf(r, "grades")
				if err != nil {
					return err
				}
				p.Enrolments = append(p.Enrolments, roster.Enrolment{SchoolUnitID: a.org, SchoolYear: year,
					SchoolType: t, StartDate: a.begin, EndDate: a.end})
				b.noteSchoolType(a.org, t)
			default:
				held = true
				d := b.duties.Of(id, a.org, staffRoles[a.role])
				if d.StartDate.IsZero() && d.EndDate.IsZero() {
					d.StartDate, d.EndDate = a.begin, a.end
				}
			}
		}
		if !held {
			continue
		}
		if u := r.get("username"); u != "" {
			p.EduPersonPrincipalNames = []string{u}
		}
		if e := r.get("email"); e != "" {
			t := roster.EmailSkolaPersonal
			if student {
				t = roster.EmailSkolaElev
			}
			p.Emails = []roster.Email{{Value: e, Type: t}}
		}
		b.persons[id] = len(b.snap.Persons)
		b.snap.Persons = append(b.snap.Persons, p)
	}
	return nil
}

func (b *builder) classes() error {
	ids, recs := b.sorted("classes")
	b.groups = make(map[string]int, len(ids))
	b.activities = map[string]int{}
	for _, id := range ids {
		r := recs[id]
		school := r.get("schoolSourcedId")
		if live, err := b.ref(r, "schoolSourcedId", "orgs", school); err != nil || !live {
			if err != nil {
				return err
			}
			continue
		}
		g := roster.Group{ID: id, DisplayName: r.get("title"), SchoolUnitID: school}
		switch strings.ToLower(r.get("classType")) {
		case "homeroom":
			g.Type = roster.GroupKlass
		case "scheduled":
			g.Type = roster.GroupUndervisning
		default:
			return r.errAt("classType", "classType must be homeroom or scheduled")
		}
		t, _, err := gradeOf(r, "grades")
		if err != nil {
			return err
		}
		g.SchoolType = t
		b.noteSchoolType(school, t)
		for _, term := range list(r.get("termSourcedIds")) {
			live, err := b.ref(r, "termSourcedIds", "academicSessions", term)
			if err != nil {
				return err
			}
			if !live {
				continue
			}
			d := b.terms[term]
			if g.StartDate.IsZero() || d[0].Before(g.StartDate) {
				g.StartDate = d[0]
			}
			if g.EndDate.IsZero() || d[1].After(g.EndDate) {
				g.EndDate = d[1]
			}
		}
		b.groups[id] = len(b.snap.Groups)
		b.snap.Groups = append(b.snap.Groups, g)
		if g.Type != roster.GroupUndervisning {
			continue
		}
		a := roster.Activity{ID: export.ActivityID(id), DisplayName: g.DisplayName, Type: roster.ActivityUndervisning,
			SchoolUnitID: school, GroupIDs: []string{id}, StartDate: g.StartDate, EndDate: g.EndDate}
		if c := r.get("courseSourcedId"); c != "" {
			live, err := b.ref(r, "courseSourcedId", "courses", c)
			if err != nil {
				return err
			}
			if live {
				a.SyllabusID = c
			}
		}
		b.activities[id] = len(b.snap.Activities)
		b.snap.Activities = append(b.snap.Activities, a)
	}
	return nil
}

func (b *builder) enrollments() error {
	ids, recs := b.sorted("enrollments")
	for _, id := range ids {
		r := recs[id]
		class, user := r.get("classSourcedId"), r.get("userSourcedId")
		liveClass, err := b.ref(r, "classSourcedId", "classes", class)
		if err != nil {
			return err
		}
		liveUser, err := b.ref(r, "userSourcedId", "users", user)
		if err != nil {
			return err
		}
		gi, inClass := b.groups[class]
		_, held := b.persons[user]
		if !liveClass || !liveUser || !inClass || !held {
			continue
		}
		begin, err := date(r, "beginDate")
		if err != nil {
			return err
		}
		end, err := date(r, "endDate")
		if err != nil {
			return err
		}
		g := &b.snap.Groups[gi]
		switch role := r.get("role"); {
		case role == "student":
			g.Memberships = append(g.Memberships, roster.Membership{PersonID: user, StartDate: begin, EndDate: end})
		case role == "teacher" && g.Type == roster.GroupKlass:
			if strings.EqualFold(r.get("primary"), "true") {
				b.duties.Mentor(user, g.SchoolUnitID, class, begin, end)
			}
		case role == "teacher":
			dutyID := b.duties.Of(user, g.SchoolUnitID, roster.DutyLarare).ID
			a := &b.snap.Activities[b.activities[class]]
			a.Teachers = append(a.Teachers, roster.ActivityTeacher{DutyID: dutyID, StartDate: begin, EndDate: end})
		case familyRoles[role] || role == "administrator" || role == "aide" || role == "proctor":
			// Not a room role: their duties come from users or roles.
		default:
			return r.errAt("role", "unknown enrollment role")
		}
	}
	return nil
}

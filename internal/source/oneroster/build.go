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
	schoolTypes map[string]map[roster.SchoolType]bool
	// What was built of the users and classes, by record position in
	// their tables (-1: nothing): slices, not maps by id, so that a
	// million enrolments cost one lookup each, in the table's index.
	persons    []int
	groups     []int
	activities []int
}

// built is a slice of n positions that hold nothing yet.
func built(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = -1
	}
	return s
}

// live calls fn with each of kind's records that is not a tombstone, in
// the order the files gave them; what is built does not depend on that
// order (build sorts it, and the one choice that could, which of a
// person's roles makes a duty, is taken in role id order).
func (b *builder) live(kind string, fn func(i int, r *record) error) error {
	t := b.st.tables[kind]
	for i := range t.n {
		if r := t.at(i); !r.deleted {
			if err := fn(i, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// ref checks a reference from field h of r to kind: the position of the
// record referred to, and whether it is live (not a tombstone); an id the
// bundle never had is an error.
func (b *builder) ref(r *record, h, kind, id string) (int, bool, error) {
	t := b.st.tables[kind]
	i, found := t.index[id]
	if !found {
		return 0, false, r.errAt(h, "refers to a record "+kind+".csv does not have")
	}
	return i, !t.at(i).deleted, nil
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
	b.orgType = map[string]roster.OrganisationType{}
	err := b.live("orgs", func(_ int, r *record) error {
		t, ok := orgTypes[r.get("type")]
		if !ok {
			return r.errAt("type", "unknown org type: want school, district, local, department, state or national")
		}
		b.orgType[r.id] = t
		return nil
	})
	if err != nil {
		return err
	}
	return b.live("orgs", func(_ int, r *record) error {
		o := roster.Organisation{ID: r.id, DisplayName: r.get("name"), Type: b.orgType[r.id]}
		if p := r.get("parentSourcedId"); p != "" {
			_, live, err := b.ref(r, "parentSourcedId", "orgs", p)
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
		return nil
	})
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
	b.terms = map[string][2]roster.Date{}
	return b.live("academicSessions", func(_ int, r *record) error {
		start, err := date(r, "startDate")
		if err != nil {
			return err
		}
		end, err := date(r, "endDate")
		if err != nil {
			return err
		}
		b.terms[r.id] = [2]roster.Date{start, end}
		return nil
	})
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
	return b.live("courses", func(_ int, r *record) error {
		y := roster.Syllabus{ID: r.id, SubjectName: r.get("title"), CourseCode: r.get("courseCode")}
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
		return nil
	})
}

// assignments are each user's roles: from roles.csv (1.2) when the bundle
// has one, in role id order, else from users.csv's role at each of its
// orgSourcedIds (1.1); by the user's position in users.csv.
func (b *builder) assignments() ([][]assignment, error) {
	out := make([][]assignment, b.st.tables["users"].n)
	add := func(user int, a assignment) error {
		if !familyRoles[a.role] && a.role != "student" {
			if _, ok := staffRoles[a.role]; !ok {
				return a.rec.errAt("role", "unknown role")
			}
		}
		_, live, err := b.ref(a.rec, "orgSourcedId", "orgs", a.org)
		if err != nil || !live {
			return err
		}
		out[user] = append(out[user], a)
		return nil
	}
	if b.st.tables["roles"].n > 0 {
		err := b.live("roles", func(_ int, r *record) error {
			user, live, err := b.ref(r, "userSourcedId", "users", r.get("userSourcedId"))
			if err != nil || !live {
				return err
			}
			begin, err := date(r, "beginDate")
			if err != nil {
				return err
			}
			end, err := date(r, "endDate")
			if err != nil {
				return err
			}
			return add(user, assignment{role: r.get("role"), org: r.get("orgSourcedId"), begin: begin, end: end, rec: r})
		})
		for _, as := range out {
			slices.SortFunc(as, func(a, b assignment) int { return strings.Compare(a.rec.id, b.rec.id) })
		}
		return out, err
	}
	err := b.live("users", func(i int, r *record) error {
		for _, org := range list(r.get("orgSourcedIds")) {
			if err := add(i, assignment{role: r.get("role"), org: org, rec: r}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

func (b *builder) users() error {
	roles, err := b.assignments()
	if err != nil {
		return err
	}
	b.persons = built(len(roles))
	if len(roles) > 0 {
		b.snap.Persons = make([]roster.Person, 0, len(roles))
	}
	return b.live("users", func(i int, r *record) error {
		id := r.id
		p := roster.Person{ID: id, GivenName: r.get("givenName"), FamilyName: r.get("familyName"),
			SecurityMarking: roster.SecurityNone, PersonStatus: roster.PersonAktiv}
		held, student := false, false
		for _, a := range roles[i] {
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
			return nil
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
		b.persons[i] = len(b.snap.Persons)
		b.snap.Persons = append(b.snap.Persons, p)
		return nil
	})
}

func (b *builder) classes() error {
	n := b.st.tables["classes"].n
	b.groups, b.activities = built(n), built(n)
	if n > 0 {
		b.snap.Groups = make([]roster.Group, 0, n)
	}
	return b.live("classes", func(i int, r *record) error {
		id, school := r.id, r.get("schoolSourcedId")
		if _, live, err := b.ref(r, "schoolSourcedId", "orgs", school); err != nil || !live {
			return err
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
			_, live, err := b.ref(r, "termSourcedIds", "academicSessions", term)
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
		b.groups[i] = len(b.snap.Groups)
		b.snap.Groups = append(b.snap.Groups, g)
		if g.Type != roster.GroupUndervisning {
			return nil
		}
		a := roster.Activity{ID: export.ActivityID(id), DisplayName: g.DisplayName, Type: roster.ActivityUndervisning,
			SchoolUnitID: school, GroupIDs: []string{id}, StartDate: g.StartDate, EndDate: g.EndDate}
		if c := r.get("courseSourcedId"); c != "" {
			_, live, err := b.ref(r, "courseSourcedId", "courses", c)
			if err != nil {
				return err
			}
			if live {
				a.SyllabusID = c
			}
		}
		b.activities[i] = len(b.snap.Activities)
		b.snap.Activities = append(b.snap.Activities, a)
		return nil
	})
}

// held is the position of the record of kind that field h of r refers
// to, and whether it is live and something was built of it (see
// builder); one the bundle never had is an error.
func (b *builder) held(r *record, h, kind string, built []int) (int, bool, error) {
	i, live, err := b.ref(r, h, kind, r.get(h))
	return i, err == nil && live && built[i] >= 0, err
}

func (b *builder) enrollments() error {
	// Exports list a class's enrolments together: the last class looked
	// up is asked for again most of the time.
	lastClass, ci, inClass := "", 0, false
	return b.live("enrollments", func(_ int, r *record) error {
		class, user := r.get("classSourcedId"), r.get("userSourcedId")
		if class != lastClass || lastClass == "" {
			var err error
			if ci, inClass, err = b.held(r, "classSourcedId", "classes", b.groups); err != nil {
				return err
			}
			lastClass = class
		}
		_, inUsers, err := b.held(r, "userSourcedId", "users", b.persons)
		if err != nil || !inClass || !inUsers {
			return err
		}
		begin, err := date(r, "beginDate")
		if err != nil {
			return err
		}
		end, err := date(r, "endDate")
		if err != nil {
			return err
		}
		g := &b.snap.Groups[b.groups[ci]]
		switch role := r.get("role"); {
		case role == "student":
			g.Memberships = append(g.Memberships, roster.Membership{PersonID: user, StartDate: begin, EndDate: end})
		case role == "teacher" && g.Type == roster.GroupKlass:
			if strings.EqualFold(r.get("primary"), "true") {
				b.duties.Mentor(user, g.SchoolUnitID, class, begin, end)
			}
		case role == "teacher":
			dutyID := b.duties.Of(user, g.SchoolUnitID, roster.DutyLarare).ID
			a := &b.snap.Activities[b.activities[ci]]
			a.Teachers = append(a.Teachers, roster.ActivityTeacher{DutyID: dutyID, StartDate: begin, EndDate: end})
		case familyRoles[role] || role == "administrator" || role == "aide" || role == "proctor":
			// Not a room role: their duties come from users or roles.
		default:
			return r.errAt("role", "unknown enrollment role")
		}
		return nil
	})
}

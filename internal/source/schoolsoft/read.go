// Package schoolsoft reads SchoolSoft's tab-separated export files
// (students.txt, staff.txt, groups.txt, lessons.txt) of one school unit
// into a roster.Snapshot. SchoolSoft does not publish the format; the
// columns read are those a public third-party converter reads
// (docs/registers.md says which and what is not known).
package schoolsoft

import (
	"errors"
	"io/fs"
	"slices"
	"strings"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source/export"
)

// Options say what the export does not: the school unit it is of (one
// export is one school) and today, for ten-digit civic numbers.
type Options struct {
	// School is the school unit; its ID, when empty, is derived.
	School roster.Organisation
	Today  roster.Date
}

// staffTypes are SchoolSoft's staff types as duties, as the third-party
// converter reads them; 2 is other pedagogical staff, which SS 12000 2.1
// has deprecated, so it is Annan personal here too.
var staffTypes = map[string]roster.DutyRole{
	"0": roster.DutyLarare,
	"1": roster.DutyRektor,
	"2": roster.DutyAnnanPersonal,
	"3": roster.DutyAnnanPersonal,
	"4": roster.DutyAnnanPersonal,
}

// Ids of what the export names by its own numbers: students and staff
// are numbered separately, so the kind is part of the id.
func studentID(id string) string { return export.DerivedID("schoolsoft-student", id) }
func staffID(id string) string   { return export.DerivedID("schoolsoft-staff", id) }
func groupID(id string) string   { return export.DerivedID("schoolsoft-group", id) }
func activityID(subject string, groups []string) string {
	return export.DerivedID("schoolsoft-activity", append([]string{subject}, groups...)...)
}

type reader struct {
	fsys     fs.FS
	enc      string
	opt      Options
	snap     *roster.Snapshot
	duties   export.Duties
	unit     string
	staff    map[string]string // person id by username
	groups   map[string]int    // group index by name
	classes  map[string]int    // Klass group index by name
	activity map[string]int
}

// Read reads the export in fsys, its text in encoding (export.Text).
// students.txt and staff.txt are required, groups.txt and lessons.txt
// optional.
func Read(fsys fs.FS, encoding string, opt Options) (*roster.Snapshot, error) {
	school := opt.School
	if school.ID == "" {
		school.ID = export.DerivedID("schoolsoft-school", school.SchoolUnitCode)
	}
	school.Type = roster.OrganisationSkolenhet
	r := &reader{fsys: fsys, enc: encoding, opt: opt, unit: school.ID, snap: &roster.Snapshot{Organisations: []roster.Organisation{school}},
		staff: map[string]string{}, groups: map[string]int{}, classes: map[string]int{}, activity: map[string]int{}}
	steps := []struct {
		file     string
		optional bool
		read     func(*export.Table) error
	}{{"staff.txt", false, r.readStaff}, {"groups.txt", true, r.readGroups}, {"students.txt", false, r.readStudents}, {"lessons.txt", true, r.readLessons}}
	for _, s := range steps {
		t, err := export.OpenTable(fsys, s.file, encoding, '\t')
		if errors.Is(err, fs.ErrNotExist) && s.optional {
			continue
		}
		if err != nil {
			return nil, err
		}
		err = s.read(t)
		t.Close()
		if err != nil {
			return nil, err
		}
	}
	r.snap.Duties = r.duties.List()
	r.snap.Sort()
	return r.snap, nil
}

// person reads the columns students and staff share.
func (r *reader) person(t *export.Table, row export.Row, id string, email roster.EmailType) (roster.Person, error) {
	p := roster.Person{ID: id, GivenName: row.Get(t.Column("fname")), FamilyName: row.Get(t.Column("lname")),
		SecurityMarking: roster.SecurityNone, PersonStatus: roster.PersonAktiv}
	if v := row.Get(t.Column("email")); v != "" {
		p.Emails = []roster.Email{{Value: v, Type: email}}
	}
	if c := t.Column("socialnumber"); row.Get(c) != "" {
		civic, err := export.CivicNo(row.Get(c), r.opt.Today)
		if err != nil {
			return p, row.Err(c, err.Error())
		}
		p.CivicNo = civic
	}
	return p, nil
}

func (r *reader) readStaff(t *export.Table) error {
	if err := t.Require("id", "username", "fname", "lname"); err != nil {
		return err
	}
	id, user, typ, initial := t.Column("id"), t.Column("username"), t.Column("type"), t.Column("initial")
	return t.Each(func(row export.Row) error {
		if row.Get(id) == "" {
			return row.Err(id, "empty id")
		}
		p, err := r.person(t, row, staffID(row.Get(id)), roster.EmailSkolaPersonal)
		if err != nil {
			return err
		}
		role, ok := staffTypes[row.Get(typ)]
		if row.Get(typ) == "" {
			role, ok = roster.DutyLarare, true
		}
		if !ok {
			return row.Err(typ, "unknown staff type: want 0-4")
		}
		if u := row.Get(user); u != "" {
			if _, dup := r.staff[u]; dup {
				return row.Err(user, "a second staff member with this username")
			}
			r.staff[u] = p.ID
		}
		r.duties.Of(p.ID, r.unit, role).Signature = row.Get(initial)
		r.snap.Persons = append(r.snap.Persons, p)
		return nil
	})
}

// teachers resolves a comma-separated list of staff usernames.
func (r *reader) teachers(row export.Row, c export.Column) ([]string, error) {
	var out []string
	for _, u := range strings.Split(row.Get(c), ",") {
		if u = strings.TrimSpace(u); u == "" {
			continue
		}
		p, ok := r.staff[u]
		if !ok {
			return nil, row.Err(c, "names a username staff.txt does not have")
		}
		out = append(out, p)
	}
	return out, nil
}

// classGroup is the school type and year a class name says: "F" first is
// förskoleklass, leading digits the year of the school's other form.
func (r *reader) classYear(name string) (roster.SchoolType, int) {
	if strings.HasPrefix(name, "F") {
		return roster.SchoolTypeFKLASS, 0
	}
	year := 0
	for i := 0; i < len(name) && name[i] >= '0' && name[i] <= '9'; i++ {
		year = year*10 + int(name[i]-'0')
	}
	for _, t := range r.snap.Organisations[0].SchoolTypes {
		if t != roster.SchoolTypeFKLASS {
			return t, year
		}
	}
	return "", year
}

func (r *reader) addGroup(g roster.Group) int {
	r.groups[g.DisplayName] = len(r.snap.Groups)
	r.snap.Groups = append(r.snap.Groups, g)
	if g.Type == roster.GroupKlass {
		r.classes[g.DisplayName] = len(r.snap.Groups) - 1
	}
	return len(r.snap.Groups) - 1
}

func (r *reader) readGroups(t *export.Table) error {
	if err := t.Require("id", "name", "classtype"); err != nil {
		return err
	}
	id, name, classtype, teacher := t.Column("id"), t.Column("name"), t.Column("classtype"), t.Column("teacher")
	return t.Each(func(row export.Row) error {
		if row.Get(id) == "" || row.Get(name) == "" {
			return row.Err(id, "a group needs an id and a name")
		}
		if _, dup := r.groups[row.Get(name)]; dup {
			return row.Err(name, "a second group with this name")
		}
		g := roster.Group{ID: groupID(row.Get(id)), DisplayName: row.Get(name), Type: roster.GroupUndervisning, SchoolUnitID: r.unit}
		teachers, err := r.teachers(row, teacher)
		if err != nil {
			return err
		}
		if row.Get(classtype) == "1" {
			g.Type = roster.GroupKlass
			g.SchoolType, _ = r.classYear(g.DisplayName)
			for _, p := range teachers {
				r.duties.Mentor(p, r.unit, g.ID, roster.Date{}, roster.Date{})
			}
		}
		i := r.addGroup(g)
		if g.Type == roster.GroupUndervisning && len(teachers) > 0 {
			r.teach(roster.Activity{ID: activityID("", []string{g.ID}), DisplayName: g.DisplayName, GroupIDs: []string{r.snap.Groups[i].ID}}, teachers)
		}
		return nil
	})
}

func (r *reader) readStudents(t *export.Table) error {
	if err := t.Require("id", "fname", "lname", "class"); err != nil {
		return err
	}
	id, class, active := t.Column("id"), t.Column("class"), t.Column("active")
	return t.Each(func(row export.Row) error {
		if row.Get(id) == "" {
			return row.Err(id, "empty id")
		}
		if v := row.Get(active); v != "" && v != "1" {
			return nil // a pupil who has left
		}
		p, err := r.person(t, row, studentID(row.Get(id)), roster.EmailSkolaElev)
		if err != nil {
			return err
		}
		e := roster.Enrolment{SchoolUnitID: r.unit}
		if name := row.Get(class); name != "" {
			e.SchoolType, e.SchoolYear = r.classYear(name)
			gi, ok := r.classes[name]
			if !ok {
				gi = r.addGroup(roster.Group{ID: export.DerivedID("schoolsoft-class", name), DisplayName: name,
					Type: roster.GroupKlass, SchoolUnitID: r.unit, SchoolType: e.SchoolType})
			}
			r.snap.Groups[gi].Memberships = append(r.snap.Groups[gi].Memberships, roster.Membership{PersonID: p.ID})
		}
		p.Enrolments = []roster.Enrolment{e}
		r.snap.Persons = append(r.snap.Persons, p)
		return nil
	})
}

// readLessons makes one activity per subject and set of groups, taught by
// every teacher any of its lessons names; the schedule's repeats collapse.
func (r *reader) readLessons(t *export.Table) error {
	if err := t.Require("teacher", "group", "subject"); err != nil {
		return err
	}
	teacher, group, subject := t.Column("teacher"), t.Column("group"), t.Column("subject")
	return t.Each(func(row export.Row) error {
		var ids, names []string
		for _, n := range strings.Split(row.Get(group), ",") {
			if n = strings.TrimSpace(n); n == "" {
				continue
			}
			gi, ok := r.groups[n]
			if !ok {
				return row.Err(group, "names a group that is neither in groups.txt nor a pupil's class")
			}
			ids, names = append(ids, r.snap.Groups[gi].ID), append(names, n)
		}
		if len(ids) == 0 {
			return nil // a break or a meeting: no group, no room
		}
		teachers, err := r.teachers(row, teacher)
		if err != nil {
			return err
		}
		slices.Sort(ids)
		r.teach(roster.Activity{ID: activityID(row.Get(subject), ids), DisplayName: strings.Join(names, ", ") + " " + row.Get(subject), GroupIDs: ids}, teachers)
		return nil
	})
}

// teach adds teachers to activity a, made on first need.
func (r *reader) teach(a roster.Activity, teachers []string) {
	i, ok := r.activity[a.ID]
	if !ok {
		a.Type, a.SchoolUnitID = roster.ActivityUndervisning, r.unit
		i = len(r.snap.Activities)
		r.activity[a.ID] = i
		r.snap.Activities = append(r.snap.Activities, a)
	}
	for _, p := range teachers {
		duty := r.duties.Of(p, r.unit, roster.DutyLarare).ID
		act := &r.snap.Activities[i]
		if !slices.ContainsFunc(act.Teachers, func(t roster.ActivityTeacher) bool { return t.DutyID == duty }) {
			act.Teachers = append(act.Teachers, roster.ActivityTeacher{DutyID: duty})
		}
	}
}

package csvmap

import (
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source/export"
)

// Roles a person or membership row may have (after Values): the
// register's words for a pupil and the common staff ones, or any SS 12000
// DutyRole (e.g. Kurator).
var roles = map[string]roster.DutyRole{
	"Teacher":   roster.DutyLarare,
	"Principal": roster.DutyRektor,
	"Staff":     roster.DutyAnnanPersonal,
}

const student = "Student"

func dutyRole(s string) (roster.DutyRole, bool) {
	if r, ok := roles[s]; ok {
		return r, true
	}
	switch r := roster.DutyRole(s); r {
	case roster.DutyRektor, roster.DutyLarare, roster.DutyForskollarare, roster.DutyBarnskotare, roster.DutyBibliotekarie,
		roster.DutyLararassistent, roster.DutyFritidspedagog, roster.DutyAnnanPersonal, roster.DutyStudieOchYrkesvagledare,
		roster.DutyForstelarare, roster.DutyKurator, roster.DutySkolskoterska, roster.DutySkollakare, roster.DutySkolpsykolog,
		roster.DutySpeciallarare, roster.DutySkoladministrator, roster.DutyOvrigArbetsledning:
		return r, true
	}
	return "", false
}

var groupTypes = []roster.GroupType{roster.GroupUndervisning, roster.GroupKlass, roster.GroupMentor, roster.GroupProvgrupp,
	roster.GroupSchema, roster.GroupAvdelning, roster.GroupPersonalgrupp, roster.GroupOvrigt}

// table is one mapped file being read: its columns by register field.
type table struct {
	*export.Table
	file File
	cols map[string]export.Column
}

func open(fsys fs.FS, c Config, f File) (*table, error) {
	comma := c.Delimiter
	if comma == 0 {
		comma = ','
	}
	t, err := export.OpenTable(fsys, f.Name, c.Encoding, comma)
	if err != nil {
		return nil, err
	}
	tb := &table{Table: t, file: f, cols: map[string]export.Column{}}
	for _, field := range slices.Sorted(maps.Keys(f.Columns)) {
		h := strings.TrimSpace(f.Columns[field])
		if err := t.Require(h); err != nil {
			t.Close()
			return nil, err
		}
		tb.cols[field] = t.Column(h)
	}
	return tb, nil
}

// each calls fn for each row with a getter of translated values by field.
func (t *table) each(fn func(row export.Row, get func(field string) string) error) error {
	defer t.Close()
	return t.Each(func(row export.Row) error {
		get := func(field string) string {
			c, ok := t.cols[field]
			if !ok {
				return ""
			}
			v := row.Get(c)
			if w, ok := t.file.Values[field][v]; ok {
				return w
			}
			return v
		}
		return fn(row, get)
	})
}

type reader struct {
	c        Config
	snap     *roster.Snapshot
	duties   export.Duties
	schools  map[string]int // organisation index by id
	groups   map[string]int // group index by id
	acts     map[string]int // activity index by group id
	persons  map[string]int
	pupils   map[string]bool
	declared bool // the schools come from a schools file
}

// Read reads the files c maps from fsys. c must be valid (Validate).
func Read(fsys fs.FS, c Config) (*roster.Snapshot, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	r := &reader{c: c, snap: &roster.Snapshot{}, schools: map[string]int{}, groups: map[string]int{}, acts: map[string]int{},
		persons: map[string]int{}, pupils: map[string]bool{}}
	steps := []struct {
		f    *File
		read func(*table) error
	}{{c.Schools, r.readSchools}, {c.Groups, r.readGroups}, {&c.Persons, r.readPersons}, {c.Memberships, r.readMemberships}}
	for _, s := range steps {
		if s.f == nil {
			continue
		}
		t, err := open(fsys, c, *s.f)
		if err != nil {
			return nil, err
		}
		if err := s.read(t); err != nil {
			return nil, err
		}
	}
	r.snap.Duties = r.duties.List()
	r.snap.Sort()
	return r.snap, nil
}

func (r *reader) readSchools(t *table) error {
	r.declared = true
	return t.each(func(row export.Row, get func(string) string) error {
		o := roster.Organisation{ID: get("id"), DisplayName: get("name"), Type: roster.OrganisationSkolenhet, SchoolUnitCode: get("schoolUnitCode")}
		if o.ID == "" {
			return row.Err(t.cols["id"], "empty id")
		}
		if _, dup := r.schools[o.ID]; dup {
			return row.Err(t.cols["id"], "a second school with this id")
		}
		if c := o.SchoolUnitCode; c != "" && (len(c) != 8 || strings.Trim(c, "0123456789") != "") {
			return row.Err(t.cols["schoolUnitCode"], "a school unit code has 8 digits")
		}
		for _, st := range strings.Split(get("schoolType"), ",") {
			if st = strings.TrimSpace(st); st != "" {
				o.SchoolTypes = append(o.SchoolTypes, roster.SchoolType(st))
			}
		}
		r.schools[o.ID] = len(r.snap.Organisations)
		r.snap.Organisations = append(r.snap.Organisations, o)
		return nil
	})
}

// school is the id of the school a row names in field: one of the schools
// file's, or, without a schools file, a school unit made from the value.
func (r *reader) school(t *table, row export.Row, get func(string) string, field string) (string, error) {
	id := get(field)
	if id == "" {
		return "", nil
	}
	if _, ok := r.schools[id]; ok {
		return id, nil
	}
	if r.declared {
		return "", row.Err(t.cols[field], "names a school the schools file does not have")
	}
	o := roster.Organisation{ID: id, DisplayName: id, Type: roster.OrganisationSkolenhet}
	if len(id) == 8 && strings.Trim(id, "0123456789") == "" {
		o.SchoolUnitCode = id
	}
	r.schools[id] = len(r.snap.Organisations)
	r.snap.Organisations = append(r.snap.Organisations, o)
	return id, nil
}

func (r *reader) readGroups(t *table) error {
	return t.each(func(row export.Row, get func(string) string) error {
		g := roster.Group{ID: get("id"), DisplayName: get("name"), Type: roster.GroupUndervisning}
		if g.ID == "" {
			return row.Err(t.cols["id"], "empty id")
		}
		if _, dup := r.groups[g.ID]; dup {
			return row.Err(t.cols["id"], "a second group with this id")
		}
		if v := get("type"); v != "" {
			g.Type = roster.GroupType(v)
			if !slices.Contains(groupTypes, g.Type) {
				return row.Err(t.cols["type"], "unknown group type: want an SS 12000 group type such as Klass or Undervisning (translate with values)")
			}
		}
		var err error
		if g.SchoolUnitID, err = r.school(t, row, get, "school"); err != nil {
			return err
		}
		r.addGroup(g)
		return nil
	})
}

func (r *reader) addGroup(g roster.Group) {
	r.groups[g.ID] = len(r.snap.Groups)
	r.snap.Groups = append(r.snap.Groups, g)
}

// classID is the id of the Klass a person row names: per school and name.
func classID(school, name string) string { return export.DerivedID("csvmap-class", school, name) }

func (r *reader) readPersons(t *table) error {
	return t.each(func(row export.Row, get func(string) string) error {
		p := roster.Person{ID: get("id"), GivenName: get("givenName"), FamilyName: get("familyName"),
			SecurityMarking: roster.SecurityNone, PersonStatus: roster.PersonAktiv}
		if p.ID == "" {
			return row.Err(t.cols["id"], "empty id")
		}
		if _, dup := r.persons[p.ID]; dup {
			return row.Err(t.cols["id"], "a second person with this id")
		}
		if v := get("civicNo"); v != "" {
			c, err := export.CivicNo(v, r.c.Today)
			if err != nil {
				return row.Err(t.cols["civicNo"], err.Error())
			}
			p.CivicNo = c
		}
		if err := marking(t, row, get, &p); err != nil {
			return err
		}
		if v := get("eduPersonPrincipalName"); v != "" {
			p.EduPersonPrincipalNames = []string{v}
		}
		role := get("role")
		if role == "" {
			role = student
		}
		if v := get("email"); v != "" {
			typ := roster.EmailSkolaPersonal
			if role == student {
				typ = roster.EmailSkolaElev
			}
			p.Emails = []roster.Email{{Value: v, Type: typ}}
		}
		school, err := r.school(t, row, get, "school")
		if err != nil {
			return err
		}
		class := get("class")
		if role == student {
			r.pupils[p.ID] = true
			if school != "" {
				e := roster.Enrolment{SchoolUnitID: school, SchoolType: roster.SchoolType(get("schoolType"))}
				if v := get("schoolYear"); v != "" {
					n, err := strconv.Atoi(v)
					if err != nil || n < 0 || n > 10 {
						return row.Err(t.cols["schoolYear"], "a school year is a number 0-10 (0 is förskoleklass)")
					}
					e.SchoolYear = n
				}
				p.Enrolments = []roster.Enrolment{e}
			}
		} else {
			duty, ok := dutyRole(role)
			if !ok {
				return row.Err(t.cols["role"], "unknown role: want Student, Teacher, Principal, Staff or an SS 12000 duty role (translate with values)")
			}
			if school != "" {
				r.duties.Of(p.ID, school, duty)
			}
		}
		if class != "" {
			if school == "" {
				return row.Err(t.cols["class"], "a class needs the person's school")
			}
			id := classID(school, class)
			if _, ok := r.groups[id]; !ok {
				r.addGroup(roster.Group{ID: id, DisplayName: class, Type: roster.GroupKlass, SchoolUnitID: school})
			}
			if role == student {
				g := &r.snap.Groups[r.groups[id]]
				g.Memberships = append(g.Memberships, roster.Membership{PersonID: p.ID})
			} else {
				r.duties.Mentor(p.ID, school, id, roster.Date{}, roster.Date{})
			}
		}
		r.persons[p.ID] = len(r.snap.Persons)
		r.snap.Persons = append(r.snap.Persons, p)
		return nil
	})
}

// marking reads securityMarking (SS 12000's words) or protected (true or
// false): a protected person is Sekretessmarkering, which excludes them
// as any marking does.
func marking(t *table, row export.Row, get func(string) string, p *roster.Person) error {
	switch v := roster.SecurityMarking(get("securityMarking")); v {
	case "":
	case roster.SecurityNone, roster.SecuritySekretessmarkering, roster.SecuritySkyddadFolkbokforing:
		p.SecurityMarking = v
	default:
		return row.Err(t.cols["securityMarking"], "want Ingen, Sekretessmarkering or Skyddad folkbokföring (translate with values)")
	}
	switch strings.ToLower(get("protected")) {
	case "", "false", "0":
	case "true", "1":
		if p.SecurityMarking == roster.SecurityNone {
			p.SecurityMarking = roster.SecuritySekretessmarkering
		}
	default:
		return row.Err(t.cols["protected"], "want true or false (translate with values)")
	}
	return nil
}

func (r *reader) readMemberships(t *table) error {
	return t.each(func(row export.Row, get func(string) string) error {
		gi, ok := r.groups[get("group")]
		if !ok {
			return row.Err(t.cols["group"], "names a group the groups file does not have")
		}
		person := get("person")
		if _, ok := r.persons[person]; !ok {
			return row.Err(t.cols["person"], "names a person the persons file does not have")
		}
		g := &r.snap.Groups[gi]
		switch role := get("role"); role {
		case "", student:
			g.Memberships = append(g.Memberships, roster.Membership{PersonID: person})
		case "Mentor":
			r.duties.Mentor(person, g.SchoolUnitID, g.ID, roster.Date{}, roster.Date{})
		case "Teacher":
			if g.Type == roster.GroupKlass {
				r.duties.Mentor(person, g.SchoolUnitID, g.ID, roster.Date{}, roster.Date{})
				return nil
			}
			r.teach(person, g)
		default:
			return row.Err(t.cols["role"], "unknown role: want Student, Teacher or Mentor (translate with values)")
		}
		return nil
	})
}

// teach makes person a teacher of g's activity, made on first need.
func (r *reader) teach(person string, g *roster.Group) {
	duty := r.duties.Of(person, g.SchoolUnitID, roster.DutyLarare).ID
	i, ok := r.acts[g.ID]
	if !ok {
		i = len(r.snap.Activities)
		r.acts[g.ID] = i
		r.snap.Activities = append(r.snap.Activities, roster.Activity{ID: export.ActivityID(g.ID), DisplayName: g.DisplayName,
			Type: roster.ActivityUndervisning, SchoolUnitID: g.SchoolUnitID, GroupIDs: []string{g.ID}})
	}
	a := &r.snap.Activities[i]
	a.Teachers = append(a.Teachers, roster.ActivityTeacher{DutyID: duty})
}

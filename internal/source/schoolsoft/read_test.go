package schoolsoft

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	"github.com/elevsynk/elevsynk/internal/source/export"
	"github.com/elevsynk/elevsynk/internal/source/export/exporttest"
)

var today = roster.MustParseDate("2026-09-14")

// writerTypes is how the test writer says a duty's role as a SchoolSoft
// staff type.
func writerType(r roster.DutyRole) string {
	switch r {
	case roster.DutyLarare:
		return "0"
	case roster.DutyRektor:
		return "1"
	}
	return "3"
}

type tsv struct{ b strings.Builder }

func (t *tsv) row(f ...string) { t.b.WriteString(strings.Join(f, "\t") + "\n") }

// oneSchool is the first F-9 school of a generated municipality, alone:
// a SchoolSoft export is of one school.
func oneSchool(t testing.TB, pupils int) (*roster.Snapshot, roster.Organisation) {
	gen, _ := rostergen.Generate(rostergen.Config{Seed: 3, Pupils: pupils})
	for _, o := range gen.Organisations {
		if o.Type == roster.OrganisationSkolenhet && slices.Contains(o.SchoolTypes, roster.SchoolTypeGR) {
			s := roster.OnlySchoolUnits(gen, map[string]bool{o.SchoolUnitCode: true})
			o.ParentID = ""
			return s, o
		}
	}
	t.Fatal("no F-9 school")
	return nil, roster.Organisation{}
}

// write exports s the way SchoolSoft does, leaving out people with a
// protected identity (the format has no marking; the customer must).
func write(s *roster.Snapshot) fstest.MapFS {
	skip := map[string]bool{}
	for _, p := range s.Persons {
		skip[p.ID] = p.SecurityMarking != roster.SecurityNone
	}
	idx := roster.NewIndex(s)
	staff, students, groups, lessons := &tsv{}, &tsv{}, &tsv{}, &tsv{}
	staff.row("id", "username", "fname", "lname", "email", "socialnumber", "type", "initial", "mobile")
	students.row("id", "fname", "lname", "email", "socialnumber", "class", "sex", "active")
	groups.row("id", "name", "classtype", "teacher")
	lessons.row("day", "teacher", "group", "subject")
	email := func(p *roster.Person) string {
		if len(p.Emails) > 0 {
			return p.Emails[0].Value
		}
		return ""
	}
	mentors := map[string][]string{}
	for _, d := range s.Duties {
		p := idx.Person(d.PersonID)
		if skip[p.ID] {
			continue
		}
		staff.row(p.ID, p.ID, p.GivenName, p.FamilyName, email(p), p.CivicNo.Reveal(), writerType(d.DutyRole), d.Signature, "")
		for _, a := range d.AssignmentRoles {
			mentors[a.GroupID] = append(mentors[a.GroupID], p.ID)
		}
	}
	classOf := map[string]string{}    // pupil → class name
	classByKey := map[string]string{} // member list → class name
	key := func(ms []roster.Membership) string {
		var ids []string
		for _, m := range ms {
			ids = append(ids, m.PersonID)
		}
		return strings.Join(ids, ",")
	}
	for _, g := range s.Groups {
		if g.Type == roster.GroupKlass {
			groups.row(g.ID, g.DisplayName, "1", strings.Join(mentors[g.ID], ","))
			classByKey[key(g.Memberships)] = g.DisplayName
			for _, m := range g.Memberships {
				classOf[m.PersonID] = g.DisplayName
			}
		}
	}
	for _, p := range s.Persons {
		if len(p.Enrolments) > 0 && !skip[p.ID] {
			students.row(p.ID, p.GivenName, p.FamilyName, email(&p), p.CivicNo.Reveal(), classOf[p.ID], "", "1")
		}
	}
	for _, a := range s.Activities {
		class := classByKey[key(idx.Group(a.GroupIDs[0]).Memberships)]
		var teachers []string
		for _, t := range a.Teachers {
			if d := idx.Duty(t.DutyID); !skip[d.PersonID] {
				teachers = append(teachers, d.PersonID)
			}
		}
		for _, day := range []string{"mon", "wed"} { // a schedule repeats
			lessons.row(day, strings.Join(teachers, ","), class, strings.TrimPrefix(a.DisplayName, class+" "))
		}
	}
	return fstest.MapFS{
		"staff.txt": {Data: []byte(staff.b.String())}, "students.txt": {Data: []byte(students.b.String())},
		"groups.txt": {Data: []byte(groups.b.String())}, "lessons.txt": {Data: []byte(lessons.b.String())},
	}
}

// expected is what the reader can give back of one school's s, with
// exactly these substitutions (what the export cannot carry):
//   - people with a protected identity are left out, with what refers to
//     them; the school's parent is not in the export;
//   - person ids are studentID/staffID of the register id, and persons
//     lose eduPersonPrincipalNames; enrolments lose their dates;
//   - only Klass groups remain, with groupID ids and no dates; an
//     activity is on the class whose pupils it teaches (lessons name
//     classes), with activityID(subject, class) as id, no syllabus and no
//     dates;
//   - duties get export.DutyID ids, their role through writerType and
//     staffTypes, no description and no start date; mentor roles lose
//     their dates.
func expected(s *roster.Snapshot, school roster.Organisation) *roster.Snapshot {
	out := &roster.Snapshot{Organisations: []roster.Organisation{school}}
	idx := roster.NewIndex(s)
	newID := map[string]string{}
	for _, p := range s.Persons {
		if p.SecurityMarking != roster.SecurityNone {
			continue
		}
		if len(p.Enrolments) > 0 {
			newID[p.ID] = studentID(p.ID)
			p.Enrolments = slices.Clone(p.Enrolments)
			p.Enrolments[0].StartDate, p.Enrolments[0].EndDate = roster.Date{}, roster.Date{}
		} else {
			newID[p.ID] = staffID(p.ID)
		}
		p.ID, p.EduPersonPrincipalNames = newID[p.ID], nil
		out.Persons = append(out.Persons, p)
	}
	classByKey := map[string]roster.Group{}
	for _, g := range s.Groups {
		if g.Type != roster.GroupKlass {
			continue
		}
		var members []roster.Membership
		var key []string
		for _, m := range g.Memberships {
			key = append(key, m.PersonID)
			if id, ok := newID[m.PersonID]; ok {
				members = append(members, roster.Membership{PersonID: id})
			}
		}
		old := g.ID
		g.ID, g.StartDate, g.EndDate, g.Memberships = groupID(g.ID), roster.Date{}, roster.Date{}, members
		classByKey[strings.Join(key, ",")] = g
		newID[old] = g.ID
		out.Groups = append(out.Groups, g)
	}
	dutyID := map[string]string{}
	for _, d := range s.Duties {
		p, ok := newID[d.PersonID]
		if !ok {
			continue
		}
		dutyID[d.ID] = export.DutyID(p, d.SchoolUnitID)
		d.ID, d.PersonID, d.DutyRole = dutyID[d.ID], p, staffTypes[writerType(d.DutyRole)]
		d.Description, d.StartDate = "", roster.Date{}
		d.AssignmentRoles = slices.Clone(d.AssignmentRoles)
		for i := range d.AssignmentRoles {
			a := &d.AssignmentRoles[i]
			a.GroupID, a.StartDate, a.EndDate = newID[a.GroupID], roster.Date{}, roster.Date{}
		}
		out.Duties = append(out.Duties, d)
	}
	for _, a := range s.Activities {
		var key []string
		for _, m := range idx.Group(a.GroupIDs[0]).Memberships {
			key = append(key, m.PersonID)
		}
		class := classByKey[strings.Join(key, ",")]
		subject := strings.TrimPrefix(a.DisplayName, class.DisplayName+" ")
		var teachers []roster.ActivityTeacher
		for _, t := range a.Teachers {
			if id, ok := dutyID[t.DutyID]; ok {
				teachers = append(teachers, roster.ActivityTeacher{DutyID: id})
			}
		}
		out.Activities = append(out.Activities, roster.Activity{ID: activityID(subject, []string{class.ID}), DisplayName: a.DisplayName,
			Type: a.Type, SchoolUnitID: a.SchoolUnitID, GroupIDs: []string{class.ID}, Teachers: teachers})
	}
	out.Sort()
	return out
}

func TestRoundTrip(t *testing.T) {
	s, school := oneSchool(t, 3000)
	got, err := Read(write(s), export.Auto, Options{School: school, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	want := expected(s, school)
	if got.Hash() != want.Hash() {
		diff := strings.SplitN(cmp.Diff(want, got), "\n", 41)
		t.Errorf("hash %s, want %s; diff (-want +got):\n%s", got.Hash(), want.Hash(), strings.Join(diff[:min(40, len(diff))], "\n"))
	}
	protected := 0
	for _, p := range s.Persons {
		if p.SecurityMarking != roster.SecurityNone {
			protected++
		}
	}
	if protected == 0 {
		t.Error("the school has no protected person; the test would not show they are left out")
	}
}

func files(over map[string]string) fstest.MapFS {
	base := map[string]string{
		"staff.txt":    "id\tusername\tfname\tlname\temail\tsocialnumber\ttype\tinitial\n1\tannand\tAnna\tAndersson\tanna@ex.se\t\t0\tANAN\n",
		"groups.txt":   "id\tname\tclasstype\tteacher\n10\t7A\t1\tannand\n",
		"students.txt": "id\tfname\tlname\temail\tsocialnumber\tclass\tactive\n1\tKalle\tKarlsson\t\t100115-2386\t7A\t1\n2\tLisa\tLind\t\t\t7A\t0\n",
		"lessons.txt":  "day\tteacher\tgroup\tsubject\nmon\tannand\t7A\tMatematik\ntue\t\t\tLunch\n",
	}
	return exporttest.Files(base, over)
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		over map[string]string
		want string
	}{
		{"missing column", map[string]string{"students.txt": "id\tfname\tlname\n1\tKalle\tKarlsson\n"}, `students.txt line 1 field "class": the header lacks this required column`},
		{"half-written last row", map[string]string{"students.txt": "id\tfname\tlname\tclass\n1\tKalle\tKarlsson\t7A\n2\tLi"},
			"students.txt line 3: the row has a different number of fields than the header (a cut-off file?)"},
		{"bad civic number", map[string]string{"students.txt": "id\tfname\tlname\tclass\tsocialnumber\n1\tKalle\tKarlsson\t7A\t100115-2387\n"},
			`students.txt line 2 field "socialnumber": ` + export.ErrCivicNo.Error()},
		{"unknown staff type", map[string]string{"staff.txt": "id\tusername\tfname\tlname\ttype\n1\tannand\tAnna\tAndersson\t9\n"},
			`staff.txt line 2 field "type": unknown staff type: want 0-4`},
		{"dangling teacher", map[string]string{"lessons.txt": "teacher\tgroup\tsubject\nkarlk\t7A\tMatematik\n"},
			`lessons.txt line 2 field "teacher": names a username staff.txt does not have`},
		{"encoding mix-up", map[string]string{"students.txt": "id\tfname\tlname\tclass\n1\tÅsa\tÖberg\t7A\n2\t\xc5sa\tBerg\t7A\n"},
			"students.txt: " + export.ErrMixedEncoding.Error()},
		{"empty file", map[string]string{"staff.txt": ""}, "staff.txt line 1: the file is empty: want a header row"},
		{"missing file", map[string]string{"students.txt": "-"}, "open students.txt: file does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(files(tt.over), export.Auto, Options{Today: today})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
			for _, v := range []string{"Kalle", "100115", "karlk", "Åsa"} {
				if strings.Contains(err.Error(), v) {
					t.Error("the error holds a value from the file")
				}
			}
		})
	}
}

func TestRead(t *testing.T) {
	school := roster.Organisation{ID: "s1", DisplayName: "Norrskolan", SchoolUnitCode: "12345678", SchoolTypes: []roster.SchoolType{roster.SchoolTypeFKLASS, roster.SchoolTypeGR}}
	s, err := Read(files(nil), export.Auto, Options{School: school, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Persons) != 2 || len(s.Groups) != 1 || len(s.Activities) != 1 || len(s.Activities[0].Teachers) != 1 {
		t.Fatalf("%d persons, %d groups, %d activities", len(s.Persons), len(s.Groups), len(s.Activities))
	}
	g := s.Groups[0]
	if g.Type != roster.GroupKlass || g.SchoolType != roster.SchoolTypeGR || len(g.Memberships) != 1 || g.Memberships[0].PersonID != studentID("1") {
		t.Errorf("class %+v: want 7A, GR, with the active pupil only", g)
	}
	if d := s.Duties[0]; d.Signature != "ANAN" || len(d.AssignmentRoles) != 1 || d.AssignmentRoles[0].Role != roster.AssignmentMentor {
		t.Errorf("duty %+v: want a mentor with signature", d)
	}
}

// TestEmpty: an export with headers only is an empty school.
func TestEmpty(t *testing.T) {
	over := map[string]string{}
	for name, f := range files(nil) {
		over[name] = strings.SplitAfter(string(f.Data), "\n")[0]
	}
	s, err := Read(files(over), export.Auto, Options{School: roster.Organisation{ID: "s1"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Persons)+len(s.Groups)+len(s.Duties)+len(s.Activities) != 0 {
		t.Error("want only the school")
	}
}

func FuzzRead(f *testing.F) {
	b := files(nil)
	f.Add(b["students.txt"].Data, b["lessons.txt"].Data)
	f.Fuzz(func(t *testing.T, students, lessons []byte) {
		_, err := Read(files(map[string]string{"students.txt": string(students), "lessons.txt": string(lessons)}), export.Auto, Options{Today: today})
		var e *export.Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("%T is not an *export.Error", err)
		}
	})
}

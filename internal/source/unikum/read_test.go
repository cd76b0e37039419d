package unikum

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	"github.com/elevsynk/elevsynk/internal/source/export"
	"github.com/elevsynk/elevsynk/internal/source/export/exporttest"
)

var (
	testKey = []byte("a tenant's 32-byte test id key!!")
	today   = roster.MustParseDate("2026-09-14")
)

func opts() Options { return Options{IDKey: testKey, Today: today} }

func TestRoundTrip(t *testing.T) {
	gen, rep := rostergen.Generate(rostergen.Config{Seed: 7, Pupils: 1500})
	if len(rep.Protected) == 0 {
		t.Fatal("the generated register has no protected person; the test would not show they are left out")
	}
	want := expected(gen, testKey)
	for _, comma := range []rune{'\t', ';', ','} {
		got, err := Read(writeExport(gen, comma), export.Auto, opts())
		if err != nil {
			t.Fatal(err)
		}
		if got.Hash() != want.Hash() {
			diff := strings.SplitN(cmp.Diff(want, got), "\n", 41)
			t.Errorf("delimiter %q: hash %s, want %s; diff (-want +got):\n%s", comma, got.Hash(), want.Hash(), strings.Join(diff[:min(40, len(diff))], "\n"))
		}
	}
}

// TestIDs: a person's id is keyed, and no id holds the civic number.
func TestIDs(t *testing.T) {
	fsys := small(nil)
	a, err := Read(fsys, export.Auto, opts())
	if err != nil {
		t.Fatal(err)
	}
	other := opts()
	other.IDKey = []byte("another tenant's 32-byte id key!")
	b, err := Read(fsys, export.Auto, other)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range a.Persons {
		if p.ID == b.Persons[i].ID {
			t.Error("two keys give the same person id")
		}
		if p.ID == export.DerivedID("unikum-person", p.CivicNo.Reveal()) || strings.Contains(p.ID, p.CivicNo.Reveal()[2:8]) {
			t.Error("a person id is the civic number or its plain hash")
		}
	}
	if _, err := Read(fsys, export.Auto, Options{IDKey: testKey[:31]}); !errors.Is(err, ErrShortKey) {
		t.Errorf("a 31-byte key: %v", err)
	}
}

// small is a school with a class, a pupil, a teacher and a guardian;
// files override or add to it.
func small(files map[string]string) fstest.MapFS {
	base := map[string]string{
		"objekt.txt": "s1\t12345678\tNorrskolan\tse.grundskoleutbildning.grundskola\t\t\t\t\t\t\t\t\t\t\tschool\n" +
			"7a\t7A\t\t\t\t\tclass\n" +
			"Kalle\tKarlsson\tkalle@ex.se\t20130412-1237\t\t\t\t\t\t\t\t\t\t\t\t7\t\t\tuser\n" +
			"Anna\tAndersson\tanna@ex.se\t19800101-0001\t\t\t\t\t\t\t\t\t\t\t\t\t\t\tuser\n" +
			"Greta\tKarlsson\t\t19820202-0007\t\t\t\t\t\t\t\t\t\t\t\t\t\t\tuser\n",
		"relationer.txt": "add\tclass_in_school\t7a\ts1\n" +
			"add\tstudent_in_school\t20130412-1237\ts1\n" +
			"add\tstudent_in_class\t20130412-1237\t7a\n" +
			"add\tstaff_in_school\t19800101-0001\ts1\n" +
			"add\tteacher_in_class\t19800101-0001\t7a\n" +
			"add\tguardian_for\t19820202-0007\t20130412-1237\n" +
			"add\tstaff_in_school\t19820202-0007\ts1\n" +
			"remove\tstaff_in_school\t19820202-0007\ts1\n",
	}
	return exporttest.Files(base, files)
}

func TestMapping(t *testing.T) {
	got, err := Read(small(nil), export.Auto, opts())
	if err != nil {
		t.Fatal(err)
	}
	pupil := export.PseudonymID(testKey, "unikum-person", "201304121237")
	teacher := export.PseudonymID(testKey, "unikum-person", "198001010001")
	want := &roster.Snapshot{
		Organisations: []roster.Organisation{{ID: "s1", DisplayName: "Norrskolan", Type: roster.OrganisationSkolenhet,
			SchoolUnitCode: "12345678", SchoolTypes: []roster.SchoolType{roster.SchoolTypeGR}}},
		Persons: []roster.Person{
			{ID: pupil, GivenName: "Kalle", FamilyName: "Karlsson", CivicNo: "201304121237", Emails: []roster.Email{{Value: "kalle@ex.se", Type: roster.EmailSkolaElev}},
				SecurityMarking: roster.SecurityNone, PersonStatus: roster.PersonAktiv,
				Enrolments: []roster.Enrolment{{SchoolUnitID: "s1", SchoolType: roster.SchoolTypeGR, SchoolYear: 7}}},
			{ID: teacher, GivenName: "Anna", FamilyName: "Andersson", CivicNo: "198001010001", Emails: []roster.Email{{Value: "anna@ex.se", Type: roster.EmailSkolaPersonal}},
				SecurityMarking: roster.SecurityNone, PersonStatus: roster.PersonAktiv},
		},
		Groups: []roster.Group{{ID: "7a", DisplayName: "7A", Type: roster.GroupKlass, SchoolUnitID: "s1", SchoolType: roster.SchoolTypeGR,
			Memberships: []roster.Membership{{PersonID: pupil}}}},
		Duties: []roster.Duty{{ID: export.DutyID(teacher, "s1"), PersonID: teacher, SchoolUnitID: "s1", DutyRole: roster.DutyLarare,
			AssignmentRoles: []roster.AssignmentRole{{GroupID: "7a", Role: roster.AssignmentMentor}}}},
	}
	want.Sort()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("snapshot (-want +got):\n%s", diff)
	}
}

// TestEncodingAndDelimiter: ISO-8859-1 text, semicolons found from the
// first line or given.
func TestEncodingAndDelimiter(t *testing.T) {
	latin, _ := charmap.ISO8859_1.NewEncoder().String("s1;;Östra skolan;se.grundskoleutbildning.grundskola;;;;;;;;;;;school\n")
	for _, o := range []Options{opts(), {IDKey: testKey, Today: today, Delimiter: ';'}} {
		got, err := Read(fstest.MapFS{"skolor.txt": {Data: []byte(latin)}}, export.ISO88591, o)
		if err != nil {
			t.Fatal(err)
		}
		if n := got.Organisations[0].DisplayName; n != "Östra skolan" {
			t.Errorf("name %q", n)
		}
	}
}

func TestErrors(t *testing.T) {
	user := func(civic, year string) string {
		return "Åsa\tÖberg\t\t" + civic + "\t\t\t\t\t\t\t\t\t\t\t\t" + year + "\t\t\tuser\n"
	}
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"bad civic number", map[string]string{"x.txt": user("20130412-1239", "")},
			`x.txt line 1 field "4 personnummer": ` + export.ErrCivicNo.Error()},
		{"duplicate civic number", map[string]string{"x.txt": user("20130412-1237", "")},
			`x.txt line 1 field "4 personnummer": a second user with this civic number`},
		{"bad year", map[string]string{"x.txt": user("20100101-0006", "sju")},
			`x.txt line 1 field "16 årskurs": a school year is a number 0-10 (0 is förskoleklass)`},
		{"short row", map[string]string{"x.txt": "7b\t7B\tclass\n"}, "x.txt line 1: a class row has 7 fields, this one 3"},
		{"unknown row type", map[string]string{"x.txt": "7b\t7B\t\t\t\t\tklass\n"},
			`x.txt line 1: cannot tell the delimiter: the first line is neither an object row (ending in user, class or school) nor a relation row, split by tab, semicolon or comma`},
		{"unknown row type later", map[string]string{"x.txt": "7b\t7B\t\t\t\t\tclass\n7c\t7C\t\t\t\t\tklass\n"},
			`x.txt line 2 field "7": the last field is not a row type (user, class or school), and the row is not a relation (add or remove, a relation type and two ids)`},
		{"unknown school form", map[string]string{"x.txt": "s2\t\tSödra\tse.grundskola\t\t\t\t\t\t\t\t\t\t\tschool\n"},
			`x.txt line 1 field "4 skolform": unknown school form: want se.forskoleverksamhet.forskola, se.grundskoleutbildning.grundskola, se.grundskoleutbildning.sarskola.grundsarskola, se.gymnasieutbildning.gymnasieskola or se.vuxenutbildning`},
		{"bad school unit code", map[string]string{"x.txt": "s2\t123\tSödra\t\t\t\t\t\t\t\t\t\t\t\tschool\n"},
			`x.txt line 1 field "2 skol-id": a school unit code has 8 digits`},
		{"relation to nobody", map[string]string{"x.txt": "add\tstudent_in_class\t20100101-0006\t7a\n"},
			`x.txt line 1 field "first id": names a person no user row has`},
		{"relation to no class", map[string]string{"x.txt": "add\tstudent_in_class\t20130412-1237\t9z\n"},
			`x.txt line 1 field "second id": names a class no class row has`},
		{"relation by a name", map[string]string{"x.txt": "add\tstudent_in_class\tKalle Karlsson\t7a\n"},
			`x.txt line 1 field "first id": a person is named by civic number, and this is not one`},
		{"quote", map[string]string{"x.txt": "add\tstudent_in_class\t\"2013\t7a\n"}, `x.txt line 1: extraneous or missing " in quoted-field`},
		{"mixed encoding", map[string]string{"x.txt": user("20100101-0006", "") + "\xc5sa\tB\n"}, "x.txt: " + export.ErrMixedEncoding.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(small(tt.files), export.Auto, opts())
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
			for _, v := range []string{"Kalle", "Karlsson", "Åsa", "Öberg", "2013", "2010", "1237", "sju", "Södra", "9z", "se.grundskola"} {
				if strings.Contains(err.Error(), v) {
					t.Errorf("the error holds a value from the file")
				}
			}
		})
	}
}

// FuzzRead feeds any file to the reader: it returns a snapshot or an
// *export.Error, never panics, and its errors hold no civic number.
func FuzzRead(f *testing.F) {
	for _, d := range small(nil) {
		f.Add(d.Data)
	}
	f.Add([]byte("a;b;c;user\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := small(nil)
		fsys["fuzz.txt"] = &fstest.MapFile{Data: data}
		s, err := Read(fsys, export.Auto, opts())
		var e *export.Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("%T is not an *export.Error", err)
		}
		if err != nil && strings.Contains(err.Error(), "20130412") {
			t.Fatal("an error holds a civic number")
		}
		if err == nil {
			roster.Validate(s)
		}
	})
}

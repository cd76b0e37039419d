package csvmap

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source/export"
	"github.com/elevsynk/elevsynk/internal/source/export/exporttest"
)

// A home-made extract with Swedish headers, semicolons and the export's
// own words for roles and protection. Everyone in it is invented.
const (
	elever = "Skola;Elev-ID;Förnamn;Efternamn;Personnummer;E-post;Roll;Åk;Klass;Skyddad\n" +
		"S1;e1;Kalle;Karlsson;100115-2386;kalle@ex.se;Elev;7;7A;\n" +
		"S1;e2;Lisa;Lind;;;Elev;7;7A;J\n" +
		"S1;l1;Anna;Andersson;;anna@ex.se;Lärare;;7A;\n"
	skolor    = "Skola;Namn;Skolenhetskod;Skolform\nS1;Norrskolan;12345678;GR\n"
	grupper   = "Grupp;Namn;Skola\nma7a;7A Matematik;S1\n"
	medlemmar = "Grupp;Person;Roll\nma7a;e1;Elev\nma7a;l1;Lärare\n"
)

func config() Config {
	return Config{
		Delimiter: ';',
		Today:     roster.MustParseDate("2026-09-14"),
		Persons: File{Name: "elever.csv",
			Columns: map[string]string{"id": "Elev-ID", "givenName": "Förnamn", "familyName": "Efternamn", "civicNo": "Personnummer",
				"email": "E-post", "role": "Roll", "school": "Skola", "schoolYear": "Åk", "class": "Klass", "protected": "Skyddad"},
			Values: map[string]map[string]string{"role": {"Elev": "Student", "Lärare": "Teacher"}, "protected": {"J": "true"}}},
		Schools: &File{Name: "skolor.csv", Columns: map[string]string{"id": "Skola", "name": "Namn", "schoolUnitCode": "Skolenhetskod", "schoolType": "Skolform"}},
		Groups:  &File{Name: "grupper.csv", Columns: map[string]string{"id": "Grupp", "name": "Namn", "school": "Skola"}},
		Memberships: &File{Name: "medlemmar.csv", Columns: map[string]string{"group": "Grupp", "person": "Person", "role": "Roll"},
			Values: map[string]map[string]string{"role": {"Elev": "Student", "Lärare": "Teacher"}}},
	}
}

func files(over map[string]string) fstest.MapFS {
	return exporttest.Files(map[string]string{"elever.csv": elever, "skolor.csv": skolor, "grupper.csv": grupper, "medlemmar.csv": medlemmar}, over)
}

func TestRead(t *testing.T) {
	got, err := Read(files(nil), config())
	if err != nil {
		t.Fatal(err)
	}
	class := classID("S1", "7A")
	duty := export.DutyID("l1", "S1")
	pupil := func(id, given, family string, m roster.SecurityMarking, emails []roster.Email) roster.Person {
		return roster.Person{ID: id, GivenName: given, FamilyName: family, Emails: emails, SecurityMarking: m, PersonStatus: roster.PersonAktiv,
			Enrolments: []roster.Enrolment{{SchoolUnitID: "S1", SchoolYear: 7}}}
	}
	kalle := pupil("e1", "Kalle", "Karlsson", roster.SecurityNone, []roster.Email{{Value: "kalle@ex.se", Type: roster.EmailSkolaElev}})
	kalle.CivicNo = "201001152386"
	want := &roster.Snapshot{
		Organisations: []roster.Organisation{{ID: "S1", DisplayName: "Norrskolan", Type: roster.OrganisationSkolenhet, SchoolUnitCode: "12345678", SchoolTypes: []roster.SchoolType{roster.SchoolTypeGR}}},
		Persons: []roster.Person{
			kalle,
			pupil("e2", "Lisa", "Lind", roster.SecuritySekretessmarkering, nil),
			{ID: "l1", GivenName: "Anna", FamilyName: "Andersson", Emails: []roster.Email{{Value: "anna@ex.se", Type: roster.EmailSkolaPersonal}},
				SecurityMarking: roster.SecurityNone, PersonStatus: roster.PersonAktiv},
		},
		Groups: []roster.Group{
			{ID: class, DisplayName: "7A", Type: roster.GroupKlass, SchoolUnitID: "S1", Memberships: []roster.Membership{{PersonID: "e1"}, {PersonID: "e2"}}},
			{ID: "ma7a", DisplayName: "7A Matematik", Type: roster.GroupUndervisning, SchoolUnitID: "S1", Memberships: []roster.Membership{{PersonID: "e1"}}},
		},
		Duties: []roster.Duty{{ID: duty, PersonID: "l1", SchoolUnitID: "S1", DutyRole: roster.DutyLarare,
			AssignmentRoles: []roster.AssignmentRole{{GroupID: class, Role: roster.AssignmentMentor}}}},
		Activities: []roster.Activity{{ID: export.ActivityID("ma7a"), DisplayName: "7A Matematik", Type: roster.ActivityUndervisning,
			SchoolUnitID: "S1", GroupIDs: []string{"ma7a"}, Teachers: []roster.ActivityTeacher{{DutyID: duty}}}},
	}
	want.Sort()
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b roster.CivicNo) bool { return a.Reveal() == b.Reveal() })); diff != "" {
		t.Errorf("snapshot (-want +got):\n%s", diff)
	}
}

// TestPersonsOnly: without a schools file, the school column makes the
// school units.
func TestPersonsOnly(t *testing.T) {
	c := config()
	c.Schools, c.Groups, c.Memberships = nil, nil, nil
	s, err := Read(files(nil), c)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Organisations) != 1 || s.Organisations[0].ID != "S1" || len(s.Persons) != 3 || len(s.Groups) != 1 {
		t.Errorf("%d organisations, %d persons, %d groups", len(s.Organisations), len(s.Persons), len(s.Groups))
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"unknown field", func(c *Config) { c.Persons.Columns["fornamn"] = "Förnamn" },
			"spec.csv.persons.columns.fornamn: unknown field; the persons file knows id, givenName, familyName, civicNo, email, eduPersonPrincipalName, role, school, schoolType, schoolYear, class, securityMarking, protected"},
		{"required field", func(c *Config) { delete(c.Persons.Columns, "familyName") }, "spec.csv.persons.columns: the field familyName is required"},
		{"values of an unmapped field", func(c *Config) { c.Groups.Values = map[string]map[string]string{"type": {"K": "Klass"}} },
			"spec.csv.groups.values.type: translates a field the columns do not map"},
		{"memberships without groups", func(c *Config) { c.Groups = nil }, "spec.csv.memberships: needs spec.csv.groups, the groups it refers to"},
		{"no file name", func(c *Config) { c.Schools.Name = "" }, "spec.csv.schools.name: is required"},
		{"empty header", func(c *Config) { c.Persons.Columns["email"] = " " }, "spec.csv.persons.columns.email: names no header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := config()
			tt.change(&c)
			err := c.Validate()
			var ce *ConfigError
			if !errors.As(err, &ce) || err.Error() != tt.want {
				t.Errorf("got %v\nwant %s", err, tt.want)
			}
		})
	}
	if err := config().Validate(); err != nil {
		t.Errorf("the example: %v", err)
	}
}

func TestErrors(t *testing.T) {
	head := "Skola;Elev-ID;Förnamn;Efternamn;Personnummer;E-post;Roll;Åk;Klass;Skyddad\n"
	tests := []struct {
		name string
		over map[string]string
		want string
	}{
		{"missing column", map[string]string{"elever.csv": "Skola;Elev-ID;Förnamn\nS1;e1;Kalle\n"}, `elever.csv line 1 field "Personnummer": the header lacks this required column`},
		{"half-written last row", map[string]string{"elever.csv": head + "S1;e1;Kalle;Karlsson;;;Elev;7;7A;\nS1;e2;Li"},
			"elever.csv line 3: the row has a different number of fields than the header (a cut-off file?)"},
		{"bad civic number", map[string]string{"elever.csv": head + "S1;e1;Kalle;Karlsson;100115-2387;;Elev;7;7A;\n"},
			`elever.csv line 2 field "Personnummer": ` + export.ErrCivicNo.Error()},
		{"unknown role", map[string]string{"elever.csv": head + "S1;e1;Kalle;Karlsson;;;Vaktmästare;;;\n"},
			`elever.csv line 2 field "Roll": unknown role: want Student, Teacher, Principal, Staff or an SS 12000 duty role (translate with values)`},
		{"bad school year", map[string]string{"elever.csv": head + "S1;e1;Kalle;Karlsson;;;Elev;sju;7A;\n"},
			`elever.csv line 2 field "Åk": a school year is a number 0-10 (0 is förskoleklass)`},
		{"bad protection", map[string]string{"elever.csv": head + "S1;e1;Kalle;Karlsson;;;Elev;7;7A;kanske\n"},
			`elever.csv line 2 field "Skyddad": want true or false (translate with values)`},
		{"dangling school", map[string]string{"elever.csv": head + "S9;e1;Kalle;Karlsson;;;Elev;7;7A;\n"},
			`elever.csv line 2 field "Skola": names a school the schools file does not have`},
		{"dangling person", map[string]string{"medlemmar.csv": "Grupp;Person;Roll\nma7a;e9;Elev\n"},
			`medlemmar.csv line 2 field "Person": names a person the persons file does not have`},
		{"duplicate id", map[string]string{"elever.csv": head + "S1;e1;Kalle;Karlsson;;;Elev;7;7A;\nS1;e1;Kalle;Karlsson;;;Elev;7;7A;\n"},
			`elever.csv line 3 field "Elev-ID": a second person with this id`},
		{"encoding mix-up", map[string]string{"elever.csv": head + "S1;e1;Åsa;Öberg;;;Elev;7;7A;\nS1;e2;\xc5sa;Berg;;;Elev;7;7A;\n"},
			"elever.csv: " + export.ErrMixedEncoding.Error()},
		{"empty file", map[string]string{"skolor.csv": ""}, "skolor.csv line 1: the file is empty: want a header row"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(files(tt.over), config())
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
			for _, v := range []string{"Kalle", "Karlsson", "100115", "Vaktmästare", "sju", "kanske", "S9", "e9", "Åsa"} {
				if strings.Contains(err.Error(), v) {
					t.Error("the error holds a value from the file")
				}
			}
		})
	}
}

// TestEmpty: files with headers only are an empty register.
func TestEmpty(t *testing.T) {
	over := map[string]string{}
	for name, data := range files(nil) {
		over[name] = strings.SplitAfter(string(data.Data), "\n")[0]
	}
	s, err := Read(files(over), config())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&roster.Snapshot{}, s); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(elever), []byte(medlemmar))
	f.Fuzz(func(t *testing.T, persons, members []byte) {
		_, err := Read(files(map[string]string{"elever.csv": string(persons), "medlemmar.csv": string(members)}), config())
		var e *export.Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("%T is not an *export.Error", err)
		}
	})
}

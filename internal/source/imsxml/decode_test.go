package imsxml

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source/export"
)

const (
	head = `<?xml version="1.0" encoding="UTF-8"?><enterprise><properties><type>%s</type></properties>`
	unit = `<group><sourcedid><id>u1</id></sourcedid><grouptype><typevalue>Unit</typevalue></grouptype><description><short>Skolan</short></description>
	<extension><schoolunitcode>12345678</schoolunitcode><schooltype>GR</schooltype></extension></group>`
	class = `<group><sourcedid><id>c1</id></sourcedid><grouptype><typevalue>Class</typevalue></grouptype><description><short>7A </short></description>
	<extension><schoolyear>7</schoolyear></extension></group>`
	pupil   = `<person><sourcedid><id>{AAAAAAAA-0000-4000-8000-00000000000%s}</id></sourcedid><userid useridtype="PID">20100101000%s</userid><name><n><given>G</given><family>F</family></n></name>%s</person>`
	members = `<membership><sourcedid><id>%s</id></sourcedid>%s</membership>`
	member  = `<member><sourcedid><id>%s</id></sourcedid><idtype>%s</idtype><role roletype="%s"%s><status>1</status></role></member>`
)

func doc(typ string, parts ...string) string {
	return strings.Replace(head, "%s", typ, 1) + strings.Join(parts, "") + "</enterprise>"
}

func fill(format string, args ...string) string {
	for _, a := range args {
		format = strings.Replace(format, "%s", a, 1)
	}
	return format
}

func pupilID(n string) string { return "aaaaaaaa-0000-4000-8000-00000000000" + n }

func read(t *testing.T, s string, prev *State) *State {
	t.Helper()
	st, err := Read(strings.NewReader(s), "export.xml", export.Auto, prev)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func classMembers(s *roster.Snapshot) []string {
	var ids []string
	for _, g := range s.Groups {
		for _, m := range g.Memberships {
			ids = append(ids, m.PersonID)
		}
	}
	return ids
}

func TestDeltaOnComplete(t *testing.T) {
	complete := read(t, doc("Complete", unit, class,
		fill(pupil, "1", "1", ""), fill(pupil, "2", "2", ""), fill(pupil, "3", "3", ""),
		fill(members, "u1", fill(member, "c1", "2", "Class", "")),
		fill(members, "c1", fill(member, "{"+pupilID("1")+"}", "1", "Student", "")+fill(member, pupilID("2"), "Person", "Student", "")+fill(member, pupilID("3"), "Person", "Student", ""))), nil)
	if got := classMembers(complete.Snapshot()); !slices.Equal(got, []string{pupilID("1"), pupilID("2"), pupilID("3")}) {
		t.Fatalf("class members %v", got)
	}
	tests := []struct {
		name        string
		delta       string
		wantMembers []string
		wantPersons int
	}{
		{"a person deleted", doc("Delta", `<person recstatus="3"><sourcedid><id>{`+pupilID("3")+`}</id></sourcedid></person>`),
			[]string{pupilID("1"), pupilID("2"), pupilID("3")}, 2},
		{"a role deleted", doc("Delta", fill(members, "c1", fill(member, pupilID("2"), "1", "Student", ` recstatus="3"`))),
			[]string{pupilID("1"), pupilID("3")}, 3},
		{"a role added", doc("Delta", fill(pupil, "4", "4", ""), fill(members, "c1", fill(member, pupilID("4"), "1", "Student", ` recstatus="1"`))),
			[]string{pupilID("1"), pupilID("2"), pupilID("3"), pupilID("4")}, 4},
		{"a complete membership replaces the members", doc("DeltaOrganization", `<membership complete="true"><sourcedid><id>c1</id></sourcedid>`+
			fill(member, pupilID("1"), "1", "Student", "")+`</membership>`), []string{pupilID("1")}, 3},
		{"a group deleted", doc("Delta", `<group recstatus="3"><sourcedid><id>c1</id></sourcedid></group>`), nil, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := complete.Snapshot().Hash()
			s := read(t, tt.delta, complete).Snapshot()
			if got := classMembers(s); !slices.Equal(got, tt.wantMembers) {
				t.Errorf("class members %v, want %v", got, tt.wantMembers)
			}
			if len(s.Persons) != tt.wantPersons {
				t.Errorf("%d persons, want %d", len(s.Persons), tt.wantPersons)
			}
			if complete.Snapshot().Hash() != before {
				t.Error("the Delta changed the Complete state it was applied to")
			}
		})
	}
	// A Complete export replaces everything before it.
	if s := read(t, doc("Complete", unit), complete).Snapshot(); len(s.Persons) != 0 || len(s.Groups) != 0 {
		t.Errorf("a Complete export kept %d persons and %d groups from before", len(s.Persons), len(s.Groups))
	}
}

func TestPrivacyAndNamespaces(t *testing.T) {
	tests := []struct {
		name, privacy string
		want          roster.SecurityMarking
	}{
		{"none", "<privacy>None</privacy>", roster.SecurityNone},
		{"v12 false", "<privacy>false</privacy>", roster.SecurityNone},
		{"v1 level 1", "<privacy>Level1</privacy>", roster.SecuritySekretessmarkering},
		{"v12 level 1", `<privacy level="1">true</privacy>`, roster.SecuritySekretessmarkering},
		{"v12 level 2", `<privacy level="2">true</privacy>`, roster.SecuritySkyddadFolkbokforing},
		{"v1 level 2", "<privacy>Level2</privacy>", roster.SecuritySkyddadFolkbokforing},
	}
	for _, tt := range tests {
		for _, ns := range []string{"", ` xmlns="http://open.tieto.com/edu/organization/v12"`, ` xmlns:ims="urn:x"`} {
			in := doc("Complete", fill(pupil, "1", "1", "<extension>"+tt.privacy+"</extension>"))
			if ns == ` xmlns:ims="urn:x"` { // a prefixed namespace on every element
				in = strings.NewReplacer("</", "</ims:", "<?", "<?", "<", "<ims:").Replace(in)
			}
			in = strings.Replace(in, "<enterprise>", "<enterprise"+ns+">", 1)
			in = strings.Replace(in, "<ims:enterprise>", "<ims:enterprise"+ns+">", 1)
			s := read(t, in, nil).Snapshot()
			if len(s.Persons) != 1 || s.Persons[0].SecurityMarking != tt.want {
				t.Errorf("%s%s: %+v, want marking %q", tt.name, ns, s.Persons, tt.want)
			}
		}
	}
}

func TestTrailingSpacesAreTrimmed(t *testing.T) {
	s := read(t, doc("Complete", unit, class, fill(members, " u1 ", fill(member, " c1  ", "Group", "Class", ""))), nil).Snapshot()
	if len(s.Groups) != 1 || s.Groups[0].DisplayName != "7A" || s.Groups[0].SchoolUnitID != "u1" {
		t.Errorf("groups %+v", s.Groups)
	}
}

func TestBadInput(t *testing.T) {
	secret := "201001019999" // a civic number that must never reach an error
	good := doc("Complete", unit, fill(pupil, "1", "1", ""))
	tests := []struct {
		name, in, want string
	}{
		{"cut short", good[:len(good)/2], "cut short"},
		{"cut inside a tag", good[:strings.Index(good, "<person>")+4], "cut short"},
		{"not XML", "personnummer;namn\n" + secret + ";Anna", "not an IMS Enterprise document"},
		{"another document", `<?xml version="1.0"?><roster/>`, "want <enterprise>"},
		{"empty", "", "not an IMS Enterprise document"},
		{"a bad date", doc("Complete", `<group><sourcedid><id>g</id></sourcedid><grouptype><typevalue>Class</typevalue></grouptype><timeframe><begin>`+secret+`</begin></timeframe></group>`),
			`export.xml line 1 at enterprise/group[1]/timeframe/begin field "begin": not a date`},
		{"a person without an id", doc("Complete", `<person><userid useridtype="PID">`+secret+`</userid></person>`), "enterprise/person[1]"},
		{"an unknown idtype", doc("Complete", fill(members, "u1", fill(member, "x", "Robot", "Student", ""))), `field "idtype": unknown idtype`},
		{"an unknown export type", doc("Partial"), `field "type": unknown export type`},
		{"a delta with nothing before", doc("Delta"), "a Delta export needs a Complete one"},
		{"an unknown declared encoding", `<?xml version="1.0" encoding="EBCDIC"?><enterprise/>`, "names encoding"},
		{"mismatched tags", strings.Replace(good, "</person>", "</group>", 1), "not well-formed XML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.in), "export.xml", export.Auto, nil)
			if err == nil {
				t.Fatal("accepted")
			}
			var fe *export.Error
			if !errors.As(err, &fe) || fe.File != "export.xml" {
				t.Errorf("%v is not an export.Error naming the file", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "Anna") {
				t.Errorf("error %q holds a value from the file", err)
			}
		})
	}
}

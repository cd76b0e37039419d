package mapping

import (
	"strings"
	"testing"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"NOS Klass 7A 26/27", "nos-klass-7a-26-27"},
		{"Åsa Öberg Ärlig", "asa-oberg-arlig"},
		{"  --Hej!!  ", "hej"},
		{"a..b__c", "a.b_c"},
		{".hidden.", "hidden"},
		{"a - . b", "a.b"},
		{"Linnéa & Renée (SO)", "linnea-renee-so"},
		{"日本語", ""},
		{"x@y;z:w", "x-y-z-w"},
		{strings.Repeat("ab", 40), strings.Repeat("ab", 32)},
		{strings.Repeat("a", 63) + " b", strings.Repeat("a", 63)}, // no trailing separator at the cut
	}
	for _, tt := range tests {
		got := Slug(tt.in)
		if got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !validNickname(got) {
			t.Errorf("Slug(%q) = %q is not a valid nickname", tt.in, got)
		}
	}
}

// validNickname is the rule Slug promises, stated independently.
func validNickname(s string) bool {
	if len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
		if !ok {
			return false
		}
	}
	if s == "" {
		return true
	}
	return !strings.ContainsAny(s[:1]+s[len(s)-1:], "-._") && !strings.Contains(s, "..")
}

func TestAbbreviate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Norra skolan", "NOS"},
		{"Björkskolan", "BJO"},
		{"Björkskolan 2", "BJ2"},
		{"Åsens skola", "ASS"},
		{"Kungliga Svenska Balettskolan", "KUSB"},
		{"Ek", "EK"},
		{"", ""},
		{"A B C D E F G H I J", "ABCDEFGH"},
	}
	for _, tt := range tests {
		if got := Abbreviate(tt.in); got != tt.want {
			t.Errorf("Abbreviate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAbbreviationsCollideAndExplicitWins(t *testing.T) {
	units := []*roster.Organisation{
		{ID: "c", DisplayName: "Björkbackaskolan", SchoolUnitCode: "30000000"},
		{ID: "a", DisplayName: "Björkskolan", SchoolUnitCode: "10000000"},
		{ID: "b", DisplayName: "Björkdalsskolan", SchoolUnitCode: "20000000"},
		{ID: "d", DisplayName: "Norra skolan", SchoolUnitCode: "40000000"},
	}
	got := abbreviations(units, map[string]string{"40000000": "BJO2"})
	want := map[string]string{"a": "BJO", "b": "BJO3", "c": "BJO4", "d": "BJO2"}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("school %s: %q, want %q (all: %v)", id, got[id], w, got)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		n       int
		in      string
		want    string
		wantErr bool
	}{
		{3, "Åsa Öberg", "Åsa", false},
		{4, "Åsa Öberg", "Åsa", false}, // the space at the cut goes
		{20, "kort", "kort", false},
		{0, "x", "", false},
		{-1, "x", "", true},
	}
	for _, tt := range tests {
		got, err := truncate(tt.n, tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("truncate(%d, %q) = %q, %v; want %q, error %v", tt.n, tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestCalendar(t *testing.T) {
	c, err := newCalendar("", nil)
	if err != nil {
		t.Fatal(err)
	}
	aug, err := newCalendar("08-15", []elevsynkv1.Term{{Name: "HT26", Start: "2026-08-17", End: "2027-01-15"}, {Name: "VT27", Start: "2027-01-18", End: "2027-06-11"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cal        calendar
		day        string
		year, term string
	}{
		{c, "2026-06-30", "25/26", "VT26"},
		{c, "2026-07-01", "26/27", "HT26"},
		{c, "2026-12-31", "26/27", "HT26"},
		{c, "2027-01-01", "26/27", "VT27"},
		{c, "2099-09-01", "99/00", "HT99"},
		{aug, "2026-08-14", "25/26", "HT26"}, // summer: the coming term
		{aug, "2026-08-15", "26/27", "HT26"},
		{aug, "2027-01-16", "26/27", "VT27"}, // between terms
		{aug, "2027-03-01", "26/27", "VT27"},
	}
	for _, tt := range tests {
		d := roster.MustParseDate(tt.day)
		if got := tt.cal.schoolYear(d); got != tt.year {
			t.Errorf("schoolYear(%s) = %s, want %s", tt.day, got, tt.year)
		}
		if got := tt.cal.term(d); got != tt.term {
			t.Errorf("term(%s) = %s, want %s", tt.day, got, tt.term)
		}
	}
	for _, bad := range []string{"7-1", "13-01", "02-30", "0701"} {
		if _, err := newCalendar(bad, nil); err == nil {
			t.Errorf("rollover %q accepted", bad)
		}
	}
}

// TestTemplateFunctions renders each function through a real rule.
func TestTemplateFunctions(t *testing.T) {
	tests := []struct{ tmpl, want string }{
		{`{{ .School.Abbreviation }} {{ .Activity.DisplayName }} {{ schoolYear }}`, "NOS 7A Matematik 26/27"},
		{`{{ abbrev .School }}`, "NOS"},
		{`{{ abbrev .Activity.SubjectName }}`, "MAT"},
		{`{{ term }} {{ .Term }} {{ .SchoolYear }}`, "HT26 HT26 26/27"},
		{`{{ .Activity.DisplayName | truncate 2 }}`, "7A"},
		{`{{ lower .Activity.SubjectName }} {{ upper .Activity.SubjectDesignation }}`, "matematik MA"},
		{`{{ slug .Activity.DisplayName }}`, "7a-matematik"},
		{`{{ .Activity.SubjectCode }} {{ .Organisation.DisplayName }} {{ .Rule }} {{ .Key }}`, "GRGRMAT01 Exempelstads kommun r r:activity:a-ma"},
		{`{{ range .Activity.GroupNames }}{{ . }};{{ end }}`, "7A Matematik;"},
	}
	for _, tt := range tests {
		st, _ := evaluate(t, oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterActivity, Room: elevsynkv1.RoomTemplate{Name: tt.tmpl}}), Options{}, fixture(), fixDay)
		if got := roomByKey(t, st, "r:activity:a-ma").Name; got != tt.want {
			t.Errorf("%s = %q, want %q", tt.tmpl, got, tt.want)
		}
	}
	st, _ := evaluate(t, oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterSchool, Room: elevsynkv1.RoomTemplate{Name: `{{ .School.Abbreviation }}`}}),
		Options{Abbreviations: map[string]string{"11111111": "NORR"}}, fixture(), fixDay)
	if got := st.Rooms[0].Name; got != "NORR" {
		t.Errorf("explicit abbreviation: %q", got)
	}
}

func TestMailNickname(t *testing.T) {
	tests := []struct {
		kind elevsynkv1.RoomKind
		tmpl string
		want string
	}{
		{elevsynkv1.RoomTeam, "", "r-school-11111111"},
		{elevsynkv1.RoomSecurityGroup, "sg-{{ .School.Abbreviation }}-Personal", "sg-nos-personal"},
		{elevsynkv1.RoomGoogleGroup, "{{ .School.DisplayName }} elever", "norra-skolan-elever"},
		{elevsynkv1.RoomMailGroup, "!!!", "r-school-11111111"}, // nothing usable: from the key
	}
	for _, tt := range tests {
		st, _ := evaluate(t, oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterSchool, Room: elevsynkv1.RoomTemplate{Kind: tt.kind, Name: "x", MailNickname: tt.tmpl}}), Options{}, fixture(), fixDay)
		if got := st.Rooms[0].MailNickname; got != tt.want {
			t.Errorf("%s %q: nickname %q, want %q", tt.kind, tt.tmpl, got, tt.want)
		}
	}
	long := nicknameFromKey(strings.Repeat("lång-regel", 7) + ":activity:0b5e8f9a-1c2d-4e5f-8a9b-0c1d2e3f4a5b")
	if len(long) > 64 || !validNickname(long) || long == nicknameFromKey(strings.Repeat("lång-regel", 7)+":activity:1") {
		t.Errorf("long key nickname %q", long)
	}
}

package rostergen

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/google/go-cmp/cmp"
)

// civicNos reveals civic numbers for comparison; cmp cannot see them
// through JSON, which drops them.
func civicNos(s *roster.Snapshot) []string {
	out := make([]string, len(s.Persons))
	for i := range s.Persons {
		out[i] = s.Persons[i].CivicNo.Reveal()
	}
	return out
}

func TestDeterministic(t *testing.T) {
	a, ra := Generate(Config{Seed: 42, Pupils: 2000})
	b, rb := Generate(Config{Seed: 42, Pupils: 2000})
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("same seed, different snapshot (-a +b):\n%s", diff)
	}
	if diff := cmp.Diff(ra, rb); diff != "" {
		t.Fatalf("same seed, different report (-a +b):\n%s", diff)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Fatal("same seed, JSON not byte-identical")
	}
	if diff := cmp.Diff(civicNos(a), civicNos(b)); diff != "" {
		t.Fatal("same seed, different civic numbers")
	}
	c, _ := Generate(Config{Seed: 43, Pupils: 2000})
	if a.Hash() == c.Hash() {
		t.Error("different seeds gave the same snapshot hash")
	}
	if a.Persons[0].ID == c.Persons[0].ID {
		t.Error("different seeds gave the same first person id")
	}
}

func TestSizesScaleWithPupils(t *testing.T) {
	tests := []struct {
		pupils               int
		minUnits, maxUnits   int
		minGroups, maxGroups int
		minStaff, maxStaff   int
	}{
		// 300: one F-9 school and one small gymnasium.
		{pupils: 300, minUnits: 2, maxUnits: 2, minGroups: 100, maxGroups: 200, minStaff: 25, maxStaff: 60},
		{pupils: 10000, minUnits: 20, maxUnits: 24, minGroups: 3000, maxGroups: 6000, minStaff: 900, maxStaff: 1300},
	}
	for _, tt := range tests {
		s, _ := Generate(Config{Seed: 7, Pupils: tt.pupils})
		c := s.Counts(roster.Date{})
		if c.Students != tt.pupils {
			t.Errorf("%d pupils: Students = %d", tt.pupils, c.Students)
		}
		if c.Persons != c.Students+c.Staff {
			t.Errorf("%d pupils: Persons %d != Students %d + Staff %d", tt.pupils, c.Persons, c.Students, c.Staff)
		}
		check := func(what string, got, lo, hi int) {
			if got < lo || got > hi {
				t.Errorf("%d pupils: %s = %d, want %d..%d", tt.pupils, what, got, lo, hi)
			}
		}
		check("school units", c.SchoolUnits, tt.minUnits, tt.maxUnits)
		check("groups", c.Groups, tt.minGroups, tt.maxGroups)
		check("staff", c.Staff, tt.minStaff, tt.maxStaff)
		if c.Activities == 0 || c.Syllabuses == 0 || c.Duties != c.Staff {
			t.Errorf("%d pupils: counts %+v", tt.pupils, c)
		}
	}
}

func TestSchoolSizesAndTypes(t *testing.T) {
	s, _ := Generate(Config{Seed: 3, Pupils: 20000})
	x := roster.NewIndex(s)
	codes := map[string]bool{}
	for _, o := range s.Organisations {
		if o.Type != roster.OrganisationSkolenhet {
			continue
		}
		if len(o.SchoolUnitCode) != 8 || strings.Trim(o.SchoolUnitCode, "0123456789") != "" {
			t.Errorf("school unit code %q is not 8 digits", o.SchoolUnitCode)
		}
		if codes[o.SchoolUnitCode] {
			t.Errorf("school unit code %q used twice", o.SchoolUnitCode)
		}
		codes[o.SchoolUnitCode] = true
		n := len(x.StudentsAt(o.ID))
		lo, hi := 250, 600
		if o.SchoolTypes[0] == roster.SchoolTypeGY {
			lo, hi = 600, 1500
		}
		if n < lo || n > hi {
			t.Errorf("%s (%v) has %d pupils, want %d..%d", o.DisplayName, o.SchoolTypes, n, lo, hi)
		}
	}
	if len(codes) < 40 {
		t.Errorf("only %d school units for 20 000 pupils", len(codes))
	}
	if hm := s.Organisations; len(hm) == 0 {
		t.Fatal("no organisations")
	}
	for _, o := range s.Organisations {
		if o.Type == roster.OrganisationHuvudman && len(o.MunicipalityCode) != 4 {
			t.Errorf("municipality code %q is not 4 digits", o.MunicipalityCode)
		}
	}
}

func TestCivicNumbers(t *testing.T) {
	s, _ := Generate(Config{Seed: 5, Pupils: 3000})
	seen := map[string]bool{}
	for _, p := range s.Persons {
		c := p.CivicNo.Reveal()
		if len(c) != 12 {
			t.Fatalf("%s: civic number has %d digits, want 12", p.ID, len(c))
		}
		if !luhnValid(c[2:]) {
			t.Errorf("%s: civic number fails Luhn", p.ID)
		}
		if _, err := roster.ParseDate(c[0:4] + "-" + c[4:6] + "-" + c[6:8]); err != nil {
			t.Errorf("%s: civic number has no valid birth date", p.ID)
		}
		if seen[c] {
			t.Errorf("%s: civic number not unique", p.ID)
		}
		seen[c] = true
	}
}

func TestLuhn(t *testing.T) {
	tests := []struct {
		ten  string
		want bool
	}{
		{"1212121212", true}, // Skatteverket's classic example 19121212-1212
		{"1212121213", false},
		{"811218987", false}, // too short
		{"8112189876", true},
		{"81121898x6", false},
	}
	for _, tt := range tests {
		if got := luhnValid(tt.ten); got != tt.want {
			t.Errorf("luhnValid(%q) = %v, want %v", tt.ten, got, tt.want)
		}
	}
}

// TestValidateFindsExactlyTheInjectedFaults is the contract other packages
// rely on: Report.ExpectedFindings equals what roster.Validate sees, and
// the ids match one for one.
func TestValidateFindsExactlyTheInjectedFaults(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		s, rep := Generate(Config{Seed: seed, Pupils: 5000})
		f := roster.Validate(s)
		if diff := cmp.Diff(rep.ExpectedFindings(), f.Counts()); diff != "" {
			t.Errorf("seed %d: findings by kind (-report +validate):\n%s", seed, diff)
		}
		ids := func(k roster.Kind) []string {
			var out []string
			for _, x := range f.OfKind(k) {
				out = append(out, x.ID)
			}
			return out
		}
		if diff := cmp.Diff(rep.NoAccountKey, ids(roster.NoAccountKey)); diff != "" {
			t.Errorf("seed %d: NoAccountKey ids (-report +validate):\n%s", seed, diff)
		}
		if diff := cmp.Diff(rep.GroupsWithoutTeacher, ids(roster.GroupWithoutTeacher)); diff != "" {
			t.Errorf("seed %d: GroupWithoutTeacher ids (-report +validate):\n%s", seed, diff)
		}
		if diff := cmp.Diff(rep.ActivitiesWithoutTeacher, ids(roster.ActivityWithoutTeacher)); diff != "" {
			t.Errorf("seed %d: ActivityWithoutTeacher ids (-report +validate):\n%s", seed, diff)
		}
		if len(rep.NoAccountKey) == 0 || len(rep.GroupsWithoutTeacher) != 3 {
			t.Errorf("seed %d: default faults not injected: %d no-key, %d teacherless", seed, len(rep.NoAccountKey), len(rep.GroupsWithoutTeacher))
		}
	}
}

func TestNoFaults(t *testing.T) {
	s, rep := Generate(Config{Seed: 9, Pupils: 3000, Faults: &Faults{}})
	if f := roster.Validate(s); len(f) != 0 {
		t.Errorf("clean register has findings: %v", f.Summary())
	}
	if diff := cmp.Diff(Report{}, rep); diff != "" {
		t.Errorf("clean register reports faults (-want +got):\n%s", diff)
	}
}

func TestInjectedFaults(t *testing.T) {
	const pupils = 30000
	s, rep := Generate(Config{Seed: 11, Pupils: pupils})
	x := roster.NewIndex(s)
	ref := roster.MustParseDate("2026-09-14")

	// Protected identities: 0.3 % ± 4 standard deviations of a binomial.
	n := float64(len(s.Persons))
	sd := math.Sqrt(n * 0.003 * 0.997)
	if got := float64(len(rep.Protected)); math.Abs(got-n*0.003) > 4*sd {
		t.Errorf("%v protected of %v persons, want about %.0f", got, n, n*0.003)
	}
	var marked int
	for _, p := range s.Persons {
		if p.SecurityMarking != roster.SecurityNone {
			marked++
		}
	}
	if marked != len(rep.Protected) {
		t.Errorf("%d persons marked, report lists %d", marked, len(rep.Protected))
	}

	for _, id := range rep.EndedGroups {
		g := x.Group(id)
		if g.EndDate.IsZero() || !g.EndDate.Before(ref) || g.ActiveOn(ref) {
			t.Errorf("ended group %s ends %s, not before %s", id, g.EndDate, ref)
		}
		for _, a := range x.ActivitiesOfGroup(id) {
			if a.ActiveOn(ref) {
				t.Errorf("activity %s of ended group is active", a.ID)
			}
		}
	}
	if len(rep.EndedGroups) == 0 {
		t.Error("no ended groups")
	}

	if len(rep.DuplicateNames) != 2 {
		t.Errorf("%d duplicate-name pairs, want 2", len(rep.DuplicateNames))
	}
	for _, pair := range rep.DuplicateNames {
		a, b := x.Person(pair[0]), x.Person(pair[1])
		if a.GivenName != b.GivenName || a.FamilyName != b.FamilyName {
			t.Errorf("pair %v: names differ", pair)
		}
		if a.Enrolments[0].SchoolUnitID != b.Enrolments[0].SchoolUnitID {
			t.Errorf("pair %v: different schools", pair)
		}
		if len(a.EduPersonPrincipalNames) > 0 && len(b.EduPersonPrincipalNames) > 0 &&
			a.EduPersonPrincipalNames[0] == b.EduPersonPrincipalNames[0] {
			t.Errorf("pair %v: same account key", pair)
		}
	}
}

func TestContent(t *testing.T) {
	s, _ := Generate(Config{Seed: 1, Pupils: 1000})
	x := roster.NewIndex(s)

	var names strings.Builder
	eppns := map[string]bool{}
	for _, p := range s.Persons {
		names.WriteString(p.GivenName + " " + p.FamilyName + " ")
		for _, e := range p.EduPersonPrincipalNames {
			local, domain, ok := strings.Cut(e, "@")
			if !ok || domain != "exempelstad.se" || strings.Trim(local, "abcdefghijklmnopqrstuvwxyz0123456789.") != "" {
				t.Errorf("%s: account key is not folded ascii first.last<n>@exempelstad.se", p.ID)
			}
			if eppns[e] {
				t.Errorf("%s: account key not unique", p.ID)
			}
			eppns[e] = true
		}
	}
	for _, r := range "åäöÅÖ" {
		if !strings.ContainsRune(names.String(), r) {
			t.Errorf("no name contains %q", r)
		}
	}

	var mentors, rektors int
	for _, d := range s.Duties {
		if d.DutyRole == roster.DutyRektor {
			rektors++
		}
		for _, r := range d.AssignmentRoles {
			if r.Role == roster.AssignmentMentor && x.Group(r.GroupID).Type == roster.GroupKlass {
				mentors++
			}
		}
	}
	var classes int
	for _, g := range s.Groups {
		if g.Type == roster.GroupKlass {
			classes++
		}
	}
	units := s.Counts(roster.Date{}).SchoolUnits
	if mentors != classes || rektors != units {
		t.Errorf("%d mentors for %d classes, %d rektorer for %d schools", mentors, classes, rektors, units)
	}

	wantCodes := map[string]bool{"GRGRMAT01": false, "MATMAT01c": false, "SVESVE01": false, "ENGENG05": false}
	for _, y := range s.Syllabuses {
		for _, c := range []string{y.SubjectCode, y.CourseCode} {
			if _, ok := wantCodes[c]; ok {
				wantCodes[c] = true
			}
		}
	}
	for c, found := range wantCodes {
		if !found {
			t.Errorf("no syllabus %s", c)
		}
	}
	for _, a := range s.Activities {
		if a.SyllabusID == "" || x.Syllabus(a.SyllabusID) == nil {
			t.Errorf("activity %s has no syllabus", a.ID)
		}
	}
}

func TestAccountFold(t *testing.T) {
	tests := map[string]string{"Åsa": "asa", "Öberg": "oberg", "Linnéa": "linnea", "Märta": "marta", "Britt-Marie": "brittmarie"}
	for in, want := range tests {
		if got := accountFold(in); got != want {
			t.Errorf("accountFold(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Generate(Config{Seed: 1, Pupils: 120000})
	}
}

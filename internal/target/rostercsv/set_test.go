package rostercsv

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/benchdata"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// school is a small generated municipality's class rooms as a roster
// target holds them.
func school(t testing.TB, pupils int) ([]target.Room, *roster.Snapshot) {
	t.Helper()
	snap, st, err := benchdata.Municipality(pupils)
	if err != nil {
		t.Fatal(err)
	}
	fit, _ := target.Fit(st, target.SchoolDataSync)
	return rooms(fit), snap
}

func rooms(s desired.State) []target.Room {
	out := make([]target.Room, len(s.Rooms))
	for i, r := range s.Rooms {
		out[i] = target.Room{Key: r.Key, Kind: r.Kind, Name: r.Name, Owners: r.Owners, Members: r.Members}
	}
	return out
}

// TestGolden writes a generated school in both dialects and compares every
// file with testdata/<dialect>/ (go test -update rewrites them).
func TestGolden(t *testing.T) {
	rs, snap := school(t, 40)
	set, err := Build(rs, snap, benchdata.Day)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		dir     string
		dialect Dialect
	}{{"sds", SDS}, {"oneroster", OneRoster}} {
		t.Run(d.dir, func(t *testing.T) {
			files, err := Files(set, d.dialect)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				path := filepath.Join("testdata", d.dir, f.Name)
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, f.Data, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(string(want), string(f.Data)); diff != "" {
					t.Errorf("%s (-want +got):\n%s", path, diff)
				}
			}
		})
	}
}

// TestSampleHeaders reads our SDS files with the header rows of
// Microsoft's published SDS v2.1 samples (testdata/sds-v2.1-samples,
// see its README): every column we write is one the sample has, and
// every column the format requires is there.
func TestSampleHeaders(t *testing.T) {
	rs, snap := school(t, 40)
	set, err := Build(rs, snap, benchdata.Day)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Files(set, SDS)
	if err != nil {
		t.Fatal(err)
	}
	// Required columns, https://learn.microsoft.com/en-us/schooldatasync/sds-v2.1-csv-file-format
	// ("Required: Yes"; givenName and familyName are required to create users).
	required := map[string][]string{
		"orgs.csv":             {"sourcedId", "name", "type"},
		"users.csv":            {"sourcedId", "username", "givenName", "familyName"},
		"roles.csv":            {"userSourcedId", "orgSourcedId", "role"},
		"classes.csv":          {"sourcedId", "orgSourcedId", "title"},
		"enrollments.csv":      {"classSourcedId", "userSourcedId", "role"},
		"academicSessions.csv": {"sourcedId", "title", "type", "schoolYear", "startDate", "endDate"},
		"courses.csv":          {"sourcedId", "orgSourcedId", "title"},
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
		sample, err := os.ReadFile(filepath.Join("testdata", "sds-v2.1-samples", f.Name))
		if err != nil {
			t.Fatalf("no sample header for %s: %v", f.Name, err)
		}
		published := strings.Split(strings.TrimSpace(string(sample)), ",")
		r := csv.NewReader(bytes.NewReader(f.Data))
		header, err := r.Read()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		for _, h := range header {
			if !slices.Contains(published, h) {
				t.Errorf("%s: column %q is not in Microsoft's sample header %v", f.Name, h, published)
			}
		}
		for _, c := range required[f.Name] {
			if !slices.Contains(header, c) {
				t.Errorf("%s: required column %q missing", f.Name, c)
			}
		}
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: not RFC 4180: %v", f.Name, err)
		}
		if len(rows) == 0 {
			t.Errorf("%s: no rows", f.Name)
		}
	}
	if d := cmp.Diff([]string{"academicSessions.csv", "classes.csv", "courses.csv", "enrollments.csv", "orgs.csv", "roles.csv", "users.csv"},
		slices.Sorted(slices.Values(names))); d != "" {
		t.Errorf("file set (-want +got):\n%s", d)
	}
}

func TestBuild(t *testing.T) {
	reg := &roster.Snapshot{
		Organisations: []roster.Organisation{
			{ID: "kommun", DisplayName: "Exempelstad", Type: roster.OrganisationHuvudman},
			{ID: "s1", DisplayName: "Norra skolan", Type: roster.OrganisationSkolenhet, ParentID: "kommun", SchoolUnitCode: "12345678"},
		},
		Persons: []roster.Person{
			{ID: "p1", GivenName: "Ada", FamilyName: "A", EduPersonPrincipalNames: []string{"ada@x"}},
			{ID: "p2", GivenName: "Bo", FamilyName: "B", EduPersonPrincipalNames: []string{"bo@x"}},
		},
		Groups:     []roster.Group{{ID: "g1", DisplayName: "7A", SchoolUnitID: "s1", StartDate: roster.MustParseDate("2026-08-17")}},
		Syllabuses: []roster.Syllabus{{ID: "ma", SubjectName: "Matematik", SubjectCode: "GRGRMAT01"}},
		Activities: []roster.Activity{{ID: "a1", SchoolUnitID: "s1", SyllabusID: "ma"}},
	}
	rooms := []target.Room{
		{Key: "klass:group:g1", Kind: elevsynkv1.RoomClassTeam, Name: "7A", Owners: []string{"ada@x"}, Members: []string{"bo@x", "guest@y"}},
		{Key: "ma:activity:a1", Kind: elevsynkv1.RoomClassTeam, Name: "Ma 7A", Owners: []string{"ada@x"}, Members: []string{"bo@x"}},
		{Key: "old:group:gone", Kind: elevsynkv1.RoomClassTeam, Name: "Old", Archived: true, Members: []string{"bo@x"}},
	}
	got, err := Build(rooms, reg, roster.MustParseDate("2027-02-01"))
	if err != nil {
		t.Fatal(err)
	}
	guest := got.Users[0].SourcedID // "key-…" sorts first
	want := Set{
		Orgs: []Org{{SourcedID: "kommun", Name: "Exempelstad", Type: "district"}, {SourcedID: "s1", Name: "Norra skolan", Type: "school", ParentID: "kommun"}},
		Sessions: []Session{{SourcedID: "schoolyear-2027", Title: "2026/27", SchoolYear: 2027,
			Start: roster.MustParseDate("2026-07-01"), End: roster.MustParseDate("2027-06-30")}},
		Courses: []Course{
			{SourcedID: "s1/ma", OrgID: "s1", SessionID: "schoolyear-2027", Title: "Matematik", Code: "GRGRMAT01"},
			{SourcedID: "s1/rule:klass", OrgID: "s1", SessionID: "schoolyear-2027", Title: "klass", Code: "klass"},
		},
		Users: []User{
			{SourcedID: guest, Username: "guest@y", OrgIDs: []string{"s1"}},
			{SourcedID: "p1", Username: "ada@x", GivenName: "Ada", FamilyName: "A", Teacher: true, OrgIDs: []string{"s1"}},
			{SourcedID: "p2", Username: "bo@x", GivenName: "Bo", FamilyName: "B", OrgIDs: []string{"s1"}},
		},
		Roles: []Role{{UserID: guest, OrgID: "s1", Role: RoleStudent, Primary: true},
			{UserID: "p1", OrgID: "s1", Role: RoleTeacher, Primary: true}, {UserID: "p2", OrgID: "s1", Role: RoleStudent, Primary: true}},
		Classes: []Class{
			{SourcedID: "klass:group:g1", OrgID: "s1", Title: "7A", CourseID: "s1/rule:klass", SessionID: "schoolyear-2027"},
			{SourcedID: "ma:activity:a1", OrgID: "s1", Title: "Ma 7A", CourseID: "s1/ma", SessionID: "schoolyear-2027"},
		},
		Enrollments: []Enrollment{
			{ClassID: "klass:group:g1", UserID: guest, OrgID: "s1", Role: RoleStudent},
			{ClassID: "klass:group:g1", UserID: "p1", OrgID: "s1", Role: RoleTeacher},
			{ClassID: "klass:group:g1", UserID: "p2", OrgID: "s1", Role: RoleStudent},
			{ClassID: "ma:activity:a1", UserID: "p1", OrgID: "s1", Role: RoleTeacher},
			{ClassID: "ma:activity:a1", UserID: "p2", OrgID: "s1", Role: RoleStudent},
		},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Build (-want +got):\n%s", d)
	}
	if !strings.HasPrefix(guest, "key-") {
		t.Errorf("an account key the register lacks should get a digest id, got %q", guest)
	}
}

func TestBadInput(t *testing.T) {
	reg := &roster.Snapshot{Organisations: []roster.Organisation{{ID: "k", DisplayName: "K", Type: roster.OrganisationHuvudman}}}
	tests := []struct {
		name  string
		rooms []target.Room
		reg   *roster.Snapshot
		want  string
	}{
		{"no register", nil, nil, "no register"},
		{"no organiser", nil, &roster.Snapshot{}, "no organisation of type Huvudman"},
		{"line break in a name", []target.Room{{Key: "r:group:x", Name: "7A\nB"}}, reg, "classes.csv: the title of row r:group:x holds a line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := Build(tt.rooms, tt.reg, benchdata.Day)
			if err == nil {
				_, err = Files(set, SDS)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

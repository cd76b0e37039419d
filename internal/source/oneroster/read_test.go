package oneroster

import (
	"archive/zip"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	"github.com/elevsynk/elevsynk/internal/source/export"
	"github.com/elevsynk/elevsynk/internal/source/export/exporttest"
)

func TestRoundTrip(t *testing.T) {
	gen, rep := rostergen.Generate(rostergen.Config{Seed: 7, Pupils: 1500})
	if len(rep.Protected) == 0 {
		t.Fatal("the generated register has no protected person; the test would not show they are left out")
	}
	st, err := Read(writeBundle(gen), export.Auto, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := expected(gen, export.DutyID, export.ActivityID)
	got := st.Snapshot()
	if got.Hash() != want.Hash() {
		t.Errorf("hash %s, want %s; diff (-want +got):\n%s", got.Hash(), want.Hash(), firstLines(cmp.Diff(want, got), 40))
	}
	if st.Version() != "1.2" {
		t.Errorf("version %q", st.Version())
	}
}

// firstLines keeps a diff of generated (invented) people readable.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// TestZip reads the bundle from a zip, as the transports hand it over.
func TestZip(t *testing.T) {
	gen, _ := rostergen.Generate(rostergen.Config{Seed: 1, Pupils: 300})
	dir := writeBundle(gen)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, f := range dir {
		w, _ := zw.Create(name)
		w.Write(f.Data)
	}
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	fromZip, err := Read(zr, export.Auto, nil)
	if err != nil {
		t.Fatal(err)
	}
	fromDir, err := Read(dir, export.Auto, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fromZip.Snapshot().Hash() != fromDir.Snapshot().Hash() {
		t.Error("zip and directory read differently")
	}
}

// TestPublicSample reads OneRoster 1.1 sample files written outside the
// project (testdata/README.md). Their classes name a term the bundle does
// not have, which the reader reports; with that term added, it reads.
func TestPublicSample(t *testing.T) {
	fsys := fstest.MapFS{}
	if err := fs.WalkDir(os.DirFS("testdata/oat-v1p1"), ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, err := os.ReadFile("testdata/oat-v1p1/" + path)
			fsys[path] = &fstest.MapFile{Data: data}
			return err
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_, err := Read(fsys, export.Auto, nil)
	if want := `classes.csv line 2 field "termSourcedIds": refers to a record academicSessions.csv does not have`; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	fsys["academicSessions.csv"].Data = append(fsys["academicSessions.csv"].Data, "\n1,active,,Term 1,term,2017-08-21,2018-06-15,\n"...)
	st, err := Read(fsys, export.Auto, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := st.Snapshot()
	var ids []string
	for _, p := range s.Persons {
		ids = append(ids, p.ID+"@"+p.Enrolments[0].SchoolUnitID)
	}
	if diff := cmp.Diff([]string{"user1@12345", "user2@54321"}, ids); diff != "" {
		t.Errorf("pupils (-want +got):\n%s", diff)
	}
	members := map[string]int{}
	for _, g := range s.Groups {
		members[g.ID] = len(g.Memberships)
	}
	if diff := cmp.Diff(map[string]int{"class1": 1, "class2": 1, "class3": 1}, members); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	if len(s.Activities) != 3 || len(s.Organisations) != 2 || len(s.Syllabuses) != 0 {
		t.Errorf("%d activities, %d orgs, %d syllabuses", len(s.Activities), len(s.Organisations), len(s.Syllabuses))
	}
	if f := roster.Validate(s); len(f.OfKind(roster.ActivityWithoutTeacher)) != 3 {
		t.Errorf("findings %v, want the 3 activities without a teacher", f.Counts())
	}
}

// TestPublicSampleV12 is a public 1.2 bundle made to test an importer's
// checks: its first fault is a status 1.2 does not have (inactive), and
// the reader says where.
func TestPublicSampleV12(t *testing.T) {
	_, err := Read(os.DirFS("testdata/catalyst-v1p2"), export.Auto, nil)
	want := `academicSessions.csv line 4 field "status": status must be active or tobedeleted`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// bundle is a small 1.1 bundle; files override or add to it.
func bundle(files map[string]string) fstest.MapFS {
	base := map[string]string{
		"manifest.csv": "propertyName,value\noneroster.version,1.1\nfile.orgs,bulk\nfile.users,bulk\nfile.classes,bulk\nfile.enrollments,bulk\nfile.academicSessions,bulk\nfile.courses,bulk\n",
		"orgs.csv":     "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\nd1,active,2026-08-01,Exempelstad,district,,\ns1,active,2026-08-01,Norrskolan,school,12345678,d1\n",
		"academicSessions.csv": "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\n" +
			"ht,active,2026-08-01,HT26,term,2026-08-17,2027-01-15,,2027\nvt,active,2026-08-01,VT27,term,2027-01-16,2027-06-11,,2027\n",
		"courses.csv": "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes\n" +
			"ma,active,2026-08-01,,Matematik,,\"07,08,09\",d1,Matematik,GRGRMAT01\n",
		"users.csv": "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n" +
			"t1,active,2026-08-01,true,s1,teacher,anna.a@ex.se,,Anna,Andersson,,,anna.a@ex.se,,,,,\n" +
			"p1,active,2026-08-01,true,s1,student,kalle.k@ex.se,,Kalle,Karlsson,,,kalle.k@ex.se,,,,07,\n" +
			"g1,active,2026-08-01,true,s1,parent,,,Greta,Karlsson,,,,,,,,\n",
		"classes.csv": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n" +
			"7a,active,2026-08-01,7A,07,,,homeroom,,s1,\"ht,vt\",,,\nma7a,active,2026-08-01,7A Matematik,07,ma,,scheduled,,s1,ht,,,\n",
		"enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n" +
			"e1,active,2026-08-01,7a,s1,p1,student,false,,\ne2,active,2026-08-01,7a,s1,t1,teacher,true,,\n" +
			"e3,active,2026-08-01,ma7a,s1,p1,student,false,,\ne4,active,2026-08-01,ma7a,s1,t1,teacher,false,2026-08-17,\n",
	}
	return exporttest.Files(base, files)
}

func TestMapping(t *testing.T) {
	st, err := Read(bundle(nil), export.Auto, nil)
	if err != nil {
		t.Fatal(err)
	}
	seven := 7
	nine := 9
	duty := export.DutyID("t1", "s1")
	ht, vtEnd := roster.MustParseDate("2026-08-17"), roster.MustParseDate("2027-06-11")
	want := &roster.Snapshot{
		Organisations: []roster.Organisation{
			{ID: "d1", DisplayName: "Exempelstad", Type: roster.OrganisationHuvudman},
			{ID: "s1", DisplayName: "Norrskolan", Type: roster.OrganisationSkolenhet, ParentID: "d1", SchoolUnitCode: "12345678", SchoolTypes: []roster.SchoolType{roster.SchoolTypeGR}},
		},
		Persons: []roster.Person{
			{ID: "p1", GivenName: "Kalle", FamilyName: "Karlsson", EduPersonPrincipalNames: []string{"kalle.k@ex.se"},
				Emails: []roster.Email{{Value: "kalle.k@ex.se", Type: roster.EmailSkolaElev}}, SecurityMarking: roster.SecurityNone, PersonStatus: roster.PersonAktiv,
				Enrolments: []roster.Enrolment{{SchoolUnitID: "s1", SchoolYear: 7, SchoolType: roster.SchoolTypeGR}}},
			{ID: "t1", GivenName: "Anna", FamilyName: "Andersson", EduPersonPrincipalNames: []string{"anna.a@ex.se"},
				Emails: []roster.Email{{Value: "anna.a@ex.se", Type: roster.EmailSkolaPersonal}}, SecurityMarking: roster.SecurityNone, PersonStatus: roster.PersonAktiv},
		},
		Groups: []roster.Group{
			{ID: "7a", DisplayName: "7A", Type: roster.GroupKlass, SchoolUnitID: "s1", SchoolType: roster.SchoolTypeGR, StartDate: ht, EndDate: vtEnd, Memberships: []roster.Membership{{PersonID: "p1"}}},
			{ID: "ma7a", DisplayName: "7A Matematik", Type: roster.GroupUndervisning, SchoolUnitID: "s1", SchoolType: roster.SchoolTypeGR, StartDate: ht, EndDate: roster.MustParseDate("2027-01-15"), Memberships: []roster.Membership{{PersonID: "p1"}}},
		},
		Duties: []roster.Duty{{ID: duty, PersonID: "t1", SchoolUnitID: "s1", DutyRole: roster.DutyLarare,
			AssignmentRoles: []roster.AssignmentRole{{GroupID: "7a", Role: roster.AssignmentMentor}}}},
		Syllabuses: []roster.Syllabus{{ID: "ma", SchoolType: roster.SchoolTypeGR, SubjectCode: "GRGRMAT01", SubjectName: "Matematik", StartSchoolYear: &seven, EndSchoolYear: &nine, Official: true}},
		Activities: []roster.Activity{{ID: export.ActivityID("ma7a"), DisplayName: "7A Matematik", Type: roster.ActivityUndervisning, SchoolUnitID: "s1",
			GroupIDs: []string{"ma7a"}, Teachers: []roster.ActivityTeacher{{DutyID: duty, StartDate: ht}}, SyllabusID: "ma", StartDate: ht, EndDate: roster.MustParseDate("2027-01-15")}},
	}
	if diff := cmp.Diff(want, st.Snapshot()); diff != "" {
		t.Errorf("snapshot (-want +got):\n%s", diff)
	}
}

func TestDelta(t *testing.T) {
	base, err := Read(bundle(nil), export.Auto, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := base.Snapshot().Hash()
	deltaManifest := "propertyName,value\noneroster.version,1.1\nfile.users,delta\nfile.enrollments,delta\nfile.orgs,absent\n"
	d := fstest.MapFS{
		"manifest.csv": {Data: []byte(deltaManifest)},
		"users.csv": {Data: []byte("sourcedId,status,dateLastModified,orgSourcedIds,role,username,givenName,familyName,email,grades\n" +
			"p2,active,2026-09-01,s1,student,,Lisa,Lind,,07\n" +
			"t1,active,2026-07-01,s1,teacher,,Stale,Name,,\n")}, // older than what is held: ignored
		"enrollments.csv": {Data: []byte("sourcedId,status,dateLastModified,classSourcedId,userSourcedId,role\n" +
			"e5,active,2026-09-01,7a,p2,student\ne3,tobedeleted,2026-09-01,ma7a,p1,student\n")},
	}
	next, err := Read(d, export.Auto, base)
	if err != nil {
		t.Fatal(err)
	}
	if base.Snapshot().Hash() != before {
		t.Fatal("the delta changed the previous state")
	}
	s := next.Snapshot()
	idx := roster.NewIndex(s)
	if idx.Person("p2") == nil || idx.Person("t1").GivenName != "Anna" {
		t.Error("the delta's new pupil is missing, or a stale row was applied")
	}
	if n := len(idx.Group("7a").Memberships); n != 2 {
		t.Errorf("7a has %d members, want 2", n)
	}
	if n := len(idx.Group("ma7a").Memberships); n != 0 {
		t.Errorf("ma7a has %d members after the deletion, want 0", n)
	}
	if len(s.Syllabuses) != 1 || len(s.Organisations) != 2 {
		t.Error("files absent from a delta bundle must keep what was read")
	}

	if _, err := Read(d, export.Auto, nil); !errors.Is(err, ErrNoPrevious) {
		t.Errorf("a delta without a previous read: %v", err)
	}
	// A bulk bundle replaces: the new pupil is gone again.
	again, err := Read(bundle(nil), export.Auto, next)
	if err != nil || again.Snapshot().Hash() != before {
		t.Errorf("bulk after delta: %v", err)
	}
}

func TestErrors(t *testing.T) {
	users := "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n"
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"missing required column", map[string]string{"users.csv": "sourcedId,givenName\np1,Kalle\n"},
			`users.csv line 1 field "familyName": the header lacks this required column`},
		{"half-written last row", map[string]string{"users.csv": users + "p1,active,,true,s1,student,,,Kalle,Karlsson,,,,,,,07,\np2,active,,true,s1,stu"},
			"users.csv line 3: the row has a different number of fields than the header (a cut-off file?)"},
		{"bad date", map[string]string{"enrollments.csv": "sourcedId,classSourcedId,userSourcedId,role,beginDate\ne1,7a,p1,student,15/08/2026\n"},
			`enrollments.csv line 2 field "beginDate": not a date (YYYY-MM-DD)`},
		{"bad dateLastModified", map[string]string{"orgs.csv": "sourcedId,dateLastModified,name,type\ns1,igår,Norrskolan,school\n"},
			`orgs.csv line 2 field "dateLastModified": not an ISO 8601 date-time`},
		{"unknown role", map[string]string{"users.csv": users + "p1,active,,true,s1,rektor,,,Kalle,Karlsson,,,,,,,,\n"},
			`users.csv line 2 field "role": unknown role`},
		{"unknown enrollment role", map[string]string{"enrollments.csv": "sourcedId,classSourcedId,userSourcedId,role\ne1,7a,t1,mentor\n"},
			`enrollments.csv line 2 field "role": unknown enrollment role`},
		{"unknown grade", map[string]string{"users.csv": users + "p1,active,,true,s1,student,,,Kalle,Karlsson,,,,,,,åk7,\n"},
			`users.csv line 2 field "grades": unknown grade: want a CEDS grade level such as KG, 01-13 or Other`},
		{"unknown status", map[string]string{"orgs.csv": "sourcedId,status,name,type\ns1,inactive,Norrskolan,school\n"},
			`orgs.csv line 2 field "status": status must be active or tobedeleted`},
		{"dangling reference", map[string]string{"enrollments.csv": "sourcedId,classSourcedId,userSourcedId,role\ne1,7a,p9,student\n"},
			`enrollments.csv line 2 field "userSourcedId": refers to a record users.csv does not have`},
		{"dangling org", map[string]string{"classes.csv": "sourcedId,title,classType,schoolSourcedId\n7a,7A,homeroom,s9\n"},
			`classes.csv line 2 field "schoolSourcedId": refers to a record orgs.csv does not have`},
		{"unknown class type", map[string]string{"classes.csv": "sourcedId,title,classType,schoolSourcedId\n7a,7A,lab,s1\n"},
			`classes.csv line 2 field "classType": classType must be homeroom or scheduled`},
		{"encoding mix-up", map[string]string{"users.csv": users + "p1,active,,true,s1,student,,,Åsa,Öberg,,,,,,,07,\np2,active,,true,s1,student,,,\xc5sa,Berg,,,,,,,07,\n"},
			"users.csv: " + export.ErrMixedEncoding.Error()},
		{"empty file", map[string]string{"users.csv": ""}, "users.csv line 1: the file is empty: want a header row"},
		{"listed but missing", map[string]string{"users.csv": "-"}, "users.csv: the manifest lists the file but the bundle does not have it"},
		{"no manifest", map[string]string{"manifest.csv": "-"}, "open manifest.csv: file does not exist"},
		{"no version", map[string]string{"manifest.csv": "propertyName,value\nfile.users,bulk\n"},
			`manifest.csv field "oneroster.version": the manifest does not say which OneRoster version the bundle is`},
		{"bad mode", map[string]string{"manifest.csv": "propertyName,value\noneroster.version,1.1\nfile.users,full\n"},
			`manifest.csv line 3 field "value": the mode of file.users must be bulk, delta or absent`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(bundle(tt.files), export.Auto, nil)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
			for _, v := range []string{"Kalle", "Karlsson", "Åsa", "p9", "15/08", "igår", "rektor", "åk7"} {
				if strings.Contains(err.Error(), v) {
					t.Errorf("the error holds a value from the file")
				}
			}
		})
	}
}

// TestEmpty: a bundle with headers only is an empty register; the source
// guard upstream refuses to act on it, not the reader.
func TestEmpty(t *testing.T) {
	files := map[string]string{}
	for name, data := range bundle(nil) {
		if name != "manifest.csv" {
			files[name] = strings.SplitAfter(string(data.Data), "\n")[0]
		}
	}
	st, err := Read(bundle(files), export.Auto, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&roster.Snapshot{}, st.Snapshot()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// FuzzRead feeds any users.csv and enrollments.csv to the reader: it must
// return a snapshot or an *export.Error, never panic.
func FuzzRead(f *testing.F) {
	b := bundle(nil)
	f.Add(b["users.csv"].Data, b["enrollments.csv"].Data)
	sample := os.DirFS("testdata/oat-v1p1")
	u, _ := fs.ReadFile(sample, "users.csv")
	e, _ := fs.ReadFile(sample, "enrollments.csv")
	f.Add(u, e)
	f.Fuzz(func(t *testing.T, users, enrollments []byte) {
		fsys := bundle(nil)
		fsys["users.csv"] = &fstest.MapFile{Data: users}
		fsys["enrollments.csv"] = &fstest.MapFile{Data: enrollments}
		st, err := Read(fsys, export.Auto, nil)
		var e *export.Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("%T is not an *export.Error", err)
		}
		if err == nil {
			roster.Validate(st.Snapshot())
		}
	})
}

// TestDuplicateRows: a sourcedId twice in one bulk file counts once, the
// later row unless it is older.
func TestDuplicateRows(t *testing.T) {
	users := "sourcedId,status,dateLastModified,orgSourcedIds,role,givenName,familyName,grades\n" +
		"p1,active,2026-08-01,s1,student,Kalle,Karlsson,07\nt1,active,2026-08-01,s1,teacher,Anna,Andersson,\n"
	tests := []struct {
		name, row, want string
	}{
		{"newer", "p1,active,2026-09-01,s1,student,Karl,Karlsson,07\n", "Karl"},
		{"undated", "p1,active,,s1,student,Karl,Karlsson,07\n", "Karl"},
		{"older", "p1,active,2026-07-01,s1,student,Karl,Karlsson,07\n", "Kalle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := Read(bundle(map[string]string{"users.csv": users + tt.row}), export.Auto, nil)
			if err != nil {
				t.Fatal(err)
			}
			s := st.Snapshot()
			if got := roster.NewIndex(s).Person("p1").GivenName; got != tt.want || len(s.Persons) != 2 {
				t.Errorf("%d persons, p1's given name is not the %s row's", len(s.Persons), tt.name)
			}
		})
	}
}

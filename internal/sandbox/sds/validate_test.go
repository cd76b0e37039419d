package sds

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// golden is rostercsv's SDS golden set: what elevsynk writes for a
// generated school.
func golden(t testing.TB) map[string][]byte {
	t.Helper()
	dir := filepath.Join("..", "..", "target", "rostercsv", "testdata", "sds")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}

func TestValidateOurSet(t *testing.T) {
	r := Validate(golden(t))
	if r.Blocking != "" || len(r.Errors) > 0 {
		t.Fatalf("our own file set is refused: blocking %q, %v", r.Blocking, r.Errors)
	}
	if r.Orgs == 0 || r.Users == 0 || r.Classes == 0 || r.Enrollments == 0 {
		t.Errorf("nothing taken in: %+v", r)
	}
}

func TestValidateRefuses(t *testing.T) {
	base := map[string]string{
		"orgs.csv":        "sourcedId,name,type\r\nk,Kommun,district\r\ns,Skola,school\r\n",
		"users.csv":       "sourcedId,username\r\nu1,a@x\r\nu2,b@x\r\n",
		"roles.csv":       "userSourcedId,orgSourcedId,role\r\nu1,s,teacher\r\nu2,s,student\r\n",
		"classes.csv":     "sourcedId,orgSourcedId,title\r\nc1,s,7A\r\n",
		"enrollments.csv": "classSourcedId,userSourcedId,role\r\nc1,u1,teacher\r\nc1,u2,student\r\n",
	}
	tests := []struct {
		name     string
		change   map[string]string // "" removes the file
		blocking string
		errors   []Finding
	}{
		{"as it is", nil, "", nil},
		{"missing roles.csv", map[string]string{"roles.csv": ""}, CodeMissingFile, []Finding{{File: "roles.csv", Code: CodeMissingFile}}},
		{"classes without enrollments", map[string]string{"enrollments.csv": ""}, CodeMissingFile, []Finding{{File: "enrollments.csv", Code: CodeMissingFile}}},
		{"header in the wrong case", map[string]string{"users.csv": "SourcedId,username\r\nu1,a@x\r\n"}, CodeBadHeader, []Finding{{File: "users.csv", Code: CodeBadHeader}}},
		{"required header missing", map[string]string{"orgs.csv": "sourcedId,name\r\nk,K\r\n"}, CodeBadHeader, []Finding{{File: "orgs.csv", Code: CodeBadHeader}}},
		{"line break in a value", map[string]string{"classes.csv": "sourcedId,orgSourcedId,title\r\nc1,s,\"7\nA\"\r\n"}, CodeBadCSV, []Finding{{File: "classes.csv", Code: CodeBadCSV}}},
		{"unknown role", map[string]string{"roles.csv": "userSourcedId,orgSourcedId,role\r\nu1,s,rektor\r\nu2,s,Student\r\n"}, "",
			[]Finding{{File: "roles.csv", Row: 1, Code: CodeBadValue}}},
		{"unknown org type", map[string]string{"orgs.csv": "sourcedId,name,type\r\nk,Kommun,kommun\r\ns,Skola,school\r\n"}, "",
			[]Finding{{File: "orgs.csv", Row: 1, Code: CodeBadValue}}},
		{"dangling enrollment", map[string]string{"enrollments.csv": "classSourcedId,userSourcedId,role\r\nc1,u1,teacher\r\nc2,u2,student\r\n"}, "",
			[]Finding{{File: "enrollments.csv", Row: 2, Code: CodeDangling}}},
		{"class at an unknown org", map[string]string{"classes.csv": "sourcedId,orgSourcedId,title\r\nc1,nope,7A\r\n"}, "",
			[]Finding{{File: "classes.csv", Row: 1, Code: CodeDangling}, {File: "enrollments.csv", Row: 1, Code: CodeDangling}, {File: "enrollments.csv", Row: 2, Code: CodeDangling}}},
		{"duplicate user", map[string]string{"users.csv": "sourcedId,username\r\nu1,a@x\r\nu1,c@x\r\nu2,b@x\r\n"}, "",
			[]Finding{{File: "users.csv", Row: 2, Code: CodeDuplicate}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string][]byte{}
			for k, v := range base {
				files[k] = []byte(v)
			}
			for k, v := range tt.change {
				if v == "" {
					delete(files, k)
				} else {
					files[k] = []byte(v)
				}
			}
			r := Validate(files)
			if r.Blocking != tt.blocking {
				t.Errorf("blocking = %q, want %q", r.Blocking, tt.blocking)
			}
			if d := cmp.Diff(tt.errors, r.Errors); d != "" {
				t.Errorf("errors (-want +got):\n%s", d)
			}
		})
	}
}

func FuzzValidate(f *testing.F) {
	for _, b := range golden(f) {
		f.Add(b, []byte("classSourcedId,userSourcedId,role\r\nc,u,student\r\n"))
		break
	}
	f.Add([]byte("sourcedId,name,type\r\nk,\"K\"\"\",district\r\n"), []byte("\xff,\""))
	f.Fuzz(func(t *testing.T, orgs, other []byte) {
		for _, name := range []string{"users.csv", "roles.csv", "classes.csv", "enrollments.csv", "courses.csv", "academicSessions.csv"} {
			r := Validate(map[string][]byte{"orgs.csv": orgs, name: other, "users.csv": other, "roles.csv": other})
			if r.Blocking == "" && (r.Orgs < 0 || r.Enrollments < 0) {
				t.Fatal("negative counts")
			}
		}
	})
}

package google

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A roster page as Classroom answers it, for the selections below.
const studentsPage = `{"students":[
 {"courseId":"c1","userId":"u1","profile":{"id":"u1","name":{"givenName":"A","fullName":"A B"},"emailAddress":"a@x"}},
 {"courseId":"c1","userId":"u2","profile":{"id":"u2","name":{"givenName":"C"}}}],
 "nextPageToken":"t"}`

func TestPartialResponse(t *testing.T) {
	whole := `{"students":[{"profile":{"id":"u1","name":{"givenName":"A","fullName":"A B"},"emailAddress":"a@x"}},{"profile":{"id":"u2","name":{"givenName":"C"}}}]}`
	tests := []struct{ fields, want string }{
		{"nextPageToken", `{"nextPageToken":"t"}`},
		{"nextPageToken,students(userId,profile/emailAddress)",
			`{"nextPageToken":"t","students":[{"userId":"u1","profile":{"emailAddress":"a@x"}},{"userId":"u2","profile":{}}]}`},
		{"students/profile/name/givenName",
			`{"students":[{"profile":{"name":{"givenName":"A"}}},{"profile":{"name":{"givenName":"C"}}}]}`},
		{"students(userId),students/courseId",
			`{"students":[{"userId":"u1","courseId":"c1"},{"userId":"u2","courseId":"c1"}]}`},
		// The whole field, however much of it is also selected.
		{"students/profile/name,students/profile", whole},
		{"students/profile,students/profile/id", whole},
		{"students(*)", `{"students":[{"courseId":"c1","userId":"u1","profile":{"id":"u1","name":{"givenName":"A","fullName":"A B"},"emailAddress":"a@x"}},{"courseId":"c1","userId":"u2","profile":{"id":"u2","name":{"givenName":"C"}}}]}`},
		// A field within a string selects nothing of it.
		{"students/*/id", `{"students":[{"profile":{"id":"u1"}},{"profile":{"id":"u2"}}]}`},
		{"kind", `{}`},
	}
	var doc any
	if err := json.Unmarshal([]byte(studentsPage), &doc); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		sel, err := parseFields(tt.fields)
		if err != nil {
			t.Errorf("%q: %v", tt.fields, err)
			continue
		}
		got, err := filter(doc, sel)
		if err != nil {
			t.Fatal(err)
		}
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(tt.want), &w); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(w, g); d != "" {
			t.Errorf("fields=%s (-want +got):\n%s", tt.fields, d)
		}
	}
}

func TestMalformedSelection(t *testing.T) {
	for _, f := range []string{"", ",", "a,", "a/", "/a", "a(", "a(b", "a()", "a)b", "a(b))", "a*", "a(b)c", "(a)"} {
		if sel, err := parseFields(f); err == nil {
			t.Errorf("%q parsed as %v, want an error", f, sel)
		}
	}
}

// FuzzParseFields: parsing never panics, and what a selection keeps of a
// document is a part of it: filtering again by the same selection
// changes nothing.
func FuzzParseFields(f *testing.F) {
	for _, s := range []string{"nextPageToken,students(userId,profile/emailAddress)", "a/b(c,d/*)", "*", "a(b(c)),a/d"} {
		f.Add(s)
	}
	var doc any
	if err := json.Unmarshal([]byte(studentsPage), &doc); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, fields string) {
		sel, err := parseFields(fields)
		if err != nil {
			return
		}
		once, err := filter(doc, sel)
		if err != nil {
			t.Fatal(err)
		}
		var part any
		if err := json.Unmarshal(once, &part); err != nil {
			t.Fatal(err)
		}
		twice, err := filter(part, sel)
		if err != nil {
			t.Fatal(err)
		}
		if string(once) != string(twice) {
			t.Errorf("fields=%q: %s, filtered again %s", fields, once, twice)
		}
	})
}

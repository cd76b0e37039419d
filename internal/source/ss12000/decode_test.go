package ss12000

import (
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// groupPage is written from the spec, not from our types: a GroupsExpanded
// page (components/schemas/GroupsExpanded) with one Group whose members sit
// in groupMemberships (Group_allOf), plus properties we ignore
// (expandReferenceNames' displayName, an _embedded block, a vendor field).
const groupPage = `{
  "data": [{
    "id": "5c0e5f2c-0000-4000-8000-000000000001",
    "meta": {"created": "2024-05-01T10:00:00+02:00", "modified": "2024-08-01T09:30:00.123Z"},
    "displayName": "7A",
    "startDate": "2024-08-19",
    "endDate": "2025-06-13",
    "groupType": "Klass",
    "schoolType": "GR",
    "organisation": {"id": "5c0e5f2c-0000-4000-8000-00000000000a", "displayName": "Exempelskolan"},
    "groupMemberships": [
      {"person": {"id": "5c0e5f2c-0000-4000-8000-0000000000b1", "securityMarking": "Ingen"}, "startDate": "2024-08-19"},
      {"person": {"id": "5c0e5f2c-0000-4000-8000-0000000000b2"}, "startDate": "2024-08-19", "endDate": "2024-12-20"}
    ],
    "_embedded": {"assignmentRoles": []},
    "vendorExtension": {"x": 1}
  }],
  "pageToken": null
}`

func TestDecodeSpecShapedGroupPage(t *testing.T) {
	got, next, err := decodeList[Group](Groups, 1, []byte(groupPage))
	if err != nil {
		t.Fatal(err)
	}
	want := []Group{{
		ID: "5c0e5f2c-0000-4000-8000-000000000001",
		Meta: Meta{
			Created:  time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC),
			Modified: time.Date(2024, 8, 1, 9, 30, 0, 123e6, time.UTC),
		},
		DisplayName: "7A", StartDate: "2024-08-19", EndDate: "2025-06-13",
		GroupType: "Klass", SchoolType: "GR",
		Organisation: ObjectReference{ID: "5c0e5f2c-0000-4000-8000-00000000000a"},
		GroupMemberships: []GroupMembership{
			{Person: ObjectReference{ID: "5c0e5f2c-0000-4000-8000-0000000000b1"}, StartDate: "2024-08-19"},
			{Person: ObjectReference{ID: "5c0e5f2c-0000-4000-8000-0000000000b2"}, StartDate: "2024-08-19", EndDate: "2024-12-20"},
		},
	}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if next != "" {
		t.Errorf("next = %q, want done on a null pageToken", next)
	}
}

// personPage follows components/schemas/Person, with an enum value the
// spec does not list (kept as is) and a zone-less timestamp (read as UTC).
const personPage = `{"data":[{
  "id":"p1","meta":{"created":"2024-01-01T00:00:00","modified":"2024-01-02T00:00:00Z"},
  "givenName":"Test","familyName":"Testsson",
  "eduPersonPrincipalNames":["t@example.se"],
  "externalIdentifiers":[{"value":"x1","context":"https://example.se","globallyUnique":true}],
  "civicNo":{"value":"201201012381","nationality":"SE"},
  "securityMarking":"Ingen","personStatus":"Utflyttad",
  "emails":[{"value":"t@example.se","type":"Skola elev"}],
  "phoneNumbers":[{"value":"070","type":"Hem","mobile":true}],
  "enrolments":[{"enroledAt":{"id":"o1"},"schoolYear":0,"schoolType":"FKLASS","startDate":"2023-08-01","educationCode":"X"}]
}],"pageToken":"abc"}`

func TestDecodeLenientPerson(t *testing.T) {
	got, next, err := decodeList[Person](Persons, 3, []byte(personPage))
	if err != nil {
		t.Fatal(err)
	}
	if next != "abc" {
		t.Errorf("next = %q, want abc", next)
	}
	p := got[0]
	if p.PersonStatus != "Utflyttad" || p.CivicNo.Value != "201201012381" || *p.Enrolments[0].SchoolYear != 0 {
		t.Errorf("decoded %+v", p)
	}
	if want := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); !p.Meta.Created.Equal(want) {
		t.Errorf("created = %v, want %v", p.Meta.Created, want)
	}
}

func TestDecodeDeletedBothSpellings(t *testing.T) {
	body := `{"data":{"persons":["p1"],"activitites":["a1"],"activities":["a2"],"rooms":["r1"]},"pageToken":null}`
	d, _, err := decodeDeleted(1, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Activities(); !cmp.Equal(got, []string{"a1", "a2"}) {
		t.Errorf("Activities() = %v, want both spellings", got)
	}
	if d.Len() != 3 {
		t.Errorf("Len = %d, want 3 (rooms are not ours)", d.Len())
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body, reason string
	}{
		{"not JSON", `<html>Maja</html>`, "malformed JSON"},
		{"truncated", `{"data":[{"givenName":"Maj`, "malformed JSON"},
		{"array", `[{"id":"1"}]`, "unexpected JSON array"},
		{"no data", `{"pageToken":null}`, "data missing or null"},
		{"null data", `{"data":null}`, "data missing or null"},
		{"data object", `{"data":{"id":"1"}}`, "unexpected JSON object"},
		{"number token", `{"data":[],"pageToken":201201012381}`, "unexpected JSON number"},
		{"bad timestamp", `{"data":[{"meta":{"created":"201201012381"}}]}`, "invalid meta timestamp"},
		{"trailing garbage", `{"data":[]} Maja`, "malformed JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := decodeList[Person](Persons, 2, []byte(tc.body))
			var de *DecodeError
			if !errors.As(err, &de) || de.Reason != strings.TrimSpace(de.Reason) || !strings.Contains(de.Reason, tc.reason) {
				t.Fatalf("err = %v, want a DecodeError with reason %q", err, tc.reason)
			}
			if !strings.HasPrefix(err.Error(), "ss12000: persons page 2: ") {
				t.Errorf("err = %q, want it to name the endpoint and page", err)
			}
			for _, s := range []string{"Maj", "201201012381"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("err = %q repeats the body", err)
				}
			}
		})
	}
}

// errShape is every message a DecodeError can have: fixed words, an
// endpoint, numbers, and a schema path.
var errShape = regexp.MustCompile(`^ss12000: [A-Za-z]+ page [0-9]+: [a-zA-Z ,:{}]+( in field [A-Za-z0-9._]+)?( at byte offset [0-9]+)?$`)

// knownFields are the JSON property names of our wire types: the only
// words from outside our own vocabulary an error may contain.
func knownFields() map[string]bool {
	out := map[string]bool{"data": true, "pageToken": true}
	var walk func(reflect.Type)
	seen := map[reflect.Type]bool{}
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			out[name] = true
			walk(f.Type)
		}
	}
	for _, v := range []any{Organisation{}, Person{}, Group{}, Duty{}, Activity{}, Syllabus{}, Deletions{}} {
		walk(reflect.TypeOf(v))
	}
	return out
}

func FuzzDecodePage(f *testing.F) {
	for _, s := range []string{groupPage, personPage, `{"data":[]}`, `{"data":{"activitites":["x"]},"pageToken":"t"}`,
		`{"data":[{"meta":{"modified":7}}]}`, `{"data":[{"enrolments":[{"schoolYear":"7"}]}]}`, `[`, `{"data":[{"id":1e999}]}`} {
		f.Add([]byte(s))
	}
	fields := knownFields()
	f.Fuzz(func(t *testing.T, body []byte) {
		checks := []func() error{
			func() error { _, _, err := decodeList[Person](Persons, 1, body); return err },
			func() error { _, _, err := decodeList[Group](Groups, 1, body); return err },
			func() error { _, _, err := decodeList[Activity](Activities, 1, body); return err },
			func() error { _, _, err := decodeList[Duty](Duties, 1, body); return err },
			func() error { _, _, err := decodeDeleted(1, body); return err },
		}
		for _, check := range checks {
			err := check()
			if err == nil {
				continue
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T is not a DecodeError", err)
			}
			msg := err.Error()
			if !errShape.MatchString(msg) {
				t.Fatalf("error %q has an unexpected shape", msg)
			}
			for _, part := range strings.Split(de.Field, ".") {
				if part != "" && !fields[part] {
					t.Fatalf("error field %q is not a schema property", de.Field)
				}
			}
		}
	})
}

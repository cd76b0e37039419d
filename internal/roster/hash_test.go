package roster

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHashIsOrderIndependent(t *testing.T) {
	want := fixture().Hash()
	if !strings.HasPrefix(want, "sha256:") || len(want) != len("sha256:")+64 {
		t.Fatalf("Hash() = %q, want sha256:<64 hex>", want)
	}
	s := fixture()
	slices.Reverse(s.Organisations)
	slices.Reverse(s.Persons)
	slices.Reverse(s.Groups)
	slices.Reverse(s.Groups[1].Memberships)
	slices.Reverse(s.Organisations[0].SchoolTypes) // org-su after the reverse
	s.Activities[0].GroupIDs = []string{"g-7a-ma"}
	before := fixture()
	before.Sort()
	if got := s.Hash(); got != want {
		t.Errorf("hash of reordered snapshot = %s, want %s", got, want)
	}
	// Hash must not reorder its input.
	if s.Persons[0].ID != "p-teacher" {
		t.Errorf("Hash modified the snapshot order")
	}
	s.Sort()
	if diff := cmp.Diff(before, s); diff != "" {
		t.Errorf("Sort of reordered snapshot differs from sorted fixture (-want +got):\n%s", diff)
	}
}

func TestHashChangesWithContent(t *testing.T) {
	base := fixture().Hash()
	tests := []struct {
		name   string
		mutate func(s *Snapshot)
		same   bool
	}{
		{"rename group", func(s *Snapshot) { s.Groups[0].DisplayName = "7B" }, false},
		{"membership ends", func(s *Snapshot) { s.Groups[0].Memberships[0].EndDate = MustParseDate("2025-06-13") }, false},
		{"new eppn", func(s *Snapshot) { s.Persons[0].EduPersonPrincipalNames[0] = "x@exempelstad.se" }, false},
		{"eppn order matters", func(s *Snapshot) {
			s.Persons[0].EduPersonPrincipalNames = append(s.Persons[0].EduPersonPrincipalNames, "b@x.se")
			slices.Reverse(s.Persons[0].EduPersonPrincipalNames)
		}, false},
		{"security marking", func(s *Snapshot) { s.Persons[0].SecurityMarking = SecuritySkyddadFolkbokforing }, false},
		{"content moves between sections", func(s *Snapshot) { s.Syllabuses[0].ID = "a-7a-ma" }, false},
		{"civic number is not hashed", func(s *Snapshot) { s.Persons[0].CivicNo = "201101012391" }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fixture()
			tt.mutate(s)
			if got := s.Hash() == base; got != tt.same {
				t.Errorf("hash unchanged = %v, want %v", got, tt.same)
			}
		})
	}
}

// TestCivicNoNeverPrinted covers every way a person could reach a log line
// or a serialised form.
func TestCivicNoNeverPrinted(t *testing.T) {
	p := fixture().Persons[0]
	civic := p.CivicNo.Reveal()
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("x", "civic", p.CivicNo, "person", p)
	js, _ := json.Marshal(p)
	outputs := map[string]string{
		"%v":   fmt.Sprintf("%v", p),
		"%+v":  fmt.Sprintf("%+v", p),
		"%#v":  fmt.Sprintf("%#v", p),
		"%s":   fmt.Sprintf("%s", p.CivicNo),
		"%d":   fmt.Sprintf("%d", p.CivicNo),
		"%q":   fmt.Sprintf("%q", p.CivicNo),
		"slog": logged.String(),
		"json": string(js),
	}
	for name, out := range outputs {
		secrets := []string{civic, p.GivenName, p.FamilyName}
		if name == "json" {
			secrets = secrets[:1] // a serialised snapshot carries names by design
		}
		for _, secret := range secrets {
			if strings.Contains(out, secret) {
				t.Errorf("%s output contains personal data: %s", name, out)
			}
		}
	}
	if civic != "201101012383" {
		t.Errorf("Reveal() = %q", civic)
	}
}

// The hash moves exactly when the snapshot's JSON form does: for each
// field of each entity of the fixture (lists element by element, pointers
// set, cleared and their value changed), a change that shows in JSON shows
// in the hash, and one that does not (the civic number) does not. Every
// field of every type must be reached, so a fixture too thin to try one
// fails here.
func TestHashCoversEveryField(t *testing.T) {
	full := func() *Snapshot { // the fixture with what it lacks
		s := fixture()
		s.Persons[0].ExternalIdentifiers = []Identifier{{Value: "x-1", Context: "skolid", GloballyUnique: true}}
		return s
	}
	const elem = -1   // a pointer's value, in a path
	var paths [][]int // field, list and elem steps from the Snapshot down
	reached := map[string]bool{}
	var visit func(v reflect.Value, path []int)
	visit = func(v reflect.Value, path []int) {
		switch {
		case v.Type() == dateType:
			paths = append(paths, slices.Clone(path))
		case v.Kind() == reflect.Pointer:
			paths = append(paths, slices.Clone(path))
			if !v.IsNil() {
				visit(v.Elem(), append(path, elem))
			}
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() {
					reached[v.Type().Name()+"."+f.Name] = true
					visit(v.Field(i), append(path, i))
				}
			}
		case v.Kind() == reflect.Slice:
			for i := range v.Len() {
				visit(v.Index(i), append(path, i))
			}
		default:
			paths = append(paths, slices.Clone(path))
		}
	}
	visit(reflect.ValueOf(full()).Elem(), nil)
	var types func(typ reflect.Type)
	types = func(typ reflect.Type) {
		switch typ.Kind() {
		case reflect.Pointer, reflect.Slice:
			types(typ.Elem())
		case reflect.Struct:
			if typ == dateType {
				return
			}
			for i := range typ.NumField() {
				if f := typ.Field(i); f.IsExported() {
					if !reached[typ.Name()+"."+f.Name] {
						t.Errorf("the fixture has no %s.%s to change", typ.Name(), f.Name)
					}
					types(f.Type)
				}
			}
		}
	}
	types(reflect.TypeFor[Snapshot]())

	baseHash := full().Hash()
	baseJSON, err := json.Marshal(full())
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		s := full()
		v := reflect.ValueOf(s).Elem()
		for _, i := range path {
			switch {
			case i == elem:
				v = v.Elem()
			case v.Kind() == reflect.Slice:
				v = v.Index(i)
			default:
				v = v.Field(i)
			}
		}
		switch {
		case v.Type() == dateType:
			d := MustParseDate("2031-01-01")
			if v.Interface().(Date) == d {
				d = MustParseDate("2031-01-02")
			}
			v.Set(reflect.ValueOf(d))
		case v.Kind() == reflect.Pointer && v.IsNil():
			v.Set(reflect.New(v.Type().Elem()))
		case v.Kind() == reflect.Pointer:
			v.SetZero()
		case v.Kind() == reflect.String:
			v.SetString(v.String() + "x")
		case v.Kind() == reflect.Bool:
			v.SetBool(!v.Bool())
		case v.CanInt():
			v.SetInt(v.Int() + 1)
		default:
			t.Fatalf("field at %v: no change for a %s", path, v.Type())
		}
		changed, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if inJSON, inHash := string(changed) != string(baseJSON), s.Hash() != baseHash; inJSON != inHash {
			t.Errorf("changing the field at %v (a %s): JSON changed %v, hash changed %v", path, v.Type(), inJSON, inHash)
		}
	}
	// Lengths keep neighbouring strings apart.
	a, b := full(), full()
	a.Persons[0].GivenName, a.Persons[0].FamilyName = "ab", "c"
	b.Persons[0].GivenName, b.Persons[0].FamilyName = "a", "bc"
	if a.Hash() == b.Hash() {
		t.Error(`"ab" "c" and "a" "bc" hash alike`)
	}
}

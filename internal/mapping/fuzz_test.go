package mapping

import (
	"errors"
	"testing"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// FuzzCompileRule: Compile never panics on any filter or template text,
// and what it refuses it refuses with a located *CompileError; what it
// accepts evaluates without panicking.
func FuzzCompileRule(f *testing.F) {
	for _, s := range [][2]string{
		{`group.type == "Klass"`, `{{ .School.Abbreviation }} Klass {{ .Group.DisplayName }} {{ schoolYear }}`},
		{`group.schoolTypes.exists(t, t == "GR")`, `{{ .Group.DisplayName | truncate 10 | slug }}`},
		{`group.`, `{{ .Group.`},
		{`[1,2,3].map(x, [1,2,3].map(y, x*y)).size() > 0`, `{{ range .Group.SchoolTypes }}{{ . }}{{ end }}`},
		{`group.displayName.lowerAscii().startsWith("7")`, `{{ template "x" }}`},
		{"\x00", "{{ abbrev 1 }}"},
		{`1/0 == 1`, `{{ index .Group.SchoolTypes 5 }}`},
	} {
		f.Add(s[0], s[1])
	}
	snap := fixture()
	f.Fuzz(func(t *testing.T, filter, name string) {
		spec := oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterGroup, Filter: filter,
			Room: elevsynkv1.RoomTemplate{Name: name, Description: name}})
		p, err := Compile(spec, Options{})
		if err != nil {
			var ce *CompileError
			if !errors.As(err, &ce) || len(ce.Problems) == 0 {
				t.Fatalf("Compile error %v is not a located *CompileError", err)
			}
			return
		}
		_, _, _ = p.Evaluate(snap, nil, fixDay) // errors are fine; panics are not
	})
}

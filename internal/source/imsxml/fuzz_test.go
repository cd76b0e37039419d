package imsxml

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/elevsynk/elevsynk/internal/source/export"
)

// FuzzRead feeds any bytes to the reader, alone and as a Delta on a
// Complete state: it returns a state or an export.Error, never panics, and
// leaves the state it applied to as it was.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"tieto-organization-gr.xml", "tieto-organization-gy-delta.xml"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(doc("Delta", `<person recstatus="3"><sourcedid><id>p</id></sourcedid></person>`)))
	f.Add([]byte(doc("Complete", unit, class, fill(members, "c1", fill(member, "p", "1", "Student", "")))))
	base, err := Read(strings.NewReader(doc("Complete", unit, class, fill(pupil, "1", "1", ""),
		fill(members, "c1", fill(member, pupilID("1"), "1", "Student", "")))), "base.xml", export.Auto, nil)
	if err != nil {
		f.Fatal(err)
	}
	before := base.Snapshot().Hash()
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, prev := range []*State{nil, base} {
			st, err := Read(strings.NewReader(string(data)), "f.xml", export.Auto, prev)
			if err != nil {
				var fe *export.Error
				if !errors.As(err, &fe) {
					t.Fatalf("%T %v is not an export.Error", err, err)
				}
				continue
			}
			st.Snapshot().Hash()
		}
		if base.Snapshot().Hash() != before {
			t.Fatal("a Delta changed the state it was applied to")
		}
	})
}
